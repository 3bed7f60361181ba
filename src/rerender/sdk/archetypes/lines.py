"""Line primitives: `LineStrips3D`, `LineStrips2D`, `Arrows3D` and `Arrows2D`."""

from __future__ import annotations

from typing import Any

from .. import components as c
from ..batch import Archetype


class LineStrips3D(Archetype):
    """3D line strips (each a list of points) with optional radii, colors, labels and class ids."""

    _INSTANCES_FROM = ("strips",)

    _FIELDS = (
        ("strips", "LineStrip3D"),
        ("radii", "Radius"),
        ("colors", "Color"),
        ("labels", "Text"),
        ("show_labels", "ShowLabels"),
        ("class_ids", "ClassId"),
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
        self._set("strips", strips, c.line_strips, 3)
        self._set("radii", radii, c.float32s)
        self._set("colors", colors, c.colors)
        self._set("labels", labels, c.utf8s)
        self._set("show_labels", show_labels, c.bools)
        self._set("class_ids", class_ids, c.u16s)


class LineStrips2D(Archetype):
    """2D line strips with optional radii, colors, labels, draw order and class ids."""

    _INSTANCES_FROM = ("strips",)

    _FIELDS = (
        ("strips", "LineStrip2D"),
        ("radii", "Radius"),
        ("colors", "Color"),
        ("labels", "Text"),
        ("show_labels", "ShowLabels"),
        ("draw_order", "DrawOrder"),
        ("class_ids", "ClassId"),
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
        self._set("strips", strips, c.line_strips, 2)
        self._set("radii", radii, c.float32s)
        self._set("colors", colors, c.colors)
        self._set("labels", labels, c.utf8s)
        self._set("show_labels", show_labels, c.bools)
        self._set("draw_order", draw_order, c.float32s)
        self._set("class_ids", class_ids, c.u16s)


class Arrows3D(Archetype):
    """3D arrows given by vectors and optional origins."""

    _INSTANCES_FROM = ("vectors", "origins")

    _FIELDS = (
        ("vectors", "Vector3D"),
        ("origins", "Position3D"),
        ("radii", "Radius"),
        ("colors", "Color"),
        ("labels", "Text"),
        ("show_labels", "ShowLabels"),
        ("class_ids", "ClassId"),
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
        self._set("vectors", vectors, c.vectors, 3)
        self._set("origins", origins, c.vectors, 3, noun="points")
        self._set("radii", radii, c.float32s)
        self._set("colors", colors, c.colors)
        self._set("labels", labels, c.utf8s)
        self._set("show_labels", show_labels, c.bools)
        self._set("class_ids", class_ids, c.u16s)


class Arrows2D(Archetype):
    """2D arrows given by vectors and optional origins."""

    _INSTANCES_FROM = ("vectors", "origins")

    _FIELDS = (
        ("vectors", "Vector2D"),
        ("origins", "Position2D"),
        ("radii", "Radius"),
        ("colors", "Color"),
        ("labels", "Text"),
        ("show_labels", "ShowLabels"),
        ("draw_order", "DrawOrder"),
        ("class_ids", "ClassId"),
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
        self._set("vectors", vectors, c.vectors, 2)
        self._set("origins", origins, c.vectors, 2, noun="points")
        self._set("radii", radii, c.float32s)
        self._set("colors", colors, c.colors)
        self._set("labels", labels, c.utf8s)
        self._set("show_labels", show_labels, c.bools)
        self._set("draw_order", draw_order, c.float32s)
        self._set("class_ids", class_ids, c.u16s)
