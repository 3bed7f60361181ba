"""One render split into pieces that run in parallel (`rerender render --workers N`), then joined.

A video's frames are a pure function of their time (the camera and the scene are evaluated per frame
from the recording), so any range of frames renders alone. The frame range is cut into `N` contiguous
chunks whose boundaries fall on H.264 keyframes (every two seconds, see `rerender.media`); each chunk
is rendered by a worker into an MP4 of its own with the same encoder settings, and the chunks are
joined by stream copy. The joined video decodes to exactly the frames of a one-process render.

Workers receive a `RenderTask` (paths and settings, all picklable) and open the recording themselves, so
the same tasks run in a local process pool or on a Ray cluster with shared storage. The calling process,
which has the recording open and would otherwise wait, is one of the N: it starts at the first frame at
once, and when the executor's `N - 1` workers are ready it hands them the frames after an even share of
what is left (a keyframe boundary past where it is). One process fewer to start (imports, recording, GL
context: a tenth of the render on two cores), and nobody waits for a slow start (Ray's workers take 2-3 s).
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import itertools
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..media import join_videos, keyframe_interval, resolve_format
from .executors import (
    Executor,
    LocalExecutor,
    limited_threads,
    make_executor,
    threads_per_task,
)
from .render_job import FrameRange, JobError, RenderJob, frame_count, plan, run, save_camera_path
from .settings import RenderSettings

if TYPE_CHECKING:
    from ..store import Recording

SPLITTABLE_FORMATS = ("mp4",)


@dataclass(frozen=True)
class RenderTask:
    """A render a worker can do alone: the recording's path, the output, the settings, and optionally
    which frames (a piece of the full video)."""

    recording: Path
    output: Path
    settings: RenderSettings
    frames: FrameRange | None = None
    source: str = "the recording"


@dataclass(frozen=True)
class ChunkResult:
    """What one worker did: its frames and how long it took (wall and CPU seconds, for the benchmark)."""

    frames: FrameRange
    output: Path
    wall_seconds: float
    cpu_seconds: float


def split_frames(count: int, parts: int, keyframe_every: int) -> list[FrameRange]:
    """`count` frames in at most `parts` contiguous ranges of nearly equal size whose starts are multiples
    of `keyframe_every` (fewer ranges when there are fewer keyframe intervals than parts)."""
    if count <= 0:
        return []
    intervals = -(-count // keyframe_every)
    parts = max(1, min(parts, intervals))
    # Each boundary at the keyframe nearest to an even split of the frames.
    cuts = sorted({round(i * count / parts / keyframe_every) * keyframe_every for i in range(1, parts)})
    bounds = [0, *(c for c in cuts if 0 < c < count), count]
    return [FrameRange(a, b) for a, b in itertools.pairwise(bounds)]


def warm_up() -> None:
    """Nothing: running it makes a new worker import this module, and with it the renderer."""


def start_executor(
    name: str, workers: int, address: str | None = None
) -> concurrent.futures.Future[Executor]:
    """The executor for a render split over `workers`, made in a background thread, its workers warming
    up (importing the renderer, or Ray connecting and starting them) while the caller opens the recording
    and resolves its settings; the future is done when a Ray executor's workers are ready. It takes
    `workers - 1` tasks at once (a local pool's processes each with a `workers`-th of the cores): the
    caller is the last worker, and hands frames over when the future is done (see `render_split`)."""
    made: concurrent.futures.Future[Executor] = concurrent.futures.Future()

    def make() -> None:
        try:
            executor = make_executor(name, max(1, workers - 1), address, threads=threads_per_task(workers))
            warm = [executor.submit(warm_up) for _ in range(executor.slots)]
            if executor.name != "local":
                # Ready once Ray's workers are up (2-3 s): frames handed over before then would wait.
                # A local pool's workers start in under a second, while the caller opens the recording.
                for w in warm:
                    w.result()
            made.set_result(executor)
        except BaseException as e:  # handed to whoever waits on the future
            made.set_exception(e)

    threading.Thread(target=make, name="rerender-executor", daemon=True).start()
    return made


def render_chunk(
    task: RenderTask,
    threads: int | None = None,
    stop: Callable[[int], int] | None = None,
    recording: Recording | None = None,
) -> ChunkResult:
    """Render one task's frames into its output (runs in a worker process, or in the caller with `stop`,
    which may end the range early: see `render_job.run`, and `recording`, the task's, already open)."""
    from ..store import load

    started, cpu = time.perf_counter(), time.process_time()
    rec = recording if recording is not None else load(task.recording)
    job = RenderJob(rec, task.output, task.settings, source=task.source)
    written = run(job, frames=task.frames, threads=threads, stop=stop)
    first = task.frames.start if task.frames is not None else 0
    frames = FrameRange(first, first + written)
    return ChunkResult(frames, task.output, time.perf_counter() - started, time.process_time() - cpu)


@dataclass
class _Handoff:
    """The caller's `stop` for a split render: once the executor is ready, the frames after the caller's
    position are shared out, the caller keeping an even share from where it is and the executor's
    workers taking the rest in keyframe-aligned chunks. Asked between the caller's frames, on its thread."""

    task: RenderTask
    made: concurrent.futures.Future[Executor]
    count: int
    keyframe_every: int
    parts_dir: Path
    cut: int | None = None
    handed: list[tuple[RenderTask, concurrent.futures.Future[ChunkResult]]] = field(default_factory=list)

    def __call__(self, index: int) -> int:
        if self.cut is None and self.made.done():
            pool = self.made.result()  # an executor that could not start fails the render here
            every = self.keyframe_every
            share = (self.count - index) / (pool.slots + 1)
            earliest = -(-(index + 1) // every) * every  # the caller is past `index`: cut after it
            self.cut = min(self.count, max(earliest, round((index + share) / every) * every))
            rest = split_frames(self.count - self.cut, pool.slots, every)
            for i, chunk in enumerate(rest, start=1):
                frames = FrameRange(self.cut + chunk.start, self.cut + chunk.stop)
                part = dataclasses.replace(self.task, output=self.parts_dir / f"{i:04d}.mp4", frames=frames)
                self.handed.append((part, pool.submit(render_chunk, part, pool.threads)))
        return self.count if self.cut is None else self.cut


def render_split(
    task: RenderTask,
    workers: int,
    *,
    executor: Executor | concurrent.futures.Future[Executor] | None = None,
    save_camera_path_to: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    recording: Recording | None = None,
) -> list[ChunkResult]:
    """Render `task` in up to `workers` keyframe-aligned chunks and join them into `task.output`. This
    process starts at the first frame at once; when `executor` is ready (a local pool of `workers - 1`
    processes when None; a future while it starts, see `start_executor`) the frames after this process's
    position are shared between it and the executor's workers, so none waits for the others to start.
    `progress(chunks done, chunks)` is called as chunks finish. `recording` is the task's, when the
    caller has it open already (this process then reads and indexes it once, not again)."""
    from ..store import load

    fmt = resolve_format(task.output, task.settings.output.format)
    if fmt not in SPLITTABLE_FORMATS:
        raise JobError(
            f"{task.output}: --workers splits H.264 MP4 renders (chunks joined without a second encode); "
            f"this output is {fmt}: render it with one process, or write an .mp4"
        )
    rec = recording if recording is not None else load(task.recording)
    job = RenderJob(rec, task.output, task.settings, source=task.source)
    # Only the frames' times are needed to cut the video: the camera is planned by each worker (and
    # its errors come back from them), so the parent does not hold them up.
    count = frame_count(job)
    if not count:
        raise JobError(f"{task.source}: nothing to render in the requested range")
    parts_dir = task.output.with_name(f".{task.output.name}.parts")
    parts_dir.mkdir(parents=True, exist_ok=True)
    threads = threads_per_task(workers)
    own = LocalExecutor(max(1, workers - 1), threads) if executor is None else None
    made = _ready(own or executor)
    handoff = _Handoff(task, made, count, keyframe_interval(task.settings.output.fps), parts_dir)
    mine = dataclasses.replace(task, output=parts_dir / "0000.mp4", frames=FrameRange(0, count))
    try:
        with limited_threads(threads):
            results = [render_chunk(mine, threads, handoff if workers > 1 else None, job.recording)]
        if progress is not None:
            progress(1, 1 + len(handoff.handed))
        for _, future in handoff.handed:
            results.append(future.result())
            if progress is not None:
                progress(len(results), 1 + len(handoff.handed))
    finally:
        if own is not None:
            own.close()
    join_videos([mine.output, *(part.output for part, _ in handoff.handed)], task.output)
    shutil.rmtree(parts_dir, ignore_errors=True)
    if save_camera_path_to is not None:
        save_camera_path(plan(job), save_camera_path_to)
    return results


def _ready(executor: Executor | concurrent.futures.Future[Executor]) -> concurrent.futures.Future[Executor]:
    if isinstance(executor, concurrent.futures.Future):
        return executor
    made: concurrent.futures.Future[Executor] = concurrent.futures.Future()
    made.set_result(executor)
    return made
