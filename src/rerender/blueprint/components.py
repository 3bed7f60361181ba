"""`rerender.blueprint.components`, like `rerun.blueprint.components`: every blueprint component of
rerun-sdk 0.41 as a value class.

- the enums (`Corner2D`, `MapProvider`, ...), with rerun's names and values; each converts from a
  member, its int value or its name (any case), as rerun's `.auto` does; the `*Like` aliases name what
  the archetypes accept;
- the one-value components (`LockRangeDuringZoom(True)`, `ZoomLevel(3.0)`, `ActiveTab(path)`), made from
  one table; archetypes take them wherever they take the plain value;
- the structured ones (`TextLogColumn`, `SortBy`, `VisibleTimeRange`, ...): the classes of
  `rerender.blueprint.encodings` and `rerender.encodings` (rerun-sdk subclasses its encodings for these, and
  both construct alike).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np

from rerender.encodings import AbsoluteTimeRange, TimeInt, TimeRange, VisibleTimeRange
from rerender.sdk.enums import AutoEnum

from .encodings import (
    ColumnType,
    ComponentColumnSelector,
    FilterByRange,
    FilterIsNotNull,
    SelectedColumns,
    SortBy,
    TensorDimensionIndexSlider,
    TextLogColumn,
    TimelineColumn,
    VisualizerComponentMapping,
)

__all__ = [
    "SCALAR_COMPONENTS",
    "AbsoluteTimeRange",
    "BackgroundKind",
    "BackgroundKindLike",
    "ColumnDisplayMode",
    "ColumnDisplayModeLike",
    "ColumnOrder",
    "ColumnOrderLike",
    "ColumnType",
    "ComponentColumnSelector",
    "ContainerKind",
    "ContainerKindLike",
    "Corner2D",
    "Corner2DLike",
    "Eye3DKind",
    "Eye3DKindLike",
    "FilterByRange",
    "FilterIsNotNull",
    "LinkAxis",
    "LinkAxisLike",
    "LoopMode",
    "LoopModeLike",
    "MapProvider",
    "MapProviderLike",
    "PanelState",
    "PanelStateLike",
    "PlayState",
    "PlayStateLike",
    "PointsDisplay",
    "PointsDisplayLike",
    "SelectedColumns",
    "SortBy",
    "TableLayoutKind",
    "TableLayoutKindLike",
    "TensorDimensionIndexSlider",
    "TextLogColumn",
    "TimeInt",
    "TimeRange",
    "TimelineColumn",
    "TooltipMode",
    "TooltipModeLike",
    "ViewFit",
    "ViewFitLike",
    "VisibleTimeRange",
    "VisualBounds2D",
    "VisualizerComponentMapping",
]


class BackgroundKind(AutoEnum):
    """How a 3D or 2D view's background is drawn."""

    GradientDark = 1
    GradientBright = 2
    SolidColor = 3


class ColumnDisplayMode(AutoEnum):
    """How a table's column headers are labelled."""

    Compact = 1
    Component = 2
    Full = 3


class ContainerKind(AutoEnum):
    """How a container lays out its children."""

    Tabs = 1
    Horizontal = 2
    Vertical = 3
    Grid = 4


class Corner2D(AutoEnum):
    """One of a view's four corners (where a plot legend goes)."""

    LeftTop = 1
    RightTop = 2
    LeftBottom = 3
    RightBottom = 4


class Eye3DKind(AutoEnum):
    """How the 3D view's eye moves."""

    FirstPerson = 1
    Orbital = 2


class LinkAxis(AutoEnum):
    """Whether a plot's time axis follows the other plots' or its own."""

    Independent = 1
    LinkToGlobal = 2


class LoopMode(AutoEnum):
    """How playback loops."""

    Off = 1
    Selection = 2
    All = 3


class MapProvider(AutoEnum):
    """The tiles a map view draws."""

    OpenStreetMap = 1
    MapboxStreets = 2
    MapboxDark = 3
    MapboxSatellite = 4
    MapboxLight = 5


class PanelState(AutoEnum):
    """Whether a panel is hidden, collapsed or expanded."""

    Hidden = 1
    Collapsed = 2
    Expanded = 3


class PlayState(AutoEnum):
    """Whether time is paused, playing or following the newest data."""

    Paused = 1
    Playing = 2
    Following = 3


class PointsDisplay(AutoEnum):
    """When a plot draws its series' points."""

    OnHover = 1
    Always = 2


class TableLayoutKind(AutoEnum):
    """Whether a table shows rows or cards."""

    Table = 1
    Cards = 2


class TooltipMode(AutoEnum):
    """Which series a plot's tooltip lists."""

    Nearest = 1
    All = 2


class ViewFit(AutoEnum):
    """How the tensor view scales its image into the view."""

    Original = 1
    Fill = 2
    FillKeepAspectRatio = 3


