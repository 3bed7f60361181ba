"""Rendering the DNA recording to MP4 with `rerender render`, side by side with the rendering anchors.

What it does:

1. Takes the rendering anchors from `../shared/bench/anchors` (`--anchors DIR` to override; see the README
   and RESULTS.md sections 1 and 2 there), which render the seed's DNA abacus scene (400 frames) to MP4
   with imageio-ffmpeg (libx264):

     matplotlib   `mpl_dna.py OUT.mp4 --size WxH`                     mplot3d frames (the fastest anchor)
     floor        `floor_pyrender.py --encode OUT.mp4 --size WxH`     empty pyrender scene render + readback
                                                                      + encode: the render+encode floor

   The anchors need pyrender and matplotlib in this interpreter: `make bench BENCH=render` installs the
   `bench` extra and runs this script. When matplotlib is not importable, that anchor and its goals are
   skipped with a message.
2. Our side: writes the DNA recording once into the temp dir, outside all timing, with
   `rerender run -o DNA.rrd examples/dna_example.py` (400 ticks), then renders it with
   `rerender render DNA.rrd -o OUT.mp4 --size WxH --every-tick -q` (one frame per logged tick: 400 frames,
   like the anchors).
3. For each size (640x480 and 1280x720 by default, `--sizes`), times the three commands as whole separate
   processes in rounds (one warm-up round, then `--runs` counted rounds, each running every command once),
   so drifting load on a shared machine hits them alike; reports the median wall time, CPU time (user +
   sys, all threads, ffmpeg included) and peak RSS (`os.wait4`; this parent imports only the standard
   library). Each run writes a fresh MP4: the previous one is deleted and dirty pages are flushed first.
4. After the timed runs, counts the frames of each command's last MP4 with imageio-ffmpeg (in a child
   process, so this parent stays lean): each must have 400.
5. Prints a table, the anchors' in-process timings (stderr of the last counted run), and the goal lines:
   our wall time at most 0.6x the matplotlib anchor's and at most 1.25x the floor's, at every size.

The row `rerender-pyrender` renders the same frames with `--renderer pyrender` (the quality backend:
lit spheres and tubes, 2x2 supersampling on pyrender's 4x MSAA); its time is information, not a goal.

The row `rerender-orbit` renders the same frames with `--camera orbit` (a new camera pose every frame);
its goal: at most 1.05x the default (fixed, auto) camera's wall time, so camera evaluation does not show.

Note: `rerender render` encodes with its defaults, x264 `--crf 23` (a constant quantizer of 30, see
`rerender.media`) and `--preset veryfast`, while the anchors use imageio's (crf 25, preset medium).
The goals are judged on our defaults, as users run them; the extra row `rerender-medium` (`--preset
medium`, x264's own default) shows what the encoder's share is, and is information only.

The rows `encoder-dna` and `encoder-floor` are information too: the encoder alone, as a one-process
render runs it (`rerender.media.open_writer` with the render's defaults and encoder threads), fed the
frames of our DNA and empty renders (decoded from MP4s rendered before the timing, kept as raw RGBA).
Their difference is what the DNA's frames cost the encoder before anything is drawn, which bounds how
close the DNA can come to our own floor.

Run (from the repository root):

    .venv/bin/python benchmarks/bench_render.py [--runs 3] [--sizes 640x480,1280x720] [--anchors DIR]
        [--keep DIR] [--cameras-only]

`--cameras-only` times just the auto and orbit cameras (the orbit goal), without the anchors.

`--keep DIR` writes the recording and the last MP4s to DIR and leaves them there (for profiling);
otherwise a temp dir is used and removed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from _common import (
    MB,
    REPO,
    Result,
    measure_interleaved,
    print_environment,
    print_table,
    rerender_binary,
    run_once,
    verdict,
)

DEFAULT_ANCHORS = Path(__file__).resolve().parents[2] / "shared/bench/anchors"
DNA_EXAMPLE = REPO / "examples/dna_example.py"
FRAMES = 400  # DNA ticks, and the anchors' default frame count
DEFAULT_SIZES = ("640x480", "1280x720")
MPL, FLOOR, OURS, OURS_MEDIUM = "matplotlib", "floor", "rerender", "rerender-medium"
OURS_ORBIT, OURS_FLOOR = "rerender-orbit", "rerender-floor"
OURS_PYRENDER = "rerender-pyrender"  # the quality backend (--renderer pyrender): information, not a goal
OURS_VARIANTS = (OURS, OURS_MEDIUM, OURS_ORBIT, OURS_FLOOR, OURS_PYRENDER)
ENCODER_DNA, ENCODER_FLOOR = "encoder-dna", "encoder-floor"  # the encoder alone on either's frames
OWN_FLOOR_GOAL = 1.3  # the DNA render at most this many times our own floor (an empty scene, same settings)
PYVISTA = "pyvista"
BIG_CLOUD_GOAL = 0.25  # the big cloud: our wall time at most this many times PyVista's
BIG_MEMORY_GOAL_MIB = 1536  # peak RSS rendering the 10M-point cloud
BIG_SIZE, BIG_POINTS, HUGE_POINTS = "1280x720", 1_000_000, 10_000_000
EMPTY_SCRIPT = """
import sys, rerender as rr
rec = rr.RecordingStream("empty", recording_id="empty")
rec.save(sys.argv[1])
for i in range(int(sys.argv[2])):  # the DNA's timeline and ticks, with nothing drawn in 3D
    rec.set_time("stable_time", duration=i * 0.01)
    rec.log("nothing", rr.Scalars(0.0))
