"""Streaming RRD reader: one message at a time, from a file, a path or any binary stream."""

from __future__ import annotations

import io
import os
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from .chunk import Chunk
from .codec import decode_chunk_at
from .errors import (
    CorruptMessageError,
    NotAnRrdError,
    RrdError,
    RrdWarning,
    TruncatedError,
    UnsupportedVersionError,
)
from .messages import (
    WRITER_VERSION,
    ArrowMsg,
    BlueprintActivationCommand,
    MessageKind,
    RrdFooter,
    StoreId,
    StoreInfo,
    StreamHeader,
    Version,
)
from .xxh32 import FOOTER_SEED, xxh32

MAGIC = b"RRF2"
STREAM_HEADER_SIZE = 12
MESSAGE_HEADER_SIZE = 16
STREAM_FOOTER_SIZE = 32
FOOTER_TAIL = b"RRF2FOOT"
OLDEST_READABLE = Version(0, 23, 0)
# Reads larger than this go in pieces: a damaged length field must not make us allocate what it claims
# (a buffered file's read(n) allocates n bytes up front); we read what is there and report truncation.
READ_PIECE = 1 << 24

Message = StoreInfo | ArrowMsg | BlueprintActivationCommand | RrdFooter


@dataclass
class Frame:
    """One message as read: its kind, where its 16-byte header starts, and the decoded message."""

    kind: MessageKind
    offset: int
    length: int
    message: Message
    source: str
    payload: bytes = field(default=b"", repr=False)  # the message as read, for copying it unchanged
    _chunk: Chunk | None = field(default=None, repr=False)

    @property
    def payload_offset(self) -> int:
        """Where the protobuf payload starts (what footer manifests point at)."""
        return self.offset + MESSAGE_HEADER_SIZE

    @property
    def store_id(self) -> StoreId | None:
        """The store this message belongs to, if any."""
        if isinstance(self.message, StoreInfo | ArrowMsg):
            return self.message.store_id
        if isinstance(self.message, BlueprintActivationCommand):
            return self.message.blueprint_id
        return None

    @property
    def chunk(self) -> Chunk:
        """The chunk of an ArrowMsg, decoded on first use."""
        if not isinstance(self.message, ArrowMsg):
            raise TypeError(f"message at byte {self.offset} is {self.kind.name}, not a chunk")
        if self._chunk is None:
            self._chunk = decode_chunk_at(self.message, self.source, self.payload_offset)
        return self._chunk


