"""The chunk batcher: rows queue per entity and leave as chunks, split the way rerun-sdk 0.41 splits them.

Rows are flushed when the periodic tick fires, when an entity's queue passes the row or byte
threshold, or on an explicit flush. A flush groups an entity's rows by timeline set and by
component datatypes, so rows that log different things become different chunks.
"""

from __future__ import annotations

import os
import struct
import threading
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ..rrd import Chunk, ComponentDescriptor, Timeline
from ..rrd.tuid import ROW_ID_DTYPE, TuidGenerator

_NEVER = 2**64 - 1


@dataclass(frozen=True)
class ChunkBatcherConfig:
    """When queued rows become chunks; the defaults and environment variables are rerun-sdk's."""

    flush_tick: float = 0.2  # seconds
    flush_num_bytes: int = 2 * 1024 * 1024
    flush_num_rows: int = _NEVER
    chunk_max_rows_if_unsorted: int = 8192

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> ChunkBatcherConfig:
        """Defaults overridden by RERUN_FLUSH_TICK_SECS, RERUN_FLUSH_NUM_BYTES, RERUN_FLUSH_NUM_ROWS and
        RERUN_CHUNK_MAX_ROWS_IF_UNSORTED."""
        base = cls()
        return cls(
            flush_tick=_env_number(env, "RERUN_FLUSH_TICK_SECS", base.flush_tick, float),
            flush_num_bytes=_env_number(env, "RERUN_FLUSH_NUM_BYTES", base.flush_num_bytes, int),
            flush_num_rows=_env_number(env, "RERUN_FLUSH_NUM_ROWS", base.flush_num_rows, int),
            chunk_max_rows_if_unsorted=_env_number(
                env, "RERUN_CHUNK_MAX_ROWS_IF_UNSORTED", base.chunk_max_rows_if_unsorted, int
            ),
        )

    @classmethod
    def DEFAULT(cls) -> ChunkBatcherConfig:
        """The defaults, ignoring the environment."""
        return cls()

    @classmethod
    def LOW_LATENCY(cls) -> ChunkBatcherConfig:
        """Flush often (every 8 ms)."""
        return cls(flush_tick=0.008)

    @classmethod
    def ALWAYS(cls) -> ChunkBatcherConfig:
        """Every row becomes its own chunk at once."""
        return cls(flush_tick=0.0, flush_num_bytes=0, flush_num_rows=0)

    @classmethod
    def NEVER(cls) -> ChunkBatcherConfig:
        """Only explicit flushes (and exit) write anything."""
        return cls(flush_tick=float("inf"), flush_num_bytes=_NEVER, flush_num_rows=_NEVER)


def _env_number(env: Mapping[str, str], name: str, default, parse):
    text = env.get(name)
    if text is None or text == "":
        return default
    try:
        return parse(float(text)) if parse is int else parse(text)
    except ValueError:
        warnings.warn(f"{name}={text!r} is not a number; using the default {default}", stacklevel=3)
        return default


# How rerun-sdk 0.41 sizes a queued row against RERUN_FLUSH_NUM_BYTES (arrow-rs memory accounting),
# fitted to the rows per chunk it produces: a fixed cost per row, a cost per extra component, the
# data, and a little per nested array. Chunk boundaries then fall where rerun-sdk puts them.
_ROW_BYTES = 1096
_EXTRA_COMPONENT_BYTES = 110


def _nesting_bytes(dtype: pa.DataType) -> int:
    # Not cached: hashing an Arrow type formats it as text, which costs more than this walk.
    if pa.types.is_fixed_size_list(dtype):
        return 8 + _nesting_bytes(dtype.value_type)
    if pa.types.is_list(dtype) or pa.types.is_string(dtype) or pa.types.is_binary(dtype):
        return 16 + (_nesting_bytes(dtype.value_type) if pa.types.is_list(dtype) else 0)
    if pa.types.is_struct(dtype):
        return sum(8 + _nesting_bytes(dtype.field(i).type) for i in range(dtype.num_fields))
    return 0


