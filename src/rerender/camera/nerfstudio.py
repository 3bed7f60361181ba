"""nerfstudio camera paths (`camera_path.json`): read one into per-frame cameras, or write our poses as one.

The file is what nerfstudio's viewer writes from its render panel and what `ns-render camera-path` reads
(as of nerfstudio's 2025 sources; the format has been stable since its viser-based viewer, early 2024):

- `render_width`, `render_height`: output size in pixels; `seconds`: the video's length. `ns-render`
  needs these three and plays the frames at `len(camera_path) / seconds` frames per second.
- `camera_path`: one entry per output frame. `camera_to_world` is a 4x4 camera-to-world matrix flattened
  row by row into 16 numbers, in OpenGL camera axes (the camera looks down its -Z, +Y is up); `fov` is the
  vertical field of view in degrees; `aspect` is width / height (`ns-render` ignores it). An optional
  `render_time` is the scene time of a dynamic model (0..1), not a time along the path.
- `camera_type`: "perspective" unless the path is fisheye, equirectangular, omnidirectional or VR180.
- The viewer's own state, which `ns-render` ignores: `fps`, `keyframes`, `smoothness_value`, `is_cycle`,
  `default_fov` and `default_transition_sec` (the newer viewer), `crop`.
- `keyframes[i]`: `matrix` (16 numbers), `fov` (degrees), `aspect`. The viser viewer (nerfstudio >= 1.0)
  writes `matrix` as a JSON list in the same row-major OpenGL form as `camera_to_world`, plus
  `override_transition_enabled` / `override_transition_sec` (the seconds from the previous keyframe to
  this one; otherwise `default_transition_sec`). The older THREE.js web viewer (now `viewer_legacy`)
  wrote `matrix` as a *string* holding THREE.js `Matrix4.toArray()`, which is column-major, and
  `properties`, a string holding `[name, value]` pairs whose "TIME" is the keyframe's place along the
  path as a fraction 0..1.

Units: matrices are in whatever world the poses live in. The ones we write are in the recording's world
units. A path exported by nerfstudio for a NeRF lives in nerfstudio's world frame, i.e. after its
dataparser transform and scale (the viewer undoes its own display scale before writing); reading one
applies no dataparser transform or scale, so it lines up with a recording only if that recording was
logged in the same frame.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from ..errors import RerenderError
from .framing import CameraPose

DEFAULT_FOV = 50.0
"""Vertical fov (degrees) for an entry without `fov` when the file has no `default_fov` either. nerfstudio
assumes nothing here: `ns-render` fails on a missing `fov`, and for `"fov": null` it uses a 50-*pixel*
focal length; 50 degrees is THREE.js's default camera fov."""

DEFAULT_FPS = 30.0
"""Frame rate for a keyframes-only file without `fps` (the viser viewer's default frame rate)."""

DEFAULT_SMOOTHNESS = 0.0
"""The `smoothness_value` we write: the viser viewer's default spline tension (a Catmull-Rom spline)."""

_AFFINE_TOLERANCE = 1e-6
_OTHER_CAMERA_TYPES = ("fisheye", "equirectangular", "omnidirectional", "vr180")


class NerfstudioFormatError(RerenderError):
    """A camera path file nerfstudio would not read (or we cannot): names the file, the JSON key and what
    was expected."""

    def __init__(
        self, what: str, *, source: str | None = None, key: str | None = None, expected: str | None = None
    ) -> None:
        self.what = what
        self.source = source
        self.key = key
        self.expected = expected
        text = f"`{key}` {what}" if key else what
        if source:
            text = f"{source}: {text}"
        if expected:
            text += f"; expected {expected}"
        super().__init__(text)


@dataclass(frozen=True, eq=False)
class NerfstudioKeyframe:
    """One of the viewer's keyframes."""

    camera_to_world: np.ndarray  # (4, 4), OpenGL camera axes
    fov: float  # vertical, degrees
    time: float | None  # seconds into the path when the file says, else None


