"""Footer manifests: per store, an index of every chunk (where it is, what entity, times, components).

Rerun's `rrd verify` needs them, and random-access readers use them to find chunks without
decoding the file.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from .chunk import ROW_ID_COLUMN, ROW_ID_TYPE, Chunk, ComponentDescriptor, TimeKind
from .codec import compress, decode_ipc_stream, decompress, encode_ipc_stream, schema_only_stream
from .messages import Compression, RrdManifest, StoreId
from .paths import PROPERTIES_PATH
from .protobuf import fields_by_number
from .tuid import Tuid

_FIXED_COLUMNS = [
    ("chunk_entity_path", pa.utf8()),
    ("chunk_id", ROW_ID_TYPE),
    ("chunk_is_static", pa.bool_()),
    ("chunk_num_rows", pa.uint64()),
    ("chunk_byte_offset", pa.uint64()),
    ("chunk_byte_size", pa.uint64()),
    ("chunk_byte_size_uncompressed", pa.uint64()),
]
_UNSAFE_NAME_CHARS = re.compile(r"[, \-.\\]")


def sanitize_column_name(name: str) -> str:
    """A manifest column name part: `,` space `-` `.` `\\` become `_`, leading `_` dropped."""
    return _UNSAFE_NAME_CHARS.sub("_", name).lstrip("_")


def _component_metadata(desc: ComponentDescriptor) -> dict[str, str]:
    meta = {"rerun:component": desc.component}
    if desc.archetype:
        meta["rerun:archetype"] = desc.archetype
    if desc.component_type:
        meta["rerun:component_type"] = desc.component_type
    return meta


@functools.lru_cache(maxsize=4096)
def _data_column_metadata(desc: ComponentDescriptor) -> dict[str, str]:
    # Shared by every entity's column of this component (copied before use, never changed).
    return {"rerun:kind": "data", **_component_metadata(desc)}


def sorbet_column_name(entity_path: str, component: str) -> str:
    """The recording-wide column name of one entity's component (properties get a `property:` name)."""
    if entity_path == PROPERTIES_PATH:
        return f"property:{component}"
    if entity_path.startswith(PROPERTIES_PATH + "/"):
        return f"property:{entity_path[len(PROPERTIES_PATH) + 1 :]}:{component}"
    return f"{entity_path}:{component}"


@dataclass
class _ChunkEntry:
    entity_path: str
    chunk_id: bytes
    is_static: bool
    num_rows: int
    byte_offset: int
    byte_size: int
    byte_size_uncompressed: int
    time_ranges: dict[str, tuple[int, int]]
    timelines: tuple[str, ...]  # the chunk's timelines (shared by every chunk of the same layout)
    components: tuple[ComponentDescriptor, ...]  # likewise
    # (timeline, component) -> (min, max, rows) for components that some rows lack; the others cover
    # the chunk's whole time range with every row. None when every component is in every row.
    partial_ranges: dict[tuple[str, ComponentDescriptor], tuple[int, int, int]] | None

    def component_range(self, timeline: str, desc: ComponentDescriptor) -> tuple[int, int, int] | None:
        """(min, max, rows) of a component on a timeline; None where the chunk has neither."""
        if self.partial_ranges is not None and (timeline, desc) in self.partial_ranges:
            return self.partial_ranges[(timeline, desc)]
        if self.is_static or timeline not in self.timelines or desc not in self.components:
            return None
        if not self.num_rows:
            return (0, 0, 0)
        start, end = self.time_ranges[timeline]
        return (start, end, self.num_rows)


@dataclass
class _ColumnInfo:
    dtype: pa.DataType
    is_static: bool = False
    semantically_empty: bool = True


