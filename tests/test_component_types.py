"""The table-driven component and encoding classes (`rr.components.ColorBatch`, `rr.datatypes.TimeRange`,
...): the same names, constructor parameters, Arrow types and Arrow arrays as rerun-sdk 0.41, and usable with
`rr.log` and `rr.send_columns` the way rerun-sdk's are.

Inputs are tabled per encoding (components inherit their encoding's, plus their own); an input that is a
`Make` is built in each SDK from its own classes, so a value's batch is compared with rerun's batch of
rerun's value.
"""

from __future__ import annotations

import enum
import inspect
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

import rerender
from rerender.rrd import ComponentDescriptor
from rerender.sdk.component_types import (
    COMPONENT_ALIASES,
    COMPONENT_CLASSES,
    COMPONENTS,
    ENCODING_ALIASES,
    ENCODING_CLASSES,
    ENCODINGS,
)

rerun = pytest.importorskip("rerun")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import rerun.datatypes

SCRIPTS = Path(__file__).parent / "scripts"


@dataclass(frozen=True)
class Make:
    """A value built with the SDK under test: `make("datatypes.TimeInt", seq=3)` is
    `rr.datatypes.TimeInt(seq=3)` with `rr` rerun or rerender; arguments may be `Make`s too.
    `call=False` reads an attribute (a constant)."""

    path: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    call: bool = True

    def build(self, root: ModuleType) -> Any:
        target: Any = root
        for part in self.path.split("."):
            target = getattr(target, part)
        if not self.call:
            return target
        return target(
            *(_resolve(a, root) for a in self.args), **{k: _resolve(v, root) for k, v in self.kwargs.items()}
        )

    def __repr__(self) -> str:
        return self.path.rsplit(".", 1)[-1] + ("(...)" if self.call else "")


def make(path: str, *args: Any, **kwargs: Any) -> Make:
    return Make(path, args, kwargs)


def attr(path: str) -> Make:
    return Make(path, call=False)


def _resolve(value: Any, root: ModuleType) -> Any:
    if isinstance(value, Make):
        return value.build(root)
    if isinstance(value, list):
        return [_resolve(item, root) for item in value]
    return value


def d(name: str, *args: Any, **kwargs: Any) -> Make:
    return make(f"datatypes.{name}", *args, **kwargs)


def co(name: str, *args: Any, **kwargs: Any) -> Make:
    return make(f"components.{name}", *args, **kwargs)


VEC2 = [[1.0, 2.0], [[1, 2], [3, 4]], np.arange(6, dtype=np.float64).reshape(3, 2), np.zeros((0, 2))]
VEC3 = [[1.0, 2.0, 3.0], [[1, 2, 3], [4, 5, 6]], np.arange(9, dtype=np.float32).reshape(3, 3)]
VEC4 = [[0.0, 0.0, 0.0, 1.0], [[0, 0, 0, 1], [1, 0, 0, 0]], np.eye(4)]
FLOATS = [1.5, [1, 2, 3], np.array([0.25, -1.0]), []]
INTS = [3, [1, 2, 3], np.array([7, 8], dtype=np.int64)]
BOOLS = [True, [True, False], np.array([False])]
STRINGS = ["hello", ["a", "b"], np.array(["x", "y"])]
COLORS = [
    [255, 0, 0],
    [255, 0, 0, 128],
    [[255, 0, 0], [0, 255, 0]],
    np.array([[0.5, 0.25, 1.0]], dtype=np.float32),
    0xFF00FFFF,
    np.array([0x11223344, 0x55667788], dtype=np.uint32),
]
MATS = [np.eye(3), [[1, 2, 3], [4, 5, 6], [7, 8, 9]], np.arange(18).reshape(2, 3, 3)]
BLOBS = [b"abc", np.array([1, 2, 3], dtype=np.uint8), [b"ab", b"c"], np.zeros((2, 3), dtype=np.uint8)]
STRIPS2 = [[[0, 0], [1, 1]], [[[0, 0], [1, 1]], [[2, 2], [3, 3], [4, 4]]], np.zeros((2, 3, 2))]
STRIPS3 = [[[0, 0, 0], [1, 1, 1]], [np.zeros((2, 3)), np.ones((4, 3))], np.zeros((2, 3, 3))]
BOUNDARY = "datatypes.TimeRangeBoundary"
TIME_RANGE = d(
    "TimeRange", start=make(f"{BOUNDARY}.infinite"), end=make(f"{BOUNDARY}.cursor_relative", seq=2)
)

