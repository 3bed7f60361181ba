"""rerun-sdk 0.41's top-level names for custom data, dataframes, chunks, byte streams and logging records
(`ComponentDescriptor`, `AsComponents`, `AnyBatchValue`, `DynamicArchetype`, `send_record_batch`,
`send_dataframe`, `send_chunks`, `binary_stream`, `LoggingHandler`), and the viewer stand-ins of
`viewer_stubs.OUT_OF_SCOPE`: the same signatures and results as rerun-sdk, and files `rerun rrd compare`
finds equal to rerun-sdk's."""

from __future__ import annotations

import inspect
import logging
import os
import subprocess
import sys
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

import rerender as rr
from rerender.rrd import Chunk, TuidGenerator, read_chunks
from rerender.sdk.dynamic import AnyBatchValue
from rerender.sdk.sorbet import chunks_from_record_batch
from rerender.sdk.viewer_stubs import OUT_OF_SCOPE

rerun = pytest.importorskip("rerun")
from rerun.any_batch_value import AnyBatchValue as RerunAnyBatchValue  # noqa: E402
from rerun.chunk import Chunk as RerunChunk  # noqa: E402

SCRIPTS = Path(__file__).parent / "scripts"
DATA = Path(__file__).parent / "data"

NAMES = [
    "AUTO_INDEX",
    "AnyBatchValue",
    "AsComponents",
    "BinaryStream",
    "ComponentBatchLike",
    "ComponentDescriptor",
    "ComponentMixin",
    "ComponentValueLike",
    "DescribedComponentBatch",
    "DynamicArchetype",
    "EXTERNAL_IMPORTER_INCOMPATIBLE_EXIT_CODE",
    "LoggingHandler",
    "RERUN_KIND",
    "RERUN_KIND_CONTROL",
    "RERUN_KIND_INDEX",
    "SORBET_ARCHETYPE_NAME",
    "SORBET_COMPONENT",
    "SORBET_COMPONENT_TYPE",
    "SORBET_ENTITY_PATH",
    "SORBET_INDEX_NAME",
    "SORBET_IS_TABLE_INDEX",
    "TimeColumnLike",
    "asarray",
    "binary_stream",
    "send_chunks",
    "send_dataframe",
    "send_record_batch",
    *OUT_OF_SCOPE,
]


def _params(obj: Any) -> list[str]:
    names = list(inspect.signature(obj).parameters)
    return names[1:] if names[:1] == ["self"] else names


@pytest.mark.parametrize("name", NAMES)
def test_name_matches_rerun(name: str) -> None:
    ours, theirs = getattr(rr, name), getattr(rerun, name)
    if name == "AUTO_INDEX":
        assert type(ours).__name__.endswith("AutoIndex")
    elif callable(theirs):
        assert _params(ours) == _params(theirs)
    else:
        assert ours == theirs


def test_component_batch_mixin_signature() -> None:
    assert _params(rr.ComponentBatchMixin) == _params(rerun.ComponentBatchMixin)


@pytest.fixture
def rec() -> Iterator[tuple[rr.RecordingStream, Any]]:
    """A recording kept in memory, current on this thread; yields it and a function reading its chunks."""
    recording = rr.RecordingStream("custom_data", recording_id=str(uuid.uuid4()), send_properties=False)
    memory = recording.memory_recording()
    data = bytearray()

    def chunks() -> list[Chunk]:
        """Every chunk written so far."""
        data.extend(memory.drain_as_bytes())
        return [c for _, c in read_chunks(bytes(data))]

    with recording:
        yield recording, chunks


# ---- ComponentDescriptor ------------------------------------------------------------------------------

DESCRIPTORS = [("c",), ("c", "x"), ("c", None, "y"), ("c", "x", "y"), ("c", "", ""), ("Points3D:positions",)]
ARCHETYPES = ["Points3D", "rerun.archetypes.Points3D", "rerun.blueprint.archetypes.X", "rerun.X", "my.Foo"]
OVERRIDES = [(None, None), ("A", None), (None, "T"), ("A", "T"), ("", "")]


def _fields(d: Any) -> tuple:
    return (d.component, d.archetype, d.component_type)


