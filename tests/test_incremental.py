"""What did not change between frames is neither evaluated nor uploaded again, and frames stay a pure
function of their time: incremental evaluation (`SceneCache`), resident GL buffers, the kept static layer."""

from __future__ import annotations

from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest

import rerender as rr
from rerender.camera.specs import FixedCamera, OrbitCamera
from rerender.pipeline.render_job import RenderJob, plan, render_still, run
from rerender.pipeline.settings import OutputSettings, RenderSettings, TimeSettings
from rerender.render import Renderer
from rerender.scene import SceneCache, evaluate
from rerender.store import load
from rerender.values import Size, TimeValue

SIZE = Size(160, 120)
FRAMES = 8


def _save(path: Path, log) -> Path:
    rec = rr.RecordingStream("incremental", recording_id="inc")
    rec.save(path)
    log(rec)
    rec.flush()
    rec.disconnect()
    return path


def _cloud_and_marker(rec) -> None:
    rng = np.random.default_rng(0)
    cloud = rng.normal(size=(500, 3)).astype(np.float32)
    colors = rng.integers(0, 255, (500, 3), dtype=np.uint8)
    rec.log("world/cloud", rr.Points3D(cloud, colors=colors, radii=0.05), static=True)
    for i in range(FRAMES):
        rec.set_time("frame", sequence=i)
        rec.log("world/marker", rr.Points3D([[np.cos(i), np.sin(i), 1.5]], radii=0.2, colors=[255, 0, 0]))


def _frames(path: Path, settings: RenderSettings):
    """(scene, camera) of every frame, evaluated the way a render does: one sweep, one cache."""
    rec = load(path)
    p = plan(RenderJob(rec, path.with_suffix(".mp4"), settings))
    cache = SceneCache()
    for index, (_, state) in enumerate(rec.sweep(p.timeline, p.times.tolist())):
        yield p.shot.draw(state, cache), p.rig.pose_at(p.frame_time(index))


def test_a_static_entitys_buffers_are_uploaded_once(tmp_path: Path) -> None:
    path = _save(tmp_path / "r.rrd", _cloud_and_marker)
    settings = RenderSettings(output=OutputSettings(size=SIZE), camera=OrbitCamera(period=1.0))
    uploads = []
    with Renderer(SIZE.width, SIZE.height) as renderer:
        for scene, camera in _frames(path, settings):  # the camera moves every frame, too
            renderer.render(scene, camera)
            uploads.append(renderer.uploads)
    per_frame = np.diff(uploads)
    # The cloud's positions and colours (its one radius is a constant, not a buffer) are uploaded with the
    # first frame only, and never again; the one-point marker is constants only, with nothing to upload.
    assert uploads[0] == 2 and set(per_frame.tolist()) == {0}, uploads
    assert len(uploads) == FRAMES


def test_a_parents_transform_change_does_not_rebuild_its_childrens_geometry(tmp_path: Path) -> None:
    def log(rec) -> None:
        rec.log("robot/arm", rr.Points3D(np.eye(3), radii=0.1), static=True)
        rec.log("robot/arm/tip", rr.Boxes3D(half_sizes=[[0.1, 0.2, 0.3]]), static=True)
        for i in range(FRAMES):
            rec.set_time("frame", sequence=i)
            rec.log(
                "robot",
                rr.Transform3D(
                    translation=[i + 1, 0, 0], rotation_axis_angle=rr.RotationAxisAngle([0, 0, 1], i)
                ),
            )

    rec = load(_save(tmp_path / "r.rrd", log))
    cache = SceneCache()
    scenes = [evaluate(state, cache=cache) for _, state in rec.sweep("frame")]
    assert len(scenes) == FRAMES
    assert cache.evaluated == 2  # the arm's points and the tip's box, once each
    arms = [next(v for v in s.points if v.entity_path == "/robot/arm") for s in scenes]
    assert all(a.positions is arms[0].positions for a in arms)  # the same geometry ...
    assert [round(float(a.world[0, 3])) for a in arms] == list(range(1, FRAMES + 1))  # ... placed anew
    boxes = [s.meshes for s in scenes]
    assert all(b[0].vertices is boxes[0][0].vertices for b in boxes)


