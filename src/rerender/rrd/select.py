"""Choosing part of a recording: entity path globs and a time window on one timeline."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from .chunk import Chunk
from .messages import MessageKind, StoreKind
from .paths import PROPERTIES_PATH
from .reader import RrdReader
from .writer import RrdWriter


@dataclass(frozen=True)
class EntityGlob:
    """Rerun-style entity path pattern: `/world/**` is /world and all below; `*` matches one part."""

    pattern: str

    def matches(self, entity_path: str) -> bool:
        """True when the entity path is selected by this pattern."""
        return _match_parts(_split(self.pattern), _split(entity_path))


def _split(path: str) -> list[str]:
    return [p for p in path.split("/") if p]


def _match_parts(pattern: list[str], parts: list[str]) -> bool:
    if not pattern:
        return not parts
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_match_parts(rest, parts[i:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], head) and _match_parts(rest, parts[1:])


@dataclass(frozen=True)
class Selection:
    """Which rows of a recording to keep.

    Entities: kept if they match any `include` glob (all when none are given) and no `exclude` glob;
    recording properties are kept unless excluded explicitly. Time: temporal rows on `timeline`
    inside [start, end]; temporal chunks not on that timeline are dropped; static data is kept.
    """

    include: tuple[EntityGlob, ...] = ()
    exclude: tuple[EntityGlob, ...] = ()
    timeline: str | None = None
    start: int | None = None
    end: int | None = None

    @property
    def is_everything(self) -> bool:
        """True when nothing is filtered out."""
        return not self.include and not self.exclude and self.timeline is None

    def keeps_entity(self, entity_path: str) -> bool:
        """Whether any of this entity's data survives the entity filter."""
        if any(g.matches(entity_path) for g in self.exclude):
            return False
        if (
            not self.include
            or entity_path == PROPERTIES_PATH
            or entity_path.startswith(PROPERTIES_PATH + "/")
        ):
            return True
        return any(g.matches(entity_path) for g in self.include)

    def apply(self, chunk: Chunk) -> Chunk | None:
        """The part of `chunk` this selection keeps (the chunk itself if all of it), or None."""
        if not self.keeps_entity(chunk.entity_path):
            return None
        if self.timeline is None or chunk.is_static:
            return chunk
        if self.timeline not in chunk.timelines:
            return None
        values = chunk.time_values(self.timeline)
        mask = np.ones(len(values), dtype=bool)
        if self.start is not None:
            mask &= values >= self.start
        if self.end is not None:
            mask &= values <= self.end
        if mask.all():
            return chunk
        if not mask.any():
            return None
        return chunk.filter(mask)


@dataclass
class RewriteStats:
    """What a rewrite kept."""

    chunks_in: int = 0
    chunks_out: int = 0
    rows_in: int = 0
    rows_out: int = 0


def rewrite(
    source: str | os.PathLike | BinaryIO,
    sink: str | os.PathLike | BinaryIO,
    selection: Selection = Selection(),
    *,
    reader_name: str | None = None,
) -> RewriteStats:
    """Copy a recording through `selection` into a new RRD with a fresh footer.

    Unchanged chunks keep their encoded bytes; store infos and blueprint activations pass through.
    Blueprint stores are never filtered: they describe views, not data.
    """
    stats = RewriteStats()
    with RrdReader(source, name=reader_name) as reader, RrdWriter(sink) as writer:
        for frame in reader:
            if frame.kind == MessageKind.SET_STORE_INFO:
                writer.write_store_info(frame.message)
            elif frame.kind == MessageKind.BLUEPRINT_ACTIVATION:
                writer.write_blueprint_activation(frame.message)
            elif frame.kind == MessageKind.ARROW_MSG:
                chunk = frame.chunk
                stats.chunks_in += 1
                stats.rows_in += chunk.num_rows
                kept = chunk if frame.store_id.kind == StoreKind.BLUEPRINT else selection.apply(chunk)
                if kept is None:
                    continue
                if kept is chunk and not chunk.migrated:
                    writer.write_chunk(
                        frame.store_id, kept, encoded=frame.message, encoded_bytes=frame.payload
                    )
                else:
                    writer.write_chunk(frame.store_id, kept)
                stats.chunks_out += 1
                stats.rows_out += kept.num_rows
    return stats
