"""Recording-wide information: `RecordingInfo` (its name and start time)."""

from __future__ import annotations

from typing import Any

from .. import components as c
from ..batch import Archetype, Field


class RecordingInfo(Archetype):
    """A recording's start time (nanoseconds since the Unix epoch) and human-readable name."""

    _FIELDS = (
        Field("start_time", "Timestamp", c.int64s),
        Field("name", "Name", c.utf8s),
    )

    def __init__(self, *, start_time: Any = None, name: Any = None) -> None:
        super().__init__()
        self._set_field("start_time", start_time)
        self._set_field("name", name)
