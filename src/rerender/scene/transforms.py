"""World transforms down the entity tree, from a latest-at state (pure numpy, no I/O).

Conventions (Rerun's, see `re_tf`/`transform3d.fbs`): a `Transform3D` row composes its components as

    local = T(translation) · R(rotation_axis_angle) · R(quaternion) · S(scale) · M(mat3x3)

i.e. mat3x3 is applied to a point first, then scale, then the rotation(s), then the translation; any
component that is absent is the identity. With `relation == ChildFromParent` (2) the logged transform maps
parent space to child space, so the local (parent-from-child) transform is its inverse.

World(e) = World(parent(e)) · Local(e); "/" has World = Local("/"); an entity without its own
`Transform3D` has Local = identity, i.e. it inherits its parent's world transform.
`InstancePoses3D` uses the same composition per instance (components broadcast by repeating their last
value) and, unlike `Transform3D`, does not propagate to children.

Both archetypes are read atomically, as Rerun does ("whenever you log this archetype, the state ... is fully
reset"): only the components from the newest logged row (the largest row id among the archetype's
components) count, so logging `Transform3D(rotation=...)` after `Transform3D(translation=...)` drops the
translation even though the store's per-component latest-at still holds it.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pyarrow as pa

from ..rrd import ancestors, parent_path
from .components import Components, pick, vectors

RELATION_CHILD_FROM_PARENT = 2

# ViewCoordinates axis codes -> direction names
UP, DOWN, RIGHT, LEFT, FORWARD, BACK = 1, 2, 3, 4, 5, 6
RDF = (RIGHT, DOWN, FORWARD)


def lineage(path: str) -> list[str]:
    """`/a/b` -> [`/`, `/a`, `/a/b`] (root first, the entity last)."""
    return [*reversed(ancestors(path)), path]


def axis_angle_matrix(axis, angle: float) -> np.ndarray:
    """3x3 rotation of `angle` radians about `axis` (any length; a zero axis gives the identity)."""
    axis = np.asarray(axis, dtype=np.float64).reshape(3)
    norm = np.linalg.norm(axis)
    if not np.isfinite(norm) or norm == 0.0 or not np.isfinite(angle):
        return np.eye(3)
    x, y, z = axis / norm
    c, s = np.cos(angle), np.sin(angle)
    C = 1.0 - c
    return np.array(
        [
            [c + x * x * C, x * y * C - z * s, x * z * C + y * s],
            [y * x * C + z * s, c + y * y * C, y * z * C - x * s],
            [z * x * C - y * s, z * y * C + x * s, c + z * z * C],
        ]
    )


def quaternion_matrix(q) -> np.ndarray:
    """3x3 rotation of an xyzw quaternion (normalized here; a zero quaternion gives the identity)."""
    q = np.asarray(q, dtype=np.float64).reshape(4)
    norm = np.linalg.norm(q)
    if not np.isfinite(norm) or norm == 0.0:
        return np.eye(3)
    x, y, z, w = q / norm
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


def view_coordinates_basis(xyz) -> np.ndarray:
    """3x3 matrix taking RDF vectors (right, down, forward) to the frame described by ViewCoordinates `xyz`.

    Column j is the local-frame direction of RDF axis j: axis i coded Right gives +e_i, Left gives -e_i, etc.
    Raises ValueError when `xyz` does not name each of the three directions once.
    """
    codes = [int(c) for c in np.asarray(xyz).reshape(3)]
    pairs = {RIGHT: (RIGHT, LEFT), DOWN: (DOWN, UP), FORWARD: (FORWARD, BACK)}
    out = np.zeros((3, 3))
    for j, rdf in enumerate(RDF):
        pos, neg = pairs[rdf]
        hits = [(i, 1.0 if c == pos else -1.0) for i, c in enumerate(codes) if c in (pos, neg)]
        if len(hits) != 1:
            raise ValueError(f"invalid ViewCoordinates {codes}")
        i, sign = hits[0]
        out[i, j] = sign
    return out


def up_vector(xyz) -> np.ndarray | None:
    """The +up direction of ViewCoordinates `xyz` in its own frame, or None when no axis is Up/Down."""
    for i, c in enumerate(np.asarray(xyz).reshape(3)):
        if int(c) in (UP, DOWN):
            v = np.zeros(3)
            v[i] = 1.0 if int(c) == UP else -1.0
            return v
    return None


# --- reading components ------------------------------------------------------------------------------


def axis_angles(comps: Components, key: str) -> list[np.ndarray] | None:
    """A RotationAxisAngle component as a list of 3x3 matrices, None if absent."""
    value = comps.get(key)
    if value is None:
        return None
    arr = value.values
    if not pa.types.is_struct(arr.type):
        raise ValueError(f"{key}: expected a struct array, got {arr.type}")
    axes = np.asarray(arr.field("axis").flatten().to_numpy(zero_copy_only=False), dtype=np.float64)
    angles = np.asarray(arr.field("angle").to_numpy(zero_copy_only=False), dtype=np.float64)
    axes = axes.reshape(-1, 3)
    if len(axes) != len(angles):
        raise ValueError(f"{key}: {len(axes)} axes but {len(angles)} angles")
    return [axis_angle_matrix(a, float(t)) for a, t in zip(axes, angles, strict=True)]


def compose(
    translation: np.ndarray | None,
    axis_angle: np.ndarray | None,
    quaternion: np.ndarray | None,
    scale: np.ndarray | None,
    mat3x3: np.ndarray | None,
) -> np.ndarray:
    """T · R_axis_angle · R_quaternion · S · M as a 4x4 (each argument may be None: the identity).

    `axis_angle` is a 3x3 rotation (from `axis_angles`), `quaternion` xyzw, `scale` per axis, `mat3x3`
    the 9 values of a column-major 3x3: as Transform3D and InstancePoses3D log them.
    """
    linear = np.eye(3)
    if axis_angle is not None:
        linear = linear @ axis_angle
    if quaternion is not None:
        linear = linear @ quaternion_matrix(quaternion)
    if scale is not None:
        linear = linear @ np.diag(scale)
    if mat3x3 is not None:
        linear = linear @ np.asarray(mat3x3, dtype=np.float64).reshape(3, 3).T  # column-major storage
    out = np.eye(4)
    out[:3, :3] = linear
    if translation is not None:
        out[:3, 3] = translation
    return out


def atomic(comps: Components, archetype: str, fields: tuple[str, ...]) -> dict:
    """The archetype's components among `fields` that come from its newest row (see the module doc)."""
    present = {f: comps[f"{archetype}:{f}"] for f in fields if f"{archetype}:{f}" in comps}
    if not present:
        return {}
    newest = max(v.row_id for v in present.values())
    return {f"{archetype}:{f}": v for f, v in present.items() if v.row_id == newest}


