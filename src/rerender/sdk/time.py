"""Time values as users pass them to `set_time`, converted to Rerun's int64 (ns for durations/stamps)."""

from __future__ import annotations

import datetime as dt
from numbers import Integral, Real

import numpy as np
import pyarrow as pa

_NS_PER_S = 1_000_000_000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def sequence_value(value: object) -> int:
    """A sequence timeline value: any integer."""
    if isinstance(value, Integral | np.integer) and not isinstance(value, bool):
        return int(value)
    raise TypeError(f"sequence= takes an integer, not {type(value).__name__} {value!r}")


def _seconds_to_ns(seconds: float) -> int:
    # rerun-sdk rounds to the nearest nanosecond (1.5e-9 s -> 2 ns).
    return round(float(seconds) * _NS_PER_S)


def duration_ns(value: object) -> int:
    """A duration: seconds (int or float), `timedelta` or `numpy.timedelta64`, to nanoseconds."""
    if isinstance(value, dt.timedelta):
        return (value.days * 86_400 + value.seconds) * _NS_PER_S + value.microseconds * 1_000
    if isinstance(value, np.timedelta64):
        return int(value.astype("timedelta64[ns]").astype(np.int64))
    if isinstance(value, Integral | np.integer) and not isinstance(value, bool):
        return int(value) * _NS_PER_S
    if isinstance(value, Real | np.floating) and not isinstance(value, bool):
        return _seconds_to_ns(value)
    raise TypeError(
        f"duration= takes seconds, a timedelta or a numpy.timedelta64, not {type(value).__name__}"
    )


def timestamp_ns(value: object) -> int:
    """A timestamp: seconds since the epoch, `datetime` (naive means UTC) or `numpy.datetime64`, to ns."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return duration_ns(moment - _EPOCH)
    if isinstance(value, np.datetime64):
        return int(value.astype("datetime64[ns]").astype(np.int64))
    if isinstance(value, pa.TimestampScalar):
        return int(value.cast(pa.timestamp("ns")).value)
    if isinstance(value, Integral | np.integer) and not isinstance(value, bool):
        return int(value) * _NS_PER_S
    if isinstance(value, Real | np.floating) and not isinstance(value, bool):
        return _seconds_to_ns(value)
    raise TypeError(
        f"timestamp= takes seconds since the epoch, a datetime or a numpy.datetime64, "
        f"not {type(value).__name__}"
    )
