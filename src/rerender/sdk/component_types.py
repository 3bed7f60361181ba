"""Value and batch classes of rerun's components and encodings (`ColorBatch`, `Vec3D`, ...).

One table (`ENCODINGS`, `COMPONENTS`) names each type, its constructor's parameters, its Arrow type and
the converter from `components.py` that archetypes use too, so a `XBatch(data).as_arrow_array()` equals
rerun-sdk's and `rr.log`/`send_columns` take these batches the way rerun-sdk does:
`rr.log(path, [ColorBatch(...).described(descriptor)])` and
`rr.send_columns(path, indexes=[...], columns=[ColorBatch(...).partition(lengths)])`.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from rerender.rrd import ComponentDescriptor

from . import components as c
from .batch import ComponentBatch, ConversionError
from .columns import ComponentColumn
from .datatypes import Quaternion, Radius
from .recording import RerenderWarning, is_strict_mode

__all__ = [
    "COMPONENTS",
    "COMPONENT_CLASSES",
    "ENCODINGS",
    "ENCODING_CLASSES",
    "BaseBatch",
    "ComponentBatchMixin",
    "DescribedComponentBatch",
]


@dataclass(frozen=True)
class DescribedComponentBatch(ComponentBatch):
    """A batch with the descriptor naming its column (what `XBatch.described(descriptor)` returns)."""

    def partition(self, lengths: Any = None) -> ComponentColumn:
        """The batch as a `send_columns` column: one instance per row, or rows of the given sizes."""
        column = ComponentColumn(self.descriptor, self.array)
        return column if lengths is None else column.partition(lengths)


def _descriptor(descriptor: Any) -> ComponentDescriptor:
    if isinstance(descriptor, ComponentDescriptor):
        return descriptor
    if isinstance(descriptor, str):
        return ComponentDescriptor(descriptor)
    # Another SDK's descriptor (same three attributes).
    return ComponentDescriptor(
        str(descriptor.component),
        getattr(descriptor, "archetype", None),
        getattr(descriptor, "component_type", None),
    )


class _Value:
    """A single value (`rr.components.Color([255, 0, 0])`): its one-element Arrow array."""

    _BATCH: ClassVar[type[BaseBatch]]
    _FIELD: ClassVar[str]
    __signature__: ClassVar[inspect.Signature]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        bound = type(self).__signature__.bind(*args, **kwargs)
        bound.apply_defaults()
        array = type(self)._single(**bound.arguments)
        if len(array) != 1:
            raise ValueError(f"{type(self).__name__}: expected one value, got {len(array)}")
        self._array = array
        setattr(self, self._FIELD, array[0].as_py())

    @classmethod
    def _single(cls, **arguments: Any) -> pa.Array:
        (value,) = arguments.values()
        return cls._BATCH._convert(value)

    def as_arrow_array(self) -> pa.Array:
        """The value as a one-element Arrow array."""
        return self._array

    @classmethod
    def arrow_type(cls) -> pa.DataType:
        return cls._BATCH._ARROW_DATATYPE

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return np.asarray(getattr(self, self._FIELD), dtype=dtype)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Value):
            return self._array.equals(other._array)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(repr(self._array.to_pylist()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._FIELD}={getattr(self, self._FIELD)!r})"


class _ComponentValue(_Value):
    @classmethod
    def component_type(cls) -> str:
        return cls._BATCH._COMPONENT_TYPE  # type: ignore[attr-defined]


class BaseBatch:
    """A batch of values as one Arrow array; `None` gives an empty batch (which clears a component)."""

    _ARROW_DATATYPE: ClassVar[pa.DataType]
    _CONVERT: ClassVar[Callable[[Any], pa.Array]]

    def __init__(self, data: Any, strict: bool | None = None) -> None:
        self.pa_array = pa.array([], type=self._ARROW_DATATYPE)
        if data is None:
            return
        try:
            self.pa_array = self._convert(data)
        except (ConversionError, ValueError, TypeError, OverflowError) as err:
            if strict or (strict is None and is_strict_mode()):
                raise ValueError(f"{type(self).__name__}: {err}") from None
            warnings.warn(f"{type(self).__name__}: {err}", RerenderWarning, stacklevel=2)

    @classmethod
    def _convert(cls, data: Any) -> pa.Array:
        if isinstance(data, pa.Array) and data.type == cls._ARROW_DATATYPE:
            return data
        if isinstance(data, _Value):
            return data.as_arrow_array()
        if isinstance(data, Sequence) and data and all(isinstance(item, _Value) for item in data):
            return pa.concat_arrays([item.as_arrow_array() for item in data])
        return cls._CONVERT_FN(data)  # type: ignore[attr-defined]

    def as_arrow_array(self) -> pa.Array:
        """The batch as an Arrow array (rerun-sdk's `ComponentBatchLike` interface)."""
        return self.pa_array

    def __len__(self) -> int:
        return len(self.pa_array)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseBatch):
            return NotImplemented
        return self.pa_array.equals(other.pa_array)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.pa_array.to_pylist()!r})"


