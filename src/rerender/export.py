"""A recording's 3D scene at one time, as a file other tools open: glTF (.glb/.gltf), OBJ or PLY, via trimesh.

`export_recording` evaluates the scene at a timeline value (as `rerender render --still` would draw it,
in world space: every transform applied) and writes it with `export_scene`:

- meshes keep their vertex colours, albedo textures and glTF metallic-roughness factors;
- points become a point cloud with per-point colours, or (`points="spheres"`) a mesh of spheres;
- lines become polylines (`lines="paths"`), or (`lines="tubes"`) a mesh of cylinders with round joints;
- each entity is a node named by its entity path (a second visual of the same entity gets "#2", ...).

glTF is the complete format. Its axes are Y-up (so Blender turns it Z-up on import): the scene is rotated
so that the recording's up (its ViewCoordinates, +Z by default) is glTF's +Y, and a Z-up Rerun world
stands upright in Blender. OBJ and PLY keep the recording's world coordinates and hold one kind of
geometry: there, points and lines are spheres and tubes by default, and a scene of points alone is a
point cloud. Radii in UI points (Rerun's default for points and lines) have no world size; they are
sized as they would appear from a camera that frames the whole scene (an approximation).
Labels (text) are not exported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from .errors import RerenderError
from .pipeline.frames import default_timeline
from .render.renderer import segments
from .scene import evaluate
from .scene.visuals import LinesVisual, MeshVisual, PointsVisual, Scene, in_world
from .store import Recording
from .values import TimeValue

FORMATS = ("glb", "gltf", "obj", "ply")
PointsAs = Literal["cloud", "spheres"]
LinesAs = Literal["paths", "tubes"]
UI_POINTS_PER_SCENE = 720.0  # a UI point is the scene's diagonal / this (the framing camera's pixel at 720p)
SPHERE_SUBDIVISIONS = 2
TUBE_SECTIONS = 12


class ExportError(RerenderError):
    """An export the recording or the output path cannot give: the message says what was expected."""


@dataclass(frozen=True)
class ExportOptions:
    """How points and lines are written; None: the format's default (glTF: a point cloud and polylines;
    OBJ and PLY: spheres and tubes, or a point cloud when the scene is points only)."""

    points: PointsAs | None = None
    lines: LinesAs | None = None


@dataclass(frozen=True)
class ExportedFile:
    """One written file, with the timeline value it shows (None: static data only)."""

    path: Path
    time: int | None


def output_format(path: Path) -> str:
    """The format named by an output path's extension; ExportError for any other."""
    ext = path.suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise ExportError(
            f"{path}: cannot export to {('.' + ext) if ext else 'a file without an extension'}; "
            f"expected one of {', '.join('.' + f for f in FORMATS)} (glTF binary, glTF, Wavefront OBJ, PLY)"
        )
    return ext


def export_recording(
    recording: Recording,
    output: Path,
    *,
    at: TimeValue | None = None,
    timeline: str | None = None,
    all_ticks: bool = False,
    options: ExportOptions = ExportOptions(),
    source: str = "the recording",
) -> list[ExportedFile]:
    """Write the scene at `at` on `timeline` (default: the recording's first timeline, at its end), or one
    file per logged tick (`all_ticks`: out_0000.glb, out_0001.glb, ...), to `output`."""
    output_format(output)
    name = _timeline(recording, timeline, source)
    if name is None:
        if at is not None or all_ticks:
            raise ExportError(f"{source}: holds static data only (no timeline), so there is no time to pick")
        return [ExportedFile(export_scene(_scene(recording.static()), output, options), None)]
    ticks = recording.ticks(name)
    if all_ticks:
        if at is not None:
            raise ExportError("--at and --all-ticks: give one (a time, or every tick)")
        width = max(4, len(str(len(ticks) - 1)))
        return [
            ExportedFile(export_scene(scene, _numbered(output, i, width), options), t)
            for i, (t, scene) in enumerate(_sweep(recording, name, ticks))
        ]
    t = _resolve(recording, name, at or TimeValue("end"), ticks, source)
    scene = _scene(recording.latest_at(name, t))
    return [ExportedFile(export_scene(scene, output, options), t)]


