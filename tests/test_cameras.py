"""Directed renders, checked by pixels: auto framing, orbit, keyframes, follow, pinhole, nerfstudio paths,
stills at start/end, and entity filters. Each test renders through `rerender render` or a RenderJob."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from click.testing import CliRunner

import rerender
import rerender as rr
from rerender.camera.framing import default_camera
from rerender.camera.rigs import FrameTime
from rerender.camera.specs import KeyframesCamera, OrbitCamera
from rerender.cli import main
from rerender.pipeline.render_job import RenderJob, plan
from rerender.pipeline.settings import OutputSettings, RenderSettings
from rerender.values import Size

W, H = 160, 120
BACKGROUND = np.array([26, 26, 26])


def record(path: Path, log, app: str = "camera_test") -> Path:
    rec = rr.RecordingStream(app, recording_id="r", batcher_config=rr.ChunkBatcherConfig.NEVER())
    rec.save(path)
    log(rec)
    rec.disconnect()
    return path


def render(recording: Path, out: Path, *args: str, size: str = f"{W}x{H}") -> None:
    result = CliRunner().invoke(main, ["render", str(recording), "-o", str(out), "--size", size, "-q", *args])
    assert result.exit_code == 0, result.output


def frames_of(directory: Path) -> list[np.ndarray]:
    sidecar = json.loads((directory / "frames.json").read_text())
    return [iio.imread(directory / f["file"]) for f in sidecar["frames"]]


def scene_mask(image: np.ndarray) -> np.ndarray:
    return np.abs(image[..., :3].astype(int) - BACKGROUND).max(axis=2) > 12


def max_diff(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.abs(a.astype(int) - b.astype(int)).max())


def assert_same_view(a: np.ndarray, b: np.ndarray, what: str = "") -> None:
    """The same picture: all but a few pixels (0.1 %) within 2 levels. Cameras that reach one pose by
    different arithmetic may differ at a handful of depth-tied edge pixels, never in what is seen."""
    off = np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 2
    assert off.sum() <= max(2, off.size // 1000), f"{what}: {off.sum()} pixels differ"


def static_scene(r) -> None:
    """A few coloured things, asymmetric so that any change of view shows."""
    r.log("box", rr.Boxes3D(half_sizes=[[1, 0.5, 0.3]], colors=[90, 90, 200]), static=True)
    r.log("red", rr.Points3D([[1.2, 0, 0.5]], colors=[255, 0, 0], radii=0.25), static=True)
    r.log("green", rr.Points3D([[0, 1, -0.3]], colors=[0, 255, 0], radii=0.2), static=True)
    for i in range(11):
        r.set_time("frame", sequence=i)
        r.log("tick", rr.Scalars(float(i)))


# --- auto framing --------------------------------------------------------------------------------------


def test_dna_example_with_defaults_keeps_the_helix_in_every_frame(
    dna_recording: Path, tmp_path: Path
) -> None:
    """The acceptance test of the auto camera: no scene pixel on the top or bottom row of any frame,
    and the helix still fills most of the frame's height (not merely pushed far away)."""
    render(dna_recording, tmp_path / "frames", "--step", "3", size="320x180")
    frames = frames_of(tmp_path / "frames")
    assert len(frames) == 40
    for i, frame in enumerate(frames):
        mask = scene_mask(frame)
        assert not mask[0].any() and not mask[-1].any(), f"frame {i} touches the top or bottom edge"
        rows = np.nonzero(mask.any(axis=1))[0]
        assert rows[-1] - rows[0] > 0.6 * frame.shape[0], f"frame {i}: the helix is too small"


@pytest.mark.parametrize("size", ["160x120", "90x160", "240x60"])
def test_auto_camera_fits_tall_and_wide_subjects_at_any_aspect(tmp_path: Path, size: str) -> None:
    def log(r) -> None:
        r.set_time("frame", sequence=0)
        heights = np.linspace(-4, 4, 60)
        helix = np.stack([np.cos(heights * 2), np.sin(heights * 2), heights], axis=1)
        r.log("helix", rr.Points3D(helix, colors=[255, 200, 0], radii=0.1))

    rec = record(tmp_path / "r.rrd", log)
    render(rec, tmp_path / "still.png", "--still", "0", size=size)
    mask = scene_mask(iio.imread(tmp_path / "still.png"))
    assert not (mask[0].any() or mask[-1].any() or mask[:, 0].any() or mask[:, -1].any())
    rows, cols = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
    fill = max((rows[-1] - rows[0]) / mask.shape[0], (cols[-1] - cols[0]) / mask.shape[1])
    assert fill > 0.75  # it touches (nearly) the margin in its limiting direction


