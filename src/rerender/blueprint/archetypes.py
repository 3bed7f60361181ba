"""`rerender.blueprint.archetypes`, like `rerun.blueprint.archetypes`: every blueprint archetype of
rerun-sdk 0.41, logged as rerun-sdk logs it.

Each declares its schema as one `Field` table (as the entity archetypes of `rerender.sdk.archetypes` do),
in rerun-sdk's field order, with the full component type (some `rerun.blueprint.components.*`, some
plain `rerun.components.*`) and the converter giving rerun-sdk's Arrow type. Components are logged
under `<Archetype>:<field>` with archetype `rerun.blueprint.archetypes.<Name>`. The view properties
(`Background`, `TimeAxis`, `TensorSliceSelection`, ...) are what users pass to views; the others are
what views, containers, panels and visualizer overrides log for themselves.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import uuid
import warnings
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from rerender.rrd import ComponentDescriptor
from rerender.sdk import components as c
from rerender.sdk.batch import Archetype, ComponentBatch, ConversionError, Field
from rerender.sdk.columns import ComponentColumnList
from rerender.sdk.components_structs import (
    TENSOR_DIMENSION_INDEX_SELECTION,
    TENSOR_DIMENSION_SELECTION,
    absolute_time_ranges,
    structs,
    time_ranges,
    visible_time_ranges,
)
from rerender.sdk.datatypes import TensorDimensionIndexSelection, TensorDimensionSelection
from rerender.sdk.enums import Colormap, MagnificationFilter
from rerender.sdk.recording import RerenderWarning, is_strict_mode
from rerender.sdk.time_ranges import VisibleTimeRange

from .components import (
    BackgroundKind,
    ColumnDisplayMode,
    ContainerKind,
    Corner2D,
    Eye3DKind,
    LinkAxis,
    LoopMode,
    MapProvider,
    PanelState,
    PlayState,
    PointsDisplay,
    TableLayoutKind,
    TooltipMode,
    ViewFit,
)
from .encodings import (
    ColumnType,
    ComponentColumnSelector,
    FilterByRange,
    FilterIsNotNull,
    SortBy,
    TensorDimensionIndexSlider,
    TextLogColumn,
    TimelineColumn,
    VisualizerComponentMapping,
    column_orders,
    selected_columns,
    struct_array,
)

__all__ = [
    "ActiveVisualizers",
    "AudioPlayback",
    "Background",
    "BlueprintArchetype",
    "CardLayout",
    "ContainerBlueprint",
    "DataframeQuery",
    "EntityBehavior",
    "EyeControls3D",
    "ForceCenter",
    "ForceCollisionRadius",
    "ForceLink",
    "ForceManyBody",
    "ForcePosition",
    "GraphBackground",
    "LineGrid3D",
    "MapBackground",
    "MapZoom",
    "NearClipPlane",
    "PanelBlueprint",
    "PlotBackground",
    "PlotInteraction",
    "PlotLegend",
    "PreviewsConfig",
    "ScalarAxis",
    "SpatialInformation",
    "TableBlueprint",
    "TableColumn",
    "TableColumnPreview",
    "TableLayout",
    "TensorScalarMapping",
    "TensorSliceSelection",
    "TensorViewFit",
    "TextDocumentFormat",
    "TextLogColumns",
    "TextLogFormat",
    "TextLogRows",
    "TimeAxis",
    "TimePanelBlueprint",
    "ViewBlueprint",
    "ViewContents",
    "ViewportBlueprint",
    "VisibleTimeRanges",
    "VisualBounds2D",
    "VisualizerInstruction",
]

_BP = "rerun.blueprint.components."
_RR = "rerun.components."

UUID_TYPE = c.fixed_size_list_type(pa.uint8(), 16)
RANGE1D_TYPE = c.fixed_size_list_type(pa.float64(), 2)
# The value classes and Arrow types of the tensor dimension components (for `structs`).
_DIMENSION = (TensorDimensionSelection, TENSOR_DIMENSION_SELECTION)
_DIMENSION_INDEX = (TensorDimensionIndexSelection, TENSOR_DIMENSION_INDEX_SELECTION)
VISUAL_BOUNDS_TYPE = pa.struct(
    [pa.field("x_range", RANGE1D_TYPE, nullable=False), pa.field("y_range", RANGE1D_TYPE, nullable=False)]
)


@functools.cache
def _descriptors(cls: type[BlueprintArchetype]) -> dict[str, ComponentDescriptor]:
    short, full = cls.archetype_short_name(), cls.archetype()
    return {f.name: ComponentDescriptor(f"{short}:{f.name}", full, f.component) for f in cls._FIELDS}


class BlueprintArchetype(Archetype):
    """An archetype of `rerun.blueprint.archetypes`; its `Field` table names full component types.

    Its constructor takes the fields as rerun-sdk's does, in `_FIELDS` order: the first `_POSITIONAL`
    also by position (the first `_REQUIRED` of them must be given), the others by keyword, each None by
    default. It is generated from the table unless the archetype writes its own (one that converts or
    checks its arguments)."""

    _POSITIONAL: ClassVar[int] = 0
    _REQUIRED: ClassVar[int] = 0

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            return
        names = [f.name for f in cls._FIELDS]
        P = inspect.Parameter
        signature = inspect.Signature(
            [
                P("self", P.POSITIONAL_OR_KEYWORD),
                *(
                    P(name, P.POSITIONAL_OR_KEYWORD, default=P.empty if i < cls._REQUIRED else None)
                    for i, name in enumerate(names[: cls._POSITIONAL])
                ),
                *(P(name, P.KEYWORD_ONLY, default=None) for name in names[cls._POSITIONAL :]),
            ],
            return_annotation=None,
        )

        def __init__(self: BlueprintArchetype, *args: Any, **arguments: Any) -> None:
            bound = signature.bind(self, *args, **arguments)
            bound.apply_defaults()
            Archetype.__init__(self)
            for name in names:
                self._set_field(name, bound.arguments[name])

        __init__.__signature__ = signature  # type: ignore[attr-defined]
        __init__.__doc__ = f"A {cls.__name__} from its fields ({', '.join(names)}); None leaves one out."
        cls.__init__ = __init__  # type: ignore[method-assign]

    @classmethod
    def archetype(cls) -> str:
        """The fully qualified name, e.g. `rerun.blueprint.archetypes.Background`."""
        return f"rerun.blueprint.archetypes.{cls.archetype_short_name()}"

    def as_component_batches(self) -> list[ComponentBatch]:
        """The given components (None arguments omitted), in rerun-sdk's order."""
        descriptors = _descriptors(type(self))
        return [
            ComponentBatch(descriptors[f.name], self._arrays[f.name])
            for f in self._FIELDS
            if f.name in self._arrays
        ]

    @classmethod
    def columns(cls, **fields: Any) -> ComponentColumnList:
        """The components for `send_columns`, named with this archetype's full component types."""
        by_component = {d.component: d for d in _descriptors(cls).values()}
        return ComponentColumnList(
            dataclasses.replace(column, descriptor=by_component[column.descriptor.component])
            for column in super().columns(**fields)
        )


# ---- converters -------------------------------------------------------------------------------------


def _u32s(value: Any) -> pa.Array:
    items = value if isinstance(value, Sequence) and not isinstance(value, str) else [value]
    if any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0 for v in items):
        raise ConversionError(f"is {value!r}; expected a non-negative integer")
    return pa.array([int(v) for v in items], type=pa.uint32())


def uuids(value: Any) -> pa.Array:
    """One or more UUIDs (uuid.UUID, 16 bytes, or a string) as `FixedSizeList<u8>[16]`."""
    items = value if isinstance(value, list | tuple) else [value]
    raw = b"".join(_uuid_bytes(v) for v in items)
    return pa.FixedSizeListArray.from_arrays(pa.array(np.frombuffer(raw, dtype=np.uint8)), type=UUID_TYPE)


def _uuid_bytes(value: Any) -> bytes:
    if isinstance(value, uuid.UUID) or isinstance(getattr(value, "bytes", None), bytes):
        return value.bytes  # also `RootContainer`-like components
    if isinstance(value, bytes | bytearray) and len(value) == 16:
        return bytes(value)
    if isinstance(value, str):
        return uuid.UUID(value).bytes
    raise ConversionError(f"is {value!r}; expected a UUID")


def _plane(value: Any) -> pa.Array:
    """A plane as (normal x, y, z, distance); rerun's `Plane3D` objects (`.xyzd`) work too."""
    return c.vectors(getattr(value, "xyzd", value), 4, noun="planes")


def _range(value: Any, axis: str) -> list[float]:
    values = np.asarray(getattr(value, "range", value), dtype=np.float64).reshape(-1)
    if values.size != 2:
        raise ConversionError(f"{axis} is {value!r}; expected [min, max]")
    return [float(values[0]), float(values[1])]


def _ranges1d(value: Any) -> pa.Array:
    """One [min, max] range (or a `Range1D`-like object with `.range`) as `FixedSizeList<f64>[2]`."""
    return pa.array([_range(value, "range")], type=RANGE1D_TYPE)


def _visual_bounds(value: tuple[Any, Any]) -> pa.Array:
    x, y = (_range(v, name) for v, name in zip(value, ("x_range", "y_range"), strict=True))
    return pa.array([{"x_range": x, "y_range": y}], type=VISUAL_BOUNDS_TYPE)


def _is_background_kind(value: Any) -> bool:
    # rerun-sdk's own BackgroundKind members count too (they convert by name).
    return isinstance(value, BackgroundKind) or type(value).__name__ == "BackgroundKind"


# ---- view properties --------------------------------------------------------------------------------


class Background(BlueprintArchetype):
    """A view's background: a `BackgroundKind`, or a solid color (then the kind is `SolidColor`)."""

    _FIELDS = (
        Field("kind", _BP + "BackgroundKind", c.enums, BackgroundKind),
        Field("color", _RR + "Color", c.colors),
    )

    def __init__(self, color_or_kind: Any = None, *, color: Any = None, kind: Any = None) -> None:
        super().__init__()
        if color_or_kind is not None:
            if color is not None or kind is not None:
                self._fail("color_or_kind", "cannot be given together with color= or kind=")
            if _is_background_kind(color_or_kind):
                kind = color_or_kind
            else:
                color = color_or_kind
        if kind is None:
            kind = BackgroundKind.GradientDark if color is None else BackgroundKind.SolidColor
        self._set_field("kind", kind)
        self._set_field("color", color)


class LineGrid3D(BlueprintArchetype):
    """The 3D view's infinite grid."""

    _FIELDS = (
        Field("visible", _RR + "Visible", c.bools),
        Field("spacing", _BP + "GridSpacing", c.float32s),
        Field("plane", _RR + "Plane3D", _plane),
        Field("stroke_width", _RR + "StrokeWidth", c.float32s),
        Field("color", _RR + "Color", c.colors),
    )
    _POSITIONAL = 1


class EyeControls3D(BlueprintArchetype):
    """The 3D view's eye: where it is, what it looks at, how it moves."""

    _FIELDS = (
        Field("kind", _BP + "Eye3DKind", c.enums, Eye3DKind),
        Field("position", _RR + "Position3D", c.vectors, 3),
        Field("look_target", _RR + "Position3D", c.vectors, 3),
        Field("eye_up", _RR + "Vector3D", c.vectors, 3),
        Field("speed", _RR + "LinearSpeed", c.float64s),
        Field("tracking_entity", _RR + "EntityPath", c.utf8s),
        Field("spin_speed", _BP + "AngularSpeed", c.float64s),
    )


class VisualBounds2D(BlueprintArchetype):
    """The 2D (or graph) view's visible area: both `x_range` and `y_range` ([min, max]), or neither."""

    _FIELDS = (Field("range", _BP + "VisualBounds2D", _visual_bounds),)

    def __init__(self, *, x_range: Any = None, y_range: Any = None) -> None:
        super().__init__()
        if (x_range is None) != (y_range is None):
            # rerun-sdk raises here too, even outside strict mode.
            raise ValueError("Both x_range and y_range must be specified.")
        if x_range is not None:
            self._set_field("range", (x_range, y_range), argument="x_range/y_range")


class NearClipPlane(BlueprintArchetype):
    """How close to the 2D view's camera things are still drawn (scene units)."""

    _FIELDS = (Field("near_clip_plane", _BP + "NearClipPlane", c.float32s),)
    _POSITIONAL = 1
    _REQUIRED = 1


class SpatialInformation(BlueprintArchetype):
    """A spatial view's reference frame and whether it shows its bounding box and axes."""

    _FIELDS = (
        Field("target_frame", _RR + "TransformFrameId", c.utf8s),
        Field("show_bounding_box", _BP + "Enabled", c.bools),
        Field("show_axes", _BP + "Enabled", c.bools),
        Field("axes", _RR + "ViewCoordinates", c.view_coordinates),
    )
    _POSITIONAL = 1
    _REQUIRED = 1


class VisibleTimeRanges(BlueprintArchetype):
    """The time range shown per timeline: `ranges` (`VisibleTimeRange`s), or one `timeline` with a
    `range` or `start` and `end`."""

    _FIELDS = (Field("ranges", _BP + "VisibleTimeRange", visible_time_ranges),)

    def __init__(
        self,
        ranges: Any = None,
        *,
        timeline: Any = None,
        range: Any = None,
        start: Any = None,
        end: Any = None,
    ) -> None:
        super().__init__()
        if timeline is not None:
            if ranges is not None:
                self._fail("timeline", "and `ranges` are mutually exclusive")
            try:
                ranges = [VisibleTimeRange(timeline, range, start=start, end=end)]
            except ValueError as err:
                self._fail("range", str(err))
        elif ranges is None:
            self._fail("ranges", "or `timeline` must be set")
        if isinstance(ranges, VisibleTimeRange) or not isinstance(ranges, Sequence):
            ranges = [ranges]
        timelines = [str(getattr(r, "timeline", "")) for r in ranges]
        for name in {t for t in timelines if timelines.count(t) > 1}:
            message = f"Timeline {name} is listed twice in the visible time ranges; the first is used."
            if is_strict_mode():
                raise ValueError(message)
            warnings.warn(message, RerenderWarning, stacklevel=3)
        self._set_field("ranges", ranges)


class TimeAxis(BlueprintArchetype):
    """A plot's time axis: linked to the other plots or not, its range, and whether zoom keeps it."""

    _FIELDS = (
        Field("link", _BP + "LinkAxis", c.enums, LinkAxis),
        Field("view_range", _BP + "TimeRange", time_ranges),
        Field("zoom_lock", _BP + "LockRangeDuringZoom", c.bools),
    )


class ScalarAxis(BlueprintArchetype):
    """A plot's value axis: its [min, max] range and whether zoom keeps it."""

    _FIELDS = (
        Field("range", _RR + "Range1D", _ranges1d),
        Field("zoom_lock", _BP + "LockRangeDuringZoom", c.bools),
    )


class PlotLegend(BlueprintArchetype):
    """A plot's legend: the corner it sits in and whether it is shown."""

    _FIELDS = (
        Field("corner", _BP + "Corner2D", c.enums, Corner2D),
        Field("visible", _RR + "Visible", c.bools),
    )
    _POSITIONAL = 1


class PlotBackground(BlueprintArchetype):
    """A plot's background color and whether its grid is drawn."""

    _FIELDS = (
        Field("color", _RR + "Color", c.colors),
        Field("show_grid", _BP + "Enabled", c.bools),
    )


class PlotInteraction(BlueprintArchetype):
    """What a plot's tooltip lists and when it draws series points."""

    _FIELDS = (
        Field("tooltip_mode", _BP + "TooltipMode", c.enums, TooltipMode),
        Field("points_display", _BP + "PointsDisplay", c.enums, PointsDisplay),
    )


class TensorSliceSelection(BlueprintArchetype):
    """Which tensor dimensions the tensor view shows as width and height, where the others are held
    (`indices`), and which get sliders."""

    _FIELDS = (
        Field(
            "width",
            _RR + "TensorWidthDimension",
            structs,
            TensorDimensionSelection,
            TENSOR_DIMENSION_SELECTION,
        ),
        Field(
            "height",
            _RR + "TensorHeightDimension",
            structs,
            TensorDimensionSelection,
            TENSOR_DIMENSION_SELECTION,
        ),
        Field(
            "indices",
            _RR + "TensorDimensionIndexSelection",
            structs,
            TensorDimensionIndexSelection,
            TENSOR_DIMENSION_INDEX_SELECTION,
        ),
        Field("slider", _BP + "TensorDimensionIndexSlider", struct_array, TensorDimensionIndexSlider),
    )


