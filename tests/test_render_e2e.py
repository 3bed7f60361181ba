"""Recordings to pixels, end to end: log with the SDK, render with `rerender render`, look at the frames."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from click.testing import CliRunner

import rerender
import rerender as rr
from rerender.camera.framing import scene_camera
from rerender.cli import main
from rerender.scene import evaluate as evaluate_scene
from rerender.scene import in_world


def evaluate(*args, **kwargs):
    """The scene in world coordinates (visuals' world matrices applied), as these tests read it."""
    return in_world(evaluate_scene(*args, **kwargs))


W, H = 160, 120


def record(path: Path, log) -> Path:
    """Write a recording by calling `log(rec)`."""
    rec = rr.RecordingStream("render_test", recording_id="r", batcher_config=rr.ChunkBatcherConfig.NEVER())
    rec.save(path)
    log(rec)
    rec.disconnect()
    return path


def render(recording: Path, out: Path, *args: str) -> None:
    result = CliRunner().invoke(
        main, ["render", str(recording), "-o", str(out), "--size", f"{W}x{H}", "-q", *args]
    )
    assert result.exit_code == 0, result.output


def frames_of(directory: Path) -> list[np.ndarray]:
    sidecar = json.loads((directory / "frames.json").read_text())
    return [iio.imread(directory / f["file"]) for f in sidecar["frames"]]


def red_mask(image: np.ndarray) -> np.ndarray:
    image = image.astype(int)
    return (image[..., 0] > 100) & (image[..., 1] < 60) & (image[..., 2] < 60)


def test_red_sphere_at_origin_is_centered_and_red(tmp_path: Path) -> None:
    rec = record(
        tmp_path / "r.rrd",
        lambda r: (
            r.set_time("frame", sequence=0),
            r.log("ball", rr.Points3D([[0, 0, 0]], colors=[255, 0, 0], radii=1.0)),
        ),
    )
    render(rec, tmp_path / "still.png", "--still", "0")
    image = iio.imread(tmp_path / "still.png")
    assert image.shape == (H, W, 3)
    ys, xs = np.nonzero(red_mask(image))
    assert len(xs) > 200
    assert abs(xs.mean() - W / 2) < 3 and abs(ys.mean() - H / 2) < 3


def test_child_lands_where_the_composed_transform_puts_it(tmp_path: Path) -> None:
    def log(r) -> None:
        r.set_time("frame", sequence=0)
        r.log("anchor", rr.Points3D([[0, 0, 0]], colors=[0, 0, 255], radii=0.3), static=True)
        r.log(
            "arm",
            rr.Transform3D(translation=[0, 0, 2], rotation=rr.RotationAxisAngle(axis=[0, 0, 1], degrees=90)),
        )
        r.log("arm/hand", rr.Points3D([[2, 0, 0]], colors=[255, 0, 0], radii=0.3))  # world: (0, 2, 2)

    rec = record(tmp_path / "r.rrd", log)
    render(rec, tmp_path / "still.png", "--still", "0", "--camera", "rerun")
    image = iio.imread(tmp_path / "still.png")
    ys, xs = np.nonzero(red_mask(image))
    # Where Rerun's default eye sees the composed world position (0, 2, 2).
    recording = rerender.load(rec)
    camera = scene_camera([evaluate(recording.latest_at("frame", 0))])
    u, v = project(np.array([0.0, 2.0, 2.0]), camera)
    assert abs(xs.mean() - u) < 3 and abs(ys.mean() - v) < 3


def project(point: np.ndarray, camera) -> tuple[float, float]:
    """Pixel position of a world point seen by `camera` (OpenGL conventions, as the renderer)."""
    view = np.linalg.inv(camera.matrix())
    x, y, z, _ = view @ np.append(point, 1.0)
    f = 1 / np.tan(np.radians(camera.fov_y_deg) / 2)
    return (1 + f * (x / -z) * H / W) / 2 * W, (1 - f * (y / -z)) / 2 * H


def test_clear_removes_and_static_stays(tmp_path: Path) -> None:
    def log(r) -> None:
        r.log("static_ball", rr.Points3D([[-1, 0, 0]], colors=[0, 0, 255], radii=0.4), static=True)
        for frame in range(4):
            r.set_time("frame", sequence=frame)
            if frame == 0:
                r.log("ball", rr.Points3D([[1, 0, 0]], colors=[255, 0, 0], radii=0.4))
            if frame == 2:
                r.log("ball", rr.Clear(recursive=False))
            r.log("tick", rr.Scalars(float(frame)))

    rec = record(tmp_path / "r.rrd", log)
    render(rec, tmp_path / "frames")
    frames = frames_of(tmp_path / "frames")
    assert len(frames) == 4
    red = [int(red_mask(f).sum()) for f in frames]
    blue = [int(((f[..., 2] > 100) & (f[..., 0] < 60)).sum()) for f in frames]
    assert red[0] > 50 and red[1] > 50 and red[2] == 0 and red[3] == 0
    assert all(b > 50 for b in blue)


def test_same_command_twice_gives_identical_frames(tmp_path: Path) -> None:
    rec = record(
        tmp_path / "r.rrd",
        lambda r: [
            (
                r.set_time("frame", sequence=i),
                r.log("p", rr.Points3D([[i, 0, 0], [0, i, 1]], colors=[[255, 0, 0], [0, 255, 0]])),
            )
            for i in range(3)
        ],
    )
    render(rec, tmp_path / "a.mp4")
    render(rec, tmp_path / "b.mp4")
    a, b = iio.imread(tmp_path / "a.mp4"), iio.imread(tmp_path / "b.mp4")
    assert a.shape[0] == 3 and np.array_equal(a, b)


def test_frames_are_the_same_in_any_order(tmp_path: Path) -> None:
    """A frame depends only on (recording, time, settings): the video's frames equal stills rendered
    in reverse order, each from a fresh latest-at query, with the same camera."""
    from rerender import load
    from rerender.pipeline.render_job import RenderJob, plan
    from rerender.pipeline.settings import OutputSettings, RenderSettings
    from rerender.render import Renderer
    from rerender.values import Size

    def log(r) -> None:
        r.log("walls", rr.Boxes3D(half_sizes=[[2, 2, 2]], colors=[90, 90, 200]), static=True)
        for i in range(5):
            r.set_time("frame", sequence=i)
            r.log("ball", rr.Points3D([[i - 2, 0, 0]], colors=[255, 0, 0], radii=0.3))
            r.log("stick", rr.LineStrips3D([[[0, 0, 0], [0, 0, i / 2]]], colors=[0, 255, 0], radii=0.05))

    rec_path = record(tmp_path / "r.rrd", log)
    render(rec_path, tmp_path / "frames")
    video = frames_of(tmp_path / "frames")
    rec = load(rec_path)
    settings = RenderSettings(output=OutputSettings(size=Size(W, H)))
    job_plan = plan(RenderJob(rec, tmp_path / "unused", settings))
    camera = job_plan.rig.pose_at(job_plan.frame_time(0))  # the auto camera is fixed for the video
    with Renderer(W, H) as renderer:
        stills = {t: renderer.render(evaluate(rec.latest_at("frame", t)), camera) for t in (4, 0, 3, 1, 2)}
    assert len(video) == 5
    for t, frame in enumerate(video):
        assert np.array_equal(frame, stills[t]), f"frame {t} differs"
    assert not np.array_equal(video[0], video[4])


def test_rerun_sdk_recording_renders_like_ours(tmp_path: Path) -> None:
    """The same script logged by rerun-sdk 0.41 and by rerender renders the same frames."""
    script = tmp_path / "scene.py"
    script.write_text(
        "import sys\nimport rerun as rr\n"
        "rec = rr.RecordingStream('same', recording_id='s')\nrec.save(sys.argv[1])\n"
        "for i in range(3):\n"
        "    rec.set_time('frame', sequence=i)\n"
        "    points = rr.Points3D([[i, 0, 0], [0, 0, 1]], colors=[[255, 0, 0], [0, 200, 0]], radii=0.3)\n"
        "    rec.log('world/p', points)\n"
        "    spin = rr.RotationAxisAngle(axis=[0, 0, 1], radians=i * 0.3)\n"
        "    rec.log('world', rr.Transform3D(rotation=spin))\n"
        "rec.disconnect()\n"
    )
    theirs, ours = tmp_path / "theirs.rrd", tmp_path / "ours.rrd"
    subprocess.run([sys.executable, script, theirs], check=True)
    rerender_exe = Path(sys.executable).parent / "rerender"
    subprocess.run(
        [rerender_exe, "run", "-o", tmp_path / "cap.rrd", script, ours], check=True, capture_output=True
    )
    render(theirs, tmp_path / "theirs")
    render(ours, tmp_path / "ours")
    for a, b in zip(frames_of(tmp_path / "theirs"), frames_of(tmp_path / "ours"), strict=True):
        assert np.abs(a.astype(int) - b.astype(int)).max() <= 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--timeline", "nope"],
            "--timeline: no timeline 'nope' in the recording; its timelines are: frame, log_time",
        ),
        (["--size", "big"], "expected WIDTHxHEIGHT"),
        (["--format", "avi"], "Invalid value for '--format'"),
        (["--background", "white"], "'white' is not a colour; expected a colour as #rrggbb"),
    ],
)
def test_render_bad_arguments(tmp_path: Path, args: list[str], message: str) -> None:
    rec = record(
        tmp_path / "r.rrd", lambda r: (r.set_time("frame", sequence=0), r.log("p", rr.Points3D([[0, 0, 0]])))
    )
    result = CliRunner().invoke(main, ["render", str(rec), "-o", str(tmp_path / "o.mp4"), *args])
    assert result.exit_code != 0 and message in result.stderr
    assert "Traceback" not in result.output