@pytest.mark.parametrize("args", DESCRIPTORS)
def test_component_descriptor_methods_match_rerun(args: tuple) -> None:
    ours, theirs = rr.ComponentDescriptor(*args), rerun.ComponentDescriptor(*args)
    assert _fields(ours) == _fields(theirs)
    for archetype in ARCHETYPES:
        assert _fields(ours.with_builtin_archetype(archetype)) == _fields(
            theirs.with_builtin_archetype(archetype)
        )
    for override in OVERRIDES:
        assert _fields(ours.with_overrides(*override)) == _fields(theirs.with_overrides(*override))
        assert _fields(ours.or_with_overrides(*override)) == _fields(theirs.or_with_overrides(*override))
    assert ours == rr.ComponentDescriptor(*args) and hash(ours) == hash(rr.ComponentDescriptor(*args))


# ---- custom loggables ---------------------------------------------------------------------------------


class _RerunStyleBatch:
    """A batch in rerun-sdk's protocol only (no `descriptor`/`array` attributes)."""

    def __init__(self, name: str, array: pa.Array | None) -> None:
        self.name, self.array_ = name, array

    def component_descriptor(self) -> rr.ComponentDescriptor:
        return rr.ComponentDescriptor(self.name, "user.Thing", "user.Value")

    def as_arrow_array(self) -> pa.Array | None:
        return self.array_


class _Thing:
    def as_component_batches(self) -> list:
        return [_RerunStyleBatch("user.Thing:value", pa.array([1.5])), _RerunStyleBatch("gone", None)]


def test_protocols_are_runtime_checkable() -> None:
    assert isinstance(rr.Points3D([[1, 2, 3]]), rr.AsComponents)
    assert isinstance(_Thing(), rr.AsComponents)
    assert isinstance(rr.components.ColorBatch([[1, 2, 3]]), rr.ComponentBatchLike)
    assert not isinstance(3, rr.ComponentBatchLike)


def test_log_takes_rerun_protocol_batches_and_skips_invalid_ones(rec) -> None:
    recording, chunks = rec
    recording.log("thing", _Thing(), static=True)
    recording.log("loose", [rr.AnyBatchValue("n", [1, 2]), rr.AnyBatchValue("empty", None)], static=True)
    got = {(c.entity_path, str(d)): c.component(d).to_pylist() for c in chunks() for d in c.components}
    assert got == {("/thing", "user.Thing:value"): [[1.5]], ("/loose", "n"): [[1, 2]]}


def test_described_component_batch_has_reruns_constructor() -> None:
    batch = rr.DescribedComponentBatch(rr.components.ColorBatch([[1, 2, 3]]), rr.ComponentDescriptor("c"))
    assert batch.component_descriptor() == rr.ComponentDescriptor("c")
    assert batch.as_arrow_array().to_pylist() == [0x010203FF]
    ((_, cells),) = batch.partition().as_list_arrays()
    assert cells.to_pylist() == [[0x010203FF]]


class _Confidence(rr.ComponentMixin):
    class _Batch(rr.components.ScalarBatch):
        _COMPONENT_TYPE = "user.Confidence"

    _BATCH_TYPE = _Batch

    def __init__(self, value: float) -> None:
        self.value = value

    def __float__(self) -> float:
        return self.value


def test_component_mixin_makes_a_value_a_batch_of_one() -> None:
    assert _Confidence.component_type() == "user.Confidence"
    assert _Confidence.arrow_type() == pa.float64()
    assert isinstance(_Confidence(0.5), rr.ComponentBatchLike)
    assert _Confidence(0.5).as_arrow_array().to_pylist() == [0.5]


class _Seconds:
    """A `TimeColumnLike` of another SDK's shape: a name and an Arrow array."""

    def timeline_name(self) -> str:
        return "sim"

    def as_arrow_array(self) -> pa.Array:
        return pa.array([1, 2], type=pa.duration("ns"))


def test_send_columns_takes_time_column_like(rec) -> None:
    recording, chunks = rec
    recording.send_columns("s", indexes=[_Seconds()], columns=rr.Scalars.columns(scalars=[1.0, 2.0]))
    ((chunk,),) = [[c for c in chunks() if c.entity_path == "/s"]]
    assert list(chunk.time_values("sim")) == [1, 2]


