"""Converters from user input (numpy arrays, lists, scalars) to the exact Arrow arrays rerun-sdk 0.41 logs.

Every converter returns the instances of one log call (not wrapped in the per-row list) and raises
`ConversionError` with a "has ...; expected ..." detail that the archetype prefixes with its own name and
the argument's name. Large numeric inputs go through numpy and are handed to Arrow without copies.
"""

from __future__ import annotations

import functools
import numbers
import struct
from collections.abc import Sequence
from enum import Enum
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from .batch import ConversionError
from .datatypes import Angle, Quaternion, RotationAxisAngle
from .enums import AutoEnum, ChannelDatatype, ColorModel, PixelFormat, ViewDir

__all__ = [
    "BLOB",
    "IMAGE_FORMAT",
    "ROTATION_AXIS_ANGLE",
    "angles",
    "blob",
    "bools",
    "colors",
    "enum_codes",
    "enums",
    "fixed_size_list_type",
    "float32s",
    "float64s",
    "image_format",
    "image_formats",
    "line_strips",
    "mat3x3s",
    "mat4x4s",
    "numeric",
    "quaternions",
    "rotation_axis_angles",
    "square_matrices",
    "u16s",
    "utf8s",
    "vectors",
    "view_coordinates",
]


def fixed_size_list_type(value_type: pa.DataType, size: int) -> pa.DataType:
    """`FixedSizeList<value_type>[size]` with the non-nullable `item` field rerun uses."""
    return pa.list_(pa.field("item", value_type, nullable=False), size)


# Exact Arrow types of the structured components (nullability matters to `rerun rrd compare`).
ROTATION_AXIS_ANGLE = pa.struct(
    [
        pa.field("axis", fixed_size_list_type(pa.float32(), 3), nullable=False),
        pa.field("angle", pa.float32(), nullable=False),
    ]
)
IMAGE_FORMAT = pa.struct(
    [
        pa.field("width", pa.uint32(), nullable=False),
        pa.field("height", pa.uint32(), nullable=False),
        pa.field("pixel_format", pa.uint8(), nullable=True),
        pa.field("color_model", pa.uint8(), nullable=True),
        pa.field("channel_datatype", pa.uint8(), nullable=True),
    ]
)
BLOB = pa.list_(pa.field("item", pa.uint8(), nullable=False))

_COORDS = {2: "[x, y]", 3: "[x, y, z]", 4: "[x, y, z, w]"}


