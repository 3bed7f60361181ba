"""A Rerun view's space origin (`[view] origin`, a blueprint's `origin=`): the scene, the camera's numbers,
the default eye and the up direction are all in that entity's frame."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest

import rerender
from rerender.camera.specs import FixedCamera, FollowCamera
from rerender.pipeline.blueprint import blueprint_layer
from rerender.pipeline.config import ConfigError, SettingsLayer, build_settings, check_names
from rerender.pipeline.render_job import RenderJob, plan, render_still
from rerender.pipeline.settings import OutputSettings, RenderSettings, ViewSettings
from rerender.scene import evaluate as evaluate_scene
from rerender.scene import in_world, world_transforms
from rerender.values import Size


def evaluate(*args, **kwargs):
    """The scene in world coordinates (visuals' world matrices applied), as these tests read it."""
    return in_world(evaluate_scene(*args, **kwargs))


rr = pytest.importorskip("rerun")
rrb = pytest.importorskip("rerun.blueprint")

SIZE = Size(160, 120)
# The robot's frame: 5 m along +X, turned 90° about +Z, scaled by 2.
TRANSLATION, ANGLE, SCALE = [5.0, 0.0, 0.0], math.pi / 2, 2.0


def _robot_from_world() -> np.ndarray:
    c, s = math.cos(ANGLE), math.sin(ANGLE)
    m = np.eye(4)
    m[:3, :3] = SCALE * np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    m[:3, 3] = TRANSLATION
    return m  # world-from-robot


def _record(path: Path, blueprint=None) -> Path:
    rec = rr.RecordingStream("origin_test", recording_id="r")
    rec.log(
        "world/robot",
        rr.Transform3D(translation=TRANSLATION, rotation=rr.RotationAxisAngle([0, 0, 1], ANGLE), scale=SCALE),
        static=True,
    )
    rec.log("world/robot/body", rr.Points3D([[0, 0, 0], [1, 0, 0], [0, 1, 0]], radii=0.1), static=True)
    rec.log("world/robot/arm", rr.LineStrips3D([[[0, 0, 0], [0, 0, 1]]], radii=0.05), static=True)
    rec.log("world/ground", rr.Points3D([[0, 0, 0]], radii=0.2, colors=[0, 255, 0]), static=True)
    rec.save(path, default_blueprint=blueprint)
    return path


def _render(path: Path, settings: RenderSettings, out: Path) -> np.ndarray:
    settings = dataclasses.replace(settings, output=OutputSettings(size=SIZE))
    render_still(RenderJob(rerender.load(path), out, settings))
    return np.asarray(iio.imread(out))[..., :3]


def test_world_transforms_relative_to_an_origin(tmp_path: Path) -> None:
    state = rerender.load(_record(tmp_path / "r.rrd")).static()
    world = world_transforms(state)
    robot = world_transforms(state, "/world/robot")
    assert np.allclose(world["/world/robot"], _robot_from_world(), atol=1e-6)
    assert np.allclose(robot["/world/robot"], np.eye(4), atol=1e-6)
    assert np.allclose(robot["/world/robot/body"], np.eye(4), atol=1e-6)
    assert np.allclose(robot["/world"], np.linalg.inv(_robot_from_world()), atol=1e-6)
    # The scene evaluated in the robot's space: its points at their logged coordinates.
    body = next(
        v for v in evaluate(state, origin="/world/robot").points if v.entity_path == "/world/robot/body"
    )
    assert np.allclose(body.positions, [[0, 0, 0], [1, 0, 0], [0, 1, 0]], atol=1e-6)


def test_camera_numbers_are_in_the_origins_frame(tmp_path: Path) -> None:
    path = _record(tmp_path / "r.rrd")
    eye, target, up = np.array([3.0, -2.0, 2.0]), np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.0, 1.0])
    in_robot = RenderSettings(
        camera=FixedCamera(position=tuple(eye), look_at=tuple(target), up=tuple(up)),
        view=ViewSettings(origin="/world/robot"),
    )
    m = _robot_from_world()
    in_world = RenderSettings(
        camera=FixedCamera(
            position=tuple(m[:3, :3] @ eye + m[:3, 3]),
            look_at=tuple(m[:3, :3] @ target + m[:3, 3]),
            up=tuple(m[:3, :3] @ up / SCALE),
        )
    )
    a = _render(path, in_robot, tmp_path / "robot.png").astype(int)
    b = _render(path, in_world, tmp_path / "world.png").astype(int)
    assert (np.abs(a - b).max(axis=2) > 8).mean() < 0.002  # the same picture (float rounding aside)
    plain = _render(path, dataclasses.replace(in_robot, view=ViewSettings()), tmp_path / "plain.png")
    assert not np.array_equal(a, plain.astype(int))  # the origin made a difference


