"""Scene evaluation: world transforms, archetype -> visual conversion, defaults, and robustness."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rerender
import rerender as rr
from rerender.scene import default_color, in_world, unpack_colors, world_transforms
from rerender.scene import evaluate as evaluate_scene
from rerender.scene.transforms import axis_angle_matrix, quaternion_matrix, view_coordinates_basis

from .conftest import ALL_SAMPLES, sample_id


def evaluate(*args, **kwargs):
    """The scene in world coordinates (visuals' world matrices applied), as these tests read it."""
    return in_world(evaluate_scene(*args, **kwargs))


def state_of(log, time: int = 0):
    """Log through the SDK into memory, load with the store, return the latest-at state."""
    rec = rr.RecordingStream("t")
    mem = rec.memory_recording()
    rec.set_time("f", sequence=0)
    log(rec)
    return rerender.load(mem.drain_as_bytes()).latest_at("f", time)


def points_of(scene, path):
    return np.concatenate([p.positions for p in scene.points if p.entity_path == path])


def rot_z(deg):
    return axis_angle_matrix([0, 0, 1], np.radians(deg))


def test_point_under_translated_rotated_scaled_parent():
    def log(rec):
        rec.log(
            "world",
            rr.Transform3D(translation=[1, 2, 3], rotation=rr.RotationAxisAngle([0, 0, 1], degrees=90)),
        )
        rec.log("world/child", rr.Transform3D(translation=[1, 0, 0], scale=2.0))
        rec.log("world/child/pts", rr.Points3D([[1, 0, 0], [0, 0, 1]], radii=[0.1, -2.0]))

    state = state_of(log)
    worlds = world_transforms(state)
    assert {"/", "/world", "/world/child", "/world/child/pts"} <= set(worlds)
    np.testing.assert_allclose(worlds["/"], np.eye(4))
    # world = T(1,2,3) R_z(90) · T(1,0,0) S(2); a point p maps to R(2p + (1,0,0)) + (1,2,3)
    expected = [rot_z(90) @ (2 * np.array(p) + [1, 0, 0]) + [1, 2, 3] for p in ([1, 0, 0], [0, 0, 1])]
    np.testing.assert_allclose(points_of(evaluate(state), "/world/child/pts"), expected, atol=1e-5)
    np.testing.assert_allclose(worlds["/world/child/pts"], worlds["/world/child"])  # inherited
    (pts,) = evaluate(state).points
    np.testing.assert_allclose(pts.radii, [0.2, -2.0], rtol=1e-6)  # scene-unit radii scale, UI radii don't


def test_child_from_parent_inverts():
    def log(rec):
        rec.log(
            "a",
            rr.Transform3D(
                translation=[1, 0, 0],
                rotation=rr.RotationAxisAngle([0, 0, 1], degrees=90),
                relation=rr.TransformRelation.ChildFromParent,
            ),
        )
        rec.log(
            "b", rr.Transform3D(translation=[1, 0, 0], rotation=rr.RotationAxisAngle([0, 0, 1], degrees=90))
        )

    worlds = world_transforms(state_of(log))
    np.testing.assert_allclose(worlds["/a"], np.linalg.inv(worlds["/b"]), atol=1e-6)
    np.testing.assert_allclose(worlds["/a"][:3, 3], [0, 1, 0], atol=1e-6)  # R^-1 · -(1,0,0)


def test_quaternion_and_axis_angle_agree():
    axis = np.array([1.0, 2.0, 3.0]) / np.linalg.norm([1.0, 2.0, 3.0])
    angle = 0.7
    xyzw = [*(axis * np.sin(angle / 2)), np.cos(angle / 2)]

    def log(rec):
        rec.log("aa", rr.Transform3D(rotation=rr.RotationAxisAngle(axis=[1, 2, 3], radians=angle)))
        rec.log("q", rr.Transform3D(rotation=rr.Quaternion(xyzw=xyzw)))

    worlds = world_transforms(state_of(log))
    np.testing.assert_allclose(worlds["/aa"], worlds["/q"], atol=1e-6)
    np.testing.assert_allclose(quaternion_matrix(xyzw), axis_angle_matrix(axis, angle), atol=1e-12)


def test_mat3x3_is_column_major_and_order_is_t_r_s_m():
    m = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 3.0]])  # row-major input, not symmetric

    def log(rec):
        rec.log(
            "e",
            rr.Transform3D(
                translation=[5, 0, 0],
                rotation=rr.RotationAxisAngle([0, 0, 1], degrees=90),
                scale=[1, 2, 1],
                mat3x3=m,
            ),
        )
        rec.log("e/p", rr.Points3D([[0, 1, 0]]))

    state = state_of(log)
    world = world_transforms(state)["/e"]
    np.testing.assert_allclose(world[:3, :3], rot_z(90) @ np.diag([1, 2, 1]) @ m, atol=1e-6)
    p = rot_z(90) @ np.diag([1, 2, 1]) @ m @ [0, 1, 0] + [5, 0, 0]  # M first, then S, R, T
    np.testing.assert_allclose(points_of(evaluate(state), "/e/p"), [p], atol=1e-5)


