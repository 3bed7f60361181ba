"""rerender: turn Rerun recordings into media, headless.

`import rerender as rr` gives the logging SDK with rerun-sdk's names (`rr.init`, `rr.log`,
`rr.Points3D`, ...); `rerender.rrd` is the file format; the `rerender` command renders.
"""

from . import utilities
from .sdk import *  # noqa: F403
from .sdk import __all__ as _sdk_all

__version__ = "0.1.0"
__all__ = ["__version__", "utilities", *_sdk_all]
