"""Camera poses and Rerun's default framing: from behind-left-above, 1.5x the scene's half-diagonal."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scene.visuals import Scene

DEFAULT_FOV_Y_DEG = 55.0


@dataclass(frozen=True)
class CameraPose:
    """A perspective camera: eye, target, up, vertical field of view."""

    eye: np.ndarray
    target: np.ndarray
    up: np.ndarray
    fov_y_deg: float = DEFAULT_FOV_Y_DEG

    def matrix(self) -> np.ndarray:
        """Camera-to-world 4x4 (OpenGL convention: the camera looks down its -Z)."""
        return look_at(self.eye, self.target, self.up)


def look_at(eye: np.ndarray, target: np.ndarray, up: np.ndarray) -> np.ndarray:
    """Camera-to-world matrix for a camera at `eye` looking at `target` (OpenGL axes)."""
    eye, target, up = (np.asarray(v, dtype=np.float64) for v in (eye, target, up))
    forward = target - eye
    forward /= np.linalg.norm(forward) or 1.0
    right = np.cross(forward, up)
    if np.linalg.norm(right) < 1e-9:  # looking along `up`: any perpendicular will do
        right = np.cross(forward, [1.0, 0.0, 0.0] if abs(forward[0]) < 0.9 else [0.0, 1.0, 0.0])
    right /= np.linalg.norm(right)
    true_up = np.cross(right, forward)
    pose = np.eye(4)
    pose[:3, 0], pose[:3, 1], pose[:3, 2], pose[:3, 3] = right, true_up, -forward, eye
    return pose


def _right_for(up: np.ndarray) -> np.ndarray:
    """The scene's 'right' axis for an up axis (for +Z up, +X: Rerun's right-forward-up)."""
    candidates = [np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0])]
    best = min(candidates, key=lambda c: abs(float(np.dot(c, up))))
    right = best - np.dot(best, up) * up
    return right / np.linalg.norm(right)


def default_camera(bounds: tuple[np.ndarray, np.ndarray] | None, up: np.ndarray) -> CameraPose:
    """Rerun's default eye: look at the bounds' center from behind-left-above at 1.5x the half-diagonal."""
    up = np.asarray(up, dtype=np.float64)
    up = up / (np.linalg.norm(up) or 1.0)
    if bounds is None:
        target, radius = np.zeros(3), 1.0
    else:
        lo, hi = (np.asarray(b, dtype=np.float64) for b in bounds)
        target = (lo + hi) / 2
        radius = 1.5 * float(np.linalg.norm(hi - lo) / 2) or 1.0
    right = _right_for(up)
    forward = np.cross(up, right)
    direction = 0.75 * forward + 0.25 * right - 0.25 * up
    direction /= np.linalg.norm(direction)
    return CameraPose(eye=target - radius * direction, target=target, up=up)


Bounds = tuple[np.ndarray, np.ndarray]


def robust_point_bounds(positions: np.ndarray, radii: np.ndarray | None = None) -> Bounds | None:
    """Rerun's bounds for a point cloud: per axis, mean +- 2 sigma of the points left after dropping
    those beyond 2 sigma, never wider than the points themselves (grown by their world radii)."""
    points = np.asarray(positions, dtype=np.float64).reshape(-1, 3)
    keep = np.isfinite(points).all(axis=1)
    points = points[keep]
    if not len(points):
        return None
    grow = 0.0
    if radii is not None:
        world = np.broadcast_to(np.maximum(np.asarray(radii, dtype=np.float64), 0), (len(keep),))[keep]
        grow = float(world.max()) if len(world) else 0.0
    lo, hi = points.min(axis=0), points.max(axis=0)
    if len(points) > 2:
        mean, sigma = points.mean(axis=0), points.std(axis=0)
        inliers = points[(np.abs(points - mean) <= 2 * sigma + 1e-12).all(axis=1)]
        if len(inliers):
            mean, sigma = inliers.mean(axis=0), inliers.std(axis=0)
            lo, hi = np.maximum(lo, mean - 2 * sigma), np.minimum(hi, mean + 2 * sigma)
    return lo - grow, hi + grow


def region_of_interest(scene: Scene) -> Bounds | None:
    """What the default camera frames: robust bounds for point clouds, exact bounds for the rest."""
    boxes = [robust_point_bounds(p.positions, p.radii) for p in scene.points if len(p.positions)]
    rest = Scene(lines=scene.lines, meshes=scene.meshes).bounds()
    boxes = [b for b in [*boxes, rest] if b is not None]
    if not boxes:
        return None
    return np.min([b[0] for b in boxes], axis=0), np.max([b[1] for b in boxes], axis=0)


def scene_camera(scenes: list[Scene]) -> CameraPose:
    """One fixed camera framing every given scene (the union of their regions of interest)."""
    boxes = [b for b in (region_of_interest(s) for s in scenes) if b is not None]
    up = scenes[0].up if scenes else np.array([0.0, 0.0, 1.0])
    if not boxes:
        return default_camera(None, up)
    lo = np.min([b[0] for b in boxes], axis=0)
    hi = np.max([b[1] for b in boxes], axis=0)
    return default_camera((lo, hi), up)
