"""`from_fields`, `cleared`, `update_fields` and field-wise `columns`, derived from each archetype's field
table, against rerun-sdk 0.41's."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import rerender
from rerender.sdk.batch import Archetype

from .test_sdk_archetypes import _close, _field_nullability, assert_same_batches

rerun = pytest.importorskip("rerun")

ROOT = Path(__file__).parent.parent
ENV = {**os.environ, "RERUN_FLUSH_TICK_SECS": "1000", "RERUN_ANALYTICS": "0"}

ARCHETYPES = [
    name
    for name in rerender.archetypes.__all__
    if isinstance(getattr(rerender.archetypes, name), type(Archetype))
]


@pytest.fixture(autouse=True)
def _strict() -> Any:
    """Both SDKs raise on bad input, so a conversion failure cannot pass as an empty archetype."""
    rerun.set_strict_mode(True)
    rerender.set_strict_mode(True)
    yield
    rerun.set_strict_mode(False)
    rerender.set_strict_mode(False)


def test_every_archetype_has_the_field_methods() -> None:
    for name in ARCHETYPES:
        cls = getattr(rerender.archetypes, name)
        for method in ("from_fields", "cleared", "update_fields", "columns"):
            assert callable(getattr(cls, method, None)), (name, method)


@pytest.mark.parametrize("name", ARCHETYPES)
def test_cleared_equals_rerun(name: str) -> None:
    if name == "McapStatistics":  # rerun 0.41 cannot serialize it in strict mode (test_sdk_archetypes_d)
        pytest.skip("rerun-sdk 0.41 raises NotImplementedError for McapStatistics.cleared() in strict mode")
    mine = getattr(rerender.archetypes, name).cleared()
    assert mine._rerender_error is None
    assert_same_batches(mine, getattr(rerun.archetypes, name).cleared())


@pytest.mark.parametrize("name", ARCHETYPES)
def test_field_names_equal_rerun(name: str) -> None:
    """The field table has rerun's fields, in rerun's order (from_fields' keyword parameters)."""
    import inspect

    theirs = [
        p
        for p in inspect.signature(getattr(rerun.archetypes, name).from_fields).parameters
        if p != "clear_unset"
    ]
    assert [f.name for f in getattr(rerender.archetypes, name)._FIELDS] == theirs


def _image_format(m: Any) -> Any:
    if m is rerun:
        return rerun.components.ImageFormat(width=2, height=2, color_model="RGB", channel_datatype="U8")
    return {"width": 2, "height": 2, "color_model": "RGB", "channel_datatype": "U8"}


# archetype -> builders of from_fields keyword arguments, given the SDK module.
FROM_FIELDS: dict[str, list[Callable[[Any], dict[str, Any]]]] = {
    "Points3D": [
        lambda m: {"colors": [[255, 0, 0], [0, 255, 0]]},
        lambda m: {"positions": np.arange(9, dtype=np.float32).reshape(3, 3), "radii": 0.5},
        lambda m: {"keypoint_ids": [1, 2], "point_shading": "Flat", "labels": ["a", "b"]},
    ],
    "Mesh3D": [
        lambda m: {"vertex_colors": [[0, 0, 255]], "face_rendering": "DoubleSided"},
        lambda m: {"vertex_positions": [[0, 0, 0], [1, 0, 0], [0, 1, 0]], "triangle_indices": [[0, 1, 2]]},
        lambda m: {
            "albedo_texture_buffer": np.zeros(12, dtype=np.uint8),
            "albedo_texture_format": _image_format(m),
        },
    ],
    "Transform3D": [
        lambda m: {"translation": [1, 2, 3]},
        lambda m: {"quaternion": m.Quaternion(xyzw=[0, 0, 0, 1]), "scale": [2, 2, 2]},
        lambda m: {
            "rotation_axis_angle": m.RotationAxisAngle(axis=[0, 0, 1], degrees=30),
            "relation": "ChildFromParent",
            "parent_frame": "world",
        },
        lambda m: {"mat3x3": np.eye(3), "child_frame": "cam"},
    ],
    "Boxes3D": [
        lambda m: {"half_sizes": [[1, 2, 3]], "centers": [[0, 0, 1]]},
        lambda m: {"colors": [255, 0, 0], "fill_mode": "Solid", "labels": "box"},
        lambda m: {"quaternions": [[0, 0, 0, 1]], "show_labels": False},
    ],
    "Image": [
        lambda m: {"opacity": 0.5, "draw_order": 3},
        lambda m: {"buffer": np.arange(12, dtype=np.uint8), "format": _image_format(m)},
        lambda m: {"magnification_filter": "Linear"},
    ],
    "DepthImage": [
        lambda m: {"meter": 1000, "colormap": "Viridis", "depth_range": [0.0, 5.0]},
        lambda m: {"point_fill_ratio": 0.5, "draw_order": -1},
    ],
    "Scalars": [lambda m: {"scalars": [1.0, 2.5]}, lambda m: {"scalars": 3}],
    "SeriesLines": [
        lambda m: {"colors": [255, 0, 0], "widths": 2},
        lambda m: {"names": ["a", "b"], "visible_series": [True, False], "aggregation_policy": "MinMax"},
    ],
    "SeriesPoints": [lambda m: {"markers": "Cross", "marker_sizes": [3.0]}],
    "GraphNodes": [
        lambda m: {"node_ids": ["a", "b"], "positions": [[0, 0], [1, 1]]},
        lambda m: {"labels": ["A", "B"], "radii": 2.0},
    ],
    "GraphEdges": [lambda m: {"graph_type": "Directed"}],
    "Pinhole": [
        lambda m: {"resolution": [640, 480]},
        lambda m: {
            "image_from_camera": [[500, 0, 320], [0, 500, 240], [0, 0, 1]],
            "camera_xyz": m.ViewCoordinates.RDF,
        },
    ],
    "TextLog": [lambda m: {"level": "WARN"}],
    "Capsules3D": [lambda m: {"lengths": [1.0], "translations": [[0, 0, 1]]}],
    "Ellipsoids3D": [lambda m: {"half_sizes": [[1, 1, 1]], "line_radii": 0.1}],
    "LineStrips3D": [lambda m: {"strips": [[[0, 0, 0], [1, 1, 1]]], "colors": [0, 0, 255]}],
    "EncodedImage": [lambda m: {"media_type": "image/png", "opacity": 0.25}],
    "Clear": [lambda m: {"is_recursive": True}],
}
FROM_FIELDS_CASES = [
    (name, i, clear)
    for name, builders in FROM_FIELDS.items()
    for i in range(len(builders))
    for clear in (False, True)
]


@pytest.mark.parametrize(("name", "case", "clear_unset"), FROM_FIELDS_CASES)
def test_from_fields_equals_rerun(name: str, case: int, clear_unset: bool) -> None:
    build = FROM_FIELDS[name][case]
    theirs = getattr(rerun, name).from_fields(clear_unset=clear_unset, **build(rerun))
    mine = getattr(rerender, name).from_fields(clear_unset=clear_unset, **build(rerender))
    assert_same_batches(mine, theirs)
    # update_fields is the same update (rerun-sdk's name for it before 0.23).
    assert_same_batches(
        getattr(rerender, name).update_fields(clear_unset=clear_unset, **build(rerender)), theirs
    )


def test_from_fields_skips_constructor_defaults() -> None:
    """No `class_ids=0` for keypoints, no default marker: only what is given (as rerun-sdk)."""
    mine = rerender.Points3D.from_fields(keypoint_ids=[1])
    assert [b.descriptor.component for b in mine.as_component_batches()] == ["Points3D:keypoint_ids"]
    assert rerender.SeriesPoints.from_fields().as_component_batches() == []
    assert rerender.Points3D.from_fields(colors=None).as_component_batches() == []


def test_unknown_field_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="sizes"):
        rerender.Boxes3D.from_fields(sizes=[1, 2, 3])
    with pytest.raises(TypeError, match="bogus"):
        rerender.Points3D.columns(bogus=1)
    with pytest.raises(TypeError, match="bogus"):
        rerender.Points3D.update_fields(bogus=1)


