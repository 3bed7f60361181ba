"""`rerender.blueprint.encodings`, like `rerun.blueprint.encodings`: the structured values some blueprint
components hold (dataframe column selectors, text log columns, sort orders, visualizer mappings).

Each is a dataclass with rerun-sdk's constructor and attribute names; `struct_array(cls, value)` turns
one value or a sequence of them into rerun-sdk's Arrow struct array (items that are not yet values go
through the class's constructor, as rerun-sdk's batches do).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, SupportsInt, TypeVar

import pyarrow as pa

from rerender.encodings import TimeInt
from rerender.sdk.enums import AutoEnum

__all__ = [
    "ColumnType",
    "ColumnTypeLike",
    "ComponentColumnSelector",
    "ComponentColumnSelectorLike",
    "ComponentSourceKind",
    "ComponentSourceKindLike",
    "FilterByRange",
    "FilterByRangeLike",
    "FilterIsNotNull",
    "FilterIsNotNullLike",
    "SelectedColumns",
    "SelectedColumnsLike",
    "SortBy",
    "SortByLike",
    "SortDirection",
    "SortDirectionLike",
    "TensorDimensionIndexSlider",
    "TensorDimensionIndexSliderLike",
    "TextLogColumn",
    "TextLogColumnKind",
    "TextLogColumnKindLike",
    "TextLogColumnLike",
    "TimelineColumn",
    "TimelineColumnLike",
    "VisualizerComponentMapping",
    "VisualizerComponentMappingLike",
    "column_orders",
    "selected_columns",
    "struct_array",
]


class SortDirection(AutoEnum):
    """Which way a table's rows are sorted."""

    Ascending = 1
    Descending = 2


class TextLogColumnKind(AutoEnum):
    """A column of the text log view."""

    EntityPath = 1
    LogLevel = 2
    Body = 3


class ComponentSourceKind(AutoEnum):
    """Where a visualizer takes a component from."""

    SourceComponent = 1
    Override = 2
    Default = 3
    AnnotationContext = 4


def _enum_value(value: AutoEnum | None) -> int | None:
    return None if value is None else value.value


class StructEncoding(Protocol):
    """A value with an Arrow struct type and its row as a dict of plain Python values."""

    ARROW_TYPE: ClassVar[pa.StructType]

    def arrow_row(self) -> dict[str, Any]: ...


V = TypeVar("V", bound=StructEncoding)

SELECTOR_TYPE = pa.struct(
    [pa.field("entity_path", pa.utf8(), nullable=False), pa.field("component", pa.utf8(), nullable=False)]
)


@dataclass(frozen=True, init=False)
class ComponentColumnSelector:
    """A dataframe component column: `"<entity path>:<component>"`, or both parts given by name."""

    ARROW_TYPE: ClassVar[pa.StructType] = SELECTOR_TYPE

    entity_path: str
    component: str

    def __init__(
        self, spec: str | None = None, *, entity_path: str | None = None, component: str | None = None
    ) -> None:
        if spec is not None:
            if entity_path is not None or component is not None:
                raise ValueError("Either `spec` or both `entity_path` and `component` must be provided.")
            if not isinstance(spec, str):
                raise ValueError(f"Unexpected input value (`spec` must be a string): {spec}")
            parts = spec.split(":")
            if len(parts) != 2:
                raise ValueError(f"Invalid component column specifier: {spec}")
            entity_path, component = parts
        elif entity_path is None or component is None:
            raise ValueError("Both `entity_path` and `component` must be provided.")
        object.__setattr__(self, "entity_path", str(entity_path))
        object.__setattr__(self, "component", str(component))

    def arrow_row(self) -> dict[str, Any]:
        return {"entity_path": self.entity_path, "component": self.component}


def _selector(value: Any) -> ComponentColumnSelector:
    return value if isinstance(value, ComponentColumnSelector) else ComponentColumnSelector(value)


