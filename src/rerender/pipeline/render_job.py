"""A render job: a recording, an output path and `RenderSettings`, turned into a media file or a still.

`plan(job)` resolves the settings against the recording (timeline, frame times, size, camera rig)
before anything is drawn; `run` renders a video or image sequence, `render_still` one picture. A still
is the frame the same settings would put in the video at that time (same camera).
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..camera.framing import CameraPose
from ..camera.rigs import (
    CameraError,
    CameraRig,
    FrameTime,
    Shot,
    build_rig,
    camera_only_frames,
    hide_pinhole_images,
    natural_size,
)
from ..camera.specs import PinholeCamera
from ..errors import RerenderError
from ..rrd import TimeKind
from ..rrd.paths import normalize_entity_path
from ..scene import DRAWN_3D, DRAWN_UNDER_PINHOLE, Scene
from ..scene.overrides import apply_entity_filter
from ..store import Recording
from ..values import MIN_SIZE, Size, TimeValue
from .executors import threads_per_task
from .frames import default_timeline, frame_times
from .settings import DEFAULT_SIZE, OutputSettings, RenderSettings

if TYPE_CHECKING:
    from ..media import FrameWriter
    from ..render.backends import FrameRenderer

Progress = Callable[[int, int, float], None]  # (frames done, total, seconds so far)

# x264's fast presets encode a frame in less time than it takes to draw it, and with their default of
# more threads than cores they fight the renderer (its main thread and llvmpipe's) for the cores. With
# half the cores, the DNA example rendered on two cores in 0.78x the time at 640x480, 0.86x at 1280x720
# and no more at 1920x1080 (README, Speed). Slower presets and VP9 take longer than the drawing: they
# keep their own choice.
FAST_X264_PRESETS = frozenset({"ultrafast", "superfast", "veryfast"})


def encoder_threads(fmt: str, preset: str, cores: int | None = None) -> int | None:
    """The encoder's threads for a render that may use `cores` (None: all of this machine's): half of
    them for x264's fast presets, else all of them (None: the encoder's own choice)."""
    return threads_per_task(2, cores) if fmt == "mp4" and preset in FAST_X264_PRESETS else cores


class JobError(RerenderError):
    """Settings that do not fit the recording (a missing timeline, an empty range, a bad camera)."""


@dataclass(frozen=True)
class RenderJob:
    """What to render and how: `save_camera_path` also writes each frame's camera as nerfstudio JSON."""

    recording: Recording
    output: Path
    settings: RenderSettings = field(default_factory=RenderSettings)
    save_camera_path: Path | None = None
    source: str = "the recording"  # how errors name the recording (its path, from the CLI)


@dataclass(frozen=True)
class Plan:
    """A job resolved against its recording: what is drawn at which times, how big, from where."""

    timeline: str | None  # None: the recording has static data only
    times: np.ndarray  # timeline values of the frames (empty without a timeline)
    size: Size
    rig: CameraRig
    shot: Shot

    @property
    def frame_count(self) -> int:
        """Frames of the video; without a timeline, those a moving camera makes of the static data."""
        return len(self.times) if self.timeline is not None else (self.shot.frame_count or 0)

    def frame_time(self, index: int) -> FrameTime:
        t = int(self.times[index]) if len(self.times) else None
        return FrameTime(seconds=index / self.shot.fps, time=t)

    def frame_time_of(self, value: int | None) -> FrameTime:
        """The frame a still at timeline value `value` would be: its video time is that of the nearest
        frame at or after it in the full render."""
        if value is None or not len(self.times):
            return FrameTime(0.0, value)
        index = int(min(np.searchsorted(self.times, value), len(self.times) - 1))
        return FrameTime(seconds=index / self.shot.fps, time=value)


def resolve_timeline(recording: Recording, name: str | None, source: str = "the recording") -> str | None:
    """The timeline to play: `name`, else the first that is not log_time/log_tick (log_time when it is the
    only one); None for a recording with static data only."""
    if name is None:
        return default_timeline(list(recording.timelines))
    if name not in recording.timelines:
        known = ", ".join(recording.timelines) or "none (static data only)"
        raise JobError(f"{source}: no timeline {name!r} to render; the recording has: {known}")
    return name


