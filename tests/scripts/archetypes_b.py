"""Log every plot, graph, geo and video archetype, under rerun-sdk 0.41 or under rerender.

Usage:  python archetypes_b.py OUT.rrd rerun|rerender ASSET_DIR

Under rerender the archetypes come straight from their modules (rerender.sdk.archetypes.plots, graphs,
geo, media), so the script works before they are exported at top level.
"""

import importlib
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

out, sdk, assets = sys.argv[1], sys.argv[2], Path(sys.argv[3])

# The same names from both SDKs' public namespaces: top-level, else rr.components.
rr = importlib.import_module("rerun" if sdk == "rerun" else "rerender")
A = SimpleNamespace(
    **{
        name: getattr(rr, name, None) or getattr(rr.components, name)
        for name in [
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
            "MarkerShape",
            "AggregationPolicy",
            "InterpolationMode",
            "GraphType",
            "VideoCodec",
            "GraphEdge",
        ]
    }
)

video = assets / "clip.mp4"
video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(200)))
audio = assets / "sound.wav"
audio.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(32))

rec = rr.RecordingStream("rerender_archetypes_b", recording_id="archetypes_b")
rec.save(out)

# Time series styles (static) and their data.
rec.log(
    "plots/sin",
    A.SeriesLines(colors=[255, 0, 0], names="sin(0.01t)", widths=2, aggregation_policy="MinMax"),
    static=True,
)
rec.log(
    "plots/pair",
    A.SeriesLines(
        colors=[[0, 255, 0], [0, 0, 255]],
        names=["a", "b"],
        visible_series=[True, False],
        interpolation_mode=A.InterpolationMode.StepAfter,
    ),
    static=True,
)
rec.log("plots/dots", A.SeriesPoints(), static=True)
rec.log(
    "plots/marks",
    A.SeriesPoints(colors=0xFF00FFFF, markers=["cross", "asterisk"], marker_sizes=[2, 4], names=["x", "y"]),
    static=True,
)
for t in range(5):
    rec.set_time("step", sequence=t)
    rec.log("plots/sin", rr.Scalars(np.sin(t / 10)))
    rec.log("plots/pair", rr.Scalars([t, -t]))
    rec.log("plots/dots", rr.Scalars(t * 0.5))
rec.send_columns(
    "plots/columns",
    indexes=[rr.TimeColumn("step", sequence=[10, 11, 12])],
    columns=A.SeriesLines.columns(widths=[1, 2, 3], names=["p", "q", "r"]),
)

# A graph.
rec.set_time("step", sequence=0)
rec.log(
    "graph",
    A.GraphNodes(
        ["a", "b", "c"],
        positions=[[0, 0], [1, 2], [3, 1]],
        colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255]],
        labels=["A", "B", "C"],
        show_labels=True,
        radii=[1, 2, 3],
    ),
)
rec.log("graph", A.GraphEdges([("a", "b"), A.GraphEdge("b", "c")], graph_type="directed"))
rec.log("graph_undirected", A.GraphNodes([1, 2]), A.GraphEdges(np.array([["1", "2"]])))

# A map.
lat_lon = [[48.8566, 2.3522], [51.5072, -0.1276], [40.7128, -74.006]]
rec.log("map/cities", A.GeoPoints(lat_lon=lat_lon, radii=-5, colors=[255, 128, 0], class_ids=[1, 2, 3]))
rec.log(
    "map/routes",
    A.GeoLineStrings(
        lat_lon=[lat_lon, np.array(lat_lon[1:])], radii=[2, -1], colors=[[0, 0, 255], [0, 255, 0]]
    ),
)
rec.log("map/one", A.GeoPoints(lat_lon=[59.319221, 18.075631]), static=True)

# Video and audio.
rec.log("video", A.AssetVideo(path=video), static=True)
rec.log("video_bytes", A.AssetVideo(contents=video.read_bytes(), media_type="video/mp4"), static=True)
rec.log("audio", A.AssetAudio(path=audio), static=True)
for t in range(3):
    rec.set_time("video_time", duration=t * 0.04)
    rec.log("video", A.VideoFrameReference(seconds=t * 0.04))
    rec.log(
        "video_ref", A.VideoFrameReference(nanoseconds=t * 40_000_000, video_reference="video", opacity=0.5)
    )
rec.send_columns(
    "video_cols",
    indexes=[rr.TimeColumn("video_time", duration=[1.0, 1.04])],
    columns=A.VideoFrameReference.columns_nanos([1_000_000_000, 1_040_000_000]),
)
rec.log("stream", A.VideoStream(A.VideoCodec.H264), static=True)
for t in range(3):
    rec.set_time("step", sequence=100 + t)
    rec.log("stream", A.VideoStream("H264", sample=bytes([0, 0, 0, 1, 0x65 + t]) * 3, is_keyframe=t == 0))
rec.send_columns(
    "stream_cols",
    indexes=[rr.TimeColumn("step", sequence=[200, 201])],
    columns=A.VideoStream.columns(
        sample=[b"\x00\x00\x01\x09", b"\x00\x00\x01\x41\x9a"], is_keyframe=[True, False]
    ),
)
rec.log("stream_av1", A.VideoStream("av1", opacity=0.8, draw_order=3), static=True)
rec.disconnect()