def estimated_row_bytes(arrays: list[pa.Array]) -> int:
    """The size rerun-sdk's batcher would count for a row holding these component arrays."""
    size = _ROW_BYTES + _EXTRA_COMPONENT_BYTES * max(len(arrays) - 1, 0)
    for array in arrays:
        size += array.get_total_buffer_size() + _nesting_bytes(array.type)
    return size


@dataclass(frozen=True)
class PendingRow:
    """One `log` call waiting in the batcher."""

    row_id: tuple[int, int]  # (time_ns, inc) of its TUID
    timepoint: tuple[tuple[Timeline, int], ...]  # empty for static rows
    components: tuple[tuple[ComponentDescriptor, pa.Array], ...]
    nbytes: int


def queues_to_chunks(
    queues: Mapping[str, list[PendingRow]], *, max_rows_if_unsorted: int, tuids: TuidGenerator
) -> list[Chunk]:
    """Every entity's queued rows as chunks, in entity order: `rows_to_chunks` for each entity.

    (Making one-row chunks as slices of shared columns was 20 % faster for many entities, but a slice
    serializes with its parent's buffers, and rerun's `rrd compare` then told the files apart.)"""
    return [
        chunk
        for entity, rows in queues.items()
        if rows
        for chunk in rows_to_chunks(entity, rows, max_rows_if_unsorted=max_rows_if_unsorted, tuids=tuids)
    ]


def rows_to_chunks(
    entity_path: str, rows: list[PendingRow], *, max_rows_if_unsorted: int, tuids: TuidGenerator
) -> list[Chunk]:
    """Turn one entity's queued rows into chunks (pure apart from drawing chunk ids)."""
    if len(rows) == 1:
        # One row per entity per flush (many entities, each logged once) is common: skip the grouping.
        return [_build_chunk(entity_path, rows, tuids)]
    groups: dict[tuple, list[PendingRow]] = {}
    for row in sorted(rows, key=lambda r: r.row_id):
        timelines = tuple(sorted(t.name for t, _ in row.timepoint))
        # In the row's own component order, as rerun-sdk hashes it.
        datatypes = tuple(a.type for _, a in row.components)
        groups.setdefault((timelines, datatypes), []).append(row)
    chunks = []
    for group in groups.values():
        for part in _split_unsorted(group, max_rows_if_unsorted):
            chunks.append(_build_chunk(entity_path, part, tuids))
    return chunks


def _split_unsorted(rows: list[PendingRow], max_rows: int) -> list[list[PendingRow]]:
    """Start a new chunk when the current one is already large and one of its timelines went backwards."""
    parts: list[list[PendingRow]] = [[]]
    last: dict[str, int] = {}
    unsorted: set[str] = set()
    for row in rows:
        if len(parts[-1]) >= max_rows and any(t.name in unsorted for t, _ in row.timepoint):
            parts.append([])
            last, unsorted = {}, set()
        parts[-1].append(row)
        for timeline, value in row.timepoint:
            previous = last.get(timeline.name)
            if previous is not None and value < previous:
                unsorted.add(timeline.name)
            last[timeline.name] = value
    return parts


def _build_chunk(entity_path: str, rows: list[PendingRow], tuids: TuidGenerator) -> Chunk:
    """One chunk from rows that share a timeline set (their component sets may differ)."""
    n = len(rows)
    if n == 1:
        return _single_row_chunk(entity_path, rows[0], tuids)
    row_ids = np.empty(n, dtype=ROW_ID_DTYPE)
    row_ids["time_ns"] = [r.row_id[0] for r in rows]
    row_ids["inc"] = [r.row_id[1] for r in rows]
    timelines = {t.name: t for t, _ in rows[0].timepoint}
    values = {name: np.empty(n, dtype=np.int64) for name in timelines}
    cells: dict[ComponentDescriptor, list[pa.Array | None]] = {}
    for i, row in enumerate(rows):
        for timeline, value in row.timepoint:
            values[timeline.name][i] = value
        for desc, array in row.components:
            column = cells.get(desc)
            if column is None:
                column = cells[desc] = [None] * n
            column[i] = array
    time_columns = {timelines[name]: column for name, column in values.items()}
    columns = {desc: _list_column(column) for desc, column in cells.items()}
    return Chunk.build(entity_path, tuids.next(), row_ids, time_columns, columns)


