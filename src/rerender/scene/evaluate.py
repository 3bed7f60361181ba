"""Scene evaluation: a latest-at state -> a world-space `Scene` (pure; no GL, no I/O but asset parsing).

What is drawn and how defaults are chosen follows Rerun's 3D view (see the field notes, section 2); each
archetype's handler (`registry.REGISTRY`; `shapes.py`, `pinholes.py`) documents its own. Shared by all:

* Colors default to the entity's auto color (`colors.default_color`); radii to 1.5 UI points
  (`DEFAULT_RADIUS_UI`); one logged value is broadcast to every instance, and shorter component lists
  repeat their last value.
* Content at or below a Pinhole is its 2D space: 3D archetypes there are not drawn, and 2D ones are drawn
  only there. The image plane distance is `image_plane_distance` or 2 % of the diagonal of the scene's
  bounds (0.3 when empty), as Rerun's fallback; depth clouds count towards those bounds, as in Rerun.
* `Scene.up` comes from ViewCoordinates on "/" (else on a top-level entity), rotated into world space;
  +Z when there is none.

An entity that fails (malformed or unsupported values) is skipped with `warnings.warn` naming it;
`evaluate` never raises for bad data. Archetypes and component types of a newer Rerun are not drawn and
are warned about once each per `newer.NewerNames` (a render's `Shot` holds one for all its evaluations).

3D archetypes are drawn in their entity's own coordinates and placed by a world matrix on each visual
(`world`, None when it is the identity), so a moving parent changes a matrix and not the geometry; a
`SceneCache` keeps those visuals while the entity's components are the same objects (a sweep hands back
the same values for what did not change), so only what changed is evaluated again. Visuals drawn from
static data alone are marked `static`. Content seen through a Pinhole is drawn in world space each time.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ..rrd import parent_path
from . import transforms as tf
from .components import Components, vectors
from .entity import Entity, Visuals
from .newer import NewerNames
from .pinholes import ImagePlane, PinholeFrame, pinhole_frame
from .registry import DRAWN_3D, REGISTRY, Space
from .visuals import LabelsVisual, Scene, same_world, world_points

DEFAULT_PLANE_DISTANCE = 0.3
IDENTITY = tf.IDENTITY  # read only: handlers draw 3D archetypes in their entity's own frame


@dataclass
class _Cached:
    source: Components  # the mapping drawn from (a sweep hands back the same one while nothing changes)
    components: tuple  # its (name, value) pairs, to compare with another mapping's (see `_same`)
    visuals: Visuals | None  # in the entity's own coordinates; None: its handler failed
    placed: Visuals | None = None  # `visuals` as last placed, at `world` (None: the identity), `static`
    world: np.ndarray | None = None
    static: bool = False


class SceneCache:
    """Each entity's 3D visuals in its own coordinates, kept while its components stay the same objects,
    and as last placed while its world matrix stays the same too. One cache serves one sequence of
    evaluations (a render's frames); what an evaluation does not draw is dropped after it. Results are
    what a fresh evaluation gives, so frames stay a function of their time."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], _Cached] = {}
        self.evaluated = 0  # handler runs so far (tests count them)
        self.newer = NewerNames()  # a newer Rerun's names: warned about once per render, not per frame

    def placed(
        self,
        path: str,
        arch: str,
        comps: Components,
        draw: Callable[[], Visuals | None],
        world: np.ndarray | None,
        static: bool,
    ) -> Visuals | None:
        """The entity's visuals placed at `world` (the same objects as last time when nothing changed,
        so that a renderer keeps their GL buffers, and 100,000 unchanged entities cost no copies)."""
        entry = self._entry(path, arch, comps, draw)
        if entry.visuals is None:
            return None
        if entry.placed is None or not same_world(world, entry.world) or entry.static != static:
            entry.placed, entry.world, entry.static = place(entry.visuals, world, static), world, static
        return entry.placed

    def _entry(self, path: str, arch: str, comps: Components, draw: Callable[[], Visuals | None]) -> _Cached:
        key = (path, arch)
        entry = self.entries.get(key)
        if entry is not None and entry.source is comps:
            return entry
        components = tuple(comps.items())
        if entry is None or not _same(entry.components, components):
            self.evaluated += 1
            entry = self.entries[key] = _Cached(comps, components, draw())
        else:
            entry.source = comps
        return entry

    def keep_only(self, keys: set[tuple[str, str]]) -> None:
        for key in [k for k in self.entries if k not in keys]:
            del self.entries[key]


def place(local: Visuals, world: np.ndarray | None, static: bool) -> Visuals:
    """Visuals drawn in an entity's own coordinates, placed by its world matrix (None: the identity)."""
    return Visuals(
        [dataclasses.replace(p, world=world, static=static) for p in local.points],
        [dataclasses.replace(p, world=world, static=static) for p in local.lines],
        [dataclasses.replace(p, world=world, static=static) for p in local.meshes],
        [_placed_labels(label, world) for label in local.labels],
    )


def _same(a: tuple, b: tuple) -> bool:
    """Whether two entities' (name, value) pairs hold the same data: the same objects, or values of the
    same logged rows (row ids are unique, so two sweeps' values of one cell compare equal)."""
    return len(a) == len(b) and all(
        x[0] == y[0] and (x[1] is y[1] or x[1].row_id == y[1].row_id) for x, y in zip(a, b, strict=True)
    )


def _is_static(comps: Components) -> bool:
    """Whether every component comes from static data (then the entity looks the same at every time)."""
    return bool(comps) and all(getattr(value, "is_static", False) for value in comps.values())


class _Builder:
    """One evaluation: the state's world transforms, the image plane distance, and what is drawn so far."""

    def __init__(self, state: Mapping[str, Components], plane_distance: float | None, origin: str) -> None:
        self.state = state
        self.worlds = tf.world_transforms(state, origin)
        self.plane_distance = plane_distance
        self.visuals = Visuals()
        self._frames: dict[str, PinholeFrame] = {}
        self._pinhole_of: dict[str, str | None] = {}

    def world(self, path: str) -> np.ndarray:
        return self.worlds.get(path, IDENTITY)

    def pinhole_of(self, path: str | None) -> str | None:
        """The nearest entity at or above `path` with a Pinhole (whose 2D space it is in), if any."""
        if path is None:
            return None
        if path not in self._pinhole_of:  # each ancestor is asked about once per evaluation
            own = "Pinhole:image_from_camera" in self.state.get(path, {})
            self._pinhole_of[path] = path if own else self.pinhole_of(parent_path(path))
        return self._pinhole_of[path]

    def frame(self, pinhole: str) -> PinholeFrame:
        """The Pinhole's frame (found once per evaluation); ValueError for a malformed one."""
        if pinhole not in self._frames:
            self._frames[pinhole] = pinhole_frame(self.state[pinhole], self.world(pinhole))
        return self._frames[pinhole]

    def draw(self, path: str, arch: str, pinhole: str | None = None) -> bool:
        """Run `arch`'s handler on `path` (seen through `pinhole`), keeping what it draws; on failure warn,
        keep nothing of it, and say False."""
        out = self.run(path, arch, self.world(path), pinhole)
        if out is None:
            return False
        self.visuals.extend(out)
        return True

    def draw_placed(self, path: str, arch: str, cache: SceneCache | None) -> None:
        """Draw a 3D archetype in the entity's own coordinates (kept by `cache`), then place it."""
        comps = self.state[path]
        world = self.world(path)
        placed = None if world is IDENTITY or np.array_equal(world, IDENTITY) else world
        static = _is_static(comps)
        if cache is None:
            local = self.run(path, arch, IDENTITY)
            out = None if local is None else place(local, placed, static)
        else:
            out = cache.placed(path, arch, comps, lambda: self.run(path, arch, IDENTITY), placed, static)
        if out is not None:
            self.visuals.extend(out)

    def run(self, path: str, arch: str, world: np.ndarray, pinhole: str | None = None) -> Visuals | None:
        """The handler's visuals, or None (warned) when it fails."""
        out = Visuals()
        try:
            camera = None
            if pinhole is not None:
                frame = self.frame(pinhole)
                distance = frame.plane_distance or self.plane_distance
                camera = ImagePlane(pinhole, self.state[pinhole], frame, distance)
            REGISTRY[arch].handler(Entity(path, self.state[path], world, camera), out)
        except Exception as exc:
            warnings.warn(f"{path}: skipping {arch} ({type(exc).__name__}: {exc})", stacklevel=4)
            return None
        return out


def _placed_labels(labels: LabelsVisual, world: np.ndarray | None) -> LabelsVisual:
    """Labels are drawn over the frame at world positions, so they are placed here."""
    if world is None:
        return labels
    return dataclasses.replace(labels, positions=world_points(labels.positions, world).astype(np.float32))


def _archetypes(comps: Components) -> set[str]:
    return {key.split(":", 1)[0] for key in comps if ":" in key}


def _scene_up(state: Mapping[str, Components], worlds: dict[str, np.ndarray], origin: str) -> np.ndarray:
    """Up from ViewCoordinates: on the view's origin or its nearest ancestor that has them; for the
    origin "/", on "/" if logged there, else on a top-level entity.

    Among top-level entities the one whose subtree holds the most 3D-drawn entities wins (ties: "/world",
    then by name), so a camera's RDF ViewCoordinates on "/camera" do not flip the scene of "/world".
    """
    if origin != "/":
        candidates = tf.lineage(origin)[::-1]
    else:
        tops = [p for p in state if p != "/" and parent_path(p) == "/" and "ViewCoordinates:xyz" in state[p]]
        drawn: dict[str, int] = {}
        if len(tops) > 1:  # only then is the count needed (a pass over every entity)
            for path, comps in state.items():
                if path != "/" and _archetypes(comps) & set(DRAWN_3D):
                    top = tf.lineage(path)[1]
                    drawn[top] = drawn.get(top, 0) + 1
        candidates = ["/", *sorted(tops, key=lambda p: (-drawn.get(p, 0), p != "/world", p))]
    for path in candidates:
        comps = state.get(path, {})
        try:
            xyz = vectors(comps, "ViewCoordinates:xyz", 3)
            if xyz is None or not len(xyz):
                continue
            tf.view_coordinates_basis(xyz[0])  # validates
            up = tf.up_vector(xyz[0])
        except Exception as exc:
            warnings.warn(f"{path}: ignoring malformed ViewCoordinates ({exc})", stacklevel=3)
            continue
        if up is None:
            continue
        world_up = worlds.get(path, IDENTITY)[:3, :3] @ up
        norm = np.linalg.norm(world_up)
        if norm > 0 and np.isfinite(norm):
            return world_up / norm
    return np.array([0.0, 0.0, 1.0])


def evaluate(
    state: Mapping[str, Components],
    *,
    image_plane_distance: float | None = None,
    origin: str = "/",
    cache: SceneCache | None = None,
    newer: NewerNames | None = None,
) -> Scene:
    """Everything `state` (entity path -> component identifier -> ComponentValue) shows, in the space of
    the entity `origin` (a Rerun view's space origin; "/" is world space).

    `image_plane_distance` overrides the default distance of pinhole image planes (Rerun's fallback:
    2 % of the scene's bounding diagonal, 0.3 for an empty scene); a Pinhole's own value always wins.
    `cache` keeps entities' 3D visuals from one evaluation to the next (see `SceneCache`). `newer` remembers
    which names of a newer Rerun were warned about (default: the cache's, else this evaluation's own).
    """
    b = _Builder(state, image_plane_distance, origin)
    if newer is None:
        newer = cache.newer if cache is not None else NewerNames()
    drawn_3d: set[tuple[str, str]] = set()
    paths = sorted(p for p in state if not p.startswith("/__"))
    # Pinhole content waits for the passes below; (entity, archetype, its pinhole), in path order.
    depth: list[tuple[str, str, str]] = []
    on_plane: list[tuple[str, str, str]] = []
    pinholes: list[str] = []
    for path in paths:
        comps = state[path]
        newer.check(path, comps)
        if "Pinhole:image_from_camera" in comps:
            pinholes.append(path)
        pinhole = b.pinhole_of(path)
        for arch in sorted(_archetypes(comps)):
            spec = REGISTRY.get(arch)
            if spec is None or spec.space is Space.PINHOLE:
                continue  # not drawn, or a frustum (drawn for every image_from_camera, below)
            if spec.space is Space.WORLD:
                if pinhole is None:  # 3D content in a pinhole's 2D space is not drawn
                    b.draw_placed(path, arch, cache)
                    drawn_3d.add((path, arch))
            elif pinhole is not None:  # 2D content outside a pinhole belongs to 2D views
                (depth if spec.space is Space.DEPTH else on_plane).append((path, arch, pinhole))

    # Depth clouds do not depend on the image planes, and Rerun counts them in the bounds that size them.
    for path, arch, pinhole in depth:
        try:
            b.frame(pinhole)
        except Exception:
            continue  # a malformed Pinhole: the frustum pass below warns about it, once
        b.draw(path, arch, pinhole)

    if b.plane_distance is None and pinholes:  # only image planes need it, and bounds cost a pass
        v = b.visuals
        bounds = Scene(tuple(v.points), tuple(v.lines), tuple(v.meshes)).bounds()
        diag = 0.0 if bounds is None else float(np.linalg.norm(bounds[1] - bounds[0]))
        b.plane_distance = 0.02 * diag if diag > 0 and np.isfinite(diag) else DEFAULT_PLANE_DISTANCE

    bad_pinholes = set()  # malformed: warned about once, here, and nothing is drawn through them
    for path in pinholes:
        if not b.draw(path, "Pinhole", pinhole=path):
            bad_pinholes.add(path)
    for path, arch, pinhole in on_plane:
        if pinhole not in bad_pinholes:
            b.draw(path, arch, pinhole)

    if cache is not None:
        cache.keep_only(drawn_3d)
    v = b.visuals
    return Scene(
        tuple(v.points),
        tuple(v.lines),
        tuple(v.meshes),
        up=_scene_up(state, b.worlds, origin),
        labels=tuple(v.labels),
    )
