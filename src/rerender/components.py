"""`rerender.components`, like `rerun.components`: the component types users pass to archetypes.

Every name of rerun-sdk 0.41's namespace, from the table of `rerender.sdk.component_types`: value classes
(`Color`, `Scale3D`, the enums, `Radius`, ...), their batches (`ColorBatch`, ...) and the typing aliases
(`LineStrip3DLike`, `ColormapArrayLike`, ...). Archetypes take plain values too; these exist so that
scripts written against rerun's names run unchanged.
Absolute imports on purpose (see `rerender.archetypes`).
"""

from __future__ import annotations

from rerender.sdk.component_types import COMPONENT_ALIASES as _ALIASES
from rerender.sdk.component_types import COMPONENT_CLASSES as _CLASSES

globals().update(_CLASSES)
globals().update(_ALIASES)
__all__ = sorted([*_CLASSES, *_ALIASES])
