"""Time series styling: `SeriesLines` and `SeriesPoints` (the data itself is logged with `Scalars`)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from .. import components as c
from .. import components_media as cb
from ..batch import Archetype, Field
from ..enums import AggregationPolicy, InterpolationMode, MarkerShape


class SeriesLines(Archetype):
    """Style of one or more line series in a plot: colors, widths, names, visibility, aggregation."""

    _FIELDS = (
        Field("colors", "Color", c.colors),
        Field("widths", "StrokeWidth", c.float32s),
        Field("names", "Name", c.utf8s),
        Field("visible_series", "Visible", c.bools),
        Field("aggregation_policy", "AggregationPolicy", cb.enum_codes, AggregationPolicy, pa.uint8()),
        Field("interpolation_mode", "InterpolationMode", cb.enum_codes, InterpolationMode, pa.uint8()),
    )

    def __init__(
        self,
        *,
        colors: Any = None,
        widths: Any = None,
        names: Any = None,
        visible_series: Any = None,
        aggregation_policy: AggregationPolicy | str | int | None = None,
        interpolation_mode: InterpolationMode | str | int | None = None,
    ) -> None:
        super().__init__()
        self._set_field("colors", colors)
        self._set_field("widths", widths)
        self._set_field("names", names)
        self._set_field("visible_series", visible_series)
        self._set_field("aggregation_policy", aggregation_policy)
        self._set_field("interpolation_mode", interpolation_mode)


class SeriesPoints(Archetype):
    """Style of one or more point series (scatter plots): colors, marker shapes and sizes, names.

    With no argument at all, the marker shape `MarkerShape.Circle` is logged (as rerun-sdk does).
    """

    _FIELDS = (
        Field("colors", "Color", c.colors),
        Field("markers", "MarkerShape", cb.enum_codes, MarkerShape, pa.uint8()),
        Field("names", "Name", c.utf8s),
        Field("visible_series", "Visible", c.bools),
        Field("marker_sizes", "MarkerSize", c.float32s),
    )

    def __init__(
        self,
        *,
        colors: Any = None,
        markers: Any = None,
        names: Any = None,
        visible_series: Any = None,
        marker_sizes: Any = None,
    ) -> None:
        super().__init__()
        if all(arg is None for arg in (colors, markers, names, visible_series, marker_sizes)):
            markers = MarkerShape.Circle
        self._set_field("colors", colors)
        self._set_field("markers", markers)
        self._set_field("names", names)
        self._set_field("visible_series", visible_series)
        self._set_field("marker_sizes", marker_sizes)
