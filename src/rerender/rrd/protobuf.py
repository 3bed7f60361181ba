"""A minimal protobuf wire codec: the RRD messages are few and small, so no generated code is needed."""

from __future__ import annotations

import struct
from collections.abc import Iterator

VARINT, I64, LEN, I32 = 0, 1, 2, 5


class ProtobufError(ValueError):
    """Bytes that are not valid protobuf wire format."""


_ONE_BYTE = [bytes((i,)) for i in range(0x80)]


def encode_varint(value: int) -> bytes:
    """Encode a non-negative integer (negative int32/64 use two's complement, 10 bytes)."""
    if 0 <= value < 0x80:  # keys, flags and small lengths: most varints written
        return _ONE_BYTE[value]
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def decode_varint(data: bytes | memoryview, pos: int) -> tuple[int, int]:
    """Decode a varint at `pos`; returns (value, new position)."""
    result = 0
    shift = 0
    end = len(data)
    while True:
        if pos >= end:
            raise ProtobufError("varint runs past the end of the message")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise ProtobufError("varint longer than 10 bytes")


def iter_fields(data: bytes | memoryview) -> Iterator[tuple[int, int, int | bytes | memoryview]]:
    """Yield (field number, wire type, value): ints for VARINT/I64/I32, slices of `data` for LEN."""
    if isinstance(data, int):  # a LEN field that arrived with another wire type (damage)
        raise ProtobufError("a number where an embedded message belongs")
    pos = 0
    end = len(data)
    while pos < end:
        key, pos = decode_varint(data, pos)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise ProtobufError("field number 0")
        if wire == VARINT:
            value, pos = decode_varint(data, pos)
        elif wire == I64:
            if pos + 8 > end:
                raise ProtobufError("fixed64 runs past the end of the message")
            value = struct.unpack_from("<Q", data, pos)[0]
            pos += 8
        elif wire == LEN:
            length, pos = decode_varint(data, pos)
            if pos + length > end:
                raise ProtobufError(f"field {number} claims {length} bytes, only {end - pos} left")
            value = data[pos : pos + length]  # a memoryview slice shares memory: no copy of big payloads
            pos += length
        elif wire == I32:
            if pos + 4 > end:
                raise ProtobufError("fixed32 runs past the end of the message")
            value = struct.unpack_from("<I", data, pos)[0]
            pos += 4
        else:
            raise ProtobufError(f"unsupported wire type {wire} for field {number}")
        yield number, wire, value


def fields_by_number(data: bytes | memoryview) -> dict[int, list[int | bytes]]:
    """Group a message's fields by number (repeated fields keep their order); values as `iter_fields`.

    The same walk as `iter_fields`, written out flat: a chunk's messages are walked once per chunk
    read, and the generator and per-varint calls were most of the cost. Keys and lengths under 128
    (nearly all of them) take the one-byte branch."""
    if isinstance(data, int):  # a LEN field that arrived with another wire type (damage)
        raise ProtobufError("a number where an embedded message belongs")
    grouped: dict[int, list[int | bytes]] = {}
    pos = 0
    end = len(data)
    while pos < end:
        key = data[pos]
        if key < 0x80:
            pos += 1
        else:
            key, pos = decode_varint(data, pos)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise ProtobufError("field number 0")
        if wire == LEN:
            length = data[pos] if pos < end else 0x80
            if length < 0x80:
                pos += 1
            else:
                length, pos = decode_varint(data, pos)
            if pos + length > end:
                raise ProtobufError(f"field {number} claims {length} bytes, only {end - pos} left")
            value = data[pos : pos + length]  # a memoryview slice shares memory: no copy of big payloads
            pos += length
        elif wire == VARINT:
            value = data[pos] if pos < end else 0x80
            if value < 0x80:
                pos += 1
            else:
                value, pos = decode_varint(data, pos)
        elif wire == I64:
            if pos + 8 > end:
                raise ProtobufError("fixed64 runs past the end of the message")
            value = _U64.unpack_from(data, pos)[0]
            pos += 8
        elif wire == I32:
            if pos + 4 > end:
                raise ProtobufError("fixed32 runs past the end of the message")
            value = _U32.unpack_from(data, pos)[0]
            pos += 4
        else:
            raise ProtobufError(f"unsupported wire type {wire} for field {number}")
        values = grouped.get(number)
        if values is None:
            grouped[number] = [value]
        else:
            values.append(value)
    return grouped


_U64 = struct.Struct("<Q")
_U32 = struct.Struct("<I")


class MessageBuilder:
    """Append fields in ascending field order, as prost does."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def varint(self, number: int, value: int | None, *, always: bool = False) -> MessageBuilder:
        """A VARINT field; proto3 omits zero unless the field is `optional` (always=True)."""
        if value is not None and (value or always):
            self._parts.append(encode_varint(number << 3 | VARINT) + encode_varint(int(value)))
        return self

    def fixed64(self, number: int, value: int | None) -> MessageBuilder:
        """An I64 field."""
        if value is not None:
            self._parts.append(encode_varint(number << 3 | I64) + struct.pack("<Q", value))
        return self

    def bytes_(
        self, number: int, value: bytes | memoryview | None, *, always: bool = False
    ) -> MessageBuilder:
        """A LEN field (bytes, string or an embedded message)."""
        if value is not None and (len(value) or always):
            self._parts.append(encode_varint(number << 3 | LEN) + encode_varint(len(value)))
            self._parts.append(value)  # kept apart: a large payload is copied once, by the final join
        return self

    def string(self, number: int, value: str | None) -> MessageBuilder:
        """A string field."""
        return self.bytes_(number, value.encode() if value is not None else None)

    def build(self) -> bytes:
        """The encoded message."""
        return b"".join(self._parts)

    def parts(self) -> list[bytes | memoryview]:
        """The encoded message as pieces, for writing without joining them first."""
        return list(self._parts)
