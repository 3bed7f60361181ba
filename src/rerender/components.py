"""`rerender.components`, like `rerun.components`: the component types users pass to archetypes.

Only what rerender implements: enums, string-like values, `Radius` (for `Radius.ui_points`) and
`RotationAxisAngle`. Archetypes take plain values too; these exist so that scripts written against
rerun's names run unchanged. Absolute imports on purpose (see `rerender.archetypes`).
"""

from __future__ import annotations

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
