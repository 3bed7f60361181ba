"""What is in a recording file: stores, timelines, entities and components, in one pass."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import BinaryIO

from .chunk import TimeKind
from .messages import MessageKind, StoreId, StoreInfo
from .reader import RrdReader
from .timeformat import format_time


@dataclass
class ComponentSummary:
    """One component of one entity: how many rows logged it, statically and on timelines."""

    component: str
    archetype: str | None
    component_type: str | None
    static_rows: int = 0
    temporal_rows: int = 0

    def to_json(self) -> dict:
        """JSON form (see README: `rerender info --json`)."""
        return {
            "component": self.component,
            "archetype": self.archetype,
            "component_type": self.component_type,
            "static_rows": self.static_rows,
            "temporal_rows": self.temporal_rows,
        }


@dataclass
class EntitySummary:
    """One entity path and its components."""

    path: str
    components: dict[str, ComponentSummary] = field(default_factory=dict)

    @property
    def is_static(self) -> bool:
        """True when everything logged on this entity was static."""
        return all(c.temporal_rows == 0 for c in self.components.values())

    @property
    def archetypes(self) -> list[str]:
        """Short archetype names (`Points3D`) in first-seen order."""
        names = [c.archetype.rsplit(".", 1)[-1] for c in self.components.values() if c.archetype]
        return list(dict.fromkeys(names))

    def to_json(self) -> dict:
        """JSON form."""
        return {
            "path": self.path,
            "static": self.is_static,
            "archetypes": self.archetypes,
            "components": [c.to_json() for c in self.components.values()],
        }


@dataclass
class TimelineSummary:
    """A timeline's kind and the range of its values."""

    name: str
    kind: TimeKind
    min: int
    max: int

    def to_json(self) -> dict:
        """JSON form: raw int64 values (ns for durations/timestamps) plus readable strings."""
        return {
            "name": self.name,
            "kind": self.kind.value,
            "min": self.min,
            "max": self.max,
            "min_text": format_time(self.min, self.kind),
            "max_text": format_time(self.max, self.kind),
        }


@dataclass
class StoreSummary:
    """One store (a recording or a blueprint)."""

    store_id: StoreId
    info: StoreInfo | None = None
    chunks: int = 0
    rows: int = 0
    timelines: dict[str, TimelineSummary] = field(default_factory=dict)
    entities: dict[str, EntitySummary] = field(default_factory=dict)

    def to_json(self) -> dict:
        """JSON form."""
        info = self.info
        return {
            "kind": self.store_id.kind.name.lower(),
            "application_id": self.store_id.application_id,
            "recording_id": self.store_id.recording_id,
            "writer": info.store_source.describe() if info else None,
            "writer_version": str(info.store_version) if info and info.store_version else None,
            "chunks": self.chunks,
            "rows": self.rows,
            "timelines": [t.to_json() for t in sorted(self.timelines.values(), key=lambda t: t.name)],
            "entities": [e.to_json() for e in sorted(self.entities.values(), key=lambda e: e.path)],
        }


@dataclass
class FileSummary:
    """A whole RRD file: its streams' format versions, footer, and stores."""

    path: str
    format_versions: list[str]
    footer: bool
    truncated: bool
    chunks: int
    stores: list[StoreSummary]

    def to_json(self) -> dict:
        """JSON form, stable across releases (documented in the README)."""
        return {
            "path": self.path,
            "format_versions": self.format_versions,
            "footer": self.footer,
            "truncated": self.truncated,
            "chunks": self.chunks,
            "stores": [s.to_json() for s in self.stores],
        }


def summarize(source: str | os.PathLike | BinaryIO) -> FileSummary:
    """Read every message once and tally what the file holds."""
    stores: dict[StoreId, StoreSummary] = {}
    chunks = 0
    with RrdReader(source) as reader:
        for frame in reader:
            if frame.kind == MessageKind.SET_STORE_INFO:
                store = stores.setdefault(frame.store_id, StoreSummary(frame.store_id))
                store.info = store.info or frame.message
            elif frame.kind == MessageKind.ARROW_MSG:
                chunks += 1
                store = stores.setdefault(frame.store_id, StoreSummary(frame.store_id))
                _add_chunk(store, frame.chunk)
        versions = [str(s.version) for s in reader.streams]
        return FileSummary(
            reader.name, versions, reader.has_footer, reader.truncated, chunks, list(stores.values())
        )


def _add_chunk(store: StoreSummary, chunk) -> None:
    store.chunks += 1
    store.rows += chunk.num_rows
    for name, timeline in chunk.timelines.items():
        lo_hi = chunk.time_range(name)
        if lo_hi is None:
            continue
        t = store.timelines.get(name)
        if t is None:
            store.timelines[name] = TimelineSummary(name, timeline.kind, *lo_hi)
        else:
            t.min, t.max = min(t.min, lo_hi[0]), max(t.max, lo_hi[1])
    entity = store.entities.setdefault(chunk.entity_path, EntitySummary(chunk.entity_path))
    for desc in chunk.components:
        column = chunk.component(desc)
        key = f"{desc.archetype}|{desc.component}|{desc.component_type}"
        comp = entity.components.setdefault(
            key, ComponentSummary(desc.component, desc.archetype, desc.component_type)
        )
        rows = len(column) - column.null_count
        if chunk.is_static:
            comp.static_rows += rows
        else:
            comp.temporal_rows += rows
