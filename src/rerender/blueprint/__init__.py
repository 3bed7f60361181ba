"""`rerender.blueprint`, like `rerun.blueprint`: viewer layouts written as blueprint stores.

`import rerender.blueprint as rrb` gives the subset of rerun-sdk 0.41's blueprint API that rerender
writes exactly as rerun-sdk does: `Blueprint`, the containers, the common views, the 3D/2D view
properties and the panels. Send one with `rr.send_blueprint(...)`, `rr.save(path, default_blueprint=...)`
or `Blueprint.save(application_id, "layout.rbl")`. Anything else of `rerun.blueprint` is absent.
"""

from __future__ import annotations

from . import archetypes, components
from .api import (
    Blueprint,
    BlueprintLike,
    BlueprintPanel,
    BlueprintPart,
    Container,
    ContainerLike,
    SelectionPanel,
    TimePanel,
    TopPanel,
    View,
)
from .archetypes import Background, EyeControls3D, LineGrid3D, VisualBounds2D
from .components import BackgroundKind, Eye3DKind, PanelState
from .containers import Grid, Horizontal, Tabs, Vertical
from .views import (
    BarChartView,
    Spatial2DView,
    Spatial3DView,
    TensorView,
    TextDocumentView,
    TextLogView,
    TimeSeriesView,
)

__all__ = [
    "Background",
    "BackgroundKind",
    "BarChartView",
    "Blueprint",
    "BlueprintLike",
    "BlueprintPanel",
    "BlueprintPart",
    "Container",
    "ContainerLike",
    "Eye3DKind",
    "EyeControls3D",
    "Grid",
    "Horizontal",
    "LineGrid3D",
    "PanelState",
    "SelectionPanel",
    "Spatial2DView",
    "Spatial3DView",
    "Tabs",
    "TensorView",
    "TextDocumentView",
    "TextLogView",
    "TimePanel",
    "TimeSeriesView",
    "TopPanel",
    "Vertical",
    "View",
    "VisualBounds2D",
    "archetypes",
    "components",
]
