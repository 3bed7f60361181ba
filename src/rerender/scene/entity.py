"""The handler interface: what an archetype's handler is given (one `Entity`) and what it adds to (`Visuals`).

A handler draws one archetype of one entity from that entity's components and placement alone, so that
evaluation can run it per entity, drop what a failing handler added, and (later) keep its result while the
entity's components do not change. `registry.py` says which handler draws which archetype.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from . import transforms as tf
from .components import Components
from .visuals import LabelsVisual, LinesVisual, MeshVisual, PointsVisual

if TYPE_CHECKING:
    from .pinholes import ImagePlane


@dataclass(frozen=True)
class Entity:
    """One entity as a handler sees it."""

    path: str
    comps: Components  # its latest-at components
    world: np.ndarray  # (4, 4) view-origin-from-entity: its Transform3D chain, not its instance poses
    camera: ImagePlane | None = None  # the Pinhole it is seen through (at or above it), for pinhole content

    def placements(self) -> list[np.ndarray]:
        """World-from-geometry 4x4s, one per InstancePoses3D instance (`world` alone if it has none).
        Raises ValueError for malformed instance poses."""
        poses = tf.instance_poses(self.comps)
        return [self.world] if poses is None else [self.world @ p for p in poses]

    def placement(self) -> np.ndarray:
        """The first placement: points, lines and arrows use only the first instance pose, as in Rerun."""
        return self.placements()[0]


@dataclass
class Visuals:
    """What handlers add, in drawing order (world space)."""

    points: list[PointsVisual] = field(default_factory=list)
    lines: list[LinesVisual] = field(default_factory=list)
    meshes: list[MeshVisual] = field(default_factory=list)
    labels: list[LabelsVisual] = field(default_factory=list)

    def extend(self, other: Visuals) -> None:
        """Append everything `other` holds, after what this holds."""
        self.points += other.points
        self.lines += other.lines
        self.meshes += other.meshes
        self.labels += other.labels


Handler = Callable[[Entity, Visuals], None]
"""Draws one archetype of an entity into the `Visuals` given (a fresh one per call); raises for malformed
or unsupported values, which `evaluate` reports as a warning, dropping what the call added."""
