"""Demo-data helpers with the same names, signatures and values as `rerun.utilities`."""

from __future__ import annotations

from math import cos, sin, tau
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ._turbo import TURBO

__all__ = [
    "ColorGrid",
    "ColorSpiral",
    "bounce_lerp",
    "build_color_grid",
    "build_color_spiral",
    "color_grid",
    "color_spiral",
]


class ColorGrid(NamedTuple):
    """Positions (N, 3) and colors (N, 3, u8) of a cube of points."""

    positions: npt.NDArray[np.float64]
    colors: npt.NDArray[np.uint8]


def _grid_axis(start: float, stop: float, count: int) -> npt.NDArray[np.float64]:
    """`count` values from `start` to `stop`, computed as `np.mgrid[start:stop:count*1j]` does (rerun's
    values): `start + i * step`, so the last one may miss `stop` by a rounding error, unlike linspace."""
    step = (stop - start) / (count - 1) if count != 1 else 1.0
    return np.arange(count, dtype=np.float64) * step + start


def build_color_grid(
    x_count: int = 10, y_count: int = 10, z_count: int = 10, *, twist: float = 0
) -> ColorGrid:
    """A cube of x_count * y_count * z_count points spanning -10..10 on each axis, colored by position
    (0..255 per channel along x, y, z), each Z layer rotated about Z by up to `twist`/2 radians either way.
    Points are ordered with z varying fastest, then y, then x."""
    x, y, z = np.meshgrid(
        _grid_axis(-10, 10, x_count),
        _grid_axis(-10, 10, y_count),
        _grid_axis(-10, 10, z_count),
        indexing="ij",
    )
    angles = np.linspace(-float(twist) / 2, float(twist) / 2, z_count)
    # math.cos/sin per layer (not np.cos) so that positions are bit-identical to rerun's.
    cos_z = np.array([cos(a) for a in angles])
    sin_z = np.array([sin(a) for a in angles])
    positions = np.stack(
        [(x * cos_z - y * sin_z).ravel(), (x * sin_z + y * cos_z).ravel(), z.ravel()], axis=1
    )
    channels = np.meshgrid(
        _grid_axis(0, 255, x_count), _grid_axis(0, 255, y_count), _grid_axis(0, 255, z_count), indexing="ij"
    )
    colors = np.stack([c.ravel() for c in channels], axis=1).astype(np.uint8)
    return ColorGrid(positions, colors)


color_grid = build_color_grid()
"""The default grid (10 x 10 x 10 points, no twist)."""


class ColorSpiral(NamedTuple):
    """Positions (N, 3) and colors (N, 3, floats in 0..1) of a spiral."""

    positions: npt.NDArray[np.float64]
    colors: npt.NDArray[np.float64]


def build_color_spiral(
    num_points: int = 100,
    *,
    radius: float = 2,
    angular_step: float = 0.02,
    angular_offset: float = 0,
    z_step: float = 0.1,
) -> ColorSpiral:
    """A spiral of points rising along +Z, colored along the Turbo colormap."""
    # math.cos/sin per point (not np.cos) so that positions are bit-identical to rerun's; this is
    # demo data of a few hundred points, not a hot path.
    positions = np.array(
        [
            [
                cos(i * tau * angular_step + angular_offset) * radius,
                sin(i * tau * angular_step + angular_offset) * radius,
                i * z_step,
            ]
            for i in range(num_points)
        ]
    )
    colors = TURBO[np.linspace(0, len(TURBO) - 1, num_points, dtype=int)]
    return ColorSpiral(positions, colors)


color_spiral = build_color_spiral()
"""The default spiral (100 points)."""


def bounce_lerp(a: Any, b: Any, t: Any) -> Any:
    """Linear interpolation from `a` to `b` that bounces back and forth as `t` passes each whole number."""
    frac = t % 1
    if int(t) % 2 == 0:
        return (1.0 - frac) * a + frac * b
    return frac * a + (1.0 - frac) * b
