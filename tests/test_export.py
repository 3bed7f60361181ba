"""`rerender export`: the scene at one time through trimesh, loaded back with trimesh.

One recording holds a vertex-coloured Mesh3D, a GLB Asset3D with a glTF metallic-roughness material,
Points3D that move between two ticks, and a LineStrips3D under a translated parent. Each output is read
back with trimesh and checked for what a user would see in Blender: node names, vertex counts, bounds
(glTF turns the recording's +Z up into its +Y up), colours and materials.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
import trimesh
from click.testing import CliRunner

import rerender as rr
from rerender.cli import main

MESH_VERTICES = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32)
MESH_TRIANGLES = np.array([[0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3]], dtype=np.uint32)
MESH_COLORS = np.array([[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255], [255, 255, 0, 255]], np.uint8)
POINTS = [np.array([[2.0, 0.0, 0.0], [3.0, 0.0, 1.0]]), np.array([[2.0, 1.0, 0.0], [3.0, 1.0, 1.0]])]
POINT_COLORS = np.array([[255, 0, 255, 255], [0, 255, 255, 255]], np.uint8)
POINT_RADIUS = 0.25
LINE = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
LINE_OFFSET = np.array([0.0, 0.0, 5.0])  # the lines' parent transform
LINE_COLOR = [10, 200, 30]


def z_up_to_y_up(points: np.ndarray) -> np.ndarray:
    """World (x, y, z) with +Z up as glTF's +Y-up coordinates: (x, z, -y)."""
    p = np.asarray(points, dtype=np.float64)
    return np.column_stack([p[:, 0], p[:, 2], -p[:, 1]])


def placed(scene: trimesh.Scene, node: str):
    """A node's geometry where the file puts it (through its node transform: the Y-up turn)."""
    matrix, name = scene.graph[node]
    geometry = scene.geometry[name].copy()
    geometry.apply_transform(matrix)
    return geometry


def glb_attribute(path: Path, mesh: str, attribute: str) -> tuple[np.ndarray, int]:
    """One attribute of a GLB mesh's first primitive, decoded from the file (trimesh reads no line
    colours back), and the primitive's mode (1: lines)."""
    data = path.read_bytes()
    size = struct.unpack("<I", data[12:16])[0]
    gltf = json.loads(data[20 : 20 + size])
    binary = data[20 + size + 8 :]
    primitive = next(m for m in gltf["meshes"] if m["name"] == mesh)["primitives"][0]
    accessor = gltf["accessors"][primitive["attributes"][attribute]]
    view = gltf["bufferViews"][accessor["bufferView"]]
    dtype = {5121: np.uint8, 5126: np.float32}[accessor["componentType"]]
    width = {"VEC2": 2, "VEC3": 3, "VEC4": 4}[accessor["type"]]
    start = view.get("byteOffset", 0) + accessor.get("byteOffset", 0)
    values = np.frombuffer(binary, dtype=dtype, count=accessor["count"] * width, offset=start)
    return values.reshape(-1, width), primitive.get("mode", 4)


def asset_glb() -> bytes:
    """A one-triangle GLB whose material is glTF metallic-roughness (metallic 0.7, roughness 0.3)."""
    mesh = trimesh.Trimesh([[0, 0, 0], [1, 0, 0], [0, 1, 0]], [[0, 1, 2]], process=False)
    material = trimesh.visual.material.PBRMaterial(
        baseColorFactor=[200, 100, 50, 255], metallicFactor=0.7, roughnessFactor=0.3
    )
    mesh.visual = trimesh.visual.TextureVisuals(material=material)
    return trimesh.Scene(mesh).export(file_type="glb")


