"""Latest-at state for increasing times, updated by the events between one time and the next."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .index import CLEAR_COMPONENT
from .values import LatestAtResult

if TYPE_CHECKING:
    from .recording import Recording

_CLEAR, _DATA = 0, 1  # at equal row ids a clear goes first, so the clearing row's own data stays


class Sweeper:
    """Replays one timeline's cells and clears in (time, row id) order onto a latest-at state."""

    def __init__(self, recording: Recording, timeline: str) -> None:
        self._recording = recording
        self.state: LatestAtResult = {}
        self._entities = recording.entity_paths
        self._frozen: dict[str, set[str] | None] = {}  # entity -> components fixed by static data (None: all)
        self._descendants: dict[int, list[int]] = {}
        times, hi, lo, kinds, entities, refs = [], [], [], [], [], []
        self._cells = []
        for e, path in enumerate(self._entities):
            index = recording._index(path)
            self._init_static(path)
            for component, cells in index.temporal.get(timeline, {}).items():
                ref = len(self._cells)
                self._cells.append((path, component, cells))
                n = len(cells.times)
                times.append(cells.times)
                hi.append(cells.row_hi)
                lo.append(cells.row_lo)
                kinds.append(np.full(n, _DATA, dtype=np.int8))
                entities.append(np.full(n, e, dtype=np.int32))
                refs.append(np.stack([np.full(n, ref, dtype=np.int64), np.arange(n, dtype=np.int64)], axis=1))
            own = index.own_clears.get(timeline)
            if own is not None:
                n = len(own[0])
                times.append(own[0])
                hi.append(own[1][:, 0])
                lo.append(own[1][:, 1])
                kinds.append(np.full(n, _CLEAR, dtype=np.int8))
                entities.append(np.full(n, e, dtype=np.int32))
                refs.append(np.stack([np.full(n, -1, dtype=np.int64), own[2].astype(np.int64)], axis=1))
        if times:
            self._times = np.concatenate(times)
            order = np.lexsort((np.concatenate(kinds), np.concatenate(lo), np.concatenate(hi), self._times))
            self._times = self._times[order]
            self._kinds = np.concatenate(kinds)[order]
            self._event_entities = np.concatenate(entities)[order]
            self._refs = np.concatenate(refs)[order]
        else:
            self._times = np.empty(0, dtype=np.int64)
        self._next = 0

    def _init_static(self, path: str) -> None:
        recording = self._recording
        if recording._static_clear(path) is not None:
            self._frozen[path] = None
        static = recording._static_values(path, wanted=None)
        if static:
            self.state[path] = dict(static)
            if self._frozen.get(path, ()) is not None:
                self._frozen[path] = set(static)

    def advance(self, time: int) -> LatestAtResult:
        """Apply every event at or before `time`; returns the (shared, updated) state."""
        end = int(np.searchsorted(self._times, time, side="right"))
        for k in range(self._next, end):
            entity = self._entities[self._event_entities[k]]
            if self._kinds[k] == _CLEAR:
                self._clear(int(self._event_entities[k]), recursive=bool(self._refs[k, 1]))
            else:
                frozen = self._frozen.get(entity, ())
                ref, i = int(self._refs[k, 0]), int(self._refs[k, 1])
                _, component, cells = self._cells[ref]
                if frozen is None or component in frozen:
                    continue
                self.state.setdefault(entity, {})[component] = self._recording._value(
                    cells, i, component, False
                )
        self._next = max(self._next, end)
        return self.state

    def _clear(self, entity_index: int, recursive: bool) -> None:
        targets = [entity_index]
        if recursive:
            targets += self._descendants_of(entity_index)
        for e in targets:
            path = self._entities[e]
            values = self.state.get(path)
            if not values:
                continue
            # Static values survive temporal clears, and Clear components are never cleared themselves.
            kept = {c: v for c, v in values.items() if v.is_static or c == CLEAR_COMPONENT}
            if kept:
                self.state[path] = kept
            else:
                del self.state[path]

    def _descendants_of(self, entity_index: int) -> list[int]:
        found = self._descendants.get(entity_index)
        if found is None:
            path = self._entities[entity_index]
            prefix = "/" if path == "/" else path + "/"
            found = [i for i, p in enumerate(self._entities) if p != path and p.startswith(prefix)]
            self._descendants[entity_index] = found
        return found
