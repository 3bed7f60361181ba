"""`rerender.blueprint.views`, like `rerun.blueprint.views`: every view class of rerun-sdk 0.41, with its
class identifier and the properties it takes.

Common arguments: `origin` (default "/"), `contents` (query expressions, default "$origin/**"),
`name`, `visible`, `titlebar`, `defaults` (archetypes whose components become the view's defaults) and
`overrides` (per-entity visualizers, see `View`). Each view's `PROPERTIES` table maps its other
arguments to the property archetype logged at `view/<uuid>/<Archetype>`; a value that is not already
that archetype is passed to its constructor (`background=[30, 40, 50]` becomes `Background([30, 40, 50])`).
"""

from __future__ import annotations

import inspect
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


# Every view's own arguments, before its properties (all keyword-only, as in rerun-sdk).
COMMON_PARAMETERS = (
    ("origin", "/"),
    ("contents", "$origin/**"),
    ("name", None),
    ("visible", None),
    ("titlebar", None),
    ("defaults", None),
    ("overrides", None),
)


class _PropertyView(View):
    """A view class: its identifier and property table. Its constructor's signature is the common
    arguments, then one keyword per property (default None), in the table's order, which is rerun-sdk's."""

    CLASS_IDENTIFIER: ClassVar[str]
    PROPERTIES: ClassVar[PropertyTable] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        keyword = inspect.Parameter.KEYWORD_ONLY
        parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        parameters += [inspect.Parameter(n, keyword, default=d) for n, d in COMMON_PARAMETERS]
        parameters += [inspect.Parameter(n, keyword, default=None) for n, _ in cls.PROPERTIES]
        signature = inspect.Signature(parameters, return_annotation=None)

        def __init__(self: _PropertyView, **arguments: Any) -> None:
            bound = signature.bind(self, **arguments)
            bound.apply_defaults()
            del bound.arguments["self"]
            self._init_view(**bound.arguments)

        __init__.__signature__ = signature  # type: ignore[attr-defined]
        __init__.__doc__ = f"A {cls.__name__}: the common view arguments, then its properties."
        cls.__init__ = __init__  # type: ignore[method-assign]

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


class Spatial2DView(_PropertyView):
    """A 2D scene (images, 2D shapes)."""

    CLASS_IDENTIFIER = "2D"
    PROPERTIES = (
        ("background", Background),
        ("visual_bounds", VisualBounds2D),
        ("spatial_information", SpatialInformation),
        ("time_ranges", VisibleTimeRanges),
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


class BarChartView(_PropertyView):
    """A bar chart of 1D tensors."""

    CLASS_IDENTIFIER = "BarChart"
    PROPERTIES = (("plot_legend", PlotLegend), ("background", PlotBackground))


class StateTimelineView(_PropertyView):
    """States (`StateChange`) as bands over time."""

    CLASS_IDENTIFIER = "StateTimeline"
    PROPERTIES = (("time_view", TimeAxis), ("time_ranges", VisibleTimeRanges))


class TensorView(_PropertyView):
    """An N-dimensional tensor, sliced."""

    CLASS_IDENTIFIER = "Tensor"
    PROPERTIES = (
        ("slice_selection", TensorSliceSelection),
        ("scalar_mapping", TensorScalarMapping),
        ("view_fit", TensorViewFit),
    )


class TextDocumentView(_PropertyView):
    """One text document."""

    CLASS_IDENTIFIER = "TextDocument"
    PROPERTIES = (("format_options", TextDocumentFormat),)


class TextLogView(_PropertyView):
    """A table of text log messages."""

    CLASS_IDENTIFIER = "TextLog"
    PROPERTIES = (("columns", TextLogColumns), ("rows", TextLogRows), ("format_options", TextLogFormat))


class MapView(_PropertyView):
    """Geospatial points and lines on a map."""

    CLASS_IDENTIFIER = "Map"
    PROPERTIES = (("zoom", MapZoom), ("background", MapBackground))


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


class DataframeView(_PropertyView):
    """The entities' data as a table, one row per time."""

    CLASS_IDENTIFIER = "Dataframe"
    PROPERTIES = (("query", DataframeQuery),)


class AudioView(_PropertyView):
    """Audio (`AssetAudio`) with a player."""

    CLASS_IDENTIFIER = "Audio"
    PROPERTIES = (("playback", AudioPlayback),)