@pytest.fixture(scope="module")
def recording(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "scene.rrd"
    rec = rr.RecordingStream("export_test", recording_id="export")
    rec.save(path)
    rec.log("world", rr.ViewCoordinates.RIGHT_HAND_Z_UP, static=True)
    rec.log(
        "world/mesh",
        rr.Mesh3D(vertex_positions=MESH_VERTICES, triangle_indices=MESH_TRIANGLES, vertex_colors=MESH_COLORS),
        static=True,
    )
    rec.log(
        "world/asset",
        rr.Asset3D(contents=asset_glb(), media_type="model/gltf-binary"),
        rr.Transform3D(translation=[-3.0, 0.0, 0.0]),
        static=True,
    )
    rec.log("world/lines", rr.Transform3D(translation=LINE_OFFSET), static=True)
    rec.log("world/lines", rr.LineStrips3D([LINE], colors=[LINE_COLOR], radii=0.05), static=True)
    for tick, positions in enumerate(POINTS):
        rec.set_time("frame", sequence=10 + tick)
        rec.log("world/points", rr.Points3D(positions, colors=POINT_COLORS, radii=POINT_RADIUS))
    rec.disconnect()
    return path


def export(recording: Path, out: Path, *args: str) -> str:
    done = CliRunner().invoke(main, ["export", str(recording), "-o", str(out), *args])
    assert done.exit_code == 0, done.output
    return done.output


def test_glb_holds_every_entity_with_its_colours_and_materials(recording: Path, tmp_path: Path) -> None:
    out = tmp_path / "scene.glb"
    export(recording, out, "--at", "10")
    scene = trimesh.load(out)
    assert set(scene.graph.nodes_geometry) == {"/world/mesh", "/world/asset", "/world/points", "/world/lines"}
    mesh = placed(scene, "/world/mesh")
    assert len(mesh.vertices) == 4 and len(mesh.faces) == 4
    np.testing.assert_allclose(mesh.vertices, z_up_to_y_up(MESH_VERTICES), atol=1e-6)
    np.testing.assert_array_equal(mesh.visual.vertex_colors, MESH_COLORS)
    asset = placed(scene, "/world/asset")
    np.testing.assert_allclose(asset.bounds, [[-3, 0, -1], [-2, 0, 0]], atol=1e-6)  # moved by -3 on x
    assert asset.visual.material.metallicFactor == pytest.approx(0.7)
    assert asset.visual.material.roughnessFactor == pytest.approx(0.3)
    np.testing.assert_array_equal(asset.visual.material.baseColorFactor, [200, 100, 50, 255])
    points = placed(scene, "/world/points")
    assert isinstance(points, trimesh.PointCloud)
    np.testing.assert_allclose(points.vertices, z_up_to_y_up(POINTS[0]), atol=1e-6)
    np.testing.assert_array_equal(points.colors, POINT_COLORS)
    lines = placed(scene, "/world/lines")
    assert isinstance(lines, trimesh.path.Path3D)
    ends = z_up_to_y_up(LINE + LINE_OFFSET)
    np.testing.assert_allclose(lines.bounds, [ends.min(axis=0), ends.max(axis=0)], atol=1e-6)
    colors, mode = glb_attribute(out, "/world/lines", "COLOR_0")
    assert mode == 1  # glTF lines
    np.testing.assert_array_equal(colors[:, :3], [LINE_COLOR] * 4)  # two segments, two ends each


def test_points_as_spheres_and_lines_as_tubes(recording: Path, tmp_path: Path) -> None:
    out = tmp_path / "solid.gltf"
    export(recording, out, "--at", "end", "--points", "spheres", "--lines", "tubes")
    scene = trimesh.load(out)
    spheres = placed(scene, "/world/points")
    assert len(spheres.vertices) == 2 * len(trimesh.creation.icosphere(subdivisions=2).vertices)
    centers = z_up_to_y_up(POINTS[1])
    np.testing.assert_allclose(
        spheres.bounds, [centers.min(axis=0) - POINT_RADIUS, centers.max(axis=0) + POINT_RADIUS], atol=1e-3
    )
    colors = np.unique(np.asarray(spheres.visual.vertex_colors), axis=0)
    np.testing.assert_array_equal(colors, np.unique(POINT_COLORS, axis=0))
    tubes = placed(scene, "/world/lines")
    ends = z_up_to_y_up(LINE + LINE_OFFSET)
    np.testing.assert_allclose(tubes.bounds, [ends.min(axis=0) - 0.05, ends.max(axis=0) + 0.05], atol=1e-3)
    assert (np.asarray(tubes.visual.vertex_colors)[:, :3] == LINE_COLOR).all()


def test_ply_is_one_vertex_coloured_mesh_in_world_coordinates(recording: Path, tmp_path: Path) -> None:
    out = tmp_path / "scene.ply"
    export(recording, out, "--at", "10")  # flat formats: spheres and tubes by default
    mesh = trimesh.load(out, process=False)
    sphere = len(trimesh.creation.icosphere(subdivisions=2).vertices)
    assert len(mesh.vertices) > 4 + 3 + 2 * sphere
    lo, hi = mesh.bounds
    np.testing.assert_allclose(
        lo, [-3.0, -POINT_RADIUS, -POINT_RADIUS], atol=1e-3
    )  # asset at x = -3; no Y-up turn
    np.testing.assert_allclose(hi[2], LINE_OFFSET[2] + 0.05, atol=1e-3)
    colors = {tuple(c) for c in np.asarray(mesh.visual.vertex_colors)[:, :3]}
    assert {(255, 0, 0), (255, 0, 255), tuple(LINE_COLOR), (200, 100, 50)} <= colors


def test_obj_names_its_objects_by_entity_path(recording: Path, tmp_path: Path) -> None:
    out = tmp_path / "scene.obj"
    export(recording, out, "--at", "10")
    text = out.read_text()
    objects = {line.split(" ", 1)[1] for line in text.splitlines() if line.startswith("o ")}
    assert objects == {"/world/mesh", "/world/asset", "/world/points", "/world/lines"}
    assert (tmp_path / "scene.mtl").exists()
    loaded = trimesh.load(out, process=False)
    sphere = len(trimesh.creation.icosphere(subdivisions=2).vertices)
    assert len(loaded.vertices) > 4 + 3 + 2 * sphere  # spheres for points (OBJ holds meshes only)


def test_points_alone_to_ply_are_a_point_cloud(recording: Path, tmp_path: Path) -> None:
    out = tmp_path / "cloud.ply"
    done = CliRunner().invoke(
        main, ["export", str(recording), "-o", str(out), "--at", "11", "--points", "cloud"]
    )
    assert done.exit_code != 0 and "--points spheres" in done.output  # mixed scene: a clear refusal
    only = tmp_path / "points.rrd"
    rec = rr.RecordingStream("points_only", recording_id="p")
    rec.save(only)
    rec.set_time("frame", sequence=0)
    rec.log("cloud", rr.Points3D(POINTS[0], colors=POINT_COLORS))
    rec.disconnect()
    export(only, out)
    cloud = trimesh.load(out)
    assert isinstance(cloud, trimesh.PointCloud)
    np.testing.assert_allclose(cloud.vertices, POINTS[0], atol=1e-6)
    np.testing.assert_array_equal(np.asarray(cloud.colors), POINT_COLORS)


def test_all_ticks_writes_one_numbered_file_per_tick(recording: Path, tmp_path: Path) -> None:
    output = export(recording, tmp_path / "tick.glb", "--all-ticks")
    files = sorted(p.name for p in tmp_path.glob("tick_*.glb"))
    assert files == ["tick_0000.glb", "tick_0001.glb"], output
    for name, positions in zip(files, POINTS, strict=True):
        points = placed(trimesh.load(tmp_path / name), "/world/points")
        np.testing.assert_allclose(points.vertices, z_up_to_y_up(positions), atol=1e-6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "scene.stl"], "cannot export to .stl; expected one of .glb, .gltf, .obj, .ply"),
        (
            ["-o", "scene.glb", "--at", "99"],
            "--at 99 is 99 on timeline 'frame', outside its logged range 10..11",
        ),
        (["-o", "scene.glb", "--at", "5"], "outside its logged range 10..11"),
        (
            ["-o", "scene.glb", "--timeline", "steps"],
            "no timeline 'steps' to export from; the recording has: ",
        ),
    ],
)
def test_errors_are_one_clear_paragraph(
    recording: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [a if a != args[1] else str(tmp_path / a) for a in args]
    done = CliRunner().invoke(main, ["export", str(recording), *args])
    assert done.exit_code == 1
    assert message in done.output and "Traceback" not in done.output
    assert not list(tmp_path.iterdir())


def test_texture_coordinates_keep_gltf_orientation(tmp_path: Path) -> None:
    """Rerun's texture coordinates are glTF's (v down from the image's top row): written as they are."""
    from rerender.export import export_scene
    from rerender.scene.visuals import MeshVisual, Scene

    texture = np.zeros((4, 4, 3), np.uint8)
    texture[:2] = (255, 0, 0)
    texcoords = np.array([[0, 1], [1, 1], [1, 0], [0, 0]], np.float32)
    quad = MeshVisual(
        "/quad",
        np.array([[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]], np.float32),
        np.array([[0, 1, 2], [0, 2, 3]], np.uint32),
        texcoords=texcoords,
        texture=texture,
    )
    out = export_scene(Scene(meshes=(quad,)), tmp_path / "quad.glb")
    written, _ = glb_attribute(out, "/quad", "TEXCOORD_0")
    np.testing.assert_allclose(written, texcoords)
    image = np.asarray(trimesh.load(out).geometry["/quad"].visual.material.baseColorTexture)
    assert tuple(image[0, 0][:3]) == (255, 0, 0)  # the image's top row is still red
