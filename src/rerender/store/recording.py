"""`Recording`: a loaded recording and the queries the renderer asks of it.

Queries follow Rerun's latest-at semantics: per entity and component, the newest value at or
before the queried time on that timeline (rows at equal times ordered by row id); static data is
visible at every time and wins over temporal data; a Clear hides the entity's components (and its
descendants', if recursive) from its time on until they are logged again, as the viewer shows it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Literal

import numpy as np
import pyarrow as pa

from ..rrd import Chunk, ComponentDescriptor, StoreKind, Tuid
from .entities import EntityIndexes
from .index import CLEAR_COMPONENT, Cells, ClearEvents
from .source import ChunkSource, open_source
from .sweep import Sweeper
from .values import ComponentValue, LatestAtResult, RangeColumn, RangeRow, TimelineInfo, UnknownNameError


class Recording:
    """One recording: its identity, timelines and entities, and latest-at / range queries."""

    def __init__(self, source: ChunkSource) -> None:
        self._source = source
        self.name = source.name
        self.application_id = source.store_id.application_id or (
            source.info.store_id.application_id if source.info else ""
        )
        self.recording_id = source.store_id.recording_id
        self.info = source.info
        timelines: dict[str, list] = {}
        self._components: dict[str, dict[str, ComponentDescriptor]] = {}
        # Written out flat (no setdefault, min or max calls): this runs once per chunk on opening.
        for meta in source.metas:
            comps = self._components.get(meta.entity_path)
            if comps is None:
                comps = self._components[meta.entity_path] = {}
            for desc in meta.components:
                if desc.component not in comps:
                    comps[desc.component] = desc
            for name, span in meta.timelines.items():
                entry = timelines.get(name)
                if entry is None:
                    timelines[name] = [span.kind, span.min, span.max]
                    continue
                if span.min < entry[1]:
                    entry[1] = span.min
                if span.max > entry[2]:
                    entry[2] = span.max
        self.timelines = {
            name: TimelineInfo(name, kind, lo, hi) for name, (kind, lo, hi) in sorted(timelines.items())
        }
        self._indexes = EntityIndexes(source)
        self._ticks: dict[str, np.ndarray] = {}
        self._sweepers: dict[str, Sweeper] = {}  # one per timeline, forked for each sweep
        self.entity_paths = self._indexes.paths

    def close(self) -> None:
        """Close the recording's file now, rather than when the Recording is collected (a later query
        opens it again)."""
        self._source.close()

    def __enter__(self) -> Recording:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"Recording({self.application_id!r}, recording_id={self.recording_id!r}, "
            f"{len(self.entity_paths)} entities, timelines={list(self.timelines)})"
        )

    # -- structure ----------------------------------------------------------------------------

    def components(self, entity: str) -> list[ComponentDescriptor]:
        """Every component the entity ever had."""
        return list(self._components.get(entity, {}).values())

    def children(self, entity: str) -> list[str]:
        """Entities directly below `entity` in the tree (including ones with no data of their own)."""
        prefix = entity.rstrip("/") + "/"
        names = {
            p[len(prefix) :].split("/", 1)[0]
            for p in self.entity_paths
            if p.startswith(prefix) and p != entity
        }
        return sorted(prefix + n for n in names if n)

    def chunks(self) -> Iterator[Chunk]:
        """Every chunk of the recording (decoding all of them)."""
        for i in range(len(self._source.metas)):
            yield self._source.chunk(i)

    # -- queries ------------------------------------------------------------------------------

    def timeline(self, name: str) -> TimelineInfo:
        """A timeline by name; an unknown name raises UnknownNameError listing the ones that exist."""
        if name not in self.timelines:
            known = ", ".join(self.timelines) or "none (static data only)"
            raise UnknownNameError(f"{self.name}: no timeline {name!r}; the recording has: {known}")
        return self.timelines[name]

    def _check_timeline(self, timeline: str) -> None:
        self.timeline(timeline)

    def _entities(self, entity: str | None) -> list[str]:
        if entity is None:
            return self.entity_paths
        if entity not in self._indexes:
            raise UnknownNameError(
                f"{self.name}: no entity {entity!r}; the recording has: {', '.join(self.entity_paths)}"
            )
        return [entity]

    def latest_at(
        self, timeline: str, time: int, entity: str | None = None, components: Iterable[str] | None = None
    ) -> LatestAtResult:
        """For each entity (or one), each component's newest value at or before `time` on `timeline`."""
        self._check_timeline(timeline)
        wanted = set(components) if components is not None else None
        result: LatestAtResult = {}
        for path in self._entities(entity):
            values = self._latest_for_entity(path, timeline, int(time), wanted)
            if values:
                result[path] = values
        return result

    def static(self, entity: str | None = None, components: Iterable[str] | None = None) -> LatestAtResult:
        """Static data only: what every timeline shows before anything temporal (works without timelines)."""
        wanted = set(components) if components is not None else None
        result: LatestAtResult = {}
        for path in self._entities(entity):
            values = self._indexes.static_values(path, wanted)
            if values:
                result[path] = values
        return result

    def _latest_for_entity(
        self, path: str, timeline: str, time: int, wanted: set[str] | None
    ) -> dict[str, ComponentValue]:
        indexes = self._indexes
        index = indexes.index(path)
        static_clear = indexes.static_clear(path)
        clears = indexes.clear_events(path, timeline)
        temporal = index.temporal.get(timeline, {})
        out = indexes.static_values(path, wanted)
        for component in index.descriptors:
            if wanted is not None and component not in wanted:
                continue
            if component in index.static or static_clear is not None:
                continue  # static data wins; a static Clear hides temporal data for good
            cells = temporal.get(component)
            if cells is None:
                continue
            i = cells.latest_at(time)
            if i < 0:
                continue
            if clears is not None and component != CLEAR_COMPONENT:
                clear = clears.latest_at(time)
                if clear is not None and clear > cells.key(i):
                    continue
            out[component] = indexes.value(cells, i, component, static=False)
        return out

    def latest_at_columns(
        self,
        timeline: str,
        times: Iterable[int],
        entity: str | None = None,
        components: Iterable[str] | None = None,
    ) -> dict[str, dict[str, pa.ListArray]]:
        """Latest-at at many times at once, as columns: {entity: {component: one list per time}}.

        A null entry means no value at that time. This is the bulk form of `latest_at` (what Rerun's
        dataframe reader returns): one binary search and one `take` per component, no per-value work.
        """
        self._check_timeline(timeline)
        times = np.asarray(list(times) if not isinstance(times, np.ndarray) else times, dtype=np.int64)
        wanted = set(components) if components is not None else None
        out: dict[str, dict[str, pa.ListArray]] = {}
        for path in self._entities(entity):
            columns = self._entity_columns(path, timeline, times, wanted)
            if columns:
                out[path] = columns
        return out

    def _entity_columns(
        self, path: str, timeline: str, times: np.ndarray, wanted: set[str] | None
    ) -> dict[str, pa.ListArray]:
        indexes = self._indexes
        index = indexes.index(path)
        static = indexes.static_values(path, wanted)
        blocked = indexes.static_clear(path) is not None
        clears = indexes.clear_events(path, timeline)
        out: dict[str, pa.ListArray] = {}
        for component, value in static.items():
            single = pa.ListArray.from_arrays(pa.array([0, len(value.values)], pa.int32()), value.values)
            out[component] = single.take(pa.array(np.zeros(len(times), dtype=np.int64)))
        for component, cells in index.temporal.get(timeline, {}).items():
            if (wanted is not None and component not in wanted) or component in index.static or blocked:
                continue
            picked = cells.times.searchsorted(times, side="right") - 1
            if clears is not None and component != CLEAR_COMPONENT:
                picked = _hide_cleared(cells, picked, clears, times)
            if (picked < 0).all():
                continue
            out[component] = indexes.gather(cells, component, picked)
        return out

    def range(
        self,
        timeline: str,
        start: int | None = None,
        end: int | None = None,
        entity: str | None = None,
        components: Iterable[str] | None = None,
    ) -> list[RangeRow]:
        """Every row logged on `timeline` within [start, end], in (time, row id) order."""
        self._check_timeline(timeline)
        wanted = set(components) if components is not None else None
        lo = np.iinfo(np.int64).min if start is None else int(start)
        hi = np.iinfo(np.int64).max if end is None else int(end)
        rows: dict[tuple[str, int, int, int], RangeRow] = {}
        for path in self._entities(entity):
            for component, cells in self._indexes.index(path).temporal.get(timeline, {}).items():
                if wanted is not None and component not in wanted:
                    continue
                first = int(np.searchsorted(cells.times, lo, side="left"))
                last = int(np.searchsorted(cells.times, hi, side="right"))
                for i in range(first, last):
                    key = (path, *cells.key(i))
                    row = rows.get(key)
                    if row is None:
                        row = rows[key] = RangeRow(path, key[1], Tuid(key[2], key[3]), {})
                    row.components[component] = self._indexes.value(cells, i, component, static=False)
        return [rows[k] for k in sorted(rows, key=lambda k: (k[1], k[2], k[3], k[0]))]

    def range_column(
        self, timeline: str, entity: str, component: str, start: int | None = None, end: int | None = None
    ) -> RangeColumn:
        """Every row of one entity's `component` logged on `timeline` within [start, end], as columns:
        the bulk form of `range` for one component (a plot's series), with no per-row work."""
        self._check_timeline(timeline)
        self._entities(entity)
        cells = self._indexes.index(entity).temporal.get(timeline, {}).get(component)
        if cells is None:
            return RangeColumn(np.empty(0, dtype=np.int64), pa.array([], pa.list_(pa.null())))
        lo = np.iinfo(np.int64).min if start is None else int(start)
        hi = np.iinfo(np.int64).max if end is None else int(end)
        first = int(np.searchsorted(cells.times, lo, side="left"))
        last = int(np.searchsorted(cells.times, hi, side="right"))
        if first == last:
            return RangeColumn(np.empty(0, dtype=np.int64), pa.array([], pa.list_(pa.null())))
        values = self._indexes.gather(cells, component, np.arange(first, last))
        return RangeColumn(cells.times[first:last].copy(), values)

    def ticks(self, timeline: str) -> np.ndarray:
        """Every distinct time at which anything was logged on `timeline`, ascending (read only)."""
        self._check_timeline(timeline)
        ticks = self._ticks.get(timeline)
        if ticks is None:  # a pass over every entity's index: kept (a render asks several times)
            parts = [
                cells.times
                for path in self.entity_paths
                for cells in self._indexes.index(path).temporal.get(timeline, {}).values()
            ]
            ticks = np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)
            ticks.flags.writeable = False
            self._ticks[timeline] = ticks
        return ticks

    def sweep(
        self, timeline: str, times: Iterable[int] | None = None
    ) -> Iterator[tuple[int, LatestAtResult]]:
        """Latest-at state at each of `times` (ascending; default: every tick), updated incrementally.

        The yielded mapping is the same object every step, changed in place, with values read
        lazily: a step costs what was logged since the previous one plus what the caller reads.
        Its `changed` attribute names the entities whose values changed. Copy it to keep a snapshot.
        """
        self._check_timeline(timeline)
        template = self._sweepers.get(timeline)
        if template is None:
            template = self._sweepers[timeline] = Sweeper(self._indexes, timeline)
        sweeper = template.fork()
        for time in self.ticks(timeline) if times is None else times:
            yield int(time), sweeper.advance(int(time))


