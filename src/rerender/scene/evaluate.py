"""Scene evaluation: a latest-at state -> a world-space `Scene` (pure; no GL, no I/O but asset parsing).

What is drawn and how defaults are chosen follows Rerun's 3D view (see the field notes, section 2):

* Colors default to the entity's auto color (`default_color`); radii to 1.5 UI points (`DEFAULT_RADIUS_UI`);
  one logged value is broadcast to every instance, and shorter component lists repeat their last value.
* InstancePoses3D: Mesh3D/Asset3D are drawn once per pose; Boxes3D/Ellipsoids3D pair shape i with pose i
  (the shorter list repeating its last entry); Points3D/LineStrips3D/Arrows3D use the first pose only
  (Rerun: "if not otherwise specified, only the first instance transform is applied").
* Positive (scene-unit) radii are multiplied by the uniform scale factor (cbrt|det|) of the world transform.
* Arrows3D: shaft = a line of radius 0.5·r; tip = a cone mesh of height 2·r and base radius r (positive r,
  scaled like the radii); for UI-point radii (no world size) the tip is 8 % of the arrow's length and
  its radius half that.
* Boxes3D / Ellipsoids3D: edges (12 per box; 3 axis circles per ellipsoid, lat/long rings for DenseWireframe)
  as lines of radius 0.5 UI pt by default; the fill as a mesh at alpha/4 for the default
  TransparentFillMajorWireframe, at full alpha (and without edges) for Solid, none for the wireframe modes.
* Mesh3D / Asset3D without colors are white; `albedo_factor` multiplies the colors.
* Pinhole: a frustum (origin -> 4 image-plane corners, the image rectangle and Rerun's small "up" triangle)
  in gray, 1 UI pt; plane distance = `image_plane_distance` or 2 % of the diagonal of the scene's bounds
  (0.3 when empty), as Rerun's fallback. Points2D/LineStrips2D at or below a pinhole are unprojected onto
  that plane; Image and EncodedImage are textured quads just behind it, stacked by draw order.
* DepthImage under a Pinhole: a point cloud, not a quad (Rerun's `process_depth_image_data` in a 3D view).
  Pixel (u, v) of depth d = value / `meter` (default 1000 for integer images, 1 for float; 0 and
  non-finite depths give no point) is the RDF camera point ((u - cx)·d/fx, (v - cy)·d/fy, d), the
  pinhole's `world_from_camera` taking it to world space (Rerun's depth-cloud shader: integer pixel
  coordinates, no half-pixel offset, no skew). Colour: the colormap (Turbo by default; Grayscale; others
  drawn as Turbo) over `depth_range` (default 0 to the largest finite value); radius:
  `point_fill_ratio` (default 1) · d · tan(fov_y / 2) / (h / 2), i.e. one pixel's width at depth d when
  the pinhole's resolution matches the image (fov_y from the logged resolution, else from a height of
  1, as Rerun), times the uniform scale of the world transform. Rerun adds each cloud's box to the
  scene's bounds, so here too the clouds count towards the bounds that size the default image planes.
* `Scene.up` comes from ViewCoordinates on "/" (else on a top-level entity), rotated into world space;
  +Z when there is none.

An entity that fails (malformed or unsupported values) is skipped with `warnings.warn` naming it;
`evaluate` never raises for bad data.
"""

from __future__ import annotations

import colorsys
import functools
import io
import warnings
import zlib
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from . import images
from . import transforms as tf
from .visuals import DEFAULT_RADIUS_UI, LabelsVisual, LinesVisual, MeshVisual, PointsVisual, Scene

BOX_LINE_RADIUS_UI = -0.5
FRUSTUM_LINE_RADIUS_UI = -1.0
FRUSTUM_COLOR = (0x7D, 0x8C, 0x92, 255)  # approximates Rerun's theme `frustum_color` (gray)
DEFAULT_PLANE_DISTANCE = 0.3
FILL_MAJOR, FILL_DENSE, FILL_SOLID, FILL_TRANSPARENT = 1, 2, 3, 4

ASSET_TYPES = {
    "model/gltf-binary": "glb",
    "model/gltf+json": "gltf",
    "model/obj": "obj",
    "model/stl": "stl",
}

SUPPORTED = {
    "Points3D",
    "LineStrips3D",
    "Arrows3D",
    "Boxes3D",
    "Ellipsoids3D",
    "Mesh3D",
    "Asset3D",
    "Points2D",
    "LineStrips2D",
}


# --- colors ------------------------------------------------------------------------------------------


def _linear_to_srgb(x: float) -> float:
    return 12.92 * x if x <= 0.0031308 else 1.055 * x ** (1 / 2.4) - 0.055


def default_color(entity_path: str) -> tuple[int, int, int, int]:
    """The entity's auto color, Rerun's palette with our own stable hash.

    k = zlib.crc32(utf-8 path) mod 65535; HSV(h = frac(k · 0.618033988749895), s = 0.85, v = 0.5) in linear
    RGB (as egui's `Hsva`), encoded to sRGB u8 with alpha 255. Rerun hashes with ahash, so the hue of a given
    path differs from the viewer's, but the palette (and its spread between entities) is the same.
    """
    k = zlib.crc32(entity_path.encode("utf-8")) % 65535
    hue = (k * 0.618033988749895) % 1.0
    rgb = colorsys.hsv_to_rgb(hue, 0.85, 0.5)
    r, g, b = (round(255 * _linear_to_srgb(c)) for c in rgb)
    return (r, g, b, 255)


