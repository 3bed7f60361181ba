"""`rerender serve`'s gRPC server: Rerun 0.41's message proxy, writing what streams in to .rrd files.

Each `WriteMessages` call (one client's stream) runs on its own thread of a bounded pool and writes
synchronously: the next message is read only once the last one is on disk, so a slow disk slows that
client through gRPC's flow control instead of filling memory. Per stream at most one message (up to
`max_message_bytes`) is held, so memory is bounded by `max_clients` x that, plus the replay buffer. A
client that disconnects, stalls or sends garbage ends only its own stream: garbage ends it with
INVALID_ARGUMENT, and the files written so far get their footer either way. A stalled client holds one of
the `max_clients` slots until it goes away; clients beyond them are refused with RESOURCE_EXHAUSTED.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent import futures
from dataclasses import dataclass
from pathlib import Path

import grpc
from google.protobuf.message import DecodeError

from ..errors import RerenderError
from .buffer import DEFAULT_BUFFER_BYTES, MessageBuffer
from .convert import from_log_msg
from .protos import log_msg_pb2, sdk_comms_pb2
from .recorder import FileNames, FinishedRecording, StreamRecorder
from .urls import ProxyAddress

log = logging.getLogger("rerender.serve")

SERVICE = sdk_comms_pb2.DESCRIPTOR.services_by_name["MessageProxyService"].full_name
DEFAULT_MAX_CLIENTS = 64
DEFAULT_MAX_MESSAGE_BYTES = 256 << 20  # one chunk; rerun-sdk sends a big image as one
_EMPTY_RESPONSE = sdk_comms_pb2.WriteMessagesResponse().SerializeToString()

OnFinished = Callable[[Path], None]


class ServeError(RerenderError):
    """The server cannot start (the port is taken, the output folder is not writable)."""


class ProxyServicer:
    """The two calls of `MessageProxyService`, on raw bytes: WriteMessagesRequest and ReadMessagesResponse
    share one layout (field 1: LogMsg), so what a client wrote is replayed to readers without re-encoding.
    `names` None: nothing is written to disk (the in-process `rr.serve_grpc()`)."""

    def __init__(self, names: FileNames | None, buffer: MessageBuffer | None, on_finished: OnFinished | None):
        self.names = names
        self.buffer = buffer
        self.on_finished = on_finished
        self._active = 0
        self._idle = threading.Condition()
        self._last_stream = time.monotonic()  # when a stream last started or ended (or the server started)

    def handler(self) -> grpc.GenericRpcHandler:
        """The service's method handlers (requests and responses passed as bytes, decoded here)."""
        return grpc.method_handlers_generic_handler(
            SERVICE,
            {
                "WriteMessages": grpc.stream_unary_rpc_method_handler(self.write_messages),
                "ReadMessages": grpc.unary_stream_rpc_method_handler(self.read_messages),
            },
        )

    def publish(self, message: log_msg_pb2.LogMsg) -> None:
        """Offer a message to readers as if a client had written it (the in-process SDK's path)."""
        if self.buffer is not None:
            self.buffer.append(sdk_comms_pb2.WriteMessagesRequest(log_msg=message).SerializeToString())

    def write_messages(self, requests: Iterator[bytes], context: grpc.ServicerContext) -> bytes:
        """One client's stream: each message to its recording's file (and the replay buffer)."""
        peer = context.peer()
        log.info("connection from %s", peer)
        recorder = StreamRecorder(self.names) if self.names is not None else None
        error = None
        with self._idle:
            self._active += 1
            self._last_stream = time.monotonic()
        try:
            for raw in requests:
                try:
                    handle_request(raw, recorder)
                except (DecodeError, ValueError) as e:
                    error = f"message {peer} sent is not a Rerun 0.41 LogMsg: {e}"
                    break
                if self.buffer is not None:
                    self.buffer.append(raw)
        except grpc.RpcError:  # the client went away (or the server is stopping): keep what came
            log.info("connection from %s ended mid-stream", peer)
        finally:
            self._finish(recorder)
            with self._idle:
                self._active -= 1
                self._last_stream = time.monotonic()
                self._idle.notify_all()
        if error is not None:
            log.info("refused %s: %s", peer, error)
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, error)
        return _EMPTY_RESPONSE

    def _finish(self, recorder: StreamRecorder | None) -> None:
        if recorder is None:
            return
        for done in recorder.close():
            log.info("wrote %s (%s)", done.path, _describe(done))
            if self.on_finished is not None:
                try:
                    self.on_finished(done.path)
                except Exception as e:  # the caller's hook must not take the connection down
                    log.warning("on_finished(%s) failed: %s: %s", done.path, type(e).__name__, e)

    def read_messages(self, request: bytes, context: grpc.ServicerContext) -> Iterator[bytes]:
        """Every buffered message, then new ones as they arrive, until the reader or the server stops."""
        if self.buffer is None:
            context.abort(grpc.StatusCode.UNIMPLEMENTED, "this server keeps no messages to read")
        index = 0
        # The main thread's end also ends readers: the pool's threads are joined before atexit runs.
        while context.is_active() and not self.buffer.closed and threading.main_thread().is_alive():
            got = self.buffer.read(index, timeout=0.25)
            index = got.next_index
            yield from got.messages

    def idle_seconds(self) -> float:
        """How long no stream has been open (0 while one is)."""
        with self._idle:
            return 0.0 if self._active else time.monotonic() - self._last_stream

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no stream is being written; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._active == 0, timeout)


