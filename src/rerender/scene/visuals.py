"""What a frame shows: the value types between scene evaluation and the renderer.

Scene evaluation (pure, in this package) turns a latest-at state into a `Scene`; renderers draw
a `Scene` and know nothing of entities, components or transforms. A visual's geometry is in its own
coordinates, placed in the world by its `world` matrix (None: already in world space), so a moving
parent changes a matrix, not the geometry; `world_points` gives world coordinates when needed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from .transforms import apply, transform_normals, uniform_scale

# Rerun's default radius for points, lines and arrows: 1.5 UI points (negative = UI points).
DEFAULT_RADIUS_UI = -1.5


@dataclass(frozen=True)
class PointsVisual:
    """Points drawn as shaded spheres, each with its own color and radius."""

    entity_path: str
    positions: np.ndarray  # (N, 3) float32, world space
    colors: np.ndarray  # (N, 4) uint8 RGBA (sRGB, unmultiplied)
    radii: np.ndarray  # (N,) float32: >= 0 world units, < 0 UI points (screen-space)
    world: np.ndarray | None = None  # (4, 4) world-from-visual; None: positions are world space
    static: bool = False  # drawn only from static data, so the same at every time (see Scene)


@dataclass(frozen=True)
class LinesVisual:
    """Line strips (polylines), each with one color and radius.

    Stored as Arrow stores them: all strips' points in one array, and where each strip starts, so that
    hundreds of short strips (the DNA's rungs) cost array operations rather than a Python loop.
    """

    entity_path: str
    points: np.ndarray  # (M, 3) float32, world space: every strip's points, one strip after another
    offsets: np.ndarray  # (S + 1,) int64: strip i is points[offsets[i]:offsets[i + 1]]
    colors: np.ndarray  # (S, 4) uint8
    radii: np.ndarray  # (S,) float32, same sign convention as points
    world: np.ndarray | None = None  # (4, 4) world-from-visual; None: points are world space
    static: bool = False

    @classmethod
    def from_strips(cls, entity_path: str, strips, colors: np.ndarray, radii: np.ndarray) -> LinesVisual:
        """From a sequence of (M_i, 3) strips."""
        arrays = [np.asarray(s, dtype=np.float32).reshape(-1, 3) for s in strips]
        offsets = np.concatenate([[0], np.cumsum([len(a) for a in arrays], dtype=np.int64)]).astype(np.int64)
        points = np.concatenate(arrays) if arrays else np.zeros((0, 3), np.float32)
        return cls(entity_path, points, offsets, colors, radii)

    @property
    def strips(self) -> tuple[np.ndarray, ...]:
        """Each strip's (M_i, 3) points (views into `points`)."""
        return tuple(self.points[a:b] for a, b in zip(self.offsets[:-1], self.offsets[1:], strict=True))


@dataclass(frozen=True)
class PbrMaterial:
    """glTF's metallic-roughness factors of an Asset3D's material (and its metallic-roughness texture, glTF's
    layout: roughness in G, metallic in B). Rerun's viewer draws them with its plain lighting, and so does
    our renderer; the pyrender backend and `rerender export` use them."""

    metallic: float = 0.0
    roughness: float = 1.0
    metallic_roughness_texture: np.ndarray | None = None  # (H, W, 3|4) uint8


@dataclass(frozen=True)
class MeshVisual:
    """Triangles in world space (meshes, assets, and filled boxes/ellipsoids/arrow tips)."""

    entity_path: str
    vertices: np.ndarray  # (V, 3) float32
    triangles: np.ndarray  # (T, 3) uint32
    vertex_colors: np.ndarray | None = None  # (V, 4) uint8
    normals: np.ndarray | None = None  # (V, 3) float32, world space
    color: tuple[int, int, int, int] = (255, 255, 255, 255)  # used when vertex_colors is None
    texcoords: np.ndarray | None = None  # (V, 2) float32
    texture: np.ndarray | None = None  # (H, W, 3|4) uint8
    world: np.ndarray | None = None  # (4, 4) world-from-visual; None: vertices are world space
    static: bool = False
    material: PbrMaterial | None = None  # an Asset3D's glTF material; None: Rerun's plain diffuse look


def world_points(points: np.ndarray, world: np.ndarray | None) -> np.ndarray:
    """(N, 3) points of a visual in world space (as they are when `world` is None)."""
    return points if world is None else apply(world, points)


def same_world(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    """Whether two visuals' world matrices (None: the identity) place them alike (siblings share their
    parent's matrix object, so the identity check usually answers)."""
    return a is b or (a is not None and b is not None and np.array_equal(a, b))


def world_scale(world: np.ndarray | None) -> float:
    """The uniform scale a world matrix applies to radii in scene units (1 for None)."""
    return 1.0 if world is None else uniform_scale(world)


def world_radii(radii: np.ndarray, world: np.ndarray | None) -> np.ndarray:
    """Radii with those in scene units (>= 0) scaled by the world matrix; UI-point radii (< 0) unchanged."""
    radii = np.asarray(radii, dtype=np.float32)
    if world is None:
        return radii
    return np.where(radii >= 0, radii * world_scale(world), radii).astype(np.float32)


@dataclass(frozen=True)
class LabelsVisual:
    """Text at world positions, drawn over the frame: Rerun draws labels as UI, never hidden by geometry."""

    entity_path: str
    positions: np.ndarray  # (N, 3) float32, world space
    texts: tuple[str, ...]  # N
    colors: np.ndarray  # (N, 4) uint8


@dataclass(frozen=True)
class Scene:
    """Everything one frame shows, plus what framing the default camera needs.

    Visuals marked `static` come from static data only; renderers draw them first, as a layer they may
    keep while the camera and those visuals stay the same (a static point cloud under a moving marker).
    """

    points: tuple[PointsVisual, ...] = ()
    lines: tuple[LinesVisual, ...] = ()
    meshes: tuple[MeshVisual, ...] = ()
    up: np.ndarray = field(default_factory=lambda: np.array([0.0, 0.0, 1.0]))  # world up (ViewCoordinates)
    labels: tuple[LabelsVisual, ...] = ()

    def is_empty(self) -> bool:
        """Whether nothing at all is drawn."""
        return not (self.points or self.lines or self.meshes or self.labels)

    def bounds(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Axis-aligned (min, max) of everything drawn, or None for an empty scene."""
        parts = []
        for p in self.points:  # a point's sphere counts, not just its center
            if len(p.positions):
                radii = np.broadcast_to(
                    np.maximum(np.asarray(p.radii, dtype=np.float64), 0) * world_scale(p.world),
                    (len(p.positions),),
                )
                centers = world_points(p.positions, p.world)
                parts += [centers - radii[:, None], centers + radii[:, None]]
        parts += [world_points(line.points, line.world) for line in self.lines if len(line.points)]
        parts += [world_points(m.vertices, m.world) for m in self.meshes if len(m.vertices)]
        if not parts:
            return None
        allpts = np.concatenate([np.asarray(p, dtype=np.float64).reshape(-1, 3) for p in parts])
        finite = allpts[np.isfinite(allpts).all(axis=1)]
        if not len(finite):
            return None
        return finite.min(axis=0), finite.max(axis=0)


def in_world(scene: Scene) -> Scene:
    """`scene` with every visual's geometry in world space (world matrices applied, radii in scene
    units scaled, normals turned): for consumers that want plain world coordinates (exporters, tests)."""

    def points(v: PointsVisual) -> PointsVisual:
        if v.world is None:
            return v
        positions = world_points(v.positions, v.world).astype(np.float32)
        return dataclasses.replace(v, positions=positions, radii=world_radii(v.radii, v.world), world=None)

    def lines(v: LinesVisual) -> LinesVisual:
        if v.world is None:
            return v
        points = world_points(v.points, v.world).astype(np.float32)
        return dataclasses.replace(v, points=points, radii=world_radii(v.radii, v.world), world=None)

    def mesh(v: MeshVisual) -> MeshVisual:
        if v.world is None:
            return v
        normals = None if v.normals is None else transform_normals(v.world, v.normals)
        vertices = world_points(v.vertices, v.world).astype(np.float32)
        return dataclasses.replace(v, vertices=vertices, normals=normals, world=None)

    return dataclasses.replace(
        scene,
        points=tuple(points(v) for v in scene.points),
        lines=tuple(lines(v) for v in scene.lines),
        meshes=tuple(mesh(v) for v in scene.meshes),
    )
