"""Reading and writing timeline values as people type them: `42`, `1.5s`, `250ms`, ISO-8601 dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from .chunk import TimeKind

_DURATION = re.compile(r"^\s*(-?\d+(?:\.\d*)?|-?\.\d+)\s*(ns|us|µs|ms|s|min|h)?\s*$")
_UNIT_NS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "min": 60_000_000_000,
    "h": 3_600_000_000_000,
}


def parse_time(text: str, kind: TimeKind) -> int:
    """Parse a user-typed time for a timeline of `kind` into its int64 value (ns for time kinds)."""
    text = text.strip()
    if kind == TimeKind.SEQUENCE:
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a sequence number; expected an integer such as 42") from None
    if kind == TimeKind.DURATION:
        m = _DURATION.match(text)
        if not m:
            raise ValueError(f"{text!r} is not a duration; expected seconds such as 1.5, 1.5s or 250ms")
        number, unit = m.group(1), m.group(2) or "s"
        if "." not in number and unit == "s":
            return int(number) * _UNIT_NS["s"]
        return round(float(number) * _UNIT_NS[unit])
    # Timestamps: integer nanoseconds since the epoch, or ISO-8601 (naive means UTC).
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{text!r} is not a timestamp; expected ISO-8601 such as 2024-05-01T12:00:00Z "
            "or integer nanoseconds since the epoch"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000


def format_time(value: int, kind: TimeKind) -> str:
    """Show a timeline value the way it was meant: `42`, `1.5s`, `2024-05-01T12:00:00.250Z`."""
    if kind == TimeKind.SEQUENCE:
        return str(value)
    if kind == TimeKind.DURATION:
        seconds = value / 1e9
        return f"{seconds:.9f}".rstrip("0").rstrip(".") + "s"
    seconds, nanos = divmod(value, 1_000_000_000)
    stamp = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if nanos:
        stamp += f".{nanos:09d}".rstrip("0")
    return stamp + "Z"
