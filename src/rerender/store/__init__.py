"""The chunk store: a loaded recording and Rerun's latest-at and range queries over it."""

from .recording import Recording, load
from .values import ComponentValue, LatestAtResult, RangeRow, TimelineInfo, UnknownNameError

__all__ = [
    "ComponentValue",
    "LatestAtResult",
    "RangeRow",
    "Recording",
    "TimelineInfo",
    "UnknownNameError",
    "load",
]
