"""The GL renderer and the default camera, checked by pixels (with tolerances, not hashes)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from rerender.camera.framing import CameraPose, default_camera, look_at
from rerender.render import Look, Renderer
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
    line = LinesVisual.from_strips(
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


# -- what the shaders promise: sphere depth and shading, round caps, the grid, RGBA, thousands of points ---


def test_rgba_frames_match_rgb_frames(renderer) -> None:
    scene = Scene(points=(points([[0, 0, 0], [1, 0, 1]], [[255, 0, 0, 255], [0, 255, 0, 255]]),))
    rgba = renderer.render_rgba(scene, FRONT)
    assert rgba.shape == (H, W, 4) and (rgba[..., 3] == 255).all()
    assert np.array_equal(rgba[..., :3], renderer.render(scene, FRONT))


def test_points_are_shaded_like_rerun_brightest_at_the_center(renderer) -> None:
    image = renderer.render(Scene(points=(points([[0, 0, 0]], [200, 0, 0, 255], 1.0),)), FRONT).astype(int)
    reds = image[H // 2, :, 0]
    inside = np.nonzero(reds > 60)[0]
    center, rim = reds[W // 2], reds[inside[2]]  # a pixel just inside the silhouette's edge
    assert center > rim + 50, (center, rim)
    assert image[H // 2, W // 2, 0] >= 200  # Rerun's gradient brightens the middle a little (sqrt 1.2)


@pytest.mark.parametrize(("green_y", "center_is"), [(-0.8, "green"), (-0.3, "red")])
def test_sphere_depth_is_the_true_surface(renderer, green_y: float, center_is: str) -> None:
    # A small green sphere straddles a big red one's front: its own front (y - 0.5) is in front of the red
    # surface (y = -1) only when green_y < -0.5. Impostors with the depth of their center would show green
    # in both cases, since green's center is always nearer the eye than red's.
    scene = Scene(
        points=(
            points([[0, 0, 0]], [255, 0, 0, 255], 1.0),
            points([[0, green_y, 0]], [0, 255, 0, 255], 0.5),
        )
    )
    r, g, _ = renderer.render(scene, FRONT)[H // 2, W // 2].astype(int)
    assert (g > 2 * r) if center_is == "green" else (r > 2 * g), (r, g)


def test_lines_have_round_caps_beyond_their_ends(renderer) -> None:
    line = LinesVisual.from_strips(
        "/l",
        (np.array([[-1, 0, 0], [1, 0, 0]], np.float32),),
        np.array([[255, 0, 255, 255]], np.uint8),
        np.array([0.5], np.float32),
    )
    image = renderer.render(Scene(lines=(line,)), FRONT)
    camera_px = H / (2 * 5 * np.tan(np.radians(55 / 2)))  # pixels per world unit at the line's depth

    def pixel(x: float, z: float):
        return image[round(H / 2 - z * camera_px), round(W / 2 + x * camera_px)]

    assert pixel(1.35, 0)[0] > 150  # inside the cap, past the end point
    assert is_background(pixel(1.42, 0.42))  # the square corner a flat end would have filled
    assert pixel(0, 0.4)[0] > 150 and is_background(pixel(0, 0.7))


def test_a_segment_seen_end_on_is_a_disk(renderer) -> None:
    """A capsule along the line of sight shows its round end: a disk of its radius, not a sliver."""
    line = LinesVisual.from_strips(
        "/l",
        (np.array([[0, -1, 0], [0, 1, 0]], np.float32),),  # along FRONT's view axis
        np.array([[255, 0, 255, 255]], np.uint8),
        np.array([0.3], np.float32),
    )
    drawn = ~np.all(np.abs(renderer.render(Scene(lines=(line,)), FRONT).astype(float) - BG) < 8, axis=2)
    assert drawn.any()
    rows, cols = np.nonzero(drawn)
    height, width = np.ptp(rows) + 1, np.ptp(cols) + 1
    assert abs(height - width) <= 2  # round
    px_at_near_end = H / (2 * 4 * np.tan(np.radians(55 / 2)))  # the near end is 4 units from the eye
    assert abs(width - 2 * 0.3 * px_at_near_end) <= 3
    assert drawn.sum() > 0.8 * np.pi * (width / 2) ** 2  # filled, not a ring or a wedge


def test_grid_is_drawn_on_request_in_the_ground_plane() -> None:
    above = CameraPose(eye=np.array([0.0, -6.0, 3.0]), target=np.zeros(3), up=np.array([0.0, 0.0, 1.0]))
    with Renderer(W, H, Look(grid=True)) as with_grid, Renderer(W, H) as without:
        gridded = with_grid.render(Scene(), above).astype(int)
        plain = without.render(Scene(), above).astype(int)
    assert all(is_background(p) for p in plain.reshape(-1, 3)[::7])
    changed = np.abs(gridded - plain).sum(axis=2) > 6
    assert changed.sum() > 200
    assert gridded.max() < 128  # faint: Rerun's grid is grey at a quarter opacity

    def pixel(world) -> tuple[int, int]:
        view = np.linalg.inv(look_at(above.eye, above.target, above.up)) @ np.array([*world, 1.0])
        f = H / 2 / np.tan(np.radians(above.fov_y_deg) / 2)
        return round(H / 2 - f * view[1] / -view[2]), round(W / 2 + f * view[0] / -view[2])

    assert changed[pixel((0, 0, 0))] and changed[pixel((1, 0, 0))]  # where grid lines cross
    assert not changed[pixel((0.5, 0.5, 0))] and not changed[pixel((-1.5, 0.5, 0))]  # inside cells
    assert not changed[:3].any()  # above the horizon


def test_ten_thousand_points_each_keep_their_color(renderer) -> None:
    rng = np.random.default_rng(7)
    n = 10_000
    positions = rng.uniform(-1.5, 1.5, (n, 3)).astype(np.float32)
    positions[:, 1] = 0.0  # one plane facing the camera: none hides another completely
    left = positions[:, 0] < 0
    colors = np.where(left[:, None], [[255, 0, 0, 255]], [[0, 0, 255, 255]]).astype(np.uint8)
    image = renderer.render(Scene(points=(points(positions, colors, 0.01),)), FRONT).astype(int)
    red = (image[..., 0] > 80) & (image[..., 2] < 40)
    blue = (image[..., 2] > 80) & (image[..., 0] < 40)
    assert red.sum() > 500 and blue.sum() > 500
    assert np.nonzero(red)[1].max() <= W // 2 + 1 and np.nonzero(blue)[1].min() >= W // 2 - 1


def test_msaa_smooths_mesh_edges() -> None:
    # A tilted white triangle on the dark background: without MSAA its edge pixels are either colour;
    # with 4x MSAA the edge has in-between greys. Points and lines are smooth either way.
    tri = MeshVisual(
        "/m",
        np.array([[-1.5, 0, -1.0], [1.5, 0, -0.6], [0, 0, 1.4]], np.float32),
        np.array([[0, 1, 2]], np.uint32),
        color=(255, 255, 255, 255),
    )
    levels = {}
    for msaa in (0, 4):
        with Renderer(W, H, Look(msaa=msaa)) as r:
            grey = r.render(Scene(meshes=(tri,)), FRONT)[..., 0].astype(int)
        levels[msaa] = ((grey > BG[0] + 10) & (grey < 245)).sum()
    assert levels[0] == 0 and levels[4] > 40, levels
    with pytest.raises(ValueError, match="msaa"):
        Look(msaa=3)


def test_nan_and_inf_are_skipped_and_the_rest_is_drawn(renderer) -> None:
    positions = [[0, 0, 0], [np.nan, 0, 0], [np.inf, 1, 1], [1, np.nan, 1], [0, -5, 0]]  # last: at the eye
    colors = np.full((5, 4), 255, np.uint8)
    visual = PointsVisual(
        "/p", np.array(positions, np.float32), colors, np.array([0.5, 0.5, np.nan, -np.inf, 0.5], np.float32)
    )
    strip = LinesVisual.from_strips(
        "/l",
        (np.array([[np.nan, 0, 0], [1, 0, -1], [np.inf, 0, 0]], np.float32), np.zeros((0, 3), np.float32)),
        np.array([[255, 0, 0, 255]], np.uint8),
        np.array([0.05], np.float32),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from numpy reaches the user
        image = renderer.render(Scene(points=(visual,), lines=(strip,)), FRONT).astype(int)
    assert (image[H // 2, W // 2] > 200).all()  # the one good sphere
    assert is_background(image[5, 5])


def test_lines_ignore_alpha_as_in_rerun(renderer) -> None:
    def strip(alpha: int) -> LinesVisual:
        return LinesVisual.from_strips(
            "/l",
            [np.array([[-1, 0, 0], [1, 0, 0]], np.float32)],
            np.array([[255, 0, 0, alpha]], np.uint8),
            np.array([0.2], np.float32),
        )

    faint, solid = (renderer.render(Scene(lines=(strip(a),)), FRONT) for a in (40, 255))
    assert np.array_equal(faint, solid) and solid[H // 2, W // 2, 0] > 200


def test_labels_are_drawn_above_their_point(renderer) -> None:
    from rerender.scene.visuals import LabelsVisual

    point = points([[0, 0, 0]], [255, 255, 0, 255], 0.1)
    label = LabelsVisual(
        "/p", np.zeros((1, 3), np.float32), ("hello",), np.array([[255, 255, 0, 255]], np.uint8)
    )
    plain = renderer.render(Scene(points=(point,)), FRONT).astype(int)
    labelled = renderer.render(Scene(points=(point,), labels=(label,)), FRONT).astype(int)
    changed = np.abs(labelled - plain).sum(axis=2) > 30
    ys, xs = np.nonzero(changed)
    assert changed.sum() > 40
    assert ys.max() < H / 2 and abs(xs.mean() - W / 2) < 4  # a box centered just above the point
    assert np.array_equal(labelled[H // 2 + 3 :], plain[H // 2 + 3 :])  # nothing below it changes