def export_scene(scene: Scene, output: Path, options: ExportOptions = ExportOptions()) -> Path:
    """Write `scene` (any visuals' world matrices are applied) to `output` in the format its extension
    names; returns the path. OBJ also writes its material library (and textures) beside it."""
    import trimesh

    fmt = output_format(output)
    scene = in_world(scene)
    flat = fmt in ("obj", "ply")
    only_points = bool(scene.points) and not (scene.meshes or scene.lines)
    points_as = options.points or ("cloud" if not flat or only_points else "spheres")
    lines_as = options.lines or ("tubes" if flat else "paths")
    clouds = points_as == "cloud" and bool(scene.points)
    paths = lines_as == "paths" and bool(scene.lines)
    if flat and not only_points and (clouds or paths):
        kind = "points as a point cloud" if clouds else "lines as paths"
        raise ExportError(
            f"{output}: .{fmt} holds one mesh, so it cannot also hold {kind}; export to .glb, or use "
            "--points spheres and --lines tubes"
        )
    scale = _ui_point(scene)
    out = trimesh.Scene()
    names: dict[str, int] = {}
    for entity, geometry in _geometries(scene, points_as, lines_as, scale):
        count = names[entity] = names.get(entity, 0) + 1
        node = entity if count == 1 else f"{entity}#{count}"
        out.add_geometry(geometry, node_name=node, geom_name=node)
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt in ("glb", "gltf"):
        out.apply_transform(_y_up(scene.up))
        if fmt == "glb":
            output.write_bytes(trimesh.exchange.gltf.export_glb(out))
        else:  # one self-contained file: per-file buffers would collide between numbered ticks
            files = trimesh.exchange.gltf.export_gltf(out, embed_buffers=True)
            output.write_bytes(files["model.gltf"])
    elif fmt == "obj":
        mtl = f"{output.stem}.mtl"
        text, extra = trimesh.exchange.obj.export_obj(out, return_texture=True, mtl_name=mtl)
        # trimesh names textures material_0.png, ...: prefixed with the output's stem, so that exports
        # into one folder (numbered ticks) do not overwrite each other's.
        renamed = {name: name if name == mtl else f"{output.stem}_{name}" for name in extra}
        for name, data in extra.items():
            if name == mtl:
                library = data.decode()
                for old, new in renamed.items():
                    library = library.replace(f" {old}", f" {new}") if old != mtl else library
                data = library.encode()
            (output.parent / renamed[name]).write_bytes(data)
        output.write_text(text)
    elif only_points and points_as == "cloud":
        output.write_bytes(trimesh.exchange.ply.export_ply(_one_cloud(out)))
    else:
        output.write_bytes(trimesh.exchange.ply.export_ply(_one_mesh(out)))
    return output


# --- the scene as trimesh geometry -----------------------------------------------------------------


def _geometries(scene: Scene, points_as: str, lines_as: str, ui_point: float) -> Iterator[tuple[str, object]]:
    for mesh in scene.meshes:
        if len(mesh.triangles):
            yield mesh.entity_path, _mesh(mesh)
    for points in scene.points:
        geometry = _points(points, points_as, ui_point)
        if geometry is not None:
            yield points.entity_path, geometry
    for lines in scene.lines:
        geometry = _lines(lines, lines_as, ui_point)
        if geometry is not None:
            yield lines.entity_path, geometry


def _mesh(mesh: MeshVisual):
    import trimesh
    from PIL import Image

    kwargs = {}
    if mesh.normals is not None:
        kwargs["vertex_normals"] = np.asarray(mesh.normals, dtype=np.float64)
    out = trimesh.Trimesh(
        vertices=np.asarray(mesh.vertices, dtype=np.float64),
        faces=np.asarray(mesh.triangles, dtype=np.int64),
        process=False,  # keep vertices as logged: their order is what colours and UVs refer to
        **kwargs,
    )
    pbr = mesh.material
    textured = mesh.texture is not None and mesh.texcoords is not None
    if mesh.vertex_colors is not None and not textured:
        out.visual = trimesh.visual.ColorVisuals(out, vertex_colors=np.asarray(mesh.vertex_colors, np.uint8))
        return out
    material = trimesh.visual.material.PBRMaterial(
        baseColorFactor=np.asarray(mesh.color, dtype=np.uint8),
        baseColorTexture=Image.fromarray(np.ascontiguousarray(mesh.texture, np.uint8)) if textured else None,
        metallicFactor=pbr.metallic if pbr is not None else 0.0,
        roughnessFactor=pbr.roughness if pbr is not None else 1.0,
        metallicRoughnessTexture=(
            Image.fromarray(np.ascontiguousarray(pbr.metallic_roughness_texture, np.uint8))
            if textured and pbr is not None and pbr.metallic_roughness_texture is not None
            else None
        ),
        doubleSided=True,  # as Rerun draws meshes
    )
    uv = np.asarray(mesh.texcoords, dtype=np.float64) if textured else None
    if uv is not None:
        uv = np.column_stack([uv[:, 0], 1.0 - uv[:, 1]])  # trimesh counts v up the image; Rerun down
    out.visual = trimesh.visual.TextureVisuals(uv=uv, material=material)
    return out