TRANSFORM_FIELDS = ("translation", "rotation_axis_angle", "quaternion", "scale", "mat3x3", "relation")
TRANSFORM_KEYS = frozenset(f"Transform3D:{f}" for f in TRANSFORM_FIELDS)
POSE_FIELDS = ("translations", "rotation_axis_angles", "quaternions", "scales", "mat3x3")


def local_transform(comps: Components) -> np.ndarray | None:
    """The entity's parent-from-child 4x4 from its Transform3D components, None if it has none."""
    comps = atomic(comps, "Transform3D", TRANSFORM_FIELDS)
    if not any(f"Transform3D:{k}" in comps for k in TRANSFORM_FIELDS[:-1]):
        return None
    matrix = compose(
        pick(vectors(comps, "Transform3D:translation", 3), 0),
        pick(axis_angles(comps, "Transform3D:rotation_axis_angle"), 0),
        pick(vectors(comps, "Transform3D:quaternion", 4), 0),
        pick(vectors(comps, "Transform3D:scale", 3), 0),
        pick(vectors(comps, "Transform3D:mat3x3", 9), 0),
    )
    relation = comps.get("Transform3D:relation")
    if (
        relation is not None
        and len(relation.values)
        and int(relation.to_numpy()[0]) == RELATION_CHILD_FROM_PARENT
    ):
        matrix = np.linalg.inv(matrix)  # raises LinAlgError for a singular transform: treated as malformed
    return matrix


