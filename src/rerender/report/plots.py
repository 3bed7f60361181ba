"""Time series plots as inline SVG, drawn by hand: axes with tick labels, a legend, one line per series.

Plain SVG keeps the report one self-contained page that opens from disk, with no plotting library to
install. Long series are thinned to the minimum and maximum of each pixel-wide bucket, which keeps
their envelope (spikes included) and the page small.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import numpy as np

from ..rrd import TimeKind
from ..rrd.timeformat import format_time
from .model import ScalarPlot

NS = 1_000_000_000
CHAR_WIDTH = 6.5  # px per character of the 11px labels, for laying out the legend and the y labels


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
        return (value - self.lo) / ((self.hi - self.lo) or 1.0)


def tick_step(lo: float, hi: float, count: int) -> float:
    """The round step (1, 2, 2.5 or 5 times a power of ten) nearest to cutting [lo, hi] into `count` - 1
    parts."""
    raw = (hi - lo) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    return min((m * power for m in (1, 2, 2.5, 5, 10)), key=lambda step: abs(math.log(step / raw)))


def nice_ticks(lo: float, hi: float, count: int = 6, *, integer: bool = False) -> tuple[float, ...]:
    """About `count` round tick values within [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return (lo,) if math.isfinite(lo) else ()
    step = tick_step(lo, hi, count)
    if integer:
        step = max(1.0, math.ceil(step))
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    value = first
    while value <= hi + step * 1e-9:
        ticks.append(0.0 if abs(value) < step * 1e-9 else value)
        value = first + len(ticks) * step
    return tuple(ticks)


def _number(value: float) -> str:
    return f"{value:.4g}" if abs(value) < 1e5 else f"{value:.3g}"


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
    if hi == lo:  # a constant: centre it
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    # Out to the ticks around the data, so that no line runs along the frame.
    step = tick_step(lo, hi, count)
    lo, hi = math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step
    ticks = nice_ticks(lo, hi, count)
    return Axis(lo, hi, ticks, tuple(_number(t) for t in ticks), "")


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


def svg_plot(plot: ScalarPlot, style: PlotStyle | None = None) -> str:
    """The plot as an `<svg>` element: a legend on top, y tick labels on the left, time below."""
    style = style or PlotStyle()
    w, h = style.width, style.height
    thinned = [thin(s.times, s.values, style.max_points) for s in plot.series]
    times = np.concatenate([s.times for s in plot.series])
    xa = x_axis(plot, int(times.min()), int(times.max()), style.tick_count)
    ya = y_axis([v for _, v in thinned], style.tick_count - 1)
    left = 14 + CHAR_WIDTH * max(len(label) for label in ya.labels)
    top, right, bottom = 30.0, 16.0, 40.0
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
    legend_x = left
    for series, (t, v) in zip(plot.series, thinned, strict=True):
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
        out.append(f'<rect x="{legend_x:.1f}" y="10" width="12" height="12" fill="{color}"/>')
        out.append(f'<text x="{legend_x + 16:.1f}" y="20">{escape(series.name)}</text>')
        legend_x += 30 + CHAR_WIDTH * len(series.name)
    out.append("</svg>")
    return "\n".join(out)
