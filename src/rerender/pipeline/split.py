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

Where the pieces start is only a first guess; who renders what is settled as the render goes, so that
a worker that starts late or runs slower leaves nobody waiting for it. Every process claims each
two-second block (one keyframe interval) just before it renders it, by creating the block's file in the
parts folder (`Claims`), and stops at the first block somebody else has claimed. A process that stops
takes the back half of the largest run of blocks nobody has claimed yet (it claims that half's first
block and goes on from there), until every block is claimed. So all end within about a block of each
other, and each block is rendered once, by whoever claimed it.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import itertools
import os
import shutil
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..media import join_videos, joined_pieces, keyframe_interval
from .executors import (
    Executor,
    LocalExecutor,
    WorkerDied,
    limited_threads,
    make_executor,
    may_fork,
    threads_per_task,
)
from .render_job import (
    FrameRange,
    JobError,
    Plan,
    RenderJob,
    frame_count,
    nothing_to_render,
    output_format,
    plan,
    run,
    save_camera_path,
    schedule,
)
from .settings import RenderSettings

if TYPE_CHECKING:
    from ..render.backends import FrameRenderer
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
    claims: Claims | None = None  # claim each keyframe interval before rendering it (a split's pieces)


@dataclass(frozen=True)
class ChunkResult:
    """What one worker did: its frames and how long it took (wall and CPU seconds, for the benchmark)."""

    frames: FrameRange
    output: Path
    wall_seconds: float
    cpu_seconds: float


