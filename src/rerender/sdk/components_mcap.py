"""Converters for the MCAP archetypes' key-value pairs and channel message counts.

Each follows the rerun-sdk 0.41 conversion of the same component (noted per function).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from . import components as c
from .batch import ConversionError
from .recording import RerenderWarning, is_strict_mode

__all__ = [
    "CHANNEL_MESSAGE_COUNTS",
    "KEY_VALUE_PAIRS",
    "channel_message_counts",
    "key_value_pairs",
]

_UTF8_PAIR = pa.struct(
    [pa.field("first", pa.utf8(), nullable=False), pa.field("second", pa.utf8(), nullable=False)]
)
KEY_VALUE_PAIRS = pa.list_(pa.field("item", _UTF8_PAIR, nullable=False))
CHANNEL_MESSAGE_COUNTS = pa.list_(
    pa.field(
        "item",
        pa.struct(
            [
                pa.field("channel_id", pa.uint16(), nullable=False),
                pa.field("message_count", pa.uint64(), nullable=False),
            ]
        ),
        nullable=False,
    )
)


def _pair(item: Any) -> tuple[str, str]:
    if hasattr(item, "first") and hasattr(item, "second"):
        return str(item.first), str(item.second)
    if hasattr(item, "__len__") and len(item) == 2 and not isinstance(item, str):
        return str(item[0]), str(item[1])
    raise ConversionError(f"has an item {c.describe(item)}; expected (key, value) pairs")


def _pairs_of(item: Any) -> list[tuple[str, str]]:
    """The pairs of one `KeyValuePairs`-like value: a dict, an object with `.pairs`, or (key, value) pairs."""
    if isinstance(item, dict):
        return [(str(k), str(v)) for k, v in item.items()]
    if hasattr(item, "pairs"):
        return [_pair(p) for p in item.pairs]
    if isinstance(item, str) or not hasattr(item, "__iter__"):
        raise ConversionError(f"is {c.describe(item)}; expected a dict of strings or (key, value) pairs")
    pairs: list[tuple[str, str]] = []
    for sub in item:
        if isinstance(sub, dict):
            pairs.extend((str(k), str(v)) for k, v in sub.items())
        else:
            pairs.append(_pair(sub))
    return pairs


def key_value_pairs(value: Any) -> pa.Array:
    """String maps as `List<Struct{first, second}>`.

    As rerun-sdk: a dict (or a `KeyValuePairs`) is one map; a sequence gives one map per item, each a dict,
    a `KeyValuePairs` or a list of (key, value) pairs. Keys and values pass through `str`.
    """
    if isinstance(value, pa.Array) and value.type == KEY_VALUE_PAIRS:
        return value
    if isinstance(value, Sequence) and not isinstance(value, str):
        maps = [_pairs_of(item) for item in value]
    else:
        maps = [_pairs_of(value)]
    offsets = np.concatenate([[0], np.cumsum([len(m) for m in maps])]).astype(np.int32)
    flat = [pair for m in maps for pair in m]
    inner = pa.StructArray.from_arrays(
        [pa.array([k for k, _ in flat], type=pa.utf8()), pa.array([v for _, v in flat], type=pa.utf8())],
        fields=list(_UTF8_PAIR),
    )
    return pa.ListArray.from_arrays(pa.array(offsets), inner, type=KEY_VALUE_PAIRS)


_NO_CHANNEL_MESSAGE_COUNTS = (
    "cannot be serialized: rerun-sdk 0.41 has no Arrow serialization of ChannelMessageCounts, "
    "so it logs an empty component (pass a pyarrow array of the component's type instead)"
)


def channel_message_counts(value: Any) -> pa.Array:
    """Per-channel message counts: only a pyarrow array of the component's type is kept.

    rerun-sdk 0.41 cannot serialize any other input (it raises NotImplementedError in strict mode; else it
    warns and logs an empty array). To write the same files, so do we; an empty input (as `cleared()`
    gives) is an empty array without a warning, also in strict mode, where rerun-sdk raises.
    """
    if isinstance(value, pa.Array) and value.type == CHANNEL_MESSAGE_COUNTS:
        return value
    if not (isinstance(value, (list, tuple, dict)) and len(value) == 0):  # empty (`cleared()`): no warning
        if is_strict_mode():
            raise ConversionError(_NO_CHANNEL_MESSAGE_COUNTS)
        warnings.warn(f"channel_message_counts {_NO_CHANNEL_MESSAGE_COUNTS}", RerenderWarning, stacklevel=4)
    return pa.array([], type=CHANNEL_MESSAGE_COUNTS)
