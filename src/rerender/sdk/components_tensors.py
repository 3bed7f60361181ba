"""Converters for annotation contexts, tensors and value ranges: user input to the exact Arrow arrays
rerun-sdk 0.41 logs (same conventions as `components.py`: they return the instances of one log call and
raise `ConversionError` with a "...; expected ..." detail)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from . import components as c
from .batch import ConversionError
from .datatypes import AnnotationInfo, ClassDescription, ClassDescriptionMapElem, KeypointPair, TensorData

__all__ = [
    "ANNOTATION_CONTEXT",
    "ANNOTATION_INFO",
    "CLASS_DESCRIPTION",
    "CLASS_DESCRIPTION_MAP_ELEM",
    "KEYPOINT_PAIR",
    "TENSOR_BUFFER",
    "TENSOR_DATA",
    "annotation_context",
    "annotation_infos",
    "class_description_map_elems",
    "class_descriptions",
    "keypoint_pairs",
    "rgba32",
    "tensor_buffers",
    "tensor_data",
    "value_range",
]


def _nn(name: str, arrow_type: pa.DataType) -> pa.Field:
    return pa.field(name, arrow_type, nullable=False)


def _list_nn(arrow_type: pa.DataType) -> pa.DataType:
    """`List<arrow_type>` with the non-nullable `item` field rerun uses."""
    return pa.list_(_nn("item", arrow_type))


ANNOTATION_INFO = pa.struct(
    [_nn("id", pa.uint16()), pa.field("label", pa.utf8()), pa.field("color", pa.uint32())]
)
KEYPOINT_PAIR = pa.struct([_nn("keypoint0", pa.uint16()), _nn("keypoint1", pa.uint16())])
CLASS_DESCRIPTION = pa.struct(
    [
        _nn("info", ANNOTATION_INFO),
        _nn("keypoint_annotations", _list_nn(ANNOTATION_INFO)),
        _nn("keypoint_connections", _list_nn(KEYPOINT_PAIR)),
    ]
)
CLASS_DESCRIPTION_MAP_ELEM = pa.struct(
    [_nn("class_id", pa.uint16()), _nn("class_description", CLASS_DESCRIPTION)]
)
ANNOTATION_CONTEXT = _list_nn(CLASS_DESCRIPTION_MAP_ELEM)

# The TensorBuffer union: a null marker first, then one `List<T nn>` per element type (rerun's order).
_TENSOR_ELEMENTS: tuple[tuple[str, type[np.generic], pa.DataType], ...] = (
    ("U8", np.uint8, pa.uint8()),
    ("U16", np.uint16, pa.uint16()),
    ("U32", np.uint32, pa.uint32()),
    ("U64", np.uint64, pa.uint64()),
    ("I8", np.int8, pa.int8()),
    ("I16", np.int16, pa.int16()),
    ("I32", np.int32, pa.int32()),
    ("I64", np.int64, pa.int64()),
    ("F16", np.float16, pa.float16()),
    ("F32", np.float32, pa.float32()),
    ("F64", np.float64, pa.float64()),
)
TENSOR_BUFFER = pa.dense_union(
    [pa.field("_null_markers", pa.null())]
    + [_nn(name, _list_nn(arrow_type)) for name, _, arrow_type in _TENSOR_ELEMENTS]
)
_TYPE_CODE_BY_NUMPY = {np_type: code for code, (_, np_type, _) in enumerate(_TENSOR_ELEMENTS, start=1)}
TENSOR_DATA = pa.struct(
    [
        _nn("shape", _list_nn(pa.uint64())),
        pa.field("names", _list_nn(pa.utf8())),
        pa.field("buffer", TENSOR_BUFFER),
    ]
)


# ---- colors of annotation infos -----------------------------------------------------------------------


def rgba32(value: Any) -> int:
    """One color as packed 0xRRGGBBAA, with rerun-sdk's `Rgba32` rules: an RGB(A) sequence or array
    (floats in 0..1 are scaled by 255), or anything `int()` takes as an already packed value."""
    if isinstance(value, np.ndarray):
        channels = value.reshape(1, -1)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        channels = np.array(value).reshape(1, -1)
    else:
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConversionError(f"has color {value!r}; expected RGB(A) values or a packed int") from None
    if channels.size == 0:
        raise ConversionError(f"has an empty color {value!r}; expected 3 or 4 channels")
    if channels.shape[1] not in (3, 4):
        raise ConversionError(f"has a color with {channels.size} channels ({value!r}); expected 3 or 4")
    if channels.dtype.kind not in "uifb":
        raise ConversionError(f"has color {value!r}; expected numbers")
    if channels.dtype.type in (np.float32, np.float64):
        u8 = np.round(channels * 255.0).astype(np.uint8)
    else:
        u8 = channels.astype(np.uint8)
    r, g, b = (int(x) for x in u8[0, :3])
    a = int(u8[0, 3]) if u8.shape[1] == 4 else 0xFF
    return (r << 24) | (g << 16) | (b << 8) | a


# ---- annotation context -------------------------------------------------------------------------------


def _info_row(info: AnnotationInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "label": info.label,
        "color": None if info.color is None else rgba32(info.color),
    }


def _pair_row(pair: KeypointPair) -> dict[str, Any]:
    return {"keypoint0": int(pair.keypoint0), "keypoint1": int(pair.keypoint1)}


def _description_row(description: ClassDescription) -> dict[str, Any]:
    return {
        "info": _info_row(description.info),
        "keypoint_annotations": [_info_row(info) for info in description.keypoint_annotations],
        "keypoint_connections": [_pair_row(pair) for pair in description.keypoint_connections],
    }


def _class_map_row(entry: ClassDescriptionMapElem) -> dict[str, Any]:
    return {"class_id": entry.class_id, "class_description": _description_row(entry.class_description)}


_EXPECTED_ENTRY = "expected ClassDescription, AnnotationInfo, an id, or an (id, label[, color]) tuple"


def _rows(
    items: Any, auto: Callable[[Any], Any], row: Callable[[Any], dict[str, Any]], expected: str
) -> list[dict[str, Any]]:
    """Each item made a value with `auto` and then an Arrow row with `row`; bad items name `expected`."""
    out = []
    for item in items:
        try:
            out.append(row(auto(item)))
        except (TypeError, ValueError) as err:
            raise ConversionError(f"has entry {item!r} ({err}); {expected}") from None
    return out


def _struct_array(rows: list[dict[str, Any]], arrow_type: pa.DataType) -> pa.Array:
    try:
        return pa.array(rows, type=arrow_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as err:
        expected = "expected ids and keypoints in 0..65535"
        raise ConversionError(f"could not be converted ({err}); {expected}") from None


def annotation_context(value: Any) -> pa.Array:
    """One annotation context (class id -> label, color and keypoints) as rerun's `AnnotationContext`:
    a `ClassDescription`, or a sequence of `ClassDescription`s, `AnnotationInfo`s, ids or tuples."""
    if isinstance(value, pa.Array) and value.type == ANNOTATION_CONTEXT:
        return value
    if isinstance(value, ClassDescription):
        value = [value]
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
        raise ConversionError(f"is {value!r}; expected a list of class descriptions")
    entries = _rows(value, ClassDescriptionMapElem.auto, _class_map_row, _EXPECTED_ENTRY)
    return _struct_array([entries], ANNOTATION_CONTEXT)


def annotation_infos(value: Any) -> pa.Array:
    """`AnnotationInfo`s (or ids, or `(id, label[, color])` tuples) as `Struct{id, label, color}`."""
    items = [value] if isinstance(value, AnnotationInfo | int) else value
    rows = _rows(
        items, AnnotationInfo.auto, _info_row, "expected AnnotationInfo, an id or an (id, label) tuple"
    )
    return _struct_array(rows, ANNOTATION_INFO)


def keypoint_pairs(value: Any) -> pa.Array:
    """`KeypointPair`s (or pairs of keypoint ids, e.g. an (N, 2) array) as `Struct{keypoint0, keypoint1}`."""
    items = [value] if isinstance(value, KeypointPair) else value
    return _struct_array(
        _rows(items, KeypointPair.auto, _pair_row, "expected pairs of keypoint ids"), KEYPOINT_PAIR
    )


def class_descriptions(value: Any) -> pa.Array:
    """`ClassDescription`s (or what `ClassDescription.auto` takes) as rerun's `ClassDescription` structs."""
    items = [value] if isinstance(value, ClassDescription) else value
    return _struct_array(
        _rows(items, ClassDescription.auto, _description_row, _EXPECTED_ENTRY), CLASS_DESCRIPTION
    )


