"""Reading a pipeline file (`pipelines/NAME.toml`) into a checked `Pipeline`.

    name = "sweep"              # optional: names the state file (default: the file's name)
    root = ".."                 # optional: paths are relative to this folder (relative to the file;
                                #   default: the current directory)
    state = "outputs/.state"    # optional (default: .rerender-pipeline in the root folder)

    [[job]]
    name = "sweep"
    kind = "log"                # one of JOB_KINDS; its keys are its spec's fields
    ...

Every problem is one paragraph naming the file, the line, the key and what was expected, raised before
anything runs: unknown keys and kinds, wrong types, bad matrices and placeholders, unknown job names,
inputs nothing makes, outputs two jobs make, and cycles.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import msgspec

from ..pipeline.toml_file import ConfigError, read_config
from .graph import build_graph
from .kinds import JOB_KINDS, Context, JobKind, check_kind
from .model import Job, JobSource, Pipeline, PipelineError, SourceFile

TOP_LEVEL = {
    "name": "the pipeline's name (default: the file's name)",
    "root": "the folder paths are relative to, relative to the file (default: the current directory)",
    "state": "the state folder, relative to the root (default: .rerender-pipeline in the root)",
    "job": "the jobs, as [[job]] tables",
}
JOB_NAME = re.compile(r"[A-Za-z0-9_.-]+")
STATE_FOLDER = ".rerender-pipeline"
# msgspec's type names in its validation errors, as the user wrote TOML.
_TYPE_WORDS = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "array": "an array",
    "object": "a table",
}
# The Python type of a value msgspec names in "got `array`", to find that value in a table.
_MSGSPEC_TYPES: dict[str, type] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "array": list,
    "object": dict,
}


@dataclass(frozen=True)
class _Table:
    """One `[[job]]` table, checked against its kind's spec but not yet expanded."""

    source: JobSource
    kind: JobKind
    spec: object

    @property
    def reads(self) -> tuple[str, ...]:
        """The job names in its `from`."""
        value = getattr(self.spec, "from_", ())
        return (value,) if isinstance(value, str) else tuple(value)


def load_pipeline(path: str | Path, cwd: Path | None = None) -> Pipeline:
    """Read, check and expand the pipeline at `path`; raises PipelineError for any problem in it."""
    path = Path(path)
    if not path.is_file():
        raise PipelineError(f"{path}: no such pipeline file" + ("" if not path.is_dir() else " (a folder)"))
    try:
        layer = read_config(path)
    except ConfigError as e:
        raise PipelineError(str(e)) from None
    file = SourceFile(str(path), layer.lines)
    values = dict(layer.values)
    for key in values:
        if key not in TOP_LEVEL:
            raise file.error(key, f"unknown key {key!r} at the top level; {_suggest(key, TOP_LEVEL)}")
    name = _text(file, values, "name", path.stem)
    if not JOB_NAME.fullmatch(name):
        raise file.error("name", f"{name!r}: expected letters, digits, '.', '_' and '-' (it names a file)")
    root = Path(os.path.normpath(cwd or Path.cwd()))
    if "root" in values:
        root = Path(os.path.normpath(root / path.parent / _text(file, values, "root", "")))
        if not root.is_dir():
            raise file.error("root", f"{root} is not a folder; expected a folder relative to {path.parent}")
    tables = _tables(file, values.get("job"))
    jobs = _expand(tables, root)
    graph = build_graph(jobs, root)
    old_state_dirs: tuple[Path, ...] = ()
    if "state" in values:
        state_dir = Path(os.path.normpath(root / _text(file, values, "state", "")))
    else:
        # In the root, which the outputs' paths are relative to: a job writing to another folder
        # does not move it. It was in the deepest folder holding every output, which did; a state
        # there is read once, if there is none in the root yet.
        state_dir = root / STATE_FOLDER
        old_state_dirs = _old_state_dirs([o for job in jobs for o in job.outputs])
    return Pipeline(name, path, root, state_dir, graph.jobs, graph.needs, old_state_dirs)


def _old_state_dirs(outputs: Sequence[Path]) -> tuple[Path, ...]:
    """Where the default state may have been: the deepest folder holding every output then, which is
    the one holding every output now or, if jobs were added since, one between it and an output."""
    common = Path(os.path.commonpath([o.parent for o in outputs]))
    folders = {common}
    for out in outputs:
        folders.update(p for p in out.parents if p.is_relative_to(common))
    return tuple(folder / STATE_FOLDER for folder in sorted(folders))


def _text(file: SourceFile, values: Mapping[str, object], key: str, default: str) -> str:
    value = values.get(key, default)
    if not isinstance(value, str):
        raise file.error(key, f"{value!r} is {_toml_type(value)}; expected a string")
    return value


def _tables(file: SourceFile, jobs: object) -> list[_Table]:
    if jobs is None:
        raise file.error("", "no jobs; expected [[job]] tables, each with a name and a kind")
    if not isinstance(jobs, list) or not all(isinstance(j, dict) for j in jobs):
        raise file.error("job", f"job is {_toml_type(jobs)}; expected [[job]] tables (an array of tables)")
    tables: list[_Table] = []
    seen: dict[str, int] = {}
    for i, table in enumerate(jobs):
        anonymous = JobSource(file, f"job[{i}]", "")
        if "name" not in table:
            raise anonymous.error(
                "", "missing key 'name'; every job needs a name (other jobs use it in `from`)"
            )
        name = table["name"]
        if not isinstance(name, str) or not JOB_NAME.fullmatch(name):
            raise anonymous.error("name", f"{name!r}: expected letters, digits, '.', '_' and '-'")
        source = JobSource(file, f"job[{i}]", name)
        if name in seen:
            raise source.error(
                "name", f"job[{seen[name]}] has this name too; expected each job to have its own"
            )
        seen[name] = i
        if "kind" not in table:
            raise source.error("", f"missing key 'kind'; expected one of: {', '.join(JOB_KINDS)}")
        kind = check_kind(table["kind"], source)
        tables.append(_Table(source, kind, _convert(table, kind, source)))
    return tables


