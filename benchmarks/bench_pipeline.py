"""One long render in one process, split over two local workers, and split over Ray on this machine.

What it does:

1. Writes a long recording once, outside all timing: `--frames` ticks (default 2,000) of a scene that
   changes every tick (a 400-point helix turning, 40 beads travelling along it, a line between each
   pair), logged with `rr.send_columns` by a child process.
2. Starts a Ray head on this machine (`ray start --head --num-cpus N`, not timed: a cluster is up before
   its jobs arrive), if Ray is installed; otherwise the Ray row is skipped with a message.
3. Times three whole `rerender render REC -o OUT.mp4 --size WxH -q` processes in interleaved rounds (one
   warm-up round, then `--runs` counted rounds), reporting medians:

     single     one process (the renderer and ffmpeg use the cores as they please)
     workers-2  `--workers 2`: two local worker processes, each told one core's share
     ray-2      `--workers 2 --executor ray --address ADDR`: the same chunks as Ray tasks

   CPU seconds are user + sys of the process and every descendant it waited for (`os.wait4`): the
   workers and their ffmpeg encoders for `single` and `workers-2`. Ray's workers are not descendants of
   the command, so the Ray row's CPU is not measured.
4. Checks that the three MP4s decode to identical frames (in a child process).
5. Prints wall time, CPU seconds per frame, cores kept busy (CPU / wall), the split's overhead (extra
   CPU seconds over the single process) and the goal lines:
     workers-2 wall <= 0.8x single; workers-2 CPU <= 1.1x single; ray-2 wall <= 1.15x workers-2.
   With CPU seconds per frame, the time on N machines of C cores is about
   frames x CPU-s/frame / (N x C) plus the join; the last line prints that prediction for this machine.

Run (from the repository root):

    .venv/bin/python benchmarks/bench_pipeline.py [--frames 2000] [--size 640x360] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, measure_interleaved, rerender_binary

WRITE_RECORDING = """
import sys
import numpy as np
import rerender as rr

out, frames = sys.argv[1], int(sys.argv[2])
rec = rr.RecordingStream("bench_pipeline", recording_id="bench")
rec.save(out)
t = np.arange(frames)
angles = np.linspace(0, 8 * np.pi, 400)
helix = np.stack([np.cos(angles), np.sin(angles), np.linspace(-2, 2, 400)], axis=1)
turn = 2 * np.pi * t / 600
# Every tick the helix turns and 40 beads move along it.
positions = []
for k in range(frames):
    c, s = np.cos(turn[k]), np.sin(turn[k])
    rotated = helix @ np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]).T
    beads = rotated[(np.arange(40) * 10 + k) % 400]
    positions.append(np.concatenate([rotated, beads]))
