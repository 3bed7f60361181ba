"""A base for archetypes whose `columns()` takes the component fields, not the constructor's arguments.

rerun-sdk's `Archetype.columns(**fields)` sets the fields directly (no constructor defaults, no renamed
arguments such as `lat_lon=`/`path=`), so these archetypes declare a converter per field and build their
columns from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from ..batch import Archetype
from ..columns import ComponentColumn, ComponentColumnList

# field -> (converter, *extra arguments after the value)
Converters = dict[str, tuple[Callable[..., Any], ...]]


class FieldArchetype(Archetype):
    """An archetype with one converter per field: `_CONVERTERS[field] = (convert, *args)`."""

    _CONVERTERS: ClassVar[Converters] = {}

    def _set_field(self, field: str, value: Any, *, argument: str | None = None) -> None:
        """Convert `value` (unless None) with the field's converter."""
        convert, *args = self._CONVERTERS[field]
        self._set(field, value, convert, *args, argument=argument)

    @classmethod
    def columns(cls, **fields: Any) -> ComponentColumnList:
        """The components for `send_columns`, by field name: one instance per row, or `.partition(...)`."""
        names = {field for field, _ in cls._FIELDS}
        unknown = sorted(set(fields) - names)
        if unknown:
            raise TypeError(f"{cls.__name__}.columns() got unexpected field(s) {', '.join(unknown)}")
        archetype = cls.__new__(cls)
        Archetype.__init__(archetype)
        for field, value in fields.items():
            archetype._set_field(field, value)
        return ComponentColumnList(
            ComponentColumn(b.descriptor, b.array) for b in archetype.as_component_batches()
        )
