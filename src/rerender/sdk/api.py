"""The module-level API (`rr.init`, `rr.log`, `rr.set_time`, …): each call goes to a recording.

Every function takes `recording=`; without it the call goes to this thread's recording, else the
global one (what `rr.init` creates). With neither, the call warns once and does nothing.
"""

from __future__ import annotations

import functools
import os
import random
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import Any, TypeVar, cast

import numpy as np

from .batcher import ChunkBatcherConfig
from .entity_path import EntityPathError, escape_entity_path_part, parse_entity_path
from .entity_path import entity_path as _entity_path
from .recording import (
    RecordingStream,
    cleanup_if_forked_child,
    get_data_recording,
    get_global_data_recording,
    get_thread_local_data_recording,
    is_strict_mode,
    recording_stream_generator_ctx,
    rerun_shutdown,
    set_global_data_recording,
    set_strict_mode,
    set_thread_local_data_recording,
    thread_local_stream,
    unregister_shutdown,
    warn_once,
)
from .script import script_add_args, script_setup, script_teardown
from .sinks import FileSink, GrpcServerSink, GrpcSink, MemoryRecording

RECORDING_PROPERTIES_PATH = "/__properties"
"""Where recording properties (`send_property`, `send_recording_name`, ...) are logged."""

_TFunc = TypeVar("_TFunc", bound=Callable[..., Any])


def _recording(call: str, recording: RecordingStream | None) -> RecordingStream | None:
    rec = get_data_recording(recording)
    if rec is None:
        warn_once(f"no-recording-{call}", f"rr.{call}(): no recording to log to; call rr.init(...) first")
    return rec


def init(
    application_id: str,
    *,
    recording_id: str | uuid.UUID | None = None,
    spawn: bool = False,
    init_logging: bool = True,
    default_enabled: bool = True,
    strict: bool | None = None,
    default_blueprint: object = None,
    send_properties: bool = True,
) -> None:
    """Start a new global recording named `application_id` (and spawn a viewer if asked).

    As in rerun-sdk, an id starting with `rerun_example_` seeds Python's `random` and numpy's global
    generator with 0 first, so that example scripts log the same data on every run.
    """
    if application_id.startswith("rerun_example_"):
        random.seed(0)
        np.random.seed(0)
    if strict is not None:
        set_strict_mode(strict)
    recording_id = recording_id or os.environ.get("RERUN_RECORDING_ID") or None
    rec = RecordingStream(
        application_id,
        recording_id=recording_id,
        make_default=True,
        default_enabled=default_enabled,
        send_properties=send_properties,
    )
    if spawn:
        rec.spawn()


def new_recording(
    application_id: str,
    *,
    recording_id: str | uuid.UUID | None = None,
    make_default: bool = False,
    make_thread_default: bool = False,
    spawn: bool = False,
    default_enabled: bool = True,
) -> RecordingStream:
    """Older API: create a `RecordingStream`."""
    rec = RecordingStream(
        application_id,
        recording_id=recording_id,
        make_default=make_default,
        make_thread_default=make_thread_default,
        default_enabled=default_enabled,
    )
    if spawn:
        rec.spawn()
    return rec


def log(
    entity_path: str | list[object],
    entity: object,
    *extra: object,
    static: bool = False,
    recording: RecordingStream | None = None,
    strict: bool | None = None,
) -> None:
    """Log archetypes or component batches at `entity_path`."""
    if rec := _recording("log", recording):
        rec.log(entity_path, entity, *extra, static=static, strict=strict)


def send_columns(
    entity_path: str,
    indexes: Iterable[object],
    columns: Iterable[object],
    *,
    recording: RecordingStream | None = None,
    strict: bool | None = None,
) -> None:
    """Log many rows at once, column by column."""
    if rec := _recording("send_columns", recording):
        rec.send_columns(entity_path, indexes, columns, strict=strict)


def set_time(
    timeline: str,
    *,
    recording: RecordingStream | None = None,
    sequence: object = None,
    duration: object = None,
    timestamp: object = None,
) -> None:
    """Set the current time on `timeline` for this thread."""
    if rec := _recording("set_time", recording):
        rec.set_time(timeline, sequence=sequence, duration=duration, timestamp=timestamp)


def set_time_sequence(timeline: str, sequence: int, recording: RecordingStream | None = None) -> None:
    """Older API: `set_time(timeline, sequence=...)`."""
    if rec := _recording("set_time_sequence", recording):
        rec.set_time_sequence(timeline, sequence)


