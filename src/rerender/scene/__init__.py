"""Scene evaluation: latest-at state -> world-space visuals (pure functions; see `evaluate`)."""

from __future__ import annotations

from .colors import default_color, default_colors, unpack_colors
from .evaluate import SceneCache, evaluate
from .newer import NewerNames
from .pinholes import PinholeFrame, pinhole_view, unproject
from .registry import DRAWN_3D, DRAWN_UNDER_PINHOLE, IMAGE_DRAW_ORDER
from .transforms import world_transforms
from .visuals import (
    DEFAULT_RADIUS_UI,
    LabelsVisual,
    LinesVisual,
    MeshVisual,
    PointsVisual,
    Scene,
    in_world,
    world_points,
)

__all__ = [
    "DEFAULT_RADIUS_UI",
    "DRAWN_3D",
    "DRAWN_UNDER_PINHOLE",
    "IMAGE_DRAW_ORDER",
    "LabelsVisual",
    "LinesVisual",
    "MeshVisual",
    "NewerNames",
    "PinholeFrame",
    "PointsVisual",
    "Scene",
    "SceneCache",
    "default_color",
    "default_colors",
    "evaluate",
    "in_world",
    "pinhole_view",
    "unpack_colors",
    "unproject",
    "world_points",
    "world_transforms",
]