def class_description_map_elems(value: Any) -> pa.Array:
    """Annotation context entries (`ClassDescriptionMapElem`s, or what `ClassDescription.auto` takes,
    keyed by their own id) as `Struct{class_id, class_description}`."""
    items = [value] if isinstance(value, ClassDescriptionMapElem | ClassDescription) else value
    rows = _rows(items, ClassDescriptionMapElem.auto, _class_map_row, _EXPECTED_ENTRY)
    return _struct_array(rows, CLASS_DESCRIPTION_MAP_ELEM)


# ---- tensors ------------------------------------------------------------------------------------------


def _tensor_buffer(flat: npt.NDArray[Any]) -> pa.Array:
    """A one-element dense union holding `flat` as the list child of its element type."""
    code = _TYPE_CODE_BY_NUMPY.get(flat.dtype.type)
    if code is None:
        expected = ", ".join(np.dtype(t).name for t in _TYPE_CODE_BY_NUMPY)
        raise ConversionError(f"has dtype {flat.dtype}; expected one of {expected}")
    child_type = TENSOR_BUFFER[code].type
    values = pa.array(np.ascontiguousarray(flat), type=child_type.value_type)
    child = pa.ListArray.from_arrays(pa.array([0, len(flat)], type=pa.int32()), values, type=child_type)
    children = [pa.nulls(0, type=field.type) for field in TENSOR_BUFFER]
    children[code] = child
    return pa.Array.from_buffers(
        type=TENSOR_BUFFER,
        length=1,
        buffers=[None, pa.py_buffer(np.array([code], dtype=np.int8)), pa.py_buffer(np.zeros(1, np.int32))],
        children=children,
    )


