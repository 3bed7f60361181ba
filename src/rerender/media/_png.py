"""PNG image sequences with a JSON sidecar that keeps each frame's time."""

from __future__ import annotations

import json
import os
import re
import string
from pathlib import Path
from typing import Any

import numpy as np

from ._base import FrameWriter, MediaError, WriterOptions, normalize_time

SIDECAR_NAME = "frames.json"
DEFAULT_PATTERN = "frame_{:05d}.png"
# printf-style "%05d" / "%d", the spelling ffmpeg and most tools use for image sequences.
_PRINTF_INDEX = re.compile(r"%(0?\d*)d")


def split_png_target(path: Path) -> tuple[Path, str]:
    """Split a png target into (directory, file-name pattern with one `{}` field for the 1-based index)."""
    if path.suffix.lower() != ".png":
        return path, DEFAULT_PATTERN  # a directory: out/frame_00001.png, ...
    name = path.name
    if match := _PRINTF_INDEX.search(name):
        # Escape literal braces so only the index field is formatted.
        head, tail = (
            part.replace("{", "{{").replace("}", "}}")
            for part in (name[: match.start()], name[match.end() :])
        )
        pattern = f"{head}{{:{match.group(1)}d}}{tail}"
    elif "{" in name:
        pattern = name  # already a str.format pattern such as shot_{:04d}.png
    else:
        pattern = f"{path.stem}_{{:05d}}{path.suffix}"  # out/shot.png -> out/shot_00001.png, ...
    try:
        first, second = pattern.format(1), pattern.format(2)
    except (ValueError, IndexError, KeyError) as err:
        raise ValueError(f"'{path}' is not a usable png file-name pattern: {err}") from None
    if first == second:
        raise ValueError(f"the png file-name pattern '{path}' gives every frame the same name")
    return path.parent, pattern


def existing_frames(path: Path) -> list[Path]:
    """The files in a png target's folder named as its frames are (left by an earlier render)."""
    directory, pattern = split_png_target(path)
    named = "".join(
        re.escape(literal) + (r"\d+" if field is not None else "")
        for literal, field, _, _ in string.Formatter().parse(pattern)
    )
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if re.fullmatch(named, p.name) and p.is_file())


class PngSequenceWriter(FrameWriter):
    """One PNG per frame (frame_00001.png, ...) plus `frames.json` listing each file and its time."""

    format = "png"

    def __init__(self, path: Path, options: WriterOptions) -> None:
        super().__init__(path, options)
        self.directory, self.pattern = split_png_target(path)
        self.sidecar_path = self.directory / SIDECAR_NAME
        self._entries: list[dict[str, Any]] = []
        self._written: list[Path] = []
        try:
            import imageio.v3 as iio
        except ImportError:
            raise MediaError(
                "writing PNG frames needs the 'imageio' and 'pillow' packages; install them with "
                "`pip install imageio pillow`"
            ) from None
        self._iio = iio

    def _write(self, frame: np.ndarray, time: float | int | None) -> None:
        if not self._entries:
            self.directory.mkdir(parents=True, exist_ok=True)
        name = self.pattern.format(self.frame_count + 1)
        # Written under a hidden name and renamed: a render killed mid-frame leaves no truncated PNG that
        # a resumed render would keep.
        partial = self.directory / f".{name}.partial"
        self._iio.imwrite(partial, frame[..., :3], extension=".png")  # PNGs stay RGB
        os.replace(partial, self.directory / name)
        self._written.append(self.directory / name)
        self._entries.append({"index": self.frame_count, "file": name, "time": time})

    def has_frame(self) -> bool:
        return (self.directory / self.pattern.format(self.frame_count + 1)).is_file()

    def skip(self, time: float | None = None) -> None:
        name = self.pattern.format(self.frame_count + 1)
        self._entries.append({"index": self.frame_count, "file": name, "time": normalize_time(time)})
        self.frame_count += 1

    def _close(self) -> None:
        # The sidecar is written on close (also after an error) so it lists exactly the files that exist.
        self.directory.mkdir(parents=True, exist_ok=True)
        sidecar = {
            "format": "png",
            "fps": self.options.fps,
            "frame_count": len(self._entries),
            "frames": self._entries,
        }
        partial = self.sidecar_path.with_name(f".{SIDECAR_NAME}.partial")
        partial.write_text(json.dumps(sidecar, indent=2) + "\n", encoding="utf-8")
        os.replace(partial, self.sidecar_path)

    @property
    def partial_path(self) -> Path:
        return self.directory

    def _abort(self, keep: bool) -> None:
        if keep:
            self._close()
            return
        for path in self._written:  # frames kept from an earlier render (`skip`) are not this one's to remove
            path.unlink(missing_ok=True)
