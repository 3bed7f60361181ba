"""`RecordingStream`: what `rr.init`/`rr.log` write to, and which recording a call goes to.

The process-wide state here is the SDK's documented global state: the global and thread-local
current recordings, strict mode, the capture sink that `rerender run` installs, and the Arrow type
each dynamic component was first logged with.
"""

from __future__ import annotations

import atexit
import contextvars
import functools
import inspect
import os
import sys
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np
import pyarrow as pa

from ..rrd import Chunk, ComponentDescriptor, StoreId, StoreInfo, StoreKind, StoreSource, TimeKind, Timeline
from ..rrd.messages import WRITER_VERSION
from ..rrd.tuid import TuidGenerator
from .batcher import ChunkBatcher, ChunkBatcherConfig, PendingRow, estimated_row_bytes
from .entity_path import EntityPathError, parse_entity_path
from .sinks import (
    BinarySink,
    BufferSink,
    FileSink,
    GrpcServerSink,
    GrpcSink,
    MemoryRecording,
    MemorySink,
    NetworkSink,
    NullSink,
    RrdSink,
    Sink,
    TeeSink,
)
from .sorbet import AUTO_INDEX, IndexSpec, as_chunks, chunks_from_record_batch, record_batches
from .time import duration_ns, sequence_value, timestamp_ns

if TYPE_CHECKING:
    from .binary_stream import BinaryStream

LOG_TIME = Timeline("log_time", TimeKind.TIMESTAMP)
LOG_TICK = Timeline("log_tick", TimeKind.SEQUENCE)
PROPERTIES = "/__properties"
_RECORDING_INFO = "rerun.archetypes.RecordingInfo"


class RerenderWarning(UserWarning):
    """A logging call that was dropped or ignored, with the reason."""


@dataclass(frozen=True)
class _Batch:
    """A described component batch (what archetypes produce)."""

    descriptor: ComponentDescriptor
    array: pa.Array


class _State:
    """Process-wide SDK state (documented): current recordings, strict mode, the capture sink, the
    dynamic components' types."""

    def __init__(self) -> None:
        self.global_recording: RecordingStream | None = None
        self.thread_local = threading.local()
        self.strict = os.environ.get("RERUN_STRICT", "").lower() in ("1", "true", "yes")
        self.capture: RrdSink | None = None
        # Strong references: a recording dropped without disconnect() must still reach its sink at exit.
        self.live: list[RecordingStream] = []
        self.warned: set[str] = set()
        self.pid = os.getpid()
        # What a forked child inherited and must neither write to nor close (see cleanup_if_forked_child).
        self.orphans: list[object] = []
        # The Arrow type each dynamic component (AnyValues, DynamicArchetype) was first logged with,
        # kept for the whole process as rerun-sdk keeps it: later values are converted to it.
        self.dynamic_types: dict[ComponentDescriptor, object] = {}


_state = _State()
_active_recording: contextvars.ContextVar[RecordingStream] = contextvars.ContextVar("active_recording_stream")
_TFunc = TypeVar("_TFunc", bound=Callable[..., Any])


def dynamic_component_types() -> dict[ComponentDescriptor, object]:
    """The process-wide table of the types dynamic components were first logged with (see `_State`)."""
    return _state.dynamic_types


def warn_once(key: str, message: str) -> None:
    """Warn about something once per process."""
    if key not in _state.warned:
        _state.warned.add(key)
        warnings.warn(message, RerenderWarning, stacklevel=3)


def _collect_batches(entity: object, extra: tuple) -> list:
    batches: dict[ComponentDescriptor, object] = {}
    for item in (entity, *extra):
        error = getattr(item, "_rerender_error", None)
        if error is not None:
            raise error
        if hasattr(item, "as_component_batches"):
            found = item.as_component_batches()
        elif isinstance(item, Iterable) and not isinstance(item, str | bytes):
            found = [b for x in item for b in _collect_batches(x, ())]
        elif (hasattr(item, "descriptor") and hasattr(item, "array")) or (
            hasattr(item, "component_descriptor") and hasattr(item, "as_arrow_array")
        ):
            found = [item]
        else:
            raise TypeError(f"expected an archetype or component batches, got {type(item).__name__}")
        for batch in found:
            if not (hasattr(batch, "descriptor") and hasattr(batch, "array")):
                # rerun-sdk's batch protocol (user-defined batches, AnyBatchValue): None means "dropped".
                array = batch.as_arrow_array()
                if array is None:
                    continue
                batch = _Batch(batch.component_descriptor(), array)
            batches[batch.descriptor] = batch  # a later value for the same component wins
    return list(batches.values())


