"""The job kinds: what each `[[job]]` table may say, the jobs it expands into, and the tasks they run.

`JOB_KINDS` maps a `kind = "..."` to its `JobKind`. Adding a kind is one entry: a spec dataclass (the
table's keys, checked by `spec.load_pipeline`), `expand` (the table to jobs, with their inputs and
outputs), `tasks` (a job to the functions the executor runs) and optionally `finish` (run by the
runner when all of a job's tasks are done).
"""

from __future__ import annotations

import difflib
import fnmatch
import glob
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..pipeline.presets import QUALITY_PRESETS
from .model import Input, Job, JobSource, show_path
from .tasks import (
    STILL_SUFFIXES,
    RenderOutput,
    ReportCard,
    ScriptRun,
    TaskResult,
    render_output,
    report_card,
    run_script,
)
from .template import TemplateError, as_text, expand_matrix, fill, placeholders, point_label

RECORDING_SUFFIX = ".rrd"
VIDEO_SUFFIXES = (".mp4", ".m4v", ".webm", ".ogv")  # what a report page can play
RESERVED = ("output", "stem")  # placeholders the runner fills in itself
_ASSIGNMENT = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*=.*", re.S)

Scalar = str | int | float | bool
Paths = str | tuple[str, ...]  # one path or glob, or several


@dataclass(frozen=True)
class Task:
    """One call for the executor: a module-level function of one picklable argument."""

    fn: Callable[[Any], TaskResult]
    arg: object


@dataclass(frozen=True)
class Context:
    """What a job table is expanded against: the root folder and the jobs expanded before it."""

    root: Path
    groups: Mapping[str, tuple[Job, ...]]  # by `[[job]]` name
    made: Mapping[Path, Job]  # every output of those jobs

    def path(self, text: str) -> Path:
        """A path from the file: relative to the root, normalised (no symlinks resolved)."""
        return Path(os.path.normpath(self.root / os.path.expanduser(text)))

    def show(self, path: Path) -> str:
        return show_path(path, self.root)


@dataclass(frozen=True)
class JobKind:
    """A kind of job. `reads_jobs`: its tables name other jobs (`from`), so they are expanded after
    the jobs they name, and their globs also match those jobs' outputs."""

    spec: type
    expand: Callable[[Any, JobSource, Context], list[Job]]
    tasks: Callable[[Job, int], list[Task]]
    finish: Callable[[Job, list[TaskResult]], TaskResult] | None = None
    reads_jobs: bool = False


# --- shared helpers ---------------------------------------------------------------------------------


def _many(value: Paths) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _is_glob(text: str) -> bool:
    return any(c in text for c in "*?[")


def _fill(source: JobSource, key: str, text: str, values: Mapping[str, str]) -> str:
    try:
        return fill(text, values)
    except TemplateError as e:
        raise source.error(key, str(e)) from None


def _files(source: JobSource, key: str, texts: Sequence[str], ctx: Context) -> list[Input]:
    """Paths and globs as inputs. A glob matches existing files and outputs of jobs expanded before;
    one that matches nothing is an error (a plain path that does not exist is checked by the graph,
    which knows every job's outputs)."""
    inputs: list[Input] = []
    for i, text in enumerate(texts):
        item = f"{key}[{i}]" if len(texts) > 1 or key == "inputs" else key
        if not _is_glob(text):
            inputs.append(Input(ctx.path(text), item))
            continue
        pattern = ctx.path(text)
        found = {Path(p) for p in glob.glob(str(pattern), recursive=True) if Path(p).is_file()}
        found |= {path for path in ctx.made if glob_matches(pattern, path)}
        if not found:
            raise source.error(item, f"{text!r} matches no file, and no job before it makes one")
        inputs += [Input(path, item) for path in sorted(found)]
    return inputs


def glob_matches(pattern: Path, path: Path) -> bool:
    """Whether `glob.glob(pattern, recursive=True)` would list `path` if it existed, for the outputs of
    jobs not run yet (`Path.match` takes `**` as one folder, so `out/**/*.rrd` missed `out/a.rrd`):
    `**` is zero or more folders, `*`, `?` and `[...]` stay within one, and wildcards skip names that
    start with a dot, as glob's do."""
    return _match_parts(pattern.parts, path.parts)


def _match_parts(pattern: Sequence[str], parts: Sequence[str]) -> bool:
    if not pattern:
        return not parts
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        # Zero folders, or one more (not hidden) folder and `**` again.
        return _match_parts(rest, parts) or (
            bool(parts) and not parts[0].startswith(".") and _match_parts(pattern, parts[1:])
        )
    if not parts:
        return False
    hidden = parts[0].startswith(".") and not head.startswith(".") and _is_glob(head)
    return not hidden and fnmatch.fnmatchcase(parts[0], head) and _match_parts(rest, parts[1:])