@dataclass(frozen=True, eq=False)
class NerfstudioPath:
    """A camera path: per-frame cameras (`frames`, `fovs`) and the viewer's keyframes."""

    width: int
    height: int
    seconds: float
    fps: float
    frames: tuple[np.ndarray, ...]  # per-frame camera-to-world 4x4; empty for a keyframes-only file
    fovs: tuple[float, ...]  # per-frame vertical fov in degrees, one per frame
    keyframes: tuple[NerfstudioKeyframe, ...]
    smoothness: float | None  # `smoothness_value` as written; see `tension_from_smoothness`
    is_cycle: bool
    legacy_viewer: bool = False  # keyframes in the THREE.js viewer's form (string matrices, `properties`)


def read_camera_path(path: str | Path) -> NerfstudioPath:
    """Read a nerfstudio `camera_path.json` (see the module docstring for the format and its units).

    Accepts per-frame cameras only, keyframes only (then `frames` is empty), or both; keyframe matrices as
    a list (row-major) or a string (column-major, the THREE.js viewer's); a missing `fps` (derived from
    the frame count and `seconds`); a missing `fov` (`default_fov`, else `DEFAULT_FOV`). Raises
    `NerfstudioFormatError` naming the file and key for anything else.
    """
    return _Reader(str(path)).read(Path(path))


def write_camera_path(
    path: str | Path, poses: Sequence[CameraPose], *, width: int, height: int, fps: float
) -> None:
    """Write `poses` (one per frame, matrices in the recording's world units) as a camera path that
    `ns-render camera-path` renders frame for frame and nerfstudio's viewer loads back as keyframes.

    Every pose is also a keyframe, `default_transition_sec` apart (1 / fps), with no overrides, so the
    viewer's spline passes through each pose; its duration is then (n - 1) / fps, one frame shorter than
    `seconds` (= n / fps), since a path's last keyframe ends it.
    """
    poses = list(poses)
    if not poses:
        raise ValueError("write_camera_path needs at least one pose")
    for name, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    fps = float(fps)
    if not math.isfinite(fps) or fps <= 0:
        raise ValueError(f"fps must be a positive number, got {fps!r}")
    width, height = int(width), int(height)
    aspect = width / height
    frames, keyframes = [], []
    for i, pose in enumerate(poses):
        matrix = np.asarray(pose.matrix(), dtype=np.float64)
        fov = float(pose.fov_y_deg)
        if not np.isfinite(matrix).all():
            raise ValueError(f"pose {i} has a non-finite camera matrix")
        if not 0.0 < fov < 180.0:
            raise ValueError(f"pose {i} has vertical fov {fov!r}; expected between 0 and 180 degrees")
        flat = [float(x) for x in matrix.reshape(16)]
        frames.append({"camera_to_world": flat, "fov": fov, "aspect": aspect})
        keyframes.append(
            {
                "matrix": flat,
                "fov": fov,
                "aspect": aspect,
                "override_transition_enabled": False,
                "override_transition_sec": None,
            }
        )
    data = {
        "camera_type": "perspective",
        "render_width": width,
        "render_height": height,
        "fps": fps,
        "seconds": len(poses) / fps,
        "smoothness_value": DEFAULT_SMOOTHNESS,
        "is_cycle": False,
        "default_fov": frames[0]["fov"],
        "default_transition_sec": 1.0 / fps,
        "keyframes": keyframes,
        "camera_path": frames,
    }
    try:
        Path(path).write_text(_dumps(data), encoding="utf-8")
    except OSError as e:
        raise NerfstudioFormatError(f"cannot be written ({e.strerror or e})", source=str(path)) from None


def pose_from_matrix(camera_to_world: np.ndarray, fov: float, focus_distance: float = 1.0) -> CameraPose:
    """The pose of an OpenGL camera-to-world matrix: eye = translation, forward = -Z column, up = +Y
    column, target `focus_distance` ahead of the eye."""
    matrix = np.asarray(camera_to_world, dtype=np.float64)
    if matrix.shape not in ((4, 4), (3, 4)) or not np.isfinite(matrix).all():
        raise ValueError(f"expected a finite 4x4 camera-to-world matrix, got shape {matrix.shape}")
    if not math.isfinite(focus_distance) or focus_distance <= 0:
        raise ValueError(f"focus_distance must be a positive number, got {focus_distance!r}")
    eye = matrix[:3, 3].copy()
    forward, up = -matrix[:3, 2], matrix[:3, 1].copy()
    forward_norm, up_norm = np.linalg.norm(forward), np.linalg.norm(up)
    if forward_norm < 1e-12 or up_norm < 1e-12:
        raise ValueError("camera-to-world matrix has a zero Y or Z axis")
    forward = forward / forward_norm
    return CameraPose(eye=eye, target=eye + forward * focus_distance, up=up / up_norm, fov_y_deg=float(fov))


