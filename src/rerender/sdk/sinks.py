"""Where a recording's messages go: a buffer until a sink is chosen, then an RRD file, stdout, memory, or
a message proxy over gRPC (`rerender serve`, a viewer; `rr.serve_grpc()`'s own server)."""

from __future__ import annotations

import functools
import io
import os
import threading
import warnings
from typing import TYPE_CHECKING, BinaryIO

from ..rrd import BlueprintActivationCommand, Chunk, RrdWriter, StoreId, StoreInfo

if TYPE_CHECKING:
    from ..net.client import ProxyClient
    from ..net.server import ServerHandle


class ConnectionWarning(UserWarning):
    """A network sink that lost (or never had) its server; the other sinks go on."""


class Sink:
    """Receives a recording's store info and chunks, in order."""

    # Whether messages written here are kept somewhere (a file, a server): blueprints are written only then.
    keeps_messages = False

    def write_store_info(self, info: StoreInfo) -> None:
        """Announce the store."""

    def write_chunks(self, store_id: StoreId, chunks: list[Chunk]) -> None:
        """Write finished chunks."""

    def write_blueprint_activation(self, command: BlueprintActivationCommand) -> None:
        """Tell viewers which blueprint to use (after its blueprint store's chunks)."""

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

    keeps_messages = True

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

    def write_blueprint_activation(self, command: BlueprintActivationCommand) -> None:
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

    @property
    def keeps_messages(self) -> bool:  # type: ignore[override]
        """Whether any of the sinks keeps messages."""
        return any(sink.keeps_messages for sink in self.sinks)

    def write_store_info(self, info: StoreInfo) -> None:
        """Announce the store to every sink."""
        for sink in self.sinks:
            sink.write_store_info(info)

    def write_chunks(self, store_id: StoreId, chunks: list[Chunk]) -> None:
        """Write the chunks to every sink."""
        for sink in self.sinks:
            sink.write_chunks(store_id, chunks)

    def write_blueprint_activation(self, command: BlueprintActivationCommand) -> None:
        """Pass a BlueprintActivationCommand to every sink."""
        for sink in self.sinks:
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

    def open_sink(self) -> Sink:
        """The sink that writes the file."""
        return RrdSink(self.path, write_footer=self.write_footer)


class GrpcSink:
    """rerun-sdk's `GrpcSink(url)`: the recording streamed to a message proxy at `url` (`rerender serve`,
    `rerender preview --listen`, a Rerun viewer)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or "rerun+http://127.0.0.1:9876/proxy"

    def __repr__(self) -> str:
        return f"GrpcSink({self.url!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GrpcSink) and self.url == other.url

    def __hash__(self) -> int:
        return hash(("grpc", self.url))

    def open_sink(self) -> Sink:
        """The sink that streams to the server."""
        return NetworkSink(self.url)


class GrpcServerSink:
    """rerun-sdk's `GrpcServerSink(...)`: a message proxy served from this process; viewers that connect
    (ReadMessages) get what was logged so far, up to `server_memory_limit`, then what follows."""

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
        self.server_memory_limit = server_memory_limit

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

    def open_sink(self) -> Sink:
        """Start the server; the sink publishes to it."""
        return ServedSink(self.bind_ip, self.port, self.server_memory_limit)


class NetworkSink(Sink):
    """Streams to a message proxy through a bounded queue on a background thread (net/client.py). If
    the server cannot be reached or goes away, one ConnectionWarning says so and later messages are
    dropped; sinks teed beside this one go on. Without the `net` extra it warns and drops everything."""

    keeps_messages = True

    def __init__(self, url: str | None) -> None:
        from ..net import parse_proxy_url

        self.address = parse_proxy_url(url)  # a bad URL is the caller's error: raised, not warned
        self._announced: set[StoreId] = set()
        self._client: ProxyClient | None = None
        try:
            from ..net.client import ProxyClient
        except ImportError as e:
            self._warn(f"streaming needs the `net` extra (pip install 'rerender[net]'): {e}")
            return
        self._client = ProxyClient(self.address, self._warn)

    def _warn(self, reason: str) -> None:
        warnings.warn(
            f"rerender: {reason}; data logged from now on is not sent to {self.address.url}, "
            "other sinks (files) still get it",
            ConnectionWarning,
            stacklevel=2,
        )

    def write_store_info(self, info: StoreInfo) -> None:
        """Send the store's SetStoreInfo once."""
        from ..net import convert

        if self._client is not None and info.store_id not in self._announced:
            self._announced.add(info.store_id)
            self._client.send(functools.partial(convert.store_info_msg, info))

    def write_chunks(self, store_id: StoreId, chunks: list[Chunk]) -> None:
        """Queue the chunks; they are encoded on the sending thread."""
        from ..net import convert

        if self._client is not None:
            for chunk in chunks:
                self._client.send(functools.partial(convert.chunk_msg, store_id, chunk))

    def write_blueprint_activation(self, command: BlueprintActivationCommand) -> None:
        """Send a BlueprintActivationCommand."""
        from ..net import convert

        if self._client is not None:
            self._client.send(functools.partial(convert.activation_msg, command))

    def flush(self) -> None:
        """Wait until everything queued was handed to the network."""
        if self._client is not None:
            self._client.flush()

    def close(self) -> None:
        """End the stream; returns once the server has acknowledged everything (or gave up)."""
        if self._client is not None:
            self._client.close()
            self._client = None


class ServedSink(Sink):
    """A message proxy served from this process (`rr.serve_grpc()`): messages go straight into its replay
    buffer, for viewers that connect with ReadMessages. Closing stops the server."""

    keeps_messages = True

    def __init__(self, bind_ip: str, port: int, memory_limit: str) -> None:
        from ..net.buffer import parse_memory_limit
        from ..net.server import ServeError, start_server

        self.port = port
        self._announced: set[StoreId] = set()
        self._server: ServerHandle | None = None
        try:
            self._server = start_server(
                bind_ip, port, out_dir=None, buffer_bytes=parse_memory_limit(memory_limit)
            )
        except ServeError as e:  # as with a lost connection, the script and its other sinks go on
            warnings.warn(
                f"rerender: rr.serve_grpc(): {e}; nothing is served", ConnectionWarning, stacklevel=2
            )
            return
        self.port = self._server.port

    @property
    def url(self) -> str:
        """The URL viewers connect to (on this machine)."""
        return f"rerun+http://127.0.0.1:{self.port}/proxy"

    def write_store_info(self, info: StoreInfo) -> None:
        """Publish the store's SetStoreInfo once."""
        from ..net import convert

        if self._server is not None and info.store_id not in self._announced:
            self._announced.add(info.store_id)
            self._server.publish(convert.store_info_msg(info))

    def write_chunks(self, store_id: StoreId, chunks: list[Chunk]) -> None:
        """Publish the chunks."""
        from ..net import convert

        if self._server is not None:
            for chunk in chunks:
                self._server.publish(convert.chunk_msg(store_id, chunk))

    def write_blueprint_activation(self, command: BlueprintActivationCommand) -> None:
        """Publish a BlueprintActivationCommand."""
        from ..net import convert

        if self._server is not None:
            self._server.publish(convert.activation_msg(command))

    def close(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.stop(grace=0.5)
            self._server = None