def instance_poses(comps: Components) -> list[np.ndarray] | None:
    """The entity's InstancePoses3D as 4x4 matrices (components broadcast by their last value), or None."""
    comps = atomic(comps, "InstancePoses3D", POSE_FIELDS)
    parts = [
        vectors(comps, "InstancePoses3D:translations", 3),
        axis_angles(comps, "InstancePoses3D:rotation_axis_angles"),
        vectors(comps, "InstancePoses3D:quaternions", 4),
        vectors(comps, "InstancePoses3D:scales", 3),
        vectors(comps, "InstancePoses3D:mat3x3", 9),
    ]
    present = [p for p in parts if p is not None]
    if not present:
        return None
    count = max(len(p) for p in present)
    if count == 0:
        return None
    return [compose(*(pick(p, i) for p in parts)) for i in range(count)]


IDENTITY = np.eye(4)  # shared by every entity with no transform above it: read only
IDENTITY.flags.writeable = False


def world_transforms(state: Mapping[str, Components], origin: str = "/") -> dict[str, np.ndarray]:
    """Origin-from-entity 4x4 (float64) for every entity in `state` and all its ancestors (read only:
    entities without a transform share their parent's matrix, and all of them the one IDENTITY).

    `origin` is the entity whose frame is the result's space (a Rerun view's space origin): "/" gives
    world transforms; another entity's world transform is divided out, so that entity sits at the
    identity. A malformed Transform3D is reported with `warnings.warn` and treated as the identity.
    """
    out: dict[str, np.ndarray] = {}

    def world_of(node: str) -> np.ndarray:
        world = out.get(node)
        if world is not None:
            return world
        parent = parent_path(node)
        world = IDENTITY if parent is None else world_of(parent)
        comps = state.get(node)
        if comps and not TRANSFORM_KEYS.isdisjoint(comps):
            try:
                local = local_transform(comps)
            except Exception as exc:  # malformed transform: warn, use identity
                warnings.warn(f"{node}: ignoring malformed Transform3D ({exc})", stacklevel=3)
                local = None
            if local is not None:
                world = world @ local
                world.flags.writeable = False
        out[node] = world
        return world

    for path in [*state, origin]:
        world_of(path)
    if origin == "/" or np.array_equal(out[origin], IDENTITY):
        return out
    reference = out[origin]
    if not np.all(np.isfinite(reference)) or abs(np.linalg.det(reference[:3, :3])) < 1e-30:
        warnings.warn(f"{origin}: the view origin's transform is singular; using world space", stacklevel=2)
        return out
    origin_from_world = np.linalg.inv(reference)
    return {path: origin_from_world @ world for path, world in out.items()}


def uniform_scale(matrix: np.ndarray) -> float:
    """The uniform scale factor of a 4x4's linear part: cbrt(|det|) (1.0 for a degenerate matrix)."""
    if matrix is IDENTITY:
        return 1.0
    det = abs(float(np.linalg.det(np.asarray(matrix)[:3, :3])))
    return float(np.cbrt(det)) if det > 0 and np.isfinite(det) else 1.0


def apply(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Transform (N, 3) points by a 4x4."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    # NaN and inf are data (drawn as nothing): inf * 0 is NaN there, not a warning to the user.
    with np.errstate(invalid="ignore", over="ignore"):
        return points @ matrix[:3, :3].T + matrix[:3, 3]


def transform_normals(matrix: np.ndarray, normals: np.ndarray) -> np.ndarray:
    """Transform (N, 3) normals by a 4x4 (its inverse transpose, so that they stay perpendicular to
    surfaces under non-uniform scale), renormalized, as float32."""
    linear = matrix[:3, :3]
    try:
        normal_matrix = np.linalg.inv(linear).T
    except np.linalg.LinAlgError:  # a degenerate placement: the normals only need to be finite
        normal_matrix = linear
    n = np.asarray(normals, dtype=np.float64).reshape(-1, 3) @ normal_matrix.T
    length = np.linalg.norm(n, axis=1, keepdims=True)
    return (n / np.where(length > 0, length, 1.0)).astype(np.float32)