@dataclass
class ManifestBuilder:
    """Collects what each chunk of one store contributes to its footer manifest."""

    store_id: StoreId
    _entries: list[_ChunkEntry] = field(default_factory=list)
    _timelines: dict[str, TimeKind] = field(default_factory=dict)
    _descriptors: set[ComponentDescriptor] = field(default_factory=set)
    _columns: dict[tuple[str, ComponentDescriptor], _ColumnInfo] = field(default_factory=dict)
    _layouts: dict[tuple, tuple] = field(default_factory=dict)  # one tuple per distinct layout, shared

    def add(self, chunk: Chunk, byte_offset: int, byte_size: int, byte_size_uncompressed: int) -> None:
        """Record one written chunk; offsets point at its ArrowMsg payload."""
        # Kept lean: with many small entities this runs once per logged row.
        num_rows = chunk.num_rows
        is_static = chunk.is_static
        time_ranges: dict[str, tuple[int, int]] = {}
        times = {}
        for name, timeline in chunk.timelines.items():
            if name not in self._timelines:
                self._timelines[name] = timeline.kind
            times[name] = values = chunk.time_values(name)
            if num_rows == 1:
                time_ranges[name] = (int(values[0]),) * 2
            elif num_rows:
                time_ranges[name] = (int(values.min()), int(values.max()))
        components = tuple(chunk.components)
        components = self._layouts.setdefault(components, components)
        timelines = tuple(times)
        timelines = self._layouts.setdefault(timelines, timelines)
        partial: dict[tuple[str, ComponentDescriptor], tuple[int, int, int]] | None = None
        for desc in components:
            column = chunk.component(desc)
            key = (chunk.entity_path, desc)
            info = self._columns.get(key)
            if info is None:
                self._descriptors.add(desc)
                info = self._columns[key] = _ColumnInfo(column.type)
            info.is_static |= is_static
            if column.null_count == 0:
                # Every row logged this component (the usual case): no masks, no per-component ranges.
                if info.semantically_empty and num_rows:
                    offsets = column.offsets
                    info.semantically_empty = offsets[len(offsets) - 1].as_py() == offsets[0].as_py()
                continue
            valid = np.asarray(column.is_valid())
            if info.semantically_empty and valid.any():
                lengths = np.diff(column.offsets.to_numpy())
                info.semantically_empty = not lengths[valid].any()
            if is_static:
                continue
            count = int(valid.sum())
            if partial is None:
                partial = {}
            for name, values in times.items():
                if count:
                    picked = values[valid]
                    partial[(name, desc)] = (int(picked.min()), int(picked.max()), count)
                else:
                    partial[(name, desc)] = (0, 0, 0)
        self._entries.append(
            _ChunkEntry(
                chunk.entity_path,
                chunk.id.to_bytes(),
                is_static,
                num_rows,
                byte_offset,
                byte_size,
                byte_size_uncompressed,
                time_ranges,
                timelines,
                components,
                partial,
            )
        )

    def __len__(self) -> int:
        return len(self._entries)

    def build_index(self) -> pa.RecordBatch:
        """The manifest's record batch: one row per chunk, in file order."""
        entries = self._entries
        fields: list[pa.Field] = []
        arrays: list[pa.Array] = []
        fixed_values = [
            [e.entity_path for e in entries],
            [e.chunk_id for e in entries],
            [e.is_static for e in entries],
            [e.num_rows for e in entries],
            [e.byte_offset for e in entries],
            [e.byte_size for e in entries],
            [e.byte_size_uncompressed for e in entries],
        ]
        for (name, dtype), values in zip(_FIXED_COLUMNS, fixed_values, strict=True):
            fields.append(pa.field(name, dtype, nullable=False))
            arrays.append(pa.array(values, type=dtype))

        descriptors = sorted(self._descriptors, key=lambda d: d.sort_key)
        for desc in descriptors:
            meta = {"rerun:index": "rerun:static", **_component_metadata(desc)}
            fields.append(
                pa.field(
                    f"{sanitize_column_name(desc.qualified_name)}:has_static_data",
                    pa.bool_(),
                    nullable=False,
                    metadata=meta,
                )
            )
            arrays.append(pa.array([e.is_static and desc in e.components for e in entries], type=pa.bool_()))

        timelines = sorted(self._timelines)
        for name in timelines:
            dtype = self._timelines[name].arrow_type
            for end, label in ((0, "start"), (1, "end")):
                values = [e.time_ranges[name][end] if name in e.time_ranges else None for e in entries]
                fields.append(
                    pa.field(f"{sanitize_column_name(name)}:{label}", dtype, metadata={"rerun:index": name})
                )
                arrays.append(pa.array(values, type=pa.int64()).view(dtype))

        pairs = {key for e in entries if e.partial_ranges for key in e.partial_ranges}
        for timelines, components in {(e.timelines, e.components) for e in entries if not e.is_static}:
            pairs.update((name, desc) for name in timelines for desc in components)
        for name in timelines:
            dtype = self._timelines[name].arrow_type
            for desc in descriptors:
                if (name, desc) not in pairs:
                    continue
                prefix = f"{sanitize_column_name(name)}:{sanitize_column_name(desc.qualified_name)}"
                meta = {"rerun:index": name, **_component_metadata(desc)}
                ranges = [e.component_range(name, desc) for e in entries]
                for pos, label in ((0, "start"), (1, "end")):
                    values = [r[pos] if r and r[2] else None for r in ranges]
                    fields.append(pa.field(f"{prefix}:{label}", dtype, metadata=meta))
                    arrays.append(pa.array(values, type=pa.int64()).view(dtype))
                fields.append(pa.field(f"{prefix}:num_rows", pa.uint64(), metadata=meta))
                arrays.append(pa.array([r[2] if r else 0 for r in ranges], type=pa.uint64()))
        return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields))

    def build_sorbet_schema(self) -> pa.Schema:
        """The recording-wide schema: row id, one column per timeline, one per (entity, component)."""
        fields = [
            pa.field(
                ROW_ID_COLUMN,
                ROW_ID_TYPE,
                nullable=False,
                metadata={
                    "rerun:kind": "control",
                    "ARROW:extension:name": "rerun.datatypes.TUID",
                    "ARROW:extension:metadata": '{"namespace":"row"}',
                },
            )
        ]
        for name in sorted(self._timelines):
            fields.append(
                pa.field(
                    name,
                    self._timelines[name].arrow_type,
                    metadata={"rerun:kind": "index", "rerun:index_name": name},
                )
            )
        for (entity, desc), info in sorted(
            self._columns.items(), key=lambda kv: (kv[0][0], kv[0][1].sort_key)
        ):
            meta = {**_data_column_metadata(desc), "rerun:entity_path": entity}
            if info.is_static:
                meta["rerun:is_static"] = "true"
            if info.semantically_empty:
                meta["rerun:is_semantically_empty"] = "true"
            if desc.component == "Clear:is_recursive":
                meta["rerun:is_tombstone"] = "true"
            fields.append(pa.field(sorbet_column_name(entity, desc.component), info.dtype, metadata=meta))
        return pa.schema(fields)

    def build(self) -> tuple[RrdManifest, bytes, int]:
        """The manifest, its LZ4-compressed index bytes, and their uncompressed size."""
        schema = self.build_sorbet_schema()
        schema_bytes = schema.serialize().to_pybytes()
        schema_ipc = schema_only_stream(schema_bytes)  # the schema is serialized once, not twice
        index_ipc = encode_ipc_stream(self.build_index())
        manifest = RrdManifest(
            self.store_id, schema_ipc, hashlib.sha256(schema_bytes).digest(), b"", Compression.LZ4
        )
        return manifest, compress(index_ipc, Compression.LZ4), len(index_ipc)


