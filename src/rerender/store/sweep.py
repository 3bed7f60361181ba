"""Latest-at state for increasing times, updated by the events between one time and the next.

Every (entity, component) on the timeline is a slot holding the position of its current cell.
Between two query times the events in between are applied with numpy (within a block of data
events the last cell per slot wins, since events are in (time, row id) order), and clears reset
the slots of the entities they hit. Values are materialized only when read, and reused while a
slot stays on the same cell, so a step costs what changed plus what the caller reads.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping

import numpy as np

from .entities import EntityIndexes
from .index import CLEAR_COMPONENT, Cells, OwnClears
from .values import ComponentValue

_CLEAR, _DATA = 0, 1  # at equal row ids a clear goes first, so the clearing row's own data stays


class Sweeper:
    """Replays one timeline's cells and clears in (time, row id) order."""

    def __init__(self, indexes: EntityIndexes, timeline: str) -> None:
        self._indexes = indexes
        entities = indexes.paths
        static = {path: indexes.static_values(path) for path in entities}
        self.static = {path: values for path, values in static.items() if values}  # never changes
        # A static Clear hides temporal data for good; static values hide their component's.
        blocked = {path for path in entities if indexes.static_clear(path) is not None}
        self.slots: list[tuple[str, str, Cells]] = []
        # Data events per slot and clear events per entity, gathered as arrays and laid out at once
        # (a recording of 100,000 one-row entities has 300,000 slots: no per-slot numpy calls).
        data: list[Cells] = []
        clears: list[OwnClears] = []
        clear_entities: list[int] = []
        entity_slots: dict[str, list[int]] = {}
        self.slots_by_entity: dict[str, list[int]] = {}  # Clear components' too (read by SweepState)
        for e, path in enumerate(entities):
            index = indexes.index(path)
            if path in blocked:
                continue
            for component, cells in index.temporal.get(timeline, {}).items():
                if component in self.static.get(path, {}):
                    continue
                slot = len(self.slots)
                self.slots.append((path, component, cells))
                self.slots_by_entity.setdefault(path, []).append(slot)
                if component != CLEAR_COMPONENT:  # Clear components are never cleared themselves
                    entity_slots.setdefault(path, []).append(slot)
                data.append(cells)
            own = index.own_clears.get(timeline)
            if own is not None:
                clears.append(own)
                clear_entities.append(e)
        self._entity_slots = {path: np.array(s, dtype=np.int64) for path, s in entity_slots.items()}
        self.entities = entities
        self._values: dict[int, tuple[int, ComponentValue]] = {}  # slot -> (cell, its value), as last read
        self.current = np.full(len(self.slots), -1, dtype=np.int64)
        parts = [*data, *clears]
        if parts:
            counts = np.array([len(p.times) for p in parts], dtype=np.int64)
            n_data = int(counts[: len(data)].sum())
            first = np.repeat(np.cumsum(counts) - counts, counts)
            position = np.arange(int(counts.sum()), dtype=np.int64) - first  # each event's cell in its part
            kinds = np.full(len(position), _DATA, dtype=np.int8)
            kinds[n_data:] = _CLEAR
            owners = np.concatenate([np.arange(len(data)), np.array(clear_entities, dtype=np.int64)])
            # For data events: the cell; for clears: whether recursive.
            cells_at = position.copy()
            if clears:
                cells_at[n_data:] = np.concatenate([c.recursive for c in clears]).astype(np.int64)
            all_times = np.concatenate([p.times for p in parts])
            hi = np.concatenate([p.row_hi for p in parts])
            lo = np.concatenate([p.row_lo for p in parts])
            order = np.lexsort((kinds, lo, hi, all_times))
            self._times = all_times[order]
            self._kinds = kinds[order]
            self._targets = np.repeat(owners.astype(np.int64), counts)[order]
            self._cells_at = cells_at[order]
            self._clear_positions = np.flatnonzero(self._kinds == _CLEAR)
        else:
            self._times = np.empty(0, dtype=np.int64)
            self._clear_positions = np.empty(0, dtype=np.int64)
        self._next = 0
        self.state = SweepState(self)

    def fork(self) -> Sweeper:
        """A new sweep from the start of the timeline that shares this one's event arrays and the values
        read so far (a value is kept per slot with the cell it came from, so sweeps at different times
        only miss each other's values, never take them): a render's framing samples and its frames
        read each unchanged entity once, not once per sweep."""
        sweep = copy.copy(self)
        sweep.current = np.full(len(self.slots), -1, dtype=np.int64)
        sweep._next = 0
        sweep.state = SweepState(sweep)
        return sweep

    def advance(self, time: int) -> SweepState:
        """Apply every event at or before `time`; returns the (shared, updated) state."""
        end = int(self._times.searchsorted(time, side="right"))
        start = self._next
        if end <= start:
            self.state.set_changed(set())
            return self.state
        changed_slots = []
        clears = self._clear_positions[(self._clear_positions >= start) & (self._clear_positions < end)]
        for stop in [*clears.tolist(), end]:
            if stop > start:
                changed_slots.append(self._apply_data(start, stop))
            if stop < end:
                changed_slots.append(self._apply_clear(stop))
                start = stop + 1
        self._next = end
        slots = np.unique(np.concatenate(changed_slots)) if changed_slots else np.empty(0, dtype=np.int64)
        self.state.set_changed({self.slots[s][0] for s in slots.tolist()})
        return self.state

    def _apply_data(self, start: int, stop: int) -> np.ndarray:
        slots = self._targets[start:stop]
        cells = self._cells_at[start:stop]
        # The last event per slot wins: unique over the reversed block finds each slot's last event.
        unique, first_in_reversed = np.unique(slots[::-1], return_index=True)
        self.current[unique] = cells[::-1][first_in_reversed]
        return unique

    def _apply_clear(self, position: int) -> np.ndarray:
        entity = self.entities[int(self._targets[position])]
        hit = [entity]
        if self._cells_at[position]:  # recursive
            prefix = "/" if entity == "/" else entity + "/"
            hit += [p for p in self._entity_slots if p.startswith(prefix)]
        slots = [self._entity_slots[p] for p in hit if p in self._entity_slots]
        if not slots:
            return np.empty(0, dtype=np.int64)
        cleared = np.concatenate(slots)
        self.current[cleared] = -1
        return cleared

    def value(self, slot: int) -> ComponentValue | None:
        """The current value of a slot, or None when it has none."""
        cell = int(self.current[slot])
        if cell < 0:
            return None
        cached = self._values.get(slot)
        if cached is not None and cached[0] == cell:
            return cached[1]
        _, component, cells = self.slots[slot]
        value = self._indexes.value(cells, cell, component, static=False)
        self._values[slot] = (cell, value)
        return value


