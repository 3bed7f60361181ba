"""Arrow data in Rerun's dataframe ("Sorbet") layout, read into chunks, as rerun-sdk's
`Chunk.from_record_batch` reads it (what `send_record_batch`, `send_dataframe` and `send_chunks` log).

Columns are told apart by their `rerun:*` field metadata (named by the `SORBET_*` / `RERUN_KIND*`
constants): the row-id column (`rerun:kind=control`), index columns (timelines), and component
columns. Each component column's entity is, in order of precedence: its own `rerun:entity_path`, the
batch's, the column-name convention (`/entity/path:component`), the `entity_path` argument, `/`.
One chunk is made per entity, in the order entities first appear.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from rerender.rrd import Chunk, ComponentDescriptor, TimeKind, Timeline, Tuid, TuidGenerator
from rerender.rrd.tuid import ROW_ID_DTYPE

from .entity_path import parse_entity_path

__all__ = [
    "AUTO_INDEX",
    "RERUN_KIND",
    "RERUN_KIND_CONTROL",
    "RERUN_KIND_INDEX",
    "SORBET_ARCHETYPE_NAME",
    "SORBET_COMPONENT",
    "SORBET_COMPONENT_TYPE",
    "SORBET_ENTITY_PATH",
    "SORBET_INDEX_NAME",
    "SORBET_IS_TABLE_INDEX",
    "AutoIndex",
    "IndexSpec",
    "as_chunks",
    "chunks_from_record_batch",
    "record_batches",
]

# The Arrow metadata keys and values of Rerun's dataframe layout, as rerun-sdk names them.
SORBET_INDEX_NAME = b"rerun:index_name"
SORBET_ENTITY_PATH = b"rerun:entity_path"
SORBET_ARCHETYPE_NAME = b"rerun:archetype"
SORBET_COMPONENT = b"rerun:component"
SORBET_COMPONENT_TYPE = b"rerun:component_type"
SORBET_IS_TABLE_INDEX = b"rerun:is_table_index"
RERUN_KIND = b"rerun:kind"
RERUN_KIND_CONTROL = b"control"
RERUN_KIND_INDEX = b"index"
_CHUNK_ID = "rerun:id"
_ROW_ID_TYPE = pa.binary(16)


class AutoIndex:
    """The type of `AUTO_INDEX`: take the index columns from the batch's metadata."""

    def __repr__(self) -> str:
        return "AUTO_INDEX"


AUTO_INDEX = AutoIndex()
"""`index=AUTO_INDEX` (the default): the index columns are those the batch's metadata marks as such."""

IndexSpec = str | list[str] | AutoIndex | None
"""Which columns are timelines: AUTO_INDEX (from metadata), column name(s), or None (static data)."""


def _text(meta: Mapping[bytes, bytes] | None) -> dict[str, str]:
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in (meta or {}).items()}


def _is_index_by_metadata(meta: dict[str, str]) -> bool:
    kind = meta.get(RERUN_KIND.decode())
    return kind == RERUN_KIND_INDEX.decode() or (kind is None and SORBET_INDEX_NAME.decode() in meta)


def _index_columns(schema: pa.Schema, fields_meta: list[dict[str, str]], index: IndexSpec) -> list[int]:
    by_metadata = [i for i, meta in enumerate(fields_meta) if _is_index_by_metadata(meta)]
    if isinstance(index, AutoIndex):
        return by_metadata
    if index is None:
        if by_metadata:
            raise ValueError(
                "index=None (static data) was requested, but the record batch marks index columns "
                f"{[schema.field(i).name for i in by_metadata]}; drop that metadata, or give the index"
            )
        return []
    names = [index] if isinstance(index, str) else list(index)
    for name in names:
        if name not in schema.names:
            raise ValueError(f"the requested index column {name!r} is not in the record batch")
    return [i for i, f in enumerate(schema) if f.name in names]


def _timeline(field: pa.Field, meta: dict[str, str], column: pa.Array) -> tuple[Timeline, np.ndarray]:
    try:
        kind = TimeKind.from_arrow_type(field.type)
    except ValueError:
        raise ValueError(
            f"index column {field.name!r} is {field.type}; a time column is int64 (sequence), "
            "timestamp[ns] or duration[ns]"
        ) from None
    if column.null_count:
        raise ValueError(
            f"index column {field.name!r} has null values; time columns must be dense "
            "(log static data with index=None, not with null times)"
        )
    values = column.view(pa.int64()).to_numpy(zero_copy_only=False)
    return Timeline(meta.get(SORBET_INDEX_NAME.decode(), field.name), kind), values


def _descriptor_and_entity(
    field: pa.Field, meta: dict[str, str], batch_entity: str | None, default_entity: str | None
) -> tuple[ComponentDescriptor, str]:
    entity = meta.get(SORBET_ENTITY_PATH.decode()) or batch_entity
    component = meta.get(SORBET_COMPONENT.decode())
    if entity is None and field.name.startswith("/") and ":" in field.name:
        # The column-name convention: `/entity/path:component` (an empty component keeps the whole name).
        entity, rest = field.name.split(":", 1)
        component = component or rest or field.name
    descriptor = ComponentDescriptor(
        component or field.name,
        meta.get(SORBET_ARCHETYPE_NAME.decode()),
        meta.get(SORBET_COMPONENT_TYPE.decode()),
    )
    return descriptor, parse_entity_path(entity or default_entity or "/")