def set_time_seconds(timeline: str, seconds: float, recording: RecordingStream | None = None) -> None:
    """Older API (used by the tutorial): `set_time(timeline, duration=seconds)`."""
    if rec := _recording("set_time_seconds", recording):
        rec.set_time_seconds(timeline, seconds)


def set_time_nanos(timeline: str, nanos: int, recording: RecordingStream | None = None) -> None:
    """Older API: nanoseconds on a duration timeline."""
    if rec := _recording("set_time_nanos", recording):
        rec.set_time_nanos(timeline, nanos)


def disable_timeline(timeline: str, recording: RecordingStream | None = None) -> None:
    """Stop adding `timeline` to this thread's rows."""
    if rec := _recording("disable_timeline", recording):
        rec.disable_timeline(timeline)


def reset_time(recording: RecordingStream | None = None) -> None:
    """Clear every timeline of this thread."""
    if rec := _recording("reset_time", recording):
        rec.reset_time()


def set_log_time_enabled(enabled: bool, recording: RecordingStream | None = None) -> None:
    """Whether rows get the automatic `log_time` timeline."""
    if rec := _recording("set_log_time_enabled", recording):
        rec.set_log_time_enabled(enabled)


def save(
    path: str | os.PathLike,
    default_blueprint: object = None,
    recording: RecordingStream | None = None,
    *,
    write_footer: bool = True,
) -> None:
    """Stream the recording (what was logged before too) into an .rrd file."""
    if rec := _recording("save", recording):
        rec.save(path, default_blueprint, write_footer=write_footer)


def send_blueprint(
    blueprint: object,
    *,
    make_active: bool = True,
    make_default: bool = True,
    recording: RecordingStream | None = None,
) -> None:
    """Send a blueprint (`rerender.blueprint.Blueprint`, a view or a container) for the recording's
    application: written into its .rrd as a blueprint store, with a BlueprintActivationCommand."""
    if rec := _recording("send_blueprint", recording):
        rec.send_blueprint(blueprint, make_active=make_active, make_default=make_default)


def stdout(
    default_blueprint: object = None, recording: RecordingStream | None = None, *, write_footer: bool = True
) -> None:
    """Stream the recording to standard output."""
    if rec := _recording("stdout", recording):
        rec.stdout(default_blueprint, write_footer=write_footer)


def memory_recording(recording: RecordingStream | None = None) -> MemoryRecording | None:
    """Keep the recording in memory and return a handle to its bytes."""
    if rec := _recording("memory_recording", recording):
        return rec.memory_recording()
    return None


def spawn(
    *,
    port: int = 9876,
    connect: bool = True,
    memory_limit: str = "75%",
    server_memory_limit: str = "1GiB",
    hide_welcome_screen: bool = False,
    detach_process: bool = True,
    executable_name: str = "rerun",
    executable_path: str | None = None,
    default_blueprint: object = None,
    recording: RecordingStream | None = None,
) -> None:
    """Start `rerender preview --listen PORT` (no display: a headless `rerender serve` into outputs/) and
    stream to it with `connect`. (rerun-sdk's parameters; those after `memory_limit` are not used.)"""
    if rec := _recording("spawn", recording):
        rec.spawn(port=port, connect=connect, memory_limit=memory_limit)


def connect(addr: str | None = None, *, recording: RecordingStream | None = None, **kwargs: object) -> None:
    """Older name of connect_grpc: streams to the message proxy at `addr` (HOST:PORT, default
    127.0.0.1:9876)."""
    if rec := _recording("connect", recording):
        rec.connect(addr)


def connect_tcp(
    addr: str | None = None, *, recording: RecordingStream | None = None, **kwargs: object
) -> None:
    """Older name of connect_grpc: streams to the message proxy at `addr` (HOST:PORT, default
    127.0.0.1:9876)."""
    if rec := _recording("connect_tcp", recording):
        rec.connect_tcp(addr)


def connect_grpc(
    url: str | None = None, *, default_blueprint: object = None, recording: RecordingStream | None = None
) -> None:
    """Stream the recording to a message proxy (default rerun+http://127.0.0.1:9876/proxy): `rerender
    serve`, `rerender preview`, a Rerun viewer. If it goes away, one warning; other sinks go on."""
    if rec := _recording("connect_grpc", recording):
        rec.connect_grpc(url, default_blueprint=default_blueprint)