# ---- AnyBatchValue and DynamicArchetype ----------------------------------------------------------------

VALUES = {
    "int": 1,
    "float": 1.5,
    "str": "s",
    "bytes": b"xy",
    "list": [1, 2, 3],
    "f32": np.arange(3, dtype=np.float32),
    "nested": [[1, 2], [3, 4]],
    "matrix": np.zeros((2, 2)),
    "none": None,
    "empty": [],
    "bool": True,
    "mixed": [1, "a"],
    "dict": {"x": 1},
    "tuple": (1.0, 2),
    "strings": np.array(["a", "b"]),
    "objects": np.array([1, None], dtype=object),
    "arrow": pa.array([1, 2], pa.int8()),
}


def _arrow(batch: Any) -> tuple[str, list] | None:
    array = batch.as_arrow_array()
    return None if array is None else (str(array.type), array.to_pylist())


@pytest.mark.parametrize("kind", VALUES)
def test_any_batch_value_converts_as_rerun_does(kind: str) -> None:
    name = f"abv_{kind}_{uuid.uuid4().hex}"  # both SDKs remember each component's type: a fresh name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _arrow(AnyBatchValue(name, VALUES[kind])) == _arrow(RerunAnyBatchValue(name, VALUES[kind]))


def test_any_batch_value_keeps_the_first_type() -> None:
    name = f"kept_{uuid.uuid4().hex}"
    assert _arrow(rr.AnyBatchValue(name, [1, 2])) == ("int64", [1, 2])
    assert _arrow(rr.AnyBatchValue(name, None)) == ("int64", [])  # now typed: clears instead of dropping
    assert _arrow(rr.AnyBatchValue(name, [1.5])) == ("int64", [1])  # through numpy, as in rerun-sdk
    with pytest.warns(rr.RerenderWarning, match="first logged with"):
        assert rr.AnyBatchValue(name, ["x"]).as_arrow_array() is None  # no int64: dropped
    assert _arrow(rr.AnyBatchValue(f"new_{name}", None)) is None


def test_any_batch_value_column_matches_rerun() -> None:
    for value in ([1, 2, 3], [[1, 2], [3]], np.arange(4.0), ["x", "y"], 5):
        name = f"col_{uuid.uuid4().hex}"
        ((_, ours),) = rr.AnyBatchValue.column(name, value).as_list_arrays()
        theirs = RerunAnyBatchValue.column(name, value).as_arrow_array()
        assert (ours.type, ours.to_pylist()) == (theirs.type, theirs.to_pylist())


def test_dynamic_archetype_batches_match_rerun() -> None:
    tag = uuid.uuid4().hex
    components = {f"a{tag}": [1.2, 3.4], f"b{tag}": "text", f"c{tag}": None, f"d{tag}": np.arange(3)}

    def batches(sdk: Any) -> list:
        archetype = sdk.DynamicArchetype("my.Thing", components=components).with_component_override(
            f"e{tag}", "rerun.components.Scalar", [0.5]
        )
        return [(_fields(b.component_descriptor()), _arrow(b)) for b in archetype.as_component_batches()]

    assert batches(rr) == batches(rerun)


def test_dynamic_archetype_warns_like_rerun() -> None:
    with pytest.warns(rr.RerenderWarning, match="drop_untyped_nones"):
        rr.DynamicArchetype("my.Thing", {"x": 1})  # components given where the flag goes
    with pytest.warns(rr.RerenderWarning, match="no valid component"):
        assert rr.DynamicArchetype("my.Thing", components={"n": None}).as_component_batches() == []
    strict = rr.strict_mode()
    rr.set_strict_mode(True)
    try:
        with pytest.raises(ValueError, match="without a known type"):
            rr.AnyValues(drop_untyped_nones=False, untyped=None)
    finally:
        rr.set_strict_mode(strict)


# ---- LoggingHandler ----------------------------------------------------------------------------------