class RecordingStream:
    """One recording: its store id, current time per thread, batcher and sink."""

    def __init__(
        self,
        application_id: str,
        *,
        recording_id: str | uuid.UUID | None = None,
        make_default: bool = False,
        make_thread_default: bool = False,
        default_enabled: bool = True,
        send_properties: bool = True,
        batcher_config: ChunkBatcherConfig | None = None,
    ) -> None:
        self.application_id = str(application_id)
        self.recording_id = str(recording_id) if recording_id is not None else uuid.uuid4().hex
        self.store_id = StoreId(StoreKind.RECORDING, self.recording_id, self.application_id)
        self._enabled = default_enabled
        self._tuids = TuidGenerator()
        self._time = threading.local()
        self._log_time = os.environ.get("RERUN_LOG_TIME", "1") not in ("0", "false")
        self._log_tick = os.environ.get("RERUN_LOG_TICK", "0") in ("1", "true")
        self._tick = 0
        self._sink_lock = threading.RLock()
        self._sink: Sink = BufferSink()
        self._pending_blueprints: list[tuple[object, bool, bool]] = []  # sent while buffering
        v = sys.version_info
        self._store_info = StoreInfo(
            self.store_id, StoreSource.python(v.major, v.minor, v.micro), WRITER_VERSION, self._tuids.next()
        )
        self._sink.write_store_info(self._store_info)
        if _state.capture is not None:
            _state.capture.write_store_info(self._store_info)
        self._batcher = ChunkBatcher(batcher_config or ChunkBatcherConfig.from_env(), self._emit, self._tuids)
        _state.live.append(self)
        if send_properties:
            self.send_recording_start_time_nanos(time.time_ns())
        if make_default:
            set_global_data_recording(self)
        if make_thread_default:
            set_thread_local_data_recording(self)

    def __repr__(self) -> str:
        return f"RecordingStream({self.application_id!r}, recording_id={self.recording_id!r})"

    def __enter__(self) -> RecordingStream:
        """`with rec:` makes `rec` this thread's current recording until the block ends."""
        self._context_token = _active_recording.set(self)
        self._previous = set_thread_local_data_recording(self)
        return self

    def __exit__(self, exc_type: object, exc_val: object, exc_tb: object) -> None:
        """Flush, and give the thread back its previous recording."""
        self.flush()
        current = _active_recording.get(None)
        token = getattr(self, "_context_token", None)
        if token is not None:
            _active_recording.reset(token)
            self._context_token = None
        set_thread_local_data_recording(getattr(self, "_previous", None))
        self._previous = None
        if current is not self:
            raise RuntimeError(
                "RecordingStream context manager exited while not active. Likely mixing context managers "
                "with generators or async code. See: `recording_stream_generator_ctx`."
            )

    def is_enabled(self) -> bool:
        """Whether this recording logs (False: every call to it is ignored)."""
        return self._enabled

    # -- sinks --------------------------------------------------------------------------------

    def _emit(self, chunks: list[Chunk]) -> None:
        with self._sink_lock:
            self._sink.write_chunks(self.store_id, chunks)
        if _state.capture is not None:
            _state.capture.write_chunks(self.store_id, chunks)

    def _set_sink(self, sink: Sink) -> None:
        """Send everything logged so far where it belongs, then switch."""
        self._batcher.flush()
        with self._sink_lock:
            old, self._sink = self._sink, sink
            sink.write_store_info(self._store_info)
            if isinstance(old, BufferSink):
                old.replay_into(sink)
                self._write_pending_blueprints(sink)
            else:
                old.close()

    def save(
        self, path: str | os.PathLike, default_blueprint: object = None, *, write_footer: bool = True
    ) -> None:
        """Stream everything logged to this recording, before and after, into an .rrd file.

        `default_blueprint` is written first, as rerun-sdk does (made default, not active)."""
        store = self._blueprint_store(default_blueprint)
        sink = RrdSink(path, write_footer=write_footer)
        self._write_blueprint(sink, store, make_active=False, make_default=True)
        self._set_sink(sink)

    def stdout(self, default_blueprint: object = None, *, write_footer: bool = True) -> None:
        """Stream the recording to standard output (for piping into another program)."""
        if sys.stdout.isatty():
            warn_once(
                "stdout-tty", "rr.stdout(): standard output is a terminal; refusing to write binary data"
            )
            return
        sys.stdout.flush()
        store = self._blueprint_store(default_blueprint)
        sink = RrdSink(sys.stdout.buffer, write_footer=write_footer)
        self._write_blueprint(sink, store, make_active=False, make_default=True)
        self._set_sink(sink)

    # -- blueprints ---------------------------------------------------------------------------

    def _blueprint_store(self, blueprint: object) -> object:
        """`blueprint` (a Blueprint, View or Container) as a blueprint store for this application."""
        if blueprint is None:
            return None
        from ..blueprint.api import build_blueprint_store

        return build_blueprint_store(blueprint, self.application_id, self._tuids)

    def _write_blueprint(self, sink: Sink, store: object, *, make_active: bool, make_default: bool) -> None:
        """Write a blueprint store and its activation to `sink` (and the capture); kept for later
        while this recording buffers; dropped by a sink without a file (no viewer)."""
        if store is None:
            return
        from ..blueprint.api import write_blueprint

        if isinstance(sink, BufferSink):
            self._pending_blueprints.append((store, make_active, make_default))
        else:
            write_blueprint(sink, store, make_active=make_active, make_default=make_default)
        if _state.capture is not None:
            write_blueprint(_state.capture, store, make_active=make_active, make_default=make_default)

    def _write_pending_blueprints(self, sink: Sink) -> None:
        if isinstance(sink, BufferSink):  # still no destination: keep them
            return
        from ..blueprint.api import write_blueprint

        for store, make_active, make_default in self._pending_blueprints:
            write_blueprint(sink, store, make_active=make_active, make_default=make_default)
        self._pending_blueprints.clear()

    def send_blueprint(
        self, blueprint: object, *, make_active: bool = True, make_default: bool = True
    ) -> None:
        """Send a blueprint (Blueprint, View or Container) for this recording's application: into the
        .rrd being written (or kept until one is chosen), as a blueprint store of its own."""
        if not self._enabled:
            return
        store = self._blueprint_store(blueprint)
        with self._sink_lock:
            self._write_blueprint(self._sink, store, make_active=make_active, make_default=make_default)

    def memory_recording(self) -> MemoryRecording:
        """Keep the recording in memory; returns a handle to drain its bytes."""
        sink = MemorySink()
        self._set_sink(sink)
        return MemoryRecording(sink, self.flush)

    def binary_stream(self) -> BinaryStream:
        """Stream this recording (what was logged before too) into a `BinaryStream` to read its RRD bytes
        from (rerun-sdk has this as `rr.binary_stream(recording=...)`)."""
        from .binary_stream import BinarySinkStorage, BinaryStream

        sink = BinarySink()
        self._set_sink(sink)
        return BinaryStream(BinarySinkStorage(sink, self.flush))

    def set_sinks(self, *sinks: object, default_blueprint: object = None) -> None:
        """Stream to every sink given at once (`FileSink`s write files, `GrpcSink`s stream to a server,
        `GrpcServerSink` serves from this process), replacing the current sink; what was logged while
        buffering goes to each of them."""
        seen: list[object] = []
        for sink in sinks:
            if not isinstance(sink, FileSink | GrpcSink | GrpcServerSink):
                raise TypeError(
                    "set_sinks() takes rr.FileSink, rr.GrpcSink or rr.GrpcServerSink, "
                    f"not {type(sink).__name__}"
                )
            if sink in seen:
                raise ValueError(f"Duplicate sinks detected: {sink}")
            seen.append(sink)
        if not self._enabled:
            return
        tee = TeeSink([sink.open_sink() for sink in sinks])
        store = self._blueprint_store(default_blueprint)
        self._write_blueprint(tee, store, make_active=False, make_default=True)
        self._set_sink(tee)

    def _warn_no_viewer(self, call: str) -> None:
        warn_once(
            "no-viewer",
            f"rr.{call}(): rerender has no live viewer yet; data logged from now on is kept only "
            "by rr.save(...), rr.stdout() or `rerender run -o REC.rrd`. The script goes on.",
        )

    def _no_viewer(self, call: str) -> None:
        self._warn_no_viewer(call)
        if isinstance(self._sink, BufferSink):
            self._set_sink(NullSink())

    def spawn(
        self, *, port: int = 9876, connect: bool = True, memory_limit: str = "75%", **_: object
    ) -> None:
        """Start `rerender preview --listen PORT` (with no display: a headless `rerender serve` recording
        into outputs/) and, with `connect`, stream to it. A process already on the port is reused; one
        that fails to start is a warning, and the script goes on. Under `rerender run` nothing is started
        (its -o file captures everything, and batch runs must not leave servers behind)."""
        from .spawn import spawn_process

        if _state.capture is not None:
            warn_once(
                "no-viewer",
                "rr.spawn(): under `rerender run` no live viewer is started; everything logged is captured "
                "into its -o file. The script goes on.",
            )
            if isinstance(self._sink, BufferSink):  # nothing else will take what is buffered
                self._set_sink(NullSink())
            return
        spawned = spawn_process(port)
        if spawned.error is not None:
            what = "rerender serve" if spawned.headless else "rerender preview"
            warn_once(
                "spawn-failed",
                f"rr.spawn(): `{what}` on port {port} did not start ({spawned.error}); data logged "
                "from now on is kept only by rr.save(...), rr.stdout() or `rerender run -o REC.rrd`. "
                "The script goes on.",
            )
            if isinstance(self._sink, BufferSink):
                self._set_sink(NullSink())
            return
        if spawned.headless and "spawn-headless" not in _state.warned:
            _state.warned.add("spawn-headless")  # said once per process, like the SDK's warnings
            path = spawned.out_dir / f"{self.application_id}-{self.recording_id}.rrd"
            print(
                f"rr.spawn(): no display (DISPLAY and WAYLAND_DISPLAY are unset), so no preview window: "
                f"a headless `rerender serve` on {spawned.url} records this run to {path}; render it with "
                f"`rerender render {path} -o {path.with_suffix('.mp4')}`",
                file=sys.stderr,
                flush=True,
            )
        if connect:
            self.connect_grpc(spawned.url)

    def connect_grpc(self, url: str | None = None, *, default_blueprint: object = None) -> None:
        """Stream this recording (what was logged before too) to the message proxy at `url`
        (default rerun+http://127.0.0.1:9876/proxy): `rerender serve`, `rerender preview`, a viewer."""
        if not self._enabled:
            return
        sink = NetworkSink(url)
        store = self._blueprint_store(default_blueprint)
        self._write_blueprint(sink, store, make_active=False, make_default=True)
        self._set_sink(sink)

    def connect(self, addr: str | None = None, **_: object) -> None:
        """Pre-0.20 name of connect_tcp: `addr` is HOST:PORT (default 127.0.0.1:9876)."""
        self.connect_grpc(addr)

    def connect_tcp(self, addr: str | None = None, **_: object) -> None:
        """Pre-0.23 name of connect_grpc: `addr` is HOST:PORT (default 127.0.0.1:9876)."""
        self.connect_grpc(addr)

    def serve_grpc(
        self,
        *,
        grpc_port: int | None = None,
        default_blueprint: object = None,
        server_memory_limit: str = "1GiB",
        **_: object,
    ) -> str:
        """Serve this recording from a message proxy in this process (all interfaces, `grpc_port`,
        default 9876) until the process ends; returns the URL viewers connect to."""
        served = GrpcServerSink(
            port=9876 if grpc_port is None else grpc_port, server_memory_limit=server_memory_limit
        )
        sink = served.open_sink()
        store = self._blueprint_store(default_blueprint)
        self._write_blueprint(sink, store, make_active=False, make_default=True)
        self._set_sink(sink)
        return sink.url

    def serve_web(self, **_: object) -> None:
        """No web viewer: warns once and goes on."""
        self._no_viewer("serve_web")

    def flush(self, blocking: bool = True) -> None:
        """Write every queued row to the current sink."""
        self._batcher.flush()
        with self._sink_lock:
            self._sink.flush()
        if _state.capture is not None:
            _state.capture.flush()

    def disconnect(self) -> None:
        """Flush and close the current sink (an .rrd file gets its footer); later data is buffered."""
        self._set_sink(BufferSink())

    def _shutdown(self) -> None:
        self._batcher.close()
        with self._sink_lock:
            self._sink.close()

    # -- time ---------------------------------------------------------------------------------

    def _timepoint(self) -> dict[str, tuple[Timeline, int]]:
        tp = getattr(self._time, "timepoint", None)
        if tp is None:
            tp = self._time.timepoint = {}
        return tp

    def set_time(
        self, timeline: str, *, sequence: object = None, duration: object = None, timestamp: object = None
    ) -> None:
        """Set the current time of `timeline` for this thread: exactly one of sequence/duration/timestamp."""
        given = [
            k
            for k, v in (("sequence", sequence), ("duration", duration), ("timestamp", timestamp))
            if v is not None
        ]
        if len(given) != 1:
            return self._bad_call(
                "set_time",
                f"give exactly one of sequence=, duration=, timestamp= "
                f"for timeline {timeline!r} (got {', '.join(given) or 'none'})",
            )
        try:
            if sequence is not None:
                value, kind = sequence_value(sequence), TimeKind.SEQUENCE
            elif duration is not None:
                value, kind = duration_ns(duration), TimeKind.DURATION
            else:
                value, kind = timestamp_ns(timestamp), TimeKind.TIMESTAMP
        except TypeError as e:
            return self._bad_call("set_time", f"timeline {timeline!r}: {e}")
        self._timepoint()[timeline] = (Timeline(timeline, kind), value)

    def set_time_sequence(self, timeline: str, sequence: int) -> None:
        """Older API: `set_time(timeline, sequence=...)`."""
        self.set_time(timeline, sequence=sequence)

    def set_time_seconds(self, timeline: str, seconds: float) -> None:
        """Older API (the tutorial's): seconds on a duration timeline, as rerun-sdk 0.23+ maps it."""
        self.set_time(timeline, duration=seconds)

    def set_time_nanos(self, timeline: str, nanos: int) -> None:
        """Older API: nanoseconds on a duration timeline."""
        self.set_time(timeline, duration=np.timedelta64(int(nanos), "ns"))

    def disable_timeline(self, timeline: str) -> None:
        """Stop adding `timeline` to this thread's rows."""
        self._timepoint().pop(timeline, None)

    def reset_time(self) -> None:
        """Clear every timeline of this thread (log_time and log_tick go on)."""
        self._timepoint().clear()

    def set_log_time_enabled(self, enabled: bool) -> None:
        """Whether rows get the automatic `log_time` timeline."""
        self._log_time = bool(enabled)

    def set_log_tick_enabled(self, enabled: bool) -> None:
        """Whether rows get the automatic `log_tick` timeline (a per-recording counter; off by default)."""
        self._log_tick = bool(enabled)

    # -- logging ------------------------------------------------------------------------------

    def _bad_call(self, where: str, message: str, strict: bool | None = None) -> None:
        if strict if strict is not None else _state.strict:
            raise ValueError(f"rr.{where}: {message}")
        warnings.warn(f"rr.{where}: {message}; the call was ignored", RerenderWarning, stacklevel=4)

    def log(
        self,
        entity_path: str | list[object],
        entity: object,
        *extra: object,
        static: bool = False,
        strict: bool | None = None,
    ) -> None:
        """Log archetypes or component batches at `entity_path` at the current time (or statically)."""
        if not self._enabled:
            return
        try:
            path = parse_entity_path(entity_path)
            batches = _collect_batches(entity, extra)
        except (EntityPathError, TypeError, ValueError) as e:
            return self._bad_call(f"log({entity_path!r})", str(e), strict)
        if not batches:
            return
        self._push(path, [(b.descriptor, b.array) for b in batches], static)

    def _push(self, path: str, components: list[tuple[ComponentDescriptor, pa.Array]], static: bool) -> None:
        if static:
            timepoint: tuple = ()
        else:
            entries = list(self._timepoint().values())
            if self._log_time:
                entries.append((LOG_TIME, time.time_ns()))
            if self._log_tick:
                entries.append((LOG_TICK, self._tick))
                self._tick += 1
            timepoint = tuple(entries)
        nbytes = estimated_row_bytes([a for _, a in components])
        row_id = self._tuids.next()
        self._batcher.push(
            path, PendingRow((row_id.time_ns, row_id.inc), timepoint, tuple(components), nbytes)
        )

    def send_columns(
        self,
        entity_path: str,
        indexes: Iterable[object],
        columns: Iterable[object],
        *,
        strict: bool | None = None,
    ) -> None:
        """Log many rows at once: one index column per timeline, one partitioned column per component."""
        if not self._enabled:
            return
        try:
            path = parse_entity_path(entity_path)
            chunk = _columns_to_chunk(path, list(indexes), list(columns), self._tuids)
        except (EntityPathError, TypeError, ValueError) as e:
            return self._bad_call(f"send_columns({entity_path!r})", str(e), strict)
        self._emit([chunk])

    def send_chunks(self, chunks: object) -> None:
        """Write chunks as they are (ids, timelines and all) into this recording; see `rr.send_chunks`."""
        if self._enabled:
            self._emit(as_chunks(chunks))

    def send_record_batch(
        self, batch: pa.RecordBatch, *, index: IndexSpec = AUTO_INDEX, entity_path: str | None = None
    ) -> None:
        """Log a record batch in Rerun's dataframe layout (a chunk per entity); see `rr.send_record_batch`."""
        chunks = chunks_from_record_batch(batch, index=index, entity_path=entity_path, tuids=self._tuids)
        if self._enabled:
            self._emit(chunks)

    def send_dataframe(
        self, df: object, *, index: IndexSpec = AUTO_INDEX, entity_path: str | None = None
    ) -> None:
        """`send_record_batch` for each record batch of a Table, RecordBatchReader or Arrow stream."""
        for batch in record_batches(df):
            self.send_record_batch(batch, index=index, entity_path=entity_path)

    # -- properties ---------------------------------------------------------------------------

    def send_recording_start_time_nanos(self, nanos: int) -> None:
        """The recording's start time (a static RecordingInfo property)."""
        desc = ComponentDescriptor("RecordingInfo:start_time", _RECORDING_INFO, "rerun.components.Timestamp")
        self._push(PROPERTIES, [(desc, pa.array([int(nanos)], pa.int64()))], static=True)

    def send_recording_name(self, name: str) -> None:
        """The recording's human-readable name (a static RecordingInfo property)."""
        desc = ComponentDescriptor("RecordingInfo:name", _RECORDING_INFO, "rerun.components.Name")
        self._push(PROPERTIES, [(desc, pa.array([str(name)], pa.utf8()))], static=True)

    def send_property(self, name: str, values: object) -> None:
        """A custom recording property, e.g. `rr.AnyValues(answer=42)` at `/__properties/<name>`."""
        self.log([PROPERTIES.strip("/"), name], values, static=True)