def unpack_colors(packed) -> np.ndarray:
    """u32 0xRRGGBBAA values -> (N, 4) uint8 RGBA."""
    c = np.asarray(packed, dtype=np.uint64).reshape(-1).astype(np.uint32)
    return np.stack([(c >> 24) & 255, (c >> 16) & 255, (c >> 8) & 255, c & 255], axis=1).astype(np.uint8)


def _clamped(arr: np.ndarray, n: int) -> np.ndarray:
    """`arr` with n rows: the first n, then its last row repeated."""
    if len(arr) >= n:
        return arr[:n]
    return np.concatenate([arr, np.repeat(arr[-1:], n - len(arr), axis=0)])


def _colors(comps: Mapping, key: str, n: int, path: str) -> np.ndarray:
    value = comps.get(key)
    if value is not None and len(value.values):
        return _clamped(unpack_colors(value.to_numpy()), n)
    return np.tile(np.array(default_color(path), dtype=np.uint8), (n, 1))


def _radii(comps: Mapping, key: str, n: int, default: float, scale: float) -> np.ndarray:
    value = comps.get(key)
    if value is not None and len(value.values):
        r = _clamped(np.asarray(value.to_numpy(), dtype=np.float32).reshape(-1), n)
    else:
        r = np.full(n, default, dtype=np.float32)
    return np.where(r > 0, r * scale, r).astype(np.float32)


def _first_scalar(comps: Mapping, key: str):
    value = comps.get(key)
    if value is None or not len(value.values):
        return None
    return value.to_numpy().reshape(-1)[0]


def _list_of_vectors(comps: Mapping, key: str, width: int) -> tuple[np.ndarray, np.ndarray] | None:
    """A List<FSL[width]> component (line strips): all points as one (M, width) float64 array, and the
    (S + 1,) offsets where each list starts."""
    value = comps.get(key)
    if value is None:
        return None
    arr = value.values
    if not (pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type)):
        raise ValueError(f"{key}: expected a list array, got {arr.type}")
    inner = arr.type.value_type
    if not pa.types.is_fixed_size_list(inner) or inner.list_size != width:
        raise ValueError(f"{key}: expected lists of {width}-vectors, got {arr.type}")
    offsets = np.asarray(arr.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)
    flat = arr.flatten()
    points = np.asarray(flat.flatten().to_numpy(zero_copy_only=False), dtype=np.float64).reshape(-1, width)
    return points, offsets - offsets[0]


# --- geometry helpers --------------------------------------------------------------------------------


def _normal_matrix(matrix: np.ndarray) -> np.ndarray:
    linear = matrix[:3, :3]
    try:
        return np.linalg.inv(linear).T
    except np.linalg.LinAlgError:
        return linear


def _transform_normals(matrix: np.ndarray, normals: np.ndarray) -> np.ndarray:
    n = np.asarray(normals, dtype=np.float64).reshape(-1, 3) @ _normal_matrix(matrix).T
    length = np.linalg.norm(n, axis=1, keepdims=True)
    return (n / np.where(length > 0, length, 1.0)).astype(np.float32)


def _cone(base: np.ndarray, tip: np.ndarray, radius: float, segments: int = 12):
    """A closed cone from a base circle at `base` to `tip`: (vertices, triangles, normals)."""
    axis = tip - base
    height = np.linalg.norm(axis)
    d = axis / height
    helper = np.array([1.0, 0.0, 0.0]) if abs(d[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    u = np.cross(d, helper)
    u /= np.linalg.norm(u)
    v = np.cross(d, u)
    ang = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    radial = np.outer(np.cos(ang), u) + np.outer(np.sin(ang), v)
    ring = base + radius * radial
    side_normals = radial * height + d * radius
    side_normals /= np.linalg.norm(side_normals, axis=1, keepdims=True)
    # vertices: ring (side), tip per segment, ring (cap), base center
    verts = np.concatenate([ring, np.repeat(tip[None], segments, 0), ring, base[None]])
    normals = np.concatenate([side_normals, side_normals, np.repeat(-d[None], segments + 1, 0)])
    i = np.arange(segments)
    j = (i + 1) % segments
    side = np.stack([i, j, segments + i], axis=1)
    cap = np.stack([np.full(segments, 3 * segments), 2 * segments + j, 2 * segments + i], axis=1)
    return verts, np.concatenate([side, cap]), normals


_BOX_CORNERS = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], dtype=np.float64)
_BOX_EDGES = [(a, b) for a in range(8) for b in range(a + 1, 8) if bin(a ^ b).count("1") == 1]  # 12 edges


def _box_faces():
    verts, normals, tris = [], [], []
    for axis in range(3):
        for sign in (-1.0, 1.0):
            u, v = [a for a in range(3) if a != axis]
            base = len(verts)
            for su, sv in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
                p = np.zeros(3)
                p[axis], p[u], p[v] = sign, su, sv
                verts.append(p)
                n = np.zeros(3)
                n[axis] = sign
                normals.append(n)
            tris += [(base, base + 1, base + 2), (base, base + 2, base + 3)]
    return np.array(verts), np.array(tris, dtype=np.uint32), np.array(normals)


_BOX_FACE_VERTS, _BOX_FACE_TRIS, _BOX_FACE_NORMALS = _box_faces()


