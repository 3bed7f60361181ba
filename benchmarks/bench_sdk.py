"""Logging cost of `import rerender as rr` vs rerun-sdk 0.41, on rerun-sdk's own anchor scripts.

What it does:

1. Takes the logging anchors from `../shared/bench/anchors` (`--anchors DIR` to override; see the README
   and RESULTS.md section 3 there), which log with rerun-sdk 0.41 to an .rrd via `rr.save`:

     (a) `rr_dna.py OUT.rrd`                 Rerun's DNA abacus tutorial (3 + 800 `rr.log` calls)
     (b) `rr_scalars.py OUT.rrd 100000`      100,000 x `rr.set_time` + `rr.log(..., rr.Scalars(x))`
     (c) `rr_points.py OUT.rrd 1000 100000`  1,000 x `rr.log(..., rr.Points3D(100k points))`, ~1.2 GB

   and one script of ours, since there is no anchor for it (issue 15, "100,000 entities"):

     (d) `benchmarks/rr_many_entities.py OUT.rrd N`  N entities (`--entities`, default 10,000) of one
         point each, one `rr.log(f"points/{i}", rr.Points3D(...))` per entity

   and, at run time, writes the rerender variant of each into the temp dir: the same source with
   `import rerun as rr` -> `import rerender as rr` and `from rerun.utilities import` ->
   `from rerender.utilities import`. No anchor code is copied into this repository; (d) is swapped the
   same way.
2. Times both variants of a case as whole separate processes, in rounds (one warm-up round, then `--runs`
   counted rounds, each running rerun-sdk then rerender) so drifting load on a shared machine hits both
   alike; reports the median wall time, CPU time (user + sys, all threads) and peak RSS (`os.wait4`, as
   in bench_rrd.py: this parent imports only the standard library). Each run writes a fresh output file:
   the previous one is deleted and dirty pages are flushed (`os.sync`) before the run starts, outside
   the timing. That matches RESULTS.md's "a new output file each run" row for (c).
3. After the timed runs, checks the last output of each variant with `rerender info --json` (which decodes
   every chunk): footer present, not truncated, and the expected rows per entity (e.g. 800 + 3 data
   rows for DNA, not counting the `/__properties` row). rerun-sdk's output must pass the same check.
4. Prints a table, the in-process timings the anchors print on stderr (import / loop / close, from the
   last counted run), and the goal lines: wall time rerender / rerun-sdk <= 1.0 for every case, and for
   (c) also peak RSS at most half of rerun-sdk's.

(c) writes ~1.2 GB per run and keeps both variants' outputs until checked: it is skipped, with a message,
when the temp dir's file system has less than 4 GB free. Analytics are off (RERUN_ANALYTICS=0 and
`rerun analytics disable`).

Run (from the repository root):

    .venv/bin/python benchmarks/bench_sdk.py [--runs 3] [--cases a,b,c,d] [--anchors DIR] [--keep DIR]
                                             [--entities N]

`--keep DIR` writes the variants and the last outputs to DIR and leaves them there (for profiling);
otherwise a temp dir is used and removed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from _common import (
    MB,
    Result,
    measure_interleaved,
    print_environment,
    print_table,
    rerender_binary,
    rerun_binary,
    verdict,
)

DEFAULT_ANCHORS = Path(__file__).resolve().parents[2] / "shared/bench/anchors"
BENCH_DIR = Path(__file__).resolve().parent  # (d)'s script is ours: it lives here, not with the anchors
DEFAULT_ENTITIES = 10_000
MIN_FREE_FOR_POINTS = 4_000_000_000  # bytes: (c) writes ~1.2 GB per variant, both kept until checked
REPLACEMENTS = (
    ("import rerun as rr", "import rerender as rr"),
    ("from rerun.utilities import", "from rerender.utilities import"),
)
RERUN, OURS = "rerun-sdk", "rerender"


@dataclass(frozen=True)
class Case:
    """One anchor script, its arguments and what its recording must hold."""

    key: str
    title: str
    script: str
    args: tuple[str, ...]
    expected_rows: dict[str, int]  # data rows per entity path (`/__properties` and such excluded)
    min_free_bytes: int = 0
    memory_goal: bool = False  # also require our peak RSS <= half of rerun-sdk's
    ours: bool = False  # the script is in benchmarks/ rather than among the anchors

    def script_dir(self, anchors: Path) -> Path:
        """Where the rerun-sdk script of this case is."""
        return BENCH_DIR if self.ours else anchors


def many_entities_case(n: int) -> Case:
    """(d): `n` entities of one point each; `/points/0` is logged again at frame 1."""
    return Case(
        "d",
        f"{n:,} entities x Points3D(1 point)",
        "rr_many_entities.py",
        (str(n),),
        {f"/points/{i}": 2 if i == 0 else 1 for i in range(n)},
        ours=True,
    )


CASES = {
    c.key: c
    for c in (
        Case(
            "a",
            "DNA tutorial (3 + 800 log calls)",
            "rr_dna.py",
            (),
            {
                "/dna/structure/left": 1,
                "/dna/structure/right": 1,
                "/dna/structure/scaffolding": 1,
                "/dna/structure/scaffolding/beads": 400,
                "/dna/structure": 400,
            },
        ),
        Case("b", "100k set_time + Scalars", "rr_scalars.py", ("100000",), {"/plot/x": 100_000}),
        Case(
            "c",
            "1k x Points3D(100k points)",
            "rr_points.py",
            ("1000", "100000"),
            {"/points": 1000},
            min_free_bytes=MIN_FREE_FOR_POINTS,
            memory_goal=True,
        ),
        many_entities_case(DEFAULT_ENTITIES),
    )
}


@dataclass
class CaseOutcome:
    """Timings of both variants of one case, their output sizes and the output checks."""

    case: Case
    rerun: Result
    ours: Result
    sizes: dict[str, int]  # variant -> bytes of its last output
    checks: dict[str, str]  # variant -> "" if its output is valid, else what is wrong

    @property
    def wall_ratio(self) -> float:
        return self.ours.wall_s / self.rerun.wall_s

    @property
    def rss_ratio(self) -> float:
        return self.ours.rss_mib / self.rerun.rss_mib


# -- variants and checks --------------------------------------------------------------------------


def make_variant(anchor: Path, dest: Path) -> Path:
    """Write `anchor` with rerun's imports swapped for rerender's to `dest`; raises if nothing matched."""
    source = anchor.read_text()
    if REPLACEMENTS[0][0] not in source:
        raise SystemExit(f"{anchor}: no `{REPLACEMENTS[0][0]}` line to replace")
    for old, new in REPLACEMENTS:
        source = source.replace(old, new)
    leftover = [line for line in source.splitlines() if line.startswith(("import rerun", "from rerun"))]
    if leftover:
        raise SystemExit(f"{anchor}: rerun imports left after the swap: {leftover}")
    dest.write_text(source)
    return dest


def entity_rows(info: dict) -> dict[str, int]:
    """Data rows per entity of the single recording in `rerender info --json` output.

    A row can carry several components (Points3D positions + colors + radii), so an entity's rows are the
    most rows any of its components has; entities under `/__` (recording properties) are left out.
    """
    (store,) = [s for s in info["stores"] if s["kind"] == "recording"]
    return {
        e["path"]: max(c["static_rows"] + c["temporal_rows"] for c in e["components"])
        for e in store["entities"]
        if not e["path"].startswith("/__")
    }


def check_recording(path: Path, expected: dict[str, int]) -> str:
    """What is wrong with `path`, or "" if it decodes fully, has a footer and `expected` rows per entity."""
    done = subprocess.run([rerender_binary(), "info", str(path), "--json"], capture_output=True, text=True)
    if done.returncode != 0:
        return f"rerender info failed: {done.stderr.strip()[-300:]}"
    info = json.loads(done.stdout)
    if not info["footer"] or info["truncated"]:
        return f"footer={info['footer']} truncated={info['truncated']}"
    rows = entity_rows(info)
    if rows != expected:
        return f"rows per entity {rows}, expected {expected}"
    return ""


# -- running --------------------------------------------------------------------------------------


def disable_analytics() -> None:
    """RERUN_ANALYTICS=0 for every child, and `rerun analytics disable` once (best effort)."""
    os.environ["RERUN_ANALYTICS"] = "0"
    subprocess.run([rerun_binary(), "analytics", "disable"], capture_output=True, check=False)


def run_case(case: Case, anchors: Path, workdir: Path, runs: int, keep: bool) -> CaseOutcome:
    """Time both variants of `case` in rounds, then check and (unless `keep`) delete their outputs."""
    source = case.script_dir(anchors) / case.script
    variant = make_variant(source, workdir / f"rerender_{case.script}")
    py = sys.executable
    outputs = {RERUN: workdir / f"{case.key}_rerun.rrd", OURS: workdir / f"{case.key}_rerender.rrd"}
    names = {RERUN: f"({case.key}) {RERUN}", OURS: f"({case.key}) {OURS}"}
    rerun, ours = measure_interleaved(
        [
            (
                names[RERUN],
                [py, str(source), str(outputs[RERUN]), *case.args],
                outputs[RERUN],
                None,
            ),
            (names[OURS], [py, str(variant), str(outputs[OURS]), *case.args], outputs[OURS], names[RERUN]),
        ],
        runs,
    )
    sizes = {v: p.stat().st_size for v, p in outputs.items()}
    checks = {}
    for v, p in outputs.items():
        t = time.perf_counter()
        checks[v] = check_recording(p, case.expected_rows)
        status = checks[v] or "ok"
        print(f"  check {p.name}: {status} ({time.perf_counter() - t:.1f} s)", file=sys.stderr, flush=True)
        if not keep:
            p.unlink()
    return CaseOutcome(case, rerun, ours, sizes, checks)


def select_cases(cases: dict[str, Case], keys: Sequence[str], workdir: Path) -> list[Case]:
    """The requested cases, minus those needing more free disk than `workdir`'s file system has."""
    chosen = []
    for key in keys:
        case = cases[key]
        free = shutil.disk_usage(workdir).free
        if free < case.min_free_bytes:
            need, have = case.min_free_bytes / MB / 1000, free / MB / 1000
            print(f"skipping ({key}) {case.title}: {have:.1f} GB free in {workdir}, needs {need:.0f} GB")
            continue
        chosen.append(case)
    return chosen


