"""Headless GL set-up: EGL and OSMesa give the same pixels, renderers can share a process, and a missing
driver is one clear error (run in child processes: PyOpenGL binds its platform once per process)."""

from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest

from rerender.camera.framing import CameraPose
from rerender.render import Renderer
from rerender.scene.visuals import PointsVisual, Scene

DATA = Path(__file__).parent / "data"
RERENDER = [str(Path(sys.executable).with_name("rerender"))]


def still(tmp_path: Path, platform: str, name: str) -> subprocess.CompletedProcess:
    out = tmp_path / name
    env = {**os.environ, "PYOPENGL_PLATFORM": platform}
    args = ["render", str(DATA / "points3d.rrd"), "-o", str(out), "--still", "1", "--size", "160x120"]
    return subprocess.run([*RERENDER, *args], capture_output=True, text=True, env=env)


@pytest.mark.skipif(not ctypes.util.find_library("OSMesa"), reason="libOSMesa is not installed")
def test_osmesa_renders_what_egl_renders(tmp_path: Path) -> None:
    for platform in ("egl", "osmesa"):
        done = still(tmp_path, platform, f"{platform}.png")
        assert done.returncode == 0, done.stderr
    egl, osmesa = (iio.imread(tmp_path / f"{p}.png").astype(int) for p in ("egl", "osmesa"))
    assert (np.abs(egl - 26).sum(axis=2) > 30).sum() > 20  # the points are there
    assert np.abs(egl - osmesa).max() <= 2


def test_a_missing_gl_driver_is_one_paragraph_naming_what_to_install(tmp_path: Path) -> None:
    done = still(tmp_path, "nosuchplatform", "x.png")
    assert done.returncode == 1
    assert done.stderr.startswith("Error: ") and "Traceback" not in done.stderr
    assert "nosuchplatform" in done.stderr and "apt-get install" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.png").exists()


def test_two_renderers_in_one_process_do_not_disturb_each_other() -> None:
    camera = CameraPose(eye=np.array([0.0, -5.0, 0.0]), target=np.zeros(3), up=np.array([0.0, 0.0, 1.0]))
    red = Scene(
        points=(
            PointsVisual(
                "/r",
                np.zeros((1, 3), np.float32),
                np.array([[255, 0, 0, 255]], np.uint8),
                np.array([0.5], np.float32),
            ),
        )
    )
    with Renderer(64, 48) as first:
        alone = first.render(red, camera)
        with Renderer(96, 72) as second:
            second.render(Scene(), camera)
            assert np.array_equal(first.render(red, camera), alone)
        assert np.array_equal(first.render(red, camera), alone)  # after the other one closed


def test_opengl_imported_first_for_a_display_is_explained() -> None:
    code = "from OpenGL import GL\nfrom rerender.render import Renderer\nRenderer(64, 64)"
    env = {k: v for k, v in os.environ.items() if k != "PYOPENGL_PLATFORM"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode != 0
    assert "GLUnavailableError" in done.stderr and "bound itself to 'glx'" in done.stderr
    assert "PYOPENGL_PLATFORM=egl" in done.stderr


def test_a_frame_larger_than_gl_allows_is_one_paragraph(tmp_path: Path) -> None:
    out = tmp_path / "huge.png"
    args = ["render", str(DATA / "points3d.rrd"), "-o", str(out), "--still", "1", "--size", "40000x64"]
    done = subprocess.run([*RERENDER, *args], capture_output=True, text=True)
    assert done.returncode == 1 and done.stderr.startswith("Error: ")
    assert "40000x64" in done.stderr and "at most" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not out.exists()


def test_osmesa_is_the_automatic_fallback_when_egl_fails(tmp_path: Path) -> None:
    # No PYOPENGL_PLATFORM: rerender picks EGL, and must fall back by itself when EGL cannot serve (here
    # an EGL device that does not exist), in the same process.
    env = {k: v for k, v in os.environ.items() if k != "PYOPENGL_PLATFORM"}
    env["RERENDER_EGL_DEVICE"] = "7"
    done = subprocess.run([*RERENDER, "doctor"], capture_output=True, text=True, env=env)
    if ctypes.util.find_library("OSMesa"):
        assert done.returncode == 0, done.stdout + done.stderr
        assert "GL          osmesa: " in done.stdout
        assert "not used: egl: RERENDER_EGL_DEVICE=7, but EGL has" in done.stdout
    else:
        assert done.returncode == 1
        assert "RERENDER_EGL_DEVICE=7" in done.stdout and "libOSMesa is not installed" in done.stdout
