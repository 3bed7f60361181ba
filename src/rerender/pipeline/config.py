"""Settings from layers: defaults < `--quality` preset < `--config` files < `--set` < plain flags.

Each source becomes a `SettingsLayer` (nested values as TOML gives them, plus the line of each key; see
`toml_file`, which reads files without importing the renderer);
`build_settings` merges the layers (tables deeply, arrays and scalars whole; a new `camera.kind` drops
the older kind's keys), validates the result against `RenderSettings` and remembers where each key came
from, so every `ConfigError` names the file and line, or the flag, that set the bad value:

    orbit.toml:7: camera.radiu: unknown key 'radiu' in [camera] (kind orbit); did you mean 'radius'?

Validation order: unknown keys and leaf values (sizes, colours, times) while walking the tables, then
types and ranges (msgspec), then the cross-field checks of `_check_camera` / `_check_time`. Names that
need the recording (timeline, entity globs, camera entities) are checked by `check_names` once it is open.
configs/README.md lists every key and error.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import difflib
import re
import tomllib
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, Union

import msgspec

from ..camera.specs import CAMERA_KINDS, KeyframesCamera
from ..rrd.paths import ancestors, normalize_entity_path
from ..rrd.select import EntityGlob
from ..values import Color, Size, TimeValue
from .presets import QUALITY_PRESETS
from .settings import RenderSettings
from .toml_file import ConfigError, Origin, SettingsLayer, key_parents, read_config

# The tables of a config file and their dataclasses; `camera` has one per kind, CAMERA_KINDS[kind].
SECTIONS: dict[str, type] = {
    f.name: object if f.name == "camera" else typing.get_type_hints(RenderSettings)[f.name]
    for f in dataclasses.fields(RenderSettings)
}
_LEAVES = (Size, Color, TimeValue)
_KEY = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*")


@dataclass(frozen=True)
class ResolvedSettings:
    """The merged, validated settings and the origin of every key that some layer set."""

    settings: RenderSettings
    origins: Mapping[str, Origin]

    def origin(self, key_path: str) -> Origin | None:
        """The origin of `key_path`, or of its nearest parent that has one (None: a built-in default)."""
        return next((self.origins[p] for p in key_parents(key_path) if p in self.origins), None)


# --- layers -------------------------------------------------------------------------------------------


def preset_layer(name: str) -> SettingsLayer:
    """`--quality NAME` as a layer."""
    if name not in QUALITY_PRESETS:
        raise ConfigError(
            f"--quality: unknown preset {name!r}; {_suggest(name, QUALITY_PRESETS)}",
            origin=Origin("--quality"),
        )
    return SettingsLayer(f"--quality {name}", copy.deepcopy(QUALITY_PRESETS[name]))


def split_assignment(text: str) -> tuple[str, str]:
    """`"camera.radius=12"` -> `("camera.radius", "12")`; ConfigError when it is not key.path=value."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep:
        problem = "no '='"
    elif not _KEY.fullmatch(key):
        problem = f"{key!r} is not a key path"
    else:
        return key, value.strip()
    raise ConfigError(
        f"--set {text!r}: {problem}; expected KEY.PATH=VALUE such as camera.radius=12 or "
        "look.background=#ffffff",
        origin=Origin("--set"),
    )


def set_layer(assignments: Sequence[str]) -> SettingsLayer:
    """`--set key.path=value` assignments (later ones win) as one layer. The value is read as a TOML
    value (`12`, `true`, `[0, 0, 1]`, `"text"`) when it parses as one, else taken as text; a key that
    takes text, a colour, a size or a time keeps the text as typed (`look.background=000000`)."""
    values: dict[str, object] = {}
    for text in assignments:
        key, raw = split_assignment(text)
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw
        if not isinstance(value, str | list | dict) and _takes_text(key.split(".")):
            value = raw
        _put(values, key, value)
    return SettingsLayer("--set", values)


def flags_layer(values: Mapping[str, object], flags: Mapping[str, str] | None = None) -> SettingsLayer:
    """Plain command-line flags as a layer: dotted key paths to values (None: not given, skipped).
    `flags` names each key's flag for messages (default: `--` and the last part, `_` as `-`)."""
    nested: dict[str, object] = {}
    names: dict[str, str] = {}
    for key, value in values.items():
        if value is None:
            continue
        _put(nested, key, value)
        names[key] = (flags or {}).get(key) or "--" + key.rsplit(".", 1)[-1].replace("_", "-")
    return SettingsLayer("command line", nested, flags=names)


