"""Point clouds: `Points3D` and `Points2D`."""

from __future__ import annotations

from typing import Any

from .. import components as c
from ..batch import Archetype
from ..enums import PointShading


class Points3D(Archetype):
    """A 3D point cloud with optional radii, colors, labels and class/keypoint ids."""

    _INSTANCES_FROM = ("positions",)

    _FIELDS = (
        ("positions", "Position3D"),
        ("radii", "Radius"),
        ("colors", "Color"),
        ("labels", "Text"),
        ("show_labels", "ShowLabels"),
        ("point_shading", "PointShading"),
        ("class_ids", "ClassId"),
        ("keypoint_ids", "KeypointId"),
    )

    def __init__(
        self,
        positions: Any,
        *,
        radii: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        point_shading: PointShading | str | int | None = None,
        class_ids: Any = None,
        keypoint_ids: Any = None,
    ) -> None:
        super().__init__()
        # Keypoints are looked up per class, so rerun-sdk logs class 0 when only keypoint ids are given.
        if class_ids is None and keypoint_ids is not None:
            class_ids = 0
        self._set("positions", positions, c.vectors, 3, noun="points")
        self._set("radii", radii, c.float32s)
        self._set("colors", colors, c.colors)
        self._set("labels", labels, c.utf8s)
        self._set("show_labels", show_labels, c.bools)
        self._set("point_shading", point_shading, c.enums, PointShading)
        self._set("class_ids", class_ids, c.u16s)
        self._set("keypoint_ids", keypoint_ids, c.u16s)


class Points2D(Archetype):
    """A 2D point cloud with optional radii, colors, labels, draw order and class/keypoint ids."""

    _INSTANCES_FROM = ("positions",)

    _FIELDS = (
        ("positions", "Position2D"),
        ("radii", "Radius"),
        ("colors", "Color"),
        ("labels", "Text"),
        ("show_labels", "ShowLabels"),
        ("draw_order", "DrawOrder"),
        ("class_ids", "ClassId"),
        ("keypoint_ids", "KeypointId"),
    )

    def __init__(
        self,
        positions: Any,
        *,
        radii: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        draw_order: Any = None,
        class_ids: Any = None,
        keypoint_ids: Any = None,
    ) -> None:
        super().__init__()
        if class_ids is None and keypoint_ids is not None:
            class_ids = 0
        self._set("positions", positions, c.vectors, 2, noun="points")
        self._set("radii", radii, c.float32s)
        self._set("colors", colors, c.colors)
        self._set("labels", labels, c.utf8s)
        self._set("show_labels", show_labels, c.bools)
        self._set("draw_order", draw_order, c.float32s)
        self._set("class_ids", class_ids, c.u16s)
        self._set("keypoint_ids", keypoint_ids, c.u16s)