positions = np.concatenate(positions).astype(np.float32)
palette = np.concatenate([np.full((400, 4), [120, 120, 255, 255]), np.full((40, 4), [255, 160, 0, 255])])
colors = np.tile(palette, (frames, 1)).astype(np.uint8)
radii = np.tile(np.concatenate([np.full(400, 0.03), np.full(40, 0.08)]), frames).astype(np.float32)
points = rr.Points3D.columns(positions=positions, colors=colors, radii=radii)
index = [rr.TimeColumn("frame", sequence=t)]
rec.send_columns("helix", indexes=index, columns=points.partition([440] * frames))
# Each bead joined to the next: 20 rungs a tick.
strips = positions.reshape(frames, 440, 3)[:, 400:].reshape(-1, 2, 3)
rungs = rr.LineStrips3D.columns(strips=list(strips), radii=np.full(frames * 20, 0.015, np.float32))
rec.send_columns("rungs", indexes=index, columns=rungs.partition([20] * frames))
rec.flush()
"""


def _decode_check(paths: list[Path]) -> str:
    """Whether the MP4s decode to identical frames (in a child, so this parent stays lean)."""
    code = (  # frame by frame: three 2,000-frame videos would not fit in memory decoded at once
        "import sys, itertools, imageio.v3 as iio, numpy as np\n"
        "streams = [iio.imiter(p) for p in sys.argv[1:]]\n"
        "n, same = 0, True\n"
        "for frames in itertools.zip_longest(*streams):\n"
        "    n += 1\n"
        "    same = same and all(f is not None and np.array_equal(frames[0], f) for f in frames)\n"
        "print(n, same)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *map(str, paths)], capture_output=True, text=True)
    return done.stdout.strip() or done.stderr.strip()


def _start_ray(cores: int, tmp: Path) -> str | None:
    ray = Path(sys.executable).parent / "ray"
    if not ray.exists():
        print("Ray is not installed (pip install 'rerender[ray]'): the Ray row is skipped", file=sys.stderr)
        return None
    env = {**os.environ, "RAY_ACCEL_ENV_VAR_OVERRIDE_ON_ZERO": "0"}
    command = [str(ray), "start", "--head", f"--num-cpus={cores}", "--include-dashboard=false"]
    command += [f"--temp-dir={tmp / 'ray'}", "--port=0"]
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        print(f"could not start Ray ({done.stderr.strip()[-300:]}): the Ray row is skipped", file=sys.stderr)
        return None
    return "auto"


def _stop_ray() -> None:
    subprocess.run([str(Path(sys.executable).parent / "ray"), "stop", "--force"], capture_output=True)


def run_benchmark(tmp: Path, frames: int, size: str, runs: int) -> None:
    rec = tmp / "long.rrd"
    subprocess.run([sys.executable, "-c", WRITE_RECORDING, str(rec), str(frames)], check=True, cwd=REPO)
    exe = rerender_binary()
    base = [exe, "render", str(rec), "--size", size, "-q"]
    outs = {name: tmp / f"{name}.mp4" for name in ("single", "workers-2", "ray-2")}
    cases = [
        ("single", [*base, "-o", str(outs["single"])], outs["single"], None),
        ("workers-2", [*base, "-o", str(outs["workers-2"]), "--workers", "2"], outs["workers-2"], "single"),
    ]
    address = _start_ray(os.cpu_count() or 2, tmp)
    if address is not None:
        ray_cmd = [
            *base,
            "-o",
            str(outs["ray-2"]),
            "--workers",
            "2",
            "--executor",
            "ray",
            "--address",
            address,
        ]
        cases.append(("ray-2", ray_cmd, outs["ray-2"], "workers-2"))
    try:
        results = {r.name: r for r in measure_interleaved(cases, runs)}
    finally:
        if address is not None:
            _stop_ray()
    produced = [outs[name] for name in results]
    print(f"\n{frames} frames at {size}, median of {runs} runs (decoded frames, identical: "
          f"{_decode_check(produced)})\n")  # fmt: skip
    print(f"{'case':<11} {'wall s':>8} {'CPU s':>8} {'CPU s/frame':>12} {'cores busy':>11}")
    for r in results.values():
        cpu = "n/a" if r.name == "ray-2" else f"{r.cpu_s:8.2f}"
        per_frame = "n/a" if r.name == "ray-2" else f"{r.cpu_s / frames * 1000:9.2f} ms"
        busy = "n/a" if r.name == "ray-2" else f"{r.cpu_s / r.wall_s:11.2f}"
        print(f"{r.name:<11} {r.wall_s:8.2f} {cpu:>8} {per_frame:>12} {busy:>11}")
    single, split = results["single"], results["workers-2"]
    overhead = split.cpu_s - single.cpu_s
    print(f"\nsplit overhead: {overhead:+.2f} CPU s ({overhead / single.cpu_s:+.1%}), "
          f"wall {split.wall_s / single.wall_s:.2f}x")  # fmt: skip
    goals = [
        ("workers-2 wall <= 0.8x single", split.wall_s / single.wall_s, 0.8),
        ("workers-2 CPU <= 1.1x single", split.cpu_s / single.cpu_s, 1.1),
    ]
    if "ray-2" in results:
        goals.append(("ray-2 wall <= 1.15x workers-2", results["ray-2"].wall_s / split.wall_s, 1.15))
    for label, ratio, goal in goals:
        print(f"goal {label}: {ratio:.2f}x {'PASS' if ratio <= goal else 'FAIL'}")
    per_frame = split.cpu_s / frames
    cores = os.cpu_count() or 1
    print(
        f"prediction: {frames} frames x {per_frame * 1000:.1f} ms CPU / frame on N machines of {cores} cores "
        f"~ {frames * per_frame / cores:.1f} s / N (+ the join); measured here (N=1): {split.wall_s:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=2000, help="ticks in the recording (default 2000)")
    parser.add_argument("--size", default="640x360", help="output size WxH (default 640x360)")
    parser.add_argument("--runs", type=int, default=3, help="counted runs per case, after one warm-up")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write files to DIR and keep them")
    args = parser.parse_args()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        run_benchmark(args.keep.resolve(), args.frames, args.size, args.runs)
        return
    tmp = Path(tempfile.mkdtemp(prefix="bench_pipeline_"))
    try:
        run_benchmark(tmp, args.frames, args.size, args.runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
