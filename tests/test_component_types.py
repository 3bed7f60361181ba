"""The table-driven component and encoding classes (`rr.components.ColorBatch`, `rr.datatypes.Vec3D`, ...):
same constructor parameters and the same Arrow arrays as rerun-sdk 0.41, and usable with `rr.log` and
`rr.send_columns` the way rerun-sdk's are."""

from __future__ import annotations

import inspect
import warnings
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

import rerender
from rerender.rrd import ComponentDescriptor
from rerender.sdk.component_types import COMPONENT_CLASSES, ENCODING_CLASSES

rerun = pytest.importorskip("rerun")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import rerun.datatypes

SCRIPTS = Path(__file__).parent / "scripts"

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
BLOBS = [b"abc", np.array([1, 2, 3], dtype=np.uint8)]
STRIPS2 = [[[0, 0], [1, 1]], [[[0, 0], [1, 1]], [[2, 2], [3, 3], [4, 4]]], np.zeros((2, 3, 2))]
STRIPS3 = [[[0, 0, 0], [1, 1, 1]], [np.zeros((2, 3)), np.ones((4, 3))], np.zeros((2, 3, 3))]

ENCODING_INPUTS = {
    "Vec2D": VEC2,
    "Vec3D": VEC3,
    "Vec4D": VEC4,
    "UVec2D": [[1, 2], [[1, 2], [3, 4]]],
    "UVec3D": [[1, 2, 3], np.arange(6).reshape(2, 3)],
    "IVec3D": [[1, -2, 3], np.arange(6).reshape(2, 3)],
    "DVec2D": VEC2,
    "Rgba32": COLORS,
    "Float32": FLOATS,
    "Float64": FLOATS,
    "UInt16": INTS,
    "UInt32": INTS,
    "UInt64": INTS,
    "ClassId": INTS,
    "KeypointId": INTS,
    "Bool": BOOLS,
    "Utf8": STRINGS,
    "Mat3x3": MATS,
    "Blob": BLOBS,
    "Quaternion": VEC4,
}
COMPONENT_INPUTS = {
    "LineStrip2D": STRIPS2,
    "LineStrip3D": STRIPS3,
    "Radius": FLOATS,
    "MediaType": STRINGS,
}


def _inputs(name: str) -> list:
    if name in COMPONENT_INPUTS:
        return COMPONENT_INPUTS[name]
    wrapped = COMPONENT_CLASSES[name].__mro__[1].__name__ if name in COMPONENT_CLASSES else name
    return ENCODING_INPUTS[wrapped]


def _rerun_ns(component: bool):
    return rerun.components if component else rerun.datatypes


def _ours_ns(component: bool):
    return rerender.components if component else rerender.datatypes


def _batch_cases() -> list:
    cases = []
    for component, classes in ((False, ENCODING_CLASSES), (True, COMPONENT_CLASSES)):
        for name in classes:
            if name.endswith("Batch"):
                base = name.removesuffix("Batch")
                for i, value in enumerate(_inputs(base)):
                    prefix = "components" if component else "datatypes"
                    cases.append(pytest.param(component, name, value, id=f"{prefix}.{name}-{i}"))
    return cases


@pytest.mark.parametrize(("component", "name", "value"), _batch_cases())
def test_batch_arrow_array_equals_rerun(component: bool, name: str, value) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rerun's "ambiguous colors" warning
        theirs = getattr(_rerun_ns(component), name)(value, strict=True).as_arrow_array()
    ours = getattr(_ours_ns(component), name)(value, strict=True).as_arrow_array()
    assert ours.type == theirs.type
    assert ours.equals(theirs), (ours.to_pylist(), theirs.to_pylist())


def _names(component: bool) -> list[str]:
    module = _ours_ns(component)
    classes = COMPONENT_CLASSES if component else ENCODING_CLASSES
    return [name for name, cls in classes.items() if getattr(module, name, None) is cls]


@pytest.mark.parametrize("component", [False, True], ids=["datatypes", "components"])
def test_constructor_parameters_equal_rerun(component: bool) -> None:
    for name in _names(component):
        ours, theirs = getattr(_ours_ns(component), name), getattr(_rerun_ns(component), name)
        kinds = [(p.name, p.kind) for p in inspect.signature(ours).parameters.values()]
        assert kinds == [(p.name, p.kind) for p in inspect.signature(theirs).parameters.values()], name


@pytest.mark.parametrize("name", [n for n in COMPONENT_CLASSES if n.endswith("Batch")])
def test_component_type_equals_rerun(name: str) -> None:
    ours, theirs = getattr(rerender.components, name), getattr(rerun.components, name)
    assert ours([]).component_type() == theirs([]).component_type()


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
    ],
)
def test_single_values_equal_rerun(name: str, value) -> None:
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


def test_bad_input_warns_and_gives_an_empty_batch_unless_strict() -> None:
    with pytest.warns(UserWarning, match="ColorBatch"):
        batch = rerender.components.ColorBatch("red")
    assert len(batch) == 0 and batch.as_arrow_array().type == pa.uint32()
    with pytest.raises(ValueError, match="Position3DBatch"):
        rerender.components.Position3DBatch([1, 2], strict=True)
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