def test_logging_handler_logs_text_logs_per_module(rec) -> None:
    _, chunks = rec
    logger = logging.getLogger(f"custom_data_{uuid.uuid4().hex}")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(rr.LoggingHandler("logs"))
    logging.addLevelName(27, "CUSTOM27")
    logger.warning("careful %d", 3)
    logger.log(27, "custom")
    logger.debug("details")
    rows = []
    for chunk in chunks():
        assert chunk.entity_path == f"/logs/{Path(__file__).stem}"
        texts, levels = chunk.component("TextLog:text"), chunk.component("TextLog:level")
        rows += zip(texts.to_pylist(), levels.to_pylist(), strict=True)
    assert sorted(rows) == [(["careful 3"], ["WARN"]), (["custom"], ["CUSTOM27"]), (["details"], ["DEBUG"])]


# ---- binary_stream -----------------------------------------------------------------------------------


def test_binary_stream_reads_pieces_that_are_whole_rrd_streams(rerun_cli, tmp_path: Path) -> None:
    recording = rr.RecordingStream("binary_stream", recording_id="pieces")
    stream = rr.binary_stream(recording)
    recording.log("a", rr.TextLog("one"))
    first = stream.read()
    assert stream.read() is None  # nothing new
    recording.log("b", rr.TextLog("two"))
    recording.log("c", rr.TextLog("three"))
    recording.disconnect()
    second = stream.read()  # what was logged before the disconnect stays readable
    assert stream.read() is None
    entities = []
    for i, piece in enumerate((first, second)):
        path = tmp_path / f"piece{i}.rrd"
        path.write_bytes(piece)
        assert rerun_cli("rrd", "verify", path).returncode == 0
        entities.append(sorted(c.entity_path for _, c in read_chunks(path)))
    assert entities == [["/__properties", "/a"], ["/b", "/c"]]


def test_binary_stream_needs_a_recording() -> None:
    previous = rr.set_global_data_recording(None)
    try:
        with pytest.raises(RuntimeError, match="no recording"):
            rr.binary_stream()
    finally:
        rr.set_global_data_recording(previous)


# ---- send_record_batch / send_dataframe / send_chunks ------------------------------------------------


def _field(name: str, dtype: pa.DataType, **meta: str) -> pa.Field:
    return pa.field(name, dtype, metadata={f"rerun:{k}": v for k, v in meta.items()} or None)


def _batches() -> dict[str, tuple[pa.RecordBatch, dict]]:
    """Record batches and the arguments to read them with, covering rerun's column rules."""
    tagged = pa.RecordBatch.from_arrays(
        [
            pa.array([3, 1, 2], pa.timestamp("ns")),
            pa.array([1.0, 2, 3]),
            pa.array([[1], [2, 3], None], pa.list_(pa.int32())),
            pa.array(["a", "b", "c"]),
            pa.array(["p", None, "q"]),
            pa.array([1.0, 2, 3]),
        ],
        schema=pa.schema(
            [
                _field("t", pa.timestamp("ns"), kind="index", index_name="wall"),
                _field(
                    "x",
                    pa.float64(),
                    entity_path="/e1",
                    component="C:x",
                    archetype="my.C",
                    component_type="T",
                ),
                _field("y", pa.list_(pa.int32()), entity_path="e2"),
                _field("/e3:z", pa.utf8()),
                _field("w", pa.utf8()),
                _field("x2", pa.float64(), entity_path="/e1"),
            ]
        ),
    )
    plain = pa.RecordBatch.from_arrays(
        [pa.array([1, 2], pa.duration("ns")), pa.array([5, 4]), pa.array([0.5, 1.5], pa.float32())],
        names=["d", "s", "v"],
    )
    identified = RerunChunk.from_record_batch(plain, index="s", entity_path="ent")[0].to_record_batch()
    columns = [pa.array([1, 2])]
    kinds = [
        pa.array([[1], [2]], pa.large_list(pa.int64())),
        pa.array(["a", "a"]).dictionary_encode(),
        pa.array([{"a": 1}, {"a": 2}]),
        pa.array([[1.0, 2.0], [3.0, 4.0]], pa.list_(pa.float32(), 2)),
        pa.array([None, None], pa.null()),
    ]
    cases = {
        "metadata": (tagged, {}),
        "default_entity": (tagged, {"entity_path": "dflt"}),
        "batch_entity": (tagged.replace_schema_metadata({"rerun:entity_path": "/bl"}), {"entity_path": "d"}),
        "named_index": (tagged, {"index": ["t"]}),
        "two_indexes": (plain, {"index": ["d", "s"]}),
        "static": (plain, {"index": None}),
        "identified": (identified, {}),
        "identified_reread": (identified, {"index": "s"}),
        "name_convention": (
            pa.RecordBatch.from_arrays(
                [pa.array([1, 2])] * 5, names=["d", "/a/b:Points3D:positions", "/a:foo", "nosl:bar", "/a/b:"]
            ),
            {"index": "d"},
        ),
        "index_name_only": (
            pa.RecordBatch.from_arrays(
                [pa.array([1, 2]), pa.array([1.0, 2])],
                schema=pa.schema([_field("s", pa.int64(), index_name="foo"), _field("v", pa.float64())]),
            ),
            {},
        ),
    }
    for i, kind in enumerate(kinds):
        cases[f"values_{kind.type}"] = (
            pa.RecordBatch.from_arrays([*columns, kind], names=["d", f"v{i}"]),
            {"index": "d"},
        )
    return cases