def _single_row_chunk(entity_path: str, row: PendingRow, tuids: TuidGenerator) -> Chunk:
    """`_build_chunk` for one row, without the per-row bookkeeping (the same chunk)."""
    row_ids = np.array([row.row_id], dtype=ROW_ID_DTYPE)
    time_columns = {timeline: np.array([value], dtype=np.int64) for timeline, value in row.timepoint}
    columns = {desc: _single_cell(array) for desc, array in row.components}
    return Chunk.build(entity_path, tuids.next(), row_ids, time_columns, columns)


def _single_cell(array: pa.Array) -> pa.ListArray:
    """A one-row list column holding `array`."""
    offsets = pa.py_buffer(_OFFSETS.pack(0, len(array)))
    return pa.ListArray.from_buffers(pa.list_(array.type), 1, [None, offsets], children=[array])


_OFFSETS = struct.Struct("<ii")


def _list_column(cells: list[pa.Array | None]) -> pa.ListArray:
    """One list cell per row; None marks a row that did not log this component."""
    present = [c for c in cells if c is not None]
    values = pa.concat_arrays(present) if len(present) > 1 else present[0]
    lengths = np.fromiter((len(c) if c is not None else 0 for c in cells), dtype=np.int32, count=len(cells))
    offsets = np.zeros(len(cells) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    mask = None
    if len(present) < len(cells):
        mask = pa.array([c is None for c in cells], type=pa.bool_())
    return pa.ListArray.from_arrays(pa.array(offsets), values, mask=mask)


class ChunkBatcher:
    """Queues rows per entity and hands finished chunks to `emit`, in the order they were made."""

    def __init__(
        self, config: ChunkBatcherConfig, emit: Callable[[list[Chunk]], None], tuids: TuidGenerator
    ) -> None:
        self.config = config
        self._emit = emit
        self._tuids = tuids
        self._pending: dict[str, list[PendingRow]] = {}
        self._pending_bytes: dict[str, int] = {}
        self._lock = threading.Lock()  # guards the queues
        self._flush_lock = threading.Lock()  # keeps chunk emission in order
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        if 0 < config.flush_tick < float("inf"):
            self._ticker = threading.Thread(target=self._tick, name="rerender-batcher", daemon=True)
            self._ticker.start()

    def push(self, entity_path: str, row: PendingRow) -> None:
        """Queue a row; flush its entity now if that entity passed a threshold."""
        with self._lock:
            queue = self._pending.setdefault(entity_path, [])
            queue.append(row)
            size = self._pending_bytes.get(entity_path, 0) + row.nbytes
            self._pending_bytes[entity_path] = size
            full = len(queue) >= self.config.flush_num_rows or size >= self.config.flush_num_bytes
        if full or self.config.flush_tick <= 0:
            # The logging thread pays for its own backlog: memory stays bounded however fast it logs.
            self._flush(only=entity_path)

    def flush(self) -> None:
        """Turn every queued row into chunks and emit them."""
        self._flush(only=None)

    def _flush(self, only: str | None) -> None:
        with self._flush_lock:
            with self._lock:
                if only is None:
                    taken, self._pending, self._pending_bytes = self._pending, {}, {}
                else:
                    taken = {only: self._pending.pop(only, [])}
                    self._pending_bytes.pop(only, None)
            chunks = queues_to_chunks(
                taken, tuids=self._tuids, max_rows_if_unsorted=self.config.chunk_max_rows_if_unsorted
            )
            if chunks:
                self._emit(chunks)

    def _tick(self) -> None:
        while not self._stop.wait(self.config.flush_tick):
            try:
                self.flush()
            except Exception as e:  # a background thread must not die silently and take data with it
                warnings.warn(f"rerender: flushing logged data failed: {e}", stacklevel=1)

    def close(self) -> None:
        """Stop the tick and flush what is left."""
        self._stop.set()
        if self._ticker is not None and self._ticker is not threading.current_thread():
            self._ticker.join()
        self.flush()