ENCODING_INPUTS: dict[str, list[Any]] = {
    "Vec2D": VEC2,
    "Vec3D": VEC3,
    "Vec4D": VEC4,
    "UVec2D": [[1, 2], [[1, 2], [3, 4]]],
    "UVec3D": [[1, 2, 3], np.arange(6).reshape(2, 3)],
    "UVec4D": [[1, 2, 3, 4], np.arange(8).reshape(2, 4), d("UVec4D", [5, 6, 7, 8])],
    "IVec3D": [[1, -2, 3], np.arange(6).reshape(2, 3)],
    "DVec2D": VEC2,
    "Rgba32": COLORS,
    "Float32": FLOATS,
    "Float64": FLOATS,
    "UInt16": [*INTS, d("UInt16", 5)],
    "UInt32": INTS,
    "UInt64": INTS,
    "ClassId": INTS,
    "KeypointId": INTS,
    "Bool": BOOLS,
    "Utf8": STRINGS,
    "EntityPath": ["a/b", ["a", "b/c"], [1, 2], d("EntityPath", "x/y")],
    "Mat3x3": MATS,
    "Mat4x4": [
        np.eye(4),
        np.arange(16).reshape(4, 4),
        np.arange(32).reshape(2, 4, 4),
        list(range(16)),
        d("Mat4x4", np.arange(16).reshape(4, 4)),
        d("Mat4x4", columns=np.arange(16).reshape(4, 4)),
    ],
    "Plane3D": [
        [0, 0, 1, 2],
        [[0, 0, 1, 2], [1, 0, 0, 3]],
        d("Plane3D", [0, 0, 1], 2),
        [d("Plane3D", [0, 0, 1]), d("Plane3D", [1, 0, 0], -1.5)],
    ],
    "Range1D": [[0, 1], [[0, 1], [2, 3]], slice(0, 3), d("Range1D", [0, 1])],
    "Blob": BLOBS,
    "Uuid": [
        bytes(range(16)),
        [bytes(range(16)), bytes(range(16, 32))],
        np.arange(16, dtype=np.uint8),
        np.arange(32).reshape(2, 16),
        d("Uuid", bytes(range(16))),
    ],
    "SphericalHarmonics3Rgb": [
        np.linspace(0, 1, 90).reshape(2, 15, 3),
        d("SphericalHarmonics3Rgb", np.ones(45)),
    ],
    "VideoTimestamp": [5, [5, 6], d("VideoTimestamp", 5)],
    "ViewCoordinates": [
        [3, 2, 5],
        [[3, 2, 5], [1, 3, 6]],
        ["Right", "Down", "Forward"],
        np.array([3, 2, 5]),
        d("ViewCoordinates", [3, 2, 5]),
    ],
    "Quaternion": [*VEC4, d("Quaternion", xyzw=[0, 0, 1, 0])],
    "Angle": [
        1.5,
        [1.0, 2.0],
        np.array([1.0, 2.0]),
        d("Angle", deg=90),
        [d("Angle", rad=1), d("Angle", deg=180)],
    ],
    "RotationAxisAngle": [
        d("RotationAxisAngle", [0, 0, 1], d("Angle", deg=90)),
        [d("RotationAxisAngle", [0, 0, 1], 1.0), d("RotationAxisAngle", [1, 0, 0], degrees=45)],
    ],
    "AnnotationInfo": [
        d("AnnotationInfo", 1, "a", [255, 0, 0]),
        [d("AnnotationInfo", 1, "a"), (2, "b", 0xFF0000FF), 3],
        [(2, "b", [1.0, 0.5, 0.0])],
    ],
    "KeypointPair": [[(1, 2), d("KeypointPair", 3, 4)], np.array([[1, 2], [3, 4]])],
    "ClassDescription": [
        d("ClassDescription", info=(1, "a"), keypoint_annotations=[(0, "k")], keypoint_connections=[(0, 1)]),
        [d("ClassDescription", info=1), (2, "b")],
    ],
    "ClassDescriptionMapElem": [
        [d("ClassDescriptionMapElem", 1, d("ClassDescription", info=(1, "x")))],
        [d("ClassDescription", info=(5, "y")), (6, "z")],
        d("ClassDescriptionMapElem", 3, (1, "x")),
    ],
    "TensorData": [
        d("TensorData", array=np.eye(2)),
        np.arange(6).reshape(2, 3),
        d("TensorData", array=np.zeros((2, 3), dtype=np.uint8), dim_names=["h", "w"]),
    ],
    "ImageFormat": [
        d("ImageFormat", 640, 480, color_model="RGB", channel_datatype="U8"),
        [d("ImageFormat", 2, 3, pixel_format="NV12"), d("ImageFormat", 4, 5)],
    ],
    "Utf8Pair": [[("a", "b"), d("Utf8Pair", "c", "d")], np.array([["a", "b"], ["c", "d"]])],
    "ChannelCountPair": [[d("ChannelCountPair", 1, 5), (2, 7)]],
    "Range2D": [
        d("Range2D", x_range=[0, 1], y_range=(2, 3)),
        [d("Range2D", [0, 1], [2, 3]), d("Range2D", np.array([4, 5]), [6, 7])],
    ],
    "TensorDimensionSelection": [3, d("TensorDimensionSelection", 1, invert=True)],
    "TensorDimensionIndexSelection": [
        d("TensorDimensionIndexSelection", 1, 5),
        [d("TensorDimensionIndexSelection", 1, 5), d("TensorDimensionIndexSelection", 2, 0)],
    ],
    "TimeInt": [
        5,
        [1, 2.7],
        np.array([1, 2]),
        d("TimeInt", seconds=1.5),
        [d("TimeInt", seq=3), d("TimeInt", nanos=4)],
    ],
    "TimeRangeBoundary": [
        make(f"{BOUNDARY}.cursor_relative", seq=-3),
        [
            make(f"{BOUNDARY}.absolute", seconds=2.0),
            make(f"{BOUNDARY}.infinite"),
            make(f"{BOUNDARY}.cursor_relative"),
        ],
        [None, make(f"{BOUNDARY}.absolute", d("TimeInt", nanos=7)), 5],
    ],
    "TimeRange": [
        TIME_RANGE,
        [
            TIME_RANGE,
            d("TimeRange", make(f"{BOUNDARY}.absolute", seq=1), make(f"{BOUNDARY}.absolute", nanos=9)),
        ],
    ],
    "VisibleTimeRange": [
        d(
            "VisibleTimeRange",
            "frame",
            start=make(f"{BOUNDARY}.infinite"),
            end=make(f"{BOUNDARY}.absolute", seq=2),
        ),
        [d("VisibleTimeRange", "frame", TIME_RANGE), d("VisibleTimeRange", "time", TIME_RANGE)],
    ],
    "AbsoluteTimeRange": [
        d("AbsoluteTimeRange", 1, 5),
        [d("AbsoluteTimeRange", d("TimeInt", seq=1), 5), d("AbsoluteTimeRange", 2, 3)],
    ],
}
COMPONENT_INPUTS: dict[str, list[Any]] = {
    "LineStrip2D": STRIPS2,
    "LineStrip3D": STRIPS3,
    "Radius": [*FLOATS, [co("Radius", 2.0), co("Radius", 3.0)]],
    "MediaType": [*STRINGS, attr("components.MediaType.PNG")],
    "TextLogLevel": [["INFO", attr("components.TextLogLevel.WARN")]],
    "GraphEdge": [[("a", "b"), co("GraphEdge", "c", "d")]],
    "Scale3D": [
        [2, 3, 4],
        [[1, 2, 3], [4, 5, 6]],
        [co("Scale3D", 2), co("Scale3D", [1, 2, 3]), co("Scale3D")],
    ],
    "ClearIsRecursive": [*BOOLS, co("ClearIsRecursive"), [co("ClearIsRecursive", False)]],
    "VideoTimestamp": [5, [co("VideoTimestamp", nanoseconds=3), co("VideoTimestamp", seconds=1)]],
    "ViewCoordinates": [
        [3, 2, 5],
        [attr("components.ViewCoordinates.RDF"), attr("components.ViewCoordinates.LUF")],
    ],
    "GeoLineString": [
        [[1, 2], [3, 4]],
        [np.zeros((2, 2)), np.ones((3, 2))],
        [co("GeoLineString", lat_lon=[[1, 2], [3, 4]]), co("GeoLineString", lat_lon=[[5, 6]])],
    ],
    "AnnotationContext": [
        [(1, "a"), (2, "b")],
        [d("ClassDescription", info=(1, "a"), keypoint_annotations=[(0, "k")]), d("AnnotationInfo", 3, "c")],
    ],
    "KeyValuePairs": [
        {"a": "b", "c": 1},
        [{"a": "b"}, [("x", "y")]],
        [co("KeyValuePairs", {"a": "b"}), co("KeyValuePairs", [("x", "y")])],
    ],
    "ImageBuffer": [*BLOBS, np.array([1, 2], dtype=np.uint16)],
    "Timestamp": [[1, 2], co("Timestamp", seconds=1.0), [co("Timestamp", seq=1), co("Timestamp", nanos=5)]],
    "TensorData": [co("TensorData", array=np.eye(2)), np.arange(6).reshape(2, 3)],
    "TensorHeightDimension": [3, [co("TensorHeightDimension", 1, invert=True)]],
    "TensorWidthDimension": [co("TensorWidthDimension", 2)],
    "TensorDimensionIndexSelection": [co("TensorDimensionIndexSelection", 1, 2)],
    "Plane3D": [[0, 0, 1, 2], co("Plane3D", [0, 0, 1], 2), attr("components.Plane3D.XY")],
    "PinholeProjection": [*MATS, co("PinholeProjection", columns=np.arange(9).reshape(3, 3))],
    "ImageFormat": [co("ImageFormat", 640, 480, color_model="RGB", channel_datatype="U8")],
}
# rerun-sdk 0.41 cannot serialize these (it warns and logs nothing), so there is nothing to compare with.
RERUN_CANNOT = {"TensorBuffer", "ChannelMessageCounts"}


