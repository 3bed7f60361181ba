"""Damaged input: every problem is an RrdError naming file, offset and expectation, or an RrdWarning.

Truncation anywhere keeps every complete message before the cut; a cut exactly after a complete
message is a valid footer-less file (rerun-sdk 0.41 `write_footer=False`); flipped bytes never escape
as anything but success, an RrdError or an RrdWarning; the CLI turns all of it into one `Error:` line.
"""

from __future__ import annotations

import dataclasses
import io
import json
import struct
import subprocess
import sys
import time
import tracemalloc
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyarrow as pa
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rerender.cli import main
from rerender.rrd import (
    ArrowMsg,
    Chunk,
    Compression,
    CorruptMessageError,
    MessageKind,
    NotAnRrdError,
    RrdError,
    RrdReader,
    RrdWarning,
    TruncatedError,
    UnsupportedVersionError,
)
from rerender.rrd.codec import compress, encode_ipc_stream

DATA = Path(__file__).parent / "data"
P3D = DATA / "points3d.rrd"  # rerun-sdk 0.41: footer + stream footer
LEGACY_P3D = DATA / "legacy_0.27.3" / "points3d.rrd"  # 0.27.3: empty End message, no stream footer
LEGACY_TF = DATA / "legacy_0.27.3" / "transform3d.rrd"

STREAM_HEADER = 12
MESSAGE_HEADER = 16
STREAM_FOOTER = 32


# -- helpers --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Msg:
    """One message of an intact sample, as laid out in the file."""

    kind: MessageKind
    offset: int  # where its 16-byte header starts
    length: int  # payload bytes

    @property
    def end(self) -> int:
        return self.offset + MESSAGE_HEADER + self.length


@dataclass
class Outcome:
    """Everything a full read produced (chunks decoded), plus every RrdWarning issued."""

    kinds: list[MessageKind]
    chunks: list[Chunk]
    truncated: bool
    has_footer: bool
    versions: list[tuple[int, int, int]]
    footers: list[bool]
    warnings: list[str] = field(default_factory=list)


@cache
def _bytes(path: Path) -> bytes:
    return path.read_bytes()


@cache
def _layout(path: Path) -> tuple[Msg, ...]:
    with RrdReader(path) as reader:
        return tuple(Msg(f.kind, f.offset, f.length) for f in reader)