def _points(points: PointsVisual, points_as: str, ui_point: float):
    import trimesh

    centers = np.asarray(points.positions, dtype=np.float64).reshape(-1, 3)
    n = len(centers)
    colors = np.broadcast_to(np.asarray(points.colors, dtype=np.uint8), (n, 4))
    radii = _world(np.broadcast_to(np.asarray(points.radii, dtype=np.float64), (n,)), ui_point)
    keep = np.isfinite(centers).all(axis=1)  # NaN and inf are data, but no file format takes them
    centers, colors, radii = centers[keep], colors[keep], radii[keep]
    if not len(centers):
        return None
    if points_as == "cloud":
        return trimesh.PointCloud(centers, colors=np.array(colors))
    sphere = trimesh.creation.icosphere(subdivisions=SPHERE_SUBDIVISIONS, radius=1.0)
    return _copies(sphere, centers, np.repeat(radii[:, None], 3, axis=1), np.eye(3)[None], colors)


def _lines(lines: LinesVisual, lines_as: str, ui_point: float):
    import trimesh

    records = segments(lines)
    start, end = records["start"].astype(np.float64), records["end"].astype(np.float64)
    keep = np.isfinite(start).all(axis=1) & np.isfinite(end).all(axis=1)
    records, start, end = records[keep], start[keep], end[keep]
    if not len(records):
        return None
    colors = records["color"]
    if lines_as == "paths":
        vertices = np.stack([start, end], axis=1).reshape(-1, 3)
        entities = [trimesh.path.entities.Line([2 * i, 2 * i + 1]) for i in range(len(records))]
        path = trimesh.path.Path3D(entities=entities, vertices=vertices, process=False)
        path.colors = colors
        return path
    radii = _world(records["radius"].astype(np.float64), ui_point)
    axis = end - start
    length = np.linalg.norm(axis, axis=1)
    long = length > 0
    z = axis[long] / length[long, None]
    helper = np.where(np.abs(z[:, :1]) < 0.9, [[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]])
    x = np.cross(helper, z)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    turns = np.stack([x, np.cross(z, x), z], axis=2)  # columns: the tube's x, y and its axis
    cylinder = trimesh.creation.cylinder(radius=1.0, height=1.0, sections=TUBE_SECTIONS)
    cylinder.apply_translation([0.0, 0.0, 0.5])
    scales = np.column_stack([radii[long], radii[long], length[long]])
    tubes = _copies(cylinder, start[long], scales, turns, colors[long])
    joints = np.concatenate([start, end])
    _, first = np.unique(np.round(joints, 6), axis=0, return_index=True)
    ball = trimesh.creation.icosphere(subdivisions=1, radius=1.0)
    joint_radii = np.concatenate([radii, radii])[first]
    balls = _copies(
        ball,
        joints[first],
        np.repeat(joint_radii[:, None], 3, axis=1),
        np.eye(3)[None],
        np.concatenate([colors, colors])[first],
    )
    return trimesh.util.concatenate([tubes, balls])


def _copies(template, at: np.ndarray, scales: np.ndarray, turns: np.ndarray, colors: np.ndarray):
    """One mesh of `template` copies, each scaled (per axis), turned and moved, with its own colour."""
    import trimesh

    verts = np.asarray(template.vertices)
    linear = turns * scales[:, None, :]  # turn @ diag(scale)
    placed = np.einsum("nij,vj->nvi", linear, verts) + at[:, None, :]
    faces = np.asarray(template.faces)[None] + (np.arange(len(at)) * len(verts))[:, None, None]
    out = trimesh.Trimesh(vertices=placed.reshape(-1, 3), faces=faces.reshape(-1, 3), process=False)
    rgba = np.array(colors, dtype=np.uint8).reshape(-1, 4)
    rgba[:, 3] = 255  # Rerun draws points and lines opaque
    out.visual = trimesh.visual.ColorVisuals(out, vertex_colors=np.repeat(rgba, len(verts), axis=0))
    return out


