"""Compressed depth images: `EncodedDepthImage`."""

from __future__ import annotations

from typing import Any

from .. import components as c
from .. import components_media as cb
from .. import components_tensors as ct
from ..batch import Archetype, Field
from ..enums import Colormap, MagnificationFilter


class EncodedDepthImage(Archetype):
    """A depth image in a compressed format (e.g. RVL or PNG), decoded by the viewer.

    As in rerun-sdk, `media_type` is not guessed: give it unless the viewer should sniff the bytes.
    """

    _FIELDS = (
        Field("blob", "Blob", cb.blobs),
        Field("media_type", "MediaType", c.utf8s),
        Field("meter", "DepthMeter", c.float32s),
        Field("colormap", "Colormap", c.enums, Colormap),
        Field("depth_range", "ValueRange", ct.value_range),
        Field("point_fill_ratio", "FillRatio", c.float32s),
        Field("draw_order", "DrawOrder", c.float32s),
        Field("magnification_filter", "MagnificationFilter", c.enums, MagnificationFilter),
    )

    def __init__(
        self,
        blob: Any,
        *,
        media_type: Any = None,
        meter: Any = None,
        colormap: Colormap | str | int | None = None,
        depth_range: Any = None,
        point_fill_ratio: Any = None,
        draw_order: Any = None,
        magnification_filter: MagnificationFilter | str | int | None = None,
    ) -> None:
        super().__init__()
        self._set_field("blob", blob)
        self._set_field("media_type", media_type)
        self._set_field("meter", meter)
        self._set_field("colormap", colormap)
        self._set_field("depth_range", depth_range)
        self._set_field("point_fill_ratio", point_fill_ratio)
        self._set_field("draw_order", draw_order)
        self._set_field("magnification_filter", magnification_filter)
