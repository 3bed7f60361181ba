"""The RRD building blocks: protobuf, checksums, ids, chunks, manifests, the writer's guarantees."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rerender.rrd import (
    ArrowMsg,
    Chunk,
    ComponentDescriptor,
    MessageKind,
    RrdReader,
    RrdWriter,
    StoreId,
    StoreInfo,
    StoreKind,
    StoreSource,
    TimeKind,
    Timeline,
    Tuid,
    TuidGenerator,
    Version,
    decode_manifest,
    read_chunks,
    read_footer_index,
    read_frames,
)
from rerender.rrd.manifest import ManifestBuilder
from rerender.rrd.protobuf import decode_varint, encode_varint

from .conftest import ALL_SAMPLES, DATA, LEGACY_SAMPLES, SAMPLES, sample_id

POSITIONS = ComponentDescriptor(
    "Points3D:positions", "rerun.archetypes.Points3D", "rerun.components.Position3D"
)
XYZ = pa.list_(pa.field("item", pa.float32(), nullable=False), 3)


def positions_column(rows: list[list[list[float]]]) -> pa.ListArray:
    """One list of xyz points per row, typed exactly as rerun-sdk writes Position3D."""
    flat = [p for row in rows for p in row]
    values = pa.FixedSizeListArray.from_arrays(pa.array(np.array(flat, np.float32).ravel()), type=XYZ)
    offsets = np.cumsum([0] + [len(r) for r in rows]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), values)


@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_varint_round_trip(value: int) -> None:
    encoded = encode_varint(value)
    assert decode_varint(encoded, 0) == (value, len(encoded))


def test_tuid_forms() -> None:
    text = "chunk_18EB3E1EB8BAECE27a4398651efad328"
    tuid = Tuid.parse(text)
    assert tuid.chunk_id_str() == text
    assert Tuid.from_bytes(tuid.to_bytes()) == tuid
    assert tuid.to_bytes()[:8] == bytes.fromhex("18EB3E1EB8BAECE2")  # big-endian in Arrow columns
    gen = TuidGenerator()
    ids = [gen.next() for _ in range(100)] + gen.next_n(5)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    row_ids = gen.next_row_ids(10)
    assert np.all(row_ids["inc"][1:] > row_ids["inc"][:-1])


def test_version_bits_match_sdk() -> None:
    assert Version(0, 41, 0).to_bits() == 10496
    assert Version.from_bits(10496) == Version(0, 41, 0)


@pytest.mark.parametrize("sample", ALL_SAMPLES, ids=sample_id)
def test_messages_re_encode_to_the_sdk_bytes(sample: Path) -> None:
    """Our protobuf encoding is prost's, byte for byte (field order, optional fields, defaults)."""
    raw = sample.read_bytes()
    checked = 0
    for frame in read_frames(sample):
        if frame.kind in (
            MessageKind.SET_STORE_INFO,
            MessageKind.ARROW_MSG,
            MessageKind.BLUEPRINT_ACTIVATION,
        ):
            original = raw[frame.payload_offset : frame.payload_offset + frame.length]
            assert frame.message.encode() == original, f"{frame.kind.name} at {frame.offset}"
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize("sample", SAMPLES, ids=sample_id)
def test_manifest_matches_sdk(sample: Path) -> None:
    builders: dict[StoreId, ManifestBuilder] = {}
    footer = None
    for frame in read_frames(sample):
        if frame.kind == MessageKind.ARROW_MSG:
            builder = builders.setdefault(frame.store_id, ManifestBuilder(frame.store_id))
            builder.add(frame.chunk, frame.payload_offset, frame.length, frame.message.uncompressed_size)
        elif frame.kind == MessageKind.END:
            footer = frame.message
    assert footer is not None and footer.manifests
    for raw in footer.manifests:
        sdk = decode_manifest(raw)
        ours = builders[sdk.store_id]
        index = ours.build_index()
        assert index.schema.equals(sdk.index.schema, check_metadata=True)
        assert index.equals(sdk.index)
        ours_schema = {f.name: f for f in ours.build_sorbet_schema()}
        sdk_schema = {f.name: f for f in sdk.sorbet_schema}
        assert ours_schema.keys() == sdk_schema.keys()
        for name, f in sdk_schema.items():
            assert ours_schema[name].equals(f, check_metadata=True), name


@pytest.mark.parametrize("sample", SAMPLES, ids=sample_id)
def test_footer_index_describes_every_chunk(sample: Path) -> None:
    footer = read_footer_index(sample)
    assert footer is not None
    frames = list(read_frames(sample))
    assert set(footer.store_infos) <= {f.store_id for f in frames if f.kind == MessageKind.SET_STORE_INFO}
    for store_id, manifest in footer.manifests.items():
        chunks = [f for f in frames if f.kind == MessageKind.ARROW_MSG and f.store_id == store_id]
        entries = manifest.chunks()
        where = [(f.payload_offset, f.length) for f in chunks]
        assert [(e.byte_offset, e.byte_size) for e in entries] == where
        for entry, frame in zip(entries, chunks, strict=True):
            chunk = frame.chunk
            assert (entry.chunk_id, entry.entity_path, entry.is_static, entry.num_rows) == (
                chunk.id,
                chunk.entity_path,
                chunk.is_static,
                chunk.num_rows,
            )
            for name, span in entry.time_spans.items():
                assert (span.min, span.max) == chunk.time_range(name)


