"""The interfaces rerun-sdk's top level names, for code that defines its own loggable types.

`rr.log` takes anything with `as_component_batches()` (`AsComponents`), whose batches give a descriptor
and an Arrow array: rerender's own batches (`descriptor`, `array`) or any object following rerun-sdk's
`component_descriptor()` / `as_arrow_array()` protocol. `send_columns` takes `TimeColumnLike` indexes.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, runtime_checkable

import pyarrow as pa

from rerender.rrd import ComponentDescriptor

__all__ = ["AsComponents", "ComponentBatchLike", "ComponentDescriptor", "ComponentMixin", "TimeColumnLike"]


@runtime_checkable
class ComponentBatchLike(Protocol):
    """Something that gives a batch of component values as one Arrow array."""

    def as_arrow_array(self) -> pa.Array:
        """The values as an Arrow array."""
        ...


@runtime_checkable
class AsComponents(Protocol):
    """Something `rr.log` can log: it gives its described component batches (every archetype does)."""

    def as_component_batches(self) -> list[Any]:
        """The batches, each with `component_descriptor()` and `as_arrow_array()`."""
        ...


class TimeColumnLike(Protocol):
    """A `send_columns` index: a timeline's name and its values (int64, duration[ns] or timestamp[ns])."""

    def timeline_name(self) -> str:
        """The timeline's name."""
        ...

    def as_arrow_array(self) -> pa.Array:
        """One time value per row."""
        ...


class ComponentMixin(ComponentBatchLike):
    """Base of single component values: a value is a batch of one, through the class's `_BATCH_TYPE`
    (a batch class with `_ARROW_DATATYPE` and `_COMPONENT_TYPE`)."""

    _BATCH_TYPE: ClassVar[Any]

    @classmethod
    def arrow_type(cls) -> pa.DataType:
        """The Arrow type of the component."""
        return cls._BATCH_TYPE._ARROW_DATATYPE

    @classmethod
    def component_type(cls) -> str:
        """The component type's name, e.g. `rerun.components.Color`."""
        return cls._BATCH_TYPE._COMPONENT_TYPE

    def as_arrow_array(self) -> pa.Array:
        """This value as a one-element Arrow array."""
        return self._BATCH_TYPE([self]).as_arrow_array()
