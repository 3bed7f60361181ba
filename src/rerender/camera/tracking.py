"""Where an entity is at a time: what cameras that look at, orbit or follow an entity track.

An entity's position is the centre of the bounds of what its subtree draws, or, when it draws nothing,
the origin of its world transform (a bare transform frame such as `/robot`). Its rotation is that of its
world transform. Both are pure functions of the time: each query reads the latest-at state of the entity,
its ancestors (for transforms) and its descendants (for what they draw), and results are cached per time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ..scene import Scene, evaluate, world_transforms
from ..store import Recording

_CACHE_LIMIT = 4096
PLACING = ("Transform3D:", "Pinhole:", "ViewCoordinates:")  # an ancestor's components that place its children


@dataclass(frozen=True)
class EntityFrame:
    """An entity at one time."""

    position: np.ndarray  # (3,) in the tracker's origin space ("/": world)
    rotation: np.ndarray  # (3, 3) origin-from-entity, orthonormal
    bounds: tuple[np.ndarray, np.ndarray] | None  # what its subtree draws, origin space


class EntityTracker:
    """Entity frames over one timeline of a recording (None: its static data), in the space of the
    entity `origin`."""

    def __init__(
        self,
        recording: Recording,
        timeline: str | None,
        draw: Callable[[Mapping[str, Mapping]], Scene] | None = None,
        origin: str = "/",
    ) -> None:
        self.recording = recording
        self.timeline = timeline
        self.origin = origin
        # What is drawn of a state (origin space, entity filters): tracking follows that.
        self._draw = draw or (lambda state: evaluate(state, origin=origin))
        self._cache: dict[tuple[str, int | None], EntityFrame | None] = {}
        self._lineages: dict[tuple[str, bool], list[str]] = {}

    def _lineage(self, path: str, subtree: bool) -> list[str]:
        """`path`, its ancestors and (with `subtree`) its descendants: found once, queried every frame."""
        key = (path, subtree)
        if key not in self._lineages:
            prefix = path.rstrip("/") + "/"
            self._lineages[key] = [
                e
                for e in self.recording.entity_paths
                if e == path or prefix.startswith(e.rstrip("/") + "/") or (subtree and e.startswith(prefix))
            ]
        return self._lineages[key]

    def state(self, path: str, time: int | None, *, subtree: bool = True) -> dict:
        """The latest-at state of `path`, its ancestors and (with `subtree`) its descendants."""
        prefix = path.rstrip("/") + "/"
        wanted = self._lineage(path, subtree)
        if self.origin != "/":  # the origin's transforms place everything else
            wanted = [*wanted, *(e for e in self._lineage(self.origin, False) if e not in wanted)]
        state: dict = {}
        for entity in wanted:
            if self.timeline is None or time is None:
                part = self.recording.static(entity)
            else:
                part = self.recording.latest_at(self.timeline, time, entity)
            if subtree and entity != path and not entity.startswith(prefix):
                # An ancestor places the entity; what it draws itself is not the entity's, so leave it out.
                part = {
                    e: {c: v for c, v in comps.items() if c.startswith(PLACING)} for e, comps in part.items()
                }
            state.update(part)
        return state

    def frame(self, path: str, time: int | None) -> EntityFrame | None:
        """The entity at `time`, or None when nothing about it is logged by then."""
        key = (path, time)
        if key not in self._cache:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = self._frame(path, time)
        return self._cache[key]

    def _frame(self, path: str, time: int | None) -> EntityFrame | None:
        state = self.state(path, time)
        if not state:
            return None
        world = world_transforms(state, self.origin).get(path, np.eye(4))
        rotation = _orthonormal(world[:3, :3])
        scene = self._draw(state)
        prefix = path.rstrip("/") + "/"
        own = Scene(
            points=tuple(
                v for v in scene.points if v.entity_path == path or v.entity_path.startswith(prefix)
            ),
            lines=tuple(v for v in scene.lines if v.entity_path == path or v.entity_path.startswith(prefix)),
            meshes=tuple(
                v for v in scene.meshes if v.entity_path == path or v.entity_path.startswith(prefix)
            ),
        )
        bounds = own.bounds()
        position = (bounds[0] + bounds[1]) / 2 if bounds is not None else world[:3, 3].astype(np.float64)
        if not np.all(np.isfinite(position)):
            return None
        return EntityFrame(np.asarray(position, dtype=np.float64), rotation, bounds)

    def position(self, path: str, time: int | None, fallback: np.ndarray) -> np.ndarray:
        frame = self.frame(path, time)
        return fallback if frame is None else frame.position


def _orthonormal(m: np.ndarray) -> np.ndarray:
    """The rotation part of a 3x3 (scale and shear removed), identity when degenerate."""
    if not np.all(np.isfinite(m)):
        return np.eye(3)
    u, _, vt = np.linalg.svd(m)
    r = u @ vt
    if np.linalg.det(r) < 0:
        u[:, -1] *= -1
        r = u @ vt
    return r
