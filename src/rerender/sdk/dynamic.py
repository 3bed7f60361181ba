"""Components named at run time: `AnyBatchValue` (one component from arbitrary data), `DynamicArchetype`
(a custom archetype's fields) and the conversions `AnyValues` shares with them.

Arrow types are inferred as rerun-sdk infers them, and, as there, a component keeps the type of its
first log for the rest of the process: a later value is converted to it, and a later None or empty
value logs an empty array of that type (which clears the component) instead of being dropped.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sized
from dataclasses import dataclass
from typing import Any, Protocol, Self

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from rerender.rrd import ComponentDescriptor

from .columns import ComponentColumn, ComponentColumnList
from .component_types import DescribedComponentBatch
from .protocols import ComponentBatchLike
from .recording import RerenderWarning, dynamic_component_types, is_strict_mode

__all__ = [
    "AnyBatchValue",
    "ComponentValueLike",
    "DescribedComponentBatch",
    "DynamicArchetype",
    "DynamicComponents",
    "component_batches",
    "component_columns",
]


class _SupportsDLPack(Protocol):
    """Tensors that hand their memory over through DLPack (torch, jax, cupy ...)."""

    def __dlpack__(self, *args: Any, **kwargs: Any) -> Any: ...


ComponentValueLike = ComponentBatchLike | pa.Array | npt.ArrayLike | _SupportsDLPack
"""What a dynamic component's value may be: a component batch, an Arrow array, anything numpy or
pyarrow can convert (numbers, strings, bytes, sequences, arrays), or a DLPack tensor."""


@dataclass(frozen=True)
class _InferredType:
    """The Arrow type a component was logged with; `numpy_dtype` when it came through numpy, so that
    later values go through the same numpy conversion."""

    arrow_type: pa.DataType
    numpy_dtype: np.dtype | None = None


class _ConversionFailed(ValueError):
    """A value that cannot become an Arrow array (reported as a warning, or raised in strict mode)."""


def _warn_or_raise(context: str, error: Exception) -> None:
    """rerun-sdk's handling of bad dynamic data: a warning naming what failed, or an error in strict mode."""
    if is_strict_mode():
        raise ValueError(f"{context}: {error}") from error
    warnings.warn(f"{context}: {error}", RerenderWarning, stacklevel=3)


def _known_type(descriptor: ComponentDescriptor, *, expect_column: bool) -> _InferredType | None:
    known = dynamic_component_types().get(descriptor)
    if known is not None and expect_column:
        # Columns are parsed with their row dimension: the stored type gets its list back.
        return _InferredType(pa.list_(known.arrow_type))
    return known


def _remember_type(descriptor: ComponentDescriptor, inferred: _InferredType, *, expect_column: bool) -> None:
    if expect_column and pa.types.is_list(inferred.arrow_type):
        inferred = _InferredType(inferred.arrow_type.value_type)  # the row dimension is not the type
    types = dynamic_component_types()
    previous = types.get(descriptor)
    if previous is not None and previous != inferred:
        _warn_or_raise(
            f"Type for '{descriptor}'",
            _ConversionFailed(
                f"changed from {previous} to {inferred}; a component keeps the type it was first logged with"
            ),
        )
    types[descriptor] = inferred


def _infer_array(value: Any, known: _InferredType | None) -> tuple[pa.Array, _InferredType]:
    """`value` as an Arrow array, trying what rerun-sdk tries, in its order."""
    arrow_type = known.arrow_type if known else None
    numpy_dtype = known.numpy_dtype if known else None
    if hasattr(value, "__dlpack__"):  # numpy arrays and GPU tensors: no copy where possible
        try:
            array = pa.array(np.from_dlpack(value), type=arrow_type)
            return array, _InferredType(array.type)
        except (pa.ArrowInvalid, TypeError, BufferError):
            pass
    if not isinstance(value, str | bytes):  # pyarrow would split a string into characters
        try:
            array = pa.array(value, type=arrow_type)
        except (pa.ArrowInvalid, TypeError):
            pass
        else:
            if is_strict_mode() and array.type == pa.null():
                raise _ConversionFailed(f"{value!r} gives an Arrow array of nulls, which has no type")
            return array, _InferredType(array.type)
    try:
        array = pa.array([pa.scalar(value)], type=arrow_type)  # a single value
        return array, _InferredType(array.type)
    except (pa.ArrowInvalid, TypeError):
        pass
    # Last resort: let numpy make a regular array of mixed lists and tuples.
    as_numpy = np.atleast_1d(np.asarray(value, dtype=numpy_dtype))
    try:
        array = pa.array(as_numpy, type=arrow_type)
    except pa.ArrowInvalid as err:
        raise _ConversionFailed(f"cannot convert {as_numpy} to an Arrow array of type {arrow_type}") from err
    except pa.ArrowNotImplementedError as err:
        if numpy_dtype is None:
            raise _ConversionFailed(
                f"cannot convert {value!r} to an Arrow array of type {arrow_type}, "
                "the type this component was first logged with"
            ) from err
        raise
    return array, _InferredType(array.type, as_numpy.dtype)