@dataclass(frozen=True)
class Recording:
    """A recording a render or report reads: where it is, the key that named it, and the parameters
    of the sweep run that logged it (if a job did)."""

    path: Path
    key: str
    params: Mapping[str, str] = field(default_factory=dict)
    video: Path | None = None  # a render job's video of it, for reports


def _from_jobs(source: JobSource, names: Sequence[str], ctx: Context, kind: str) -> list[Recording]:
    """The recordings of the jobs named in `from`: a log job's output, or the recording a render job
    rendered (with its first video, which a report shows instead of rendering its own)."""
    found: list[Recording] = []
    for name in names:
        jobs = ctx.groups[name]  # spec.load_pipeline checked the name and expanded it first
        for job in jobs:
            if isinstance(job.work, ScriptRun):
                found.append(Recording(job.work.output, "from", job.params))
            elif isinstance(job.work, RenderWork) and kind == "report":
                videos = [o for o in job.outputs if o.suffix.lower() in VIDEO_SUFFIXES]
                found.append(Recording(job.work.recording, "from", job.params, videos[0] if videos else None))
            else:
                makes = "videos and images" if isinstance(job.work, RenderWork) else "a report"
                raise source.error(
                    "from",
                    f"job {name!r} makes {makes}, not recordings; expected the name of a log job "
                    + ("" if kind == "render" else "or a render job ")
                    + "(its .rrd outputs are read)",
                )
    return found


def _recordings(source: JobSource, texts: Paths, from_: Paths, ctx: Context, kind: str) -> list[Recording]:
    """Every recording a render or report reads, once each, in the order given (`from` first)."""
    found = _from_jobs(source, _many(from_), ctx, kind)
    for item in _files(source, "recordings", _many(texts), ctx):
        maker = ctx.made.get(item.path)
        params = maker.params if maker is not None else {}
        found.append(Recording(item.path, item.key, params))
    if not found:
        raise source.error(
            "", 'no recordings; expected recordings = ["path.rrd" or a glob] or from = "a log job"'
        )
    merged: dict[Path, Recording] = {}
    for rec in found:
        old = merged.get(rec.path)
        merged[rec.path] = (
            rec if old is None else Recording(old.path, old.key, old.params, old.video or rec.video)
        )
    return list(merged.values())


def _each_name(
    source: JobSource, base: str, recordings: Sequence[Recording], ctx: Context, single: bool
) -> list[str]:
    """One job per recording: `render[lr=0.1,seed=0]` (a sweep run's parameters) or
    `render[dna_abacus]` (the recording's name); just `render` when the table can only ever mean one
    recording (`single`, and not a sweep run's), so a sweep or a glob that grows from one recording to
    two keeps its first job's name."""
    if single and len(recordings) == 1 and not recordings[0].params:
        return [base]
    names = [f"{base}[{point_label(r.params) if r.params else r.path.stem}]" for r in recordings]
    for name, rec in zip(names, recordings, strict=True):
        if names.count(name) > 1:
            twin = next(r for n, r in zip(names, recordings, strict=True) if n == name and r is not rec)
            raise source.error(
                "recordings",
                f"two recordings would both be job {name!r} ({ctx.show(rec.path)}, {ctx.show(twin.path)}); "
                "expected recordings with different file names",
            )
    return names


# --- log: a script logged into a recording ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class LogSpec:
    """`kind = "log"`: `rerender run -o OUTPUT SCRIPT ARGS...`, once per combination of `matrix`."""

    name: str
    kind: str
    script: str
    output: str
    args: tuple[Scalar, ...] = ()
    matrix: dict[str, Any] = field(default_factory=dict)
    env: dict[str, Scalar] = field(default_factory=dict)
    inputs: tuple[str, ...] = ()


