"""A small least-recently-used cache, for results that are costly to derive and named by a stable key
(such as a logged blob's row id): decoded images, parsed meshes, a recording's decoded chunks."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """Up to `size` units of entries: each entry weighs 1, or what `put` says (bytes, say); adding more
    drops the entries used longest ago (the newest entry stays, however heavy). Not thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._weight = 0

    def get(self, key: K) -> V | None:
        """The entry for `key` (now the most recently used), or None (so do not store None)."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: K, value: V, weight: int = 1) -> None:
        """Keep `value` for `key`, dropping the least recently used entries beyond `size`."""
        old = self._entries.pop(key, None)
        if old is not None:
            self._weight -= old[1]
        self._entries[key] = (value, weight)
        self._weight += weight
        while self._weight > self.size and len(self._entries) > 1:
            _, (_, dropped) = self._entries.popitem(last=False)
            self._weight -= dropped

    def clear(self) -> None:
        """Drop every entry."""
        self._entries.clear()
        self._weight = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries
