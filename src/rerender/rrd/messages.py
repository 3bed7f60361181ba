"""The RRD protocol messages (rerun.log_msg.v1alpha1) as value types, with their protobuf encoding."""

from __future__ import annotations

import enum
import functools
import struct
from dataclasses import dataclass, field

from .protobuf import MessageBuilder, ProtobufError, fields_by_number
from .tuid import Tuid


class MessageKind(enum.IntEnum):
    """The `kind` word of a message header."""

    END = 0
    SET_STORE_INFO = 1
    ARROW_MSG = 2
    BLUEPRINT_ACTIVATION = 3


class StoreKind(enum.IntEnum):
    """Whether a store holds a recording or a blueprint."""

    UNSPECIFIED = 0
    RECORDING = 1
    BLUEPRINT = 2


class Compression(enum.IntEnum):
    """The protobuf compression enum (not the stream header's byte, which is 0 off / 1 LZ4)."""

    UNSPECIFIED = 0
    NONE = 1
    LZ4 = 2


class StoreSourceKind(enum.IntEnum):
    """Who wrote a store."""

    UNKNOWN = 0
    C_SDK = 1
    PYTHON_SDK = 2
    RUST_SDK = 3
    FILE = 4
    VIEWER = 5
    OTHER = 6


@dataclass(frozen=True, order=True)
class Version:
    """A Rerun crate version as stored in stream headers and store infos."""

    major: int
    minor: int
    patch: int
    meta: int = 0

    def to_bits(self) -> int:
        """The four bytes read as a little-endian i32 (`StoreVersion.crate_version_bits`)."""
        return self.major | self.minor << 8 | self.patch << 16 | self.meta << 24

    @classmethod
    def from_bits(cls, bits: int) -> Version:
        """Inverse of `to_bits`."""
        bits &= 0xFFFF_FFFF
        return cls(bits & 0xFF, bits >> 8 & 0xFF, bits >> 16 & 0xFF, bits >> 24 & 0xFF)

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.meta:
            tag = {1: "rc", 2: "alpha", 3: "alpha"}.get(self.meta >> 6, "meta")  # 00: not a valid tag
            text += f"-{tag}.{self.meta & 0x3F}"
        return text


# The format version we write: files must look like rerun-sdk 0.41.0's.
WRITER_VERSION = Version(0, 41, 0)


@dataclass(frozen=True)
class StoreId:
    """Identifies one store (recording or blueprint) within a stream."""

    kind: StoreKind
    recording_id: str
    application_id: str

    def encode(self) -> bytes:
        """Protobuf bytes of `rerun.common.v1alpha1.StoreId`."""
        return _encode_store_id(self)

    def _encode(self) -> bytes:
        app = MessageBuilder().string(1, self.application_id).build()
        return (
            MessageBuilder()
            .varint(1, int(self.kind))
            .string(2, self.recording_id)
            .bytes_(3, app, always=True)
            .build()
        )

    @classmethod
    def decode(cls, data: bytes) -> StoreId:
        """Parse `StoreId`; the application id may be missing in files before 0.25."""
        f = fields_by_number(data)
        app = ""
        if 3 in f:
            app = _string(fields_by_number(f[3][0]), 1)
        return cls(StoreKind(f.get(1, [0])[0]), _string(f, 2), app)


@dataclass(frozen=True)
class StoreSource:
    """Which SDK or tool wrote a store; `extra` is kept as raw protobuf bytes."""

    kind: StoreSourceKind = StoreSourceKind.UNKNOWN
    extra: bytes = b""

    @classmethod
    def python(cls, major: int, minor: int, patch: int, suffix: str = "") -> StoreSource:
        """A Python-SDK source with its interpreter version."""
        extra = (
            MessageBuilder()
            .varint(1, major)
            .varint(2, minor)
            .varint(3, patch)
            .string(4, suffix or None)
            .build()
        )
        return cls(StoreSourceKind.PYTHON_SDK, extra)

    def describe(self) -> str:
        """A short human-readable form, e.g. `Python 3.11.7`."""
        if self.kind == StoreSourceKind.PYTHON_SDK and self.extra:
            f = fields_by_number(self.extra)
            nums = [str(f.get(i, [0])[0]) for i in (1, 2, 3)]
            return "Python " + ".".join(nums) + _string(f, 4)
        if self.kind == StoreSourceKind.OTHER and self.extra:
            return self.extra.decode(errors="replace")
        return self.kind.name.replace("_", " ").title()


