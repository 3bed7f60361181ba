"""Chunk <-> ArrowMsg: Arrow IPC streams, LZ4 block compressed as rerun-sdk does it."""

from __future__ import annotations

import lz4.block
import pyarrow as pa

from .chunk import Chunk
from .messages import ArrowMsg, Compression, StoreId

# An LZ4 block sequence spends at least one byte per 255 bytes of match length.
LZ4_MAX_RATIO = 255


def encode_ipc_stream(batch: pa.RecordBatch) -> pa.Buffer:
    """Schema + one batch + end-of-stream, as one Arrow IPC stream."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return sink.getvalue()


def decode_ipc_stream(data: bytes | pa.Buffer) -> pa.RecordBatch:
    """The single record batch of an Arrow IPC stream."""
    reader = pa.ipc.open_stream(pa.py_buffer(data) if not isinstance(data, pa.Buffer) else data)
    batch = reader.read_next_batch()
    # The IPC reader only checks buffer sizes; damaged offsets would crash the process on first use.
    batch.validate(full=True)
    return batch


def compress(data: bytes | pa.Buffer, compression: Compression) -> bytes:
    """LZ4 *block* format with no size prefix (rerun keeps the size in the message instead)."""
    if compression == Compression.LZ4:
        return lz4.block.compress(data, store_size=False)
    return bytes(data)


def decompress(payload: bytes, compression: Compression, uncompressed_size: int) -> bytes:
    """Inverse of `compress`; the size must match exactly."""
    if compression == Compression.LZ4:
        if uncompressed_size > LZ4_MAX_RATIO * len(payload) + 64:
            # A damaged size field; lz4 would allocate all of it before finding out.
            raise ValueError(
                f"LZ4 payload of {len(payload)} bytes cannot decompress to {uncompressed_size} bytes"
            )
        data = lz4.block.decompress(payload, uncompressed_size=uncompressed_size)
        if len(data) != uncompressed_size:
            raise ValueError(
                f"LZ4 payload decompressed to {len(data)} bytes, header says {uncompressed_size}"
            )
        return data
    return payload


def encode_chunk(store_id: StoreId, chunk: Chunk, compression: Compression = Compression.LZ4) -> ArrowMsg:
    """An ArrowMsg carrying `chunk`."""
    ipc = encode_ipc_stream(chunk.batch)
    return ArrowMsg(
        store_id=store_id,
        compression=compression,
        uncompressed_size=ipc.size,
        payload=compress(ipc, compression),
        chunk_id=chunk.id,
        is_static=chunk.is_static,
    )


def decode_chunk(msg: ArrowMsg) -> Chunk:
    """The chunk an ArrowMsg carries (raises ValueError/ArrowInvalid/LZ4 errors on bad data)."""
    if msg.encoding != 1:
        raise ValueError(f"unknown ArrowMsg encoding {msg.encoding}; expected 1 (Arrow IPC)")
    data = decompress(msg.payload, msg.compression, msg.uncompressed_size)
    return Chunk.from_record_batch(decode_ipc_stream(data))
