"""Each 3D archetype renders: log one distinctively colored object, render a still, check its pixels.

Positions are checked against where the renderer's own camera (the job's plan) puts the object's world
points, so the tests do not depend on the framing heuristics. Colors are matched by hue (the dominant
channel clearly above the others) because lighting darkens and tints them. Renders of failing tests are
kept in /tmp/archetype_renders/ for inspection.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from click.testing import CliRunner

import rerender
import rerender as rr
from rerender.camera.framing import CameraPose, scene_camera
from rerender.camera.specs import RerunCamera
from rerender.cli import main
from rerender.pipeline.render_job import RenderJob, plan
from rerender.pipeline.settings import OutputSettings, RenderSettings
from rerender.render import Renderer
from rerender.scene import evaluate as evaluate_scene
from rerender.scene import in_world
from rerender.values import Size


def evaluate(*args, **kwargs):
    """The scene in world coordinates (visuals' world matrices applied), as these tests read it."""
    return in_world(evaluate_scene(*args, **kwargs))


W, H = 160, 120
RED, GREEN, BLUE = 0, 1, 2
KEEP = Path("/tmp/archetype_renders")


@pytest.fixture(autouse=True)
def keep_failed_renders(request, tmp_path: Path):
    """Copy the PNGs of a failing test to /tmp/archetype_renders/<test>_<file>.png."""
    failed_before = request.session.testsfailed
    yield
    if request.session.testsfailed > failed_before:
        KEEP.mkdir(parents=True, exist_ok=True)
        for png in tmp_path.glob("*.png"):
            shutil.copy(png, KEEP / f"{request.node.name}_{png.name}")


@dataclass
class Shot:
    image: np.ndarray
    camera: CameraPose

    def at(self, point) -> np.ndarray:
        """Pixel (u, v) of a world point."""
        return np.array(project(np.asarray(point, dtype=np.float64), self.camera))

    def reach(self, point, radius: float) -> float:
        """Pixels a sphere of `radius` around a world point extends to, plus a little slack."""
        right = self.camera.matrix()[:3, 0]
        spread = np.hypot(*(self.at(np.add(point, radius * right)) - self.at(point)))
        return 1.3 * spread + 2


def project(point: np.ndarray, camera: CameraPose) -> tuple[float, float]:
    """Pixel position of a world point seen by `camera` (OpenGL conventions, as the renderer)."""
    view = np.linalg.inv(camera.matrix())
    x, y, z, _ = view @ np.append(point, 1.0)
    f = 1 / np.tan(np.radians(camera.fov_y_deg) / 2)
    return (1 + f * (x / -z) * H / W) / 2 * W, (1 - f * (y / -z)) / 2 * H


def shoot(tmp_path: Path, log, name: str = "still") -> Shot:
    """Record with `log(rec)` at frame 0, render frame 0 with the CLI, return the image and its camera."""
    path = tmp_path / f"{name}.rrd"
    rec = rr.RecordingStream("t", recording_id="r", batcher_config=rr.ChunkBatcherConfig.NEVER())
    rec.save(path)
    rec.set_time("frame", sequence=0)
    log(rec)
    rec.disconnect()
    png = tmp_path / f"{name}.png"
    result = CliRunner().invoke(
        main,
        [
            "render",
            str(path),
            "-o",
            str(png),
            "--still",
            "0",
            "--size",
            f"{W}x{H}",
            "-q",
            "--camera",
            "rerun",
        ],
    )
    assert result.exit_code == 0, result.output
    image = iio.imread(png)
    assert image.shape == (H, W, 3)
    return Shot(image, render_camera(path))


def render_camera(path: Path) -> CameraPose:
    """The camera `rerender render --camera rerun` used for the still at frame 0 (Rerun's default eye:
    these tests' sizes and distances were chosen for it)."""
    settings = RenderSettings(output=OutputSettings(size=Size(W, H)), camera=RerunCamera())
    job_plan = plan(RenderJob(rerender.load(path), Path("unused.png"), settings))
    return job_plan.rig.pose_at(job_plan.frame_time_of(0))


def hue(image: np.ndarray, channel: int, min_value: int = 60, margin: int = 30) -> np.ndarray:
    """Pixels whose `channel` is bright and clearly above both other channels."""
    img = image.astype(int)
    a, b = (c for c in range(3) if c != channel)
    top = np.maximum(img[..., a], img[..., b])
    return (img[..., channel] > min_value) & (img[..., channel] - top > margin)


def gray(image: np.ndarray, min_value: int = 45) -> np.ndarray:
    """Unsaturated pixels clearly brighter than the background."""
    img = image.astype(int)
    return (img.max(axis=-1) - img.min(axis=-1) < 40) & (img.mean(axis=-1) > min_value)


def background(image: np.ndarray) -> np.ndarray:
    """Pixels of Rerun's dark gray background (#1a1a1a)."""
    img = image.astype(int)
    return (np.abs(img - 26) <= 4).all(axis=-1)


def distances(mask: np.ndarray, uv) -> np.ndarray:
    ys, xs = np.nonzero(mask)
    return np.hypot(xs - uv[0], ys - uv[1])


def count_near(mask: np.ndarray, uv, radius: float) -> int:
    return int((distances(mask, uv) <= radius).sum())


def centroid(mask: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(mask)
    assert len(xs), "no pixels of the expected color"
    return np.array([xs.mean(), ys.mean()])


def disk(uv, radius: float) -> np.ndarray:
    ys, xs = np.mgrid[0:H, 0:W]
    return np.hypot(xs - uv[0], ys - uv[1]) <= radius


def assert_blob(mask: np.ndarray, uv, *, radius: float, min_pixels: int = 5, tol: float = 3.0) -> None:
    """Enough pixels of the mask, all within `radius` of `uv`, centered on it within `tol` pixels."""
    d = distances(mask, uv)
    assert len(d) >= min_pixels, f"only {len(d)} pixels of the color (expected >= {min_pixels}) near {uv}"
    assert d.max() <= radius, f"colored pixels up to {d.max():.1f} px from {uv} (allowed {radius})"
    c = centroid(mask)
    assert np.hypot(*(c - uv)) <= tol, f"centroid {c} is not at the projected {uv}"


def assert_background_away_from(image: np.ndarray, centers, radius: float) -> None:
    """Everything farther than `radius` from every center is background."""
    far = np.ones((H, W), bool)
    for uv in centers:
        far &= ~disk(uv, radius)
    assert far.sum() > 0.3 * W * H, "test setup: too little of the image is 'far'"
    bad = far & ~background(i := image)
    assert not bad.any(), f"{int(bad.sum())} non-background pixels far from the objects, e.g. {i[bad][:3]}"


FRAME = 3.0  # framing references at -/+ (3, 3, 3) put the tested object, at the origin, mid-image


def frame(r, half: float = FRAME) -> None:
    """Two small magenta points at opposite corners: the camera then looks at the origin."""
    r.log("frame_refs", rr.Points3D([[-half] * 3, [half] * 3], colors=[255, 0, 255], radii=0.15))


def frame_refs(shot: Shot, half: float = FRAME) -> list[np.ndarray]:
    return [shot.at([-half] * 3), shot.at([half] * 3)]


def assert_inside_projection(mask: np.ndarray, shot: Shot, lo, hi, slack: float = 2) -> None:
    """Every pixel of the mask lies within the projected bounding rectangle of the world box lo..hi."""
    corners = np.array(
        [shot.at([x, y, z]) for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])]
    )
    ys, xs = np.nonzero(mask)
    assert len(xs), "no pixels of the expected color"
    (u0, v0), (u1, v1) = corners.min(axis=0) - slack, corners.max(axis=0) + slack
    assert xs.min() >= u0 and xs.max() <= u1 and ys.min() >= v0 and ys.max() <= v1, (
        f"pixels span x {xs.min()}..{xs.max()}, y {ys.min()}..{ys.max()}; projection is "
        f"x {u0:.0f}..{u1:.0f}, y {v0:.0f}..{v1:.0f}"
    )