def test_footer_index_needs_a_whole_file(tmp_path: Path) -> None:
    cut = tmp_path / "cut.rrd"
    cut.write_bytes((DATA / "points3d.rrd").read_bytes()[:-1])
    assert read_footer_index(cut) is None
    assert read_footer_index(tmp_path / "missing.rrd") is None


def test_samples_read_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for sample in ALL_SAMPLES:
            with RrdReader(sample) as reader:
                assert sum(1 for _ in reader) > 0
                assert not reader.truncated
                assert reader.has_footer == (sample not in LEGACY_SAMPLES)


def test_chunk_build_layout_and_accessors() -> None:
    gen = TuidGenerator()
    frames = np.array([3, 1, 2])
    chunk = Chunk.build(
        "/world/points",
        gen.next(),
        gen.next_row_ids(3),
        {Timeline("frame"): frames, Timeline("time", TimeKind.DURATION): frames * 10**9},
        {POSITIONS: positions_column([[[0, 0, 0]], [], [[1, 2, 3], [4, 5, 6]]])},
    )
    schema = chunk.batch.schema
    assert schema.names == ["rerun.controls.RowId", "frame", "time", "Points3D:positions"]
    assert schema.metadata[b"rerun:entity_path"] == b"/world/points"
    assert b"rerun:is_sorted" not in schema.field("frame").metadata  # absent, not "false", when unsorted
    assert schema.field("time").type == pa.duration("ns")
    assert chunk.time_range("frame") == (1, 3)
    assert chunk.component("Points3D:positions").to_pylist()[2] == [[1, 2, 3], [4, 5, 6]]
    assert not chunk.is_static

    later = chunk.filter(chunk.time_values("frame") < 3)
    assert later.num_rows == 2 and later.id == chunk.id
    assert later.batch.schema.field("frame").metadata[b"rerun:is_sorted"] == b"true"  # [1, 2] is sorted now


def test_writer_round_trip_and_verify(tmp_path: Path, rerun_cli) -> None:
    gen = TuidGenerator()
    store = StoreId(StoreKind.RECORDING, "rec", "rerender_test")
    chunks = [
        Chunk.build(
            "/static", gen.next(), gen.next_row_ids(1), {}, {POSITIONS: positions_column([[[1, 1, 1]]])}
        ),
        Chunk.build(
            "/moving",
            gen.next(),
            gen.next_row_ids(2),
            {Timeline("frame"): np.array([0, 1])},
            {POSITIONS: positions_column([[[0, 0, 0]], [[1, 0, 0]]])},
        ),
    ]
    path = tmp_path / "out.rrd"
    with RrdWriter(path) as writer:
        writer.write_store_info(StoreInfo(store, StoreSource.python(3, 11, 7)))  # row id filled in
        for chunk in chunks:
            writer.write_chunk(store, chunk)
    read = list(read_chunks(path))
    assert [s for s, _ in read] == [store, store]
    for (_, got), want in zip(read, chunks, strict=True):
        assert got.batch.equals(want.batch, check_metadata=True)
    assert rerun_cli("rrd", "verify", path).returncode == 0


def test_killed_writer_leaves_a_readable_file(tmp_path: Path) -> None:
    """A process killed mid-recording loses only the footer: every written chunk reads back."""
    path = tmp_path / "killed.rrd"
    script = textwrap.dedent(f"""
        import os, signal
        import numpy as np
        from rerender.rrd import RrdWriter, Chunk, StoreId, StoreKind, StoreInfo, Timeline, TuidGenerator
        from tests.test_rrd_format import POSITIONS, positions_column
        gen = TuidGenerator()
        store = StoreId(StoreKind.RECORDING, "rec", "killed")
        writer = RrdWriter({str(path)!r})
        writer.write_store_info(StoreInfo(store))
        for i in range(5):
            writer.write_chunk(store, Chunk.build("/p", gen.next(), gen.next_row_ids(1),
                {{Timeline("frame"): np.array([i])}}, {{POSITIONS: positions_column([[[i, 0, 0]]])}}))
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parent.parent, check=False)
    assert proc.returncode == -9
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with RrdReader(path) as reader:
            chunks = [f.chunk for f in reader if f.kind == MessageKind.ARROW_MSG]
            assert not reader.has_footer and not reader.truncated
    assert [int(c.time_values("frame")[0]) for c in chunks] == [0, 1, 2, 3, 4]


def test_legacy_chunks_are_migrated() -> None:
    sample = next(p for p in LEGACY_SAMPLES if p.stem == "transform3d")
    chunks = [c for _, c in read_chunks(sample)]
    assert all(c.migrated for c in chunks)
    assert all(c.batch.schema.metadata[b"sorbet:version"] == b"0.1.4" for c in chunks)
    components = {d.component: d for c in chunks for d in c.components}
    assert "Transform3D:axis_length" not in components
    assert components["TransformAxes3D:axis_length"].archetype == "rerun.archetypes.TransformAxes3D"
    assert "log_tick" in {t for c in chunks for t in c.timelines}


def test_arrow_msg_keeps_optional_fields() -> None:
    store = StoreId(StoreKind.RECORDING, "r", "a")
    msg = ArrowMsg(store, compression=2, uncompressed_size=10, payload=b"x", is_static=False)
    assert msg.encode().endswith(b"\x38\x00")  # optional is_static=false is written, as rerun-sdk does
    assert ArrowMsg.decode(msg.encode()) == msg