def _enum_inputs(enum_cls: type[enum.Enum]) -> list[Any]:
    """An enum's first member by lower-case name, and all its members by value."""
    members = list(enum_cls)
    return [members[0].name.lower(), [m.value for m in members]]


def _inputs(name: str, component: bool) -> list[Any]:
    classes = COMPONENT_CLASSES if component else ENCODING_CLASSES
    if isinstance(classes[name], type) and issubclass(classes[name], enum.Enum):
        return _enum_inputs(classes[name])
    if component and name in COMPONENT_INPUTS:
        return COMPONENT_INPUTS[name]
    entry = COMPONENTS[name] if component else name
    base = entry if isinstance(entry, str) else (entry.base or name)
    return ENCODING_INPUTS[base]


def _ns(root: ModuleType, component: bool) -> ModuleType:
    return root.components if component else root.datatypes


def _all_types() -> list[tuple[bool, str]]:
    return [(False, name) for name in ENCODINGS] + [(True, name) for name in COMPONENTS]


def _ids(cases: list[tuple[bool, str]]) -> list[str]:
    return [f"{'components' if component else 'datatypes'}.{name}" for component, name in cases]


def _batch_cases() -> list[Any]:
    cases = []
    for component, name in _all_types():
        if name in RERUN_CANNOT:
            continue
        prefix = "components" if component else "datatypes"
        for i, value in enumerate(_inputs(name, component)):
            cases.append(pytest.param(component, name, value, id=f"{prefix}.{name}-{i}"))
    return cases