def frame_pose(path: NerfstudioPath, seconds: float, focus_distance: float = 1.0) -> CameraPose:
    """The per-frame camera nearest `seconds` into the path: frame round(seconds * fps), clamped."""
    if not path.frames:
        raise NerfstudioFormatError(
            "is empty: the camera path has only keyframes",
            key="camera_path",
            expected="per-frame cameras (export the path from nerfstudio's viewer with its render button)",
        )
    if not math.isfinite(seconds):
        raise ValueError(f"seconds must be finite, got {seconds!r}")
    index = min(max(math.floor(seconds * path.fps + 0.5), 0), len(path.frames) - 1)
    return pose_from_matrix(path.frames[index], path.fovs[index], focus_distance)


def tension_from_smoothness(smoothness: float, *, legacy: bool = False) -> float:
    """The Kochanek-Bartels tension (continuity and bias 0) of a path's `smoothness_value`.

    nerfstudio's viser viewer (`nerfstudio/viewer/render_panel.py`: the "Spline tension" slider in
    `populate_render_tab`, written as `smoothness_value` by its render button and fed to
    `CameraPath.update_spline` / `interpolate_pose_and_fov_rad` as `tcb=(tension, 0, 0)` of
    `splines.KochanekBartels`) uses the value as the tension itself: 0 (its default) is a Catmull-Rom
    spline, 1 stops at every keyframe.

    With `legacy=True`, the older THREE.js viewer's meaning (`viewer_legacy/.../CameraPanel/curve.js`,
    `get_catmull_rom_curve`): there the value is `THREE.CatmullRomCurve3`'s tension, a keyframe's tangent
    being tension * (next - previous) where Kochanek-Bartels gives (1 - T) / 2 * (next - previous), so
    T = 1 - 2 * smoothness (its default 0.5 is the same Catmull-Rom spline). That viewer used a tenth of
    the value for the fov curve.
    """
    smoothness = float(smoothness)
    if not math.isfinite(smoothness):
        raise ValueError(f"smoothness must be finite, got {smoothness!r}")
    return 1.0 - 2.0 * smoothness if legacy else smoothness


