"""Converters for the plot, graph, geo and video archetypes: the exact Arrow arrays rerun-sdk 0.41 logs.

Same contract as `components`: each returns the instances of one log call and raises `ConversionError`
with a "has ...; expected ..." detail.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from .batch import ConversionError
from .components import BLOB, describe, enum_codes, fixed_size_list_type, numeric, utf8s, vectors

__all__ = [
    "GEO_LINE_STRING",
    "LAT_LON",
    "UTF8_PAIR",
    "blobs",
    "enum_codes",
    "geo_line_strings",
    "lat_lons",
    "utf8_pairs",
    "video_timestamps",
]

LAT_LON = fixed_size_list_type(pa.float64(), 2)
GEO_LINE_STRING = pa.list_(pa.field("item", LAT_LON, nullable=False))
UTF8_PAIR = pa.struct(
    [pa.field("first", pa.utf8(), nullable=False), pa.field("second", pa.utf8(), nullable=False)]
)


def lat_lons(value: Any) -> pa.Array:
    """N (latitude, longitude) pairs in degrees as `FixedSizeList<f64 nn>[2]`."""
    return vectors(value, 2, noun="latitude/longitude pairs", dtype=np.float64)


def _lat_lon_strip(value: Any) -> pa.Array:
    if hasattr(value, "lat_lon") and not isinstance(value, np.ndarray):
        value = value.lat_lon
    return lat_lons(value)


def geo_line_strings(value: Any) -> pa.Array:
    """Line strings of (lat, lon) points as `List<FSL<f64 nn>[2] nn>`, with rerun-sdk's input rules."""
    if isinstance(value, pa.Array) and value.type == GEO_LINE_STRING:
        return value
    if isinstance(value, np.ndarray):
        if len(value) == 0:
            strips: list[pa.Array] = []
        elif value.ndim == 2:
            strips = [lat_lons(value)]
        elif value.ndim == 3:
            # (strips, points, 2) in one array: equal-length strips.
            if value.shape[2] != 2:
                raise ConversionError(f"has shape {value.shape}; expected (strips, points, 2)")
            offsets = np.arange(value.shape[0] + 1, dtype=np.int32) * value.shape[1]
            return pa.ListArray.from_arrays(
                pa.array(offsets), lat_lons(value.reshape(-1, 2)), type=GEO_LINE_STRING
            )
        else:
            raise ConversionError(f"has shape {value.shape}; expected (strips, points, 2) or (points, 2)")
    elif hasattr(value, "lat_lon"):
        strips = [_lat_lon_strip(value)]
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        first = value[0] if len(value) else None
        if isinstance(first, Sequence) and len(first) > 0 and isinstance(first[0], numbers.Number):
            # A single strip given as a list of points.
            if len(first) != 2:
                raise ConversionError(
                    f"has points with {len(first)} coordinates; expected 2 (latitude, longitude)"
                )
            strips = [lat_lons(value)]
        elif isinstance(first, np.ndarray) and first.shape == (2,):
            strips = [lat_lons(value)]
        else:
            strips = []
            for strip in value:
                if isinstance(strip, np.ndarray) and (strip.ndim != 2 or strip.shape[1] != 2):
                    raise ConversionError(f"has a strip of shape {strip.shape}; expected (N, 2)")
                strips.append(_lat_lon_strip(strip))
    else:
        raise ConversionError(
            f"is {describe(value)}; expected a list of line strings, each a list of [lat, lon]"
        )
    lengths = np.array([len(strip) for strip in strips], dtype=np.int32)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    points = pa.concat_arrays(strips) if strips else lat_lons(np.zeros((0, 2)))
    return pa.ListArray.from_arrays(pa.array(offsets), points, type=GEO_LINE_STRING)


def _pair(item: Any) -> tuple[Any, Any]:
    """(first, second) of a GraphEdge-like object or any 2-element sequence (as rerun-sdk reads them)."""
    if hasattr(item, "first") and hasattr(item, "second"):
        return item.first, item.second
    if hasattr(item, "__len__") and len(item) == 2:
        return item[0], item[1]
    raise ConversionError(f"has an item {describe(item)}; expected (first, second) pairs of node ids")


