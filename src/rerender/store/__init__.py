"""The chunk store: a loaded recording and Rerun's latest-at and range queries over it."""

from .recording import Recording, load
from .values import ComponentValue, LatestAtResult, RangeColumn, RangeRow, TimelineInfo, UnknownNameError

__all__ = [
    "ComponentValue",
    "LatestAtResult",
    "RangeColumn",
    "RangeRow",
    "Recording",
    "TimelineInfo",
    "UnknownNameError",
    "load",
]
