"""Transform frames: `TransformAxes3D` (axes drawn at an entity's frame) and `CoordinateFrame`."""

from __future__ import annotations

from typing import Any

from .. import components as c
from ..batch import Archetype, Field


class TransformAxes3D(Archetype):
    """Draws the x/y/z axes (red/green/blue) of the entity's transform, `axis_length` units long."""

    _FIELDS = (
        Field("axis_length", "AxisLength", c.float32s),
        Field("show_frame", "ShowLabels", c.bools),
    )

    def __init__(self, axis_length: Any, *, show_frame: Any = None) -> None:
        super().__init__()
        self._set_field("axis_length", axis_length)
        self._set_field("show_frame", show_frame)


class CoordinateFrame(Archetype):
    """Places the entity's data in the named transform frame (see `Transform3D`'s child/parent frames)."""

    _FIELDS = (Field("frame", "TransformFrameId", c.utf8s),)

    def __init__(self, frame: Any) -> None:
        super().__init__()
        self._set_field("frame", frame)
