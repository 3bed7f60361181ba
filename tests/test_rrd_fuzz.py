"""Fuzzing the RRD reader and the proxy server's message decoding (issue 15), and one regression test
per bug the fuzzer found.

`test_fuzz_rrd_reader_30_seconds` is the long one (marked `fuzz`; `-m "not fuzz"` skips it): it runs the
target of `rerender.rrd.fuzz` for 30 seconds on mutations of the sample files. `benchmarks/fuzz_rrd.py`
runs the same target for minutes, each input in a child process so a crash of the interpreter counts too.
"""

from __future__ import annotations

import io
import random
import struct
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rerender.rrd import (
    ArrowMsg,
    Compression,
    CorruptMessageError,
    MessageKind,
    RrdReader,
    decode_manifest,
    read_footer_index,
)
from rerender.rrd.codec import compress, encode_ipc_stream
from rerender.rrd.fuzz import HUGE_LENGTHS, check_rrd, load_corpus, message_header_offsets, mutate
from rerender.rrd.messages import RrdManifest
from rerender.rrd.protobuf import MessageBuilder, fields_by_number
from rerender.rrd.reader import FOOTER_TAIL
from rerender.rrd.xxh32 import FOOTER_SEED, xxh32
from rerender.store.source import open_source

DATA = Path(__file__).parent / "data"
P3D = DATA / "points3d.rrd"
CORPUS = load_corpus([DATA])
FUZZ_SECONDS = 30.0


def _assert_no_crash(verdict, what: str) -> None:
    assert verdict.crash is None, f"{what}:\n{verdict.crash}"


# -- the fuzz runs ----------------------------------------------------------------------------------


@pytest.mark.fuzz
def test_fuzz_rrd_reader_30_seconds(tmp_path: Path) -> None:
    """Hypothesis drives the mutations (sample, then flips/cuts/splices/huge lengths from its random
    source) for 30 s; every input must read or raise an RrdError, quickly, with no huge allocation."""
    scratch = tmp_path / "fuzz.rrd"
    outcomes: dict[str, int] = {}

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(sample=st.sampled_from(range(len(CORPUS))), rng=st.randoms(use_true_random=False))
    def run(sample: int, rng: random.Random) -> None:
        data = mutate(CORPUS[sample], CORPUS, rng)
        verdict = check_rrd(data, scratch)
        outcomes[verdict.outcome] = outcomes.get(verdict.outcome, 0) + 1
        _assert_no_crash(verdict, f"a mutation of sample {sample} ({len(data)} bytes)")

    deadline = time.monotonic() + FUZZ_SECONDS
    while time.monotonic() < deadline:
        run()
    tried = sum(outcomes.values())
    print(f"fuzz: {tried} inputs in {FUZZ_SECONDS:.0f} s, outcomes {outcomes}")
    # The mutations must reach past the stream header into messages and chunks.
    assert tried >= 1000, outcomes
    assert outcomes.get("CorruptMessageError", 0) > 100 and outcomes.get("warning", 0) > 100, outcomes


grpc = pytest.importorskip("grpc", reason="the `net` extra (grpcio) is not installed")

from rerender.net.convert import from_log_msg  # noqa: E402
from rerender.net.fuzz import check_stream, mutate_stream, requests_of  # noqa: E402
from rerender.net.protos import common_pb2, log_msg_pb2  # noqa: E402
from rerender.net.server import SERVICE, start_server  # noqa: E402

STREAMS = [requests_of(data) for data in CORPUS]
REQUESTS = [r for s in STREAMS for r in s]


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(sample=st.sampled_from(range(len(STREAMS))), rng=st.randoms(use_true_random=False))
def test_fuzz_serve_message_decoding(tmp_path_factory, sample: int, rng: random.Random) -> None:
    """A stream with damaged requests: each is recorded or refused (DecodeError/ValueError, which ends
    the stream with INVALID_ARGUMENT); the files written before the refusal read back cleanly."""
    requests = mutate_stream(STREAMS[sample], REQUESTS, rng)
    _assert_no_crash(check_stream(requests, tmp_path_factory.getbasetemp()), f"stream of sample {sample}")


