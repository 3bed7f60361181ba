"""Measured values with uncertainty: `Measurements` (plotted like `Scalars`, styled like `SeriesLines`)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from .. import components as c
from .. import components_media as cb
from ..batch import Archetype, Field
from ..enums import AggregationPolicy, InterpolationMode


class Measurements(Archetype):
    """One value per series, with optional variances and units, and the series' styling."""

    _FIELDS = (
        Field("values", "Scalar", c.float64s),
        Field("variances", "Variance", c.float64s),
        Field("units", "Unit", c.utf8s),
        Field("colors", "Color", c.colors),
        Field("widths", "StrokeWidth", c.float32s),
        Field("names", "Name", c.utf8s),
        Field("visible_series", "Visible", c.bools),
        Field("aggregation_policy", "AggregationPolicy", cb.enum_codes, AggregationPolicy, pa.uint8()),
        Field("interpolation_mode", "InterpolationMode", cb.enum_codes, InterpolationMode, pa.uint8()),
    )

    def __init__(
        self,
        values: Any,
        *,
        variances: Any = None,
        units: Any = None,
        colors: Any = None,
        widths: Any = None,
        names: Any = None,
        visible_series: Any = None,
        aggregation_policy: AggregationPolicy | str | int | None = None,
        interpolation_mode: InterpolationMode | str | int | None = None,
    ) -> None:
        super().__init__()
        self._set_field("values", values)
        self._set_field("variances", variances)
        self._set_field("units", units)
        self._set_field("colors", colors)
        self._set_field("widths", widths)
        self._set_field("names", names)
        self._set_field("visible_series", visible_series)
        self._set_field("aggregation_policy", aggregation_policy)
        self._set_field("interpolation_mode", interpolation_mode)
