"""Chunk <-> ArrowMsg: Arrow IPC streams, LZ4 block compressed as rerun-sdk does it.

LZ4 goes through pyarrow's `lz4_raw` codec (the block format, no size prefix) rather than
python-lz4: its output comes from pyarrow's memory pool, which reuses pages, where python-lz4
allocates a fresh multi-megabyte `bytes` per chunk and the kernel faults every page of it in.
Measured on 2.4 MB chunks: 0.24 ms against 5.5 ms to compress, 0.11 ms against 4.8 ms to
decompress.
"""

from __future__ import annotations

import pyarrow as pa

from .chunk import Chunk
from .errors import CorruptMessageError
from .messages import ArrowMsg, Compression, StoreId

# An LZ4 block sequence spends at least one byte per 255 bytes of match length.
LZ4_MAX_RATIO = 255


def encode_ipc_stream(batch: pa.RecordBatch) -> pa.Buffer:
    """Schema + one batch + end-of-stream, as one Arrow IPC stream."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return sink.getvalue()


def decode_ipc_stream(data: bytes | memoryview | pa.Buffer) -> pa.RecordBatch:
    """The single record batch of an Arrow IPC stream."""
    reader = pa.ipc.open_stream(data if isinstance(data, pa.Buffer) else pa.py_buffer(data))
    batch = reader.read_next_batch()
    # The IPC reader only checks buffer sizes; damaged offsets would crash the process on first use.
    batch.validate(full=True)
    for f in batch.schema:
        _check_names(f)
    return batch


def _check_names(f: pa.Field) -> None:
    """Raise UnicodeDecodeError (a ValueError) now for a field name that is not UTF-8: pyarrow accepts
    it from IPC and only fails where the name is first used, e.g. deep in `to_pylist()`."""
    f.name  # noqa: B018 (decoding is the point)
    dtype = f.type
    if pa.types.is_dictionary(dtype):
        dtype = dtype.value_type
    for i in range(dtype.num_fields):
        _check_names(dtype.field(i))


_LZ4 = pa.Codec("lz4_raw")
_IPC_END = b"\xff\xff\xff\xff\x00\x00\x00\x00"  # Arrow IPC end-of-stream marker


def compress(data: bytes | pa.Buffer, compression: Compression) -> bytes | memoryview:
    """LZ4 *block* format with no size prefix (rerun keeps the size in the message instead)."""
    if compression == Compression.LZ4:
        out = _LZ4.compress(data)
        # A pyarrow buffer's memoryview may be longer than its data: slice to the real size.
        return memoryview(out)[: out.size]
    return data if isinstance(data, bytes) else memoryview(data)


def decompress(
    payload: bytes | memoryview, compression: Compression, uncompressed_size: int
) -> bytes | memoryview | pa.Buffer:
    """Inverse of `compress`; the size must match exactly."""
    if compression == Compression.LZ4:
        if uncompressed_size > LZ4_MAX_RATIO * len(payload) + 64:
            # A damaged size field; lz4 would allocate all of it before finding out.
            raise ValueError(
                f"LZ4 payload of {len(payload)} bytes cannot decompress to {uncompressed_size} bytes"
            )
        data = _LZ4.decompress(payload, decompressed_size=uncompressed_size)
        # pyarrow trusts the declared size; a chunk's IPC stream must end exactly on its end marker.
        if data.size < len(_IPC_END) or data.slice(data.size - len(_IPC_END)).to_pybytes() != _IPC_END:
            raise ValueError(
                f"LZ4 payload does not decompress to exactly {uncompressed_size} bytes of Arrow IPC"
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


def decode_chunk_at(msg: ArrowMsg, source: str, offset: int | None) -> Chunk:
    """`decode_chunk`, with any failure reported as a CorruptMessageError naming where the message is."""
    try:
        return decode_chunk(msg)
    except Exception as e:  # LZ4, Arrow and layout errors all mean the same to a caller
        raise CorruptMessageError(
            f"chunk payload does not decode ({type(e).__name__}: {e})",
            source=source,
            offset=offset,
            expected="an LZ4-compressed Arrow IPC stream holding one Rerun chunk",
        ) from None


def decode_chunk(msg: ArrowMsg) -> Chunk:
    """The chunk an ArrowMsg carries (raises ValueError/ArrowInvalid/LZ4 errors on bad data)."""
    if msg.encoding != 1:
        raise ValueError(f"unknown ArrowMsg encoding {msg.encoding}; expected 1 (Arrow IPC)")
    data = decompress(msg.payload, msg.compression, msg.uncompressed_size)
    return Chunk.from_record_batch(decode_ipc_stream(data))
