"""One render split into pieces that run in parallel (`rerender render --workers N`), then joined.

A video's frames are a pure function of their time (the camera and the scene are evaluated per frame
from the recording), so any range of frames renders alone. The frame range is cut into `N` contiguous
chunks whose boundaries fall on H.264 keyframes (every two seconds, see `rerender.media`); each chunk
is rendered by a worker into an MP4 of its own with the same encoder settings, and the chunks are
joined by stream copy. The joined video decodes to exactly the frames of a one-process render.

Workers receive a `RenderTask` (paths and settings, all picklable) and open the recording themselves, so
the same tasks run in a local process pool or on a Ray cluster with shared storage. The calling process,
which has the recording open and would otherwise wait, renders one chunk itself beside `N - 1` workers:
one process fewer to start (its imports, recording and GL context), a tenth of the render on two cores.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..media import join_videos, keyframe_interval, resolve_format
from .executors import (
    Executor,
    LocalExecutor,
    limited_threads,
    make_executor,
    match_niceness,
    threads_per_task,
)
from .render_job import FrameRange, JobError, RenderJob, frame_count, plan, run, save_camera_path
from .settings import RenderSettings

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


def warm_up() -> int:
    """The worker's nice value; running it makes a new worker import this module, and the renderer."""
    return os.nice(0)


def start_executor(
    name: str, workers: int, address: str | None = None
) -> concurrent.futures.Future[Executor]:
    """The executor for a render split over `workers`, made in a background thread, its workers warming
    up (importing the renderer, or Ray connecting and starting them) while the caller opens the recording
    and resolves its settings; the future is done when a Ray executor's workers are ready. It takes
    `workers - 1` tasks at once (a local pool's processes each with a `workers`-th of the cores): the
    caller is the last worker (see `render_split`)."""
    made: concurrent.futures.Future[Executor] = concurrent.futures.Future()

    def make() -> None:
        try:
            executor = make_executor(name, max(1, workers - 1), address, threads=threads_per_task(workers))
            warm = [executor.submit(warm_up) for _ in range(executor.slots)]
            if executor.name != "local":
                # Ready once Ray's workers are: one starting (2-3 s) beside this process's own chunk
                # competes for the cores and starts its chunk seconds late. A local pool's workers
                # start in under a second, at the parent's niceness, so the parent need not wait.
                executor.niceness = max(w.result() for w in warm)
            made.set_result(executor)
        except BaseException as e:  # handed to whoever waits on the future
            made.set_exception(e)

    threading.Thread(target=make, name="rerender-executor", daemon=True).start()
    return made


def render_chunk(task: RenderTask, threads: int | None = None) -> ChunkResult:
    """Render one task's frames into its output (runs in a worker process)."""
    from ..store import load

    started, cpu = time.perf_counter(), time.process_time()
    job = RenderJob(load(task.recording), task.output, task.settings, source=task.source)
    run(job, frames=task.frames, threads=threads)
    frames = task.frames or FrameRange(0, 0)
    return ChunkResult(frames, task.output, time.perf_counter() - started, time.process_time() - cpu)


def render_split(
    task: RenderTask,
    workers: int,
    *,
    executor: Executor | None = None,
    save_camera_path_to: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ChunkResult]:
    """Render `task` in up to `workers` chunks and join them into `task.output`: this process renders
    one chunk itself, with a fair share of this machine's cores, and `executor` (a local pool of
    `workers - 1` processes when None) the others. `progress(chunks done, chunks)` is called as
    chunks finish."""
    from ..store import load

    fmt = resolve_format(task.output, task.settings.output.format)
    if fmt not in SPLITTABLE_FORMATS:
        raise JobError(
            f"{task.output}: --workers splits H.264 MP4 renders (chunks joined without a second encode); "
            f"this output is {fmt}: render it with one process, or write an .mp4"
        )
    job = RenderJob(load(task.recording), task.output, task.settings, source=task.source)
    # Only the frames' times are needed to cut the video: the camera is planned by each worker (and
    # its errors come back from them), so the parent does not hold them up.
    count = frame_count(job)
    if not count:
        raise JobError(f"{task.source}: nothing to render in the requested range")
    chunks = split_frames(count, workers, keyframe_interval(task.settings.output.fps))
    parts_dir = task.output.with_name(f".{task.output.name}.parts")
    parts_dir.mkdir(parents=True, exist_ok=True)
    tasks = [
        RenderTask(task.recording, parts_dir / f"{i:04d}.mp4", task.settings, chunk, task.source)
        for i, chunk in enumerate(chunks)
    ]
    threads = threads_per_task(len(tasks))
    own = executor is None
    pool = executor or LocalExecutor(max(1, len(tasks) - 1), threads)
    # This process renders the shortest chunk: it started the workers, so it is ready last.
    mine = min(range(len(tasks)), key=lambda i: len(chunks[i]))
    try:
        futures = {i: pool.submit(render_chunk, t, pool.threads) for i, t in enumerate(tasks) if i != mine}
        match_niceness(pool.niceness)
        with limited_threads(threads):
            results = {mine: render_chunk(tasks[mine], threads)}
        if progress is not None:
            progress(len(results), len(tasks))
        for i, future in futures.items():
            results[i] = future.result()
            if progress is not None:
                progress(len(results), len(tasks))
    finally:
        if own:
            pool.close()
    join_videos([t.output for t in tasks], task.output)
    shutil.rmtree(parts_dir, ignore_errors=True)
    if save_camera_path_to is not None:
        save_camera_path(plan(job), save_camera_path_to)
    return [results[i] for i in range(len(tasks))]
