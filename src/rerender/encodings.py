"""`rerender.encodings`, like `rerun.encodings` (called `datatypes` before rerun 0.37): value types.

Only what rerender implements, including the table-driven value/batch classes of
`rerender.sdk.component_types` (`Vec3D`/`Vec3DBatch`, `Rgba32`/`Rgba32Batch`, ...).
Absolute imports on purpose (see `rerender.archetypes`).
"""

from __future__ import annotations

from rerender.sdk.component_types import ENCODING_CLASSES as _CLASSES
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

# Quaternion keeps its own value class (rerender.Quaternion).
globals().update({name: cls for name, cls in _CLASSES.items() if name != "Quaternion"})
__all__ += sorted(name for name in _CLASSES if name != "Quaternion")
