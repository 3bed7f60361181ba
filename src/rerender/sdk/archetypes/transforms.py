"""Spatial relations: `Transform3D`, `InstancePoses3D`, `Pinhole` and `ViewCoordinates`."""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any, ClassVar

import numpy as np

from .. import components as c
from ..batch import Archetype, Field
from ..enums import TransformRelation, ViewDir, view_coordinate_conventions


class Transform3D(Archetype):
    """A 3D transform between an entity and its parent: translation, rotation, scale and/or a 3x3 matrix."""

    _FIELDS = (
        Field("translation", "Translation3D", c.vectors, 3),
        Field("rotation_axis_angle", "RotationAxisAngle", c.rotation_axis_angles),
        Field("quaternion", "RotationQuat", c.quaternions),
        Field("scale", "Scale3D", c.vectors, 3, noun="scale factors"),
        Field("mat3x3", "TransformMat3x3", c.mat3x3s),
        Field("relation", "TransformRelation", c.enums, TransformRelation),
        Field("child_frame", "TransformFrameId", c.utf8s),
        Field("parent_frame", "TransformFrameId", c.utf8s),
    )

    def __init__(
        self,
        *,
        translation: Any = None,
        rotation: Any = None,
        rotation_axis_angle: Any = None,
        quaternion: Any = None,
        scale: Any = None,
        mat3x3: Any = None,
        from_parent: bool | None = None,
        relation: TransformRelation | str | int | None = None,
        child_frame: str | None = None,
        parent_frame: str | None = None,
    ) -> None:
        super().__init__()
        axis_arg, quat_arg = "rotation_axis_angle", "quaternion"
        if rotation is not None:
            if quaternion is not None or rotation_axis_angle is not None:
                self._fail("rotation", "was given together with quaternion or rotation_axis_angle")
            if c.is_axis_angle_like(rotation):
                rotation_axis_angle, axis_arg = rotation, "rotation"
            elif c.is_quaternion_like(rotation):
                quaternion, quat_arg = rotation, "rotation"
            else:
                self._fail("rotation", f"is {rotation!r}; expected a RotationAxisAngle or a Quaternion")
        if scale is not None and _is_uniform(scale):
            scale = [_scalar(scale)] * 3
        if from_parent is not None:
            warnings.warn(
                "Transform3D(from_parent=...) is deprecated; use relation=TransformRelation.ChildFromParent",
                DeprecationWarning,
                stacklevel=2,
            )
            if relation is not None:
                self._fail("from_parent", "was given together with relation; expected only one of them")
            if from_parent:
                relation = TransformRelation.ChildFromParent
        self._set_field("translation", translation)
        self._set_field("rotation_axis_angle", rotation_axis_angle, argument=axis_arg)
        self._set_field("quaternion", quaternion, argument=quat_arg)
        self._set_field("scale", scale)
        self._set_field("mat3x3", mat3x3)
        self._set_field("relation", relation)
        self._set_field("child_frame", child_frame)
        self._set_field("parent_frame", parent_frame)


def _is_uniform(scale: Any) -> bool:
    """Whether a scale is one number (bare, 0-d, or a 1-element sequence) applied to all axes."""
    if isinstance(scale, np.ndarray):
        return scale.size == 1
    return not hasattr(scale, "__len__") or len(scale) == 1


def _scalar(value: Any) -> Any:
    """The single element of a 1-element sequence/array, or the value itself."""
    if isinstance(value, np.ndarray):
        return value.reshape(-1)[0]
    return value[0] if hasattr(value, "__len__") else value