def _hide_cleared(cells: Cells, picked: np.ndarray, clears: ClearEvents, times: np.ndarray) -> np.ndarray:
    """Set to -1 every picked cell that a newer clear (at or before its query time) hides."""
    c = clears.times.searchsorted(times, side="right") - 1
    has_both = (c >= 0) & (picked >= 0)
    p, k = np.maximum(picked, 0), np.maximum(c, 0)
    cell_time, cell_hi, cell_lo = cells.times[p], cells.row_hi[p], cells.row_lo[p]
    clear_time, clear_hi, clear_lo = clears.times[k], clears.row_hi[k], clears.row_lo[k]
    newer = (clear_time > cell_time) | (
        (clear_time == cell_time) & ((clear_hi > cell_hi) | ((clear_hi == cell_hi) & (clear_lo > cell_lo)))
    )
    return np.where(has_both & newer, -1, picked)


def load(
    source: str | os.PathLike | BinaryIO | bytes | Iterable[Chunk],
    *,
    recording_id: str | None = None,
    kind: Literal["recording", "blueprint"] = "recording",
) -> Recording:
    """Open a recording from an .rrd path, a binary stream, RRD bytes or chunks in memory.

    `kind="blueprint"` opens the file's blueprint store instead (an .rbl file, or the blueprint an .rrd
    carries): it is a store of chunks like a recording, queried on its `blueprint` timeline."""
    if kind not in ("recording", "blueprint"):
        raise ValueError(f"kind must be 'recording' or 'blueprint', not {kind!r}")
    store_kind = StoreKind.BLUEPRINT if kind == "blueprint" else StoreKind.RECORDING
    return Recording(open_source(source, recording_id=recording_id, kind=store_kind))
