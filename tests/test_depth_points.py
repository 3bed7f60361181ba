"""A DepthImage under a Pinhole is a back-projected point cloud in 3D, as in Rerun's 3D view.

Rerun (re_view_spatial `depth_images.rs`, `process_depth_image_data` / `process_entity_view_as_depth_cloud`,
and re_renderer's `depth_cloud.wgsl`): pixel (u, v) with depth d = value / meter becomes the RDF point
((u - cx)·d/fx, (v - cy)·d/fy, d) (integer pixel coordinates), skipping 0 and non-finite depths; colour
from the colormap over the depth range (default 0 to the largest value); radius
fill_ratio · d · tan(fov_y / 2) / (h / 2); no textured quad in 3D.
"""

from __future__ import annotations

from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from click.testing import CliRunner

import rerender
import rerender as rr
from rerender._turbo import TURBO
from rerender.cli import main
from rerender.scene import evaluate as evaluate_scene
from rerender.scene import in_world


def evaluate(*args, **kwargs):
    """The scene in world coordinates (visuals' world matrices applied), as these tests read it."""
    return in_world(evaluate_scene(*args, **kwargs))


# 8x6 image: fx = 4, fy = 5, principal point (4, 3).
K = np.array([[4.0, 0.0, 4.0], [0.0, 5.0, 3.0], [0.0, 0.0, 1.0]])
W, H = 8, 6
# A 90° turn about +Z, then a translation: world = R @ camera + T.
R = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
T = np.array([1.0, 2.0, 3.0])
# (u, v) -> raw depth in millimetres; every other pixel is 0 (no depth).
DEPTHS = {(1, 2): 500, (6, 4): 2000, (3, 0): 1000}


def depth_image(dtype=np.uint16) -> np.ndarray:
    img = np.zeros((H, W), dtype)
    for (u, v), d in DEPTHS.items():
        img[v, u] = d
    return img


def write(path: Path, log) -> Path:
    rec = rr.RecordingStream("t", recording_id="r", batcher_config=rr.ChunkBatcherConfig.NEVER())
    rec.save(path)
    rec.set_time("frame", sequence=0)
    log(rec)
    rec.disconnect()
    return path


def scene_of(tmp_path: Path, log):
    path = write(tmp_path / "depth.rrd", log)
    return evaluate(rerender.load(path).latest_at("frame", 0))


def log_camera(rec, scale: float | None = None) -> None:
    mat = R if scale is None else R * scale
    rec.log("cam", rr.Transform3D(translation=T, mat3x3=mat))
    rec.log("cam", rr.Pinhole(image_from_camera=K, resolution=[W, H]))


def cloud(scene, path: str = "/cam/depth"):
    (points,) = [p for p in scene.points if p.entity_path == path]
    return points


def expected_world(scale: float = 1.0) -> dict[tuple[int, int], np.ndarray]:
    out = {}
    for (u, v), raw in DEPTHS.items():
        d = raw / 1000.0
        rdf = np.array([(u - K[0, 2]) * d / K[0, 0], (v - K[1, 2]) * d / K[1, 1], d])
        out[(u, v)] = scale * R @ rdf + T
    return out


def turbo(t: float) -> np.ndarray:
    return np.round(TURBO[round(t * (len(TURBO) - 1))] * 255).astype(np.uint8)


def test_depth_image_is_a_back_projected_point_cloud(tmp_path: Path) -> None:
    def log(rec):
        log_camera(rec)
        rec.log("cam/depth", rr.DepthImage(depth_image(), meter=1000.0))

    scene = scene_of(tmp_path, log)
    pts = cloud(scene)
    # Only the three non-zero pixels, in row-major order: (3, 0), (1, 2), (6, 4).
    order = [(3, 0), (1, 2), (6, 4)]
    assert len(pts.positions) == 3
    want = expected_world()
    np.testing.assert_allclose(pts.positions, [want[k] for k in order], atol=1e-5)
    # No textured quad for the depth image in 3D (Rerun draws the cloud instead of it).
    assert not [m for m in scene.meshes if m.entity_path == "/cam/depth"]
    # Radius: one pixel's width at the point's depth (resolution = image size, fill ratio 1): d / fy.
    depths = np.array([DEPTHS[k] / 1000.0 for k in order])
    np.testing.assert_allclose(pts.radii, depths / K[1, 1], rtol=1e-6)
    assert pts.radii[1] < pts.radii[2] and pts.radii[0] < pts.radii[2]
    # Colours: Turbo over 0..2000 (the largest value), opaque; near is the blue end, far the red end.
    np.testing.assert_array_equal(pts.colors[:, :3], [turbo(0.5), turbo(0.25), turbo(1.0)])
    assert (pts.colors[:, 3] == 255).all()
    near, far = pts.colors[1, :3].astype(int), pts.colors[2, :3].astype(int)
    assert near[2] > near[0] and far[0] > far[2]


