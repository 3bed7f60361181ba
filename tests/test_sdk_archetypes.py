"""rerender.sdk archetypes vs rerun-sdk 0.41 (the oracle): same descriptors, Arrow types and values.

Each case is a function `build(mod, files)` run once with `mod = rerun` and once with `mod = rerender.sdk`;
both must produce identical component batches.
"""

from __future__ import annotations

import math
import struct
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import rerender.sdk as ours
from rerender.sdk import ArchetypeError
from rerender.utilities import bounce_lerp, build_color_grid, build_color_spiral

rr = pytest.importorskip("rerun")
rr_utilities = pytest.importorskip("rerun.utilities")

Build = Callable[[Any, dict[str, Path]], Any]


@pytest.fixture(autouse=True)
def _strict_rerun():
    """Both SDKs raise on bad input (strict mode), so a bad test case cannot pass by accident; the
    non-strict path (warn naming the entity, drop the call) is tested in test_sdk_logging.py."""
    rr.set_strict_mode(True)
    ours.set_strict_mode(True)
    yield
    rr.set_strict_mode(False)
    ours.set_strict_mode(False)


def _png(w: int = 4, h: int = 3) -> bytes:
    """A tiny valid RGB PNG (as make_samples.py builds it)."""
    rows = b"".join(
        b"\x00" + b"".join(bytes([(x * 60) % 256, (y * 80) % 256, 128]) for x in range(w)) for y in range(h)
    )

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = struct.pack(">I", len(data)) + tag + data
        return body + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


TINY_OBJ = b"v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small asset files for the path-based constructors."""
    root = tmp_path_factory.mktemp("sdk_assets")
    paths = {
        "png": root / "tiny.png",
        "obj": root / "tri.obj",
        "stl": root / "Mesh.STL",
        "bin": root / "x.bin",
    }
    paths["png"].write_bytes(_png())
    paths["obj"].write_bytes(TINY_OBJ)
    paths["stl"].write_bytes(b"solid x\nendsolid x\n")
    paths["bin"].write_bytes(b"\x00\x01")
    return paths


def enum(mod: Any, name: str) -> Any:
    """An enum class: rerun keeps some only in `rerun.components`, rerender.sdk exports all at top level."""
    return getattr(mod, name, None) or getattr(mod.components, name)


# ---- comparison -----------------------------------------------------------------------------------------


def _close(a: Any, b: Any) -> bool:
    """Deep equality of to_pylist() values, floats within 1e-6 relative (NaN equals NaN)."""
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-6, abs_tol=0.0)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _field_nullability(t: pa.DataType) -> list[tuple[str, bool]]:
    """Every nested field's (name, nullable), depth first — compared explicitly besides `==`."""
    out: list[tuple[str, bool]] = []
    for i in range(t.num_fields):
        f = t.field(i)
        out.append((f.name, f.nullable))
        out.extend(_field_nullability(f.type))
    return out


def rerun_batches(archetype: Any) -> list[tuple[str | None, str, str | None, pa.Array]]:
    """(archetype, component, component_type, array) of each rerun-sdk batch."""
    out = []
    for b in archetype.as_component_batches():
        d = b.component_descriptor()
        out.append((d.archetype, d.component, d.component_type, b.as_arrow_array()))
    return out


def assert_same_batches(mine: Any, theirs: Any) -> None:
    """Same descriptors in the same order, identical Arrow types (incl. nullability/names), equal values."""
    expected = rerun_batches(theirs)
    got = mine.as_component_batches()
    assert [(b.descriptor.archetype, b.descriptor.component, b.descriptor.component_type) for b in got] == [
        e[:3] for e in expected
    ]
    for batch, (_, component, _, array) in zip(got, expected, strict=True):
        assert batch.array.type == array.type, component
        assert str(batch.array.type) == str(array.type), component
        assert _field_nullability(batch.array.type) == _field_nullability(array.type), component
        assert len(batch.array) == len(array), component
        assert batch.array.null_count == array.null_count, component
        assert _close(batch.array.to_pylist(), array.to_pylist()), (
            component,
            batch.array.to_pylist()[:8],
            array.to_pylist()[:8],
        )


def test_arrow_type_equality_sees_nullability_but_not_item_names():
    """Why assert_same_batches also compares str(type): `==` ignores list item field names."""
    non_null = pa.list_(pa.field("item", pa.float32(), nullable=False), 3)
    assert non_null != pa.list_(pa.float32(), 3)
    named = pa.list_(pa.field("element", pa.uint8(), nullable=False))
    assert named == pa.list_(pa.field("item", pa.uint8(), nullable=False))
    assert str(named) != str(pa.list_(pa.field("item", pa.uint8(), nullable=False)))


# ---- cases ----------------------------------------------------------------------------------------------

SPIRAL1, COLORS1 = rr_utilities.build_color_spiral(100)
SPIRAL2, COLORS2 = rr_utilities.build_color_spiral(100, angular_offset=math.tau * 0.5)
_OFFSETS = np.random.default_rng(7).random(100)
BEADS = [rr_utilities.bounce_lerp(SPIRAL1[n], SPIRAL2[n], _OFFSETS[n]) for n in range(100)]
BEAD_COLORS = [[int(rr_utilities.bounce_lerp(80, 230, _OFFSETS[n] * 2))] for n in range(100)]
RGB_IMAGE = np.zeros((3, 4, 3), dtype=np.uint8)
RGB_IMAGE[:, :, 0] = np.arange(4) * 60
TEXTURE = np.zeros((2, 2, 3), dtype=np.uint8)
TEXTURE[0, 0] = [255, 0, 0]


def rotations(mod: Any) -> list[Any]:
    """Two axis-angle rotations, degrees and radians."""
    return [
        mod.RotationAxisAngle(axis=[0, 0, 1], degrees=30),
        mod.RotationAxisAngle(axis=[1, 0, 0], radians=0.5),
    ]