rec.flush()
"""
MPL_GOAL, FLOOR_GOAL = 0.6, 1.25  # our wall time at most this many times the anchor's
ORBIT_GOAL = 1.05  # an orbit (a pose per frame) at most this many times the fixed auto camera's time
ANCHOR_SCRIPTS = {MPL: "mpl_dna.py", FLOOR: "floor_pyrender.py"}
COUNT_FRAMES = "import sys, imageio_ffmpeg; print(imageio_ffmpeg.count_frames_and_secs(sys.argv[1])[0])"
DECODE_RAW = """
import subprocess, sys, imageio_ffmpeg
subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", sys.argv[1], "-f", "rawvideo",
                "-pix_fmt", "rgba", sys.argv[2]], check=True)
"""
ENCODE_RAW = """
import sys, numpy as np
from rerender.media import open_writer
from rerender.pipeline.render_job import encoder_threads
raw, width, height, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
frames = np.memmap(raw, dtype=np.uint8, mode="r").reshape(-1, height, width, 4)
with open_writer(out, format="mp4", threads=encoder_threads("mp4", "veryfast")) as writer:
    for frame in frames:
        writer.write(frame)
"""


@dataclass
class SizeOutcome:
    """Timings of every variant at one output size, the sizes of their last MP4s and the frame checks."""

    size: str
    results: dict[str, Result]  # variant -> timings
    mp4_bytes: dict[str, int]  # variant -> bytes of its last MP4
    checks: dict[str, str]  # variant -> "" if its MP4 has FRAMES frames, else what is wrong

    def ratio(self, anchor: str, variant: str = OURS) -> float:
        return self.results[variant].wall_s / self.results[anchor].wall_s


# -- commands and checks --------------------------------------------------------------------------


def have_matplotlib() -> bool:
    """Whether this interpreter can import matplotlib (found without importing it: parent stays lean)."""
    return importlib.util.find_spec("matplotlib") is not None


def make_recording(workdir: Path) -> Path:
    """Write the DNA recording (400 ticks) with `rerender run`, and an empty one with the same ticks
    (for our floor), outside the timing."""
    subprocess.run([sys.executable, "-c", EMPTY_SCRIPT, str(workdir / "EMPTY.rrd"), str(FRAMES)], check=True)
    rrd = workdir / "DNA.rrd"
    cmd = [rerender_binary(), "run", "-o", str(rrd), str(DNA_EXAMPLE)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir)
    if done.returncode != 0 or not rrd.exists():
        raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}:\n{done.stderr}")
    return rrd


def raw_frames(rrd: Path, size: str, workdir: Path) -> Path:
    """The 400 frames that `rerender render` draws of `rrd` at `size`, as raw RGBA (decoded from its MP4),
    written outside the timing for the encoder-alone rows."""
    mp4, raw = workdir / f"raw_{rrd.stem}_{size}.mp4", workdir / f"raw_{rrd.stem}_{size}.rgba"
    cmd = [rerender_binary(), "render", str(rrd), "--size", size, "--every-tick", "-q", "-o", str(mp4)]
    subprocess.run(cmd, check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", DECODE_RAW, str(mp4), str(raw)], check=True)
    mp4.unlink()
    return raw


def commands(variants: Sequence[str], anchors: Path, rrd: Path, out: dict[str, Path], size: str) -> dict:
    """variant -> command line rendering 400 frames at `size` to `out[variant]` (the encoder-alone rows
    read the raw frames that `raw_frames` wrote)."""
    py = sys.executable
    ours = [rerender_binary(), "render", str(rrd), "--size", size, "--every-tick", "-q"]
    width, height = size.split("x")
    raw = {
        ENCODER_DNA: rrd.with_name(f"raw_DNA_{size}.rgba"),
        ENCODER_FLOOR: rrd.with_name(f"raw_EMPTY_{size}.rgba"),
    }
    every = {
        MPL: lambda: [py, str(anchors / ANCHOR_SCRIPTS[MPL]), str(out[MPL]), "--size", size],
        FLOOR: lambda: [
            py,
            str(anchors / ANCHOR_SCRIPTS[FLOOR]),
            "--encode",
            str(out[FLOOR]),
            "--size",
            size,
        ],
        OURS: lambda: [*ours, "-o", str(out[OURS])],
        OURS_MEDIUM: lambda: [*ours, "-o", str(out[OURS_MEDIUM]), "--preset", "medium"],
        OURS_ORBIT: lambda: [*ours, "-o", str(out[OURS_ORBIT]), "--camera", "orbit"],
        OURS_PYRENDER: lambda: [*ours, "-o", str(out[OURS_PYRENDER]), "--renderer", "pyrender"],
        # The same command on a recording with the same frames and nothing to draw: our floor.
        OURS_FLOOR: lambda: [
            *[str(rrd.with_name("EMPTY.rrd")) if a == str(rrd) else a for a in ours],
            "-o",
            str(out[OURS_FLOOR]),
        ],
        **{
            v: (lambda v=v: [py, "-c", ENCODE_RAW, str(raw[v]), width, height, str(out[v])])
            for v in (ENCODER_DNA, ENCODER_FLOOR)
        },
    }
    return {v: every[v]() for v in variants}


def check_mp4(path: Path) -> str:
    """What is wrong with `path`, or "" if it decodes to FRAMES frames."""
    done = subprocess.run([sys.executable, "-c", COUNT_FRAMES, str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        return f"frame count failed: {done.stderr.strip()[-300:]}"
    frames = int(done.stdout.strip())
    return "" if frames == FRAMES else f"{frames} frames, expected {FRAMES}"


# -- running --------------------------------------------------------------------------------------


def run_size(
    size: str, variants: Sequence[str], anchors: Path, rrd: Path, workdir: Path, runs: int, keep: bool
):
    """Time every variant at `size` in rounds, then check and (unless `keep`) delete their MP4s."""
    raws = []
    if ENCODER_DNA in variants:
        raws = [raw_frames(r, size, workdir) for r in (rrd, rrd.with_name("EMPTY.rrd"))]
    out = {v: workdir / f"{v}_{size}.mp4" for v in variants}
    cmds = commands(variants, anchors, rrd, out, size)
    cases = [
        (f"{size} {v}", cmds[v], out[v], None if v not in OURS_VARIANTS else f"{size} {MPL}")
        for v in variants
    ]
    results = dict(zip(variants, measure_interleaved(cases, runs), strict=True))
    mp4_bytes = {v: p.stat().st_size for v, p in out.items()}
    checks = {}
    for v, p in out.items():
        checks[v] = check_mp4(p)
        print(f"  check {p.name}: {checks[v] or 'ok'}", file=sys.stderr, flush=True)
        if not keep:
            p.unlink()
    for raw in raws:  # 1.4 GB each at 1280x720
        raw.unlink()
    return SizeOutcome(size, results, mp4_bytes, checks)


# -- reporting ------------------------------------------------------------------------------------


def print_report(outcomes: list[SizeOutcome], runs: int, load_before: float) -> None:
    """The table, the anchors' own in-process timings, and the PASS/FAIL goal lines."""
    print()
    print(f"DNA recording ({FRAMES} frames) to MP4: rerender render vs anchors; median of {runs} runs")
    print("(after 1 warm-up)")
    print_environment(load_before)
    rows = []
    for o in outcomes:
        for k, (v, r) in enumerate(o.results.items()):
            ratios = [
                "skipped"
                if a not in o.results
                else f"{o.ratio(a, v):.2f}x"
                if v in OURS_VARIANTS
                else ("anchor" if v == a else "")
                for a in (MPL, FLOOR)
            ]
            rows.append(
                [
                    o.size if k == 0 else "",
                    v,
                    f"{r.wall_s:.2f}",
                    f"{min(r.walls):.2f}-{max(r.walls):.2f}",
                    f"{FRAMES / r.wall_s:.1f}",
                    f"{r.cpu_s:.2f}",
                    f"{r.rss_mib:.0f}",
                    f"{o.mp4_bytes[v] / MB:.2f}",
                    *ratios,
                ]
            )
    headers = [
        "size",
        "variant",
        "wall s",
        "min-max",
        "fps",
        "cpu s",
        "peak MiB",
        "MP4 MB",
        "vs mpl",
        "vs floor",
    ]
    print_table(headers, rows)
    print()
    print("in-process timings (stderr of the last counted run):")
    for o in outcomes:
        for v, r in o.results.items():
            if v in (MPL, FLOOR):
                print(f"  {o.size:<9} {v:<10} {r.last_stderr.strip()}")
    print()
    for o in outcomes:
        if MPL in o.results:
            ok = verdict(o.ratio(MPL) <= MPL_GOAL)
            print(f"{o.size}: wall ratio rerender/matplotlib {o.ratio(MPL):.2f} (goal <= {MPL_GOAL}) {ok}")
        else:
            print(f"{o.size}: wall ratio rerender/matplotlib: SKIPPED (matplotlib not run)")
        if FLOOR in o.results:
            ok = verdict(o.ratio(FLOOR) <= FLOOR_GOAL)
            print(f"{o.size}: wall ratio rerender/floor {o.ratio(FLOOR):.2f} (goal <= {FLOOR_GOAL}) {ok}")
        if OURS_MEDIUM in o.results:
            versus = ", ".join(f"{o.ratio(a, OURS_MEDIUM):.2f}x {a}" for a in (MPL, FLOOR) if a in o.results)
            print(f"{o.size}: information, not a goal: rerender --preset medium is {versus}")
        if OURS_PYRENDER in o.results:
            slower = o.results[OURS_PYRENDER].wall_s / o.results[OURS].wall_s
            versus = ", ".join(
                f"{o.ratio(a, OURS_PYRENDER):.2f}x {a}" for a in (MPL, FLOOR) if a in o.results
            )
            print(
                f"{o.size}: information, not a goal: rerender --renderer pyrender takes "
                f"{o.results[OURS_PYRENDER].wall_s:.2f} s, {slower:.2f}x our renderer's, {versus}"
            )
        if OURS_FLOOR in o.results:
            own = o.results[OURS].wall_s / o.results[OURS_FLOOR].wall_s
            ok = verdict(own <= OWN_FLOOR_GOAL)
            print(
                f"{o.size}: wall ratio rerender/own floor (empty scene) {own:.2f} "
                f"(goal <= {OWN_FLOOR_GOAL}) {ok}"
            )
        if ENCODER_DNA in o.results and OURS_FLOOR in o.results:
            dna, empty = o.results[ENCODER_DNA], o.results[ENCODER_FLOOR]
            extra = dna.wall_s - empty.wall_s
            share = extra / o.results[OURS_FLOOR].wall_s
            print(
                f"{o.size}: information, not a goal: the encoder alone takes {dna.wall_s:.2f} s "
                f"({dna.cpu_s:.2f} CPU-s) on the DNA's frames and {empty.wall_s:.2f} s ({empty.cpu_s:.2f}) "
                f"on the empty scene's: {extra:+.2f} s, {share:.2f}x of our own floor before anything is "
                "drawn"
            )
        if OURS_ORBIT in o.results:
            orbit = o.results[OURS_ORBIT].wall_s / o.results[OURS].wall_s
            ok = verdict(orbit <= ORBIT_GOAL)
            print(f"{o.size}: wall ratio orbit/auto camera {orbit:.2f} (goal <= {ORBIT_GOAL}) {ok}")
        for v, problem in o.checks.items():
            print(f"{o.size}: {v} MP4 has {FRAMES} frames: {problem or 'ok'} {verdict(not problem)}")


