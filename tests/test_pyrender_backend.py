"""The pyrender backend (`--renderer pyrender`) against our renderer: same entities at the same pixels.

Each 3D archetype's sample recording (tests/data, written by rerun-sdk) is rendered by both backends with
the same camera (Rerun's default eye) at its last time; the foreground masks (pixels that differ from the
background) must overlap with IoU >= 0.9. Labels are left out: both draw them with the same code.

Lines and wireframes are one or two pixels wide, and the two backends anti-alias differently (coverage
in a shader against supersampled geometry), so a half-pixel shift alone would halve a thin line's IoU:
masks are compared with a one-pixel tolerance (each dilated by one pixel). Renders of failing cases are
kept in /tmp/pyrender_iou/.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import sys
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from click.testing import CliRunner

import rerender
from rerender.camera.framing import CameraPose
from rerender.camera.specs import RerunCamera
from rerender.cli import main
from rerender.pipeline.render_job import RenderJob, plan
from rerender.pipeline.settings import OutputSettings, RenderSettings
from rerender.render import Renderer
from rerender.render.backends import RendererSettingError, open_renderer
from rerender.render.pyrender_backend import PyrenderUnavailableError
from rerender.scene.visuals import MeshVisual, Scene
from rerender.values import Size

DATA = Path(__file__).parent / "data"
W, H = 320, 240
BACKGROUND = np.array([26, 26, 26])  # Rerun's #1a1a1a
ARCHETYPE_SCENES = ("arrows3d", "asset3d", "boxes3d", "ellipsoids3d", "linestrips3d", "mesh3d", "pinhole")
ARCHETYPE_SCENES += ("points3d",)
MIN_IOU = 0.9
KEEP = Path("/tmp/pyrender_iou")


def _have_pyrender() -> None:
    """Skip without the `pyrender` extra outside CI; in CI (`make test` installs it) fail instead."""
    # Found, not imported: importing pyrender here would bind PyOpenGL to GLX before gl.py chooses.
    if importlib.util.find_spec("pyrender") is None:
        message = "pyrender is not installed: pip install 'rerender[pyrender]' (make test installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def backends():
    _have_pyrender()
    from rerender.render.pyrender_backend import PyrenderRenderer

    with Renderer(W, H) as ours, PyrenderRenderer(W, H) as theirs:
        yield ours, theirs


def foreground(image: np.ndarray) -> np.ndarray:
    """Pixels clearly not the background, grown by one pixel (the tolerance the docstring explains)."""
    mask = np.abs(image.astype(int) - BACKGROUND).max(axis=-1) > 16
    padded = np.pad(mask, 1)
    shifts = [padded[1 + dy : 1 + dy + H, 1 + dx : 1 + dx + W] for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    return np.any(shifts, axis=0)


@pytest.mark.parametrize("name", ARCHETYPE_SCENES)
def test_both_backends_draw_every_entity_at_the_same_pixels(backends, name: str) -> None:
    ours, theirs = backends
    settings = RenderSettings(output=OutputSettings(size=Size(W, H)), camera=RerunCamera())
    job_plan = plan(RenderJob(rerender.load(DATA / f"{name}.rrd"), Path("unused.png"), settings))
    at = int(job_plan.times[-1]) if len(job_plan.times) else None
    scene = dataclasses.replace(job_plan.shot.scene_at(at), labels=())
    assert scene.points or scene.lines or scene.meshes, f"{name}: nothing to draw"
    camera = job_plan.rig.pose_at(job_plan.frame_time_of(at))
    a, b = ours.render(scene, camera), theirs.render(scene, camera)
    assert b.shape == a.shape == (H, W, 3) and b.dtype == np.uint8
    mask_a, mask_b = foreground(a), foreground(b)
    iou = (mask_a & mask_b).sum() / max((mask_a | mask_b).sum(), 1)
    if iou < MIN_IOU:
        KEEP.mkdir(parents=True, exist_ok=True)
        iio.imwrite(KEEP / f"{name}.png", np.concatenate([a, b], axis=1))
    assert mask_a.sum() > 0
    assert iou >= MIN_IOU, f"{name}: foreground IoU {iou:.3f} < {MIN_IOU} (renders in {KEEP})"


def test_render_command_takes_the_pyrender_renderer_with_shadows(tmp_path: Path) -> None:
    _have_pyrender()
    plain, lit = tmp_path / "plain.png", tmp_path / "shadows.png"
    base = ["render", str(DATA / "boxes3d.rrd"), "--size", "160x120", "--renderer", "pyrender", "-q"]
    done = CliRunner().invoke(main, [*base, "-o", str(plain)])
    assert done.exit_code == 0, done.output
    rig = ["--set", "look.lights=three-point", "--set", "look.shadows=true", "--background", "#ffffff"]
    done = CliRunner().invoke(main, [*base, "-o", str(lit), *rig])
    assert done.exit_code == 0, done.output
    image, shadowed = iio.imread(plain), iio.imread(lit)
    assert image.shape == shadowed.shape == (120, 160, 3)
    assert (np.abs(image.astype(int) - BACKGROUND).max(axis=-1) > 16).sum() > 500  # the boxes are drawn
    # On white, the floor under the boxes is white where lit and grey in the key light's shadow.
    grey = (shadowed.max(axis=-1) - shadowed.min(axis=-1) < 12) & (shadowed.mean(axis=-1) < 200)
    assert grey.sum() > 50, "no shadow on the floor"


def test_our_renderer_refuses_shadows_rather_than_ignore_them() -> None:
    with pytest.raises(RendererSettingError, match=r"look.shadows = true needs look.renderer = 'pyrender'"):
        open_renderer(32, 32, shadows=True)


def test_a_missing_pyrender_is_one_clear_error(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pyrender", None)  # what an environment without it raises
    with pytest.raises(PyrenderUnavailableError, match=r"pip install 'rerender\[pyrender\]'"):
        open_renderer(32, 32, renderer="pyrender")


def test_cli_names_the_missing_extra(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pyrender", None)
    args = ["render", str(DATA / "boxes3d.rrd"), "-o", str(tmp_path / "x.png"), "--renderer", "pyrender"]
    done = CliRunner().invoke(main, args)
    assert done.exit_code != 0
    assert "rerender[pyrender]" in done.output and "Traceback" not in done.output


def test_textures_are_the_right_way_up(backends) -> None:
    """A quad whose texture is red in the image's top rows and blue below, with Rerun's (glTF's) texture
    coordinates: both backends show red at the top of the quad."""
    ours, theirs = backends
    texture = np.zeros((4, 4, 3), np.uint8)
    texture[:2], texture[2:] = (255, 0, 0), (0, 0, 255)
    vertices = np.array([[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]], np.float32)
    texcoords = np.array([[0, 1], [1, 1], [1, 0], [0, 0]], np.float32)  # v = 0: the image's top row
    triangles = np.array([[0, 1, 2], [0, 2, 3]], np.uint32)
    quad = MeshVisual("/quad", vertices, triangles, texcoords=texcoords, texture=texture)
    camera = CameraPose(np.array([0.0, 0.0, 4.0]), np.zeros(3), np.array([0.0, 1.0, 0.0]))
    for image in (ours.render(Scene(meshes=(quad,)), camera), theirs.render(Scene(meshes=(quad,)), camera)):
        top, bottom = image[H // 2 - 25, W // 2].astype(int), image[H // 2 + 25, W // 2].astype(int)
        assert top[0] > 200 and top[2] < 60, f"top of the quad is {top}, expected red"
        assert bottom[2] > 200 and bottom[0] < 60, f"bottom of the quad is {bottom}, expected blue"