@dataclass(frozen=True)
class FilterByRange:
    """Keep only the rows between two times of the query's timeline."""

    ARROW_TYPE: ClassVar[pa.StructType] = pa.struct(
        [pa.field("start", pa.int64(), nullable=False), pa.field("end", pa.int64(), nullable=False)]
    )

    start: TimeInt | SupportsInt
    end: TimeInt | SupportsInt

    def arrow_row(self) -> dict[str, Any]:
        return {"start": int(self.start), "end": int(self.end)}


@dataclass(frozen=True)
class FilterIsNotNull:
    """Keep only the rows where `column` has data (while `active`)."""

    ARROW_TYPE: ClassVar[pa.StructType] = pa.struct(
        [pa.field("active", pa.bool_(), nullable=False), pa.field("column", SELECTOR_TYPE, nullable=False)]
    )

    active: bool
    column: ComponentColumnSelector

    def __post_init__(self) -> None:
        object.__setattr__(self, "active", bool(self.active))
        object.__setattr__(self, "column", _selector(self.column))

    def arrow_row(self) -> dict[str, Any]:
        return {"active": self.active, "column": self.column.arrow_row()}


@dataclass(frozen=True, init=False)
class SelectedColumns:
    """The dataframe columns shown: time columns by timeline name, component columns by selector."""

    ARROW_TYPE: ClassVar[pa.StructType] = pa.struct(
        [
            pa.field("time_columns", pa.list_(pa.field("item", pa.utf8(), nullable=False)), nullable=False),
            pa.field(
                "component_columns", pa.list_(pa.field("item", SELECTOR_TYPE, nullable=False)), nullable=False
            ),
        ]
    )

    time_columns: tuple[str, ...]
    component_columns: tuple[ComponentColumnSelector, ...]

    def __init__(self, columns: Sequence[ComponentColumnSelector | str]) -> None:
        times: list[str] = []
        components: list[ComponentColumnSelector] = []
        for column in columns:
            if isinstance(column, ComponentColumnSelector):
                components.append(column)
            elif isinstance(column, str):
                # A string that reads as "<entity>:<component>" is a component column, else a timeline.
                try:
                    components.append(ComponentColumnSelector(column))
                except ValueError:
                    times.append(column)
            else:
                raise ValueError(f"Unexpected column type: {column}")
        object.__setattr__(self, "time_columns", tuple(times))
        object.__setattr__(self, "component_columns", tuple(components))

    def arrow_row(self) -> dict[str, Any]:
        return {
            "time_columns": list(self.time_columns),
            "component_columns": [c.arrow_row() for c in self.component_columns],
        }


@dataclass(frozen=True)
class SortBy:
    """The column a table is sorted by, and the direction (the viewer sorts ascending when unset)."""

    ARROW_TYPE: ClassVar[pa.StructType] = pa.struct(
        [pa.field("column", pa.utf8(), nullable=False), pa.field("direction", pa.uint8(), nullable=True)]
    )

    column: str
    direction: SortDirection | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column", str(self.column))
        if self.direction is not None:
            object.__setattr__(self, "direction", SortDirection.auto(self.direction))

    def arrow_row(self) -> dict[str, Any]:
        return {"column": self.column, "direction": _enum_value(self.direction)}


@dataclass(frozen=True)
class TensorDimensionIndexSlider:
    """A tensor dimension that gets a slider in the tensor view."""

    ARROW_TYPE: ClassVar[pa.StructType] = pa.struct([pa.field("dimension", pa.uint32(), nullable=False)])

    dimension: int

    def arrow_row(self) -> dict[str, Any]:
        return {"dimension": int(self.dimension)}