def describe(value: Any) -> str:
    """A short description of a bad value for error messages."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def numeric(value: Any, dtype: type[np.generic]) -> npt.NDArray[Any]:
    """`np.asarray(value, dtype)` with a clear error for strings and other non-numbers."""
    if isinstance(value, (str, bytes)):
        raise ConversionError(f"is a {type(value).__name__} ({describe(value)}); expected numbers")
    try:
        return np.asarray(value, dtype=dtype)
    except OverflowError as err:
        raise ConversionError(f"has a value out of range for {np.dtype(dtype).name} ({err})") from None
    except (ValueError, TypeError) as err:
        raise ConversionError(f"could not be read as numbers ({err}); expected numbers") from None


def _flat_checked(array: npt.NDArray[Any], dim: int, noun: str) -> npt.NDArray[Any]:
    """Flatten an (N, dim) array (or flat array of N*dim values), validating like rerun-sdk does."""
    shape = array.shape
    if array.ndim == 1:
        valid = shape[0] % dim == 0
    elif array.ndim >= 2:
        # rerun looks at the last non-singleton dimension after the first one, so (N, 1, 3) also works.
        valid = next((d for d in reversed(shape[1:]) if d != 1), 1) == dim
    else:
        valid = False
    if not valid:
        raise ConversionError(f"has shape {shape}; expected (N, {dim}) (a list of {_COORDS[dim]} {noun})")
    return np.ascontiguousarray(array.reshape(-1))


@functools.cache
def _vector_types(dtype: type[np.generic], dim: int) -> tuple[pa.DataType, pa.DataType]:
    """(value type, `FixedSizeList<value type nn>[dim]`), built once: `vectors` runs on every log call."""
    value_type = pa.from_numpy_dtype(np.dtype(dtype))
    return value_type, fixed_size_list_type(value_type, dim)


def vectors(value: Any, dim: int, *, noun: str = "vectors", dtype: type[np.generic] = np.float32) -> pa.Array:
    """N vectors of `dim` floats (positions, half sizes, ...) as `FixedSizeList<f32 nn>[dim]`."""
    value_type, arrow_type = _vector_types(dtype, dim)
    if isinstance(value, pa.Array) and value.type == arrow_type:
        return value
    flat = _flat_checked(numeric(value, dtype), dim, noun)
    # Straight from the buffer (zero-copy, as pa.array would be): from_arrays re-checks the type each call.
    values = pa.Array.from_buffers(value_type, len(flat), [None, pa.py_buffer(flat)])
    return pa.Array.from_buffers(arrow_type, len(flat) // dim, [None], children=[values])


def quaternions(value: Any) -> pa.Array:
    """N quaternions (x, y, z, w) as `FixedSizeList<f32 nn>[4]`; `Quaternion` objects work too."""
    if isinstance(value, Quaternion):
        value = value.xyzw
    return vectors(value, 4, noun="quaternions")


@functools.cache
def _arrow_type(dtype: type[np.generic]) -> pa.DataType:
    return pa.from_numpy_dtype(np.dtype(dtype))


def _scalars(value: Any, dtype: type[np.generic]) -> pa.Array:
    """A flat array of one numeric type from a scalar or any nested sequence (rerun flattens)."""
    arrow_type = _arrow_type(dtype)
    if isinstance(value, pa.Array) and value.type == arrow_type:
        return value
    if type(value) is float or type(value) is int:
        # One plain number (rr.Scalars(x) in a loop): skip the generic path, it dominates per-call cost.
        value = np.array((value,), dtype=dtype)
        return pa.Array.from_buffers(arrow_type, 1, [None, pa.py_buffer(value)])
    return pa.array(np.ascontiguousarray(numeric(value, dtype).reshape(-1)), type=arrow_type)


def float32s(value: Any) -> pa.Array:
    """Radii, draw orders, opacities, ... as a flat `f32` array."""
    return _scalars(value, np.float32)


def float64s(value: Any) -> pa.Array:
    """Scalars as a flat `f64` array."""
    return _scalars(value, np.float64)


def u16s(value: Any) -> pa.Array:
    """Class and keypoint ids as a flat `u16` array."""
    return _scalars(value, np.uint16)


def u32s(value: Any) -> pa.Array:
    """Counts and degrees as a flat `u32` array."""
    return _scalars(value, np.uint32)


def u64s(value: Any) -> pa.Array:
    """Counts as a flat `u64` array."""
    return _scalars(value, np.uint64)


def int64s(value: Any) -> pa.Array:
    """Times (`TimeInt`, nanoseconds) as a flat `i64` array; floats truncate, as rerun-sdk's do."""
    return _scalars(value, np.int64)


def voxel_indices(value: Any) -> pa.Array:
    """Integer voxel coordinates as `FixedSizeList<i32 nn>[3]` (floats truncate, as rerun-sdk)."""
    return vectors(value, 3, noun="voxel indices", dtype=np.int32)


def bools(value: Any) -> pa.Array:
    """Flags such as `show_labels` as a flat `bool` array."""
    return _scalars(value, np.bool_)


def utf8s(value: Any) -> pa.Array:
    """Strings: one string, a sequence (each item passed through `str`), or a numpy string array."""
    if isinstance(value, pa.Array) and value.type == pa.utf8():
        return value
    if isinstance(value, str):
        items: Any = [value]
    elif isinstance(value, Sequence):
        items = [str(item) for item in value]
    elif isinstance(value, np.ndarray):
        items = value.reshape(-1) if value.dtype.kind in "UO" else value.reshape(-1).astype(str)
    else:
        items = [str(value)]
    return pa.array(items, type=pa.utf8())


def enum_codes(value: Any, enum: type[AutoEnum], arrow_type: pa.DataType) -> pa.Array:
    """One or more enum values (members, names in any case, or ints; None is null) as `arrow_type`."""
    items = [value] if isinstance(value, (Enum, int, str)) else value
    try:
        codes = [None if item is None else enum.auto(item).value for item in items]
    except ValueError as err:
        raise ConversionError(f"is not valid: {err}") from None
    except TypeError:
        raise ConversionError(f"is {describe(value)}; expected {enum.__name__} values") from None
    return pa.array(codes, type=arrow_type)


