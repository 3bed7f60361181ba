"""Arrows2D, Capsules3D, Cylinders3D, SegmentationImage, AnnotationContext, BarChart and Tensor vs
rerun-sdk 0.41: same component batches (descriptors, exact Arrow types, values), and the same recording
when one script logs them all under both SDKs."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import rerender.sdk as ours_sdk
from rerender import archetypes
from rerender.sdk import ArchetypeError, RerenderWarning
from rerender.sdk import datatypes as datatypes_a

from .test_sdk_archetypes import assert_same_batches

rr = pytest.importorskip("rerun")

# rerender.sdk plus the value types of this batch that only rerun.encodings has (TensorData, KeypointPair).
ours = SimpleNamespace(
    **{
        **{name: getattr(ours_sdk, name) for name in ours_sdk.__all__},
        **{name: getattr(datatypes_a, name) for name in ("KeypointPair", "TensorData")},
    }
)


@pytest.fixture(autouse=True)
def _strict_both():
    rr.set_strict_mode(True)
    ours_sdk.set_strict_mode(True)
    yield
    rr.set_strict_mode(False)
    ours_sdk.set_strict_mode(False)


def fill_mode(m: Any) -> Any:
    return getattr(m, "FillMode", None) or m.components.FillMode


def tensor_data(m: Any, **kwargs: Any) -> Any:
    """`TensorData` (rerun keeps it in `rerun.encodings`, not at top level)."""
    cls = m.TensorData if m is ours else m.encodings.TensorData
    return cls(**kwargs)


def rotations(m: Any) -> list[Any]:
    return [m.RotationAxisAngle(axis=[0, 0, 1], degrees=30), m.RotationAxisAngle(axis=[1, 0, 0], radians=0.5)]


SEGMENTS = np.zeros((4, 6), dtype=np.uint8)
SEGMENTS[1:3, 2:5] = 2
SEGMENTS[0, 0] = 1

CASES: dict[str, Any] = {
    # Arrows2D
    "arrows2d/all": lambda m: m.Arrows2D(
        vectors=[[1, 0], [0, 1], [-1, -1]],
        origins=[[0, 0], [1, 1], [2, 2]],
        radii=[0.1, 0.2, 0.3],
        colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255, 128]],
        labels=["x", "y", "z"],
        show_labels=True,
        draw_order=3,
        class_ids=[1, 2, 3],
    ),
    "arrows2d/vectors_only": lambda m: m.Arrows2D(vectors=np.arange(8, dtype=np.float64).reshape(4, 2)),
    "arrows2d/flat_and_splat": lambda m: m.Arrows2D(
        vectors=[1, 2, 3, 4], origins=[[0, 0]], colors=0xFF00FFFF, labels="one"
    ),
    "arrows2d/empty": lambda m: m.Arrows2D(vectors=np.zeros((0, 2))),
    # Capsules3D
    "capsules3d/all": lambda m: m.Capsules3D(
        lengths=[1.0, 2.0],
        radii=[0.25, 0.5],
        translations=[[0, 0, 0], [1, 2, 3]],
        rotation_axis_angles=rotations(m),
        quaternions=[m.Quaternion(xyzw=[0, 0, 0, 1]), m.Quaternion(xyzw=[0, 0, 0.3826834, 0.9238795])],
        colors=[[255, 0, 0], [0, 255, 0]],
        line_radii=0.01,
        fill_mode=fill_mode(m).Solid,
        labels=["a", "b"],
        show_labels=False,
        class_ids=[4, 5],
    ),
    "capsules3d/minimal": lambda m: m.Capsules3D(lengths=2, radii=0.5),
    "capsules3d/fill_mode_str": lambda m: m.Capsules3D(
        lengths=[1, 2, 3], radii=0.1, fill_mode="majorwireframe", translations=np.ones((3, 3))
    ),
    "capsules3d/nothing": lambda m: m.Capsules3D(),
    # Cylinders3D
    "cylinders3d/all": lambda m: m.Cylinders3D(
        lengths=[1.0, 2.0],
        radii=[0.25, 0.5],
        centers=[[0, 0, 0], [1, 2, 3]],
        rotation_axis_angles=rotations(m),
        quaternions=[[0, 0, 0, 1], [0, 0, 1, 0]],
        colors=np.array([[1.0, 0, 0], [0, 0.5, 1]], dtype=np.float32),
        line_radii=[0.01, 0.02],
        fill_mode=fill_mode(m).DenseWireframe,
        labels=["a", "b"],
        show_labels=True,
        class_ids=np.array([1, 2]),
    ),
    "cylinders3d/minimal": lambda m: m.Cylinders3D(lengths=[1], radii=[0.5], centers=[0, 0, 0]),
    "cylinders3d/fill_mode_int": lambda m: m.Cylinders3D(lengths=1, radii=1, fill_mode=4),
    # SegmentationImage
    "segmentation/u8": lambda m: m.SegmentationImage(SEGMENTS, opacity=0.5, draw_order=2),
    "segmentation/u16_transposed": lambda m: m.SegmentationImage(SEGMENTS.astype(np.uint16).T),
    "segmentation/leading_trailing_ones": lambda m: m.SegmentationImage(
        SEGMENTS.astype(np.int32).reshape(1, 4, 6, 1)
    ),
    "segmentation/float": lambda m: m.SegmentationImage(SEGMENTS.astype(np.float32)),
    "segmentation/list": lambda m: m.SegmentationImage([[0, 1], [2, 3]]),
    # AnnotationContext
    "annotation/tuples": lambda m: m.AnnotationContext([(1, "red", (255, 0, 0)), (2, "green", (0, 255, 0))]),
    "annotation/mixed": lambda m: m.AnnotationContext(
        [
            0,
            (1, "one"),
            (2, "float color", (0.0, 0.5, 1.0)),
            (3, "rgba", [10, 20, 30, 40]),
            (4, "packed", 0x11223344),
            (5, 7, np.array([1, 2, 3], dtype=np.uint8)),
            m.AnnotationInfo(6, "info", [1.0, 0.0, 0.0, 0.5]),
            m.AnnotationInfo(id=7),
        ]
    ),
    "annotation/keypoints": lambda m: m.AnnotationContext(
        [
            m.ClassDescription(
                info=(0, "person", (0, 0, 255)),
                keypoint_annotations=[(0, "nose", (255, 0, 0)), (1, "eye"), 2, m.AnnotationInfo(3, "ear")],
                keypoint_connections=[(0, 1), [1, 2], (2, 3)],
            ),
            m.ClassDescription(info=m.AnnotationInfo(1, "dog"), keypoint_annotations=None),
            (2, "cat"),
        ]
    ),
    "annotation/single_class_description": lambda m: m.AnnotationContext(
        m.ClassDescription(info=5, keypoint_connections=[(0, 1)])
    ),
    "annotation/empty": lambda m: m.AnnotationContext([]),
    "annotation/class_description_as_archetype": lambda m: m.ClassDescription(info=(9, "nine")),
    # BarChart
    "barchart/list": lambda m: m.BarChart([1, 2, 3, 4]),
    "barchart/all": lambda m: m.BarChart(
        np.array([0.5, 2.0, 1.5], dtype=np.float32),
        color=[255, 128, 0],
        abscissa=np.array([10, 20, 30], dtype=np.int32),
        widths=[5, 5, 10],
    ),
    "barchart/row_vector": lambda m: m.BarChart(
        np.arange(5, dtype=np.uint16).reshape(1, 5), color=0xFF0000FF
    ),
    "barchart/single_value": lambda m: m.BarChart(np.array([7], dtype=np.int8)),
    "barchart/f16": lambda m: m.BarChart(np.linspace(0, 1, 4).astype(np.float16), widths=0.5),
    "barchart/tensor_data": lambda m: m.BarChart(tensor_data(m, array=np.array([3, 1, 2], dtype=np.uint64))),
    # Tensor
    "tensor/u8_names": lambda m: m.Tensor(
        np.arange(24, dtype=np.uint8).reshape(2, 3, 4), dim_names=["batch", "row", "col"]
    ),
    "tensor/f64_value_range": lambda m: m.Tensor(np.linspace(0, 1, 6).reshape(2, 3), value_range=[0, 2]),
    "tensor/value_range_slice": lambda m: m.Tensor([[1, 2], [3, 4]], value_range=slice(1, 4)),
    "tensor/scalar": lambda m: m.Tensor(3.5),
    "tensor/non_contiguous": lambda m: m.Tensor(np.arange(12, dtype=np.int16).reshape(3, 4)[:, ::2]),
    "tensor/all_dtypes_u32": lambda m: m.Tensor(np.arange(4, dtype=np.uint32)),
    "tensor/i8": lambda m: m.Tensor(np.arange(-3, 3, dtype=np.int8)),
    "tensor/i32": lambda m: m.Tensor(np.arange(4, dtype=np.int32)),
    "tensor/u64": lambda m: m.Tensor(np.arange(4, dtype=np.uint64)),
    "tensor/f32": lambda m: m.Tensor(np.ones((2, 2, 2), dtype=np.float32)),
    "tensor/empty_dim_names": lambda m: m.Tensor(np.zeros((2, 2)), dim_names=[]),
    "tensor/tensor_data": lambda m: m.Tensor(
        tensor_data(m, shape=[2, 2], buffer=np.array([1, 2, 3, 4], dtype=np.uint16), dim_names=["h", "w"])
    ),
    "tensor/tensor_data_array": lambda m: m.Tensor(tensor_data(m, array=np.eye(3, dtype=np.float32))),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_batches_as_rerun(case: str) -> None:
    build = CASES[case]
    assert_same_batches(build(ours), build(rr))


TENSOR_DTYPES = [np.uint8, np.uint16, np.uint32, np.uint64, np.int8, np.int16, np.int32, np.int64]
TENSOR_DTYPES += [np.float16, np.float32, np.float64]


@settings(max_examples=40, deadline=None)
@given(
    array=st.sampled_from(TENSOR_DTYPES).flatmap(
        lambda dtype: hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=4, max_side=4))
    )
)
def test_tensor_random(array: np.ndarray) -> None:
    assert_same_batches(archetypes.Tensor(array), rr.Tensor(array))


@settings(max_examples=25, deadline=None)
@given(
    image=st.sampled_from(TENSOR_DTYPES).flatmap(
        lambda dtype: hnp.arrays(dtype, hnp.array_shapes(min_dims=2, max_dims=2, max_side=6))
    )
)
def test_segmentation_image_random(image: np.ndarray) -> None:
    assert_same_batches(archetypes.SegmentationImage(image), rr.SegmentationImage(image))


def test_descriptor_names() -> None:
    batches = archetypes.Capsules3D(lengths=1, radii=1, line_radii=0.1).as_component_batches()
    assert [b.descriptor.component for b in batches] == [
        "Capsules3D:lengths",
        "Capsules3D:radii",
        "Capsules3D:line_radii",
    ]
    assert {b.descriptor.component_type for b in batches} == {
        "rerun.components.Length",
        "rerun.components.Radius",
    }
    assert archetypes.Tensor.archetype() == "rerun.archetypes.Tensor"


def test_tensor_data_round_trips() -> None:
    data = datatypes_a.TensorData(array=np.arange(6).reshape(2, 3), dim_names=["a", "b"])
    assert data.numpy().tolist() == [[0, 1, 2], [3, 4, 5]]
    assert data.names == ["a", "b"]


def test_tensor_dim_names_on_tensor_data() -> None:
    """rerun-sdk raises here (it forgets the shape); we keep the shape and use the names."""
    data = datatypes_a.TensorData(array=np.zeros((2, 3)))
    (batch, *_) = archetypes.Tensor(data, dim_names=["h", "w"]).as_component_batches()
    assert batch.array.to_pylist()[0]["names"] == ["h", "w"]
    assert batch.array.to_pylist()[0]["shape"] == [2, 3]


@pytest.mark.parametrize(
    ("build", "argument", "expected"),
    [
        (lambda: archetypes.Arrows2D(vectors=[[1, 2, 3]]), "vectors", "expected (N, 2)"),
        (lambda: archetypes.Arrows2D(vectors=[[1, 2]] * 3, colors=[[1, 2, 3]] * 2), "colors", "3 instances"),
        (lambda: archetypes.Capsules3D(lengths=[1, 2], radii=[1, 2, 3]), "lengths", "3 instances"),
        (lambda: archetypes.Cylinders3D(lengths=1, fill_mode="bogus"), "fill_mode", "FillMode"),
        (lambda: archetypes.SegmentationImage(np.zeros((2, 3, 3))), "image", "expected (height, width)"),
        (lambda: archetypes.SegmentationImage(np.zeros((2, 3), dtype=bool)), "image", "dtype bool"),
        (lambda: archetypes.AnnotationContext([(70000, "big")]), "context", "0..65535"),
        (lambda: archetypes.AnnotationContext([(1, "c", (1, 2))]), "context", "3 or 4"),
        (lambda: archetypes.AnnotationContext(5), "context", "expected a list"),
        (lambda: archetypes.BarChart(np.zeros((2, 3))), "values", "expected a 1D vector"),
        (lambda: archetypes.BarChart(np.zeros(())), "values", "expected a 1D vector"),
        (lambda: archetypes.Tensor(), "data", "is missing"),
        (lambda: archetypes.Tensor(np.array([True, False])), "data", "dtype bool"),
        (lambda: archetypes.Tensor(np.zeros((2, 2)), dim_names=["a"]), "data", "dim_names"),
        (lambda: archetypes.Tensor([1, 2], value_range=slice(0, 4, 2)), "value_range", "step"),
    ],
)
def test_errors_name_archetype_and_argument(build: Any, argument: str, expected: str) -> None:
    with pytest.raises(ArchetypeError) as info:
        build()
    assert info.value.argument == argument
    assert expected in str(info.value)


def test_non_strict_bar_chart_warns_and_keeps_values() -> None:
    ours_sdk.set_strict_mode(False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chart = archetypes.BarChart(np.arange(6, dtype=np.float32).reshape(2, 3) + 0.5)
    assert any(issubclass(w.category, RerenderWarning) for w in caught)
    ((batch),) = chart.as_component_batches()
    assert batch.array.to_pylist()[0]["shape"] == [2, 3]


def test_non_strict_bad_input_is_kept_as_error() -> None:
    ours_sdk.set_strict_mode(False)
    tensor = archetypes.Tensor(np.array(["a", "b"]))
    assert tensor._rerender_error is not None
    assert tensor.as_component_batches() == []


# ---- interop: one script under both SDKs --------------------------------------------------------------

SCRIPT = textwrap.dedent(
    """
    import sys

    import numpy as np
    import rerun as rr

    from rerun import (
        AnnotationContext, AnnotationInfo, Arrows2D, BarChart, Capsules3D, ClassDescription,
        Cylinders3D, SegmentationImage, Tensor,
    )

    if rr.__name__.startswith("rerender"):
        from rerender.sdk.datatypes import TensorData
    else:
        from rerun.encodings import TensorData

    rec = rr.RecordingStream("rrd_samples_more_a", recording_id="rec_more_a")
    rec.save(sys.argv[1])
    rec.log(
        "seg",
        AnnotationContext(
            [
                (1, "red", (255, 0, 0)),
                ClassDescription(
                    info=AnnotationInfo(2, "person", (0.0, 1.0, 0.0)),
                    keypoint_annotations=[(0, "nose"), (1, "eye", 0xFF00FFFF)],
                    keypoint_connections=[(0, 1)],
                ),
            ]
        ),
        static=True,
    )
    image = np.zeros((8, 12), dtype=np.uint8)
    image[2:6, 3:9] = 1
    for frame in range(3):
        rec.set_time("frame", sequence=frame)
        rec.log("seg/image", SegmentationImage(np.roll(image, frame, axis=1), opacity=0.7, draw_order=1))
        rec.log(
            "arrows",
            Arrows2D(
                vectors=[[1, 0], [0, frame + 1]],
                origins=[[0, 0], [1, 1]],
                radii=0.1,
                colors=[[255, 0, 0], [0, 0, 255]],
                labels=["a", "b"],
                show_labels=True,
                draw_order=2,
                class_ids=[1, 2],
            ),
        )
        rec.log(
            "capsules",
            Capsules3D(
                lengths=[1.0, 2.0 + frame],
                radii=[0.2, 0.3],
                translations=[[0, 0, 0], [1, 0, frame]],
                quaternions=[[0, 0, 0, 1], [0, 0.7071068, 0, 0.7071068]],
                colors=[[255, 255, 0], [0, 255, 255]],
                fill_mode="solid",
                labels=["c0", "c1"],
            ),
        )
        rec.log(
            "cylinders",
            Cylinders3D(
                lengths=[1.5],
                radii=[0.4],
                centers=[[0, frame, 0]],
                rotation_axis_angles=[rr.RotationAxisAngle(axis=[1, 0, 0], degrees=90)],
                line_radii=0.02,
                fill_mode="majorwireframe",
                show_labels=False,
                class_ids=[1],
            ),
        )
        rec.log(
            "bars",
            BarChart(
                np.array([1.0, 3.0, 2.0 + frame], dtype=np.float32),
                color=[200, 100, 0],
                abscissa=np.array([0, 1, 2], dtype=np.int32),
                widths=[0.8, 0.8, 0.8],
            ),
        )
        rec.log(
            "tensor",
            Tensor(
                np.arange(24, dtype=np.uint16).reshape(2, 3, 4) + frame,
                dim_names=["batch", "row", "col"],
                value_range=[0, 30],
            ),
        )
    rec.log("tensor_static", Tensor(TensorData(array=np.eye(3, dtype=np.float64))), static=True)
    rec.log("bars_f16", BarChart(np.linspace(0, 1, 5).astype(np.float16)), static=True)
    """
)

ENV = {**os.environ, "RERUN_FLUSH_TICK_SECS": "1000", "RERUN_ANALYTICS": "0"}


def _run(*args: str | Path) -> None:
    proc = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, env=ENV, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.interop
def test_script_logs_the_same_recording_as_rerun_sdk(tmp_path: Path, rerun_cli: Any) -> None:
    script = tmp_path / "more_a.py"
    script.write_text(SCRIPT)
    theirs, mine = tmp_path / "theirs.rrd", tmp_path / "ours.rrd"
    _run(sys.executable, script, theirs)
    _run(Path(sys.executable).parent / "rerender", "run", "-o", tmp_path / "capture.rrd", script, mine)
    verify = rerun_cli("rrd", "verify", mine)
    assert verify.returncode == 0, verify.stderr
    compare = rerun_cli("rrd", "compare", "--unordered", theirs, mine)
    assert compare.returncode == 0, compare.stderr + compare.stdout
