"""Which times of a timeline become video frames (pure)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..rrd import TimeKind

NS = 1_000_000_000


def frame_times(
    ticks: np.ndarray,
    kind: TimeKind,
    *,
    fps: float,
    start: int | None = None,
    end: int | None = None,
    step: int = 1,
    every_tick: bool = False,
    speed: float = 1.0,
) -> np.ndarray:
    """The timeline values to render, ascending.

    Sequence timelines give one frame per logged tick (every `step`-th). Duration and timestamp
    timelines are sampled at `fps` frames per second of timeline time divided by `speed`, from the
    first to the last logged time, unless `every_tick` asks for one frame per logged time.
    """
    ticks = np.asarray(ticks, dtype=np.int64)
    lo = int(ticks[0]) if start is None and len(ticks) else start
    hi = int(ticks[-1]) if end is None and len(ticks) else end
    if lo is None or hi is None:
        return np.empty(0, dtype=np.int64)
    if kind == TimeKind.SEQUENCE or every_tick:
        chosen = ticks[(ticks >= lo) & (ticks <= hi)]
        return chosen[:: max(step, 1)]
    period = NS * speed / fps
    count = int(np.floor((hi - lo) / period + 1e-9)) + 1
    return (lo + np.round(np.arange(count) * period)).astype(np.int64)[:: max(step, 1)]


AUTOMATIC_TIMELINES = ("log_time", "log_tick")  # the SDK's own, on every row; a script's are the story


def default_timeline(timelines: list[str]) -> str | None:
    """The recording's first timeline other than the automatic `log_time`/`log_tick` (else the first)."""
    return next(iter(preferred_timelines(timelines, None)), None)


def preferred_timelines(timelines: Iterable[str], main: str | None) -> list[str]:
    """`timelines` in the order data is looked for on them: `main` first, then the script's own, the
    automatic `log_time`/`log_tick` last (a loss logged on `step` is plotted over `step`, not over the
    wall-clock times at which the script ran)."""
    names = list(timelines)
    rest = [t for t in names if t != main]
    first = [main] if main in names else []
    return (
        first
        + [t for t in rest if t not in AUTOMATIC_TIMELINES]
        + [t for t in rest if t in AUTOMATIC_TIMELINES]
    )