def enums(value: Any, enum: type[AutoEnum]) -> pa.Array:
    """One or more enum values (members, names in any case, or ints) as `u8`."""
    return enum_codes(value, enum, pa.uint8())


# ---- colors -------------------------------------------------------------------------------------------

_U32 = struct.Struct("<I")
_COLOR_EXPECTED = "expected RGB/RGBA colors (N, 3) or (N, 4) in u8 or 0..1 floats, or packed 0xRRGGBBAA ints"


def _pack_rgba(channels: npt.NDArray[Any]) -> npt.NDArray[np.uint32]:
    """Pack an (N, 3|4) array into 0xRRGGBBAA; floats are taken as 0..1 and scaled by 255 (rounded)."""
    if channels.dtype.type in (np.float32, np.float64):
        # rerun-sdk scales only f32/f64 (not f16) and casts with numpy's unchecked float->u8 conversion.
        u8 = np.round(channels * 255.0).astype(np.uint8)
    else:
        u8 = channels.astype(np.uint8)
    u32 = u8.astype(np.uint32)
    alpha = u32[:, 3] if u8.shape[1] == 4 else np.uint32(0xFF)
    return (u32[:, 0] << 24) | (u32[:, 1] << 16) | (u32[:, 2] << 8) | alpha


def _single_color(item: Any) -> int:
    """One color from a packed int, an RGB(A) sequence or array (for ragged, mixed lists)."""
    if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
        return int(item)
    if isinstance(item, np.ndarray):
        array = item.reshape(1, -1)  # keeps its dtype: f32 input is scaled in f32, as rerun-sdk does
    else:
        array = numeric(item, np.float64 if _has_floats(item) else np.int64).reshape(1, -1)
    if array.shape[1] not in (3, 4):
        raise ConversionError(
            f"has an item with {array.shape[1]} channels ({describe(item)}); {_COLOR_EXPECTED}"
        )
    return int(_pack_rgba(array)[0])


def _has_floats(item: Any) -> bool:
    """Whether an RGB(A) item is given as floats (0..1) rather than ints (0..255)."""
    array = np.asarray(item)
    return array.dtype.kind == "f"


def colors(value: Any) -> pa.Array:
    """Colors as packed `u32` 0xRRGGBBAA, with rerun-sdk's rules for telling the input forms apart."""
    if isinstance(value, pa.Array) and value.type == pa.uint32():
        return value
    if (
        type(value) in (list, tuple)
        and len(value) in (3, 4)
        and all(type(v) is int and 0 <= v < 256 for v in value)
    ):
        # One RGB(A) color of plain ints, the commonest form (colors=[255, 0, 0]): packed without numpy.
        r, g, b, *a = value
        packed = r << 24 | g << 16 | b << 8 | (a[0] if a else 0xFF)
        return pa.Array.from_buffers(pa.uint32(), 1, [None, pa.py_buffer(_U32.pack(packed))])
    if isinstance(value, (str, bytes)):
        raise ConversionError(f"is a {type(value).__name__} ({describe(value)}); {_COLOR_EXPECTED}")
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return pa.array(np.array([value]), type=pa.uint32())
    if isinstance(value, Sequence) and len(value) == 0:
        return pa.array([], type=pa.uint32())
    try:
        array = np.asarray(value)
    except ValueError:
        array = None  # ragged, e.g. a mix of RGB and RGBA lists
    if array is None or array.dtype.kind == "O":
        packed = np.array([_single_color(item) for item in value], dtype=np.uint32)
        return pa.array(packed, type=pa.uint32())
    if array.dtype.kind not in "uifb":
        raise ConversionError(f"has {array.dtype} values; {_COLOR_EXPECTED}")
    if array.ndim >= 2 and array.shape[-1] not in (1, 3, 4):
        # rerun-sdk would squeeze [[r, g, b, a, x]] into five packed colors; a nested list means channels.
        raise ConversionError(f"has shape {array.shape}; {_COLOR_EXPECTED}")
    array = array.squeeze()
    if array.ndim <= 1:
        if array.dtype.type not in (np.uint8, np.float32, np.float64, np.uint32):
            # Plain ints: 3 or 4 small values are one color, anything else is packed 0xRRGGBBAA.
            if array.size not in (3, 4) or np.max(array) >= 256:
                return pa.array(array.reshape(-1).astype(np.uint32), type=pa.uint32())
            array = array.reshape(1, -1)
        elif array.dtype.type != np.uint32:
            if array.size > 4:
                if array.size % 4:
                    raise ConversionError(f"is a flat array of {array.size} values; {_COLOR_EXPECTED}")
                array = array.reshape(-1, 4)
            else:
                array = array.reshape(1, -1)
    if array.dtype.type == np.uint32:
        return pa.array(np.ascontiguousarray(array.reshape(-1)), type=pa.uint32())
    if array.size == 0:
        return pa.array([], type=pa.uint32())
    if array.ndim != 2 or array.shape[1] not in (3, 4):
        raise ConversionError(f"has shape {np.shape(value)}; {_COLOR_EXPECTED}")
    return pa.array(_pack_rgba(array), type=pa.uint32())


