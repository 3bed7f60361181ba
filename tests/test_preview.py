"""`rerender preview` and `rr.spawn()`: the window shows what `render` writes (screenshots under Xvfb
against `render --still`, a file and a live stream), the keys and mouse as pure functions (playhead,
orbit/pan/zoom, the `c` keyframe block read back by the config loader), and a headless `rr.spawn()`."""

from __future__ import annotations

import inspect
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import click
import imageio.v3 as iio
import numpy as np
import pytest
from click.testing import CliRunner

import rerender as rr
from rerender.camera.framing import CameraPose, default_camera
from rerender.camera.rigs import FrameTime
from rerender.cli import main
from rerender.pipeline.config import build_settings, read_config
from rerender.pipeline.render_job import RenderJob, plan
from rerender.preview.app import ViewState, react
from rerender.preview.navigation import (
    ORBIT_DEGREES_PER_PIXEL,
    keyframe_block,
    orbit,
    pan,
    world_per_pixel,
    zoom,
)
from rerender.preview.playback import Playhead
from rerender.preview.window import Drag, KeyPress, Scroll

W, H = 160, 120
BACKGROUND = np.array([26, 26, 26])
RERENDER = [sys.executable, "-c", "from rerender.cli import main; main(prog_name='rerender')"]


# --- helpers ---------------------------------------------------------------------------------------------


def record(path: Path) -> Path:
    """A static box and a red point that moves over 11 frames: any change of time or view shows."""
    rec = rr.RecordingStream("preview_test", recording_id="r", batcher_config=rr.ChunkBatcherConfig.NEVER())
    rec.save(path)
    log_scene(rec)
    rec.disconnect()
    return path


def log_scene(rec) -> None:
    rec.log("box", rr.Boxes3D(half_sizes=[[1, 0.5, 0.3]], colors=[90, 90, 200]), static=True)
    rec.log("green", rr.Points3D([[0, 1, -0.3]], colors=[0, 255, 0], radii=0.2), static=True)
    for i in range(11):
        rec.set_time("frame", sequence=i)
        rec.log("red", rr.Points3D([[1.2 - 0.2 * i, 0, 0.5]], colors=[255, 0, 0], radii=0.25))


def scene_mask(image: np.ndarray) -> np.ndarray:
    return np.abs(image[..., :3].astype(int) - BACKGROUND).max(axis=2) > 12


