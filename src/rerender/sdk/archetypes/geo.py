"""Geospatial primitives on a map: `GeoPoints` and `GeoLineStrings` (EPSG:4326 latitude/longitude)."""

from __future__ import annotations

from typing import Any, ClassVar

from .. import components as c
from .. import components_media as cb
from ._fields import Converters, FieldArchetype


class GeoPoints(FieldArchetype):
    """Points on a map given as (latitude, longitude) in degrees, with optional radii, colors, class ids."""

    _INSTANCES_FROM = ("positions",)

    _FIELDS = (
        ("positions", "LatLon"),
        ("radii", "Radius"),
        ("colors", "Color"),
        ("class_ids", "ClassId"),
    )
    _CONVERTERS: ClassVar[Converters] = {
        "positions": (cb.lat_lons,),
        "radii": (c.float32s,),
        "colors": (c.colors,),
        "class_ids": (c.u16s,),
    }

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


class GeoLineStrings(FieldArchetype):
    """Line strings on a map, each a list of (latitude, longitude) in degrees, with radii and colors."""

    _INSTANCES_FROM = ("line_strings",)

    _FIELDS = (
        ("line_strings", "GeoLineString"),
        ("radii", "Radius"),
        ("colors", "Color"),
    )
    _CONVERTERS: ClassVar[Converters] = {
        "line_strings": (cb.geo_line_strings,),
        "radii": (c.float32s,),
        "colors": (c.colors,),
    }

    def __init__(self, *, lat_lon: Any, radii: Any = None, colors: Any = None) -> None:
        super().__init__()
        self._set_field("line_strings", lat_lon, argument="lat_lon")
        self._set_field("radii", radii)
        self._set_field("colors", colors)