class _Input:
    """A binary stream with a read position and push-back, so a reader can look ahead."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._pending = b""
        self.pos = 0

    def read(self, n: int) -> bytes:
        """Up to `n` bytes; fewer only at the end of the input. Memory grows with the data, not `n`."""
        parts: list[bytes] = []
        got = 0
        if self._pending:
            head, self._pending = self._pending[:n], self._pending[n:]
            parts.append(head)
            got = len(head)
        while got < n:
            part = self._stream.read(min(n - got, READ_PIECE))
            if not part:
                break
            parts.append(part)
            got += len(part)
        self.pos += got
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def unread(self, data: bytes) -> None:
        self._pending = data + self._pending
        self.pos -= len(data)


class RrdReader:
    """Iterate the frames of an RRD file or stream, across concatenated streams.

    After iteration, `streams` holds each stream's header, `footers` each stream's footer (or None),
    and `truncated` says whether the input ended inside a message (a warning was issued).
    """

    def __init__(
        self, source: str | os.PathLike | BinaryIO, *, name: str | None = None, strict: bool = False
    ) -> None:
        if isinstance(source, str | os.PathLike):
            self.name = name or str(source)
            self._owned: BinaryIO | None = open(source, "rb")  # noqa: SIM115 (closed in close())
            stream: BinaryIO = self._owned
        else:
            self.name = name or getattr(source, "name", "<stream>")
            self._owned = None
            stream = source
        self._input = _Input(stream)
        self.strict = strict
        self.streams: list[StreamHeader] = []
        self.footers: list[RrdFooter | None] = []
        self.truncated = False
        self._stream_start = 0

    def close(self) -> None:
        """Close the file if this reader opened it."""
        if self._owned is not None:
            self._owned.close()

    def __enter__(self) -> RrdReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def has_footer(self) -> bool:
        """True when every stream ended with a footer manifest (what `rerun rrd verify` wants)."""
        return bool(self.footers) and all(f is not None and f.manifests for f in self.footers)

    def __iter__(self) -> Iterator[Frame]:
        while self._read_stream_header():
            yield from self._read_messages()

    # -- framing ------------------------------------------------------------------------------

    def _truncated(self, what: str, offset: int) -> None:
        self.truncated = True
        if self.strict:
            raise TruncatedError(what, source=self.name, offset=offset, expected="the rest of the message")
        warnings.warn(
            f"{self.name}: {what} at byte {offset}; the file is truncated, "
            "everything before that point was read",
            RrdWarning,
            stacklevel=4,
        )

    def _read_stream_header(self) -> bool:
        offset = self._input.pos
        raw = self._input.read(STREAM_HEADER_SIZE)
        first = not self.streams
        if not raw:
            if first:
                raise NotAnRrdError(
                    "empty file",
                    source=self.name,
                    offset=0,
                    expected="an RRD stream header starting with 'RRF2'",
                )
            return False
        if raw[:4] != MAGIC[: len(raw[:4])]:
            if raw[:4] in (b"RRF0", b"RRF1"):
                raise UnsupportedVersionError(
                    f"very old RRD format ({raw[:4].decode()})",
                    source=self.name,
                    offset=offset,
                    expected="'RRF2' (Rerun 0.23 or newer)",
                )
            error = NotAnRrdError if first else CorruptMessageError
            raise error(
                f"found {raw[:4]!r}",
                source=self.name,
                offset=offset,
                expected="an RRD stream header starting with 'RRF2'"
                if first
                else "a message header or another stream header",
            )
        if first and len(raw) < len(MAGIC):
            raise NotAnRrdError(
                f"file too short ({len(raw)} bytes)",
                source=self.name,
                offset=offset,
                expected="an RRD stream header of 12 bytes starting with 'RRF2'",
            )
        if len(raw) < STREAM_HEADER_SIZE:
            self._truncated(f"stream header cut after {len(raw)} bytes", offset)
            return False
        version = Version(*raw[4:8])
        compression, serializer, reserved = raw[8], raw[9], raw[10:12]
        if serializer != 2:
            what = "MsgPack, removed in Rerun 0.23" if serializer == 1 else "unknown"
            raise UnsupportedVersionError(
                f"serializer {serializer} ({what})",
                source=self.name,
                offset=offset + 9,
                expected="2 (protobuf)",
            )
        if version < OLDEST_READABLE:
            raise UnsupportedVersionError(
                f"written by Rerun {version}",
                source=self.name,
                offset=offset + 4,
                expected=f"Rerun {OLDEST_READABLE} or newer",
            )
        if reserved != b"\0\0":
            raise CorruptMessageError(
                "non-zero reserved bytes in the stream header",
                source=self.name,
                offset=offset + 10,
                expected="00 00",
            )
        # 0.41.x patch releases share our format; anything newer (1.41 included) gets a warning.
        if (version.major, version.minor) > (WRITER_VERSION.major, WRITER_VERSION.minor):
            warnings.warn(
                f"{self.name}: written by Rerun {version}, newer than the {WRITER_VERSION} "
                "format this reader knows; reading it anyway",
                RrdWarning,
                stacklevel=3,
            )
        self.streams.append(StreamHeader(version, compressed=compression == 1))
        self.footers.append(None)
        self._stream_start = offset
        return True

    def _read_messages(self) -> Iterator[Frame]:
        inp = self._input
        while True:
            offset = inp.pos
            head = inp.read(MESSAGE_HEADER_SIZE)
            if not head:
                return
            if len(head) < MESSAGE_HEADER_SIZE:
                if head[:4] == MAGIC[: len(head[:4])]:
                    inp.unread(head)  # a cut-off next stream header; reported by the caller
                    return
                self._truncated(f"message header cut after {len(head)} bytes", offset)
                return
            kind_value, length = struct.unpack("<QQ", head)
            if kind_value > MessageKind.BLUEPRINT_ACTIVATION:
                inp.unread(head)  # not a message: a concatenated stream starts here
                return
            kind = MessageKind(kind_value)
            payload = inp.read(length)  # a damaged, huge length just reads to the end: truncation
            if len(payload) < length:
                self._truncated(f"{kind.name} message cut after {len(payload)} of {length} bytes", offset)
                return
            message = self._decode(kind, payload, offset)
            if kind == MessageKind.END:
                # The End message is complete: hand it out even if the stream footer after it is cut.
                self.footers[-1] = message
                yield Frame(kind, offset, length, message, self.name, payload)
                self._read_stream_footer(payload, offset)
                return
            yield Frame(kind, offset, length, message, self.name, payload)

    def _decode(self, kind: MessageKind, payload: bytes, offset: int) -> Message:
        decoders = {
            MessageKind.SET_STORE_INFO: StoreInfo.decode,
            MessageKind.ARROW_MSG: ArrowMsg.decode,
            MessageKind.BLUEPRINT_ACTIVATION: BlueprintActivationCommand.decode,
            MessageKind.END: RrdFooter.decode,
        }
        try:
            return decoders[kind](payload)
        except Exception as e:  # any protobuf damage surfaces as one error type
            raise CorruptMessageError(
                f"{kind.name} message does not decode ({e})",
                source=self.name,
                offset=offset,
                expected=f"a protobuf {kind.name} message",
            ) from None

    def _read_stream_footer(self, payload: bytes, end_offset: int) -> None:
        inp = self._input
        offset = inp.pos
        tail = inp.read(STREAM_FOOTER_SIZE)
        if len(tail) == STREAM_FOOTER_SIZE and tail[20:28] == FOOTER_TAIL:
            start, length, crc = struct.unpack_from("<QQI", tail)
            # The writer counted from the start of its own file: in `cat a.rrd b.rrd`, b's footer
            # offset is relative to b's stream header, not to the start of the combined file.
            payload_start = end_offset + MESSAGE_HEADER_SIZE - self._stream_start
            if start != payload_start or length != len(payload) or xxh32(payload, FOOTER_SEED) != crc:
                warnings.warn(
                    f"{self.name}: stream footer at byte {offset} does not match the footer "
                    "it points at (bad checksum or length); the data is unaffected",
                    RrdWarning,
                    stacklevel=4,
                )
            return
        if (
            payload
            and len(tail) < STREAM_FOOTER_SIZE
            and FOOTER_TAIL[: max(0, len(tail) - 20)] == tail[20:28]
        ):
            self._truncated(f"stream footer cut after {len(tail)} bytes", offset)
            return
        inp.unread(tail)  # an empty End marker (Rerun <= 0.27) may be followed directly by a new stream


def read_frames(source: str | os.PathLike | BinaryIO | bytes, **kwargs) -> Iterator[Frame]:
    """Iterate every message of an RRD file, stream or byte string."""
    if isinstance(source, bytes | bytearray | memoryview):
        source = io.BytesIO(bytes(source))
    with RrdReader(source, **kwargs) as reader:
        yield from reader


def read_chunks(source: str | os.PathLike | BinaryIO | bytes, **kwargs) -> Iterator[tuple[StoreId, Chunk]]:
    """Iterate (store id, chunk) for every chunk in an RRD file or stream."""
    for frame in read_frames(source, **kwargs):
        if frame.kind == MessageKind.ARROW_MSG:
            yield frame.message.store_id, frame.chunk


__all__ = ["Frame", "RrdError", "RrdReader", "read_chunks", "read_frames"]