# --- Points3D -------------------------------------------------------------------------------------------


def test_points3d_sphere_where_projected(tmp_path: Path) -> None:
    def log(r) -> None:
        r.log("ball", rr.Points3D([[0, 0, 0]], colors=[255, 0, 0], radii=0.3))
        r.log("ref", rr.Points3D([[4, 2, 1]], colors=[0, 0, 255], radii=0.3))

    shot = shoot(tmp_path, log)
    red, blue = shot.at([0, 0, 0]), shot.at([4, 2, 1])
    assert_blob(hue(shot.image, RED), red, radius=shot.reach([0, 0, 0], 0.3), min_pixels=30)
    assert_blob(hue(shot.image, BLUE), blue, radius=shot.reach([4, 2, 1], 0.3), min_pixels=30)
    assert_background_away_from(shot.image, [red, blue], 20)


def test_points3d_ui_radius_points_are_visible(tmp_path: Path) -> None:
    def log(r) -> None:  # 30 UI points = 5 px at 120 rows (1 UI pt is 1 px at 720)
        r.log("ui", rr.Points3D([[0, 0, 0]], colors=[255, 0, 0], radii=-30.0))
        frame(r)

    shot = shoot(tmp_path, log)
    uv = shot.at([0, 0, 0])
    red = hue(shot.image, RED)
    assert_blob(red, uv, radius=8, min_pixels=20, tol=1.5)
    assert red.sum() < np.pi * 8**2  # a few pixels wide, not world-sized