def test_damaged_streams_end_with_invalid_argument_on_a_real_server(tmp_path: Path) -> None:
    """Through gRPC: a damaged stream is accepted or refused with INVALID_ARGUMENT, never UNKNOWN."""
    handle = start_server(port=0, out_dir=tmp_path / "served", buffer_bytes=0)
    channel = grpc.insecure_channel(f"127.0.0.1:{handle.port}")
    rng = random.Random(15)
    codes = []
    try:
        for _ in range(25):
            requests = mutate_stream(STREAMS[rng.randrange(len(STREAMS))], REQUESTS, rng)
            try:
                channel.stream_unary(f"/{SERVICE}/WriteMessages")(iter(requests), timeout=30)
                codes.append(grpc.StatusCode.OK)
            except grpc.RpcError as e:
                codes.append(e.code())
                assert e.code() == grpc.StatusCode.INVALID_ARGUMENT, e.details()
    finally:
        channel.close()
        handle.stop(0.5)
    assert grpc.StatusCode.INVALID_ARGUMENT in codes
    for path in handle.recordings():
        with RrdReader(path) as reader:
            list(reader)


# -- regressions: one per bug the fuzzer found ------------------------------------------------------


@pytest.mark.parametrize("length", HUGE_LENGTHS, ids=hex)
def test_footer_index_checks_store_info_length(tmp_path: Path, length: int) -> None:
    """Found: the footer index read a SetStoreInfo of the length its header declared (2**60: MemoryError;
    2**64-1: OverflowError). Now a length past the footer means "no footer index"; the scan reports it."""
    data = bytearray(P3D.read_bytes())
    first = message_header_offsets(bytes(data))[0]
    struct.pack_into("<Q", data, first + 8, length)
    path = tmp_path / "long_info.rrd"
    path.write_bytes(data)
    assert read_footer_index(path) is None
    _assert_no_crash(check_rrd(bytes(data), tmp_path / "scratch.rrd"), "huge store info length")


def _with_manifest_index(edit: Callable[[pa.RecordBatch], pa.RecordBatch]) -> bytes:
    """P3D with its footer manifest's chunk index replaced by `edit(index)` (footer and CRC rewritten)."""
    with RrdReader(P3D) as reader:
        frames = list(reader)
    end = next(f for f in frames if f.kind == MessageKind.END)
    prefix = P3D.read_bytes()[: end.offset]
    manifests = []
    for raw in end.message.manifests:
        manifest = decode_manifest(raw)
        f = fields_by_number(raw)
        schema_ipc = bytes(fields_by_number(f[2][0])[1][0])
        index = encode_ipc_stream(edit(manifest.index))
        rebuilt = RrdManifest(manifest.store_id, schema_ipc, bytes(f[3][0]), b"", Compression.LZ4)
        manifests.append(rebuilt.encode(bytes(compress(index, Compression.LZ4)), len(index)))
    builder = MessageBuilder()
    for m in manifests:
        builder.bytes_(1, m, always=True)
    payload = builder.build()
    start = len(prefix) + 16
    tail = struct.pack("<QQI", start, len(payload), xxh32(payload, FOOTER_SEED)) + FOOTER_TAIL
    return prefix + struct.pack("<QQ", 0, len(payload)) + payload + tail + struct.pack("<I", 1)


def _set_column(name: str, value: int) -> Callable[[pa.RecordBatch], pa.RecordBatch]:
    def edit(index: pa.RecordBatch) -> pa.RecordBatch:
        i = index.schema.get_field_index(name)
        column = pa.array([value] * index.num_rows, type=index.schema.field(i).type)
        return index.set_column(i, index.schema.field(i), column)

    return edit


def _drop_column(name: str) -> Callable[[pa.RecordBatch], pa.RecordBatch]:
    return lambda index: index.drop_columns([name])


def _rename_column(name: str) -> Callable[[pa.RecordBatch], pa.RecordBatch]:
    return lambda index: index.rename_columns([n if n != name else "x" for n in index.schema.names])


MANIFEST_DAMAGE = {
    # Found: a chunk "at" a byte size of 2**60 was read with f.read(2**60) by the store.
    "chunk size 2**60": _set_column("chunk_byte_size", 2**60),
    "chunk offset 2**63": _set_column("chunk_byte_offset", 2**63),
    "chunk offset 0": _set_column("chunk_byte_offset", 0),
    # Found: a missing fixed column raised KeyError from Manifest.chunks() in the store.
    "no chunk_entity_path column": _drop_column("chunk_entity_path"),
    "renamed chunk_byte_size column": _rename_column("chunk_byte_size"),
}


