"""What users say about the camera: one settings dataclass per kind, as `[camera]` in a config file or
`--camera KIND` on the command line. `CAMERA_KINDS` is the one table of kinds; `rigs.build_rig` turns
a spec into a camera that gives a pose for each frame.

Points are `[x, y, z]` in world units. A look-at or centre may instead be an entity path (`"/robot"`):
the camera then tracks that entity's position at each frame's time. Angles are degrees; `fov` is the
vertical field of view. Durations (`period`, `hold`, `smoothing`) are seconds of video.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

import msgspec

from ..values import TimeValue

Vec3 = tuple[float, float, float]
Fov = Annotated[float, msgspec.Meta(gt=0.0, lt=180.0)]
Positive = Annotated[float, msgspec.Meta(gt=0.0)]
NonNegative = Annotated[float, msgspec.Meta(ge=0.0)]
Margin = Annotated[float, msgspec.Meta(ge=0.0, lt=0.5)]
Easing = Literal["linear", "ease-in", "ease-out", "ease-in-out"]
Target = Vec3 | str | None  # a point, an entity path, or None: the region of interest's centre

DEFAULT_FOV = 55.0  # Rerun's default vertical field of view
DEFAULT_MARGIN = 0.05  # of the frame's half-size, kept free around what `auto` frames


@dataclass(frozen=True, kw_only=True)
class AutoCamera:
    """Rerun's default view direction and up, at the distance that fits the region of interest of the
    whole rendered time range into the frame (fixed for the whole video)."""

    kind: Literal["auto"] = "auto"
    fov: Fov = DEFAULT_FOV
    margin: Margin = DEFAULT_MARGIN


@dataclass(frozen=True, kw_only=True)
class RerunCamera:
    """The Rerun viewer's default eye to the letter: 1.5x the region of interest's half-diagonal."""

    kind: Literal["rerun"] = "rerun"
    fov: Fov = DEFAULT_FOV


@dataclass(frozen=True, kw_only=True)
class FixedCamera:
    """One pose for every frame (Rerun's `EyeControls3D` position / look_target / eye_up)."""

    kind: Literal["fixed"] = "fixed"
    position: Vec3
    look_at: Target = None
    up: Vec3 | None = None  # None: the scene's up (ViewCoordinates, else +Z)
    fov: Fov = DEFAULT_FOV


@dataclass(frozen=True, kw_only=True)
class OrbitCamera:
    """Circles `center` about the scene's up axis. `turns` over the video, or one turn every `period`
    seconds (Rerun's `spin_speed` is 2π / period); neither: one turn over the video."""

    kind: Literal["orbit"] = "orbit"
    center: Target = None
    radius: Positive | None = None  # None: the auto camera's distance, so the subject fits at every angle
    elevation: Annotated[float, msgspec.Meta(gt=-90.0, lt=90.0)] | None = None  # None: Rerun's default eye
    turns: float | None = None
    period: Positive | None = None
    direction: Literal["ccw", "cw"] = "ccw"  # seen from above (up toward the viewer)
    start_angle: float = 0.0  # degrees from Rerun's default eye, in `direction`
    up: Vec3 | None = None
    fov: Fov = DEFAULT_FOV


@dataclass(frozen=True, kw_only=True)
class Keyframe:
    """One keyframe. `time` is video seconds, or a timeline value when the path says `times =
    "timeline"`. `ease` shapes the segment that starts here; `hold` rests here that many seconds first."""

    time: TimeValue
    position: Vec3
    look_at: Target = None
    up: Vec3 | None = None
    fov: Fov | None = None  # None: the path's `fov`
    ease: Easing = "linear"
    hold: NonNegative = 0.0


@dataclass(frozen=True, kw_only=True)
class KeyframesCamera:
    """A smooth path through keyframes: Kochanek–Bartels splines for position, look-at and FOV; the camera
    looks at the interpolated look-at, rolled as a quaternion spline through the keyframes says."""

    kind: Literal["keyframes"] = "keyframes"
    keyframes: tuple[Keyframe, ...]
    times: Literal["seconds", "timeline"] = "seconds"
    loop: bool = False
    period: Positive | None = None  # with loop: seconds from the first keyframe round to it again
    constant_speed: bool = False  # move at constant speed along the path (by arc length)
    tension: Annotated[float, msgspec.Meta(ge=-1.0, le=1.0)] = 0.0
    continuity: Annotated[float, msgspec.Meta(ge=-1.0, le=1.0)] = 0.0
    bias: Annotated[float, msgspec.Meta(ge=-1.0, le=1.0)] = 0.0
    fov: Fov = DEFAULT_FOV


@dataclass(frozen=True, kw_only=True)
class FollowCamera:
    """Keeps `entity` in view from `offset` (world axes, or the entity's own with `frame = "entity"`),
    its motion averaged over `smoothing` seconds centred on each frame; still a pure function of time."""

    kind: Literal["follow"] = "follow"
    entity: str
    offset: Vec3 | None = None  # None: Rerun's default eye direction, at a distance that fits the entity
    frame: Literal["world", "entity"] = "world"
    smoothing: NonNegative = 0.5
    up: Vec3 | None = None
    fov: Fov = DEFAULT_FOV


@dataclass(frozen=True, kw_only=True)
class PinholeCamera:
    """Looks through a logged `Pinhole`: its pose, intrinsics, principal point and camera axes."""

    kind: Literal["pinhole"] = "pinhole"
    entity: str


@dataclass(frozen=True, kw_only=True)
class NerfstudioCamera:
    """A nerfstudio `camera_path.json`: its per-frame cameras, or its keyframes."""

    kind: Literal["nerfstudio"] = "nerfstudio"
    path: str


CameraSpec = (
    AutoCamera
    | RerunCamera
    | FixedCamera
    | OrbitCamera
    | KeyframesCamera
    | FollowCamera
    | PinholeCamera
    | NerfstudioCamera
)

CAMERA_KINDS: dict[str, type] = {
    cls.kind: cls  # type: ignore[attr-defined]
    for cls in (
        AutoCamera,
        RerunCamera,
        FixedCamera,
        OrbitCamera,
        KeyframesCamera,
        FollowCamera,
        PinholeCamera,
        NerfstudioCamera,
    )
}

DEFAULT_CAMERA = AutoCamera()