def serve_grpc(
    *,
    grpc_port: int | None = None,
    default_blueprint: object = None,
    recording: RecordingStream | None = None,
    server_memory_limit: str = "1GiB",
    newest_first: bool = False,
    cors_allow_origin: list[str] | None = None,
) -> str:
    """Serve the recording from a message proxy in this process until it ends; returns the URL viewers
    connect to. (rerun-sdk's parameters; `newest_first` and `cors_allow_origin` are not used.)"""
    rec = _recording("serve_grpc", recording)
    if rec is None:
        return f"rerun+http://127.0.0.1:{grpc_port or 9876}/proxy"
    return rec.serve_grpc(
        grpc_port=grpc_port, default_blueprint=default_blueprint, server_memory_limit=server_memory_limit
    )


def serve_web(*, recording: RecordingStream | None = None, **kwargs: object) -> None:
    """No web viewer here: warns once."""
    if rec := _recording("serve_web", recording):
        rec.serve_web()


def flush(blocking: bool = True, recording: RecordingStream | None = None) -> None:
    """Write every queued row to the current sink."""
    if rec := _recording("flush", recording):
        rec.flush(blocking)


def disconnect(recording: RecordingStream | None = None) -> None:
    """Flush and close the current sink (files get their footer)."""
    if rec := _recording("disconnect", recording):
        rec.disconnect()


def send_property(name: str, values: object, recording: RecordingStream | None = None) -> None:
    """A custom recording property at `/__properties/<name>`."""
    if rec := _recording("send_property", recording):
        rec.send_property(name, values)


def send_recording_name(name: str, recording: RecordingStream | None = None) -> None:
    """Name the recording."""
    if rec := _recording("send_recording_name", recording):
        rec.send_recording_name(name)


def send_recording_start_time_nanos(nanos: int, recording: RecordingStream | None = None) -> None:
    """Set the recording's start time."""
    if rec := _recording("send_recording_start_time_nanos", recording):
        rec.send_recording_start_time_nanos(nanos)


def new_entity_path(entity_path: list[object]) -> str:
    """An escaped entity path from unescaped parts (each passed through `str`), as rerun-sdk builds it.

    `new_entity_path(["world", 42, "my image!"])` is `"/world/42/my\\ image\\!"`.
    """
    return _entity_path([str(part) for part in entity_path])


def get_recording_id(recording: RecordingStream | None = None) -> str | None:
    """The current recording's id."""
    rec = get_data_recording(recording)
    return rec.recording_id if rec else None


def get_application_id(recording: RecordingStream | None = None) -> str | None:
    """The current recording's application id."""
    rec = get_data_recording(recording)
    return rec.application_id if rec else None


def version() -> str:
    """A version string naming rerender and the rerun-sdk version whose API it follows."""
    from .. import __version__

    return f"rerender {__version__} (rerun-sdk 0.41.0 compatible API, logging only)"


def is_enabled(recording: RecordingStream | None = None) -> bool:
    """Whether the recording logs; False when it was created disabled or there is no recording."""
    rec = get_data_recording(recording)
    return rec.is_enabled() if rec else False


def strict_mode() -> bool:
    """Whether strict mode is on: bad calls raise instead of warning and being dropped."""
    return is_strict_mode()


def set_log_tick_enabled(enabled: bool, recording: RecordingStream | None = None) -> None:
    """Whether rows get the automatic `log_tick` timeline (a per-recording call counter; off by default,
    or set by RERUN_LOG_TICK)."""
    if rec := _recording("set_log_tick_enabled", recording):
        rec.set_log_tick_enabled(enabled)