def _uv_sphere(n_lat: int = 8, n_lon: int = 16):
    theta = np.linspace(0, np.pi, n_lat + 1)
    phi = np.linspace(0, 2 * np.pi, n_lon + 1)
    t, p = np.meshgrid(theta, phi, indexing="ij")
    verts = np.stack([np.sin(t) * np.cos(p), np.sin(t) * np.sin(p), np.cos(t)], axis=-1).reshape(-1, 3)
    tris = []
    row = n_lon + 1
    for i in range(n_lat):
        for j in range(n_lon):
            a, b = i * row + j, i * row + j + 1
            c, d = a + row, b + row
            if i > 0:
                tris.append((a, c, b))
            if i < n_lat - 1:
                tris.append((b, c, d))
    return verts, np.array(tris, dtype=np.uint32)


_SPHERE_VERTS, _SPHERE_TRIS = _uv_sphere()


def _circle(axis_a: int, axis_b: int, segments: int = 32, offset: float = 0.0, radius: float = 1.0):
    ang = np.linspace(0, 2 * np.pi, segments + 1)
    out = np.zeros((segments + 1, 3))
    out[:, axis_a] = radius * np.cos(ang)
    out[:, axis_b] = radius * np.sin(ang)
    out[:, 3 - axis_a - axis_b] = offset
    return out


_ELLIPSOID_MAJOR = [_circle(0, 1), _circle(1, 2), _circle(0, 2)]
_ELLIPSOID_DENSE = [
    _circle(0, 1, offset=np.cos(t), radius=np.sin(t)) for t in np.linspace(0, np.pi, 9)[1:-1]
] + [
    np.stack([np.sin(t) * np.cos(p), np.sin(t) * np.sin(p), np.cos(t)], axis=1)
    for p in np.linspace(0, np.pi, 8, endpoint=False)
    for t in [np.linspace(0, 2 * np.pi, 33)]
]


# --- the evaluator -----------------------------------------------------------------------------------


