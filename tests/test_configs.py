"""The shipped `configs/*.toml`, each rendered on the example recording its header names and checked for
what a user would see. Renders are small (160x90, few frames) so that the module stays quick; a size in
a config is overridden with `--size` where the test is not about it."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from click.testing import CliRunner

import rerender
from rerender.cli import main
from rerender.pipeline.config import build_settings, read_config, set_layer
from rerender.pipeline.render_job import RenderJob, plan
from rerender.values import Color, Size

ROOT = Path(__file__).parent.parent
CONFIGS = ROOT / "configs"
EXAMPLES = ROOT / "examples"
BACKGROUND = np.array([26, 26, 26])
SMALL = "160x90"


def render(recording: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(main, ["render", str(recording), "-o", str(out), "-q", *args])
    assert result.exit_code == 0, result.output
    return out


def config(name: str) -> str:
    return str(CONFIGS / f"{name}.toml")


def frames_of(directory: Path) -> list[np.ndarray]:
    sidecar = json.loads((directory / "frames.json").read_text())
    return [iio.imread(directory / f["file"])[..., :3] for f in sidecar["frames"]]


def scene_mask(image: np.ndarray, background=BACKGROUND) -> np.ndarray:
    return np.abs(image[..., :3].astype(int) - background).max(axis=2) > 12


def colour_mask(image: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 30) -> np.ndarray:
    return np.abs(image[..., :3].astype(int) - np.array(rgb)).max(axis=2) <= tolerance


def changed_pixels(a: np.ndarray, b: np.ndarray) -> int:
    return int((np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 12).sum())


# --- the example recordings, recorded once ---------------------------------------------------------


@pytest.fixture(scope="module")
def dna(dna_recording: Path) -> Path:
    return dna_recording


def _example(tmp_path_factory, script: str, name: str) -> Path:
    out = tmp_path_factory.mktemp(name) / f"{name}.rrd"
    subprocess.run(
        [sys.executable, EXAMPLES / script, out], check=True, capture_output=True, timeout=300, cwd=ROOT
    )
    return out


@pytest.fixture(scope="module")
def robot_arm(tmp_path_factory) -> Path:
    return _example(tmp_path_factory, "robot_arm.py", "robot_arm")


@pytest.fixture(scope="module")
def pinhole_camera(tmp_path_factory) -> Path:
    return _example(tmp_path_factory, "pinhole_camera.py", "pinhole_camera")


def test_every_config_is_tested_and_names_its_example() -> None:
    shipped = {p.stem for p in CONFIGS.glob("*.toml")}
    assert shipped == {"default", "orbit", "keyframes", "follow", "pinhole", "ci", "paper"}
    for name in shipped:
        header = (CONFIGS / f"{name}.toml").read_text()
        assert f"--config configs/{name}.toml" in header, f"{name}.toml: no command in its header"
        build_settings([read_config(config(name))])  # valid on its own


# --- default.toml ---------------------------------------------------------------------------------------


def test_default_config_renders_as_no_config_at_all(dna: Path, tmp_path: Path) -> None:
    args = ("--size", SMALL, "--step", "20")
    bare = frames_of(render(dna, tmp_path / "bare", *args))
    configured = frames_of(render(dna, tmp_path / "configured", "--config", config("default"), *args))
    assert len(bare) == len(configured) == 6
    for i, (a, b) in enumerate(zip(bare, configured, strict=True)):
        assert np.array_equal(a, b), f"frame {i} differs"
    assert scene_mask(bare[0]).any()


# --- orbit.toml -----------------------------------------------------------------------------------------


def test_orbit_config_circles_the_helix_and_keeps_it_in_view(dna: Path, tmp_path: Path) -> None:
    frames = frames_of(
        render(dna, tmp_path / "orbit", "--config", config("orbit"), "--size", SMALL, "--fps", "5")
    )
    assert len(frames) == 20
    for i, frame in enumerate(frames):
        mask = scene_mask(frame)
        assert mask.sum() > 0.03 * mask.size, f"frame {i}: the helix is not in view"
        assert not mask[0].any() and not mask[-1].any(), f"frame {i} touches the top or bottom edge"
        rows = np.nonzero(mask.any(axis=1))[0]
        assert rows[-1] - rows[0] > 0.6 * mask.shape[0], f"frame {i}: the helix is too small"
    for i, (a, b) in enumerate(pairwise(frames)):
        assert changed_pixels(a, b) > 0, f"frames {i} and {i + 1} are the same"

    # The helix itself turns in view, not only the beads that slide along it: the example's structure
    # spins on its own, and a camera circling with it would see it standing still.
    still_parts = frames_of(
        render(
            dna,
            tmp_path / "no_beads",
            *("--config", config("orbit"), "--size", SMALL, "--fps", "5", "--end", "1s"),
            *("--drop-entity", "/dna/structure/scaffolding/beads"),
        )
    )
    for i, (a, b) in enumerate(pairwise(still_parts)):
        assert changed_pixels(a, b) > 0.02 * a.shape[0] * a.shape[1], (
            f"frames {i}, {i + 1}: the helix stands still"
        )


# --- keyframes.toml -------------------------------------------------------------------------------------


def test_keyframes_config_holds_then_moves_in_to_a_close_up(dna: Path, tmp_path: Path) -> None:
    # The recording's time nearly stands still (--speed 0.001: 4 ms of it over the 4 s of video), so
    # what changes between frames is the camera alone.
    args = (
        "--config",
        config("keyframes"),
        "--size",
        SMALL,
        "--fps",
        "5",
        "--speed",
        "0.001",
        "--end",
        "4ms",
    )
    frames = frames_of(render(dna, tmp_path / "kf", *args))
    assert len(frames) == 21  # 0 s to 4 s of video
    for i, frame in enumerate(frames):
        assert scene_mask(frame).sum() > 0.02 * frame.shape[0] * frame.shape[1], f"frame {i}: nothing in view"
    # hold = 0.5: the frames at 0, 0.2 and 0.4 s are one picture; from 0.6 s on, the camera moves.
    assert np.array_equal(frames[0], frames[1]) and np.array_equal(frames[0], frames[2])
    for i in range(3, len(frames)):
        assert changed_pixels(frames[i - 1], frames[i]) > 0, f"frames {i - 1} and {i} are the same"
    # From a wide shot to a close-up: the helix covers far more of the last frame than of the first.
    first, last = scene_mask(frames[0]).mean(), scene_mask(frames[-1]).mean()
    assert last > 2.5 * first, (first, last)
    rows = np.nonzero(scene_mask(frames[0]).any(axis=1))[0]
    assert rows[0] > 0 and rows[-1] < frames[0].shape[0] - 1, "the wide shot cuts the helix off"


# --- follow.toml ----------------------------------------------------------------------------------------


def test_follow_config_keeps_the_gripper_target_near_the_centre(robot_arm: Path, tmp_path: Path) -> None:
    # --fps 10 --step 3 keeps the default pace (30 ticks a second of video), so the half-second
    # smoothing averages the same motion as in the full render.
    args = ("--config", config("follow"), "--size", SMALL, "--fps", "10", "--step", "3")
    frames = frames_of(render(robot_arm, tmp_path / "follow", *args))
    assert len(frames) == 40
    h, w = frames[0].shape[:2]
    for i, frame in enumerate(frames[10:], start=10):  # after the first second
        red = colour_mask(frame, (255, 60, 60))
        assert red.sum() >= 3, f"frame {i}: the target is not in view"
        ys, xs = np.nonzero(red)
        dx, dy = abs(xs.mean() - w / 2) / w, abs(ys.mean() - h / 2) / h
        assert dx < 0.05 and dy < 0.12, f"frame {i}: the target is at ({xs.mean():.0f}, {ys.mean():.0f})"


# --- pinhole.toml ---------------------------------------------------------------------------------------


def _pinhole_example_size() -> tuple[int, int]:
    spec = importlib.util.spec_from_file_location("pinhole_camera_example", EXAMPLES / "pinhole_camera.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.WIDTH, module.HEIGHT


def test_pinhole_config_looks_through_the_pinhole_at_its_resolution(
    pinhole_camera: Path, tmp_path: Path
) -> None:
    assert build_settings([read_config(config("pinhole"))]).settings.output.size is None
    width, height = _pinhole_example_size()
    frames = frames_of(
        render(pinhole_camera, tmp_path / "pin", "--config", config("pinhole"), "--step", "10")
    )
    assert len(frames) == 6
    for i, frame in enumerate(frames):
        assert frame.shape[:2] == (height, width), f"frame {i}: {frame.shape}"
        assert colour_mask(frame, (255, 80, 80)).sum() >= 4, f"frame {i}: no red skeleton points"

    # The 3D skeleton itself, without the 2D keypoints and lines drawn over it: the camera looks at it,
    # so it stands in the middle of the picture.
    bare = frames_of(
        render(
            pinhole_camera,
            tmp_path / "bare",
            *("--config", config("pinhole"), "--step", "10", "--drop-entity", "/world/camera/image/*"),
        )
    )
    for i, frame in enumerate(bare):
        red = colour_mask(frame, (255, 80, 80))
        assert red.sum() >= 4, f"frame {i}: the 3D skeleton is not visible"
        assert abs(np.nonzero(red)[1].mean() - width / 2) < 0.1 * width, f"frame {i}: skeleton off-centre"


# --- ci.toml --------------------------------------------------------------------------------------------


def test_ci_config_writes_a_small_gif_of_every_other_frame(dna: Path, tmp_path: Path) -> None:
    gif = render(dna, tmp_path / "dna_ci.gif", "--config", config("ci"))
    frames = iio.imread(gif, index=None)
    assert frames.shape[1:3] == (180, 320)
    every = plan(
        RenderJob(
            rerender.load(dna),
            gif,
            build_settings([read_config(config("ci")), set_layer(["time.step=1"])]).settings,
        )
    )
    assert len(every.times) == 60  # 4 s at 15 fps
    assert len(frames) == (len(every.times) + 1) // 2
    assert scene_mask(frames[0]).any()


# --- paper.toml -----------------------------------------------------------------------------------------


def test_paper_config_settings() -> None:
    settings = build_settings([read_config(config("paper"))]).settings
    assert settings.output.size == Size(1920, 1080)
    assert settings.look.msaa == 8
    assert settings.look.background == Color(255, 255, 255)
    assert (settings.output.crf, settings.output.preset) == (16, "slow")


def test_paper_config_writes_the_last_state_on_white(dna: Path, tmp_path: Path) -> None:
    args = ("--config", config("paper"), "--size", SMALL)
    still = iio.imread(render(dna, tmp_path / "dna_paper.png", *args))[..., :3]
    assert still.shape[:2] == (90, 160)
    for corner in (still[0, 0], still[0, -1], still[-1, 0], still[-1, -1]):
        assert tuple(corner) == (255, 255, 255)
    subject = scene_mask(still, background=np.array([255, 255, 255]))
    assert subject.mean() > 0.03
    assert not subject[0].any() and not subject[-1].any()
    end = iio.imread(render(dna, tmp_path / "end.png", *args, "--still", "end"))[..., :3]
    assert np.array_equal(still, end)


def test_paper_config_renders_with_its_own_8x_msaa_everywhere(dna: Path, tmp_path: Path) -> None:
    """msaa = 8 asks more than Mesa's llvmpipe gives (4): the renderer uses what GL allows and says so."""
    out = tmp_path / "dna_paper.png"
    result = CliRunner().invoke(
        main, ["render", str(dna), "-o", str(out), "--config", config("paper"), "--size", SMALL]
    )
    assert result.exit_code == 0, result.output
    still = iio.imread(out)[..., :3]
    assert tuple(still[0, 0]) == (255, 255, 255)
    assert scene_mask(still, background=np.array([255, 255, 255])).mean() > 0.03
    from rerender.render import gl_info

    if "llvmpipe" in gl_info()["renderer"]:
        assert "msaa 8: this OpenGL" in result.output and "using 4" in result.output