def _dumps(data: dict[str, Any]) -> str:
    """JSON with one top-level key, frame or keyframe per line."""
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            inner = ",\n".join("    " + json.dumps(item, allow_nan=False) for item in value)
            lines.append(f"  {json.dumps(key)}: [\n{inner}\n  ]")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, allow_nan=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _describe(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Reader:
    """Validates one file's JSON; every failure names the file and the key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str | None, what: str, expected: str | None = None) -> NoReturn:
        raise NerfstudioFormatError(what, source=self.source, key=key, expected=expected)

    def read(self, path: Path) -> NerfstudioPath:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            self.fail(None, f"cannot be read ({e.strerror or e})")
        except UnicodeDecodeError:
            self.fail(None, "is not UTF-8 text", "a nerfstudio camera_path.json")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            self.fail(None, f"is not JSON ({e.msg} at line {e.lineno} column {e.colno})")
        if not isinstance(data, dict):
            self.fail(None, f"holds a JSON {type(data).__name__}", "a JSON object (a nerfstudio camera path)")

        camera_type = data.get("camera_type")
        if camera_type is not None:
            if not isinstance(camera_type, str):
                self.fail("camera_type", f"is {_describe(camera_type)}", '"perspective"')
            if camera_type.lower() != "perspective":
                self.fail(
                    "camera_type", f"is {_describe(camera_type)}", '"perspective" (the only kind we render)'
                )
        width = self.size(data, "render_width")
        height = self.size(data, "render_height")
        default_fov = DEFAULT_FOV
        if data.get("default_fov") is not None:
            default_fov = self.fov(data["default_fov"], "default_fov")
        is_cycle = data.get("is_cycle", False)
        if not isinstance(is_cycle, bool):
            self.fail("is_cycle", f"is {_describe(is_cycle)}", "true or false")
        smoothness = data.get("smoothness_value")
        if smoothness is not None:
            smoothness = self.number(smoothness, "smoothness_value", "a number (the spline tension)")

        entries = self.entries(data, "camera_path")
        frames, fovs = [], []
        for i, entry in enumerate(entries):
            key = f"camera_path[{i}]"
            frames.append(
                self.matrix(entry.get("camera_to_world"), f"{key}.camera_to_world", column_major=False)
            )
            fov = entry.get("fov")
            fovs.append(default_fov if fov is None else self.fov(fov, f"{key}.fov"))
        raw_keyframes = self.entries(data, "keyframes")
        if not frames and not raw_keyframes:
            self.fail("camera_path", "is missing or empty and so is `keyframes`", "at least one camera")

        fps = data.get("fps")
        if fps is not None:
            fps = self.positive(fps, "fps", "a frame rate > 0")
        seconds = data.get("seconds")
        if seconds is not None:
            seconds = self.positive(seconds, "seconds", "the path's duration in seconds, > 0")
        elif frames and fps is not None:
            seconds = len(frames) / fps
        else:
            self.fail("seconds", "is missing", "the path's duration in seconds, > 0")
        if fps is None:
            fps = len(frames) / seconds if frames else DEFAULT_FPS

        legacy = any(isinstance(k.get("matrix"), str) or "properties" in k for k in raw_keyframes)
        keyframes = self.keyframes(raw_keyframes, data, default_fov, seconds, is_cycle)
        for frame in frames:
            frame.setflags(write=False)
        return NerfstudioPath(
            width=width,
            height=height,
            seconds=seconds,
            fps=fps,
            frames=tuple(frames),
            fovs=tuple(fovs),
            keyframes=keyframes,
            smoothness=smoothness,
            is_cycle=is_cycle,
            legacy_viewer=legacy,
        )

    def keyframes(
        self, raw: list[dict[str, Any]], data: dict[str, Any], default_fov: float, seconds: float, cycle: bool
    ) -> tuple[NerfstudioKeyframe, ...]:
        matrices, fovs = [], []
        for i, entry in enumerate(raw):
            key = f"keyframes[{i}]"
            value = entry.get("matrix")
            if isinstance(value, str):  # the THREE.js viewer: JSON text of Matrix4.toArray(), column-major
                try:
                    value = json.loads(value)
                except json.JSONDecodeError:
                    self.fail(f"{key}.matrix", f"is the string {_describe(value)}", _matrix_expected(True))
                matrix = self.matrix(value, f"{key}.matrix", column_major=True)
            else:
                matrix = self.matrix(value, f"{key}.matrix", column_major=False)
            matrix.setflags(write=False)
            matrices.append(matrix)
            fov = entry.get("fov")
            fovs.append(default_fov if fov is None else self.fov(fov, f"{key}.fov"))
        times = self.keyframe_times(raw, data, seconds, cycle)
        return tuple(
            NerfstudioKeyframe(camera_to_world=m, fov=f, time=t)
            for m, f, t in zip(matrices, fovs, times, strict=True)
        )

    def keyframe_times(
        self, raw: list[dict[str, Any]], data: dict[str, Any], seconds: float, cycle: bool
    ) -> list[float | None]:
        """Seconds into the path of each keyframe, where the file says.

        The viser viewer starts at the first keyframe and spends each later keyframe's transition time
        (its override, else `default_transition_sec`) getting to it. The THREE.js viewer stored each
        keyframe's place as a fraction 0..1 ("TIME" in `properties`); a looping path squeezes those into
        the first (n - 1) / n of its length, leaving the rest for the way back to the first keyframe.
        """
        if any("properties" in entry for entry in raw):
            fractions = [
                self.legacy_time(entry.get("properties"), f"keyframes[{i}]") for i, entry in enumerate(raw)
            ]
            scale = seconds * ((len(raw) - 1) / len(raw) if cycle else 1.0)
            return [None if f is None else f * scale for f in fractions]
        default = data.get("default_transition_sec")
        if default is not None:
            default = self.positive(default, "default_transition_sec", "seconds between keyframes, > 0")
        times: list[float | None] = []
        total = 0.0
        for i, entry in enumerate(raw):
            if i > 0:
                step = default
                enabled = entry.get("override_transition_enabled")
                if enabled is not None and not isinstance(enabled, bool):
                    self.fail(
                        f"keyframes[{i}].override_transition_enabled",
                        f"is {_describe(enabled)}",
                        "true or false",
                    )
                if enabled and entry.get("override_transition_sec") is not None:
                    step = self.positive(
                        entry["override_transition_sec"],
                        f"keyframes[{i}].override_transition_sec",
                        "seconds from the previous keyframe, > 0",
                    )
                if step is None:
                    return [None] * len(raw)
                total += step
            times.append(total)
        return times

    def legacy_time(self, value: Any, key: str) -> float | None:
        key = f"{key}.properties"
        expected = 'a string holding a JSON list of [name, value] pairs, such as [["TIME", 0.5]]'
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(key, f"is {_describe(value)}", expected)
        try:
            pairs = json.loads(value)
        except json.JSONDecodeError:
            self.fail(key, f"is the string {_describe(value)}", expected)
        if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            self.fail(key, f"is the string {_describe(value)}", expected)
        properties = {p[0]: p[1] for p in pairs if isinstance(p[0], str)}
        if properties.get("TIME") is None:
            return None
        time = self.number(properties["TIME"], key, 'a "TIME" between 0 and 1')
        if not 0.0 <= time <= 1.0:
            self.fail(key, f'has "TIME" {time!r}', 'a "TIME" between 0 and 1')
        return time

    def entries(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"is {_describe(value)}", "a list of objects")
        for i, entry in enumerate(value):
            if not isinstance(entry, dict):
                self.fail(f"{key}[{i}]", f"is {_describe(entry)}", "an object")
        return value

    def number(self, value: Any, key: str, expected: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.fail(key, f"is {_describe(value)}", expected)
        return float(value)

    def positive(self, value: Any, key: str, expected: str) -> float:
        number = self.number(value, key, expected)
        if number <= 0:
            self.fail(key, f"is {_describe(value)}", expected)
        return number

    def size(self, data: dict[str, Any], key: str) -> int:
        expected = "a whole number of pixels > 0"
        if key not in data:
            self.fail(key, "is missing", expected)
        number = self.positive(data[key], key, expected)
        if not number.is_integer():
            self.fail(key, f"is {_describe(data[key])}", expected)
        return int(number)

    def fov(self, value: Any, key: str) -> float:
        expected = "a vertical field of view in degrees, between 0 and 180"
        number = self.number(value, key, expected)
        if not 0.0 < number < 180.0:
            self.fail(key, f"is {_describe(value)}", expected)
        return number

    def matrix(self, value: Any, key: str, *, column_major: bool) -> np.ndarray:
        expected = _matrix_expected(column_major)
        if not isinstance(value, list):
            self.fail(key, "is missing" if value is None else f"is {_describe(value)}", expected)
        if len(value) != 16:
            self.fail(key, f"has {len(value)} values", expected)
        for i, x in enumerate(value):
            if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
                self.fail(key, f"has {_describe(x)} at index {i}", expected)
        matrix = np.array(value, dtype=np.float64).reshape(4, 4)
        if column_major:
            matrix = matrix.T.copy()
        if not np.allclose(matrix[3], [0.0, 0.0, 0.0, 1.0], rtol=0.0, atol=_AFFINE_TOLERANCE):
            row = ", ".join(f"{x:g}" for x in matrix[3])
            other = "row-major" if column_major else "column-major"
            self.fail(
                key,
                f"has bottom row {row}, not 0, 0, 0, 1 (a {other} matrix puts its translation there)",
                expected,
            )
        if abs(np.linalg.det(matrix[:3, :3])) < 1e-12:
            self.fail(key, "has a singular rotation part", expected)
        return matrix


def _matrix_expected(column_major: bool) -> str:
    order = "column-major (THREE.js Matrix4 order)" if column_major else "row-major"
    return f"16 finite numbers: a {order} 4x4 camera-to-world matrix in OpenGL camera axes"
