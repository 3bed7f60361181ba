"""Log the ellipse, depth, frame, recording-info, splat and measurement archetypes (rerun-sdk or rerender).

Usage:  python archetypes_c.py OUT.rrd rerun|rerender

The archetypes and enums come from each SDK's public `archetypes` and `components` namespaces.
"""

import importlib
import sys
from types import SimpleNamespace

import numpy as np

out, sdk = sys.argv[1], sys.argv[2]
NAMES = {
    "Ellipses2D": "ellipses",
    "EncodedDepthImage": "depth",
    "TransformAxes3D": "frames",
    "CoordinateFrame": "frames",
    "RecordingInfo": "recording_info",
    "GaussianSplats3D": "splats",
    "Measurements": "measurements",
}
ENUMS = ["Colormap", "MagnificationFilter", "AggregationPolicy", "InterpolationMode"]

# The same public names from either SDK: rr.archetypes and rr.components.
rr = importlib.import_module("rerun" if sdk == "rerun" else "rerender")
A = SimpleNamespace(
    **{name: getattr(rr.archetypes, name) for name in NAMES},
    **{name: getattr(rr.components, name) for name in ENUMS},
)

rec = rr.RecordingStream("rerender_archetypes_c", recording_id="archetypes_c")
rec.save(out)

# Recording info logged as ordinary data, and as the recording's properties.
rec.log("info", A.RecordingInfo(start_time=1_700_000_000_000_000_000, name="archetypes c"), static=True)
rec.log("info_name_only", A.RecordingInfo(name="just a name"), static=True)

# Ellipses.
for t in range(3):
    rec.set_time("step", sequence=t)
    rec.log(
        "ellipses",
        A.Ellipses2D(
            half_sizes=[[2 + t, 1], [1, 3]],
            centers=[[0, 0], [4.5, -1]],
            line_radii=[0.1, 0.2],
            colors=[[255, 0, 0], [0, 255, 0]],
            labels=["a", "b"],
            show_labels=t % 2 == 0,
            draw_order=3,
            class_ids=[1, 2],
        ),
    )
rec.log("ellipses_one", A.Ellipses2D(half_sizes=[3, 2], colors=0xFF00FFFF), static=True)
rec.send_columns(
    "ellipses_cols",
    indexes=[rr.TimeColumn("step", sequence=[10, 11])],
    columns=A.Ellipses2D.columns(half_sizes=np.ones((2, 3, 2)), centers=np.zeros((2, 3, 2))),
)

# Compressed depth.
rec.log(
    "depth",
    A.EncodedDepthImage(
        b"RVL\x00" + bytes(range(64)),
        media_type="image/x-rvl",
        meter=1000,
        colormap="turbo",
        depth_range=[0.1, 10],
        point_fill_ratio=0.5,
        draw_order=-1,
        magnification_filter=A.MagnificationFilter.Linear,
    ),
    static=True,
)
rec.log("depth_bare", A.EncodedDepthImage(np.arange(16, dtype=np.uint8), colormap=A.Colormap.Viridis))

# Frames.
rec.log("world/robot", A.TransformAxes3D(0.5, show_frame=True), A.CoordinateFrame("robot"), static=True)
rec.log("world/camera", A.TransformAxes3D(1.0), static=True)
rec.log("world/camera", A.CoordinateFrame("camera"))

# Splats.
rng = np.random.default_rng(3)
rec.log(
    "splats",
    A.GaussianSplats3D(
        rng.normal(size=(5, 3)),
        scales=np.full((5, 3), 0.05),
        quaternions=rng.normal(size=(5, 4)),
        colors=rng.uniform(size=(5, 4)).astype(np.float32),
        sh_coefficients=rng.normal(size=(5, 15, 3)),
        spherical_harmonics_degree=3,
    ),
)
rec.log("splats_plain", A.GaussianSplats3D([[0, 0, 0], [1, 1, 1]], colors=[255, 0, 0]), static=True)

# Measurements over time, and cleared at the end.
for t in range(4):
    rec.set_time("step", sequence=t)
    rec.log(
        "measured",
        A.Measurements(
            [np.sin(t), np.cos(t)],
            variances=[0.01 * t, 0.02],
            units=["m", "m"],
            colors=[[255, 0, 0], [0, 0, 255]],
            widths=[1, 2],
            names=["sin", "cos"],
            visible_series=[True, True],
            aggregation_policy="MinMax",
            interpolation_mode=A.InterpolationMode.StepAfter,
        ),
    )
rec.send_columns(
    "measured_cols",
    indexes=[rr.TimeColumn("step", sequence=[20, 21, 22])],
    columns=A.Measurements.columns(values=[1.0, 2.0, 3.0], variances=[0.1, 0.2, 0.3]),
)
rec.set_time("step", sequence=9)
for name in NAMES:
    rec.log(f"cleared/{name}", getattr(A, name).cleared())
rec.log("ellipses", A.Ellipses2D.from_fields(colors=0x00FF00FF))
rec.disconnect()