def _resolve(
    value: TimeValue | None, option: str, kind: TimeKind, ticks: np.ndarray, timeline: str
) -> int | None:
    if value is None:
        return None
    try:
        return value.resolve(kind, ticks)
    except ValueError as e:
        raise JobError(f"time.{option} for timeline {timeline!r} ({kind.value}): {e}") from None


@dataclass(frozen=True)
class Schedule:
    """Which times of which timeline become frames (no camera, no scene: cheap to work out)."""

    timeline: str | None  # None: static data only
    times: np.ndarray  # the frames' timeline values
    ticks: np.ndarray  # every logged time on the timeline
    units_per_second: float  # timeline units per second of video


def schedule(job: RenderJob) -> Schedule:
    """The frames' times for a job's settings; JobError for a timeline or range that does not fit."""
    rec, settings = job.recording, job.settings
    ts = settings.time
    timeline = resolve_timeline(rec, ts.timeline, job.source)
    if timeline is None:
        return Schedule(None, np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), 1e9)
    kind = rec.timelines[timeline].kind
    ticks = rec.ticks(timeline)
    times = frame_times(
        ticks,
        kind,
        fps=settings.output.fps,
        start=_resolve(ts.start, "start", kind, ticks, timeline),
        end=_resolve(ts.end, "end", kind, ticks, timeline),
        step=ts.step,
        every_tick=ts.every_tick,
        speed=ts.speed,
    )
    # A sequence timeline gives one frame per tick (every step-th); the others play in real time.
    units = settings.output.fps * ts.step if kind == TimeKind.SEQUENCE else 1e9 * ts.speed
    return Schedule(timeline, times, ticks, units)


def frame_count(job: RenderJob) -> int:
    """How many frames the job's video has (what `plan(job).frame_count` says, without the camera)."""
    s = schedule(job)
    return (
        len(s.times)
        if s.timeline is not None
        else camera_only_frames(job.settings.camera, job.settings.output.fps) or 0
    )


def nothing_to_render(job: RenderJob, timeline: str | None) -> JobError:
    """Why a video of `job` has no frames: static data only with a camera that stands still, or a
    range of `timeline` with no times in it."""
    if timeline is None:
        still = job.output.with_suffix(".png").name
        return JobError(
            f"{job.source}: holds static data only (no timeline), so there is no video to make with a "
            f"camera that stands still; render a still image instead, e.g. -o {still}, or move the camera "
            "(--camera orbit, a keyframes config or a nerfstudio path)"
        )
    return JobError(f"{job.source}: timeline {timeline!r} has nothing to render in the requested range")


def output_format(output: Path, out: OutputSettings) -> str:
    """The media format `output` is written in, checked against the settings (its crf range); raises
    JobError before anything is drawn."""
    from ..media import crf_problem, resolve_format

    try:
        fmt = resolve_format(output, out.format)
    except ValueError as e:
        raise JobError(str(e)) from None
    if (problem := crf_problem(fmt, out.crf)) is not None:
        raise JobError(f"{output}: {problem}")
    return fmt


def plan(job: RenderJob) -> Plan:
    """Resolve a job's settings against its recording; raises JobError before anything is drawn."""
    rec, settings = job.recording, job.settings
    s = schedule(job)
    timeline, times, ticks, units_per_second = s.timeline, s.times, s.ticks, s.units_per_second
    entities, camera = settings.entities, settings.camera

    def prepare(scene: Scene) -> Scene:
        scene = apply_entity_filter(scene, entities)
        # Looking through a Pinhole, its own frustum and images would cover the view.
        return hide_pinhole_images(scene, camera.entity) if isinstance(camera, PinholeCamera) else scene

    size = settings.output.size
    shot = Shot(
        recording=rec,
        timeline=timeline,
        times=times,
        fps=settings.output.fps,
        width=(size or DEFAULT_SIZE).width,
        height=(size or DEFAULT_SIZE).height,
        prepare=prepare,
        origin=normalize_entity_path(settings.view.origin),
        units_per_second=units_per_second,
        timeline_ticks=ticks,
        frame_count=None if timeline is not None else camera_only_frames(camera, settings.output.fps),
    )
    try:
        if size is None and (natural := natural_size(camera, shot)) is not None:
            size = Size(*(max(MIN_SIZE, n) for n in natural))
            shot = dataclasses.replace(shot, width=size.width, height=size.height)
        rig = build_rig(camera, shot)
    except CameraError as e:
        raise JobError(f"{job.source}: {e}") from None
    return Plan(timeline, times, size or DEFAULT_SIZE, rig, shot)


