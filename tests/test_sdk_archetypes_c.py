"""Ellipse, depth, frame, recording-info, splat and measurement archetypes of rerender.sdk vs rerun-sdk 0.41.

Same method as test_sdk_archetypes_b.py: each case `build(mod)` runs once with `mod = rerun` and once with
our classes; both must give identical component batches. The interop test logs them all under both SDKs
and compares the .rrd files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

import rerender.sdk as ours_sdk
from rerender.sdk import ArchetypeError
from rerender.sdk import enums as ours_enums
from rerender.sdk.archetypes.depth import EncodedDepthImage
from rerender.sdk.archetypes.ellipses import Ellipses2D
from rerender.sdk.archetypes.frames import CoordinateFrame, TransformAxes3D
from rerender.sdk.archetypes.measurements import Measurements
from rerender.sdk.archetypes.recording_info import RecordingInfo
from rerender.sdk.archetypes.splats import GaussianSplats3D
from tests.test_sdk_archetypes import assert_same_batches

rr = pytest.importorskip("rerun")

ARCHETYPES = {
    "Ellipses2D": Ellipses2D,
    "EncodedDepthImage": EncodedDepthImage,
    "TransformAxes3D": TransformAxes3D,
    "CoordinateFrame": CoordinateFrame,
    "RecordingInfo": RecordingInfo,
    "GaussianSplats3D": GaussianSplats3D,
    "Measurements": Measurements,
}
ENUMS = ["Colormap", "MagnificationFilter", "AggregationPolicy", "InterpolationMode"]
ours = SimpleNamespace(**ARCHETYPES, **{name: getattr(ours_enums, name) for name in ENUMS})
# rerun-sdk keeps RecordingInfo only in `rerun.archetypes` and these enums only in `rerun.components`.
theirs = SimpleNamespace(
    **{name: getattr(rr.archetypes, name) for name in ARCHETYPES},
    **{name: getattr(rr.components, name) for name in ENUMS},
)


@pytest.fixture(autouse=True)
def _strict():
    """Both SDKs raise on bad input, so a bad case cannot pass by accident."""
    rr.set_strict_mode(True)
    ours_sdk.set_strict_mode(True)
    yield
    rr.set_strict_mode(False)
    ours_sdk.set_strict_mode(False)


RNG = np.random.default_rng(7)
SPLAT_CENTERS = RNG.normal(size=(4, 3))
SPLAT_QUATS = RNG.normal(size=(4, 4))
SH_45 = RNG.normal(size=(4, 45)).astype(np.float32)

CASES: dict[str, Callable[[Any], Any]] = {
    # Ellipses2D
    "ellipses2d/all": lambda m: m.Ellipses2D(
        half_sizes=[[2, 1], [1, 3]],
        centers=[[0, 0], [4.5, -1]],
        line_radii=[0.1, 0.2],
        colors=[[255, 0, 0], [0, 255, 0]],
        labels=["a", "b"],
        show_labels=False,
        draw_order=3,
        class_ids=[1, 2],
    ),
    "ellipses2d/one": lambda m: m.Ellipses2D(half_sizes=[3, 2], colors=0xFF00FFFF, line_radii=1),
    "ellipses2d/numpy": lambda m: m.Ellipses2D(
        half_sizes=np.ones((3, 2)), centers=np.arange(6, dtype=np.float64).reshape(3, 2), labels="all"
    ),
    "ellipses2d/nothing": lambda m: m.Ellipses2D(),
    "ellipses2d/centers_only": lambda m: m.Ellipses2D(centers=[[1, 2]], class_ids=np.array([5])),
    "ellipses2d/empty": lambda m: m.Ellipses2D(half_sizes=np.zeros((0, 2))),
    # EncodedDepthImage
    "encoded_depth_image/bytes": lambda m: m.EncodedDepthImage(b"RVL\x00\x01\x02\x03"),
    "encoded_depth_image/all": lambda m: m.EncodedDepthImage(
        b"\x89PNG\r\n\x1a\n" + bytes(20),
        media_type="image/png",
        meter=1000,
        colormap="turbo",
        depth_range=[0.1, 10],
        point_fill_ratio=0.5,
        draw_order=-1,
        magnification_filter="Linear",
    ),
    "encoded_depth_image/enums": lambda m: m.EncodedDepthImage(
        np.arange(16, dtype=np.uint8),
        colormap=m.Colormap.Viridis,
        magnification_filter=m.MagnificationFilter.Nearest,
        depth_range=slice(0, 5),
    ),
    "encoded_depth_image/int_enums_numpy_range": lambda m: m.EncodedDepthImage(
        b"x", colormap=2, magnification_filter=3, depth_range=np.array([1.0, 2.0], dtype=np.float32)
    ),
    "encoded_depth_image/media_type_constant": lambda m: m.EncodedDepthImage(
        b"abc", media_type=rr.MediaType.RVL
    ),
    "encoded_depth_image/list_of_bytes": lambda m: m.EncodedDepthImage([b"ab", b"cde"]),
    # TransformAxes3D
    "transform_axes3d/length": lambda m: m.TransformAxes3D(1.5),
    "transform_axes3d/show_frame": lambda m: m.TransformAxes3D(2, show_frame=True),
    "transform_axes3d/numpy": lambda m: m.TransformAxes3D(np.float64(0.25), show_frame=np.bool_(False)),
    "transform_axes3d/list": lambda m: m.TransformAxes3D([1, 2]),
    # CoordinateFrame
    "coordinate_frame/one": lambda m: m.CoordinateFrame("world"),
    "coordinate_frame/list": lambda m: m.CoordinateFrame(["tf#/robot/arm"]),
    "coordinate_frame/numpy": lambda m: m.CoordinateFrame(np.array(["camera"])),
    # RecordingInfo
    "recording_info/nothing": lambda m: m.RecordingInfo(),
    "recording_info/all": lambda m: m.RecordingInfo(start_time=1_700_000_000_123_456_789, name="My run"),
    "recording_info/name": lambda m: m.RecordingInfo(name="only a name"),
    "recording_info/numpy_time": lambda m: m.RecordingInfo(start_time=np.int64(42)),
    "recording_info/datetime64": lambda m: m.RecordingInfo(
        start_time=np.datetime64("2024-05-06T07:08:09.123456789", "ns")
    ),
    "recording_info/time_int_object": lambda m: m.RecordingInfo(start_time=rr.encodings.TimeInt(seconds=1.5)),
    # GaussianSplats3D
    "gaussian_splats3d/centers": lambda m: m.GaussianSplats3D(SPLAT_CENTERS),
    "gaussian_splats3d/all": lambda m: m.GaussianSplats3D(
        SPLAT_CENTERS,
        scales=np.full((4, 3), 0.1),
        quaternions=SPLAT_QUATS,
        colors=np.array([[1.0, 0.5, 0.0, 0.25]] * 4, dtype=np.float32),
        sh_coefficients=SH_45,
        spherical_harmonics_degree=2,
    ),
    "gaussian_splats3d/sh_15x3": lambda m: m.GaussianSplats3D(
        [[0, 0, 0], [1, 1, 1]], sh_coefficients=np.linspace(-1, 1, 90).reshape(2, 15, 3)
    ),
    "gaussian_splats3d/sh_flat": lambda m: m.GaussianSplats3D([1, 2, 3], sh_coefficients=list(range(45))),
    "gaussian_splats3d/lists": lambda m: m.GaussianSplats3D(
        [[1, 2, 3]],
        scales=[[1, 2, 3]],
        quaternions=[[0, 0, 0, 1]],
        colors=[255, 0, 0],
        spherical_harmonics_degree=0,
    ),
    "gaussian_splats3d/quaternion_object": lambda m: m.GaussianSplats3D(
        [[0, 0, 0]], quaternions=rr.Quaternion(xyzw=[0, 0, 1, 0])
    ),
    "gaussian_splats3d/empty": lambda m: m.GaussianSplats3D(
        np.zeros((0, 3)), sh_coefficients=np.zeros((0, 15, 3))
    ),
    # Measurements
    "measurements/one": lambda m: m.Measurements(3.5),
    "measurements/all": lambda m: m.Measurements(
        [1.0, 2.0],
        variances=[0.1, 0.2],
        units=["m", "s"],
        colors=[[255, 0, 0], [0, 0, 255]],
        widths=[1, 2.5],
        names=["dist", "time"],
        visible_series=[True, False],
        aggregation_policy="MinMax",
        interpolation_mode=m.InterpolationMode.StepAfter,
    ),
    "measurements/numpy": lambda m: m.Measurements(
        np.array([1, 2, 3], dtype=np.float32), variances=np.float64(0.5), units="kg", aggregation_policy=3
    ),
    "measurements/precision": lambda m: m.Measurements([1e-300, 1.0000000000000002], variances=[1e300, 0]),
    "measurements/enum_names": lambda m: m.Measurements(
        1, aggregation_policy=m.AggregationPolicy.Average, interpolation_mode="stepmid"
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_batches_as_rerun(case: str) -> None:
    build = CASES[case]
    assert_same_batches(build(ours), build(theirs))


@pytest.mark.parametrize("name", sorted(ARCHETYPES))
def test_cleared_like_rerun(name: str) -> None:
    assert_same_batches(ARCHETYPES[name].cleared(), getattr(theirs, name).cleared())


FIELD_CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "ellipses_centers": ("Ellipses2D", {"centers": [[1, 2]], "colors": 0x00FF00FF}),
    "depth_meter": ("EncodedDepthImage", {"meter": 500.0}),
    "axes_clear_unset": ("TransformAxes3D", {"show_frame": True, "clear_unset": True}),
    "splat_colors": ("GaussianSplats3D", {"colors": [[0, 0, 255]], "spherical_harmonics_degree": 3}),
    "measurement_units": ("Measurements", {"units": ["m"], "clear_unset": True}),
    "info_name": ("RecordingInfo", {"name": "renamed"}),
}


@pytest.mark.parametrize("case", sorted(FIELD_CASES))
def test_from_fields_like_rerun(case: str) -> None:
    name, fields = FIELD_CASES[case]
    assert_same_batches(ARCHETYPES[name].from_fields(**fields), getattr(theirs, name).from_fields(**fields))


def test_sh_coefficients_arrow_type() -> None:
    (_, _, sh) = (
        b.array
        for b in GaussianSplats3D(
            [[0, 0, 0]], colors=0xFFFFFFFF, sh_coefficients=np.ones(45)
        ).as_component_batches()
    )
    item = pa.field("item", pa.float16(), nullable=False)
    expected = pa.list_(pa.field("item", pa.list_(item, 3), nullable=False), 15)
    assert sh.type == expected
    assert str(sh.type) == str(expected)


@pytest.mark.parametrize(
    "build",
    [
        lambda m: m.GaussianSplats3D([[0, 0, 0]], sh_coefficients=np.zeros((1, 14, 3))),
        lambda m: m.GaussianSplats3D([[0, 0, 0, 1]]),
        lambda m: m.Ellipses2D(half_sizes=[[1, 2, 3]]),
        lambda m: m.EncodedDepthImage(b"x", colormap="rainbow"),
        lambda m: m.Measurements(1, aggregation_policy="sometimes"),
        lambda m: m.EncodedDepthImage(b"x", depth_range=[1, 2, 3]),
    ],
)
def test_both_reject(build: Callable[[Any], Any]) -> None:
    with pytest.raises(ArchetypeError):
        build(ours)
    with pytest.raises((ValueError, TypeError, KeyError)):
        build(theirs)


@pytest.mark.parametrize(
    ("build", "argument", "expected"),
    [
        (lambda: GaussianSplats3D([[0, 0, 0]], sh_coefficients=np.zeros(44)), "sh_coefficients", "(N, 45)"),
        (
            lambda: GaussianSplats3D([[0, 0, 0], [1, 1, 1]], colors=[[1, 2, 3]] * 3),
            "colors",
            "expected 2, or 1",
        ),
        (lambda: Ellipses2D(half_sizes=[[1, 1]] * 2, centers=[[0, 0]] * 3), "half_sizes", "expected 3, or 1"),
        (lambda: EncodedDepthImage(b"x", colormap="rainbow"), "colormap", "Colormap"),
        (lambda: EncodedDepthImage("not bytes"), "blob", "expected bytes"),
        (lambda: Measurements("high"), "values", "expected numbers"),
        (lambda: RecordingInfo(start_time="yesterday"), "start_time", "expected numbers"),
    ],
)
def test_errors_name_archetype_and_argument(build: Callable[[], Any], argument: str, expected: str) -> None:
    with pytest.raises(ArchetypeError) as info:
        build()
    assert info.value.argument == argument
    assert expected in str(info.value)


def test_non_strict_bad_input_is_kept_as_error() -> None:
    ours_sdk.set_strict_mode(False)
    splats = GaussianSplats3D([[0, 0, 0]], sh_coefficients=[1, 2, 3])
    assert splats.as_component_batches() == []
    assert splats._rerender_error is not None and splats._rerender_error.argument == "sh_coefficients"


def test_enums_match_rerun() -> None:
    for name in ENUMS:
        expected = {m.name: m.value for m in getattr(theirs, name)}
        assert {m.name: m.value for m in getattr(ours, name)} == expected, name


# ---- interop: the same script under both SDKs gives equal .rrd files -----------------------------------

SCRIPT = Path(__file__).parent / "scripts" / "archetypes_c.py"


@pytest.mark.interop
def test_script_equals_rerun_sdk(script_matches_rerun, tmp_path: Path) -> None:
    script_matches_rerun(SCRIPT)