class TensorScalarMapping(BlueprintArchetype):
    """How the tensor view maps values to colors: filter, colormap and gamma."""

    _FIELDS = (
        Field("mag_filter", _RR + "MagnificationFilter", c.enums, MagnificationFilter),
        Field("colormap", _RR + "Colormap", c.enums, Colormap),
        Field("gamma", _RR + "GammaCorrection", c.float32s),
    )


class TensorViewFit(BlueprintArchetype):
    """How the tensor view scales its image into the view."""

    _FIELDS = (Field("scaling", _BP + "ViewFit", c.enums, ViewFit),)
    _POSITIONAL = 1


class TextDocumentFormat(BlueprintArchetype):
    """How the text document view sets its text."""

    _FIELDS = (
        Field("monospace", _BP + "Enabled", c.bools),
        Field("word_wrap", _BP + "Enabled", c.bools),
    )


class TextLogColumns(BlueprintArchetype):
    """The text log view's columns, in order: timelines (`TimelineColumn`) and others (`TextLogColumn`)."""

    _FIELDS = (
        Field("timeline_columns", _BP + "TimelineColumn", struct_array, TimelineColumn),
        Field("text_log_columns", _BP + "TextLogColumn", struct_array, TextLogColumn),
    )


class TextLogRows(BlueprintArchetype):
    """Which log levels the text log view shows."""

    _FIELDS = (Field("filter_by_log_level", _RR + "TextLogLevel", c.utf8s),)


class TextLogFormat(BlueprintArchetype):
    """How the text log view sets message bodies."""

    _FIELDS = (Field("monospace_body", _BP + "Enabled", c.bools),)


class MapZoom(BlueprintArchetype):
    """The map view's zoom level (web map zoom levels, 0 to about 20)."""

    _FIELDS = (Field("zoom", _BP + "ZoomLevel", c.float64s),)
    _POSITIONAL = 1
    _REQUIRED = 1


class MapBackground(BlueprintArchetype):
    """The map view's tile provider."""

    _FIELDS = (Field("provider", _BP + "MapProvider", c.enums, MapProvider),)
    _POSITIONAL = 1
    _REQUIRED = 1


class AudioPlayback(BlueprintArchetype):
    """The audio view's playback volume."""

    _FIELDS = (Field("volume", _BP + "Volume", c.float32s),)


class GraphBackground(BlueprintArchetype):
    """The graph view's background color."""

    _FIELDS = (Field("color", _RR + "Color", c.colors),)


class ForceCenter(BlueprintArchetype):
    """The graph layout's pull of all nodes towards the center."""

    _FIELDS = (
        Field("enabled", _BP + "Enabled", c.bools),
        Field("strength", _BP + "ForceStrength", c.float64s),
    )


class ForceCollisionRadius(BlueprintArchetype):
    """The graph layout's push apart of overlapping nodes."""

    _FIELDS = (
        Field("enabled", _BP + "Enabled", c.bools),
        Field("strength", _BP + "ForceStrength", c.float64s),
        Field("iterations", _BP + "ForceIterations", c.u64s),
    )


class ForceLink(BlueprintArchetype):
    """The graph layout's springs along edges."""

    _FIELDS = (
        Field("enabled", _BP + "Enabled", c.bools),
        Field("distance", _BP + "ForceDistance", c.float64s),
        Field("iterations", _BP + "ForceIterations", c.u64s),
    )


class ForceManyBody(BlueprintArchetype):
    """The graph layout's attraction (positive) or repulsion (negative) between all nodes."""

    _FIELDS = (
        Field("enabled", _BP + "Enabled", c.bools),
        Field("strength", _BP + "ForceStrength", c.float64s),
    )