def utf8_pairs(value: Any) -> pa.Array:
    """Pairs of strings (graph edges) as `Struct{first: utf8 nn, second: utf8 nn}`."""
    if isinstance(value, pa.Array) and value.type == UTF8_PAIR:
        return value
    if hasattr(value, "first") and hasattr(value, "second"):
        firsts, seconds = utf8s(value.first), utf8s(value.second)
    elif isinstance(value, np.ndarray):
        if value.ndim != 2 or value.shape[1] != 2:
            raise ConversionError(f"has shape {value.shape}; expected a 2-column array (N, 2) of node ids")
        firsts, seconds = utf8s(value[:, 0]), utf8s(value[:, 1])
    else:
        try:
            pairs = [_pair(item) for item in value]
        except TypeError:
            expected = "expected a list of (first, second) pairs"
            raise ConversionError(f"is {describe(value)}; {expected}") from None
        firsts = utf8s([first for first, _ in pairs])
        seconds = utf8s([second for _, second in pairs])
    if firsts.null_count or seconds.null_count:
        raise ConversionError("has a missing node id; expected strings")
    return pa.StructArray.from_arrays([firsts, seconds], fields=list(UTF8_PAIR))


def _u8(value: Any) -> np.ndarray:
    return np.ascontiguousarray(numeric(value, np.uint8)).reshape(-1)


def _blob_item(item: Any) -> np.ndarray:
    """One blob of a sequence of blobs: bytes, an array or anything numpy reads, or a Blob-like `.data`."""
    if isinstance(item, bytes):
        return np.frombuffer(item, dtype=np.uint8)
    if not isinstance(item, np.ndarray) and hasattr(item, "data"):
        item = item.data
    return _u8(item)


def blobs(value: Any) -> pa.Array:
    """One or more blobs of bytes as `List<u8 nn>`, with rerun-sdk's rules for telling them apart.

    bytes and file objects are one blob; a 1-D array is one blob and a 2-D array one per row; a list of
    bytes (or of arrays) one blob per item. As in rerun-sdk, any other sequence (including a bytearray or
    a list of ints) gives one blob per item.
    """
    if isinstance(value, pa.Array) and value.type == BLOB:
        return value
    parts: list[np.ndarray]
    if isinstance(value, np.ndarray):
        if len(value) == 0:
            parts = []
        elif value.ndim == 1:
            parts = [_u8(value)]
        else:
            rows = np.ascontiguousarray(numeric(value, np.uint8)).reshape(len(value), -1)
            offsets = np.arange(len(value) + 1, dtype=np.int32) * rows.shape[1]
            return pa.ListArray.from_arrays(pa.array(offsets), pa.array(rows.reshape(-1)), type=BLOB)
    elif isinstance(value, bytes):
        parts = [np.frombuffer(value, dtype=np.uint8)]
    elif callable(getattr(value, "read", None)):
        parts = [np.frombuffer(value.read(), dtype=np.uint8)]
    elif isinstance(value, Sequence) and not isinstance(value, str):
        parts = [_blob_item(item) for item in value]
    elif hasattr(value, "data"):
        parts = [_u8(value.data)]
    else:
        raise ConversionError(f"is {describe(value)}; expected bytes, a file object or a u8 array")
    lengths = np.array([len(part) for part in parts], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    data = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint8)
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(data, type=pa.uint8()), type=BLOB)


def video_timestamps(value: Any) -> pa.Array:
    """Video presentation timestamps in nanoseconds as a flat `i64` array."""
    if isinstance(value, pa.Array) and value.type == pa.int64():
        return value
    if hasattr(value, "timestamp_ns"):
        value = value.timestamp_ns
    elif isinstance(value, Sequence) and any(hasattr(item, "timestamp_ns") for item in value):
        value = [getattr(item, "timestamp_ns", item) for item in value]
    return pa.array(np.ascontiguousarray(numeric(value, np.int64)).reshape(-1), type=pa.int64())
