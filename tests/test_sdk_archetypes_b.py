"""Plot, graph, geo and video archetypes of rerender.sdk vs rerun-sdk 0.41 (the oracle).

Same method as test_sdk_archetypes.py: each case `build(mod, files)` runs once with `mod = rerun` and once
with our classes; both must give identical component batches (descriptors, Arrow types incl. nested
nullability, values). The interop test logs them all under both SDKs and compares the .rrd files.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import rerender.sdk as ours_sdk
from rerender.sdk import ArchetypeError
from tests.test_sdk_archetypes import assert_same_batches

rr = pytest.importorskip("rerun")

Build = Callable[[Any, dict[str, Path]], Any]

# Our classes under rerun-sdk's names: top-level, else in rerender.components (as rerun has them).
ours = SimpleNamespace(
    **{
        name: getattr(ours_sdk, name, None) or getattr(importlib.import_module("rerender.components"), name)
        for name in [
            "MediaType",
            "SeriesLines",
            "SeriesPoints",
            "GraphNodes",
            "GraphEdges",
            "GeoPoints",
            "GeoLineStrings",
            "AssetVideo",
            "AssetAudio",
            "VideoFrameReference",
            "VideoStream",
            "AggregationPolicy",
            "InterpolationMode",
            "MarkerShape",
            "GraphType",
            "VideoCodec",
            "GraphEdge",
        ]
    },
)


def enum(mod: Any, name: str) -> Any:
    """An enum or value class: rerun keeps some only in `rerun.components`."""
    return getattr(mod, name, None) or getattr(mod.components, name)


@pytest.fixture(autouse=True)
def _strict():
    """Both SDKs raise on bad input, so a bad case cannot pass by accident."""
    rr.set_strict_mode(True)
    ours_sdk.set_strict_mode(True)
    yield
    rr.set_strict_mode(False)
    ours_sdk.set_strict_mode(False)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small media files (contents need not decode: the SDKs log the bytes as they are)."""
    root = tmp_path_factory.mktemp("media_assets")
    paths = {
        "mp4": root / "clip.MP4",
        "wav": root / "sound.wav",
        "mp3": root / "sound.mp3",
        "opus": root / "voice.opus",
        "bin": root / "x.bin",
    }
    for i, path in enumerate(paths.values()):
        path.write_bytes(bytes(range(i, i + 40)))
    return paths


LAT_LON = [[48.8566, 2.3522], [51.5072, -0.1276], [40.7128, -74.006]]