class ForcePosition(BlueprintArchetype):
    """The graph layout's pull of all nodes towards one position."""

    _FIELDS = (
        Field("enabled", _BP + "Enabled", c.bools),
        Field("strength", _BP + "ForceStrength", c.float64s),
        Field("position", _RR + "Position2D", c.vectors, 2),
    )


class DataframeQuery(BlueprintArchetype):
    """The dataframe view's query: timeline, row filters, columns and their order."""

    _FIELDS = (
        Field("timeline", _BP + "TimelineName", c.utf8s),
        Field("filter_by_range", _BP + "FilterByRange", struct_array, FilterByRange),
        Field("filter_is_not_null", _BP + "FilterIsNotNull", struct_array, FilterIsNotNull),
        Field("apply_latest_at", _BP + "ApplyLatestAt", c.bools),
        Field("select", _BP + "SelectedColumns", selected_columns),
        Field("entity_order", _BP + "ColumnOrder", column_orders),
        Field("auto_scroll", _BP + "AutoScroll", c.bools),
    )

    def __init__(
        self,
        *,
        timeline: Any = None,
        filter_by_range: Any = None,
        filter_is_not_null: Any = None,
        apply_latest_at: bool = False,
        select: Any = None,
        entity_order: Any = None,
        auto_scroll: bool = False,
    ) -> None:
        super().__init__()
        if isinstance(filter_by_range, tuple):  # (start, end)
            filter_by_range = FilterByRange(*filter_by_range)
        if filter_is_not_null is not None:
            column = filter_is_not_null
            filter_is_not_null = FilterIsNotNull(
                True,
                column if isinstance(column, ComponentColumnSelector) else ComponentColumnSelector(column),
            )
        self._set_field("timeline", timeline)
        self._set_field("filter_by_range", filter_by_range)
        self._set_field("filter_is_not_null", filter_is_not_null)
        self._set_field("apply_latest_at", apply_latest_at)
        self._set_field("select", select)
        self._set_field("entity_order", entity_order)
        self._set_field("auto_scroll", auto_scroll)


# ---- visualizer overrides ---------------------------------------------------------------------------


class EntityBehavior(BlueprintArchetype):
    """Whether an entity is shown and can be interacted with (hovered, selected) in a view."""

    _FIELDS = (
        Field("interactive", _RR + "Interactive", c.bools),
        Field("visible", _RR + "Visible", c.bools),
    )


class ActiveVisualizers(BlueprintArchetype):
    """The visualizers (instruction ids) that draw an entity in a view."""

    _FIELDS = (Field("instruction_ids", _BP + "VisualizerInstructionId", uuids),)
    _POSITIONAL = 1
    _REQUIRED = 1


class VisualizerInstruction(BlueprintArchetype):
    """One visualizer of an entity: its type and where its components come from."""

    _FIELDS = (
        Field("visualizer_type", _BP + "VisualizerType", c.utf8s),
        Field("component_map", _BP + "VisualizerComponentMapping", struct_array, VisualizerComponentMapping),
    )
    _POSITIONAL = 1
    _REQUIRED = 1


# ---- tables (experimental in rerun-sdk) -------------------------------------------------------------


class TableBlueprint(BlueprintArchetype):
    """A table's layout kind, column header mode, SQL filters and sort order."""

    _FIELDS = (
        Field("layout", _BP + "TableLayoutKind", c.enums, TableLayoutKind),
        Field("column_display_mode", _BP + "ColumnDisplayMode", c.enums, ColumnDisplayMode),
        Field("filters", _BP + "SqlFilterExpression", c.utf8s),
        Field("sort_by", _BP + "SortBy", struct_array, SortBy),
    )


class TableColumn(BlueprintArchetype):
    """One table column: its shown name, editability, visibility and component type."""

    _FIELDS = (
        Field("name", _RR + "Name", c.utf8s),
        Field("editable", _BP + "Editable", c.bools),
        Field("visible", _RR + "Visible", c.bools),
        Field("column_type", _BP + "ColumnType", struct_array, ColumnType),
    )


class TableColumnPreview(BlueprintArchetype):
    """The views (blueprint paths) a table column previews its cells with."""

    _FIELDS = (Field("views", _BP + "IncludedContent", c.utf8s),)
    _POSITIONAL = 1
    _REQUIRED = 1