def test_rerun_camera_is_the_viewers_default_eye(tmp_path: Path) -> None:
    rec = rerender.load(record(tmp_path / "r.rrd", static_scene))
    p = plan(
        RenderJob(
            rec,
            tmp_path / "o.mp4",
            RenderSettings(camera=__import__("rerender.camera.specs").camera.specs.RerunCamera()),
        )
    )
    pose = p.rig.pose_at(FrameTime(0.0, 0))
    expected = default_camera(p.shot.region_of_interest, np.array([0.0, 0.0, 1.0]))
    assert np.allclose(pose.eye, expected.eye) and np.allclose(pose.target, expected.target)
    auto = plan(RenderJob(rec, tmp_path / "o.mp4")).rig.pose_at(FrameTime(0.0, 0))
    # Same direction and target; only the distance differs.
    assert np.allclose(auto.target, pose.target)
    d1, d2 = pose.eye - pose.target, auto.eye - auto.target
    assert np.allclose(d1 / np.linalg.norm(d1), d2 / np.linalg.norm(d2))


# --- stills and timelines -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sequence", "duration", "timestamp"])
def test_still_start_and_end_on_every_timeline_kind(tmp_path: Path, kind: str) -> None:
    def log(r) -> None:
        for i, (x, color) in enumerate([(-1.0, [255, 0, 0]), (0.0, [0, 255, 0]), (1.0, [0, 0, 255])]):
            value = {"sequence": i, "duration": i * 0.5, "timestamp": 1.7e9 + i}[kind]
            r.set_time("t", **{kind: value})
            r.log("ball", rr.Points3D([[x, 0, 0]], colors=color, radii=0.3))

    rec = record(tmp_path / "r.rrd", log)
    render(rec, tmp_path / "start.png", "--still", "start", "--timeline", "t")
    render(rec, tmp_path / "end.png", "--still", "end", "--timeline", "t")
    render(rec, tmp_path / "last.png", "--timeline", "t")  # a .png without --still: the last state
    start, end = iio.imread(tmp_path / "start.png").astype(int), iio.imread(tmp_path / "end.png").astype(int)
    assert ((start[..., 0] > 150) & (start[..., 2] < 80)).sum() > 30  # red first
    assert ((end[..., 2] > 150) & (end[..., 0] < 80)).sum() > 30  # blue last
    assert np.array_equal(iio.imread(tmp_path / "last.png"), iio.imread(tmp_path / "end.png"))


def test_a_recording_with_only_log_time_renders_without_naming_a_timeline(tmp_path: Path) -> None:
    script = tmp_path / "log.py"
    script.write_text(
        "import sys, time\nimport rerender as rr\n"
        "rr.init('only_log_time')\nrr.save(sys.argv[1])\n"
        "for i in range(3):\n"
        "    rr.log('ball', rr.Points3D([[i, 0, 0]], colors=[255, 0, 0], radii=0.3))\n"
        "    time.sleep(0.05)\n"
    )
    rec = tmp_path / "r.rrd"
    subprocess.run([sys.executable, script, rec], check=True, timeout=120)
    assert list(rerender.load(rec).timelines) == ["log_time"]
    render(rec, tmp_path / "clip.gif", "--fps", "20")
    render(rec, tmp_path / "end.png", "--still", "end")
    assert iio.imread(tmp_path / "clip.gif").shape[0] >= 2


# --- orbit ----------------------------------------------------------------------------------------------


def test_orbit_of_a_static_scene_returns_to_its_first_frame_after_one_turn(tmp_path: Path) -> None:
    rec = record(tmp_path / "r.rrd", static_scene)  # 11 frames
    render(rec, tmp_path / "frames", "--camera", "orbit", "--set", "camera.period=1.0", "--fps", "10")
    frames = frames_of(tmp_path / "frames")
    assert len(frames) == 11
    assert_same_view(frames[0], frames[10], "a full turn")
    assert max_diff(frames[0], frames[5]) > 100  # half a turn: the other side
    assert all(scene_mask(f).sum() > 200 for f in frames)  # the subject is in view all the way round