CASES: dict[str, Build] = {
    # SeriesLines
    "series_lines/all": lambda m, f: m.SeriesLines(
        colors=[[255, 0, 0], [0, 255, 0]],
        widths=[2, 4.5],
        names=["sin", "cos"],
        visible_series=[True, False],
        aggregation_policy="minmax",
        interpolation_mode=enum(m, "InterpolationMode").StepAfter,
    ),
    "series_lines/docs_example": lambda m, f: m.SeriesLines(colors=[255, 0, 0], names="sin(0.01t)", widths=2),
    "series_lines/none": lambda m, f: m.SeriesLines(),
    "series_lines/packed_color_int_enums": lambda m, f: m.SeriesLines(
        colors=0xFF8800FF, aggregation_policy=6, interpolation_mode="stepmid"
    ),
    "series_lines/enum_members": lambda m, f: m.SeriesLines(
        aggregation_policy=enum(m, "AggregationPolicy").MinMaxAverage,
        interpolation_mode="StepBefore",
        visible_series=True,
    ),
    "series_lines/numpy": lambda m, f: m.SeriesLines(
        colors=np.array([[0.5, 0.25, 1.0], [1, 1, 1]], dtype=np.float32),
        widths=np.array([1.0, 2.0]),
        names=np.array(["a", "b"]),
    ),
    # SeriesPoints
    "series_points/default_marker": lambda m, f: m.SeriesPoints(),
    "series_points/docs_example": lambda m, f: m.SeriesPoints(
        colors=[255, 0, 0], names="sin(0.01t)", markers="circle", marker_sizes=4
    ),
    "series_points/markers": lambda m, f: m.SeriesPoints(
        markers=["cross", enum(m, "MarkerShape").Asterisk, 3, "DIAMOND"],
        marker_sizes=[1, 2, 3, 4],
        visible_series=[True, False, True, True],
    ),
    "series_points/only_names": lambda m, f: m.SeriesPoints(names=["x", "y"]),
    "series_points/only_sizes": lambda m, f: m.SeriesPoints(marker_sizes=2.5),
    "series_points/enum_member": lambda m, f: m.SeriesPoints(markers=enum(m, "MarkerShape").Up),
    # GraphNodes
    "graph_nodes/all": lambda m, f: m.GraphNodes(
        ["a", "b", "c"],
        positions=[[0, 0], [1, 2], [3.5, -1]],
        colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255]],
        labels=["A", "B", "C"],
        show_labels=False,
        radii=[1, 2, 3],
    ),
    "graph_nodes/ids_only": lambda m, f: m.GraphNodes(["x", "y"]),
    "graph_nodes/one_string": lambda m, f: m.GraphNodes("lonely", labels="L", radii=5),
    "graph_nodes/int_ids_numpy_positions": lambda m, f: m.GraphNodes(
        [1, 2, 3], positions=np.arange(6, dtype=np.float64).reshape(3, 2), show_labels=True
    ),
    "graph_nodes/numpy_ids": lambda m, f: m.GraphNodes(np.array(["n0", "n1"]), colors=0x00FF00FF),
    "graph_nodes/empty": lambda m, f: m.GraphNodes([]),
    # GraphEdges
    "graph_edges/tuples": lambda m, f: m.GraphEdges([("a", "b"), ("b", "c"), ("c", "a")]),
    "graph_edges/directed": lambda m, f: m.GraphEdges([["a", "b"]], graph_type="directed"),
    "graph_edges/enum": lambda m, f: m.GraphEdges([("x", "y")], graph_type=enum(m, "GraphType").Undirected),
    "graph_edges/int_graph_type": lambda m, f: m.GraphEdges([("x", "y")], graph_type=2),
    "graph_edges/numpy": lambda m, f: m.GraphEdges(np.array([["1", "2"], ["2", "3"]])),
    "graph_edges/objects": lambda m, f: m.GraphEdges(
        [enum(m, "GraphEdge")("a", "b"), enum(m, "GraphEdge")("b", "a")]
    ),
    "graph_edges/one_object": lambda m, f: m.GraphEdges(enum(m, "GraphEdge")("p", "q")),
    "graph_edges/int_ids": lambda m, f: m.GraphEdges([(1, 2), (2, 3)]),
    "graph_edges/two_char_strings": lambda m, f: m.GraphEdges(["ab", "cd"]),
    "graph_edges/empty": lambda m, f: m.GraphEdges([]),
    # GeoPoints
    "geo_points/all": lambda m, f: m.GeoPoints(
        lat_lon=LAT_LON,
        radii=[-5, 10, 2.5],
        colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255]],
        class_ids=[1, 2, 3],
    ),
    "geo_points/one": lambda m, f: m.GeoPoints(lat_lon=[59.319221, 18.075631], radii=-10, colors=0xFF0000FF),
    "geo_points/numpy_f32": lambda m, f: m.GeoPoints(lat_lon=np.array(LAT_LON, dtype=np.float32)),
    "geo_points/flat": lambda m, f: m.GeoPoints(lat_lon=[1.0, 2.0, 3.0, 4.0], class_ids=7),
    "geo_points/precision": lambda m, f: m.GeoPoints(lat_lon=[[12.345678901234, -98.765432109876]]),
    "geo_points/empty": lambda m, f: m.GeoPoints(lat_lon=np.zeros((0, 2))),
    # GeoLineStrings
    "geo_line_strings/one_strip": lambda m, f: m.GeoLineStrings(
        lat_lon=LAT_LON, radii=2.0, colors=[0, 0, 255]
    ),
    "geo_line_strings/strips": lambda m, f: m.GeoLineStrings(
        lat_lon=[LAT_LON, LAT_LON[:2]], radii=[1, -3], colors=[[255, 0, 0], [0, 255, 0]]
    ),
    "geo_line_strings/numpy_strips": lambda m, f: m.GeoLineStrings(
        lat_lon=[np.array(LAT_LON), np.array(LAT_LON[1:], dtype=np.float32)]
    ),
    "geo_line_strings/numpy_2d": lambda m, f: m.GeoLineStrings(lat_lon=np.array(LAT_LON)),
    "geo_line_strings/numpy_3d": lambda m, f: m.GeoLineStrings(lat_lon=np.arange(12.0).reshape(2, 3, 2)),
    "geo_line_strings/point_arrays": lambda m, f: m.GeoLineStrings(
        lat_lon=[np.array([1.0, 2.0]), np.array([3.0, 4.0])]
    ),
    "geo_line_strings/empty": lambda m, f: m.GeoLineStrings(lat_lon=[]),
    # AssetVideo
    "asset_video/path": lambda m, f: m.AssetVideo(path=f["mp4"]),
    "asset_video/path_str_media_type": lambda m, f: m.AssetVideo(path=str(f["bin"]), media_type="video/mp4"),
    "asset_video/path_unknown_type": lambda m, f: m.AssetVideo(path=f["bin"]),
    "asset_video/contents": lambda m, f: m.AssetVideo(
        contents=b"\x00\x00\x00\x18ftypmp42", media_type="video/mp4"
    ),
    "asset_video/contents_no_type": lambda m, f: m.AssetVideo(contents=bytes(range(256))),
    "asset_video/file_object": lambda m, f: m.AssetVideo(contents=io.BytesIO(b"abcdef")),
    "asset_video/numpy": lambda m, f: m.AssetVideo(contents=np.arange(10, dtype=np.uint8)),
    "asset_video/media_type_constant": lambda m, f: m.AssetVideo(contents=b"x", media_type=m.MediaType.MP4),
    # AssetAudio
    "asset_audio/wav": lambda m, f: m.AssetAudio(path=f["wav"]),
    "asset_audio/mp3": lambda m, f: m.AssetAudio(path=f["mp3"]),
    "asset_audio/opus": lambda m, f: m.AssetAudio(path=f["opus"]),
    "asset_audio/contents": lambda m, f: m.AssetAudio(contents=b"RIFF....WAVE", media_type=m.MediaType.WAV),
    # VideoFrameReference
    "video_frame_reference/nanos_positional": lambda m, f: m.VideoFrameReference(123_456_789),
    "video_frame_reference/seconds": lambda m, f: m.VideoFrameReference(seconds=1.5),
    "video_frame_reference/seconds_rounding": lambda m, f: m.VideoFrameReference(seconds=0.1234567894),
    "video_frame_reference/nanoseconds": lambda m, f: m.VideoFrameReference(nanoseconds=42),
    "video_frame_reference/all": lambda m, f: m.VideoFrameReference(
        seconds=3.0, video_reference="video", opacity=0.5, draw_order=-15
    ),
    "video_frame_reference/numpy_int": lambda m, f: m.VideoFrameReference(
        np.int64(10**12), video_reference="/a/b"
    ),
    # VideoStream
    "video_stream/codec_only": lambda m, f: m.VideoStream(codec="h264"),
    "video_stream/enum": lambda m, f: m.VideoStream(
        m.VideoCodec.AV1, sample=b"\x12\x00\x0a", is_keyframe=True, opacity=0.75, draw_order=2
    ),
    "video_stream/all_codecs": lambda m, f: m.VideoStream(["H264", "H265", "VP8", "vp9", "AV1"]),
    "video_stream/int_codec": lambda m, f: m.VideoStream(0x68657631, sample=np.arange(5, dtype=np.uint8)),
    "video_stream/not_keyframe": lambda m, f: m.VideoStream("H265", sample=bytes(100), is_keyframe=False),
    "video_stream/samples_list": lambda m, f: m.VideoStream("H264", sample=[b"ab", b"cde", b""]),
    "video_stream/samples_2d": lambda m, f: m.VideoStream("H264", sample=np.arange(6).reshape(2, 3)),
    "video_stream/samples_arrays": lambda m, f: m.VideoStream(
        "VP9", sample=[np.array([1, 2, 3], dtype=np.uint8), [4, 5]]
    ),
    "video_stream/sample_file_object": lambda m, f: m.VideoStream("VP8", sample=io.BytesIO(b"\x01\x02")),
    "video_stream/empty_sample": lambda m, f: m.VideoStream("H264", sample=b""),
    # rerun-sdk's quirks, kept: a bytearray (or any non-bytes sequence) is one blob per item.
    "video_stream/bytearray_is_blob_per_byte": lambda m, f: m.VideoStream("H264", sample=bytearray(b"ab")),
    "asset_video/int_list_is_blob_per_item": lambda m, f: m.AssetVideo(contents=[1, 2, 3]),
    # rerun-sdk's own value objects are accepted too.
    "video_frame_reference/rerun_timestamp_object": lambda m, f: m.VideoFrameReference(
        rr.components.VideoTimestamp(seconds=2.5)
    ),
    "geo_line_strings/rerun_objects": lambda m, f: m.GeoLineStrings(
        lat_lon=[rr.components.GeoLineString(lat_lon=LAT_LON), LAT_LON[:2]]
    ),
    "graph_edges/rerun_objects": lambda m, f: m.GraphEdges([rr.GraphEdge("a", "b"), ("b", "c")]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_batches_as_rerun(case: str, files: dict[str, Path]) -> None:
    build = CASES[case]
    assert_same_batches(build(ours, files), build(rr, files))


def _columns(column_list: Any) -> list[tuple[str, pa.Array]]:
    """(component, one list cell per row) of each column, from either SDK's `columns()`."""
    out = []
    for column in column_list:
        if hasattr(column, "as_list_arrays"):  # ours
            ((descriptor, array),) = column.as_list_arrays()
        else:
            descriptor, array = column.component_descriptor(), column.as_arrow_array()
        out.append((descriptor.component, array))
    return out


COLUMN_CASES: dict[str, Callable[[Any], Any]] = {
    "series_lines": lambda m: m.SeriesLines.columns(widths=[1, 2, 3], names=["a", "b", "c"]),
    "series_points_no_default": lambda m: m.SeriesPoints.columns(marker_sizes=[1, 2]),
    "geo_points_by_field": lambda m: m.GeoPoints.columns(positions=LAT_LON, radii=[1, 2, 3]),
    "geo_line_strings_by_field": lambda m: m.GeoLineStrings.columns(line_strings=[LAT_LON, LAT_LON]),
    "graph_nodes_partitioned": lambda m: m.GraphNodes.columns(node_ids=["a", "b", "c"]).partition([2, 1]),
    "video_stream_samples": lambda m: m.VideoStream.columns(
        sample=[b"ab", b"c", b"def"], is_keyframe=[1, 0, 0]
    ),
    "video_stream_codec": lambda m: m.VideoStream.columns(codec=["H264"]),
    "asset_video_blob": lambda m: m.AssetVideo.columns(blob=[b"abc"], media_type=["video/mp4"]),
    "frame_reference_nanos": lambda m: m.VideoFrameReference.columns_nanos([0, 40_000_000, 80_000_000]),
    "frame_reference_millis": lambda m: m.VideoFrameReference.columns_millis([0, 40, 80.7]),
    "frame_reference_secs": lambda m: m.VideoFrameReference.columns_secs([0, 1.9, 2]),
    "frame_reference_timestamp": lambda m: m.VideoFrameReference.columns(
        timestamp=[1, 2], video_reference=["v", "v"]
    ),
}


@pytest.mark.parametrize("case", sorted(COLUMN_CASES))
def test_columns_like_rerun(case: str) -> None:
    mine, theirs = _columns(COLUMN_CASES[case](ours)), _columns(COLUMN_CASES[case](rr))
    assert [name for name, _ in mine] == [name for name, _ in theirs]
    for (name, got), (_, expected) in zip(mine, theirs, strict=True):
        assert got.type.value_type == expected.type.value_type, name
        assert got.to_pylist() == expected.to_pylist(), name


@pytest.mark.parametrize(
    "build",
    [
        lambda m: m.GraphEdges(("a", "b")),  # a single tuple is not a list of pairs
        lambda m: m.GeoPoints(lat_lon=[[1, 2, 3]]),
        lambda m: m.VideoStream("H264", sample="text"),
        lambda m: m.SeriesPoints(markers="blob"),
    ],
)
def test_both_reject(build: Callable[[Any], Any]) -> None:
    with pytest.raises(ArchetypeError):
        build(ours)
    with pytest.raises((ValueError, TypeError)):
        build(rr)


@settings(max_examples=40, deadline=None)
@given(samples=st.lists(st.binary(max_size=20), max_size=5), keyframes=st.booleans())
def test_video_samples_random(samples: list[bytes], keyframes: bool) -> None:
    build = CASES_RANDOM["video_stream"]
    assert_same_batches(build(ours, samples, keyframes), build(rr, samples, keyframes))


@settings(max_examples=40, deadline=None)
@given(
    strips=st.lists(
        hnp.arrays(np.float64, st.tuples(st.integers(0, 5), st.just(2)), elements=st.floats(-90, 90)),
        min_size=1,
        max_size=4,
    )
)
def test_geo_line_strings_random(strips: list[np.ndarray]) -> None:
    assert_same_batches(
        ours.GeoLineStrings(lat_lon=strips, radii=1.0), rr.GeoLineStrings(lat_lon=strips, radii=1.0)
    )


CASES_RANDOM: dict[str, Callable[..., Any]] = {
    "video_stream": lambda m, samples, keyframe: m.VideoStream("H264", sample=samples, is_keyframe=keyframe),
}


def test_enums_match_rerun() -> None:
    for name in ["AggregationPolicy", "InterpolationMode", "MarkerShape", "GraphType", "VideoCodec"]:
        theirs = enum(rr, name)
        assert {m.name: m.value for m in getattr(ours, name)} == {m.name: m.value for m in theirs}, name


@pytest.mark.parametrize(
    ("build", "argument", "expected"),
    [
        (lambda: ours.SeriesLines(aggregation_policy="sometimes"), "aggregation_policy", "AggregationPolicy"),
        (lambda: ours.SeriesPoints(markers=["circle", "blob"]), "markers", "MarkerShape"),
        (lambda: ours.GraphNodes(["a", "b"], radii=[1, 2, 3]), "radii", "expected 2, or 1"),
        (lambda: ours.GraphEdges([("a", "b", "c")]), "edges", "(first, second) pairs"),
        (lambda: ours.GraphEdges(np.zeros((2, 3))), "edges", "2-column"),
        (lambda: ours.GeoPoints(lat_lon=[[1, 2, 3]]), "lat_lon", "(N, 2)"),
        (lambda: ours.GeoLineStrings(lat_lon=[[1, 2, 3], [4, 5, 6]]), "lat_lon", "expected 2"),
        (lambda: ours.AssetVideo(), "path", "exactly one"),
        (lambda: ours.AssetVideo(path="/nonexistent/video.mp4"), "path", "could not be read"),
        (lambda: ours.AssetAudio(path="a.wav", contents=b""), "path", "exactly one"),
        (lambda: ours.VideoFrameReference(), "timestamp", "seconds or nanoseconds"),
        (lambda: ours.VideoFrameReference(1, seconds=1.0), "timestamp", "only one"),
        (lambda: ours.VideoFrameReference(seconds=1.0, nanoseconds=1), "seconds", "only one"),
        (lambda: ours.VideoFrameReference(1.5), "timestamp", "seconds="),
        (lambda: ours.VideoStream("mpeg2"), "codec", "VideoCodec"),
        (lambda: ours.VideoStream("H264", sample="not bytes"), "sample", "expected bytes"),
    ],
)
def test_errors_name_archetype_and_argument(build: Callable[[], Any], argument: str, expected: str) -> None:
    with pytest.raises(ArchetypeError) as info:
        build()
    assert info.value.argument == argument
    assert expected in str(info.value)


def test_float_timestamp_warns_outside_strict_mode() -> None:
    ours_sdk.set_strict_mode(False)
    with pytest.warns(UserWarning, match="seconds"):
        frame = ours.VideoFrameReference(2.9)
    assert frame.as_component_batches()[0].array.to_pylist() == [2]


def test_non_strict_bad_input_is_kept_as_error() -> None:
    ours_sdk.set_strict_mode(False)
    stream = ours.VideoStream("mpeg2")
    assert stream.as_component_batches() == []
    assert stream._rerender_error is not None and stream._rerender_error.argument == "codec"


# ---- interop: the same script under both SDKs gives equal .rrd files -----------------------------------

SCRIPT = Path(__file__).parent / "scripts" / "archetypes_b.py"


@pytest.mark.interop
def test_script_equals_rerun_sdk(script_matches_rerun, tmp_path: Path) -> None:
    script_matches_rerun(SCRIPT, tmp_path)
