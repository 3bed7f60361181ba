"""Line primitives: `LineStrips3D`, `LineStrips2D`, `Arrows3D` and `Arrows2D`."""

from __future__ import annotations

from typing import Any

from .. import components as c
from ..batch import Archetype, Field


class LineStrips3D(Archetype):
    """3D line strips (each a list of points) with optional radii, colors, labels and class ids."""

    _INSTANCES_FROM = ("strips",)

    _FIELDS = (
        Field("strips", "LineStrip3D", c.line_strips, 3),
        Field("radii", "Radius", c.float32s),
        Field("colors", "Color", c.colors),
        Field("labels", "Text", c.utf8s),
        Field("show_labels", "ShowLabels", c.bools),
        Field("class_ids", "ClassId", c.u16s),
    )

    def __init__(
        self,
        strips: Any,
        *,
        radii: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        class_ids: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("strips", strips)
        self._set_field("radii", radii)
        self._set_field("colors", colors)
        self._set_field("labels", labels)
        self._set_field("show_labels", show_labels)
        self._set_field("class_ids", class_ids)


class LineStrips2D(Archetype):
    """2D line strips with optional radii, colors, labels, draw order and class ids."""

    _INSTANCES_FROM = ("strips",)

    _FIELDS = (
        Field("strips", "LineStrip2D", c.line_strips, 2),
        Field("radii", "Radius", c.float32s),
        Field("colors", "Color", c.colors),
        Field("labels", "Text", c.utf8s),
        Field("show_labels", "ShowLabels", c.bools),
        Field("draw_order", "DrawOrder", c.float32s),
        Field("class_ids", "ClassId", c.u16s),
    )

    def __init__(
        self,
        strips: Any,
        *,
        radii: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        draw_order: Any = None,
        class_ids: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("strips", strips)
        self._set_field("radii", radii)
        self._set_field("colors", colors)
        self._set_field("labels", labels)
        self._set_field("show_labels", show_labels)
        self._set_field("draw_order", draw_order)
        self._set_field("class_ids", class_ids)


class Arrows3D(Archetype):
    """3D arrows given by vectors and optional origins."""

    _INSTANCES_FROM = ("vectors", "origins")

    _FIELDS = (
        Field("vectors", "Vector3D", c.vectors, 3),
        Field("origins", "Position3D", c.vectors, 3, noun="points"),
        Field("radii", "Radius", c.float32s),
        Field("colors", "Color", c.colors),
        Field("labels", "Text", c.utf8s),
        Field("show_labels", "ShowLabels", c.bools),
        Field("class_ids", "ClassId", c.u16s),
    )

    def __init__(
        self,
        *,
        vectors: Any,
        origins: Any = None,
        radii: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        class_ids: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("vectors", vectors)
        self._set_field("origins", origins)
        self._set_field("radii", radii)
        self._set_field("colors", colors)
        self._set_field("labels", labels)
        self._set_field("show_labels", show_labels)
        self._set_field("class_ids", class_ids)


class Arrows2D(Archetype):
    """2D arrows given by vectors and optional origins."""

    _INSTANCES_FROM = ("vectors", "origins")

    _FIELDS = (
        Field("vectors", "Vector2D", c.vectors, 2),
        Field("origins", "Position2D", c.vectors, 2, noun="points"),
        Field("radii", "Radius", c.float32s),
        Field("colors", "Color", c.colors),
        Field("labels", "Text", c.utf8s),
        Field("show_labels", "ShowLabels", c.bools),
        Field("draw_order", "DrawOrder", c.float32s),
        Field("class_ids", "ClassId", c.u16s),
    )

    def __init__(
        self,
        *,
        vectors: Any,
        origins: Any = None,
        radii: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        draw_order: Any = None,
        class_ids: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("vectors", vectors)
        self._set_field("origins", origins)
        self._set_field("radii", radii)
        self._set_field("colors", colors)
        self._set_field("labels", labels)
        self._set_field("show_labels", show_labels)
        self._set_field("draw_order", draw_order)
        self._set_field("class_ids", class_ids)
