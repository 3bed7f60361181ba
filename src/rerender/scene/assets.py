"""Meshes from files and textures: Asset3D blobs parsed with trimesh (glTF/GLB, OBJ, STL; cached), and a
Mesh3D's albedo texture."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..lru import LruCache
from .components import Components
from .visuals import PbrMaterial

if TYPE_CHECKING:
    from ..store.values import ComponentValue

# Asset3D media types -> trimesh file types (others are guessed from the bytes).
ASSET_TYPES = {
    "model/gltf-binary": "glb",
    "model/gltf+json": "gltf",
    "model/obj": "obj",
    "model/stl": "stl",
}


@dataclass(frozen=True)
class MeshPart:
    """One mesh in its entity's coordinates, as Mesh3D logs it or as one part of an Asset3D."""

    vertices: np.ndarray  # (V, 3)
    triangles: np.ndarray  # (T, 3) indices into vertices
    normals: np.ndarray | None = None  # (V, 3)
    vertex_colors: np.ndarray | None = None  # (V, 4) uint8
    color: tuple[int, int, int, int] = (255, 255, 255, 255)  # when there are no vertex colors
    texcoords: np.ndarray | None = None  # (V, 2) float32
    texture: np.ndarray | None = None  # (H, W, 3|4) uint8
    material: PbrMaterial | None = None  # glTF metallic-roughness factors (assets only)


def guess_file_type(data: bytes) -> str:
    """The trimesh file type of an asset blob without a (known) media type: glb, gltf, stl, else obj."""
    if data[:4] == b"glTF":
        return "glb"
    head = data[:512].lstrip()
    if head[:1] == b"{":
        return "gltf"
    if head[:5].lower() == b"solid" or (
        len(data) >= 84 and len(data) == 84 + 50 * int.from_bytes(data[80:84], "little")
    ):
        return "stl"
    return "obj"


def load_asset(data: bytes, media_type: str | None) -> Iterator[MeshPart]:
    """Parse an Asset3D blob with trimesh: one `MeshPart` per mesh, node transforms applied."""
    import trimesh  # slow to import, and only assets need it

    file_type = ASSET_TYPES.get(media_type or "") or guess_file_type(data)
    loaded = trimesh.load(file_obj=io.BytesIO(data), file_type=file_type, process=False)
    if isinstance(loaded, trimesh.Scene):
        geoms = loaded.dump() if hasattr(loaded, "dump") else list(loaded.geometry.values())
    else:
        geoms = [loaded]
    for g in geoms:
        if not isinstance(g, trimesh.Trimesh) or not len(g.faces):
            continue
        verts = np.asarray(g.vertices, dtype=np.float64)
        tris = np.asarray(g.faces, dtype=np.int64)
        normals = None
        try:
            normals = np.asarray(g.vertex_normals, dtype=np.float64)
        except Exception:  # degenerate geometry
            normals = None
        vcolors, color, uv, texture, pbr = None, (255, 255, 255, 255), None, None, None
        visual = g.visual
        kind = getattr(visual, "kind", None)
        if kind == "vertex":
            vcolors = np.asarray(visual.vertex_colors, dtype=np.uint8)
        elif kind == "face":
            # Face colours become vertex colours of unshared vertices, three per face.
            vcolors = np.asarray(visual.face_colors, dtype=np.uint8)
            verts, tris = verts[tris].reshape(-1, 3), np.arange(3 * len(tris)).reshape(-1, 3)
            vcolors = np.repeat(vcolors, 3, axis=0)
            normals = None if normals is None else np.repeat(np.asarray(g.face_normals), 3, axis=0)
        elif kind == "texture":
            material = getattr(visual, "material", None)
            base = getattr(material, "baseColorFactor", None)
            if base is None:
                base = getattr(material, "diffuse", None)
            if base is not None:
                base = np.asarray(base, dtype=np.float64).reshape(-1)
                if base.max() <= 1.0:
                    base = base * 255.0
                color = tuple(round(float(c)) for c in [*base[:4], 255.0][:4])
            image = getattr(material, "baseColorTexture", None) or getattr(material, "image", None)
            has_uv = getattr(visual, "uv", None) is not None and len(visual.uv) == len(verts)
            if image is not None and has_uv:
                texture = np.asarray(image.convert("RGBA"), dtype=np.uint8)
                uv = np.asarray(visual.uv, dtype=np.float32)
            pbr = pbr_material(material, has_uv)
        yield MeshPart(verts, tris, normals, vcolors, color, uv, texture, pbr)


def pbr_material(material: object, has_uv: bool) -> PbrMaterial | None:
    """A trimesh glTF material's metallic-roughness factors (glTF's defaults, 1 and 1, where unset), None
    for materials that are not glTF's (OBJ's)."""
    if type(material).__name__ != "PBRMaterial":
        return None
    metallic = getattr(material, "metallicFactor", None)
    roughness = getattr(material, "roughnessFactor", None)
    image = getattr(material, "metallicRoughnessTexture", None)
    texture = np.asarray(image.convert("RGB"), dtype=np.uint8) if image is not None and has_uv else None
    return PbrMaterial(
        1.0 if metallic is None else float(metallic),
        1.0 if roughness is None else float(roughness),
        texture,
    )


# Parsed assets by (entity, blob row id, media type): a row id names one logged blob, so re-evaluating
# frame after frame parses each asset once. Results are treated as read-only.
_PARSED: LruCache[tuple, list[MeshPart]] = LruCache(32)


def asset_parts(entity_path: str, blob: ComponentValue, media_type: str | None) -> list[MeshPart]:
    """The meshes of an entity's logged Asset3D blob (non-empty), parsed once per logged blob."""
    key = (entity_path, blob.row_id, media_type)
    parts = _PARSED.get(key)
    if parts is None:
        data = np.asarray(blob.values[0].values.to_numpy(zero_copy_only=False), dtype=np.uint8).tobytes()
        parts = list(load_asset(data, media_type))
        _PARSED.put(key, parts)
    return parts


def mesh_texture(comps: Components) -> np.ndarray | None:
    """Mesh3D's albedo texture as (H, W, 3|4) uint8 for 8-bit L/RGB/RGBA formats, else None."""
    buf = comps.get("Mesh3D:albedo_texture_buffer")
    fmt = comps.get("Mesh3D:albedo_texture_format")
    if buf is None or fmt is None or not len(buf.values) or not len(fmt.values):
        return None
    f = fmt.values[0].as_py()
    channels = {1: 1, 2: 3, 3: 4}.get(f.get("color_model"))
    if channels is None or f.get("channel_datatype") not in (None, 6) or f.get("pixel_format") is not None:
        return None
    data = np.asarray(buf.values[0].values.to_numpy(zero_copy_only=False), dtype=np.uint8)
    w, h = int(f["width"]), int(f["height"])
    if data.size != w * h * channels:
        return None
    img = data.reshape(h, w, channels)
    return np.repeat(img, 3, axis=2) if channels == 1 else img
