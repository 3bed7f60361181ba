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


def row_keys(chunk: Chunk) -> np.ndarray:
    """Row ids as one sortable (time_ns, inc) pair of uint64 columns, shape (N, 2)."""
    ids = chunk.row_ids
    return np.stack([ids["time_ns"].astype(np.uint64), ids["inc"].astype(np.uint64)], axis=1)


class RowKey(NamedTuple):
    """Where a logged row stands in the order in which rows supersede each other: by time, then row id.

    A NamedTuple rather than a dataclass: latest-at compares these per component, at tuple speed.
    """

    time: int
    row_hi: int  # the row id's halves (`Tuid.time_ns`, `Tuid.inc`)
    row_lo: int


@dataclass
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


def _sorted_cells(parts: list[tuple[np.ndarray, np.ndarray, int, np.ndarray]]) -> Cells:
    """Merge (times, row keys, chunk index, rows) parts into one (time, row id)-sorted `Cells`."""
    times = np.concatenate([p[0] for p in parts])
    keys = np.concatenate([p[1] for p in parts])
    chunk = np.concatenate([np.full(len(p[0]), p[2], dtype=np.int32) for p in parts])
    rows = np.concatenate([p[3] for p in parts]).astype(np.int32)
    order = np.lexsort((keys[:, 1], keys[:, 0], times))
    return Cells(times[order], keys[order, 0], keys[order, 1], chunk[order], rows[order])


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


@dataclass
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
    static_parts: dict[str, list] = {}
    temporal_parts: dict[str, dict[str, list]] = {}
    clear_parts: dict[str, list] = {}
    for chunk_index, chunk in chunks:
        keys = row_keys(chunk)
        for desc in chunk.components:
            name = desc.component
            index.descriptors.setdefault(name, desc)
            column = chunk.component(desc)
            rows = (
                np.flatnonzero(np.asarray(column.is_valid())) if column.null_count else np.arange(len(column))
            )
            if len(rows) == 0:
                continue
            if chunk.is_static:
                times = np.full(len(rows), _NO_TIME, dtype=np.int64)
                static_parts.setdefault(name, []).append((times, keys[rows], chunk_index, rows))
                if name == CLEAR_COMPONENT:
                    _note_static_clear(index, column, rows, keys)
                continue
            for timeline in chunk.timelines:
                times = chunk.time_values(timeline)[rows]
                temporal_parts.setdefault(timeline, {}).setdefault(name, []).append(
                    (times, keys[rows], chunk_index, rows)
                )
                if name == CLEAR_COMPONENT:
                    recursive = _clear_flags(column, rows)
                    clear_parts.setdefault(timeline, []).append((times, keys[rows], recursive))
    index.static = {name: _sorted_cells(parts) for name, parts in static_parts.items()}
    index.temporal = {
        tl: {name: _sorted_cells(parts) for name, parts in comps.items()}
        for tl, comps in temporal_parts.items()
    }
    for timeline, parts in clear_parts.items():
        keys = np.concatenate([p[1] for p in parts])
        index.own_clears[timeline] = OwnClears(
            np.concatenate([p[0] for p in parts]),
            keys[:, 0],
            keys[:, 1],
            np.concatenate([p[2] for p in parts]),
        )
    return index


def _clear_flags(column: pa.ListArray, rows: np.ndarray) -> np.ndarray:
    """Whether each clear row is recursive (an empty value counts as not recursive)."""
    flags = []
    for r in rows:
        values = column[int(r)].values
        flags.append(bool(len(values)) and bool(values[0].as_py()))
    return np.array(flags, dtype=bool)


def _note_static_clear(index: EntityIndex, column: pa.ListArray, rows: np.ndarray, keys: np.ndarray) -> None:
    recursive = _clear_flags(column, rows)
    for i, r in enumerate(rows):
        row_id = Tuid(int(keys[r, 0]), int(keys[r, 1]))
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