ERRORS = {
    "ambiguous": (lambda c: (c["two_indexes"][0], {})),
    "static_with_index_metadata": (lambda c: (c["metadata"][0], {"index": None})),
    "unknown_index": (lambda c: (c["two_indexes"][0], {"index": "nope"})),
    "float_index": (lambda c: (c["two_indexes"][0], {"index": "v"})),
    "string_index": (lambda c: (c["metadata"][0], {"index": "w"})),
    "null_index": (
        lambda c: (
            pa.RecordBatch.from_arrays([pa.array([1, None]), pa.array([1.0, 2])], names=["d", "v"]),
            {"index": "d"},
        )
    ),
    "no_components": (lambda c: (pa.RecordBatch.from_arrays([pa.array([1])], names=["d"]), {"index": "d"})),
    "duplicate_component": (
        lambda c: (pa.RecordBatch.from_arrays([pa.array([1])] * 3, names=["d", "v", "v"]), {"index": "d"})
    ),
    "identified_two_entities": (
        lambda c: (
            c["identified"][0].append_column(_field("x", pa.float64(), entity_path="/o"), pa.array([1.0, 2])),
            {},
        )
    ),
}


def _comparable(batch: pa.RecordBatch) -> dict:
    """A chunk's columns less its row ids, with times as int64 and the metadata that matters."""
    out = {}
    for field, column in zip(batch.schema, batch.columns, strict=True):
        meta = {k.decode(): v.decode() for k, v in (field.metadata or {}).items()}
        if meta.get("rerun:kind") == "control":
            continue
        if pa.types.is_temporal(column.type):
            column = column.view(pa.int64())
        key = tuple(
            meta.get(f"rerun:{k}") for k in ("kind", "index_name", "component", "archetype", "component_type")
        )
        out[key] = (str(field.type).split(",")[0], column.to_string())
    return out


@pytest.mark.parametrize("case", list(_batches()))
def test_record_batch_reads_as_rerun_reads_it(case: str) -> None:
    batch, kwargs = _batches()[case]
    ours = chunks_from_record_batch(batch, tuids=TuidGenerator(), **kwargs)
    theirs = RerunChunk.from_record_batch(batch, **kwargs)
    assert [(c.entity_path, c.is_static, _comparable(c.batch)) for c in ours] == [
        (c.entity_path, c.is_static, _comparable(c.to_record_batch())) for c in theirs
    ]
    if case == "identified":
        ((chunk,),) = [ours]
        assert str(chunk.id) == theirs[0].id  # an identified chunk keeps its ids


@pytest.mark.parametrize("case", list(ERRORS))
def test_record_batch_errors_where_rerun_errs(case: str) -> None:
    batch, kwargs = ERRORS[case](_batches())
    with pytest.raises(ValueError):
        RerunChunk.from_record_batch(batch, **kwargs)
    with pytest.raises(ValueError):
        chunks_from_record_batch(batch, tuids=TuidGenerator(), **kwargs)