def test_every_rerun_name_is_tabled() -> None:
    """The table covers rerun's namespaces exactly: classes, batches and typing aliases."""
    for root_ns, classes, aliases in (
        (rerun.components, COMPONENT_CLASSES, COMPONENT_ALIASES),
        (rerun.datatypes, ENCODING_CLASSES, ENCODING_ALIASES),
    ):
        assert sorted([*classes, *aliases]) == sorted(root_ns.__all__)


@pytest.mark.parametrize(("component", "name"), _all_types(), ids=_ids(_all_types()))
def test_arrow_type_equals_rerun(component: bool, name: str) -> None:
    ours = getattr(_ns(rerender, component), f"{name}Batch")(None).as_arrow_array()
    theirs = getattr(_ns(rerun, component), f"{name}Batch")(None).as_arrow_array()
    assert len(ours) == 0 and ours.type == theirs.type


@pytest.mark.parametrize(("component", "name", "value"), _batch_cases())
def test_batch_arrow_array_equals_rerun(component: bool, name: str, value: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rerun's "ambiguous colors" warning and deprecations
        theirs = getattr(_ns(rerun, component), f"{name}Batch")(_resolve(value, rerun), strict=True)
    ours = getattr(_ns(rerender, component), f"{name}Batch")(_resolve(value, rerender), strict=True)
    assert ours.as_arrow_array().type == theirs.as_arrow_array().type
    assert ours.as_arrow_array().equals(theirs.as_arrow_array()), (
        ours.as_arrow_array().to_pylist(),
        theirs.as_arrow_array().to_pylist(),
    )


def _value_classes() -> list[tuple[bool, str]]:
    """The value classes with constructors to compare: not the enums (compared member by member) nor
    `MediaType`/`TextLogLevel` (str subclasses here; test_api_parity compares their constants)."""
    classes = {False: ENCODING_CLASSES, True: COMPONENT_CLASSES}
    return [
        (component, name)
        for component, name in _all_types()
        if not issubclass(classes[component][name], enum.Enum | str)
    ]


@pytest.mark.parametrize(("component", "name"), _value_classes(), ids=_ids(_value_classes()))
def test_constructor_parameters_equal_rerun(component: bool, name: str) -> None:
    ours, theirs = getattr(_ns(rerender, component), name), getattr(_ns(rerun, component), name)
    kinds = [(p.name, p.kind) for p in inspect.signature(ours).parameters.values()]
    assert kinds == [(p.name, p.kind) for p in inspect.signature(theirs).parameters.values()]


@pytest.mark.parametrize("name", list(COMPONENTS))
def test_component_type_equals_rerun(name: str) -> None:
    ours, theirs = getattr(rerender.components, f"{name}Batch"), getattr(rerun.components, f"{name}Batch")
    assert ours(None).component_type() == theirs(None).component_type()


def test_enums_equal_rerun() -> None:
    for component, name in _all_types():
        ours = getattr(_ns(rerender, component), name)
        if issubclass(ours, enum.Enum):
            theirs = getattr(_ns(rerun, component), name)
            assert {m.name: m.value for m in ours} == {m.name: m.value for m in theirs}, name


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Color", [255, 0, 0]),
        ("Color", 0x00FF00FF),
        ("Position3D", [1, 2, 3]),
        ("Position2D", np.array([1.0, 2.0])),
        ("Text", "hi"),
        ("ClassId", 7),
        ("ShowLabels", True),
        ("DrawOrder", 2.5),
        ("LineStrip3D", [[0, 0, 0], [1, 2, 3]]),
        ("Blob", b"xyz"),
        ("AlbedoFactor", [10, 20, 30, 40]),
        ("LatLon", [1.5, 2.5]),
        ("Scale3D", 2.0),
        ("Range1D", [0, 10]),
        ("SphericalHarmonics3Rgb", np.arange(45) / 45),
        ("EntityPath", "world/points"),
        ("KeyValuePairs", {"a": "b"}),
        ("Thumbnail", b"\x01\x02"),
    ],
)
def test_single_values_equal_rerun(name: str, value: Any) -> None:
    ours, theirs = getattr(rerender.components, name)(value), getattr(rerun.components, name)(value)
    assert ours.as_arrow_array().equals(theirs.as_arrow_array())
    batch = f"{name}Batch"
    ours_list = getattr(rerender.components, batch)([ours, ours]).as_arrow_array()
    theirs_list = getattr(rerun.components, batch)([theirs, theirs]).as_arrow_array()
    assert ours_list.equals(theirs_list)
    assert ours.component_type() == theirs.component_type()


