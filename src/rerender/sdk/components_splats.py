"""The converter of Gaussian splats' spherical harmonics (rerun-sdk 0.41's Arrow arrays).

Same contract as `components`: each returns the instances of one log call and raises `ConversionError`
with a "has ...; expected ..." detail.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from .batch import ConversionError
from .components import fixed_size_list_type, numeric

__all__ = ["SH3_RGB", "spherical_harmonics3_rgb"]

SH_COEFFICIENTS = 15  # degrees 1 to 3 (the degree-0 base color is logged as `colors`)
SH_CHANNELS = 3
SH_VALUES = SH_COEFFICIENTS * SH_CHANNELS
_SH_COEFFICIENT = fixed_size_list_type(pa.float16(), SH_CHANNELS)
SH3_RGB = fixed_size_list_type(_SH_COEFFICIENT, SH_COEFFICIENTS)


def spherical_harmonics3_rgb(value: Any) -> pa.Array:
    """Per-splat SH coefficients of degrees 1-3, shape (..., 15, 3) or (..., 45), as `FSL<FSL<f16>[3]>[15]`.

    Coefficient-major: the 45 values of a splat are 15 coefficients of (r, g, b).
    """
    if isinstance(value, pa.Array) and value.type == SH3_RGB:
        return value
    array = numeric(getattr(value, "coefficients", value), np.float16)
    shape = array.shape
    valid = (
        shape[-2:] == (SH_COEFFICIENTS, SH_CHANNELS)
        or shape[-1:] == (SH_VALUES,)
        or (array.ndim == 1 and array.size % SH_VALUES == 0)
    )
    if not valid:
        raise ConversionError(
            f"has shape {shape}; expected (N, {SH_COEFFICIENTS}, {SH_CHANNELS}) or (N, {SH_VALUES}) "
            "coefficients, coefficient-major"
        )
    flat = pa.array(np.ascontiguousarray(array.reshape(-1)), type=pa.float16())
    return pa.FixedSizeListArray.from_arrays(
        pa.FixedSizeListArray.from_arrays(flat, type=_SH_COEFFICIENT), type=SH3_RGB
    )