class InstancePoses3D(Archetype):
    """Per-instance poses applied to the instances of an entity (e.g. repeated meshes or boxes)."""

    _INSTANCES_FROM = ("translations", "rotation_axis_angles", "quaternions", "scales", "mat3x3")

    _FIELDS = (
        Field("translations", "Translation3D", c.vectors, 3),
        Field("rotation_axis_angles", "RotationAxisAngle", c.rotation_axis_angles),
        Field("quaternions", "RotationQuat", c.quaternions),
        Field("scales", "Scale3D", c.vectors, 3, noun="scale factors"),
        Field("mat3x3", "TransformMat3x3", c.mat3x3s),
    )

    def __init__(
        self,
        *,
        translations: Any = None,
        rotation_axis_angles: Any = None,
        quaternions: Any = None,
        scales: Any = None,
        mat3x3: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("translations", translations)
        self._set_field("rotation_axis_angles", rotation_axis_angles)
        self._set_field("quaternions", quaternions)
        self._set_field("scales", scales)
        self._set_field("mat3x3", mat3x3)


class ViewCoordinates(Archetype):
    """How the x, y, z axes of an entity's space point (e.g. `ViewCoordinates.RDF` for camera images)."""

    _FIELDS = (Field("xyz", "ViewCoordinates", c.view_coordinates),)

    # Named conventions, filled in below: the 48 three-letter ones (RDF, LUF, ...) and the handed ones.
    RIGHT_HAND_X_UP: ClassVar[ViewCoordinates]
    RIGHT_HAND_X_DOWN: ClassVar[ViewCoordinates]
    RIGHT_HAND_Y_UP: ClassVar[ViewCoordinates]
    RIGHT_HAND_Y_DOWN: ClassVar[ViewCoordinates]
    RIGHT_HAND_Z_UP: ClassVar[ViewCoordinates]
    RIGHT_HAND_Z_DOWN: ClassVar[ViewCoordinates]
    LEFT_HAND_X_UP: ClassVar[ViewCoordinates]
    LEFT_HAND_X_DOWN: ClassVar[ViewCoordinates]
    LEFT_HAND_Y_UP: ClassVar[ViewCoordinates]
    LEFT_HAND_Y_DOWN: ClassVar[ViewCoordinates]
    LEFT_HAND_Z_UP: ClassVar[ViewCoordinates]
    LEFT_HAND_Z_DOWN: ClassVar[ViewCoordinates]
    RDF: ClassVar[ViewCoordinates]
    RUB: ClassVar[ViewCoordinates]
    LUF: ClassVar[ViewCoordinates]
    FLU: ClassVar[ViewCoordinates]

    def __init__(self, xyz: Any) -> None:
        super().__init__()
        dirs = getattr(xyz, "xyz_dirs", None)
        if dirs is None:
            try:
                dirs = [ViewDir.auto(item) for item in xyz]
            except (TypeError, ValueError) as err:
                self._fail("xyz", f"is {xyz!r}; expected 3 ViewDir values, names or ints ({err})")
            if len(dirs) != 3:
                self._fail("xyz", f"has {len(dirs)} directions; expected 3 (x, y, z)")
        self.xyz_dirs: list[ViewDir] = list(dirs)
        self._set_field("xyz", self)

    def __repr__(self) -> str:
        return f"ViewCoordinates({''.join(d.name[0] for d in self.xyz_dirs)})"


def _install_view_coordinate_constants() -> None:
    """Add the named conventions (RDF, LUF, ..., RIGHT_HAND_Y_DOWN, ...) as class attributes."""
    for name, dirs in view_coordinate_conventions().items():
        setattr(ViewCoordinates, name, ViewCoordinates(list(dirs)))


_install_view_coordinate_constants()


class Pinhole(Archetype):
    """A pinhole camera: projection matrix (or focal length/principal point, or fov_y/aspect_ratio)."""

    _FIELDS = (
        Field("image_from_camera", "PinholeProjection", c.mat3x3s),
        Field("resolution", "Resolution", c.vectors, 2, noun="[width, height] sizes"),
        Field("camera_xyz", "ViewCoordinates", c.view_coordinates),
        Field("child_frame", "TransformFrameId", c.utf8s),
        Field("parent_frame", "TransformFrameId", c.utf8s),
        Field("image_plane_distance", "ImagePlaneDistance", c.float32s),
        Field("color", "Color", c.colors),
        Field("line_width", "Radius", c.float32s),
    )

    def __init__(
        self,
        *,
        image_from_camera: Any = None,
        resolution: Any = None,
        camera_xyz: Any = None,
        width: float | None = None,
        height: float | None = None,
        focal_length: Any = None,
        principal_point: Any = None,
        fov_y: float | None = None,
        aspect_ratio: float | None = None,
        child_frame: str | None = None,
        parent_frame: str | None = None,
        image_plane_distance: Any = None,
        color: Any = None,
        line_width: Any = None,
    ) -> None:
        super().__init__()
        if resolution is None and width is not None and height is not None:
            resolution = [width, height]
        elif resolution is not None and (width is not None or height is not None):
            self._fail("resolution", "was given together with width/height; expected only one of them")
        if image_from_camera is None:
            image_from_camera, resolution = self._projection(
                resolution, focal_length, principal_point, fov_y, aspect_ratio
            )
        elif focal_length is not None or principal_point is not None or fov_y is not None:
            self._fail(
                "image_from_camera", "was given with focal_length/principal_point/fov_y; expected one way"
            )
        self._set_field("image_from_camera", image_from_camera)
        self._set_field("resolution", resolution)
        self._set_field("camera_xyz", camera_xyz)
        self._set_field("child_frame", child_frame)
        self._set_field("parent_frame", parent_frame)
        self._set_field("image_plane_distance", image_plane_distance)
        self._set_field("color", color)
        self._set_field("line_width", line_width)

    def _projection(
        self, resolution: Any, focal_length: Any, principal_point: Any, fov_y: Any, aspect_ratio: Any
    ) -> tuple[list[list[Any]], Any]:
        """The row-major projection matrix (and possibly replaced resolution) from the camera parameters."""
        if fov_y is not None and aspect_ratio is not None:
            # A virtual image plane 1 unit high: rerun-sdk replaces the resolution by [aspect_ratio, 1].
            focal_length = 0.5 / math.tan(max(fov_y * 0.5, 1.19209e-07))
            resolution = [aspect_ratio, 1.0]
        width = height = None
        if resolution is not None:
            try:
                width, height = (float(v) for v in np.asarray(resolution, dtype=np.float32).reshape(2))
            except (ValueError, TypeError):
                self._fail("resolution", f"is {resolution!r}; expected [width, height]")
        if focal_length is None:
            # rerun-sdk only warns here and guesses sqrt(width * height); a guessed camera is rarely wanted.
            self._fail(
                "focal_length", "is missing; expected image_from_camera, focal_length or fov_y+aspect_ratio"
            )
        if principal_point is None:
            if width is None or height is None:
                self._fail("principal_point", "is missing; expected it, or resolution/width+height")
            principal_point = [width / 2, height / 2]
        if isinstance(focal_length, numbers.Real):
            fx = fy = focal_length
        else:
            try:
                fx, fy = focal_length[0], focal_length[1]
            except (TypeError, IndexError, KeyError):
                self._fail("focal_length", f"is {focal_length!r}; expected one number or [fx, fy]")
        try:
            cx, cy = principal_point[0], principal_point[1]
        except (TypeError, IndexError, KeyError):
            self._fail("principal_point", f"is {principal_point!r}; expected [cx, cy]")
        return [[fx, 0, cx], [0, fy, cy], [0, 0, 1]], resolution


__all__ = ["InstancePoses3D", "Pinhole", "Transform3D", "ViewCoordinates"]
