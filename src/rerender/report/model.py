"""What a report says about one recording, gathered into plain values: its stores' identity, timelines,
entities, scalar series, text logs and recording properties.

The structure comes from `rrd.summary.summarize` (what `rerender info` prints); the data comes from the
store's queries. Nothing here renders or writes files.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..pipeline.frames import default_timeline, preferred_timelines
from ..rrd import StoreKind, TimeKind
from ..rrd.summary import StoreSummary, summarize
from ..rrd.timeformat import format_time
from ..scene import default_colors, unpack_colors
from ..store import RangeColumn, RangeRow, Recording, load

PROPERTIES = "/__properties"
SCALARS = "Scalars:scalars"
TEXT = "TextLog:text"
LEVEL = "TextLog:level"
SERIES_STYLES = ("SeriesLines", "SeriesPoints")  # archetypes whose `names` and `colors` style a plot
MAX_LOG_LINES = 300


@dataclass(frozen=True)
class TimelineFacts:
    """One timeline: its kind, the range it spans (raw and as text) and how many distinct times it has."""

    name: str
    kind: TimeKind
    min: int
    max: int
    ticks: int

    @property
    def min_text(self) -> str:
        return format_time(self.min, self.kind)

    @property
    def max_text(self) -> str:
        return format_time(self.max, self.kind)


@dataclass(frozen=True)
class EntityFacts:
    """One entity path: its archetypes (short names), the most rows any of its components was logged in,
    and whether all of it is static."""

    path: str
    archetypes: tuple[str, ...]
    rows: int
    static: bool


@dataclass(frozen=True)
class Series:
    """One line of a plot: instance `index` of an entity's `Scalars`, at the times it was logged."""

    name: str
    color: tuple[int, int, int]
    times: np.ndarray  # int64 timeline values, ascending
    values: np.ndarray  # float64, NaN where nothing was logged for this instance


@dataclass(frozen=True)
class ScalarPlot:
    """An entity's `Scalars` over one timeline, one series per instance."""

    entity: str
    timeline: str
    kind: TimeKind
    series: tuple[Series, ...]


@dataclass(frozen=True)
class LogLine:
    """One TextLog entry; `time` is None for a static entry."""

    entity: str
    timeline: str | None
    time: int | None
    time_text: str
    level: str
    text: str


@dataclass(frozen=True)
class Property:
    """A recording property (`rr.send_property`, the recording name, its start time) as text."""

    key: str
    value: str


@dataclass(frozen=True)
class RecordingFacts:
    """Everything the report shows about one recording that is not rendered."""

    path: Path
    application_id: str
    recording_id: str
    writer: str
    chunks: int
    rows: int
    truncated: bool
    main_timeline: str | None  # the one videos play and plots and logs prefer; None: static only
    timelines: tuple[TimelineFacts, ...]
    entities: tuple[EntityFacts, ...]
    plots: tuple[ScalarPlot, ...]
    logs: tuple[LogLine, ...]
    log_total: int  # entries in the recording; `logs` holds at most `max_log_lines` of them
    properties: tuple[Property, ...]
    notes: tuple[str, ...] = field(default=())  # warnings raised while reading

    @property
    def name(self) -> str | None:
        """The recording name sent with `rr.send_recording_name`, if any."""
        return next((p.value for p in self.properties if p.key == "name"), None)