class _Builder:
    def __init__(self, state: Mapping[str, Mapping], plane_distance: float | None, origin: str) -> None:
        self.state = state
        self.worlds = tf.world_transforms(state, origin)
        self.plane_distance = plane_distance
        self.points: list[PointsVisual] = []
        self.lines: list[LinesVisual] = []
        self.meshes: list[MeshVisual] = []
        self.labels: list[LabelsVisual] = []

    def placements(self, path: str, comps: Mapping) -> list[np.ndarray]:
        """World-from-geometry 4x4s, one per instance pose (the entity's world transform if none)."""
        world = self.worlds.get(path, np.eye(4))
        poses = tf.instance_poses(comps)
        return [world] if poses is None else [world @ p for p in poses]

    def placement(self, path: str, comps: Mapping) -> np.ndarray:
        """The first placement: points, lines and arrows use only the first instance pose, as in Rerun."""
        return self.placements(path, comps)[0]

    def pinhole_of(self, path: str) -> str | None:
        for node in reversed(tf.lineage(path)):
            if "Pinhole:image_from_camera" in self.state.get(node, {}):
                return node
        return None

    def label(self, path: str, comps: Mapping, arch: str, anchors: np.ndarray, colors: np.ndarray) -> None:
        """The archetype's labels at `anchors` (one per instance), when Rerun would show them: as
        `show_labels` says, else when there is a single label or fewer than LABELS_MAX_INSTANCES."""
        value = comps.get(f"{arch}:labels")
        if value is None or not len(value.values) or not len(anchors):
            return
        texts = [str(t) for t in value.values.to_pylist() if t is not None]
        show = _first_scalar(comps, f"{arch}:show_labels")
        if show is None:
            show = len(texts) == 1 or len(anchors) < LABELS_MAX_INSTANCES
        if not texts or not show:
            return
        anchors = np.asarray(anchors, dtype=np.float32).reshape(-1, 3)
        if len(texts) == 1 and len(anchors) > 1:
            # One label for many instances names the whole batch: Rerun puts it at their center.
            anchors, colors = anchors.mean(axis=0, keepdims=True), colors[:1]
        n = min(len(texts), len(anchors))
        self.labels.append(LabelsVisual(path, anchors[:n], tuple(texts[:n]), np.asarray(colors)[:n]))

    # --- 3D archetypes ---

    def points3d(self, path: str, comps: Mapping) -> None:
        pos = tf.vectors(comps, "Points3D:positions", 3)
        if pos is None or not len(pos):
            return
        n = len(pos)
        colors = _colors(comps, "Points3D:colors", n, path)
        m = self.placement(path, comps)
        radii = _radii(comps, "Points3D:radii", n, DEFAULT_RADIUS_UI, tf.uniform_scale(m))
        world = tf.apply(m, pos).astype(np.float32)
        self.points.append(PointsVisual(path, world, colors, radii))
        self.label(path, comps, "Points3D", world, colors)

    def linestrips3d(self, path: str, comps: Mapping) -> None:
        strips = _list_of_vectors(comps, "LineStrips3D:strips", 3)
        if strips is None or len(strips[1]) < 2:
            return
        points, offsets = strips
        n = len(offsets) - 1
        colors = _colors(comps, "LineStrips3D:colors", n, path)
        m = self.placement(path, comps)
        radii = _radii(comps, "LineStrips3D:radii", n, DEFAULT_RADIUS_UI, tf.uniform_scale(m))
        world = tf.apply(m, points).astype(np.float32)
        self.lines.append(LinesVisual(path, world, offsets, colors, radii))
        firsts = world[np.minimum(offsets[:-1], len(world) - 1)] if len(world) else world
        self.label(path, comps, "LineStrips3D", firsts, colors)  # at each strip's first point

    def arrows3d(self, path: str, comps: Mapping) -> None:
        vecs = tf.vectors(comps, "Arrows3D:vectors", 3)
        if vecs is None or not len(vecs):
            return
        n = len(vecs)
        origins = tf.vectors(comps, "Arrows3D:origins", 3)
        origins = np.zeros((n, 3)) if origins is None or not len(origins) else _clamped(origins, n)
        colors = _colors(comps, "Arrows3D:colors", n, path)
        for m in self.placements(path, comps)[:1]:
            radii = _radii(comps, "Arrows3D:radii", n, DEFAULT_RADIUS_UI, tf.uniform_scale(m))
            starts, ends = tf.apply(m, origins), tf.apply(m, origins + vecs)
            strips, verts, tris, normals, vcolors = [], [], [], [], []
            for i in range(n):
                length = np.linalg.norm(ends[i] - starts[i])
                if not np.isfinite(length) or length == 0.0:
                    strips.append(np.stack([starts[i], ends[i]]).astype(np.float32))
                    continue
                r = float(radii[i])
                height = min(2 * r, length) if r > 0 else 0.08 * length
                tip_radius = r if r > 0 else height / 2
                direction = (ends[i] - starts[i]) / length
                base = ends[i] - direction * height
                strips.append(np.stack([starts[i], base]).astype(np.float32))
                v, t, nr = _cone(base, ends[i], tip_radius)
                tris.append(t + sum(len(x) for x in verts))
                verts.append(v)
                normals.append(nr)
                vcolors.append(np.repeat(colors[i : i + 1], len(v), axis=0))
            self.lines.append(LinesVisual.from_strips(path, strips, colors, (radii * 0.5).astype(np.float32)))
            self.label(path, comps, "Arrows3D", (starts + ends) / 2, colors)  # at each arrow's middle
            if verts:
                self.meshes.append(
                    MeshVisual(
                        path,
                        np.concatenate(verts).astype(np.float32),
                        np.concatenate(tris).astype(np.uint32),
                        vertex_colors=np.concatenate(vcolors),
                        normals=np.concatenate(normals).astype(np.float32),
                    )
                )

    def _shapes(self, path: str, comps: Mapping, arch: str, radii_key: str, ellipsoid: bool) -> None:
        half = tf.vectors(comps, f"{arch}:half_sizes", 3)
        if half is None or not len(half):
            return
        centers = tf.vectors(comps, f"{arch}:centers", 3)
        aas = tf.axis_angles(comps, f"{arch}:rotation_axis_angles")
        quats = tf.vectors(comps, f"{arch}:quaternions", 4)
        fill = _first_scalar(comps, f"{arch}:fill_mode")
        fill = FILL_TRANSPARENT if fill is None else int(fill)
        if fill not in (FILL_MAJOR, FILL_DENSE, FILL_SOLID, FILL_TRANSPARENT):
            raise ValueError(f"unknown fill mode {fill}")
        # Rerun pairs shapes with instance poses: max(#half_sizes, #centers, #rotations, #poses) instances,
        # shorter lists repeating their last entry; the shape's own center/rotation/half-size apply first.
        placements = self.placements(path, comps)
        n = max(len(half), len(placements), *(len(a) for a in (centers, aas, quats) if a is not None))
        colors = _colors(comps, f"{arch}:colors", n, path)

        def pick(arr, i):
            return None if arr is None or len(arr) == 0 else arr[min(i, len(arr) - 1)]

        worlds = [
            pick(placements, i)
            @ tf._compose(pick(centers, i), pick(aas, i), pick(quats, i), pick(half, i), None)
            for i in range(n)
        ]
        line_radii = np.array(
            [
                _radii(comps, radii_key, n, BOX_LINE_RADIUS_UI, tf.uniform_scale(pick(placements, i)))[i]
                for i in range(n)
            ],
            dtype=np.float32,
        )
        if ellipsoid:
            wire = _ELLIPSOID_DENSE if fill == FILL_DENSE else _ELLIPSOID_MAJOR
            fill_verts, fill_tris, fill_normals = _SPHERE_VERTS, _SPHERE_TRIS, _SPHERE_VERTS
        else:
            wire = [_BOX_CORNERS[[a, b]] for a, b in _BOX_EDGES]
            fill_verts, fill_tris, fill_normals = _BOX_FACE_VERTS, _BOX_FACE_TRIS, _BOX_FACE_NORMALS
        self.label(path, comps, arch, np.array([mi[:3, 3] for mi in worlds]), colors)  # at each center
        if fill != FILL_SOLID:
            strips = [tf.apply(mi, s).astype(np.float32) for mi in worlds for s in wire]
            self.lines.append(
                LinesVisual.from_strips(
                    path, strips, np.repeat(colors, len(wire), axis=0), np.repeat(line_radii, len(wire))
                )
            )
        if fill in (FILL_SOLID, FILL_TRANSPARENT):
            fill_colors = colors.copy()
            if fill == FILL_TRANSPARENT:
                fill_colors[:, 3] = fill_colors[:, 3] // 4
            self.meshes.append(
                MeshVisual(
                    path,
                    np.concatenate([tf.apply(mi, fill_verts) for mi in worlds]).astype(np.float32),
                    np.concatenate([fill_tris + len(fill_verts) * i for i in range(n)]).astype(np.uint32),
                    vertex_colors=np.repeat(fill_colors, len(fill_verts), axis=0),
                    normals=np.concatenate([_transform_normals(mi, fill_normals) for mi in worlds]),
                )
            )

    def boxes3d(self, path: str, comps: Mapping) -> None:
        self._shapes(path, comps, "Boxes3D", "Boxes3D:radii", ellipsoid=False)

    def ellipsoids3d(self, path: str, comps: Mapping) -> None:
        self._shapes(path, comps, "Ellipsoids3D", "Ellipsoids3D:line_radii", ellipsoid=True)

    def _add_mesh(self, path, comps, verts, tris, normals, vcolors, color, texcoords=None, texture=None):
        verts = np.asarray(verts, dtype=np.float64).reshape(-1, 3)
        tris = np.asarray(tris, dtype=np.int64).reshape(-1, 3)
        if len(tris) and (tris.min() < 0 or tris.max() >= len(verts)):
            raise ValueError(f"triangle index out of range ({tris.max()} >= {len(verts)} vertices)")
        albedo = _first_scalar(comps, path_key(comps, "albedo_factor"))
        color = np.array(color, dtype=np.float64)
        if vcolors is not None:
            vcolors = np.asarray(vcolors, dtype=np.uint8)
        if albedo is not None:
            factor = unpack_colors([albedo])[0].astype(np.float64) / 255.0
            if vcolors is not None:
                vcolors = np.round(vcolors * factor).astype(np.uint8)
            color = np.round(color * factor)
        for m in self.placements(path, comps):
            self.meshes.append(
                MeshVisual(
                    path,
                    tf.apply(m, verts).astype(np.float32),
                    tris.astype(np.uint32),
                    vertex_colors=vcolors,
                    normals=None if normals is None else _transform_normals(m, normals),
                    color=tuple(int(c) for c in color),
                    texcoords=texcoords,
                    texture=texture,
                )
            )

    def mesh3d(self, path: str, comps: Mapping) -> None:
        verts = tf.vectors(comps, "Mesh3D:vertex_positions", 3)
        if verts is None or not len(verts):
            return
        tris = tf.vectors(comps, "Mesh3D:triangle_indices", 3)
        if tris is None or not len(tris):
            if len(verts) % 3:
                raise ValueError(f"{len(verts)} vertices without triangle_indices is not a multiple of 3")
            tris = np.arange(len(verts)).reshape(-1, 3)
        normals = tf.vectors(comps, "Mesh3D:vertex_normals", 3)
        if normals is not None and len(normals) != len(verts):
            normals = None
        vcol = comps.get("Mesh3D:vertex_colors")
        vcolors = None
        if vcol is not None and len(vcol.values):
            vcolors = _clamped(unpack_colors(vcol.to_numpy()), len(verts))
        texcoords = tf.vectors(comps, "Mesh3D:vertex_texcoords", 2)
        texcoords = (
            texcoords.astype(np.float32) if texcoords is not None and len(texcoords) == len(verts) else None
        )
        texture = _mesh_texture(comps) if texcoords is not None else None
        self._add_mesh(path, comps, verts, tris, normals, vcolors, (255, 255, 255, 255), texcoords, texture)

    def asset3d(self, path: str, comps: Mapping) -> None:
        blob = comps.get("Asset3D:blob")
        if blob is None or not len(blob.values):
            return
        media = comps.get("Asset3D:media_type")
        media = str(media.values[0].as_py()) if media is not None and len(media.values) else None
        key = (path, blob.row_id, media)
        parts = _ASSET_CACHE.get(key)
        if parts is None:
            data = np.asarray(blob.values[0].values.to_numpy(zero_copy_only=False), dtype=np.uint8).tobytes()
            parts = list(load_asset(data, media))
            _ASSET_CACHE[key] = parts
            while len(_ASSET_CACHE) > _ASSET_CACHE_SIZE:
                _ASSET_CACHE.popitem(last=False)
        else:
            _ASSET_CACHE.move_to_end(key)
        for verts, tris, normals, vcolors, color, uv, tex in parts:
            self._add_mesh(path, comps, verts, tris, normals, vcolors, color, uv, tex)

    # --- pinholes and 2D content ---

    def pinhole_frame(self, path: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        """(world-from-RDF-camera 4x4, K 3x3, resolution (w, h), plane distance) of a pinhole entity."""
        frame = pinhole_frame(self.state[path], self.worlds.get(path, np.eye(4)))
        d = frame.plane_distance or self.plane_distance
        return frame.world_from_camera, frame.image_from_camera, frame.resolution, d

    def frustum(self, path: str) -> None:
        world, K, (w, h), d = self.pinhole_frame(path)
        comps = self.state[path]
        corners = unproject(K, np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64), d)
        up = unproject(K, np.array([[0.4 * w, 0], [0.5 * w, -0.1 * w], [0.6 * w, 0]]), d)
        c = tf.apply(world, corners).astype(np.float32)
        o = tf.apply(world, np.zeros((1, 3))).astype(np.float32)[0]
        u = tf.apply(world, up).astype(np.float32)
        strips = (*(np.stack([o, c[i]]) for i in range(4)), np.concatenate([c, c[:1]]), u)
        color = comps.get("Pinhole:color")
        color = (
            unpack_colors(color.to_numpy())[0] if color is not None and len(color.values) else FRUSTUM_COLOR
        )
        r = _first_scalar(comps, "Pinhole:line_width")
        r = FRUSTUM_LINE_RADIUS_UI if r is None else float(r)
        r = r * tf.uniform_scale(world) if r > 0 else r
        n = len(strips)
        self.lines.append(
            LinesVisual.from_strips(
                path, strips, np.tile(np.array(color, np.uint8), (n, 1)), np.full(n, r, np.float32)
            )
        )

    def _pixel_radius_scale(self, K: np.ndarray, d: float, world: np.ndarray) -> float:
        # pixels -> world units on the image plane at distance d
        return d / float(np.sqrt(abs(K[0, 0] * K[1, 1]))) * tf.uniform_scale(world)

    def points2d(self, path: str, comps: Mapping, pinhole: str) -> None:
        pos = tf.vectors(comps, "Points2D:positions", 2)
        if pos is None or not len(pos):
            return
        world, K, _, d = self.pinhole_frame(pinhole)
        n = len(pos)
        colors = _colors(comps, "Points2D:colors", n, path)
        radii = _radii(comps, "Points2D:radii", n, DEFAULT_RADIUS_UI, self._pixel_radius_scale(K, d, world))
        self.points.append(
            PointsVisual(path, tf.apply(world, unproject(K, pos, d)).astype(np.float32), colors, radii)
        )

    def image(self, path: str, comps: Mapping, pinhole: str, arch: str) -> None:
        """An Image or EncodedImage as a textured quad on the pinhole's image plane."""
        rgba = images.image_rgba(comps) if arch == "Image" else images.encoded_image_rgba(path, comps)
        world, K, _, d = self.pinhole_frame(pinhole)
        h, w = rgba.shape[:2]
        order = _first_scalar(comps, f"{arch}:draw_order")
        order = IMAGE_DRAW_ORDER[arch] if order is None or not np.isfinite(order) else float(order)
        # Images sit just behind the plane (lower draw orders further back), so that layers do not fight
        # over depth and the 2D points and lines on the plane stay in front, as Rerun stacks them.
        behind = d * (1 + 1e-4 * (100 - min(max(order, -100.0), 99.0)))
        corners = unproject(K, np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64), behind)
        self.meshes.append(
            MeshVisual(
                path,
                tf.apply(world, corners).astype(np.float32),
                np.array([[0, 1, 2], [0, 2, 3]], dtype=np.uint32),
                texcoords=np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=np.float32),
                texture=rgba,
            )
        )

    def depth_cloud(self, path: str, comps: Mapping, pinhole: str) -> None:
        """A DepthImage under a Pinhole as Rerun's 3D view draws it: the depth image back-projected
        through the pinhole into a point cloud, one point per pixel with a valid depth."""
        depth, meter = images.depth_values(comps)
        pin = self.state[pinhole]
        frame = pinhole_frame(pin, self.worlds.get(pinhole, np.eye(4)))
        K, world = frame.image_from_camera, frame.world_from_camera
        # Point radius per unit of depth (Rerun's `point_radius_from_world_depth`): the fill ratio times
        # tan(fov_y / 2) / (image height / 2), fov_y from the logged resolution (else a height of 1).
        ratio = _first_scalar(comps, "DepthImage:point_fill_ratio")
        ratio = 1.0 if ratio is None or not np.isfinite(ratio) else float(ratio)
        res = tf.vectors(pin, "Pinhole:resolution", 2)
        res_h = float(res[0][1]) if res is not None and len(res) else 1.0
        per_depth = ratio * (0.5 * res_h / abs(K[1, 1])) / (0.5 * depth.shape[0])
        z = depth / meter
        with np.errstate(invalid="ignore"):
            valid = np.isfinite(z) & (z > 0)  # the shader's `0 < depth < f32max`
        if not (per_depth > 0 and np.isfinite(per_depth)) or not valid.any():
            return  # Rerun skips points of zero radius
        v, u = np.nonzero(valid)  # row-major, as the shader walks the texture
        d = z[v, u]
        rdf = np.stack([(u - K[0, 2]) * d / K[0, 0], (v - K[1, 2]) * d / K[1, 1], d], axis=1)
        lo, hi = images.depth_range(comps, depth)
        rgb = images.depth_colors(comps, (depth[v, u] - lo) / ((hi - lo) or 1.0))
        colors = np.concatenate([rgb, np.full((len(d), 1), 255, np.uint8)], axis=1)
        radii = (per_depth * tf.uniform_scale(world) * d).astype(np.float32)
        self.points.append(PointsVisual(path, tf.apply(world, rdf).astype(np.float32), colors, radii))

    def linestrips2d(self, path: str, comps: Mapping, pinhole: str) -> None:
        strips = _list_of_vectors(comps, "LineStrips2D:strips", 2)
        if strips is None or len(strips[1]) < 2:
            return
        points, offsets = strips
        world, K, _, d = self.pinhole_frame(pinhole)
        n = len(offsets) - 1
        colors = _colors(comps, "LineStrips2D:colors", n, path)
        radii = _radii(
            comps, "LineStrips2D:radii", n, DEFAULT_RADIUS_UI, self._pixel_radius_scale(K, d, world)
        )
        on_plane = tf.apply(world, unproject(K, points, d)).astype(np.float32)
        self.lines.append(LinesVisual(path, on_plane, offsets, colors, radii))


