"""Where independent pieces of work run: a local process pool (the default) or a Ray cluster.

Pipeline jobs and the chunks of a split render are plain functions with picklable arguments, submitted
to an `Executor`; each returns a `concurrent.futures.Future`, so callers wait on both backends alike.
Every task is told how many threads it may use (`threads`), so that N tasks on one machine share its
cores instead of each starting as many threads as there are cores (llvmpipe and x264 both would).

Paths in arguments are read and written by the workers themselves: on one machine that is the same file
system; on a cluster the input and output folders must be shared storage (see the README).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import itertools
import logging
import multiprocessing
import multiprocessing.connection
import multiprocessing.context
import os
import pickle
import queue
import signal
import socket
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

from ..errors import RerenderError
from .lifetime import describe_exit

T = TypeVar("T")

# Mesa's llvmpipe reads its rasterizer thread count from this variable when a GL context is created.
LLVMPIPE_THREADS = "LP_NUM_THREADS"


class ExecutorError(RerenderError):
    """An executor that cannot start: an unknown name, Ray not installed, a cluster not reachable."""


def cpu_count() -> int:
    """Cores this process may use (its affinity mask, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def threads_per_task(slots: int, cores: int | None = None) -> int:
    """Each of `slots` concurrent tasks' fair share of the cores (at least one)."""
    return max(1, (cores or cpu_count()) // max(1, slots))


def use_threads(threads: int) -> None:
    """Limit the calling worker process's renderer to `threads` rasterizer threads (before its first GL
    context: llvmpipe reads the variable then). Encoders are told their count through their options."""
    os.environ[LLVMPIPE_THREADS] = str(threads)


@contextlib.contextmanager
def limited_threads(threads: int) -> Iterator[None]:
    """`use_threads` for a while: in the calling process, which takes a share of the work beside its
    workers, and whose environment is given back as it was afterwards."""
    before = os.environ.get(LLVMPIPE_THREADS)
    use_threads(threads)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(LLVMPIPE_THREADS, None)
        else:
            os.environ[LLVMPIPE_THREADS] = before


class Executor(Protocol):
    """Runs functions elsewhere. `slots`: how many run at once; `threads`: each one's share of cores."""

    name: str
    slots: int
    threads: int

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[T]: ...

    def close(self, wait: bool = True) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


def _run_with_threads(threads: int, fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
    use_threads(threads)
    return fn(*args, **kwargs)


def _take_normal_priority() -> None:
    """Take this Ray worker back to nice 0 where the user may (see RayExecutor); else it stays at Ray's
    nice 15."""
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, 0, 0)


def _run_at_normal_priority(threads: int, fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
    """`_run_with_threads` in a Ray worker at nice 0 where the user may."""
    _take_normal_priority()
    return _run_with_threads(threads, fn, args, kwargs)


def may_raise_priority() -> bool:
    """Whether this user may take a process back to nice 0: root, or an RLIMIT_NICE that allows it."""
    import resource

    if os.geteuid() == 0:
        return True
    soft, _ = resource.getrlimit(resource.RLIMIT_NICE)
    return soft == resource.RLIM_INFINITY or soft >= 20  # the limit is 20 - the lowest nice allowed


# Libraries whose state a forked copy would inherit half-working: OpenGL (the parent's GL display,
# without its rasterizer threads), and the threaded clients of gRPC and Ray (a fork of a process with
# Ray connected hung).
_NOT_FORKED = ("OpenGL", "grpc", "ray")


def may_fork() -> bool:
    """Whether a copy of this process (`fork`) would be a clean worker: on a system that forks, with no
    other Python thread running and none of `_NOT_FORKED` imported (a command at its start, before it
    draws). Encoders are never running at the times this is asked (see `LocalExecutor.fork`)."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and not any(name in sys.modules for name in _NOT_FORKED)
    )


class WorkerDied(RerenderError):
    """A task's worker process ended before it returned (killed by a signal: the OOM killer, a user; a
    crash in native code). `started`/`seconds`: when the task was handed to it, and for how long."""

    def __init__(self, message: str, started: float = 0.0, seconds: float = 0.0) -> None:
        super().__init__(message)
        self.started, self.seconds = started, seconds


@dataclass
class _Work:
    fn: Callable[..., Any]
    args: tuple
    future: concurrent.futures.Future


class _Worker:
    """One worker process and this process's end of the pipe to it. It ends with the thread that started
    it (see `lifetime.die_with_parent`)."""

    def __init__(self, context: multiprocessing.context.BaseContext) -> None:
        here, there = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(there, os.getpid()), name="rerender-worker", daemon=True
        )
        self.process.start()
        there.close()  # this end only in the worker: its death is then an EOF here
        self.connection = here

    def call(self, work: _Work) -> tuple[bool, Any]:
        """Run `work` there: (True, its value) or (False, its exception); EOFError when the worker died."""
        self.connection.send((work.fn, work.args))
        return self.connection.recv()

    def ended(self) -> int | None:
        """Its exit code once it has died (negative: the signal that killed it)."""
        self.process.join(timeout=5)
        self.connection.close()
        return self.process.exitcode

    def stop(self) -> None:
        """Let it end (it is idle), then close the pipe."""
        with contextlib.suppress(OSError):
            self.connection.send_bytes(_STOP)
        self.process.join(timeout=5)
        self.end()
        self.connection.close()

    def end(self) -> None:
        """End it now: SIGTERM (a logging script it runs gets the same from the kernel as it dies), then
        SIGKILL. Its lane, waiting for its result, sees the pipe close."""
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


_STOP = b"stop"  # (not a pickle)


def _serve(connection: multiprocessing.connection.Connection, parent: int) -> None:
    """A worker's loop: run each function it is sent, send back how it ended; stop at `_STOP`."""
    from .lifetime import die_with_parent

    # A forked copy has the command's handlers (`lifetime.interruptible`): a worker ends at SIGTERM, and
    # at Ctrl-C (which a terminal sends to the whole group) it lets the command decide what to do.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    die_with_parent(parent)
    with contextlib.suppress(KeyboardInterrupt, EOFError, OSError):
        while (work := connection.recv_bytes()) != _STOP:
            reply = _call(work)
            try:
                connection.send(reply)
            except (pickle.PicklingError, TypeError, AttributeError) as e:
                connection.send((False, RuntimeError(f"the worker could not send back its result: {e}")))


def _call(work: bytes) -> tuple[bool, Any]:
    try:
        fn, args = pickle.loads(work)  # here: a function this worker cannot import fails its task only
        return True, fn(*args)
    except KeyboardInterrupt:  # (not re-raised in the command, which has its own interrupt to handle)
        return False, RuntimeError("the worker was interrupted")
    except Exception as e:
        return False, e


@dataclass
class LocalExecutor:
    """A pool of `slots` worker processes on this machine, each told `threads` (default: its fair share of
    the cores). Workers are spawned (a fresh interpreter that imports what its tasks need), unless
    `fork`: then they are copies of this process, which have its imports already (three quarters of a
    CPU-second each). Only a caller that holds no GL context, encoder or open output may ask for that (a
    command at its start, see `split.start_executor`): a copy would share them.

    Each worker serves one lane: a thread that hands it the next task and waits for its result. A worker
    that dies (the OOM killer) fails only the task it was running, with `WorkerDied`; its lane starts a
    fresh one for the next task, and the others go on (a `ProcessPoolExecutor` failed every task, and left
    the other workers' children running). Workers end with this process, also when it is killed."""

    slots: int
    threads: int = 0
    name: str = "local"
    fork: bool = False
    reports_starts: ClassVar[bool] = True  # a task's future is running once a worker has it

    def __post_init__(self) -> None:
        self.slots = max(1, self.slots)
        self.threads = self.threads or threads_per_task(self.slots)
        self._queue: queue.SimpleQueue[_Work | None] = queue.SimpleQueue()
        self._closed = False
        # Every process now, from this thread, before the lanes' threads exist (a fork copies a process
        # with only this one running). Replacements are spawned: other threads run by then.
        first = multiprocessing.get_context("fork" if self.fork else "spawn")
        self._workers: list[_Worker | None] = [_Worker(first) for _ in range(self.slots)]
        self._lanes = [
            threading.Thread(target=self._lane, args=(i,), name=f"rerender-lane-{i}", daemon=True)
            for i in range(self.slots)
        ]
        for lane in self._lanes:
            lane.start()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[T]:
        if self._closed:
            raise RuntimeError("submit after close")
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._queue.put(_Work(_run_with_threads, (self.threads, fn, args, kwargs), future))
        return future

    def _lane(self, slot: int) -> None:
        while (work := self._queue.get()) is not None:
            if not work.future.set_running_or_notify_cancel():
                continue
            started = time.time()
            try:
                ok, value = self._call(slot, work)
            except (EOFError, OSError):
                worker, self._workers[slot] = self._workers[slot], None
                assert worker is not None
                pid, how = worker.process.pid, describe_exit(worker.ended())
                message = f"its worker process (pid {pid}) {how}"
                work.future.set_exception(WorkerDied(message, started, time.time() - started))
                continue
            except Exception as e:  # arguments that cannot be sent (not picklable)
                work.future.set_exception(e)
                continue
            if ok:
                work.future.set_result(value)
            else:
                work.future.set_exception(value)

    def _call(self, slot: int, work: _Work) -> tuple[bool, Any]:
        worker = self._workers[slot]
        if worker is None or not worker.process.is_alive():
            # Started from this thread, which lives until `close`: a worker ends with its starting thread.
            worker = self._workers[slot] = _Worker(multiprocessing.get_context("spawn"))
        return worker.call(work)

    def close(self, wait: bool = True) -> None:
        """Cancel the tasks not started; let the running ones finish (`wait`), or end their workers now
        (an interrupt, a failed render: nobody wants their results)."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(queue.Empty):
            while True:
                if (work := self._queue.get_nowait()) is not None:
                    work.future.cancel()
        if not wait:
            for worker in list(self._workers):
                if worker is not None:
                    worker.end()
        for _ in self._lanes:
            self._queue.put(None)
        for lane in self._lanes:
            lane.join()
        for worker in self._workers:
            if worker is not None:
                worker.stop()

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(wait=exc[0] is None)


# How long a warm Ray worker waits for the next render before it ends (and gives its memory back).
WARM_SECONDS = 300.0


class WarmWorker:
    """A Ray actor that runs render tasks and stays up between jobs (detached, by name), so that the
    next command's pieces start at once: a fresh Ray worker first imports Ray and rerender, which on a
    node kept busy by the command itself took 3-6 s. It ends after `idle_seconds` without work."""

    def __init__(self, idle_seconds: float) -> None:
        _take_normal_priority()  # (where not permitted, the actor asked Ray for nice 0 instead)
        self._idle_seconds = idle_seconds
        self._last = time.monotonic()
        self._busy = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._expire, name="rerender-idle", daemon=True).start()

    def run(self, threads: int, fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
        with self._lock:
            self._busy += 1
        try:
            return _run_with_threads(threads, fn, args, kwargs)
        finally:
            with self._lock:
                self._busy -= 1
                self._last = time.monotonic()

    def _expire(self) -> None:
        while True:
            time.sleep(min(self._idle_seconds, 5.0))
            with self._lock:
                if not self._busy and time.monotonic() - self._last >= self._idle_seconds:
                    os._exit(0)  # Ray frees the name; the next command starts a new one


def code_fingerprint(root: Path | None = None) -> str:
    """rerender's version and a digest of its source files' names, sizes and times (under `root`, by
    default the package): warm workers are named by it, so that none runs code older than the caller's."""
    from .. import __version__

    root = root or Path(__file__).resolve().parent.parent
    digest = hashlib.sha1(__version__.encode())
    for path in sorted(root.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


# What an HTTP/2 client sends first (RFC 9113, 3.4), then an empty SETTINGS frame. Ray's head serves
# gRPC (HTTP/2) on both of its addresses, the GCS port and the Ray Client port.
_HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])


def check_reachable(address: str | None, timeout: float = 5.0) -> None:
    """Raise ExecutorError at once, naming `address`, when nothing answers at a cluster's host:port (or
    ray://host:port), or what answers is not HTTP/2 (the dashboard's HTTP/1 port, say): Ray itself
    retries such an address for minutes, printing a line every few seconds. Silence and TLS are left
    to Ray. None, "auto" and "local" find or start an instance on this machine, and Ray names a
    malformed address itself."""
    if address is None or address in ("auto", "local"):
        return
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit():
        return
    try:
        connection = socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)
    except OSError as e:
        raise ExecutorError(
            f"nothing answers at the Ray cluster address {address} ({e.strerror or e}): start the "
            "cluster's head there (`ray start --head`), give the address that `ray start` printed, or "
            "use --address auto on one of the cluster's nodes"
        ) from None
    with connection:
        if os.environ.get("RAY_USE_TLS", "0").lower() not in ("0", "false", ""):
            return  # a TLS cluster does not answer plain HTTP/2
        try:
            connection.settimeout(min(timeout, 2.0))
            connection.sendall(_HTTP2_PREFACE)
            reply = connection.recv(16)
        except OSError:
            return  # no reply in time: Ray decides
    # An HTTP/2 server's first frame is SETTINGS (type 4); 0x15 and 0x16 begin TLS records.
    if len(reply) < 4 or reply[3] == 4 or reply[0] in (0x15, 0x16):
        return
    raise ExecutorError(
        f"{address} answers, but not as a Ray head does (gRPC): it may be the dashboard's port (8265). "
        "Give the address that `ray start --head` printed (host:6379), or ray://host:10001 for the "
        "Ray Client server"
    )


