"""Keyframed camera paths: exact keys, holds, clamps, smoothness, loops, constant speed, easing, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rerender.camera.framing import CameraPose
from rerender.camera.keyframes import (
    AIMS,
    EASINGS,
    Key,
    KeyframePath,
    PathOptions,
    ease,
    key_orientation,
    pose_at,
    poses_at,
)

H = 1e-6  # finite-difference step (time units)


def make_key(time: float, position, look_at=(0.0, 0.0, 0.0), up=(0.0, 0.0, 1.0), fov=50.0, **kw) -> Key:
    return Key(time=time, position=position, look_at=look_at, up=up, fov=fov, **kw)


def key_matrix(key: Key) -> np.ndarray:
    return CameraPose(eye=key.position, target=key.look_at, up=key.up, fov_y_deg=key.fov).matrix()


def wavy_keys(**kw) -> list[Key]:
    """Five keys, unevenly spaced in time and space, with varied look-at points, ups and FOVs."""
    return [
        make_key(0.0, (4.0, 0.0, 1.0), (0.0, 0.0, 0.0), fov=40.0, **kw),
        make_key(0.7, (2.0, 3.0, 1.5), (0.5, 0.0, 0.2), up=(0.1, 0.0, 1.0), fov=55.0, **kw),
        make_key(2.5, (-3.0, 2.0, 0.5), (0.0, 0.5, 0.0), fov=70.0, **kw),
        make_key(3.0, (-3.5, -2.0, 2.0), (0.0, 0.0, 0.3), up=(0.0, 0.2, 1.0), fov=45.0, **kw),
        make_key(5.0, (1.0, -4.0, 1.0), (0.2, 0.0, 0.0), fov=60.0, **kw),
    ]


def positions(path: KeyframePath, ts) -> np.ndarray:
    return path.evaluate(np.asarray(ts, dtype=np.float64)).position


def one_sided_velocities(path: KeyframePath, t: float, h: float = H) -> tuple[np.ndarray, np.ndarray]:
    before, at, after = positions(path, [t - h, t, t + h])
    return (at - before) / h, (after - at) / h


OPTION_SETS = [
    PathOptions(),
    PathOptions(tension=0.4, continuity=-0.3, bias=0.5),
    PathOptions(loop=True),
    PathOptions(loop=True, period=8.0, tension=-0.5, bias=-0.2),
]


# --- exact keys, holds, clamps ---------------------------------------------------------------------------


@pytest.mark.parametrize("options", OPTION_SETS, ids=str)
def test_pose_at_key_times_is_the_keys_pose(options):
    keys = wavy_keys()
    keys = [
        Key(
            time=k.time,
            position=k.position,
            look_at=k.look_at,
            up=k.up,
            fov=k.fov,
            ease=EASINGS[i % 4],
            hold=0.2 if i % 2 else 0.0,
        )
        for i, k in enumerate(keys)
    ]
    path = KeyframePath(keys, options)
    for key in keys:
        for t in (key.time, key.time + key.hold):
            pose = pose_at(keys, t, options)
            np.testing.assert_allclose(pose.matrix(), key_matrix(key), atol=1e-9)
            assert pose.fov_y_deg == pytest.approx(key.fov, abs=1e-9)
            # The vectorised evaluation says the same.
            (vector_pose,) = path.poses_at([t])
            np.testing.assert_allclose(vector_pose.matrix(), key_matrix(key), atol=1e-9)


def test_scalar_and_vectorised_evaluation_agree():
    keys = wavy_keys(ease="ease-in-out", hold=0.1)
    ts = np.linspace(-1.0, 12.0, 97)
    for options in [
        *OPTION_SETS,
        PathOptions(constant_speed=True),
        PathOptions(loop=True, constant_speed=True),
    ]:
        path = KeyframePath(keys, options)
        for t, vector_pose in zip(ts, poses_at(keys, ts, options), strict=True):
            scalar_pose = path.pose_at(float(t))
            np.testing.assert_allclose(scalar_pose.matrix(), vector_pose.matrix(), atol=1e-10)
            assert scalar_pose.fov_y_deg == pytest.approx(vector_pose.fov_y_deg, abs=1e-10)


def test_keys_are_sorted_by_time():
    keys = wavy_keys()
    shuffled = [keys[3], keys[0], keys[4], keys[1], keys[2]]
    for t in np.linspace(-0.5, 5.5, 25):
        np.testing.assert_allclose(pose_at(shuffled, t).matrix(), pose_at(keys, t).matrix(), atol=1e-12)


def test_hold_rests_exactly_at_the_key_then_moves():
    keys = wavy_keys()
    keys[1] = make_key(0.7, keys[1].position, keys[1].look_at, up=keys[1].up, fov=keys[1].fov, hold=0.5)
    path = KeyframePath(keys)
    for t in np.linspace(0.7, 1.2, 11):
        pose = path.pose_at(float(t))
        np.testing.assert_allclose(pose.matrix(), key_matrix(keys[1]), atol=1e-9)
        assert pose.fov_y_deg == pytest.approx(55.0)
    assert not np.allclose(path.pose_at(1.25).eye, keys[1].position, atol=1e-3)
    # The segment after the hold starts from rest only through easing, not through the hold: it still
    # reaches the next key on time.
    np.testing.assert_allclose(path.pose_at(2.5).matrix(), key_matrix(keys[2]), atol=1e-9)


def test_before_the_first_key_and_after_the_last():
    keys = wavy_keys()
    keys[-1] = make_key(5.0, keys[-1].position, keys[-1].look_at, fov=keys[-1].fov, hold=3.0)  # irrelevant
    for t in (-100.0, -1.0, -1e-9):
        np.testing.assert_allclose(pose_at(keys, t).matrix(), key_matrix(keys[0]), atol=1e-9)
    for t in (5.0 + 1e-9, 6.0, 1e6):
        pose = pose_at(keys, t)
        np.testing.assert_allclose(pose.matrix(), key_matrix(keys[-1]), atol=1e-9)
        assert pose.fov_y_deg == pytest.approx(60.0)


def test_single_key_is_that_pose_everywhere():
    key = make_key(2.0, (1.0, 2.0, 3.0), (0.0, 1.0, 0.0), fov=33.0, hold=1.0)
    for options in (PathOptions(), PathOptions(loop=True), PathOptions(constant_speed=True)):
        for t in (-5.0, 2.0, 2.5, 100.0):
            pose = pose_at([key], t, options)
            np.testing.assert_allclose(pose.matrix(), key_matrix(key), atol=1e-12)
            assert pose.fov_y_deg == 33.0


# --- smoothness --------------------------------------------------------------------------------------------


def test_position_is_c1_at_interior_keys():
    path = KeyframePath(wavy_keys())  # tension 0, continuity 0, linear easing, uneven spacing
    for key in path.keys[1:-1]:
        left, right = one_sided_velocities(path, key.time)
        assert np.linalg.norm(right) > 0.5
        np.testing.assert_allclose(left, right, atol=1e-4 * np.linalg.norm(right))


def test_a_continuity_kink_is_visible_to_the_c1_check():
    """The finite-difference check above is not vacuous: non-zero continuity does kink the path."""
    path = KeyframePath(wavy_keys(), PathOptions(continuity=0.5))
    left, right = one_sided_velocities(path, path.keys[2].time)
    assert np.linalg.norm(left - right) > 0.1 * np.linalg.norm(right)


def test_velocity_at_a_key_is_the_time_scaled_kb_tangent():
    """With T = C = B = 0 the velocity at key i is (p_i+1 - p_i-1) / (d_i-1 + d_i), however uneven d is."""
    keys = wavy_keys()
    path = KeyframePath(keys)
    for i in range(1, len(keys) - 1):
        left, right = one_sided_velocities(path, keys[i].time)
        expected = (keys[i + 1].position - keys[i - 1].position) / (keys[i + 1].time - keys[i - 1].time)
        np.testing.assert_allclose(right, expected, atol=1e-4)
        np.testing.assert_allclose(left, expected, atol=1e-4)


def test_orientation_is_c1_at_interior_keys():
    path = KeyframePath(wavy_keys())
    for key in path.keys[1:-1]:
        before, at, after = path.evaluate([key.time - H, key.time, key.time + H]).rotation
        left, right = (at - before) / H, (after - at) / H
        assert np.abs(right).max() > 0.05
        np.testing.assert_allclose(left, right, atol=1e-4 * np.abs(right).max())


def test_two_keys_move_in_a_straight_line_at_constant_speed():
    """The reflected-neighbour end condition: with two keys the path is the chord, walked evenly."""
    a, b = np.array([0.0, 0.0, 0.0]), np.array([3.0, 1.0, -2.0])
    path = KeyframePath([make_key(1.0, a, (0, 5, 0)), make_key(3.0, b, (0, 5, 0))])
    for f in np.linspace(0.0, 1.0, 9):
        np.testing.assert_allclose(path.pose_at(1.0 + 2.0 * f).eye, a + f * (b - a), atol=1e-12)


def test_tension_one_stops_at_every_key():
    path = KeyframePath(wavy_keys(), PathOptions(tension=1.0))
    for key in path.keys:
        left, right = one_sided_velocities(path, key.time)
        assert np.linalg.norm(left) < 1e-4 and np.linalg.norm(right) < 1e-4
    # ... but does move between keys.
    mid = (path.keys[1].time + path.keys[2].time) / 2
    left, right = one_sided_velocities(path, mid)
    assert np.linalg.norm(right) > 1.0


# --- loops -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("constant_speed", [False, True])
def test_loop_is_periodic_and_c1_at_the_seam(constant_speed):
    options = PathOptions(loop=True, period=7.0, constant_speed=constant_speed)
    path = KeyframePath(wavy_keys(), options)
    seam = 7.0  # first key (t = 0) plus one period
    left, right = one_sided_velocities(path, seam)
    assert np.linalg.norm(right) > 0.5
    np.testing.assert_allclose(left, right, atol=1e-4 * np.linalg.norm(right))
    before, after = positions(path, [seam - 1e-9, seam + 1e-9])
    np.testing.assert_allclose(before, after, atol=1e-7)
    np.testing.assert_allclose(after, path.keys[0].position, atol=1e-7)
    for t in np.linspace(-2.0, 7.0, 31):
        for shift in (7.0, 14.0, -7.0):
            np.testing.assert_allclose(path.pose_at(t + shift).matrix(), path.pose_at(t).matrix(), atol=1e-9)


def test_loop_closes_over_the_default_period():
    keys = wavy_keys()  # K = 5 keys over 5.0 -> period 5.0 * 5/4
    path = KeyframePath(keys, PathOptions(loop=True))
    assert path.period == pytest.approx(6.25)
    np.testing.assert_allclose(path.pose_at(6.25).matrix(), key_matrix(keys[0]), atol=1e-9)
    # Between the last key and the seam the camera travels back: it is neither of the end keys.
    middle = path.pose_at(5.6).eye
    assert min(np.linalg.norm(middle - keys[0].position), np.linalg.norm(middle - keys[-1].position)) > 0.5


# --- constant speed ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("loop", [False, True])
def test_constant_speed_covers_equal_distances_in_equal_times(loop):
    options = PathOptions(constant_speed=True, loop=loop, tension=0.3)
    path = KeyframePath(wavy_keys(), options)
    steps = distances_along(path, np.linspace(path.start, path.end, 201))
    np.testing.assert_allclose(steps, steps.mean(), rtol=0.01)
    # Without it the same path's speed varies a lot (so this test can fail).
    uneven = distances_along(KeyframePath(wavy_keys()), np.linspace(0.0, 5.0, 201))
    assert uneven.max() > 2 * uneven.min()


def distances_along(path: KeyframePath, ts: np.ndarray, sub: int = 16) -> np.ndarray:
    """Distance travelled along the path between consecutive times (chords of `sub` substeps each)."""
    fine = np.linspace(ts[0], ts[-1], (len(ts) - 1) * sub + 1)
    chords = np.linalg.norm(np.diff(positions(path, fine), axis=0), axis=1)
    return chords.reshape(len(ts) - 1, sub).sum(axis=1)


def test_constant_speed_passes_each_key_with_its_pose():
    keys = wavy_keys(ease="ease-in-out", hold=0.1)  # both ignored with constant speed
    path = KeyframePath(keys, PathOptions(constant_speed=True))
    assert path.passing_times[0] == 0.0 and path.passing_times[-1] == pytest.approx(5.0)
    assert np.all(np.diff(path.passing_times) > 0)
    for key, t in zip(keys, path.passing_times, strict=True):
        pose = path.pose_at(float(t))
        np.testing.assert_allclose(pose.matrix(), key_matrix(key), atol=1e-9)
        assert pose.fov_y_deg == pytest.approx(key.fov, abs=1e-9)


# --- easing ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", EASINGS)
def test_easing_is_monotone_with_fixed_endpoints(kind):
    s = np.linspace(0.0, 1.0, 1001)
    eased = ease(kind, s)
    assert eased[0] == 0.0 and eased[-1] == 1.0
    assert np.all(np.diff(eased) >= 0)
    slope_at = {e: (float(ease(kind, e + 1e-7) - ease(kind, e)) / 1e-7) for e in (0.0, 1.0 - 1e-7)}
    starts_at_rest = kind in ("ease-in", "ease-in-out")
    ends_at_rest = kind in ("ease-out", "ease-in-out")
    assert (abs(slope_at[0.0]) < 1e-5) == starts_at_rest
    assert (abs(slope_at[1.0 - 1e-7]) < 1e-5) == ends_at_rest


def test_easing_shapes_the_segment_that_starts_at_the_key():
    a, b = np.array([0.0, 0.0, 0.0]), np.array([4.0, 0.0, 0.0])
    for kind, expected in [("linear", 0.5), ("ease-in", 0.375), ("ease-out", 0.625), ("ease-in-out", 0.5)]:
        keys = [make_key(0.0, a, (0, 5, 0), ease=kind), make_key(2.0, b, (0, 5, 0), ease="ease-in")]
        np.testing.assert_allclose(pose_at(keys, 1.0).eye, a + expected * (b - a), atol=1e-12)
        np.testing.assert_allclose(pose_at(keys, 0.5).eye, a + float(ease(kind, 0.25)) * (b - a), atol=1e-12)


def test_ease_in_starts_from_rest():
    keys = wavy_keys(ease="ease-in")
    path = KeyframePath(keys)
    _, right = one_sided_velocities(path, keys[2].time)
    assert np.linalg.norm(right) < 1e-4


# --- orientation -------------------------------------------------------------------------------------------


def yaw_key(time: float, degrees: float) -> Key:
    a = math.radians(degrees)
    return make_key(time, (0.0, 0.0, 0.0), (math.cos(a), math.sin(a), 0.0))


@pytest.mark.parametrize("centre", range(0, 360, 15))
def test_quaternions_take_the_short_way_round(centre):
    """A 20-degree turn across any heading (350 -> 10 among them) stays a 20-degree turn. Some of these
    pairs have canonical (w >= 0) quaternions in opposite hemispheres, whose naive blend turns the long
    way."""
    path = KeyframePath(
        [yaw_key(0.0, centre - 10.0), yaw_key(1.0, centre + 10.0)], PathOptions(aim="orientation")
    )
    for f, offset in [(0.25, -5.0), (0.5, 0.0), (0.75, 5.0)]:
        forward = -path.pose_at(f).matrix()[:3, 2]
        a = math.radians(centre + offset)
        np.testing.assert_allclose(forward, [math.cos(a), math.sin(a), 0.0], atol=1e-9)


def test_quaternions_take_the_short_way_round_mid_path():
    path = KeyframePath([yaw_key(0.0, 330.0), yaw_key(1.0, 350.0), yaw_key(2.0, 10.0), yaw_key(3.0, 30.0)])
    yaw = [
        math.degrees(math.atan2(-m[1, 2], -m[0, 2]))
        for m in (p.matrix() for p in path.poses_at([1.25, 1.5, 1.75]))
    ]
    np.testing.assert_allclose(yaw, [-5.0, 0.0, 5.0], atol=0.5)


def test_key_orientation_is_the_keys_rotation():
    for key in wavy_keys():
        q = key_orientation(key)
        assert q.shape == (4,) and q[0] >= 0 and np.linalg.norm(q) == pytest.approx(1.0)
        w, x, y, z = q
        rotation = np.array(
            [
                [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
                [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
                [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
            ]
        )
        np.testing.assert_allclose(rotation, key_matrix(key)[:3, :3], atol=1e-12)


# --- degenerate inputs and errors --------------------------------------------------------------------------


def test_degenerate_inputs_stay_finite():
    keys = [
        make_key(0.0, (1.0, 0.0, 0.0), (0.0, 0.0, 0.0)),
        make_key(1.0, (1.0, 0.0, 0.0), (0.0, 0.0, 0.0)),  # same place as the previous key
        make_key(2.0, (0.0, 0.0, 5.0), (0.0, 0.0, 0.0)),  # looks straight down its up axis
        make_key(3.0, (2.0, 2.0, 2.0), (2.0, 2.0, 2.0)),  # looks at itself
        make_key(4.0, (2.0, 2.0, 2.0), (0.0, 0.0, 0.0), up=(0.0, 0.0, 0.0)),
    ]
    ts = np.linspace(-1.0, 6.0, 141)
    for options in (
        PathOptions(),
        PathOptions(loop=True),
        PathOptions(constant_speed=True),
        PathOptions(tension=1),
    ):
        for pose in poses_at(keys, ts, options):
            assert np.isfinite(pose.matrix()).all() and math.isfinite(pose.fov_y_deg)
        for t in ts[::7]:
            assert np.isfinite(pose_at(keys, float(t), options).matrix()).all()
    still = [make_key(0.0, (1.0, 1.0, 1.0)), make_key(1.0, (1.0, 1.0, 1.0), (0.0, 1.0, 0.0))]
    for pose in poses_at(still, ts, PathOptions(constant_speed=True)):
        assert np.isfinite(pose.matrix()).all()


def test_no_keys_is_an_error():
    with pytest.raises(ValueError, match="at least one"):
        pose_at([], 0.0)


def test_duplicate_times_are_an_error_naming_the_time():
    keys = [make_key(0.0, (1, 0, 0)), make_key(2.5, (2, 0, 0)), make_key(2.5, (3, 0, 0))]
    with pytest.raises(ValueError, match=r"2\.5"):
        pose_at(keys, 0.0)


def test_a_hold_must_be_shorter_than_its_segment():
    keys = [make_key(0.0, (1, 0, 0), hold=1.0), make_key(1.0, (2, 0, 0))]
    with pytest.raises(ValueError, match="hold"):
        KeyframePath(keys)
    # The last key's hold matters only when it loops back to the first.
    fine = [make_key(0.0, (1, 0, 0)), make_key(1.0, (2, 0, 0), hold=5.0)]
    KeyframePath(fine)
    with pytest.raises(ValueError, match="hold"):
        KeyframePath(fine, PathOptions(loop=True, period=3.0))


def test_bad_options_and_keys_are_errors():
    with pytest.raises(ValueError, match="period"):
        KeyframePath(wavy_keys(), PathOptions(loop=True, period=4.0))  # shorter than the keys' span
    with pytest.raises(ValueError, match="tension"):
        PathOptions(tension=1.5)
    with pytest.raises(ValueError, match="ease"):
        make_key(0.0, (1, 0, 0), ease="bounce")
    with pytest.raises(ValueError, match="fov"):
        make_key(0.0, (1, 0, 0), fov=180.0)
    with pytest.raises(ValueError, match="position"):
        make_key(0.0, (1, 0))


def test_a_look_at_shared_by_keys_stays_centred_between_them():
    """aim "look_at" (the default): between keys that look at one point the camera keeps looking at it,
    while the quaternion spline alone (aim "orientation") drifts off it."""
    keys = [
        make_key(0.0, (10.0, -14.0, 9.0), (0.0, 0.0, 4.0)),
        make_key(2.0, (-6.0, -9.0, 6.0), (0.0, 0.0, 4.0)),
        make_key(4.0, (-2.5, -4.0, 1.5), (0.0, 0.0, 4.0)),
    ]
    drift = {}
    for aim in AIMS:
        path = KeyframePath(keys, PathOptions(aim=aim))
        worst = 0.0
        for t in np.linspace(0.0, 4.0, 41):
            pose = path.pose_at(float(t))
            forward = -pose.matrix()[:3, 2]
            to_point = np.array([0.0, 0.0, 4.0]) - pose.eye
            worst = max(
                worst, math.degrees(math.acos(np.clip(forward @ to_point / np.linalg.norm(to_point), -1, 1)))
            )
        drift[aim] = worst
    assert drift["look_at"] < 1e-4 and drift["orientation"] > 1.0  # degrees
