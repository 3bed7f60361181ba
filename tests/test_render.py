"""The GL renderer and the default camera, checked by pixels (with tolerances, not hashes)."""

from __future__ import annotations

import numpy as np
import pytest

from rerender.camera.framing import CameraPose, default_camera, look_at
from rerender.render import Renderer
from rerender.render.renderer import BACKGROUND, world_radii
from rerender.scene.visuals import LinesVisual, MeshVisual, PointsVisual, Scene

W, H = 160, 120
FRONT = CameraPose(eye=np.array([0.0, -5.0, 0.0]), target=np.zeros(3), up=np.array([0.0, 0.0, 1.0]))
BG = np.array(BACKGROUND) * 255


@pytest.fixture(scope="module")
def renderer():
    with Renderer(W, H) as r:
        yield r


def points(positions, colors, radius=0.5) -> PointsVisual:
    n = len(positions)
    return PointsVisual(
        "/p",
        np.asarray(positions, np.float32),
        np.asarray(colors, np.uint8).reshape(n, 4),
        np.full(n, radius, np.float32),
    )


def is_background(pixel) -> bool:
    return bool(np.all(np.abs(pixel.astype(float) - BG) < 8))


def test_red_sphere_at_origin_is_centered_and_red(renderer) -> None:
    image = renderer.render(Scene(points=(points([[0, 0, 0]], [255, 0, 0, 255]),)), FRONT)
    assert image.shape == (H, W, 3) and image.dtype == np.uint8
    r, g, b = image[H // 2, W // 2].astype(int)
    assert r > 120 and g < 40 and b < 40
    red = (image[..., 0] > 100) & (image[..., 1] < 60)
    ys, xs = np.nonzero(red)
    assert abs(xs.mean() - W / 2) < 2 and abs(ys.mean() - H / 2) < 2
    assert all(is_background(image[y, x]) for y, x in [(2, 2), (2, W - 3), (H - 3, 2), (H - 3, W - 3)])


def test_each_point_keeps_its_color_and_side(renderer) -> None:
    scene = Scene(points=(points([[-1.5, 0, 0], [1.5, 0, 0]], [[0, 255, 0, 255], [0, 0, 255, 255]], 0.4),))
    image = renderer.render(scene, FRONT).astype(int)
    left, right = image[H // 2, : W // 2], image[H // 2, W // 2 :]
    assert (left[:, 1] > 120).any() and not (left[:, 2] > 120).any()
    assert (right[:, 2] > 120).any() and not (right[:, 1] > 120).any()


def test_z_up_is_up_in_the_image(renderer) -> None:
    image = renderer.render(Scene(points=(points([[0, 0, 1.2]], [255, 255, 0, 255], 0.3),)), FRONT).astype(
        int
    )
    ys, _ = np.nonzero((image[..., 0] > 100) & (image[..., 1] > 100) & (image[..., 2] < 60))
    assert ys.mean() < H / 2 - 10


def test_lines_and_meshes_draw(renderer) -> None:
    line = LinesVisual(
        "/l",
        (np.array([[-2, 0, -1], [2, 0, -1]], np.float32),),
        np.array([[255, 0, 255, 255]], np.uint8),
        np.array([0.05], np.float32),
    )
    tri = MeshVisual(
        "/m",
        np.array([[-1, 0, 0.5], [1, 0, 0.5], [0, 0, 1.5]], np.float32),
        np.array([[0, 1, 2]], np.uint32),
        color=(0, 255, 255, 255),
    )
    image = renderer.render(Scene(lines=(line,), meshes=(tri,)), FRONT).astype(int)
    magenta = (image[..., 0] > 100) & (image[..., 2] > 100) & (image[..., 1] < 60)
    cyan = (image[..., 1] > 100) & (image[..., 2] > 100) & (image[..., 0] < 60)
    ys, _ = np.nonzero(magenta)
    assert magenta.sum() > 50 and ys.mean() > H / 2  # the line is below the center
    ys, _ = np.nonzero(cyan)
    assert cyan.sum() > 50 and ys.mean() < H / 2  # the triangle above it


def test_same_scene_renders_identically(renderer) -> None:
    scene = Scene(points=(points([[0, 0, 0], [1, 1, 1]], [[255, 0, 0, 255], [0, 255, 0, 255]]),))
    assert np.array_equal(renderer.render(scene, FRONT), renderer.render(scene, FRONT))


def test_ui_point_radii_scale_with_distance() -> None:
    near, far = np.array([[0, -4, 0]], np.float32), np.array([[0, 5, 0]], np.float32)
    r_near = world_radii(np.array([-2.0]), near, FRONT, 720)[0]
    r_far = world_radii(np.array([-2.0]), far, FRONT, 720)[0]
    assert r_far > r_near > 0 and r_far / r_near == pytest.approx(10.0, rel=1e-3)
    assert world_radii(np.array([0.3]), near, FRONT, 720)[0] == pytest.approx(0.3)


def test_default_camera_frames_from_behind_left_above() -> None:
    camera = default_camera((np.array([-1.0, -1, -1]), np.array([1.0, 1, 1])), np.array([0.0, 0, 1]))
    assert np.allclose(camera.target, 0)
    assert np.linalg.norm(camera.eye - camera.target) == pytest.approx(1.5 * np.sqrt(3))
    assert camera.eye[0] < 0 and camera.eye[1] < 0 and camera.eye[2] > 0
    assert camera.fov_y_deg == 55.0
    pose = look_at(camera.eye, camera.target, camera.up)
    forward = -pose[:3, 2]
    assert np.allclose(forward, (camera.target - camera.eye) / np.linalg.norm(camera.target - camera.eye))