def _pose(plan_: Plan, frame: FrameTime, source: str) -> CameraPose:
    try:
        return plan_.rig.pose_at(frame)
    except CameraError as e:
        raise JobError(f"{source}: {e}") from None


def render_still(job: RenderJob) -> None:
    """One PNG at `settings.time.still` (of the static data alone when the recording has no timeline)."""
    import imageio.v3 as iio

    p = plan(job)
    at = None
    if p.timeline is not None:
        still = job.settings.time.still or TimeValue("end")
        kind = job.recording.timelines[p.timeline].kind
        at = _resolve(still, "still", kind, p.shot.timeline_ticks, p.timeline)
    scene = p.shot.scene_at(at)
    if scene.is_empty():
        warn_nothing_drawn("in its static data" if at is None else f"at {p.timeline} = {at}")
    frame = p.frame_time_of(at)
    pose = _pose(p, frame, job.source)
    with job.settings.look.open_renderer(p.size.width, p.size.height) as renderer:
        image = renderer.render(scene, pose)
    # Written under a hidden name and renamed, so a killed render leaves no truncated picture.
    partial = job.output.with_name(f".{job.output.name}.partial")
    iio.imwrite(partial, image, extension=job.output.suffix)
    partial.replace(job.output)
    if job.save_camera_path is not None:
        _save_camera_path(job, [pose], p.size)


@dataclass(frozen=True)
class FrameRange:
    """Frames `start` (inclusive) to `stop` (exclusive) of a job's video, by index."""

    start: int
    stop: int

    def __len__(self) -> int:
        return max(0, self.stop - self.start)


def run(
    job: RenderJob,
    progress: Progress | None = None,
    *,
    frames: FrameRange | None = None,
    threads: int | None = None,
    stop: Callable[[int], int] | None = None,
    resume: bool = False,
    keep_partial: bool = False,
    writer: FrameWriter | None = None,
    planned: Plan | None = None,
    renderer: FrameRenderer | None = None,
) -> int:
    """Render the job's frames (all, or the range `frames`: a piece of the same video, with the same
    camera) into its output, or into `writer` when given (which then owns the encoding options);
    returns the number of frames written. `threads` is the cores the render may use (a split's piece,
    a pipeline's job; default all), of which the encoder takes `encoder_threads`.
    `stop(index)`, asked before each frame, may end the range early: the frame index to stop at (a
    split render hands the frames after it to other workers). With `resume`, PNG frames already on disk
    (from a render of the same job that was killed) are kept, not drawn again. After an error the
    output is removed, or with `keep_partial` left readable at the writer's `partial_path`. `planned`
    (the job's `plan`) and `renderer` (of the plan's size, left open) are given by a caller that renders
    several pieces of one video in a row (see `pipeline.split`)."""
    from ..media import open_writer

    out = job.settings.output
    fmt = output_format(job.output, out)
    p = planned if planned is not None else plan(job)
    if not p.frame_count:
        raise nothing_to_render(job, p.timeline)
    span = frames or FrameRange(0, p.frame_count)
    if not 0 <= span.start < span.stop <= p.frame_count:
        raise JobError(f"{job.source}: frames {span.start}..{span.stop} are outside 0..{p.frame_count}")
    poses: list[CameraPose] = []
    started = time.perf_counter()
    if writer is None:
        encoder = encoder_threads(fmt, out.preset, threads)
        writer = open_writer(
            job.output, fps=out.fps, format=out.format, crf=out.crf, preset=out.preset, threads=encoder
        )
    opened = (
        contextlib.nullcontext(renderer)
        if renderer is not None
        else job.settings.look.open_renderer(p.size.width, p.size.height)
    )
    with _writing(writer, keep_partial), opened as renderer:
        drawn, written = False, 0
        for index, t, scene_now in _scenes(job, p, span):
            if stop is not None and index >= stop(index):
                break
            pose = _pose(p, p.frame_time(index), job.source)
            poses.append(pose)
            if resume and writer.has_frame():  # a frame of the killed render this one continues
                writer.skip(t)
                drawn = True  # (that render said whether anything was)
            else:
                scene = scene_now()
                drawn = drawn or not scene.is_empty()
                writer.write(renderer.render_rgba(scene, pose), time=t)
            written += 1
            if progress is not None:
                progress(written, len(span), time.perf_counter() - started)
    if not drawn:
        warn_nothing_drawn(f"on timeline '{p.timeline}'" if p.timeline else "in its static data")
    if job.save_camera_path is not None:
        _save_camera_path(job, poses, p.size)
    return written