def test_transform3d_is_atomic_newest_row_resets_older_components():
    def log(rec):
        rec.log("e", rr.Transform3D(translation=[1, 2, 3]))
        rec.log("e", rr.Transform3D(scale=2.0))

    world = world_transforms(state_of(log))["/e"]
    np.testing.assert_allclose(world, np.diag([2.0, 2.0, 2.0, 1.0]))


def test_instance_poses_instantiate_meshes_and_pair_with_boxes():
    poses = rr.InstancePoses3D(translations=[[0, 0, 0], [10, 0, 0], [0, 10, 0]])

    def log(rec):
        rec.log("mesh", rr.Mesh3D(vertex_positions=[[0, 0, 0], [1, 0, 0], [0, 1, 0]]), poses)
        rec.log("boxes", rr.Boxes3D(half_sizes=[[1, 1, 1]]), poses)
        rec.log("pts", rr.Points3D([[1, 1, 1]]), rr.InstancePoses3D(translations=[[0, 0, 5], [9, 9, 9]]))

    scene = evaluate(state_of(log))
    meshes = [m for m in scene.meshes if m.entity_path == "/mesh"]
    assert len(meshes) == 3
    np.testing.assert_allclose(
        sorted(m.vertices[0].tolist() for m in meshes), [[0, 0, 0], [0, 10, 0], [10, 0, 0]]
    )
    (box_lines,) = [v for v in scene.lines if v.entity_path == "/boxes"]
    assert len(box_lines.strips) == 3 * 12  # one box repeated for each of the 3 poses
    centers = sorted(
        np.concatenate(box_lines.strips[i * 12 : (i + 1) * 12]).mean(0).round(6).tolist() for i in range(3)
    )
    np.testing.assert_allclose(centers, [[0, 0, 0], [0, 10, 0], [10, 0, 0]], atol=1e-5)
    # points use the first instance pose only (as Rerun's point visualizer)
    np.testing.assert_allclose(points_of(scene, "/pts"), [[1, 1, 6]])


def test_view_coordinates_set_up():
    def log_y(rec):
        rec.log("/", rr.ViewCoordinates.RIGHT_HAND_Y_UP, static=True)
        rec.log("p", rr.Points3D([[0, 0, 0]]))

    def log_world(rec):
        rec.log("world", rr.ViewCoordinates.RIGHT_HAND_Y_DOWN, static=True)
        rec.log("world/p", rr.Points3D([[0, 0, 0]]))

    def log_camera_and_world(rec):
        rec.log("camera", rr.ViewCoordinates.RDF, static=True)
        rec.log("world", rr.ViewCoordinates.RIGHT_HAND_X_UP, static=True)
        rec.log("world/p", rr.Points3D([[0, 0, 0]]))

    np.testing.assert_allclose(evaluate(state_of(log_camera_and_world)).up, [1, 0, 0])
    np.testing.assert_allclose(evaluate(state_of(log_y)).up, [0, 1, 0])
    np.testing.assert_allclose(evaluate(state_of(log_world)).up, [0, -1, 0])
    np.testing.assert_allclose(
        evaluate(state_of(lambda rec: rec.log("p", rr.Points3D([[0, 0, 0]])))).up, [0, 0, 1]
    )


