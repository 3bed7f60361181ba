"""Time values of blueprints and recordings: `TimeInt`, range boundaries and ranges, as rerun-sdk 0.41's
encodings of the same names (same constructors and fields; `components_structs` converts them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "AbsoluteTimeRange",
    "BoundaryKind",
    "TimeInt",
    "TimeRange",
    "TimeRangeBoundary",
    "VisibleTimeRange",
]

BoundaryKind = Literal["cursor_relative", "absolute", "infinite"]


@dataclass(init=False)
class TimeInt:
    """A point on a timeline: a sequence number, or nanoseconds (a duration or since the Unix epoch)."""

    value: int

    def __init__(
        self, *, seq: int | None = None, seconds: float | None = None, nanos: int | None = None
    ) -> None:
        if sum(x is not None for x in (seq, seconds, nanos)) != 1:
            raise ValueError("TimeInt: give exactly one of seq, seconds or nanos")
        if seq is not None:
            self.value = int(seq)
        elif seconds is not None:
            self.value = int(seconds * 1e9)  # truncates, as rerun-sdk does
        else:
            self.value = int(nanos)  # type: ignore[arg-type]

    @staticmethod
    def auto(value: Any) -> TimeInt:
        """A `TimeInt` from itself or a plain integer (taken as a sequence number, as rerun-sdk does)."""
        return value if isinstance(value, TimeInt) else TimeInt(seq=value)

    def __int__(self) -> int:
        return self.value

    # Lets numpy (and so the int64 converters) read TimeInts and lists of them as integers.
    __index__ = __int__


def _time(
    time: TimeInt | None,
    seq: int | None,
    seconds: float | None,
    nanos: int | None,
    *,
    default: TimeInt | None,
) -> TimeInt:
    """The time a boundary constructor was given: a `TimeInt`, or exactly one of seq/seconds/nanos."""
    given = sum(x is not None for x in (time, seq, seconds, nanos))
    if given == 0 and default is not None:
        return default
    if given != 1:
        raise ValueError("TimeRangeBoundary: give exactly one of the time, seq, seconds or nanos")
    return time if time is not None else TimeInt(seq=seq, seconds=seconds, nanos=nanos)


@dataclass(init=False)
class TimeRangeBoundary:
    """One end of a time range: an offset from the time cursor, an absolute time, or infinity."""

    inner: TimeInt | int | None
    kind: BoundaryKind

    def __init__(self, inner: TimeInt | int | None, kind: BoundaryKind = "cursor_relative") -> None:
        self.inner = inner
        self.kind = kind

    @staticmethod
    def cursor_relative(
        offset: TimeInt | None = None,
        *,
        seq: int | None = None,
        seconds: float | None = None,
        nanos: int | None = None,
    ) -> TimeRangeBoundary:
        """A boundary `offset` away from the time cursor (the cursor itself when nothing is given)."""
        time = _time(offset, seq, seconds, nanos, default=TimeInt(seq=0))
        return TimeRangeBoundary(time, "cursor_relative")

    @staticmethod
    def absolute(
        time: TimeInt | None = None,
        *,
        seq: int | None = None,
        seconds: float | None = None,
        nanos: int | None = None,
    ) -> TimeRangeBoundary:
        """A boundary at an absolute time (exactly one of the arguments)."""
        return TimeRangeBoundary(_time(time, seq, seconds, nanos, default=None), "absolute")

    @staticmethod
    def infinite() -> TimeRangeBoundary:
        """A boundary at the start or end of the timeline (depending on which end it is)."""
        return TimeRangeBoundary(None, "infinite")


@dataclass(init=False)
class TimeRange:
    """A range of time between two boundaries."""

    start: TimeRangeBoundary | TimeInt | None
    end: TimeRangeBoundary | TimeInt | None

    def __init__(
        self, start: TimeRangeBoundary | TimeInt | None, end: TimeRangeBoundary | TimeInt | None
    ) -> None:
        self.start = start
        self.end = end


@dataclass(init=False)
class VisibleTimeRange:
    """The range of time a view shows on one timeline: a `TimeRange`, or its `start` and `end`."""

    timeline: str
    range: TimeRange

    def __init__(
        self,
        timeline: str,
        range: TimeRange | None = None,
        *,
        start: TimeRangeBoundary | None = None,
        end: TimeRangeBoundary | None = None,
    ) -> None:
        if range is None:
            if start is None or end is None:
                raise ValueError("VisibleTimeRange: give range, or both start and end")
            range = TimeRange(start=start, end=end)
        elif start is not None or end is not None:
            raise ValueError("VisibleTimeRange: give range, or start and end, not both")
        self.timeline = str(timeline)
        self.range = range


@dataclass(init=False)
class AbsoluteTimeRange:
    """A closed range between two absolute times (plain integers are sequence numbers)."""

    min: TimeInt
    max: TimeInt

    def __init__(self, min: TimeInt | int, max: TimeInt | int) -> None:
        self.min = TimeInt.auto(min)
        self.max = TimeInt.auto(max)