def test_send_dataframe_takes_tables_readers_and_arrow_streams(rec) -> None:
    recording, chunks = rec
    table = pa.table({"f": [1, 2, 3], "v": [0.5, 1.5, 2.5]})
    recording.send_dataframe(table, index="f", entity_path="table")
    recording.send_dataframe(table.to_reader(), index="f", entity_path="reader")
    recording.send_dataframe(
        pa.Table.from_batches(table.to_batches(max_chunksize=2)), index="f", entity_path="two"
    )
    got = sorted((c.entity_path, c.num_rows) for c in chunks())
    assert got == [("/reader", 3), ("/table", 3), ("/two", 1), ("/two", 2)]
    with pytest.raises(TypeError, match="pyarrow Table"):
        rr.send_dataframe({"f": [1]}, recording)


def test_send_chunks_takes_chunks_recordings_and_rerun_chunks(rec) -> None:
    recording, chunks = rec
    source = DATA / "points3d.rrd"
    recording.send_chunks(rr.load(source))
    expected = sorted(str(c.id) for _, c in read_chunks(source))
    assert sorted(str(c.id) for c in chunks()) == expected
    (theirs,) = RerunChunk.from_record_batch(pa.record_batch({"v": [1]}), index=None, entity_path="rerun")
    recording.send_chunks([theirs])
    assert [str(c.id) for c in chunks() if c.entity_path == "/rerun"] == [theirs.id]
    with pytest.raises(TypeError, match="send_chunks"):
        recording.send_chunks([pa.record_batch({"v": [1]})])


# ---- small helpers and the out-of-scope stand-ins -----------------------------------------------------


def test_asarray_and_importer_exit_code() -> None:
    data = [1, 2]
    assert rr.asarray(data, dtype=np.float32).dtype == np.float32
    array = np.arange(3)
    assert rr.asarray(array) is array and rr.asarray(array, copy=True) is not array
    assert rr.EXTERNAL_IMPORTER_INCOMPATIBLE_EXIT_CODE == rerun.EXTERNAL_IMPORTER_INCOMPATIBLE_EXIT_CODE


def test_out_of_scope_table_names_only_rerun_viewer_calls() -> None:
    assert set(OUT_OF_SCOPE) <= set(dir(rerun))
    assert all(line and "\n" not in line for line in OUT_OF_SCOPE.values())


@pytest.mark.parametrize("name", [n for n in OUT_OF_SCOPE if n != "tracing_session"])
def test_out_of_scope_calls_warn_once_and_return(name: str) -> None:
    call = getattr(rr, name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert call() is None
        assert call() is None
    assert [str(w.message) for w in caught] == [f"rr.{name}(): {OUT_OF_SCOPE[name]}"]


def test_tracing_session_is_a_silent_scope() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with rr.tracing_session() as session:
            assert session == ""


# ---- files equal to rerun-sdk's -------------------------------------------------------------------------


@pytest.mark.interop
def test_logging_handler_matches_rerun(script_matches_rerun) -> None:
    script_matches_rerun(SCRIPTS / "logging_handler.py")


@pytest.mark.interop
def test_dynamic_archetype_matches_rerun(script_matches_rerun) -> None:
    script_matches_rerun(SCRIPTS / "dynamic_archetype.py")


@pytest.mark.interop
@pytest.mark.parametrize("mode", ["chunks", "batches"])
@pytest.mark.parametrize("source", ["points3d", "transform3d", "properties"])
def test_send_dataframe_and_chunks_match_rerun(script_matches_rerun, source: str, mode: str) -> None:
    script_matches_rerun(SCRIPTS / "send_dataframe.py", DATA / f"{source}.rrd", mode)


@pytest.mark.interop
def test_binary_stream_matches_rerun(script_matches_rerun) -> None:
    script_matches_rerun(SCRIPTS / "binary_stream.py", "stream")


@pytest.mark.interop
def test_binary_stream_equals_a_saved_file(rerun_cli, tmp_path: Path) -> None:
    env = {**os.environ, "RERUN_FLUSH_TICK_SECS": "1000", "RERUN_ANALYTICS": "0"}
    paths = {mode: tmp_path / f"{mode}.rrd" for mode in ("stream", "save")}
    for mode, path in paths.items():
        script = [sys.executable, SCRIPTS / "binary_stream.py", path, "rerender", mode]
        subprocess.run(script, check=True, env=env, capture_output=True, timeout=300)
    compare = rerun_cli("rrd", "compare", "--unordered", paths["save"], paths["stream"])
    assert compare.returncode == 0, compare.stderr + compare.stdout