@dataclass(frozen=True)
class TimeSpan:
    """The times a chunk covers on one timeline."""

    kind: TimeKind
    min: int
    max: int


@dataclass(frozen=True)
class ManifestChunk:
    """One chunk as a footer manifest describes it: enough to find it in the file and to know what it
    holds without decoding it."""

    entity_path: str
    chunk_id: Tuid
    is_static: bool
    num_rows: int
    time_spans: dict[str, TimeSpan]  # timeline name -> times covered (absent: not on that timeline)
    components: list[ComponentDescriptor]
    byte_offset: int  # of the ArrowMsg payload
    byte_size: int


@dataclass(frozen=True)
class Manifest:
    """A decoded footer manifest: which store, its recording-wide schema, and the chunk index."""

    store_id: StoreId
    sorbet_schema: pa.Schema
    index: pa.RecordBatch
    _chunks: list[ManifestChunk] | None = field(default=None, init=False, repr=False, compare=False)

    def chunks(self) -> list[ManifestChunk]:
        """The chunk index, one entry per chunk in file order (decoded once; `read_footer_index` checks
        it before handing the manifest out). Raises KeyError/ValueError on a damaged index."""
        if self._chunks is None:
            object.__setattr__(self, "_chunks", self._decode_chunks())
        return list(self._chunks)

    def _decode_chunks(self) -> list[ManifestChunk]:
        index = self.index
        columns = {name: index.column(name) for name in index.schema.names}
        entity = columns["chunk_entity_path"].to_pylist()
        ids = columns["chunk_id"].to_pylist()
        static = columns["chunk_is_static"].to_pylist()
        rows = columns["chunk_num_rows"].to_pylist()
        offsets = columns["chunk_byte_offset"].to_pylist()
        sizes = columns["chunk_byte_size"].to_pylist()
        descriptors: dict[str, ComponentDescriptor] = {}
        timelines: dict[str, TimeKind] = {}
        for f in index.schema:
            meta = {k.decode(): v.decode() for k, v in (f.metadata or {}).items()}
            if "rerun:component" in meta:
                descriptors[f.name] = ComponentDescriptor(
                    meta["rerun:component"], meta.get("rerun:archetype"), meta.get("rerun:component_type")
                )
            if meta.get("rerun:index") not in (None, "rerun:static") and "rerun:component" not in meta:
                timelines[meta["rerun:index"]] = TimeKind.from_arrow_type(f.type)
        per_row_components: list[list[ComponentDescriptor]] = [[] for _ in entity]
        for name, desc in descriptors.items():
            if name.endswith(":has_static_data"):
                flags = columns[name].to_pylist()
            elif name.endswith(":num_rows"):
                flags = [n > 0 for n in columns[name].to_pylist()]
            else:
                continue
            for i, flag in enumerate(flags):
                if flag and desc not in per_row_components[i]:
                    per_row_components[i].append(desc)
        time_spans: list[dict[str, TimeSpan]] = [{} for _ in entity]
        for name, kind in timelines.items():
            # fill_null first: with nulls, to_numpy goes through float64 and rounds nanosecond stamps.
            starts = columns[f"{sanitize_column_name(name)}:start"].cast("int64").fill_null(0).to_numpy()
            ends = columns[f"{sanitize_column_name(name)}:end"].cast("int64").fill_null(0).to_numpy()
            valid = np.asarray(columns[f"{sanitize_column_name(name)}:start"].is_valid())
            for i in np.flatnonzero(valid):
                time_spans[i][name] = TimeSpan(kind, int(starts[i]), int(ends[i]))
        return [
            ManifestChunk(
                entity[i],
                Tuid.from_bytes(ids[i]),
                static[i],
                rows[i],
                time_spans[i],
                per_row_components[i],
                offsets[i],
                sizes[i],
            )
            for i in range(len(entity))
        ]


def decode_manifest(data: bytes) -> Manifest:
    """Parse one `RrdManifest` from a footer."""
    f = fields_by_number(data)
    store_id = StoreId.decode(f[1][0])
    schema_ipc = fields_by_number(f[2][0]).get(1, [b""])[0] if 2 in f else b""
    schema = pa.ipc.open_stream(pa.py_buffer(schema_ipc)).schema if schema_ipc else pa.schema([])
    part = fields_by_number(f[4][0]) if 4 in f else {}
    payload = part.get(2, [b""])[0]
    compression = Compression(part.get(3, [0])[0])
    index = decode_ipc_stream(decompress(payload, compression, part.get(4, [0])[0]))
    return Manifest(store_id, schema, index)