# -- main -----------------------------------------------------------------------------------------


def run_benchmark(
    anchors: Path, workdir: Path, sizes: Sequence[str], runs: int, keep: bool, cameras_only: bool = False
) -> None:
    """Write the recording, time every size in `workdir` and print the report."""
    load_before = os.getloadavg()[0]
    variants = (
        [OURS, OURS_ORBIT]
        if cameras_only
        else [MPL, FLOOR, OURS, OURS_MEDIUM, OURS_ORBIT, OURS_FLOOR, ENCODER_DNA, ENCODER_FLOOR]
    )
    if not cameras_only:
        if importlib.util.find_spec("pyrender") is not None:
            variants.append(OURS_PYRENDER)
        else:
            print("skipping rerender-pyrender: pyrender is not importable (make bench installs it)")
    if MPL in variants and not have_matplotlib():
        print(
            f"skipping the matplotlib anchor: matplotlib is not importable by {sys.executable} "
            "(install it with `.venv/bin/pip install matplotlib`)"
        )
        variants.remove(MPL)
    rrd = make_recording(workdir)
    outcomes = [run_size(s, variants, anchors, rrd, workdir, runs, keep) for s in sizes]
    print_report(outcomes, runs, load_before)


# -- the big cloud --------------------------------------------------------------------------------


