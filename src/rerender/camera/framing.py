"""Camera poses and framing: Rerun's default eye (behind-left-above, 1.5x the region of interest's
half-diagonal) and `fit_camera`, the same view direction at the distance that fits the region of interest
into the frame."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..scene.visuals import Scene, world_points, world_radii

DEFAULT_FOV_Y_DEG = 55.0


@dataclass(frozen=True)
class Intrinsics:
    """A pinhole projection in pixels: focal lengths, principal point, and the image size they refer to
    (a Pinhole's image_from_camera and resolution; scaled to whatever size is rendered)."""

    fx: float
    fy: float
    cx: float
    cy: float
    width: float
    height: float

    def scaled(self, width: int, height: int) -> Intrinsics:
        sx, sy = width / self.width, height / self.height
        return Intrinsics(self.fx * sx, self.fy * sy, self.cx * sx, self.cy * sy, width, height)


@dataclass(frozen=True)
class CameraPose:
    """A perspective camera: eye, target, up, vertical field of view; `intrinsics` when it looks
    through a Pinhole (then they, not `fov_y_deg`, say how the frame projects)."""

    eye: np.ndarray
    target: np.ndarray
    up: np.ndarray
    fov_y_deg: float = DEFAULT_FOV_Y_DEG
    intrinsics: Intrinsics | None = None

    def matrix(self) -> np.ndarray:
        """Camera-to-world 4x4 (OpenGL convention: the camera looks down its -Z)."""
        return look_at(self.eye, self.target, self.up)

    def pixel_intrinsics(self, width: int, height: int) -> Intrinsics:
        """How this camera maps view space to the pixels of a `width` x `height` frame."""
        if self.intrinsics is not None:
            return self.intrinsics.scaled(width, height)
        f = height / 2 / math.tan(math.radians(self.fov_y_deg) / 2)
        return Intrinsics(f, f, width / 2, height / 2, width, height)


def look_at(eye: np.ndarray, target: np.ndarray, up: np.ndarray) -> np.ndarray:
    """Camera-to-world matrix for a camera at `eye` looking at `target` (OpenGL axes)."""
    eye, target, up = (np.asarray(v, dtype=np.float64) for v in (eye, target, up))
    forward = target - eye
    forward /= np.linalg.norm(forward) or 1.0
    right = _cross(forward, up)
    if np.linalg.norm(right) < 1e-9:  # looking along `up`: any perpendicular will do
        right = _cross(forward, np.array([1.0, 0.0, 0.0] if abs(forward[0]) < 0.9 else [0.0, 1.0, 0.0]))
    right /= np.linalg.norm(right)
    true_up = _cross(right, forward)
    pose = np.eye(4)
    pose[:3, 0], pose[:3, 1], pose[:3, 2], pose[:3, 3] = right, true_up, -forward, eye
    return pose


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a x b for two 3-vectors: np.cross costs ~10 µs a call in axis bookkeeping, and cameras call this
    a few times per frame and per keyframe."""
    return np.array([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]])


def _right_for(up: np.ndarray) -> np.ndarray:
    """The scene's 'right' axis for an up axis (for +Z up, +X: Rerun's right-forward-up)."""
    candidates = [np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0])]
    best = min(candidates, key=lambda c: abs(float(np.dot(c, up))))
    right = best - np.dot(best, up) * up
    return right / np.linalg.norm(right)


def default_direction(up: np.ndarray) -> np.ndarray:
    """Rerun's default view direction (eye to target): 0.75·forward + 0.25·right − 0.25·up, normalised,
    where right and forward complete `up` as in Rerun's right-forward-up convention."""
    up = np.asarray(up, dtype=np.float64)
    up = up / (np.linalg.norm(up) or 1.0)
    right = _right_for(up)
    forward = np.cross(up, right)
    direction = 0.75 * forward + 0.25 * right - 0.25 * up
    return direction / np.linalg.norm(direction)


def default_camera(
    bounds: tuple[np.ndarray, np.ndarray] | None, up: np.ndarray, fov_y_deg: float = DEFAULT_FOV_Y_DEG
) -> CameraPose:
    """Rerun's default eye: look at the bounds' center from behind-left-above at 1.5x the half-diagonal."""
    up = np.asarray(up, dtype=np.float64)
    up = up / (np.linalg.norm(up) or 1.0)
    if bounds is None:
        target, radius = np.zeros(3), 1.0
    else:
        lo, hi = (np.asarray(b, dtype=np.float64) for b in bounds)
        target = (lo + hi) / 2
        radius = 1.5 * float(np.linalg.norm(hi - lo) / 2) or 1.0
    return CameraPose(eye=target - radius * default_direction(up), target=target, up=up, fov_y_deg=fov_y_deg)


