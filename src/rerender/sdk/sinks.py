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


class BinarySink(RrdSink):
    """An RRD stream read piece by piece (`rr.binary_stream()`): as in rerun-sdk, each `take()` gives what
    was written since the previous one as a complete stream of its own (header, messages, footer)."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        super().__init__(self._buffer)
        self._empty_size = self._writer.bytes_written  # just the stream header

    def take(self) -> bytes | None:
        """The stream written since the last take, or None if no message was written since."""
        with self._lock:
            if self._writer.bytes_written == self._empty_size:
                return None
            self._writer.close()
            data = self._buffer.getvalue()
            self._buffer.seek(0)
            self._buffer.truncate()
            self._writer = RrdWriter(self._buffer)
            return data

    def close(self) -> None:
        """Finish the pending piece (it stays readable); later messages are dropped."""
        with self._lock:
            if self._writer.bytes_written == self._empty_size:
                self._closed = True  # nothing pending: no footer-only piece to read
        super().close()


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


class TeeSink(Sink):
    """Several sinks at once (`rr.set_sinks(...)`): every message goes to each of them."""

    def __init__(self, sinks: list[Sink]) -> None:
        self.sinks = list(sinks)

    def write_store_info(self, info: StoreInfo) -> None:
        """Announce the store to every sink."""
        for sink in self.sinks:
            sink.write_store_info(info)

    def write_chunks(self, store_id: StoreId, chunks: list[Chunk]) -> None:
        """Write the chunks to every sink."""
        for sink in self.sinks:
            sink.write_chunks(store_id, chunks)

    def write_blueprint_activation(self, command) -> None:
        """Pass a BlueprintActivationCommand to the sinks that write files."""
        for sink in self.sinks:
            if hasattr(sink, "write_blueprint_activation"):
                sink.write_blueprint_activation(command)

    def flush(self) -> None:
        """Flush every sink."""
        for sink in self.sinks:
            sink.flush()

    def close(self) -> None:
        """Close every sink."""
        for sink in self.sinks:
            sink.close()


class FileSink:
    """rerun-sdk's `FileSink(path)`, for `rr.set_sinks(...)`: the recording written to an .rrd file
    (overwritten), with a footer unless `write_footer=False`. The file opens when the sink is set."""

    def __init__(self, path: str | os.PathLike[str], *, write_footer: bool = True) -> None:
        self.path = os.fspath(path)
        self.write_footer = write_footer

    def __repr__(self) -> str:
        return f"FileSink({self.path!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileSink) and os.path.abspath(self.path) == os.path.abspath(other.path)

    def __hash__(self) -> int:
        return hash(os.path.abspath(self.path))

    def _open(self) -> Sink:
        return RrdSink(self.path, write_footer=self.write_footer)


class GrpcSink:
    """rerun-sdk's `GrpcSink(url)`: there is no viewer to connect to here, so setting it warns once and
    drops what it would have sent."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or "rerun+http://127.0.0.1:9876/proxy"

    def __repr__(self) -> str:
        return f"GrpcSink({self.url!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GrpcSink) and self.url == other.url

    def __hash__(self) -> int:
        return hash(("grpc", self.url))

    def _open(self) -> Sink:
        return NullSink()


class GrpcServerSink:
    """rerun-sdk's `GrpcServerSink(...)`: there is no server here, so setting it warns once and drops
    what it would have served."""

    def __init__(
        self,
        bind_ip: str = "0.0.0.0",  # rerun-sdk's default; nothing is bound here
        port: int = 9876,
        *,
        server_memory_limit: str = "1GiB",
        newest_first: bool = False,
        cors_allow_origin: list[str] | None = None,
    ) -> None:
        self.bind_ip = bind_ip
        self.port = port

    @property
    def uri(self) -> str:
        """The URI a viewer would have connected to."""
        return f"rerun+http://127.0.0.1:{self.port}/proxy"

    def __repr__(self) -> str:
        return f"GrpcServerSink({self.bind_ip!r}, {self.port})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GrpcServerSink) and (self.bind_ip, self.port) == (other.bind_ip, other.port)

    def __hash__(self) -> int:
        return hash(("grpc-server", self.bind_ip, self.port))

    def _open(self) -> Sink:
        return NullSink()
