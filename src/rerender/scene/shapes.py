"""Handlers of the archetypes drawn in 3D space: Points3D, LineStrips3D, Arrows3D, Boxes3D, Ellipsoids3D,
Mesh3D and Asset3D (see `entity.Handler`).

As Rerun's 3D view draws them:

* InstancePoses3D: Mesh3D/Asset3D are drawn once per pose; Boxes3D/Ellipsoids3D pair shape i with pose i
  (the shorter list repeating its last entry); Points3D/LineStrips3D/Arrows3D use the first pose only
  (Rerun: "if not otherwise specified, only the first instance transform is applied").
* Positive (scene-unit) radii are multiplied by the uniform scale factor (cbrt|det|) of the placement.
* Arrows3D: shaft = a line of radius 0.5·r; tip = a cone mesh of height 2·r and base radius r (positive r,
  scaled like the radii); for UI-point radii (no world size) the tip is 8 % of the arrow's length and
  its radius half that.
* Boxes3D / Ellipsoids3D: edges (12 per box; 3 axis circles per ellipsoid, lat/long rings for DenseWireframe)
  as lines of radius 0.5 UI pt by default; the fill as a mesh at alpha/4 for the default
  TransparentFillMajorWireframe, at full alpha (and without edges) for Solid, none for the wireframe modes.
* Mesh3D / Asset3D without colors are white; `albedo_factor` multiplies the colors.
* Labels (`<Archetype>:labels`) as `show_labels` says, else when there is one label or fewer than
  `LABELS_MAX_INSTANCES` instances.
"""

from __future__ import annotations

import numpy as np

from . import primitives
from . import transforms as tf
from .assets import MeshPart, asset_parts, mesh_texture
from .colors import first_color, instance_colors, logged_colors
from .components import broadcast, first_scalar, pick, positions, radii, strips, vectors
from .entity import Entity, Visuals
from .visuals import DEFAULT_RADIUS_UI, LabelsVisual, LinesVisual, MeshVisual, PointsVisual

BOX_LINE_RADIUS_UI = -0.5
LABELS_MAX_INSTANCES = 30  # Rerun shows labels by default below this many instances
# FillMode enum values (Boxes3D/Ellipsoids3D:fill_mode)
FILL_MAJOR, FILL_DENSE, FILL_SOLID, FILL_TRANSPARENT = 1, 2, 3, 4


def _labels(entity: Entity, out: Visuals, arch: str, anchors: np.ndarray, colors: np.ndarray) -> None:
    """The archetype's labels at `anchors` (one per instance), when Rerun would show them: as
    `show_labels` says, else when there is a single label or fewer than LABELS_MAX_INSTANCES."""
    value = entity.comps.get(f"{arch}:labels")
    if value is None or not len(value.values) or not len(anchors):
        return
    texts = [str(t) for t in value.values.to_pylist() if t is not None]
    show = first_scalar(entity.comps, f"{arch}:show_labels")
    if show is None:
        show = len(texts) == 1 or len(anchors) < LABELS_MAX_INSTANCES
    if not texts or not show:
        return
    anchors = np.asarray(anchors, dtype=np.float32).reshape(-1, 3)
    if len(texts) == 1 and len(anchors) > 1:
        # One label for many instances names the whole batch: Rerun puts it at their center.
        anchors, colors = anchors.mean(axis=0, keepdims=True), colors[:1]
    n = min(len(texts), len(anchors))
    out.labels.append(LabelsVisual(entity.path, anchors[:n], tuple(texts[:n]), np.asarray(colors)[:n]))


def points3d(entity: Entity, out: Visuals) -> None:
    comps, path = entity.comps, entity.path
    pos = positions(comps, "Points3D:positions")
    if pos is None or not len(pos):
        return
    n = len(pos)
    colors = instance_colors(comps, "Points3D:colors", n, path)
    m = entity.placement()
    r = radii(comps, "Points3D:radii", n, DEFAULT_RADIUS_UI, tf.uniform_scale(m))
    # In the entity's own frame (the usual case) the logged positions are used as they are.
    world = pos if m is tf.IDENTITY or np.array_equal(m, tf.IDENTITY) else tf.apply(m, pos).astype(np.float32)
    out.points.append(PointsVisual(path, world, colors, r))
    _labels(entity, out, "Points3D", world, colors)