def expand_log(spec: LogSpec, source: JobSource, ctx: Context) -> list[Job]:
    try:
        points = expand_matrix(spec.matrix)
    except TemplateError as e:
        raise source.error("matrix", str(e)) from None
    if reserved := [name for name in spec.matrix if name in RESERVED]:
        raise source.error(
            f"matrix.{reserved[0]}",
            f"{reserved[0]!r} names a placeholder of its own ({{{reserved[0]}}}); expected another name",
        )
    # A typo ({lrr} for lr) is an unknown placeholder, not a missing one.
    _fill(source, "output", spec.output, points[0])
    swept = [name for name, values in spec.matrix.items() if len(values) > 1]
    in_output = set(_names(source, "output", spec.output))
    if missing := [name for name in swept if name not in in_output]:
        raise source.error(
            "output",
            f"{spec.output!r} is the same file for every value of {missing[0]}; expected a placeholder "
            f'for each swept parameter, e.g. "outputs/run_{{{missing[0]}}}.rrd"',
        )
    extra = _files(source, "inputs", spec.inputs, ctx)
    jobs = []
    for params in points:
        output = ctx.path(_fill(source, "output", spec.output, params))
        if output.suffix != RECORDING_SUFFIX:
            raise source.error("output", f"{spec.output!r} is not an .rrd file; expected a recording's path")
        script = ctx.path(_fill(source, "script", spec.script, params))
        values = {**params, "output": ctx.show(output)}  # the script runs in the root folder
        args = tuple(_fill(source, f"args[{i}]", as_text(a), values) for i, a in enumerate(spec.args))
        env = {k: _fill(source, f"env.{k}", as_text(v), values) for k, v in spec.env.items()}
        jobs.append(
            Job(
                name=f"{spec.name}[{point_label(params)}]" if params else spec.name,
                kind="log",
                group=spec.name,
                source=source,
                inputs=(Input(script, "script"), *extra),
                outputs=(output,),
                spec={"script": ctx.show(script), "args": list(args), "env": env, "output": ctx.show(output)},
                work=ScriptRun(script, args, output, ctx.root, env),
                params=params,
            )
        )
    return jobs


def _names(source: JobSource, key: str, text: str) -> list[str]:
    try:
        return placeholders(text)
    except TemplateError as e:
        raise source.error(key, str(e)) from None


def log_tasks(job: Job, threads: int) -> list[Task]:
    return [Task(run_script, job.work)]


# --- render: recordings to videos and stills ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RenderSpec:
    """`kind = "render"`: each recording rendered to each of `outputs` (one job per recording)."""

    name: str
    kind: str
    outputs: Paths
    recordings: Paths = ()
    from_: Paths = ()
    configs: Paths = ()
    set: tuple[str, ...] = ()
    quality: str | None = None
    inputs: tuple[str, ...] = ()


@dataclass(frozen=True)
class RenderWork:
    """One recording's render: the settings' sources (`rerender render -c … --set … --quality …`)."""

    recording: Path
    outputs: tuple[Path, ...]
    configs: tuple[Path, ...]
    assignments: tuple[str, ...]
    quality: str | None
    root: Path  # for messages


def expand_render(spec: RenderSpec, source: JobSource, ctx: Context) -> list[Job]:
    templates = _many(spec.outputs)
    if not templates:
        raise source.error("outputs", 'no outputs; expected paths such as "outputs/{stem}.mp4"')
    if spec.quality is not None and spec.quality not in QUALITY_PRESETS:
        raise source.error(
            "quality", f"unknown preset {spec.quality!r}; expected one of {', '.join(QUALITY_PRESETS)}"
        )
    for i, text in enumerate(spec.set):
        if not _ASSIGNMENT.fullmatch(text):
            raise source.error(
                f"set[{i}]", f'{text!r}: expected KEY.PATH=VALUE such as "output.size=640x360"'
            )
    configs = _files(source, "configs", _many(spec.configs), ctx)
    extra = _files(source, "inputs", spec.inputs, ctx)
    recordings = _recordings(source, spec.recordings, spec.from_, ctx, "render")
    # One plain path, or one log job without a matrix: never more than one recording.
    named = [*_many(spec.from_), *_many(spec.recordings)]
    single = len(named) == 1 and not any(_is_glob(text) for text in _many(spec.recordings))
    jobs = []
    for name, rec in zip(_each_name(source, spec.name, recordings, ctx, single), recordings, strict=True):
        values = {**rec.params, "stem": rec.path.stem}
        key = "outputs" if isinstance(spec.outputs, str) else "outputs[{}]"
        outputs = tuple(
            ctx.path(_fill(source, key.format(i), text, values)) for i, text in enumerate(templates)
        )
        for i, out in enumerate(outputs):
            _check_format(source, key.format(i), templates[i], out)
        configs_used = tuple(c.path for c in configs)
        work = RenderWork(rec.path, outputs, configs_used, tuple(spec.set), spec.quality, ctx.root)
        jobs.append(
            Job(
                name=name,
                kind="render",
                group=spec.name,
                source=source,
                inputs=(Input(rec.path, rec.key), *configs, *extra),
                outputs=outputs,
                spec={
                    "recording": ctx.show(rec.path),
                    "configs": [ctx.show(c.path) for c in configs],
                    "set": list(spec.set),
                    "quality": spec.quality,
                    "outputs": [ctx.show(o) for o in outputs],
                },
                work=work,
                params=rec.params,
                output_key="outputs",
            )
        )
    return jobs


