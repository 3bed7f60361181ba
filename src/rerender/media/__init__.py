"""Write rendered frames ((H, W, 3) RGB or (H, W, 4) RGBA uint8 arrays) to videos, GIFs and PNG sequences.

    with open_writer("out.mp4", fps=30) as writer:
        for time, frame in frames:
            writer.write(frame, time=time)

The format comes from `format=` or the path's extension:
- mp4: H.264 (libx264), yuv420p, `-movflags +faststart`, x264 preset "veryfast" by default; odd frame
  sizes are padded to even by repeating the last row/column (not black), so the video is at most one
  pixel wider/taller. A keyframe every two seconds and a constant quantizer (`crf` + 7) make each
  two-second piece encode alike on its own, so `join_videos` can join keyframe-aligned pieces.
- webm: VP9 (libvpx-vp9), yuv420p, constant quality (`-crf`, `-b:v 0`).
- gif: one palette for the whole clip (palettegen/paletteuse), looping forever.
- png: a directory (`out/` -> out/frame_00001.png, ...) or a pattern (`out/shot_%04d.png`), plus
  `frames.json` listing each frame's file and the `time` given to `write` (None if none was).
Videos and GIFs run at a constant `fps`; frame times are kept only by the png sidecar.
Every output (videos, each PNG and the sidecar) is written beside its target and renamed when complete,
so a failed or killed render leaves no half-written file under a real name; `abort(keep=True)` leaves
what was written readable at `partial_path` instead. `check_output` fails before any frame when the
output's folder cannot be written or ffmpeg is missing; `write_error` words an OSError met while writing.
ffmpeg failures raise `MediaError` with the end of ffmpeg's output; unknown formats raise ValueError.
"""

from __future__ import annotations

from ._base import (
    MIN_JOINED_FRAMES,
    FrameWriter,
    MediaError,
    WriterOptions,
    joined_pieces,
    keyframe_interval,
    partial_name,
    write_error,
)
from ._ffmpeg import RELEVANT_ENCODERS, join_videos, probe_ffmpeg
from ._png import SIDECAR_NAME, existing_frames, split_png_target
from ._registry import (
    FORMATS,
    SUPPORTED_FORMATS,
    X264_PRESETS,
    check_output,
    crf_problem,
    open_writer,
    resolve_format,
)

__all__ = [
    "FORMATS",
    "MIN_JOINED_FRAMES",
    "RELEVANT_ENCODERS",
    "SIDECAR_NAME",
    "SUPPORTED_FORMATS",
    "X264_PRESETS",
    "FrameWriter",
    "MediaError",
    "WriterOptions",
    "check_output",
    "crf_problem",
    "existing_frames",
    "join_videos",
    "joined_pieces",
    "keyframe_interval",
    "open_writer",
    "partial_name",
    "probe_ffmpeg",
    "resolve_format",
    "split_png_target",
    "write_error",
]