def test_keyword_only_values() -> None:
    """`Quaternion(*, xyzw)` and `Mat3x3(rows, *, columns)`. rerun-sdk's own `TransformMat3x3(...)
    .as_arrow_array()` transposes (it re-reads its column-major storage as rows), while
    `TransformMat3x3Batch(value)` does not; ours always gives the latter."""
    ours = rerender.components.RotationQuat(xyzw=[0, 0, 0, 1]).as_arrow_array()
    assert ours.equals(rerun.components.RotationQuat(xyzw=[0, 0, 0, 1]).as_arrow_array())
    m = np.arange(9).reshape(3, 3)
    for kwargs in ({"rows": m}, {"columns": m}):
        ours = rerender.components.TransformMat3x3(**kwargs).as_arrow_array()
        theirs = rerun.components.TransformMat3x3Batch(rerun.components.TransformMat3x3(**kwargs))
        assert ours.equals(theirs.as_arrow_array())


# ---- rerun-sdk's helpers ------------------------------------------------------------------------------


def _arrow(batch_name: str, value: Any, component: bool = False) -> tuple[pa.Array, pa.Array]:
    ours = getattr(_ns(rerender, component), batch_name)(value).as_arrow_array()
    theirs = getattr(_ns(rerun, component), batch_name)(value).as_arrow_array()
    return ours, theirs


