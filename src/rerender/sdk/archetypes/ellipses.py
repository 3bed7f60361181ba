"""2D ellipses: `Ellipses2D`."""

from __future__ import annotations

from typing import Any

from .. import components as c
from ..batch import Archetype, Field


class Ellipses2D(Archetype):
    """Axis-aligned 2D ellipses given by half sizes (the radii along x and y) and centers, as outlines."""

    _INSTANCES_FROM = ("half_sizes", "centers")

    _FIELDS = (
        Field("half_sizes", "HalfSize2D", c.vectors, 2),
        Field("centers", "Position2D", c.vectors, 2, noun="points"),
        Field("colors", "Color", c.colors),
        Field("line_radii", "Radius", c.float32s),
        Field("labels", "Text", c.utf8s),
        Field("show_labels", "ShowLabels", c.bools),
        Field("draw_order", "DrawOrder", c.float32s),
        Field("class_ids", "ClassId", c.u16s),
    )

    def __init__(
        self,
        *,
        half_sizes: Any = None,
        centers: Any = None,
        line_radii: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        draw_order: Any = None,
        class_ids: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("half_sizes", half_sizes)
        self._set_field("centers", centers)
        self._set_field("colors", colors)
        self._set_field("line_radii", line_radii)
        self._set_field("labels", labels)
        self._set_field("show_labels", show_labels)
        self._set_field("draw_order", draw_order)
        self._set_field("class_ids", class_ids)