def shutdown_at_exit(func: _TFunc) -> _TFunc:
    """Decorator: flush and close every recording when `func` returns (for forked processes, which skip
    the at-exit handler)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        finally:
            rerun_shutdown()

    return cast("_TFunc", wrapper)


def set_sinks(
    *sinks: object, default_blueprint: object = None, recording: RecordingStream | None = None
) -> None:
    """Stream to several sinks at once (`rr.FileSink(path)`, `rr.GrpcSink(url)`, `rr.GrpcServerSink()`),
    replacing the current sink."""
    if rec := _recording("set_sinks", recording):
        rec.set_sinks(*sinks, default_blueprint=default_blueprint)


# What rerun-sdk's builtin importers log a file as, by extension (each file at its own entity path).
_FILE_ARCHETYPES = {
    **dict.fromkeys((".png",), ("EncodedImage", "image/png")),
    **dict.fromkeys((".jpg", ".jpeg"), ("EncodedImage", "image/jpeg")),
    ".gif": ("EncodedImage", "image/gif"),
    ".bmp": ("EncodedImage", "image/bmp"),
    **dict.fromkeys((".tif", ".tiff"), ("EncodedImage", "image/tiff")),
    ".webp": ("EncodedImage", "image/webp"),
    ".glb": ("Asset3D", "model/gltf-binary"),
    ".gltf": ("Asset3D", "model/gltf+json"),
    ".obj": ("Asset3D", "model/obj"),
    ".stl": ("Asset3D", "model/stl"),
    ".txt": ("TextDocument", "text/plain"),
    ".md": ("TextDocument", "text/markdown"),
}


def _file_entity_path(file_path: PurePath, prefix: str | None) -> str:
    """rerun's convention: the file's path as given (less its root, `.` and `..`), under the prefix."""
    parts = [p for p in file_path.parts if p not in (".", "..", file_path.anchor)]
    path = _entity_path(parts)
    if prefix:
        return parse_entity_path(prefix).rstrip("/") + path
    return path


def _log_file(
    call: str,
    file_path: str | os.PathLike,
    contents: bytes | None,
    entity_path_prefix: str | None,
    recording: RecordingStream | None,
) -> None:
    rec = _recording(call, recording)
    if rec is None or not rec.is_enabled():
        return
    path = PurePath(file_path)
    kind = _FILE_ARCHETYPES.get(path.suffix.lower())
    if kind is None:
        what = (
            "recordings (.rrd)"
            if path.suffix.lower() in (".rrd", ".rbl")
            else f"{path.suffix or 'such'!r} files"
        )
        return rec._bad_call(
            call,
            f"rerender cannot import {what} yet ({str(file_path)!r}); it imports images "
            "(png, jpeg, gif, bmp, tiff, webp), meshes (glb, gltf, obj, stl) and text (txt, md)",
        )
    try:
        entity = _file_entity_path(path, entity_path_prefix)
        if contents is None:
            contents = Path(file_path).read_bytes()
    except (OSError, EntityPathError) as e:
        return rec._bad_call(call, str(e))
    from . import archetypes

    archetype, media_type = kind
    if archetype == "TextDocument":
        value = archetypes.TextDocument(
            bytes(contents).decode("utf-8", errors="replace"), media_type=media_type
        )
    else:
        value = getattr(archetypes, archetype)(contents=bytes(contents), media_type=media_type)
    # rerun-sdk 0.41's importers log without a time, whatever `static` says: the data is static.
    rec.log(entity, value, static=True)


def log_file_from_path(
    file_path: str | Path,
    *,
    entity_path_prefix: str | None = None,
    static: bool = False,
    recording: RecordingStream | None = None,
) -> None:
    """Log a file as rerun-sdk's builtin importers would: an image as `EncodedImage`, a mesh as
    `Asset3D`, a .txt/.md file as `TextDocument`, at the entity path of the file's path (under
    `entity_path_prefix`). Other kinds (.rrd, videos, point clouds, URDF, MCAP, ...) warn."""
    _log_file("log_file_from_path", file_path, None, entity_path_prefix, recording)


def log_file_from_contents(
    file_path: str | Path,
    file_contents: bytes,
    *,
    entity_path_prefix: str | None = None,
    static: bool = False,
    recording: RecordingStream | None = None,
) -> None:
    """`log_file_from_path` for a file's contents already in memory (`file_path` names its kind and
    entity path; it is not read)."""
    _log_file("log_file_from_contents", file_path, file_contents, entity_path_prefix, recording)


__all__ = [
    "RECORDING_PROPERTIES_PATH",
    "ChunkBatcherConfig",
    "FileSink",
    "GrpcServerSink",
    "GrpcSink",
    "RecordingStream",
    "cleanup_if_forked_child",
    "connect",
    "connect_grpc",
    "connect_tcp",
    "disable_timeline",
    "disconnect",
    "escape_entity_path_part",
    "flush",
    "get_application_id",
    "get_data_recording",
    "get_global_data_recording",
    "get_recording_id",
    "get_thread_local_data_recording",
    "init",
    "is_enabled",
    "log",
    "log_file_from_contents",
    "log_file_from_path",
    "memory_recording",
    "new_entity_path",
    "new_recording",
    "recording_stream_generator_ctx",
    "rerun_shutdown",
    "reset_time",
    "save",
    "script_add_args",
    "script_setup",
    "script_teardown",
    "send_blueprint",
    "send_columns",
    "send_property",
    "send_recording_name",
    "send_recording_start_time_nanos",
    "serve_grpc",
    "serve_web",
    "set_global_data_recording",
    "set_log_tick_enabled",
    "set_log_time_enabled",
    "set_sinks",
    "set_strict_mode",
    "set_thread_local_data_recording",
    "set_time",
    "set_time_nanos",
    "set_time_seconds",
    "set_time_sequence",
    "shutdown_at_exit",
    "spawn",
    "stdout",
    "strict_mode",
    "thread_local_stream",
    "unregister_shutdown",
    "version",
]