def _is_untyped(value: Any) -> bool:
    return value is None or (isinstance(value, Sized) and len(value) == 0)


class AnyBatchValue(ComponentBatchLike):
    """One component batch from arbitrary data, under a descriptor (or just a component name).

    Component batches and Arrow arrays are taken as they are; anything else is converted as rerun-sdk
    does (see the module docstring for how types persist). A value that cannot be converted warns (or
    raises in strict mode) and leaves the batch invalid: `as_arrow_array()` is None and `rr.log` skips it.
    """

    def __init__(
        self,
        descriptor: str | ComponentDescriptor,
        value: Any,
        *,
        drop_untyped_nones: bool = True,
        expect_column: bool = False,
    ) -> None:
        if not isinstance(descriptor, ComponentDescriptor):
            descriptor = ComponentDescriptor(str(descriptor))
        self.descriptor = descriptor
        self.pa_array: pa.Array | None = None
        try:
            self.pa_array = self._convert(value, drop_untyped_nones, expect_column)
        except (ValueError, TypeError, OverflowError, BufferError, pa.ArrowException) as err:
            _warn_or_raise(f"Converting data for '{descriptor}'", err)

    def _convert(self, value: Any, drop_untyped_nones: bool, expect_column: bool) -> pa.Array | None:
        if isinstance(value, pa.Array):
            return value
        if hasattr(value, "as_arrow_array"):
            return value.as_arrow_array()
        known = _known_type(self.descriptor, expect_column=expect_column)
        if known is None and _is_untyped(value):
            if not drop_untyped_nones:
                raise _ConversionFailed(f"cannot convert {value!r} to an Arrow array without a known type")
            return None  # nothing to infer a type from: dropped
        array, inferred = _infer_array([] if value is None else value, known)
        _remember_type(self.descriptor, inferred, expect_column=expect_column)
        return array

    def is_valid(self) -> bool:
        """Whether the value was converted (False: it was dropped or failed)."""
        return self.pa_array is not None

    def component_descriptor(self) -> ComponentDescriptor:
        """The descriptor naming the component's column."""
        return self.descriptor

    def as_arrow_array(self) -> pa.Array | None:
        """The values, or None if the batch is invalid."""
        return self.pa_array

    @classmethod
    def column(
        cls,
        descriptor: str | ComponentDescriptor,
        value: Any,
        drop_untyped_nones: bool = True,
    ) -> ComponentColumn | None:
        """The value as a `send_columns` column: its outer dimension is the rows (a flat sequence gives one
        value per row, a list of lists one list per row); None if it cannot be converted."""
        if value is not None and not isinstance(value, pa.Array | str | bytes):
            try:
                as_numpy = np.asarray(value)
            except ValueError:  # ragged: already one list per row
                as_numpy = None
            if as_numpy is not None and as_numpy.ndim == 1 and as_numpy.dtype.kind != "O":
                value = [[item] for item in value]  # so that every column is parsed as list<T>
        batch = cls(descriptor, value, drop_untyped_nones=drop_untyped_nones, expect_column=True)
        array = batch.pa_array
        if array is None:
            return None
        if pa.types.is_list(array.type):
            offsets = array.offsets.to_numpy()
            values = array.values.slice(int(offsets[0]), int(offsets[-1] - offsets[0]))
            return ComponentColumn(batch.descriptor, values, np.diff(offsets).astype(np.int64))
        return ComponentColumn(batch.descriptor, array)


def _descriptor(name: str, archetype: str | None, component_type: str | None = None) -> ComponentDescriptor:
    descriptor = ComponentDescriptor(name, component_type=component_type)
    return descriptor if archetype is None else descriptor.with_builtin_archetype(archetype)


