"""The values a pipeline is made of once its file is read: jobs with their inputs, outputs and work.

`spec.load_pipeline` builds them; `graph` orders them; `cache` decides which are up to date; `run` runs
the rest. Every error about the file is a `PipelineError` whose message names the file, the line, the
key and what was expected.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import RerenderError


class PipelineError(RerenderError):
    """A pipeline file that cannot be run as written (nothing has run yet)."""


@dataclass(frozen=True)
class SourceFile:
    """The pipeline file as written: its name for messages and the line of each key path
    (`job[2].matrix.lr`), to point at the key an error is about."""

    name: str
    lines: Mapping[str, int] = field(default_factory=dict)

    def line(self, key_path: str) -> int | None:
        """The line of `key_path`, or of its nearest parent that has one."""
        return next((self.lines[p] for p in parents(key_path) if p in self.lines), None)

    def error(self, key_path: str, problem: str) -> PipelineError:
        line = self.line(key_path)
        where = f"{self.name}:{line}" if line is not None else self.name
        return PipelineError(f"{where}: {key_path}: {problem}" if key_path else f"{where}: {problem}")


def parents(path: str) -> Iterator[str]:
    """`a.b[2].c`, `a.b[2]`, `a.b`, `a`."""
    while path:
        yield path
        cut = max(path.rfind("."), path.rfind("["))
        path = path[: max(cut, 0)]


@dataclass(frozen=True)
class JobSource:
    """Where a job was written: the file and its `[[job]]` table (`job[2]`), and the table's name."""

    file: SourceFile
    table: str
    name: str

    def key(self, key: str) -> str:
        return f"{self.table}.{key}" if key else self.table

    def line(self, key: str = "") -> int | None:
        return self.file.line(self.key(key))

    def error(self, key: str, problem: str) -> PipelineError:
        """`pipelines/x.toml:12: job[2] 'render': configs[0]: <problem>`."""
        line = self.line(key)
        where = f"{self.file.name}:{line}" if line is not None else self.file.name
        label = f"{self.table} {self.name!r}" if self.name else self.table
        return PipelineError(f"{where}: {label}: {key}: {problem}" if key else f"{where}: {label}: {problem}")


@dataclass(frozen=True)
class Input:
    """A file a job reads, and the key that named it (for messages)."""

    path: Path
    key: str


@dataclass(frozen=True)
class Job:
    """One unit of work in the graph, after matrices and per-recording renders are expanded.

    `group` is the `[[job]]` table's name (`sweep`; the job itself may be `sweep[lr=0.1,seed=0]`);
    `spec` is everything the job's result depends on besides its input files' contents (JSON values,
    paths relative to the root); `work` is the kind's value that its tasks are made from."""

    name: str
    kind: str
    group: str
    source: JobSource
    inputs: tuple[Input, ...]
    outputs: tuple[Path, ...]
    spec: Mapping[str, object]
    work: object
    params: Mapping[str, str] = field(default_factory=dict)
    output_key: str = "output"  # the table's key that names its outputs, for messages
    # Folders it fills besides its outputs (a report's assets): the files in them when it succeeds are
    # recorded, and it runs again when one is gone.
    output_dirs: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Pipeline:
    """A pipeline file read and checked: its jobs in dependency order (each after every job it
    needs) and, for each job, the names of the jobs whose outputs it reads."""

    name: str
    file: Path
    root: Path  # relative paths in the file are relative to this folder
    state_dir: Path
    jobs: tuple[Job, ...]
    needs: Mapping[str, tuple[str, ...]]
    old_state_dirs: tuple[Path, ...] = ()  # where the default state may be from before it moved

    @property
    def old_state_files(self) -> tuple[Path, ...]:
        """The state file in the places it may have been, read when there is none in its own."""
        return tuple(d / f"{self.name}.json" for d in self.old_state_dirs if d != self.state_dir)

    def show(self, path: Path) -> str:
        """`path` as the user would write it: relative to the root when it is below it."""
        return show_path(path, self.root)

    @property
    def state_file(self) -> Path:
        return self.state_dir / f"{self.name}.json"

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "logs" / self.name

    def log_file(self, job: Job) -> Path:
        """`sweep[lr=0.1,seed=0]` -> `<state>/logs/<pipeline>/sweep_lr=0.1_seed=0.log`."""
        return self.log_dir / f"{self._log_names[job.name]}.log"

    @cached_property
    def _log_names(self) -> dict[str, str]:
        """Each job's log file name: its name with characters a file name should not have replaced,
        and, where that makes two jobs' names alike (`x=a b` and `x=a_b`; also apart from case, for
        case-insensitive disks), a short hash of the job's own name, so no two jobs share a log."""
        safe = {job.name: re.sub(r"[^A-Za-z0-9._=-]+", "_", job.name).strip("_") for job in self.jobs}
        counts = Counter(name.lower() for name in safe.values())
        return {
            job: name if counts[name.lower()] == 1 else f"{name}-{_short_hash(job)}"
            for job, name in safe.items()
        }


def _short_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=4).hexdigest()


def show_path(path: Path, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return str(path)