def _columns_to_chunk(path: str, indexes: list, columns: list, tuids: TuidGenerator) -> Chunk:
    """Build one chunk from `TimeColumn`s and partitioned component columns (`send_columns`)."""
    timelines: dict[Timeline, np.ndarray] = {}
    for index in indexes:
        if hasattr(index, "timeline_and_values"):
            timeline, values = index.timeline_and_values()
        else:  # rerun-sdk's TimeColumnLike: a name, and int64, duration[ns] or timestamp[ns] values
            array = index.as_arrow_array()
            timeline = Timeline(index.timeline_name(), TimeKind.from_arrow_type(array.type))
            values = array.view(pa.int64()).to_numpy(zero_copy_only=False)
        timelines[timeline] = values
    components: dict[ComponentDescriptor, pa.ListArray] = {}
    for column in columns:
        for desc, array in column.as_list_arrays():
            components[desc] = array
    lengths = {len(v) for v in timelines.values()} | {len(a) for a in components.values()}
    if len(lengths) > 1:
        raise ValueError(
            f"columns have different lengths {sorted(lengths)}; every index and component "
            "column needs one entry per row"
        )
    if not components:
        raise ValueError("no component columns given")
    n = lengths.pop()
    return Chunk.build(path, tuids.next(), tuids.next_row_ids(n), timelines, components)


