"""Everything else: `Scalars`, `Clear` and the archetype-less `AnyValues`."""

from __future__ import annotations

from typing import Any

from .. import components as c
from ..batch import Archetype, Field
from ..columns import ComponentColumnList
from ..dynamic import DescribedComponentBatch, DynamicComponents, component_columns


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


class AnyValues(DynamicComponents):
    """Arbitrary named values logged as components without archetype or component type.

    Values convert as `rr.AnyBatchValue` converts them (rerun-sdk's inference, and a component keeps
    the Arrow type of its first log); a value that cannot be converted is dropped with a warning.
    """

    def __init__(self, drop_untyped_nones: bool = True, **kwargs: Any) -> None:
        super().__init__(None, drop_untyped_nones, kwargs)

    def with_component_from_data(
        self, descriptor: str, value: Any, *, drop_untyped_nones: bool = True
    ) -> AnyValues:
        """Add one more value, named `descriptor`; returns self."""
        return super().with_component_from_data(descriptor, value, drop_untyped_nones=drop_untyped_nones)

    @property
    def component_batches(self) -> list[DescribedComponentBatch]:
        """The same as `as_component_batches()`."""
        return self.as_component_batches()

    @classmethod
    def columns(cls, drop_untyped_nones: bool = True, **kwargs: Any) -> ComponentColumnList:
        """The values as `send_columns` columns: each value's outer dimension is the rows."""
        return component_columns(kwargs, archetype=None, drop_untyped_nones=drop_untyped_nones)
