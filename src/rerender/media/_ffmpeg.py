"""Video and GIF output through the ffmpeg binary that imageio-ffmpeg ships."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import IO, Any

import numpy as np

try:
    import fcntl
except ImportError:  # not on Windows; pipes there keep their size
    fcntl = None  # type: ignore[assignment]

from ._base import FrameWriter, MediaError, WriterOptions, partial_name

# The encoders the writers here may use; `probe_ffmpeg` reports which of them this ffmpeg has.
RELEVANT_ENCODERS = ("libx264", "libvpx-vp9", "gif")
_STDERR_TAIL_LINES = 8
_ADDRESS = re.compile(r" @ 0x[0-9a-f]+")


def ffmpeg_exe() -> str:
    """The ffmpeg binary's path: imageio-ffmpeg's bundled one, or IMAGEIO_FFMPEG_EXE / PATH."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise MediaError(
            "writing videos and GIFs needs the 'imageio-ffmpeg' package, which is not installed; "
            "install it with `pip install imageio-ffmpeg`"
        ) from None
    try:
        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as err:
        raise MediaError(f"no ffmpeg binary was found ({err})") from None
    if shutil.which(exe) is None:  # IMAGEIO_FFMPEG_EXE names it as given, even when it is not there
        raise MediaError(
            f"ffmpeg is missing: there is no executable '{exe}' (IMAGEIO_FFMPEG_EXE="
            f"{os.environ.get('IMAGEIO_FFMPEG_EXE', '(not set)')}); MP4, WebM and GIF output need it: "
            "unset IMAGEIO_FFMPEG_EXE to use the ffmpeg that imageio-ffmpeg ships, point it at an ffmpeg "
            "binary, or write PNG frames instead"
        )
    return exe


@functools.lru_cache(maxsize=4)
def _probe(exe: str) -> tuple[str, tuple[str, ...]]:
    """Ask `exe` for its version and encoders; cached because it spawns two processes."""
    version_out = subprocess.run(
        [exe, "-hide_banner", "-version"], capture_output=True, text=True, timeout=30, check=True
    ).stdout
    match = re.match(r"ffmpeg version (\S+)", version_out)
    version = match.group(1) if match else version_out.splitlines()[0] if version_out else "unknown"
    encoders_out = subprocess.run(
        [exe, "-hide_banner", "-encoders"], capture_output=True, text=True, timeout=30, check=True
    ).stdout
    # Encoder lines look like " V....D libx264   libx264 H.264 / AVC ..."; the second field is the name.
    names = {fields[1] for line in encoders_out.splitlines() if len(fields := line.split()) >= 2}
    return version, tuple(name for name in RELEVANT_ENCODERS if name in names)


def probe_ffmpeg() -> dict[str, Any]:
    """The ffmpeg in use: {"path", "version", "encoders": {name: available}}; MediaError if there is none."""
    exe = ffmpeg_exe()
    try:
        version, encoders = _probe(exe)
    except (OSError, subprocess.SubprocessError) as err:
        raise MediaError(f"could not run ffmpeg at '{exe}': {err}") from None
    return {
        "path": exe,
        "version": version,
        "encoders": {name: name in encoders for name in RELEVANT_ENCODERS},
    }


def require_encoder(encoder: str, fmt: str) -> str:
    """Return the ffmpeg path, or raise MediaError if it lacks `encoder` (checked before any frame)."""
    exe = ffmpeg_exe()
    try:
        _, encoders = _probe(exe)
    except (OSError, subprocess.SubprocessError) as err:
        raise MediaError(f"could not run ffmpeg at '{exe}' to list its encoders: {err}") from None
    if encoder not in encoders:
        raise MediaError(
            f"the ffmpeg at '{exe}' has no '{encoder}' encoder, which {fmt} output needs; "
            f"its relevant encoders are: {', '.join(encoders) or 'none'}"
        )
    return exe


def file_url(path: Path) -> str:
    """`path` for ffmpeg's command line: with the `file:` protocol named, ffmpeg does not read a name like
    `.take:2.mp4` (or `12:30.mp4`) as protocol `.take` (or `12`)."""
    return f"file:{path}"


def _fps_arg(fps: float) -> str:
    """ffmpeg's -r value as an exact fraction, so 29.97 or 24000/1001 are not rounded."""
    if not fps > 0 or fps == float("inf"):
        raise ValueError(f"fps must be a positive finite number, got {fps}")
    return str(Fraction(fps).limit_denominator(100_000))


def _pad_to_even(frame: np.ndarray) -> np.ndarray:
    """Pad odd widths/heights by one pixel, repeating the edge row/column (yuv420p needs even sizes)."""
    pad_h, pad_w = frame.shape[0] % 2, frame.shape[1] % 2
    if not (pad_h or pad_w):
        return frame
    # Repeating the edge rather than adding black keeps a dark line from appearing (and from bleeding
    # into the neighbouring chroma samples) at the bottom/right of bright frames.
    return np.pad(frame, ((0, pad_h), (0, pad_w), (0, 0)), mode="edge")