def test_from_fields_bad_value_names_the_field() -> None:
    with pytest.raises(
        rerender.ArchetypeError if hasattr(rerender, "ArchetypeError") else ValueError, match="colors"
    ):
        rerender.Points3D.from_fields(colors="not a color")
    rerender.set_strict_mode(False)
    bad = rerender.Points3D.from_fields(positions=[[1, 2]])
    assert bad._rerender_error is not None and bad._rerender_error.argument == "positions"


def _columns(cols: Any) -> list[tuple[Any, ...]]:
    """(archetype, component, component type, list-array type, values) of each column, either SDK."""
    out = []
    for col in cols:
        if hasattr(col, "as_list_arrays"):
            for descriptor, array in col.as_list_arrays():
                out.append((descriptor.archetype, descriptor.component, descriptor.component_type, array))
        else:
            d = col.component_descriptor()
            out.append((d.archetype, d.component, d.component_type, col.as_arrow_array()))
    return out


def assert_same_columns(mine: Any, theirs: Any) -> None:
    got, expected = _columns(mine), _columns(theirs)
    assert [g[:3] for g in got] == [e[:3] for e in expected]
    for g, e in zip(got, expected, strict=True):
        assert g[3].type.value_type == e[3].type.value_type, g[1]
        assert _field_nullability(g[3].type.value_type) == _field_nullability(e[3].type.value_type), g[1]
        assert _close(g[3].to_pylist(), e[3].to_pylist()), (g[1], g[3].to_pylist()[:5], e[3].to_pylist()[:5])


