"""`rerender.encodings`, like `rerun.encodings` (called `datatypes` before rerun 0.37): value types.

Every name of rerun-sdk 0.41's namespace, from the table of `rerender.sdk.component_types`: value classes
(`Vec3D`, `Angle`, `TimeRange`, the enums, ...), their batches (`Vec3DBatch`, ...) and the typing aliases
(`Vec3DLike`, `TimeRangeArrayLike`, ...).
Absolute imports on purpose (see `rerender.archetypes`).
"""

from __future__ import annotations

from rerender.sdk.component_types import ENCODING_ALIASES as _ALIASES
from rerender.sdk.component_types import ENCODING_CLASSES as _CLASSES

globals().update(_CLASSES)
globals().update(_ALIASES)
__all__ = sorted([*_CLASSES, *_ALIASES])
