"""Stream LogMsgs to a message proxy (`rerender serve`, a Rerun viewer) from a background thread.

Messages wait in a bounded queue (a logging thread that outruns the network blocks, rather than memory
growing) and are built lazily on the sending thread, so chunk encoding overlaps with logging. If the
server cannot be reached or goes away, the client reports it once and drops what follows.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Final

import grpc

from .protos import log_msg_pb2, sdk_comms_pb2, sdk_comms_pb2_grpc
from .urls import ProxyAddress

MessageFactory = Callable[[], log_msg_pb2.LogMsg]
DEFAULT_QUEUE_SIZE = 64  # messages; a chunk is at most a few MB (the batcher's limit) or one big row
DEFAULT_CONNECT_TIMEOUT = 2.0  # seconds for a server to answer before the one warning
_END: Final = object()


class ProxyClient:
    """One `WriteMessages` stream to `address`. `send` queues a message (built on the sending thread),
    `flush` waits until everything queued was handed to gRPC, `close` ends the stream and waits for the
    server to acknowledge it (when it has written everything). `on_error(text)` is called once if the
    stream fails."""

    def __init__(
        self,
        address: ProxyAddress,
        on_error: Callable[[str], None],
        *,
        queue_size: int = DEFAULT_QUEUE_SIZE,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    ) -> None:
        self.address = address
        self._on_error = on_error
        self._connect_timeout = connect_timeout
        self._queue: queue.Queue[object] = queue.Queue(maxsize=queue_size)
        self._progress = threading.Condition()
        self._queued = 0
        self._handed = 0
        self._failed = False
        self._channel = grpc.insecure_channel(address.target, options=[("grpc.max_send_message_length", -1)])
        self._thread = threading.Thread(target=self._run, name="rerender-grpc-sink", daemon=True)
        self._thread.start()

    @property
    def failed(self) -> bool:
        """Whether the stream failed (later messages are dropped)."""
        return self._failed

    def send(self, factory: MessageFactory) -> None:
        """Queue a message; blocks while the queue is full; dropped once the stream has failed."""
        with self._progress:
            if self._failed:
                return
            self._queued += 1
        while not self._failed:
            try:
                self._queue.put(factory, timeout=0.1)
                return
            except queue.Full:
                continue

    def flush(self, timeout: float | None = None) -> None:
        """Wait until every queued message was handed to gRPC (or the stream failed)."""
        with self._progress:
            self._progress.wait_for(lambda: self._failed or self._handed >= self._queued, timeout)

    def close(self, timeout: float = 60.0) -> None:
        """End the stream, wait for the server's answer (up to `timeout`), and close the channel."""
        if self._thread.is_alive() and not self._failed:
            self._queue.put(_END)
        self._thread.join(timeout)
        self._channel.close()

    def _requests(self):
        while True:
            item = self._queue.get()
            if item is _END:
                return
            request = sdk_comms_pb2.WriteMessagesRequest(log_msg=item())
            yield request
            # Resumed: gRPC has taken the previous request and asks for the next.
            with self._progress:
                self._handed += 1
                self._progress.notify_all()

    def _run(self) -> None:
        try:
            grpc.channel_ready_future(self._channel).result(timeout=self._connect_timeout)
            stub = sdk_comms_pb2_grpc.MessageProxyServiceStub(self._channel)
            stub.WriteMessages(self._requests())
        except grpc.FutureTimeoutError:
            self._fail(f"no server answered at {self.address.url} within {self._connect_timeout:g} s")
        except grpc.RpcError as e:
            self._fail(f"the stream to {self.address.url} failed ({e.code().name}: {e.details()})")
        except Exception as e:  # a message that failed to build ends the stream the same way
            self._fail(f"the stream to {self.address.url} failed ({type(e).__name__}: {e})")

    def _fail(self, reason: str) -> None:
        with self._progress:
            self._failed = True
            self._progress.notify_all()
        while True:  # unblock senders waiting on a full queue
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._on_error(reason)