# ---- structured components ----------------------------------------------------------------------------


def angles(value: Any) -> pa.Array:
    """Angles (`Angle`s, or numbers in radians) as a flat `f32` array of radians."""
    if isinstance(value, Angle):
        value = value.radians
    elif isinstance(value, Sequence) and any(isinstance(item, Angle) for item in value):
        value = [item.radians if isinstance(item, Angle) else item for item in value]
    return float32s(value)


def rotation_axis_angles(value: Any) -> pa.Array:
    """One or more `RotationAxisAngle`s as `Struct{axis: FSL<f32 nn>[3], angle: f32}` (radians)."""
    items = [value] if isinstance(value, RotationAxisAngle) else value
    if not isinstance(items, Sequence) or not all(isinstance(item, RotationAxisAngle) for item in items):
        raise ConversionError(f"is {describe(value)}; expected a RotationAxisAngle or a list of them")
    axes = np.array([item.axis for item in items], dtype=np.float32).reshape(-1)
    angles = np.array(
        [item.angle.radians if isinstance(item.angle, Angle) else item.angle for item in items],
        dtype=np.float32,
    )
    return pa.StructArray.from_arrays(
        [
            pa.FixedSizeListArray.from_arrays(pa.array(axes), type=ROTATION_AXIS_ANGLE[0].type),
            pa.array(angles),
        ],
        fields=list(ROTATION_AXIS_ANGLE),
    )


def square_matrices(value: Any, size: int) -> pa.Array:
    """One or more `size`x`size` matrices given row-major, stored column-major as `FSL<f32 nn>[size²]`."""
    cells = size * size
    arrow_type = fixed_size_list_type(pa.float32(), cells)
    noun = f"{size}x{size} matrices"
    if isinstance(value, Sequence | np.ndarray) and len(value) == 0:
        return pa.FixedSizeListArray.from_arrays(pa.array([], pa.float32()), type=arrow_type)
    array = numeric(value, np.float32) if not _is_ragged(value) else None
    if array is not None and array.size == cells:
        columns = array.reshape(size, size).ravel("F")
    elif array is not None and array.ndim >= 3 and array.shape[-2:] == (size, size):
        columns = np.ascontiguousarray(array.reshape(-1, size, size).transpose(0, 2, 1)).reshape(-1)
    else:
        # Same fallback as rerun-sdk: a list of separately shaped matrices (e.g. flat lists).
        if array is not None and array.ndim <= 1:
            raise ConversionError(f"has shape {array.shape}; expected one or a list of {noun} (rows)")
        parts = []
        for item in value:
            matrix = numeric(item, np.float32)
            if matrix.size != cells:
                raise ConversionError(f"has an item of shape {matrix.shape}; expected {noun}")
            parts.append(matrix.reshape(size, size).ravel("F"))
        columns = np.concatenate(parts)
    return pa.FixedSizeListArray.from_arrays(pa.array(columns), type=arrow_type)