def test_view_coordinates_constants_equal_rerun() -> None:
    ours_cls, theirs_cls = rerender.components.ViewCoordinates, rerun.components.ViewCoordinates
    names = [n for n in dir(theirs_cls) if n.isupper() and n[0] != "_"]
    assert len(names) == 60
    for name in names:
        ours, theirs = getattr(ours_cls, name), getattr(theirs_cls, name)
        assert isinstance(ours, ours_cls), name
        assert ours.as_arrow_array().equals(theirs.as_arrow_array()), name
    # Archetypes take the component's constants as rerun's do.
    pinhole = rerender.Pinhole(focal_length=1, width=2, height=2, camera_xyz=ours_cls.RUB)
    theirs = rerun.Pinhole(focal_length=1, width=2, height=2, camera_xyz=theirs_cls.RUB)
    ours_xyz = next(
        b for b in pinhole.as_component_batches() if b.descriptor.component == "Pinhole:camera_xyz"
    )
    theirs_xyz = next(
        b for b in theirs.as_component_batches() if "camera_xyz" in str(b.component_descriptor())
    )
    assert ours_xyz.as_arrow_array().equals(theirs_xyz.as_arrow_array())


def test_plane3d_helpers_equal_rerun() -> None:
    for root in (rerender, rerun):
        ns = root.datatypes
        plane = ns.Plane3D([0, 0, 2], 3).with_distance(5)
        assert plane.normal().tolist() == [0, 0, 2] and plane.distance() == 5
    for name in ("XY", "YZ", "ZX"):
        assert _arrow("Plane3DBatch", getattr(rerender.datatypes.Plane3D, name))[0].equals(
            rerun.datatypes.Plane3DBatch(getattr(rerun.datatypes.Plane3D, name)).as_arrow_array()
        )
    assert isinstance(rerender.components.Plane3D.XY, rerender.components.Plane3D)


def test_time_helpers_equal_rerun() -> None:
    """`TimeInt(seq/seconds/nanos)`, `TimeRangeBoundary.cursor_relative/absolute/infinite`,
    `VideoTimestamp.seconds/milliseconds/nanoseconds`."""
    for kwargs in ({"seq": 4}, {"seconds": 1.25}, {"nanos": 9}):
        assert rerender.datatypes.TimeInt(**kwargs).value == rerun.datatypes.TimeInt(**kwargs).value
    for method, kwargs in [
        ("cursor_relative", {}),
        ("cursor_relative", {"seconds": -2.5}),
        ("absolute", {"nanos": 17}),
        ("infinite", {}),
    ]:
        ours = getattr(rerender.datatypes.TimeRangeBoundary, method)(**kwargs)
        theirs = getattr(rerun.datatypes.TimeRangeBoundary, method)(**kwargs)
        assert ours.kind == theirs.kind
        assert (ours.inner is None) == (theirs.inner is None)
        assert ours.inner is None or ours.inner.value == theirs.inner.value
    with pytest.raises(ValueError):
        rerender.datatypes.TimeRangeBoundary.absolute()
    for method, values in [("seconds", [0.5, 1.5]), ("milliseconds", [3]), ("nanoseconds", np.arange(3))]:
        ours = getattr(rerender.components.VideoTimestamp, method)(values).as_arrow_array()
        theirs = getattr(rerun.components.VideoTimestamp, method)(values).as_arrow_array()
        assert ours.equals(theirs)


