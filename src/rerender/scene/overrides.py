"""Which entities a render shows and how: include/exclude by entity path glob, and per-glob rules that
hide, recolour, resize or scale the radii of what an entity draws. Applied to an evaluated `Scene` (pure), so
transforms of hidden parents still place their children.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Annotated

import msgspec
import numpy as np

from ..rrd.select import EntityGlob
from ..values import Color
from .visuals import LabelsVisual, LinesVisual, MeshVisual, PointsVisual, Scene


@dataclass(frozen=True, kw_only=True)
class EntityRule:
    """What to change for every entity matching `path` (a glob: `/world/**`, `/cam*`). Later rules win."""

    path: str
    visible: bool | None = None
    color: Color | None = None
    radius: float | None = None
    """A new radius for every point and line strip: > 0 in scene units, < 0 in UI points (Rerun's
    Radius); `radius_scale` then scales it."""
    radius_scale: Annotated[float, msgspec.Meta(gt=0.0)] | None = None


@dataclass(frozen=True, kw_only=True)
class EntityFilter:
    """Entities drawn: those matching any `include` glob (all when empty) and no `exclude` glob,
    changed by `rules` in order."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    rules: tuple[EntityRule, ...] = ()

    def is_identity(self) -> bool:
        return not (self.include or self.exclude or self.rules)

    def shows(self, entity_path: str) -> bool:
        """Whether an entity's visuals are drawn."""
        return _resolve(self, entity_path).visible

    def patterns(self) -> tuple[str, ...]:
        """Every glob it names (to check each matches some entity before rendering)."""
        return (*self.include, *self.exclude, *(r.path for r in self.rules))


@dataclass(frozen=True)
class _Resolved:
    visible: bool
    color: Color | None
    radius: float | None
    radius_scale: float


@functools.lru_cache(maxsize=65536)
def _resolve(entity: EntityFilter, path: str) -> _Resolved:
    """What the filter says of one entity: judged once per (filter, entity), not on every frame."""
    visible = not entity.include or any(EntityGlob(g).matches(path) for g in entity.include)
    visible = visible and not any(EntityGlob(g).matches(path) for g in entity.exclude)
    color, radius, scale = None, None, 1.0
    for rule in entity.rules:
        if EntityGlob(rule.path).matches(path):
            visible = visible if rule.visible is None else rule.visible
            color = rule.color or color
            radius = radius if rule.radius is None else rule.radius
            scale = scale if rule.radius_scale is None else rule.radius_scale
    return _Resolved(visible, color, radius, scale)


def _recolored(colors: np.ndarray, color: Color | None) -> np.ndarray:
    if color is None:
        return colors
    return np.broadcast_to(np.array(color.rgba(), dtype=np.uint8), np.shape(colors)).copy()


def _scaled(radii: np.ndarray, radius: float | None, scale: float) -> np.ndarray:
    # Both scene-unit (positive) and UI-point (negative) radii scale: the sign keeps its meaning.
    if radius is not None:
        radii = np.full(np.shape(radii), radius, dtype=np.float32)
    return radii if scale == 1.0 else (np.asarray(radii, dtype=np.float32) * np.float32(scale))


def apply_entity_filter(scene: Scene, entity: EntityFilter) -> Scene:
    """`scene` with hidden entities' visuals dropped and rules' colours, radii and radius scales applied."""
    if entity.is_identity():
        return scene

    def keep(visual) -> bool:
        return _resolve(entity, visual.entity_path).visible

    def sized(v: PointsVisual | LinesVisual) -> PointsVisual | LinesVisual:
        r = _resolve(entity, v.entity_path)
        return dataclasses.replace(
            v, colors=_recolored(v.colors, r.color), radii=_scaled(v.radii, r.radius, r.radius_scale)
        )

    def mesh(v: MeshVisual) -> MeshVisual:
        color = _resolve(entity, v.entity_path).color
        if color is None:
            return v
        return dataclasses.replace(v, vertex_colors=None, color=color.rgba(), texture=None, texcoords=None)

    def labels(v: LabelsVisual) -> LabelsVisual:
        color = _resolve(entity, v.entity_path).color
        return dataclasses.replace(v, colors=_recolored(v.colors, color))

    return dataclasses.replace(
        scene,
        points=tuple(sized(v) for v in scene.points if keep(v)),
        lines=tuple(sized(v) for v in scene.lines if keep(v)),
        meshes=tuple(mesh(v) for v in scene.meshes if keep(v)),
        labels=tuple(labels(v) for v in scene.labels if keep(v)),
    )