COLUMNS: list[tuple[str, Callable[[Any], dict[str, Any]], list[int] | None]] = [
    ("Points3D", lambda m: {"colors": [[255, 0, 0], [0, 255, 0], [0, 0, 255]]}, None),
    ("Points3D", lambda m: {"colors": [[255, 0, 0], [0, 255, 0], [0, 0, 255]], "radii": [1, 2, 3]}, [1, 2]),
    ("Points3D", lambda m: {"positions": np.arange(18, dtype=np.float32).reshape(2, 3, 3)}, None),
    (
        "Points3D",
        lambda m: {"positions": np.arange(18, dtype=np.float32).reshape(6, 3), "radii": np.ones(6)},
        [2, 4],
    ),
    ("Points3D", lambda m: {"labels": ["a", "b"], "class_ids": [1, 2]}, None),
    ("Scalars", lambda m: {"scalars": np.arange(5.0)}, None),
    ("Scalars", lambda m: {"scalars": np.arange(10.0).reshape(5, 2)}, None),
    ("Transform3D", lambda m: {"translation": [[1, 0, 0], [2, 0, 0]], "scale": [[1, 1, 1], [2, 2, 2]]}, None),
    ("Transform3D", lambda m: {"quaternion": [[0, 0, 0, 1], [0, 0, 1, 0]]}, None),
    ("Boxes3D", lambda m: {"centers": [[0, 0, 0], [1, 1, 1]], "colors": [0xFF0000FF, 0x00FF00FF]}, None),
    ("Boxes3D", lambda m: {"half_sizes": [[1, 1, 1], [2, 2, 2], [3, 3, 3]]}, [1, 2]),
    ("GraphNodes", lambda m: {"positions": [[0, 0], [1, 1], [2, 2]]}, [3]),
    ("SeriesLines", lambda m: {"widths": [1.0, 2.0, 3.0]}, None),
    ("Mesh3D", lambda m: {"vertex_colors": [[255, 0, 0], [0, 255, 0]]}, [2]),
]


@pytest.mark.parametrize(
    ("name", "build", "lengths"), COLUMNS, ids=[f"{c[0]}-{i}" for i, c in enumerate(COLUMNS)]
)
def test_partial_columns_equal_rerun(name: str, build: Callable[[Any], dict[str, Any]], lengths: Any) -> None:
    theirs = getattr(rerun, name).columns(**build(rerun))
    mine = getattr(rerender, name).columns(**build(rerender))
    if lengths is not None:
        theirs, mine = theirs.partition(lengths), mine.partition(lengths)
    assert_same_columns(mine, theirs)


