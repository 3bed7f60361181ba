"""RRD writer: stream header, messages, and on close the footer manifests rerun's tools expect."""

from __future__ import annotations

import os
import struct
from dataclasses import replace
from typing import BinaryIO

from .chunk import Chunk
from .codec import encode_chunk
from .manifest import ManifestBuilder
from .messages import (
    WRITER_VERSION,
    ArrowMsg,
    BlueprintActivationCommand,
    Compression,
    MessageKind,
    StoreId,
    StoreInfo,
)
from .protobuf import MessageBuilder
from .reader import FOOTER_TAIL, MAGIC
from .tuid import TuidGenerator
from .xxh32 import FOOTER_SEED, xxh32

_HEADER = struct.Struct("<QQ")  # message kind, payload length
_JOIN_BELOW = 64 * 1024  # bytes: larger messages are written in pieces, without a copy


class RrdWriter:
    """Write one RRD stream as rerun-sdk 0.41 does.

    Each message goes to the sink in full as soon as it is written, so a process that dies leaves a
    file that reads up to its last complete message. `close()` adds the footer.
    """

    def __init__(
        self,
        sink: str | os.PathLike | BinaryIO,
        *,
        compression: Compression = Compression.LZ4,
        write_footer: bool = True,
    ) -> None:
        if isinstance(sink, str | os.PathLike):
            # Flushed after every message: each one reaches the OS whole, even if we are killed right after.
            self._file: BinaryIO = open(sink, "wb")  # noqa: SIM115 (closed in close())
            self._owned = True
        else:
            self._file = sink
            self._owned = False
        self.compression = compression
        self.write_footer = write_footer
        self._manifests: dict[StoreId, ManifestBuilder] = {}
        self._pos = 0
        self._closed = False
        self._tuids = TuidGenerator()
        v = WRITER_VERSION
        self._write(
            MAGIC
            + bytes([v.major, v.minor, v.patch, v.meta, 1 if compression == Compression.LZ4 else 0, 2, 0, 0])
        )

    def __enter__(self) -> RrdWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def bytes_written(self) -> int:
        """Bytes written so far."""
        return self._pos

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            n = self._file.write(view)
            if n is None:  # non-blocking raw stream with no room: not something we support
                raise OSError("sink would block")
            view = view[n:]
            self._pos += n

    def _write_message(self, kind: MessageKind, payload: bytes | list[bytes | memoryview]) -> int:
        """Write header + payload (given whole or in pieces); returns the payload's offset."""
        parts = [payload] if isinstance(payload, bytes | memoryview) else payload
        size = sum(len(p) for p in parts)
        header = _HEADER.pack(int(kind), size)
        offset = self._pos + len(header)
        if size <= _JOIN_BELOW:
            # One write call for a small message: the copy costs less than the calls (many small chunks).
            self._write(b"".join((header, *parts)))
        else:
            for part in (header, *parts):
                self._write(part)
        if self._owned:
            self._file.flush()
        return offset

    def write_store_info(self, info: StoreInfo) -> None:
        """Announce a store (recording or blueprint); a missing row id or version is filled in."""
        if info.row_id is None or info.store_version is None:
            # rerun refuses a SetStoreInfo without a row id.
            info = replace(
                info,
                row_id=info.row_id or self._tuids.next(),
                store_version=info.store_version or WRITER_VERSION,
            )
        self._write_message(MessageKind.SET_STORE_INFO, info.encode())

    def write_chunk(
        self,
        store_id: StoreId,
        chunk: Chunk,
        *,
        encoded: ArrowMsg | None = None,
        encoded_bytes: bytes | None = None,
    ) -> None:
        """Write one chunk; `encoded` (and its protobuf bytes as read) reuse an ArrowMsg holding exactly
        this chunk, so copying a file does not encode anything again."""
        if encoded is None or encoded.chunk_id != chunk.id or encoded.store_id != store_id:
            encoded, encoded_bytes = encode_chunk(store_id, chunk, self.compression), None
        parts = [encoded_bytes] if encoded_bytes else encoded.encode_parts()
        offset = self._write_message(MessageKind.ARROW_MSG, parts)
        builder = self._manifests.get(store_id)
        if builder is None:
            builder = self._manifests[store_id] = ManifestBuilder(store_id)
        builder.add(chunk, offset, self._pos - offset, encoded.uncompressed_size)

    def write_blueprint_activation(self, command: BlueprintActivationCommand) -> None:
        """Tell viewers which blueprint to use."""
        self._write_message(MessageKind.BLUEPRINT_ACTIVATION, command.encode())

    def flush(self) -> None:
        """Push buffered bytes to the OS."""
        self._file.flush()

    def close(self) -> None:
        """Write the End message, footer manifests and stream footer, then close an owned file."""
        if self._closed:
            return
        self._closed = True
        try:
            if self.write_footer:
                self._write_footer()
            self._file.flush()
        finally:
            if self._owned:
                self._file.close()

    def _write_footer(self) -> None:
        footer = MessageBuilder()
        for builder in self._manifests.values():
            manifest, data, size = builder.build()
            footer.bytes_(1, manifest.encode(data, size), always=True)
        payload = footer.build()
        start = self._write_message(MessageKind.END, payload)
        self._write(
            struct.pack("<QQI", start, len(payload), xxh32(payload, FOOTER_SEED))
            + FOOTER_TAIL
            + struct.pack("<I", 1)
        )