def test_static_only_recording_renders_a_still(tmp_path: Path) -> None:
    """A recording without timelines (rerun-sdk's asset sample) is one picture; a video of it is refused."""
    sample = Path(__file__).parent / "data" / "asset3d.rrd"
    render(sample, tmp_path / "asset.png")
    image = iio.imread(tmp_path / "asset.png")
    assert image.shape == (H, W, 3) and (np.abs(image.astype(int) - 26).sum(axis=2) > 60).sum() > 100
    result = CliRunner().invoke(main, ["render", str(sample), "-o", str(tmp_path / "asset.mp4")])
    assert result.exit_code == 1 and "static data only" in result.output and "asset.png" in result.output
    assert not (tmp_path / "asset.mp4").exists()


def test_a_recording_with_nothing_to_draw_says_so(tmp_path: Path) -> None:
    def log(r) -> None:
        for step in range(3):
            r.set_time("step", sequence=step)
            r.log("loss", rr.Scalars(1.0 / (step + 1)))
            r.log("flat/points", rr.Points2D([[1, 2]]))  # 2D, and no Pinhole above it

    rec = record(tmp_path / "r.rrd", log)
    result = CliRunner().invoke(main, ["render", str(rec), "-o", str(tmp_path / "x.mp4"), "-q"])
    assert result.exit_code == 0, result.output
    assert "nothing in the recording is drawn in 3D on timeline 'step'" in result.output
    assert "only under a Pinhole" in result.output
    assert (tmp_path / "x.mp4").exists()


def test_background_colour_for_reports(tmp_path: Path) -> None:
    def log(r) -> None:
        r.set_time("frame", sequence=0)
        r.log("p", rr.Points3D([[0, 0, 0]], colors=[255, 0, 0], radii=0.3))

    rec = record(tmp_path / "r.rrd", log)
    render(rec, tmp_path / "white.png", "--still", "0", "--background", "#ffffff")
    image = iio.imread(tmp_path / "white.png").astype(int)
    assert (image[0, 0] == 255).all() and (image[-1, -1] == 255).all()
    assert red_mask(image).sum() > 50  # the red sphere is still there, on white
