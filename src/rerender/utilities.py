"""Demo-data helpers with the same names, signatures and values as `rerun.utilities`."""

from __future__ import annotations

from math import cos, sin, tau
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ._turbo import TURBO

__all__ = ["ColorSpiral", "bounce_lerp", "build_color_spiral"]


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


def bounce_lerp(a: Any, b: Any, t: Any) -> Any:
    """Linear interpolation from `a` to `b` that bounces back and forth as `t` passes each whole number."""
    frac = t % 1
    if int(t) % 2 == 0:
        return (1.0 - frac) * a + frac * b
    return frac * a + (1.0 - frac) * b
