"""The views rerender's blueprints know: their class identifiers and the properties they take.

Common arguments: `origin` (default "/"), `contents` (query expressions, default "$origin/**"),
`name`, `visible`, `titlebar` and `defaults` (archetypes whose components become the view's defaults).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .api import View
from .archetypes import Background, EyeControls3D, LineGrid3D, VisualBounds2D

__all__ = [
    "BarChartView",
    "Spatial2DView",
    "Spatial3DView",
    "TensorView",
    "TextDocumentView",
    "TextLogView",
    "TimeSeriesView",
]


class _SimpleView(View):
    _CLASS = ""

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
    ) -> None:
        super().__init__(
            class_identifier=self._CLASS,
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            defaults=defaults,
        )


def _background(value: Any) -> Background:
    return value if isinstance(value, Background) else Background(value)


class Spatial3DView(View):
    """A 3D scene; `background` (a color or `BackgroundKind`), `line_grid` (`LineGrid3D` or a bool) and
    `eye_controls` (`EyeControls3D`) are its properties."""

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
        background: Any = None,
        line_grid: Any = None,
        eye_controls: EyeControls3D | None = None,
    ) -> None:
        properties: dict[str, Any] = {}
        if background is not None:
            properties["Background"] = _background(background)
        if line_grid is not None:
            properties["LineGrid3D"] = (
                line_grid if isinstance(line_grid, LineGrid3D) else LineGrid3D(line_grid)
            )
        if eye_controls is not None:
            properties["EyeControls3D"] = eye_controls
        super().__init__(
            class_identifier="3D",
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            properties=properties,
            defaults=defaults,
        )


class Spatial2DView(View):
    """A 2D scene; `background` and `visual_bounds` (`VisualBounds2D`) are its properties."""

    def __init__(
        self,
        *,
        origin: Any = "/",
        contents: Any = "$origin/**",
        name: str | None = None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        defaults: Iterable[Any] | None = None,
        background: Any = None,
        visual_bounds: VisualBounds2D | None = None,
    ) -> None:
        properties: dict[str, Any] = {}
        if background is not None:
            properties["Background"] = _background(background)
        if visual_bounds is not None:
            properties["VisualBounds2D"] = visual_bounds
        super().__init__(
            class_identifier="2D",
            origin=origin,
            contents=contents,
            name=name,
            visible=visible,
            titlebar=titlebar,
            properties=properties,
            defaults=defaults,
        )


class TimeSeriesView(_SimpleView):
    """Scalars plotted over time (no axis, legend or range properties in rerender yet)."""

    _CLASS = "TimeSeries"


class TextLogView(_SimpleView):
    """A table of text log messages."""

    _CLASS = "TextLog"


class TextDocumentView(_SimpleView):
    """One text document."""

    _CLASS = "TextDocument"


class BarChartView(_SimpleView):
    """A bar chart of 1D tensors."""

    _CLASS = "BarChart"


class TensorView(_SimpleView):
    """An N-dimensional tensor, sliced."""

    _CLASS = "Tensor"