def test_points3d_default_radius_points_are_visible(tmp_path: Path) -> None:
    def log(r) -> None:  # the default radius is 1.5 UI points: a sub-pixel sphere at 120 rows
        r.log("tiny", rr.Points3D([[0, 0, 0]], colors=[255, 0, 0]))
        frame(r)

    shot = shoot(tmp_path, log)
    uv = shot.at([0, 0, 0])
    near = ~background(shot.image) & disk(uv, 3)
    assert near.any(), f"default-radius point at {uv} left no trace"


def test_points3d_per_point_colors(tmp_path: Path) -> None:
    positions = [[0, 0, 0], [3, 0, 0], [0, 3, 0]]
    colors = [[255, 0, 0], [0, 255, 0], [0, 0, 255]]

    def log(r) -> None:
        r.log("pts", rr.Points3D(positions, colors=colors, radii=0.35))
        frame(r, 4.0)

    shot = shoot(tmp_path, log)
    centers = [shot.at(p) for p in positions]
    for channel, uv, p in zip((RED, GREEN, BLUE), centers, positions, strict=True):
        assert_blob(hue(shot.image, channel), uv, radius=shot.reach(p, 0.35), min_pixels=20)
    assert_background_away_from(shot.image, [*centers, *frame_refs(shot, 4.0)], 20)


# --- LineStrips3D / Arrows3D ----------------------------------------------------------------------------


def test_linestrips3d_pixels_along_the_segment(tmp_path: Path) -> None:
    a, b = np.array([-2.0, 0, 0]), np.array([2.0, 0, 0])

    def log(r) -> None:
        r.log("line", rr.LineStrips3D([[a, b]], colors=[255, 0, 0], radii=0.04))
        frame(r)

    shot = shoot(tmp_path, log)
    red = hue(shot.image, RED)
    ua, ub = shot.at(a), shot.at(b)
    assert np.hypot(*(ub - ua)) > 40, "test setup: the segment should span many pixels"
    for t in np.linspace(0.05, 0.95, 10):
        uv = shot.at(a + t * (b - a))
        assert count_near(red, uv, 1.5) > 0, f"no line pixels at t={t:.2f} ({uv})"
    # and every red pixel lies on the projected segment
    ys, xs = np.nonzero(red)
    d = ub - ua
    rel = np.stack([xs - ua[0], ys - ua[1]], axis=1)
    off = np.abs(rel[:, 0] * d[1] - rel[:, 1] * d[0]) / np.hypot(*d)
    assert off.max() < 3, f"red pixels {off.max():.1f} px off the projected segment"
    assert_background_away_from(shot.image, [ua, ub, (ua + ub) / 2, *frame_refs(shot)], 30)


