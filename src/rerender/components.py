"""`rerender.components`, like `rerun.components`: the component types users pass to archetypes.

Only what rerender implements: enums, string-like values, `Radius` (for `Radius.ui_points`) and
`RotationAxisAngle`. Archetypes take plain values too; these exist so that scripts written against
rerun's names run unchanged. Absolute imports on purpose (see `rerender.archetypes`).
"""

from __future__ import annotations

from rerender.sdk.datatypes import MediaType, Radius, RotationAxisAngle, TextLogLevel
from rerender.sdk.enums import (
    Colormap,
    FillMode,
    MagnificationFilter,
    MeshFaceRendering,
    PointShading,
    TransformRelation,
)

__all__ = [
    "Colormap",
    "FillMode",
    "MagnificationFilter",
    "MediaType",
    "MeshFaceRendering",
    "PointShading",
    "Radius",
    "RotationAxisAngle",
    "TextLogLevel",
    "TransformRelation",
]