@dataclass(frozen=True)
class PinholeFrame:
    """Where a Pinhole sees from and how it projects."""

    world_from_camera: np.ndarray  # 4x4: the camera's RDF axes (right, down, forward) to world space
    image_from_camera: np.ndarray  # 3x3 K: fx, fy, principal point, in pixels
    resolution: np.ndarray  # (w, h) pixels (twice the principal point when not logged)
    plane_distance: float | None  # the logged image_plane_distance, if any


def pinhole_frame(comps: Mapping, world: np.ndarray) -> PinholeFrame:
    """A Pinhole entity's frame, given its components and its world transform. Raises ValueError
    for a missing or singular image_from_camera."""
    k = tf.vectors(comps, "Pinhole:image_from_camera", 9)
    if k is None or not len(k):
        raise ValueError("Pinhole without image_from_camera")
    K = k[0].reshape(3, 3).T
    if not np.all(np.isfinite(K)) or abs(np.linalg.det(K)) < 1e-30:
        raise ValueError("singular Pinhole image_from_camera")
    res = tf.vectors(comps, "Pinhole:resolution", 2)
    resolution = res[0] if res is not None and len(res) else 2.0 * K[:2, 2]
    xyz = tf.vectors(comps, "Pinhole:camera_xyz", 3)
    basis = tf.view_coordinates_basis(xyz[0]) if xyz is not None and len(xyz) else np.eye(3)  # RDF default
    cam = np.eye(4)
    cam[:3, :3] = basis
    d = _first_scalar(comps, "Pinhole:image_plane_distance")
    d = float(d) if d is not None and np.isfinite(d) and d > 0 else None
    return PinholeFrame(world @ cam, K, np.asarray(resolution, dtype=np.float64), d)


