"""Converters for the struct- and union-valued encodings (`Range2D`, `TimeRange`, `Uuid`, ...): user input
to the exact Arrow arrays rerun-sdk 0.41 gives. Same contract as `components`: each returns the instances
of one batch and raises `ConversionError` with a "...; expected ..." detail."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from . import components as c
from .batch import ConversionError
from .components_mcap import CHANNEL_MESSAGE_COUNTS
from .datatypes import ChannelCountPair, StructValue
from .time_ranges import AbsoluteTimeRange, TimeInt, TimeRange, TimeRangeBoundary, VisibleTimeRange

__all__ = [
    "ABSOLUTE_TIME_RANGE",
    "CHANNEL_COUNT_PAIR",
    "RANGE2D",
    "TENSOR_DIMENSION_INDEX_SELECTION",
    "TENSOR_DIMENSION_SELECTION",
    "TIME_RANGE",
    "TIME_RANGE_BOUNDARY",
    "UUID",
    "VISIBLE_TIME_RANGE",
    "absolute_time_ranges",
    "channel_message_counts_of",
    "structs",
    "time_range_boundaries",
    "time_ranges",
    "uuids",
    "visible_time_ranges",
]


def _nn(name: str, arrow_type: pa.DataType) -> pa.Field:
    return pa.field(name, arrow_type, nullable=False)


_RANGE1D = c.fixed_size_list_type(pa.float64(), 2)
RANGE2D = pa.struct([_nn("x_range", _RANGE1D), _nn("y_range", _RANGE1D)])
TENSOR_DIMENSION_SELECTION = pa.struct([_nn("dimension", pa.uint32()), _nn("invert", pa.bool_())])
TENSOR_DIMENSION_INDEX_SELECTION = pa.struct([_nn("dimension", pa.uint32()), _nn("index", pa.uint64())])
CHANNEL_COUNT_PAIR = CHANNEL_MESSAGE_COUNTS.value_type
UUID = c.fixed_size_list_type(pa.uint8(), 16)
# A boundary is a dense union: a null marker, then one child per kind (codes 1, 2, 3 in rerun's order).
TIME_RANGE_BOUNDARY = pa.dense_union(
    [
        pa.field("_null_markers", pa.null()),
        _nn("CursorRelative", pa.int64()),
        _nn("Absolute", pa.int64()),
        pa.field("Infinite", pa.null()),
    ]
)
_BOUNDARY_CODES = {"cursor_relative": 1, "absolute": 2, "infinite": 3}
TIME_RANGE = pa.struct([pa.field("start", TIME_RANGE_BOUNDARY), pa.field("end", TIME_RANGE_BOUNDARY)])
VISIBLE_TIME_RANGE = pa.struct([_nn("timeline", pa.utf8()), _nn("range", TIME_RANGE)])
ABSOLUTE_TIME_RANGE = pa.struct([_nn("min", pa.int64()), _nn("max", pa.int64())])


def _items(value: Any, *single: type) -> Sequence[Any]:
    """The items of a batch: `value` alone when it is one (an instance of a `single` type, a dict, or
    not a sequence at all), else its elements."""
    if isinstance(value, (*single, dict, str)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def structs(value: Any, cls: type[StructValue], arrow_type: pa.DataType) -> pa.Array:
    """One or more values of a struct encoding (instances of `cls`, or what `cls.auto` takes: dicts,
    tuples of the fields, or the first field alone) as `arrow_type`."""
    if isinstance(value, pa.Array) and value.type == arrow_type:
        return value
    try:
        rows = [dataclasses.asdict(cls.auto(item)) for item in _items(value, cls)]
        return pa.array(rows, type=arrow_type)
    except (TypeError, ValueError, OverflowError) as err:
        raise ConversionError(f"is {c.describe(value)}; expected {cls.__name__} values ({err})") from None


def channel_message_counts_of(counts: Any) -> pa.Array:
    """One `ChannelMessageCounts` value (its channel/count pairs) as a one-element list array."""
    pairs = structs(counts, ChannelCountPair, CHANNEL_COUNT_PAIR)
    return pa.ListArray.from_arrays(
        pa.array([0, len(pairs)], type=pa.int32()), pairs, type=CHANNEL_MESSAGE_COUNTS
    )


def _attribute(items: Sequence[Any], name: str, cls: type) -> list[Any]:
    """Each item's `name` field, or a `ConversionError` naming the expected type."""
    try:
        return [getattr(item, name) for item in items]
    except AttributeError:
        raise ConversionError(f"has an item without `{name}`; expected {cls.__name__} values") from None


