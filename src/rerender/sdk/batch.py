"""The archetype base class, the component batch it produces, and the error raised on bad input."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, NoReturn

import pyarrow as pa

from rerender.rrd import ComponentDescriptor

from .columns import ComponentColumn, ComponentColumnList
from .recording import is_strict_mode

__all__ = ["Archetype", "ArchetypeError", "ComponentBatch", "ConversionError"]


@dataclass(frozen=True)
class ComponentBatch:
    """The instances one log call gives for one component, with the descriptor naming the column."""

    descriptor: ComponentDescriptor
    array: pa.Array

    def component_descriptor(self) -> ComponentDescriptor:
        """The descriptor (same accessor name as rerun-sdk, so code can treat both alike)."""
        return self.descriptor

    def as_arrow_array(self) -> pa.Array:
        """The instances as an Arrow array (same accessor name as rerun-sdk)."""
        return self.array


class ArchetypeError(ValueError):
    """Bad input to an archetype: names the archetype, the argument and what was expected."""

    def __init__(self, archetype: str, argument: str, detail: str) -> None:
        super().__init__(f"{archetype}: {argument} {detail}")
        self.archetype = archetype
        self.argument = argument
        self.detail = detail


@functools.cache
def _descriptors(cls: type[Archetype]) -> dict[str, ComponentDescriptor]:
    """Each field's descriptor, built once per archetype class (logging is a hot path)."""
    short, full = cls.archetype_short_name(), cls.archetype()
    return {
        field: ComponentDescriptor(f"{short}:{field}", full, f"rerun.components.{component_type}")
        for field, component_type in cls._FIELDS
    }


def _defer_errors(init: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(init)
    def guarded(self: Archetype, *args: Any, **kwargs: Any) -> None:
        try:
            init(self, *args, **kwargs)
            if type(self).__init__ is guarded:  # only once, after the outermost constructor
                self._check_instance_counts()
        except ArchetypeError as err:
            if is_strict_mode():
                raise
            self._arrays = {}
            self._rerender_error = err

    return guarded


class ConversionError(ValueError):
    """Raised by the component converters; the archetype turns it into an `ArchetypeError`."""


class Archetype:
    """Base class of every archetype: a set of named component arrays, emitted in rerun-sdk's order.

    Outside strict mode a constructor given bad input does not raise: the archetype keeps the error,
    and `rr.log` reports it as a warning naming the entity, then drops only that call.
    """

    _rerender_error: ArchetypeError | None = None
    # Batches of instances (points, strips, boxes...): the components named here define how many
    # instances there are, and every other one gives a value per instance or one for all of them.
    # Other archetypes (meshes, images, transforms) mix counts freely.
    _INSTANCES_FROM: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is not None:
            cls.__init__ = _defer_errors(init)  # type: ignore[method-assign]

    @classmethod
    def columns(cls, **kwargs: Any) -> ComponentColumnList:
        """The components for `send_columns`: one instance per row, or `.partition(lengths)`."""
        archetype = cls(**kwargs)
        if archetype._rerender_error is not None:
            raise archetype._rerender_error
        return ComponentColumnList(
            ComponentColumn(b.descriptor, b.array) for b in archetype.as_component_batches()
        )

    # (field name, component type without the `rerun.components.` prefix), in rerun-sdk's field order,
    # which is the order `as_component_batches` must reproduce.
    _FIELDS: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init__(self) -> None:
        self._arrays: dict[str, pa.Array] = {}

    @classmethod
    def archetype_short_name(cls) -> str:
        """The short name used in component identifiers, e.g. `Points3D`."""
        return cls.__name__

    @classmethod
    def archetype(cls) -> str:
        """The fully qualified archetype name, e.g. `rerun.archetypes.Points3D`."""
        return f"rerun.archetypes.{cls.archetype_short_name()}"

    def _set(
        self,
        field: str,
        value: Any,
        convert: Callable[..., pa.Array],
        *args: Any,
        argument: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Convert `value` (unless None) into the array of `field`; `argument` is the user-facing name."""
        if value is None:
            return
        name = argument or field
        try:
            array = convert(value, *args, **kwargs)
        except ConversionError as err:
            raise ArchetypeError(self.archetype_short_name(), name, str(err)) from None
        except (ValueError, TypeError, OverflowError, IndexError) as err:
            raise ArchetypeError(self.archetype_short_name(), name, f"could not be converted: {err}") from err
        self._arrays[field] = array

    def _check_instance_counts(self) -> None:
        """Each component has one value per instance, or one value for all instances (or none)."""
        defining = [(name, len(self._arrays[name])) for name in self._INSTANCES_FROM if name in self._arrays]
        if not defining:
            return
        widest, count = max(defining, key=lambda item: item[1])
        for name, array in self._arrays.items():
            if len(array) not in (0, 1, count):
                self._fail(
                    name,
                    f"has {len(array)} values for {count} instances ({widest} has {count}); "
                    f"expected {count}, or 1 for all of them",
                )

    def _fail(self, argument: str, detail: str) -> NoReturn:
        """Raise an `ArchetypeError` for this archetype."""
        raise ArchetypeError(self.archetype_short_name(), argument, detail)

    def as_component_batches(self) -> list[ComponentBatch]:
        """The given components (None arguments omitted), in the same order as rerun-sdk."""
        descriptors = _descriptors(type(self))
        return [
            ComponentBatch(descriptors[field], self._arrays[field])
            for field, _ in self._FIELDS
            if field in self._arrays
        ]

    def __repr__(self) -> str:
        parts = ", ".join(f"{name}={len(array)}" for name, array in self._arrays.items())
        return f"{type(self).__name__}({parts})"
