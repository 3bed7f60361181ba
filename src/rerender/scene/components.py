"""Reading component values (one entity's latest-at components) as numpy, with Rerun's broadcasting.

Rerun broadcasts per-instance components by repeating: one logged value applies to every instance, and a
list shorter than the instance count repeats its last value (`broadcast`, `pick`). Readers return None
for an absent component and raise ValueError for a malformed one; scene evaluation turns that into a
warning naming the entity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pyarrow as pa

if TYPE_CHECKING:
    from ..store.values import ComponentValue

Components = Mapping[str, "ComponentValue"]
"""One entity's components: `<Archetype>:<component>` -> its latest-at value."""

T = TypeVar("T")


def broadcast(arr: np.ndarray, n: int) -> np.ndarray:
    """`arr` with n rows: its first n, then its last row repeated (`arr` must not be empty)."""
    if len(arr) >= n:
        return arr[:n]
    return np.concatenate([arr, np.repeat(arr[-1:], n - len(arr), axis=0)])


def pick(values: Sequence[T] | np.ndarray | None, i: int) -> T | Any | None:
    """Instance i of a per-instance list, its last entry when shorter; None when absent or empty."""
    return None if values is None or len(values) == 0 else values[min(i, len(values) - 1)]


def first_scalar(comps: Components, key: str) -> Any | None:
    """The first instance of a scalar component (a numpy scalar), None when absent or empty."""
    value = comps.get(key)
    if value is None or not len(value.values):
        return None
    return value.to_numpy().reshape(-1)[0]


def vectors(comps: Components, key: str, width: int) -> np.ndarray | None:
    """Component `key` as an (N, width) float64 array ((N,) for width 1), None if absent; ValueError if
    malformed."""
    value = comps.get(key)
    if value is None:
        return None
    arr = np.asarray(value.to_numpy(), dtype=np.float64)
    if width == 1:
        return arr.reshape(-1)
    if arr.ndim != 2 or arr.shape[1] != width:
        raise ValueError(f"{key}: expected {width} values per instance, got shape {arr.shape}")
    return arr


def positions(comps: Components, key: str) -> np.ndarray | None:
    """Component `key` as (N, 3) float32 positions, None if absent; ValueError if malformed. Float32 data
    (what the SDKs log) is a read-only view of the decoded Arrow buffer, not a copy: a 10M-point cloud
    reaches the GPU without being copied on the way."""
    value = comps.get(key)
    if value is None:
        return None
    arr = np.asarray(value.to_numpy())
    if arr.dtype != np.float32:
        arr = arr.astype(np.float32)
    if arr.ndim != 2 or arr.shape[1] != 3:
        raise ValueError(f"{key}: expected 3 values per instance, got shape {arr.shape}")
    return arr


@dataclass(frozen=True)
class Strips:
    """A List<FSL[width]> component (line strips), as Arrow stores it: all points, and where each starts."""

    points: np.ndarray  # (M, width) float64: every strip's points, one strip after another
    offsets: np.ndarray  # (S + 1,) int64: strip i is points[offsets[i]:offsets[i + 1]]

    @property
    def count(self) -> int:
        """The number of strips."""
        return len(self.offsets) - 1


def strips(comps: Components, key: str, width: int) -> Strips | None:
    """A list-of-vectors component (LineStrips2D/3D:strips) as `Strips`, None if absent; ValueError if
    it is not a list of `width`-vectors."""
    value = comps.get(key)
    if value is None:
        return None
    arr = value.values
    if not (pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type)):
        raise ValueError(f"{key}: expected a list array, got {arr.type}")
    inner = arr.type.value_type
    if not pa.types.is_fixed_size_list(inner) or inner.list_size != width:
        raise ValueError(f"{key}: expected lists of {width}-vectors, got {arr.type}")
    offsets = np.asarray(arr.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)
    flat = arr.flatten()
    points = np.asarray(flat.flatten().to_numpy(zero_copy_only=False), dtype=np.float64).reshape(-1, width)
    return Strips(points, offsets - offsets[0])


def radii(comps: Components, key: str, n: int, default: float, scale: float) -> np.ndarray:
    """(n,) float32 radii from a Radius component (broadcast), else `default`. Positive radii are scene
    units and get multiplied by `scale` (the placement's uniform scale); negative ones are UI points."""
    value = comps.get(key)
    if value is not None and len(value.values):
        r = np.asarray(value.to_numpy(), dtype=np.float32).reshape(-1)
    else:
        r = np.full(1, default, dtype=np.float32)
    r = np.where(r > 0, r * scale, r).astype(np.float32)
    # One radius for all: a read-only broadcast view, which renderers draw as one constant (no array).
    return np.broadcast_to(r[:1], (n,)) if len(r) == 1 else broadcast(r, n)
