"""Point clouds: `Points3D` and `Points2D`."""

from __future__ import annotations

from typing import Any

from .. import components as c
from ..batch import Archetype, Field
from ..enums import PointShading


class Points3D(Archetype):
    """A 3D point cloud with optional radii, colors, labels and class/keypoint ids."""

    _INSTANCES_FROM = ("positions",)

    _FIELDS = (
        Field("positions", "Position3D", c.vectors, 3, noun="points"),
        Field("radii", "Radius", c.float32s),
        Field("colors", "Color", c.colors),
        Field("labels", "Text", c.utf8s),
        Field("show_labels", "ShowLabels", c.bools),
        Field("point_shading", "PointShading", c.enums, PointShading),
        Field("class_ids", "ClassId", c.u16s),
        Field("keypoint_ids", "KeypointId", c.u16s),
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
        self._set_field("positions", positions)
        self._set_field("radii", radii)
        self._set_field("colors", colors)
        self._set_field("labels", labels)
        self._set_field("show_labels", show_labels)
        self._set_field("point_shading", point_shading)
        self._set_field("class_ids", class_ids)
        self._set_field("keypoint_ids", keypoint_ids)


class Points2D(Archetype):
    """A 2D point cloud with optional radii, colors, labels, draw order and class/keypoint ids."""

    _INSTANCES_FROM = ("positions",)

    _FIELDS = (
        Field("positions", "Position2D", c.vectors, 2, noun="points"),
        Field("radii", "Radius", c.float32s),
        Field("colors", "Color", c.colors),
        Field("labels", "Text", c.utf8s),
        Field("show_labels", "ShowLabels", c.bools),
        Field("draw_order", "DrawOrder", c.float32s),
        Field("class_ids", "ClassId", c.u16s),
        Field("keypoint_ids", "KeypointId", c.u16s),
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
        self._set_field("positions", positions)
        self._set_field("radii", radii)
        self._set_field("colors", colors)
        self._set_field("labels", labels)
        self._set_field("show_labels", show_labels)
        self._set_field("draw_order", draw_order)
        self._set_field("class_ids", class_ids)
        self._set_field("keypoint_ids", keypoint_ids)