def test_orbit_direction_and_turns(tmp_path: Path) -> None:
    rec = rerender.load(record(tmp_path / "r.rrd", static_scene))

    def eye_at(spec: OrbitCamera, seconds: float) -> np.ndarray:
        settings = RenderSettings(camera=spec, output=OutputSettings(size=Size(W, H), fps=10))
        p = plan(RenderJob(rec, tmp_path / "o.mp4", settings))
        pose = p.rig.pose_at(FrameTime(seconds, 0))
        return pose.eye - pose.target

    ccw, cw = eye_at(OrbitCamera(turns=1), 0.275), eye_at(OrbitCamera(turns=1, direction="cw"), 0.275)
    start = eye_at(OrbitCamera(turns=1), 0.0)
    # Seen from above (+Z), ccw turns the eye counterclockwise: the z of start x ccw is positive.
    assert np.cross(start, ccw)[2] > 0 and np.cross(start, cw)[2] < 0
    assert np.allclose(eye_at(OrbitCamera(turns=2), 0.55), start, atol=1e-9)  # two turns in 1.1 s
    fixed = eye_at(OrbitCamera(radius=7.0, elevation=30.0), 0.3)
    assert math.isclose(np.linalg.norm(fixed), 7.0) and math.isclose(
        fixed[2], 7.0 * math.sin(math.radians(30))
    )


# --- keyframes ------------------------------------------------------------------------------------------

KEYS = [
    {"time": 0.0, "position": [6.0, -6.0, 3.0], "look_at": [0.0, 0.0, 0.0], "fov": 50.0},
    {"time": 0.5, "position": [0.0, -7.0, 1.0], "look_at": [0.5, 0.0, 0.0], "fov": 40.0},
    {
        "time": 1.0,
        "position": [-6.0, -3.0, 4.0],
        "look_at": [0.0, 0.5, 0.2],
        "fov": 60.0,
        "up": [0.0, 0.3, 1.0],
    },
]


def keyframes_config(tmp_path: Path, **extra) -> Path:
    lines = ["[camera]", 'kind = "keyframes"', *(f"{k} = {json.dumps(v)}" for k, v in extra.items())]
    for key in KEYS:
        lines += ["[[camera.keyframes]]", *(f"{k} = {json.dumps(v)}" for k, v in key.items())]
    path = tmp_path / "keys.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_at_each_keyframe_the_video_frame_equals_a_still_from_that_keyframe(tmp_path: Path) -> None:
    rec = record(tmp_path / "r.rrd", static_scene)
    render(rec, tmp_path / "frames", "--config", str(keyframes_config(tmp_path)), "--fps", "10")
    frames = frames_of(tmp_path / "frames")
    for key, index in zip(KEYS, (0, 5, 10), strict=True):
        args = ["--camera", "fixed", "--set", f"camera.position={key['position']}"]
        args += ["--set", f"camera.look_at={key['look_at']}", "--set", f"camera.fov={key['fov']}"]
        if "up" in key:
            args += ["--set", f"camera.up={key['up']}"]
        render(rec, tmp_path / f"still{index}.png", "--still", str(index), *args)
        still = iio.imread(tmp_path / f"still{index}.png")
        assert_same_view(frames[index], still, f"keyframe at frame {index}")
    assert max_diff(frames[2], frames[0]) > 30 and max_diff(frames[2], frames[5]) > 30  # it moves between


def test_a_looping_path_is_continuous_at_the_seam(tmp_path: Path) -> None:
    rec = rerender.load(record(tmp_path / "r.rrd", static_scene))
    from rerender.pipeline.config import build_settings, read_config

    settings = build_settings([read_config(keyframes_config(tmp_path, loop=True, period=1.5))]).settings
    assert isinstance(settings.camera, KeyframesCamera) and settings.camera.loop
    rig = plan(RenderJob(rec, tmp_path / "o.mp4", settings)).rig

    def eye(s: float) -> np.ndarray:
        return rig.pose_at(FrameTime(s, 0)).eye

    h = 1e-4
    assert np.allclose(eye(0.0), eye(1.5), atol=1e-9) and np.allclose(eye(0.2), eye(1.7), atol=1e-9)
    before = (eye(1.5) - eye(1.5 - h)) / h
    after = (eye(1.5 + h) - eye(1.5)) / h
    assert np.linalg.norm(before - after) < 1e-2 * np.linalg.norm(before)  # velocity continuous too
    # And the frames round the seam change as little as frames elsewhere do.
    jumps = [np.linalg.norm(eye(t + 0.1) - eye(t)) for t in np.arange(0, 1.5, 0.1)]
    assert max(jumps) < 3 * np.median(jumps)