def test_default_colors_stable_and_distinct():
    colors = {default_color(f"/e{i}") for i in range(20)}
    assert len(colors) >= 15
    for c in colors:
        assert c[3] == 255 and max(c[:3]) == 188  # v = 0.5 linear -> 188 sRGB

    def log(rec):
        rec.log("a", rr.Points3D([[0, 0, 0], [1, 1, 1]]))
        rec.log("b", rr.Points3D([[0, 0, 0]], colors=[[255, 0, 0]]))

    scene = evaluate(state_of(log))
    by_path = {p.entity_path: p for p in scene.points}
    assert by_path["/a"].colors.shape == (2, 4) and by_path["/a"].colors.dtype == np.uint8
    assert tuple(by_path["/a"].colors[1]) == default_color("/a")
    assert tuple(by_path["/b"].colors[0]) == (255, 0, 0, 255)
    assert by_path["/a"].radii.tolist() == [-1.5, -1.5]


def test_default_color_pinned_value():
    # zlib.crc32 is deterministic across runs, processes and platforms
    assert default_color("/world/points") == (188, 77, 157, 255)
    assert default_color("/a") == (77, 188, 182, 255)
    assert default_color("/a") != default_color("/b")
    np.testing.assert_array_equal(unpack_colors([0xFF8000C0]), [[255, 128, 0, 192]])


def test_boxes_edges_and_fill_modes():
    def log(rec):
        rec.log(
            "b", rr.Boxes3D(centers=[[0, 0, 0], [5, 0, 0]], half_sizes=[[1, 2, 3]], colors=[[0, 255, 0, 200]])
        )
        rec.log("s", rr.Boxes3D(half_sizes=[[1, 1, 1]], fill_mode=rr.FillMode.Solid))
        rec.log("w", rr.Boxes3D(half_sizes=[[1, 1, 1]], fill_mode=rr.FillMode.MajorWireframe))

    scene = evaluate(state_of(log))
    (lines,) = [v for v in scene.lines if v.entity_path == "/b"]
    assert len(lines.strips) == 24 and lines.colors.shape == (24, 4) and lines.radii.shape == (24,)
    lengths = sorted(float(np.linalg.norm(s[1] - s[0])) for s in lines.strips[:12])
    np.testing.assert_allclose(lengths, [2] * 4 + [4] * 4 + [6] * 4, atol=1e-5)
    np.testing.assert_allclose(np.concatenate(lines.strips[12:]).mean(0), [5, 0, 0], atol=1e-5)
    assert np.all(lines.radii == -0.5)
    (fill,) = [m for m in scene.meshes if m.entity_path == "/b"]
    assert np.all(fill.vertex_colors[:, 3] == 50)  # alpha / 4 for the default fill mode
    (solid,) = [m for m in scene.meshes if m.entity_path == "/s"]
    assert np.all(solid.vertex_colors[:, 3] == 255)
    assert not [v for v in scene.lines if v.entity_path == "/s"]
    assert not [m for m in scene.meshes if m.entity_path == "/w"]
    assert len(next(v for v in scene.lines if v.entity_path == "/w").strips) == 12


def test_ellipsoid_on_its_surface():
    def log(rec):
        rec.log("e", rr.Ellipsoids3D(centers=[[1, 2, 3]], half_sizes=[[1, 2, 3]]))

    scene = evaluate(state_of(log))
    (mesh,) = scene.meshes
    q = (mesh.vertices - [1, 2, 3]) / [1, 2, 3]
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-5)
    assert mesh.triangles.max() < len(mesh.vertices)
    (lines,) = scene.lines
    for s in lines.strips:
        np.testing.assert_allclose(np.linalg.norm((s - [1, 2, 3]) / [1, 2, 3], axis=1), 1.0, atol=1e-5)