def test_blueprint_origin_sets_the_view_and_its_eye(tmp_path: Path) -> None:
    eye = rrb.EyeControls3D(position=[3, -2, 2], look_target=[0.5, 0.5, 0], eye_up=[0, 0, 1])
    view = rrb.Spatial3DView(origin="/world/robot", eye_controls=eye)
    path = _record(tmp_path / "r.rrd", rrb.Blueprint(view))
    layer = blueprint_layer(path)
    assert layer is not None and layer.values["view"] == {"origin": "/world/robot"}
    settings = build_settings([layer]).settings
    assert settings.view.origin == "/world/robot"
    assert settings.entities.shows("/world/robot/arm") and not settings.entities.shows("/world/ground")
    from_blueprint = _render(path, settings, tmp_path / "bp.png").astype(int)
    explicit = RenderSettings(
        camera=FixedCamera(position=(3.0, -2.0, 2.0), look_at=(0.5, 0.5, 0.0), up=(0.0, 0.0, 1.0)),
        view=ViewSettings(origin="/world/robot"),
        entities=settings.entities,
    )
    assert np.array_equal(from_blueprint, _render(path, explicit, tmp_path / "explicit.png").astype(int))


def test_default_eye_frames_the_scene_in_the_origins_space(tmp_path: Path) -> None:
    path = _record(tmp_path / "r.rrd")
    settings = RenderSettings(view=ViewSettings(origin="/world/robot"))
    p = plan(RenderJob(rerender.load(path), tmp_path / "x.png", settings))
    lo, hi = p.shot.region_of_interest
    # In the robot's frame its body spans (0..1, 0..1, 0) and the ground point (the world's origin) sits
    # at R⁻¹(−t)/s = (0, 2.5, 0); radii pad both (the ground's 0.2 m is 0.1 in the robot's units).
    assert np.allclose(lo, [-0.1, -0.1, -0.1], atol=1e-4)
    assert np.allclose(hi, [1.1, 2.6, 1.0], atol=1e-4)


def test_follow_camera_tracks_in_the_origins_space(tmp_path: Path) -> None:
    path = _record(tmp_path / "r.rrd")
    settings = RenderSettings(
        camera=FollowCamera(entity="/world/robot/body", offset=(0.0, -3.0, 1.0)),
        view=ViewSettings(origin="/world/robot"),
    )
    p = plan(RenderJob(rerender.load(path), tmp_path / "x.png", settings))
    frame = p.shot.tracker.frame("/world/robot/body", None)
    assert frame is not None
    # The body's points span (0..1, 0..1, 0) in its own (= the origin's) frame.
    assert np.allclose(frame.position, [0.5, 0.5, 0.0], atol=0.11)
    assert np.allclose(frame.rotation, np.eye(3), atol=1e-6)


def test_unknown_origin_is_named(tmp_path: Path) -> None:
    path = _record(tmp_path / "r.rrd")
    resolved = build_settings([SettingsLayer("test.toml", {"view": {"origin": "/world/robto"}})])
    rec = rerender.load(path)
    with pytest.raises(ConfigError, match=r"view.origin.*'/world/robto' is not an entity.*'/world/robot'"):
        check_names(resolved, list(rec.timelines), rec.entity_paths)
