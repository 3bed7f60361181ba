"""A recording's per-entity indexes, built on first use, and the values their cells point at.

`Recording`'s queries and the sweep (`store/sweep.py`) both read through `EntityIndexes`: it decodes an
entity's chunks the first time the entity is asked about, and keeps what it derived (indexes, the clears
that apply, the columns values are sliced from), since every query asks again.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ..lru import LruCache
from ..rrd import ComponentDescriptor, Tuid, ancestors
from .index import Cells, ClearEvents, EntityIndex, build_entity_index, merge_clears
from .source import ChunkSource
from .values import ComponentValue

COLUMN_BYTES = 128 << 20
# What a kept column holds besides its values (offsets as a list, Arrow wrappers, and the decoded chunk's
# buffers it keeps alive), counted with them: without it, 100,000 one-row columns weigh "4 MB".
COLUMN_OVERHEAD = 2 << 10


class EntityIndexes:
    """The indexes of one recording's entities, and values read out of its chunks."""

    def __init__(self, source: ChunkSource) -> None:
        self._source = source
        self._chunks_by_entity: dict[str, list[int]] = {}
        for i, meta in enumerate(source.metas):
            self._chunks_by_entity.setdefault(meta.entity_path, []).append(i)
        self.paths = sorted(self._chunks_by_entity)  # every entity with data of its own
        self._indexes: dict[str, EntityIndex] = {}
        self._clears: dict[tuple[str, str], ClearEvents | None] = {}
        self._static_clears: dict[str, Tuid | None] = {}
        # The columns values were last sliced from (they hold their chunks' buffers: bounded by bytes).
        self._columns: LruCache[tuple[int, str], tuple[pa.Array, list[int], ComponentDescriptor]] = LruCache(
            COLUMN_BYTES
        )

    def __contains__(self, entity: str) -> bool:
        return entity in self._chunks_by_entity

    def index(self, entity: str) -> EntityIndex:
        """The entity's index (empty for an entity with no data of its own)."""
        index = self._indexes.get(entity)
        if index is None:
            # One chunk at a time: an entity's chunks may be more than memory holds (see ChunkSource.chunk).
            chunks = ((i, self._source.chunk(i)) for i in self._chunks_by_entity.get(entity, []))
            index = self._indexes[entity] = build_entity_index(entity, chunks)
        return index

    def clear_events(self, entity: str, timeline: str) -> ClearEvents | None:
        """The clears that hide the entity's data on `timeline`: its own and its ancestors' recursive ones."""
        key = (entity, timeline)
        if key not in self._clears:
            own = self.index(entity).own_clears.get(timeline) if entity in self else None
            inherited = []
            for parent in ancestors(entity):
                if parent in self:
                    clears = self.index(parent).own_clears.get(timeline)
                    if clears is not None:
                        inherited.append(clears)
            self._clears[key] = merge_clears(own, inherited)
        return self._clears[key]

    def static_clear(self, entity: str) -> Tuid | None:
        """Row id of the newest static Clear that applies to `entity` (its own or a recursive ancestor's).

        While there is one, the entity's temporal data is hidden for good, and so is static data logged
        before it."""
        if entity not in self._static_clears:  # every latest_at asks, and the answer never changes
            self._static_clears[entity] = self._find_static_clear(entity)
        return self._static_clears[entity]

    def _find_static_clear(self, entity: str) -> Tuid | None:
        newest = None
        own = self.index(entity).static_clear
        if own is not None:
            newest = own.row_id
        for parent in ancestors(entity):
            if parent in self:
                clear = self.index(parent).static_clear
                if clear is not None and clear.recursive and (newest is None or clear.row_id > newest):
                    newest = clear.row_id
        return newest

    def static_values(self, entity: str, wanted: set[str] | None = None) -> dict[str, ComponentValue]:
        """The entity's static values (the newest per component, only the `wanted` components if given)
        that no newer static Clear hides."""
        index = self.index(entity)
        static_clear = self.static_clear(entity)
        out: dict[str, ComponentValue] = {}
        for component, cells in index.static.items():
            if wanted is not None and component not in wanted:
                continue
            last = len(cells.times) - 1
            if static_clear is None or cells.row_id(last) > static_clear:
                out[component] = self.value(cells, last, component, static=True)
        return out

    def value(self, cells: Cells, i: int, component: str, *, static: bool) -> ComponentValue:
        """The value cell `i` of `component` points at (its time left out when `static`)."""
        times, row_hi, row_lo, chunks, rows = cells.lists()
        chunk_index = chunks[i]
        cached = self._columns.get((chunk_index, component))
        if cached is None:
            chunk = self._source.chunk(chunk_index)
            desc = next(d for d in chunk.components if d.component == component)
            column = chunk.component(desc)
            values = column.values
            cached = (values, column.offsets.to_numpy().tolist(), desc)
            # get_total_buffer_size: nbytes works out which buffer bytes are in use, at 10x the cost.
            self._columns.put(
                (chunk_index, component), cached, values.get_total_buffer_size() + COLUMN_OVERHEAD
            )
        values, offsets, desc = cached
        row = rows[i]
        start = offsets[row]
        return ComponentValue(
            desc,
            values.slice(start, offsets[row + 1] - start),
            None if static else times[i],
            Tuid(row_hi[i], row_lo[i]),
        )

    def gather(self, cells: Cells, component: str, picked: np.ndarray) -> pa.ListArray:
        """One list per entry of `picked` (a cell position, or -1 for null), taken from the chunks."""
        chunk_ids = np.unique(cells.chunk[picked[picked >= 0]])
        columns, bases, base = [], {}, 0
        for chunk_index in chunk_ids.tolist():
            chunk = self._source.chunk(chunk_index)
            column = chunk.component(next(d for d in chunk.components if d.component == component))
            columns.append(column)
            bases[chunk_index] = base
            base += len(column)
        combined = pa.concat_arrays(columns) if len(columns) > 1 else columns[0]
        base_of = np.zeros(int(cells.chunk.max()) + 1, dtype=np.int64)
        for chunk_index, b in bases.items():
            base_of[chunk_index] = b
        safe = np.maximum(picked, 0)
        rows = base_of[cells.chunk[safe]] + cells.row[safe]
        return combined.take(pa.array(rows, mask=picked < 0))
