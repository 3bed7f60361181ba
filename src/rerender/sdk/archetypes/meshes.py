"""Meshes: `Mesh3D` (explicit triangles) and `Asset3D` (a mesh file such as glTF, OBJ or STL)."""

from __future__ import annotations

import pathlib
from typing import Any

import numpy as np

from .. import components as c
from ..batch import Archetype, Field
from ..datatypes import MediaType
from ..enums import ColorModel, MeshFaceRendering
from .images import blob, channel_datatype_of, image_buffers, pixel_bytes, to_numpy


class Mesh3D(Archetype):
    """A triangle mesh with optional normals, vertex colors, texture coordinates and an albedo texture."""

    _FIELDS = (
        Field("vertex_positions", "Position3D", c.vectors, 3, noun="points"),
        Field("triangle_indices", "TriangleIndices", c.vectors, 3, noun="index triples", dtype=np.uint32),
        Field("vertex_normals", "Vector3D", c.vectors, 3),
        Field("vertex_colors", "Color", c.colors),
        Field("vertex_texcoords", "Texcoord2D", c.vectors, 2, noun="texture coordinates"),
        Field("albedo_factor", "AlbedoFactor", c.colors),
        Field("face_rendering", "MeshFaceRendering", c.enums, MeshFaceRendering),
        Field("albedo_texture_buffer", "ImageBuffer", image_buffers),
        Field("albedo_texture_format", "ImageFormat", c.image_formats),
        Field("class_ids", "ClassId", c.u16s),
    )

    def __init__(
        self,
        *,
        vertex_positions: Any,
        triangle_indices: Any = None,
        vertex_normals: Any = None,
        vertex_colors: Any = None,
        vertex_texcoords: Any = None,
        albedo_texture: Any = None,
        albedo_factor: Any = None,
        face_rendering: MeshFaceRendering | str | int | None = None,
        class_ids: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("vertex_positions", vertex_positions)
        self._set_field("triangle_indices", triangle_indices)
        self._set_field("vertex_normals", vertex_normals)
        self._set_field("vertex_colors", vertex_colors)
        self._set_field("vertex_texcoords", vertex_texcoords)
        self._set_field("albedo_factor", albedo_factor)
        self._set_field("face_rendering", face_rendering)
        if albedo_texture is not None:
            self._set_texture(albedo_texture)
        self._set_field("class_ids", class_ids)

    def _set_texture(self, texture: Any) -> None:
        """Split an HxWx3 / HxWx4 texture into its pixel buffer and image format."""
        pixels = to_numpy(texture)
        if pixels.ndim != 3 or pixels.shape[2] not in (3, 4):
            self._fail("albedo_texture", f"has shape {pixels.shape}; expected (height, width, 3 or 4)")
        datatype = channel_datatype_of(pixels.dtype)
        if datatype is None:
            self._fail("albedo_texture", f"has dtype {pixels.dtype}; expected an integer or float dtype")
        height, width, channels = pixels.shape
        self._arrays["albedo_texture_buffer"] = c.single_blob(pixel_bytes(pixels))
        self._arrays["albedo_texture_format"] = c.image_format(
            width,
            height,
            color_model=ColorModel.RGB if channels == 3 else ColorModel.RGBA,
            channel_datatype=datatype,
        )


class Asset3D(Archetype):
    """A 3D asset (glTF/GLB, OBJ, STL, PLY) from bytes or a path; a path's extension gives the media type."""

    _FIELDS = (
        Field("blob", "Blob", blob),
        Field("media_type", "MediaType", c.utf8s),
        Field("albedo_factor", "AlbedoFactor", c.colors),
    )

    def __init__(
        self,
        *,
        path: str | pathlib.Path | None = None,
        contents: Any = None,
        media_type: str | None = None,
        albedo_factor: Any = None,
    ) -> None:
        super().__init__()
        if (path is None) == (contents is None):
            self._fail("path", "and contents were both given or both missing; expected exactly one of them")
        if path is not None:
            try:
                contents = pathlib.Path(path).read_bytes()
            except OSError as err:
                self._fail("path", f"could not be read: {err}")
            if media_type is None:
                media_type = MediaType.guess_from_path(path)
        self._set_field("blob", contents, argument="contents")
        self._set_field("media_type", media_type)
        self._set_field("albedo_factor", albedo_factor)