def handle_request(raw: bytes, recorder: StreamRecorder | None) -> None:
    """One WriteMessagesRequest of a client's stream, decoded and written to its recording's file.
    Raises only DecodeError or ValueError for a message that is not a Rerun 0.41 LogMsg (the stream
    then ends with INVALID_ARGUMENT); `net/fuzz.py` holds it to that."""
    request = sdk_comms_pb2.WriteMessagesRequest.FromString(raw)
    message = from_log_msg(request.log_msg)
    if recorder is not None:
        recorder.write(message)


@dataclass
class ServerHandle:
    """A running proxy server (see `start_server`)."""

    address: ProxyAddress
    server: grpc.Server
    servicer: ProxyServicer

    @property
    def port(self) -> int:
        """The bound port (the one picked when 0 was asked for)."""
        return self.address.port

    @property
    def url(self) -> str:
        """`rerun+http://HOST:PORT/proxy`, what SDKs connect to."""
        return self.address.url

    def recordings(self) -> list[Path]:
        """Every recording file started so far (open or finished), in order."""
        return self.servicer.names.paths() if self.servicer.names is not None else []

    def publish(self, message: log_msg_pb2.LogMsg) -> None:
        """Offer a message to ReadMessages readers (for an in-process SDK)."""
        self.servicer.publish(message)

    def idle_seconds(self) -> float:
        """How long no client has been streaming (0 while one is); counted from the start at first."""
        return self.servicer.idle_seconds()

    def stop(self, grace: float = 2.0) -> None:
        """Stop accepting, give streams `grace` seconds to end, then cut them off; returns once every
        open recording has its footer."""
        done = self.server.stop(grace)
        if self.servicer.buffer is not None:
            self.servicer.buffer.close()
        done.wait()
        if not self.servicer.wait_idle(timeout=60):
            log.warning("some recordings were still being written 60 s after the server stopped")

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the server stops (or `timeout`); True if it stopped."""
        return self.server.wait_for_termination(timeout)


def start_server(
    host: str = "127.0.0.1",
    port: int = 9876,
    out_dir: Path | None = Path("outputs"),
    on_finished: OnFinished | None = None,
    *,
    max_clients: int = DEFAULT_MAX_CLIENTS,
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
    buffer_bytes: int = DEFAULT_BUFFER_BYTES,
) -> ServerHandle:
    """Serve the message proxy on HOST:PORT (0: a free port). Each recording that streams in is written
    to `out_dir/<application_id>-<recording_id>.rrd` (`out_dir` None: none are), and `on_finished(path)`
    is called, on the stream's thread, once its stream ends and the file is complete. The last
    `buffer_bytes` of messages are kept for `ReadMessages` (0: none)."""
    names = None
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ServeError(f"{out_dir}: cannot create the output folder ({e.strerror})") from None
        names = FileNames(out_dir)
    buffer = MessageBuffer(buffer_bytes) if buffer_bytes > 0 else None
    servicer = ProxyServicer(names, buffer, on_finished)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_clients, thread_name_prefix="rerender-serve"),
        handlers=[servicer.handler()],
        maximum_concurrent_rpcs=max_clients,
        options=[
            ("grpc.max_receive_message_length", max_message_bytes),
            ("grpc.max_send_message_length", max_message_bytes),
            ("grpc.so_reuseport", 0),  # a second server on the same port must fail, not share it
        ],
    )
    bind_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    try:
        bound = server.add_insecure_port(f"{bind_host}:{port}")
    except RuntimeError:
        bound = 0
    if bound == 0:
        raise ServeError(
            f"{host}:{port}: cannot listen there (the port is in use or the address is not this "
            "machine's); pick another with --port, or 0 for any free port"
        )
    server.start()
    return ServerHandle(ProxyAddress(bind_host, bound), server, servicer)


def _describe(done: FinishedRecording) -> str:
    return f"{done.chunks} chunks, {done.bytes_written / 1e6:.1f} MB"
