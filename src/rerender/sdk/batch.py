"""The archetype base class, the component batch it produces, and the error raised on bad input."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, NoReturn

import numpy as np
import pyarrow as pa

from rerender.rrd import ComponentDescriptor

from .columns import ComponentColumn, ComponentColumnList
from .recording import is_strict_mode

__all__ = ["Archetype", "ArchetypeError", "ComponentBatch", "ConversionError", "Field"]


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


class Field:
    """One field of an archetype's table: its name, component type and converter (with extra arguments).

    `Field("positions", "Position3D", c.vectors, 3, noun="points")` converts a value with
    `c.vectors(value, 3, noun="points")`; the component type omits the `rerun.components.` prefix.
    """

    __slots__ = ("args", "component", "convert", "kwargs", "name")

    def __init__(
        self, name: str, component: str, convert: Callable[..., pa.Array], *args: Any, **kwargs: Any
    ) -> None:
        self.name = name
        self.component = component
        self.convert = convert
        self.args = args
        self.kwargs = kwargs

    def __repr__(self) -> str:
        return f"Field({self.name!r}, {self.component!r}, {getattr(self.convert, '__name__', self.convert)})"


@functools.cache
def _descriptors(cls: type[Archetype]) -> dict[str, ComponentDescriptor]:
    """Each field's descriptor, built once per archetype class (logging is a hot path)."""
    short, full = cls.archetype_short_name(), cls.archetype()
    return {
        f.name: ComponentDescriptor(f"{short}:{f.name}", full, f"rerun.components.{f.component}")
        for f in cls._FIELDS
    }


@functools.cache
def _field_table(cls: type[Archetype]) -> dict[str, Field]:
    """The archetype's fields by name, in rerun-sdk's order."""
    return {f.name: f for f in cls._FIELDS}


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

    # The archetype's schema, one `Field` (name, component type, converter) per component, in rerun-sdk's
    # field order, which is the order `as_component_batches` must reproduce. The constructors convert
    # their fields with it (`_set_field`), and `from_fields`, `cleared`, `update_fields` and `columns`
    # are derived from it.
    _FIELDS: ClassVar[tuple[Field, ...]] = ()

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

    def _set_field(self, field: str, value: Any, *, argument: str | None = None) -> None:
        """Convert `value` (unless None) with the field's converter from the table."""
        if value is None:  # most optional arguments are not given
            return
        spec = _field_table(type(self))[field]
        self._set(field, value, spec.convert, *spec.args, argument=argument, **spec.kwargs)

    @classmethod
    def _check_field_names(cls, method: str, fields: dict[str, Any]) -> None:
        unknown = sorted(set(fields) - set(_field_table(cls)))
        if unknown:
            raise TypeError(f"{cls.__name__}.{method}() got unexpected field(s) {', '.join(unknown)}")

    @classmethod
    def _from_field_values(cls, fields: dict[str, Any], *, clear_unset: bool) -> Any:
        """An instance with exactly the given fields converted (None: left unset, or cleared)."""
        inst = cls.__new__(cls)
        Archetype.__init__(inst)
        try:
            for name in _field_table(cls):
                value = fields.get(name)
                if value is None and clear_unset:
                    value = []
                inst._set_field(name, value)
        except ArchetypeError as err:
            if is_strict_mode():
                raise
            inst._arrays = {}
            inst._rerender_error = err
        return inst

    @classmethod
    def from_fields(cls, *, clear_unset: bool = False, **fields: Any) -> Any:
        """An update of only the given fields (every field is optional; no constructor defaults apply).

        With `clear_unset=True`, every field not given (or None) is logged as an empty array, which
        clears that component.
        """
        cls._check_field_names("from_fields", fields)
        return cls._from_field_values(fields, clear_unset=clear_unset)

    @classmethod
    def update_fields(cls, *, clear_unset: bool = False, **fields: Any) -> Any:
        """The same as `from_fields` (its name before rerun-sdk 0.23)."""
        cls._check_field_names("update_fields", fields)
        return cls._from_field_values(fields, clear_unset=clear_unset)

    @classmethod
    def cleared(cls) -> Any:
        """Every field as an empty array: logging this clears all of the archetype's components."""
        return cls._from_field_values({}, clear_unset=True)

    @classmethod
    def columns(cls, **fields: Any) -> ComponentColumnList:
        """The components for `send_columns`, by field name (any subset of the fields).

        As in rerun-sdk, rows follow the input's shape: for numbers and fixed-size vectors the first
        dimension is the row count (e.g. positions of shape (rows, n, 3) give n points per row), any
        other component has one instance per row; `.partition(lengths)` regroups them.
        """
        cls._check_field_names("columns", fields)
        archetype = cls._from_field_values(fields, clear_unset=False)
        if archetype._rerender_error is not None:
            raise archetype._rerender_error
        descriptors = _descriptors(cls)
        columns = []
        for f in cls._FIELDS:
            array = archetype._arrays.get(f.name)
            if array is None:
                continue
            column = ComponentColumn(descriptors[f.name], array)
            lengths = _row_lengths(fields[f.name], array)
            columns.append(column if lengths is None else column.partition(lengths))
        return ComponentColumnList(columns)

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
            ComponentBatch(descriptors[f.name], self._arrays[f.name])
            for f in self._FIELDS
            if f.name in self._arrays
        ]

    def __repr__(self) -> str:
        parts = ", ".join(f"{name}={len(array)}" for name, array in self._arrays.items())
        return f"{type(self).__name__}({parts})"


def _row_lengths(value: Any, array: pa.Array) -> np.ndarray | None:
    """rerun-sdk's row sizes for a column of `columns()`: None for one instance per row."""
    if not (pa.types.is_primitive(array.type) or pa.types.is_fixed_size_list(array.type)):
        return None
    try:
        shape = np.shape(value)
    except ValueError:  # ragged input
        return None
    rows = shape[0] if len(shape) >= 1 else 1
    if pa.types.is_fixed_size_list(array.type):
        flat = int(np.prod(shape[1:])) if len(shape) > 1 else 1
        per_row = 1 if array.type.list_size == flat else (shape[1] if len(shape) > 1 else 1)
    else:
        per_row = len(array) // rows if rows > 0 else 1
    lengths = np.full(rows, per_row, dtype=np.int64)
    if int(lengths.sum()) != len(array) or (per_row == 1 and rows == len(array)):
        return None  # one instance per row, or a shape the sizes cannot be read from
    return lengths
