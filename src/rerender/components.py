"""`rerender.components`, like `rerun.components`: the component types users pass to archetypes.

Only what rerender implements: enums, string-like values, `Radius` (for `Radius.ui_points`),
`RotationAxisAngle`, and the table-driven value/batch classes of `rerender.sdk.component_types`
(`Color`/`ColorBatch`, `Position3D`/`Position3DBatch`, ...). Archetypes take plain values too;
these exist so that scripts written against rerun's names run unchanged.
Absolute imports on purpose (see `rerender.archetypes`).
"""

from __future__ import annotations

from rerender.sdk.component_types import COMPONENT_CLASSES as _CLASSES
from rerender.sdk.datatypes import GraphEdge, MediaType, Radius, RotationAxisAngle, TextLogLevel
from rerender.sdk.enums import (
    AggregationPolicy,
    Colormap,
    FillMode,
    GraphType,
    InterpolationMode,
    MagnificationFilter,
    MarkerShape,
    MeshFaceRendering,
    PointShading,
    TransformRelation,
    VideoCodec,
)

__all__ = [
    "AggregationPolicy",
    "Colormap",
    "FillMode",
    "GraphEdge",
    "GraphType",
    "InterpolationMode",
    "MagnificationFilter",
    "MarkerShape",
    "MediaType",
    "MeshFaceRendering",
    "PointShading",
    "Radius",
    "RotationAxisAngle",
    "TextLogLevel",
    "TransformRelation",
    "VideoCodec",
]

# Radius and MediaType keep their own value classes (rerender.Radius, rerender.MediaType).
_OWN = {"Radius", "MediaType"}
globals().update({name: cls for name, cls in _CLASSES.items() if name not in _OWN})
__all__ += sorted(name for name in _CLASSES if name not in _OWN)