def run_big_cloud(anchors: Path, workdir: Path, runs: int) -> None:
    """`big_cloud.py`'s static 1M-point cloud and moving marker, 60 frames at 1280x720, side by side with
    PyVista (`pyvista_big_cloud.py`); then our peak memory on the same scene with 10M points."""
    big, huge = workdir / "big.rrd", workdir / "huge.rrd"
    for path, n in ((big, BIG_POINTS), (huge, HUGE_POINTS)):
        subprocess.run([sys.executable, str(anchors / "big_cloud.py"), str(path), str(n)], check=True)
    out = {name: workdir / f"big_{name}.mp4" for name in (OURS, PYVISTA)}
    cases = [
        (
            OURS,
            [rerender_binary(), "render", str(big), "-o", str(out[OURS]), "--size", BIG_SIZE, "-q"],
            out[OURS],
            PYVISTA,
        )
    ]
    if importlib.util.find_spec("pyvista") is not None:
        cases.append(
            (
                PYVISTA,
                [sys.executable, str(anchors / "pyvista_big_cloud.py"), str(out[PYVISTA])],
                out[PYVISTA],
                None,
            )
        )
    else:
        print("skipping the PyVista anchor: pyvista is not importable (make bench installs it)")
    results = {r.name: r for r in measure_interleaved(cases, runs)}
    huge_out = workdir / "huge.mp4"
    memory = run_once([rerender_binary(), "render", str(huge), "-o", str(huge_out), "--size", BIG_SIZE, "-q"])
    print()
    print(
        f"Big cloud (big_cloud.py: {BIG_POINTS:,} static points + a moving marker, 60 frames, "
        f"{BIG_SIZE}); median of {runs}"
    )
    rows = [[name, f"{r.wall_s:.2f}", f"{r.cpu_s:.2f}", f"{r.rss_mib:.0f}"] for name, r in results.items()]
    rows.append(
        [
            f"rerender, {HUGE_POINTS:,} points",
            f"{memory.wall_s:.2f}",
            f"{memory.cpu_s:.2f}",
            f"{memory.rss_mib:.0f}",
        ]
    )
    print_table(["case", "wall s", "cpu s", "peak MiB"], rows)
    if PYVISTA in results:
        ratio = results[OURS].wall_s / results[PYVISTA].wall_s
        print(
            f"big cloud: wall ratio rerender/PyVista {ratio:.2f} (goal <= {BIG_CLOUD_GOAL}) "
            f"{verdict(ratio <= BIG_CLOUD_GOAL)}"
        )
    ok = verdict(memory.rss_mib < BIG_MEMORY_GOAL_MIB)
    print(
        f"big cloud: peak memory with {HUGE_POINTS:,} points {memory.rss_mib:.0f} MiB "
        f"(goal < {BIG_MEMORY_GOAL_MIB}) {ok}"
    )