# -- which recording a call goes to ---------------------------------------------------------------


def get_global_data_recording() -> RecordingStream | None:
    """The process-wide current recording."""
    return _state.global_recording


def set_global_data_recording(recording: RecordingStream | None) -> RecordingStream | None:
    """Replace the process-wide current recording; returns the previous one."""
    previous, _state.global_recording = _state.global_recording, recording
    return previous


def get_thread_local_data_recording() -> RecordingStream | None:
    """This thread's current recording, if set."""
    return getattr(_state.thread_local, "recording", None)


def set_thread_local_data_recording(recording: RecordingStream | None) -> RecordingStream | None:
    """Replace this thread's current recording; returns the previous one."""
    previous = get_thread_local_data_recording()
    _state.thread_local.recording = recording
    return previous


def get_data_recording(recording: RecordingStream | None = None) -> RecordingStream | None:
    """The recording a call goes to: the one given, else this thread's, else the global one."""
    return recording or get_thread_local_data_recording() or _state.global_recording


def set_strict_mode(mode: bool) -> None:
    """Strict mode: bad input raises instead of warning and dropping the call."""
    _state.strict = bool(mode)


def is_strict_mode() -> bool:
    """Whether strict mode is on."""
    return _state.strict


def start_capture(path: str | os.PathLike) -> None:
    """Also write every recording of this process into `path` (what `rerender run -o` does)."""
    _state.capture = RrdSink(path)
    for recording in list(_state.live):
        _state.capture.write_store_info(recording._store_info)


