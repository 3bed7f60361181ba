"""Value types the store hands out: what a timeline spans, and one component's value for an entity."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ..errors import RerenderError
from ..rrd import ComponentDescriptor, TimeKind, Tuid


class UnknownNameError(RerenderError, KeyError):
    """A timeline or entity the recording does not have; the message lists the ones it does."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class TimelineInfo:
    """A timeline, its kind, and the range of times logged on it."""

    name: str
    kind: TimeKind
    min: int
    max: int


@dataclass(frozen=True, slots=True)
class ComponentValue:
    """One component's value for one entity, as of a query: its instances and where they came from.

    `time` is None for static data. `values` holds the instances logged in that row (an empty array
    for a logged empty list).
    """

    descriptor: ComponentDescriptor
    values: pa.Array
    time: int | None
    row_id: Tuid

    @property
    def is_static(self) -> bool:
        """True when the value comes from static data."""
        return self.time is None

    def to_numpy(self) -> np.ndarray:
        """The instances as numpy: (N, k) for fixed-size vectors, (N,) for scalars."""
        values = self.values
        if pa.types.is_fixed_size_list(values.type):
            size = values.type.list_size
            flat = values.flatten().to_numpy(zero_copy_only=False)
            return flat.reshape(-1, size)
        return values.to_numpy(zero_copy_only=False)


# entity path -> component identifier (e.g. "Points3D:positions") -> value
LatestAtResult = dict[str, dict[str, ComponentValue]]


@dataclass(frozen=True)
class RangeRow:
    """One logged row of one entity, from `Recording.range`: time, row id and its components."""

    entity_path: str
    time: int | None
    row_id: Tuid
    components: dict[str, ComponentValue]


@dataclass(frozen=True)
class RangeColumn:
    """One component of one entity over a time window, from `Recording.range_column`: the time of each
    logged row (ascending; rows at equal times in row id order) and one list of instances per row."""

    times: np.ndarray  # int64
    values: pa.ListArray