def test_arrows_and_line_strips():
    def log(rec):
        rec.log("w", rr.Transform3D(translation=[0, 0, 1]))
        rec.log("w/a", rr.Arrows3D(origins=[[1, 0, 0]], vectors=[[0, 2, 0]], radii=0.1))
        rec.log("w/l", rr.LineStrips3D([[[0, 0, 0], [1, 0, 0], [1, 1, 0]], [[0, 0, 0], [0, 0, 1]]]))

    scene = evaluate(state_of(log))
    (arrow,) = [v for v in scene.lines if v.entity_path == "/w/a"]
    np.testing.assert_allclose(arrow.strips[0], [[1, 0, 1], [1, 1.8, 1]], atol=1e-5)  # shaft ends at tip base
    np.testing.assert_allclose(arrow.radii, [0.05], rtol=1e-6)
    (tip,) = [m for m in scene.meshes if m.entity_path == "/w/a"]
    assert np.isclose(tip.vertices[:, 1].max(), 2.0, atol=1e-5)  # cone tip at origin + vector
    (strips,) = [v for v in scene.lines if v.entity_path == "/w/l"]
    assert [len(s) for s in strips.strips] == [3, 2]
    np.testing.assert_allclose(strips.strips[0][2], [1, 1, 1])


def test_pinhole_frustum_and_points2d_on_image_plane():
    def log(rec):
        rec.log("cam", rr.Transform3D(translation=[1, 2, 3]))
        rec.log(
            "cam/image",
            rr.Pinhole(focal_length=100, width=200, height=100, image_plane_distance=2.0),
        )
        rec.log("cam/image/pts", rr.Points2D([[100, 50], [200, 100]]))
        rec.log("cam/image/lines", rr.LineStrips2D([[[0, 0], [200, 0]]]))

    scene = evaluate(state_of(log))
    (frustum,) = [v for v in scene.lines if v.entity_path == "/cam/image"]
    corners = np.array([s[1] for s in frustum.strips[:4]])
    for s in frustum.strips[:4]:
        np.testing.assert_allclose(s[0], [1, 2, 3], atol=1e-6)  # from the camera origin
    expected = np.array([[-2, -1, 2], [2, -1, 2], [2, 1, 2], [-2, 1, 2]]) + np.array([1, 2, 3])  # RDF
    np.testing.assert_allclose(corners, expected, atol=1e-5)
    pts = points_of(scene, "/cam/image/pts")
    np.testing.assert_allclose(pts[0], [1, 2, 5], atol=1e-5)  # principal point -> optical axis at d
    np.testing.assert_allclose(pts[1], [3, 3, 5], atol=1e-5)
    (line,) = [v for v in scene.lines if v.entity_path == "/cam/image/lines"]
    np.testing.assert_allclose(line.strips[0], [[-1, 1, 5], [3, 1, 5]], atol=1e-5)


def _image_pinhole(rec):
    # 4x2 image pixels, one world unit per 4 pixels at the plane (d = 2, f = 8), camera at the origin (RDF).
    rec.log("cam", rr.Pinhole(focal_length=8, width=4, height=2, image_plane_distance=2.0))


