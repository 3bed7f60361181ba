"""Helpers shared by the benchmark scripts: whole-process timing, the rerun/rerender binaries, reporting.

Standard library only: a benchmark's parent process must stay lean, because Linux folds the spawning
process's peak RSS into a child's ru_maxrss at exec (see bench_rrd.py's docstring).
"""

from __future__ import annotations

import importlib.util
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

MB = 1_000_000
MIB = 1 << 20
REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class RunStats:
    """One finished process: wall seconds, peak RSS MiB, CPU seconds (user + sys) and its stderr."""

    wall_s: float
    rss_mib: float
    cpu_s: float
    stderr: str


@dataclass
class Result:
    """Median wall time, peak RSS and CPU time over the counted runs of one case."""

    name: str
    wall_s: float
    rss_mib: float
    anchor: str | None  # name of the case this one is compared against
    cpu_s: float = 0.0
    walls: list[float] = field(default_factory=list)  # every counted run, for the spread
    last_stderr: str = ""  # the last counted run's stderr (in-process timings, if the command prints any)


def run_once(cmd: Sequence[str], env: dict[str, str] | None = None) -> RunStats:
    """Run `cmd` to completion (cwd: the repository root) and measure it.

    `os.wait4` gives the rusage of exactly this child, its waited-for descendants included (unlike
    RUSAGE_CHILDREN, which accumulates over every child this process ever reaped). ru_maxrss is in KiB
    on Linux. Raises RuntimeError, with the child's stderr, if it exits non-zero.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO, env=env)
    # Drain stderr before waiting so a chatty child cannot block on a full pipe.
    with proc.stderr as pipe:  # type: ignore[union-attr]  (stderr=PIPE, so never None)
        err = pipe.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen it was reaped
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{err}")
    return RunStats(wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, err)


def prepare_run(output: Path | None) -> None:
    """Delete `output` (each run writes a fresh file, as a user would) and flush dirty pages to disk, so
    a previous run's writeback does not land in the next run's timing."""
    if output is not None:
        output.unlink(missing_ok=True)
        os.sync()


def measure(name: str, cmd: Sequence[str], runs: int, cleanup: Path | None, anchor: str | None) -> Result:
    """One warm-up, then `runs` counted runs; median wall and median peak RSS (as timeit3.sh does)."""
    return measure_interleaved([(name, cmd, cleanup, anchor)], runs)[0]


def _run_case(name: str, cmd: Sequence[str], cleanup: Path | None, is_anchor: bool) -> RunStats:
    """One run of a case. An anchor killed by a signal gets one more try, said out loud: pyrender 0.1.45
    now and then segfaults while tearing down its EGL context at exit, after its work is done."""
    prepare_run(cleanup)
    try:
        return run_once(cmd)
    except RuntimeError as err:
        if not is_anchor or " exited -" not in str(err).splitlines()[0]:
            raise
        print(f"  {name}: killed by a signal ({str(err).splitlines()[0]}); running it again", file=sys.stderr)
        prepare_run(cleanup)
        return run_once(cmd)


def measure_interleaved(
    cases: Sequence[tuple[str, Sequence[str], Path | None, str | None]], runs: int
) -> list[Result]:
    """Like `measure` for each (name, cmd, output to delete first, anchor name) case, but run in rounds
    (a warm-up round, then `runs` counted rounds, each running every case once), so that drifting load
    on a shared machine hits the compared cases alike."""
    stats: list[list[RunStats]] = [[] for _ in cases]
    for k in range(runs + 1):
        label = "warm-up" if k == 0 else f"run {k}"
        for (name, cmd, cleanup, anchor), kept in zip(cases, stats, strict=True):
            s = _run_case(name, cmd, cleanup, is_anchor=anchor is None)
            if k > 0:
                kept.append(s)
            line = f"  {name:<34} {label:<8} {s.wall_s:7.2f} s  {s.rss_mib:8.0f} MiB  cpu {s.cpu_s:6.2f} s"
            print(line, file=sys.stderr, flush=True)
    return [
        Result(
            name,
            statistics.median(s.wall_s for s in kept),
            statistics.median(s.rss_mib for s in kept),
            anchor,
            statistics.median(s.cpu_s for s in kept),
            [s.wall_s for s in kept],
            kept[-1].stderr,
        )
        for (name, _, _, anchor), kept in zip(cases, stats, strict=True)
    ]


def rerun_binary() -> str:
    """The rerun CLI binary itself, bypassing the Python `rerun` wrapper (which adds a process)."""
    # find_spec locates the package without importing it (the parent must stay small, see above).
    spec = importlib.util.find_spec("rerun_cli")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        exe = Path(folder) / "rerun"
        if exe.exists():
            return str(exe)
    return shutil.which("rerun") or str(Path(sys.executable).parent / "rerun")


def rerender_binary() -> str:
    """`rerender` console script next to this interpreter (the venv's), else from PATH."""
    local = Path(sys.executable).parent / "rerender"
    return str(local) if local.exists() else (shutil.which("rerender") or "rerender")


@dataclass
class Server:
    """A `rerender serve` started by a benchmark: its process (stderr piped) and the URL clients use."""

    process: subprocess.Popen[str]
    url: str


def start_server(out: Path, env: dict[str, str]) -> Server:
    """`rerender serve --port 0 --out OUT`, once it listens (its first line names the URL)."""
    process = subprocess.Popen(
        [rerender_binary(), "serve", "--port", "0", "--out", str(out)],
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )
    assert process.stderr is not None
    url = process.stderr.readline().split("listening on ")[1].split(",")[0]
    return Server(process, url)


def print_environment(load_before: float) -> None:
    """The launcher's own peak RSS (a floor under every measured peak) and the load average."""
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(peak RSS includes this launcher's {floor:.0f} MiB as a floor; see bench_rrd.py's docstring)")
    # Other work on a small machine skews wall times; the load average says whether it was quiet.
    load_after = os.getloadavg()[0]
    print(f"load average (1 min) before/after: {load_before:.2f}/{load_after:.2f} on {os.cpu_count()} cores")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A plain-text table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        return "  ".join([first, *(c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))])

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))


def verdict(ok: bool) -> str:
    """PASS or FAIL."""
    return "PASS" if ok else "FAIL"