def test_arrows3d_shaft_and_tip(tmp_path: Path) -> None:
    def log(r) -> None:  # world radius 0.1: shaft radius 0.05, cone tip 0.2 long and 0.1 in radius
        r.log("arrow", rr.Arrows3D(vectors=[[4, 0, 0]], origins=[[-2, 0, 0]], colors=[0, 255, 0], radii=0.25))
        frame(r)

    shot = shoot(tmp_path, log)
    green = hue(shot.image, GREEN)
    for x in (-1.5, -0.5, 0.5, 1.5):
        assert count_near(green, shot.at([x, 0, 0]), 1.5) > 0, f"no shaft pixels at x={x}"
    shaft = shot.at([0.0, 0, 0])
    assert count_near(green, shot.at([2.0, 0, 0]), 2) > 0, "no pixels at the arrow's end"
    # the cone (base radius 0.1) is wider than the shaft (radius 0.05)
    # the cone (base radius 0.25 at x=1.5) is wider than the shaft (radius 0.125): compare cross-sections
    ua, ub = shot.at([-2, 0, 0]), shot.at([2, 0, 0])
    d = (ub - ua) / np.hypot(*(ub - ua))
    ys, xs = np.nonzero(green)
    rel = np.stack([xs - ua[0], ys - ua[1]], axis=1)
    along, across = rel @ d, np.abs(rel @ [-d[1], d[0]])

    def width(x: float) -> float:
        s = (shot.at([x, 0, 0]) - ua) @ d
        section = across[np.abs(along - s) <= 0.5]
        return float(section.max()) if len(section) else 0.0

    assert width(1.6) > 1.4 * width(0.0), f"tip half-width {width(1.6)} vs shaft {width(0.0)}"
    assert count_near(green, shot.at([2.4, 0, 0]), 2) == 0, "pixels beyond the arrow's end"
    assert_background_away_from(
        shot.image, [shot.at([-2, 0, 0]), shaft, shot.at([2, 0, 0]), *frame_refs(shot)], 25
    )


# --- Boxes3D / Ellipsoids3D -----------------------------------------------------------------------------


def box_corners(half: float = 1.0) -> np.ndarray:
    return np.array([[x, y, z] for x in (-half, half) for y in (-half, half) for z in (-half, half)])


def box_edge_midpoints(half: float = 1.0) -> list[np.ndarray]:
    corners = box_corners(half)
    return [
        (p + q) / 2 for i, p in enumerate(corners) for q in corners[i + 1 :] if np.count_nonzero(p != q) == 1
    ]


def test_boxes3d_default_edges_and_translucent_fill(tmp_path: Path) -> None:
    def log(r) -> None:
        r.log("box", rr.Boxes3D(half_sizes=[[1, 1, 1]], colors=[255, 0, 0]))
        frame(r)

    shot = shoot(tmp_path, log)
    img = shot.image.astype(int)
    center = shot.at([0, 0, 0])
    inner = disk(center, 4)
    fill_red = img[inner][:, 0]
    # the fill: translucent red over the background, neither background nor full red
    assert (fill_red > 35).all() and (img[inner][:, 0] > img[inner][:, 1] + 10).all(), "no visible fill"
    assert fill_red.mean() < 150, "the fill is not translucent"
    # edges: brighter red than the fill at the edge midpoints (edges behind a fill face are dimmed by it)
    missing = []
    for mid in box_edge_midpoints():
        uv = np.round(shot.at(mid)).astype(int)
        patch = img[uv[1] - 1 : uv[1] + 2, uv[0] - 1 : uv[0] + 2, 0]
        if patch.max() <= fill_red.mean() + 20:
            missing.append((mid.tolist(), int(patch.max())))
    assert len(missing) <= 4, f"edges not brighter than the fill (fill red {fill_red.mean():.0f}): {missing}"
    assert_inside_projection(hue(shot.image, RED, min_value=30, margin=10), shot, [-1] * 3, [1] * 3)