@dataclass
class RayExecutor:
    """Tasks on a Ray cluster: `address` None starts (or joins) a local Ray instance; "auto" or
    "ray://host:10001" joins a running cluster. Work goes round `slots` warm workers (`WarmWorker`
    actors, default: the cluster's CPUs / threads), each told to use `threads` cores, found by name when
    an earlier command left them running, else started at its first piece of work; a worker that has
    ended meanwhile is replaced by a plain Ray task (which asks Ray for `threads` CPUs). Concurrent
    commands on one cluster share the warm workers."""

    address: str | None = None
    slots: int = 0
    threads: int = 1
    name: str = "ray"
    idle_seconds: float = WARM_SECONDS

    def __post_init__(self) -> None:
        try:
            import ray
        except ImportError:
            raise ExecutorError(
                "--executor ray needs Ray, which is not installed; install it with "
                "`pip install 'rerender[ray]'` (or `pip install ray`)"
            ) from None
        self._ray = ray
        if not ray.is_initialized():
            check_reachable(self.address)
            try:
                with warnings.catch_warnings():  # Ray's advice about GPU variables: none are used here
                    warnings.simplefilter("ignore", FutureWarning)
                    # Ray's own INFO and WARNING lines ("Connecting to existing Ray cluster", a note
                    # that it was started off the main thread) would break into a quiet command's output.
                    ray.init(
                        address=self.address,
                        include_dashboard=False,
                        log_to_driver=False,
                        logging_level=logging.ERROR,
                    )
            except (ConnectionError, RuntimeError, ValueError) as e:
                where = {None: "a local Ray instance", "auto": "a running Ray cluster (address auto)"}.get(
                    self.address, f"the Ray cluster at {self.address}"
                )
                raise ExecutorError(f"could not start or reach {where}: {e}") from None
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.threads = max(1, self.threads)
        self.slots = self.slots or max(1, cpus // self.threads)
        # Ray starts workers at nice 15 (its own processes keep priority); render tasks are the job's
        # main work, and beside a caller at nice 0 on the same node they got half its cores' share.
        # Where the user may, a worker takes itself back to nice 0; otherwise a runtime environment
        # asks Ray for a worker at nice 0 (as its job supervisor runs).
        options: dict[str, Any] = {"num_cpus": self.threads}
        if may_raise_priority():
            self._task = ray.remote(**options)(_run_at_normal_priority)
        else:
            options["runtime_env"] = {"env_vars": {"RAY_worker_niceness": "0"}}
            self._task = ray.remote(**options)(_run_with_threads)
        # Warm workers reserve no CPUs: an idle one (or one left by older code) must not hold cores that
        # other work, or its replacement, waits for. `slots` bounds how many work at once; SPREAD puts
        # them on different nodes, as reserving CPUs would. One call at a time: a render owns a process.
        self._actor = ray.remote(**{**options, "num_cpus": 0}, scheduling_strategy="SPREAD")(WarmWorker)
        self._prefix = f"rerender-{code_fingerprint()}-{self.threads}t-{self.idle_seconds:g}s"
        self._workers: dict[int, Any] = {}  # slot -> actor handle, found or started at its first use
        self._turn = itertools.count()

    def _worker(self, slot: int) -> Any:
        if slot not in self._workers:
            self._workers[slot] = self._actor.options(
                name=f"{self._prefix}-{slot}", namespace="rerender", lifetime="detached", get_if_exists=True
            ).remote(self.idle_seconds)
        return self._workers[slot]

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[T]:
        worker = self._worker(next(self._turn) % self.slots)
        result: concurrent.futures.Future[T] = concurrent.futures.Future()

        def settle(done: concurrent.futures.Future[T]) -> None:
            if isinstance(done.exception(), self._ray.exceptions.RayActorError):
                # The worker ended (idle too long, or its node went): the same work as a plain task.
                retry = self._task.remote(self.threads, fn, args, kwargs).future()
                retry.add_done_callback(lambda again: _settle_from(again, result))
            else:
                _settle_from(done, result)

        worker.run.remote(self.threads, fn, args, kwargs).future().add_done_callback(settle)
        return result

    def close(self, wait: bool = True) -> None:
        """Leaves the Ray instance running for later calls in this process (`ray.shutdown()` stops it),
        and the warm workers for later commands (each ends after `idle_seconds` without work)."""

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _settle_from(done: concurrent.futures.Future[T], result: concurrent.futures.Future[T]) -> None:
    """Give `result` what `done` ended with."""
    try:
        result.set_result(done.result())
    except BaseException as e:
        result.set_exception(e)


EXECUTORS = ("local", "ray")


def make_executor(
    name: str, slots: int | None = None, address: str | None = None, threads: int = 0
) -> Executor:
    """The executor named on the command line (`--executor local|ray`, `--jobs N`, `--address`);
    `threads` sets a local pool's share of cores per task (default: the cores over `slots`)."""
    if name == "local":
        return LocalExecutor(slots or cpu_count(), threads)
    if name == "ray":
        # On Ray a task's share of cores is its CPU request; one core each packs the most tasks per node.
        return RayExecutor(address=address, slots=slots or 0, threads=1)
    raise ExecutorError(f"unknown executor {name!r}; the executors are: {', '.join(EXECUTORS)}")
