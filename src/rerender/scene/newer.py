"""Names from a newer Rerun: archetypes and component types in Rerun's namespaces (`rerun.archetypes.*`,
`rerun.components.*`, and the blueprint's) that this version does not know. A recording from a newer
Rerun may hold them; they are not drawn, and each is warned about once per render, naming it and the
first entity that has it. Names outside Rerun's namespaces are user data (`AnyValues`, custom
archetypes) and are ignored silently, as Rerun's 3D view ignores them.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from ..rrd.rerun_names import ARCHETYPES, COMPONENT_TYPES
from .components import Components


def is_newer(name: str | None, known: frozenset[str]) -> bool:
    """Whether `name` is in Rerun's namespace but not one this version knows."""
    return name is not None and name.startswith("rerun.") and name not in known


@dataclass
class NewerNames:
    """The unknown Rerun names one render has warned about (one warning each), and the component keys
    already looked at, so that each frame only looks at keys it has not seen."""

    checked: set[str] = field(default_factory=set)
    warned: set[str] = field(default_factory=set)

    def check(self, path: str, comps: Components) -> None:
        """Warn, once per name, about the unknown archetypes and component types of entity `path`."""
        for key, value in comps.items():
            if key in self.checked:
                continue
            self.checked.add(key)
            descriptor = getattr(value, "descriptor", None)
            if descriptor is None:
                continue
            if is_newer(descriptor.archetype, ARCHETYPES):
                self._warn(path, "archetype", descriptor.archetype)
            if is_newer(descriptor.component_type, COMPONENT_TYPES):
                self._warn(path, "component type", descriptor.component_type)

    def _warn(self, path: str, what: str, name: str) -> None:
        if name in self.warned:
            return
        self.warned.add(name)
        warnings.warn(
            f"{path}: ignoring {what} {name}, which this version of rerender does not know (it may come "
            "from a newer Rerun version); it is not drawn (warned once, for the first entity that has it)",
            stacklevel=4,
        )
