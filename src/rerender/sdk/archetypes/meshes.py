"""Meshes: `Mesh3D` (explicit triangles) and `Asset3D` (a mesh file such as glTF, OBJ or STL)."""

from __future__ import annotations

import pathlib
from typing import Any

import numpy as np

from .. import components as c
from ..batch import Archetype
from ..datatypes import MediaType
from ..enums import ColorModel, MeshFaceRendering
from .images import channel_datatype_of, pixel_bytes, to_numpy


class Mesh3D(Archetype):
    """A triangle mesh with optional normals, vertex colors, texture coordinates and an albedo texture."""

    _FIELDS = (
        ("vertex_positions", "Position3D"),
        ("triangle_indices", "TriangleIndices"),
        ("vertex_normals", "Vector3D"),
        ("vertex_colors", "Color"),
        ("vertex_texcoords", "Texcoord2D"),
        ("albedo_factor", "AlbedoFactor"),
        ("face_rendering", "MeshFaceRendering"),
        ("albedo_texture_buffer", "ImageBuffer"),
        ("albedo_texture_format", "ImageFormat"),
        ("class_ids", "ClassId"),
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
        self._set("vertex_positions", vertex_positions, c.vectors, 3, noun="points")
        self._set("triangle_indices", triangle_indices, c.vectors, 3, noun="index triples", dtype=np.uint32)
        self._set("vertex_normals", vertex_normals, c.vectors, 3)
        self._set("vertex_colors", vertex_colors, c.colors)
        self._set("vertex_texcoords", vertex_texcoords, c.vectors, 2, noun="texture coordinates")
        self._set("albedo_factor", albedo_factor, c.colors)
        self._set("face_rendering", face_rendering, c.enums, MeshFaceRendering)
        if albedo_texture is not None:
            self._set_texture(albedo_texture)
        self._set("class_ids", class_ids, c.u16s)

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
        ("blob", "Blob"),
        ("media_type", "MediaType"),
        ("albedo_factor", "AlbedoFactor"),
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
        self._set("blob", contents, c.blob, argument="contents")
        self._set("media_type", media_type, c.utf8s)
        self._set("albedo_factor", albedo_factor, c.colors)