@dataclass(frozen=True)
class StoreInfo:
    """The `SetStoreInfo` message (kind 1): announces a store and who wrote it."""

    store_id: StoreId
    store_source: StoreSource = field(default_factory=StoreSource)
    store_version: Version | None = None
    row_id: Tuid | None = None

    def encode(self) -> bytes:
        """Protobuf bytes of `SetStoreInfo`."""
        source = (
            MessageBuilder()
            .varint(1, int(self.store_source.kind))
            .bytes_(2, MessageBuilder().bytes_(1, self.store_source.extra).build(), always=True)
            .build()
        )
        version = None
        if self.store_version is not None:
            version = MessageBuilder().varint(1, self.store_version.to_bits(), always=True).build()
        info = (
            MessageBuilder()
            .bytes_(2, self.store_id.encode())
            .bytes_(5, source, always=True)
            .bytes_(6, version, always=True)
            .build()
        )
        return MessageBuilder().bytes_(1, _encode_tuid(self.row_id)).bytes_(2, info, always=True).build()

    @classmethod
    def decode(cls, data: bytes) -> StoreInfo:
        """Parse `SetStoreInfo`, taking the application id from the old field 1 where needed."""
        outer = fields_by_number(data)
        row_id = _decode_tuid(outer[1][0]) if 1 in outer else None
        info = fields_by_number(outer.get(2, [b""])[0])
        store_id = StoreId.decode(info[2][0]) if 2 in info else StoreId(StoreKind.UNSPECIFIED, "", "")
        if not store_id.application_id and 1 in info:
            legacy_app = _string(fields_by_number(info[1][0]), 1)
            store_id = StoreId(store_id.kind, store_id.recording_id, legacy_app)
        source = StoreSource()
        if 5 in info:
            s = fields_by_number(info[5][0])
            extra = _bytes(fields_by_number(s[2][0]), 1) if 2 in s else b""
            source = StoreSource(_enum(StoreSourceKind, s.get(1, [0])[0]), extra)
        version = None
        if 6 in info:
            version = Version.from_bits(fields_by_number(info[6][0]).get(1, [0])[0])
        return cls(store_id, source, version, row_id)


@dataclass(frozen=True)
class ArrowMsg:
    """The `ArrowMsg` message (kind 2): one chunk as a (usually LZ4-compressed) Arrow IPC stream."""

    store_id: StoreId
    compression: Compression
    uncompressed_size: int
    payload: bytes | memoryview  # a view into the message as read: chunk payloads are not copied
    chunk_id: Tuid | None = None
    is_static: bool | None = None
    encoding: int = 1  # ARROW_IPC; rerun rejects 0

    def encode(self) -> bytes:
        """Protobuf bytes of `ArrowMsg`."""
        return b"".join(self.encode_parts())

    def encode_parts(self) -> list[bytes | memoryview]:
        """`encode()` in pieces, so the payload can be written without another copy."""
        b = (
            MessageBuilder()
            .bytes_(1, self.store_id.encode())
            .varint(2, int(self.compression))
            .varint(3, self.uncompressed_size)
            .varint(4, self.encoding)
            .bytes_(5, self.payload)
            .bytes_(6, _encode_tuid(self.chunk_id))
        )
        if self.is_static is not None:
            b.varint(7, int(self.is_static), always=True)
        return b.parts()

    @classmethod
    def decode(cls, data: bytes | memoryview, store_ids: dict[bytes, StoreId] | None = None) -> ArrowMsg:
        """Parse `ArrowMsg`; its payload stays a view into `data`. `store_ids` (the caller's, kept between
        calls) remembers StoreIds already parsed: every chunk of a store repeats the same bytes."""
        f = fields_by_number(memoryview(data))
        if 1 not in f:
            raise ValueError("ArrowMsg without store_id")
        chunk_id = _decode_tuid(f[6][0]) if 6 in f else None
        is_static = bool(f[7][0]) if 7 in f else None
        store_id = None
        if store_ids is not None and not isinstance(f[1][0], int):
            key = bytes(f[1][0])
            store_id = store_ids.get(key)
            if store_id is None:
                store_id = StoreId.decode(key)
                if len(store_ids) < _STORE_IDS_KEPT:
                    store_ids[key] = store_id
        return cls(
            store_id or StoreId.decode(f[1][0]),
            _COMPRESSIONS.get(f.get(2, [0])[0], Compression.UNSPECIFIED),
            f.get(3, [0])[0],
            f[5][0] if 5 in f else b"",
            chunk_id,
            is_static,
            f.get(4, [0])[0],
        )