def parse_size(text: str) -> str:
    """`WxH` with positive integers, returned as given."""
    w, sep, h = text.partition("x")
    if not (sep and w.isdigit() and h.isdigit() and int(w) > 0 and int(h) > 0):
        raise argparse.ArgumentTypeError(f"size must be WxH, got {text!r}")
    return text


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="counted runs per command, after 1 warm-up")
    parser.add_argument(
        "--sizes", default=",".join(DEFAULT_SIZES), help="comma-separated WxH list (default 640x480,1280x720)"
    )
    parser.add_argument("--anchors", type=Path, default=DEFAULT_ANCHORS, help="folder of the anchor scripts")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write files to DIR and keep them")
    parser.add_argument(
        "--cameras-only", action="store_true", help="only the auto and orbit cameras (no anchors)"
    )
    parser.add_argument(
        "--cases", default="dna,big-cloud", help="comma-separated: dna, big-cloud (default both)"
    )
    parser.add_argument(
        "--big-cloud-runs", type=int, default=1, help="counted runs of the big cloud (PyVista takes a minute)"
    )
    args = parser.parse_args(argv)
    cases = {c.strip() for c in args.cases.split(",") if c.strip()}
    if not cases <= {"dna", "big-cloud"}:
        parser.error(f"--cases: unknown {sorted(cases - {'dna', 'big-cloud'})}; the cases are dna, big-cloud")
    try:
        sizes = [parse_size(s.strip()) for s in args.sizes.split(",") if s.strip()]
    except argparse.ArgumentTypeError as e:
        parser.error(f"--sizes: {e}")
    if not sizes or args.runs < 1:
        parser.error("need at least one size and --runs >= 1")
    missing = [s for s in ANCHOR_SCRIPTS.values() if not (args.anchors / s).exists()]
    if missing:
        parser.error(f"--anchors {args.anchors}: missing {missing}")
    anchors = args.anchors.resolve()

    def run_cases(workdir: Path, keep: bool) -> None:
        if "dna" in cases:
            run_benchmark(anchors, workdir, sizes, args.runs, keep, args.cameras_only)
        if "big-cloud" in cases and not args.cameras_only:
            run_big_cloud(anchors, workdir, args.big_cloud_runs)

    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        run_cases(args.keep.resolve(), True)
    else:
        with tempfile.TemporaryDirectory(prefix="bench_render_") as tmp:
            run_cases(Path(tmp), False)


if __name__ == "__main__":
    main()
