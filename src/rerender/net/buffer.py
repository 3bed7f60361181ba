"""The proxy's memory-bounded message buffer: what `ReadMessages` replays to a viewer that connects late."""

from __future__ import annotations

import os
import threading
from collections import deque
from dataclasses import dataclass

DEFAULT_BUFFER_BYTES = 256 << 20


@dataclass(frozen=True)
class BufferedMessages:
    """Messages from one read, and the index to read from next time."""

    messages: list[bytes]
    next_index: int


class MessageBuffer:
    """Messages (a LogMsg's serialized bytes) in arrival order; the oldest are dropped past `max_bytes`,
    as Rerun's proxy does. Readers follow with an index that keeps counting across drops. Thread-safe."""

    def __init__(self, max_bytes: int = DEFAULT_BUFFER_BYTES) -> None:
        self.max_bytes = max_bytes
        self._messages: deque[bytes] = deque()
        self._first = 0  # index of _messages[0]
        self._bytes = 0
        self._closed = False
        self._changed = threading.Condition()

    def append(self, message: bytes) -> None:
        """Add a message and wake the readers."""
        with self._changed:
            self._messages.append(message)
            self._bytes += len(message)
            while self._bytes > self.max_bytes and len(self._messages) > 1:
                self._bytes -= len(self._messages.popleft())
                self._first += 1
            self._changed.notify_all()

    def read(self, index: int, timeout: float) -> BufferedMessages:
        """Messages from `index` on (from the oldest kept, if those were dropped); waits up to `timeout`
        seconds for one when there are none yet."""
        with self._changed:
            end = self._first + len(self._messages)
            if index >= end and not self._closed:
                self._changed.wait(timeout)
                end = self._first + len(self._messages)
            start = max(index, self._first)
            messages = [self._messages[i - self._first] for i in range(start, end)]
            return BufferedMessages(messages, max(end, index))

    @property
    def closed(self) -> bool:
        """Whether the server is stopping (readers end)."""
        return self._closed

    def close(self) -> None:
        """Wake every reader for the last time."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


_UNITS = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30}


def parse_memory_limit(text: str) -> int:
    """rerun-sdk's memory limits in bytes: `1GiB`, `500MB`, `75%` (of this machine's memory)."""
    value = text.strip().lower().replace(" ", "")
    try:
        if value.endswith("%"):
            total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
            return int(total * float(value[:-1]) / 100)
        number = value.rstrip("kmgib")
        unit = value[len(number) :] or "b"
        return int(float(number) * _UNITS[unit])
    except (KeyError, ValueError, OSError):
        raise ValueError(f"memory limit {text!r}: expected e.g. 1GiB, 500MB or 75%") from None