# x264 runs at a constant quantizer with fixed, closed GOPs so that every two-second group of frames
# encodes to the same bytes whatever came before it: a render split into keyframe-aligned chunks
# (`--workers`) and joined by stream copy decodes to exactly the frames of a one-process render. (x264's
# CRF carries rate-control state across GOPs; "direct=auto" carries B-frame statistics.) The quantizer
# is `crf + QP_FROM_CRF`: at that offset files and PSNR match CRF's at the same value (measured on the
# DNA example at 1280x720: crf 23 568 KiB, 40.4 dB; qp 30 580 KiB, 40.4 dB).
QP_FROM_CRF = 7
MAX_QP = 51


def _mp4_args(options: WriterOptions) -> list[str]:
    gop = str(options.keyframe_interval)
    qp = str(min(MAX_QP, options.crf + QP_FROM_CRF))
    threads = [] if options.threads is None else ["-threads", str(options.threads)]
    return [
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-qp", qp, "-preset", options.preset,
        "-g", gop, "-keyint_min", gop, "-sc_threshold", "0", "-x264-params", "direct=spatial", *threads,
        # faststart moves the index to the front so browsers can play the file while it downloads.
        "-movflags", "+faststart", "-f", "mp4",
    ]  # fmt: skip


def _webm_args(options: WriterOptions) -> list[str]:
    threads = [] if options.threads is None else ["-threads", str(options.threads)]
    return [
        # `-b:v 0` makes -crf a constant-quality target instead of a cap under the default bitrate.
        "-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-crf", str(options.crf), "-b:v", "0",
        "-row-mt", "1", *threads, "-f", "webm",
    ]  # fmt: skip


def _gif_args(options: WriterOptions) -> list[str]:
    # One filter graph computes a palette from all frames, then maps every frame onto it; no temp
    # files, but ffmpeg holds the whole clip in memory until the input ends (fine for GIF-sized clips).
    # format=rgb24 first: alpha is ignored, as for every format (GIF would turn it into transparency).
    graph = (
        f"format=rgb24,split[a][b];[a]palettegen=max_colors={options.gif_colors}:reserve_transparent=0[p];"
        f"[b][p]paletteuse=dither={options.gif_dither}"
    )
    return ["-filter_complex", graph, "-c:v", "gif", "-loop", "0", "-f", "gif"]


def _widen_pipe(pipe: IO[bytes] | None, frame_bytes: int) -> None:
    """Grow the pipe into ffmpeg to hold two whole frames where the OS allows, so that writing a frame
    returns at once and the next frames render while ffmpeg encodes this one, also when one frame takes
    the encoder longer than the renderer (Linux pipes hold 64 KiB)."""
    if pipe is None or fcntl is None or not hasattr(fcntl, "F_SETPIPE_SZ"):
        return
    for size in (2 * frame_bytes, frame_bytes, 1 << 20):  # else the unprivileged maximum
        try:
            fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, size)
            return
        except OSError:
            continue


