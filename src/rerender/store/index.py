"""Per-entity indexes: for each component and timeline, every logged cell sorted by (time, row id).

Latest-at is then a binary search. Clears are kept as events of their own: an entity's component
is cleared at time t when a Clear of the entity (or a recursive Clear of an ancestor) is newer
than the component's latest value; new data after the clear shows again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from ..rrd import Chunk, ComponentDescriptor, Tuid

CLEAR_COMPONENT = "Clear:is_recursive"
_NO_TIME = np.iinfo(np.int64).min


@dataclass(slots=True, eq=False)  # eq=False: numpy arrays do not compare to one bool
class _Part:
    """Some cells of one component from one chunk, in row order: what `_sorted_cells` merges."""

    times: np.ndarray  # int64
    row_hi: np.ndarray  # uint64 row id halves
    row_lo: np.ndarray
    chunk: np.ndarray  # int32: the chunk's index in the recording, once per cell
    rows: np.ndarray  # int32 rows within the chunk


@dataclass(slots=True, eq=False)
class _ChunkColumns:
    """A chunk's columns every component's part is cut from, computed once per chunk (not per component
    and timeline): with one-row chunks, numpy's per-call cost is most of the work."""

    row_hi: np.ndarray
    row_lo: np.ndarray
    rows: np.ndarray  # int32 0..N-1
    chunk: np.ndarray  # int32: the chunk's index, N times
    times: dict[str, np.ndarray]  # timeline -> int64 values; for a static chunk, "" -> _NO_TIME
    # Per timeline, the part of a component logged in every row: one object that all such components
    # share, so that their (equal) cells are also sorted and stored once.
    full_parts: dict[str, _Part]

    @classmethod
    def of(cls, chunk: Chunk, chunk_index: int) -> _ChunkColumns:
        halves = chunk.row_ids.view(">u8").astype(np.uint64)  # (time_ns, inc) pairs, native order
        n = len(halves) // 2
        timelines = chunk.timelines
        if timelines:
            # Copied: a view would keep the whole decoded chunk alive as long as the index lives.
            times = {name: np.array(chunk.time_values(name), dtype=np.int64) for name in timelines}
        else:
            times = {"": np.full(n, _NO_TIME, dtype=np.int64)}
        row_hi, row_lo = halves[0::2], halves[1::2]
        rows, chunk_ids = np.arange(n, dtype=np.int32), np.full(n, chunk_index, dtype=np.int32)
        full_parts = {name: _Part(t, row_hi, row_lo, chunk_ids, rows) for name, t in times.items()}
        return cls(row_hi, row_lo, rows, chunk_ids, times, full_parts)


class RowKey(NamedTuple):
    """Where a logged row stands in the order in which rows supersede each other: by time, then row id.

    A NamedTuple rather than a dataclass: latest-at compares these per component, at tuple speed.
    """

    time: int
    row_hi: int  # the row id's halves (`Tuid.time_ns`, `Tuid.inc`)
    row_lo: int


@dataclass(slots=True)  # slots: a recording of many entities holds several of these per entity
class Cells:
    """Where each logged value of one component lives, in (time, row id) order."""

    times: np.ndarray  # int64; _NO_TIME for static cells
    row_hi: np.ndarray  # uint64 row id halves, for ordering rows at equal times
    row_lo: np.ndarray
    chunk: np.ndarray  # int32 index into the recording's chunks
    row: np.ndarray  # int32 row within that chunk
    _lists: tuple | None = field(default=None, repr=False, compare=False)

    def latest_at(self, time: int) -> int:
        """Position of the newest cell at or before `time`, or -1."""
        return int(np.searchsorted(self.times, time, side="right")) - 1

    def key(self, i: int) -> RowKey:
        """Where cell i stands in the order in which cells supersede each other."""
        return RowKey(int(self.times[i]), int(self.row_hi[i]), int(self.row_lo[i]))

    def row_id(self, i: int) -> Tuid:
        """The row id of cell i."""
        return Tuid(int(self.row_hi[i]), int(self.row_lo[i]))

    def lists(self) -> tuple[list[int], list[int], list[int], list[int], list[int]]:
        """(times, row_hi, row_lo, chunk, row) as Python lists: reading one element of a numpy array
        costs 4x a list's, and materializing values reads five per cell."""
        if self._lists is None:
            self._lists = tuple(
                a.tolist() for a in (self.times, self.row_hi, self.row_lo, self.chunk, self.row)
            )
        return self._lists