# --- follow ---------------------------------------------------------------------------------------------


def moving_ball(r) -> None:
    r.log("floor", rr.Boxes3D(half_sizes=[[8, 8, 0.05]], colors=[80, 80, 80]), static=True)
    for i in range(30):
        r.set_time("frame", sequence=i)
        x = -6 + 0.4 * i
        r.log("ball", rr.Points3D([[x, math.sin(i / 4) * 2, 0.5]], colors=[255, 0, 0], radii=0.4))


def test_follow_keeps_the_entity_centred_and_a_partial_render_equals_the_full_one(tmp_path: Path) -> None:
    rec = record(tmp_path / "r.rrd", moving_ball)
    args = ["--camera", "follow", "--set", "camera.entity=/ball", "--set", "camera.offset=[-4, -4, 3]"]
    render(rec, tmp_path / "full", *args)
    render(rec, tmp_path / "part", *args, "--start", "10", "--end", "20")
    full, part = frames_of(tmp_path / "full"), frames_of(tmp_path / "part")
    assert len(full) == 30 and len(part) == 11
    for i, frame in enumerate(part):
        assert np.array_equal(frame, full[10 + i]), f"frame {10 + i} differs in the partial render"
    for frame in full[5:]:  # after the smoothing window fills, the ball stays near the centre
        ys, xs = np.nonzero((frame[..., 0] > 150) & (frame[..., 1] < 80))
        assert abs(xs.mean() - W / 2) < W * 0.15 and abs(ys.mean() - H / 2) < H * 0.15


# --- pinhole --------------------------------------------------------------------------------------------


def test_a_point_lands_on_the_pixel_its_pinhole_gives_it(tmp_path: Path) -> None:
    fx, fy, cx, cy, w, h = 200.0, 200.0, 130.0, 70.0, 240, 160  # principal point off centre
    point = np.array([0.4, 0.3, 0.2])

    def log(r) -> None:
        r.set_time("frame", sequence=0)
        r.log("world/ball", rr.Points3D([point], colors=[255, 0, 0], radii=0.05))
        r.log("world/other", rr.Points3D([[-0.5, -0.2, 0.4]], colors=[0, 255, 0], radii=0.05))
        rotation = rr.RotationAxisAngle(axis=[0, 0, 1], degrees=20)
        r.log("world/cam", rr.Transform3D(translation=[0.2, -3.0, 0.4], rotation=rotation))
        r.log(
            "world/cam",
            rr.Pinhole(
                image_from_camera=[[fx, 0, cx], [0, fy, cy], [0, 0, 1]],
                resolution=[w, h],
                camera_xyz=rr.ViewCoordinates.RFU,
            ),
        )

    rec = record(tmp_path / "r.rrd", log)
    result = CliRunner().invoke(
        main,
        [
            "render",
            str(rec),
            "-o",
            str(tmp_path / "cam.png"),
            "-q",
            "--camera",
            "pinhole",
            "--set",
            "camera.entity=/world/cam",
        ],
    )
    assert result.exit_code == 0, result.output
    image = iio.imread(tmp_path / "cam.png")
    assert image.shape[:2] == (h, w)  # the pinhole's resolution is the default size
    # Where the Pinhole puts the point: RFU camera axes (x right, y forward, z up), then K.
    angle = math.radians(20)
    rot = np.array([[math.cos(angle), -math.sin(angle), 0], [math.sin(angle), math.cos(angle), 0], [0, 0, 1]])
    local = rot.T @ (point - np.array([0.2, -3.0, 0.4]))
    right, forward, up = local
    u, v = fx * right / forward + cx, fy * -up / forward + cy
    ys, xs = np.nonzero((image[..., 0] > 150) & (image[..., 1] < 80))
    assert len(xs) > 3
    assert abs(xs.mean() - u) < 1.0 and abs(ys.mean() - v) < 1.0


# --- nerfstudio camera paths ----------------------------------------------------------------------------