def gather(
    path: Path, recording: Recording | None = None, *, max_log_lines: int = MAX_LOG_LINES
) -> RecordingFacts:
    """Read the recording at `path` (loaded already as `recording`, or here) and collect what the report
    shows; raises RerenderError (or OSError) for a file that cannot be read."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        summary = summarize(path)
        rec = recording if recording is not None else load(path)
    store = next(
        (
            s
            for s in summary.stores
            if s.store_id.kind == StoreKind.RECORDING and s.store_id.recording_id == rec.recording_id
        ),
        None,
    )
    main = default_timeline(list(rec.timelines))
    logs = text_logs(rec, main)
    return RecordingFacts(
        path=Path(path),
        application_id=rec.application_id,
        recording_id=rec.recording_id,
        writer=_writer(store),
        chunks=store.chunks if store else 0,
        rows=store.rows if store else 0,
        truncated=summary.truncated,
        main_timeline=main,
        timelines=timelines(rec),
        entities=entities(store) if store else (),
        plots=scalar_plots(rec, main),
        logs=tuple(logs[:max_log_lines]),
        log_total=len(logs),
        properties=properties(rec),
        notes=tuple(dict.fromkeys(str(w.message) for w in caught)),
    )


def _writer(store: StoreSummary | None) -> str:
    info = store.info if store else None
    if info is None:
        return "unknown"
    return info.store_source.describe() + (f", Rerun {info.store_version}" if info.store_version else "")


def timelines(rec: Recording) -> tuple[TimelineFacts, ...]:
    """Every timeline, by name, with its range and tick count."""
    return tuple(
        TimelineFacts(t.name, t.kind, t.min, t.max, len(rec.ticks(t.name))) for t in rec.timelines.values()
    )


def entities(store: StoreSummary) -> tuple[EntityFacts, ...]:
    """Every entity of the store, by path (as `rerender info` lists them)."""
    return tuple(
        EntityFacts(
            e.path,
            tuple(e.archetypes),
            max((c.static_rows + c.temporal_rows for c in e.components.values()), default=0),
            e.is_static,
        )
        for e in sorted(store.entities.values(), key=lambda e: e.path)
    )


@dataclass(frozen=True)
class _Logged:
    """The rows of one component of one entity on the timeline they are read on."""

    timeline: str
    rows: list[RangeRow]


def _logged(rec: Recording, entity: str, components: list[str], main: str | None) -> _Logged | None:
    """The rows that hold `components[0]` (with any of the others logged in the same row) on the first
    timeline (in `preferred_timelines` order) where `entity` has such rows: a series or log is read on
    one timeline, as a Rerun view shows it. None when it has none (static only)."""
    for name in preferred_timelines(rec.timelines, main):
        rows = rec.range(name, entity=entity, components=components)
        rows = [r for r in rows if components[0] in r.components]
        if rows:
            return _Logged(name, rows)
    return None


def _has(rec: Recording, entity: str, component: str) -> bool:
    return any(d.component == component for d in rec.components(entity))


def _scalar_column(rec: Recording, entity: str, main: str | None) -> tuple[str, RangeColumn] | None:
    """The entity's `Scalars` on the first timeline (in `preferred_timelines` order) where it logged
    any: a series is read on one timeline, as a Rerun view shows it. None when it has none (static
    only)."""
    for name in preferred_timelines(rec.timelines, main):
        column = rec.range_column(name, entity, SCALARS)
        if len(column.times):
            return name, column
    return None


def scalar_plots(rec: Recording, main: str | None) -> tuple[ScalarPlot, ...]:
    """Every entity's `Scalars` over its timeline (the main one when it logged there)."""
    plots = []
    for entity in rec.entity_paths:
        found = _scalar_column(rec, entity, main) if _has(rec, entity, SCALARS) else None
        if found is None:
            continue
        timeline, column = found
        lengths = column.values.value_lengths().fill_null(0).to_numpy(zero_copy_only=False)
        width = int(lengths.max())
        if width == 0:
            continue
        # Row i's instances go to columns 0..len-1 of row i; an instance missing from a row is a gap.
        values = np.full((len(lengths), width), np.nan)
        rows = np.repeat(np.arange(len(lengths)), lengths)
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        flat = column.values.flatten().to_numpy(zero_copy_only=False).astype(np.float64)
        values[rows, np.arange(len(flat)) - starts] = flat
        names, colors = _series_style(rec, entity, timeline, width)
        series = tuple(Series(names[i], colors[i], column.times, values[:, i]) for i in range(width))
        plots.append(ScalarPlot(entity, timeline, rec.timelines[timeline].kind, series))
    return tuple(plots)


