"""Small value types that users write as text (in flags and config files): sizes, colours, times.

Each has one `parse` that accepts what a person types (`1280x720`, `#ff8800`, `1.5s`, `end`) or the
TOML form (`[1280, 720]`, `[255, 136, 0]`, `42`), and raises ValueError with a message that says what
was expected. The CLI's click parameter types and the config loader both call these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .rrd import TimeKind
from .rrd.timeformat import parse_time

MIN_SIZE = 16
MAX_SIZE = 65536  # a sanity bound; the GL driver's own limit is checked when rendering


@dataclass(frozen=True)
class Size:
    """An output size in pixels."""

    width: int
    height: int

    @classmethod
    def parse(cls, value: object) -> Size:
        """`"1280x720"` or `[1280, 720]`."""
        if isinstance(value, Size):
            return value
        try:
            if isinstance(value, str):
                width, height = (int(v) for v in value.lower().split("x"))
            elif isinstance(value, list | tuple) and all(type(v) is int for v in value):
                width, height = value
            else:
                raise ValueError
        except ValueError:
            raise ValueError(f"{value!r} is not a size; expected WIDTHxHEIGHT such as 1280x720") from None
        if not (MIN_SIZE <= width <= MAX_SIZE and MIN_SIZE <= height <= MAX_SIZE):
            raise ValueError(f"{value!r}: width and height must be from {MIN_SIZE} to {MAX_SIZE} pixels")
        return cls(width, height)

    def __str__(self) -> str:
        return f"{self.width}x{self.height}"


@dataclass(frozen=True)
class Color:
    """An sRGB colour with alpha, 0..255 per channel."""

    r: int
    g: int
    b: int
    a: int = 255

    @classmethod
    def parse(cls, value: object) -> Color:
        """`"#rrggbb"`, `"#rrggbbaa"` (the `#` optional) or `[r, g, b]` / `[r, g, b, a]` in 0..255."""
        if isinstance(value, Color):
            return value
        expected = "expected a colour as #rrggbb (or #rrggbbaa), or [r, g, b] with values 0-255"
        if isinstance(value, str):
            digits = value.strip().removeprefix("#")
            if len(digits) not in (6, 8) or any(c not in "0123456789abcdefABCDEF" for c in digits):
                raise ValueError(f"{value!r} is not a colour; {expected}")
            return cls(*(int(digits[i : i + 2], 16) for i in range(0, len(digits), 2)))
        if (
            isinstance(value, list | tuple)
            and len(value) in (3, 4)
            and all(type(v) is int and 0 <= v <= 255 for v in value)
        ):
            return cls(*value)
        raise ValueError(f"{value!r} is not a colour; {expected}")

    def rgb_float(self) -> tuple[float, float, float]:
        """Red, green and blue in 0..1 (what `Look.background` takes)."""
        return (self.r / 255, self.g / 255, self.b / 255)

    def rgba(self) -> tuple[int, int, int, int]:
        return (self.r, self.g, self.b, self.a)

    def __str__(self) -> str:
        return f"#{self.r:02x}{self.g:02x}{self.b:02x}" + (f"{self.a:02x}" if self.a != 255 else "")


def _reads_as(text: str, kind: TimeKind) -> bool:
    try:
        parse_time(text, kind)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class TimeValue:
    """A time on a timeline as the user wrote it; its meaning depends on the timeline's kind, so it is
    resolved once the recording is open: `start` and `end` are the first and last logged times, other
    text is parsed as `rerender.rrd.timeformat.parse_time` reads it (42, 1.5s, 250ms, ISO-8601)."""

    text: str

    @classmethod
    def parse(cls, value: object) -> TimeValue:
        if isinstance(value, TimeValue):
            return value
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError(f"{value!r} is not a time; expected 'start', 'end', 42, '1.5s' or an ISO date")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{value!r} is not a time; it must be finite")
        text = str(value).strip()
        if not text:
            raise ValueError("an empty time; expected 'start', 'end', 42, '1.5s' or an ISO date")
        # Text no timeline kind can read fails now, naming the flag or key, not after the recording opens.
        if text.lower() not in ("start", "end") and not any(_reads_as(text, kind) for kind in TimeKind):
            raise ValueError(
                f"{text!r} is not a time; expected 'start', 'end', a number (42, 1.5), seconds with a unit "
                "('1.5s', '250ms') or an ISO-8601 date such as 2024-05-01T12:00:00Z"
            )
        return cls(text)

    def resolve(self, kind: TimeKind, ticks: np.ndarray) -> int:
        """The int64 timeline value (ns for duration and timestamp timelines)."""
        if self.text.lower() in ("start", "end"):
            if not len(ticks):
                raise ValueError(f"{self.text!r}: the timeline has no logged times")
            return int(ticks[0] if self.text.lower() == "start" else ticks[-1])
        return parse_time(self.text, kind)

    def __str__(self) -> str:
        return self.text
