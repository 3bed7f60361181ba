"""Latest-at over every tick: rerender's `Recording.sweep` vs Rerun's own query engine (rerun-sdk 0.41).

What it does:

1. Writes, in a subprocess, a recording of `--entities` (default 1,000) entities x `--ticks` (default
   1,000) ticks on the sequence timeline `frame`, plus 50 static entities: each entity logs
   `--points` (default 4) Points3D positions + colors at every tick, with one `rr.send_columns` per
   entity (one chunk of `--ticks` rows each); the static entities are `rr.log(..., static=True)` calls.
   `--writer rerun` (default) writes it with rerun-sdk, `--writer rerender` with `import rerender as rr`
   (same API).
2. Times, as whole separate processes in rounds (one warm-up round, then `--runs` counted rounds, each
   running both sides, so drifting load on a shared machine hits both alike):

     ours   `rec = rerender.load(path)`, then `for t, state in rec.sweep("frame")`, listing each state's
            entities (the goal is taken on this); then, on the loaded recording, the sweep again reading
            every value in Python (the sum of `len(value.values)`), and `rec.latest_at_columns` at every
            tick, the columnar form that matches what Rerun's reader returns (both for information)
     rerun  `rerun.server.Server(host="127.0.0.1", port=0, datasets={"d": [path]})`, then
            `dataset.reader(index="frame", fill_latest_at=True, using_index_values={segment: ticks})`
            materialized with `.to_arrow_table()` (one row per tick, one column per entity and component)

   Each process also prints its in-process timings (after imports; rerun's also after the server has
   started and registered the file) on stderr; the medians over the counted runs are reported. The goal
   (ours <= 1.0x rerun) is taken on those in-process query times, imports and server start excluded:
   the fairer comparison. Our query time counts `load` (footer manifest, no chunk decoded) as well as
   the sweep (which decodes the chunks and builds the indexes), so it is the conservative side. Both
   sides count the instances they saw (static ones included, `/__properties` left out); the counts
   must agree.
3. Scaling: recordings of 10 entities (the same count for all three) x 1k, 10k and 100k ticks (plus 5
   static entities), each timed in a fresh process: a full sweep (load included) per tick in µs (goal:
   flat, the 100k per-tick time within 1.5x of the 1k one), and `latest_at` of every entity at 50
   random times, per call in µs after one untimed call that builds the indexes (expected ~log n; the
   line checks the 100k one is within 2x of the 1k one, log(1e5)/log(1e3) being 1.67).

Run (from the repository root):

    .venv/bin/python benchmarks/bench_query.py [--runs 3] [--entities 1000] [--ticks 1000] [--keep DIR]

`--keep DIR` writes the recordings to DIR and leaves them there (for profiling, e.g.
`.venv/bin/python -m cProfile -s tottime benchmarks/bench_query.py _ours DIR/query.rrd`); otherwise a
temp dir is used and removed. Analytics are off (RERUN_ANALYTICS=0).

This parent imports only the standard library (see bench_rrd.py's docstring on peak RSS); the workers
(`bench_query.py _generate|_ours|_rerun|_scale ...`) do the real work. Process timing and the table are
shared with bench_sdk.py and bench_rrd.py (_common.py).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from _common import MB, Result, print_environment, print_table, run_once, verdict

TIMELINE = "frame"
MARK = "BENCH_QUERY "  # prefix of the workers' JSON timing line on stderr
MAIN_STATIC = 50  # static entities in the main recording
SCALE_ENTITIES, SCALE_STATIC = 10, 5
SCALE_TICKS = (1_000, 10_000, 100_000)
RANDOM_TIMES = 50  # latest_at calls per size in the scaling part
OURS, RERUN = "rerender sweep", "rerun server query"

if TYPE_CHECKING:  # the parent imports only the standard library; the workers import these lazily
    import pyarrow as pa

    from rerender.store import Recording


# -- recording generation (worker side) -----------------------------------------------------------


def write_recording(path: Path, writer: str, entities: int, ticks: int, statics: int, points: int) -> None:
    """`entities` x `ticks` rows of Points3D (positions + colors) on `frame`, plus `statics` static ones.

    `writer` is the module to log with: "rerun" (rerun-sdk) or "rerender" (same API). One
    `send_columns` per entity: every tick gets `points` random points and colors.
    """
    import importlib

    import numpy as np

    rr = importlib.import_module(writer)
    rng = np.random.default_rng(0)
    rr.init("bench_query", recording_id=f"bench_query_{entities}x{ticks}", spawn=False)
    rr.save(str(path))
    frames = np.arange(ticks, dtype=np.int64)
    lengths = np.full(ticks, points, dtype=np.int64)
    n = ticks * points
    for e in range(entities):
        positions = rng.standard_normal((n, 3), dtype=np.float32)
        colors = rng.integers(0, 1 << 32, n, dtype=np.uint32)
        rr.send_columns(
            f"/world/e{e:05d}",
            indexes=[rr.TimeColumn(TIMELINE, sequence=frames)],
            columns=rr.Points3D.columns(positions=positions, colors=colors).partition(lengths),
        )
    for s in range(statics):
        positions = rng.standard_normal((points, 3), dtype=np.float32)
        rr.log(f"/static/s{s:03d}", rr.Points3D(positions, colors=[255, 0, 0]), static=True)
    rr.disconnect()


# -- the workers (run as `bench_query.py _ours FILE` etc. in a fresh interpreter) ------------------


def report(**timings: float | int) -> None:
    """The worker's in-process timings, as one JSON line on stderr for the parent."""
    print(MARK + json.dumps(timings), file=sys.stderr, flush=True)


