"""Random access through the footer: a file's chunk index without reading its chunks.

A single-stream file written by Rerun 0.41 (or by us) ends with a stream footer pointing at its End
message, whose manifests index every chunk per store. The store infos are not in the manifests; they
come before the first chunk, so only the file's first messages are read for them.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import BinaryIO

from .errors import RrdError
from .manifest import Manifest, decode_manifest
from .messages import MessageKind, RrdFooter, StoreId, StoreInfo
from .reader import FOOTER_TAIL, MAGIC, MESSAGE_HEADER_SIZE, STREAM_FOOTER_SIZE, STREAM_HEADER_SIZE


@dataclass(frozen=True)
class FooterIndex:
    """What a file's footer says about its stores, and the store infos written before its chunks."""

    manifests: dict[StoreId, Manifest]  # never empty
    store_infos: dict[StoreId, StoreInfo]


def read_footer_index(path: str | os.PathLike) -> FooterIndex | None:
    """The footer manifests and store infos of a single-stream file, or None when it has no usable
    footer (older Rerun, several concatenated streams, a truncated or damaged file): read it in full then.
    """
    try:
        size = os.stat(path).st_size
        with open(path, "rb") as f:
            if f.read(4) != MAGIC or size < STREAM_HEADER_SIZE + STREAM_FOOTER_SIZE:
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
            infos = _store_infos(f, start - MESSAGE_HEADER_SIZE)
    except (OSError, ValueError, RrdError):
        return None
    manifests = {}
    try:
        for raw in footer.manifests:
            manifest = decode_manifest(raw)
            # Decoded here (and kept) so a damaged index, or one pointing outside the chunks, means
            # "no fast path" rather than a failure, or an allocation as large as it claims, later.
            for entry in manifest.chunks():
                if entry.byte_offset < STREAM_HEADER_SIZE or entry.byte_offset + entry.byte_size > start:
                    return None
            manifests[manifest.store_id] = manifest
    except Exception:  # an unreadable manifest only costs the caller its fast path
        return None
    if not manifests:
        return None
    return FooterIndex(manifests, infos)


def _store_infos(f: BinaryIO, end: int) -> dict[StoreId, StoreInfo]:
    """The store infos, which come before the chunks: read messages until the first chunk."""
    infos: dict[StoreId, StoreInfo] = {}
    f.seek(STREAM_HEADER_SIZE)
    while f.tell() < end:
        head = f.read(MESSAGE_HEADER_SIZE)
        if len(head) < MESSAGE_HEADER_SIZE:
            break
        kind, length = struct.unpack("<QQ", head)
        if length > end - f.tell():
            # A damaged length: reading (or seeking) what it claims would allocate it or overflow.
            raise RrdError("message length runs past the footer", offset=f.tell() - MESSAGE_HEADER_SIZE)
        if kind == MessageKind.SET_STORE_INFO:
            info = StoreInfo.decode(f.read(length))
            infos.setdefault(info.store_id, info)
        elif kind == MessageKind.ARROW_MSG and len(infos) > 0:
            break
        else:
            f.seek(length, os.SEEK_CUR)
    return infos
