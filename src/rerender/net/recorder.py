"""One client stream's recordings written to .rrd files as their messages arrive.

Each recording store gets `OUT/<application_id>-<recording_id>.rrd`. Blueprint stores go into every
recording file of their application in the same stream (what `rr.save` puts in one file), replayed into
files that open later; a stream that sends only a blueprint gets a file of its own. Every message is
flushed to the OS as it is written, so a file reads up to its last message at any moment (rerun's
`rrd print`/`compare` and our reader accept it); `close()` adds the footer `rerun rrd verify` requires.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..rrd import ArrowMsg, BlueprintActivationCommand, Chunk, MessageKind, StoreId, StoreInfo, StoreKind
from ..rrd.codec import decode_chunk
from ..rrd.writer import RrdWriter
from .convert import RrdMessage

# A stream's blueprint messages are kept to replay into its later recordings; past this they are refused.
MAX_BLUEPRINT_BYTES = 64 << 20
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class BadMessageError(ValueError):
    """A message that does not decode; the stream that sent it is ended."""


@dataclass(frozen=True)
class FinishedRecording:
    """A recording file closed with its footer."""

    path: Path
    chunks: int
    bytes_written: int


class FileNames:
    """Hands out recording file paths, unique for the server's lifetime (a recording id seen again, e.g.
    after a reconnect, gets `-2`, `-3`... rather than overwriting the first file). Thread-safe."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._claimed: dict[Path, None] = {}  # in claim order
        self._lock = threading.Lock()

    def paths(self) -> list[Path]:
        """Every path handed out so far, in order."""
        with self._lock:
            return list(self._claimed)

    def claim(self, store_id: StoreId) -> Path:
        """A fresh path for this store's file."""
        stem = f"{_safe(store_id.application_id or 'unknown')}-{_safe(store_id.recording_id)}"
        with self._lock:
            path, n = self.out_dir / f"{stem}.rrd", 1
            while path in self._claimed:
                n += 1
                path = self.out_dir / f"{stem}-{n}.rrd"
            self._claimed[path] = None
            return path


@dataclass
class _OpenFile:
    path: Path
    writer: RrdWriter
    chunks: int = 0


@dataclass
class _Decoded:
    message: RrdMessage
    decoded: StoreInfo | ArrowMsg | BlueprintActivationCommand
    chunk: Chunk | None = None


@dataclass
class StreamRecorder:
    """Writes the recordings of one client stream; not thread-safe (one handler thread owns it)."""

    names: FileNames
    _files: dict[StoreId, _OpenFile] = field(default_factory=dict)
    _blueprints: list[_Decoded] = field(default_factory=list)
    _blueprint_bytes: int = 0

    @property
    def paths(self) -> list[Path]:
        """The files this stream is writing."""
        return [f.path for f in self._files.values()]

    def write(self, message: RrdMessage) -> None:
        """Route one message to its file(s); BadMessageError if it does not decode."""
        item = _decode(message)
        if message.store_id.kind == StoreKind.BLUEPRINT:
            self._blueprint_bytes += len(message.payload)
            if self._blueprint_bytes > MAX_BLUEPRINT_BYTES:
                raise BadMessageError(f"more than {MAX_BLUEPRINT_BYTES >> 20} MiB of blueprint messages")
            self._blueprints.append(item)
            for store_id, file in self._files.items():
                if store_id.application_id == message.store_id.application_id:
                    _write(file, item)
            return
        file = self._files.get(message.store_id)
        if file is None:
            file = self._open(message.store_id)
            for blueprint in self._blueprints:
                if blueprint.message.store_id.application_id == message.store_id.application_id:
                    _write(file, blueprint)
        _write(file, item)

    def _open(self, store_id: StoreId) -> _OpenFile:
        path = self.names.claim(store_id)
        file = self._files[store_id] = _OpenFile(path, RrdWriter(path))
        return file

    def close(self) -> list[FinishedRecording]:
        """Footer and close every file (a blueprint nobody's recording took gets its own file first)."""
        apps = {store_id.application_id for store_id in self._files}
        for blueprint in self._blueprints:
            store_id = blueprint.message.store_id
            if store_id.application_id in apps:
                continue
            file = self._files.get(store_id) or self._open(store_id)
            _write(file, blueprint)
        finished = []
        for file in self._files.values():
            file.writer.close()
            finished.append(FinishedRecording(file.path, file.chunks, file.writer.bytes_written))
        self._files.clear()
        return finished


def _decode(message: RrdMessage) -> _Decoded:
    try:
        if message.kind == MessageKind.SET_STORE_INFO:
            return _Decoded(message, StoreInfo.decode(message.payload))
        if message.kind == MessageKind.ARROW_MSG:
            arrow = ArrowMsg.decode(message.payload)
            # Decoded for the footer manifest (and to refuse a damaged chunk before it reaches the file).
            return _Decoded(message, arrow, decode_chunk(arrow))
        return _Decoded(message, BlueprintActivationCommand.decode(message.payload))
    except Exception as e:  # protobuf, LZ4 and Arrow errors on damaged data share no base class
        raise BadMessageError(f"{message.kind.name} does not decode ({type(e).__name__}: {e})") from None


def _write(file: _OpenFile, item: _Decoded) -> None:
    writer, decoded = file.writer, item.decoded
    if isinstance(decoded, StoreInfo):
        writer.write_store_info(decoded)
    elif isinstance(decoded, ArrowMsg):
        assert item.chunk is not None
        writer.write_chunk(decoded.store_id, item.chunk, encoded=decoded, encoded_bytes=item.message.payload)
        file.chunks += 1
    else:
        writer.write_blueprint_activation(decoded)


def _safe(text: str) -> str:
    """A file-name-safe form of an id (path separators and the like become `_`), at most 100 chars."""
    return _UNSAFE.sub("_", text)[:100] or "_"