def worker_generate(path: str, writer: str, entities: str, ticks: str, statics: str, points: str) -> None:
    """Write one recording (see `write_recording`)."""
    write_recording(Path(path), writer, int(entities), int(ticks), int(statics), int(points))


def sweep_states(rec: Recording) -> int:
    """Sweep `frame` over every tick, listing each state's entities (values are read lazily)."""
    ticks = 0
    for _, state in rec.sweep(TIMELINE):
        sum(1 for _ in state)
        ticks += 1
    return ticks


def sweep_reading_values(rec: Recording) -> tuple[int, int]:
    """Sweep `frame` over every tick and read every value of every entity; (ticks, instances seen)."""
    ticks = instances = 0
    for _, state in rec.sweep(TIMELINE):
        for path, components in state.items():
            n = sum(len(v.values) for v in components.values())
            if not path.startswith("/__"):
                instances += n
        ticks += 1
    return ticks, instances


def columns_instances(rec: Recording) -> int:
    """Latest-at at every tick as columns (the shape of Rerun's reader); instances seen."""
    columns = rec.latest_at_columns(TIMELINE, rec.ticks(TIMELINE))
    return sum(
        len(column.flatten())
        for path, comps in columns.items()
        if not path.startswith("/__")
        for column in comps.values()
    )


def worker_ours(path: str) -> None:
    """Load + sweep with rerender; in-process timings exclude the imports.

    The goal is taken on load + a sweep producing the state at every tick (it decodes the chunks and
    builds the indexes). Two more passes over the loaded recording are timed for information: the
    sweep again, reading every value in Python, and the columnar `latest_at_columns` at every tick.
    """
    import pyarrow.compute  # noqa: F401  (`load` imports it on first use, via `Array.cast`)

    import rerender

    rerender.load  # noqa: B018  (`rerender` imports its store, numpy and pyarrow on first use of `load`)
    clock = time.perf_counter
    start = clock()
    rec = rerender.load(path)
    loaded = clock()
    ticks = sweep_states(rec)
    swept = clock()
    _, instances = sweep_reading_values(rec)
    read = clock()
    column_instances = columns_instances(rec)
    done = clock()
    assert column_instances == instances, (column_instances, instances)
    report(
        load_s=loaded - start,
        sweep_s=swept - loaded,
        read_s=read - swept,
        columns_s=done - read,
        ticks=ticks,
        instances=instances,
    )


def count_instances(table: pa.Table) -> int:
    """Instances in every data cell of a dataframe-reader table (the list lengths, nulls counting 0)."""
    import pyarrow.compute as pc

    total = 0
    for field, column in zip(table.schema, table.columns, strict=True):
        if (field.metadata or {}).get(b"rerun:kind") == b"data":
            total += pc.sum(pc.list_value_length(column)).as_py() or 0
    return total