def linestrips3d(entity: Entity, out: Visuals) -> None:
    comps, path = entity.comps, entity.path
    lines = strips(comps, "LineStrips3D:strips", 3)
    if lines is None or lines.count < 1:
        return
    n = lines.count
    colors = instance_colors(comps, "LineStrips3D:colors", n, path)
    m = entity.placement()
    r = radii(comps, "LineStrips3D:radii", n, DEFAULT_RADIUS_UI, tf.uniform_scale(m))
    world = tf.apply(m, lines.points).astype(np.float32)
    out.lines.append(LinesVisual(path, world, lines.offsets, colors, r))
    firsts = world[np.minimum(lines.offsets[:-1], len(world) - 1)] if len(world) else world
    _labels(entity, out, "LineStrips3D", firsts, colors)  # at each strip's first point


def arrows3d(entity: Entity, out: Visuals) -> None:
    comps, path = entity.comps, entity.path
    vecs = vectors(comps, "Arrows3D:vectors", 3)
    if vecs is None or not len(vecs):
        return
    n = len(vecs)
    origins = vectors(comps, "Arrows3D:origins", 3)
    origins = np.zeros((n, 3)) if origins is None or not len(origins) else broadcast(origins, n)
    colors = instance_colors(comps, "Arrows3D:colors", n, path)
    m = entity.placement()
    r = radii(comps, "Arrows3D:radii", n, DEFAULT_RADIUS_UI, tf.uniform_scale(m))
    starts, ends = tf.apply(m, origins), tf.apply(m, origins + vecs)
    shafts, verts, tris, normals, vcolors = [], [], [], [], []
    for i in range(n):
        length = np.linalg.norm(ends[i] - starts[i])
        if not np.isfinite(length) or length == 0.0:
            shafts.append(np.stack([starts[i], ends[i]]).astype(np.float32))
            continue
        ri = float(r[i])
        height = min(2 * ri, length) if ri > 0 else 0.08 * length
        tip_radius = ri if ri > 0 else height / 2
        direction = (ends[i] - starts[i]) / length
        base = ends[i] - direction * height
        shafts.append(np.stack([starts[i], base]).astype(np.float32))
        tip = primitives.cone(base, ends[i], tip_radius)
        tris.append(tip.triangles + sum(len(x) for x in verts))
        verts.append(tip.vertices)
        normals.append(tip.normals)
        vcolors.append(np.repeat(colors[i : i + 1], len(tip.vertices), axis=0))
    out.lines.append(LinesVisual.from_strips(path, shafts, colors, (r * 0.5).astype(np.float32)))
    _labels(entity, out, "Arrows3D", (starts + ends) / 2, colors)  # at each arrow's middle
    if verts:
        out.meshes.append(
            MeshVisual(
                path,
                np.concatenate(verts).astype(np.float32),
                np.concatenate(tris).astype(np.uint32),
                vertex_colors=np.concatenate(vcolors),
                normals=np.concatenate(normals).astype(np.float32),
            )
        )


def _shapes(entity: Entity, out: Visuals, arch: str, radii_key: str, ellipsoid: bool) -> None:
    """Boxes3D or Ellipsoids3D: unit primitives scaled by half size, placed per instance."""
    comps, path = entity.comps, entity.path
    half = vectors(comps, f"{arch}:half_sizes", 3)
    if half is None or not len(half):
        return
    centers = vectors(comps, f"{arch}:centers", 3)
    aas = tf.axis_angles(comps, f"{arch}:rotation_axis_angles")
    quats = vectors(comps, f"{arch}:quaternions", 4)
    fill = first_scalar(comps, f"{arch}:fill_mode")
    fill = FILL_TRANSPARENT if fill is None else int(fill)
    if fill not in (FILL_MAJOR, FILL_DENSE, FILL_SOLID, FILL_TRANSPARENT):
        raise ValueError(f"unknown fill mode {fill}")
    # Rerun pairs shapes with instance poses: max(#half_sizes, #centers, #rotations, #poses) instances,
    # shorter lists repeating their last entry; the shape's own center/rotation/half-size apply first.
    placements = entity.placements()
    n = max(len(half), len(placements), *(len(a) for a in (centers, aas, quats) if a is not None))
    colors = instance_colors(comps, f"{arch}:colors", n, path)
    worlds = [
        pick(placements, i) @ tf.compose(pick(centers, i), pick(aas, i), pick(quats, i), pick(half, i), None)
        for i in range(n)
    ]
    line_radii = np.array(
        [
            radii(comps, radii_key, n, BOX_LINE_RADIUS_UI, tf.uniform_scale(pick(placements, i)))[i]
            for i in range(n)
        ],
        dtype=np.float32,
    )
    if ellipsoid:
        wire = primitives.ELLIPSOID_DENSE if fill == FILL_DENSE else primitives.ELLIPSOID_MAJOR
        solid = primitives.UNIT_SPHERE
    else:
        wire, solid = primitives.BOX_EDGES, primitives.BOX_FACES
    _labels(entity, out, arch, np.array([mi[:3, 3] for mi in worlds]), colors)  # at each center
    if fill != FILL_SOLID:
        lines = [tf.apply(mi, s).astype(np.float32) for mi in worlds for s in wire]
        out.lines.append(
            LinesVisual.from_strips(
                path, lines, np.repeat(colors, len(wire), axis=0), np.repeat(line_radii, len(wire))
            )
        )
    if fill in (FILL_SOLID, FILL_TRANSPARENT):
        fill_colors = colors.copy()
        if fill == FILL_TRANSPARENT:
            fill_colors[:, 3] = fill_colors[:, 3] // 4
        nv = len(solid.vertices)
        out.meshes.append(
            MeshVisual(
                path,
                np.concatenate([tf.apply(mi, solid.vertices) for mi in worlds]).astype(np.float32),
                np.concatenate([solid.triangles + nv * i for i in range(n)]).astype(np.uint32),
                vertex_colors=np.repeat(fill_colors, nv, axis=0),
                normals=np.concatenate([tf.transform_normals(mi, solid.normals) for mi in worlds]),
            )
        )


