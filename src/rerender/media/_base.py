"""The writer interface shared by every media format, and frame checks."""

from __future__ import annotations

import errno
import numbers
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

import numpy as np

from ..errors import RerenderError


class MediaError(RerenderError, RuntimeError):
    """A media file could not be written; the message says why in one paragraph."""


@dataclass(frozen=True)
class WriterOptions:
    """Encoding options; each format uses the ones that apply to it."""

    fps: float = 30.0
    crf: int = 23
    preset: str = "veryfast"
    gif_colors: int = 256
    gif_dither: str = "sierra2_4a"
    threads: int | None = None  # encoder threads (None: the encoder's own choice, about one per core)

    @property
    def keyframe_interval(self) -> int:
        """Frames from one keyframe to the next in H.264 output: two seconds' worth, fixed (see
        `Mp4Writer`), so that pieces of a video that start on a multiple of it encode on their own."""
        return keyframe_interval(self.fps)


# Why a write failed, in words, for the errors a user can cause or fix.
_WRITE_FAILURES = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied (the folder is not writable by this user)",
    errno.EPERM: "permission denied (the folder is not writable by this user)",
    errno.EROFS: "the file system is read-only",
    errno.EEXIST: "a file is in the way where a folder is needed",
    errno.ENOTDIR: "a file is in the way where a folder is needed",
}


def write_error(err: OSError, path: Path) -> MediaError:
    """A one-paragraph MediaError for an OSError met while writing the output `path`."""
    reason = _WRITE_FAILURES.get(err.errno or 0, err.strerror or str(err))
    where = f" at '{err.filename}'" if err.filename and str(err.filename) != str(path) else ""
    return MediaError(f"cannot write '{path}': {reason}{where} ({err.strerror or err})")


def partial_name(path: Path) -> Path:
    """The hidden name an output is written under until it is complete (and where a kept partial
    video stays)."""
    return path.with_name(f".{path.name}.partial")


def keyframe_interval(fps: float) -> int:
    """Two seconds of frames (at least one): the H.264 keyframe spacing."""
    return max(1, round(2 * fps))


# x264 starts a stream of one or two frames without its B-frame delay (its first decode timestamp is 0,
# not two frames before 0), so a piece that short, joined after others by stream copy, leaves a
# two-frame hole in the decode timestamps, and ffmpeg decodes two repeated frames there (301 frames
# came out as 303). Pieces after the first have at least this many frames.
MIN_JOINED_FRAMES = 3


def joined_pieces(count: int, every: int) -> int:
    """How many pieces of `every` frames (keyframe-aligned) `count` frames are cut into for a join: the
    last is longer by a remainder too short to stand alone (see MIN_JOINED_FRAMES)."""
    whole, rest = divmod(count, every)
    return whole + (1 if rest >= MIN_JOINED_FRAMES or (rest and not whole) else 0)


def check_frame(frame: np.ndarray, expected_shape: tuple[int, ...] | None, path: Path) -> np.ndarray:
    """Return `frame` as a C-contiguous (H, W, 3 or 4) uint8 array, or raise ValueError."""
    if (
        not isinstance(frame, np.ndarray)
        or frame.dtype != np.uint8
        or frame.ndim != 3
        or frame.shape[2] not in (3, 4)
    ):
        got = f"{frame.dtype} array of shape {frame.shape}" if isinstance(frame, np.ndarray) else type(frame)
        raise ValueError(
            f"frames written to '{path}' must be uint8 arrays of shape (H, W, 3) (RGB) or (H, W, 4) (RGBA, "
            f"alpha ignored), got {got}"
        )
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise ValueError(f"frames written to '{path}' must not be empty, got shape {frame.shape}")
    if expected_shape is not None and frame.shape != expected_shape:
        raise ValueError(
            f"all frames written to '{path}' must have the same shape: the first was {expected_shape}, "
            f"this one is {frame.shape}"
        )
    return np.ascontiguousarray(frame)


def normalize_time(time: float | None) -> float | int | None:
    """Keep integer times (e.g. nanosecond timestamps) exact and make the rest plain floats."""
    if time is None:
        return None
    if isinstance(time, numbers.Integral) and not isinstance(time, bool):
        return int(time)
    if isinstance(time, numbers.Real):
        return float(time)
    raise TypeError(f"time must be a number or None, got {type(time).__name__}")


class FrameWriter:
    """Writes equally sized RGB frames to one media output; use it as a context manager."""

    format: str = ""

    def __init__(self, path: Path, options: WriterOptions) -> None:
        self.path = path
        self.options = options
        self.frame_count = 0
        self.closed = False
        self._shape: tuple[int, ...] | None = None

    def write(self, frame: np.ndarray, time: float | None = None) -> None:
        """Append one (H, W, 3) RGB or (H, W, 4) RGBA uint8 frame (alpha is ignored); `time` is its
        timestamp, kept where the format can."""
        if self.closed:
            raise ValueError(f"cannot write to '{self.path}': the writer is closed")
        frame = check_frame(frame, self._shape, self.path)
        self._shape = frame.shape
        self._write(frame, normalize_time(time))
        self.frame_count += 1

    def close(self) -> None:
        """Finish the output; safe to call more than once."""
        if not self.closed:
            self.closed = True
            self._close()

    def abort(self, keep: bool = False) -> None:
        """Stop after an error: remove what this writer wrote, or with `keep` leave it readable where
        `partial_path` says (a video finished at the frames written so far, PNGs with their sidecar)."""
        if not self.closed:
            self.closed = True
            self._abort(keep)

    @property
    def partial_path(self) -> Path:
        """Where `abort(keep=True)` leaves the output."""
        return self.path

    def has_frame(self) -> bool:
        """Whether the next frame is on disk already from an earlier, interrupted render that this writer
        continues (only PNG sequences can: see `skip`)."""
        return False

    def skip(self, time: float | None = None) -> None:
        """Count the next frame as written, keeping the file that `has_frame` found."""
        raise NotImplementedError(f"{self.format} output cannot keep frames of an earlier render")

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.format} '{self.path}' frames={self.frame_count}>"

    def _write(self, frame: np.ndarray, time: float | int | None) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def _abort(self, keep: bool) -> None:
        self._close()