# What the archetypes accept for each enum: a member, its name (any case) or its int value.
BackgroundKindLike = BackgroundKind | str | int
ColumnDisplayModeLike = ColumnDisplayMode | str | int
ContainerKindLike = ContainerKind | str | int
Corner2DLike = Corner2D | str | int
Eye3DKindLike = Eye3DKind | str | int
LinkAxisLike = LinkAxis | str | int
LoopModeLike = LoopMode | str | int
MapProviderLike = MapProvider | str | int
PanelStateLike = PanelState | str | int
PlayStateLike = PlayState | str | int
PointsDisplayLike = PointsDisplay | str | int
TableLayoutKindLike = TableLayoutKind | str | int
TooltipModeLike = TooltipMode | str | int
ViewFitLike = ViewFit | str | int


# ---- one-value components -----------------------------------------------------------------------------


class ScalarComponent:
    """One value of a blueprint component; it converts wherever its plain value is taken."""

    FIELD: ClassVar[str]

    @classmethod
    def component_type(cls) -> str:
        """The component type, e.g. `rerun.blueprint.components.ZoomLevel`."""
        return f"rerun.blueprint.components.{cls.__name__}"

    def plain(self) -> Any:
        """The value itself (bool, float, int, str, or 16 bytes for ids)."""
        return getattr(self, self.FIELD)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return np.asarray(self.plain(), dtype=dtype)

    def __str__(self) -> str:
        return str(self.plain())

    def __bool__(self) -> bool:
        return bool(self.plain())

    def __float__(self) -> float:
        return float(self.plain())

    def __int__(self) -> int:
        return int(self.plain())


def _uuid_value(value: Any) -> bytes:
    return value.bytes if isinstance(value, uuid.UUID) else bytes(value)


# component -> (its field, the type it holds); each becomes a frozen dataclass with that one field.
SCALAR_COMPONENTS: Mapping[str, tuple[str, type]] = MappingProxyType(
    {
        "ActiveTab": ("path", str),
        "AngularSpeed": ("value", float),
        "ApplyLatestAt": ("value", bool),
        "AutoLayout": ("value", bool),
        "AutoScroll": ("value", bool),
        "AutoViews": ("value", bool),
        "ColumnName": ("value", str),
        "ColumnShare": ("value", float),
        "Editable": ("value", bool),
        "Enabled": ("value", bool),
        "ForceDistance": ("value", float),
        "ForceIterations": ("value", int),
        "ForceStrength": ("value", float),
        "Fps": ("value", float),
        "GridColumns": ("value", int),
        "GridSpacing": ("value", float),
        "IncludedContent": ("path", str),
        "LockRangeDuringZoom": ("value", bool),
        "NearClipPlane": ("value", float),
        "PlaybackSpeed": ("value", float),
        "QueryExpression": ("value", str),
        "RootContainer": ("bytes", bytes),
        "RowShare": ("value", float),
        "SqlFilterExpression": ("value", str),
        "TimelineFraction": ("value", float),
        "TimelineName": ("value", str),
        "ViewClass": ("value", str),
        "ViewMaximized": ("bytes", bytes),
        "ViewOrigin": ("path", str),
        "ViewerRecommendationHash": ("value", int),
        "VisualizerInstructionId": ("bytes", bytes),
        "VisualizerType": ("value", str),
        "Volume": ("value", float),
        "ZoomLevel": ("value", float),
    }
)


def _scalar_component(name: str, field: str, kind: type) -> type[ScalarComponent]:
    coerce = _uuid_value if kind is bytes else kind

    def __post_init__(self: ScalarComponent) -> None:
        object.__setattr__(self, field, coerce(getattr(self, field)))

    return dataclasses.make_dataclass(
        name,
        [(field, kind)],
        bases=(ScalarComponent,),
        frozen=True,
        namespace={
            "FIELD": field,
            "__post_init__": __post_init__,
            "__module__": __name__,
            "__doc__": f"One `rerun.blueprint.components.{name}` ({kind.__name__}).",
        },
    )


globals().update({name: _scalar_component(name, *spec) for name, spec in SCALAR_COMPONENTS.items()})
__all__ += sorted(SCALAR_COMPONENTS)


@dataclasses.dataclass(frozen=True)
class ColumnOrder:
    """The order of the dataframe view's entities (their component columns stay grouped)."""

    entity_paths: Sequence[str]

    def __iter__(self) -> Any:
        return iter(self.entity_paths)

    def __len__(self) -> int:
        return len(self.entity_paths)


@dataclasses.dataclass(frozen=True, kw_only=True)
class VisualBounds2D:
    """A 2D area: `x_range` and `y_range`, each [min, max]."""

    x_range: Sequence[float]
    y_range: Sequence[float]


ColumnOrderLike = ColumnOrder | Sequence[str]
