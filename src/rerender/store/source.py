"""Where a recording's chunks come from: metadata up front, chunk data decoded only when asked.

A file with a footer manifest is opened without decoding anything: the manifest says where each
chunk is, which entity it belongs to, whether it is static and which timelines and components it
has. A file without one (older Rerun, a stream, a truncated file) is scanned once.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from ..rrd import (
    ArrowMsg,
    Chunk,
    ComponentDescriptor,
    MessageKind,
    RrdError,
    RrdReader,
    StoreId,
    StoreInfo,
    StoreKind,
    TimeKind,
    Tuid,
)
from ..rrd.codec import decode_chunk_at
from ..rrd.manifest import decode_manifest, sanitize_column_name
from ..rrd.messages import RrdFooter
from ..rrd.reader import FOOTER_TAIL, MAGIC, MESSAGE_HEADER_SIZE, STREAM_FOOTER_SIZE


@dataclass
class ChunkMeta:
    """What is known about a chunk without decoding it."""

    entity_path: str
    chunk_id: Tuid
    is_static: bool
    num_rows: int
    timelines: dict[str, tuple[TimeKind, int, int]]  # name -> (kind, min, max)
    components: list[ComponentDescriptor]
    byte_offset: int | None = None  # of the ArrowMsg payload, when the file can be seeked
    byte_size: int | None = None
    message: ArrowMsg | None = None  # kept when the chunk was read in a scan
    chunk: Chunk | None = field(default=None, repr=False)


def meta_from_chunk(chunk: Chunk) -> ChunkMeta:
    """Metadata of an already decoded chunk."""
    timelines = {}
    for name, timeline in chunk.timelines.items():
        lo_hi = chunk.time_range(name)
        if lo_hi is not None:
            timelines[name] = (timeline.kind, *lo_hi)
    return ChunkMeta(
        chunk.entity_path, chunk.id, chunk.is_static, chunk.num_rows, timelines, chunk.components, chunk=chunk
    )


class ChunkSource:
    """The chunks of one recording store, decoded on first use."""

    def __init__(
        self,
        name: str,
        store_id: StoreId,
        info: StoreInfo | None,
        metas: list[ChunkMeta],
        path: Path | None = None,
    ) -> None:
        self.name = name
        self.store_id = store_id
        self.info = info
        self.metas = metas
        self._path = path

    def chunk(self, index: int) -> Chunk:
        """Chunk number `index`, decoding it if needed."""
        meta = self.metas[index]
        if meta.chunk is None:
            if meta.message is None:
                meta.message = self._read_message(meta)
            meta.chunk = decode_chunk_at(meta.message, self.name, meta.byte_offset)
            meta.message = None  # the decoded chunk replaces the compressed bytes
        return meta.chunk

    def _read_message(self, meta: ChunkMeta) -> ArrowMsg:
        assert self._path is not None and meta.byte_offset is not None and meta.byte_size is not None
        with open(self._path, "rb") as f:
            f.seek(meta.byte_offset)
            data = f.read(meta.byte_size)
        if len(data) != meta.byte_size:
            raise RrdError(
                "chunk cut short",
                source=self.name,
                offset=meta.byte_offset,
                expected=f"{meta.byte_size} bytes as the footer manifest says",
            )
        return ArrowMsg.decode(data)


def open_source(
    source: str | os.PathLike | BinaryIO | bytes | Iterable[Chunk],
    *,
    recording_id: str | None = None,
    kind: StoreKind = StoreKind.RECORDING,
) -> ChunkSource:
    """Open the recording store (or, with `kind=StoreKind.BLUEPRINT`, the blueprint store) of a file,
    stream, byte string or iterable of chunks."""
    if isinstance(source, bytes | bytearray | memoryview):
        source = io.BytesIO(bytes(source))
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        indexed = _from_footer(path, recording_id, kind)
        if indexed is not None:
            return indexed
        return _scan(path, str(path), recording_id, path, kind)
    if hasattr(source, "read"):
        return _scan(source, getattr(source, "name", "<stream>"), recording_id, None, kind)
    chunks = list(source)
    store = StoreId(kind, recording_id or "", "")
    return ChunkSource("<chunks>", store, None, [meta_from_chunk(c) for c in chunks])


def _scan(
    source, name: str, recording_id: str | None, path: Path | None, kind: StoreKind = StoreKind.RECORDING
) -> ChunkSource:
    """Read every message once; keep chunk bytes compressed until they are needed."""
    infos: dict[StoreId, StoreInfo] = {}
    per_store: dict[StoreId, list[ChunkMeta]] = {}
    with RrdReader(source, name=name) as reader:
        for frame in reader:
            if frame.kind == MessageKind.SET_STORE_INFO:
                infos.setdefault(frame.store_id, frame.message)
            elif frame.kind == MessageKind.ARROW_MSG:
                meta = meta_from_chunk(frame.chunk)
                per_store.setdefault(frame.store_id, []).append(meta)
    stores = [*infos, *per_store]
    if kind == StoreKind.BLUEPRINT and recording_id is None:
        stores = _newest_first(stores, lambda s: per_store.get(s, []))
    store_id = _pick_store(name, stores, recording_id, kind)
    return ChunkSource(name, store_id, infos.get(store_id), per_store.get(store_id, []), path)


def _newest_first(stores: list[StoreId], metas) -> list[StoreId]:
    """Blueprint stores, the last one sent first: each `send_blueprint` writes a new blueprint store,
    and the viewer shows the newest; "newest" is the latest `log_time` of its chunks."""

    def newest(store: StoreId) -> int:
        times = [m.timelines["log_time"][2] for m in metas(store) if "log_time" in m.timelines]
        return max(times, default=-(2**63))

    return sorted(dict.fromkeys(stores), key=newest, reverse=True)


def _pick_store(
    name: str, stores: list[StoreId], recording_id: str | None, kind: StoreKind = StoreKind.RECORDING
) -> StoreId:
    what = "recording" if kind == StoreKind.RECORDING else "blueprint"
    recordings = list(dict.fromkeys(s for s in stores if s.kind == kind))
    if recording_id is not None:
        for store in recordings:
            if store.recording_id == recording_id:
                return store
        known = ", ".join(s.recording_id for s in recordings) or "none"
        raise RrdError(f"no {what} {recording_id!r}", source=name, expected=f"one of: {known}")
    if not recordings:
        raise RrdError(f"no {what} in this file", source=name, expected=f"at least one {what} store")
    return recordings[0]


def _from_footer(
    path: Path, recording_id: str | None, kind: StoreKind = StoreKind.RECORDING
) -> ChunkSource | None:
    """Chunk metadata from the footer manifest of a single-stream file, or None to fall back to a scan."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            if f.read(4) != MAGIC or size < 12 + STREAM_FOOTER_SIZE:
                return None
            f.seek(size - STREAM_FOOTER_SIZE)
            tail = f.read(STREAM_FOOTER_SIZE)
            if tail[20:28] != FOOTER_TAIL or struct.unpack_from("<I", tail, 28)[0] != 1:
                return None
            start, length, _crc = struct.unpack_from("<QQI", tail)
            # Only a single stream: its footer must end right before the stream footer.
            if start + length + STREAM_FOOTER_SIZE != size or start < MESSAGE_HEADER_SIZE:
                return None
            f.seek(start)
            footer = RrdFooter.decode(f.read(length))
            f.seek(0)
            infos = _store_infos(f, start - MESSAGE_HEADER_SIZE)
    except (OSError, ValueError, RrdError):
        return None
    manifests = {}
    try:
        for raw in footer.manifests:
            manifest = decode_manifest(raw)
            manifests[manifest.store_id] = manifest
    except Exception:  # an unreadable manifest only costs us the fast path
        return None
    if not manifests:
        return None
    stores = list(manifests)
    if kind == StoreKind.BLUEPRINT and recording_id is None:
        stores = _newest_first(
            [s for s in stores if s.kind == kind], lambda s: _metas_from_manifest(manifests[s])
        )
    store_id = _pick_store(str(path), stores, recording_id, kind)
    return ChunkSource(
        str(path), store_id, infos.get(store_id), _metas_from_manifest(manifests[store_id]), path
    )