def worker_rerun(path: str, ticks: str) -> None:
    """Start Rerun's server with the file registered, then query latest-at at every tick 0..ticks-1."""
    import numpy as np
    import rerun as rr

    start = time.perf_counter()
    server = rr.server.Server(host="127.0.0.1", port=0, datasets={"d": [str(Path(path).resolve())]})
    try:
        started = time.perf_counter()
        dataset = server.client().get_dataset("d")
        (segment,) = dataset.segment_ids()
        frames = np.arange(int(ticks), dtype=np.int64)
        reader = dataset.reader(index=TIMELINE, fill_latest_at=True, using_index_values={segment: frames})
        table = reader.to_arrow_table()
        done = time.perf_counter()
        report(
            server_s=started - start,
            query_s=done - started,
            ticks=table.num_rows,
            columns=table.num_columns,
            instances=count_instances(table),
        )
    finally:
        server.shutdown()


def worker_scale(path: str, runs: str) -> None:
    """Per tick: a full load + sweep (median of `runs`), and `latest_at` at random times (median call)."""
    import numpy as np
    import pyarrow.compute  # noqa: F401  (see worker_ours)

    import rerender

    rerender.load  # noqa: B018  (imports the store: see worker_ours)
    sweeps = []
    for _ in range(int(runs)):
        start = time.perf_counter()
        ticks, _ = sweep_reading_values(rerender.load(path))
        sweeps.append((time.perf_counter() - start) / ticks)
    rec = rerender.load(path)
    times = np.random.default_rng(1).integers(0, ticks, RANDOM_TIMES)
    start = time.perf_counter()
    rec.latest_at(TIMELINE, int(times[0]))  # builds the indexes
    first = time.perf_counter() - start
    calls = []
    for _ in range(int(runs)):
        for t in times:
            start = time.perf_counter()
            state = rec.latest_at(TIMELINE, int(t))
            calls.append(time.perf_counter() - start)
            assert len(state) >= SCALE_ENTITIES, f"latest_at({t}) saw {len(state)} entities"
    report(
        ticks=ticks,
        sweep_per_tick_s=statistics.median(sweeps),
        latest_at_first_s=first,
        latest_at_call_s=statistics.median(calls),
    )


WORKERS: dict[str, Callable[..., None]] = {
    "_generate": worker_generate,
    "_ours": worker_ours,
    "_rerun": worker_rerun,
    "_scale": worker_scale,
}


# -- timing (parent side) ---------------------------------------------------------------------------


@dataclass
class Timed:
    """A case's whole-process result and the in-process timings of each counted run."""

    result: Result
    inner: list[dict[str, float]]

    def median(self, key: str) -> float:
        """Median over the counted runs of one in-process timing."""
        return statistics.median(d[key] for d in self.inner)


def parse_report(stderr: str) -> dict[str, float]:
    """The worker's JSON timing line (the last one marked) from its stderr."""
    lines = [line for line in stderr.splitlines() if line.startswith(MARK)]
    if not lines:
        raise RuntimeError(f"no timing line in the worker's stderr:\n{stderr[-2000:]}")
    return json.loads(lines[-1][len(MARK) :])


def measure_rounds(cases: Sequence[tuple[str, Sequence[str], str | None]], runs: int) -> list[Timed]:
    """A warm-up round, then `runs` counted rounds of every (name, cmd, anchor) case, keeping each
    counted run's in-process timings (as `_common.measure_interleaved`, which keeps only the last)."""
    kept: list[list] = [[] for _ in cases]
    for k in range(runs + 1):
        label = "warm-up" if k == 0 else f"run {k}"
        for (name, cmd, _), runs_of_case in zip(cases, kept, strict=True):
            s = run_once(cmd)
            inner = parse_report(s.stderr)
            if k > 0:
                runs_of_case.append((s, inner))
            line = f"  {name:<20} {label:<8} {s.wall_s:7.2f} s  {s.rss_mib:6.0f} MiB  cpu {s.cpu_s:6.2f} s"
            print(f"{line}  {json.dumps(inner)}", file=sys.stderr, flush=True)
    out = []
    for (name, _, anchor), runs_of_case in zip(cases, kept, strict=True):
        stats = [s for s, _ in runs_of_case]
        result = Result(
            name,
            statistics.median(s.wall_s for s in stats),
            statistics.median(s.rss_mib for s in stats),
            anchor,
            statistics.median(s.cpu_s for s in stats),
            [s.wall_s for s in stats],
            stats[-1].stderr,
        )
        out.append(Timed(result, [inner for _, inner in runs_of_case]))
    return out