def test_boxes3d_solid_fill_is_opaque(tmp_path: Path) -> None:
    def log(r) -> None:
        r.log("box", rr.Boxes3D(half_sizes=[[1, 1, 1]], colors=[255, 0, 0], fill_mode="solid"))
        # behind the box as the camera sees it: hidden by an opaque box
        r.log("hidden", rr.Points3D([[0, 0, 0]], colors=[0, 0, 255], radii=0.5))
        frame(r)

    shot = shoot(tmp_path, log)
    red = hue(shot.image, RED)
    corners = np.array([shot.at(c) for c in box_corners()])
    lo, hi = corners.min(axis=0), corners.max(axis=0)
    center = shot.at([0, 0, 0])
    inner = disk(center, 0.25 * min(hi - lo))
    assert red[inner].all(), f"{int((~red & inner).sum())} non-red pixels inside the solid box"
    assert not hue(shot.image, BLUE).any(), "the point inside the solid box shows through"
    ys, xs = np.nonzero(red)
    assert xs.min() >= lo[0] - 2 and xs.max() <= hi[0] + 2 and ys.min() >= lo[1] - 2 and ys.max() <= hi[1] + 2


def test_ellipsoids3d_render_with_their_extent(tmp_path: Path) -> None:
    def log(r) -> None:
        r.log(
            "egg",
            rr.Ellipsoids3D(half_sizes=[[2, 0.5, 0.5]], colors=[0, 255, 0], fill_mode="solid"),
        )
        frame(r)

    shot = shoot(tmp_path, log)
    green = hue(shot.image, GREEN)
    for x in (-1.7, -1.0, 0.0, 1.0, 1.7):  # filled along its long axis
        assert count_near(green, shot.at([x, 0, 0]), 1.5) > 0, f"no ellipsoid pixels at x={x}"
    for x in (-2.4, 2.4):
        assert count_near(green, shot.at([x, 0, 0]), 2) == 0, f"ellipsoid pixels at x={x}, beyond its end"
    for p in ([0, 0, 1.0], [0, 0, -1.0]):  # thin across it
        assert count_near(green, shot.at(p), 1.5) == 0, f"ellipsoid pixels at {p}, outside its 0.5 half-size"
    assert_inside_projection(green, shot, [-2, -0.5, -0.5], [2, 0.5, 0.5])


def test_ellipsoids3d_default_wireframe_and_fill(tmp_path: Path) -> None:
    def log(r) -> None:
        r.log("ball", rr.Ellipsoids3D(half_sizes=[[1, 1, 1]], colors=[0, 255, 0]))
        frame(r)

    shot = shoot(tmp_path, log)
    img = shot.image.astype(int)
    center = img[disk(shot.at([0, 0, 0]), 3)]
    assert (center[:, 1] > center[:, 0] + 8).all(), "no translucent green fill at the center"
    assert center[:, 1].mean() < 150, "the default fill is not translucent"
    green = hue(shot.image, GREEN, margin=20)
    assert green.sum() > 0
    assert_inside_projection(green, shot, [-1, -1, -1], [1, 1, 1])


# --- Mesh3D / Asset3D ----------------------------------------------------------------------------------