def test_images_under_a_pinhole_are_textured_quads_on_its_plane():
    rgb = np.zeros((2, 4, 3), np.uint8)
    rgb[0, 0] = [255, 0, 0]  # top-left pixel red
    bgr = rgb[..., ::-1].copy()

    def log(rec):
        _image_pinhole(rec)
        rec.log("cam/rgb", rr.Image(rgb))
        rec.log("cam/bgr", rr.Image(bgr, color_model="BGR", opacity=0.5))
        rec.log("cam/depth", rr.DepthImage(np.array([[0, 1000, 2000, 4000]] * 2, np.uint16), meter=1000.0))
        rec.log("cam/pts", rr.Points2D([[2, 1]]))

    scene = evaluate(state_of(log))
    quads = {m.entity_path: m for m in scene.meshes}
    rgb_quad, bgr_quad = quads["/cam/rgb"], quads["/cam/bgr"]
    # Corners of the 4x2 image at just behind d = 2: x from -0.5 to 0.5 (right), y from -0.25 to 0.25 (down).
    np.testing.assert_allclose(
        rgb_quad.vertices[:, :2], [[-0.5, -0.25], [0.5, -0.25], [0.5, 0.25], [-0.5, 0.25]], rtol=0.02
    )
    assert rgb_quad.normals is None  # unlit, as images are
    np.testing.assert_array_equal(rgb_quad.texcoords[0], [0, 0])  # pixel (0, 0) at the first corner
    assert rgb_quad.texture.shape == (2, 4, 4) and rgb_quad.texture[0, 0].tolist() == [255, 0, 0, 255]
    assert bgr_quad.texture[0, 0].tolist() == [255, 0, 0, 128]  # BGR swapped back, opacity in alpha
    # Depth: Rerun's 3D view draws a DepthImage under a Pinhole as a point cloud, not a quad on the plane
    # (re_view_spatial depth_images.rs; tests/test_depth_points.py): turbo from 0 to the largest depth,
    # zero depth ("no data") gives no point.
    assert "/cam/depth" not in quads
    (depth_pts,) = [p for p in scene.points if p.entity_path == "/cam/depth"]
    assert len(depth_pts.positions) == 6
    assert not np.array_equal(depth_pts.colors[0], depth_pts.colors[2])
    # Stacking: 2D points on the plane, images just behind it.
    z = {path: float(q.vertices[:, 2].mean()) for path, q in quads.items()}
    assert 2.0 < z["/cam/rgb"] < 2.1
    assert points_of(scene, "/cam/pts")[0, 2] == pytest.approx(2.0)


def test_encoded_image_under_a_pinhole_is_decoded():
    import io

    import imageio.v3 as iio

    pixels = np.zeros((2, 4, 3), np.uint8)
    pixels[1, 3] = [0, 255, 0]
    buffer = io.BytesIO()
    iio.imwrite(buffer, pixels, extension=".png")

    def log(rec):
        _image_pinhole(rec)
        rec.log("cam/png", rr.EncodedImage(contents=buffer.getvalue(), media_type="image/png"))
        rec.log("cam/bad", rr.EncodedImage(contents=b"not an image", media_type="image/png"))

    with pytest.warns(UserWarning, match="/cam/bad: skipping EncodedImage"):
        scene = evaluate(state_of(log))
    (quad,) = scene.meshes
    assert quad.entity_path == "/cam/png" and quad.texture[1, 3].tolist() == [0, 255, 0, 255]


def test_pinhole_camera_xyz_and_default_distance():
    def log(rec):
        rec.log("c", rr.Pinhole(focal_length=10, width=20, height=20, camera_xyz=rr.ViewCoordinates.RUB))
        rec.log("c/p", rr.Points2D([[10, 10]]))

    scene = evaluate(state_of(log))
    np.testing.assert_allclose(points_of(scene, "/c/p"), [[0, 0, -0.3]], atol=1e-6)  # RUB looks down -Z
    np.testing.assert_allclose(view_coordinates_basis([3, 2, 5]), np.eye(3))


