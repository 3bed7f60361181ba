"""Camera rigs: a camera spec (camera/specs.py) made into a pose for every frame.

`build_rig(spec, shot)` looks the spec's kind up in `RIG_BUILDERS`, the one table of kinds, and returns a
`CameraRig`. A rig's `pose_at(frame)` is a pure function of the frame's video time and timeline time:
frames can be rendered in any order, or a subrange alone, and give the same pixels. What a rig needs to
know about the recording (its region of interest, up axis, where entities are) comes from the `Shot`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import numpy as np

from ..scene import NewerNames, Scene, SceneCache, evaluate, pinhole_view
from ..store import Recording
from . import keyframes as kf
from . import nerfstudio
from .framing import (
    Bounds,
    CameraPose,
    Intrinsics,
    default_camera,
    default_direction,
    fit_camera,
    fit_distance,
    scenes_region_of_interest,
)
from .specs import (
    AutoCamera,
    CameraSpec,
    FixedCamera,
    FollowCamera,
    KeyframesCamera,
    NerfstudioCamera,
    OrbitCamera,
    PinholeCamera,
    RerunCamera,
    Target,
)
from .tracking import EntityTracker

ORBIT_SECONDS_PER_TURN = 8.0  # an orbit with `turns` and no timeline to set its pace
ROI_SAMPLES = 17  # scenes evaluated across the rendered range to find what must stay in frame
FOLLOW_SAMPLES = 8  # positions averaged over a follow camera's smoothing window
ORBIT_FIT_AZIMUTHS = 16  # directions an automatic orbit radius is fitted at


class CameraError(ValueError):
    """A camera spec that cannot be used with this recording (say which key and why)."""


@dataclass(frozen=True)
class FrameTime:
    """When a frame is: seconds into the video, and the timeline value it shows (None: static data)."""

    seconds: float
    time: int | None


class CameraRig(Protocol):
    def pose_at(self, frame: FrameTime) -> CameraPose: ...


@dataclass
class Shot:
    """What rigs may know about a render.

    `times` are the timeline values of the rendered frames (one for a still; none without a timeline, when
    `frame_count` says how many frames the camera alone moves through); `units_per_second` converts
    video seconds to timeline units (for smoothing windows); `prepare` makes an evaluated scene what is
    drawn (entity filters, the camera's own pinhole hidden); `origin` is the entity whose space the
    scene and the camera are in (a Rerun view's origin); `timeline_ticks` are every logged time on
    the timeline.
    """

    recording: Recording
    timeline: str | None
    times: np.ndarray
    fps: float
    width: int
    height: int
    prepare: Callable[[Scene], Scene] = lambda s: s
    origin: str = "/"
    units_per_second: float = 1e9
    timeline_ticks: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    frame_count: int | None = None  # None: one frame per time in `times`
    # A newer Rerun's names are warned about once per render, however often its scenes are evaluated.
    newer: NewerNames = field(default_factory=NewerNames, repr=False, compare=False)
    # Entities' visuals, kept from the framing samples for the frames and from frame to frame: what is
    # the same throughout (a static map, 100,000 markers logged once) is evaluated once per render.
    cache: SceneCache = field(default_factory=SceneCache, repr=False, compare=False)

    @property
    def aspect(self) -> float:
        return self.width / self.height

    @property
    def duration(self) -> float:
        """Seconds of video."""
        frames = len(self.times) if self.frame_count is None else self.frame_count
        return max(frames, 1) / self.fps

    def scene_at(self, time: int | None) -> Scene:
        """The scene as drawn at a timeline value (None: the static data)."""
        rec = self.recording
        state = rec.static() if time is None or self.timeline is None else rec.latest_at(self.timeline, time)
        return self.draw(state)

    def draw(self, state: Mapping[str, Mapping], cache: SceneCache | None = None) -> Scene:
        """What a latest-at state shows, as drawn: evaluated in the origin's space, then prepared.
        `cache` keeps unchanged entities' visuals across a sequence of states (a render's frames)."""
        return self.prepare(evaluate(state, origin=self.origin, cache=cache, newer=self.newer))

    @cached_property
    def _samples(self) -> list[Scene]:
        if not len(self.times):
            return [self.scene_at(None)]
        picks = np.unique(np.linspace(0, len(self.times) - 1, num=min(len(self.times), ROI_SAMPLES)).round())
        if self.timeline is None:
            return [self.scene_at(int(self.times[int(i)])) for i in picks]
        # One sweep over the samples: what does not change between them is evaluated once.
        times = [int(self.times[int(i)]) for i in picks]
        return [self.draw(state, self.cache) for _, state in self.recording.sweep(self.timeline, times)]

    @cached_property
    def region_of_interest(self) -> Bounds | None:
        """The union of the regions of interest of scenes across the rendered range."""
        return scenes_region_of_interest(self._samples)

    @cached_property
    def up(self) -> np.ndarray:
        """The scene's up (from ViewCoordinates) for the camera: as the timeline's newest state has it,
        whichever frames are rendered (taken from the first rendered frame, a frame rendered alone got
        another camera than in the whole video when ViewCoordinates changed in between), and counting a
        ViewCoordinates logged after the first frames."""
        if self.timeline is None or not len(self.timeline_ticks):
            return self._samples[0].up
        last = int(self.timeline_ticks[-1])
        return self.draw(self.recording.latest_at(self.timeline, last), self.cache).up

    @property
    def center(self) -> np.ndarray:
        roi = self.region_of_interest
        return np.zeros(3) if roi is None else (roi[0] + roi[1]) / 2

    @property
    def size(self) -> float:
        roi = self.region_of_interest
        size = 0.0 if roi is None else float(np.linalg.norm(roi[1] - roi[0]))
        return size if size > 0 and math.isfinite(size) else 1.0

    @cached_property
    def tracker(self) -> EntityTracker:
        return EntityTracker(self.recording, self.timeline, self.draw, self.origin)

    def target_at(self, target: Target, time: int | None) -> np.ndarray:
        """A spec's look-at or centre at a time: a point, an entity's position, or the ROI's centre."""
        if target is None:
            return self.center
        if isinstance(target, str):
            return self.tracker.position(target, time, self.center)
        return np.asarray(target, dtype=np.float64)

    def up_or(self, up: Sequence[float] | None) -> np.ndarray:
        v = self.up if up is None else np.asarray(up, dtype=np.float64)
        n = np.linalg.norm(v)
        if not n or not math.isfinite(n):
            raise CameraError(f"camera.up {list(v)} is not a direction")
        return v / n


def _focus(eye: np.ndarray, forward: np.ndarray, shot: Shot) -> float:
    """How far ahead a camera given by a matrix looks: the ROI centre's depth, never too close."""
    return max(float(np.dot(shot.center - eye, forward)), 0.05 * shot.size, 1e-3)


# --- fixed framings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaticRig:
    pose: CameraPose

    def pose_at(self, frame: FrameTime) -> CameraPose:
        return self.pose


def _auto(spec: AutoCamera, shot: Shot) -> CameraRig:
    return StaticRig(
        fit_camera(
            shot.region_of_interest, shot.up, fov_y_deg=spec.fov, aspect=shot.aspect, margin=spec.margin
        )
    )


def _rerun(spec: RerunCamera, shot: Shot) -> CameraRig:
    return StaticRig(default_camera(shot.region_of_interest, shot.up, spec.fov))


@dataclass(frozen=True)
class FixedRig:
    spec: FixedCamera
    shot: Shot
    up: np.ndarray

    def pose_at(self, frame: FrameTime) -> CameraPose:
        eye = np.asarray(self.spec.position, dtype=np.float64)
        return CameraPose(
            eye=eye,
            target=self.shot.target_at(self.spec.look_at, frame.time),
            up=self.up,
            fov_y_deg=self.spec.fov,
        )


def _fixed(spec: FixedCamera, shot: Shot) -> CameraRig:
    return FixedRig(spec, shot, shot.up_or(spec.up))


# --- orbit ----------------------------------------------------------------------------------------------


def _rotate(v: np.ndarray, axis: np.ndarray, angle: float) -> np.ndarray:
    """Rodrigues: `v` turned by `angle` radians about the unit `axis` (counterclockwise seen from +axis)."""
    c, s = math.cos(angle), math.sin(angle)
    return v * c + np.cross(axis, v) * s + axis * np.dot(axis, v) * (1 - c)


@dataclass(frozen=True)
class OrbitRig:
    spec: OrbitCamera
    shot: Shot
    up: np.ndarray
    start: np.ndarray  # unit horizontal direction from the centre to the eye at angle 0
    elevation: float  # radians
    radius: float

    def direction_at(self, angle: float) -> np.ndarray:
        """Unit direction from the centre to the eye, `angle` radians round from the start."""
        horizontal = _rotate(self.start, self.up, angle)
        return math.cos(self.elevation) * horizontal + math.sin(self.elevation) * self.up

    def offset(self, seconds: float) -> np.ndarray:
        """Unit direction from the centre to the eye at a video time."""
        spec = self.spec
        if spec.period is not None:
            turns = seconds / spec.period
        else:
            turns = (1.0 if spec.turns is None else spec.turns) * seconds / self.shot.duration
        sign = 1.0 if spec.direction == "ccw" else -1.0
        return self.direction_at(sign * (math.radians(spec.start_angle) + 2 * math.pi * turns))

    def pose_at(self, frame: FrameTime) -> CameraPose:
        center = self.shot.target_at(self.spec.center, frame.time)
        eye = center + self.radius * self.offset(frame.seconds)
        return CameraPose(eye=eye, target=center, up=self.up, fov_y_deg=self.spec.fov)


def _orbit(spec: OrbitCamera, shot: Shot) -> CameraRig:
    up = shot.up_or(spec.up)
    back = -default_direction(up)  # from the target toward Rerun's default eye
    horizontal = back - np.dot(back, up) * up
    start = horizontal / np.linalg.norm(horizontal)
    elevation = math.radians(spec.elevation) if spec.elevation is not None else math.asin(np.dot(back, up))
    unit = OrbitRig(spec, shot, up, start, elevation, 1.0)
    roi = shot.region_of_interest
    if spec.radius is not None or roi is None:
        return dataclasses.replace(unit, radius=spec.radius or 1.0)
    center = shot.target_at(spec.center, int(shot.times[0]) if len(shot.times) else None)
    # The subject stays in frame at every angle of the turn: the largest fitted distance wins.
    radius = max(
        fit_distance(
            roi, center, -unit.direction_at(a), up, fov_y_deg=spec.fov, aspect=shot.aspect, margin=0.05
        )
        for a in np.linspace(0, 2 * math.pi, ORBIT_FIT_AZIMUTHS, endpoint=False)
    )
    return dataclasses.replace(unit, radius=radius)


# --- follow ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowRig:
    """Eye = smoothed entity position + offset (rotated with the entity in `frame = "entity"`).

    Smoothing averages the entity over a window of `smoothing` seconds centred on the frame (a render
    knows what comes next, so the camera does not lag behind a steady motion), at times on a fixed grid
    (multiples of window / FOLLOW_SAMPLES from the timeline's first tick), interpolated linearly between
    grid points. The grid does not depend on where a render starts, so a partial render's frames equal
    the same frames of a full one.
    """

    spec: FollowCamera
    shot: Shot
    offset: np.ndarray
    up: np.ndarray
    _grid: dict = field(default_factory=dict, repr=False, compare=False)  # grid time -> smoothed values

    def _raw(self, time: int | None) -> tuple[np.ndarray, np.ndarray]:
        frame = self.shot.tracker.frame(self.spec.entity, time)
        if frame is None:
            return self.shot.center, self.offset
        offset = frame.rotation @ self.offset if self.spec.frame == "entity" else self.offset
        return frame.position, offset

    def _smoothed_at_grid(self, g: int, step: int) -> tuple[np.ndarray, np.ndarray]:
        if g not in self._grid:  # consecutive frames share grid points
            self._grid[g] = self._smoothed(g, step)
        return self._grid[g]

    def _smoothed(self, g: int, step: int) -> tuple[np.ndarray, np.ndarray]:
        ticks = self.shot.timeline_ticks
        half = (FOLLOW_SAMPLES - 1) / 2
        times = [
            int(np.clip(g + round((k - half) * step), ticks[0], ticks[-1])) for k in range(FOLLOW_SAMPLES)
        ]
        weights = half + 1 - np.abs(np.arange(FOLLOW_SAMPLES) - half)  # a triangle: the centre counts most
        samples = [self._raw(t) for t in times]
        position = np.average([s[0] for s in samples], axis=0, weights=weights)
        offset = np.average([s[1] for s in samples], axis=0, weights=weights)
        return position, offset

    def pose_at(self, frame: FrameTime) -> CameraPose:
        window = self.spec.smoothing * self.shot.units_per_second
        step = int(window // FOLLOW_SAMPLES)
        if frame.time is None or step < 1 or not len(self.shot.timeline_ticks):
            position, offset = self._raw(frame.time)
        else:
            origin = int(self.shot.timeline_ticks[0])
            g0 = origin + ((frame.time - origin) // step) * step
            a = (frame.time - g0) / step
            p0, o0 = self._smoothed_at_grid(g0, step)
            p1, o1 = self._smoothed_at_grid(g0 + step, step)
            position, offset = (1 - a) * p0 + a * p1, (1 - a) * o0 + a * o1
        up = self.up
        tracked = self.shot.tracker.frame(self.spec.entity, frame.time)
        if self.spec.frame == "entity" and self.spec.up is not None and tracked is not None:
            up = tracked.rotation @ up  # an up given in entity axes turns with the entity
        return CameraPose(eye=position + offset, target=position, up=up, fov_y_deg=self.spec.fov)


def _follow(spec: FollowCamera, shot: Shot) -> CameraRig:
    up = shot.up_or(spec.up)
    if spec.offset is not None:
        offset = np.asarray(spec.offset, dtype=np.float64)
        if not np.linalg.norm(offset):
            raise CameraError("camera.offset is [0, 0, 0]: the eye would sit on the entity it looks at")
    else:
        # Rerun's default direction, at the distance that fits the entity as it is across the timeline.
        ticks = shot.timeline_ticks
        picks = ticks[np.unique(np.linspace(0, len(ticks) - 1, num=min(len(ticks), 9)).round().astype(int))]
        frames = [shot.tracker.frame(spec.entity, int(t)) for t in picks] if len(ticks) else []
        frames = [f for f in frames if f is not None and f.bounds is not None]
        direction = default_direction(up)
        if frames:
            extents = [f.bounds[1] - f.bounds[0] for f in frames]
            half = np.max(extents, axis=0) / 2
            box = (-half, half)
            d = fit_distance(
                box, np.zeros(3), direction, up, fov_y_deg=spec.fov, aspect=shot.aspect, margin=0.3
            )
        else:
            d = 0.25 * shot.size
        offset = -direction * d
    return FollowRig(spec, shot, offset, up)


# --- pinhole --------------------------------------------------------------------------------------------


def pinhole_pose(shot: Shot, entity: str, time: int | None) -> CameraPose:
    """The camera of the Pinhole on `entity` at a time: its pose, intrinsics and camera axes."""
    frame = pinhole_view(shot.tracker.state(entity, time, subtree=False), entity, shot.origin)
    if frame is None:
        raise CameraError(f"camera.entity {entity!r} has no Pinhole logged at this time")
    world = frame.world_from_camera
    down, forward = (world[:3, i] / (np.linalg.norm(world[:3, i]) or 1.0) for i in (1, 2))
    eye = world[:3, 3].astype(np.float64)
    K, (w, h) = frame.image_from_camera, frame.resolution
    intrinsics = Intrinsics(
        float(K[0, 0]), float(K[1, 1]), float(K[0, 2]), float(K[1, 2]), float(w), float(h)
    )
    fov = math.degrees(2 * math.atan(h / 2 / abs(K[1, 1])))
    return CameraPose(
        eye=eye,
        target=eye + forward * _focus(eye, forward, shot),
        up=-down,
        fov_y_deg=fov,
        intrinsics=intrinsics,
    )


def hide_pinhole_images(scene: Scene, entity: str) -> Scene:
    """`scene` without the frustum of the Pinhole on `entity` and the images on its image plane: seen
    through that Pinhole they would cover the whole frame. Its 2D points and lines stay, as overlays."""
    prefix = entity.rstrip("/") + "/"
    return dataclasses.replace(
        scene,
        lines=tuple(v for v in scene.lines if v.entity_path != entity),
        meshes=tuple(
            v for v in scene.meshes if v.entity_path != entity and not v.entity_path.startswith(prefix)
        ),
    )


@dataclass(frozen=True)
class PinholeRig:
    shot: Shot
    entity: str

    def pose_at(self, frame: FrameTime) -> CameraPose:
        return pinhole_pose(self.shot, self.entity, frame.time)


def _pinhole(spec: PinholeCamera, shot: Shot) -> CameraRig:
    return PinholeRig(shot, spec.entity)


# --- keyframes ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyframeRig:
    spec: KeyframesCamera
    shot: Shot
    times: tuple[float, ...]  # each keyframe's time on the path's axis
    ups: tuple[np.ndarray, ...]
    options: kf.PathOptions

    def pose_at(self, frame: FrameTime) -> CameraPose:
        keys = [
            kf.Key(
                time=t,
                position=np.asarray(k.position, dtype=np.float64),
                look_at=self.shot.target_at(k.look_at, frame.time),
                up=up,
                fov=self.spec.fov if k.fov is None else k.fov,
                ease=k.ease,
                hold=self._hold(k.hold),
            )
            for t, k, up in zip(self.times, self.spec.keyframes, self.ups, strict=True)
        ]
        at = frame.seconds if self.spec.times == "seconds" else float(frame.time or 0)
        return kf.pose_at(keys, at, self.options)

    def _hold(self, seconds: float) -> float:
        return seconds if self.spec.times == "seconds" else seconds * self.shot.units_per_second


def _keyframes(spec: KeyframesCamera, shot: Shot) -> CameraRig:
    if spec.times == "seconds":
        try:
            times = tuple(float(k.time.text) for k in spec.keyframes)
        except ValueError:
            raise CameraError(
                'camera.keyframes: times are video seconds (times = "seconds"), so each time must be a '
                'number; for timeline values set times = "timeline"'
            ) from None
    else:
        kind = shot.recording.timelines[shot.timeline].kind if shot.timeline else None
        if kind is None:
            raise CameraError('camera.times = "timeline" needs a timeline, and this render has none')
        times = tuple(float(k.time.resolve(kind, shot.timeline_ticks)) for k in spec.keyframes)
    period = spec.period
    if period is not None and spec.times == "timeline":
        period *= shot.units_per_second
    options = kf.PathOptions(
        tension=spec.tension,
        continuity=spec.continuity,
        bias=spec.bias,
        loop=spec.loop,
        period=period,
        constant_speed=spec.constant_speed,
    )
    ups = tuple(shot.up_or(k.up) for k in spec.keyframes)
    return KeyframeRig(spec, shot, times, ups, options)


# --- nerfstudio -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NerfstudioRig:
    """A nerfstudio path: its per-frame cameras by video time, or a spline through its keyframes."""

    path: nerfstudio.NerfstudioPath
    shot: Shot
    keys: tuple[kf.Key, ...]
    options: kf.PathOptions

    def pose_at(self, frame: FrameTime) -> CameraPose:
        if self.path.frames:
            return _refocused(nerfstudio.frame_pose(self.path, frame.seconds), self.shot)
        return kf.pose_at(self.keys, frame.seconds, self.options)


def _refocused(pose: CameraPose, shot: Shot) -> CameraPose:
    """A pose read from a matrix (which says where the camera looks, not how far), looking as far ahead
    as the region of interest's centre."""
    forward = (pose.target - pose.eye) / (np.linalg.norm(pose.target - pose.eye) or 1.0)
    return dataclasses.replace(pose, target=pose.eye + forward * _focus(pose.eye, forward, shot))


def _nerfstudio(spec: NerfstudioCamera, shot: Shot) -> CameraRig:
    path = nerfstudio.read_camera_path(spec.path)
    keys: list[kf.Key] = []
    n = len(path.keyframes)
    for i, key in enumerate(path.keyframes):
        time = (
            key.time if key.time is not None else (path.seconds * i / max(n - (0 if path.is_cycle else 1), 1))
        )
        pose = _refocused(nerfstudio.pose_from_matrix(key.camera_to_world, key.fov), shot)
        keys.append(kf.Key(time=time, position=pose.eye, look_at=pose.target, up=pose.up, fov=key.fov))
    if not path.frames and not keys:
        raise CameraError(f"{spec.path}: has neither camera_path frames nor keyframes")
    tension = (
        nerfstudio.tension_from_smoothness(path.smoothness, legacy=path.legacy_viewer)
        if path.smoothness is not None
        else 0.0
    )
    options = kf.PathOptions(
        tension=tension,
        loop=path.is_cycle,
        period=path.seconds if path.is_cycle else None,
        aim="orientation",  # nerfstudio's viewer interpolates orientation alone
    )
    return NerfstudioRig(path, shot, tuple(keys), options)


def camera_only_frames(spec: CameraSpec, fps: float) -> int | None:
    """Frames of a video in which only the camera moves: a loop (an orbit, a looping path) ends one frame
    short of its start again, an open path on its last keyframe; None for a camera that stands still."""
    seconds = camera_only_seconds(spec)
    if seconds is None:
        return None
    loops = isinstance(spec, OrbitCamera) or (isinstance(spec, KeyframesCamera) and spec.loop)
    return max(1, round(seconds * fps) + (0 if loops else 1))


def natural_size(spec: CameraSpec, shot: Shot) -> tuple[int, int] | None:
    """The frame size a camera implies, when the output names none: a Pinhole's resolution at the first
    frame, a nerfstudio path's render size; None for the others."""
    if isinstance(spec, PinholeCamera):
        first = int(shot.times[0]) if len(shot.times) else None
        k = pinhole_pose(shot, spec.entity, first).intrinsics
        return round(k.width), round(k.height)
    if isinstance(spec, NerfstudioCamera):
        path = nerfstudio.read_camera_path(spec.path)
        return path.width, path.height
    return None


def camera_only_seconds(spec: CameraSpec) -> float | None:
    """How long a video lasts when only the camera moves (a recording without timelines): an orbit's
    turns, a keyframed path up to its last keyframe (or one loop), a nerfstudio path's `seconds`; None
    for cameras that stand still without a timeline to follow."""
    if isinstance(spec, OrbitCamera):
        turns = abs(spec.turns) if spec.turns is not None else 1.0
        return turns * (spec.period if spec.period is not None else ORBIT_SECONDS_PER_TURN)
    if isinstance(spec, KeyframesCamera) and spec.times == "seconds":
        try:
            times = [float(k.time.text) for k in spec.keyframes]
        except ValueError:
            return None  # the rig says what is wrong with such times
        if spec.loop:
            return spec.period or (max(times) - min(times)) * len(times) / max(len(times) - 1, 1)
        return max(times) if max(times) > 0 else None
    if isinstance(spec, NerfstudioCamera):
        return nerfstudio.read_camera_path(spec.path).seconds
    return None


RIG_BUILDERS: dict[type, Callable[[CameraSpec, Shot], CameraRig]] = {
    AutoCamera: _auto,
    RerunCamera: _rerun,
    FixedCamera: _fixed,
    OrbitCamera: _orbit,
    KeyframesCamera: _keyframes,
    FollowCamera: _follow,
    PinholeCamera: _pinhole,
    NerfstudioCamera: _nerfstudio,
}


def build_rig(spec: CameraSpec, shot: Shot) -> CameraRig:
    """The rig for a camera spec over a shot."""
    return RIG_BUILDERS[type(spec)](spec, shot)
