"""The order jobs run in: a job reads files, and the job that writes one of them runs before it.

`build_graph` checks that every output is written by one job, that every input exists or is some job's
output, and that no jobs wait on each other in a cycle; each problem is one `PipelineError` naming the
file, line and key.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .model import Job, PipelineError, show_path


@dataclass(frozen=True)
class JobGraph:
    """Jobs in an order where each comes after the jobs it needs (file order otherwise), and what each
    needs: the names of the jobs whose outputs it reads."""

    jobs: tuple[Job, ...]
    needs: Mapping[str, tuple[str, ...]]


def build_graph(jobs: Sequence[Job], root: Path) -> JobGraph:
    makers = _makers(jobs, root)
    needs: dict[str, tuple[str, ...]] = {}
    for job in jobs:
        found: list[str] = []
        for item in job.inputs:
            maker = makers.get(item.path)
            if maker is None:
                if not item.path.exists():
                    raise job.source.error(item.key, _missing(item.path, job, makers, root))
            elif maker is job:
                raise job.source.error(
                    item.key,
                    f"{show_path(item.path, root)} is this job's own output; expected an input made "
                    "before it",
                )
            elif maker.name not in found:
                found.append(maker.name)
        needs[job.name] = tuple(found)
    return JobGraph(_order(jobs, needs, makers, root), needs)


def _makers(jobs: Sequence[Job], root: Path) -> dict[Path, Job]:
    """Which job writes each output; two jobs writing one file is an error."""
    makers: dict[Path, Job] = {}
    for job in jobs:
        for out in job.outputs:
            other = makers.get(out)
            if other is not None:
                where = other.source.line(other.output_key)
                at = f" (line {where})" if where is not None else ""
                same = (
                    " (the same table: its outputs need a placeholder that differs)"
                    if other.group == job.group
                    else ""
                )
                raise job.source.error(
                    job.output_key,
                    f"{show_path(out, root)} is also written by job {other.name!r}{at}{same}; expected each "
                    "output to be made by one job",
                )
            makers[out] = job
    return makers


def _missing(path: Path, reader: Job, makers: Mapping[Path, Job], root: Path) -> str:
    shown = show_path(path, root)
    made = {
        show_path(p, root): job.name
        for p, job in makers.items()
        if job is not reader and p.suffix == path.suffix  # a near miss of the same kind of file
    }
    close = difflib.get_close_matches(shown, list(made), n=1, cutoff=0.7)
    hint = f"; did you mean {close[0]!r} (made by job {made[close[0]]!r})?" if close else ""
    return (
        f"{shown} does not exist and no job makes it{hint or ';'} expected an existing file or a job's output"
    )


def _order(
    jobs: Sequence[Job], needs: Mapping[str, tuple[str, ...]], makers: Mapping[Path, Job], root: Path
) -> tuple[Job, ...]:
    """Depth first in file order, each job after what it needs; a cycle is an error naming it."""
    by_name = {job.name: job for job in jobs}
    done: dict[str, Job] = {}
    path: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        if name in path:
            raise _cycle(path[path.index(name) :], by_name, makers, root)
        path.append(name)
        for need in needs[name]:
            visit(need)
        path.pop()
        done[name] = by_name[name]

    for job in jobs:
        visit(job.name)
    return tuple(done.values())


def _cycle(
    names: list[str], by_name: Mapping[str, Job], makers: Mapping[Path, Job], root: Path
) -> PipelineError:
    """The error for jobs `names` waiting on each other in this order, at the first one's input."""
    reads = [
        next(i for i in by_name[name].inputs if makers.get(i.path) is by_name[nxt])
        for name, nxt in zip(names, [*names[1:], names[0]], strict=True)
    ]
    steps = [
        f"{name} reads {show_path(item.path, root)} (made by {nxt})"
        for name, item, nxt in zip(names, reads, [*names[1:], names[0]], strict=True)
    ]
    return by_name[names[0]].source.error(
        reads[0].key,
        f"jobs wait on each other in a cycle, so none can run first: {', '.join(steps)}; expected each "
        "job's inputs to be made by jobs that do not need its outputs",
    )