def mat3x3s(value: Any) -> pa.Array:
    """One or more 3x3 matrices given row-major, stored column-major as `FSL<f32 nn>[9]`."""
    return square_matrices(value, 3)


def mat4x4s(value: Any) -> pa.Array:
    """One or more 4x4 matrices given row-major, stored column-major as `FSL<f32 nn>[16]`."""
    return square_matrices(value, 4)


def _is_ragged(value: Any) -> bool:
    """Whether numpy refuses to build a rectangular array from `value`."""
    try:
        np.asarray(value, dtype=np.float32)
    except (ValueError, TypeError):
        return True
    return False


# Attributes of convention objects: the archetype's `xyz_dirs`, the component's `coordinates`.
_CONVENTION_ATTRIBUTES = ("xyz_dirs", "coordinates")


def _one_convention(value: Any) -> bool:
    """Whether `value` is a single axis convention (not a list of them): an object with `xyz_dirs` or
    `coordinates`, or a sequence whose items are directions rather than sequences."""
    if any(hasattr(value, name) for name in _CONVENTION_ATTRIBUTES):
        return True
    first = next(iter(value), None) if isinstance(value, Sequence | np.ndarray) else None
    return isinstance(first, str | Enum | numbers.Integral)


def _directions(convention: Any) -> list[ViewDir]:
    """The three directions of one convention: ViewDir members/names/ints, or an object holding them."""
    xyz = next((getattr(convention, n) for n in _CONVENTION_ATTRIBUTES if hasattr(convention, n)), convention)
    try:
        xyz = [ViewDir.auto(int(d) if isinstance(d, np.integer) else d) for d in xyz]
    except (TypeError, ValueError) as err:
        raise ConversionError(f"is {describe(convention)}; expected 3 ViewDir values ({err})") from None
    if len(xyz) != 3:
        raise ConversionError(f"has {len(xyz)} directions; expected 3 (x, y, z)")
    return xyz


def view_coordinates(value: Any) -> pa.Array:
    """One or more `[x, y, z]` axis conventions (ViewDir members, names or ints, or objects holding
    them such as `ViewCoordinates.RDF`) as `FSL<u8 nn>[3]`; `[]` for none."""
    if not (_one_convention(value) or isinstance(value, Sequence | np.ndarray)):
        raise ConversionError(f"is {describe(value)}; expected 3 ViewDir values or a list of such")
    conventions = [value] if _one_convention(value) else value
    codes = [d.value for convention in conventions for d in _directions(convention)]
    array = pa.array(codes, type=pa.uint8())
    return pa.FixedSizeListArray.from_arrays(array, type=fixed_size_list_type(pa.uint8(), 3))


