"""`rerender.archetypes`, like `rerun.archetypes`: the archetypes rerender implements.

Absolute imports on purpose: where `rerun` is aliased to `rerender` (`rerender run`), `import
rerun.archetypes` loads this file again as `rerun.archetypes`, and it must give the same classes.
"""

from __future__ import annotations

import rerender.sdk.archetypes as _sdk_archetypes

# rerun has AnyValues at the top level only, not in rerun.archetypes.
__all__ = [name for name in _sdk_archetypes.__all__ if name != "AnyValues"]
globals().update({name: getattr(_sdk_archetypes, name) for name in __all__})
