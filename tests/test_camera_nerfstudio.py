"""nerfstudio camera_path.json: hand-written files in nerfstudio's format, our write/read round trip, the
keyframe forms of both nerfstudio viewers, and one error per malformed key."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from rerender.camera.framing import CameraPose, look_at
from rerender.camera.nerfstudio import (
    DEFAULT_FOV,
    NerfstudioFormatError,
    frame_pose,
    pose_from_matrix,
    read_camera_path,
    tension_from_smoothness,
    write_camera_path,
)
from rerender.errors import RerenderError

# A camera at (0, -5, 0) looking at the origin, +Z up, in OpenGL camera axes: its X (right) is world +X,
# its Y (up) is world +Z, its Z (backward) is world -Y. Row-major, as nerfstudio's `camera_to_world`.
LOOKING_AT_ORIGIN = [
    1.0, 0.0, 0.0, 0.0,
    0.0, 0.0, -1.0, -5.0,
    0.0, 1.0, 0.0, 0.0,
    0.0, 0.0, 0.0, 1.0,
]  # fmt: skip
# The same matrix as THREE.js Matrix4.toArray() gives it: column by column.
LOOKING_AT_ORIGIN_COLUMN_MAJOR = np.array(LOOKING_AT_ORIGIN).reshape(4, 4).T.reshape(16).tolist()


def viewer_file(**overrides):
    """What nerfstudio's viser viewer writes for a 2-frame path (keys and types as its render button)."""
    data = {
        "default_fov": 75.0,
        "default_transition_sec": 2.0,
        "keyframes": [
            {
                "matrix": LOOKING_AT_ORIGIN,
                "fov": 60.0,
                "aspect": 16 / 9,
                "override_transition_enabled": False,
                "override_transition_sec": None,
            }
        ],
        "camera_type": "perspective",
        "render_height": 720,
        "render_width": 1280,
        "fps": 30.0,
        "seconds": 2 / 30,
        "is_cycle": False,
        "smoothness_value": 0.0,
        "camera_path": [
            {"camera_to_world": LOOKING_AT_ORIGIN, "fov": 60.0, "aspect": 16 / 9},
            {"camera_to_world": LOOKING_AT_ORIGIN, "fov": 40.0, "aspect": 16 / 9},
        ],
    }
    data.update(overrides)
    return data