def _series_style(
    rec: Recording, entity: str, timeline: str, width: int
) -> tuple[list[str], list[tuple[int, int, int]]]:
    """Names and colours of an entity's series: from SeriesLines/SeriesPoints where logged (their newest
    values), else the entity's name (with the instance index for several) and its default colour."""
    state = rec.latest_at(timeline, rec.timelines[timeline].max, entity=entity).get(entity, {})
    short = entity.rsplit("/", 1)[-1] or entity
    names = [short if width == 1 else f"{short}[{i}]" for i in range(width)]
    colors = [c[:3] for c in default_colors(entity, width)]
    for archetype in SERIES_STYLES:
        if f"{archetype}:names" in state:
            given = state[f"{archetype}:names"].values.to_pylist()
            names = [str(given[i]) if i < len(given) and given[i] else names[i] for i in range(width)]
            break
    for archetype in SERIES_STYLES:
        logged = state.get(f"{archetype}:colors")
        if logged is not None and len(logged.values):
            rgba = unpack_colors(logged.values.to_numpy(zero_copy_only=False))
            # One colour for several series applies to all of them, as in Rerun.
            colors = [tuple(int(c) for c in rgba[min(i, len(rgba) - 1)][:3]) for i in range(width)]
            break
    return names, colors


def text_logs(rec: Recording, main: str | None) -> list[LogLine]:
    """Every TextLog entry, static ones first, then by timeline and time."""
    lines: list[LogLine] = []
    for entity in rec.entity_paths:
        if not _has(rec, entity, TEXT):
            continue
        static = rec.static(entity=entity, components=[TEXT, LEVEL]).get(entity, {})
        if TEXT in static:
            lines += _log_lines(entity, None, None, "static", static)
        logged = _logged(rec, entity, [TEXT, LEVEL], main)
        if logged is not None:
            kind = rec.timelines[logged.timeline].kind
            for r in logged.rows:
                lines += _log_lines(entity, logged.timeline, r.time, format_time(r.time, kind), r.components)
    order = {name: i for i, name in enumerate(preferred_timelines(rec.timelines, main))}
    lines.sort(key=lambda line: (line.timeline is not None, order.get(line.timeline, 0), line.time or 0))
    return lines


def _log_lines(entity: str, timeline: str | None, time: int | None, time_text: str, comps) -> list[LogLine]:
    texts = comps[TEXT].values.to_pylist()
    levels = [str(level) for level in comps[LEVEL].values.to_pylist()] if LEVEL in comps else [""]
    return [
        LogLine(entity, timeline, time, time_text, levels[min(i, len(levels) - 1)], text)
        for i, text in enumerate(texts)
        if text is not None
    ]


def properties(rec: Recording) -> tuple[Property, ...]:
    """The static values under `/__properties`: `name`, `start_time`, and each sent property's fields as
    `config.learning_rate` (the entity below `/__properties`, then the field)."""
    out = []
    for entity in rec.entity_paths:
        if entity != PROPERTIES and not entity.startswith(PROPERTIES + "/"):
            continue
        prefix = entity[len(PROPERTIES) :].strip("/").replace("/", ".")
        for component, value in sorted(rec.static(entity=entity).get(entity, {}).items()):
            field_name = component.split(":", 1)[-1]
            key = f"{prefix}.{field_name}" if prefix else field_name
            out.append(Property(key, _value_text(value.values, value.descriptor.component_type)))
    return tuple(out)


def _value_text(values: pa.Array, component_type: str | None) -> str:
    """A property's instances as one line: a timestamp as ISO-8601, one value bare, several as a list."""
    items = values.to_pylist()
    if component_type == "rerun.components.Timestamp":
        items = [format_time(int(v), TimeKind.TIMESTAMP) if v is not None else None for v in items]
    elif pa.types.is_floating(values.type):
        items = [v if v is None or not math.isfinite(v) else float(f"{v:.6g}") for v in items]
    if len(items) == 1:
        return str(items[0])
    return "[" + ", ".join(str(v) for v in items) + "]"
