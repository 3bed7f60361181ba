"""A render that survives being killed: MP4 video in keyframe-aligned segments that `--resume` keeps, and
failures (a full disk, an unwritable output, no ffmpeg, a GL context failing mid-render) as one paragraph.

`render(job)` writes `out.mp4` as `.out.mp4.parts/00000000.mp4`, ... (one per SEGMENT_GOPS two-second
keyframe intervals, see `rerender.media`; each renamed into place only when complete) with `render.json`
naming the render they belong to (a digest of its settings and frame times). When all are there they
are joined by stream copy into the output and the folder is removed. A render killed midway leaves its
complete segments; `resume=True` keeps them, when the digest matches, and renders the rest: the joined
video decodes to the frames of an uninterrupted render. PNG sequences resume by keeping the frames on
disk (the same digest, in a hidden file beside them, says whose they are); WebM and GIF start over.
After an error the partial output is removed, or kept with `keep_partial`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import RerenderError
from ..media import (
    SIDECAR_NAME,
    FrameWriter,
    WriterOptions,
    check_output,
    existing_frames,
    join_videos,
    joined_pieces,
    keyframe_interval,
    open_writer,
    partial_name,
    split_png_target,
    write_error,
)
from .render_job import (
    FrameRange,
    JobError,
    Progress,
    RenderJob,
    encoder_threads,
    frame_count,
    run,
    schedule,
)

# Ten seconds of video per segment: what a killed render loses at most, against one ffmpeg start (and
# one renderer set-up) per segment.
SEGMENT_GOPS = 5
MANIFEST_NAME = "render.json"
FRAMES_MANIFEST_NAME = ".rerender-render.json"  # in a PNG sequence's folder, beside the frames


class RenderFailed(JobError):
    """A render that failed after it started writing; the message says why and what became of the frames."""


@dataclass(frozen=True)
class Segment:
    """Frames of the video and the file in the parts folder that holds them."""

    frames: FrameRange
    path: Path


@dataclass
class Tally:
    """Frames of the output done so far (rendered, or kept from a killed render), for error messages."""

    frames: int = 0


def parts_folder(output: Path) -> Path:
    """The hidden folder beside `output` that holds its segments while it renders."""
    return output.with_name(f".{output.name}.parts")


def render_digest(job: RenderJob) -> str:
    """What makes two renders the same video: settings, recording, frame times, and how the frames are
    cut into segments (a resume continues only the same cut)."""
    digest = hashlib.sha256()
    count = frame_count(job)
    cut = [(s.frames.start, s.frames.stop) for s in segments(Path(), count, job.settings.output.fps)]
    for part in (repr(job.settings), job.source, str(count), repr(cut)):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(schedule(job).times.tobytes())
    return digest.hexdigest()


def segments(folder: Path, count: int, fps: float) -> list[Segment]:
    """`count` frames cut into segments that start on keyframes (the last longer by a remainder too
    short to join on its own: see `joined_pieces`)."""
    every = keyframe_interval(fps) * SEGMENT_GOPS
    starts = [i * every for i in range(joined_pieces(count, every))]
    return [
        Segment(FrameRange(start, stop), folder / f"{start:08d}.mp4")
        for start, stop in zip(starts, [*starts[1:], count], strict=True)
    ]


def open_parts(job: RenderJob, resume: bool) -> Path:
    """The job's parts folder: the one a killed render of the same job left (`resume`), else a new one."""
    folder = parts_folder(job.output)
    if resume and _same_render(job, folder / MANIFEST_NAME, "segments"):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    _write_manifest(job, folder / MANIFEST_NAME)
    return folder


def open_frames(job: RenderJob, resume: bool) -> None:
    """A PNG sequence's folder for this render: with `resume`, the frames a killed render of the same
    job left stay; else the frames of any earlier render there (named as this one's are) are removed,
    so that a shorter render does not leave the longer one's last frames behind."""
    folder, _ = split_png_target(job.output)
    if resume and _same_render(job, folder / FRAMES_MANIFEST_NAME, "frames"):
        return
    for frame in [*existing_frames(job.output), folder / SIDECAR_NAME]:
        frame.unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    _write_manifest(job, folder / FRAMES_MANIFEST_NAME)


def _same_render(job: RenderJob, manifest: Path, what: str) -> bool:
    """Whether the folder of `manifest` holds the work of a render of `job` (the manifest's digest);
    JobError when it holds another render's, which --resume must not continue; False with no manifest."""
    folder = manifest.parent
    if not manifest.is_file():
        return False
    try:
        kept = json.loads(manifest.read_text(encoding="utf-8")).get("digest")
    except (OSError, ValueError, AttributeError):
        kept = None
    if kept != render_digest(job):
        raise JobError(
            f"{folder}: holds the {what} of a render with other settings or of another recording, so "
            f"--resume cannot continue it into '{job.output}'; render without --resume to start over"
        )
    return True


def _write_manifest(job: RenderJob, manifest: Path) -> None:
    partial = partial_name(manifest)
    payload = {"output": str(job.output), "digest": render_digest(job)}
    partial.write_text(json.dumps(payload) + "\n", encoding="utf-8")
    os.replace(partial, manifest)