def _sorted_cells(parts: list[_Part]) -> Cells:
    """Merge parts into one (time, row id)-sorted `Cells`."""
    if len(parts) == 1:
        # The common case (an entity logged once, or in one chunk): no concatenation, and no sort when the
        # chunk's rows are already in order. The arrays may be shared with other components' cells.
        p = parts[0]
        if _is_sorted(p.times, p.row_hi, p.row_lo):
            return Cells(p.times, p.row_hi, p.row_lo, p.chunk, p.rows)
        order = np.lexsort((p.row_lo, p.row_hi, p.times))
        return Cells(p.times[order], p.row_hi[order], p.row_lo[order], p.chunk, p.rows[order])
    times = np.concatenate([p.times for p in parts])
    row_hi = np.concatenate([p.row_hi for p in parts])
    row_lo = np.concatenate([p.row_lo for p in parts])
    chunk = np.concatenate([p.chunk for p in parts])
    rows = np.concatenate([p.rows for p in parts])
    order = np.lexsort((row_lo, row_hi, times))
    return Cells(times[order], row_hi[order], row_lo[order], chunk[order], rows[order])


def _is_sorted(times: np.ndarray, row_hi: np.ndarray, row_lo: np.ndarray) -> bool:
    """Whether cells are in (time, row id) order already."""
    if len(times) < 2:
        return True
    dt = np.diff(times)
    if (dt > 0).all():
        return True
    if (dt < 0).any():
        return False
    tie = dt == 0  # equal times: the row ids decide
    hi0, hi1, lo0, lo1 = row_hi[:-1][tie], row_hi[1:][tie], row_lo[:-1][tie], row_lo[1:][tie]
    return bool(((hi1 > hi0) | ((hi1 == hi0) & (lo1 >= lo0))).all())


@dataclass(frozen=True, eq=False)  # eq=False: numpy arrays do not compare to one bool
class OwnClears:
    """The Clear rows logged on one entity on one timeline, as columns in chunk order (not sorted)."""

    times: np.ndarray  # int64
    row_hi: np.ndarray  # uint64 row id halves
    row_lo: np.ndarray
    recursive: np.ndarray  # bool: whether the clear also hides the entity's descendants

    def only_recursive(self) -> OwnClears:
        """The recursive ones: what an ancestor's clears do to its descendants."""
        keep = self.recursive
        return OwnClears(self.times[keep], self.row_hi[keep], self.row_lo[keep], self.recursive[keep])


@dataclass(frozen=True)
class StaticClear:
    """A static Clear row: static data logged before it (by row id) is hidden."""

    row_id: Tuid
    recursive: bool


@dataclass(frozen=True, eq=False)
class ClearEvents:
    """Clears affecting one entity on one timeline (its own, and recursive ones of its ancestors),
    in (time, row id) order."""

    times: np.ndarray
    row_hi: np.ndarray
    row_lo: np.ndarray

    def latest_at(self, time: int) -> RowKey | None:
        """The newest clear at or before `time`."""
        i = int(np.searchsorted(self.times, time, side="right")) - 1
        if i < 0:
            return None
        return RowKey(int(self.times[i]), int(self.row_hi[i]), int(self.row_lo[i]))


@dataclass(slots=True)
class EntityIndex:
    """Everything logged on one entity, indexed for latest-at and range queries."""

    path: str
    descriptors: dict[str, ComponentDescriptor] = field(default_factory=dict)
    static: dict[str, Cells] = field(default_factory=dict)  # newest last
    temporal: dict[str, dict[str, Cells]] = field(default_factory=dict)  # timeline -> component -> cells
    # Own clears, before ancestors' recursive clears are merged in: timeline -> clears
    own_clears: dict[str, OwnClears] = field(default_factory=dict)
    static_clear: StaticClear | None = None  # the newest one


