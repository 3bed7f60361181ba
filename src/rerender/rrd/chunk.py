"""`Chunk`: one entity's rows as a Sorbet record batch (row ids, timelines, component columns)."""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from .migrate import SORBET_VERSION, migrate_record_batch
from .tuid import ROW_ID_DTYPE, Tuid

ROW_ID_COLUMN = "rerun.controls.RowId"
ROW_ID_TYPE = pa.binary(16)
_ROW_ID_METADATA = {
    "rerun:kind": "control",
    "ARROW:extension:name": "rerun.datatypes.TUID",
    "ARROW:extension:metadata": '{"namespace":"row"}',
}


class TimeKind(enum.Enum):
    """How a timeline's int64 values are read: a counter, nanoseconds, or ns since the epoch."""

    SEQUENCE = "sequence"
    DURATION = "duration"
    TIMESTAMP = "timestamp"

    @property
    def arrow_type(self) -> pa.DataType:
        """The Arrow type of an index column of this kind."""
        return _INDEX_TYPES[self.value]

    @classmethod
    def from_arrow_type(cls, dtype: pa.DataType) -> TimeKind:
        """The kind an index column's Arrow type stands for; other types are not valid indexes."""
        if pa.types.is_int64(dtype):
            return cls.SEQUENCE
        if pa.types.is_duration(dtype) and dtype.unit == "ns":
            return cls.DURATION
        if pa.types.is_timestamp(dtype) and dtype.unit == "ns":
            return cls.TIMESTAMP
        raise ValueError(f"index column of type {dtype}; expected int64, duration[ns] or timestamp[ns]")


_INDEX_TYPES = {"sequence": pa.int64(), "duration": pa.duration("ns"), "timestamp": pa.timestamp("ns")}


@dataclass(frozen=True)
class Timeline:
    """A named time axis and the kind of its values."""

    name: str
    kind: TimeKind = TimeKind.SEQUENCE

    def __lt__(self, other: Timeline) -> bool:
        return self.name < other.name


@dataclass(frozen=True)
class ComponentDescriptor:
    """What a component column holds: `Points3D:positions`, from `rerun.archetypes.Points3D`, of a type."""

    component: str
    archetype: str | None = None
    component_type: str | None = None

    def __post_init__(self) -> None:
        # As in Rerun, an empty archetype or component type means none.
        if self.archetype == "":
            object.__setattr__(self, "archetype", None)
        if self.component_type == "":
            object.__setattr__(self, "component_type", None)

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """The SDK's column order: by archetype, component, then component type."""
        return (self.archetype or "", self.component, self.component_type or "")

    def with_overrides(
        self, archetype: str | None = None, component_type: str | None = None
    ) -> ComponentDescriptor:
        """A copy with `archetype` and/or `component_type` replaced by those given (None keeps ours)."""
        return ComponentDescriptor(
            self.component, archetype or self.archetype, component_type or self.component_type
        )

    def or_with_overrides(
        self, archetype: str | None = None, component_type: str | None = None
    ) -> ComponentDescriptor:
        """A copy with `archetype` and/or `component_type` filled in where ours are unset."""
        return ComponentDescriptor(
            self.component, self.archetype or archetype, self.component_type or component_type
        )

    def with_builtin_archetype(self, archetype: str) -> ComponentDescriptor:
        """Tagged as a field of `archetype`, named as the builtin archetypes name theirs:
        `positions` with `rerun.archetypes.Points3D` becomes `Points3D:positions`."""
        return ComponentDescriptor(
            f"{archetype_short_name(archetype)}:{self.component}", archetype, self.component_type
        )

    @property
    def qualified_name(self) -> str:
        """The component under its archetype's short name, as Rerun names it in footer manifests:
        `Points3D:positions` stays, `tagged` of `my.Thing` is `my.Thing:tagged`."""
        if self.archetype is None:
            return self.component
        short = archetype_short_name(self.archetype)
        return self.component if self.component.startswith(f"{short}:") else f"{short}:{self.component}"

    def field_metadata(self) -> dict[str, str]:
        """The `rerun:*` keys of a data column."""
        meta = {"rerun:kind": "data", "rerun:component": self.component}
        if self.archetype:
            meta["rerun:archetype"] = self.archetype
        if self.component_type:
            meta["rerun:component_type"] = self.component_type
        return meta

    def __str__(self) -> str:
        return self.component