def test_values_without_rerun_serialization() -> None:
    """rerun-sdk can serialize neither `TensorBuffer` nor `ChannelMessageCounts`; rerender's batches of
    plain data behave as its do (a warning, nothing logged), while values hold their data."""
    buffers = rerender.datatypes.TensorBufferBatch([np.array([1, 2], dtype=np.int16), np.array([3.0])])
    assert buffers.as_arrow_array().to_pylist() == [[1, 2], [3.0]]
    assert rerender.datatypes.TensorBuffer(np.arange(3, dtype=np.uint8)).inner == [0, 1, 2]
    with pytest.warns(UserWarning, match="channel_message_counts"):
        assert len(rerender.components.ChannelMessageCountsBatch([[(1, 5)]])) == 0
    counts = rerender.components.ChannelMessageCounts([rerender.datatypes.ChannelCountPair(1, 5), (2, 6)])
    assert counts.counts == [{"channel_id": 1, "message_count": 5}, {"channel_id": 2, "message_count": 6}]


def test_typing_aliases() -> None:
    """`XLike`/`XArrayLike` are typing aliases: enums list their names as literals, others plain values."""
    from rerender.components import ColormapArrayLike, ColormapLike, LineStrip3DLike
    from rerender.datatypes import Float32Like, Vec3DArrayLike

    assert rerender.components.Colormap in ColormapLike.__args__
    assert "viridis" in ColormapLike.__args__[1].__args__
    assert set(ColormapLike.__args__) < set(ColormapArrayLike.__args__)  # Unions flatten
    assert rerender.components.LineStrip3D in LineStrip3DLike.__args__
    assert float in Float32Like.__args__
    assert rerender.datatypes.Vec3D in Vec3DArrayLike.__args__


def test_top_level_names_are_rerun_s() -> None:
    """rerun exports some of these at its top level; rerender's are the same classes as in its namespaces."""
    for name in ("Scale3D", "AlbedoFactor", "TensorDimensionIndexSelection"):
        assert getattr(rerender, name) is getattr(rerender.components, name)
        assert getattr(rerun, name) is getattr(rerun.components, name)
    for name in ("TensorData", "TensorDimensionSelection", "TimeInt", "TimeRange", "TimeRangeBoundary"):
        assert getattr(rerender, name) is getattr(rerender.datatypes, name)
        assert getattr(rerun, name) is getattr(rerun.datatypes, name)
    assert rerender.VisibleTimeRange is rerender.datatypes.VisibleTimeRange


# ---- logging ------------------------------------------------------------------------------------------


def test_bad_input_warns_and_gives_an_empty_batch_unless_strict() -> None:
    with pytest.warns(UserWarning, match="ColorBatch"):
        batch = rerender.components.ColorBatch("red")
    assert len(batch) == 0 and batch.as_arrow_array().type == pa.uint32()
    with pytest.raises(ValueError, match="Position3DBatch"):
        rerender.components.Position3DBatch([1, 2], strict=True)
    with pytest.raises(ValueError, match="TimeRangeBatch"):
        rerender.datatypes.TimeRangeBatch([1, 2], strict=True)
    assert len(rerender.components.TextBatch(None)) == 0


def test_described_and_partition() -> None:
    desc = ComponentDescriptor("Points3D:colors", "rerun.archetypes.Points3D", "rerun.components.Color")
    described = rerender.components.ColorBatch([[1, 2, 3], [4, 5, 6]]).described(desc)
    assert described.component_descriptor() == desc
    assert described.as_arrow_array().to_pylist() == [0x010203FF, 0x040506FF]
    ((column_desc, cells),) = described.partition([1, 1]).as_list_arrays()
    assert column_desc == desc and cells.to_pylist() == [[0x010203FF], [0x040506FF]]
    ((column_desc, cells),) = rerender.components.ScalarBatch([1.0, 2.0, 3.0]).partition().as_list_arrays()
    assert column_desc == ComponentDescriptor("rerun.components.Scalar")
    assert cells.to_pylist() == [[1.0], [2.0], [3.0]]


def test_logging_component_batches_matches_rerun(script_matches_rerun) -> None:
    script_matches_rerun(SCRIPTS / "component_batches.py")
