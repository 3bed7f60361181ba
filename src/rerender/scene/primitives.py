"""Mesh and wireframe primitives the 3D archetypes are drawn with (pure numpy, built once where fixed).

Unit shapes live in [-1, 1]^3 (a box's half size, an ellipsoid's radii scale them); wireframes are tuples
of (M, 3) strips.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TriangleMesh:
    """Triangles with per-vertex normals, in the primitive's own coordinates."""

    vertices: np.ndarray  # (V, 3) float64
    triangles: np.ndarray  # (T, 3) integer indices into vertices
    normals: np.ndarray  # (V, 3) float64, unit length


def cone(base: np.ndarray, tip: np.ndarray, radius: float, segments: int = 12) -> TriangleMesh:
    """A closed cone from a base circle at `base` to `tip` (an arrow's head)."""
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
    # vertices: ring (side), tip per segment (its own normal per side), ring (cap), base center
    verts = np.concatenate([ring, np.repeat(tip[None], segments, 0), ring, base[None]])
    normals = np.concatenate([side_normals, side_normals, np.repeat(-d[None], segments + 1, 0)])
    i = np.arange(segments)
    j = (i + 1) % segments
    side = np.stack([i, j, segments + i], axis=1)
    cap = np.stack([np.full(segments, 3 * segments), 2 * segments + j, 2 * segments + i], axis=1)
    return TriangleMesh(verts, np.concatenate([side, cap]), normals)


def _box_faces() -> TriangleMesh:
    # Four vertices per face rather than eight shared corners, so that each face is flat-shaded.
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
    return TriangleMesh(np.array(verts), np.array(tris, dtype=np.uint32), np.array(normals))


def _box_edges() -> tuple[np.ndarray, ...]:
    corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], dtype=np.float64)
    # Corners one bit apart share an edge: 12 of them.
    return tuple(corners[[a, b]] for a in range(8) for b in range(a + 1, 8) if bin(a ^ b).count("1") == 1)


def uv_sphere(n_lat: int = 8, n_lon: int = 16) -> TriangleMesh:
    """The unit sphere as a latitude/longitude grid (normals = vertices)."""
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
            if i > 0:  # no degenerate triangles at the poles
                tris.append((a, c, b))
            if i < n_lat - 1:
                tris.append((b, c, d))
    return TriangleMesh(verts, np.array(tris, dtype=np.uint32), verts)


def circle(
    axis_a: int, axis_b: int, segments: int = 32, offset: float = 0.0, radius: float = 1.0
) -> np.ndarray:
    """A closed (segments + 1, 3) strip: a circle in the plane of axes a, b, at `offset` along the third."""
    ang = np.linspace(0, 2 * np.pi, segments + 1)
    out = np.zeros((segments + 1, 3))
    out[:, axis_a] = radius * np.cos(ang)
    out[:, axis_b] = radius * np.sin(ang)
    out[:, 3 - axis_a - axis_b] = offset
    return out


BOX_FACES = _box_faces()  # the unit box's 6 faces
BOX_EDGES = _box_edges()  # the unit box's 12 edges, one 2-point strip each
UNIT_SPHERE = uv_sphere()
# Rerun's ellipsoid wireframes: the three axis circles (major), or 7 latitude rings and 8 meridians (dense).
ELLIPSOID_MAJOR = (circle(0, 1), circle(1, 2), circle(0, 2))
ELLIPSOID_DENSE = (
    *(circle(0, 1, offset=np.cos(t), radius=np.sin(t)) for t in np.linspace(0, np.pi, 9)[1:-1]),
    *(
        np.stack([np.sin(t) * np.cos(p), np.sin(t) * np.sin(p), np.cos(t)], axis=1)
        for p in np.linspace(0, np.pi, 8, endpoint=False)
        for t in [np.linspace(0, 2 * np.pi, 33)]
    ),
)
