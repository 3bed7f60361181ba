"""`rerender.archetypes`, like `rerun.archetypes`: the archetypes rerender implements.

Absolute imports on purpose: where `rerun` is aliased to `rerender` (`rerender run`), `import
rerun.archetypes` loads this file again as `rerun.archetypes`, and it must give the same classes.
"""

from __future__ import annotations

from rerender.sdk.archetypes import (
    Arrows3D,
    Asset3D,
    Boxes2D,
    Boxes3D,
    Clear,
    DepthImage,
    Ellipsoids3D,
    EncodedImage,
    Image,
    InstancePoses3D,
    LineStrips2D,
    LineStrips3D,
    Mesh3D,
    Pinhole,
    Points2D,
    Points3D,
    Scalars,
    TextDocument,
    TextLog,
    Transform3D,
    ViewCoordinates,
)

__all__ = [
    "Arrows3D",
    "Asset3D",
    "Boxes2D",
    "Boxes3D",
    "Clear",
    "DepthImage",
    "Ellipsoids3D",
    "EncodedImage",
    "Image",
    "InstancePoses3D",
    "LineStrips2D",
    "LineStrips3D",
    "Mesh3D",
    "Pinhole",
    "Points2D",
    "Points3D",
    "Scalars",
    "TextDocument",
    "TextLog",
    "Transform3D",
    "ViewCoordinates",
]
