"""Everything else: `Scalars`, `Clear` and the archetype-less `AnyValues`."""

from __future__ import annotations

from collections.abc import Sized
from typing import Any

import numpy as np
import pyarrow as pa

from rerender.rrd import ComponentDescriptor

from .. import components as c
from ..batch import Archetype, ArchetypeError, ComponentBatch, Field


class Scalars(Archetype):
    """One or more scalar values (e.g. for time series plots), logged as f64."""

    _FIELDS = (Field("scalars", "Scalar", c.float64s),)

    def __init__(self, scalars: Any) -> None:
        super().__init__()
        self._set_field("scalars", scalars)


class Clear(Archetype):
    """Clears the components of an entity (and, if recursive, of all its descendants)."""

    _FIELDS = (Field("is_recursive", "ClearIsRecursive", c.bools),)

    def __init__(self, *, recursive: bool) -> None:
        super().__init__()
        self._set_field("is_recursive", recursive, argument="recursive")

    @staticmethod
    def flat() -> Clear:
        """A clear of this entity only."""
        return Clear(recursive=False)

    @staticmethod
    def recursive() -> Clear:  # type: ignore[override]
        """A clear of this entity and all its descendants."""
        return Clear(recursive=True)


class AnyValues:
    """Arbitrary named values logged as components without archetype or component type."""

    def __init__(self, drop_untyped_nones: bool = True, **kwargs: Any) -> None:
        self._batches: list[ComponentBatch] = []
        for name, value in kwargs.items():
            if value is None or (
                isinstance(value, Sized) and not isinstance(value, pa.Array) and len(value) == 0
            ):
                if not drop_untyped_nones:
                    raise ArchetypeError(
                        "AnyValues", name, f"is {value!r}; its Arrow type cannot be inferred"
                    )
                continue
            self._batches.append(ComponentBatch(ComponentDescriptor(name), _any_array(name, value)))

    def as_component_batches(self) -> list[ComponentBatch]:
        """One batch per given (non-empty) value, in argument order."""
        return list(self._batches)


def _any_array(name: str, value: Any) -> pa.Array:
    """An Arrow array for an arbitrary value, inferring the type the way rerun-sdk does."""
    if isinstance(value, pa.Array):
        return value
    if hasattr(value, "as_arrow_array"):
        return value.as_arrow_array()
    if not isinstance(value, (str, bytes)):
        try:
            return pa.array(value)  # sequences and 1-D arrays: one instance per element
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
            pass
    try:
        return pa.array([pa.scalar(value)])  # a single value (number, string, bytes, ...)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        pass
    try:
        return pa.array(np.atleast_1d(np.asarray(value)))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError, TypeError) as err:
        raise ArchetypeError("AnyValues", name, f"could not be converted to an Arrow array: {err}") from None