def generate(me: str, path: Path, writer: str, entities: int, ticks: int, statics: int, points: int) -> None:
    """Write one recording in a subprocess (the parent stays lean)."""
    t = time.perf_counter()
    args = [str(path), writer, str(entities), str(ticks), str(statics), str(points)]
    subprocess.run([sys.executable, me, "_generate", *args], check=True)
    size = path.stat().st_size / MB
    took = time.perf_counter() - t
    what = f"{entities} x {ticks} + {statics} static"
    print(f"generated {path.name}: {what}, {size:.1f} MB in {took:.1f} s", file=sys.stderr, flush=True)


def run_scaling(me: str, workdir: Path, writer: str, points: int, runs: int) -> list[dict[str, float]]:
    """Generate and time the three scaling recordings, one fresh process each."""
    out = []
    for ticks in SCALE_TICKS:
        path = workdir / f"scale_{ticks}.rrd"
        generate(me, path, writer, SCALE_ENTITIES, ticks, SCALE_STATIC, points)
        inner = parse_report(run_once([sys.executable, me, "_scale", str(path), str(runs)]).stderr)
        inner["file_mb"] = path.stat().st_size / MB
        print(f"  scale {ticks:>7} ticks  {json.dumps(inner)}", file=sys.stderr, flush=True)
        out.append(inner)
    return out


# -- reporting ------------------------------------------------------------------------------------


def compare(label: str, ours: float, rerun: float, fmt: str = "{:.3f}") -> list[str]:
    """A table row: both values and their ratio."""
    return [label, fmt.format(ours), fmt.format(rerun), f"{ours / rerun:.2f}x"]


def print_query_report(ours: Timed, rerun: Timed, args: argparse.Namespace, file_mb: float) -> None:
    """(a)/(b): whole-process and in-process times of both sides, the ratios and the goal line."""
    print()
    what = f"{args.entities} entities x {args.ticks} ticks + {MAIN_STATIC} static, {args.points} points"
    print(f"(a)/(b) latest-at at every tick: {what} each, {file_mb:.1f} MB written by {args.writer}")
    print(f"median of {args.runs} runs (after 1 warm-up)")
    our_query = ours.median("load_s") + ours.median("sweep_s")
    rerun_query = rerun.median("query_s")
    o, r = ours.result, rerun.result
    rows = [
        compare("whole process (wall s)", o.wall_s, r.wall_s, "{:.2f}"),
        ["  min-max", f"{min(o.walls):.2f}-{max(o.walls):.2f}", f"{min(r.walls):.2f}-{max(r.walls):.2f}", ""],
        compare("  cpu s (all threads)", o.cpu_s, r.cpu_s, "{:.2f}"),
        compare("  peak RSS MiB", o.rss_mib, r.rss_mib, "{:.0f}"),
        [
            "in-process: load / server start",
            f"{ours.median('load_s'):.3f}",
            f"{rerun.median('server_s'):.3f}",
            "",
        ],
        compare("in-process: sweep (state at every tick) / query", ours.median("sweep_s"), rerun_query),
        compare("in-process query (goal): load + sweep", our_query, rerun_query),
        compare("  sweep again, reading every value in Python", ours.median("read_s"), rerun_query),
        compare("  latest_at_columns at every tick (columnar)", ours.median("columns_s"), rerun_query),
        compare("  per tick (ms)", 1e3 * our_query / args.ticks, 1e3 * rerun_query / args.ticks),
    ]
    print_table(["", OURS, RERUN, "ours/rerun"], rows)
    mine, theirs = ours.inner[-1], rerun.inner[-1]  # the last counted run of each
    same = mine["instances"] == theirs["instances"] and mine["ticks"] == theirs["ticks"] == args.ticks
    seen = f"ticks seen: ours {mine['ticks']}, rerun {theirs['ticks']} rows x {theirs['columns']} columns"
    counts = f"instances seen: ours {mine['instances']}, rerun {theirs['instances']}"
    print(f"{seen}; {counts}: {verdict(same)}")
    ratio = our_query / rerun_query
    what = "ours (load + sweep) / rerun (query after server start), in-process"
    print(f"{what}: {ratio:.2f}x (goal <= 1.0) {verdict(ratio <= 1.0)}")
    whole = ours.result.wall_s / rerun.result.wall_s
    print(f"whole processes (imports and server start included; for information): {whole:.2f}x")