def render(
    job: RenderJob, progress: Progress | None = None, *, resume: bool = False, keep_partial: bool = False
) -> int:
    """`run(job)` for a whole video, resumable (see the module docstring); returns the frames in the
    output. Errors are RerenderErrors of one paragraph that say what became of the partial output."""
    try:
        fmt = check_output(job.output, job.settings.output.format)
    except ValueError as e:
        raise JobError(str(e)) from None
    tally, folder = Tally(), None

    def counted(done: int, total: int, elapsed: float) -> None:
        tally.frames = done
        if progress is not None:
            progress(done, total, elapsed)

    try:
        if fmt != "mp4" or not frame_count(job):  # (run says why there is nothing to render)
            if fmt == "png" and frame_count(job):
                open_frames(job, resume)
            return run(job, counted, resume=resume, keep_partial=keep_partial)
        folder = open_parts(job, resume)
        return _render_segments(job, folder, counted)
    except BaseException as e:
        if folder is not None and not keep_partial:
            shutil.rmtree(folder, ignore_errors=True)
        cause = _described(e, job)
        if not tally.frames or not isinstance(e, Exception):
            if cause is e:
                raise
            raise cause from None
        kept = folder if folder is not None else job.output if fmt == "png" else partial_name(job.output)
        fate = (
            f"the frames done are kept in '{kept}' (--resume continues the render)"
            if keep_partial
            else "the partial output was removed (--keep-partial keeps it for --resume)"
        )
        if cause is e and not isinstance(e, RerenderError):
            raise  # a bug: keep its traceback
        stopped = f"the render stopped after {tally.frames} frames, and {fate}"
        raise RenderFailed(f"{str(cause).rstrip('.')}; {stopped}.") from None


def _render_segments(job: RenderJob, folder: Path, progress: Progress) -> int:
    """One pass over the whole video (one plan, one renderer, one sweep), written segment by segment."""
    count = frame_count(job)
    parts = segments(folder, count, job.settings.output.fps)
    out = job.settings.output

    def open_segment(path: Path) -> FrameWriter:
        threads = encoder_threads("mp4", out.preset)
        return open_writer(path, fps=out.fps, format="mp4", crf=out.crf, preset=out.preset, threads=threads)

    # Frames of segments a killed render completed are passed over (resume), not drawn again.
    run(job, progress, writer=SegmentWriter(folder, parts, open_segment), resume=True)
    join_videos([p.path for p in parts], job.output)
    shutil.rmtree(folder, ignore_errors=True)
    return count


class SegmentWriter(FrameWriter):
    """A video's segments as one writer: each segment's own MP4 writer is opened at its first frame and
    closed (so renamed into place, complete) after its last. The frames of a segment already complete on
    disk are not written again: `has_frame` says so, and `skip` passes them."""

    format = "mp4"

    def __init__(
        self, folder: Path, parts: list[Segment], open_segment: Callable[[Path], FrameWriter]
    ) -> None:
        super().__init__(folder, WriterOptions())
        self._parts = parts  # contiguous, all as long as the first but the last (see `segments`)
        self._length = len(parts[0].frames)
        self._open_segment = open_segment
        self._current: FrameWriter | None = None

    def _part(self) -> Segment:
        return self._parts[self.frame_count // self._length]

    def has_frame(self) -> bool:
        return self._current is None and self._part().path.is_file()

    def skip(self, time: float | None = None) -> None:
        self.frame_count += 1

    def _write(self, frame: np.ndarray, time: float | int | None) -> None:
        part = self._part()
        if self._current is None:
            self._current = self._open_segment(part.path)
        self._current.write(frame, time)
        if self.frame_count + 1 == part.frames.stop:  # its last frame: the segment is complete
            self._current.close()
            self._current = None

    def _close(self) -> None:
        if self._current is not None:
            self._current.close()

    def _abort(self, keep: bool) -> None:
        # A segment cut short is of no use to --resume, which keeps complete segments only.
        if self._current is not None:
            self._current.abort(keep=False)


def _gl_errors() -> tuple[type[BaseException], ...]:
    """What a failing OpenGL context raises: PyOpenGL's errors, and RuntimeError from our context code."""
    try:
        from OpenGL.error import Error as PyOpenGLError
    except ImportError:
        return (RuntimeError,)
    return (RuntimeError, PyOpenGLError)


def _described(e: BaseException, job: RenderJob) -> BaseException:
    """`e` as a one-paragraph RerenderError when the user's machine caused it; else `e` itself."""
    if isinstance(e, RerenderError):
        return e
    if isinstance(e, OSError):
        return write_error(e, job.output)
    if isinstance(e, MemoryError):
        return JobError(f"rendering '{job.output}' ran out of memory")
    if isinstance(e, _gl_errors()):
        return JobError(
            f"rendering '{job.output}' failed in the OpenGL context ({type(e).__name__}: {e}); the GPU "
            "driver or Mesa lost it (see `rerender doctor`)"
        )
    return e