def pinhole_view(state: Mapping[str, Mapping], path: str, origin: str = "/") -> PinholeFrame | None:
    """The frame of the Pinhole logged on `path` in a latest-at state (in the space of `origin`), or None
    when it has none."""
    comps = state.get(path, {})
    if "Pinhole:image_from_camera" not in comps:
        return None
    return pinhole_frame(comps, tf.world_transforms(state, origin).get(path, np.eye(4)))


def path_key(comps: Mapping, component: str) -> str:
    """The `<Archetype>:<component>` key present in comps for a component shared by Mesh3D/Asset3D."""
    for arch in ("Mesh3D", "Asset3D"):
        if f"{arch}:{component}" in comps:
            return f"{arch}:{component}"
    return f"Mesh3D:{component}"


def unproject(K: np.ndarray, pixels: np.ndarray, distance: float) -> np.ndarray:
    """Pixels (N, 2) -> RDF camera-space points (N, 3) on the plane z = distance."""
    pixels = np.asarray(pixels, dtype=np.float64).reshape(-1, 2)
    homo = np.concatenate([pixels, np.ones((len(pixels), 1))], axis=1)
    rays = homo @ np.linalg.inv(K).T
    z = rays[:, 2:3]
    return rays / np.where(z != 0, z, 1.0) * distance


