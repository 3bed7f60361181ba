"""When a job can be skipped: the content hashes of what it depends on match those recorded when its
outputs were last made, and the outputs still exist.

What a job depends on (its `Fingerprint`): rerender's version, the job's own spec as the file says it
(args, parameters, `set` values, output paths, ...) and the contents of its input files (script,
recordings, configs, extra `inputs`). Contents, not times: `touch` changes nothing, an edit does.

The state file (`<state>/<pipeline>.json`) holds each job's fingerprint from its last successful run
and the hash of every file seen, with its size and mtime, so unchanged files are not read again. It is
rewritten (temp file, then rename) after each job, so a run that is interrupted resumes where it
stopped. A job's entry is dropped before it runs: a job interrupted half-way never counts as done.
Entries are found by the job's name, else by its spec, so a renamed job keeps its record.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import __version__
from .model import Job, show_path

STATE_VERSION = 1
BLOCK = 1 << 20
MISSING = "missing"


@dataclass(frozen=True)
class FileStamp:
    """A file's hash, valid while its size and mtime stay the same."""

    size: int
    mtime_ns: int
    digest: str


class FileHashes:
    """Content hashes (BLAKE2b) of files and folders, remembered by (size, mtime_ns)."""

    def __init__(self, known: Mapping[str, FileStamp] | None = None) -> None:
        self.known: dict[str, FileStamp] = dict(known or {})
        self.changed = False  # a file was hashed (again): worth saving, so the next run need not

    def digest(self, path: Path) -> str:
        """The file's hash; a folder's covers every file under it with its relative path; MISSING
        when there is nothing there."""
        if path.is_dir():
            h = hashlib.blake2b(digest_size=20)
            for sub in sorted(p for p in path.rglob("*") if p.is_file()):
                h.update(f"{sub.relative_to(path).as_posix()}\0{self.digest(sub)}\0".encode())
            return "dir:" + h.hexdigest()
        try:
            stat = path.stat()
        except OSError:
            return MISSING
        key = str(path)
        stamp = self.known.get(key)
        if stamp is not None and (stamp.size, stamp.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            return stamp.digest
        h = hashlib.blake2b(digest_size=20)
        with open(path, "rb") as f:
            while block := f.read(BLOCK):
                h.update(block)
        self.known[key] = FileStamp(stat.st_size, stat.st_mtime_ns, h.hexdigest())
        self.changed = True
        return h.hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """What a job's result depends on, in parts, so that a changed one can be named."""

    version: str
    spec: str  # digest of the job's spec
    inputs: Mapping[str, str]  # input path (as shown) -> content digest


def fingerprint(job: Job, hashes: FileHashes, root: Path) -> Fingerprint:
    spec = json.dumps({"kind": job.kind, "params": dict(job.params), **job.spec}, sort_keys=True, default=str)
    inputs = {show_path(i.path, root): hashes.digest(i.path) for i in job.inputs}
    return Fingerprint(__version__, hashlib.blake2b(spec.encode(), digest_size=20).hexdigest(), inputs)


@dataclass(frozen=True)
class JobRecord:
    """A job's last successful run: its fingerprint, outputs, when it finished and how long it took."""

    version: str
    spec: str
    inputs: dict[str, str]
    outputs: list[str]
    finished: float
    seconds: float


@dataclass(frozen=True)
class Verdict:
    """Whether a job must run, and why (or why not)."""

    run: bool
    reason: str


def judge(job: Job, fp: Fingerprint, record: JobRecord | None, root: Path) -> Verdict:
    """Compare a job's fingerprint with its record; the reason names the first thing that differs."""
    if record is None:
        return Verdict(True, "never run")
    if record.version != fp.version:
        return Verdict(True, f"rerender changed ({record.version} -> {fp.version})")
    if record.spec != fp.spec:
        return Verdict(True, "its entry in the pipeline file changed")
    missing = [p for p, d in fp.inputs.items() if d == MISSING]
    if missing:  # an input a job before it is to make again (--dry-run), or one deleted
        return Verdict(True, f"input missing: {missing[0]}")
    changed = [p for p, d in fp.inputs.items() if record.inputs.get(p) != d]
    if changed:
        more = f" and {len(changed) - 2} more" if len(changed) > 2 else ""
        return Verdict(True, f"changed: {', '.join(changed[:2])}{more}")
    gone = [o for o in job.outputs if not o.exists()]
    gone += [root / o for o in record.outputs if not (root / o).exists()]  # e.g. a report's assets
    if gone:
        return Verdict(True, f"output missing: {show_path(gone[0], root)}")
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(record.finished))
    return Verdict(False, f"up to date (made {when}, nothing it depends on changed)")