def shutdown() -> None:
    """Flush every recording and close every sink: nothing logged before exit is lost."""
    for recording in list(_state.live):
        try:
            recording._shutdown()
        except Exception as e:  # one broken sink must not keep the others from finishing
            warnings.warn(f"rerender: closing {recording!r} failed: {e}", RerenderWarning, stacklevel=2)
    if _state.capture is not None:
        _state.capture.close()
        _state.capture = None


atexit.register(shutdown)


def rerun_shutdown() -> None:
    """rerun-sdk's name for the at-exit handler: flush and close every recording (`shutdown`)."""
    shutdown()


def unregister_shutdown() -> None:
    """Stop flushing and closing the recordings at exit (rerun-sdk's `unregister_shutdown`)."""
    atexit.unregister(shutdown)


def cleanup_if_forked_child() -> None:
    """In a forked child, forget the recordings inherited from the parent, as rerun-sdk does: the child
    neither logs to them nor closes their sinks (files the parent is writing); it calls `rr.init` again.
    Runs by itself after `os.fork()`; a no-op in the process that created the recordings."""
    if os.getpid() == _state.pid:
        return
    _state.pid = os.getpid()
    _state.orphans.extend(_state.live)
    _state.orphans.append(_state.capture)
    _state.live = []
    _state.capture = None
    _state.global_recording = None
    _state.thread_local = threading.local()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=cleanup_if_forked_child)