class FfmpegWriter(FrameWriter):
    """Pipes raw RGB frames into one ffmpeg process; the output appears, complete, only on close."""

    encoder = ""
    pad_even = False
    max_crf: int | None = None  # the encoder's -crf range is 0..max_crf; None if -crf is not used

    @classmethod
    def crf_problem(cls, crf: int) -> str | None:
        """Why `crf` is outside this encoder's range (x264 0..51, VP9 0..63), or None when it fits."""
        if cls.max_crf is None or 0 <= crf <= cls.max_crf:
            return None
        return f"crf {crf} is outside what {cls.format} takes (0..{cls.max_crf}; lower is better quality)"

    def __init__(self, path: Path, options: WriterOptions) -> None:
        super().__init__(path, options)
        self._fps = _fps_arg(options.fps)
        # Checked here because ffmpeg silently clamps some out-of-range values instead of failing.
        if (problem := self.crf_problem(options.crf)) is not None:
            raise ValueError(problem)
        self._exe = require_encoder(self.encoder, self.format)
        # Encode into a hidden file beside the target and rename on success, so a failed or interrupted
        # render never leaves a truncated video under the real name.
        self._partial = partial_name(path)
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    def _output_args(self) -> list[str]:
        raise NotImplementedError

    def _start(self, frame: np.ndarray) -> None:
        height, width = frame.shape[:2]
        command = [
            self._exe, "-hide_banner", "-nostdin", "-loglevel", "warning", "-y",
            # RGBA goes in as it is: converting it to RGB in numpy would cost more than the whole render.
            "-f", "rawvideo", "-pix_fmt", "rgba" if frame.shape[2] == 4 else "rgb24",
            "-s", f"{width}x{height}", "-r", self._fps, "-i", "-",
            "-an", *self._output_args(), file_url(self._partial),
        ]  # fmt: skip
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # stderr goes to a file, not a pipe: nobody reads it while frames stream in, so a pipe could fill
        # and deadlock ffmpeg; the file keeps it for the error message.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in _stderr_text)
        try:
            self._process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._stderr
            )
        except OSError as err:
            self._stderr.close()
            raise MediaError(
                f"could not start ffmpeg at '{self._exe}' to write '{self.path}': {err}"
            ) from None
        _widen_pipe(self._process.stdin, frame.nbytes)

    def _write(self, frame: np.ndarray, time: float | int | None) -> None:
        if self.pad_even:
            frame = _pad_to_even(frame)
        if self._process is None:
            self._start(frame)
        assert self._process is not None and self._process.stdin is not None
        try:
            self._process.stdin.write(memoryview(frame).cast("B"))
            return
        except OSError:
            pass  # a broken pipe means ffmpeg already quit; its exit status and stderr say why
        # Raised outside the except block so the BrokenPipeError is not chained onto the message.
        self._fail(self._finish())

    def _finish(self) -> int:
        """Close ffmpeg's input, wait for it to exit and return its exit status."""
        assert self._process is not None
        try:
            if self._process.stdin is not None:
                self._process.stdin.close()
        except OSError:
            pass  # ffmpeg is gone already; wait() reports how it ended
        return self._process.wait()

    def _close(self) -> None:
        if self._process is None:
            raise MediaError(f"no frames were written, so '{self.path}' was not created")
        returncode = self._finish()
        if returncode != 0:
            self._fail(returncode)
        self._stderr_text()  # closes the temp file
        os.replace(self._partial, self.path)

    @property
    def partial_path(self) -> Path:
        return self._partial

    def _abort(self, keep: bool) -> None:
        if self._process is not None:
            if not keep:
                self._process.kill()
            # Closing ffmpeg's input (not killing it) lets it finish a playable file of the frames so far.
            self._finish()
            self._stderr_text()
            if not keep:
                self._partial.unlink(missing_ok=True)

    def _stderr_text(self) -> str:
        """Return what ffmpeg printed and close the temp file holding it."""
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace")
        self._stderr.close()
        self._stderr = None
        return text

    def _fail(self, returncode: int) -> None:
        """Clean up and raise a one-paragraph MediaError quoting the end of ffmpeg's stderr."""
        self.closed = True
        # Drop the "@ 0x55c1..." object addresses ffmpeg prefixes lines with; they only add noise.
        text = _ADDRESS.sub("", self._stderr_text())
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        tail = " | ".join(lines[-_STDERR_TAIL_LINES:]) or "(ffmpeg printed nothing)"
        self._partial.unlink(missing_ok=True)
        raise MediaError(
            f"ffmpeg failed to write {self.format} file '{self.path}' (exit status {returncode}, "
            f"after {self.frame_count} frames). Last lines of its output: {tail}"
        )


class Mp4Writer(FfmpegWriter):
    """H.264 in MP4 (yuv420p); odd frame sizes are padded to even by repeating the edge pixels."""

    format = "mp4"
    encoder = "libx264"
    pad_even = True
    max_crf = 51

    def _output_args(self) -> list[str]:
        return _mp4_args(self.options)


class WebmWriter(FfmpegWriter):
    """VP9 in WebM (yuv420p); VP9 takes odd frame sizes as they are."""

    format = "webm"
    encoder = "libvpx-vp9"
    max_crf = 63

    def _output_args(self) -> list[str]:
        return _webm_args(self.options)


class GifWriter(FfmpegWriter):
    """An animated GIF that loops forever, with one 256-color palette computed from all frames."""

    format = "gif"
    encoder = "gif"

    def __init__(self, path: Path, options: WriterOptions) -> None:
        if not 2 <= options.gif_colors <= 256:
            raise ValueError(f"gif_colors must be between 2 and 256, got {options.gif_colors}")
        super().__init__(path, options)

    def _output_args(self) -> list[str]:
        return _gif_args(self.options)


def join_videos(parts: list[Path], output: Path) -> None:
    """Concatenate videos encoded with the same settings into `output` by stream copy (no second
    encode); each part must start on a keyframe. Written beside the target and renamed when complete."""
    exe = ffmpeg_exe()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_name(output)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", dir=output.parent, delete=False) as listing:
        # The concat demuxer's list syntax: single-quoted paths, a quote written as '\''.
        listing.writelines("file '" + str(p.resolve()).replace("'", "'\\''") + "'\n" for p in parts)
    command = [
        exe, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0",
        "-i", file_url(Path(listing.name)), "-c", "copy", "-movflags", "+faststart", "-f", "mp4",
        file_url(partial),
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.SubprocessError) as err:
        raise MediaError(
            f"could not run ffmpeg at '{exe}' to join {len(parts)} parts into '{output}': {err}"
        ) from None
    finally:
        os.unlink(listing.name)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        tail = " | ".join(_ADDRESS.sub("", done.stderr).strip().splitlines()[-_STDERR_TAIL_LINES:])
        raise MediaError(
            f"ffmpeg failed to join {len(parts)} parts into '{output}' "
            f"(exit status {done.returncode}): {tail}"
        )
    os.replace(partial, output)
