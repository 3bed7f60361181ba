"""`rerender.datatypes`, like `rerun.datatypes`: the older name of `rerender.encodings`, same contents.

(rerun-sdk warns that the name is deprecated; rerender does not.)
"""

from __future__ import annotations

from rerender.encodings import *  # noqa: F403
from rerender.encodings import __all__ as __all__