@dataclass(frozen=True)
class Claims:
    """Who renders which block (keyframe interval) of a split render: whoever first creates its file in
    `folder`. Exclusive creation is atomic on local disks and on NFS, so this works on a cluster's shared
    storage as well as on one machine, with no server to ask."""

    folder: Path
    every: int  # frames per block: the keyframe interval
    count: int  # frames of the video

    @property
    def blocks(self) -> int:
        """The blocks of the video: the last takes a remainder too short to be a piece of its own (see
        `media.joined_pieces`), so no piece starts in it."""
        return joined_pieces(self.count, self.every)

    def claim(self, block: int) -> bool:
        """Take `block`; False when somebody already has."""
        try:
            os.close(os.open(self.folder / f"{block:06d}", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True

    def steal(self) -> int | None:
        """Claim the first block of the back half (rounded up) of the largest run of unclaimed blocks,
        and return its first frame; None when every block is claimed. Whoever renders into that run
        from the front stops there."""
        while True:
            taken = {int(name) for name in os.listdir(self.folder) if name.isdigit()}
            runs = []  # (length, first block) of each run of unclaimed blocks
            for unclaimed, group in itertools.groupby(range(self.blocks), key=lambda b: b not in taken):
                if unclaimed:
                    run = list(group)
                    runs.append((len(run), run[0]))
            if not runs:
                return None
            size, first = max(runs)
            block = first + size // 2
            if self.claim(block):
                return block * self.every
            # (somebody claimed it in the meantime: look again)


@dataclass
class _Claimant:
    """A process's `stop` (see `render_job.run`): it claims each block as it reaches the block's first
    frame, and stops at the first block somebody else has claimed."""

    claims: Claims
    stop: int
    held: int = -1  # the block last claimed (a thief claims its first block before it starts)

    def __call__(self, index: int) -> int:
        block, start = divmod(index, self.claims.every)
        # (the frames after the last block's start all belong to it: a short tail has no claim of its own)
        if index < self.stop and start == 0 and block != self.held and block < self.claims.blocks:
            if self.claims.claim(block):
                self.held = block
            else:
                self.stop = index
        return self.stop


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
    """The executor for a render split over `workers`, started while the caller opens the recording and
    resolves its settings. A local pool is made at once, of copies of this process when it has not
    touched GL yet (a command at its start; see `may_fork`), else of fresh processes that start
    importing the renderer; Ray connects in a background thread. It takes `workers - 1` tasks at once
    (a local pool's processes each with a `workers`-th of the cores): the caller is the last worker, and
    hands out frames when the future is done (see `render_split`). Ray's workers start only then, with
    the frames they are given: one that starts late finds its first blocks claimed by the caller, and
    takes what is left (see `Claims`)."""
    made: concurrent.futures.Future[Executor] = concurrent.futures.Future()
    slots, threads = max(1, workers - 1), threads_per_task(workers)
    if name == "local":
        # Made now, in the calling thread (before the recording opens or any other thread starts): copies
        # of this process skip the imports a spawned worker spends its first second on.
        pool = LocalExecutor(slots, threads, fork=may_fork())
        for _ in range(pool.slots):
            pool.submit(warm_up)  # starts the processes
        made.set_result(pool)
        return made

    def make() -> None:
        try:
            made.set_result(make_executor(name, slots, address, threads=threads))
        except BaseException as e:  # handed to whoever waits on the future
            made.set_exception(e)

    threading.Thread(target=make, name="rerender-executor", daemon=True).start()
    return made


@dataclass
class _Session:
    """What a process keeps from one piece of a split render to the next: the recording, the job's plan
    and one renderer (a GL context, with its compiled shaders and resident buffers), made for its first
    frame; closed at the end."""

    recording: Recording | None = None
    planned: Plan | None = None
    renderer: FrameRenderer | None = None

    def render(self, task: RenderTask, threads: int | None, stop: Callable[[int], int] | None) -> int:
        from ..store import load

        if self.recording is None:
            self.recording = load(task.recording)
        job = RenderJob(self.recording, task.output, task.settings, source=task.source)
        if self.planned is None:
            self.planned = plan(job)
            size = self.planned.size
            self.renderer = task.settings.look.open_renderer(size.width, size.height)
        return run(
            job, frames=task.frames, threads=threads, stop=stop, planned=self.planned, renderer=self.renderer
        )

    def close(self) -> None:
        if self.renderer is not None:
            self.renderer.close()
            self.renderer = None


def render_chunk(
    task: RenderTask,
    threads: int | None = None,
    stop: Callable[[int], int] | None = None,
    recording: Recording | None = None,
    session: _Session | None = None,
) -> ChunkResult:
    """Render one task's frames into its output (in a worker process, or in the caller; `recording` is
    the task's, already open; `session`, what an earlier piece of this process left). With `task.claims`
    it claims each block before rendering it and stops at one somebody else has (or at `stop`, when
    given: see `render_job.run`)."""
    started, cpu = time.perf_counter(), time.process_time()
    first = task.frames.start if task.frames is not None else 0
    if stop is None and task.claims is not None and task.frames is not None:
        stop = _Claimant(task.claims, task.frames.stop)
    if stop is not None and stop(first) <= first:  # all of it taken before this process got to it
        return ChunkResult(FrameRange(first, first), task.output, 0.0, 0.0)
    with contextlib.ExitStack() as own:
        if session is None:
            session = own.enter_context(contextlib.closing(_Session(recording)))
        written = session.render(task, threads, stop)
    frames = FrameRange(first, first + written)
    return ChunkResult(frames, task.output, time.perf_counter() - started, time.process_time() - cpu)


def render_share(
    task: RenderTask,
    threads: int | None = None,
    stop: Callable[[int], int] | None = None,
    recording: Recording | None = None,
) -> list[ChunkResult]:
    """One process's share of a split render (`task.claims` set): its piece, from `task.frames.start`
    until a block somebody else has claimed, then what it steals (`Claims.steal`) until every block is
    claimed, all with one plan and one renderer. `stop`, when given, is the first piece's (the caller's
    hand-off, see `render_split`)."""
    assert task.claims is not None and task.frames is not None
    claims = task.claims
    with contextlib.closing(_Session(recording)) as session:
        results = [render_chunk(task, threads, stop, session=session)]
        while (start := claims.steal()) is not None:
            piece = _piece(task, FrameRange(start, claims.count))
            owner = _Claimant(claims, claims.count, held=start // claims.every)
            results.append(render_chunk(piece, threads, owner, session=session))
    return results


def _piece(task: RenderTask, frames: FrameRange) -> RenderTask:
    """`task` for the frames from `frames.start` on, written beside its output under its first frame."""
    return dataclasses.replace(task, output=task.output.with_name(f"{frames.start:08d}.mp4"), frames=frames)


@dataclass
class _Handoff:
    """The caller's `stop` for its own piece (asked between its frames, on its thread): once the executor
    is ready, workers are started at even shares of the frames after the caller's position (keyframe
    boundaries past it); meanwhile, and after, the caller claims its blocks like everybody."""

    task: RenderTask
    made: concurrent.futures.Future[Executor]
    claimant: _Claimant
    handed: bool = False
    shares: list[concurrent.futures.Future[list[ChunkResult]]] = field(default_factory=list)

    def __call__(self, index: int) -> int:
        if not self.handed and self.made.done():
            self.handed = True
            pool = self.made.result()  # an executor that could not start fails the render here
            claims = self.claimant.claims
            every, count = claims.every, claims.count
            blocked = min(count, claims.blocks * every)  # pieces start in whole blocks, not in a short tail
            share = (count - index) / (pool.slots + 1)
            earliest = -(-(index + 1) // every) * every  # the caller is past `index`: after it
            cut = min(blocked, max(earliest, round((index + share) / every) * every))
            for chunk in split_frames(blocked - cut, pool.slots, every):
                piece = _piece(self.task, FrameRange(cut + chunk.start, count))
                self.shares.append(pool.submit(render_share, piece, pool.threads))
        return self.claimant(index)


def render_split(
    task: RenderTask,
    workers: int,
    *,
    executor: Executor | concurrent.futures.Future[Executor] | None = None,
    save_camera_path_to: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    recording: Recording | None = None,
) -> list[ChunkResult]:
    """Render `task` in keyframe-aligned pieces over `workers` processes (no more than the video has
    blocks) and join them into `task.output`; when that fails or is interrupted, its workers are
    stopped and its parts folder removed. This process starts at the first frame at once; when
    `executor` is ready (a local pool of `workers - 1` processes when None; a future while it starts, see
    `start_executor`) its workers start at even shares of the frames after this process's position,
    and the blocks are shared out as the render goes (see the module docstring). `progress(processes
    done, processes)` is called as each process's share ends. `recording` is the task's, when the caller
    has it open already (this process then reads and indexes it once, not again). Returns the pieces, in
    frame order."""
    from ..store import load

    fmt = output_format(task.output, task.settings.output)
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
        raise nothing_to_render(job, schedule(job).timeline)
    workers = useful_workers(job, workers)
    parts_dir = task.output.with_name(f".{task.output.name}.parts")
    shutil.rmtree(parts_dir, ignore_errors=True)  # claims left by a killed split would hold blocks
    (parts_dir / "claims").mkdir(parents=True)
    threads = threads_per_task(workers)
    own = LocalExecutor(workers - 1, threads) if executor is None and workers > 1 else None
    claims = Claims(parts_dir / "claims", keyframe_interval(task.settings.output.fps), count)
    mine = _piece(
        dataclasses.replace(task, output=parts_dir / "video.mp4", claims=claims), FrameRange(0, count)
    )
    ready = _ready(own or executor)
    handoff = _Handoff(mine, ready, _Claimant(claims, count))
    try:
        with limited_threads(threads):
            results = render_share(mine, threads, handoff if workers > 1 else None, job.recording)
        done, total = 1, 1 + len(handoff.shares)
        if progress is not None:
            progress(done, total)
        for share in handoff.shares:
            with contextlib.suppress(WorkerDied):  # (its blocks are rendered below)
                results += share.result()
            done += 1
            if progress is not None:
                progress(done, total)
        # Blocks claimed by a worker that died (a lost node, the OOM killer: Ray then runs its task
        # again, which finds those blocks taken) were never delivered: this process renders them.
        unclaimed = dataclasses.replace(mine, claims=None)
        with limited_threads(threads), contextlib.closing(_Session(job.recording)) as session:
            for gap in _gaps(results, count):
                warnings.warn(
                    f"frames {gap.start}..{gap.stop} of '{task.output}' were taken by a worker that did not "
                    "deliver them (its process died); rendering them here",
                    stacklevel=2,
                )
                results.append(render_chunk(_piece(unclaimed, gap), threads, session=session))
        results = sorted((r for r in results if len(r.frames)), key=lambda r: r.frames.start)
        join_videos([r.output for r in results], task.output)
    except BaseException:
        # Failed or interrupted (Ctrl-C, SIGTERM): the workers' pieces are of no use, so they stop now,
        # and the parts go with them (--resume is for one-process renders; they were litter).
        _stop(ready)
        shutil.rmtree(parts_dir, ignore_errors=True)
        raise
    finally:
        if own is not None:
            own.close()
    shutil.rmtree(parts_dir, ignore_errors=True)
    if save_camera_path_to is not None:
        save_camera_path(plan(job), save_camera_path_to)
    return results


def _gaps(results: list[ChunkResult], count: int) -> list[FrameRange]:
    """The frames of 0..count that no piece holds (the pieces do not overlap: each block is claimed once)."""
    gaps, at = [], 0
    for r in sorted((r for r in results if len(r.frames)), key=lambda r: r.frames.start):
        if r.frames.start > at:
            gaps.append(FrameRange(at, r.frames.start))
        at = max(at, r.frames.stop)
    return [*gaps, FrameRange(at, count)] if at < count else gaps


def _stop(ready: concurrent.futures.Future[Executor | None]) -> None:
    """End the workers of a split that failed, now (a caller's executor too: it is of no more use)."""
    if ready.done() and ready.exception() is None and (executor := ready.result()) is not None:
        executor.close(wait=False)


def useful_workers(job: RenderJob, workers: int) -> int:
    """`workers`, or fewer when the video has fewer blocks (keyframe intervals, two seconds each) than
    that: a process beyond one per block would have nothing to render."""
    blocks = joined_pieces(frame_count(job), keyframe_interval(job.settings.output.fps))
    return max(1, min(workers, blocks))


def _ready(
    executor: Executor | concurrent.futures.Future[Executor] | None,
) -> concurrent.futures.Future[Executor | None]:
    if isinstance(executor, concurrent.futures.Future):
        return executor
    made: concurrent.futures.Future[Executor | None] = concurrent.futures.Future()
    made.set_result(executor)
    return made
