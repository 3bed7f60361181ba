"""`rerender.blueprint.views`, like `rerun.blueprint.views`: every view class of rerun-sdk 0.41, with its
class identifier and the properties it takes.

Common arguments: `origin` (default "/"), `contents` (query expressions, default "$origin/**"),
`name`, `visible`, `titlebar`, `defaults` (archetypes whose components become the view's defaults) and
`overrides` (per-entity visualizers, see `View`). Each view's `PROPERTIES` table maps its other
arguments to the property archetype logged at `view/<uuid>/<Archetype>`; a value that is not already
that archetype is passed to its constructor (`background=[30, 40, 50]` becomes `Background([30, 40, 50])`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from .api import View
from .archetypes import (
    AudioPlayback,
    Background,
    BlueprintArchetype,
    DataframeQuery,
    EyeControls3D,
    ForceCenter,
    ForceCollisionRadius,
    ForceLink,
    ForceManyBody,
    ForcePosition,
    GraphBackground,
    LineGrid3D,
    MapBackground,
    MapZoom,
    PlotBackground,
    PlotInteraction,
    PlotLegend,
    ScalarAxis,
    SpatialInformation,
    TensorScalarMapping,
    TensorSliceSelection,
    TensorViewFit,
    TextDocumentFormat,
    TextLogColumns,
    TextLogFormat,
    TextLogRows,
    TimeAxis,
    VisibleTimeRanges,
    VisualBounds2D,
)

__all__ = [
    "AudioView",
    "BarChartView",
    "DataframeView",
    "GraphView",
    "MapView",
    "Spatial2DView",
    "Spatial3DView",
    "StateTimelineView",
    "TensorView",
    "TextDocumentView",
    "TextLogView",
    "TimeSeriesView",
]

PropertyTable = tuple[tuple[str, type[BlueprintArchetype]], ...]


def _properties(table: PropertyTable, values: dict[str, Any]) -> dict[str, BlueprintArchetype]:
    """The given property arguments as archetypes, keyed by archetype name, in the table's order."""
    if set(values) != {argument for argument, _ in table}:
        raise TypeError(f"property arguments {sorted(values)} do not match the view's table")
    out: dict[str, BlueprintArchetype] = {}
    for argument, archetype in table:
        value = values[argument]
        if value is not None:
            out[archetype.__name__] = value if isinstance(value, archetype) else archetype(value)
    return out


class _PropertyView(View):
    """A view class: its identifier and property table."""

    CLASS_IDENTIFIER: ClassVar[str]
    PROPERTIES: ClassVar[PropertyTable] = ()

    def _init_view(
        self,
        *,
        origin: Any,
        contents: Any,
        name: str | None,
        visible: bool | None,
        titlebar: bool | None,
        defaults: Iterable[Any] | None,
        overrides: Mapping[Any, Any] | None,
        **properties: Any,
    ) -> None:
        View.__init__(
            self,
            class_identifier=self.CLASS_IDENTIFIER,
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            properties=_properties(self.PROPERTIES, properties),
            defaults=defaults,
            overrides=overrides,
        )


class Spatial3DView(_PropertyView):
    """A 3D scene."""

    CLASS_IDENTIFIER = "3D"
    PROPERTIES = (
        ("background", Background),
        ("line_grid", LineGrid3D),
        ("spatial_information", SpatialInformation),
        ("eye_controls", EyeControls3D),
        ("time_ranges", VisibleTimeRanges),
    )

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
        overrides: Mapping[Any, Any] | None = None,
        background: Background | Any = None,
        line_grid: LineGrid3D | bool | None = None,
        spatial_information: SpatialInformation | None = None,
        eye_controls: EyeControls3D | None = None,
        time_ranges: VisibleTimeRanges | Any = None,
    ) -> None:
        self._init_view(
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            defaults=defaults,
            overrides=overrides,
            background=background,
            line_grid=line_grid,
            spatial_information=spatial_information,
            eye_controls=eye_controls,
            time_ranges=time_ranges,
        )


class Spatial2DView(_PropertyView):
    """A 2D scene (images, 2D shapes)."""

    CLASS_IDENTIFIER = "2D"
    PROPERTIES = (
        ("background", Background),
        ("visual_bounds", VisualBounds2D),
        ("spatial_information", SpatialInformation),
        ("time_ranges", VisibleTimeRanges),
    )

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
        overrides: Mapping[Any, Any] | None = None,
        background: Background | Any = None,
        visual_bounds: VisualBounds2D | None = None,
        spatial_information: SpatialInformation | None = None,
        time_ranges: VisibleTimeRanges | Any = None,
    ) -> None:
        self._init_view(
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            defaults=defaults,
            overrides=overrides,
            background=background,
            visual_bounds=visual_bounds,
            spatial_information=spatial_information,
            time_ranges=time_ranges,
        )


class TimeSeriesView(_PropertyView):
    """Scalars plotted over time."""

    CLASS_IDENTIFIER = "TimeSeries"
    PROPERTIES = (
        ("axis_x", TimeAxis),
        ("axis_y", ScalarAxis),
        ("plot_legend", PlotLegend),
        ("background", PlotBackground),
        ("interaction", PlotInteraction),
        ("time_ranges", VisibleTimeRanges),
    )

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
        overrides: Mapping[Any, Any] | None = None,
        axis_x: TimeAxis | None = None,
        axis_y: ScalarAxis | None = None,
        plot_legend: PlotLegend | Any = None,
        background: PlotBackground | None = None,
        interaction: PlotInteraction | None = None,
        time_ranges: VisibleTimeRanges | Any = None,
    ) -> None:
        self._init_view(
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            defaults=defaults,
            overrides=overrides,
            axis_x=axis_x,
            axis_y=axis_y,
            plot_legend=plot_legend,
            background=background,
            interaction=interaction,
            time_ranges=time_ranges,
        )