def write_json(tmp_path, data, name="camera_path.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_hand_written_path_reads_into_the_pose_it_describes(tmp_path):
    path = read_camera_path(write_json(tmp_path, viewer_file()))
    assert (path.width, path.height, path.fps) == (1280, 720, 30.0)
    assert path.seconds == pytest.approx(2 / 30)
    assert path.fovs == (60.0, 40.0)
    pose = pose_from_matrix(path.frames[0], path.fovs[0])
    np.testing.assert_allclose(pose.eye, [0.0, -5.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(pose.target - pose.eye, [0.0, 1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(pose.up, [0.0, 0.0, 1.0], atol=1e-12)
    assert pose.fov_y_deg == 60.0
    np.testing.assert_allclose(pose.matrix(), np.array(LOOKING_AT_ORIGIN).reshape(4, 4), atol=1e-12)
    far = pose_from_matrix(path.frames[0], 60.0, focus_distance=5.0)
    np.testing.assert_allclose(far.target, [0.0, 0.0, 0.0], atol=1e-12)


def project(
    camera_to_world: np.ndarray, fov: float, width: int, height: int, point
) -> tuple[np.ndarray, tuple]:
    """Camera-space point and pixel (x right, y down) of a world point, OpenGL camera axes."""
    cam = np.linalg.inv(camera_to_world) @ np.append(np.asarray(point, dtype=np.float64), 1.0)
    focal = (height / 2) / math.tan(math.radians(fov) / 2)
    depth = -cam[2]
    return cam[:3], (width / 2 + focal * cam[0] / depth, height / 2 - focal * cam[1] / depth)


def test_projection_puts_origin_at_centre_and_plus_x_to_the_right(tmp_path):
    path = read_camera_path(write_json(tmp_path, viewer_file()))
    pose = frame_pose(path, 0.0)
    for matrix in (pose.matrix(), path.frames[0]):
        cam, pixel = project(matrix, pose.fov_y_deg, path.width, path.height, [0.0, 0.0, 0.0])
        np.testing.assert_allclose(cam, [0.0, 0.0, -5.0], atol=1e-12)  # 5 ahead, dead centre
        np.testing.assert_allclose(pixel, (640.0, 360.0), atol=1e-9)
        cam, pixel = project(matrix, pose.fov_y_deg, path.width, path.height, [1.0, 0.0, 0.0])
        assert cam[0] > 0 and cam[2] < 0 and pixel[0] > 640.0
        np.testing.assert_allclose(pixel[1], 360.0, atol=1e-9)
        cam, pixel = project(matrix, pose.fov_y_deg, path.width, path.height, [0.0, 0.0, 1.0])
        assert cam[1] > 0 and pixel[1] < 360.0  # world up is image up


def sample_poses():
    rng = np.random.default_rng(7)
    poses = []
    for i in range(7):
        eye = rng.normal(size=3) * 10
        poses.append(
            CameraPose(
                eye=eye, target=rng.normal(size=3), up=np.array([0.0, 0.0, 1.0]), fov_y_deg=30.0 + 5 * i
            )
        )
    poses.append(CameraPose(eye=np.array([0.0, 0.0, 3.0]), target=np.zeros(3), up=np.array([0.0, 0.0, 1.0])))
    return poses


def test_write_then_read_round_trips(tmp_path):
    poses = sample_poses()
    out = tmp_path / "out.json"
    write_camera_path(out, poses, width=640, height=480, fps=24)
    path = read_camera_path(out)
    assert (path.width, path.height, path.fps) == (640, 480, 24.0)
    assert path.seconds == pytest.approx(len(poses) / 24)
    assert path.fovs == tuple(float(p.fov_y_deg) for p in poses)
    assert path.smoothness == 0.0 and path.is_cycle is False and not path.legacy_viewer
    assert len(path.frames) == len(poses)
    for pose, frame, keyframe in zip(poses, path.frames, path.keyframes, strict=True):
        np.testing.assert_allclose(frame, pose.matrix(), rtol=0, atol=1e-9)
        np.testing.assert_allclose(keyframe.camera_to_world, pose.matrix(), rtol=0, atol=1e-9)
        np.testing.assert_allclose(pose_from_matrix(frame, 50.0).matrix(), pose.matrix(), rtol=0, atol=1e-9)
        assert keyframe.fov == pose.fov_y_deg
    assert [k.time for k in path.keyframes] == pytest.approx([i / 24 for i in range(len(poses))])
    for i, pose in enumerate(poses):
        got = frame_pose(path, i / 24)
        np.testing.assert_allclose(got.matrix(), pose.matrix(), rtol=0, atol=1e-9)
        assert got.fov_y_deg == pose.fov_y_deg


def test_written_file_is_what_ns_render_and_the_viewer_read(tmp_path):
    poses = sample_poses()[:3]
    out = tmp_path / "out.json"
    write_camera_path(out, poses, width=1920, height=1080, fps=30.0)
    data = json.loads(out.read_text())
    assert data["camera_type"] == "perspective"
    assert (data["render_width"], data["render_height"]) == (1920, 1080)
    assert data["seconds"] == pytest.approx(3 / 30) and data["fps"] == 30.0
    assert data["is_cycle"] is False and data["smoothness_value"] == 0.0
    for pose, entry, keyframe in zip(poses, data["camera_path"], data["keyframes"], strict=True):
        # ns-render: view(4, 4)[:3] of the row-major list; `fov` in degrees against render_height.
        np.testing.assert_allclose(
            np.array(entry["camera_to_world"]).reshape(4, 4), pose.matrix(), atol=1e-12
        )
        assert entry["fov"] == pose.fov_y_deg and entry["aspect"] == pytest.approx(1920 / 1080)
        # The viser viewer's loader: a row-major `matrix`, `fov`, `aspect`, transition override fields.
        assert keyframe["matrix"] == entry["camera_to_world"]
        assert (
            keyframe["override_transition_enabled"] is False and keyframe["override_transition_sec"] is None
        )
    assert data["default_transition_sec"] == pytest.approx(1 / 30)


def test_keyframes_only_viser_file(tmp_path):
    second = np.array(LOOKING_AT_ORIGIN).reshape(4, 4)
    second[:3, 3] = [2.0, -5.0, 1.0]
    keyframes = [
        {"matrix": LOOKING_AT_ORIGIN, "fov": 60.0, "aspect": 1.0, "override_transition_enabled": False},
        {"matrix": second.reshape(16).tolist(), "aspect": 1.0, "override_transition_enabled": False},
        {
            "matrix": LOOKING_AT_ORIGIN,
            "fov": 30.0,
            "aspect": 1.0,
            "override_transition_enabled": True,
            "override_transition_sec": 3.0,
        },
    ]
    data = viewer_file(keyframes=keyframes, seconds=5.0, default_fov=45.0, smoothness_value=0.3)
    del data["camera_path"], data["fps"]
    path = read_camera_path(write_json(tmp_path, data))
    assert path.frames == () and path.fovs == ()
    assert path.seconds == 5.0 and path.smoothness == 0.3 and not path.legacy_viewer
    assert [k.fov for k in path.keyframes] == [60.0, 45.0, 30.0]  # the missing fov is `default_fov`
    assert [k.time for k in path.keyframes] == [0.0, 2.0, 5.0]  # default 2 s, then a 3 s override
    np.testing.assert_array_equal(path.keyframes[1].camera_to_world, second)
    with pytest.raises(NerfstudioFormatError, match="camera_path"):
        frame_pose(path, 0.0)


def test_keyframe_times_need_transition_info(tmp_path):
    data = viewer_file()
    del data["default_transition_sec"]
    data["keyframes"] = data["keyframes"] * 2
    assert [k.time for k in read_camera_path(write_json(tmp_path, data)).keyframes] == [None, None]


def test_legacy_string_matrices_are_column_major(tmp_path):
    def legacy_keyframe(matrix, time):
        properties = [["FOV", 50], ["NAME", "Camera"], ["TIME", time]]
        return {"matrix": json.dumps(matrix), "fov": 50, "aspect": 1.5, "properties": json.dumps(properties)}

    data = viewer_file(
        keyframes=[legacy_keyframe(LOOKING_AT_ORIGIN_COLUMN_MAJOR, t) for t in (0.0, 0.25, 1.0)],
        seconds=4.0,
        smoothness_value=0.5,
    )
    del data["default_fov"], data["default_transition_sec"]
    path = read_camera_path(write_json(tmp_path, data))
    assert path.legacy_viewer
    for keyframe in path.keyframes:
        np.testing.assert_array_equal(keyframe.camera_to_world, np.array(LOOKING_AT_ORIGIN).reshape(4, 4))
    assert [k.time for k in path.keyframes] == [0.0, 1.0, 4.0]
    assert tension_from_smoothness(path.smoothness, legacy=True) == 0.0  # THREE's 0.5: Catmull-Rom
    # A looping legacy path squeezes the keyframes into the first (n - 1) / n of its length.
    data["is_cycle"] = True
    path = read_camera_path(write_json(tmp_path, data))
    assert [k.time for k in path.keyframes] == pytest.approx([0.0, 4 * 0.25 * 2 / 3, 4 * 2 / 3])
    # The same matrix as a row-major string is caught, not silently transposed.
    data["keyframes"][1] = legacy_keyframe(LOOKING_AT_ORIGIN, 0.5)
    with pytest.raises(NerfstudioFormatError, match=r"keyframes\[1\]\.matrix.*bottom row 0, -5, 0, 1"):
        read_camera_path(write_json(tmp_path, data))


def test_missing_fps_and_fov_fall_back(tmp_path):
    data = viewer_file(seconds=0.5)
    del data["fps"], data["default_fov"]
    del data["camera_path"][1]["fov"]
    path = read_camera_path(write_json(tmp_path, data))
    assert path.fps == pytest.approx(4.0)  # two frames in half a second
    assert path.fovs == (60.0, DEFAULT_FOV)
    data["default_fov"] = 70.0
    assert read_camera_path(write_json(tmp_path, data)).fovs == (60.0, 70.0)


def test_frame_pose_picks_the_nearest_frame_clamped(tmp_path):
    frames = []
    for x in range(5):
        matrix = np.array(LOOKING_AT_ORIGIN).reshape(4, 4)
        matrix[0, 3] = x
        frames.append({"camera_to_world": matrix.reshape(16).tolist(), "fov": 50.0 + x})
    path = read_camera_path(write_json(tmp_path, viewer_file(camera_path=frames, fps=10.0, seconds=0.5)))
    assert frame_pose(path, 0.26).eye[0] == 3.0  # round(2.6)
    assert frame_pose(path, 0.25).eye[0] == 3.0  # halves round up
    assert frame_pose(path, 0.04).fov_y_deg == 50.0
    assert frame_pose(path, -1.0).eye[0] == 0.0
    assert frame_pose(path, 100.0).eye[0] == 4.0


def test_tension_from_smoothness():
    assert tension_from_smoothness(0.0) == 0.0
    assert tension_from_smoothness(0.7) == 0.7  # the viser viewer: the value is the tension
    assert tension_from_smoothness(0.0, legacy=True) == 1.0
    assert tension_from_smoothness(0.25, legacy=True) == 0.5
    with pytest.raises(ValueError):
        tension_from_smoothness(float("nan"))


def replace_in(data, dotted, value):
    """A copy of `data` with the value at `camera_path.1.fov` replaced (or deleted when value is DELETE)."""
    data = json.loads(json.dumps(data))
    *parents, last = dotted.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        last = int(last)
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return data


DELETE = object()
TRANSPOSED = LOOKING_AT_ORIGIN_COLUMN_MAJOR

MALFORMED = [
    (
        "camera_path.1.camera_to_world",
        LOOKING_AT_ORIGIN[:15],
        "`camera_path[1].camera_to_world` has 15 values",
    ),
    ("camera_path.1.camera_to_world", [*LOOKING_AT_ORIGIN[:15], "1"], "`camera_path[1].camera_to_world`"),
    ("camera_path.0.camera_to_world", [*LOOKING_AT_ORIGIN[:15], True], "`camera_path[0].camera_to_world`"),
    ("camera_path.0.camera_to_world", [*LOOKING_AT_ORIGIN[:15], 1e400], "`camera_path[0].camera_to_world`"),
    ("camera_path.0.camera_to_world", DELETE, "`camera_path[0].camera_to_world` is missing"),
    ("camera_path.0.camera_to_world", "1 0 0 0", "`camera_path[0].camera_to_world`"),
    (
        "camera_path.1.camera_to_world",
        TRANSPOSED,
        "`camera_path[1].camera_to_world` has bottom row 0, -5, 0, 1",
    ),
    ("camera_path.0.camera_to_world", [0.0] * 15 + [1.0], "`camera_path[0].camera_to_world` has a singular"),
    ("camera_path.1.fov", 0.0, "`camera_path[1].fov`"),
    ("camera_path.1.fov", 180.0, "`camera_path[1].fov`"),
    ("camera_path.1", [1, 2], "`camera_path[1]` is [1, 2]"),
    ("camera_path", {"a": 1}, "`camera_path`"),
    ("seconds", 0, "`seconds` is 0"),
    ("seconds", -2.5, "`seconds` is -2.5"),
    ("seconds", "2", "`seconds`"),
    ("render_width", 0, "`render_width` is 0"),
    ("render_width", DELETE, "`render_width` is missing"),
    ("render_height", -720, "`render_height` is -720"),
    ("render_height", 720.5, "`render_height` is 720.5"),
    ("render_height", "720", "`render_height`"),
    ("fps", 0, "`fps` is 0"),
    ("camera_type", "equirectangular", "`camera_type`"),
    ("is_cycle", "no", "`is_cycle`"),
    ("keyframes.0.matrix", LOOKING_AT_ORIGIN[:12], "`keyframes[0].matrix` has 12 values"),
    ("keyframes.0.matrix", "[1, 0, 0", "`keyframes[0].matrix` is the string"),
    ("keyframes.0.matrix", json.dumps(LOOKING_AT_ORIGIN[:15]), "`keyframes[0].matrix` has 15 values"),
    ("keyframes.0.fov", -5, "`keyframes[0].fov`"),
    ("default_transition_sec", 0.0, "`default_transition_sec`"),
]


@pytest.mark.parametrize(
    ("key", "value", "message"), MALFORMED, ids=[f"{k}={v!r}"[:50] for k, v, _ in MALFORMED]
)
def test_malformed_files_name_the_file_and_key(tmp_path, key, value, message):
    file = write_json(tmp_path, replace_in(viewer_file(), key, value), name="broken_path.json")
    with pytest.raises(NerfstudioFormatError) as caught:
        read_camera_path(file)
    text = str(caught.value)
    assert str(file) in text and message in text and "expected" in text
    assert "\n" not in text and isinstance(caught.value, RerenderError)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not JSON"),
        ("", "is not JSON"),
        ("[1, 2]", "holds a JSON list"),
        (json.dumps({"render_width": 10, "render_height": 10, "seconds": 1.0}), "`camera_path` is missing"),
        (
            json.dumps(
                replace_in(
                    viewer_file(), "camera_path.0.camera_to_world", [*LOOKING_AT_ORIGIN[:15], math.nan]
                )
            ),
            "`camera_path[0].camera_to_world` has nan at index 15",
        ),
    ],
)
def test_unreadable_files(tmp_path, content, message):
    file = write_json(tmp_path, content, name="bad.json")
    with pytest.raises(NerfstudioFormatError) as caught:
        read_camera_path(file)
    assert str(file) in str(caught.value) and message in str(caught.value)


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(NerfstudioFormatError, match=r"nope\.json"):
        read_camera_path(tmp_path / "nope.json")


def test_write_rejects_bad_arguments(tmp_path):
    poses = sample_poses()[:2]
    for kwargs in ({"width": 0, "height": 10, "fps": 30}, {"width": 10, "height": 10, "fps": 0}):
        with pytest.raises(ValueError):
            write_camera_path(tmp_path / "x.json", poses, **kwargs)
    with pytest.raises(ValueError):
        write_camera_path(tmp_path / "x.json", [], width=10, height=10, fps=30)
    with pytest.raises(NerfstudioFormatError, match="cannot be written"):
        write_camera_path(tmp_path / "missing_dir" / "x.json", poses, width=10, height=10, fps=30)


def test_pose_from_matrix_matches_look_at():
    matrix = look_at(np.array([3.0, 1.0, 2.0]), np.array([0.0, 0.5, 0.0]), np.array([0.0, 0.0, 1.0]))
    pose = pose_from_matrix(matrix, 42.0, focus_distance=2.5)
    np.testing.assert_allclose(pose.matrix(), matrix, atol=1e-12)
    assert np.linalg.norm(pose.target - pose.eye) == pytest.approx(2.5)
    with pytest.raises(ValueError):
        pose_from_matrix(np.eye(3), 42.0)
    with pytest.raises(ValueError):
        pose_from_matrix(matrix, 42.0, focus_distance=0.0)
