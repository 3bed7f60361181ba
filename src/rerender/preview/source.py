"""What the window shows: a recording planned exactly as `rerender render` plans it (same settings
layers, frame times, size and camera rig), frame by frame; and, for a live server, the newest recording
in its folder, re-read as it grows."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..camera.framing import CameraPose
from ..camera.rigs import CameraError, FrameTime
from ..pipeline.layers import SettingsSources, resolve_settings
from ..pipeline.render_job import JobError, RenderJob, plan
from ..rrd.timeformat import format_time
from ..scene import Scene, SceneCache
from ..store import load


@dataclass(frozen=True)
class Frame:
    """One frame of the planned video: its times, the scene as drawn, and the configured camera's pose."""

    index: int
    time: FrameTime
    scene: Scene
    pose: CameraPose
    label: str  # "frame = 42" (timeline and value), or "static data"


class PlannedRecording:
    """A recording with its resolved settings and render plan; `frame(i)` is frame i of `render`'s video."""

    def __init__(self, path: Path, sources: SettingsSources) -> None:
        self.path = path
        self.recording = load(path)
        self.settings = resolve_settings(self.recording, str(path), sources).settings
        self.plan = plan(RenderJob(self.recording, path, self.settings, source=str(path)))
        self._cache = SceneCache()  # keeps unchanged entities' visuals between the frames shown

    @property
    def frame_count(self) -> int:
        """Frames to step through: the video's, or one (the static data) when there is no video."""
        return max(self.plan.frame_count, 1)

    @property
    def fps(self) -> float:
        return self.plan.shot.fps

    def index_at(self, value: int) -> int:
        """The frame showing timeline value `value`: the first at or after it (the last if none is)."""
        times = self.plan.times
        if not len(times):
            return 0
        return int(min(np.searchsorted(times, value), len(times) - 1))

    def frame(self, index: int) -> Frame:
        p = self.plan
        index = min(max(index, 0), self.frame_count - 1)
        at = p.frame_time(index) if p.frame_count else FrameTime(0.0, None)
        if at.time is None or p.timeline is None:
            scene, label = p.shot.scene_at(None), "static data"
        else:
            state = self.recording.latest_at(p.timeline, at.time)
            scene = p.shot.draw(state, self._cache)
            kind = self.recording.timelines[p.timeline].kind
            label = f"{p.timeline} = {format_time(at.time, kind)}"
        try:
            pose = p.rig.pose_at(at)
        except CameraError as e:
            raise JobError(f"{self.path}: {e}") from None
        return Frame(index, at, scene, pose, label)


@dataclass(frozen=True)
class FileState:
    """A recording file as last seen: it is re-read when its size or modification time changes."""

    path: Path
    size: int
    mtime_ns: int


def newest_recording(paths: Iterable[Path]) -> FileState | None:
    """The most recently written of `paths` that still exist (a live server's recordings)."""
    states = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        states.append(FileState(path, stat.st_size, stat.st_mtime_ns))
    return max(states, key=lambda s: (s.mtime_ns, str(s.path)), default=None)


def plan_growing(path: Path, sources: SettingsSources) -> PlannedRecording:
    """A recording that is still arriving, planned from what has arrived. Its cut-off tail is expected,
    so the reader's warning about it is not repeated on every re-read; errors are the caller's to show."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return PlannedRecording(path, sources)