def test_mesh3d_vertex_colors(tmp_path: Path) -> None:
    vertices = np.array([[0, 0, 0], [3, 0, 0], [0, 3, 0]], dtype=np.float32)

    def log(r) -> None:
        r.log(
            "tri",
            rr.Mesh3D(
                vertex_positions=vertices,
                triangle_indices=[[0, 1, 2]],
                vertex_colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255]],
            ),
        )

    shot = shoot(tmp_path, log)
    centroid3 = vertices.mean(axis=0)
    for channel, vertex in zip((RED, GREEN, BLUE), vertices, strict=True):
        uv = shot.at(vertex + 0.2 * (centroid3 - vertex))  # inside, near the vertex
        assert count_near(hue(shot.image, channel), uv, 2) >= 3, f"vertex {vertex} not tinted {channel}"
    # outside the projected triangle (give or take 2 px): background
    (ax, ay), (bx, by), (cx, cy) = (shot.at(v) for v in vertices)
    ys, xs = np.mgrid[0:H, 0:W]
    edges = [((ax, ay), (bx, by)), ((bx, by), (cx, cy)), ((cx, cy), (ax, ay))]
    sign = np.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax))
    inside = np.ones((H, W), bool)
    for (px, py), (qx, qy) in edges:
        cross = sign * ((qx - px) * (ys - py) - (qy - py) * (xs - px)) / np.hypot(qx - px, qy - py)
        inside &= cross > -2
    assert inside.sum() > 100
    outside = ~inside & ~background(shot.image)
    assert not outside.any(), f"{int(outside.sum())} non-background pixels outside the projected triangle"


OBJ_CUBE = b"""
v -1 -1 -1
v 1 -1 -1
v 1 1 -1
v -1 1 -1
v -1 -1 1
v 1 -1 1
v 1 1 1
v -1 1 1
f 1 3 2
f 1 4 3
f 5 6 7
f 5 7 8
f 1 2 6
f 1 6 5
f 2 3 7
f 2 7 6
f 3 4 8
f 3 8 7
f 4 1 5
f 4 5 8
"""


def test_asset3d_obj_with_albedo_factor(tmp_path: Path) -> None:
    def log(r) -> None:
        r.log("cube", rr.Asset3D(contents=OBJ_CUBE, media_type="model/obj", albedo_factor=[0, 0, 255]))
        frame(r)

    shot = shoot(tmp_path, log)
    blue = hue(shot.image, BLUE)
    center = shot.at([0, 0, 0])
    corners = np.array([shot.at(c) for c in box_corners()])
    lo, hi = corners.min(axis=0), corners.max(axis=0)
    inner = disk(center, 0.25 * min(hi - lo))
    assert blue[inner].all(), f"{int((~blue & inner).sum())} non-blue pixels inside the cube"
    ys, xs = np.nonzero(blue)
    assert xs.min() >= lo[0] - 2 and xs.max() <= hi[0] + 2 and ys.min() >= lo[1] - 2 and ys.max() <= hi[1] + 2


# --- Transform3D / InstancePoses3D ----------------------------------------------------------------------


def test_transform3d_scale(tmp_path: Path) -> None:
    def log(r) -> None:
        r.log("anchor", rr.Points3D([[0, 0, 0]], colors=[0, 0, 255], radii=0.3))
        frame(r, 4.0)
        r.log("big", rr.Transform3D(scale=3.0))
        r.log("big/p", rr.Points3D([[1, 1, 0]], colors=[255, 0, 0], radii=0.1))  # world (3, 3, 0), r 0.3

    shot = shoot(tmp_path, log)
    red = hue(shot.image, RED)
    assert_blob(red, shot.at([3, 3, 0]), radius=shot.reach([3, 3, 0], 0.3), min_pixels=20)
    assert_blob(hue(shot.image, BLUE), shot.at([0, 0, 0]), radius=shot.reach([0, 0, 0], 0.3), min_pixels=20)
    # the radius scales with it: 0.1 * 3 = 0.3 world units, as projected there
    seen = np.sqrt(red.sum() / np.pi)
    expected = (shot.reach([3, 3, 0], 0.3) - 2) / 1.3
    assert 0.7 < seen / expected < 1.3, f"scaled point is {seen:.1f} px in radius, expected {expected:.1f}"