def _as_list_column(column: pa.Array) -> pa.ListArray:
    """A component column as one list cell per row: list columns as they are, any other array with each
    value in a cell of its own."""
    if pa.types.is_list(column.type):
        return column
    offsets = pa.array(np.arange(len(column) + 1, dtype=np.int32))
    # Null cells where the values have a validity bitmap (a null-typed column has none: all cells valid).
    mask = column.is_null() if column.null_count and not pa.types.is_null(column.type) else None
    return pa.ListArray.from_arrays(offsets, column, mask=mask)


def _row_ids(column: pa.Array) -> np.ndarray:
    return np.frombuffer(
        column.buffers()[1], dtype=ROW_ID_DTYPE, count=len(column), offset=column.offset * 16
    )


def chunks_from_record_batch(
    batch: pa.RecordBatch,
    *,
    index: IndexSpec = AUTO_INDEX,
    entity_path: str | None = None,
    tuids: TuidGenerator,
) -> list[Chunk]:
    """The chunks a record batch in Rerun's dataframe layout describes, one per entity.

    A batch with a row-id column and a chunk id (`rerun:id`), read with the default `index` and no
    `entity_path`, is an already identified chunk: it keeps its ids and must name a single entity.
    Otherwise fresh ids come from `tuids`. Raises ValueError where rerun-sdk does: no index metadata
    and no `index` (ambiguous), `index=None` against index metadata, an unknown, mistyped or
    nullable index column, no component columns, or the same component twice in an entity.
    """
    schema = batch.schema
    batch_meta = _text(schema.metadata)
    fields_meta = [_text(f.metadata) for f in schema]
    control = RERUN_KIND_CONTROL.decode()
    controls = [i for i, meta in enumerate(fields_meta) if meta.get(RERUN_KIND.decode()) == control]
    row_id_column = next((i for i in controls if schema.field(i).type == _ROW_ID_TYPE), None)
    identified = (
        row_id_column is not None
        and _CHUNK_ID in batch_meta
        and isinstance(index, AutoIndex)
        and entity_path is None
    )
    index_columns = _index_columns(schema, fields_meta, index)
    if isinstance(index, AutoIndex) and not index_columns and not identified:
        raise ValueError(
            "the record batch has no index column, so it is neither clearly temporal nor static: "
            "give index=<column> for temporal data or index=None for static data"
        )
    timelines = dict(_timeline(schema.field(i), fields_meta[i], batch.column(i)) for i in index_columns)

    entities: dict[str, dict[ComponentDescriptor, pa.ListArray]] = {}
    for i, field in enumerate(schema):
        if i in index_columns or i in controls:
            continue
        descriptor, entity = _descriptor_and_entity(
            field, fields_meta[i], batch_meta.get(SORBET_ENTITY_PATH.decode()), entity_path
        )
        components = entities.setdefault(entity, {})
        if descriptor in components:
            raise ValueError(f"component {descriptor.component!r} of {entity} is in more than one column")
        components[descriptor] = _as_list_column(batch.column(i))
    if not entities:
        raise ValueError("the record batch has no component columns, so there is nothing to log")

    if identified:
        if len(entities) > 1:
            raise ValueError(
                "the record batch is an identified chunk (it has a row-id column and a chunk id) but names "
                f"{len(entities)} entities; drop the chunk id or the row-id column to split it with new ids"
            )
        ((entity, components),) = entities.items()
        ids = _row_ids(batch.column(row_id_column))
        return [Chunk.build(entity, Tuid.parse(batch_meta[_CHUNK_ID]), ids, timelines, components)]
    n = batch.num_rows
    return [
        Chunk.build(entity, tuids.next(), tuids.next_row_ids(n), timelines, components)
        for entity, components in entities.items()
    ]


def record_batches(df: Any) -> Iterator[pa.RecordBatch]:
    """The record batches of a pyarrow Table, RecordBatch or RecordBatchReader, or of any object with
    the Arrow C stream interface (a datafusion DataFrame, a polars frame ...); TypeError for others."""
    if isinstance(df, pa.RecordBatch):
        return iter([df])
    if isinstance(df, pa.Table):
        return iter(df.to_batches())
    if isinstance(df, pa.RecordBatchReader):
        return iter(df)
    if hasattr(df, "__arrow_c_stream__"):
        return iter(pa.RecordBatchReader.from_stream(df))
    raise TypeError(
        "expected a pyarrow Table, RecordBatch or RecordBatchReader, or an object with the Arrow C "
        f"stream interface (e.g. a datafusion DataFrame), not {type(df).__name__}"
    )


def as_chunks(chunks: Any) -> list[Chunk]:
    """What `send_chunks` takes, as chunks: a `rerender.rrd.Chunk`, a loaded recording (anything with a
    `chunks()` method, such as `rerender.load(path)`), a chunk of another SDK (anything with
    `to_record_batch()`, such as `rerun.chunk.Chunk`), or an iterable of chunks."""
    if isinstance(chunks, Chunk):
        return [chunks]
    if hasattr(chunks, "to_record_batch"):
        return [Chunk.from_record_batch(chunks.to_record_batch())]
    if callable(getattr(chunks, "chunks", None)):
        return list(chunks.chunks())
    if isinstance(chunks, Iterable) and not isinstance(chunks, str | bytes):
        out = []
        for chunk in chunks:
            if not isinstance(chunk, Chunk) and not hasattr(chunk, "to_record_batch"):
                raise TypeError(f"send_chunks expects chunks in the iterable, got {type(chunk).__name__}")
            out += as_chunks(chunk)
        return out
    raise TypeError(
        f"send_chunks expects a chunk, a recording or an iterable of chunks, not {type(chunks).__name__}"
    )