def _check_format(source: JobSource, key: str, text: str, output: Path) -> None:
    """An output the renderer cannot write (`.avi`) fails at load, not after the jobs before it ran."""
    from ..media import FORMATS

    suffix = output.suffix.lower()
    videos = [ext for exts, _ in FORMATS.values() for ext in exts if ext not in STILL_SUFFIXES]
    if suffix and suffix not in (*videos, *STILL_SUFFIXES):
        raise source.error(
            key,
            f"{text!r}: cannot write {output.suffix!r} files; expected a video ({' '.join(videos)}), "
            f"a still ({' '.join(STILL_SUFFIXES)}) or a folder (no extension) for PNG frames",
        )


def render_tasks(job: Job, threads: int) -> list[Task]:
    from ..pipeline.layers import SettingsSources

    work: RenderWork = job.work  # type: ignore[assignment]
    sources = SettingsSources(configs=work.configs, assignments=work.assignments, quality=work.quality)
    return [
        Task(render_output, RenderOutput(work.recording, out, sources, threads, work.root))
        for out in work.outputs
    ]


# --- report: an HTML page about recordings ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ReportSpec:
    """`kind = "report"`: `index.html` in `output` about the recordings (a render job's videos shown)."""

    name: str
    kind: str
    output: str
    recordings: Paths = ()
    from_: Paths = ()
    title: str | None = None
    size: str | None = None
    render: bool = True
    inputs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportWork:
    """The cards of a report (one per recording) and the page's folder and title."""

    cards: tuple[ReportCard, ...]
    output_dir: Path
    title: str | None


def expand_report(spec: ReportSpec, source: JobSource, ctx: Context) -> list[Job]:
    size = None
    if spec.size is not None:
        try:
            from ..values import Size

            size = Size.parse(spec.size)
        except ValueError as e:
            raise source.error("size", str(e)) from None
    recordings = _recordings(source, spec.recordings, spec.from_, ctx, "report")
    out_dir = ctx.path(spec.output)
    cards = tuple(
        ReportCard(r.path, out_dir, i, r.video, dict(r.params), size, spec.render)
        for i, r in enumerate(recordings)
    )
    videos = [Input(r.video, "from") for r in recordings if r.video is not None]
    extra = _files(source, "inputs", spec.inputs, ctx)
    job = Job(
        name=spec.name,
        kind="report",
        group=spec.name,
        source=source,
        inputs=(*(Input(r.path, r.key) for r in recordings), *videos, *extra),
        outputs=(out_dir / "index.html",),
        spec={
            "recordings": [ctx.show(r.path) for r in recordings],
            "videos": [ctx.show(r.video) if r.video else None for r in recordings],
            "params": [dict(r.params) for r in recordings],
            "title": spec.title,
            "size": str(size) if size else None,
            "render": spec.render,
            "output": ctx.show(out_dir),
        },
        work=ReportWork(cards, out_dir, spec.title),
        output_dirs=(out_dir,),  # index.html shows its assets/: a deleted one is made again
    )
    return [job]


def report_tasks(job: Job, threads: int) -> list[Task]:
    work: ReportWork = job.work  # type: ignore[assignment]
    return [Task(report_card, card) for card in work.cards]


def finish_report(job: Job, results: list[TaskResult]) -> TaskResult:
    """Write the page that joins the cards (here: it needs all of them)."""
    from ..report import write_index

    work: ReportWork = job.work  # type: ignore[assignment]
    cards = [r.value for r in results if r.value is not None]
    if not cards:
        return TaskResult("", "no report card could be made")
    index = write_index(cards, work.output_dir, title=work.title)  # type: ignore[arg-type]
    return TaskResult(f"wrote {index}\n")


# --- the table ----------------------------------------------------------------------------------------

JOB_KINDS: dict[str, JobKind] = {
    "log": JobKind(LogSpec, expand_log, log_tasks),
    "render": JobKind(RenderSpec, expand_render, render_tasks, reads_jobs=True),
    "report": JobKind(ReportSpec, expand_report, report_tasks, finish=finish_report, reads_jobs=True),
}


def check_kind(name: object, source: JobSource) -> JobKind:
    """The kind named by a table's `kind` key; an unknown one is an error listing the kinds."""
    if isinstance(name, str) and name in JOB_KINDS:
        return JOB_KINDS[name]
    close = difflib.get_close_matches(str(name), list(JOB_KINDS), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise source.error("kind", f"unknown job kind {name!r}; {hint}expected one of: {', '.join(JOB_KINDS)}")