def test_a_hand_written_nerfstudio_path_gives_the_view_it_describes(tmp_path: Path) -> None:
    rec = record(tmp_path / "r.rrd", static_scene)
    # A camera at (0, -6, 0) looking along +Y with +Z up, in OpenGL axes: right +X, up +Z, back -Y.
    c2w = [[1, 0, 0, 0], [0, 0, -1, -6], [0, 1, 0, 0], [0, 0, 0, 1]]
    path = tmp_path / "camera_path.json"
    path.write_text(
        json.dumps(
            {
                "camera_type": "perspective",
                "render_height": H,
                "render_width": W,
                "seconds": 1.0,
                "fps": 10,
                "camera_path": [
                    {"camera_to_world": [v for row in c2w for v in row], "fov": 45.0, "aspect": W / H}
                ]
                * 10,
            }
        )
    )
    render(rec, tmp_path / "ns.png", "--still", "0", "--camera-path", str(path))
    fixed = ["--camera", "fixed", "--set", "camera.position=[0, -6, 0]", "--set", "camera.look_at=[0, 0, 0]"]
    render(rec, tmp_path / "fixed.png", "--still", "0", *fixed, "--set", "camera.fov=45.0")
    assert_same_view(iio.imread(tmp_path / "ns.png"), iio.imread(tmp_path / "fixed.png"))


def test_saved_camera_paths_round_trip(tmp_path: Path) -> None:
    rec = record(tmp_path / "r.rrd", static_scene)
    saved = tmp_path / "orbit_path.json"
    render(rec, tmp_path / "orbit", "--camera", "orbit", "--fps", "10", "--save-camera-path", str(saved))
    data = json.loads(saved.read_text())
    assert len(data["camera_path"]) == 11 and data["render_width"] == W and data["render_height"] == H
    render(rec, tmp_path / "replay", "--camera-path", str(saved), "--fps", "10")
    for a, b in zip(frames_of(tmp_path / "orbit"), frames_of(tmp_path / "replay"), strict=True):
        assert_same_view(a, b, "replayed orbit")


# --- entities -------------------------------------------------------------------------------------------


def test_entity_filters_hide_recolour_and_scale(tmp_path: Path) -> None:
    rec = record(tmp_path / "r.rrd", static_scene)
    config = tmp_path / "entities.toml"
    config.write_text(
        '[camera]\nkind = "rerun"\n'
        '[entities]\nexclude = ["/box"]\n'
        '[[entities.rules]]\npath = "/red"\ncolor = "#00ffff"\nradius_scale = 2.0\n'
    )
    render(rec, tmp_path / "plain.png", "--still", "0", "--camera", "rerun")
    render(rec, tmp_path / "ruled.png", "--still", "0", "--config", str(config))
    plain, ruled = (
        iio.imread(tmp_path / "plain.png").astype(int),
        iio.imread(tmp_path / "ruled.png").astype(int),
    )
    blueish = lambda im: ((im[..., 2] > 120) & (im[..., 0] < 110) & (im[..., 1] < 110)).sum()  # noqa: E731
    red = lambda im: ((im[..., 0] > 150) & (im[..., 1] < 80)).sum()  # noqa: E731
    cyan = lambda im: ((im[..., 1] > 150) & (im[..., 2] > 150) & (im[..., 0] < 80)).sum()  # noqa: E731
    assert blueish(plain) > 200 and blueish(ruled) < 20  # the box is gone
    assert (
        red(plain) > 20 and red(ruled) == 0 and cyan(ruled) > 3 * red(plain)
    )  # recoloured, twice the radius


def test_an_orbit_round_a_moving_entity_keeps_it_centred(tmp_path: Path) -> None:
    rec = record(tmp_path / "r.rrd", moving_ball)
    render(
        rec,
        tmp_path / "frames",
        "--camera",
        "orbit",
        "--set",
        "camera.center=/ball",
        "--set",
        "camera.radius=6",
    )
    for frame in frames_of(tmp_path / "frames")[::5]:
        ys, xs = np.nonzero((frame[..., 0] > 150) & (frame[..., 1] < 80))
        assert abs(xs.mean() - W / 2) < 2 and abs(ys.mean() - H / 2) < 2


