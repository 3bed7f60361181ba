"""Where a recording's messages go: a buffer until a sink is chosen, then an RRD file, stdout or memory."""

from __future__ import annotations

import io
import os
import threading
from typing import BinaryIO

from ..rrd import Chunk, RrdWriter, StoreId, StoreInfo


class Sink:
    """Receives a recording's store info and chunks, in order."""

    def write_store_info(self, info: StoreInfo) -> None:
        """Announce the store."""

    def write_chunks(self, store_id: StoreId, chunks: list[Chunk]) -> None:
        """Write finished chunks."""

    def flush(self) -> None:
        """Push everything written so far to its destination."""

    def close(self) -> None:
        """Finish (an RRD sink writes its footer)."""


class BufferSink(Sink):
    """Holds messages until a real sink is chosen (rr.init before rr.save), then replays them."""

    def __init__(self) -> None:
        self._store_infos: list[StoreInfo] = []
        self._chunks: list[tuple[StoreId, list[Chunk]]] = []

    def write_store_info(self, info: StoreInfo) -> None:
        """Keep the store info for the next sink."""
        self._store_infos.append(info)

    def write_chunks(self, store_id: StoreId, chunks: list[Chunk]) -> None:
        """Keep chunks for the next sink."""
        self._chunks.append((store_id, chunks))

    def replay_into(self, sink: Sink) -> None:
        """Send everything held so far to `sink`, then forget it."""
        for info in self._store_infos:
            sink.write_store_info(info)
        for store_id, chunks in self._chunks:
            sink.write_chunks(store_id, chunks)
        self._chunks.clear()


class NullSink(Sink):
    """Drops data: what a viewer connection becomes when there is no viewer."""


class RrdSink(Sink):
    """Writes an RRD stream; thread-safe, and may be shared by several recordings (stores)."""

    def __init__(self, target: str | os.PathLike | BinaryIO, *, write_footer: bool = True) -> None:
        self._writer = RrdWriter(target, write_footer=write_footer)
        self._lock = threading.Lock()
        self._announced: set[StoreId] = set()
        self._closed = False

    def write_store_info(self, info: StoreInfo) -> None:
        """Write the store's SetStoreInfo once."""
        with self._lock:
            if not self._closed and info.store_id not in self._announced:
                self._announced.add(info.store_id)
                self._writer.write_store_info(info)

    def write_chunks(self, store_id: StoreId, chunks: list[Chunk]) -> None:
        """Encode and write chunks."""
        with self._lock:
            if self._closed:
                return
            for chunk in chunks:
                self._writer.write_chunk(store_id, chunk)

    def write_blueprint_activation(self, command) -> None:
        """Write a BlueprintActivationCommand (after its blueprint store's chunks)."""
        with self._lock:
            if not self._closed:
                self._writer.write_blueprint_activation(command)

    def flush(self) -> None:
        """Flush the underlying stream."""
        with self._lock:
            if not self._closed:
                self._writer.flush()

    def close(self) -> None:
        """Write the footer and close."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._writer.close()


class MemorySink(RrdSink):
    """An RRD stream held in memory (`rr.memory_recording()`)."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        super().__init__(self._buffer, write_footer=False)

    def drain(self) -> bytes:
        """The bytes written since the last drain."""
        with self._lock:
            data = self._buffer.getvalue()
            self._buffer.seek(0)
            self._buffer.truncate()
            return data


class MemoryRecording:
    """What `rr.memory_recording()` returns: the RRD bytes logged so far."""

    def __init__(self, sink: MemorySink, flush) -> None:
        self._sink = sink
        self._flush = flush

    def drain_as_bytes(self) -> bytes:
        """Flush pending rows and return the RRD bytes written since the last call."""
        self._flush()
        return self._sink.drain()

    def num_msgs(self) -> int:
        """Not tracked; kept for API compatibility."""
        return 0
