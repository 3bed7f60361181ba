"""`rerender.blueprint`, like `rerun.blueprint`: viewer layouts written as blueprint stores.

`import rerender.blueprint as rrb` gives every public name of rerun-sdk 0.41's `rerun.blueprint`, each
writing what rerun-sdk writes: `Blueprint`, the containers, all view classes (with their properties,
per-entity `overrides` and `defaults`), the view property archetypes, the panels and `TableBlueprint`.
Send one with `rr.send_blueprint(...)`, `rr.save(path, default_blueprint=...)` or
`Blueprint.save(application_id, "layout.rbl")`. The sub-namespaces `archetypes`, `components`,
`encodings`, `views`, `visualizers`, `table` and `experimental` mirror rerun's.
"""

from __future__ import annotations

from rerender.encodings import TimeRange, TimeRangeBoundary, VisibleTimeRange

from . import archetypes, components, encodings, experimental, table, views, visualizers
from .api import (
    Blueprint,
    BlueprintLike,
    BlueprintPanel,
    BlueprintPart,
    Container,
    ContainerLike,
    PanelState,
    PanelStateLike,
    SelectionPanel,
    TimePanel,
    TopPanel,
    View,
)
from .archetypes import (
    ActiveVisualizers,
    AudioPlayback,
    Background,
    EntityBehavior,
    EyeControls3D,
    LineGrid3D,
    PlotInteraction,
    PlotLegend,
    ScalarAxis,
    SpatialInformation,
    TensorScalarMapping,
    TensorSliceSelection,
    TextLogColumns,
    TextLogFormat,
    TextLogRows,
    TimeAxis,
    VisibleTimeRanges,
    VisualBounds2D,
)
from .components import BackgroundKind, Corner2D, Eye3DKind, LockRangeDuringZoom, MapProvider
from .containers import Grid, Horizontal, Tabs, Vertical
from .table import TableBlueprint
from .views import (
    AudioView,
    BarChartView,
    DataframeView,
    GraphView,
    MapView,
    Spatial2DView,
    Spatial3DView,
    StateTimelineView,
    TensorView,
    TextDocumentView,
    TextLogView,
    TimeSeriesView,
)
from .visualizers import VisualizableArchetype, Visualizer

__all__ = [
    "ActiveVisualizers",
    "AudioPlayback",
    "AudioView",
    "Background",
    "BackgroundKind",
    "BarChartView",
    "Blueprint",
    "BlueprintLike",
    "BlueprintPanel",
    "BlueprintPart",
    "Container",
    "ContainerLike",
    "Corner2D",
    "DataframeView",
    "EntityBehavior",
    "Eye3DKind",
    "EyeControls3D",
    "GraphView",
    "Grid",
    "Horizontal",
    "LineGrid3D",
    "LockRangeDuringZoom",
    "MapProvider",
    "MapView",
    "PanelState",
    "PanelStateLike",
    "PlotInteraction",
    "PlotLegend",
    "ScalarAxis",
    "SelectionPanel",
    "Spatial2DView",
    "Spatial3DView",
    "SpatialInformation",
    "StateTimelineView",
    "TableBlueprint",
    "Tabs",
    "TensorScalarMapping",
    "TensorSliceSelection",
    "TensorView",
    "TextDocumentView",
    "TextLogColumns",
    "TextLogFormat",
    "TextLogRows",
    "TextLogView",
    "TimeAxis",
    "TimePanel",
    "TimeRange",
    "TimeRangeBoundary",
    "TimeSeriesView",
    "TopPanel",
    "Vertical",
    "View",
    "VisibleTimeRange",
    "VisibleTimeRanges",
    "VisualBounds2D",
    "VisualizableArchetype",
    "Visualizer",
    "archetypes",
    "components",
    "encodings",
    "experimental",
    "table",
    "views",
    "visualizers",
]