def fit_distance(
    bounds: Bounds,
    target: np.ndarray,
    direction: np.ndarray,
    up: np.ndarray,
    *,
    fov_y_deg: float,
    aspect: float,
    margin: float,
) -> float:
    """The smallest distance from `target`, looking along `direction`, at which every corner of `bounds`
    projects inside the frame less `margin` of its half-size on each side.

    Per corner with offset o from the target (x right, y up, z along the view): it fits when
    |x| <= tan(fov_x/2)·(1-margin)·(d + z), and likewise for y; so d is the largest |x|/tx - z.
    """
    pose = np.linalg.inv(look_at(-np.asarray(direction, dtype=np.float64), np.zeros(3), up))
    lo, hi = (np.asarray(b, dtype=np.float64) for b in bounds)
    pick = np.array([[i, j, k] for i in (0, 1) for j in (0, 1) for k in (0, 1)], dtype=bool)
    corners = np.where(pick, hi, lo)  # the box's 8 corners
    offsets = (corners - np.asarray(target, dtype=np.float64)) @ pose[:3, :3].T
    x, y, z = offsets[:, 0], offsets[:, 1], -offsets[:, 2]
    ty = math.tan(math.radians(fov_y_deg) / 2) * (1 - margin)
    tx = ty * aspect
    need = np.maximum(np.abs(x) / tx - z, np.abs(y) / ty - z)
    distance = float(need.max())
    size = float(np.linalg.norm(hi - lo))
    return distance if np.isfinite(distance) and distance > 1e-6 * max(size, 1e-12) and size > 0 else 1.0


def fit_camera(
    bounds: Bounds | None,
    up: np.ndarray,
    *,
    fov_y_deg: float = DEFAULT_FOV_Y_DEG,
    aspect: float = 16 / 9,
    margin: float = 0.05,
) -> CameraPose:
    """Rerun's default view direction and up, at the distance that fits `bounds` into the frame."""
    up = np.asarray(up, dtype=np.float64)
    up = up / (np.linalg.norm(up) or 1.0)
    if bounds is None:
        return default_camera(None, up, fov_y_deg)
    lo, hi = (np.asarray(b, dtype=np.float64) for b in bounds)
    target = (lo + hi) / 2
    direction = default_direction(up)
    d = fit_distance((lo, hi), target, direction, up, fov_y_deg=fov_y_deg, aspect=aspect, margin=margin)
    return CameraPose(eye=target - d * direction, target=target, up=up, fov_y_deg=fov_y_deg)


Bounds = tuple[np.ndarray, np.ndarray]


def robust_point_bounds(positions: np.ndarray, radii: np.ndarray | None = None) -> Bounds | None:
    """Rerun's bounds for a point cloud: per axis, mean +- 2 sigma of the points left after dropping
    those beyond 2 sigma, never wider than the points themselves (grown by their world radii).

    Works one axis at a time, so a 10M-point cloud costs a few 10M-element temporaries, not copies of
    the whole (N, 3) array."""
    points = np.asarray(positions).reshape(-1, 3)
    keep = np.isfinite(points).all(axis=1)
    count = int(keep.sum())
    if not count:
        return None
    if count < len(points):
        points = points[keep]
    grow = 0.0
    if radii is not None and np.size(radii):
        world = np.broadcast_to(np.asarray(radii), (len(keep),))[keep]
        grow = max(float(world.max()), 0.0)
    lo = points.min(axis=0).astype(np.float64)
    hi = points.max(axis=0).astype(np.float64)
    if len(points) > 2:
        mean = np.array([points[:, k].mean(dtype=np.float64) for k in range(3)])
        sigma = np.array([points[:, k].std(dtype=np.float64) for k in range(3)])
        inlier = np.ones(len(points), dtype=bool)
        for k in range(3):
            inlier &= np.abs(points[:, k] - mean[k]) <= 2 * sigma[k] + 1e-12
        if inlier.any():
            kept = [points[inlier, k] for k in range(3)]
            mean = np.array([c.mean(dtype=np.float64) for c in kept])
            sigma = np.array([c.std(dtype=np.float64) for c in kept])
            lo, hi = np.maximum(lo, mean - 2 * sigma), np.minimum(hi, mean + 2 * sigma)
    return lo - grow, hi + grow


def _union(boxes: list[Bounds | None]) -> Bounds | None:
    boxes = [b for b in boxes if b is not None]
    if not boxes:
        return None
    return np.min([b[0] for b in boxes], axis=0), np.max([b[1] for b in boxes], axis=0)


def region_of_interest(scene: Scene, known: dict | None = None) -> Bounds | None:
    """What the default camera frames: robust bounds for point clouds, exact bounds for the rest.
    `known` remembers point clouds' bounds by their arrays and placement, for scenes that share them."""
    known = {} if known is None else known
    boxes = []
    for p in scene.points:
        if not len(p.positions):
            continue
        key = (id(p.positions), id(p.radii), None if p.world is None else p.world.tobytes())
        if key not in known:
            known[key] = robust_point_bounds(
                world_points(p.positions, p.world), world_radii(p.radii, p.world)
            )
        boxes.append(known[key])
    return _union([*boxes, Scene(lines=scene.lines, meshes=scene.meshes).bounds()])


def scenes_region_of_interest(scenes: list[Scene]) -> Bounds | None:
    """The union of the scenes' regions of interest (what one fixed camera for all of them frames).
    A static cloud the scenes share (the same arrays, while they all are alive) is measured once."""
    known: dict = {}
    return _union([region_of_interest(s, known) for s in scenes])


def scene_camera(scenes: list[Scene]) -> CameraPose:
    """Rerun's default eye, framing every given scene (the union of their regions of interest)."""
    up = scenes[0].up if scenes else np.array([0.0, 0.0, 1.0])
    return default_camera(scenes_region_of_interest(scenes), up)