def archetype_short_name(archetype: str) -> str:
    """Rerun's short name of an archetype: `rerun.archetypes.Points3D` -> `Points3D`; the first of its
    prefixes `rerun.blueprint.archetypes.`, `rerun.archetypes.`, `rerun.` that matches is dropped."""
    for prefix in ("rerun.blueprint.archetypes.", "rerun.archetypes.", "rerun."):
        if archetype.startswith(prefix):
            return archetype.removeprefix(prefix)
    return archetype


@dataclass
class _Layout:
    """A chunk's columns, fields and column positions, before they become a record batch."""

    fields: list[pa.Field]
    arrays: list[pa.Array]
    timeline_index: dict[str, tuple[Timeline, int]]
    component_index: dict[ComponentDescriptor, int]
    has_dictionaries: bool  # whether a component column holds dictionary-encoded data

    @classmethod
    def of(
        cls,
        entity_path: str,
        row_ids: np.ndarray,
        timelines: Mapping[Timeline, np.ndarray],
        components: Mapping[ComponentDescriptor, pa.ListArray],
    ) -> _Layout:
        """The SDK's column order (timelines and components sorted)."""
        row_ids = np.ascontiguousarray(row_ids, dtype=ROW_ID_DTYPE)
        n = len(row_ids)
        fields = [_row_id_field(_is_sorted(row_ids))]
        arrays: list[pa.Array] = [
            pa.FixedSizeBinaryArray.from_buffers(ROW_ID_TYPE, n, [None, pa.py_buffer(row_ids)])
        ]
        timeline_index: dict[str, tuple[Timeline, int]] = {}
        for timeline in sorted(timelines) if len(timelines) > 1 else timelines:
            values = np.ascontiguousarray(timelines[timeline], dtype=np.int64)
            if len(values) != n:
                raise ValueError(
                    f"{entity_path}: timeline {timeline.name} has {len(values)} values for {n} rows"
                )
            timeline_index[timeline.name] = (timeline, len(fields))
            fields.append(_timeline_field(timeline, _is_sorted(values)))
            arrays.append(pa.Array.from_buffers(timeline.kind.arrow_type, n, [None, pa.py_buffer(values)]))
        component_index: dict[ComponentDescriptor, int] = {}
        for desc in sorted(components, key=_sort_key):
            column = components[desc]
            if len(column) != n:
                raise ValueError(f"{entity_path}: component {desc} has {len(column)} rows for {n} rows")
            if not pa.types.is_list(column.type):
                raise ValueError(
                    f"chunk of {entity_path}: component column {desc.component!r} is "
                    f"{column.type}; expected list<…> with 32-bit offsets"
                )
            component_index[desc] = len(fields)
            fields.append(_component_field(desc, column.type))
            arrays.append(column)
        dictionaries = any(has_dictionary(components[desc].type) for desc in component_index)
        return cls(fields, arrays, timeline_index, component_index, dictionaries)


def has_dictionary(dtype: pa.DataType) -> bool:
    """Whether an Arrow type is or holds a dictionary type."""
    count = dtype.num_fields
    if count == 0:
        return pa.types.is_dictionary(dtype)
    return any(has_dictionary(dtype.field(i).type) for i in range(count))


def _chunk_metadata(entity_path: str, chunk_id: Tuid) -> dict[str, str]:
    return {
        "rerun:entity_path": entity_path,
        "rerun:id": chunk_id.chunk_id_str(),
        "sorbet:version": SORBET_VERSION,
    }


@dataclass(frozen=True, eq=False)
class ChunkLayout:
    """Which columns of a chunk are timelines and which components, by column position."""

    timelines: dict[str, tuple[Timeline, int]]
    components: dict[ComponentDescriptor, int]