def build_entity_index(path: str, chunks: Iterable[tuple[int, Chunk]]) -> EntityIndex:
    """Index one entity's chunks (given with their indexes in the recording), read once, in order."""
    index = EntityIndex(path)
    static_parts: dict[str, list[_Part]] = {}
    temporal_parts: dict[str, dict[str, list[_Part]]] = {}
    clear_parts: dict[str, list[tuple[_Part, np.ndarray]]] = {}
    for chunk_index, chunk in chunks:
        columns = _ChunkColumns.of(chunk, chunk_index)
        is_static = chunk.is_static
        for desc in chunk.components:
            name = desc.component
            index.descriptors.setdefault(name, desc)
            column = chunk.component(desc)
            if column.null_count:
                rows = np.flatnonzero(np.asarray(column.is_valid())).astype(np.int32)
                if len(rows) == 0:
                    continue
                row_hi, row_lo, chunk_ids = columns.row_hi[rows], columns.row_lo[rows], columns.chunk[rows]
            else:  # every row logged: the chunk's own columns serve as they are
                rows, row_hi, row_lo, chunk_ids = columns.rows, columns.row_hi, columns.row_lo, columns.chunk
                if len(rows) == 0:
                    continue
            recursive = _clear_flags(column, rows) if name == CLEAR_COMPONENT else None
            for timeline, all_times in columns.times.items():
                if rows is columns.rows:
                    part = columns.full_parts[timeline]
                else:
                    part = _Part(all_times[rows], row_hi, row_lo, chunk_ids, rows)
                if is_static:
                    static_parts.setdefault(name, []).append(part)
                    if recursive is not None:
                        _note_static_clear(index, rows, recursive, columns)
                    continue
                by_component = temporal_parts.get(timeline)
                if by_component is None:
                    by_component = temporal_parts[timeline] = {}
                parts = by_component.get(name)
                if parts is None:
                    by_component[name] = [part]
                else:
                    parts.append(part)
                if recursive is not None:
                    clear_parts.setdefault(timeline, []).append((part, recursive))
    merged: dict[int | tuple[int, ...], Cells] = {}  # components made of the same parts share their cells
    index.static = {name: _merged_cells(parts, merged) for name, parts in static_parts.items()}
    index.temporal = {
        tl: {name: _merged_cells(parts, merged) for name, parts in comps.items()}
        for tl, comps in temporal_parts.items()
    }
    for timeline, clears in clear_parts.items():
        index.own_clears[timeline] = OwnClears(
            np.concatenate([p.times for p, _ in clears]),
            np.concatenate([p.row_hi for p, _ in clears]),
            np.concatenate([p.row_lo for p, _ in clears]),
            np.concatenate([r for _, r in clears]),
        )
    return index


def _merged_cells(parts: list[_Part], merged: dict[int | tuple[int, ...], Cells]) -> Cells:
    """`_sorted_cells(parts)`, computed once for each distinct list of parts (which all stay alive while
    `merged` is used, so their ids are theirs alone)."""
    key = id(parts[0]) if len(parts) == 1 else tuple(map(id, parts))
    cells = merged.get(key)
    if cells is None:
        cells = merged[key] = _sorted_cells(parts)
    return cells


def _clear_flags(column: pa.ListArray, rows: np.ndarray) -> np.ndarray:
    """Whether each clear row is recursive (an empty value counts as not recursive)."""
    flags = []
    for r in rows:
        values = column[int(r)].values
        flags.append(bool(len(values)) and bool(values[0].as_py()))
    return np.array(flags, dtype=bool)


def _note_static_clear(
    index: EntityIndex, rows: np.ndarray, recursive: np.ndarray, columns: _ChunkColumns
) -> None:
    for i, r in enumerate(rows):
        row_id = Tuid(int(columns.row_hi[r]), int(columns.row_lo[r]))
        if index.static_clear is None or row_id > index.static_clear.row_id:
            index.static_clear = StaticClear(row_id, bool(recursive[i]))


def merge_clears(own: OwnClears | None, inherited: list[OwnClears]) -> ClearEvents | None:
    """One entity's effective clears on a timeline: its own, plus ancestors' recursive ones."""
    parts = ([own] if own is not None else []) + [ancestor.only_recursive() for ancestor in inherited]
    if sum(len(p.times) for p in parts) == 0:
        return None
    t = np.concatenate([p.times for p in parts])
    hi = np.concatenate([p.row_hi for p in parts])
    lo = np.concatenate([p.row_lo for p in parts])
    order = np.lexsort((lo, hi, t))
    return ClearEvents(t[order], hi[order], lo[order])
