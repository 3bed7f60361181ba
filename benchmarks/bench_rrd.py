"""Throughput and peak memory of rerender's RRD reader and writer on a large recording, vs the rerun CLI.

What it does:

1. Writes a synthetic recording of `--size-mb` MB (default 520) with rerender's own `RrdWriter`: point
   clouds (`Points3D` positions + colors, random so LZ4 cannot shrink them, as with real point clouds),
   a `Scalars` series and one static `TextDocument`, on a `frame` sequence timeline and a `log_time`
   timestamp timeline. Chunks hold ~1.5-2 MB of Arrow data, like rerun-sdk's 2 MiB batcher threshold.
2. Times each case as a whole separate process: one warm-up, then `--runs` counted runs; reports the
   median wall time and the peak RSS of the process (from `os.wait4`, which gives that one child's
   rusage, its waited-for descendants included; no `/usr/bin/time` needed). The file sits in the page
   cache after generation, so these are CPU/memory costs, not disk costs.

   Linux folds the spawning process's peak RSS into a child's ru_maxrss at exec, so this parent stays
   lean: it imports only the standard library and generates the recording in a subprocess too. Its own
   peak (~15 MiB) is printed as the RSS floor; every measured process is well above it.

   read side     ours:   `read_frames` + decode every chunk (`frame.chunk.num_rows`), in a fresh Python
                 anchor: `rerun rrd stats FILE` (decodes every chunk too)
   rewrite side  ours:   `rerender filter FILE -o OUT` (unchanged chunks pass through without re-encoding)
                 ours:   read every chunk and `RrdWriter.write_chunk` it without `encoded=` (Arrow IPC +
                         LZ4 re-encode of every chunk)
                 anchor: `rerun rrd optimize FILE -o OUT` (decodes, compacts and re-encodes)

3. Prints a table (median wall s, MB/s = file size / wall, peak RSS MiB, ratio of wall time vs the anchor)
   and the goal lines: our read within 2x of `rrd stats`, and peak memory of our read and rewrites below
   the file size (i.e. streaming, not loading the file).

Run (from the repository root):

    .venv/bin/python benchmarks/bench_rrd.py [--size-mb 520] [--runs 3] [--keep DIR] [--verify]

`--keep DIR` writes the recording (and outputs) to DIR and leaves them there; otherwise a temp dir is
used and removed. `--verify` runs `rerun rrd verify` on the generated file and our rewrites (slow).

Process timing, the rerun/rerender binaries and table printing are shared with bench_sdk.py (_common.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from _common import (
    MB,
    MIB,
    Result,
    measure,
    print_environment,
    print_table,
    rerender_binary,
    rerun_binary,
    verdict,
)

# -- recording generation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """One entity's chunk shape: its component columns are built once and reused for every chunk."""

    entity_path: str
    rows_per_chunk: int
    components: dict  # ComponentDescriptor -> pa.ListArray (untyped here to keep imports lazy)
    every: int = 1  # write this entity once every `every` rounds (scalars are sparse next to points)


def _point_cloud_columns(rng, n_rows: int, points_per_row: int) -> dict:
    """Points3D positions (list<fixed_size_list<float32 not null>[3]>) and colors (list<uint32>)."""
    import numpy as np
    import pyarrow as pa

    from rerender.rrd import ComponentDescriptor

    n = n_rows * points_per_row
    offsets = pa.array(np.arange(0, n + 1, points_per_row, dtype=np.int32))
    xyz_type = pa.list_(pa.field("item", pa.float32(), nullable=False), 3)
    xyz = pa.FixedSizeListArray.from_arrays(
        pa.array(rng.standard_normal(3 * n, dtype=np.float32)), type=xyz_type
    )
    colors = pa.array(rng.integers(0, 1 << 32, n, dtype=np.uint32))
    archetype = "rerun.archetypes.Points3D"
    return {
        ComponentDescriptor("Points3D:positions", archetype, "rerun.components.Position3D"): (
            pa.ListArray.from_arrays(offsets, xyz)
        ),
        ComponentDescriptor("Points3D:colors", archetype, "rerun.components.Color"): (
            pa.ListArray.from_arrays(offsets, colors)
        ),
    }


def _scalar_columns(rng, n_rows: int) -> dict:
    """One float64 per row, as `rr.Scalars` logs it."""
    import numpy as np
    import pyarrow as pa

    from rerender.rrd import ComponentDescriptor

    offsets = pa.array(np.arange(n_rows + 1, dtype=np.int32))
    values = pa.array(np.cumsum(rng.standard_normal(n_rows)))
    desc = ComponentDescriptor("Scalars:scalars", "rerun.archetypes.Scalars", "rerun.components.Scalar")
    return {desc: pa.ListArray.from_arrays(offsets, values)}