def _convert(table: Mapping[str, object], kind: JobKind, source: JobSource) -> object:
    """The table as its kind's spec dataclass (`from` is the field `from_`)."""
    fields = [f.name for f in dataclasses.fields(kind.spec)]
    keys = [name.removesuffix("_") for name in fields]
    for key in table:
        if key not in keys:
            kind_name = table["kind"]
            raise source.error(key, f"unknown key {key!r} in a {kind_name} job; {_suggest(key, keys)}")
    data = {fields[keys.index(k)]: v for k, v in table.items()}
    try:
        return msgspec.convert(data, kind.spec)
    except msgspec.ValidationError as e:
        raise _from_msgspec(str(e), data, kind, source) from None


def _from_msgspec(
    message: str, data: Mapping[str, object], kind: JobKind, source: JobSource
) -> PipelineError:
    m = re.fullmatch(r"(.*?)(?: - at `\$\.?(.*)`)?", message, flags=re.S)
    text, where = m[1], re.sub(r"\bfrom_\b", "from", m[2] or "")
    if missing := re.fullmatch(r"Object missing required field `(\w+)`", text):
        required = [
            f.name.removesuffix("_")
            for f in dataclasses.fields(kind.spec)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        ]
        return source.error(
            "", f"missing key {missing[1]!r}; a {data['kind']} job needs: {', '.join(required)}"
        )
    expected = re.fullmatch(r"Expected `(.*)`, got `(\w+)`", text)
    key, value = _bad_entry(data, where, expected[2] if expected else None)
    if expected:
        types = [t for t in expected[1].split(" | ") if t != "null"]
        return source.error(key, f"{_show(value)} is {_toml_type(value)}; expected {_expected(types)}")
    return source.error(key, f"invalid value {_show(value)}: {text}")


def _bad_entry(data: Mapping[str, object], where: str, got: str | None) -> tuple[str, object]:
    """The key and value msgspec complains about. It says `env[...]` for a bad value in a table, so
    the entry meant is the first one of the type it got (`env.SEED`), not the whole table."""
    if "[...]" not in where:
        return where, _value_at(data, where)
    key = where.split("[...]")[0]
    table = _value_at(data, key)
    if isinstance(table, dict):
        for name, value in table.items():
            if got is None or _MSGSPEC_TYPES.get(got, type(None)) is type(value):
                return f"{key}.{name}", value
    return key, table


def _expected(types: Sequence[str]) -> str:
    """msgspec's `bool | int | float | str` as the user would say it: a string, number or boolean."""
    if set(types) == {"bool", "int", "float", "str"}:
        return "a string, number or boolean"
    return " or ".join(_TYPE_WORDS.get(t, t) for t in types)


def _value_at(data: Mapping[str, object], key: str) -> object:
    value: object = data
    for index, name in re.findall(r"\[(\d+)\]|([^.\[\]]+)", key):
        try:
            value = value[int(index)] if index else value["from_" if name == "from" else name]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _expand(tables: Sequence[_Table], root: Path) -> list[Job]:
    """Expand every table into jobs: those that read no other jobs first (in file order), then the rest
    once the jobs they name are expanded, so that `from` and globs see those jobs' outputs."""
    names = {t.source.name: t for t in tables}
    for table in tables:
        for i, name in enumerate(table.reads):
            key = "from" if len(table.reads) == 1 else f"from[{i}]"
            if name not in names:
                raise table.source.error(
                    key, f"no job named {name!r}; {_suggest(name, names, 'the jobs are')}"
                )
            if not table.kind.reads_jobs:
                raise table.source.error(key, "only jobs that read recordings take `from`")
    groups: dict[str, tuple[Job, ...]] = {}
    made: dict[Path, Job] = {}
    waiting = sorted(tables, key=lambda t: t.kind.reads_jobs)  # stable: file order within each
    while waiting:
        ready = next((t for t in waiting if all(n in groups for n in t.reads)), None)
        if ready is None:
            raise _from_cycle(waiting, names)
        waiting.remove(ready)
        jobs = ready.kind.expand(ready.spec, ready.source, Context(root, dict(groups), dict(made)))
        groups[ready.source.name] = tuple(jobs)
        for job in jobs:
            made.update((out, job) for out in job.outputs)
    return [job for table in tables for job in groups[table.source.name]]


def _from_cycle(waiting: Sequence[_Table], names: Mapping[str, _Table]) -> PipelineError:
    chain = [waiting[0]]
    while True:
        nxt = next(names[n] for n in chain[-1].reads if names[n] in waiting)
        if nxt in chain:
            cycle = [*chain[chain.index(nxt) :], nxt]
            text = " -> ".join(t.source.name for t in cycle)
            return nxt.source.error(
                "from",
                f"jobs read each other in a cycle ({text}), so none can run first; expected `from` to name "
                "jobs that do not read this one",
            )
        chain.append(nxt)


def _suggest(name: str, options: Mapping[str, object] | Sequence[str], what: str = "the keys are") -> str:
    close = difflib.get_close_matches(name, list(options), n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    return f"{what}: {', '.join(options)}"


def _toml_type(value: object) -> str:
    words = {bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array"}
    return words.get(type(value), "a table" if isinstance(value, dict) else f"a {type(value).__name__}")


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
