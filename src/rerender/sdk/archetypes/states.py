"""State timelines: `StateChange` (the state over time) and `StateConfiguration` (how states are shown)."""

from __future__ import annotations

from typing import Any

from .. import components as c
from ..batch import Archetype, Field


class StateChange(Archetype):
    """An entity entering a new state; an empty string, a null or an empty array resets it (a gap)."""

    _FIELDS = (Field("state", "Text", c.utf8s),)

    def __init__(self, *, state: Any = None) -> None:
        super().__init__()
        self._set_field("state", state)


class StateConfiguration(Archetype):
    """Labels, colors and visibility of state values (parallel arrays by index), best logged static."""

    _FIELDS = (
        Field("values", "Text", c.utf8s),
        Field("labels", "Text", c.utf8s),
        Field("colors", "Color", c.colors),
        Field("visible", "Visible", c.bools),
    )

    def __init__(
        self,
        *,
        values: Any = None,
        labels: Any = None,
        colors: Any = None,
        visible: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("values", values)
        self._set_field("labels", labels)
        self._set_field("colors", colors)
        self._set_field("visible", visible)
