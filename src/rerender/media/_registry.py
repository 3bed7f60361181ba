"""Pick a frame writer from an explicit format name or the output path's extension."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ._base import FrameWriter, WriterOptions, write_error
from ._ffmpeg import FfmpegWriter, GifWriter, Mp4Writer, WebmWriter, require_encoder
from ._png import PngSequenceWriter, split_png_target

WriterFactory = Callable[[Path, WriterOptions], FrameWriter]

# format name -> (file extensions that select it, writer class); the first format listed for an
# extension wins, and an explicit `format=` always overrides the extension.
FORMATS: dict[str, tuple[tuple[str, ...], WriterFactory]] = {
    "mp4": ((".mp4", ".m4v"), Mp4Writer),
    "webm": ((".webm",), WebmWriter),
    "gif": ((".gif",), GifWriter),
    "png": ((".png",), PngSequenceWriter),
}
SUPPORTED_FORMATS = tuple(FORMATS)


def _describe_supported() -> str:
    return ", ".join(f"{name} ({' '.join(exts)})" for name, (exts, _) in FORMATS.items())


def crf_problem(name: str, crf: int) -> str | None:
    """Why `crf` does not suit format `name` (its encoder's own rule), or None when it does (or the
    format has no crf)."""
    _, factory = FORMATS[name]
    if isinstance(factory, type) and issubclass(factory, FfmpegWriter):
        return factory.crf_problem(crf)
    return None


def resolve_format(path: Path, format: str | None = None) -> str:
    """The format name: `format` if given, else from the extension (none at all means a png directory)."""
    if format is not None:
        name = format.lower().lstrip(".")
        if name not in FORMATS:
            raise ValueError(
                f"unknown media format '{format}' for '{path}'; supported formats: {_describe_supported()}"
            )
        return name
    suffix = path.suffix.lower()
    if not suffix:
        return "png"  # a bare directory name collects an image sequence
    for name, (extensions, _) in FORMATS.items():
        if suffix in extensions:
            return name
    raise ValueError(
        f"cannot tell the media format of '{path}' from its extension '{path.suffix}'; "
        f"supported formats: {_describe_supported()} (or name the format: --format, or format= in Python)"
    )


# Fastest first, as x264 lists them.
X264_PRESETS = (
    "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo",
)  # fmt: skip


def open_writer(
    path: str | os.PathLike[str],
    *,
    fps: float = 30,
    format: str | None = None,
    crf: int = 23,
    preset: str = "veryfast",
    gif_colors: int = 256,
    gif_dither: str = "sierra2_4a",
    threads: int | None = None,
) -> FrameWriter:
    """Open a writer for (H, W, 3|4) uint8 frames; use it in a `with` block and call `.write(frame, time)`.

    fps: frames per second of videos and GIFs (and recorded in the png sidecar).
    crf: constant quality for mp4 (x264, 0-51) and webm (VP9, 0-63); lower is better and larger.
    preset: x264 speed/size trade-off for mp4, one of X264_PRESETS; the default "veryfast" (OBS's default
        too) encodes about twice as fast as x264's own default "medium", for files a few percent larger.
    gif_colors, gif_dither: palette size (2-256) and ffmpeg paletteuse dithering for GIFs.
    threads: encoder threads for mp4 and webm (None: ffmpeg's choice); workers sharing a machine each
        take their share.
    """
    if preset not in X264_PRESETS:
        raise ValueError(f"unknown x264 preset {preset!r}; expected one of: {', '.join(X264_PRESETS)}")
    target = Path(path)
    name = resolve_format(target, format)
    options = WriterOptions(
        fps=fps, crf=crf, preset=preset, gif_colors=gif_colors, gif_dither=gif_dither, threads=threads
    )
    _, factory = FORMATS[name]
    return factory(target, options)


def check_output(path: str | os.PathLike[str], format: str | None = None) -> str:
    """Before anything is rendered: the format name, or MediaError when the output cannot be written (its
    folder is read-only or under a file, or the format's ffmpeg encoder is missing); ValueError for an
    unknown format. Creates the output's folder."""
    target = Path(path)
    name = resolve_format(target, format)
    _, factory = FORMATS[name]
    if isinstance(factory, type) and issubclass(factory, FfmpegWriter):
        require_encoder(factory.encoder, name)
    folder = split_png_target(target)[0] if name == "png" else target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".rerender-check-"):
            pass
    except OSError as err:
        raise write_error(err, target) from None
    return name