class BarChartView(_PropertyView):
    """A bar chart of 1D tensors."""

    CLASS_IDENTIFIER = "BarChart"
    PROPERTIES = (("plot_legend", PlotLegend), ("background", PlotBackground))

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
        overrides: Mapping[Any, Any] | None = None,
        plot_legend: PlotLegend | Any = None,
        background: PlotBackground | None = None,
    ) -> None:
        self._init_view(
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            defaults=defaults,
            overrides=overrides,
            plot_legend=plot_legend,
            background=background,
        )


class StateTimelineView(_PropertyView):
    """States (`StateChange`) as bands over time."""

    CLASS_IDENTIFIER = "StateTimeline"
    PROPERTIES = (("time_view", TimeAxis), ("time_ranges", VisibleTimeRanges))

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
        overrides: Mapping[Any, Any] | None = None,
        time_view: TimeAxis | None = None,
        time_ranges: VisibleTimeRanges | Any = None,
    ) -> None:
        self._init_view(
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            defaults=defaults,
            overrides=overrides,
            time_view=time_view,
            time_ranges=time_ranges,
        )


class TensorView(_PropertyView):
    """An N-dimensional tensor, sliced."""

    CLASS_IDENTIFIER = "Tensor"
    PROPERTIES = (
        ("slice_selection", TensorSliceSelection),
        ("scalar_mapping", TensorScalarMapping),
        ("view_fit", TensorViewFit),
    )

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
        overrides: Mapping[Any, Any] | None = None,
        slice_selection: TensorSliceSelection | None = None,
        scalar_mapping: TensorScalarMapping | None = None,
        view_fit: TensorViewFit | Any = None,
    ) -> None:
        self._init_view(
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            defaults=defaults,
            overrides=overrides,
            slice_selection=slice_selection,
            scalar_mapping=scalar_mapping,
            view_fit=view_fit,
        )


class TextDocumentView(_PropertyView):
    """One text document."""

    CLASS_IDENTIFIER = "TextDocument"
    PROPERTIES = (("format_options", TextDocumentFormat),)

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
        overrides: Mapping[Any, Any] | None = None,
        format_options: TextDocumentFormat | None = None,
    ) -> None:
        self._init_view(
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            defaults=defaults,
            overrides=overrides,
            format_options=format_options,
        )


class TextLogView(_PropertyView):
    """A table of text log messages."""

    CLASS_IDENTIFIER = "TextLog"
    PROPERTIES = (("columns", TextLogColumns), ("rows", TextLogRows), ("format_options", TextLogFormat))

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
        overrides: Mapping[Any, Any] | None = None,
        columns: TextLogColumns | None = None,
        rows: TextLogRows | None = None,
        format_options: TextLogFormat | None = None,
    ) -> None:
        self._init_view(
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            defaults=defaults,
            overrides=overrides,
            columns=columns,
            rows=rows,
            format_options=format_options,
        )


class MapView(_PropertyView):
    """Geospatial points and lines on a map."""

    CLASS_IDENTIFIER = "Map"
    PROPERTIES = (("zoom", MapZoom), ("background", MapBackground))

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
        overrides: Mapping[Any, Any] | None = None,
        zoom: MapZoom | float | None = None,
        background: MapBackground | Any = None,
    ) -> None:
        self._init_view(
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            defaults=defaults,
            overrides=overrides,
            zoom=zoom,
            background=background,
        )


class GraphView(_PropertyView):
    """Graph nodes and edges, laid out by forces."""

    CLASS_IDENTIFIER = "Graph"
    PROPERTIES = (
        ("background", GraphBackground),
        ("visual_bounds", VisualBounds2D),
        ("force_link", ForceLink),
        ("force_many_body", ForceManyBody),
        ("force_position", ForcePosition),
        ("force_collision_radius", ForceCollisionRadius),
        ("force_center", ForceCenter),
    )

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
        overrides: Mapping[Any, Any] | None = None,
        background: GraphBackground | None = None,
        visual_bounds: VisualBounds2D | None = None,
        force_link: ForceLink | None = None,
        force_many_body: ForceManyBody | None = None,
        force_position: ForcePosition | None = None,
        force_collision_radius: ForceCollisionRadius | None = None,
        force_center: ForceCenter | None = None,
    ) -> None:
        self._init_view(
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            defaults=defaults,
            overrides=overrides,
            background=background,
            visual_bounds=visual_bounds,
            force_link=force_link,
            force_many_body=force_many_body,
            force_position=force_position,
            force_collision_radius=force_collision_radius,
            force_center=force_center,
        )


class DataframeView(_PropertyView):
    """The entities' data as a table, one row per time."""

    CLASS_IDENTIFIER = "Dataframe"
    PROPERTIES = (("query", DataframeQuery),)

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
        overrides: Mapping[Any, Any] | None = None,
        query: DataframeQuery | None = None,
    ) -> None:
        self._init_view(
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            defaults=defaults,
            overrides=overrides,
            query=query,
        )


class AudioView(_PropertyView):
    """Audio (`AssetAudio`) with a player."""

    CLASS_IDENTIFIER = "Audio"
    PROPERTIES = (("playback", AudioPlayback),)

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
        overrides: Mapping[Any, Any] | None = None,
        playback: AudioPlayback | None = None,
    ) -> None:
        self._init_view(
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            defaults=defaults,
            overrides=overrides,
            playback=playback,
        )