class ChunkLayouts:
    """The layouts of the chunks one reader has decoded, by their fields (names, types and metadata,
    serialized; not the chunk's own entity path and id): a recording's chunks share a few layouts, and
    classifying the columns of each one again was most of the cost of opening a small chunk."""

    def __init__(self, limit: int = 1024) -> None:
        self._by_fields: dict[bytes, ChunkLayout] = {}
        self._limit = limit  # a hostile file could give every chunk new fields

    @staticmethod
    def key(schema: pa.Schema) -> bytes:
        """What identifies a layout: the schema's fields, exactly as serialized."""
        return schema.remove_metadata().serialize().to_pybytes()

    def get(self, key: bytes) -> ChunkLayout | None:
        """The layout of an earlier chunk with these fields, if any."""
        return self._by_fields.get(key)

    def put(self, key: bytes, layout: ChunkLayout) -> None:
        """Remember a chunk's layout (until `limit` are known)."""
        if len(self._by_fields) < self._limit:
            self._by_fields[key] = layout


class Chunk:
    """An immutable chunk over a `pyarrow.RecordBatch` in Rerun's Sorbet layout.

    Column 0 holds row ids, then one index column per timeline (none for static chunks), then one
    `List<…>` column per component: a null cell means "not logged in this row", `[]` means "logged empty".
    """

    __slots__ = (
        "_columns",
        "_components",
        "_has_dictionaries",
        "_timelines",
        "batch",
        "entity_path",
        "id",
        "migrated",
    )

    def __init__(
        self, batch: pa.RecordBatch, *, migrated: bool = False, layout: ChunkLayout | None = None
    ) -> None:
        """Wrap a batch already in the current Sorbet layout; use `from_record_batch` for file input.
        `layout`: the batch's columns as already classified for another chunk with the same fields."""
        meta = batch.schema.metadata or {}
        path = meta.get(b"rerun:entity_path")
        if path is None:
            raise ValueError("chunk without rerun:entity_path metadata")
        self.entity_path = path.decode(errors="replace")
        chunk_id = meta.get(b"rerun:id")
        if chunk_id is None:
            raise ValueError(f"chunk of {self.entity_path} without rerun:id metadata")
        self.id = Tuid.parse(chunk_id.decode(errors="replace"))
        self.batch = batch
        self.migrated = migrated
        self._columns: list[pa.Array] | None = None
        self._has_dictionaries: bool | None = None
        self._timelines: dict[str, tuple[Timeline, int]] = {}
        self._components: dict[ComponentDescriptor, int] = {}
        if layout is None:
            self._classify_columns()
        else:  # shared with the chunks of the same layout: neither is changed after this
            self._timelines, self._components = layout.timelines, layout.components

    def _classify_columns(self) -> None:
        # Reads the few `rerun:*` keys it needs straight from the bytes metadata: decoding every key of
        # every field was most of the cost of opening a small chunk.
        schema = self.batch.schema
        if len(schema) == 0 or schema.field(0).type != ROW_ID_TYPE:
            raise ValueError(
                f"chunk of {self.entity_path}: first column must be the row id (fixed_size_binary[16])"
            )
        seen_data = False
        for i, f in enumerate(schema):
            if i == 0:
                continue
            meta = f.metadata or {}
            kind = meta.get(b"rerun:kind", b"data")
            if kind == b"index":
                if seen_data:
                    raise ValueError(f"chunk of {self.entity_path}: index column {f.name!r} after data")
                index_name = meta.get(b"rerun:index_name")
                name = f.name if index_name is None else _text(index_name)
                self._timelines[name] = (Timeline(name, TimeKind.from_arrow_type(f.type)), i)
            elif kind == b"control":
                raise ValueError(f"chunk of {self.entity_path}: second control column {f.name!r}")
            else:
                seen_data = True
                if not pa.types.is_list(f.type):
                    raise ValueError(
                        f"chunk of {self.entity_path}: component column {f.name!r} is "
                        f"{f.type}; expected list<…> with 32-bit offsets"
                    )
                component = meta.get(b"rerun:component")
                desc = ComponentDescriptor(
                    f.name if component is None else _text(component),
                    _text(meta.get(b"rerun:archetype")),
                    _text(meta.get(b"rerun:component_type")),
                )
                self._components[desc] = i

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_record_batch(cls, batch: pa.RecordBatch, layout: ChunkLayout | None = None) -> Chunk:
        """Read a batch as found in a file of any supported version, migrating old layouts. `layout`:
        what `.layout` was for an earlier batch with the same fields (see `ChunkLayouts`)."""
        migrated = migrate_record_batch(batch)
        return cls(migrated, migrated=migrated is not batch, layout=layout)

    @classmethod
    def build(
        cls,
        entity_path: str,
        chunk_id: Tuid,
        row_ids: np.ndarray,
        timelines: Mapping[Timeline, np.ndarray],
        components: Mapping[ComponentDescriptor, pa.ListArray],
    ) -> Chunk:
        """Assemble a chunk from columns, in the SDK's column order (timelines and components sorted)."""
        layout = _Layout.of(entity_path, row_ids, timelines, components)
        batch = pa.RecordBatch.from_arrays(
            layout.arrays, schema=pa.schema(layout.fields, metadata=_chunk_metadata(entity_path, chunk_id))
        )
        # The column objects we were given: the batch would wrap each one anew on every access.
        return cls._assembled(batch, entity_path, chunk_id, layout, layout.arrays)

    @classmethod
    def _assembled(
        cls,
        batch: pa.RecordBatch,
        entity_path: str,
        chunk_id: Tuid,
        layout: _Layout,
        columns: list[pa.Array] | None,
    ) -> Chunk:
        # The layout is known here, so the schema is not parsed back as `__init__` does for file input.
        chunk = cls.__new__(cls)
        chunk.entity_path = entity_path
        chunk.id = chunk_id
        chunk.batch = batch
        chunk.migrated = False
        chunk._columns = columns
        chunk._has_dictionaries = layout.has_dictionaries
        chunk._timelines = layout.timeline_index
        chunk._components = layout.component_index
        return chunk

    # -- accessors ----------------------------------------------------------------------------

    @property
    def num_rows(self) -> int:
        """Number of rows."""
        return self.batch.num_rows

    @property
    def is_static(self) -> bool:
        """Static chunks have no timelines; their data holds at every time."""
        return not self._timelines

    @property
    def timelines(self) -> dict[str, Timeline]:
        """Timelines by name, in column order."""
        return {name: tl for name, (tl, _) in self._timelines.items()}

    @property
    def components(self) -> list[ComponentDescriptor]:
        """Component descriptors, in column order."""
        return list(self._components)

    @property
    def layout(self) -> ChunkLayout:
        """Which columns are timelines and which components: the same for every batch with these fields."""
        return ChunkLayout(self._timelines, self._components)

    @property
    def row_ids(self) -> np.ndarray:
        """Row ids as a ROW_ID_DTYPE array (zero-copy)."""
        col = self.batch.column(0)
        buf = col.buffers()[1]
        return np.frombuffer(buf, dtype=ROW_ID_DTYPE, count=len(col), offset=col.offset * 16)

    def time_values(self, timeline: str) -> np.ndarray:
        """The int64 values of one timeline's column (nanoseconds for durations and timestamps)."""
        _, i = self._timelines[timeline]
        col = self._column(i)
        if len(col) == 0:
            return np.empty(0, dtype=np.int64)
        if col.null_count == 0:  # the usual case: the values buffer as it is (read-only, zero-copy)
            return np.frombuffer(col.buffers()[1], dtype=np.int64, count=len(col), offset=col.offset * 8)
        return col.view(pa.int64()).to_numpy(zero_copy_only=False)

    def time_range(self, timeline: str) -> tuple[int, int] | None:
        """(min, max) of a timeline over all rows, or None if the chunk is not on that timeline."""
        if timeline not in self._timelines or self.num_rows == 0:
            return None
        values = self.time_values(timeline)
        return int(values.min()), int(values.max())

    def component(self, key: ComponentDescriptor | str) -> pa.ListArray:
        """A component column by descriptor or by component identifier (e.g. `Points3D:positions`)."""
        if isinstance(key, str):
            matches = [d for d in self._components if d.component == key]
            if not matches:
                raise KeyError(f"{self.entity_path} has no component {key!r}")
            key = matches[0]
        return self._column(self._components[key])

    @property
    def has_dictionaries(self) -> bool:
        """Whether a column holds dictionary-encoded data (Arrow IPC then needs dictionary messages)."""
        if self._has_dictionaries is None:
            self._has_dictionaries = any(has_dictionary(t) for t in self.batch.schema.types)
        return self._has_dictionaries

    def _column(self, i: int) -> pa.Array:
        return self.batch.column(i) if self._columns is None else self._columns[i]

    def field(self, key: ComponentDescriptor) -> pa.Field:
        """The Arrow field of a component column."""
        return self.batch.schema.field(self._components[key])

    # -- derivation ---------------------------------------------------------------------------

    def filter(self, mask: np.ndarray) -> Chunk:
        """The rows where `mask` is true, same entity and chunk id."""
        batch = self.batch.filter(pa.array(mask, type=pa.bool_()))
        return Chunk(_refresh_sorted_flags(batch))

    def with_id(self, chunk_id: Tuid) -> Chunk:
        """The same rows under another chunk id."""
        meta = dict(_str_metadata(self.batch.schema.metadata))
        meta["rerun:id"] = chunk_id.chunk_id_str()
        return Chunk(self.batch.replace_schema_metadata(meta))

    def __repr__(self) -> str:
        kind = "static" if self.is_static else ", ".join(self._timelines)
        return (
            f"Chunk({self.id}, {self.entity_path}, {self.num_rows} rows, [{kind}], "
            f"{[str(c) for c in self._components]})"
        )


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode(errors="replace")