# -- reporting ------------------------------------------------------------------------------------


def print_report(outcomes: list[CaseOutcome], runs: int, load_before: float) -> None:
    """The table, the anchors' own in-process timings, and the PASS/FAIL goal lines."""
    print()
    print(f"rerun-sdk 0.41 anchors vs the same scripts on rerender; median of {runs} runs (after 1 warm-up)")
    print_environment(load_before)
    rows = []
    for o in outcomes:
        for r, v in ((o.rerun, RERUN), (o.ours, OURS)):
            ours = v == OURS
            rows.append(
                [
                    f"({o.case.key}) {o.case.title}" if not ours else "",
                    v,
                    f"{r.wall_s:.2f}",
                    f"{min(r.walls):.2f}-{max(r.walls):.2f}",
                    f"{r.cpu_s:.2f}",
                    f"{r.rss_mib:.0f}",
                    f"{o.sizes[v] / MB:.1f}",
                    f"{o.wall_ratio:.2f}x" if ours else "anchor",
                    f"{o.rss_ratio:.2f}x" if ours else "anchor",
                ]
            )
    headers = [
        "case",
        "variant",
        "wall s",
        "min-max",
        "cpu s",
        "peak MiB",
        "file MB",
        "wall ratio",
        "RSS ratio",
    ]
    print_table(headers, rows)
    print()
    print("in-process timings (stderr of the last counted run):")
    for o in outcomes:
        for r in (o.rerun, o.ours):
            print(f"  {r.name:<16} {r.last_stderr.strip()}")
    print()
    for o in outcomes:
        label = f"({o.case.key}) {o.case.title}"
        ok = verdict(o.wall_ratio <= 1.0)
        print(f"{label}: wall ratio rerender/rerun-sdk {o.wall_ratio:.2f} (goal <= 1.0) {ok}")
        if o.case.memory_goal:
            peak = f"{o.ours.rss_mib:.0f} vs {o.rerun.rss_mib:.0f} MiB, ratio {o.rss_ratio:.2f}"
            ok = verdict(o.rss_ratio <= 0.5)
            print(f"{label}: peak RSS at most half of rerun-sdk's: {peak} (goal <= 0.5) {ok}")
        for v in (OURS, RERUN):
            problem = o.checks[v]
            print(f"{label}: {v} output is a valid recording: {problem or 'ok'} {verdict(not problem)}")


