"""Solid shapes: `Boxes3D`, `Boxes2D`, `Ellipsoids3D`, `Capsules3D` and `Cylinders3D`."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .. import components as c
from ..batch import Archetype, ConversionError, Field
from ..enums import Box2DFormat, FillMode


def _f32(archetype: Archetype, argument: str, value: Any) -> npt.NDArray[np.float32]:
    """`value` as a float32 array, or an ArchetypeError naming `argument`."""
    try:
        return c.numeric(value, np.float32)
    except ConversionError as err:
        archetype._fail(argument, str(err))


class Boxes3D(Archetype):
    """3D boxes given by half sizes (or sizes) and centers (or mins), optionally rotated."""

    _INSTANCES_FROM = ("half_sizes", "centers")

    _FIELDS = (
        Field("half_sizes", "HalfSize3D", c.vectors, 3),
        Field("centers", "Translation3D", c.vectors, 3, noun="points"),
        Field("rotation_axis_angles", "RotationAxisAngle", c.rotation_axis_angles),
        Field("quaternions", "RotationQuat", c.quaternions),
        Field("colors", "Color", c.colors),
        Field("radii", "Radius", c.float32s),
        Field("fill_mode", "FillMode", c.enums, FillMode),
        Field("labels", "Text", c.utf8s),
        Field("show_labels", "ShowLabels", c.bools),
        Field("class_ids", "ClassId", c.u16s),
    )

    def __init__(
        self,
        *,
        sizes: Any = None,
        mins: Any = None,
        half_sizes: Any = None,
        centers: Any = None,
        rotation_axis_angles: Any = None,
        quaternions: Any = None,
        rotations: Any = None,
        colors: Any = None,
        radii: Any = None,
        fill_mode: FillMode | str | int | None = None,
        labels: Any = None,
        show_labels: Any = None,
        class_ids: Any = None,
    ) -> None:
        super().__init__()
        half_arg, center_arg = "half_sizes", "centers"
        if sizes is not None:
            if half_sizes is not None:
                self._fail("sizes", "was given together with half_sizes; expected only one of them")
            half_sizes, half_arg = _f32(self, "sizes", sizes) / 2.0, "sizes"
        if mins is not None:
            if centers is not None:
                self._fail("mins", "was given together with centers; expected only one of them")
            if half_sizes is None:
                self._fail("mins", "was given without sizes or half_sizes; expected one of them too")
            try:
                centers = _f32(self, "mins", mins) + _f32(self, half_arg, half_sizes)
            except ValueError as err:
                self._fail("mins", f"does not match the sizes: {err}")
            center_arg = "mins"
        empty_rotations: str | None = None
        axis_arg, quat_arg = "rotation_axis_angles", "quaternions"
        if rotations is not None:
            if quaternions is not None or rotation_axis_angles is not None:
                self._fail("rotations", "was given together with quaternions or rotation_axis_angles")
            # rerun-sdk guesses the kind and logs the *other* rotation component as an empty batch.
            if c.is_axis_angle_like(rotations):
                rotation_axis_angles, empty_rotations, axis_arg = rotations, "quaternions", "rotations"
            else:
                quaternions, empty_rotations, quat_arg = rotations, "rotation_axis_angles", "rotations"
        self._set_field("half_sizes", half_sizes, argument=half_arg)
        self._set_field("centers", centers, argument=center_arg)
        self._set_field("rotation_axis_angles", rotation_axis_angles, argument=axis_arg)
        self._set_field("quaternions", quaternions, argument=quat_arg)
        if empty_rotations == "quaternions":
            self._set("quaternions", [], c.quaternions)
        elif empty_rotations == "rotation_axis_angles":
            self._arrays["rotation_axis_angles"] = c.rotation_axis_angles([])
        self._set_field("colors", colors)
        self._set_field("radii", radii)
        self._set_field("fill_mode", fill_mode)
        self._set_field("labels", labels)
        self._set_field("show_labels", show_labels)
        self._set_field("class_ids", class_ids)


class Boxes2D(Archetype):
    """2D boxes given by half sizes (or sizes) and centers (or mins), or by an array in a `Box2DFormat`."""

    _INSTANCES_FROM = ("half_sizes", "centers")

    _FIELDS = (
        Field("half_sizes", "HalfSize2D", c.vectors, 2),
        Field("centers", "Position2D", c.vectors, 2, noun="points"),
        Field("colors", "Color", c.colors),
        Field("radii", "Radius", c.float32s),
        Field("labels", "Text", c.utf8s),
        Field("show_labels", "ShowLabels", c.bools),
        Field("draw_order", "DrawOrder", c.float32s),
        Field("class_ids", "ClassId", c.u16s),
    )

    def __init__(
        self,
        *,
        sizes: Any = None,
        mins: Any = None,
        half_sizes: Any = None,
        centers: Any = None,
        array: Any = None,
        array_format: Box2DFormat | str | None = None,
        radii: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        draw_order: Any = None,
        class_ids: Any = None,
    ) -> None:
        super().__init__()
        half_arg, center_arg = "half_sizes", "centers"
        if array is not None:
            for name, other in (
                ("half_sizes", half_sizes),
                ("sizes", sizes),
                ("mins", mins),
                ("centers", centers),
            ):
                if other is not None:
                    self._fail("array", f"was given together with {name}; expected only one of them")
            half_sizes, centers = self._from_array(array, array_format)
            half_arg = center_arg = "array"
        else:
            if sizes is not None:
                if half_sizes is not None:
                    self._fail("sizes", "was given together with half_sizes; expected only one of them")
                half_sizes, half_arg = _f32(self, "sizes", sizes) / 2.0, "sizes"
            if mins is not None:
                if centers is not None:
                    self._fail("mins", "was given together with centers; expected only one of them")
                if half_sizes is None:
                    self._fail("mins", "was given without sizes or half_sizes; expected one of them too")
                try:
                    centers = _f32(self, "mins", mins) + _f32(self, half_arg, half_sizes)
                except ValueError as err:
                    self._fail("mins", f"does not match the sizes: {err}")
                center_arg = "mins"
        self._set_field("half_sizes", half_sizes, argument=half_arg)
        self._set_field("centers", centers, argument=center_arg)
        self._set_field("colors", colors)
        self._set_field("radii", radii)
        self._set_field("labels", labels)
        self._set_field("show_labels", show_labels)
        self._set_field("draw_order", draw_order)
        self._set_field("class_ids", class_ids)

    def _from_array(self, array: Any, array_format: Any) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        """Half sizes and centers from an (N, 4) array laid out as `array_format` says."""
        if array_format is None:
            self._fail("array", "was given without array_format; expected a Box2DFormat too")
        try:
            fmt = Box2DFormat(str(getattr(array_format, "value", array_format)).upper())
        except ValueError:
            self._fail(
                "array_format",
                f"is {array_format!r}; expected one of {', '.join(f.name for f in Box2DFormat)}",
            )
        try:
            boxes = np.asarray(array)
        except ValueError as err:
            self._fail("array", f"could not be read as numbers ({err})")
        if boxes.dtype.kind not in "uifb":
            self._fail("array", f"has {boxes.dtype} values; expected numbers")
        if np.any(boxes):
            if boxes.ndim == 1:
                boxes = boxes[np.newaxis, :]
        else:
            # rerun-sdk treats an all-zero (or empty) array as "no boxes".
            boxes = np.zeros((0, 4), dtype=np.float32)
        if boxes.ndim != 2 or boxes.shape[1] != 4:
            self._fail("array", f"has shape {np.shape(array)}; expected (N, 4) boxes in {fmt.name} layout")
        first, second = boxes[:, 0:2], boxes[:, 2:4]
        if fmt in (Box2DFormat.YXHW, Box2DFormat.YXYX):
            first, second = np.flip(first), np.flip(second)
        if fmt in (Box2DFormat.XYWH, Box2DFormat.YXHW):
            half = second / 2
            return half, first + half
        if fmt in (Box2DFormat.XYXY, Box2DFormat.YXYX):
            center = (first + second) / 2
            return second - center, center
        if fmt is Box2DFormat.XCYCWH:
            return second / 2, first
        return second, first


class Ellipsoids3D(Archetype):
    """3D ellipsoids given by half sizes (or equal radii), centers and optional rotations."""

    _INSTANCES_FROM = ("half_sizes", "centers")

    _FIELDS = (
        Field("half_sizes", "HalfSize3D", c.vectors, 3),
        Field("centers", "Translation3D", c.vectors, 3, noun="points"),
        Field("rotation_axis_angles", "RotationAxisAngle", c.rotation_axis_angles),
        Field("quaternions", "RotationQuat", c.quaternions),
        Field("colors", "Color", c.colors),
        Field("line_radii", "Radius", c.float32s),
        Field("fill_mode", "FillMode", c.enums, FillMode),
        Field("labels", "Text", c.utf8s),
        Field("show_labels", "ShowLabels", c.bools),
        Field("class_ids", "ClassId", c.u16s),
    )

    def __init__(
        self,
        *,
        half_sizes: Any = None,
        radii: Any = None,
        centers: Any = None,
        rotation_axis_angles: Any = None,
        quaternions: Any = None,
        colors: Any = None,
        line_radii: Any = None,
        fill_mode: FillMode | str | int | None = None,
        labels: Any = None,
        show_labels: Any = None,
        class_ids: Any = None,
    ) -> None:
        super().__init__()
        half_arg = "half_sizes"
        if radii is not None:
            if half_sizes is not None:
                self._fail("radii", "was given together with half_sizes; expected only one of them")
            # Spheres: each radius becomes an equal [r, r, r] half size.
            per_sphere = _f32(self, "radii", radii).reshape(-1)
            half_sizes, half_arg = np.repeat(per_sphere[:, np.newaxis], 3, axis=1), "radii"
        self._set_field("half_sizes", half_sizes, argument=half_arg)
        self._set_field("centers", centers)
        self._set_field("rotation_axis_angles", rotation_axis_angles)
        self._set_field("quaternions", quaternions)
        self._set_field("colors", colors)
        self._set_field("line_radii", line_radii)
        self._set_field("fill_mode", fill_mode)
        self._set_field("labels", labels)
        self._set_field("show_labels", show_labels)
        self._set_field("class_ids", class_ids)


def _solid_fields(placement: str) -> tuple[Field, ...]:
    """The fields of capsules and cylinders, which differ only in the name of their placement."""
    return (
        Field("lengths", "Length", c.float32s),
        Field("radii", "Radius", c.float32s),
        Field(placement, "Translation3D", c.vectors, 3, noun="points"),
        Field("rotation_axis_angles", "RotationAxisAngle", c.rotation_axis_angles),
        Field("quaternions", "RotationQuat", c.quaternions),
        Field("colors", "Color", c.colors),
        Field("line_radii", "Radius", c.float32s),
        Field("fill_mode", "FillMode", c.enums, FillMode),
        Field("labels", "Text", c.utf8s),
        Field("show_labels", "ShowLabels", c.bools),
        Field("class_ids", "ClassId", c.u16s),
    )


class _Solid3D(Archetype):
    """Capsules and cylinders: lengths and radii, placed by a translation and optional rotations."""

    def _init(self, **fields: Any) -> None:
        for name, value in fields.items():
            self._set_field(name, value)


class Capsules3D(_Solid3D):
    """3D capsules (cylinders with hemispherical caps) along +Z from each translation, optionally rotated."""

    _INSTANCES_FROM = ("lengths", "radii", "translations")
    _FIELDS = _solid_fields("translations")

    def __init__(
        self,
        *,
        lengths: Any = None,
        radii: Any = None,
        translations: Any = None,
        rotation_axis_angles: Any = None,
        quaternions: Any = None,
        colors: Any = None,
        line_radii: Any = None,
        fill_mode: FillMode | str | int | None = None,
        labels: Any = None,
        show_labels: Any = None,
        class_ids: Any = None,
    ) -> None:
        super().__init__()
        self._init(
            lengths=lengths,
            radii=radii,
            translations=translations,
            rotation_axis_angles=rotation_axis_angles,
            quaternions=quaternions,
            colors=colors,
            line_radii=line_radii,
            fill_mode=fill_mode,
            labels=labels,
            show_labels=show_labels,
            class_ids=class_ids,
        )


class Cylinders3D(_Solid3D):
    """3D cylinders along Z centered on each center, optionally rotated."""

    _INSTANCES_FROM = ("lengths", "radii", "centers")
    _FIELDS = _solid_fields("centers")

    def __init__(
        self,
        *,
        lengths: Any = None,
        radii: Any = None,
        centers: Any = None,
        rotation_axis_angles: Any = None,
        quaternions: Any = None,
        colors: Any = None,
        line_radii: Any = None,
        fill_mode: FillMode | str | int | None = None,
        labels: Any = None,
        show_labels: Any = None,
        class_ids: Any = None,
    ) -> None:
        super().__init__()
        self._init(
            lengths=lengths,
            radii=radii,
            centers=centers,
            rotation_axis_angles=rotation_axis_angles,
            quaternions=quaternions,
            colors=colors,
            line_radii=line_radii,
            fill_mode=fill_mode,
            labels=labels,
            show_labels=show_labels,
            class_ids=class_ids,
        )