def test_mesh3d_colors_normals_albedo():
    def log(rec):
        rec.log("m", rr.Transform3D(rotation=rr.RotationAxisAngle([1, 0, 0], degrees=90)))
        rec.log(
            "m/mesh",
            rr.Mesh3D(
                vertex_positions=[[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]],
                triangle_indices=[[0, 1, 2], [1, 3, 2]],
                vertex_normals=[[0, 0, 1]] * 4,
                vertex_colors=[[255, 0, 0]] * 4,
                albedo_factor=[128, 255, 255, 255],
            ),
        )

    (mesh,) = evaluate(state_of(log)).meshes
    assert mesh.triangles.tolist() == [[0, 1, 2], [1, 3, 2]] and mesh.triangles.dtype == np.uint32
    np.testing.assert_allclose(mesh.vertices[2], [0, 0, 1], atol=1e-6)
    np.testing.assert_allclose(mesh.normals, [[0, -1, 0]] * 4, atol=1e-6)
    assert tuple(mesh.vertex_colors[0]) == (128, 0, 0, 255)


OBJ = b"""v 0 0 0
v 1 0 0
v 0 1 0
v 0 0 1
f 1 2 3
f 1 2 4
"""


def test_asset3d_obj():
    def log(rec):
        rec.log("w", rr.Transform3D(translation=[0, 0, 10]))
        rec.log("w/asset", rr.Asset3D(contents=OBJ, media_type="model/obj", albedo_factor=[255, 0, 0]))

    (mesh,) = evaluate(state_of(log)).meshes
    assert len(mesh.triangles) == 2
    assert mesh.triangles.max() < len(mesh.vertices)
    np.testing.assert_allclose(mesh.vertices[:, 2].min(), 10.0, atol=1e-6)
    assert mesh.color == (255, 0, 0, 255)


def test_empty_and_unsupported():
    scene = evaluate({})
    assert scene.points == () and scene.bounds() is None
    np.testing.assert_allclose(scene.up, [0, 0, 1])

    def log(rec):
        rec.log("s", rr.Scalars(1.0))
        rec.log("t", rr.TextLog("hello"))
        rec.log("p", rr.Points3D([[1, 2, 3]]))

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scene = evaluate(state_of(log))
    assert [p.entity_path for p in scene.points] == ["/p"]


def test_malformed_entities_are_skipped_with_a_warning():
    def log(rec):
        rec.log("bad", rr.Points3D([[1, 2, 3]]))
        rec.log(
            "badmesh",
            rr.Mesh3D(vertex_positions=[[0, 0, 0], [1, 0, 0], [0, 1, 0]], triangle_indices=[[0, 1, 9]]),
        )
        rec.log("badtf", rr.Transform3D(translation=[1, 0, 0]))
        rec.log("badtf/p", rr.Points3D([[0, 0, 0]]))
        rec.log("good", rr.Points3D([[4, 5, 6]]))

    state = {path: dict(comps) for path, comps in state_of(log).items()}
    pos = state["/bad"]["Points3D:positions"]
    state["/bad"]["Points3D:positions"] = dataclasses.replace(pos, values=pa.array([1.0, 2.0]))
    tr = state["/badtf"]["Transform3D:translation"]
    state["/badtf"]["Transform3D:translation"] = dataclasses.replace(
        tr, values=pa.array([[1.0, 2.0]], type=pa.list_(pa.float32(), 2))
    )
    with pytest.warns(UserWarning) as record:
        scene = evaluate(state)
    messages = " ".join(str(w.message) for w in record)
    assert "/bad:" in messages and "/badmesh" in messages and "/badtf" in messages
    np.testing.assert_allclose(points_of(scene, "/good"), [[4, 5, 6]])
    np.testing.assert_allclose(points_of(scene, "/badtf/p"), [[0, 0, 0]])  # bad transform -> identity
    assert not [p for p in scene.points if p.entity_path == "/bad"]
    assert not scene.meshes


def test_asset3d_glb_with_guessed_media_type():
    import trimesh

    glb_scene = trimesh.Scene()
    glb_scene.add_geometry(
        trimesh.creation.box(extents=[2, 2, 2]),
        transform=trimesh.transformations.translation_matrix([0, 0, 5]),
    )
    glb = glb_scene.export(file_type="glb")

    def log(rec):
        rec.log("a", rr.Asset3D(contents=glb))  # no media type: sniffed from the bytes

    (mesh,) = evaluate(state_of(log)).meshes
    np.testing.assert_allclose([mesh.vertices[:, 2].min(), mesh.vertices[:, 2].max()], [4, 6], atol=1e-6)
    assert mesh.normals is not None and mesh.normals.shape == mesh.vertices.shape