@dataclass
class PipelineState:
    """The state file's contents: each job's record and the remembered file hashes."""

    path: Path
    jobs: dict[str, JobRecord] = field(default_factory=dict)
    hashes: FileHashes = field(default_factory=FileHashes)

    @classmethod
    def load(cls, path: Path, old: Sequence[Path] = ()) -> PipelineState:
        """The state at `path`; none yet, or one that cannot be read, is an empty state (everything
        runs), with a warning for the latter. With none at `path`, the newest of `old` (where it may
        have been before) is read, and saved at `path` from then on."""
        found = [p for p in old if p.is_file()] if not path.exists() else []
        if found:
            state = cls.load(max(found, key=lambda p: p.stat().st_mtime_ns))
            state.path = path
            state.hashes.changed = True  # so that a run saves it in its new place, even if nothing ran
            return state
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != STATE_VERSION:
                return cls(path)
            jobs = {name: JobRecord(**record) for name, record in data["jobs"].items()}
            files = {name: FileStamp(**stamp) for name, stamp in data["files"].items()}
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError, KeyError, TypeError) as e:
            warnings.warn(f"{path}: cannot read the pipeline state ({e}); every job runs", stacklevel=2)
            return cls(path)
        return cls(path, jobs, FileHashes(files))

    def save(self) -> None:
        """Write the state whole to a temporary file, then rename it over the old one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": STATE_VERSION,
            "jobs": {name: asdict(record) for name, record in self.jobs.items()},
            "files": {name: asdict(stamp) for name, stamp in sorted(self.hashes.known.items())},
        }
        self.hashes.changed = False
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, indent=1)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def find(self, job: Job, fp: Fingerprint) -> JobRecord | None:
        """The job's last successful run: by its name, else the record of a job of another name that
        did the same work (the same spec, outputs included, which no other job of the file has): the
        job was renamed, e.g. `render` became `render[lr=0.5]` when its sweep grew to two values, and
        what it made is still good."""
        record = self.jobs.get(job.name)
        if record is not None and record.spec == fp.spec:
            return record
        same = next((r for r in self.jobs.values() if r.spec == fp.spec), None)
        return same or record  # by name with another spec: judged "its entry ... changed"

    def forget(self, job: Job, fp: Fingerprint) -> bool:
        """Drop the job's record (by name and by spec, as `find` finds it), before it runs: a job cut
        off half-way never counts as done. Whether there was one."""
        names = [n for n, r in self.jobs.items() if n == job.name or r.spec == fp.spec]
        for name in names:
            del self.jobs[name]
        return bool(names)

    def record(self, job: Job, fp: Fingerprint, root: Path, seconds: float) -> None:
        self.forget(job, fp)  # a record under an old name is this one now
        made = [*job.outputs, *(f for d in job.output_dirs for f in sorted(d.rglob("*")) if f.is_file())]
        self.jobs[job.name] = JobRecord(
            fp.version,
            fp.spec,
            dict(fp.inputs),
            list(dict.fromkeys(show_path(o, root) for o in made)),
            time.time(),
            round(seconds, 3),
        )