def test_keyframes_at_timeline_times(tmp_path: Path) -> None:
    """times = "timeline": keyframe times are timeline values, so the path follows the recording's clock
    (here every tick is a frame, and tick 7 is exactly the second keyframe)."""
    rec = record(tmp_path / "r.rrd", static_scene)
    config = tmp_path / "keys.toml"
    config.write_text(
        '[camera]\nkind = "keyframes"\ntimes = "timeline"\n'
        "[[camera.keyframes]]\ntime = 0\nposition = [6.0, -6.0, 3.0]\nlook_at = [0.0, 0.0, 0.0]\n"
        "[[camera.keyframes]]\ntime = 7\nposition = [-6.0, -3.0, 4.0]\nlook_at = [0.0, 0.5, 0.0]\n"
    )
    render(rec, tmp_path / "frames", "--config", str(config), "--fps", "10")
    fixed = ["--camera", "fixed", "--set", "camera.position=[-6.0, -3.0, 4.0]"]
    render(rec, tmp_path / "at7.png", "--still", "7", *fixed, "--set", "camera.look_at=[0.0, 0.5, 0.0]")
    frames = frames_of(tmp_path / "frames")
    assert_same_view(frames[7], iio.imread(tmp_path / "at7.png"), "tick 7")
    assert_same_view(frames[10], frames[7], "after the last keyframe the camera rests")


def test_follow_in_entity_axes_turns_with_the_entity(tmp_path: Path) -> None:
    from rerender.camera.specs import FollowCamera

    def log(r) -> None:
        for i in range(8):
            r.set_time("frame", sequence=i)
            r.log(
                "car",
                rr.Transform3D(
                    translation=[i, 0, 0], rotation=rr.RotationAxisAngle([0, 0, 1], degrees=45 * i)
                ),
            )
            r.log("car/body", rr.Boxes3D(half_sizes=[[1, 0.5, 0.3]], colors=[200, 50, 50]))

    rec = rerender.load(record(tmp_path / "r.rrd", log))
    for frame_axes in ("world", "entity"):
        spec = FollowCamera(entity="/car", offset=(-5.0, 0.0, 2.0), frame=frame_axes, smoothing=0.0)
        p = plan(RenderJob(rec, tmp_path / "o.mp4", RenderSettings(camera=spec)))
        offsets = [p.rig.pose_at(p.frame_time(i)).eye - p.rig.pose_at(p.frame_time(i)).target for i in (0, 2)]
        if frame_axes == "world":
            assert np.allclose(offsets[0], offsets[1])
        else:  # a quarter turn later (2 x 45 degrees) the eye is behind the car's new heading
            assert np.allclose(offsets[1], [0.0, -5.0, 2.0], atol=1e-6)


def test_a_moving_camera_makes_a_video_of_a_recording_without_timelines(tmp_path: Path) -> None:
    """rerun-sdk's asset sample has static data only: a still by default, a turntable with an orbit."""
    sample = Path(__file__).parent / "data" / "asset3d.rrd"
    render(sample, tmp_path / "turn", "--camera", "orbit", "--set", "camera.period=1.0", "--fps", "8")
    frames = frames_of(tmp_path / "turn")
    assert len(frames) == 8  # one turn, ending a frame before it is back at the start
    assert all(scene_mask(f).sum() > 100 for f in frames)
    assert max_diff(frames[0], frames[4]) > 50
    result = CliRunner().invoke(main, ["render", str(sample), "-o", str(tmp_path / "still.mp4")])
    assert result.exit_code == 1 and "--camera orbit" in result.output


def test_nerfstudio_keyframes_interpolate_orientation_as_nerfstudio_does(tmp_path: Path) -> None:
    """A keyframes-only camera_path.json: a spline through its keyframes with pure quaternion orientation
    (nerfstudio's viewer), passing through each keyframe's camera."""
    from rerender.camera.framing import CameraPose
    from rerender.camera.nerfstudio import write_camera_path
    from rerender.camera.specs import NerfstudioCamera

    rec = rerender.load(record(tmp_path / "r.rrd", static_scene))
    poses = [
        CameraPose(eye=np.array(e, float), target=np.zeros(3), up=np.array([0.0, 0.0, 1.0]), fov_y_deg=50.0)
        for e in ([6.0, -6.0, 3.0], [0.0, -7.0, 1.0], [-6.0, -3.0, 4.0])
    ]
    path = tmp_path / "keys.json"
    write_camera_path(path, poses, width=W, height=H, fps=1.0)
    data = json.loads(path.read_text())
    data["camera_path"] = []
    path.write_text(json.dumps(data))
    p = plan(RenderJob(rec, tmp_path / "o.mp4", RenderSettings(camera=NerfstudioCamera(path=str(path)))))
    assert p.rig.options.aim == "orientation"
    first = p.rig.pose_at(FrameTime(0.0, 0))
    assert np.allclose(first.matrix(), poses[0].matrix(), atol=1e-6)