def _mesh_texture(comps: Mapping) -> np.ndarray | None:
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


# Parsed assets by (entity, blob row id, media type): a row id names one logged blob, so re-evaluating
# frame after frame parses each asset once. Results are treated as read-only.
_ASSET_CACHE: OrderedDict = OrderedDict()
_ASSET_CACHE_SIZE = 32


def _guess_file_type(data: bytes) -> str:
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


def load_asset(data: bytes, media_type: str | None):
    """Parse an Asset3D blob with trimesh.

    Yields (verts, tris, normals, vertex_colors, color, uv, texture) per mesh, node transforms applied.
    """
    import trimesh

    file_type = ASSET_TYPES.get(media_type or "") or _guess_file_type(data)
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
        vcolors, color, uv, texture = None, (255, 255, 255, 255), None, None
        visual = g.visual
        kind = getattr(visual, "kind", None)
        if kind == "vertex":
            vcolors = np.asarray(visual.vertex_colors, dtype=np.uint8)
        elif kind == "face":
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
            if image is not None and getattr(visual, "uv", None) is not None and len(visual.uv) == len(verts):
                texture = np.asarray(image.convert("RGBA"), dtype=np.uint8)
                uv = np.asarray(visual.uv, dtype=np.float32)
        yield verts, tris, normals, vcolors, color, uv, texture


def _archetypes(comps: Mapping) -> set[str]:
    return {key.split(":", 1)[0] for key in comps if ":" in key}


DRAWN_3D = ("Points3D", "LineStrips3D", "Arrows3D", "Boxes3D", "Ellipsoids3D", "Mesh3D", "Asset3D")
LABELS_MAX_INSTANCES = 30  # Rerun shows labels by default below this many instances
DRAWN_UNDER_PINHOLE = ("Pinhole", "Points2D", "LineStrips2D", "Image", "EncodedImage", "DepthImage")
# Rerun's default draw orders (higher is on top): images under 2D points/lines. (A DepthImage's is -20, but
# in 3D it is a point cloud, not a layer on the image plane.)
IMAGE_DRAW_ORDER = {"Image": -10.0, "EncodedImage": -10.0}