@pytest.mark.parametrize("damage", MANIFEST_DAMAGE.keys())
def test_damaged_manifest_falls_back_to_a_scan(tmp_path: Path, damage: str) -> None:
    data = _with_manifest_index(MANIFEST_DAMAGE[damage])
    path = tmp_path / "manifest.rrd"
    path.write_bytes(data)
    assert read_footer_index(path) is None
    intact = open_source(P3D)
    source = open_source(path)  # scanned instead: every chunk still reads
    assert [m.chunk_id for m in source.metas] == [m.chunk_id for m in intact.metas]
    for i in range(len(source.metas)):
        assert source.chunk(i).batch.equals(intact.chunk(i).batch)
    _assert_no_crash(check_rrd(data, tmp_path / "scratch.rrd"), damage)


def test_intact_manifest_still_indexes(tmp_path: Path) -> None:
    """The rewrite helper itself changes nothing when the edit changes nothing: the fast path stays."""
    path = tmp_path / "same.rrd"
    path.write_bytes(_with_manifest_index(lambda index: index))
    assert read_footer_index(path) is not None


def _chunk_with_bad_field_name() -> bytes:
    """P3D whose last chunk has a struct field named with bytes that are not UTF-8."""
    with RrdReader(P3D) as reader:
        frames = list(reader)
    target = [f for f in frames if f.kind == MessageKind.ARROW_MSG][-1]
    end = next(f for f in frames if f.kind == MessageKind.END)
    batch = target.chunk.batch
    marker = "zq_not_utf8_zq"
    struct_col = pa.array(
        [[{marker: 1.0}]] * batch.num_rows, type=pa.list_(pa.struct([(marker, pa.float32())]))
    )
    batch = batch.append_column(pa.field("extra", struct_col.type), struct_col)
    ipc = encode_ipc_stream(batch).replace(marker.encode(), b"\xff" * len(marker))
    msg = ArrowMsg(
        target.message.store_id, Compression.NONE, len(ipc), ipc, target.message.chunk_id, False
    ).encode()
    data = P3D.read_bytes()[: end.offset]  # footer-less: the footer's checksum would not match
    head = struct.pack("<QQ", int(MessageKind.ARROW_MSG), len(msg))
    return data[: target.offset] + head + msg + data[target.offset + 16 + target.length :]


def test_non_utf8_field_name_is_corrupt_message_error() -> None:
    """Found: pyarrow accepts a non-UTF-8 field name from IPC and raised UnicodeDecodeError deep in
    `to_pylist()` when a renderer first used the column; now the chunk fails to decode, clearly."""
    data = _chunk_with_bad_field_name()
    with RrdReader(io.BytesIO(data), name="bad_name.rrd") as reader:
        chunks = [f for f in reader if f.kind == MessageKind.ARROW_MSG]
        with pytest.raises(CorruptMessageError) as info:
            chunks[-1].chunk  # noqa: B018 (decoding is the point)
    assert "bad_name.rrd" in str(info.value) and "UnicodeDecodeError" in str(info.value)


def test_store_id_with_a_number_for_a_message_is_refused() -> None:
    """Found by construction while fuzzing the server: a StoreId whose application-id field arrives as a
    varint (protobuf keeps it as an unknown field) raised TypeError, which gRPC turned into UNKNOWN."""
    raw = MessageBuilder().varint(1, 1).string(2, "rec").varint(3, 5).build()
    msg = log_msg_pb2.LogMsg(arrow_msg=log_msg_pb2.ArrowMsg(store_id=common_pb2.StoreId.FromString(raw)))
    with pytest.raises(ValueError, match="a number where an embedded message belongs"):
        from_log_msg(msg)


def test_damaged_chunk_reached_through_the_footer_is_corrupt_message_error(tmp_path: Path) -> None:
    """Found while fixing the above: a chunk read at a manifest's offset whose protobuf is damaged raised
    ProtobufError from the store, not an RrdError naming the file and offset."""
    data = bytearray(P3D.read_bytes())
    with RrdReader(P3D) as reader:
        target = [f for f in reader if f.kind == MessageKind.ARROW_MSG][-1]
    data[target.payload_offset] = 0  # a protobuf key with field number 0 is never valid
    path = tmp_path / "damaged_chunk.rrd"
    path.write_bytes(data)
    assert read_footer_index(path) is not None  # the footer still indexes the file: the fast path
    source = open_source(path)
    with pytest.raises(CorruptMessageError) as info:
        source.chunk(len(source.metas) - 1)
    assert str(path) in str(info.value) and f"at byte {target.payload_offset}" in str(info.value)