def thread_local_stream(application_id: str) -> Callable[[_TFunc], _TFunc]:
    """Decorator: each call of the function (or generator) logs to a recording of its own, created for
    it with a new recording id, as this thread's current recording while the function runs."""

    def decorator(func: _TFunc) -> _TFunc:
        if inspect.isgeneratorfunction(func):

            @functools.wraps(func)
            def generator_wrapper(*args: Any, **kwargs: Any) -> Any:
                # The recording is current only while the generator runs, never across a yield.
                gen = func(*args, **kwargs)
                stream = RecordingStream(application_id, recording_id=uuid.uuid4())
                try:
                    with stream:
                        value = next(gen)
                    while True:
                        cont = yield value
                        with stream:
                            value = gen.send(cont)
                except StopIteration:
                    pass
                finally:
                    gen.close()

            return cast("_TFunc", generator_wrapper)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with RecordingStream(application_id, recording_id=uuid.uuid4()):
                return func(*args, **kwargs)

        return cast("_TFunc", wrapper)

    return decorator


def recording_stream_generator_ctx(func: _TFunc) -> _TFunc:
    """Decorator for a generator that yields inside `with rec:`: the recording stops being current
    while the generator is suspended, and becomes current again when it resumes."""
    if not inspect.isgeneratorfunction(func):
        return func

    @functools.wraps(func)
    def generator_wrapper(*args: Any, **kwargs: Any) -> Any:
        gen = func(*args, **kwargs)
        try:
            value = next(gen)
            while True:
                current = _active_recording.get(None)
                if current is not None:
                    current.__exit__(None, None, None)
                cont = yield value
                if current is not None:
                    current.__enter__()
                value = gen.send(cont)
        except StopIteration:
            pass
        finally:
            gen.close()

    return cast("_TFunc", generator_wrapper)
