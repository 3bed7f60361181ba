"""Time series plots as inline SVG, drawn by hand: axes with tick labels, a legend, one line per series.

Plain SVG keeps the report one self-contained page that opens from disk, with no plotting library to
install. Long series are thinned to the minimum and maximum of each pixel-wide bucket, which keeps
their envelope (spikes included) and the page small.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from ..rrd import TimeKind
from ..rrd.timeformat import format_time
from .model import ScalarPlot

NS = 1_000_000_000
CHAR_WIDTH = 6.5  # px per character of the 11px labels, for laying out the legend and the y labels
LEGEND_ROW = 16.0  # px from one row of the legend to the next


@dataclass(frozen=True)
class PlotStyle:
    """The plot's size in pixels and how many points one series keeps at most."""

    width: int = 720
    height: int = 260
    max_points: int = 1200
    tick_count: int = 6


@dataclass(frozen=True)
class Axis:
    """One axis: its range and ticks in axis units, the tick labels, its title, and how raw data maps
    to axis units: (raw - offset) / unit (nanoseconds to seconds after the first timestamp, say)."""

    lo: float
    hi: float
    ticks: tuple[float, ...]
    labels: tuple[str, ...]
    title: str
    offset: float = 0.0
    unit: float = 1.0

    def fraction(self, raw: np.ndarray | float) -> np.ndarray:
        """Where raw values fall along the axis, 0 at `lo` and 1 at `hi`."""
        value = (np.asarray(raw, dtype=np.float64) - self.offset) / self.unit
        # In halves, which are exact: a range from -1e308 to 1e308 is wider than the largest float.
        with np.errstate(over="ignore", invalid="ignore"):
            return (value / 2 - self.lo / 2) / ((self.hi / 2 - self.lo / 2) or 1.0)


def tick_step(lo: float, hi: float, count: int) -> float:
    """The round step (1, 2, 2.5 or 5 times a power of ten) nearest to cutting [lo, hi] into `count` - 1
    parts."""
    raw = (hi - lo) / max(count - 1, 1)
    if not raw > 0:  # subnormal ranges underflow: one step for the whole range
        return (hi - lo) or 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    return min((m * power for m in (1, 2, 2.5, 5, 10)), key=lambda step: abs(math.log(step / raw)))


def nice_ticks(lo: float, hi: float, count: int = 6, *, integer: bool = False) -> tuple[float, ...]:
    """About `count` round tick values within [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return (lo,) if math.isfinite(lo) else ()
    step = tick_step(lo, hi, count)
    if integer:
        step = max(1.0, math.ceil(step))
    first = math.ceil(lo / step - 1e-9) * step
    ticks: list[float] = []
    # At most a few times `count` (a range a few ulps wide rounds several ticks to one value; those are
    # kept once), and none past the largest float.
    for k in range(4 * count + 2):
        value = first + k * step
        if not (math.isfinite(value) and value <= hi + step * 1e-9):
            break
        value = 0.0 if abs(value) < step * 1e-9 else value
        if not ticks or value != ticks[-1]:
            ticks.append(value)
    return tuple(ticks)


def number_labels(values: Sequence[float]) -> tuple[str, ...]:
    """Tick values as short text, with as many digits as it takes to tell them apart (ticks 1.0000000001
    and 1.0000000002 do not both read 1)."""
    labels: tuple[str, ...] = ()
    for digits in range(4, 18):  # 4 significant digits below 1e5, 3 above, and more where they collide
        labels = tuple(f"{v:.{digits if abs(v) < 1e5 else digits - 1}g}" if v else "0" for v in values)
        if len(set(labels)) == len(labels):
            break
    return labels


def x_axis(plot: ScalarPlot, lo: int, hi: int, count: int) -> Axis:
    """The time axis in the timeline's own units: ticks; seconds; seconds after the first timestamp."""
    if plot.kind == TimeKind.SEQUENCE:
        ticks = nice_ticks(lo, hi, count, integer=True)
        return Axis(lo, hi, ticks, tuple(str(int(t)) for t in ticks), plot.timeline)
    offset = lo if plot.kind == TimeKind.TIMESTAMP else 0
    a, b = (lo - offset) / NS, (hi - offset) / NS
    ticks = nice_ticks(a, b, count)
    title = f"{plot.timeline} (s)"
    if plot.kind == TimeKind.TIMESTAMP:
        title = f"{plot.timeline} (s after {format_time(lo, TimeKind.TIMESTAMP)})"
    return Axis(a, b, ticks, tuple(f"{t:g}" for t in ticks), title, float(offset), float(NS))


def y_axis(values: list[np.ndarray], count: int) -> Axis:
    finite = [v[np.isfinite(v)] for v in values]
    finite = [v for v in finite if len(v)]
    if not finite:
        return Axis(0.0, 1.0, (0.0, 1.0), ("0", "1"), "")
    lo, hi = min(float(v.min()) for v in finite), max(float(v.max()) for v in finite)
    if hi == lo:  # a constant: centre it (within the floats: 1e308 has no room above it)
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = max(lo - pad, -sys.float_info.max), min(hi + pad, sys.float_info.max)
    if not math.isfinite(hi - lo):  # wider than the largest float: the data's own ends are the ticks
        return Axis(lo, hi, (lo, hi), number_labels((lo, hi)), "")
    # Out to the ticks around the data, so that no line runs along the frame.
    step = tick_step(lo, hi, count)
    with np.errstate(over="ignore"):  # in floats: near the largest float, the outer tick may not exist
        outer = float(np.floor(lo / step + 1e-9) * step), float(np.ceil(hi / step - 1e-9) * step)
    if all(math.isfinite(v) for v in outer):
        lo, hi = outer
    ticks = nice_ticks(lo, hi, count)
    return Axis(lo, hi, ticks, number_labels(ticks), "")