def component_batches(
    components: Mapping[str, Any],
    *,
    archetype: str | None,
    drop_untyped_nones: bool,
) -> list[DescribedComponentBatch]:
    """One described batch per convertible value, named `<archetype short name>:<name>` under an archetype
    (as `DynamicArchetype` names them) or just `<name>` without one (as `AnyValues` does)."""
    batches = (
        AnyBatchValue(_descriptor(name, archetype), value, drop_untyped_nones=drop_untyped_nones)
        for name, value in components.items()
    )
    return [DescribedComponentBatch(b, b.descriptor) for b in batches if b.is_valid()]


def component_columns(
    components: Mapping[str, Any],
    *,
    archetype: str | None,
    drop_untyped_nones: bool,
) -> ComponentColumnList:
    """`component_batches` as `send_columns` columns (see `AnyBatchValue.column`)."""
    columns = [
        AnyBatchValue.column(_descriptor(name, archetype), value, drop_untyped_nones=drop_untyped_nones)
        for name, value in components.items()
    ]
    return ComponentColumnList(c for c in columns if c is not None)


class DynamicComponents:
    """What `DynamicArchetype` and `AnyValues` share: components from arbitrary data, gathered in order,
    tagged with an archetype when there is one."""

    def __init__(
        self, archetype: str | None, drop_untyped_nones: object, components: Mapping[str, Any] | None
    ) -> None:
        self._archetype = archetype
        self._batches: list[DescribedComponentBatch] = []
        if not isinstance(drop_untyped_nones, bool | None):
            # rerun-sdk's guard against components given positionally where the flag goes.
            _warn_or_raise(
                type(self).__name__,
                TypeError(
                    f"got a positional argument of type {type(drop_untyped_nones).__name__} for "
                    "drop_untyped_nones; give the components by keyword"
                ),
            )
        elif components is not None:
            self._batches = component_batches(
                components, archetype=archetype, drop_untyped_nones=bool(drop_untyped_nones)
            )

    def _add(self, descriptor: ComponentDescriptor, value: Any, drop_untyped_nones: bool) -> None:
        batch = AnyBatchValue(descriptor, value, drop_untyped_nones=drop_untyped_nones)
        if batch.is_valid():
            self._batches.append(DescribedComponentBatch(batch, batch.descriptor))

    def with_component_from_data(
        self, field: str, value: ComponentValueLike | None, *, drop_untyped_nones: bool = True
    ) -> Self:
        """Add one more component named `field` (under the archetype, if any); returns self."""
        self._add(_descriptor(field, self._archetype), value, drop_untyped_nones)
        return self

    def with_component_override(
        self,
        field: str,
        component_type: str,
        value: ComponentValueLike | None,
        *,
        drop_untyped_nones: bool = True,
    ) -> Self:
        """Add one more component with an explicit component type; returns self."""
        self._add(_descriptor(field, self._archetype, component_type), value, drop_untyped_nones)
        return self

    def as_component_batches(self) -> list[DescribedComponentBatch]:
        """The components, in the order given; warns (or raises in strict mode) when there are none."""
        if not self._batches:
            _warn_or_raise(type(self).__name__, _ConversionFailed("no valid component batches to log"))
        return list(self._batches)

    def __repr__(self) -> str:
        parts = ", ".join(f"{b.descriptor.component}={len(b.array)}" for b in self._batches)
        return f"{type(self).__name__}({parts})"


class DynamicArchetype(DynamicComponents):
    """A custom archetype: named components logged together, each tagged with the archetype's name.

    `rr.DynamicArchetype("MyThing", components={"confidence": [0.5, 0.9], "label": "a"})` logs the
    components `MyThing:confidence` and `MyThing:label` with archetype `MyThing`, exactly as rerun-sdk
    does. Values are converted as `AnyBatchValue` converts them; component batches
    (`rr.components.ColorBatch(...)`) keep their own Arrow type.
    """

    def __init__(
        self,
        archetype: str,
        drop_untyped_nones: bool = True,
        components: Mapping[str, ComponentValueLike | None] | None = None,
    ) -> None:
        super().__init__(archetype, drop_untyped_nones, components)

    @classmethod
    def columns(
        cls,
        archetype: str,
        drop_untyped_nones: bool = True,
        components: Mapping[str, ComponentValueLike | None] | None = None,
    ) -> ComponentColumnList:
        """The components as `send_columns` columns, one row per element of each value's outer dimension."""
        return component_columns(components or {}, archetype=archetype, drop_untyped_nones=drop_untyped_nones)