def _one_mesh(scene):
    """Every mesh of `scene` as one, coloured per vertex (PLY has no materials: textures and base
    colours are sampled into vertex colours)."""
    import trimesh

    meshes = []
    for mesh in scene.geometry.values():
        mesh = mesh.copy()
        if mesh.visual.kind != "vertex":
            mesh.visual = mesh.visual.to_color()
            mesh.visual.vertex_colors = mesh.visual.vertex_colors  # per vertex, not one for the mesh
        meshes.append(mesh)
    return trimesh.util.concatenate(meshes)


def _one_cloud(scene):
    import trimesh

    clouds = list(scene.geometry.values())
    vertices = np.concatenate([np.asarray(c.vertices) for c in clouds])
    colors = np.concatenate([np.asarray(c.colors) for c in clouds])
    return trimesh.PointCloud(vertices, colors=colors)


def _world(radii: np.ndarray, ui_point: float) -> np.ndarray:
    """Radii in scene units: UI-point radii (negative) at `ui_point` scene units each."""
    radii = np.where(np.isfinite(radii), radii, 0.0)
    return np.where(radii < 0, -radii * ui_point, radii)


def _ui_point(scene: Scene) -> float:
    bounds = scene.bounds()
    if bounds is None:
        return 1.0 / UI_POINTS_PER_SCENE
    return max(float(np.linalg.norm(bounds[1] - bounds[0])), 1e-9) / UI_POINTS_PER_SCENE


def _y_up(up: np.ndarray) -> np.ndarray:
    """A rotation taking the scene's up direction to +Y (glTF's up), turning as little as it can."""
    u = np.asarray(up, dtype=np.float64)
    u = u / (np.linalg.norm(u) or 1.0)
    y = np.array([0.0, 1.0, 0.0])
    v, c = np.cross(u, y), float(u @ y)
    out = np.eye(4)
    if np.linalg.norm(v) < 1e-12:
        if c < 0:
            out[:3, :3] = np.diag([1.0, -1.0, -1.0])  # upside down: half a turn about X
        return out
    k = np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])
    out[:3, :3] = np.eye(3) + k + k @ k / (1 + c)  # Rodrigues' formula for the turn from u to y
    return out


# --- times ------------------------------------------------------------------------------------------


def _timeline(recording: Recording, name: str | None, source: str) -> str | None:
    timelines = list(recording.timelines)
    if name is None:
        return default_timeline(timelines)
    if name not in recording.timelines:
        known = ", ".join(timelines) or "none (static data only)"
        raise ExportError(f"{source}: no timeline {name!r} to export from; the recording has: {known}")
    return name


def _resolve(recording: Recording, name: str, at: TimeValue, ticks: np.ndarray, source: str) -> int:
    kind = recording.timelines[name].kind
    try:
        t = at.resolve(kind, ticks)
    except ValueError as e:
        raise ExportError(f"--at {at} on timeline {name!r} ({kind.value}): {e}") from None
    if not len(ticks) or not ticks[0] <= t <= ticks[-1]:
        first, last = (int(ticks[0]), int(ticks[-1])) if len(ticks) else ("-", "-")
        raise ExportError(
            f"{source}: --at {at} is {t} on timeline {name!r}, outside its logged range {first}..{last}; "
            "give a time in that range, or 'start' or 'end'"
        )
    return t


def _sweep(recording: Recording, name: str, ticks: np.ndarray) -> Iterator[tuple[int, Scene]]:
    from .scene import SceneCache

    cache = SceneCache()  # what did not change between ticks is not evaluated again
    for t, state in recording.sweep(name, [int(t) for t in ticks]):
        yield int(t), in_world(evaluate(state, cache=cache))


def _scene(state) -> Scene:
    return in_world(evaluate(state))


def _numbered(output: Path, index: int, width: int) -> Path:
    return output.with_name(f"{output.stem}_{index:0{width}d}{output.suffix}")


__all__ = ["FORMATS", "ExportError", "ExportOptions", "ExportedFile", "export_recording", "export_scene"]
