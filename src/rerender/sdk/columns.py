"""Column-wise logging for `send_columns`: time columns and partitioned component columns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ..rrd import ComponentDescriptor, TimeKind, Timeline
from .time import duration_ns, timestamp_ns

_NS_PER_S = 1_000_000_000


def _as_ns(values: object, unit_name: str) -> np.ndarray:
    """Seconds (ints or floats), timedelta64/datetime64 arrays or datetime objects, to int64 ns."""
    arr = np.asarray(values)
    if arr.dtype.kind == "m":
        return arr.astype("timedelta64[ns]").astype(np.int64)
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[ns]").astype(np.int64)
    if arr.dtype.kind == "O":
        # Python objects (datetimes, timedeltas): the scalar conversions of `set_time` apply one by one.
        convert = timestamp_ns if unit_name == "timestamp" else duration_ns
        return np.array([convert(v) for v in arr.ravel()], dtype=np.int64)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64) * _NS_PER_S
    if arr.dtype.kind == "f":
        return np.round(arr.astype(np.float64) * _NS_PER_S).astype(np.int64)
    raise TypeError(f"{unit_name}= values must be numbers, datetimes or timedeltas, not {arr.dtype}")


class TimeColumn:
    """One timeline's values for every row of a `send_columns` call."""

    def __init__(
        self, timeline: str, *, sequence: object = None, duration: object = None, timestamp: object = None
    ) -> None:
        given = [v is not None for v in (sequence, duration, timestamp)]
        if sum(given) != 1:
            raise ValueError(
                f"TimeColumn({timeline!r}): give exactly one of sequence=, duration=, timestamp="
            )
        self.timeline_name = timeline
        if sequence is not None:
            values = np.asarray(sequence)
            if values.dtype.kind not in "iu":
                raise TypeError(f"TimeColumn({timeline!r}): sequence= must be integers, not {values.dtype}")
            self._kind, self._values = TimeKind.SEQUENCE, values.astype(np.int64)
        elif duration is not None:
            self._kind, self._values = TimeKind.DURATION, _as_ns(duration, "duration")
        else:
            self._kind, self._values = TimeKind.TIMESTAMP, _as_ns(timestamp, "timestamp")
        self._values = self._values.ravel()

    def timeline_and_values(self) -> tuple[Timeline, np.ndarray]:
        """The timeline and its int64 values (ns for durations and timestamps)."""
        return Timeline(self.timeline_name, self._kind), self._values

    def __len__(self) -> int:
        return len(self._values)


@dataclass(frozen=True)
class ComponentColumn:
    """All instances of one component across rows, and how many belong to each row."""

    descriptor: ComponentDescriptor
    values: pa.Array
    lengths: np.ndarray | None = None  # None: one instance per row

    def partition(self, lengths: object) -> ComponentColumn:
        """Split the instances into rows of the given sizes."""
        lengths = np.asarray(lengths, dtype=np.int64).ravel()
        if lengths.sum() != len(self.values):
            raise ValueError(
                f"{self.descriptor.component}: partition lengths add up to {lengths.sum()}, "
                f"but there are {len(self.values)} instances"
            )
        return ComponentColumn(self.descriptor, self.values, lengths)

    def as_list_arrays(self) -> list[tuple[ComponentDescriptor, pa.ListArray]]:
        """The column as one list cell per row."""
        n = len(self.values)
        lengths = self.lengths if self.lengths is not None else np.ones(n, dtype=np.int64)
        offsets = np.zeros(len(lengths) + 1, dtype=np.int32)
        np.cumsum(lengths, out=offsets[1:])
        return [(self.descriptor, pa.ListArray.from_arrays(pa.array(offsets), self.values))]


class ComponentColumnList(list):
    """What `Archetype.columns(...)` returns: its columns, partitionable together."""

    def partition(self, lengths: object) -> ComponentColumnList:
        """Split every column into rows of the given sizes."""
        return ComponentColumnList(c.partition(lengths) for c in self)

    def as_list_arrays(self) -> list[tuple[ComponentDescriptor, pa.ListArray]]:
        """Every column as one list cell per row."""
        return [pair for c in self for pair in c.as_list_arrays()]