def _store_infos(f: BinaryIO, end: int) -> dict[StoreId, StoreInfo]:
    """The store infos, which come before the chunks: read messages until the first chunk."""
    infos: dict[StoreId, StoreInfo] = {}
    f.seek(12)
    while f.tell() < end:
        head = f.read(MESSAGE_HEADER_SIZE)
        if len(head) < MESSAGE_HEADER_SIZE:
            break
        kind, length = struct.unpack("<QQ", head)
        if kind == MessageKind.SET_STORE_INFO:
            info = StoreInfo.decode(f.read(length))
            infos.setdefault(info.store_id, info)
        elif kind == MessageKind.ARROW_MSG and len(infos) > 0:
            break
        else:
            f.seek(length, os.SEEK_CUR)
    return infos


def _metas_from_manifest(manifest) -> list[ChunkMeta]:
    index = manifest.index
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
    time_ranges: list[dict[str, tuple[TimeKind, int, int]]] = [{} for _ in entity]
    for name, kind in timelines.items():
        # fill_null first: with nulls, to_numpy goes through float64 and rounds nanosecond stamps.
        starts = columns[f"{sanitize_column_name(name)}:start"].cast("int64").fill_null(0).to_numpy()
        ends = columns[f"{sanitize_column_name(name)}:end"].cast("int64").fill_null(0).to_numpy()
        valid = np.asarray(columns[f"{sanitize_column_name(name)}:start"].is_valid())
        for i in np.flatnonzero(valid):
            time_ranges[i][name] = (kind, int(starts[i]), int(ends[i]))
    return [
        ChunkMeta(
            entity[i],
            Tuid.from_bytes(ids[i]),
            static[i],
            rows[i],
            time_ranges[i],
            per_row_components[i],
            byte_offset=offsets[i],
            byte_size=sizes[i],
        )
        for i in range(len(entity))
    ]
