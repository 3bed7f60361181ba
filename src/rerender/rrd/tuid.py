"""TUIDs: Rerun's time-ordered 128-bit ids, used for row ids and chunk ids."""

from __future__ import annotations

import os
import struct
import threading
import time
from dataclasses import dataclass

import numpy as np

# Row-id columns hold TUIDs as 16 big-endian bytes so that raw bytes sort in time order.
ROW_ID_DTYPE = np.dtype([("time_ns", ">u8"), ("inc", ">u8")])


@dataclass(frozen=True, order=True, slots=True)
class Tuid:
    """A 128-bit id: nanoseconds since the epoch, then a counter."""

    time_ns: int
    inc: int

    def to_bytes(self) -> bytes:
        """The 16 big-endian bytes used in Arrow columns."""
        return struct.pack(">QQ", self.time_ns, self.inc)

    @classmethod
    def from_bytes(cls, data: bytes) -> Tuid:
        """Parse the 16 big-endian bytes used in Arrow columns."""
        time_ns, inc = struct.unpack(">QQ", data)
        return cls(time_ns, inc)

    def chunk_id_str(self) -> str:
        """The `rerun:id` form: `chunk_` + upper-case time hex + lower-case counter hex."""
        return f"chunk_{self.time_ns:016X}{self.inc:016x}"

    @classmethod
    def parse(cls, text: str) -> Tuid:
        """Parse a chunk id string (the `chunk_` prefix is optional, hex is case-insensitive)."""
        body = text.removeprefix("chunk_")
        if len(body) != 32:
            raise ValueError(f"not a TUID: {text!r}")
        value = int(body, 16)
        return cls(value >> 64, value & 0xFFFF_FFFF_FFFF_FFFF)

    def __str__(self) -> str:
        return self.chunk_id_str()


class TuidGenerator:
    """Makes strictly increasing TUIDs: wall-clock start + monotonic elapsed, and a random counter."""

    def __init__(self) -> None:
        self._start_ns = time.time_ns()
        self._start_mono = time.monotonic_ns()
        self._inc = int.from_bytes(os.urandom(8), "little") >> 1  # top bit 0 leaves room to count
        self._lock = threading.Lock()

    def next(self) -> Tuid:
        """One new TUID."""
        with self._lock:
            inc = self._inc
            self._inc += 1
        return Tuid(self._start_ns + time.monotonic_ns() - self._start_mono, inc)

    def next_n(self, n: int) -> list[Tuid]:
        """`n` new TUIDs sharing one clock reading."""
        with self._lock:
            now = self._start_ns + time.monotonic_ns() - self._start_mono
            first = self._inc
            self._inc += n
        return [Tuid(now, first + i) for i in range(n)]

    def next_row_ids(self, n: int) -> np.ndarray:
        """`n` new TUIDs as a ROW_ID_DTYPE array, without building Python objects per row."""
        with self._lock:
            now = self._start_ns + time.monotonic_ns() - self._start_mono
            first = self._inc
            self._inc += n
        out = np.empty(n, dtype=ROW_ID_DTYPE)
        out["time_ns"] = now
        out["inc"] = np.arange(first, first + n, dtype=np.uint64)
        return out
