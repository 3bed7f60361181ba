"""`pipeline/blueprint.py`: a Rerun blueprint's 3D view (written by rerun-sdk itself) as a settings layer,
and renders that honour it: the eye, the background colour and the view's contents."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

import rerender
from rerender.camera.rigs import FrameTime
from rerender.camera.specs import FixedCamera
from rerender.pipeline.blueprint import blueprint_layer, contents_filter, list_views
from rerender.pipeline.config import ConfigError, SettingsLayer, build_settings, flags_layer
from rerender.pipeline.render_job import RenderJob, plan, render_still
from rerender.pipeline.settings import OutputSettings, RenderSettings
from rerender.values import Size

rr = pytest.importorskip("rerun")
rrb = pytest.importorskip("rerun.blueprint")

SIZE = Size(160, 120)


def _log_scene(rec) -> None:
    rec.log("world/pts", rr.Points3D([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 1]], radii=0.05), static=True)
    rec.log("world/debug/marker", rr.Points3D([[0.5, 0.5, 0.5]], radii=0.3, colors=[0, 255, 0]), static=True)


def _save(path: Path, *views) -> Path:
    rec = rr.RecordingStream("bp_test", recording_id="r")
    _log_scene(rec)
    rec.save(path, default_blueprint=rrb.Blueprint(*views))
    return path


def _values(path: Path, view: str | None = None) -> dict:
    layer = blueprint_layer(path, view)
    assert isinstance(layer, SettingsLayer)
    return dict(layer.values)


# --- the store -----------------------------------------------------------------------------------------


def test_load_kind_blueprint_opens_the_blueprint_store(tmp_path: Path) -> None:
    path = _save(tmp_path / "r.rrd", rrb.Spatial3DView(name="main", origin="/world"))
    rec = rerender.load(path)
    bp = rerender.load(path, kind="blueprint")
    assert rec.recording_id == "r" and "/world/pts" in rec.entity_paths
    assert bp.recording_id != "r" and "blueprint" in bp.timelines
    assert "/viewport" in bp.entity_paths and not any(p.startswith("/world") for p in bp.entity_paths)
    with pytest.raises(ValueError):
        rerender.load(path, kind="nope")  # type: ignore[arg-type]


def test_no_blueprint_gives_none(tmp_path: Path) -> None:
    rec = rr.RecordingStream("bp_test", recording_id="r")
    _log_scene(rec)
    rec.save(tmp_path / "plain.rrd")
    assert blueprint_layer(tmp_path / "plain.rrd") is None
    assert list_views(tmp_path / "plain.rrd") == []
    with pytest.raises(ConfigError, match="no blueprint"):
        blueprint_layer(tmp_path / "plain.rrd", "main")


def test_no_3d_view_gives_none(tmp_path: Path) -> None:
    path = _save(tmp_path / "r.rrd", rrb.TextLogView(name="log"))
    assert blueprint_layer(path) is None
    assert [(v.name, v.view_class) for v in list_views(path)] == [("log", "TextLog")]


# --- the layer's values --------------------------------------------------------------------------------


def test_eye_becomes_a_fixed_camera(tmp_path: Path) -> None:
    eye = rrb.EyeControls3D(position=[4, -3, 2], look_target=[0.5, 0.5, 0], eye_up=[0, 0, 1])
    values = _values(_save(tmp_path / "r.rrd", rrb.Spatial3DView(origin="/", eye_controls=eye)))
    assert values["camera"] == {
        "kind": "fixed",
        "position": [4.0, -3.0, 2.0],
        "look_at": [0.5, 0.5, 0.0],
        "up": [0.0, 0.0, 1.0],
    }
    assert "entities" not in values  # `$origin/**` with origin `/`: everything


def test_eye_position_alone_leaves_target_and_up_to_the_defaults(tmp_path: Path) -> None:
    eye = rrb.EyeControls3D(position=[4, -3, 2])
    values = _values(_save(tmp_path / "r.rrd", rrb.Spatial3DView(origin="/", eye_controls=eye)))
    assert values["camera"] == {"kind": "fixed", "position": [4.0, -3.0, 2.0]}
    settings = build_settings([blueprint_layer(tmp_path / "r.rrd")]).settings
    assert settings.camera == FixedCamera(position=(4.0, -3.0, 2.0))


def test_no_eye_position_no_camera_keys(tmp_path: Path) -> None:
    eye = rrb.EyeControls3D(look_target=[1, 1, 1], eye_up=[0, 0, 1])
    values = _values(_save(tmp_path / "r.rrd", rrb.Spatial3DView(origin="/", eye_controls=eye)))
    assert "camera" not in values


@pytest.mark.parametrize(("spin", "direction"), [(0.5, "ccw"), (-2.0, "cw")])
def test_spin_speed_becomes_an_orbit(tmp_path: Path, spin: float, direction: str) -> None:
    eye = rrb.EyeControls3D(position=[3, 0, 1], look_target=[0, 0, 0], eye_up=[0, 0, 1], spin_speed=spin)
    path = _save(tmp_path / "r.rrd", rrb.Spatial3DView(origin="/", eye_controls=eye))
    camera = _values(path)["camera"]
    assert camera["kind"] == "orbit" and camera["direction"] == direction
    assert camera["period"] == pytest.approx(2 * math.pi / abs(spin))
    assert camera["center"] == [0.0, 0.0, 0.0] and camera["radius"] == pytest.approx(math.sqrt(10))
    assert camera["elevation"] == pytest.approx(math.degrees(math.asin(1 / math.sqrt(10))))
    # The orbit starts at the blueprint's eye, and turns the way Rerun's spin does: the eye direction
    # rotated by +spin·t about eye_up (right-handed).
    settings = build_settings([blueprint_layer(path)]).settings
    rig = plan(RenderJob(rerender.load(path), tmp_path / "o.mp4", settings)).rig
    start = rig.pose_at(FrameTime(0.0, None))
    assert np.allclose(start.eye, [3, 0, 1], atol=1e-6) and np.allclose(start.target, [0, 0, 0])
    dt = 0.1
    later = rig.pose_at(FrameTime(dt, None))
    a = spin * dt
    expected = [3 * math.cos(a), 3 * math.sin(a), 1]
    assert np.allclose(later.eye, expected, atol=1e-6)


def test_spin_without_position_orbits_from_rerun_default_eye(tmp_path: Path) -> None:
    eye = rrb.EyeControls3D(spin_speed=1.0)
    camera = _values(_save(tmp_path / "r.rrd", rrb.Spatial3DView(origin="/", eye_controls=eye)))["camera"]
    assert camera == {"kind": "orbit", "period": pytest.approx(2 * math.pi), "direction": "ccw"}


def test_tracking_entity_becomes_follow(tmp_path: Path) -> None:
    eye = rrb.EyeControls3D(position=[2, 2, 2], look_target=[0, 0, 0], tracking_entity="world/pts")
    camera = _values(_save(tmp_path / "r.rrd", rrb.Spatial3DView(origin="/", eye_controls=eye)))["camera"]
    assert camera == {"kind": "follow", "entity": "/world/pts", "offset": [2.0, 2.0, 2.0]}


@pytest.mark.parametrize(
    ("background", "expected"),
    [
        (rrb.Background(kind="SolidColor", color=[255, 128, 0]), "#ff8000"),
        (rrb.Background(kind="GradientDark"), "#1a1a1a"),
        (rrb.Background(kind="GradientBright"), "#cccccc"),
    ],
)
def test_background(tmp_path: Path, background, expected: str) -> None:
    values = _values(_save(tmp_path / "r.rrd", rrb.Spatial3DView(origin="/", background=background)))
    assert values["look"] == {"background": expected}


@pytest.mark.parametrize("visible", [True, False])
def test_line_grid(tmp_path: Path, visible: bool) -> None:
    view = rrb.Spatial3DView(origin="/", line_grid=rrb.LineGrid3D(visible=visible))
    assert _values(_save(tmp_path / "r.rrd", view))["look"] == {"grid": visible}
    assert build_settings([blueprint_layer(tmp_path / "r.rrd")]).settings.look.grid is visible


def test_contents_resolve_origin(tmp_path: Path) -> None:
    view = rrb.Spatial3DView(origin="/world", contents=["+ $origin/**", "- /world/debug/**"])
    assert _values(_save(tmp_path / "r.rrd", view))["entities"] == {
        "include": ["/world/**"],
        "exclude": ["/world/debug/**"],
    }
    default = rrb.Spatial3DView(origin="/world")  # contents default to `$origin/**`
    assert _values(_save(tmp_path / "d.rrd", default))["entities"] == {"include": ["/world/**"]}


def test_contents_most_specific_rule_wins() -> None:
    # Rerun: `+ /world/car/driver` beats the less specific `- /world/car/**`.
    table = contents_filter(["+ /world/**\n- /world/car/**", "+ /world/car/driver"], "/")
    assert table["rules"] == [
        {"path": "/world/**", "visible": True},
        {"path": "/world/car/**", "visible": False},
        {"path": "/world/car/driver", "visible": True},
    ]
    settings = build_settings([SettingsLayer("bp", {"entities": table})]).settings
    seen = {p: settings.entities.shows(p) for p in ("/world/a", "/world/car/x", "/world/car/driver")}
    assert seen == {"/world/a": True, "/world/car/x": False, "/world/car/driver": True}
    assert contents_filter(["- /world/**"], "/") == {"rules": [{"path": "/**", "visible": False}]}
    assert contents_filter(["/**"], "/") == {}
    # Rules that match no entity of the recording are left out (check_names would refuse them).
    assert contents_filter(["+ /world/**", "- /nothing/**"], "/", ["/world/pts"]) == {
        "include": ["/world/**"]
    }


def test_views_by_name_and_unknown_name(tmp_path: Path) -> None:
    path = _save(
        tmp_path / "r.rrd",
        rrb.Horizontal(
            rrb.Spatial2DView(name="flat", origin="/"),
            rrb.Spatial3DView(
                name="first", origin="/", background=rrb.Background(kind="SolidColor", color=[1, 2, 3])
            ),
            rrb.Spatial3DView(name="second", origin="/world", line_grid=rrb.LineGrid3D(visible=True)),
        ),
    )
    assert [(v.name, v.view_class, v.origin) for v in list_views(path)] == [
        ("flat", "2D", "/"),
        ("first", "3D", "/"),
        ("second", "3D", "/world"),
    ]
    assert blueprint_layer(path).source == f"blueprint view 'first' in {path}"
    assert _values(path)["look"] == {"background": "#010203"}
    assert _values(path, "second")["look"] == {"grid": True}
    with pytest.raises(ConfigError, match=r"no view named 'thrid'.*'first'.*'second'"):
        blueprint_layer(path, "thrid")
    with pytest.raises(ConfigError, match="is a 2D view"):
        blueprint_layer(path, "flat")


def test_separate_rbl_and_send_blueprint(tmp_path: Path) -> None:
    eye = rrb.EyeControls3D(position=[1, 2, 3], look_target=[0, 0, 0])
    rrb.Blueprint(rrb.Spatial3DView(name="v", origin="/", eye_controls=eye)).save(
        "bp_test", tmp_path / "x.rbl"
    )
    assert _values(tmp_path / "x.rbl")["camera"]["position"] == [1.0, 2.0, 3.0]
    # send_blueprint twice: the latest layout wins.
    rec = rr.RecordingStream("bp_test", recording_id="r")
    rec.save(tmp_path / "s.rrd")
    _log_scene(rec)
    rec.send_blueprint(rrb.Blueprint(rrb.Spatial3DView(name="old", origin="/")))
    rec.send_blueprint(rrb.Blueprint(rrb.Spatial3DView(name="new", origin="/world")))
    rec.flush()
    rec.disconnect()
    assert [v.name for v in list_views(tmp_path / "s.rrd")] == ["new"]
    # The same from a stream (no footer manifest: a scan).
    with open(tmp_path / "s.rrd", "rb") as f:
        bp = rerender.load(f, kind="blueprint")
    assert bp.recording_id == rerender.load(tmp_path / "s.rrd", kind="blueprint").recording_id


def test_blueprint_layer_is_below_explicit_settings(tmp_path: Path) -> None:
    eye = rrb.EyeControls3D(position=[4, 4, 4], look_target=[0, 0, 0])
    path = _save(tmp_path / "r.rrd", rrb.Spatial3DView(origin="/", eye_controls=eye))
    resolved = build_settings([blueprint_layer(path), flags_layer({"camera.kind": "auto"})])
    assert resolved.settings.camera.kind == "auto"


# --- renders -------------------------------------------------------------------------------------------


def _render(path: Path, settings: RenderSettings, out: Path) -> np.ndarray:
    import imageio.v3 as iio

    settings = dataclasses.replace(settings, output=OutputSettings(size=SIZE))
    render_still(RenderJob(rerender.load(path), out, settings))
    return np.asarray(iio.imread(out))[..., :3]


def _blueprint_settings(path: Path) -> RenderSettings:
    return build_settings([blueprint_layer(path)]).settings


def test_render_eye_matches_the_same_fixed_camera(tmp_path: Path) -> None:
    position, target, up = [3.0, -2.5, 2.0], [0.5, 0.5, 0.5], [0.0, 0.0, 1.0]
    eye = rrb.EyeControls3D(position=position, look_target=target, eye_up=up)
    path = _save(tmp_path / "r.rrd", rrb.Spatial3DView(origin="/", eye_controls=eye))
    from_blueprint = _render(path, _blueprint_settings(path), tmp_path / "bp.png")
    fixed = RenderSettings(camera=FixedCamera(position=tuple(position), look_at=tuple(target), up=tuple(up)))
    from_fixed = _render(path, fixed, tmp_path / "fixed.png")
    default = _render(path, RenderSettings(), tmp_path / "default.png")
    assert np.array_equal(from_blueprint, from_fixed)
    assert not np.array_equal(from_blueprint, default)  # the eye made a difference


def test_render_background_colour_in_the_corners(tmp_path: Path) -> None:
    view = rrb.Spatial3DView(origin="/", background=rrb.Background(kind="SolidColor", color=[200, 30, 90]))
    path = _save(tmp_path / "r.rrd", view)
    image = _render(path, _blueprint_settings(path), tmp_path / "bg.png")
    for corner in (image[0, 0], image[0, -1], image[-1, 0], image[-1, -1]):
        assert np.abs(corner.astype(int) - [200, 30, 90]).max() <= 2


def test_render_excluded_entity_is_absent(tmp_path: Path) -> None:
    eye = rrb.EyeControls3D(position=[3, -2.5, 2], look_target=[0.5, 0.5, 0.5])
    shown = _save(tmp_path / "shown.rrd", rrb.Spatial3DView(origin="/world", eye_controls=eye))
    hidden = _save(
        tmp_path / "hidden.rrd",
        rrb.Spatial3DView(origin="/world", eye_controls=eye, contents=["+ $origin/**", "- /world/debug/**"]),
    )

    def green(image: np.ndarray) -> int:
        r, g, b = (image[..., i].astype(int) for i in range(3))
        return int(((g > 150) & (r < 100) & (b < 100)).sum())

    with_marker = _render(shown, _blueprint_settings(shown), tmp_path / "a.png")
    without_marker = _render(hidden, _blueprint_settings(hidden), tmp_path / "b.png")
    assert green(with_marker) > 50  # the big green marker is there by default
    assert green(without_marker) == 0
    assert (without_marker != without_marker[0, 0]).any(axis=-1).sum() > 0  # the rest still drawn


def test_first_person_spin_is_not_an_orbit(tmp_path: Path) -> None:
    # A first-person eye spins in place (its look target turns about the eye): no orbit for that.
    eye = rrb.EyeControls3D(kind="FirstPerson", position=[3, 0, 1], look_target=[0, 0, 0], spin_speed=1.0)
    camera = _values(_save(tmp_path / "r.rrd", rrb.Spatial3DView(origin="/", eye_controls=eye)))["camera"]
    assert camera == {"kind": "fixed", "position": [3.0, 0.0, 1.0], "look_at": [0.0, 0.0, 0.0]}


# --- the command line -----------------------------------------------------------------------------------


def test_render_honours_the_recordings_blueprint_unless_told_otherwise(tmp_path: Path) -> None:
    import imageio.v3 as iio
    from click.testing import CliRunner

    from rerender.cli import main

    background = rrb.Background(kind="SolidColor", color=[0, 0, 255])
    path = _save(tmp_path / "r.rrd", rrb.Spatial3DView(name="main", origin="/world", background=background))

    def corner(*args: str) -> tuple[int, ...]:
        out = tmp_path / "still.png"
        result = CliRunner().invoke(
            main, ["render", str(path), "-o", str(out), "--size", "64x48", "-q", *args]
        )
        assert result.exit_code == 0, result.output
        return tuple(int(c) for c in iio.imread(out)[0, 0, :3])

    assert corner() == (0, 0, 255)  # the recording's own blueprint
    assert corner("--no-blueprint") == (26, 26, 26)
    assert corner("--background", "#ff0000") == (255, 0, 0)  # a flag wins over the blueprint
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(tmp_path / "x.png"), "--view", "nope"])
    assert result.exit_code == 1 and "nope" in result.output and "main" in result.output