def time_range_boundaries(value: Any) -> pa.Array:
    """Boundaries (`TimeRangeBoundary`s; a `TimeInt` or int is a cursor-relative offset; None is null)
    as rerun's dense union, children laid out as rerun-sdk lays them out."""
    if isinstance(value, pa.Array) and value.type == TIME_RANGE_BOUNDARY:
        return value
    items = [value] if value is None else _items(value, TimeRangeBoundary, TimeInt)
    codes: list[int] = []
    offsets: list[int] = []
    children: list[list[Any]] = [[], [], [], []]
    for item in items:
        code, inner = 0, None
        if item is not None:
            boundary = item if isinstance(item, TimeRangeBoundary) else TimeRangeBoundary(item)
            if boundary.kind not in _BOUNDARY_CODES:
                expected = ", ".join(_BOUNDARY_CODES)
                raise ConversionError(f"has a boundary of kind {boundary.kind!r}; expected one of {expected}")
            code, inner = _BOUNDARY_CODES[boundary.kind], boundary.inner
        codes.append(code)
        offsets.append(len(children[code]))
        children[code].append(inner)
    return pa.UnionArray.from_buffers(
        type=TIME_RANGE_BOUNDARY,
        length=len(items),
        buffers=[
            None,
            pa.py_buffer(np.array(codes, dtype=np.int8)),
            pa.py_buffer(np.array(offsets, dtype=np.int32)),
        ],
        children=[
            pa.nulls(len(children[0])),
            c.int64s(children[1]),
            c.int64s(children[2]),
            pa.nulls(len(children[3])),
        ],
    )


def time_ranges(value: Any) -> pa.Array:
    """Time ranges (objects with `start` and `end` boundaries) as `Struct{start, end}`."""
    if isinstance(value, pa.Array) and value.type == TIME_RANGE:
        return value
    items = _items(value, TimeRange)
    starts = time_range_boundaries(_attribute(items, "start", TimeRange))
    ends = time_range_boundaries(_attribute(items, "end", TimeRange))
    return pa.StructArray.from_arrays([starts, ends], fields=list(TIME_RANGE))


def visible_time_ranges(value: Any) -> pa.Array:
    """Visible time ranges (objects with a `timeline` name and a `range`) as `Struct{timeline, range}`."""
    if isinstance(value, pa.Array) and value.type == VISIBLE_TIME_RANGE:
        return value
    items = _items(value, VisibleTimeRange)
    timelines = c.utf8s(_attribute(items, "timeline", VisibleTimeRange))
    ranges = time_ranges(_attribute(items, "range", VisibleTimeRange))
    return pa.StructArray.from_arrays([timelines, ranges], fields=list(VISIBLE_TIME_RANGE))


def absolute_time_ranges(value: Any) -> pa.Array:
    """Absolute time ranges (objects with `min` and `max` times) as `Struct{min: i64, max: i64}`."""
    if isinstance(value, pa.Array) and value.type == ABSOLUTE_TIME_RANGE:
        return value
    items = _items(value, AbsoluteTimeRange)
    mins = c.int64s(_attribute(items, "min", AbsoluteTimeRange))
    maxs = c.int64s(_attribute(items, "max", AbsoluteTimeRange))
    return pa.StructArray.from_arrays([mins, maxs], fields=list(ABSOLUTE_TIME_RANGE))


def uuids(value: Any) -> pa.Array:
    """UUIDs (16 bytes each: bytes, u8 arrays, or a list of them) as `FSL<u8 nn>[16]`."""
    if isinstance(value, bytes | bytearray):
        value = np.frombuffer(value, dtype=np.uint8)
    elif isinstance(value, Sequence) and value and all(isinstance(item, bytes | bytearray) for item in value):
        value = np.frombuffer(b"".join(value), dtype=np.uint8)
    return c.vectors(value, 16, noun="UUIDs (16 bytes)", dtype=np.uint8)
