"""3D Gaussian splats: `GaussianSplats3D`."""

from __future__ import annotations

from typing import Any

from .. import components as c
from .. import components_splats as cc
from ..batch import Archetype, Field


class GaussianSplats3D(Archetype):
    """3D Gaussian splats: centers, per-axis scales, rotations (quaternions x, y, z, w), colors (the
    degree-0 color, alpha is the opacity) and spherical harmonics coefficients of degrees 1-3."""

    _INSTANCES_FROM = ("centers",)

    _FIELDS = (
        Field("centers", "Position3D", c.vectors, 3, noun="points"),
        Field("scales", "Scale3D", c.vectors, 3, noun="scales"),
        Field("quaternions", "RotationQuat", c.quaternions),
        Field("colors", "Color", c.colors),
        Field("sh_coefficients", "SphericalHarmonics3Rgb", cc.spherical_harmonics3_rgb),
        Field("spherical_harmonics_degree", "SphericalHarmonicsDegree", c.u32s),
    )

    def __init__(
        self,
        centers: Any,
        *,
        scales: Any = None,
        quaternions: Any = None,
        colors: Any = None,
        sh_coefficients: Any = None,
        spherical_harmonics_degree: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("centers", centers)
        self._set_field("scales", scales)
        self._set_field("quaternions", quaternions)
        self._set_field("colors", colors)
        self._set_field("sh_coefficients", sh_coefficients)
        self._set_field("spherical_harmonics_degree", spherical_harmonics_degree)
