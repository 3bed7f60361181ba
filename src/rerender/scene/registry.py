"""Which archetypes a 3D view draws, with which handler, and where: the one table (`REGISTRY`) that
`evaluate` dispatches on and that the archetype lists (`DRAWN_3D`, `DRAWN_UNDER_PINHOLE`,
`IMAGE_DRAW_ORDER`) are derived from. An archetype not in it is not drawn; one in Rerun's namespace that
this version does not know (a newer Rerun's) is also warned about, once (`newer.py`).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from dataclasses import dataclass

from . import pinholes, shapes
from .entity import Handler


class Space(enum.Enum):
    """Where an archetype is drawn, which decides whether and when `evaluate` runs its handler."""

    WORLD = "world"
    """3D content: drawn unless the entity is at or below a Pinhole (that is a 2D space)."""
    PINHOLE = "pinhole"
    """The Pinhole itself (its frustum): drawn for every entity with an image_from_camera, after the
    default image plane distance is known."""
    IMAGE_PLANE = "image plane"
    """2D content on the image plane of the nearest Pinhole at or above the entity (else not drawn in 3D),
    after that Pinhole's frustum, and not at all when the Pinhole is malformed."""
    DEPTH = "depth"
    """Under a Pinhole, back-projected into 3D: independent of the image plane, and drawn before its
    default distance is chosen, as Rerun counts these in the bounds that choose it."""

    @property
    def needs_pinhole(self) -> bool:
        """Whether the archetype is drawn only at or below a Pinhole (given as `Entity.camera`)."""
        return self is not Space.WORLD


@dataclass(frozen=True)
class Archetype:
    """One drawn archetype."""

    name: str
    handler: Handler
    space: Space
    draw_order: float | None = None  # Rerun's default draw order on the image plane (higher on top)


def _image_layer(name: str, draw_order: float) -> Archetype:
    """An image archetype, drawn as a textured quad on the image plane at its draw order."""
    handler = functools.partial(pinholes.image, arch=name, default_draw_order=draw_order)
    return Archetype(name, handler, Space.IMAGE_PLANE, draw_order)


# Rerun's default draw orders put images (-10) under 2D points and lines. (A DepthImage's is -20, but in
# 3D it is a point cloud, not a layer on the image plane.) The table's order is the lists' order.
REGISTRY: Mapping[str, Archetype] = {
    a.name: a
    for a in (
        Archetype("Points3D", shapes.points3d, Space.WORLD),
        Archetype("LineStrips3D", shapes.linestrips3d, Space.WORLD),
        Archetype("Arrows3D", shapes.arrows3d, Space.WORLD),
        Archetype("Boxes3D", shapes.boxes3d, Space.WORLD),
        Archetype("Ellipsoids3D", shapes.ellipsoids3d, Space.WORLD),
        Archetype("Mesh3D", shapes.mesh3d, Space.WORLD),
        Archetype("Asset3D", shapes.asset3d, Space.WORLD),
        Archetype("Pinhole", pinholes.frustum, Space.PINHOLE),
        Archetype("Points2D", pinholes.points2d, Space.IMAGE_PLANE),
        Archetype("LineStrips2D", pinholes.linestrips2d, Space.IMAGE_PLANE),
        _image_layer("Image", -10.0),
        _image_layer("EncodedImage", -10.0),
        Archetype("DepthImage", pinholes.depth_cloud, Space.DEPTH),
    )
}

DRAWN_3D: tuple[str, ...] = tuple(a.name for a in REGISTRY.values() if a.space is Space.WORLD)
"""Archetypes drawn in 3D space (not below a Pinhole)."""
DRAWN_UNDER_PINHOLE: tuple[str, ...] = tuple(a.name for a in REGISTRY.values() if a.space.needs_pinhole)
"""The Pinhole, first, and the archetypes drawn only at or below one."""
IMAGE_DRAW_ORDER: Mapping[str, float] = {
    a.name: a.draw_order for a in REGISTRY.values() if a.draw_order is not None
}
"""Default draw orders of the archetypes layered on the image plane."""
