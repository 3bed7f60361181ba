"""A fuzz target for the RRD reader and the mutations that feed it, shared by the test suite and
`benchmarks/fuzz_rrd.py`.

The contract checked: any bytes either read (warnings only of the `RrdWarning` kind) or raise an
`RrdError`; nothing else escapes, nothing takes long, and a declared length is never allocated before it
is checked against the bytes actually there. Both ways in are exercised: the streaming reader (every
message, every chunk decoded and its cells touched) and the footer index a file's last bytes point at.
"""

from __future__ import annotations

import io
import random
import struct
import time
import traceback
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .codec import decode_chunk_at
from .errors import RrdError, RrdWarning
from .footer import read_footer_index
from .messages import ArrowMsg, MessageKind
from .protobuf import encode_varint
from .reader import MESSAGE_HEADER_SIZE, STREAM_HEADER_SIZE, RrdReader

# Lengths a damaged or hostile file may declare; 2**60 is the figure.
HUGE_LENGTHS = (2**31 - 1, 2**32 + 7, 2**40, 2**60, 2**63 - 1, 2**64 - 1)
# An input that takes longer than this is reported as a hang (the samples read in milliseconds).
SLOW_SECONDS = 2.0


@dataclass(frozen=True)
class Verdict:
    """What one input did: `outcome` is "ok", "warning" or the RrdError class raised; `crash` is set
    (exception type, message and traceback) when the contract was broken."""

    outcome: str
    seconds: float
    crash: str | None = None


def check_rrd(data: bytes, scratch: Path | None = None) -> Verdict:
    """Run `data` through the streaming reader and, when `scratch` (a file path to overwrite) is given,
    through the footer index too."""
    started = time.perf_counter()
    outcome = "ok"
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            outcome = _read_stream(data)
            if scratch is not None:
                scratch.write_bytes(data)
                _read_footer(scratch)
        foreign = [w for w in caught if not issubclass(w.category, RrdWarning)]
        if foreign:
            w = foreign[0]
            return _crash(started, f"{w.category.__name__} (not an RrdWarning): {w.message}")
        if caught and outcome == "ok":
            outcome = "warning"
    except RrdError as e:
        outcome = type(e).__name__
    except BaseException as e:  # anything else, MemoryError included, breaks the contract
        if isinstance(e, KeyboardInterrupt):
            raise
        return _crash(started, "".join(traceback.format_exception(e)))
    seconds = time.perf_counter() - started
    if seconds > SLOW_SECONDS:
        return Verdict(outcome, seconds, f"took {seconds:.1f} s (limit {SLOW_SECONDS} s)")
    return Verdict(outcome, seconds)


def _crash(started: float, what: str) -> Verdict:
    return Verdict("crash", time.perf_counter() - started, what)


def _read_stream(data: bytes) -> str:
    # Buffered like a file: its read(n) allocates n bytes up front, so a trusted length shows.
    stream = io.BufferedReader(io.BytesIO(data))
    with RrdReader(stream, name="fuzz.rrd") as reader:
        for frame in reader:
            if frame.kind == MessageKind.ARROW_MSG:
                _touch(frame.chunk)
    return "ok"


def _read_footer(path: Path) -> None:
    index = read_footer_index(path)
    if index is None:
        return
    data = path.read_bytes()
    for manifest in index.manifests.values():
        for entry in manifest.chunks():
            # read_footer_index promised every chunk lies inside the file.
            payload = data[entry.byte_offset : entry.byte_offset + entry.byte_size]
            if len(payload) != entry.byte_size:
                raise AssertionError(f"manifest points past the end of the file: {entry}")
            try:
                message = ArrowMsg.decode(payload)
            except ValueError:
                continue  # what the store reports as a CorruptMessageError
            _touch(decode_chunk_at(message, str(path), entry.byte_offset))


def _touch(chunk) -> None:
    """Use every cell, as a renderer would: wrong data is fine, a crash is not."""
    for desc in chunk.components:
        column = chunk.component(desc)
        try:
            column.to_pylist()
        except OverflowError:
            # A duration or timestamp beyond Python's datetime range: a limit of to_pylist, not ours.
            if "duration" not in str(column.type) and "timestamp" not in str(column.type):
                raise
    for name in chunk.timelines:
        chunk.time_range(name)


# -- mutations -------------------------------------------------------------------------------------


def mutate(data: bytes, corpus: Sequence[bytes], rng: random.Random) -> bytes:
    """One to four random mutations of `data`: byte flips, truncations, splices with another corpus
    file, huge declared lengths (in a message header or as a protobuf varint), duplicated or deleted
    ranges."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        out = _MUTATIONS[rng.randrange(len(_MUTATIONS))](out, corpus, rng)
    return bytes(out)


def _flip(data: bytearray, corpus: Sequence[bytes], rng: random.Random) -> bytearray:
    if data:
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= rng.randint(1, 255)
    return data


def _truncate(data: bytearray, corpus: Sequence[bytes], rng: random.Random) -> bytearray:
    return data[: rng.randint(0, len(data))]


def _splice(data: bytearray, corpus: Sequence[bytes], rng: random.Random) -> bytearray:
    other = corpus[rng.randrange(len(corpus))]
    return data[: rng.randint(0, len(data))] + other[rng.randint(0, len(other)) :]


def _header_length(data: bytearray, corpus: Sequence[bytes], rng: random.Random) -> bytearray:
    """Overwrite a message header's length word (the headers found by walking the framing)."""
    headers = message_header_offsets(bytes(data))
    if headers:
        at = rng.choice(headers)
        struct.pack_into("<Q", data, at + 8, rng.choice(HUGE_LENGTHS))
    return data


def _varint_length(data: bytearray, corpus: Sequence[bytes], rng: random.Random) -> bytearray:
    """A huge varint written over or inserted into the bytes: in a protobuf, a LEN field's length."""
    at = rng.randint(0, len(data))
    varint = encode_varint(rng.choice(HUGE_LENGTHS) & (2**64 - 1))
    if rng.random() < 0.5:
        return data[:at] + varint + data[at:]
    return data[:at] + varint + data[at + len(varint) :]


def _duplicate(data: bytearray, corpus: Sequence[bytes], rng: random.Random) -> bytearray:
    start = rng.randint(0, len(data))
    end = min(len(data), start + rng.randint(1, 256))
    return data[:end] + data[start:end] + data[end:]


def _delete(data: bytearray, corpus: Sequence[bytes], rng: random.Random) -> bytearray:
    start = rng.randint(0, len(data))
    return data[:start] + data[start + rng.randint(1, 64) :]


_MUTATIONS = (_flip, _flip, _truncate, _splice, _header_length, _varint_length, _duplicate, _delete)


def message_header_offsets(data: bytes) -> list[int]:
    """Where the 16-byte message headers of the first stream start (walking lengths until they fail)."""
    offsets = []
    pos = STREAM_HEADER_SIZE
    while pos + MESSAGE_HEADER_SIZE <= len(data):
        kind, length = struct.unpack_from("<QQ", data, pos)
        if kind > MessageKind.BLUEPRINT_ACTIVATION:
            break
        offsets.append(pos)
        pos += MESSAGE_HEADER_SIZE + length
    return offsets


def load_corpus(paths: Sequence[Path]) -> list[bytes]:
    """The bytes of every `.rrd` file under the given files or folders."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.rrd")) if path.is_dir() else [path])
    return [f.read_bytes() for f in files]