@dataclass(frozen=True)
class BlueprintActivationCommand:
    """Kind 3: tells a viewer which blueprint to use."""

    blueprint_id: StoreId
    make_active: bool = False
    make_default: bool = False

    def encode(self) -> bytes:
        """Protobuf bytes of `BlueprintActivationCommand`."""
        return (
            MessageBuilder()
            .bytes_(1, self.blueprint_id.encode())
            .varint(2, int(self.make_active))
            .varint(3, int(self.make_default))
            .build()
        )

    @classmethod
    def decode(cls, data: bytes) -> BlueprintActivationCommand:
        """Parse `BlueprintActivationCommand`."""
        f = fields_by_number(data)
        return cls(
            StoreId.decode(f[1][0]) if 1 in f else StoreId(StoreKind.BLUEPRINT, "", ""),
            bool(f.get(2, [0])[0]),
            bool(f.get(3, [0])[0]),
        )


@dataclass(frozen=True)
class RrdManifest:
    """One store's footer manifest: a recording-wide schema and a chunk index as Arrow IPC bytes."""

    store_id: StoreId
    sorbet_schema: bytes  # Arrow IPC stream holding only a schema
    sorbet_schema_sha256: bytes | None
    data: bytes  # Arrow IPC stream (schema + one batch), uncompressed here
    data_compression: Compression = Compression.NONE

    def encode(self, compressed_data: bytes, uncompressed_size: int) -> bytes:
        """Protobuf bytes of `RrdManifest`, with `compressed_data` as the DataframePart payload."""
        schema = MessageBuilder().bytes_(1, self.sorbet_schema).build()
        part = (
            MessageBuilder()
            .varint(1, 1)
            .bytes_(2, compressed_data)
            .varint(3, int(self.data_compression))
            .varint(4, uncompressed_size)
            .build()
        )
        return (
            MessageBuilder()
            .bytes_(1, self.store_id.encode())
            .bytes_(2, schema, always=True)
            .bytes_(3, self.sorbet_schema_sha256)
            .bytes_(4, part, always=True)
            .build()
        )


@dataclass(frozen=True)
class RrdFooter:
    """The End message payload: one manifest per store (raw, decoded on demand by `manifest.py`)."""

    manifests: tuple[bytes, ...] = ()

    @classmethod
    def decode(cls, data: bytes) -> RrdFooter:
        """Split `RrdFooter` into its manifests' protobuf bytes."""
        return cls(tuple(fields_by_number(data).get(1, [])))


@dataclass(frozen=True)
class StreamHeader:
    """The 12 bytes that open every stream."""

    version: Version
    compressed: bool


@functools.lru_cache(maxsize=64)
def _encode_store_id(store_id: StoreId) -> bytes:
    # Every chunk message carries its store id: encoded once per store, not once per chunk.
    return store_id._encode()


_TUID_MESSAGE = struct.Struct("<BQBQ")  # fixed64 field 1 (key 0x09), fixed64 field 2 (key 0x11)


def _encode_tuid(tuid: Tuid | None) -> bytes | None:
    if tuid is None:
        return None
    return _TUID_MESSAGE.pack(0x09, tuid.time_ns, 0x11, tuid.inc)


def _decode_tuid(data: bytes | memoryview) -> Tuid:
    if (
        not isinstance(data, int) and len(data) == 18 and data[0] == 0x09 and data[9] == 0x11
    ):  # both fixed64 fields, as every SDK writes
        return Tuid(*_TUID_FIELDS.unpack(data))
    f = fields_by_number(data)
    return Tuid(f.get(1, [0])[0], f.get(2, [0])[0])


# Looked up, not constructed: `Compression(n)` costs as much as the rest of a small chunk's message.
_COMPRESSIONS = {int(c): c for c in Compression}

# A recording file has a store or two; a hostile one could name a new store in every message.
_STORE_IDS_KEPT = 64

_TUID_FIELDS = struct.Struct("<xQxQ")  # field 1 and field 2, each after its one-byte key


def _string(fields: dict, number: int) -> str:
    return _bytes(fields, number).decode()


def _bytes(fields: dict, number: int) -> bytes:
    if number not in fields:
        return b""
    value = fields[number][0]
    if isinstance(value, int):  # a damaged wire type; bytes(n) would allocate n zero bytes
        raise ProtobufError(f"field {number} holds a number where bytes belong")
    return bytes(value)


def _enum(enum_type, value: int):
    try:
        return enum_type(value)
    except ValueError:
        return enum_type(0)