def test_columns_of_nothing_is_empty() -> None:
    assert list(rerender.Points3D.columns()) == []
    assert list(rerun.Points3D.columns()) == []


INTEROP_SCRIPT = textwrap.dedent(
    """
    import importlib
    import sys

    import numpy as np

    out, sdk = sys.argv[1], sys.argv[2]
    rr = importlib.import_module(sdk)
    # update_fields is rerender's alias of from_fields; rerun-sdk 0.41 only has the latter.
    update_fields = lambda cls, **kw: getattr(cls, "update_fields", cls.from_fields)(**kw)

    rec = rr.RecordingStream("rerender_sdk_fields", recording_id="sdk_fields")
    rec.save(out)
    rec.set_time("frame", sequence=0)
    rec.log("points", rr.Points3D([[0, 0, 0], [1, 1, 1]], colors=[255, 0, 0], radii=0.1))
    rec.log("box", rr.Boxes3D(half_sizes=[1, 1, 1], labels="box"))
    rec.log("tf", rr.Transform3D(translation=[1, 2, 3]))
    rec.set_time("frame", sequence=1)
    rec.log("points", rr.Points3D.from_fields(colors=[0, 255, 0]))
    rec.log("box", update_fields(rr.Boxes3D, colors=[0, 0, 255], fill_mode="Solid"))
    rec.log("tf", rr.Transform3D.from_fields(clear_unset=True, scale=[2, 2, 2]))
    rec.set_time("frame", sequence=2)
    rec.log("points", rr.Points3D.from_fields(clear_unset=True, positions=[[5, 5, 5]]))
    rec.log("box", rr.Boxes3D.cleared())
    rec.log("series", rr.SeriesLines.from_fields(names="sin", widths=2), static=True)
    rec.log("graph", update_fields(rr.GraphNodes, clear_unset=True, node_ids=["a", "b"]))
    rec.send_columns(
        "points",
        indexes=[rr.TimeColumn("frame", sequence=[3, 4, 5])],
        columns=rr.Points3D.columns(colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255]], radii=[0.1, 0.2, 0.3]),
    )
    rec.send_columns(
        "points",
        indexes=[rr.TimeColumn("frame", sequence=[6, 7])],
        columns=rr.Points3D.columns(positions=np.arange(12, dtype=np.float32).reshape(2, 2, 3)),
    )
    rec.send_columns(
        "scalars",
        indexes=[rr.TimeColumn("frame", sequence=np.arange(4))],
        columns=rr.Scalars.columns(scalars=np.arange(8.0).reshape(4, 2)),
    )
    rec.send_columns(
        "tf",
        indexes=[rr.TimeColumn("frame", sequence=[8, 9])],
        columns=rr.Transform3D.columns(translation=[[1, 0, 0], [2, 0, 0]]),
    )
    rec.send_columns(
        "mesh",
        indexes=[rr.TimeColumn("frame", sequence=[10, 11])],
        columns=rr.Mesh3D.columns(vertex_colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255]]).partition([1, 2]),
    )
    rec.set_time("frame", sequence=12)
    rec.log("mesh", rr.Mesh3D.cleared())
    rec.log("tf", rr.Transform3D.cleared())
    rec.disconnect()
    """
)


@pytest.mark.interop
def test_script_equals_rerun_sdk(tmp_path: Path, rerun_cli) -> None:
    script = tmp_path / "fields.py"
    script.write_text(INTEROP_SCRIPT)
    outputs = {}
    for sdk in ("rerun", "rerender"):
        out = tmp_path / f"{sdk}.rrd"
        proc = subprocess.run(
            [sys.executable, script, out, sdk], capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300
        )
        assert proc.returncode == 0, proc.stderr
        outputs[sdk] = out
    verify = rerun_cli("rrd", "verify", outputs["rerender"])
    assert verify.returncode == 0, verify.stderr
    compare = rerun_cli("rrd", "compare", "--unordered", outputs["rerun"], outputs["rerender"])
    assert compare.returncode == 0, compare.stderr + compare.stdout