def test_transform3d_mat3x3(tmp_path: Path) -> None:
    mat = [[0, -1, 0], [1, 0, 0], [0, 0, 2]]  # rows: a 90 degree turn about Z, then z doubled

    def log(r) -> None:
        r.log("anchor", rr.Points3D([[0, 0, 0]], colors=[0, 0, 255], radii=0.3))
        frame(r)
        r.log("m", rr.Transform3D(mat3x3=mat, translation=[1, 0, 0]))
        r.log("m/p", rr.Points3D([[2, 0, 1]], colors=[255, 0, 0], radii=0.3))  # world (1, 2, 2)

    shot = shoot(tmp_path, log)
    expected = np.array(mat, dtype=float) @ [2, 0, 1] + [1, 0, 0]
    assert np.allclose(expected, [1, 2, 2])
    assert_blob(hue(shot.image, RED), shot.at(expected), radius=shot.reach(expected, 0.3), min_pixels=20)
    assert_blob(hue(shot.image, BLUE), shot.at([0, 0, 0]), radius=shot.reach([0, 0, 0], 0.3), min_pixels=20)


def test_instance_poses3d_mesh_drawn_at_each_pose(tmp_path: Path) -> None:
    tri = np.array([[-0.5, -0.5, 0], [0.5, -0.5, 0], [0, 0.5, 0]], dtype=np.float32)

    def log(r) -> None:
        r.log("m", rr.Mesh3D(vertex_positions=tri, triangle_indices=[[0, 1, 2]], vertex_colors=[255, 0, 0]))
        r.log("m", rr.InstancePoses3D(translations=[[-3, 0, 0], [3, 0, 0]]))

    shot = shoot(tmp_path, log)
    red = hue(shot.image, RED)
    c = tri.mean(axis=0)
    left, right = shot.at(np.add(c, [-3, 0, 0])), shot.at(np.add(c, [3, 0, 0]))
    assert count_near(red, left, 4) >= 5, "no mesh at the first pose"
    assert count_near(red, right, 4) >= 5, "no mesh at the second pose"
    assert count_near(red, shot.at(c), 6) == 0, "the mesh is drawn at its un-posed place"
    assert_background_away_from(shot.image, [left, right], 18)


# --- Pinhole / ViewCoordinates --------------------------------------------------------------------------


def test_pinhole_frustum_and_points2d(tmp_path: Path) -> None:
    # 200x150 image, f=100, principal point at the center; plane 2 units away along the camera's +Z (RDF)
    def log(r) -> None:
        r.log("cam", rr.Transform3D(translation=[0, 0, 0]))
        r.log("cam", rr.Pinhole(focal_length=100, width=200, height=150, image_plane_distance=2.0))
        r.log("cam/pts", rr.Points2D([[150, 75]], colors=[255, 0, 0], radii=10))  # camera (1, 0, 2)
        frame(r)

    shot = shoot(tmp_path, log)
    # Points2D under the pinhole: unprojected onto the image plane, radius 10 px -> 0.2 world units
    assert_blob(hue(shot.image, RED), shot.at([1, 0, 2]), radius=12, min_pixels=10)
    # frustum: lines from the origin to the 4 plane corners, and the plane's rectangle
    corners = np.array([[-2, -1.5, 2], [2, -1.5, 2], [2, 1.5, 2], [-2, 1.5, 2]], dtype=float)
    lines = gray(shot.image)
    missing = []
    for corner in corners:
        for t in (0.3, 0.6):
            if count_near(lines, shot.at(t * corner), 1.5) == 0:
                missing.append(("ray", corner.tolist(), t))
    for i in range(4):
        mid = (corners[i] + corners[(i + 1) % 4]) / 2
        if count_near(lines, shot.at(mid), 1.5) == 0:
            missing.append(("rect", mid.tolist()))
    assert not missing, f"frustum lines missing at {missing}"