def test_depth_cloud_options_and_scale(tmp_path: Path) -> None:
    def log(rec):
        log_camera(rec, scale=2.0)
        rec.log(
            "cam/depth",
            rr.DepthImage(
                depth_image(), meter=1000.0, colormap="grayscale", depth_range=[0, 4000], point_fill_ratio=0.5
            ),
        )

    pts = cloud(scene_of(tmp_path, log))
    order = [(3, 0), (1, 2), (6, 4)]
    # The camera's scale of 2 stretches the cloud about the camera and its radii alike.
    want = expected_world(scale=2.0)
    np.testing.assert_allclose(pts.positions, [want[k] for k in order], atol=1e-5)
    depths = np.array([DEPTHS[k] / 1000.0 for k in order])
    np.testing.assert_allclose(pts.radii, 2.0 * 0.5 * depths / K[1, 1], rtol=1e-5)
    # Grayscale over the logged range 0..4000: the value / 4000, nearer darker.
    gray = np.round(np.array([1000, 500, 2000]) / 4000 * 255)
    np.testing.assert_array_equal(pts.colors[:, :3], np.repeat(gray[:, None], 3, axis=1))


def test_float_depth_skips_nan_inf_and_zero(tmp_path: Path) -> None:
    img = depth_image(np.float32) / 1000.0  # metres; float images default to meter = 1
    img[0, 0], img[0, 1], img[5, 7], img[5, 6] = np.nan, np.inf, -1.0, 0.0

    def log(rec):
        log_camera(rec)
        rec.log("cam/depth", rr.DepthImage(img))

    pts = cloud(scene_of(tmp_path, log))
    want = expected_world()
    np.testing.assert_allclose(pts.positions, [want[k] for k in [(3, 0), (1, 2), (6, 4)]], atol=1e-5)


def test_a_depth_image_without_a_pinhole_is_not_drawn(tmp_path: Path) -> None:
    def log(rec):
        rec.log("depth", rr.DepthImage(depth_image(), meter=1000.0))

    scene = scene_of(tmp_path, log)
    assert not scene.points and not scene.meshes


def test_depth_points_render_where_the_pinhole_sees_them(tmp_path: Path) -> None:
    # Seen through the pinhole itself, the point of pixel (u, v) projects back to image position (u, v):
    # (20u, 20v) in a 160x120 render, with a radius of one depth pixel (20 px).
    depth = np.zeros((H, W), np.uint16)
    depth[2, 2] = 500  # near: t = 1/6, Turbo's blue
    depth[4, 6] = 3000  # far: t = 1, Turbo's dark red

    def log(rec):
        log_camera(rec)
        rec.log("cam/depth", rr.DepthImage(depth, meter=1000.0))

    path = write(tmp_path / "render.rrd", log)
    png = tmp_path / "still.png"
    args = ["render", str(path), "-o", str(png), "--still", "0", "--size", "160x120", "-q"]
    args += ["--camera", "pinhole", "--set", "camera.entity=/cam"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    image = iio.imread(png).astype(int)
    assert image.shape[:2] == (120, 160)

    near, far, empty = image[40, 40, :3], image[80, 120, :3], image[20, 120, :3]
    assert near[2] > 120 and near[2] > near[0] + 40, f"near point not blue at (40, 40): {near}"
    assert far[0] > 50 and far[0] > far[1] + 30 and far[0] > far[2] + 30, f"far point not red: {far}"
    assert (np.abs(empty - empty.mean()) < 6).all() and empty.mean() < 60, f"not background: {empty}"
    # The points are one depth pixel wide: pixels 30 px away from either are background.
    for u, v in [(40 + 30, 40), (120 - 30, 80), (40, 40 + 30)]:
        assert image[v, u, :3].mean() < 60, f"({u}, {v}) is lit: {image[v, u]}"


@pytest.mark.parametrize("n", [640 * 480])
def test_a_vga_depth_image_is_one_visual_of_every_valid_pixel(tmp_path: Path, n: int) -> None:
    rng = np.random.default_rng(0)
    depth = rng.integers(0, 5000, size=(480, 640), dtype=np.uint16)

    def log(rec):
        rec.log("cam", rr.Pinhole(focal_length=500, width=640, height=480))
        rec.log("cam/depth", rr.DepthImage(depth, meter=1000.0))

    pts = cloud(scene_of(tmp_path, log))
    assert len(pts.positions) == int((depth > 0).sum()) and depth.size == n
    v, u = np.nonzero(depth)
    np.testing.assert_allclose(pts.positions[:, 2], depth[v, u] / 1000.0, rtol=1e-6)
    np.testing.assert_allclose(pts.positions[:, 0], (u - 320) * depth[v, u] / 1000.0 / 500, atol=1e-5)