def make_templates(seed: int = 0) -> list[Template]:
    """A lidar-like cloud, a smaller tracked-points cloud and a scalar plot, each ~1.5-2 MB a chunk."""
    import numpy as np

    rng = np.random.default_rng(seed)
    return [
        # 40k points x 16 B (xyz f32 + rgba u32) x 3 rows = 1.9 MB a chunk.
        Template("/world/lidar", 3, _point_cloud_columns(rng, 3, 40_000)),
        # 4k points x 16 B x 25 rows = 1.6 MB a chunk: many small rows, like per-frame tracks.
        Template("/world/tracks", 25, _point_cloud_columns(rng, 25, 4_000)),
        # 4096 rows: row ids + 2 timelines + offsets + values ~ 160 KB; rerun's 4096-row limit for these.
        Template("/plots/signal", 4096, _scalar_columns(rng, 4096), every=8),
    ]


def write_recording(path: Path, size_bytes: int) -> tuple[int, int]:
    """Write chunks round-robin until the file reaches `size_bytes`; returns (chunks, rows) written.

    Every chunk gets a fresh chunk id and fresh row ids (via `Chunk.build`, which reuses the component
    arrays without copying), so rerun sees distinct rows, as a long recording would have.
    """
    import numpy as np
    import pyarrow as pa

    from rerender.rrd import (
        Chunk,
        ComponentDescriptor,
        RrdWriter,
        StoreId,
        StoreInfo,
        StoreKind,
        StoreSource,
        TimeKind,
        Timeline,
        TuidGenerator,
    )

    gen = TuidGenerator()
    store = StoreId(StoreKind.RECORDING, os.urandom(16).hex(), "bench_rrd")
    frame_tl = Timeline("frame", TimeKind.SEQUENCE)
    time_tl = Timeline("log_time", TimeKind.TIMESTAMP)
    t0 = time.time_ns()
    frame_ns = 33_333_333  # 30 fps
    templates = make_templates()
    next_frame = {t.entity_path: 0 for t in templates}
    chunks = rows = 0
    with RrdWriter(path) as w:
        w.write_store_info(StoreInfo(store, StoreSource.python(*sys.version_info[:3])))
        archetype = "rerun.archetypes.TextDocument"
        text = ComponentDescriptor("TextDocument:text", archetype, "rerun.components.Text")
        doc = pa.ListArray.from_arrays(pa.array([0, 1], pa.int32()), pa.array(["synthetic benchmark data"]))
        w.write_chunk(store, Chunk.build("/world/readme", gen.next(), gen.next_row_ids(1), {}, {text: doc}))
        chunks, rows = 1, 1
        round_no = 0
        while w.bytes_written < size_bytes:
            for t in templates:
                if round_no % t.every:
                    continue
                first = next_frame[t.entity_path]
                frames = np.arange(first, first + t.rows_per_chunk, dtype=np.int64)
                next_frame[t.entity_path] += t.rows_per_chunk
                timelines = {frame_tl: frames, time_tl: t0 + frames * frame_ns}
                chunk = Chunk.build(
                    t.entity_path, gen.next(), gen.next_row_ids(t.rows_per_chunk), timelines, t.components
                )
                w.write_chunk(store, chunk)
                chunks += 1
                rows += t.rows_per_chunk
            round_no += 1
    return chunks, rows


# -- the workers (run as `bench_rrd.py _read FILE` etc. in a fresh interpreter) ---------------------


def worker_generate(path: str, size_mb: str) -> None:
    """Write the recording; prints `chunks rows` on stdout for the parent."""
    chunks, rows = write_recording(Path(path), int(float(size_mb) * MB))
    print(chunks, rows)


def worker_read(path: str) -> None:
    """Stream every message and fully decode each chunk (LZ4 + Arrow IPC + Chunk validation)."""
    from rerender.rrd import MessageKind, read_frames

    chunks = rows = 0
    for frame in read_frames(path):
        if frame.kind == MessageKind.ARROW_MSG:
            rows += frame.chunk.num_rows
            chunks += 1
    print(f"read {chunks} chunks, {rows} rows", file=sys.stderr)


def worker_reencode(path: str, out: str) -> None:
    """Copy every message, re-encoding each chunk (no `encoded=` reuse): the full write cost."""
    from rerender.rrd import MessageKind, RrdWriter, read_frames

    with RrdWriter(out) as w:
        for frame in read_frames(path):
            if frame.kind == MessageKind.SET_STORE_INFO:
                w.write_store_info(frame.message)
            elif frame.kind == MessageKind.BLUEPRINT_ACTIVATION:
                w.write_blueprint_activation(frame.message)
            elif frame.kind == MessageKind.ARROW_MSG:
                w.write_chunk(frame.store_id, frame.chunk)


WORKERS: dict[str, Callable[..., None]] = {
    "_generate": worker_generate,
    "_read": worker_read,
    "_reencode": worker_reencode,
}


