"""Scene evaluation: latest-at state -> world-space visuals (pure functions; see `evaluate`)."""

from __future__ import annotations

from .colors import default_color, unpack_colors
from .evaluate import evaluate
from .pinholes import PinholeFrame, pinhole_view, unproject
from .registry import DRAWN_3D, DRAWN_UNDER_PINHOLE, IMAGE_DRAW_ORDER
from .transforms import world_transforms
from .visuals import DEFAULT_RADIUS_UI, LabelsVisual, LinesVisual, MeshVisual, PointsVisual, Scene

__all__ = [
    "DEFAULT_RADIUS_UI",
    "DRAWN_3D",
    "DRAWN_UNDER_PINHOLE",
    "IMAGE_DRAW_ORDER",
    "LabelsVisual",
    "LinesVisual",
    "MeshVisual",
    "PinholeFrame",
    "PointsVisual",
    "Scene",
    "default_color",
    "evaluate",
    "pinhole_view",
    "unpack_colors",
    "unproject",
    "world_transforms",
]