def thin(times: np.ndarray, values: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """At most about `limit` points: each bucket's minimum and maximum, in time order, and one
    non-finite value where a bucket has any (so gaps stay gaps)."""
    n = len(times)
    if n <= limit:
        return times, values
    keep: set[int] = set()
    edges = np.linspace(0, n, limit // 2 + 1).astype(np.int64)
    for a, b in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        if b <= a:
            continue
        segment = values[a:b]
        finite = np.flatnonzero(np.isfinite(segment))
        if len(finite) < b - a:
            keep.add(a + int(np.flatnonzero(~np.isfinite(segment))[0]))
        if len(finite):
            keep.add(a + int(finite[np.argmin(segment[finite])]))
            keep.add(a + int(finite[np.argmax(segment[finite])]))
    index = np.array(sorted(keep), dtype=np.int64)
    return times[index], values[index]


def _runs(y: np.ndarray) -> list[np.ndarray]:
    """Indexes of each run of finite values (NaN and infinities are gaps, as in Rerun's plots)."""
    finite = np.isfinite(y)
    breaks = np.flatnonzero(np.diff(finite.astype(np.int8)) != 0) + 1
    return [run for run in np.split(np.arange(len(y)), breaks) if len(run) and finite[run[0]]]


@dataclass(frozen=True)
class LegendEntry:
    """Where one series' swatch and name go, and the name (shortened to fit the plot's width)."""

    x: float
    y: float
    text: str


def legend(names: Sequence[str], width: float, left: float) -> list[LegendEntry]:
    """The series' names in rows from `left`, a new row where the next would pass `width`."""
    most = max(4, int((width - left - 16) / CHAR_WIDTH))
    entries, x, y = [], left, 10.0
    for name in names:
        text = name if len(name) <= most else name[: most - 1] + "…"
        wide = 30 + CHAR_WIDTH * len(text)
        if x > left and x + wide > width:
            x, y = left, y + LEGEND_ROW
        entries.append(LegendEntry(x, y, text))
        x += wide
    return entries


def svg_plot(plot: ScalarPlot, style: PlotStyle | None = None) -> str:
    """The plot as an `<svg>` element: a legend on top (as many rows as the names take, the plot taller
    by them), y tick labels on the left, time below."""
    style = style or PlotStyle()
    thinned = [thin(s.times, s.values, style.max_points) for s in plot.series]
    times = np.concatenate([s.times for s in plot.series])
    xa = x_axis(plot, int(times.min()), int(times.max()), style.tick_count)
    ya = y_axis([v for _, v in thinned], style.tick_count - 1)
    left = 14 + CHAR_WIDTH * max(len(label) for label in ya.labels)
    entries = legend([s.name for s in plot.series], style.width, left)
    extra = entries[-1].y - entries[0].y
    w, h = style.width, style.height + extra
    top, right, bottom = 30.0 + extra, 16.0, 40.0
    pw, ph = w - left - right, h - top - bottom

    def px(raw: np.ndarray | float) -> np.ndarray:
        return left + xa.fraction(raw) * pw

    def py(raw: np.ndarray | float) -> np.ndarray:
        return top + ph - ya.fraction(raw) * ph

    label = escape(f"{plot.entity} over {plot.timeline}")
    out = [
        f'<svg class="plot" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" aria-label="{label}">',
        f'<rect x="{left:.1f}" y="{top}" width="{pw:.1f}" height="{ph}" fill="#fff" stroke="#bbb"/>',
    ]
    for tick, text in zip(xa.ticks, xa.labels, strict=True):
        x = left + (tick - xa.lo) / ((xa.hi - xa.lo) or 1.0) * pw  # ticks are in axis units already
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ph}" stroke="#eee"/>')
        out.append(f'<text x="{x:.1f}" y="{top + ph + 14}" text-anchor="middle">{escape(text)}</text>')
    for tick, text in zip(ya.ticks, ya.labels, strict=True):
        y = float(py(tick))
        out.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + pw:.1f}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{left - 5:.1f}" y="{y + 4:.1f}" text-anchor="end">{escape(text)}</text>')
    title = escape(xa.title)
    out.append(f'<text x="{left + pw / 2:.1f}" y="{h - 6}" text-anchor="middle" class="axis">{title}</text>')
    for series, (t, v), entry in zip(plot.series, thinned, entries, strict=True):
        color = "rgb({},{},{})".format(*series.color)
        xs, ys = px(t), py(v)
        out.append(f'<g stroke="{color}" fill="{color}"><title>{escape(series.name)}</title>')
        for run in _runs(v):
            if len(run) == 1:  # a lone point between gaps has no line to draw
                out.append(f'<circle cx="{xs[run[0]]:.1f}" cy="{ys[run[0]]:.1f}" r="2" stroke="none"/>')
            else:
                points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(xs[run], ys[run], strict=True))
                out.append(f'<polyline fill="none" stroke-width="1.5" points="{points}"/>')
        out.append("</g>")
        out.append(f'<rect x="{entry.x:.1f}" y="{entry.y}" width="12" height="12" fill="{color}"/>')
        out.append(f'<text x="{entry.x + 16:.1f}" y="{entry.y + 10}">{escape(entry.text)}</text>')
    out.append("</svg>")
    return "\n".join(out)
