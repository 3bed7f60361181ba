"""`rerender.encodings`, like `rerun.encodings` (called `datatypes` before rerun 0.37): value types.

Only what rerender implements. Absolute imports on purpose (see `rerender.archetypes`).
"""

from __future__ import annotations

from rerender.sdk.datatypes import Angle, Quaternion, RotationAxisAngle
from rerender.sdk.enums import ChannelDatatype, ColorModel, PixelFormat, ViewDir

__all__ = [
    "Angle",
    "ChannelDatatype",
    "ColorModel",
    "PixelFormat",
    "Quaternion",
    "RotationAxisAngle",
    "ViewDir",
]