class TableLayout(BlueprintArchetype):
    """The order of a table's columns."""

    _FIELDS = (Field("column_order", _BP + "ColumnName", c.utf8s),)


class CardLayout(BlueprintArchetype):
    """A table shown as cards: the fields in order, and the columns used as title and link."""

    _FIELDS = (
        Field("field_order", _BP + "ColumnName", c.utf8s),
        Field("title", _BP + "ColumnName", c.utf8s),
        Field("link", _BP + "ColumnName", c.utf8s),
    )
    _POSITIONAL = 1
    _REQUIRED = 1


class PreviewsConfig(BlueprintArchetype):
    """How a table's preview cells play: timeline, play state, speed and start point (0..1)."""

    _FIELDS = (
        Field("timeline", _BP + "TimelineName", c.utf8s),
        Field("play_state", _BP + "PlayState", c.enums, PlayState),
        Field("playback_speed", _BP + "PlaybackSpeed", c.float64s),
        Field("start_point", _BP + "TimelineFraction", c.float64s),
    )


# ---- what views, containers, the viewport and panels log --------------------------------------------


class ViewContents(BlueprintArchetype):
    """A view's contents: entity-path query expressions (`+ /a/**`, `- /a/b`), one per line or item."""

    _FIELDS = (Field("query", _BP + "QueryExpression", c.utf8s),)
    _POSITIONAL = 1
    _REQUIRED = 1


class ViewBlueprint(BlueprintArchetype):
    """A view: its class, name, origin and visibility."""

    _FIELDS = (
        Field("class_identifier", _BP + "ViewClass", c.utf8s),
        Field("display_name", _RR + "Name", c.utf8s),
        Field("space_origin", _BP + "ViewOrigin", c.utf8s),
        Field("visible", _RR + "Visible", c.bools),
        Field("titlebar", _BP + "Enabled", c.bools),
    )
    _POSITIONAL = 1
    _REQUIRED = 1


class ContainerBlueprint(BlueprintArchetype):
    """A container: its kind, children (`view/<uuid>`, `container/<uuid>`) and layout."""

    _FIELDS = (
        Field("container_kind", _BP + "ContainerKind", c.enums, ContainerKind),
        Field("display_name", _RR + "Name", c.utf8s),
        Field("contents", _BP + "IncludedContent", c.utf8s),
        Field("col_shares", _BP + "ColumnShare", c.float32s),
        Field("row_shares", _BP + "RowShare", c.float32s),
        Field("active_tab", _BP + "ActiveTab", c.utf8s),
        Field("visible", _RR + "Visible", c.bools),
        Field("grid_columns", _BP + "GridColumns", _u32s),
    )
    _POSITIONAL = 1
    _REQUIRED = 1


class ViewportBlueprint(BlueprintArchetype):
    """The viewport: its root container and whether the viewer lays out and adds views itself."""

    _FIELDS = (
        Field("root_container", _BP + "RootContainer", uuids),
        Field("maximized", _BP + "ViewMaximized", uuids),
        Field("auto_layout", _BP + "AutoLayout", c.bools),
        Field("auto_views", _BP + "AutoViews", c.bools),
        Field("past_viewer_recommendations", _BP + "ViewerRecommendationHash", c.u64s),
    )


class PanelBlueprint(BlueprintArchetype):
    """The state of the blueprint, selection or top panel."""

    _FIELDS = (Field("state", _BP + "PanelState", c.enums, PanelState),)


class TimePanelBlueprint(BlueprintArchetype):
    """The time panel: its state, timeline, playback and selected time range."""

    _FIELDS = (
        Field("state", _BP + "PanelState", c.enums, PanelState),
        Field("timeline", _BP + "TimelineName", c.utf8s),
        Field("playback_speed", _BP + "PlaybackSpeed", c.float64s),
        Field("fps", _BP + "Fps", c.float64s),
        Field("play_state", _BP + "PlayState", c.enums, PlayState),
        Field("loop_mode", _BP + "LoopMode", c.enums, LoopMode),
        Field("time_selection", _BP + "AbsoluteTimeRange", absolute_time_ranges),
    )