def assert_same_view(a: np.ndarray, b: np.ndarray, what: str = "") -> None:
    """The same picture: all but 0.1 % of the pixels within 2 levels (as tests/test_cameras.py)."""
    assert a.shape[:2] == b.shape[:2], f"{what}: {a.shape} vs {b.shape}"
    off = np.abs(a[..., :3].astype(int) - b[..., :3].astype(int)).max(axis=2) > 2
    assert off.sum() <= max(2, off.size // 1000), f"{what}: {off.sum()} pixels differ"


def still(recording: Path, out: Path, *args: str) -> np.ndarray:
    result = CliRunner().invoke(
        main, ["render", str(recording), "-o", str(out), "--size", f"{W}x{H}", "-q", *args]
    )
    assert result.exit_code == 0, result.output
    return iio.imread(out)


def need_xvfb() -> str:
    """xvfb-run's path; skips outside CI when it (or glfw) is missing, fails inside CI."""
    missing = None
    runner = shutil.which("xvfb-run")
    if runner is None:
        missing = "xvfb-run is not installed (Debian: apt-get install xvfb)"
    else:
        try:
            import glfw  # noqa: F401
        except ImportError:
            missing = "glfw is not installed (pip install 'rerender[preview]')"
    if missing is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    return runner


def under_xvfb(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    runner = need_xvfb()
    command = [runner, "-a", "-s", "-screen 0 1024x768x24", *RERENDER, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pose(eye=(4.0, -3.0, 2.0), target=(0.0, 0.0, 0.5)) -> CameraPose:
    return CameraPose(np.array(eye), np.array(target), np.array([0.0, 0.0, 1.0]), 50.0)


# --- the window, under Xvfb ------------------------------------------------------------------------------


def test_window_screenshot_equals_a_render_still_at_the_same_time(tmp_path: Path) -> None:
    rec = record(tmp_path / "moving.rrd")
    shot = tmp_path / "shot.png"
    args = ("--size", f"{W}x{H}", "--at", "4", "--exit-after-frames", "3", "--screenshot", str(shot))
    done = under_xvfb("preview", str(rec), *args)
    assert done.returncode == 0, done.stderr
    window = iio.imread(shot)
    expected = still(rec, tmp_path / "still.png", "--still", "4")
    assert window.shape == (H, W, 3)
    assert scene_mask(window).sum() > 300  # the scene, not an empty window
    assert_same_view(window, expected, "preview at frame 4 vs render --still 4")
    # ... and not merely any frame of it: the point moves between frames 4 and 9.
    other = still(rec, tmp_path / "other.png", "--still", "9")
    assert np.abs(window.astype(int) - other[..., :3].astype(int)).max() > 100


def test_window_uses_render_settings_camera_and_look(tmp_path: Path) -> None:
    """Config files, --set and flags mean what they mean to `render`: an orbit camera mid-turn, on white."""
    rec = record(tmp_path / "moving.rrd")
    config = tmp_path / "orbit.toml"
    config.write_text('[camera]\nkind = "orbit"\nperiod = 1.0\nelevation = 30.0\n')
    settings = ("-c", str(config), "--set", "camera.radius=6", "--background", "#ffffff", "--grid")
    shot = tmp_path / "shot.png"
    args = ("--size", f"{W}x{H}", "--at", "7", "--exit-after-frames", "2", "--screenshot", str(shot))
    done = under_xvfb("preview", str(rec), *settings, *args)
    assert done.returncode == 0, done.stderr
    window = iio.imread(shot)
    assert_same_view(window, still(rec, tmp_path / "still.png", "--still", "7", *settings), "orbit at 7")
    assert (window[0, 0] == 255).all()  # the background is the config's


def test_live_window_follows_a_stream_and_shows_what_render_writes(tmp_path: Path) -> None:
    """`preview --listen` shows the newest stream at its latest time, equal to a still of the same data
    saved straight to a file."""
    need_xvfb()
    port = free_port()
    twin = record(tmp_path / "twin.rrd")
    expected = still(twin, tmp_path / "twin_end.png", "--still", "end")
    shot = tmp_path / "live.png"
    command = ["xvfb-run", "-a", "-s", "-screen 0 1024x768x24", *RERENDER, "preview", "--listen", str(port)]
    command += ["--size", f"{W}x{H}", "--screenshot", str(shot)]
    window = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _listening(port):
            assert window.poll() is None, window.stderr.read().decode()
            time.sleep(0.1)
        script = tmp_path / "stream.py"
        body = f"""
rec = rr.RecordingStream("preview_test", recording_id="r", batcher_config=rr.ChunkBatcherConfig.NEVER())
rec.connect_grpc("rerun+http://127.0.0.1:{port}/proxy")
log_scene(rec)
rec.disconnect()
"""
        script.write_text("import rerender as rr\n\n" + inspect.getsource(log_scene) + body)
        sent = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
        assert sent.returncode == 0, sent.stderr
        last = None
        while time.monotonic() < deadline:
            if shot.exists():
                last = iio.imread(shot)
                if last.shape != expected[..., :3].shape:  # still the waiting picture
                    time.sleep(0.25)
                    continue
                off = np.abs(last.astype(int) - expected[..., :3].astype(int)).max(axis=2) > 2
                if off.sum() <= max(2, off.size // 1000):
                    break
            time.sleep(0.25)
        assert last is not None, "the window never drew"
        assert_same_view(last, expected, "live window vs render --still end of the same data")
    finally:
        os.killpg(window.pid, signal.SIGINT)
        try:
            window.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(window.pid, signal.SIGKILL)


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_without_a_display_the_preview_says_what_to_do(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    rec = record(tmp_path / "moving.rrd")
    result = CliRunner().invoke(main, ["preview", str(rec), "--size", f"{W}x{H}"])
    assert result.exit_code == 1
    assert "no display" in result.output and "xvfb-run" in result.output and "Traceback" not in result.output


def test_preview_needs_a_recording_or_a_port() -> None:
    result = CliRunner().invoke(main, ["preview"])
    assert result.exit_code == 1
    assert "REC.rrd" in result.output and "--listen PORT" in result.output


# --- keys and mouse, as pure functions -------------------------------------------------------------------


def test_playhead_keys() -> None:
    p = Playhead(0, 5)
    assert p.stepped(1).index == 1 and p.stepped(-1).index == 0  # clamped at the start
    assert p.end().index == 4 and p.end().stepped(3).index == 4  # ... and at the end
    assert p.end().home().index == 0
    playing = p.toggled()
    assert playing.playing and not playing.toggled().playing
    assert playing.advanced(2).index == 2 and playing.advanced(2).playing
    assert playing.advanced(99) == Playhead(4, 5, playing=False)  # stops on the last frame
    assert p.end().toggled() == Playhead(0, 5, playing=True)  # space on the last frame starts over
    assert playing.stepped(1).playing is False  # stepping pauses
    assert Playhead(4, 5).resized(9, follow=True).index == 8  # a live recording grows: keep to its end
    assert Playhead(2, 5).resized(9, follow=False).index == 2


def test_react_maps_keys_and_mouse() -> None:
    state, now = ViewState(Playhead(3, 10)), pose()
    assert react(state, KeyPress("space"), now, H).state.playhead.playing
    assert react(state, KeyPress("left"), now, H).state.playhead.index == 2
    assert react(state, KeyPress("right"), now, H).state.playhead.index == 4
    assert react(state, KeyPress("home"), now, H).state.playhead.index == 0
    assert react(state, KeyPress("end"), now, H).state.playhead.index == 9
    assert react(state, KeyPress("c"), now, H).command == "print_camera"
    assert react(state, KeyPress("s"), now, H).command == "save_still"
    assert react(state, KeyPress("escape"), now, H).command == "quit"
    dragged = react(state, Drag("left", 40, 0), now, H).state.camera
    assert dragged is not None and np.allclose(dragged.eye, orbit(now, 40, 0).eye)
    assert np.allclose(react(state, Drag("right", 5, 3), now, H).state.camera.eye, pan(now, 5, 3, H).eye)
    assert np.allclose(react(state, Drag("middle", 5, 3), now, H).state.camera.eye, pan(now, 5, 3, H).eye)
    assert np.allclose(react(state, Scroll(2), now, H).state.camera.eye, zoom(now, 2).eye)
    own = react(state, Scroll(1), now, H).state
    assert react(own, KeyPress("r"), now, H).state.camera is None  # back to the configured camera


def test_orbit_turns_about_the_target_and_stops_at_the_pole() -> None:
    start = pose()
    turned = orbit(start, 360 / ORBIT_DEGREES_PER_PIXEL / 4, 0)  # a quarter turn about +Z
    offset0, offset1 = start.eye - start.target, turned.eye - turned.target
    assert np.allclose(turned.target, start.target)
    assert math.isclose(np.linalg.norm(offset0), np.linalg.norm(offset1))
    assert math.isclose(offset0[2], offset1[2])  # same height
    assert math.isclose(abs(np.dot(offset0[:2], offset1[:2])), 0.0, abs_tol=1e-9)  # 90° round
    top = orbit(start, 0, 10_000)  # dragged far down: the eye rises but stops short of straight above
    direction = (top.eye - top.target) / np.linalg.norm(top.eye - top.target)
    assert 0.999 < direction[2] < 1.0
    assert np.allclose(orbit(start, 0, 0).eye, start.eye)


def test_pan_moves_eye_and_target_with_the_cursor_and_zoom_keeps_the_target() -> None:
    start = pose()
    moved = pan(start, 10, 0, H)
    shift = moved.eye - start.eye
    assert np.allclose(moved.target - start.target, shift)
    assert math.isclose(np.linalg.norm(shift), 10 * world_per_pixel(start, H))
    right = start.matrix()[:3, 0]
    assert np.dot(shift, right) < 0  # dragging right moves the camera left: the scene follows the cursor
    closer = zoom(start, 1)
    assert np.allclose(closer.target, start.target)
    assert math.isclose(
        np.linalg.norm(closer.eye - closer.target), 0.9 * np.linalg.norm(start.eye - start.target)
    )
    assert np.allclose(zoom(closer, -1).eye, start.eye)


def test_c_prints_a_keyframe_block_that_the_config_loader_reads_back(tmp_path: Path) -> None:
    """Two printed blocks pasted under `[camera] kind = "keyframes"` fly the camera through both poses."""
    rec_path = record(tmp_path / "moving.rrd")
    first = default_camera((np.array([-1.0, -1.0, -1.0]), np.array([1.0, 1.0, 1.0])), np.array([0, 0, 1.0]))
    second = zoom(orbit(first, 120, -30), 2)
    config = tmp_path / "mine.toml"
    config.write_text(
        '[camera]\nkind = "keyframes"\n\n' + keyframe_block(first, 0.0) + "\n" + keyframe_block(second, 1.5)
    )
    settings = build_settings([read_config(config)]).settings
    job = RenderJob(rr.load(rec_path), tmp_path / "x.mp4", settings)
    rig = plan(job).rig
    for want, seconds in ((first, 0.0), (second, 1.5)):
        got = rig.pose_at(FrameTime(seconds, None))
        assert np.allclose(got.eye, want.eye, atol=1e-5)
        assert np.allclose(got.target, want.target, atol=1e-5)
        assert math.isclose(got.fov_y_deg, want.fov_y_deg)


# --- rr.spawn() without a display --------------------------------------------------------------------------


def test_spawn_without_a_display_records_with_a_headless_server(tmp_path: Path, monkeypatch, capfd) -> None:
    if "serve" not in main.list_commands(click.Context(main)):
        pytest.skip("`rerender serve` (rerender.net) is not registered yet; rr.spawn() headless needs it")
    import rerender.sdk.spawn as spawn_module

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.chdir(tmp_path)
    started = []
    real = spawn_module.spawn_process

    def recording_spawn(port: int, out_dir: Path = Path("outputs")):
        started.append(real(port, out_dir))
        return started[-1]

    monkeypatch.setattr(spawn_module, "spawn_process", recording_spawn)
    port = free_port()
    try:
        rec = rr.RecordingStream("spawn_test", recording_id="r1")
        rec.spawn(port=port)
        log_scene(rec)
        rec.disconnect()
        said = capfd.readouterr().err
        expected = Path("outputs") / "spawn_test-r1.rrd"
        assert f"records this run to {expected}" in said
        assert f"rerender render {expected} -o" in said
        assert started and started[0].headless and started[0].error is None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (tmp_path / expected).exists():
            time.sleep(0.2)
        time.sleep(1.0)  # the server finishes the file when the stream ends
        assert_same_view(
            still(tmp_path / expected, tmp_path / "served.png", "--still", "end"),
            still(record(tmp_path / "twin.rrd"), tmp_path / "twin.png", "--still", "end"),
            "recorded by the spawned server vs saved directly",
        )
    finally:
        for spawned in started:
            if spawned.pid is not None:
                os.killpg(spawned.pid, signal.SIGINT)
