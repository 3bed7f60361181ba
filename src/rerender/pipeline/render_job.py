"""A render job: a recording, a timeline range and output settings, turned into a media file."""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..camera.framing import scene_camera
from ..render import Look, Renderer
from ..render.renderer import DEFAULT_LOOK
from ..scene import DRAWN_3D, DRAWN_UNDER_PINHOLE, evaluate
from ..store import Recording
from .frames import frame_times

Progress = Callable[[int, int, float], None]  # (frames done, total, seconds so far)


@dataclass(frozen=True)
class RenderJob:
    """What to render and how."""

    recording: Recording
    output: Path
    timeline: str
    width: int = 1280
    height: int = 720
    fps: float = 30.0
    start: int | None = None
    end: int | None = None
    step: int = 1
    every_tick: bool = False
    speed: float = 1.0
    format: str | None = None
    crf: int = 23
    preset: str = "veryfast"
    look: Look = DEFAULT_LOOK

    def times(self) -> np.ndarray:
        """The timeline values that become frames."""
        rec = self.recording
        return frame_times(
            rec.ticks(self.timeline),
            rec.timelines[self.timeline].kind,
            fps=self.fps,
            start=self.start,
            end=self.end,
            step=self.step,
            every_tick=self.every_tick,
            speed=self.speed,
        )


def _camera_for(job: RenderJob, times: np.ndarray):
    """One fixed camera for the whole video, framing the scene at a few times spread over it."""
    picks = np.unique(np.linspace(0, len(times) - 1, num=min(len(times), 9)).round().astype(int))
    scenes = [evaluate(job.recording.latest_at(job.timeline, int(times[i]))) for i in picks]
    return scene_camera(scenes)


def render_still(
    recording: Recording,
    timeline: str | None,
    time_value: int | None,
    output: Path,
    *,
    width: int = 1280,
    height: int = 720,
    look: Look = DEFAULT_LOOK,
) -> None:
    """One PNG of the scene at `time_value` on `timeline`; of the static data alone if `timeline` is None."""
    import imageio.v3 as iio

    if timeline is None or time_value is None:
        scene = evaluate(recording.static())
    else:
        scene = evaluate(recording.latest_at(timeline, time_value))
    if scene.is_empty():
        warn_nothing_drawn("in its static data" if time_value is None else f"at {timeline} = {time_value}")
    with Renderer(width, height, look) as renderer:
        iio.imwrite(output, renderer.render(scene, scene_camera([scene])))


def run(job: RenderJob, progress: Progress | None = None) -> int:
    """Render every frame of the job into its output; returns the number of frames."""
    from ..media import open_writer

    times = job.times()
    if not len(times):
        raise ValueError(f"timeline {job.timeline!r} has nothing to render in the requested range")
    camera = _camera_for(job, times)
    started = time.perf_counter()
    with (
        Renderer(job.width, job.height, job.look) as renderer,
        open_writer(job.output, fps=job.fps, format=job.format, crf=job.crf, preset=job.preset) as writer,
    ):
        drawn = False
        for done, (t, state) in enumerate(job.recording.sweep(job.timeline, times.tolist()), start=1):
            scene = evaluate(state)
            drawn = drawn or not scene.is_empty()
            frame = renderer.render_rgba(scene, camera)
            writer.write(frame, time=t)
            if progress is not None:
                progress(done, len(times), time.perf_counter() - started)
    if not drawn:
        warn_nothing_drawn(f"on timeline '{job.timeline}'")
    return len(times)


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
