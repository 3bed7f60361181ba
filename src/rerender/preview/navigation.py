"""Camera moves from the mouse, as pure functions of a `CameraPose`: orbit about the look-at point,
pan across the view, zoom toward it; and the current camera as a `[[camera.keyframes]]` block for a
config file (camera/specs.py `Keyframe`), which `read_config` reads back."""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from ..camera.framing import CameraPose

ORBIT_DEGREES_PER_PIXEL = 0.25  # a drag across a 720-pixel-wide window turns the view by 180°
ZOOM_PER_STEP = 0.9  # one wheel notch toward the look-at point keeps 90 % of the distance
MIN_POLAR_DEGREES = 1.0  # orbiting stops this close to straight above/below, where `up` degenerates
MIN_DISTANCE = 1e-4


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n else v


def _rotate(v: np.ndarray, axis: np.ndarray, degrees: float) -> np.ndarray:
    """v rotated about the unit `axis` (Rodrigues' formula)."""
    a = math.radians(degrees)
    return v * math.cos(a) + np.cross(axis, v) * math.sin(a) + axis * np.dot(axis, v) * (1 - math.cos(a))


def orbit(pose: CameraPose, dx: float, dy: float) -> CameraPose:
    """Turn the eye about the look-at point: a drag right (dx > 0) swings the scene with it, about the
    camera's up; a drag down (dy > 0) raises the eye. The eye never passes over the pole."""
    up = _unit(np.asarray(pose.up, dtype=np.float64))
    target = np.asarray(pose.target, dtype=np.float64)
    offset = np.asarray(pose.eye, dtype=np.float64) - target
    offset = _rotate(offset, up, -dx * ORBIT_DEGREES_PER_PIXEL)
    polar = math.degrees(math.acos(np.clip(np.dot(_unit(offset), up), -1.0, 1.0)))
    wanted = np.clip(polar - dy * ORBIT_DEGREES_PER_PIXEL, MIN_POLAR_DEGREES, 180.0 - MIN_POLAR_DEGREES)
    right = _unit(np.cross(up, offset))
    if np.linalg.norm(right) > 0:  # turning about up x offset by +a tilts the offset a away from up
        offset = _rotate(offset, right, wanted - polar)
    return dataclasses.replace(pose, eye=target + offset, target=target, intrinsics=None)


def world_per_pixel(pose: CameraPose, height: int) -> float:
    """World units one pixel spans at the look-at point's distance."""
    distance = float(np.linalg.norm(np.asarray(pose.eye) - np.asarray(pose.target)))
    return 2 * distance * math.tan(math.radians(pose.fov_y_deg) / 2) / max(height, 1)


def pan(pose: CameraPose, dx: float, dy: float, height: int) -> CameraPose:
    """Slide eye and look-at across the view so that the point under the cursor follows it."""
    matrix = pose.matrix()
    right, true_up = matrix[:3, 0], matrix[:3, 1]
    shift = (-dx * right + dy * true_up) * world_per_pixel(pose, height)
    return dataclasses.replace(
        pose, eye=np.asarray(pose.eye) + shift, target=np.asarray(pose.target) + shift, intrinsics=None
    )


def zoom(pose: CameraPose, steps: float) -> CameraPose:
    """Move the eye toward the look-at point (steps > 0, wheel up) or away from it."""
    target = np.asarray(pose.target, dtype=np.float64)
    offset = np.asarray(pose.eye, dtype=np.float64) - target
    distance = max(float(np.linalg.norm(offset)) * ZOOM_PER_STEP**steps, MIN_DISTANCE)
    return dataclasses.replace(pose, eye=target + _unit(offset) * distance, intrinsics=None)


def _number(value: float) -> str:
    text = repr(round(float(value), 6))
    return "0.0" if text == "-0.0" else text


def _vector(values: np.ndarray) -> str:
    return "[" + ", ".join(_number(v) for v in np.asarray(values, dtype=np.float64)) + "]"


def keyframe_block(pose: CameraPose, seconds: float) -> str:
    """The pose as a `[[camera.keyframes]]` block at `seconds` of video (configs/keyframes.toml's form)."""
    return "\n".join(
        [
            "[[camera.keyframes]]",
            f"time = {_number(seconds)}",
            f"position = {_vector(pose.eye)}",
            f"look_at = {_vector(pose.target)}",
            f"up = {_vector(_unit(np.asarray(pose.up, dtype=np.float64)))}",
            f"fov = {_number(pose.fov_y_deg)}",
            "",
        ]
    )