# -- reporting ------------------------------------------------------------------------------------


def print_report(
    results: list[Result], file_bytes: int, chunks: int, rows: int, runs: int, load_before: float
) -> None:
    """The table and the PASS/FAIL goal lines."""
    by_name = {r.name: r for r in results}
    file_mb = file_bytes / MB
    file_mib = file_bytes / MIB
    print()
    print(f"file: {file_mb:.1f} MB ({file_mib:.1f} MiB), {chunks} chunks, {rows} rows; median of {runs} runs")
    print_environment(load_before)
    rows_out = []
    for r in results:
        ratio = f"{r.wall_s / by_name[r.anchor].wall_s:.2f}x" if r.anchor else "anchor"
        rows_out.append([r.name, f"{r.wall_s:.2f}", f"{file_mb / r.wall_s:.1f}", f"{r.rss_mib:.0f}", ratio])
    print_table(["case", "wall s", "MB/s", "peak RSS MiB", "vs anchor"], rows_out)
    print()
    read, stats = by_name["ours: read + decode"], by_name["rerun rrd stats"]
    ratio = read.wall_s / stats.wall_s
    print(f"read throughput within 2x of rerun CLI: ratio {ratio:.2f} (goal <= 2.0) {verdict(ratio <= 2.0)}")
    for r in results:
        if r.name.startswith("ours"):
            what = r.name.removeprefix("ours: ")
            ok = verdict(r.rss_mib < file_mib)
            peak = f"our {what} peak {r.rss_mib:.0f} MiB vs file {file_mib:.0f} MiB"
            print(f"peak memory below file size: {peak} {ok}")


def verify(rerun: str, paths: Sequence[Path]) -> None:
    """`rerun rrd verify` each file; raises if rerun rejects one."""
    for p in paths:
        t = time.perf_counter()
        done = subprocess.run([rerun, "rrd", "verify", str(p)], capture_output=True, text=True)
        status = "ok" if done.returncode == 0 else f"FAILED:\n{done.stdout}{done.stderr}"
        print(f"rerun rrd verify {p.name}: {status} ({time.perf_counter() - t:.1f} s)", file=sys.stderr)
        if done.returncode != 0:
            raise SystemExit(1)


# -- main -----------------------------------------------------------------------------------------


def run_benchmark(workdir: Path, size_mb: float, runs: int, check: bool) -> None:
    """Generate the recording in `workdir`, time every case, print the report."""
    load_before = os.getloadavg()[0]
    big = workdir / "big.rrd"
    me, py = str(Path(__file__).resolve()), sys.executable
    t = time.perf_counter()
    generated = subprocess.run(
        [py, me, "_generate", str(big), str(size_mb)], check=True, capture_output=True, text=True
    )
    chunks, rows = map(int, generated.stdout.split())
    size = big.stat().st_size
    print(f"generated {big} ({size / MB:.1f} MB) in {time.perf_counter() - t:.1f} s", file=sys.stderr)

    rerun = rerun_binary()
    filtered, reencoded, optimized = (
        workdir / name for name in ("filtered.rrd", "reencoded.rrd", "optimized.rrd")
    )
    cases = [
        ("ours: read + decode", [py, me, "_read", str(big)], None, "rerun rrd stats"),
        ("rerun rrd stats", [rerun, "rrd", "stats", str(big)], None, None),
        (
            "ours: rewrite (filter)",
            [rerender_binary(), "filter", str(big), "-o", str(filtered)],
            filtered,
            "rerun rrd optimize",
        ),
        (
            "ours: rewrite (re-encode)",
            [py, me, "_reencode", str(big), str(reencoded)],
            reencoded,
            "rerun rrd optimize",
        ),
        ("rerun rrd optimize", [rerun, "rrd", "optimize", str(big), "-o", str(optimized)], optimized, None),
    ]
    results = [measure(name, cmd, runs, out, anchor) for name, cmd, out, anchor in cases]
    if check:
        verify(rerun, [big, filtered, reencoded])
    print_report(results, size, chunks, rows, runs, load_before)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments; `_read`/`_reencode` are the internal worker entry points."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in WORKERS:
        WORKERS[argv[0]](*argv[1:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=520, help="recording size in MB (default 520)")
    parser.add_argument("--runs", type=int, default=3, help="counted runs per case, after 1 warm-up")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write files to DIR and keep them")
    parser.add_argument("--verify", action="store_true", help="run `rerun rrd verify` on the files (slow)")
    args = parser.parse_args(argv)
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        run_benchmark(args.keep, args.size_mb, args.runs, args.verify)
    else:
        with tempfile.TemporaryDirectory(prefix="bench_rrd_") as tmp:
            run_benchmark(Path(tmp), args.size_mb, args.runs, args.verify)


if __name__ == "__main__":
    main()
