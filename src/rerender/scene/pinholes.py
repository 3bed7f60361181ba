"""Pinholes and what is drawn through them in 3D: the frustum, 2D content on the image plane, and depth
images as point clouds (handlers: see `entity.Handler`); and a Pinhole's frame (`pinhole_frame`).

As Rerun's 3D view draws them:

* Pinhole: a frustum (origin -> 4 image-plane corners, the image rectangle and Rerun's small "up" triangle)
  in gray, 1 UI pt, at the image plane distance (`ImagePlane.distance`).
* Points2D/LineStrips2D at or below a pinhole are unprojected onto its image plane (radii in pixels become
  world units on the plane); Image and EncodedImage are textured quads just behind it, stacked by draw order.
* DepthImage under a Pinhole: a point cloud, not a quad (Rerun's `process_depth_image_data` in a 3D view).
  Pixel (u, v) of depth d = value / `meter` (default 1000 for integer images, 1 for float; 0 and
  non-finite depths give no point) is the RDF camera point ((u - cx)·d/fx, (v - cy)·d/fy, d), the
  pinhole's `world_from_camera` taking it to world space (Rerun's depth-cloud shader: integer pixel
  coordinates, no half-pixel offset, no skew). Colour: the colormap (Turbo by default; Grayscale; others
  drawn as Turbo) over `depth_range` (default 0 to the largest finite value); radius:
  `point_fill_ratio` (default 1) · d · tan(fov_y / 2) / (h / 2), i.e. one pixel's width at depth d when
  the pinhole's resolution matches the image (fov_y from the logged resolution, else from a height of
  1, as Rerun), times the uniform scale of the world transform.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import images
from . import transforms as tf
from .colors import first_color, instance_colors
from .components import Components, first_scalar, radii, strips, vectors
from .entity import Entity, Visuals
from .visuals import DEFAULT_RADIUS_UI, LinesVisual, MeshVisual, PointsVisual

FRUSTUM_LINE_RADIUS_UI = -1.0
FRUSTUM_COLOR = (0x7D, 0x8C, 0x92, 255)  # approximates Rerun's theme `frustum_color` (gray)


@dataclass(frozen=True)
class PinholeFrame:
    """Where a Pinhole sees from and how it projects."""

    world_from_camera: np.ndarray  # 4x4: the camera's RDF axes (right, down, forward) to world space
    image_from_camera: np.ndarray  # 3x3 K: fx, fy, principal point, in pixels
    resolution: np.ndarray  # (w, h) pixels (twice the principal point when not logged)
    plane_distance: float | None  # the logged image_plane_distance, if any


@dataclass(frozen=True)
class ImagePlane:
    """The Pinhole an entity is seen through, and where its image plane lies."""

    path: str  # the Pinhole's entity
    comps: Components  # the Pinhole's components
    frame: PinholeFrame
    # The Pinhole's image_plane_distance, else the scene's default; None while that is not known yet
    # (depth clouds are drawn before it is chosen, as they count towards the bounds that choose it).
    distance: float | None


def pinhole_frame(comps: Components, world: np.ndarray) -> PinholeFrame:
    """A Pinhole entity's frame, given its components and its world transform. Raises ValueError
    for a missing or singular image_from_camera."""
    k = vectors(comps, "Pinhole:image_from_camera", 9)
    if k is None or not len(k):
        raise ValueError("Pinhole without image_from_camera")
    K = k[0].reshape(3, 3).T
    if not np.all(np.isfinite(K)) or abs(np.linalg.det(K)) < 1e-30:
        raise ValueError("singular Pinhole image_from_camera")
    res = vectors(comps, "Pinhole:resolution", 2)
    resolution = res[0] if res is not None and len(res) else 2.0 * K[:2, 2]
    xyz = vectors(comps, "Pinhole:camera_xyz", 3)
    basis = tf.view_coordinates_basis(xyz[0]) if xyz is not None and len(xyz) else np.eye(3)  # RDF default
    cam = np.eye(4)
    cam[:3, :3] = basis
    d = first_scalar(comps, "Pinhole:image_plane_distance")
    d = float(d) if d is not None and np.isfinite(d) and d > 0 else None
    return PinholeFrame(world @ cam, K, np.asarray(resolution, dtype=np.float64), d)


def pinhole_view(state: Mapping[str, Components], path: str, origin: str = "/") -> PinholeFrame | None:
    """The frame of the Pinhole logged on `path` in a latest-at state (in the space of `origin`), or None
    when it has none."""
    comps = state.get(path, {})
    if "Pinhole:image_from_camera" not in comps:
        return None
    return pinhole_frame(comps, tf.world_transforms(state, origin).get(path, np.eye(4)))


def unproject(K: np.ndarray, pixels: np.ndarray, distance: float) -> np.ndarray:
    """Pixels (N, 2) -> RDF camera-space points (N, 3) on the plane z = distance."""
    pixels = np.asarray(pixels, dtype=np.float64).reshape(-1, 2)
    homo = np.concatenate([pixels, np.ones((len(pixels), 1))], axis=1)
    rays = homo @ np.linalg.inv(K).T
    z = rays[:, 2:3]
    return rays / np.where(z != 0, z, 1.0) * distance


def _camera(entity: Entity) -> ImagePlane:
    """The pinhole the entity is seen through (`evaluate` gives one to every handler in this module)."""
    if entity.camera is None:
        raise ValueError("not under a Pinhole")
    return entity.camera


def _pixel_radius_scale(plane: ImagePlane) -> float:
    """Pixels -> world units on the image plane (at its distance, times the uniform world scale)."""
    K, world = plane.frame.image_from_camera, plane.frame.world_from_camera
    return plane.distance / float(np.sqrt(abs(K[0, 0] * K[1, 1]))) * tf.uniform_scale(world)


def frustum(entity: Entity, out: Visuals) -> None:
    """The Pinhole itself (`entity.camera` is its own image plane)."""
    plane = _camera(entity)
    world, K, d = plane.frame.world_from_camera, plane.frame.image_from_camera, plane.distance
    w, h = plane.frame.resolution
    corners = unproject(K, np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64), d)
    up = unproject(K, np.array([[0.4 * w, 0], [0.5 * w, -0.1 * w], [0.6 * w, 0]]), d)
    c = tf.apply(world, corners).astype(np.float32)
    o = tf.apply(world, np.zeros((1, 3))).astype(np.float32)[0]
    u = tf.apply(world, up).astype(np.float32)
    lines = (*(np.stack([o, c[i]]) for i in range(4)), np.concatenate([c, c[:1]]), u)
    color = first_color(entity.comps, "Pinhole:color")
    color = FRUSTUM_COLOR if color is None else color
    r = first_scalar(entity.comps, "Pinhole:line_width")
    r = FRUSTUM_LINE_RADIUS_UI if r is None else float(r)
    r = r * tf.uniform_scale(world) if r > 0 else r
    n = len(lines)
    out.lines.append(
        LinesVisual.from_strips(
            entity.path, lines, np.tile(np.array(color, np.uint8), (n, 1)), np.full(n, r, np.float32)
        )
    )


def points2d(entity: Entity, out: Visuals) -> None:
    pos = vectors(entity.comps, "Points2D:positions", 2)
    if pos is None or not len(pos):
        return
    plane = _camera(entity)
    n = len(pos)
    colors = instance_colors(entity.comps, "Points2D:colors", n, entity.path)
    r = radii(entity.comps, "Points2D:radii", n, DEFAULT_RADIUS_UI, _pixel_radius_scale(plane))
    on_plane = unproject(plane.frame.image_from_camera, pos, plane.distance)
    out.points.append(
        PointsVisual(
            entity.path, tf.apply(plane.frame.world_from_camera, on_plane).astype(np.float32), colors, r
        )
    )


def linestrips2d(entity: Entity, out: Visuals) -> None:
    lines = strips(entity.comps, "LineStrips2D:strips", 2)
    if lines is None or lines.count < 1:
        return
    plane = _camera(entity)
    n = lines.count
    colors = instance_colors(entity.comps, "LineStrips2D:colors", n, entity.path)
    r = radii(entity.comps, "LineStrips2D:radii", n, DEFAULT_RADIUS_UI, _pixel_radius_scale(plane))
    on_plane = unproject(plane.frame.image_from_camera, lines.points, plane.distance)
    world = tf.apply(plane.frame.world_from_camera, on_plane).astype(np.float32)
    out.lines.append(LinesVisual(entity.path, world, lines.offsets, colors, r))


def image(entity: Entity, out: Visuals, *, arch: str, default_draw_order: float) -> None:
    """An Image or EncodedImage (`arch`) as a textured quad on the pinhole's image plane; the registry
    binds `arch` and its default draw order."""
    if arch == "Image":
        rgba = images.image_rgba(entity.comps)
    else:
        rgba = images.encoded_image_rgba(entity.path, entity.comps)
    plane = _camera(entity)
    K, d = plane.frame.image_from_camera, plane.distance
    h, w = rgba.shape[:2]
    order = first_scalar(entity.comps, f"{arch}:draw_order")
    order = default_draw_order if order is None or not np.isfinite(order) else float(order)
    # Images sit just behind the plane (lower draw orders further back), so that layers do not fight
    # over depth and the 2D points and lines on the plane stay in front, as Rerun stacks them.
    behind = d * (1 + 1e-4 * (100 - min(max(order, -100.0), 99.0)))
    corners = unproject(K, np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64), behind)
    out.meshes.append(
        MeshVisual(
            entity.path,
            tf.apply(plane.frame.world_from_camera, corners).astype(np.float32),
            np.array([[0, 1, 2], [0, 2, 3]], dtype=np.uint32),
            texcoords=np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=np.float32),
            texture=rgba,
        )
    )


def depth_cloud(entity: Entity, out: Visuals) -> None:
    """A DepthImage under a Pinhole as Rerun's 3D view draws it: the depth image back-projected
    through the pinhole into a point cloud, one point per pixel with a valid depth."""
    depth, meter = images.depth_values(entity.comps)
    plane = _camera(entity)
    K, world = plane.frame.image_from_camera, plane.frame.world_from_camera
    # Point radius per unit of depth (Rerun's `point_radius_from_world_depth`): the fill ratio times
    # tan(fov_y / 2) / (image height / 2), fov_y from the logged resolution (else a height of 1).
    ratio = first_scalar(entity.comps, "DepthImage:point_fill_ratio")
    ratio = 1.0 if ratio is None or not np.isfinite(ratio) else float(ratio)
    res = vectors(plane.comps, "Pinhole:resolution", 2)
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
    lo, hi = images.depth_range(entity.comps, depth)
    rgb = images.depth_colors(entity.comps, (depth[v, u] - lo) / ((hi - lo) or 1.0))
    colors = np.concatenate([rgb, np.full((len(d), 1), 255, np.uint8)], axis=1)
    r = (per_depth * tf.uniform_scale(world) * d).astype(np.float32)
    out.points.append(PointsVisual(entity.path, tf.apply(world, rdf).astype(np.float32), colors, r))