@dataclass(frozen=True)
class TextLogColumn:
    """A column of the text log view (entity path, level or body) and whether it is shown."""

    ARROW_TYPE: ClassVar[pa.StructType] = pa.struct(
        [pa.field("visible", pa.bool_(), nullable=False), pa.field("kind", pa.uint8(), nullable=False)]
    )

    kind: TextLogColumnKind
    visible: bool = field(default=True, kw_only=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", TextLogColumnKind.auto(self.kind))
        object.__setattr__(self, "visible", bool(self.visible))

    def arrow_row(self) -> dict[str, Any]:
        return {"visible": self.visible, "kind": self.kind.value}


@dataclass(frozen=True)
class TimelineColumn:
    """A timeline's column in the text log view and whether it is shown."""

    ARROW_TYPE: ClassVar[pa.StructType] = pa.struct(
        [pa.field("visible", pa.bool_(), nullable=False), pa.field("timeline", pa.utf8(), nullable=False)]
    )

    timeline: str
    visible: bool = field(default=True, kw_only=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "timeline", str(self.timeline))
        object.__setattr__(self, "visible", bool(self.visible))

    def arrow_row(self) -> dict[str, Any]:
        return {"visible": self.visible, "timeline": self.timeline}


@dataclass(frozen=True)
class VisualizerComponentMapping:
    """Where a visualizer takes its `target` component from (experimental in rerun-sdk too)."""

    ARROW_TYPE: ClassVar[pa.StructType] = pa.struct(
        [
            pa.field("target", pa.utf8(), nullable=False),
            pa.field("source_kind", pa.uint8(), nullable=False),
            pa.field("source_component", pa.utf8(), nullable=True),
            pa.field("selector", pa.utf8(), nullable=True),
        ]
    )

    target: str
    source_kind: ComponentSourceKind
    source_component: str | None = field(default=None, kw_only=True)
    selector: str | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "target", str(self.target))
        object.__setattr__(self, "source_kind", ComponentSourceKind.auto(self.source_kind))

    def arrow_row(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "source_kind": self.source_kind.value,
            "source_component": self.source_component,
            "selector": self.selector,
        }


@dataclass(frozen=True)
class ColumnType:
    """The component a table column holds: its component (descriptor) name and/or component type."""

    ARROW_TYPE: ClassVar[pa.StructType] = pa.struct(
        [pa.field("component", pa.utf8()), pa.field("component_type_name", pa.utf8())]
    )

    component: str | None = field(default=None, kw_only=True)
    component_type_name: str | None = field(default=None, kw_only=True)

    def arrow_row(self) -> dict[str, Any]:
        return {"component": self.component, "component_type_name": self.component_type_name}


# What the archetypes and the other values accept for each (rerun-sdk's `*Like` aliases).
ColumnTypeLike = ColumnType
ComponentColumnSelectorLike = ComponentColumnSelector | str
ComponentSourceKindLike = ComponentSourceKind | str | int
FilterByRangeLike = FilterByRange
FilterIsNotNullLike = FilterIsNotNull | ComponentColumnSelector | str
SelectedColumnsLike = SelectedColumns | Sequence[ComponentColumnSelector | str]
SortByLike = SortBy
SortDirectionLike = SortDirection | str | int
TensorDimensionIndexSliderLike = TensorDimensionIndexSlider | int
TextLogColumnKindLike = TextLogColumnKind | str | int
TextLogColumnLike = TextLogColumn | TextLogColumnKindLike
TimelineColumnLike = TimelineColumn | str
VisualizerComponentMappingLike = VisualizerComponentMapping


# ---- Arrow --------------------------------------------------------------------------------------------


def struct_array(value: Any, cls: type[V]) -> pa.Array:
    """One value of `cls` or a sequence of them; other items are passed to `cls(item)`."""
    single = isinstance(value, cls | str) or not isinstance(value, Sequence)
    items = [value] if single else list(value)
    rows = [(item if isinstance(item, cls) else cls(item)).arrow_row() for item in items]  # type: ignore[call-arg]
    return pa.array(rows, type=cls.ARROW_TYPE)


def selected_columns(value: Any) -> pa.Array:
    """A `SelectedColumns`, or the list of columns of one (timeline names, selectors, "entity:component")."""
    if isinstance(value, SelectedColumns):
        return struct_array(value, SelectedColumns)
    try:
        return struct_array(SelectedColumns(value), SelectedColumns)
    except ValueError:  # a list of several column lists
        return struct_array(
            [v if isinstance(v, SelectedColumns) else SelectedColumns(v) for v in value], SelectedColumns
        )


def column_orders(value: Any) -> pa.Array:
    """One list of entity paths (the dataframe view's entity order) as `List<utf8>`."""
    return pa.array(
        [[str(path) for path in value]], type=pa.list_(pa.field("item", pa.utf8(), nullable=False))
    )