def test_default_image_plane_distance_is_two_percent_of_scene_diagonal():
    def log(rec):
        rec.log("pts", rr.Points3D([[0, 0, 0], [30, 40, 0]]))
        rec.log("cam", rr.Pinhole(focal_length=10, width=20, height=20))
        rec.log("cam/p", rr.Points2D([[10, 10]]))

    scene = evaluate(state_of(log))
    np.testing.assert_allclose(points_of(scene, "/cam/p"), [[0, 0, 1.0]], atol=1e-5)  # 0.02 · 50
    scene = evaluate(state_of(log), image_plane_distance=3.0)
    np.testing.assert_allclose(points_of(scene, "/cam/p"), [[0, 0, 3.0]], atol=1e-5)


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=sample_id)
def test_sample_recordings_evaluate_cleanly(path):
    recording = rerender.load(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, info in recording.timelines.items():
            scene = evaluate(recording.latest_at(name, info.max))
            assert np.isclose(np.linalg.norm(scene.up), 1.0)
        evaluate(recording.static())


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.floats(-10, 10), min_size=3, max_size=3),
            st.lists(st.floats(-1, 1), min_size=3, max_size=3).filter(lambda a: np.linalg.norm(a) > 0.1),
            st.floats(-np.pi, np.pi),
            st.floats(0.1, 3.0),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_world_transform_is_the_product_down_the_tree(chain):
    def comps_for(translation, axis, angle, scale):
        return rr.Transform3D(
            translation=translation, rotation=rr.RotationAxisAngle(axis=axis, radians=angle), scale=scale
        )

    def log(rec):
        for depth, link in enumerate(chain):
            rec.log("/".join(f"e{i}" for i in range(depth + 1)), comps_for(*link))

    worlds = world_transforms(state_of(log))
    expected = np.eye(4)
    for depth, (translation, axis, angle, scale) in enumerate(chain):
        local = np.eye(4)
        local[:3, :3] = axis_angle_matrix(axis, angle) * scale
        local[:3, 3] = translation
        expected = expected @ local
        path = "/" + "/".join(f"e{i}" for i in range(depth + 1))
        np.testing.assert_allclose(worlds[path], expected, rtol=1e-4, atol=1e-4)


def test_labels_follow_rerun_defaults():
    def log(rec):
        rec.log("few", rr.Points3D([[0, 0, 0], [1, 0, 0]], labels=["a", "b"]))
        rec.log("many", rr.Points3D(np.zeros((30, 3)), labels=[str(i) for i in range(30)]))
        rec.log("forced", rr.Points3D(np.zeros((30, 3)), labels=["x"] * 30, show_labels=True))
        rec.log("hidden", rr.Points3D([[0, 0, 0]], labels=["h"], show_labels=False))
        rec.log("batch", rr.Points3D([[0, 0, 0], [2, 2, 2]], labels=["both"]))
        rec.log("box", rr.Boxes3D(centers=[[5, 0, 0]], half_sizes=[[1, 1, 1]], labels=["crate"]))

    labels = {v.entity_path: v for v in evaluate(state_of(log)).labels}
    assert set(labels) == {"/few", "/forced", "/batch", "/box"}  # 30 instances: not shown unless asked
    assert labels["/few"].texts == ("a", "b") and labels["/few"].positions.tolist() == [[0, 0, 0], [1, 0, 0]]
    assert len(labels["/forced"].texts) == 30
    assert labels["/batch"].texts == ("both",) and labels["/batch"].positions.tolist() == [[1, 1, 1]]
    assert labels["/box"].positions.tolist() == [[5, 0, 0]]
