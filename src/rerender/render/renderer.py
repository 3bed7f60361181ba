"""Drawing a `Scene` with pyrender into an RGB image, offscreen.

Points become merged low-poly spheres (42 vertices each, so thousands stay cheap on a software
rasterizer), line strips become camera-facing ribbons (core-profile GL has no thick lines), and
meshes are drawn as given. Lighting follows Rerun's: ambient plus two fixed world-space lights.
"""

from __future__ import annotations

import math

import numpy as np

from ..camera.framing import CameraPose
from ..scene.visuals import LinesVisual, MeshVisual, PointsVisual, Scene
from .gl import import_pyrender, offscreen_renderer

# Rerun's lighting directions (towards the lights) and strengths, in world space.
_LIGHTS = ((np.array([1.0, 2.0, 3.0]), 3.0), (np.array([-1.0, -3.0, -5.0]), 1.5))
_AMBIENT = 0.35
BACKGROUND = (0.1, 0.1, 0.1)  # Rerun's dark background, seen side-on (#1a1a1a)
REFERENCE_HEIGHT = 720  # 1 UI point is one pixel at this output height, scaled with it


def _unit_sphere(subdivide: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """An icosahedron, subdivided once (42 vertices, 80 triangles) or not (12, 20); made here because
    trimesh costs a second to import."""
    t = (1 + 5**0.5) / 2
    vertices = [
        (-1, t, 0),
        (1, t, 0),
        (-1, -t, 0),
        (1, -t, 0),
        (0, -1, t),
        (0, 1, t),
        (0, -1, -t),
        (0, 1, -t),
        (t, 0, -1),
        (t, 0, 1),
        (-t, 0, -1),
        (-t, 0, 1),
    ]
    faces = [
        (0, 11, 5),
        (0, 5, 1),
        (0, 1, 7),
        (0, 7, 10),
        (0, 10, 11),
        (1, 5, 9),
        (5, 11, 4),
        (11, 10, 2),
        (10, 7, 6),
        (7, 1, 8),
        (3, 9, 4),
        (3, 4, 2),
        (3, 2, 6),
        (3, 6, 8),
        (3, 8, 9),
        (4, 9, 5),
        (2, 4, 11),
        (6, 2, 10),
        (8, 6, 7),
        (9, 8, 1),
    ]
    points = [np.array(v, dtype=np.float64) / np.linalg.norm(v) for v in vertices]
    midpoints: dict[tuple[int, int], int] = {}

    def midpoint(a: int, b: int) -> int:
        key = (min(a, b), max(a, b))
        if key not in midpoints:
            m = points[a] + points[b]
            points.append(m / np.linalg.norm(m))
            midpoints[key] = len(points) - 1
        return midpoints[key]

    if not subdivide:
        return np.array(points, dtype=np.float32), np.array(faces, dtype=np.uint32)
    split = []
    for a, b, c in faces:
        ab, bc, ca = midpoint(a, b), midpoint(b, c), midpoint(c, a)
        split += [(a, ab, ca), (b, bc, ab), (c, ca, bc), (ab, bc, ca)]
    return np.array(points, dtype=np.float32), np.array(split, dtype=np.uint32)


_SPHERE_VERTICES, _SPHERE_FACES = _unit_sphere()
_SMALL_SPHERE_VERTICES, _SMALL_SPHERE_FACES = _unit_sphere(subdivide=False)
# An icosahedron's faces lie inside its sphere (inradius 0.79): grow it to the sphere's apparent size.
_SMALL_SPHERE_VERTICES = _SMALL_SPHERE_VERTICES * np.float32(1.12)
# Below this on-screen radius the 20-triangle sphere looks the same as the 80-triangle one.
SMALL_SPHERE_PIXELS = 3.5


MIN_UI_PIXELS = 1.0  # UI-point sizes never shrink below this radius, or small renders lose them


def _spheres(
    centers: np.ndarray, radii: np.ndarray, colors: np.ndarray, sphere: np.ndarray, triangles: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vertices, normals, faces and vertex colors of one sphere mesh per center, merged."""
    n, k = len(centers), len(sphere)
    vertices = (centers[:, None, :] + radii[:, None, None] * sphere[None]).reshape(-1, 3).astype(np.float32)
    unit = sphere / np.linalg.norm(sphere, axis=1, keepdims=True)
    normals = np.broadcast_to(unit, (n, k, 3)).reshape(-1, 3).astype(np.float32)
    faces = (triangles[None] + (k * np.arange(n, dtype=np.uint32))[:, None, None]).reshape(-1, 3)
    return vertices, normals, faces, np.repeat(colors, k, axis=0)


def world_radii(radii: np.ndarray, positions: np.ndarray, camera: CameraPose, height: int) -> np.ndarray:
    """Radii in world units: UI-point radii (negative) become the size that many points appear at."""
    radii = np.asarray(radii, dtype=np.float32)
    if not (radii < 0).any():
        return radii
    distance = np.linalg.norm(positions - camera.eye, axis=1)
    world_per_pixel = 2 * distance * math.tan(math.radians(camera.fov_y_deg) / 2) / height
    ui = np.maximum(-radii * (height / REFERENCE_HEIGHT), MIN_UI_PIXELS) * world_per_pixel
    return np.where(radii < 0, ui, radii).astype(np.float32)


class Renderer:
    """Renders scenes at one size; owns its GL context (close it, or use it as a context manager)."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self._pr = import_pyrender()
        self._gl = offscreen_renderer(width, height)

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the GL context."""
        if self._gl is not None:
            self._gl.delete()
            self._gl = None

    def render(self, scene: Scene, camera: CameraPose) -> np.ndarray:
        """The frame as an (H, W, 3) uint8 RGB image."""
        pr = self._pr
        world = pr.Scene(bg_color=[*BACKGROUND, 1.0], ambient_light=[_AMBIENT] * 3)
        for points in scene.points:
            if len(points.positions):
                world.add(self._points(points, camera))
        for lines in scene.lines:
            mesh = self._ribbons(lines, camera)
            if mesh is not None:
                world.add(mesh)
        for mesh in scene.meshes:
            if len(mesh.triangles):
                world.add(self._mesh(mesh))
        distance = float(np.linalg.norm(camera.eye - camera.target)) or 1.0
        view = pr.PerspectiveCamera(
            yfov=math.radians(camera.fov_y_deg),
            aspectRatio=self.width / self.height,
            znear=distance * 1e-3,
            zfar=distance * 1e3,
        )
        world.add(view, pose=camera.matrix())
        for direction, intensity in _LIGHTS:
            light = pr.DirectionalLight(color=np.ones(3), intensity=intensity)
            world.add(light, pose=_light_pose(direction))
        color, _ = self._gl.render(world)
        return np.ascontiguousarray(color[..., :3])

    def _primitive(self, vertices, normals, faces, colors, blend: bool, closed: bool = False):
        pr = self._pr
        # Closed shapes (point spheres) cull their back faces: half the triangles for llvmpipe to raster.
        material = pr.MetallicRoughnessMaterial(
            baseColorFactor=[1.0, 1.0, 1.0, 1.0],
            metallicFactor=0.0,
            roughnessFactor=1.0,
            alphaMode="BLEND" if blend else "OPAQUE",
            doubleSided=not closed,
        )
        return pr.Mesh(
            [
                pr.Primitive(
                    positions=vertices,
                    normals=normals,
                    indices=faces,
                    color_0=colors.astype(np.float32) / 255.0,
                    material=material,
                )
            ]
        )

    def _points(self, points: PointsVisual, camera: CameraPose):
        n = len(points.positions)
        radii = world_radii(np.broadcast_to(points.radii, (n,)), points.positions, camera, self.height)
        colors = np.broadcast_to(points.colors, (n, 4))
        small = self._pixels(radii, points.positions, camera) < SMALL_SPHERE_PIXELS
        parts = [
            _spheres(points.positions[mask], radii[mask], colors[mask], vertices, faces)
            for mask, vertices, faces in (
                (small, _SMALL_SPHERE_VERTICES, _SMALL_SPHERE_FACES),
                (~small, _SPHERE_VERTICES, _SPHERE_FACES),
            )
            if mask.any()
        ]
        offsets = np.cumsum([0] + [len(p[0]) for p in parts[:-1]])
        vertices = np.concatenate([p[0] for p in parts])
        faces = np.concatenate([p[2] + np.uint32(o) for p, o in zip(parts, offsets, strict=True)])
        colors = np.concatenate([p[3] for p in parts])
        return self._primitive(
            vertices,
            np.concatenate([p[1] for p in parts]),
            faces,
            colors,
            blend=bool((colors[:, 3] < 255).any()),
            closed=True,
        )

    def _pixels(self, radii: np.ndarray, positions: np.ndarray, camera: CameraPose) -> np.ndarray:
        """On-screen radius in pixels of world-unit radii at their positions."""
        distance = np.maximum(np.linalg.norm(positions - camera.eye, axis=1), 1e-9)
        return radii * self.height / (2 * distance * math.tan(math.radians(camera.fov_y_deg) / 2))

    def _ribbons(self, lines: LinesVisual, camera: CameraPose):
        """All strips' segments as camera-facing quads, built in one vectorized pass."""
        strips = [np.asarray(strip, dtype=np.float32).reshape(-1, 3) for strip in lines.strips]
        counts = np.array([max(len(strip) - 1, 0) for strip in strips])
        if not counts.sum():
            return None
        starts = np.concatenate([strip[:-1] for strip in strips if len(strip) > 1])
        ends = np.concatenate([strip[1:] for strip in strips if len(strip) > 1])
        owner = np.repeat(np.arange(len(strips)), counts)  # which strip each segment belongs to
        last = np.arange(len(strips))
        radii = np.asarray(lines.radii, dtype=np.float32)[np.minimum(last, len(lines.radii) - 1)][owner]
        colors = np.asarray(lines.colors, dtype=np.uint8)[np.minimum(last, len(lines.colors) - 1)][owner]
        middle = (starts + ends) / 2
        radius = world_radii(radii, middle, camera, self.height)
        toward_eye = camera.eye - middle
        side = np.cross(ends - starts, toward_eye)
        side *= (radius / np.maximum(np.linalg.norm(side, axis=1), 1e-12))[:, None]
        vertices = np.stack([starts - side, starts + side, ends + side, ends - side], axis=1).reshape(-1, 3)
        base = 4 * np.arange(len(starts), dtype=np.uint32)[:, None]
        faces = np.concatenate([base + np.array([0, 1, 2]), base + np.array([0, 2, 3])])
        facing = toward_eye / np.maximum(np.linalg.norm(toward_eye, axis=1, keepdims=True), 1e-12)
        colors = np.repeat(colors, 4, axis=0)
        return self._primitive(
            vertices.astype(np.float32),
            np.repeat(facing, 4, axis=0).astype(np.float32),
            faces,
            colors,
            blend=bool((colors[:, 3] < 255).any()),
        )

    def _mesh(self, mesh: MeshVisual):
        vertices = np.asarray(mesh.vertices, dtype=np.float32)
        if mesh.vertex_colors is not None:
            colors = np.asarray(mesh.vertex_colors, dtype=np.uint8)
        else:
            colors = np.repeat(np.array(mesh.color, dtype=np.uint8)[None], len(vertices), axis=0)
        normals = mesh.normals
        if normals is None:
            import trimesh  # only meshes without normals need it

            normals = trimesh.Trimesh(vertices, mesh.triangles, process=False).vertex_normals
        return self._primitive(
            vertices,
            np.asarray(normals, dtype=np.float32),
            np.asarray(mesh.triangles, dtype=np.uint32),
            colors,
            blend=bool((colors[:, 3] < 255).any()),
        )


def _light_pose(toward_light: np.ndarray) -> np.ndarray:
    """Pose of a directional light shining from `toward_light` (pyrender lights shine down their -Z)."""
    z = toward_light / np.linalg.norm(toward_light)
    helper = np.array([0.0, 0.0, 1.0]) if abs(z[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    x = np.cross(helper, z)
    x /= np.linalg.norm(x)
    pose = np.eye(4)
    pose[:3, 0], pose[:3, 1], pose[:3, 2] = x, np.cross(z, x), z
    return pose