def _sort_key(desc: ComponentDescriptor) -> tuple[str, str, str]:
    return desc.sort_key


# The fields below are the same for every chunk of an archetype: built once, not per chunk.
@functools.cache
def _row_id_field(is_sorted: bool) -> pa.Field:
    return pa.field(
        ROW_ID_COLUMN, ROW_ID_TYPE, nullable=False, metadata=_with_sorted(_ROW_ID_METADATA, is_sorted)
    )


@functools.lru_cache(maxsize=1024)
def _timeline_field(timeline: Timeline, is_sorted: bool) -> pa.Field:
    meta = _with_sorted({"rerun:kind": "index", "rerun:index_name": timeline.name}, is_sorted)
    return pa.field(timeline.name, timeline.kind.arrow_type, metadata=meta)


def _component_field(desc: ComponentDescriptor, dtype: pa.DataType) -> pa.Field:
    # Keyed by descriptor alone: hashing an Arrow type formats it as text, which costs more than this.
    return _component_field_template(desc).with_type(dtype)


@functools.lru_cache(maxsize=4096)
def _component_field_template(desc: ComponentDescriptor) -> pa.Field:
    return pa.field(desc.component, pa.null(), metadata=desc.field_metadata())


def _str_metadata(meta: Mapping[bytes, bytes] | None) -> dict[str, str]:
    if not meta:
        return {}
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in meta.items()}