def _put(tree: dict, key: str, value: object) -> None:
    *parents, last = key.split(".")
    for part in parents:
        if not isinstance(tree.get(part), dict):
            tree[part] = {}
        tree = tree[part]
    tree[last] = value


def load_settings(
    *configs: str | Path, quality: str | None = None, assignments: Sequence[str] = ()
) -> RenderSettings:
    """Settings for the Python API, layered as the CLI layers them: `quality` preset, then `configs` in
    order, then `assignments` ("camera.radius=12")."""
    layers = [preset_layer(quality)] if quality else []
    layers += [read_config(path) for path in configs]
    if assignments:
        layers.append(set_layer(assignments))
    return build_settings(layers).settings


# --- merging ------------------------------------------------------------------------------------------


def build_settings(layers: Sequence[SettingsLayer]) -> ResolvedSettings:
    """Merge `layers` (later wins) over the defaults and validate; the first problem raises ConfigError."""
    merged: dict[str, object] = {}
    origins: dict[str, Origin] = {}
    for layer in layers:
        _merge(merged, layer.values, layer, "", origins)
    resolved = ResolvedSettings(RenderSettings(), origins)
    sections: dict[str, object] = {}
    for name, value in merged.items():
        if name not in SECTIONS:
            raise _unknown_top_level(name, value, resolved)
        sections[name] = _convert_section(name, value, resolved)
    resolved = ResolvedSettings(RenderSettings(**sections), origins)
    _check_time(resolved)
    _check_camera(resolved)
    return resolved


def _merge(merged: dict, values: Mapping, layer: SettingsLayer, prefix: str, origins: dict) -> None:
    for key, value in values.items():
        path = f"{prefix}.{key}" if prefix else key
        old = merged.get(key)
        if (
            path == "camera"
            and isinstance(value, Mapping)
            and isinstance(old, dict)
            and "kind" in old
            and value.get("kind", old["kind"]) != old["kind"]
        ):
            # A new kind starts from its own defaults. Keys given without a kind (`--set camera.period=2`
            # with `--camera orbit`) are meant for whichever kind is chosen, so they stay.
            old = None
            _drop(origins, path)
        if isinstance(value, Mapping) and isinstance(old, dict):
            origins[path] = layer.origin(path)
            _merge(old, value, layer, path, origins)
        else:
            _drop(origins, path)
            merged[key] = copy.deepcopy(dict(value) if isinstance(value, Mapping) else value)
            for sub in _paths(value, path):
                origins[sub] = layer.origin(sub)