def _scene_up(state: Mapping, worlds: dict[str, np.ndarray], origin: str) -> np.ndarray:
    """Up from ViewCoordinates: on the view's origin or its nearest ancestor that has them; for the
    origin "/", on "/" if logged there, else on a top-level entity.

    Among top-level entities the one whose subtree holds the most 3D-drawn entities wins (ties: "/world",
    then by name), so a camera's RDF ViewCoordinates on "/camera" do not flip the scene of "/world".
    """
    drawn: dict[str, int] = {}
    for path, comps in state.items():
        if path != "/" and _archetypes(comps) & set(DRAWN_3D):
            top = tf.lineage(path)[1]
            drawn[top] = drawn.get(top, 0) + 1
    tops = [p for p in state if p != "/" and tf.parent_path(p) == "/"]
    candidates = ["/", *sorted(tops, key=lambda p: (-drawn.get(p, 0), p != "/world", p))]
    if origin != "/":
        candidates = tf.lineage(origin)[::-1]
    for path in candidates:
        comps = state.get(path, {})
        try:
            xyz = tf.vectors(comps, "ViewCoordinates:xyz", 3)
            if xyz is None or not len(xyz):
                continue
            tf.view_coordinates_basis(xyz[0])  # validates
            up = tf.up_vector(xyz[0])
        except Exception as exc:
            warnings.warn(f"{path}: ignoring malformed ViewCoordinates ({exc})", stacklevel=3)
            continue
        if up is None:
            continue
        world_up = worlds.get(path, np.eye(4))[:3, :3] @ up
        norm = np.linalg.norm(world_up)
        if norm > 0 and np.isfinite(norm):
            return world_up / norm
    return np.array([0.0, 0.0, 1.0])


def evaluate(
    state: Mapping[str, Mapping], *, image_plane_distance: float | None = None, origin: str = "/"
) -> Scene:
    """Everything `state` (entity path -> component identifier -> ComponentValue) shows, in the space of
    the entity `origin` (a Rerun view's space origin; "/" is world space).

    `image_plane_distance` overrides the default distance of pinhole image planes (Rerun's fallback:
    2 % of the scene's bounding diagonal, 0.3 for an empty scene); a Pinhole's own value always wins.
    """
    b = _Builder(state, image_plane_distance, origin)
    handlers3d = {
        "Points3D": b.points3d,
        "LineStrips3D": b.linestrips3d,
        "Arrows3D": b.arrows3d,
        "Boxes3D": b.boxes3d,
        "Ellipsoids3D": b.ellipsoids3d,
        "Mesh3D": b.mesh3d,
        "Asset3D": b.asset3d,
    }
    handlers2d = {
        "Points2D": b.points2d,
        "LineStrips2D": b.linestrips2d,
        **{arch: functools.partial(b.image, arch=arch) for arch in IMAGE_DRAW_ORDER},
        "DepthImage": b.depth_cloud,
    }
    paths = sorted(p for p in state if not p.startswith("/__"))
    later: list[tuple[str, str, str]] = []
    pinholes: list[str] = []
    for path in paths:
        comps = state[path]
        if "Pinhole:image_from_camera" in comps:
            pinholes.append(path)
        pinhole = b.pinhole_of(path)
        for arch in sorted(_archetypes(comps)):
            if arch in handlers2d:
                if pinhole is not None:
                    later.append((path, arch, pinhole))
                continue  # 2D content outside a pinhole belongs to 2D views
            handler = handlers3d.get(arch)
            if handler is None or pinhole is not None:
                continue  # not drawn in 3D (or 3D content in a pinhole's 2D space)
            _guarded(b, path, arch, handler, comps)

    # Depth clouds do not depend on the image planes, and Rerun counts them in the bounds that size them.
    clouds = [item for item in later if item[1] == "DepthImage"]
    later = [item for item in later if item[1] != "DepthImage"]
    for path, arch, pinhole in clouds:
        try:
            pinhole_frame(state[pinhole], b.worlds.get(pinhole, np.eye(4)))
        except Exception:
            continue  # a malformed Pinhole: the frustum pass below warns about it, once
        _guarded(b, path, arch, lambda p, c, ph=pinhole: b.depth_cloud(p, c, ph), state[path])

    if b.plane_distance is None and pinholes:  # only image planes need it, and bounds cost a pass
        bounds = Scene(tuple(b.points), tuple(b.lines), tuple(b.meshes)).bounds()
        diag = 0.0 if bounds is None else float(np.linalg.norm(bounds[1] - bounds[0]))
        b.plane_distance = 0.02 * diag if diag > 0 and np.isfinite(diag) else DEFAULT_PLANE_DISTANCE

    bad_pinholes = set()
    for path in pinholes:
        if not _guarded(b, path, "Pinhole", lambda p, _c: b.frustum(p), state[path]):
            bad_pinholes.add(path)
    for path, arch, pinhole in later:
        if pinhole not in bad_pinholes:
            _guarded(b, path, arch, lambda p, c, f=handlers2d[arch], ph=pinhole: f(p, c, ph), state[path])

    return Scene(
        tuple(b.points),
        tuple(b.lines),
        tuple(b.meshes),
        up=_scene_up(state, b.worlds, origin),
        labels=tuple(b.labels),
    )


def _guarded(b: _Builder, path: str, arch: str, handler, comps: Mapping) -> bool:
    """Run one archetype's handler; on failure drop what it added and warn (never raise)."""
    sizes = len(b.points), len(b.lines), len(b.meshes), len(b.labels)
    try:
        handler(path, comps)
    except Exception as exc:
        del b.points[sizes[0] :], b.lines[sizes[1] :], b.meshes[sizes[2] :], b.labels[sizes[3] :]
        warnings.warn(f"{path}: skipping {arch} ({type(exc).__name__}: {exc})", stacklevel=3)
        return False
    return True