def quats(mod: Any) -> list[Any]:
    """Two quaternions."""
    return [mod.Quaternion(xyzw=[0, 0, 0, 1]), mod.Quaternion(xyzw=[0, 0, 0.3826834, 0.9238795])]


BOX2D_FORMATS = ("XYWH", "YXHW", "XYXY", "YXYX", "XCYCWH", "XCYCW2H2")


def _boxes2d_array_case(fmt: str) -> Build:
    """A Boxes2D(array=..., array_format=fmt) case."""

    def build(m: Any, f: dict[str, Path]) -> Any:
        boxes = [[1, 2, 8, 6], [3.5, 1, 4, 9]]
        return m.Boxes2D(array=boxes, array_format=getattr(m.Box2DFormat, fmt), labels=["a", "b"])

    return build


CASES: dict[str, Build] = {
    # Points3D (make_samples.py and the seed tutorial)
    "points3d/sample": lambda m, f: m.Points3D(
        np.arange(9, dtype=np.float32).reshape(3, 3) + 1,
        radii=[0.1, -2.0, 0.3],
        colors=[[255, 0, 0], [0, 255, 0, 128], [0, 0, 255]],
        labels=["a", "b", "c"],
        show_labels=True,
        class_ids=[1, 2, 3],
        keypoint_ids=[0, 1, 2],
    ),
    "points3d/packed_color": lambda m, f: m.Points3D([[1, 2, 3]], colors=0xFF00FF80),
    "points3d/point_shading_str": lambda m, f: m.Points3D([[0, 0, 0]], point_shading="flat"),
    "points3d/point_shading_enum": lambda m, f: m.Points3D(
        [[0, 0, 0]], point_shading=enum(m, "PointShading").Gradient
    ),
    "points3d/seed_spiral": lambda m, f: m.Points3D(SPIRAL1, colors=COLORS1, radii=0.08),
    "points3d/seed_beads": lambda m, f: m.Points3D(
        BEADS, radii=0.06, colors=np.repeat(BEAD_COLORS, 3, axis=-1)
    ),
    "points3d/keypoints_only": lambda m, f: m.Points3D([[0, 0, 0], [1, 1, 1]], keypoint_ids=[3, 4]),
    "points3d/flat_positions": lambda m, f: m.Points3D([0, 1, 2, 3, 4, 5], labels="one label"),
    "points3d/n13_positions": lambda m, f: m.Points3D(np.ones((4, 1, 3)), show_labels=[False]),
    "points3d/f64_positions_u8_colors": lambda m, f: m.Points3D(
        np.linspace(0, 1, 12).reshape(4, 3), colors=np.arange(16, dtype=np.uint8).reshape(4, 4)
    ),
    "points3d/packed_u32_array": lambda m, f: m.Points3D(
        [[0, 0, 0]] * 3, colors=np.array([0xFF0000FF, 0x00FF00FF, 0x0000FFFF], dtype=np.uint32)
    ),
    "points3d/packed_int_list": lambda m, f: m.Points3D([[0, 0, 0]] * 2, colors=[0xFF0000FF, 0x00FF0080]),
    "points3d/float_rgba_flat": lambda m, f: m.Points3D(
        [[0, 0, 0]] * 2, colors=[0.1, 0.2, 0.3, 0.4, 1, 1, 1, 0]
    ),
    "points3d/single_float_color": lambda m, f: m.Points3D([[0, 0, 0]], colors=np.array([0.5, 0.25, 1.0])),
    "points3d/nan_inf": lambda m, f: m.Points3D([[np.nan, np.inf, -np.inf]], radii=[np.nan]),
    "points3d/empty": lambda m, f: m.Points3D(np.zeros((0, 3)), colors=[], labels=[]),
    "points3d/numpy_labels": lambda m, f: m.Points3D(
        [[0, 0, 0]] * 2, labels=np.array(["x", "y"]), class_ids=7
    ),
    "points3d/ragged_mixed_float_colors": lambda m, f: m.Points3D(
        [(1, 2, 3), (4, 5, 6)], colors=[[0.5, 0.5, 0.5], [1, 0, 0, 0.5]], labels=[1, 2]
    ),
    "points3d/one_row_color": lambda m, f: m.Points3D([[1, 2, 3]], colors=[[255, 0, 0]]),
    "points3d/packed_and_rgb_mixed": lambda m, f: m.Points3D(
        [[1, 2, 3]] * 2, colors=[0xFF0000FF, [0, 255, 0]]
    ),
    "points3d/f32_single_row_color": lambda m, f: m.Points3D(
        [[1, 2, 3]], colors=np.array([[0.2, 0.4, 0.6]], dtype=np.float32)
    ),
    "points3d/list_of_color_arrays": lambda m, f: m.Points3D(
        [[1, 2, 3]] * 2,
        colors=[np.array([10, 20, 30], dtype=np.uint8), np.array([0.1, 0.2, 0.3, 0.4], dtype=np.float32)],
    ),
    "points3d/two_ints_are_packed": lambda m, f: m.Points3D([[1, 2, 3]] * 2, colors=(1, 2)),
    "points3d/big_int_triple_is_packed": lambda m, f: m.Points3D([[1, 2, 3]] * 3, colors=[300, 2, 1]),
    # Points2D
    "points2d/sample": lambda m, f: m.Points2D(
        [[0, 0], [1, 1]],
        radii=[1.0, 2.0],
        colors=[[10, 20, 30, 40], [50, 60, 70, 80]],
        labels=["p", "q"],
        show_labels=False,
        draw_order=5.0,
        class_ids=[7, 8],
        keypoint_ids=[3, 4],
    ),
    "points2d/keypoints_only": lambda m, f: m.Points2D(
        np.ones((2, 2), dtype=np.float32), keypoint_ids=[1, 2]
    ),
    # LineStrips3D / 2D
    "linestrips3d/sample": lambda m, f: m.LineStrips3D(
        [[[0, 0, 0], [1, 0, 0], [1, 1, 0]], [[0, 0, 1], [0, 1, 1]]],
        radii=[0.025, 0.05],
        colors=[[255, 0, 0], [0, 255, 0]],
        labels=["one", "two"],
        show_labels=True,
        class_ids=[1, 2],
    ),
    "linestrips3d/seed_scaffolding": lambda m, f: m.LineStrips3D(
        np.stack((SPIRAL1, SPIRAL2), axis=1), colors=[128, 128, 128]
    ),
    "linestrips3d/single_strip_list": lambda m, f: m.LineStrips3D([[0, 0, 0], [1, 1, 1], [2, 0, 2]]),
    "linestrips3d/single_strip_array": lambda m, f: m.LineStrips3D(np.arange(12.0).reshape(4, 3)),
    "linestrips3d/list_of_arrays": lambda m, f: m.LineStrips3D(
        [np.zeros((2, 3)), np.ones((5, 3))], radii=0.1
    ),
    "linestrips3d/list_of_point_arrays": lambda m, f: m.LineStrips3D([np.zeros(3), np.ones(3)]),
    "linestrips3d/empty": lambda m, f: m.LineStrips3D([]),
    "linestrips2d/sample": lambda m, f: m.LineStrips2D(
        [[[0, 0], [2, 1], [4, -1]], [[0, 3], [4, 3]]],
        radii=[0.1, 0.2],
        colors=[[255, 255, 0], [0, 255, 255]],
        labels=["x", "y"],
        show_labels=False,
        draw_order=1.0,
        class_ids=[3, 4],
    ),
    "linestrips2d/mixed_list_and_array": lambda m, f: m.LineStrips2D([[[0, 0], [1, 1]], np.zeros((3, 2))]),
    "linestrips2d/array3d": lambda m, f: m.LineStrips2D(np.arange(12, dtype=np.float32).reshape(3, 2, 2)),
    # Boxes3D
    "boxes3d/sample": lambda m, f: m.Boxes3D(
        centers=[[0, 0, 0], [2, 0, 0]],
        half_sizes=[[1, 1, 1], [0.5, 0.5, 0.5]],
        rotation_axis_angles=rotations(m),
        quaternions=quats(m),
        colors=[[255, 0, 0], [0, 0, 255]],
        radii=[0.01, 0.02],
        fill_mode="solid",
        labels=["b1", "b2"],
        show_labels=True,
        class_ids=[5, 6],
    ),
    "boxes3d/sizes_mins": lambda m, f: m.Boxes3D(
        sizes=[[2, 4, 6], [1, 1, 1]], mins=[[0, 0, 0], [-1, -1, -1]]
    ),
    "boxes3d/half_sizes_only": lambda m, f: m.Boxes3D(half_sizes=[1, 2, 3], fill_mode=3),
    "boxes3d/fill_mode_enum": lambda m, f: m.Boxes3D(
        sizes=[[1, 1, 1]], fill_mode=enum(m, "FillMode").TransparentFillMajorWireframe
    ),
    "boxes3d/rotations_quat": lambda m, f: m.Boxes3D(half_sizes=[[1, 1, 1]], rotations=[[0, 0, 0, 1]]),
    "boxes3d/rotations_axis_angle": lambda m, f: m.Boxes3D(
        half_sizes=[[1, 1, 1]], rotations=rotations(m)[:1]
    ),
    "boxes3d/quaternion_objects": lambda m, f: m.Boxes3D(half_sizes=[[1, 1, 1]], quaternions=quats(m)[1]),
    # Boxes2D
    "boxes2d/sample": lambda m, f: m.Boxes2D(
        mins=[[0, 0], [10, 10]],
        sizes=[[5, 5], [2, 3]],
        radii=[0.5, 1.0],
        colors=[[0, 128, 0], [128, 0, 0]],
        labels=["r1", "r2"],
        show_labels=True,
        draw_order=3.0,
        class_ids=[1, 2],
    ),
    "boxes2d/half_sizes_centers": lambda m, f: m.Boxes2D(half_sizes=[[1, 2]], centers=[[3, 4]]),
    "boxes2d/sizes_only": lambda m, f: m.Boxes2D(sizes=[3, 5]),
    "boxes2d/all_zero_array": lambda m, f: m.Boxes2D(array=[0, 0, 0, 0], array_format=m.Box2DFormat.XYWH),
    **{f"boxes2d/array_{fmt}": _boxes2d_array_case(fmt) for fmt in BOX2D_FORMATS},
    "boxes2d/yxhw_reverses_order": lambda m, f: m.Boxes2D(
        array=np.arange(1, 13).reshape(3, 4), array_format=m.Box2DFormat.YXHW
    ),
    "boxes2d/array_1d": lambda m, f: m.Boxes2D(array=np.array([1, 2, 3, 4]), array_format=m.Box2DFormat.XYXY),
    # Ellipsoids3D
    "ellipsoids3d/sample": lambda m, f: m.Ellipsoids3D(
        centers=[[0, 0, 0], [3, 0, 0]],
        half_sizes=[[1, 2, 3], [0.5, 0.5, 0.5]],
        rotation_axis_angles=[m.RotationAxisAngle(axis=[0, 1, 0], radians=0.3)] * 2,
        quaternions=[m.Quaternion(xyzw=[0, 0, 0, 1])] * 2,
        colors=[[255, 0, 0], [0, 255, 0]],
        line_radii=[0.01, 0.02],
        fill_mode="majorwireframe",
        labels=["e1", "e2"],
        show_labels=False,
        class_ids=[9, 10],
    ),
    "ellipsoids3d/radii": lambda m, f: m.Ellipsoids3D(radii=[1.0, 2.5], centers=[[0, 0, 0], [1, 1, 1]]),
    # Arrows3D
    "arrows3d/sample": lambda m, f: m.Arrows3D(
        vectors=[[1, 0, 0], [0, 1, 0]],
        origins=[[0, 0, 0], [1, 1, 1]],
        radii=[0.05, 0.1],
        colors=[[255, 0, 0], [0, 255, 0]],
        labels=["ax", "ay"],
        show_labels=True,
        class_ids=[1, 2],
    ),
    "arrows3d/vectors_only": lambda m, f: m.Arrows3D(vectors=np.eye(3)),
    # Mesh3D
    "mesh3d/sample": lambda m, f: m.Mesh3D(
        vertex_positions=[[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]],
        triangle_indices=[[0, 1, 2], [1, 3, 2]],
        vertex_normals=[[0, 0, 1]] * 4,
        vertex_colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]],
        vertex_texcoords=[[0, 0], [1, 0], [0, 1], [1, 1]],
        albedo_factor=[200, 100, 50, 255],
        face_rendering="doublesided",
        class_ids=[4],
    ),
    "mesh3d/textured": lambda m, f: m.Mesh3D(
        vertex_positions=[[0, 0, 0], [1, 0, 0], [0, 1, 0]],
        triangle_indices=[[0, 1, 2]],
        vertex_texcoords=[[0, 0], [1, 0], [0, 1]],
        albedo_texture=TEXTURE,
    ),
    "mesh3d/rgba_f32_texture": lambda m, f: m.Mesh3D(
        vertex_positions=np.zeros((3, 3)),
        triangle_indices=np.array([0, 1, 2], dtype=np.int32),
        albedo_texture=np.linspace(0, 1, 2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4),
        albedo_factor=0x808080FF,
        face_rendering=enum(m, "MeshFaceRendering").Back,
    ),
    # Asset3D
    "asset3d/sample": lambda m, f: m.Asset3D(
        contents=TINY_OBJ, media_type="model/obj", albedo_factor=[255, 128, 0, 255]
    ),
    "asset3d/file_object": lambda m, f: m.Asset3D(contents=f["obj"].open("rb"), media_type="model/obj"),
    "asset3d/path_obj": lambda m, f: m.Asset3D(path=f["obj"]),
    "asset3d/path_str_upper_ext": lambda m, f: m.Asset3D(path=str(f["stl"])),
    "asset3d/path_unknown_ext": lambda m, f: m.Asset3D(path=f["bin"]),
    "asset3d/media_type_const": lambda m, f: m.Asset3D(contents=b"glTF", media_type=m.MediaType.GLB),
    # Transform3D (all make_samples.py calls, the seed, more)
    "transform3d/seed_style": lambda m, f: m.Transform3D(
        rotation=m.RotationAxisAngle(axis=[0, 0, 1], radians=1.0)
    ),
    "transform3d/seed_loop": lambda m, f: m.Transform3D(
        rotation=m.RotationAxisAngle(axis=[0, 0, 1], radians=0.37 / 4.0 * math.tau)
    ),
    "transform3d/translation": lambda m, f: m.Transform3D(translation=[1, 2, 3]),
    "transform3d/rotation_axis_angle": lambda m, f: m.Transform3D(
        rotation_axis_angle=m.RotationAxisAngle(axis=[0, 1, 0], degrees=90)
    ),
    "transform3d/quaternion": lambda m, f: m.Transform3D(
        quaternion=m.Quaternion(xyzw=[0, 0, 0.7071068, 0.7071068])
    ),
    "transform3d/rotation_quaternion": lambda m, f: m.Transform3D(rotation=m.Quaternion(xyzw=[0, 0, 0, 1])),
    "transform3d/rotation_angle_positional": lambda m, f: m.Transform3D(
        rotation=m.RotationAxisAngle([1, 1, 0], 0.25)
    ),
    "transform3d/scale_uniform": lambda m, f: m.Transform3D(scale=2.0),
    "transform3d/scale_np_scalar": lambda m, f: m.Transform3D(scale=np.float64(0.5)),
    "transform3d/scale_vec": lambda m, f: m.Transform3D(scale=[1, 2, 3]),
    "transform3d/numpy_inputs": lambda m, f: m.Transform3D(
        translation=np.array([1.0, 2.0, 3.0]), scale=np.array([1, 2, 3])
    ),
    "transform3d/mat3x3": lambda m, f: m.Transform3D(mat3x3=[[1, 2, 3], [4, 5, 6], [7, 8, 9]]),
    "transform3d/mat3x3_flat": lambda m, f: m.Transform3D(mat3x3=list(range(9))),
    "transform3d/relation": lambda m, f: m.Transform3D(
        translation=[0, 0, 1], relation=m.TransformRelation.ChildFromParent
    ),
    "transform3d/relation_str": lambda m, f: m.Transform3D(relation="parentfromchild"),
    "transform3d/from_parent": lambda m, f: m.Transform3D(translation=[0, 0, 2], from_parent=True),
    "transform3d/from_parent_false": lambda m, f: m.Transform3D(translation=[0, 0, 2], from_parent=False),
    "transform3d/frames": lambda m, f: m.Transform3D(
        translation=[1, 0, 0], child_frame="child", parent_frame="parent"
    ),
    "transform3d/all": lambda m, f: m.Transform3D(
        translation=[1, 2, 3],
        rotation_axis_angle=m.RotationAxisAngle(axis=[1, 0, 0], radians=0.1),
        quaternion=[0, 0, 0, 1],
        scale=[2, 2, 2],
        mat3x3=np.eye(3),
    ),
    # InstancePoses3D
    "instanceposes3d/sample": lambda m, f: m.InstancePoses3D(
        translations=[[0, 0, 0], [1, 0, 0]],
        rotation_axis_angles=[m.RotationAxisAngle(axis=[0, 0, 1], radians=0.5)] * 2,
        quaternions=[[0, 0, 0, 1]] * 2,
        scales=[[1, 1, 1], [2, 2, 2]],
        mat3x3=[np.eye(3)] * 2,
    ),
    "instanceposes3d/mat_array": lambda m, f: m.InstancePoses3D(
        mat3x3=np.arange(27, dtype=np.float64).reshape(3, 3, 3)
    ),
    "instanceposes3d/mat_flat_lists": lambda m, f: m.InstancePoses3D(
        mat3x3=[list(range(9)), list(range(9, 18))]
    ),
    "instanceposes3d/single_mat": lambda m, f: m.InstancePoses3D(mat3x3=np.eye(3)),
    "instanceposes3d/single_axis_angle": lambda m, f: m.InstancePoses3D(
        rotation_axis_angles=m.RotationAxisAngle(axis=[0, 0, 1], degrees=45)
    ),
    # Pinhole
    "pinhole/sample": lambda m, f: m.Pinhole(
        focal_length=[500.0, 510.0],
        principal_point=[320.0, 240.0],
        resolution=[640, 480],
        camera_xyz=m.ViewCoordinates.RDF,
        image_plane_distance=1.5,
        color=[255, 0, 255],
        line_width=0.01,
        child_frame="cam_frame",
        parent_frame="world_frame",
    ),
    "pinhole/fov": lambda m, f: m.Pinhole(fov_y=0.9, aspect_ratio=1.5, width=300, height=200),
    "pinhole/matrix": lambda m, f: m.Pinhole(image_from_camera=[[100, 0, 32], [0, 110, 24], [0, 0, 1]]),
    "pinhole/focal_scalar_resolution": lambda m, f: m.Pinhole(focal_length=300, resolution=[640, 480]),
    "pinhole/focal_width_height": lambda m, f: m.Pinhole(focal_length=300.5, width=64, height=48),
    "pinhole/camera_xyz_names": lambda m, f: m.Pinhole(
        focal_length=1.0, principal_point=[0.5, 0.5], camera_xyz=["Right", "down", "FORWARD"]
    ),
    "pinhole/camera_xyz_const": lambda m, f: m.Pinhole(
        focal_length=1, width=2, height=2, camera_xyz=m.ViewCoordinates.FLU
    ),
    # ViewCoordinates
    "viewcoordinates/ints": lambda m, f: m.ViewCoordinates([3, 2, 5]),
    # Image
    "image/rgb": lambda m, f: m.Image(
        RGB_IMAGE, opacity=0.5, draw_order=-1.0, magnification_filter="nearest"
    ),
    "image/rgba": lambda m, f: m.Image(np.zeros((2, 2, 4), dtype=np.uint8), color_model="RGBA"),
    "image/gray_f32": lambda m, f: m.Image(np.linspace(0, 1, 6, dtype=np.float32).reshape(2, 3)),
    "image/bgr_u16": lambda m, f: m.Image(np.arange(12, dtype=np.uint16).reshape(2, 2, 3), color_model="BGR"),
    "image/nv12": lambda m, f: m.Image(
        bytes=bytes(range(24)), width=4, height=4, pixel_format=m.PixelFormat.NV12
    ),
    "image/pixel_format_str": lambda m, f: m.Image(
        bytes=bytes(16), width=4, height=4, pixel_format="y8_fullrange"
    ),
    "image/bytes_datatype_np": lambda m, f: m.Image(
        bytes=bytes(range(12)), width=2, height=2, color_model="RGB", datatype=np.uint8
    ),
    "image/bytes_datatype_enum": lambda m, f: m.Image(
        bytes=np.arange(4, dtype=np.uint16), width=2, height=1, color_model=m.ColorModel.L, datatype="U16"
    ),
    "image/unit_dims": lambda m, f: m.Image(np.ones((1, 3, 2, 3, 1), dtype=np.int16)),
    "image/transposed_f64": lambda m, f: m.Image(np.arange(6, dtype=np.float64).reshape(2, 3).T),
    "image/bgra_enum": lambda m, f: m.Image(np.ones((2, 2, 4), dtype=np.float16), m.ColorModel.BGRA),
    "image/magnification_int": lambda m, f: m.Image(np.zeros((2, 2), dtype=np.int64), magnification_filter=3),
    "image/big_endian": lambda m, f: m.Image(np.arange(4, dtype=">u2").reshape(2, 2)),
    # EncodedImage
    "encodedimage/contents": lambda m, f: m.EncodedImage(
        contents=_png(), media_type="image/png", opacity=0.8, draw_order=2.0, magnification_filter="bicubic"
    ),
    "encodedimage/path": lambda m, f: m.EncodedImage(path=f["png"]),
    "encodedimage/path_str_media_type": lambda m, f: m.EncodedImage(
        path=str(f["bin"]), media_type=m.MediaType.JPEG
    ),
    # DepthImage
    "depthimage/sample": lambda m, f: m.DepthImage(
        (np.arange(12, dtype=np.uint16) * 100).reshape(3, 4),
        meter=1000.0,
        colormap="viridis",
        depth_range=[0.0, 5.0],
        point_fill_ratio=0.5,
        draw_order=1.0,
        magnification_filter="linear",
    ),
    "depthimage/f32": lambda m, f: m.DepthImage(np.ones((2, 2), dtype=np.float32)),
    "depthimage/colormap_enum_int": lambda m, f: m.DepthImage(
        np.ones((1, 2, 3), dtype=np.float64), colormap=enum(m, "Colormap").Turbo, magnification_filter=1
    ),
    "depthimage/range_slice": lambda m, f: m.DepthImage(np.ones((2, 2)), depth_range=slice(0, 10)),
    "depthimage/colormap_int": lambda m, f: m.DepthImage(np.ones((2, 3), dtype=np.uint8), colormap=12),
    # Scalars
    "scalars/one": lambda m, f: m.Scalars(np.sin(0.5)),
    "scalars/int": lambda m, f: m.Scalars(3),
    "scalars/list": lambda m, f: m.Scalars([1, 2.0]),
    "scalars/array": lambda m, f: m.Scalars(np.arange(5, dtype=np.float32)),
    # TextLog / TextDocument
    "textlog/info_color": lambda m, f: m.TextLog("hello world", level=m.TextLogLevel.INFO, color=[0, 255, 0]),
    "textlog/level_str": lambda m, f: m.TextLog("something bad", level="ERROR"),
    "textlog/non_str_text": lambda m, f: m.TextLog(42),
    "textlog/plain": lambda m, f: m.TextLog("plain"),
    "textdocument/markdown": lambda m, f: m.TextDocument(
        "# Title\n\nSome *markdown*", media_type=m.MediaType.MARKDOWN
    ),
    "textdocument/plain": lambda m, f: m.TextDocument("plain text"),
    "textdocument/media_type_str": lambda m, f: m.TextDocument("x", media_type="text/plain"),
    # Clear
    "clear/flat": lambda m, f: m.Clear(recursive=False),
    "clear/recursive": lambda m, f: m.Clear(recursive=True),
    "clear/recursive_helper": lambda m, f: m.Clear.recursive(),
    "clear/flat_helper": lambda m, f: m.Clear.flat(),
    # Radius: UI-point radii (negative) and Radius objects
    "points3d/radius_ui_points": lambda m, f: m.Points3D(
        np.zeros((3, 3)), radii=m.Radius.ui_points([0.5, -2.0, 3])
    ),
    "points2d/radius_ui_points_scalar": lambda m, f: m.Points2D(
        np.zeros((2, 2)), radii=m.Radius.ui_points(4)
    ),
    "points3d/radius_objects": lambda m, f: m.Points3D(
        np.zeros((2, 3)), radii=[m.Radius(0.25), m.Radius(m.Radius.ui_points(1.5))]
    ),
    "linestrips3d/radius_ui_points": lambda m, f: m.LineStrips3D(
        [[[0, 0, 0], [1, 1, 1]]], radii=m.Radius.ui_points(np.array([2.0]))
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore:Ambiguous input for colors")  # rerun-sdk warns, then packs
def test_same_batches_as_rerun(case: str, files: dict[str, Path]) -> None:
    build = CASES[case]
    assert_same_batches(build(ours, files), build(rr, files))


VIEW_COORDINATE_NAMES = sorted(
    n for n in dir(rr.ViewCoordinates) if n.isupper() and n != "NAME" and not n.startswith("_")
)


def test_view_coordinates_has_all_rerun_constants() -> None:
    assert len(VIEW_COORDINATE_NAMES) == 60
    for name in VIEW_COORDINATE_NAMES:
        assert_same_batches(getattr(ours.ViewCoordinates, name), getattr(rr.ViewCoordinates, name))


def test_view_coordinates_from_view_dirs() -> None:
    mine = ours.ViewCoordinates([ours.ViewDir.Right, ours.ViewDir.Down, ours.ViewDir.Forward])
    assert_same_batches(mine, rr.ViewCoordinates.RDF)


def test_any_values() -> None:
    kwargs = {
        "answer": 42,
        "label": "hello",
        "values": [1.0, 2.0],
        "flags": np.array([True, False]),
        "f32": np.arange(3, dtype=np.float32),
        "ratio": 0.5,
    }
    mine, theirs = ours.AnyValues(**kwargs), rr.AnyValues(**kwargs)
    got = [
        (b.descriptor.component, b.descriptor.archetype, b.descriptor.component_type)
        for b in mine.as_component_batches()
    ]
    expected = [(a[1], a[0], a[2]) for a in rerun_batches(theirs)]
    assert got == expected
    for b, e in zip(mine.as_component_batches(), rerun_batches(theirs), strict=True):
        assert b.array.type == e[3].type and b.array.equals(e[3])


def test_any_values_drops_nones_and_empties() -> None:
    assert [b.descriptor.component for b in ours.AnyValues(a=None, b=[], c=1).as_component_batches()] == ["c"]


# ---- property-based ---------------------------------------------------------------------------------------

_floats = st.floats(width=32, allow_nan=True, allow_infinity=True)


@st.composite
def _points_and_radii(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """N positions and either N radii or one radius for all."""
    positions = draw(hnp.arrays(np.float32, st.tuples(st.integers(0, 50), st.just(3)), elements=_floats))
    count = draw(st.sampled_from([1, len(positions)])) or 1
    radii = draw(hnp.arrays(np.float64, count, elements=st.floats(-10, 10)))
    return positions, radii


@settings(max_examples=40, deadline=None)
@given(points=_points_and_radii())
def test_points3d_random_positions(points: tuple[np.ndarray, np.ndarray]) -> None:
    positions, radii = points
    assert_same_batches(ours.Points3D(positions, radii=radii), rr.Points3D(positions, radii=radii))


@settings(max_examples=40, deadline=None)
@given(
    data=st.one_of(
        hnp.arrays(np.uint8, st.tuples(st.integers(1, 20), st.sampled_from([3, 4]))),
        hnp.arrays(
            np.float32,
            st.tuples(st.integers(1, 20), st.sampled_from([3, 4])),
            elements=st.floats(0, 1, width=32),
        ),
        hnp.arrays(
            np.float64, st.tuples(st.integers(1, 20), st.sampled_from([3, 4])), elements=st.floats(0, 1)
        ),
        hnp.arrays(np.uint32, st.integers(1, 20)),
        st.lists(st.lists(st.integers(0, 255), min_size=3, max_size=4), min_size=1, max_size=10),
        st.lists(st.integers(0, 255), min_size=3, max_size=4),
    )
)
def test_colors_random(data: Any) -> None:
    n = len(data) if not (isinstance(data, list) and isinstance(data[0], int)) else 1
    positions = np.zeros((n, 2))
    assert_same_batches(ours.Points2D(positions, colors=data), rr.Points2D(positions, colors=data))


@settings(max_examples=25, deadline=None)
@given(
    strips=st.lists(
        hnp.arrays(np.float64, st.tuples(st.integers(0, 6), st.just(3)), elements=st.floats(-1e6, 1e6)),
        min_size=1,
        max_size=5,
    )
)
def test_linestrips_random(strips: list[np.ndarray]) -> None:
    assert_same_batches(ours.LineStrips3D(strips), rr.LineStrips3D(strips))


@settings(max_examples=25, deadline=None)
@given(
    image=hnp.arrays(
        st.sampled_from([np.uint8, np.uint16, np.int32, np.float32, np.float64]),
        st.tuples(st.integers(1, 6), st.integers(1, 6), st.sampled_from([1, 3, 4])),
    )
)
def test_image_random(image: np.ndarray) -> None:
    assert_same_batches(ours.Image(image), rr.Image(image))


# ---- errors -----------------------------------------------------------------------------------------------


def test_error_positions_wrong_width() -> None:
    with pytest.raises(ArchetypeError) as err:
        ours.Points3D(np.zeros((4, 2)))
    assert (
        str(err.value) == "Points3D: positions has shape (4, 2); expected (N, 3) (a list of [x, y, z] points)"
    )
    assert err.value.archetype == "Points3D" and err.value.argument == "positions"
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize(
    ("build", "archetype", "argument", "fragment"),
    [
        (
            lambda: ours.Points3D([[0, 0, 0]], colors=[[1, 2, 3, 4, 5]]),
            "Points3D",
            "colors",
            "(N, 3) or (N, 4)",
        ),
        (lambda: ours.Points3D("abc"), "Points3D", "positions", "expected numbers"),
        (lambda: ours.Points3D([["a", "b", "c"]]), "Points3D", "positions", "expected numbers"),
        (lambda: ours.Points3D([[0, 0, 0]], radii="big"), "Points3D", "radii", "expected numbers"),
        (lambda: ours.Points3D([[0, 0, 0]], colors="red"), "Points3D", "colors", "RGB/RGBA"),
        (lambda: ours.Points3D([[0, 0, 0]], class_ids=[-1]), "Points3D", "class_ids", "out of range"),
        (lambda: ours.Points3D([[0, 0, 0]], point_shading="shiny"), "Points3D", "point_shading", "Flat"),
        (
            lambda: ours.Points3D(np.zeros((3, 3)), colors=[[1, 2, 3], [4, 5, 6]]),
            "Points3D",
            "colors",
            "has 2 values for 3 instances",
        ),
        (
            lambda: ours.LineStrips3D([[[0, 0, 0], [1, 1, 1]]], radii=[1.0, 2.0]),
            "LineStrips3D",
            "radii",
            "2 values for 1 instances",
        ),
        (lambda: ours.Points2D([[0, 0, 0]]), "Points2D", "positions", "expected (N, 2)"),
        (lambda: ours.LineStrips3D([[[0, 0], [1, 1]]]), "LineStrips3D", "strips", "expected (N, 3)"),
        (lambda: ours.LineStrips3D(np.zeros((2, 2, 2))), "LineStrips3D", "strips", "(strips, points, 3)"),
        (lambda: ours.Boxes3D(sizes=[[1, 1]]), "Boxes3D", "sizes", "expected (N, 3)"),
        (lambda: ours.Boxes3D(sizes=[1, 1, 1], half_sizes=[1, 1, 1]), "Boxes3D", "sizes", "only one"),
        (lambda: ours.Boxes3D(half_sizes=[1, 1, 1], fill_mode="fancy"), "Boxes3D", "fill_mode", "Solid"),
        (lambda: ours.Boxes2D(array=[[0, 0, 1, 1]]), "Boxes2D", "array", "array_format"),
        (lambda: ours.Boxes2D(array=[[0, 0, 1]], array_format="XYWH"), "Boxes2D", "array", "(N, 4)"),
        (lambda: ours.Boxes2D(mins=[0, 0]), "Boxes2D", "mins", "sizes"),
        (lambda: ours.Transform3D(rotation=[0, 0, 0, 1]), "Transform3D", "rotation", "Quaternion"),
        (lambda: ours.Transform3D(translation=[1, 2]), "Transform3D", "translation", "(N, 3)"),
        (lambda: ours.Transform3D(mat3x3=[1, 2, 3]), "Transform3D", "mat3x3", "3x3"),
        (lambda: ours.Transform3D(relation=7), "Transform3D", "relation", "ChildFromParent"),
        (lambda: ours.Pinhole(resolution=[640, 480]), "Pinhole", "focal_length", "missing"),
        (lambda: ours.ViewCoordinates("RDF"), "ViewCoordinates", "xyz", "ViewDir"),
        (lambda: ours.Image(np.zeros((2, 2, 5), dtype=np.uint8)), "Image", "image", "5 channels"),
        (lambda: ours.Image(np.zeros((2, 2, 3)), color_model="RGBA"), "Image", "image", "expected 4"),
        (lambda: ours.Image(np.zeros((2, 2), dtype=bool)), "Image", "image", "dtype bool"),
        (lambda: ours.Image(np.zeros((2, 2, 2, 2))), "Image", "image", "shape (2, 2, 2, 2)"),
        (lambda: ours.Image(bytes=b"1234", width=2), "Image", "bytes", "width and height"),
        (lambda: ours.DepthImage(np.zeros((2, 2, 3))), "DepthImage", "image", "(height, width)"),
        (lambda: ours.EncodedImage(contents=b"x"), "EncodedImage", "media_type", "missing"),
        (lambda: ours.Asset3D(), "Asset3D", "path", "exactly one"),
        (
            lambda: ours.Mesh3D(vertex_positions=[[0, 0, 0]], albedo_texture=np.zeros((2, 2))),
            "Mesh3D",
            "albedo_texture",
            "(height, width, 3 or 4)",
        ),
        (
            lambda: ours.Mesh3D(vertex_positions=[[0, 0, 0]], triangle_indices=[[0, 1]]),
            "Mesh3D",
            "triangle_indices",
            "(N, 3)",
        ),
    ],
)
def test_errors_name_archetype_argument_and_expectation(
    build: Callable[[], Any], archetype: str, argument: str, fragment: str
) -> None:
    with pytest.raises(ArchetypeError) as err:
        build()
    assert err.value.archetype == archetype
    assert err.value.argument == argument
    message = str(err.value)
    assert message.startswith(f"{archetype}: {argument} ")
    assert fragment in message


def test_nan_and_inf_are_data() -> None:
    batches = ours.Points3D([[np.nan, np.inf, 0]], radii=[np.inf]).as_component_batches()
    assert math.isnan(batches[0].array.to_pylist()[0][0])


# ---- performance ------------------------------------------------------------------------------------------


def test_100k_points_convert_fast() -> None:
    rng = np.random.default_rng(0)
    positions = rng.random((100_000, 3), dtype=np.float32)
    colors = rng.integers(0, 255, (100_000, 3), dtype=np.uint8)
    radii = rng.random(100_000, dtype=np.float32)
    best = min(_timed(lambda: ours.Points3D(positions, colors=colors, radii=radii)) for _ in range(5))
    assert best < 0.010, f"{best * 1000:.1f} ms"
    # positions alone: numpy -> arrow without a copy
    array = ours.Points3D(positions).as_component_batches()[0].array
    assert array.values.buffers()[1].address == positions.ctypes.data


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# ---- utilities --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"num_points": 7},
        {"num_points": 300, "angular_offset": math.tau * 0.5},
        {"num_points": 10, "radius": 0.5, "angular_step": 0.1, "z_step": -0.3},
    ],
)
def test_build_color_spiral_matches_rerun(kwargs: dict[str, Any]) -> None:
    mine, theirs = build_color_spiral(**kwargs), rr_utilities.build_color_spiral(**kwargs)
    assert np.array_equal(mine.positions, theirs.positions)
    assert np.array_equal(mine.colors, theirs.colors)
    assert mine.positions.dtype == theirs.positions.dtype and mine.colors.dtype == theirs.colors.dtype