def tensor_buffers(value: Any) -> pa.Array:
    """Tensor buffers: an array or a list of numbers (one buffer, flattened), or a list of arrays (one
    buffer each)."""
    if isinstance(value, pa.Array) and value.type == TENSOR_BUFFER:
        return value
    many = isinstance(value, Sequence) and all(isinstance(item, np.ndarray | Sequence) for item in value)
    parts = [_tensor_buffer(np.asarray(item).reshape(-1)) for item in (value if many else [value])]
    return pa.concat_arrays(parts) if parts else pa.nulls(0, type=TENSOR_BUFFER)


def tensor_data(value: Any) -> pa.Array:
    """One tensor (a `TensorData`, or anything array-like: numpy, lists, torch) as rerun's `TensorData`."""
    if isinstance(value, pa.Array) and value.type == TENSOR_DATA:
        return value
    if isinstance(value, Sequence) and len(value) > 0 and isinstance(value[0], TensorData):
        if len(value) > 1:
            raise ConversionError(f"has {len(value)} TensorData; expected one (tensors do not batch)")
        value = value[0]
    if not isinstance(value, TensorData):
        try:
            value = TensorData(array=value)
        except ValueError as err:
            raise ConversionError(f"could not be read as an array ({err})") from None
    shape = pa.array([value.shape], type=TENSOR_DATA[0].type)
    names = pa.array([value.names], type=TENSOR_DATA[1].type)
    return pa.StructArray.from_arrays([shape, names, _tensor_buffer(value.buffer)], fields=list(TENSOR_DATA))


def tensor_shape(array: pa.Array) -> list[int]:
    """The shape of the (first) tensor of a `TensorData` array."""
    return array.field("shape")[0].as_py()


def value_range(value: Any) -> pa.Array:
    """A `[min, max]` range (or several, or a `slice`) as `FSL<f64 nn>[2]`."""
    if isinstance(value, slice):
        if value.step not in (None, 1):
            raise ConversionError(f"is a slice with step {value.step}; expected no step (or 1)")
        value = [value.start, value.stop]
    return c.vectors(value, 2, noun="[min, max] ranges", dtype=np.float64)