class ComponentBatchMixin:
    """What a component's batch adds: its type name, `described` and `partition` (for `send_columns`)."""

    _COMPONENT_TYPE: ClassVar[str]
    pa_array: pa.Array

    def component_type(self) -> str:
        """The component type, e.g. `rerun.components.Color`."""
        return self._COMPONENT_TYPE

    def described(self, descriptor: Any) -> DescribedComponentBatch:
        """The batch with a descriptor, ready for `rr.log(path, [batch.described(descriptor)])`."""
        return DescribedComponentBatch(_descriptor(descriptor), self.pa_array)

    def partition(self, lengths: Any = None) -> ComponentColumn:
        """A `send_columns` column named by the component type, one instance per row or of the given sizes."""
        column = ComponentColumn(ComponentDescriptor(self._COMPONENT_TYPE), self.pa_array)
        return column if lengths is None else column.partition(lengths)


# ---- converters the converters of `components.py` lack -----------------------------------------------


def _vectors(dim: int, dtype: type[np.generic] = np.float32) -> Callable[[Any], pa.Array]:
    def convert(value: Any) -> pa.Array:
        if isinstance(value, Quaternion):
            value = value.xyzw
        return c.vectors(value, dim, dtype=dtype)

    return convert


def _radii(value: Any) -> pa.Array:
    if isinstance(value, Radius):
        value = value.value
    elif isinstance(value, Sequence) and not isinstance(value, str):
        value = [item.value if isinstance(item, Radius) else item for item in value]
    return c.float32s(value)


def _blobs(value: Any) -> pa.Array:
    """One blob (bytes, a u8 array) or a list of them as `List<u8 nn>`."""
    if isinstance(value, (bytes, bytearray, memoryview)) or (
        isinstance(value, np.ndarray) and value.dtype == np.uint8 and value.ndim <= 1
    ):
        return c.blob(value)
    blob_items = (bytes, bytearray, memoryview, np.ndarray)
    if isinstance(value, Sequence) and value and all(isinstance(item, blob_items) for item in value):
        return pa.concat_arrays([c.blob(item) for item in value])
    return c.blob(np.asarray(value, dtype=np.uint8))


def _mat3x3_single(rows: Any = None, columns: Any = None) -> pa.Array:
    if rows is not None:
        return c.mat3x3s(rows)
    if columns is not None:
        return c.mat3x3s(np.asarray(columns, dtype=np.float32).reshape(3, 3).T)
    raise ValueError("Mat3x3: give rows or columns")


# name -> (parameters of the value class, Arrow type, converter); later parameters default to None.
_VEC = {
    "Vec2D": (("xy",), c.fixed_size_list_type(pa.float32(), 2), _vectors(2)),
    "Vec3D": (("xyz",), c.fixed_size_list_type(pa.float32(), 3), _vectors(3)),
    "Vec4D": (("xyzw",), c.fixed_size_list_type(pa.float32(), 4), _vectors(4)),
    "UVec2D": (("xy",), c.fixed_size_list_type(pa.uint32(), 2), _vectors(2, np.uint32)),
    "UVec3D": (("xyz",), c.fixed_size_list_type(pa.uint32(), 3), _vectors(3, np.uint32)),
    "IVec3D": (("xyz",), c.fixed_size_list_type(pa.int32(), 3), _vectors(3, np.int32)),
    "DVec2D": (("xy",), c.fixed_size_list_type(pa.float64(), 2), _vectors(2, np.float64)),
}
ENCODINGS: dict[str, tuple[tuple[str, ...], pa.DataType, Callable[[Any], pa.Array]]] = {
    **_VEC,
    "Rgba32": (("rgba",), pa.uint32(), c.colors),
    "Float32": (("value",), pa.float32(), c.float32s),
    "Float64": (("value",), pa.float64(), c.float64s),
    "UInt16": (("value",), pa.uint16(), c.u16s),
    "UInt32": (("value",), pa.uint32(), c.u32s),
    "UInt64": (("value",), pa.uint64(), c.u64s),
    "ClassId": (("id",), pa.uint16(), c.u16s),
    "KeypointId": (("id",), pa.uint16(), c.u16s),
    "Bool": (("value",), pa.bool_(), c.bools),
    "Utf8": (("value",), pa.utf8(), c.utf8s),
    "Mat3x3": (("rows", "*columns"), c.fixed_size_list_type(pa.float32(), 9), c.mat3x3s),
    "Blob": (("data",), c.BLOB, _blobs),
    "Quaternion": (("*xyzw",), c.fixed_size_list_type(pa.float32(), 4), c.quaternions),
}
_STRIP2 = pa.list_(pa.field("item", c.fixed_size_list_type(pa.float32(), 2), nullable=False))
_STRIP3 = pa.list_(pa.field("item", c.fixed_size_list_type(pa.float32(), 3), nullable=False))

