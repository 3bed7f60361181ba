"""rerender: turn Rerun recordings into media, headless.

`import rerender as rr` gives the logging SDK with rerun-sdk's names (`rr.init`, `rr.log`,
`rr.Points3D`, ...); `rerender.load(path)` opens a recording for latest-at queries;
`rerender.rrd` is the file format; the `rerender` command renders.
The SDK loads on first use, so tools that only read recordings do not pay for it.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# rerun's namespaces, as modules of their own (each imports the SDK when first used).
_NAMESPACES = ("archetypes", "blueprint", "components", "datatypes", "encodings", "utilities")


def __getattr__(name: str) -> Any:
    if name in _NAMESPACES:
        return importlib.import_module(f".{name}", __name__)
    if name in ("load", "Recording"):
        return getattr(importlib.import_module(".store", __name__), name)
    sdk = importlib.import_module(".sdk", __name__)
    try:
        value = getattr(sdk, name)
    except AttributeError:
        raise AttributeError(f"module 'rerender' has no attribute {name!r}") from None
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    sdk = importlib.import_module(".sdk", __name__)
    return sorted({*globals(), *_NAMESPACES, *sdk.__all__})