def print_scaling_report(scaling: list[dict[str, float]]) -> None:
    """(c): per-tick sweep and per-call latest_at for the three sizes, and the goal lines."""
    print()
    sizes = f"{SCALE_ENTITIES} entities + {SCALE_STATIC} static"
    print(f"(c) scaling: {sizes}; in-process timings, a fresh process per size")
    base = scaling[0]
    rows = [
        [
            f"{int(s['ticks']):,}",
            f"{s['file_mb']:.1f}",
            f"{1e6 * s['sweep_per_tick_s']:.1f}",
            f"{s['sweep_per_tick_s'] / base['sweep_per_tick_s']:.2f}x",
            f"{1e3 * s['latest_at_first_s']:.1f}",
            f"{1e6 * s['latest_at_call_s']:.1f}",
            f"{s['latest_at_call_s'] / base['latest_at_call_s']:.2f}x",
        ]
        for s in scaling
    ]
    headers = ["ticks", "file MB", "sweep µs/tick", "vs 1k", "latest_at 1st ms", "latest_at µs/call", "vs 1k"]
    print_table(headers, rows)
    last = scaling[-1]
    sweep = last["sweep_per_tick_s"] / base["sweep_per_tick_s"]
    n_last, n_base = int(last["ticks"]), int(base["ticks"])
    sizes = f"{n_last:,} vs {n_base:,} ticks"
    print(f"sweep per tick flat: {sizes} {sweep:.2f}x (goal <= 1.5) {verdict(sweep <= 1.5)}")
    lat = last["latest_at_call_s"] / base["latest_at_call_s"]
    log_ratio = math.log(n_last) / math.log(n_base)
    expected = f"log ratio {log_ratio:.2f}"
    print(f"latest_at per call ~log n: {sizes} {lat:.2f}x ({expected}; goal <= 2.0) {verdict(lat <= 2.0)}")


# -- main -----------------------------------------------------------------------------------------


def run_benchmark(workdir: Path, args: argparse.Namespace) -> None:
    """Generate the recordings in `workdir`, time (a)/(b) and (c), print the report."""
    load_before = os.getloadavg()[0]
    os.environ["RERUN_ANALYTICS"] = "0"
    me = str(Path(__file__).resolve())
    py = sys.executable
    main_file = workdir / "query.rrd"
    generate(me, main_file, args.writer, args.entities, args.ticks, MAIN_STATIC, args.points)
    ours, rerun = measure_rounds(
        [
            (OURS, [py, me, "_ours", str(main_file)], RERUN),
            (RERUN, [py, me, "_rerun", str(main_file), str(args.ticks)], None),
        ],
        args.runs,
    )
    scaling = run_scaling(me, workdir, args.writer, args.points, args.runs)
    print_query_report(ours, rerun, args, main_file.stat().st_size / MB)
    print_scaling_report(scaling)
    print()
    print_environment(load_before)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments; `_generate`/`_ours`/`_rerun`/`_scale` are the internal worker entry points."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in WORKERS:
        WORKERS[argv[0]](*argv[1:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="counted runs per case, after 1 warm-up")
    parser.add_argument("--entities", type=int, default=1000, help="temporal entities (default 1000)")
    parser.add_argument("--ticks", type=int, default=1000, help="ticks on `frame` (default 1000)")
    parser.add_argument("--points", type=int, default=4, help="points per entity per tick (default 4)")
    parser.add_argument(
        "--writer", choices=("rerun", "rerender"), default="rerun", help="SDK that writes the files"
    )
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write files to DIR and keep them")
    args = parser.parse_args(argv)
    if min(args.runs, args.entities, args.ticks, args.points) < 1:
        parser.error("--runs, --entities, --ticks and --points must be positive")
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        run_benchmark(args.keep.resolve(), args)
    else:
        with tempfile.TemporaryDirectory(prefix="bench_query_") as tmp:
            run_benchmark(Path(tmp), args)


if __name__ == "__main__":
    main()