@contextlib.contextmanager
def _writing(writer: FrameWriter, keep_partial: bool) -> Iterator[FrameWriter]:
    """`writer`, closed at the end; after an error (Ctrl-C too) its output is removed, or with
    `keep_partial` left readable."""
    try:
        yield writer
    except BaseException:
        writer.abort(keep=keep_partial)
        raise
    writer.close()


def _scenes(
    job: RenderJob, p: Plan, span: FrameRange
) -> Iterator[tuple[int, int | None, Callable[[], Scene]]]:
    """(frame index, timeline value, its scene when asked) per frame of `span`: a sweep along the
    timeline, or the static scene again and again when only the camera moves. A frame kept from a
    killed render is never asked for its scene (the sweep still passes its time)."""
    indices = range(span.start, span.stop)
    if p.timeline is None:
        scene = p.shot.scene_at(None)
        for index in indices:
            yield index, None, lambda: scene
        return
    times = p.times[span.start : span.stop].tolist()
    cache = p.shot.cache  # what did not change (since the framing samples, too) is not evaluated again
    for index, (t, state) in zip(indices, job.recording.sweep(p.timeline, times), strict=True):
        yield index, t, lambda state=state: p.shot.draw(state, cache)


def _save_camera_path(job: RenderJob, poses: list[CameraPose], size: Size) -> None:
    from ..camera.nerfstudio import write_camera_path

    write_camera_path(
        job.save_camera_path, poses, width=size.width, height=size.height, fps=job.settings.output.fps
    )


def save_camera_path(p: Plan, path: Path, source: str = "the recording") -> None:
    """Every frame's camera of a planned video as a nerfstudio camera path (no frame is drawn)."""
    from ..camera.nerfstudio import write_camera_path

    poses = [_pose(p, p.frame_time(i), source) for i in range(p.frame_count)]
    write_camera_path(path, poses, width=p.size.width, height=p.size.height, fps=p.shot.fps)


def warn_nothing_drawn(where: str) -> None:
    """Say why the output is empty (a recording of scalars or logs, or 2D data without a camera)."""
    warnings.warn(
        f"nothing in the recording is drawn in 3D {where}, so the output shows an empty scene: rerender "
        f"draws {', '.join(DRAWN_3D)}, and {', '.join(DRAWN_UNDER_PINHOLE[1:])} only under a Pinhole",
        stacklevel=2,
    )


def bar_progress(width: int = 30) -> Progress:
    """A progress bar redrawn in place, with frames per second and ETA (for terminals)."""

    def report(done: int, total: int, elapsed: float) -> None:
        fps = done / elapsed if elapsed else 0.0
        eta = (total - done) / fps if fps else 0.0
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done == total else ""
        print(
            f"\r[{bar}] {done}/{total}  {fps:.1f} fps  ETA {eta:.0f}s ", end=end, file=sys.stderr, flush=True
        )

    return report


def text_progress(every: float = 2.0) -> Progress:
    """Plain progress lines every `every` seconds (for logs and CI, where bars are noise)."""
    last = [0.0]

    def report(done: int, total: int, elapsed: float) -> None:
        if elapsed - last[0] >= every or done == total:
            last[0] = elapsed
            fps = done / elapsed if elapsed else 0.0
            eta = (total - done) / fps if fps else 0.0
            print(f"frame {done}/{total}  {fps:.1f} fps  ETA {eta:.0f}s", file=sys.stderr, flush=True)

    return report
