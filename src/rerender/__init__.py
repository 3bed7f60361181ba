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


def __getattr__(name: str) -> Any:
    if name == "utilities":
        return importlib.import_module(".utilities", __name__)
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
    return sorted({*globals(), "utilities", *sdk.__all__})
