"""Grids in 3D space: `GridMap` (a 2D occupancy/cost grid), `VoxelGridMap` (sparse voxels), `Volume3D`."""

from __future__ import annotations

from typing import Any

from .. import components as c
from .. import components_media as cb
from .. import components_tensors as ct
from ..batch import Archetype, Field
from ..enums import Colormap


class GridMap(Archetype):
    """A 2D grid of cells (e.g. an occupancy map) placed in 3D: an image buffer + format, and a cell size."""

    _FIELDS = (
        Field("data", "ImageBuffer", cb.blobs),
        Field("format", "ImageFormat", c.image_formats),
        Field("cell_size", "CellSize", c.float32s),
        Field("translation", "Translation3D", c.vectors, 3),
        Field("rotation_axis_angle", "RotationAxisAngle", c.rotation_axis_angles),
        Field("quaternion", "RotationQuat", c.quaternions),
        Field("opacity", "Opacity", c.float32s),
        Field("draw_order", "DrawOrder", c.float32s),
        Field("colormap", "Colormap", c.enums, Colormap),
    )

    def __init__(
        self,
        *,
        data: Any,
        format: Any,
        cell_size: Any,
        translation: Any = None,
        rotation_axis_angle: Any = None,
        quaternion: Any = None,
        opacity: Any = None,
        draw_order: Any = None,
        colormap: Colormap | str | int | None = None,
    ) -> None:
        super().__init__()
        self._set_field("data", data)
        self._set_field("format", format)
        self._set_field("cell_size", cell_size)
        self._set_field("translation", translation)
        self._set_field("rotation_axis_angle", rotation_axis_angle)
        self._set_field("quaternion", quaternion)
        self._set_field("opacity", opacity)
        self._set_field("draw_order", draw_order)
        self._set_field("colormap", colormap)


class VoxelGridMap(Archetype):
    """Sparse voxels: integer indices on a grid of `voxel_size`, with optional values or colors."""

    _FIELDS = (
        Field("voxel_indices", "VoxelIndex", c.voxel_indices),
        Field("voxel_size", "VoxelSize", c.vectors, 3, noun="voxel sizes"),
        Field("values", "VoxelValue", c.float32s),
        Field("colors", "Color", c.colors),
        Field("translation", "Translation3D", c.vectors, 3),
        Field("rotation_axis_angle", "RotationAxisAngle", c.rotation_axis_angles),
        Field("quaternion", "RotationQuat", c.quaternions),
        Field("opacity", "Opacity", c.float32s),
        Field("value_range", "ValueRange", ct.value_range),
        Field("colormap", "Colormap", c.enums, Colormap),
    )

    def __init__(
        self,
        voxel_indices: Any,
        voxel_size: Any,
        *,
        values: Any = None,
        colors: Any = None,
        translation: Any = None,
        rotation_axis_angle: Any = None,
        quaternion: Any = None,
        opacity: Any = None,
        value_range: Any = None,
        colormap: Colormap | str | int | None = None,
    ) -> None:
        super().__init__()
        self._set_field("voxel_indices", voxel_indices)
        self._set_field("voxel_size", voxel_size)
        self._set_field("values", values)
        self._set_field("colors", colors)
        self._set_field("translation", translation)
        self._set_field("rotation_axis_angle", rotation_axis_angle)
        self._set_field("quaternion", quaternion)
        self._set_field("opacity", opacity)
        self._set_field("value_range", value_range)
        self._set_field("colormap", colormap)


class Volume3D(Archetype):
    """A dense 3D scalar field (a tensor of values), rendered as a volume."""

    _FIELDS = (
        Field("values", "TensorData", ct.tensor_data),
        Field("voxel_size", "VoxelSize", c.vectors, 3, noun="voxel sizes"),
        Field("translation", "Translation3D", c.vectors, 3),
        Field("quaternion", "RotationQuat", c.quaternions),
        Field("value_range", "ValueRange", ct.value_range),
        Field("gamma", "GammaCorrection", c.float32s),
        Field("colormap", "Colormap", c.enums, Colormap),
        Field("optical_density", "OpticalDensity", c.float32s),
    )

    def __init__(
        self,
        values: Any,
        *,
        voxel_size: Any = None,
        translation: Any = None,
        quaternion: Any = None,
        value_range: Any = None,
        gamma: Any = None,
        colormap: Colormap | str | int | None = None,
        optical_density: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("values", values)
        self._set_field("voxel_size", voxel_size)
        self._set_field("translation", translation)
        self._set_field("quaternion", quaternion)
        self._set_field("value_range", value_range)
        self._set_field("gamma", gamma)
        self._set_field("colormap", colormap)
        self._set_field("optical_density", optical_density)