def test_view_coordinates_y_up(tmp_path: Path) -> None:
    def log(r) -> None:
        r.log("/", rr.ViewCoordinates.RIGHT_HAND_Y_UP, static=True)
        frame(r)
        r.log("low", rr.Points3D([[0, 0, 0]], colors=[0, 0, 255], radii=0.3))
        r.log("high", rr.Points3D([[0, 3, 0]], colors=[255, 0, 0], radii=0.3))

    shot = shoot(tmp_path, log)
    assert np.allclose(scene_camera([evaluate({})]).up, [0, 0, 1])  # sanity: +Z up without it
    assert np.allclose(shot.camera.up, [0, 1, 0])
    high, low = centroid(hue(shot.image, RED)), centroid(hue(shot.image, BLUE))
    assert np.allclose(high, shot.at([0, 3, 0]), atol=3) and np.allclose(low, shot.at([0, 0, 0]), atol=3)
    du, dv = high - low
    assert dv < -40, f"+Y is not up on screen: red at {high}, blue at {low}"
    assert abs(du) < 0.2 * abs(dv), f"+Y is not straight up on screen: red at {high}, blue at {low}"


def test_image_under_a_pinhole_shows_on_its_plane_the_right_way_up(tmp_path: Path) -> None:
    # A 20x20 image in quadrants (top-left red, top-right green, bottom-left blue, bottom-right white) on a
    # plane 2 units in front of the camera, seen from behind the camera: it reads as it would in an
    # image viewer. The camera looks down world +Z with image "down" along +Y (RDF).
    pixels = np.zeros((20, 20, 3), np.uint8)
    pixels[:10, :10], pixels[:10, 10:] = [255, 0, 0], [0, 255, 0]
    pixels[10:, :10], pixels[10:, 10:] = [0, 0, 255], [255, 255, 255]

    def log(r) -> None:
        r.log("cam", rr.Pinhole(focal_length=20, width=20, height=20, image_plane_distance=2.0))
        r.log("cam/image", rr.Image(pixels))

    path = tmp_path / "image.rrd"
    rec = rr.RecordingStream("t", recording_id="r", batcher_config=rr.ChunkBatcherConfig.NEVER())
    rec.save(path)
    rec.set_time("frame", sequence=0)
    log(rec)
    rec.disconnect()
    scene = evaluate(rerender.load(path).latest_at("frame", 0))
    camera = CameraPose(
        eye=np.array([0.0, 0.0, -1.5]), target=np.array([0.0, 0.0, 2.0]), up=np.array([0.0, -1.0, 0.0])
    )
    with Renderer(W, H) as renderer:
        image = renderer.render(scene, camera).astype(int)
    iio.imwrite(tmp_path / "image.png", image.astype(np.uint8))

    def pixel(x: float, y: float) -> np.ndarray:  # a world point on the plane (z = 2)
        u, v = project(np.array([x, y, 2.0]), camera)
        return image[round(v), round(u)]

    # Off the diagonals, where the frustum's lines from the camera to the corners cross the image.
    top_left, top_right = pixel(-0.6, -0.25), pixel(0.6, -0.25)
    bottom_left, bottom_right = pixel(-0.6, 0.25), pixel(0.6, 0.25)
    assert top_left[0] > 200 and top_left[1:].max() < 60, top_left
    assert top_right[1] > 200 and top_right[[0, 2]].max() < 60, top_right
    assert bottom_left[2] > 200 and bottom_left[:2].max() < 60, bottom_left
    assert bottom_right.min() > 200, bottom_right