def _paths(value: object, path: str) -> Iterator[str]:
    """`path` and the key paths of everything inside `value`."""
    yield path
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _paths(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _paths(item, f"{path}[{i}]")


def _drop(origins: dict, path: str) -> None:
    for key in [k for k in origins if k == path or k.startswith((path + ".", path + "["))]:
        del origins[key]


# --- validation ---------------------------------------------------------------------------------------


def _error(resolved: ResolvedSettings, key: str, problem: str, origin: Origin | None = None) -> ConfigError:
    origin = origin or resolved.origin(key)
    if origin is None:
        message = f"{key}: {problem}"
    elif origin.flag:
        message = f"{origin}: {problem}"  # the flag names the setting
    elif origin.line is None:
        message = f"{origin} {key}: {problem}"
    else:
        message = f"{origin}: {key}: {problem}"
    return ConfigError(message, origin=origin, key=key)


def _suggest(
    name: object, options: Sequence[str] | Mapping[str, object], what: str = "expected one of"
) -> str:
    close = difflib.get_close_matches(str(name), list(options), n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    return f"{what}: {', '.join(options)}"


def _unknown_top_level(name: str, value: object, resolved: ResolvedSettings) -> ConfigError:
    if isinstance(value, dict):
        return _error(resolved, name, f"unknown table [{name}]; {_suggest(name, SECTIONS, 'the tables are')}")
    owners = [
        f"{section}.{name}"
        for section, cls in SECTIONS.items()
        for c in (CAMERA_KINDS.values() if section == "camera" else [cls])
        if name in _field_names(c)
    ]
    hint = f"did you mean {owners[0]!r}?" if owners else f"the tables are: {', '.join(SECTIONS)}"
    return _error(resolved, name, f"unknown key {name!r} at the top level; {hint}")


def _convert_section(name: str, value: object, resolved: ResolvedSettings) -> object:
    if not isinstance(value, dict):
        raise _error(resolved, name, f"{_show(value)} is {_toml_type(value)}; expected a table [{name}]")
    cls = _camera_class(value, resolved) if name == "camera" else SECTIONS[name]
    prepared = _prepare_table(value, cls, name, resolved)
    try:
        return msgspec.convert(prepared, cls)
    except msgspec.ValidationError as e:
        raise _from_msgspec(str(e), name, cls, prepared, resolved) from None


def _camera_class(table: dict, resolved: ResolvedSettings) -> type:
    kind = table.get("kind", "auto")
    if not isinstance(kind, str) or kind not in CAMERA_KINDS:
        raise _error(
            resolved, "camera.kind", f"unknown camera kind {_show(kind)}; {_suggest(kind, CAMERA_KINDS)}"
        )
    return CAMERA_KINDS[kind]


def _field_names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def _table_label(cls: type, path: str) -> str:
    label = path if path.endswith("]") else f"[{path}]"
    return f"{label} (kind {cls.kind})" if cls in CAMERA_KINDS.values() else label  # type: ignore[attr-defined]


def _prepare_table(table: dict, cls: type, path: str, resolved: ResolvedSettings) -> dict:
    """`table` with unknown keys rejected and leaf values (Size, Color, TimeValue) parsed."""
    hints = typing.get_type_hints(cls, include_extras=True)
    names = _field_names(cls)
    out = {}
    for key, value in table.items():
        key_path = f"{path}.{key}"
        if key not in names:
            hint = _suggest(key, names, "the keys are")
            others = [k for k, c in CAMERA_KINDS.items() if key in _field_names(c)]
            if cls in CAMERA_KINDS.values() and others and not hint.startswith("did"):
                hint = f"{key!r} is a key of camera kind {' / '.join(others)}; {hint}"
            raise _error(resolved, key_path, f"unknown key {key!r} in {_table_label(cls, path)}; {hint}")
        out[key] = _prepare(value, hints[key], key_path, resolved)
    return out


def _prepare(value: object, tp: object, path: str, resolved: ResolvedSettings) -> object:
    options = _alternatives(tp)
    leaf = next((t for t in options if t in _LEAVES), None)
    if leaf is not None:
        if leaf is TimeValue and isinstance(value, datetime.date | datetime.time):
            value = value.isoformat()  # TOML dates and times
        try:
            return leaf.parse(value)  # type: ignore[attr-defined]
        except ValueError as e:
            raise _error(resolved, path, str(e)) from None
    tables = [t for t in options if dataclasses.is_dataclass(t)]
    if tables and isinstance(value, dict):
        return _prepare_table(value, tables[0], path, resolved)
    items = next((typing.get_args(t)[0] for t in options if typing.get_args(t)[1:] == (...,)), None)
    if items is not None and isinstance(value, list | tuple):
        return [_prepare(v, items, f"{path}[{i}]", resolved) for i, v in enumerate(value)]
    return value


def _alternatives(tp: object) -> list:
    """The types a value of type `tp` may have: Annotated stripped, unions split, None left out."""
    while typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) in (Union, types.UnionType):
        return [a for arg in typing.get_args(tp) for a in _alternatives(arg)]
    return [] if tp is type(None) else [tp]


def _type_at(cls: type, parts: list) -> object:
    """The declared type at a msgspec path (`["keyframes", 2, "fov"]`) below dataclass `cls`."""
    tp: object = cls
    for part in parts:
        options = _alternatives(tp)
        if isinstance(part, int):
            tp = next((typing.get_args(t)[0] for t in options if typing.get_origin(t) is tuple), None)
        else:
            table = next((t for t in options if dataclasses.is_dataclass(t)), None)
            tp = typing.get_type_hints(table, include_extras=True).get(part) if table else None
    return tp


def _split_path(path: str) -> list:
    """`keyframes[2].fov` -> `["keyframes", 2, "fov"]`."""
    return [int(p[1:-1]) if p.startswith("[") else p for p in re.findall(r"\[\d+\]|[^.\[\]]+", path)]


def _from_msgspec(message: str, section: str, cls: type, prepared: dict, resolved: ResolvedSettings):
    m = re.fullmatch(r"(.*?)(?: - at `\$(.*)`)?", message, flags=re.S)
    text, rel = m[1], m[2] or ""
    path = section + rel
    parts = _split_path(rel)
    value: object = prepared
    for part in parts:
        try:
            value = value[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            value = None
    if missing := re.fullmatch(r"Object missing required field `(\w+)`", text):
        table = _type_at(cls, parts)
        label = _table_label(next(iter(_alternatives(table)), cls), path)
        origin = resolved.origin(f"{path}.kind") if section == "camera" and not parts else None
        hint = f"; add it to the config file or pass --set {path}.{missing[1]}=…" if not parts else ""
        return _error(resolved, path, f"missing required key {missing[1]!r} in {label}{hint}", origin)
    if text.startswith("Invalid enum value"):
        literal = next(
            (t for t in _alternatives(_type_at(cls, parts)) if typing.get_origin(t) is Literal), None
        )
        allowed = ", ".join(_show(a) for a in typing.get_args(literal)) if literal else "?"
        return _error(resolved, path, f"invalid value {_show(value)}; expected one of {allowed}")
    if text.startswith("Expected "):
        expected = text.removeprefix("Expected ").replace(" | null", "")
        return _error(resolved, path, f"invalid value {_show(value)}; expected {expected}")
    return _error(resolved, path, f"invalid value {_show(value)}: {text}")


def _show(value: object) -> str:
    """A value as it would be written in TOML, shortened."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (str, *_LEAVES)):
        text = repr(str(value))
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(_show(v) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k} = {_show(v)}" for k, v in value.items()) + "}"
    else:
        text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _toml_type(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array"}
    return names.get(type(value), "a table" if isinstance(value, dict) else f"a {type(value).__name__}")


def _takes_text(parts: list[str]) -> bool:
    """Whether the key at `parts` takes text, a colour, a size or a time (for any camera kind)."""
    if not parts or parts[0] not in SECTIONS:
        return False
    classes = CAMERA_KINDS.values() if parts[0] == "camera" else [SECTIONS[parts[0]]]
    return any(t in (str, *_LEAVES) for cls in classes for t in _alternatives(_type_at(cls, list(parts[1:]))))


# --- cross-field checks -------------------------------------------------------------------------------


def _number(time: TimeValue | None) -> float | None:
    try:
        return float(time.text) if time is not None else None
    except ValueError:
        return None


def _check_time(resolved: ResolvedSettings) -> None:
    """`start` after `end` when both are plain numbers (other forms are compared once resolved)."""
    t = resolved.settings.time
    start, end = _number(t.start), _number(t.end)
    if start is not None and end is not None and start > end:
        raise _error(resolved, "time.end", f"end {t.end} is before start {t.start}; expected end >= start")


def _check_camera(resolved: ResolvedSettings) -> None:
    camera = resolved.settings.camera
    kind = camera.kind  # type: ignore[union-attr]
    if kind == "orbit" and camera.turns is not None and camera.period is not None:  # type: ignore[union-attr]
        raise _error(
            resolved,
            "camera.period",
            f"both `turns` (set at {resolved.origin('camera.turns')}) and `period` are set; "
            "an orbit takes one of them (neither: one turn over the video)",
        )
    if kind == "keyframes":
        if not camera.keyframes:  # type: ignore[union-attr]
            raise _error(
                resolved, "camera.keyframes", "no keyframes; expected at least one [[camera.keyframes]]"
            )
        if camera.period is not None and not camera.loop:  # type: ignore[union-attr]
            raise _error(
                resolved, "camera.period", "`period` is the time round a loop; expected `loop = true`"
            )
        _check_keyframe_times(resolved, camera)  # type: ignore[arg-type]
    for path, spec in _camera_parts(camera):
        up = getattr(spec, "up", None)
        if up is not None and not any(up):
            raise _error(
                resolved, f"{path}.up", "[0, 0, 0] has no direction; expected a vector such as [0, 0, 1]"
            )
        offset = getattr(spec, "offset", None)
        if offset is not None and not any(offset):
            raise _error(
                resolved,
                f"{path}.offset",
                "[0, 0, 0] puts the camera inside the entity; expected a non-zero offset",
            )
        position, look_at = getattr(spec, "position", None), getattr(spec, "look_at", None)
        if position is not None and isinstance(look_at, tuple) and tuple(look_at) == tuple(position):
            raise _error(
                resolved,
                f"{path}.look_at",
                "equals `position`, so there is no view direction; expected another point",
            )


def _check_keyframe_times(resolved: ResolvedSettings, camera: KeyframesCamera) -> None:
    """What `KeyframePath` would reject, checked where the times are plain numbers: two keyframes at one
    time; and for `times = "seconds"`, a loop `period` not longer than the keyframes' span."""
    numbers = [_number(k.time) for k in camera.keyframes]
    if None in numbers:
        return  # resolved against the timeline later
    first: dict[float, int] = {}
    for i, t in enumerate(numbers):
        if t in first:
            raise _error(
                resolved,
                f"camera.keyframes[{i}].time",
                f"keyframes[{first[t]}] has the same time {camera.keyframes[i].time}; "
                "expected a different time for each keyframe",
            )
        first[t] = i  # type: ignore[index]
    span = max(numbers) - min(numbers)  # type: ignore[type-var,operator]
    if camera.times == "seconds" and camera.loop and camera.period is not None and camera.period <= span:
        raise _error(
            resolved,
            "camera.period",
            f"a loop period of {camera.period:g} s is not longer than the keyframes' span of {span:g} s; "
            "expected a longer period",
        )


def _camera_parts(camera: object) -> list[tuple[str, object]]:
    """The camera and its keyframes, with their key paths."""
    keyframes = getattr(camera, "keyframes", ())
    return [("camera", camera), *((f"camera.keyframes[{i}]", k) for i, k in enumerate(keyframes))]


# --- names in the recording ---------------------------------------------------------------------------


def check_names(resolved: ResolvedSettings, timelines: Sequence[str], entity_paths: Sequence[str]) -> None:
    """ConfigError when the settings name a timeline, entity glob or camera entity the recording lacks.
    A camera entity may also be a parent of logged entities (`/world` when `/world/robot` is logged)."""
    settings = resolved.settings
    timeline = settings.time.timeline
    if timeline is not None and timeline not in timelines:
        close = difflib.get_close_matches(timeline, list(timelines), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        listed = ", ".join(timelines) or "none"
        problem = f"no timeline {timeline!r} in the recording; {hint}its timelines are: {listed}"
        raise _error(resolved, "time.timeline", problem)
    f = settings.entities
    globs = [
        *((f"entities.include[{i}]", g) for i, g in enumerate(f.include)),
        *((f"entities.exclude[{i}]", g) for i, g in enumerate(f.exclude)),
        *((f"entities.rules[{i}].path", r.path) for i, r in enumerate(f.rules)),
    ]
    for path, pattern in globs:
        if not any(EntityGlob(pattern).matches(p) for p in entity_paths):
            raise _error(
                resolved,
                path,
                f"{pattern!r} matches no entity of the recording; {_entity_hint(pattern, entity_paths)}",
            )
    known = {normalize_entity_path(p) for p in entity_paths}
    known |= {parent for p in known for parent in ancestors(p)}
    origin = normalize_entity_path(settings.view.origin)
    if origin != "/" and origin not in known:
        problem = f"{origin!r} is not an entity of the recording; {_entity_hint(origin, entity_paths)}"
        raise _error(resolved, "view.origin", problem)
    for path, spec in _camera_parts(settings.camera):
        for key in ("entity", "center", "look_at"):
            name = getattr(spec, key, None)
            if isinstance(name, str) and normalize_entity_path(name) not in known:
                raise _error(
                    resolved,
                    f"{path}.{key}",
                    f"{name!r} is not an entity of the recording; {_entity_hint(name, entity_paths)}",
                )


def _entity_hint(name: str, entity_paths: Sequence[str]) -> str:
    # An entity with the same last part is the likeliest meaning (a path with a level left out).
    last = name.rstrip("/").rsplit("/", 1)[-1]
    same_leaf = [p for p in entity_paths if p.rsplit("/", 1)[-1] == last]
    close = same_leaf[:1] or difflib.get_close_matches(name, list(entity_paths), n=1, cutoff=0.5)
    if close:
        return f"did you mean {close[0]!r}?"
    shown = ", ".join(list(entity_paths)[:10]) or "none"
    more = f" and {len(entity_paths) - 10} more" if len(entity_paths) > 10 else ""
    return f"its entities are: {shown}{more}"
