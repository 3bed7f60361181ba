"""Where a recording's chunks come from: metadata up front, chunk data decoded only when asked.

A file with a footer manifest is opened without decoding anything: the manifest says where each
chunk is, which entity it belongs to, whether it is static and which timelines and components it
has. A file without one (older Rerun, a stream, a truncated file) is scanned once.
"""

from __future__ import annotations

import io
import os
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..lru import LruCache
from ..rrd import (
    ArrowMsg,
    Chunk,
    ComponentDescriptor,
    CorruptMessageError,
    Manifest,
    MessageKind,
    RrdError,
    RrdReader,
    StoreId,
    StoreInfo,
    StoreKind,
    TimeSpan,
    Tuid,
    decode_chunk_at,
    read_footer_index,
)
from ..rrd.chunk import ChunkLayouts

# Decoded chunks a file-backed source keeps (the rest are read from the file again when asked for).
DECODED_BYTES = 256 << 20
# What a decoded chunk holds beyond its Arrow buffers (the Chunk, its batch, schema and metadata objects),
# counted with them: measured at 8.5 KB for a one-row chunk, so 100,000 of them are not "130 MB".
DECODED_OVERHEAD = 8 << 10


@dataclass
class ChunkMeta:
    """What is known about a chunk without decoding it."""

    entity_path: str
    chunk_id: Tuid
    is_static: bool
    num_rows: int
    timelines: dict[str, TimeSpan]  # timeline name -> the times the chunk covers on it
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
            timelines[name] = TimeSpan(timeline.kind, *lo_hi)
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
        self._decoded: LruCache[int, Chunk] = LruCache(DECODED_BYTES)
        self._file: _ChunkFile | None = None  # opened on the first read from `path`
        self._store_ids: dict[bytes, StoreId] = {}  # parsed once, not once per chunk
        self._layouts = ChunkLayouts()  # the same: a recording's chunks share a few column layouts

    def chunk(self, index: int) -> Chunk:
        """Chunk number `index`, decoding it if needed. Chunks the footer says where to find are read
        from the file again when needed, so only the DECODED_BYTES most recently used stay decoded: a
        render sweeping a recording larger than memory holds what it draws, not all it went past."""
        meta = self.metas[index]
        if meta.chunk is not None:
            return meta.chunk
        if meta.message is None and self._path is not None and meta.byte_offset is not None:
            chunk = self._decoded.get(index)
            if chunk is None:
                message = self._read_message(meta)
                chunk = decode_chunk_at(message, self.name, meta.byte_offset, self._layouts)
                # The batch's buffers are slices of the decompressed IPC stream, so its size is what the
                # chunk holds (and costs nothing to know, where `batch.nbytes` walks every buffer).
                size = max(message.uncompressed_size, len(message.payload))
                self._decoded.put(index, chunk, size + DECODED_OVERHEAD)
            return chunk
        if meta.message is None:
            meta.message = self._read_message(meta)
        meta.chunk = decode_chunk_at(meta.message, self.name, meta.byte_offset, self._layouts)
        meta.message = None  # the decoded chunk replaces the compressed bytes
        return meta.chunk

    def is_decoded(self, index: int) -> bool:
        """Whether chunk number `index` is held decoded now."""
        return self.metas[index].chunk is not None or index in self._decoded

    def close(self) -> None:
        """Close the file chunks are read from (a later read opens it again)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def _read_message(self, meta: ChunkMeta) -> ArrowMsg:
        assert self._path is not None and meta.byte_offset is not None and meta.byte_size is not None
        if self._file is None:
            self._file = _ChunkFile(self._path)
        data = self._file.read(meta.byte_offset, meta.byte_size)
        if len(data) != meta.byte_size:
            raise RrdError(
                "chunk cut short",
                source=self.name,
                offset=meta.byte_offset,
                expected=f"{meta.byte_size} bytes as the footer manifest says",
            )
        try:
            return ArrowMsg.decode(data, self._store_ids)
        except ValueError as e:  # damaged protobuf (the footer index only checked where the chunk is)
            raise CorruptMessageError(
                f"ARROW_MSG message does not decode ({e})",
                source=self.name,
                offset=meta.byte_offset,
                expected="a protobuf ARROW_MSG message",
            ) from None


class _ChunkFile:
    """The recording file, kept open while its source reads chunks from it: opening it again for each
    chunk cost more than decoding a small chunk. Closed by `close()`, or when the source is collected
    (so that many Recordings, as in tests, do not pile up open files)."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        self._closer = weakref.finalize(self, os.close, self._fd)

    def read(self, offset: int, size: int) -> bytes:
        """Up to `size` bytes at `offset` (fewer at the end of the file)."""
        if hasattr(os, "pread"):
            return os.pread(self._fd, size, offset)
        os.lseek(self._fd, offset, os.SEEK_SET)  # no pread on Windows; sources are not shared by threads
        return os.read(self._fd, size)

    def close(self) -> None:
        """Close the file now."""
        self._closer()


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


def _newest_first(stores: list[StoreId], metas: Callable[[StoreId], list[ChunkMeta]]) -> list[StoreId]:
    """Blueprint stores, the last one sent first: each `send_blueprint` writes a new blueprint store,
    and the viewer shows the newest; "newest" is the latest `log_time` of its chunks."""

    def newest(store: StoreId) -> int:
        times = [m.timelines["log_time"].max for m in metas(store) if "log_time" in m.timelines]
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
    footer = read_footer_index(path)
    if footer is None:
        return None
    manifests = footer.manifests
    stores = list(manifests)
    if kind == StoreKind.BLUEPRINT and recording_id is None:
        stores = _newest_first(
            [s for s in stores if s.kind == kind], lambda s: _metas_from_manifest(manifests[s])
        )
    store_id = _pick_store(str(path), stores, recording_id, kind)
    return ChunkSource(
        str(path), store_id, footer.store_infos.get(store_id), _metas_from_manifest(manifests[store_id]), path
    )


def _metas_from_manifest(manifest: Manifest) -> list[ChunkMeta]:
    return [
        ChunkMeta(
            c.entity_path,
            c.chunk_id,
            c.is_static,
            c.num_rows,
            c.time_spans,
            c.components,
            byte_offset=c.byte_offset,
            byte_size=c.byte_size,
        )
        for c in manifest.chunks()
    ]