def _is_sorted(values: np.ndarray) -> bool:
    if len(values) < 2:
        return True
    if values.dtype == ROW_ID_DTYPE:
        t, c = values["time_ns"], values["inc"]
        return bool(np.all((t[1:] > t[:-1]) | ((t[1:] == t[:-1]) & (c[1:] >= c[:-1]))))
    return bool(np.all(values[1:] >= values[:-1]))


def _with_sorted(meta: dict[str, str], is_sorted: bool) -> dict[str, str]:
    # Rerun writes the key only when true; an unsorted column has no key at all.
    return {**meta, "rerun:is_sorted": "true"} if is_sorted else dict(meta)


def _refresh_sorted_flags(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Row filtering can make an unsorted column sorted; keep `rerun:is_sorted` truthful."""
    fields = []
    for i, f in enumerate(batch.schema):
        meta = _str_metadata(f.metadata)
        if meta.get("rerun:kind") in ("control", "index"):
            meta.pop("rerun:is_sorted", None)
            col = batch.column(i)
            if i == 0:
                values = np.frombuffer(
                    col.buffers()[1], dtype=ROW_ID_DTYPE, count=len(col), offset=col.offset * 16
                )
            else:
                values = col.view(pa.int64()).to_numpy(zero_copy_only=False)
            f = f.with_metadata(_with_sorted(meta, _is_sorted(values)))
        fields.append(f)
    schema = pa.schema(fields, metadata=batch.schema.metadata)
    return pa.RecordBatch.from_arrays(batch.columns, schema=schema)