# -- main -----------------------------------------------------------------------------------------


def run_benchmark(
    cases: dict[str, Case], anchors: Path, workdir: Path, keys: Sequence[str], runs: int, keep: bool
) -> None:
    """Time every selected case in `workdir` and print the report."""
    load_before = os.getloadavg()[0]
    disable_analytics()
    outcomes = [run_case(case, anchors, workdir, runs, keep) for case in select_cases(cases, keys, workdir)]
    if outcomes:
        print_report(outcomes, runs, load_before)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="counted runs per case, after 1 warm-up")
    parser.add_argument("--cases", default="a,b,c,d", help="comma-separated subset of a,b,c,d (default all)")
    parser.add_argument("--anchors", type=Path, default=DEFAULT_ANCHORS, help="folder of the rr_*.py anchors")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write files to DIR and keep them")
    parser.add_argument(
        "--entities", type=int, default=DEFAULT_ENTITIES, metavar="N", help="entities in (d), at most 125000"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.entities <= 125_000:
        parser.error(f"--entities {args.entities}: expected 1 to 125000 (the points of a 50^3 grid)")
    cases = {**CASES, "d": many_entities_case(args.entities)}
    keys = [k.strip() for k in args.cases.split(",") if k.strip()]
    unknown = sorted(set(keys) - set(cases))
    if unknown or not keys:
        parser.error(f"--cases: unknown {unknown}; choose from {','.join(cases)}")
    missing = [
        cases[k].script for k in keys if not (cases[k].script_dir(args.anchors) / cases[k].script).exists()
    ]
    if missing:
        parser.error(f"--anchors {args.anchors}: missing {missing}")
    anchors = args.anchors.resolve()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        run_benchmark(cases, anchors, args.keep.resolve(), keys, args.runs, keep=True)
    else:
        with tempfile.TemporaryDirectory(prefix="bench_sdk_") as tmp:
            run_benchmark(cases, anchors, Path(tmp), keys, args.runs, keep=False)


if __name__ == "__main__":
    main()
