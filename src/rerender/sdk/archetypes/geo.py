"""Geospatial primitives on a map: `GeoPoints` and `GeoLineStrings` (EPSG:4326 latitude/longitude)."""

from __future__ import annotations

from typing import Any

from .. import components as c
from .. import components_media as cb
from ..batch import Archetype, Field


class GeoPoints(Archetype):
    """Points on a map given as (latitude, longitude) in degrees, with optional radii, colors, class ids."""

    _INSTANCES_FROM = ("positions",)

    _FIELDS = (
        Field("positions", "LatLon", cb.lat_lons),
        Field("radii", "Radius", c.float32s),
        Field("colors", "Color", c.colors),
        Field("class_ids", "ClassId", c.u16s),
    )

    def __init__(
        self,
        *,
        lat_lon: Any,
        radii: Any = None,
        colors: Any = None,
        class_ids: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("positions", lat_lon, argument="lat_lon")
        self._set_field("radii", radii)
        self._set_field("colors", colors)
        self._set_field("class_ids", class_ids)


class GeoLineStrings(Archetype):
    """Line strings on a map, each a list of (latitude, longitude) in degrees, with radii and colors."""

    _INSTANCES_FROM = ("line_strings",)

    _FIELDS = (
        Field("line_strings", "GeoLineString", cb.geo_line_strings),
        Field("radii", "Radius", c.float32s),
        Field("colors", "Color", c.colors),
    )

    def __init__(self, *, lat_lon: Any, radii: Any = None, colors: Any = None) -> None:
        super().__init__()
        self._set_field("line_strings", lat_lon, argument="lat_lon")
        self._set_field("radii", radii)
        self._set_field("colors", colors)