def boxes3d(entity: Entity, out: Visuals) -> None:
    _shapes(entity, out, "Boxes3D", "Boxes3D:radii", ellipsoid=False)


def ellipsoids3d(entity: Entity, out: Visuals) -> None:
    _shapes(entity, out, "Ellipsoids3D", "Ellipsoids3D:line_radii", ellipsoid=True)


def _mesh_key(entity: Entity, component: str) -> str:
    """The `<Archetype>:<component>` key present for a component shared by Mesh3D/Asset3D."""
    for arch in ("Mesh3D", "Asset3D"):
        if f"{arch}:{component}" in entity.comps:
            return f"{arch}:{component}"
    return f"Mesh3D:{component}"


def _add_mesh(entity: Entity, out: Visuals, part: MeshPart) -> None:
    """One mesh, albedo-tinted, once per placement."""
    verts = np.asarray(part.vertices, dtype=np.float64).reshape(-1, 3)
    tris = np.asarray(part.triangles, dtype=np.int64).reshape(-1, 3)
    if len(tris) and (tris.min() < 0 or tris.max() >= len(verts)):
        raise ValueError(f"triangle index out of range ({tris.max()} >= {len(verts)} vertices)")
    albedo = first_color(entity.comps, _mesh_key(entity, "albedo_factor"))
    color = np.array(part.color, dtype=np.float64)
    vcolors = None if part.vertex_colors is None else np.asarray(part.vertex_colors, dtype=np.uint8)
    if albedo is not None:
        factor = albedo.astype(np.float64) / 255.0
        if vcolors is not None:
            vcolors = np.round(vcolors * factor).astype(np.uint8)
        color = np.round(color * factor)
    for m in entity.placements():
        out.meshes.append(
            MeshVisual(
                entity.path,
                tf.apply(m, verts).astype(np.float32),
                tris.astype(np.uint32),
                vertex_colors=vcolors,
                normals=None if part.normals is None else tf.transform_normals(m, part.normals),
                color=tuple(int(c) for c in color),
                texcoords=part.texcoords,
                texture=part.texture,
                material=part.material,
            )
        )


def mesh3d(entity: Entity, out: Visuals) -> None:
    comps = entity.comps
    verts = vectors(comps, "Mesh3D:vertex_positions", 3)
    if verts is None or not len(verts):
        return
    tris = vectors(comps, "Mesh3D:triangle_indices", 3)
    if tris is None or not len(tris):
        if len(verts) % 3:
            raise ValueError(f"{len(verts)} vertices without triangle_indices is not a multiple of 3")
        tris = np.arange(len(verts)).reshape(-1, 3)
    normals = vectors(comps, "Mesh3D:vertex_normals", 3)
    if normals is not None and len(normals) != len(verts):
        normals = None
    texcoords = vectors(comps, "Mesh3D:vertex_texcoords", 2)
    texcoords = (
        texcoords.astype(np.float32) if texcoords is not None and len(texcoords) == len(verts) else None
    )
    texture = mesh_texture(comps) if texcoords is not None else None
    vcolors = logged_colors(comps, "Mesh3D:vertex_colors", len(verts))
    _add_mesh(entity, out, MeshPart(verts, tris, normals, vcolors, texcoords=texcoords, texture=texture))


def asset3d(entity: Entity, out: Visuals) -> None:
    blob = entity.comps.get("Asset3D:blob")
    if blob is None or not len(blob.values):
        return
    media = entity.comps.get("Asset3D:media_type")
    media = str(media.values[0].as_py()) if media is not None and len(media.values) else None
    for part in asset_parts(entity.path, blob, media):
        _add_mesh(entity, out, part)