@pytest.mark.parametrize(
    ("counts", "twist"),
    [
        ((10, 10, 10), 0),
        ((3, 1, 2), 1.0),
        ((7, 5, 3), math.pi),
        ((1, 1, 1), 0.5),
        ((0, 2, 2), 0),
        ((4, 9, 6), -2),
    ],
)
def test_build_color_grid_matches_rerun(counts: tuple[int, int, int], twist: float) -> None:
    mine, theirs = build_color_grid(*counts, twist=twist), rr_utilities.build_color_grid(*counts, twist=twist)
    assert np.array_equal(mine.positions, theirs.positions)  # bit-identical, not just close
    assert np.array_equal(mine.colors, theirs.colors)
    assert mine.positions.dtype == theirs.positions.dtype and mine.colors.dtype == theirs.colors.dtype
    assert mine._fields == theirs._fields


def test_default_grid_and_spiral_match_rerun() -> None:
    import rerender.utilities as utilities

    assert np.array_equal(utilities.color_grid.positions, rr_utilities.color_grid.positions)
    assert np.array_equal(utilities.color_grid.colors, rr_utilities.color_grid.colors)
    assert np.array_equal(utilities.color_spiral.positions, rr_utilities.color_spiral.positions)
    assert np.array_equal(utilities.color_spiral.colors, rr_utilities.color_spiral.colors)


