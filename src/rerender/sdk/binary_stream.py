"""`rr.binary_stream()`: the recording as RRD bytes, read as they come."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .recording import RecordingStream, get_data_recording
from .sinks import BinarySink

__all__ = ["BinarySinkStorage", "BinaryStream", "binary_stream"]


@dataclass(frozen=True)
class BinarySinkStorage:
    """Where a binary stream's bytes wait to be read, and how to flush the recording feeding it."""

    sink: BinarySink
    flush_recording: Callable[[], None]


class BinaryStream:
    """The RRD bytes of a recording, read in pieces. Each `read()` returns everything logged since the
    previous one as a complete RRD stream (header, messages, footer), or None if nothing new was logged:
    written whole to a file, the first read is a valid .rrd file. Nothing limits how much waits unread."""

    def __init__(self, storage: BinarySinkStorage) -> None:
        self.storage = storage

    def read(self, *, flush: bool = True, flush_timeout_sec: float = math.inf) -> bytes | None:
        """The bytes logged since the last read, after flushing the recording's queued rows unless
        `flush=False`. Flushing is synchronous here, so `flush_timeout_sec` is never reached."""
        if flush:
            self.storage.flush_recording()
        return self.storage.sink.take()

    def flush(self, timeout_sec: float = math.inf) -> None:
        """Encode every queued row into the stream (synchronous: `timeout_sec` is never reached)."""
        self.storage.flush_recording()


def binary_stream(recording: RecordingStream | None = None) -> BinaryStream:
    """Send the recording (what was logged before too) to a `BinaryStream` instead of its current sink.

    `stream = rr.binary_stream(); rr.log(...); open("out.rrd", "wb").write(stream.read())`.
    Raises RuntimeError when there is no recording, as rerun-sdk does.
    """
    rec = get_data_recording(recording)
    if rec is None:
        raise RuntimeError("rr.binary_stream(): no recording given and none is current; call rr.init first")
    return rec.binary_stream()