def test_entities_that_stay_the_same_are_evaluated_once_per_render(tmp_path: Path) -> None:
    # Many entities logged once, and one that moves: the framing samples and the frames are two sweeps,
    # and each unchanged entity is read and drawn once across both, then placed and drawn as it was.
    def log(rec) -> None:
        rec.set_time("frame", sequence=0)
        for i in range(50):
            rec.log(f"markers/{i}", rr.Points3D([[i % 10, i // 10, 0]], radii=0.2))
        for i in range(FRAMES):
            rec.set_time("frame", sequence=i)
            rec.log("ball", rr.Points3D([[np.cos(i), np.sin(i), 1.0]], radii=0.3))

    rec = load(_save(tmp_path / "r.rrd", log))
    cache = SceneCache()
    samples = [evaluate(state, cache=cache) for _, state in rec.sweep("frame", [0, FRAMES - 1])]
    frames = [evaluate(state, cache=cache) for _, state in rec.sweep("frame")]
    # Each marker once; the ball at both samples, then at each of its 8 frames (the cache keeps the
    # entity as last drawn, the last sample, so frame 0 draws it again).
    assert cache.evaluated == 50 + 2 + FRAMES
    first = {v.entity_path: v for v in samples[0].points}
    for scene in frames:  # the same placed visuals (a renderer keeps their GL buffers), not copies
        kept = {v.entity_path: v for v in scene.points if v.entity_path.startswith("/markers/")}
        assert len(kept) == 50 and all(v is first[path] for path, v in kept.items())


def test_partial_updates_and_clears_match_fresh_evaluation(tmp_path: Path) -> None:
    """A sequential render (one sweep, one cache, resident buffers, a kept static layer) gives, frame for
    frame, the pixels of stills each evaluated and drawn from scratch at that time."""

    def log(rec) -> None:
        rec.log("world/ground", rr.Boxes3D(half_sizes=[[2, 2, 0.05]], colors=[90, 90, 90]), static=True)
        rec.log("world/static_pts", rr.Points3D([[1, 1, 0.5], [-1, 1, 0.5]], radii=0.25), static=True)
        rec.set_time("frame", sequence=0)
        rec.log("world/a", rr.Points3D([[0, 0, 1], [0.5, 0, 1]], radii=0.2, colors=[0, 255, 0]))
        rec.log("world/parent", rr.Transform3D(translation=[0, -1, 0]))
        rec.log("world/parent/child", rr.LineStrips3D([[[0, 0, 0], [1, 0, 1]]], radii=0.05))
        rec.set_time("frame", sequence=1)
        rec.log("world/b", rr.Points3D([[-1, -1, 1]], radii=0.3, colors=[0, 0, 255]))
        rec.set_time("frame", sequence=2)
        rec.log("world/a", rr.Points3D.from_fields(colors=[255, 255, 0]))  # a partial update
        rec.log("world/parent", rr.Transform3D(translation=[0, -1, 0.5]))
        rec.set_time("frame", sequence=3)
        rec.log("world/b", rr.Clear(recursive=False))
        rec.set_time("frame", sequence=4)
        rec.log("world/parent/child", rr.Clear(recursive=False))
        rec.set_time("frame", sequence=5)
        rec.log("world/b", rr.Points3D([[1, -1, 1]], radii=0.3, colors=[255, 0, 255]))
        rec.log("world/parent/child", rr.LineStrips3D([[[0, 0, 0], [-1, 0, 1]]], radii=0.05))

    path = _save(tmp_path / "r.rrd", log)
    camera = FixedCamera(position=(4.0, -5.0, 3.0), look_at=(0.0, 0.0, 0.5))
    settings = RenderSettings(output=OutputSettings(size=SIZE), camera=camera)
    video_dir = tmp_path / "frames"
    assert run(RenderJob(load(path), video_dir, settings)) == 6
    sequential = [iio.imread(f) for f in sorted(video_dir.glob("frame_*.png"))]
    for tick in reversed(range(6)):  # fresh, in reverse order
        still = tmp_path / f"still_{tick}.png"
        at = RenderSettings(
            output=settings.output, camera=camera, time=TimeSettings(still=TimeValue(str(tick)))
        )
        render_still(RenderJob(load(path), still, at))
        assert np.array_equal(iio.imread(still)[..., :3], sequential[tick][..., :3]), f"frame {tick}"
    # The updates and clears show: b gone at tick 3 and back elsewhere at 5, the child gone at 4.
    assert not np.array_equal(sequential[2], sequential[3])
    assert not np.array_equal(sequential[3], sequential[4])


def test_a_frame_alone_has_the_camera_it_has_in_the_whole_video(tmp_path: Path) -> None:
    """The camera's up (from ViewCoordinates) once came from the first rendered frame: a frame rendered
    alone (`--start T --end T`) got another camera than in the whole video when ViewCoordinates were
    logged in between (found by a randomized comparison of renders)."""

    def log(rec) -> None:
        rec.set_time("frame", sequence=3)
        rec.log(
            "world/arrows",
            rr.Arrows3D(vectors=[[0, -1, -0.2], [1.4, -0.3, -1.4]], origins=[[0, -1, -1], [-1, 0, 1]]),
        )
        rec.set_time("frame", sequence=4)
        rec.log("world", rr.ViewCoordinates.LEFT_HAND_Y_UP)

    path = _save(tmp_path / "r.rrd", log)
    camera = FixedCamera(position=(2.2, -2.8, 1.8), look_at=(0.0, 0.0, 0.0))
    whole, alone = tmp_path / "whole", tmp_path / "alone"
    run(RenderJob(load(path), whole, RenderSettings(output=OutputSettings(size=SIZE), camera=camera)))
    only_4 = TimeSettings(start=TimeValue("4"), end=TimeValue("4"))
    run(
        RenderJob(
            load(path), alone, RenderSettings(output=OutputSettings(size=SIZE), camera=camera, time=only_4)
        )
    )
    assert np.array_equal(iio.imread(whole / "frame_00002.png"), iio.imread(alone / "frame_00001.png"))


@pytest.mark.parametrize("count", [3_000_000])
def test_a_big_cloud_draws_in_pieces_with_the_same_pixels(tmp_path: Path, count: int) -> None:
    """More points than one draw piece: drawn in pieces, the picture is the same as the cloud's halves
    drawn as two visuals (pieces do not change what is drawn)."""
    from rerender.camera.framing import CameraPose
    from rerender.scene import PointsVisual, Scene

    rng = np.random.default_rng(1)
    points = (rng.normal(size=(count, 3)) * [4, 4, 1]).astype(np.float32)
    colors = np.full((count, 4), 200, np.uint8)
    radii = np.full(count, 0.01, np.float32)
    pose = CameraPose(eye=np.array([-5.0, -15.0, 9.0]), target=np.zeros(3), up=np.array([0.0, 0.0, 1.0]))
    whole = Scene(points=(PointsVisual("/c", points, colors, radii),))
    half = count // 2
    halves = Scene(
        points=(
            PointsVisual("/c", points[:half], colors[:half], radii[:half]),
            PointsVisual("/c", points[half:], colors[half:], radii[half:]),
        )
    )
    with Renderer(SIZE.width, SIZE.height) as renderer:
        a = renderer.render(whole, pose)
        b = renderer.render(halves, pose)
    assert (a != 26).any()  # something was drawn over the background
    assert np.array_equal(a, b)