def blob(value: Any) -> pa.Array:
    """One blob of bytes (bytes, a readable file object, or a u8 array) as `List<u8 nn>`."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = np.frombuffer(value, dtype=np.uint8)
    elif callable(getattr(value, "read", None)):
        data = np.frombuffer(value.read(), dtype=np.uint8)
    elif isinstance(value, np.ndarray):
        data = np.ascontiguousarray(value, dtype=np.uint8).reshape(-1)
    else:
        raise ConversionError(f"is {describe(value)}; expected bytes, a file object or a u8 array")
    return single_blob(data)


def single_blob(data: npt.NDArray[np.uint8]) -> pa.Array:
    """Wrap a flat u8 array as a one-element `List<u8 nn>`."""
    offsets = pa.array([0, len(data)], type=pa.int32())
    return pa.ListArray.from_arrays(offsets, pa.array(data, type=pa.uint8()), type=BLOB)


def image_format(
    width: int,
    height: int,
    *,
    pixel_format: PixelFormat | None = None,
    color_model: ColorModel | None = None,
    channel_datatype: ChannelDatatype | None = None,
) -> pa.Array:
    """One `ImageFormat` struct; unused sub-fields are null."""

    def code(member: AutoEnum | None) -> pa.Array:
        return pa.array([None if member is None else member.value], type=pa.uint8())

    return pa.StructArray.from_arrays(
        [
            pa.array([width], type=pa.uint32()),
            pa.array([height], type=pa.uint32()),
            code(pixel_format),
            code(color_model),
            code(channel_datatype),
        ],
        fields=list(IMAGE_FORMAT),
    )


def _format_code(enum: Any, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        return int(enum.auto(value).value)
    return int(getattr(value, "value", value))


def image_formats(value: Any) -> pa.Array:
    """Image formats: objects (or dicts) with width, height and pixel_format or color_model and
    channel_datatype, one or a sequence; `[]`: none."""
    if isinstance(value, pa.Array) and value.type == IMAGE_FORMAT:
        return value
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    rows = []
    for item in items:
        get = item.get if isinstance(item, dict) else lambda name, item=item: getattr(item, name, None)
        if get("width") is None or get("height") is None:
            raise ConversionError(f"is {describe(item)}; expected an image format with width and height")
        rows.append(
            {
                "width": int(get("width")),
                "height": int(get("height")),
                "pixel_format": _format_code(PixelFormat, get("pixel_format")),
                "color_model": _format_code(ColorModel, get("color_model")),
                "channel_datatype": _format_code(ChannelDatatype, get("channel_datatype")),
            }
        )
    return pa.array(rows, type=IMAGE_FORMAT)


def line_strips(value: Any, dim: int) -> pa.Array:
    """Line strips (lists of `dim`-D points) as `List<FSL<f32 nn>[dim] nn>`, like rerun-sdk's rules."""
    point_type = fixed_size_list_type(pa.float32(), dim)
    strip_type = pa.list_(pa.field("item", point_type, nullable=False))
    if isinstance(value, pa.Array) and value.type == strip_type:
        return value
    if isinstance(value, np.ndarray):
        if value.ndim == 3:
            # (strips, points, dim) in one array: equal-length strips, no per-strip work needed.
            if value.shape[2] != dim:
                raise ConversionError(
                    f"has shape {value.shape}; expected (strips, points, {dim}) or a list of (N, {dim})"
                )
            num_strips, num_points = value.shape[0], value.shape[1]
            offsets = np.arange(num_strips + 1, dtype=np.int32) * num_points
            points = vectors(value.reshape(-1, dim), dim, noun="points")
            return pa.ListArray.from_arrays(pa.array(offsets), points, type=strip_type)
        strips: Sequence[Any] = [] if len(value) == 0 else [value] if value.ndim == 2 else None  # type: ignore[assignment]
        if strips is None:
            raise ConversionError(
                f"has shape {value.shape}; expected (strips, points, {dim}) or (points, {dim})"
            )
    elif isinstance(value, Sequence):
        first = value[0] if len(value) else None
        if isinstance(first, Sequence) and len(first) > 0 and isinstance(first[0], numbers.Number):
            # A single strip given as a list of points.
            if len(first) != dim:
                raise ConversionError(f"has points with {len(first)} coordinates; expected {dim}")
            strips = [value]
        elif isinstance(first, np.ndarray) and first.shape == (dim,):
            strips = [value]
        else:
            strips = value
    else:
        raise ConversionError(
            f"is {describe(value)}; expected a list of strips, each a list of {_COORDS[dim]}"
        )
    parts = []
    for strip in strips:
        if isinstance(strip, np.ndarray) and (strip.ndim != 2 or strip.shape[1] != dim):
            raise ConversionError(f"has a strip of shape {strip.shape}; expected (N, {dim})")
        parts.append(vectors(strip, dim, noun="points"))
    lengths = np.array([len(part) for part in parts], dtype=np.int32)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    points = pa.concat_arrays(parts) if parts else vectors(np.zeros((0, dim)), dim)
    return pa.ListArray.from_arrays(pa.array(offsets), points, type=strip_type)


def is_quaternion_like(value: Any) -> bool:
    """Whether `value` is a `Quaternion` or a sequence starting with one (how rerun tells rotations apart)."""
    return isinstance(value, Quaternion) or _first_is(value, Quaternion)


def is_axis_angle_like(value: Any) -> bool:
    """Whether `value` is a `RotationAxisAngle` or a sequence starting with one."""
    return isinstance(value, RotationAxisAngle) or _first_is(value, RotationAxisAngle)


def _first_is(value: Any, cls: type) -> bool:
    """Whether `value[0]` exists and is an instance of `cls`."""
    try:
        return isinstance(value[0], cls)
    except (TypeError, IndexError, KeyError):
        return False