def _read(source, **kwargs) -> Outcome:
    """Read every frame and decode every chunk; any warning other than RrdWarning fails the test."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with RrdReader(source, **kwargs) as reader:
            frames = list(reader)
            chunks = [f.chunk for f in frames if f.kind == MessageKind.ARROW_MSG]
    others = [w for w in caught if not issubclass(w.category, RrdWarning)]
    assert not others, [f"{w.category.__name__}: {w.message}" for w in others]
    return Outcome(
        kinds=[f.kind for f in frames],
        chunks=chunks,
        truncated=reader.truncated,
        has_footer=reader.has_footer,
        versions=[(s.version.major, s.version.minor, s.version.patch) for s in reader.streams],
        footers=[f is not None and bool(f.manifests) for f in reader.footers],
        warnings=[str(w.message) for w in caught],
    )


@cache
def _intact(path: Path) -> Outcome:
    outcome = _read(path)
    assert not outcome.warnings and not outcome.truncated
    return outcome


def _assert_same_chunks(got: list[Chunk], want: list[Chunk]) -> None:
    assert [c.id for c in got] == [c.id for c in want]
    for g, w in zip(got, want, strict=True):
        assert g.entity_path == w.entity_path
        assert g.batch.equals(w.batch), g.entity_path


def _assert_error(error: RrdError, path, offset: int) -> None:
    """The documented contract: the message names the file, the byte offset and what was expected."""
    assert error.source == str(path)
    assert error.offset == offset
    assert error.expected
    text = str(error)
    assert str(path) in text
    assert f"at byte {offset}" in text
    assert error.expected in text


def _without_footer(path: Path) -> bytes:
    """The sample as `rr.save(..., write_footer=False)` writes it: it ends after the last data message."""
    end = next(m for m in _layout(path) if m.kind == MessageKind.END)
    return _bytes(path)[: end.offset]


def _splice(data: bytes, msg: Msg, payload: bytes) -> bytes:
    """`data` with one message's payload replaced (its header's length updated)."""
    header = struct.pack("<QQ", int(msg.kind), len(payload))
    return data[: msg.offset] + header + payload + data[msg.end :]


def _arrow_msgs(path: Path) -> list[Msg]:
    return [m for m in _layout(path) if m.kind == MessageKind.ARROW_MSG]


def _decoded_message(path: Path, msg: Msg) -> ArrowMsg:
    with RrdReader(path) as reader:
        return next(f.message for f in reader if f.offset == msg.offset)


# -- not an RRD, unsupported versions ---------------------------------------------------------------


def test_error_family() -> None:
    for cls in (NotAnRrdError, UnsupportedVersionError, CorruptMessageError, TruncatedError):
        assert issubclass(cls, RrdError)
    assert issubclass(RrdWarning, Warning)
    assert not issubclass(RrdError, (ValueError, OSError))  # callers catch RrdError, nothing broader


@pytest.mark.parametrize("as_stream", [False, True], ids=["path", "named-stream"])
def test_empty_file_is_not_an_rrd(tmp_path: Path, as_stream: bool) -> None:
    path = tmp_path / "empty.rrd"
    path.write_bytes(b"")
    source = io.BytesIO(b"") if as_stream else path
    with pytest.raises(NotAnRrdError) as info, RrdReader(source, name=str(path)) as reader:
        list(reader)
    _assert_error(info.value, path, 0)
    assert "empty file" in str(info.value)


NOT_RRD = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40),
    "text": b"time,x,y\n0,1.0,2.0\n1,1.5,2.5\n",
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(30),
    "RRF3": b"RRF3" + _bytes(P3D)[4:],
    "lowercase rrf2": b"rrf2" + _bytes(P3D)[4:],
    "1 byte": b"R",
    "3 bytes of magic": b"RRF",
    "nul bytes": bytes(64),
}


@pytest.mark.parametrize("content", NOT_RRD.values(), ids=NOT_RRD.keys())
def test_wrong_magic_is_not_an_rrd(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "input.rrd"
    path.write_bytes(content)
    with pytest.raises(NotAnRrdError) as info, RrdReader(path) as reader:
        list(reader)
    _assert_error(info.value, path, 0)
    assert "RRF2" in info.value.expected


def _with_header(magic: bytes = b"RRF2", version=(0, 41, 0, 0), compression=1, serializer=2) -> bytes:
    header = magic + bytes(version) + bytes([compression, serializer]) + b"\0\0"
    assert len(header) == STREAM_HEADER
    return header + _bytes(P3D)[STREAM_HEADER:]


UNSUPPORTED = {
    "RRF0": (_with_header(magic=b"RRF0"), 0),
    "RRF1": (_with_header(magic=b"RRF1"), 0),
    "MsgPack serializer": (_with_header(serializer=1), 9),
    "unknown serializer": (_with_header(serializer=7), 9),
    "Rerun 0.22.0": (_with_header(version=(0, 22, 0, 0)), 4),
    "Rerun 0.22.1-rc.2": (_with_header(version=(0, 22, 1, 0x42)), 4),
    "Rerun 0.22 with an invalid meta byte": (_with_header(version=(0, 22, 0, 5)), 4),
    "version 0.0.0 (read as 0.2.0)": (_with_header(version=(0, 0, 0, 0)), 4),
}


@pytest.mark.parametrize(("content", "offset"), UNSUPPORTED.values(), ids=UNSUPPORTED.keys())
def test_unsupported_format_or_version(tmp_path: Path, content: bytes, offset: int) -> None:
    path = tmp_path / "old.rrd"
    path.write_bytes(content)
    with pytest.raises(UnsupportedVersionError) as info, RrdReader(path) as reader:
        list(reader)
    _assert_error(info.value, path, offset)


def test_oldest_supported_version_reads() -> None:
    outcome = _read(_with_header(version=(0, 23, 0, 0)))
    assert outcome.versions == [(0, 23, 0)]
    assert not outcome.warnings
    _assert_same_chunks(outcome.chunks, _intact(P3D).chunks)


@pytest.mark.parametrize("version", [(0, 42, 0, 0), (1, 41, 0, 0), (0, 99, 1, 0x41), (0, 42, 0, 5)], ids=str)
def test_newer_version_warns_and_reads(version) -> None:
    outcome = _read(_with_header(version=version), name="new.rrd")
    assert len(outcome.warnings) == 1
    assert "new.rrd" in outcome.warnings[0]
    assert not outcome.truncated
    _assert_same_chunks(outcome.chunks, _intact(P3D).chunks)


def test_nonzero_reserved_header_bytes(tmp_path: Path) -> None:
    path = tmp_path / "reserved.rrd"
    path.write_bytes(_bytes(P3D)[:10] + b"\x01\x00" + _bytes(P3D)[12:])
    with pytest.raises(RrdError) as info, RrdReader(path) as reader:
        list(reader)
    _assert_error(info.value, path, 10)


# -- truncation ---------------------------------------------------------------------------------------


def _cut_cases(path: Path) -> list:
    """(sample, cut length, offset the warning must name, or None for a clean cut), with readable ids.

    Clean: right after the stream header, after any complete message, after an *empty* End message,
    and after the stream footer. Damaged: inside a header or payload, and after a non-empty End
    (its stream footer must follow).
    """
    cases = []

    def add(label: str, cut: int, damaged_at: int | None) -> None:
        tag = "clean" if damaged_at is None else "damaged"
        cases.append(pytest.param(path, cut, damaged_at, id=f"{path.parent.name}/{path.stem}:{label}:{tag}"))

    for cut in (4, 5, 11):
        add(f"stream-header+{cut}", cut, 0)
    add("after-stream-header", STREAM_HEADER, None)
    for i, m in enumerate(_layout(path)):
        name = f"msg{i}-{m.kind.name}"
        for d in (1, 8, 15):
            add(f"{name}-header+{d}", m.offset + d, m.offset)
        for d in sorted({0, 1, m.length // 2, m.length - 1} & set(range(m.length))):
            add(f"{name}-payload+{d}", m.offset + MESSAGE_HEADER + d, m.offset)
        if m.kind == MessageKind.END and m.length:
            add(f"{name}-complete-without-stream-footer", m.end, m.end)
            for d in (1, 20, 27, 31):
                add(f"stream-footer+{d}", m.end + d, m.end)
            add("whole-file", m.end + STREAM_FOOTER, None)
        else:
            add(f"{name}-complete", m.end, None)
    return cases


@pytest.mark.parametrize(("sample", "cut", "damaged_at"), _cut_cases(P3D) + _cut_cases(LEGACY_P3D))
def test_cut_file_keeps_every_complete_message(
    tmp_path: Path, sample: Path, cut: int, damaged_at: int | None
) -> None:
    path = tmp_path / f"cut_{cut}.rrd"
    path.write_bytes(_bytes(sample)[:cut])
    complete = sum(1 for m in _layout(sample) if m.end <= cut)
    intact = _intact(sample)
    want_chunks = intact.chunks[: intact.kinds[:complete].count(MessageKind.ARROW_MSG)]

    outcome = _read(path)
    assert outcome.kinds == intact.kinds[:complete]
    _assert_same_chunks(outcome.chunks, want_chunks)
    if damaged_at is None:
        assert outcome.warnings == []
        assert not outcome.truncated
    else:
        assert len(outcome.warnings) == 1, outcome.warnings
        assert str(path) in outcome.warnings[0]
        assert f"byte {damaged_at}" in outcome.warnings[0]
        assert outcome.truncated

    # strict: the same complete messages come out first, then TruncatedError (or nothing if clean)
    frames = []
    with RrdReader(path, strict=True) as reader:
        if damaged_at is None:
            frames.extend(reader)
        else:
            with pytest.raises(TruncatedError) as info:
                frames.extend(reader)
            _assert_error(info.value, path, damaged_at)
    assert [f.kind for f in frames] == intact.kinds[:complete]


def test_footerless_file_is_not_truncated() -> None:
    """What rerun-sdk 0.41 writes with `write_footer=False`: no End message, no stream footer."""
    outcome = _read(_without_footer(P3D))
    assert not outcome.warnings and not outcome.truncated
    assert not outcome.has_footer
    _assert_same_chunks(outcome.chunks, _intact(P3D).chunks)


@pytest.mark.parametrize("sample", [P3D, LEGACY_TF], ids=lambda p: p.stem)
@pytest.mark.parametrize("length", [2**32 + 83, 2**40 - 1, 2**40 + 83, 2**63, 2**64 - 1], ids=hex)
def test_absurd_length_field_reads_what_is_there(tmp_path: Path, sample: Path, length: int) -> None:
    """A damaged length must not make the reader allocate what it claims: it is reported as truncation."""
    target = _arrow_msgs(sample)[1]
    data = bytearray(_bytes(sample))
    struct.pack_into("<Q", data, target.offset + 8, length)
    path = tmp_path / "long.rrd"
    path.write_bytes(data)
    tracemalloc.start()
    try:
        outcome = _read(path)  # a file path: a buffered read(n) allocates n bytes up front
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20
    assert outcome.truncated
    assert len(outcome.warnings) == 1 and f"byte {target.offset}" in outcome.warnings[0]
    _assert_same_chunks(outcome.chunks, _intact(sample).chunks[:1])
    with pytest.raises(TruncatedError) as info, RrdReader(path, strict=True) as reader:
        list(reader)
    _assert_error(info.value, path, target.offset)


# -- corrupt messages -------------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(len(_layout(P3D))), ids=lambda i: _layout(P3D)[i].kind.name)
def test_damaged_protobuf_is_corrupt_message_error(tmp_path: Path, index: int) -> None:
    msg = _layout(P3D)[index]
    data = bytearray(_bytes(P3D))
    data[msg.offset + MESSAGE_HEADER] = 0  # a protobuf key with field number 0 is never valid
    path = tmp_path / "bad_protobuf.rrd"
    path.write_bytes(data)
    frames = []
    with pytest.raises(CorruptMessageError) as info, RrdReader(path) as reader:
        frames.extend(reader)
    _assert_error(info.value, path, msg.offset)
    assert "protobuf" in info.value.expected
    assert [f.kind for f in frames] == _intact(P3D).kinds[:index]


def _bad_offsets_ipc(chunk: Chunk) -> bytes:
    """The chunk as Arrow IPC with one list offset pointing far outside the values (not monotonic)."""
    batch = chunk.batch
    i = next(i for i in range(1, batch.num_columns) if pa.types.is_list(batch.column(i).type))
    column = batch.column(i)
    assert len(column) >= 2
    offsets = column.offsets.to_numpy().astype("<i4")
    offsets[1] = 1_000_000
    broken = pa.Array.from_buffers(
        column.type,
        len(column),
        [column.buffers()[0], pa.py_buffer(offsets.tobytes())],
        children=[column.values],
    )
    columns = [*batch.columns[:i], broken, *batch.columns[i + 1 :]]
    return encode_ipc_stream(pa.RecordBatch.from_arrays(columns, schema=batch.schema))


def _chunk_damage(kind: str, msg: ArrowMsg, chunk: Chunk) -> ArrowMsg:
    if kind == "LZ4 garbage":
        return dataclasses.replace(msg, payload=b"\xff" * 200)
    if kind == "uncompressed size off by one":
        return dataclasses.replace(msg, uncompressed_size=msg.uncompressed_size + 1)
    if kind == "uncompressed size 2 GiB":
        return dataclasses.replace(msg, uncompressed_size=2**31 - 1)
    if kind == "uncompressed size 2**62":
        return dataclasses.replace(msg, uncompressed_size=2**62)
    if kind == "unknown encoding":
        return dataclasses.replace(msg, encoding=7)
    if kind == "not Arrow IPC":
        return dataclasses.replace(msg, compression=Compression.NONE, payload=b"not arrow" * 9)
    if kind == "chunk without entity path":
        batch = chunk.batch.replace_schema_metadata({"rerun:id": str(chunk.id)})
        ipc = encode_ipc_stream(batch)
        return dataclasses.replace(msg, payload=compress(ipc, msg.compression), uncompressed_size=len(ipc))
    ipc = _bad_offsets_ipc(chunk)
    compression = Compression.LZ4 if kind == "bad list offsets (LZ4)" else Compression.NONE
    return dataclasses.replace(
        msg, compression=compression, payload=compress(ipc, compression), uncompressed_size=len(ipc)
    )


CHUNK_DAMAGE = [
    "LZ4 garbage",
    "uncompressed size off by one",
    "uncompressed size 2 GiB",
    "uncompressed size 2**62",
    "unknown encoding",
    "not Arrow IPC",
    "chunk without entity path",
    "bad list offsets (uncompressed)",
    "bad list offsets (LZ4)",
]


@pytest.mark.parametrize("damage", CHUNK_DAMAGE)
def test_damaged_chunk_is_corrupt_message_error(tmp_path: Path, damage: str) -> None:
    """Decode errors surface from `frame.chunk` as CorruptMessageError; the other chunks still read."""
    target = _arrow_msgs(P3D)[-1]  # /points, 3 rows
    intact = _intact(P3D)
    damaged = _chunk_damage(damage, _decoded_message(P3D, target), intact.chunks[-1])
    path = tmp_path / "bad_chunk.rrd"
    path.write_bytes(_splice(_without_footer(P3D), target, damaged.encode()))

    tracemalloc.start()
    try:
        with RrdReader(path) as reader:
            frames = [f for f in reader if f.kind == MessageKind.ARROW_MSG]
            good = [f.chunk for f in frames[:-1]]
            with pytest.raises(CorruptMessageError) as info:
                frames[-1].chunk  # noqa: B018 (decoding is the point)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20  # a damaged size field must not allocate what it claims
    _assert_error(info.value, path, target.offset + MESSAGE_HEADER)
    _assert_same_chunks(good, intact.chunks[:-1])
    assert not reader.truncated


@pytest.mark.parametrize(
    "where",
    ["crc", "footer length", "footer start", "footer payload"],
)
def test_stream_footer_mismatch_warns_and_keeps_data(tmp_path: Path, where: str) -> None:
    data = bytearray(_bytes(P3D))
    end = next(m for m in _layout(P3D) if m.kind == MessageKind.END)
    footer_at = len(data) - STREAM_FOOTER
    flip = {
        "crc": footer_at + 16,
        "footer length": footer_at + 8,
        "footer start": footer_at,
        "footer payload": end.offset + MESSAGE_HEADER + end.length // 2,
    }[where]
    data[flip] ^= 0x01
    path = tmp_path / "footer.rrd"
    path.write_bytes(data)
    outcome = _read(path)
    assert len(outcome.warnings) == 1
    assert str(path) in outcome.warnings[0] and f"byte {footer_at}" in outcome.warnings[0]
    assert not outcome.truncated
    assert outcome.kinds == _intact(P3D).kinds
    _assert_same_chunks(outcome.chunks, _intact(P3D).chunks)


JUNK = {
    # suffix: outcome after a stream with its stream footer, after a footer-less stream
    "16 junk bytes": (b"\xff" * 16, "error", "error"),
    "message kind 7": (b"\x07" + bytes(15), "error", "error"),
    "5 junk bytes": (b"\xff" * 5, "error", "truncated"),  # footer-less: could be a cut message header
    "partial next magic": (b"RRF", "truncated", "truncated"),
}


@pytest.mark.parametrize("footer", [True, False], ids=["with-footer", "footerless"])
@pytest.mark.parametrize("case", JUNK.keys())
def test_bytes_after_the_last_message(tmp_path: Path, case: str, footer: bool) -> None:
    """Whatever follows a complete stream is read as another stream: junk is an error or a truncation."""
    suffix, after_footer, after_footerless = JUNK[case]
    base = _bytes(P3D) if footer else _without_footer(P3D)
    path = tmp_path / "junk.rrd"
    path.write_bytes(base + suffix)
    if (after_footer if footer else after_footerless) == "error":
        frames = []
        with pytest.raises(CorruptMessageError) as info, RrdReader(path) as reader:
            frames.extend(reader)
        _assert_error(info.value, path, len(base))
        assert len(frames) == len(_intact(P3D).kinds) - (0 if footer else 1)
    else:
        outcome = _read(path)
        assert outcome.truncated and len(outcome.warnings) == 1
        assert f"byte {len(base)}" in outcome.warnings[0]
        _assert_same_chunks(outcome.chunks, _intact(P3D).chunks)


# -- flipped bytes ------------------------------------------------------------------------------------


def _reads_or_reports(data: bytes, where: str) -> str:
    """Read all of `data` (chunks decoded, cells touched); anything but success/RrdError/RrdWarning fails."""
    stream = io.BufferedReader(io.BytesIO(data))  # buffered, like a file: read(n) allocates n bytes
    started = time.perf_counter()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with RrdReader(stream, name="flipped.rrd") as reader:
                for frame in reader:
                    if frame.kind == MessageKind.ARROW_MSG:
                        chunk = frame.chunk
                        for desc in chunk.components:
                            chunk.component(desc).to_pylist()  # wrong data is fine, a crash is not
                        for name in chunk.timelines:
                            chunk.time_range(name)
        outcome = "warning" if caught else "ok"
        others = [f"{w.category.__name__}: {w.message}" for w in caught if w.category is not RrdWarning]
        assert not others, f"{where}: {others}"
        for w in caught:
            assert "flipped.rrd" in str(w.message), f"{where}: {w.message}"
    except RrdError as e:
        assert e.source == "flipped.rrd" and e.offset is not None and e.expected, f"{where}: {e!r}"
        assert 0 <= e.offset <= len(data), f"{where}: {e}"
        outcome = type(e).__name__
    except Exception as e:
        pytest.fail(f"{where}: {type(e).__name__}: {e}")
    assert time.perf_counter() - started < 2.0, f"{where}: reading took too long"
    return outcome


def _structural_offsets(path: Path, prefix: int = 2048) -> list[int]:
    """Every byte of the first `prefix` bytes, of every message header, and of the stream footer."""
    size = len(_bytes(path))
    offsets = set(range(min(prefix, size)))
    for m in _layout(path):
        offsets.update(range(m.offset, m.offset + MESSAGE_HEADER))
        if m.kind == MessageKind.END and m.length:
            offsets.update(range(m.end, size))
    return sorted(offsets)


@pytest.mark.parametrize("sample", [P3D, LEGACY_TF], ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_structural_byte_flipped(sample: Path) -> None:
    data = _bytes(sample)
    seen = {}
    for offset in _structural_offsets(sample):
        damaged = bytearray(data)
        damaged[offset] ^= 0xFF
        outcome = _reads_or_reports(bytes(damaged), f"byte {offset} flipped")
        seen[outcome] = seen.get(outcome, 0) + 1
    # the sweep must actually exercise the error paths, not just succeed
    assert seen.get("CorruptMessageError", 0) > 100, seen
    assert seen.get("NotAnRrdError", 0) >= 4 and seen.get("UnsupportedVersionError", 0) >= 1, seen


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Found by Hypothesis: a flip that turns a string field's wire type into a varint of 1.9 billion.
@example(sample=LEGACY_TF, damage=[(0.0014980552415186923, 29)], cut=None)
@given(
    sample=st.sampled_from([P3D, LEGACY_TF, LEGACY_P3D]),
    damage=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=4
    ),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_random_damage_reads_or_reports(sample: Path, damage: list, cut: float | None) -> None:
    data = bytearray(_bytes(sample))
    for where, xor in damage:
        data[int(where * len(data))] ^= xor
    if cut is not None:
        data = data[: int(cut * len(data))]
    _reads_or_reports(bytes(data), f"{sample.name} {damage} cut {cut}")


# -- concatenated streams ---------------------------------------------------------------------------

PARTS = {
    "p3d": lambda: _bytes(P3D),
    "p3d-footerless": lambda: _without_footer(P3D),
    "legacy-p3d": lambda: _bytes(LEGACY_P3D),
    "legacy-tf": lambda: _bytes(LEGACY_TF),
}
PART_SAMPLE = {"p3d": P3D, "p3d-footerless": P3D, "legacy-p3d": LEGACY_P3D, "legacy-tf": LEGACY_TF}


@pytest.mark.parametrize(
    "names",
    [
        ("p3d", "p3d"),
        ("legacy-p3d", "p3d"),
        ("p3d", "legacy-tf"),
        ("legacy-tf", "legacy-p3d"),
        ("p3d-footerless", "legacy-p3d"),
        ("p3d-footerless", "p3d"),
        ("legacy-p3d", "p3d-footerless"),
        ("p3d", "legacy-tf", "p3d-footerless", "legacy-p3d"),
    ],
    ids="+".join,
)
def test_concatenated_streams_read_in_full(tmp_path: Path, names: tuple[str, ...]) -> None:
    path = tmp_path / "cat.rrd"
    path.write_bytes(b"".join(PARTS[n]() for n in names))
    outcome = _read(path)
    assert not outcome.warnings and not outcome.truncated
    want = [c for n in names for c in _intact(PART_SAMPLE[n]).chunks]
    _assert_same_chunks(outcome.chunks, want)
    assert outcome.versions == [_intact(PART_SAMPLE[n]).versions[0] for n in names]
    assert outcome.footers == [n == "p3d" for n in names]
    assert outcome.has_footer == all(n == "p3d" for n in names)


@pytest.mark.parametrize("first", ["p3d", "p3d-footerless", "legacy-p3d"])
@pytest.mark.parametrize(("extra", "clean"), [(2, False), (4, False), (11, False), (12, True)])
def test_concatenation_cut_in_second_stream_header(
    tmp_path: Path, first: str, extra: int, clean: bool
) -> None:
    head = PARTS[first]()
    path = tmp_path / "cat_cut.rrd"
    path.write_bytes(head + _bytes(P3D)[:extra])
    outcome = _read(path)
    _assert_same_chunks(outcome.chunks, _intact(PART_SAMPLE[first]).chunks)
    assert outcome.truncated is not clean
    if clean:
        assert not outcome.warnings and len(outcome.versions) == 2
    else:
        assert len(outcome.warnings) == 1 and f"byte {len(head)}" in outcome.warnings[0]


# -- the command line ---------------------------------------------------------------------------------


def _invoke(*args) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _damaged_chunk_file() -> bytes:
    target = _arrow_msgs(P3D)[-1]
    msg = dataclasses.replace(_decoded_message(P3D, target), payload=b"\xff" * 200)
    return _splice(_without_footer(P3D), target, msg.encode())


def _damaged_protobuf_file() -> bytes:
    data = bytearray(_bytes(P3D))
    data[_arrow_msgs(P3D)[0].offset + MESSAGE_HEADER] = 0
    return bytes(data)


CLI_BAD_INPUT = {
    "empty": lambda: b"",
    "png": lambda: NOT_RRD["png"],
    "text": lambda: NOT_RRD["text"],
    "RRF1": lambda: _with_header(magic=b"RRF1"),
    "MsgPack serializer": lambda: _with_header(serializer=1),
    "Rerun 0.22": lambda: _with_header(version=(0, 22, 0, 0)),
    "damaged protobuf": _damaged_protobuf_file,
    "damaged chunk": _damaged_chunk_file,
    "absent": None,
}


def _cli_args(command: str, path: Path, out: Path) -> list:
    return ["info", path] if command == "info" else ["filter", path, "-o", out]


@pytest.mark.parametrize("command", ["info", "filter"])
@pytest.mark.parametrize("case", CLI_BAD_INPUT.keys())
def test_cli_reports_bad_input_as_one_error_line(tmp_path: Path, command: str, case: str) -> None:
    path = tmp_path / f"{case.replace(' ', '_')}.rrd"
    if CLI_BAD_INPUT[case] is not None:
        path.write_bytes(CLI_BAD_INPUT[case]())
    out = tmp_path / "out" / "filtered.rrd"
    out.parent.mkdir()
    result = _invoke(*_cli_args(command, path, out))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # not an uncaught error
    err = result.stderr.strip()
    assert err.startswith("Error: "), err
    assert "\n" not in err
    assert str(path) in err
    assert "Traceback" not in result.output
    assert list(out.parent.iterdir()) == []  # filter leaves neither output nor temporary file


@pytest.mark.parametrize("sample", [P3D, LEGACY_P3D], ids=lambda p: f"{p.parent.name}/{p.stem}")
@pytest.mark.parametrize("command", ["info", "filter"])
def test_cli_truncated_file_warns_and_keeps_complete_chunks(
    tmp_path: Path, sample: Path, command: str
) -> None:
    last = _arrow_msgs(sample)[-1]
    path = tmp_path / "cut.rrd"
    path.write_bytes(_bytes(sample)[: last.offset + MESSAGE_HEADER + last.length // 2])
    complete = _intact(sample).chunks[:-1]
    out = tmp_path / "filtered.rrd"
    args = ["info", "--json", path] if command == "info" else _cli_args(command, path, out)
    result = _invoke(*args)
    assert result.exit_code == 0, result.output
    warning_lines = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warning_lines) == 1, result.stderr
    assert str(path) in warning_lines[0] and f"byte {last.offset}" in warning_lines[0]
    assert "Error" not in result.stderr and "Traceback" not in result.output
    if command == "info":
        summary = json.loads(result.stdout)
        assert summary["truncated"] is True
        assert summary["chunks"] == len(complete)
    else:
        written = _read(out)
        assert not written.warnings and not written.truncated and written.has_footer
        _assert_same_chunks(written.chunks, complete)


def test_cli_process_has_no_traceback(tmp_path: Path) -> None:
    """The installed `rerender` script, as a user runs it: exit codes and stderr only."""
    exe = Path(sys.executable).parent / "rerender"
    if not exe.exists():
        pytest.skip("the rerender console script is not installed next to the interpreter")
    bad = tmp_path / "bad.rrd"
    bad.write_bytes(_damaged_chunk_file())
    cut = tmp_path / "cut.rrd"
    cut.write_bytes(_bytes(P3D)[:5000])

    failed = subprocess.run([exe, "info", bad], capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1
    assert failed.stderr.startswith("Error: ") and failed.stderr.count("\n") == 1, failed.stderr
    assert str(bad) in failed.stderr and "Traceback" not in failed.stderr

    warned = subprocess.run([exe, "info", cut], capture_output=True, text=True, timeout=120)
    assert warned.returncode == 0, warned.stderr
    assert warned.stderr.startswith("Warning: ") and warned.stderr.count("\n") == 1, warned.stderr
    assert str(cut) in warned.stderr and "Traceback" not in warned.stderr