class SweepState(Mapping):
    """The latest-at state during a sweep: {entity_path: {component: ComponentValue}}, read lazily.

    `changed` holds the entities whose temporal values changed in the last step. An entity's mapping
    is the same object from step to step until it changes (callers must not modify it): with 100,000
    entities, building each one's again every frame would cost more than drawing them.
    """

    def __init__(self, sweeper: Sweeper) -> None:
        self._sweeper = sweeper
        self.changed: set[str] = set()
        self._read: dict[str, dict[str, ComponentValue]] = {}  # entities read since they last changed

    def set_changed(self, changed: set[str]) -> None:
        """Name the entities the last step changed (what was read of them is read again)."""
        self.changed = changed
        for path in changed:
            self._read.pop(path, None)

    def _entity(self, path: str) -> dict[str, ComponentValue]:
        out = self._read.get(path)
        if out is not None:
            return out
        sweeper = self._sweeper
        out = dict(sweeper.static.get(path, {}))
        for slot in sweeper.slots_by_entity.get(path, ()):
            value = sweeper.value(slot)
            if value is not None:
                out[sweeper.slots[slot][1]] = value
        self._read[path] = out
        return out

    def __getitem__(self, path: str) -> dict[str, ComponentValue]:
        values = self._entity(path)
        if not values:
            raise KeyError(path)
        return values

    def get(self, path: str, default=None):  # without a KeyError per absent entity (ancestors are asked)
        values = self._entity(path)
        return values if values else default

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and bool(self._entity(path))

    def __iter__(self) -> Iterator[str]:
        sweeper = self._sweeper
        live = {sweeper.slots[s][0] for s in np.flatnonzero(sweeper.current >= 0).tolist()}
        return iter([p for p in sweeper.entities if p in live or p in sweeper.static])

    def __len__(self) -> int:
        return sum(1 for _ in self)