@pytest.mark.parametrize("radii", [3, -2.5, [1, -2, 0], np.array([[0.5], [7.0]]), np.float64(1e-3)])
def test_radius_ui_points_matches_rerun(radii: Any) -> None:
    mine, theirs = ours.Radius.ui_points(radii), rr.Radius.ui_points(radii)
    assert type(mine) is type(theirs)
    assert np.asarray(mine).dtype == np.asarray(theirs).dtype == np.float32
    assert np.array_equal(mine, theirs)


@pytest.mark.parametrize("t", [0.0, 0.25, 1.0, 1.75, 2.5, 3.999, 10.1])
def test_bounce_lerp_matches_rerun(t: float) -> None:
    assert bounce_lerp(80, 230, t) == rr_utilities.bounce_lerp(80, 230, t)
    a, b = np.array([0.0, 1.0, 2.0]), np.array([5.0, -1.0, 2.5])
    assert np.array_equal(bounce_lerp(a, b, t), rr_utilities.bounce_lerp(a, b, t))


def test_seed_tutorial_beads_match() -> None:
    """The tutorial's bead loop, end to end, through both SDKs."""
    p1, _ = build_color_spiral(100)
    p2, _ = build_color_spiral(100, angular_offset=math.tau * 0.5)
    times = np.repeat(0.37, 100) + _OFFSETS
    beads = [bounce_lerp(p1[n], p2[n], times[n]) for n in range(100)]
    colors = [[int(bounce_lerp(80, 230, times[n] * 2))] for n in range(100)]
    assert_same_batches(
        ours.Points3D(beads, radii=0.06, colors=np.repeat(colors, 3, axis=-1)),
        rr.Points3D(beads, radii=0.06, colors=np.repeat(colors, 3, axis=-1)),
    )