# component -> the encoding it wraps (or, for those without one, its own parameters/type/converter).
COMPONENTS: dict[str, str | tuple[tuple[str, ...], pa.DataType, Callable[[Any], pa.Array]]] = {
    "Color": "Rgba32",
    "Position2D": "Vec2D",
    "Position3D": "Vec3D",
    "Vector2D": "Vec2D",
    "Vector3D": "Vec3D",
    "HalfSize2D": "Vec2D",
    "HalfSize3D": "Vec3D",
    "Translation3D": "Vec3D",
    "Resolution": "Vec2D",
    "Texcoord2D": "Vec2D",
    "VoxelSize": "Vec3D",
    "VoxelIndex": "IVec3D",
    "RotationQuat": "Quaternion",
    "TransformMat3x3": "Mat3x3",
    "Radius": (("value",), pa.float32(), _radii),  # the value class is `datatypes.Radius`
    "MediaType": "Utf8",  # the value class is `datatypes.MediaType`
    "DrawOrder": "Float32",
    "Opacity": "Float32",
    "ImagePlaneDistance": "Float32",
    "StrokeWidth": "Float32",
    "MarkerSize": "Float32",
    "Length": "Float32",
    "FillRatio": "Float32",
    "GammaCorrection": "Float32",
    "AxisLength": "Float32",
    "Scalar": "Float64",
    "Variance": "Float64",
    "LinearSpeed": "Float64",
    "Count": "UInt64",
    "ClassId": "ClassId",
    "KeypointId": "KeypointId",
    "ShowLabels": "Bool",
    "Visible": "Bool",
    "Interactive": "Bool",
    "Text": "Utf8",
    "Name": "Utf8",
    "Url": "Utf8",
    "Unit": "Utf8",
    "TransformFrameId": "Utf8",
    "Blob": "Blob",
    "LineStrip2D": (("points",), _STRIP2, lambda value: c.line_strips(value, 2)),
    "LineStrip3D": (("points",), _STRIP3, lambda value: c.line_strips(value, 3)),
}


def _signature(params: tuple[str, ...]) -> inspect.Signature:
    """Parameters as rerun-sdk declares them: a leading `*` marks a keyword-only one; after the first,
    parameters default to None (`Mat3x3(rows=None, *, columns=None)`)."""
    out = []
    for param in params:
        kind = (
            inspect.Parameter.KEYWORD_ONLY
            if param.startswith("*")
            else inspect.Parameter.POSITIONAL_OR_KEYWORD
        )
        default = inspect.Parameter.empty if len(params) == 1 else None
        out.append(inspect.Parameter(param.lstrip("*"), kind, default=default))
    return inspect.Signature(out)


def _make(
    name: str,
    spec: tuple[tuple[str, ...], pa.DataType, Callable[[Any], pa.Array]],
    *,
    component: bool,
    bases: tuple[type, type] | None = None,
) -> tuple[type, type]:
    params, arrow_type, convert = spec
    batch_bases: tuple[type, ...] = (bases[1],) if bases else (BaseBatch,)
    value_bases: tuple[type, ...] = (bases[0],) if bases else (_Value,)
    namespace = "rerun.components" if component else "rerun.encodings"
    batch_ns: dict[str, Any] = {
        "_ARROW_DATATYPE": arrow_type,
        "_CONVERT_FN": staticmethod(convert),
        "__module__": "rerender.components" if component else "rerender.encodings",
        "__doc__": f"A batch of `{namespace}.{name}` values: `{name}Batch(data)`.",
    }
    if component:
        batch_bases = (*batch_bases, ComponentBatchMixin)
        value_bases = (*(b for b in value_bases if b is not _Value), _ComponentValue)
        batch_ns["_COMPONENT_TYPE"] = f"rerun.components.{name}"
    batch = type(f"{name}Batch", batch_bases, batch_ns)
    value_ns: dict[str, Any] = {
        "_BATCH": batch,
        "_FIELD": params[0].lstrip("*"),
        "__signature__": _signature(params),
        "__module__": batch_ns["__module__"],
        "__doc__": f"One `{namespace}.{name}`: `{name}{_signature(params)}`.",
    }
    if name == "Mat3x3":
        value_ns["_single"] = classmethod(lambda cls, rows=None, columns=None: _mat3x3_single(rows, columns))
    value = type(name, value_bases, value_ns)
    return value, batch


def _build() -> tuple[dict[str, type], dict[str, type]]:
    encodings: dict[str, type] = {}
    for name, spec in ENCODINGS.items():
        value, batch = _make(name, spec, component=False)
        encodings[name], encodings[f"{name}Batch"] = value, batch
    components: dict[str, type] = {}
    for name, entry in COMPONENTS.items():
        if isinstance(entry, str):
            bases = (encodings[entry], encodings[f"{entry}Batch"])
            value, batch = _make(name, ENCODINGS[entry], component=True, bases=bases)
        else:
            value, batch = _make(name, entry, component=True)
        components[name], components[f"{name}Batch"] = value, batch
    return encodings, components


ENCODING_CLASSES, COMPONENT_CLASSES = _build()
