"""Value and batch classes of rerun's components and encodings (`ColorBatch`, `Vec3D`, `TimeRange`, ...).

One table (`ENCODINGS`, `COMPONENTS`) gives each type its Arrow type, the converter that archetypes use
too, and its value class: generated from rerun-sdk's constructor parameters, or an existing class (`Angle`,
`TimeRange`, the enums, ...). From it come the value classes, the batch classes and the `XLike` /
`XArrayLike` typing aliases, so that `XBatch(data).as_arrow_array()` equals rerun-sdk's and
`rr.log`/`send_columns` take these batches the way rerun-sdk does:
`rr.log(path, [ColorBatch(...).described(descriptor)])` and
`rr.send_columns(path, indexes=[...], columns=[ColorBatch(...).partition(lengths)])`.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar, Literal, Self, Union

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from rerender.rrd import ComponentDescriptor

from . import components as c
from . import components_mcap as cd
from . import components_media as cb
from . import components_splats as cc
from . import components_structs as cs
from . import components_tensors as ct
from .batch import ComponentBatch, ConversionError
from .columns import ComponentColumn
from .datatypes import (
    Angle,
    AnnotationInfo,
    ChannelCountPair,
    ClassDescription,
    ClassDescriptionMapElem,
    GraphEdge,
    ImageFormat,
    KeypointPair,
    MediaType,
    Quaternion,
    Radius,
    Range2D,
    RotationAxisAngle,
    StructValue,
    TensorData,
    TensorDimensionIndexSelection,
    TensorDimensionSelection,
    TextLogLevel,
    Utf8Pair,
)
from .enums import (
    AggregationPolicy,
    AutoEnum,
    ChannelDatatype,
    Colormap,
    ColorModel,
    EntryKind,
    FillMode,
    GraphType,
    InterpolationMode,
    MagnificationFilter,
    MarkerShape,
    MeshFaceRendering,
    PixelFormat,
    PointShading,
    TransformRelation,
    VideoCodec,
    ViewDir,
    view_coordinate_conventions,
)
from .protocols import ComponentBatchLike
from .recording import RerenderWarning, is_strict_mode
from .time_ranges import AbsoluteTimeRange, TimeInt, TimeRange, TimeRangeBoundary, VisibleTimeRange

__all__ = [
    "COMPONENTS",
    "COMPONENT_ALIASES",
    "COMPONENT_CLASSES",
    "ENCODINGS",
    "ENCODING_ALIASES",
    "ENCODING_CLASSES",
    "BaseBatch",
    "ComponentBatchMixin",
    "DescribedComponentBatch",
    "Spec",
]


@dataclass(frozen=True, init=False)
class DescribedComponentBatch(ComponentBatch):
    """A component batch with the descriptor naming its column, built as in rerun-sdk:
    `DescribedComponentBatch(batch, descriptor)`; `XBatch(...).described(descriptor)` gives the same."""

    def __init__(self, batch: ComponentBatchLike, descriptor: ComponentDescriptor | str) -> None:
        # Frozen: the fields are set once, here, from rerun-sdk's argument order.
        object.__setattr__(self, "descriptor", _descriptor(descriptor))
        object.__setattr__(self, "array", batch.as_arrow_array())

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
    """A generated value class (`rr.components.Color([255, 0, 0])`): its one-element Arrow array, and the
    value as rerun-sdk's field of the same name."""

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


class _ComponentValue:
    """What a component's value class adds to its encoding's: the component type, and (for the
    hand-written encodings, which have none) the one-element Arrow array."""

    _BATCH: ClassVar[type[BaseBatch]]

    @classmethod
    def component_type(cls) -> str:
        return cls._BATCH._COMPONENT_TYPE  # type: ignore[attr-defined]

    def as_arrow_array(self) -> pa.Array:
        return type(self)._BATCH._CONVERT_FN(self)  # type: ignore[attr-defined]


class BaseBatch:
    """A batch of values as one Arrow array; `None` gives an empty batch (which clears a component)."""

    _ARROW_DATATYPE: ClassVar[pa.DataType]
    _CONVERT_FN: ClassVar[Callable[[Any], pa.Array]]

    def __init__(self, data: Any, strict: bool | None = None) -> None:
        # `pa.nulls(0)`, not `pa.array([])`: pyarrow builds no union arrays from Python lists.
        self.pa_array = pa.nulls(0, type=self._ARROW_DATATYPE)
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
        return cls._CONVERT_FN(data)

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


class ComponentBatchMixin(ComponentBatchLike):
    """What a component's batch adds: its type name, `described` and `partition` (for `send_columns`)."""

    _COMPONENT_TYPE: ClassVar[str]
    pa_array: pa.Array

    def component_type(self) -> str:
        """The component type, e.g. `rerun.components.Color`."""
        return self._COMPONENT_TYPE

    def described(self, descriptor: Any) -> DescribedComponentBatch:
        """The batch with a descriptor, ready for `rr.log(path, [batch.described(descriptor)])`."""
        return DescribedComponentBatch(self, descriptor)

    def partition(self, lengths: Any = None) -> ComponentColumn:
        """A `send_columns` column named by the component type, one instance per row or of the given sizes."""
        column = ComponentColumn(ComponentDescriptor(self._COMPONENT_TYPE), self.pa_array)
        return column if lengths is None else column.partition(lengths)


# ---- helpers of generated value classes (rerun-sdk's constants and extra constructors) ----------------


class _Plane3DHelpers:
    """`Plane3D.XY`/`YZ`/`ZX` and a plane's normal and distance, as rerun-sdk's `Plane3D` has them."""

    XY: ClassVar[Any]
    YZ: ClassVar[Any]
    ZX: ClassVar[Any]
    xyzd: list[float]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Runs for each generated class (the encoding and the component), so each gets its own constants.
        super().__init_subclass__(**kwargs)
        cls.YZ, cls.ZX, cls.XY = cls([1.0, 0.0, 0.0]), cls([0.0, 1.0, 0.0]), cls([0.0, 0.0, 1.0])

    def normal(self) -> npt.NDArray[np.float32]:
        """The plane's normal (not normalized)."""
        return np.array(self.xyzd[:3], dtype=np.float32)

    def distance(self) -> float:
        """The plane's distance from the origin along its normal."""
        return float(self.xyzd[3])

    def with_distance(self, distance: float) -> Self:
        """The plane with the same normal at another distance."""
        return type(self)(self.normal(), distance)  # type: ignore[call-arg]


class _ViewCoordinatesConstants:
    """`ViewCoordinates.RDF`, `.RIGHT_HAND_Y_DOWN`, ...: the named conventions as values of the class."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, dirs in view_coordinate_conventions().items():
            setattr(cls, name, cls(list(dirs)))  # type: ignore[call-arg]


class _VideoTimestampConstructors:
    """Batches of video timestamps from seconds, milliseconds or nanoseconds, as rerun-sdk builds them."""

    _BATCH: ClassVar[type[BaseBatch]]

    @classmethod
    def nanoseconds(cls, nanoseconds: npt.ArrayLike) -> BaseBatch:
        """Timestamps in nanoseconds since the start of the video (truncated to integers)."""
        return cls._BATCH(np.asarray(nanoseconds, dtype=np.int64).reshape(-1))

    @classmethod
    def seconds(cls, seconds: npt.ArrayLike) -> BaseBatch:
        """Timestamps in seconds since the start of the video."""
        return cls.nanoseconds(np.asarray(seconds) * 1e9)

    @classmethod
    def milliseconds(cls, milliseconds: npt.ArrayLike) -> BaseBatch:
        """Timestamps in milliseconds since the start of the video."""
        return cls.nanoseconds(np.asarray(milliseconds) * 1e6)


# ---- one-value constructors whose arguments are not the value itself ----------------------------------


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


def _square_matrix(size: int) -> Callable[..., pa.Array]:
    """`Mat3x3(rows=None, *, columns=None)` (or 4x4): one matrix given by its rows or its columns."""

    def single(rows: Any = None, columns: Any = None) -> pa.Array:
        if rows is not None:
            return c.square_matrices(rows, size)
        if columns is not None:
            return c.square_matrices(np.asarray(columns, dtype=np.float32).reshape(size, size).T, size)
        raise ValueError(f"Mat{size}x{size}: give rows or columns")

    return single


def _plane(normal: Any, distance: float | None = None) -> pa.Array:
    """`Plane3D(normal, distance=None)`: the normal's three components, then the distance (default 0)."""
    xyz = np.asarray(normal, dtype=np.float32).reshape(-1)
    if xyz.shape != (3,):
        raise ValueError(f"Plane3D: the normal has shape {xyz.shape}; expected 3 values")
    return c.vectors([*xyz, 0.0 if distance is None else distance], 4)


def _scale3d(uniform_or_per_axis: Any = True) -> pa.Array:
    """`Scale3D(s)`: one number scales all three axes alike (True, the default, means 1)."""
    if np.ndim(uniform_or_per_axis) == 0:
        uniform_or_per_axis = [float(uniform_or_per_axis)] * 3
    return c.vectors(uniform_or_per_axis, 3, noun="scale factors")


def _key_value_pairs(pairs: Any) -> pa.Array:
    """`KeyValuePairs(pairs)`: one map, even when given as a list of (key, value) pairs (which a batch
    would read as one map per item)."""
    return cd.key_value_pairs([pairs])


def _video_timestamp(nanoseconds: int | None = None, seconds: float | None = None) -> pa.Array:
    """`VideoTimestamp(nanoseconds=...)` or `VideoTimestamp(seconds=...)` (rounded to whole nanoseconds)."""
    if (nanoseconds is None) == (seconds is None):
        raise ValueError("VideoTimestamp: give exactly one of nanoseconds or seconds")
    return cb.video_timestamps(int(seconds * 1e9 + 0.5) if seconds is not None else nanoseconds)


# ---- the table ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One row of the table: a type's Arrow type, its converter, and how its value class is made."""

    arrow_type: pa.DataType
    convert: Callable[[Any], pa.Array]
    # The generated value class's parameters, in Python syntax as rerun-sdk declares them.
    params: str = ""
    # Or an existing value class, of which only the batch class is generated.
    value: type | None = None
    # The one-value array from the constructor's arguments (default: `convert` of the only one).
    single: Callable[..., pa.Array] | None = None
    # The generated value's attribute (rerun-sdk's field name) when not named after its first parameter.
    field: str = ""
    # Helpers mixed into the generated value class (constants, other constructors).
    ext: type | None = None
    # For a component: the encoding it wraps (its classes derive from that encoding's classes).
    base: str = ""


def _signature(params: str) -> inspect.Signature:
    """The signature written in `params` (Python syntax, literal defaults)."""
    args = ast.parse(f"def f({params}): pass").body[0].args  # type: ignore[attr-defined]
    names = [arg.arg for arg in (*args.args, *args.kwonlyargs)]
    kinds = [inspect.Parameter.POSITIONAL_OR_KEYWORD] * len(args.args)
    kinds += [inspect.Parameter.KEYWORD_ONLY] * len(args.kwonlyargs)
    # Positional defaults belong to the last positional parameters; a keyword-only one without has None.
    given = [None] * (len(args.args) - len(args.defaults)) + [*args.defaults, *args.kw_defaults]
    defaults = [inspect.Parameter.empty if node is None else ast.literal_eval(node) for node in given]
    return inspect.Signature(
        [inspect.Parameter(n, k, default=d) for n, k, d in zip(names, kinds, defaults, strict=True)]
    )


def _field(spec: Spec) -> str:
    """The attribute a generated value keeps its value in: rerun-sdk's field, else its first parameter."""
    return spec.field or next(iter(_signature(spec.params).parameters), "")


def _enum(enum: type[AutoEnum], arrow_type: pa.DataType | None = None) -> Spec:
    """An enum, logged as its values' codes (`u8` unless given)."""
    arrow_type = arrow_type or pa.uint8()
    return Spec(arrow_type, functools.partial(c.enum_codes, enum=enum, arrow_type=arrow_type), value=enum)


def _struct(cls: type[StructValue], arrow_type: pa.DataType) -> Spec:
    return Spec(arrow_type, functools.partial(cs.structs, cls=cls, arrow_type=arrow_type), value=cls)


def _fsl(value_type: pa.DataType, size: int) -> pa.DataType:
    return c.fixed_size_list_type(value_type, size)


ENCODINGS: dict[str, Spec] = {
    "Vec2D": Spec(_fsl(pa.float32(), 2), _vectors(2), "xy"),
    "Vec3D": Spec(_fsl(pa.float32(), 3), _vectors(3), "xyz"),
    "Vec4D": Spec(_fsl(pa.float32(), 4), _vectors(4), "xyzw"),
    "UVec2D": Spec(_fsl(pa.uint32(), 2), _vectors(2, np.uint32), "xy"),
    "UVec3D": Spec(_fsl(pa.uint32(), 3), _vectors(3, np.uint32), "xyz"),
    "UVec4D": Spec(_fsl(pa.uint32(), 4), _vectors(4, np.uint32), "xyzw"),
    "IVec3D": Spec(_fsl(pa.int32(), 3), _vectors(3, np.int32), "xyz"),
    "DVec2D": Spec(_fsl(pa.float64(), 2), _vectors(2, np.float64), "xy"),
    "Rgba32": Spec(pa.uint32(), c.colors, "rgba"),
    "Float32": Spec(pa.float32(), c.float32s, "value"),
    "Float64": Spec(pa.float64(), c.float64s, "value"),
    "UInt16": Spec(pa.uint16(), c.u16s, "value"),
    "UInt32": Spec(pa.uint32(), c.u32s, "value"),
    "UInt64": Spec(pa.uint64(), c.u64s, "value"),
    "ClassId": Spec(pa.uint16(), c.u16s, "id"),
    "KeypointId": Spec(pa.uint16(), c.u16s, "id"),
    "Bool": Spec(pa.bool_(), c.bools, "value"),
    "Utf8": Spec(pa.utf8(), c.utf8s, "value"),
    "EntityPath": Spec(pa.utf8(), c.utf8s, "path"),
    "Mat3x3": Spec(
        _fsl(pa.float32(), 9),
        c.mat3x3s,
        "rows=None, *, columns=None",
        single=_square_matrix(3),
        field="flat_columns",
    ),
    "Mat4x4": Spec(
        _fsl(pa.float32(), 16),
        c.mat4x4s,
        "rows=None, *, columns=None",
        single=_square_matrix(4),
        field="flat_columns",
    ),
    "Plane3D": Spec(
        _fsl(pa.float32(), 4),
        _vectors(4),
        "normal, distance=None",
        single=_plane,
        field="xyzd",
        ext=_Plane3DHelpers,
    ),
    "Range1D": Spec(_fsl(pa.float64(), 2), ct.value_range, "range"),
    "Blob": Spec(c.BLOB, cb.blobs, "data"),
    "Uuid": Spec(cs.UUID, cs.uuids, "bytes"),
    "SphericalHarmonics3Rgb": Spec(cc.SH3_RGB, cc.spherical_harmonics3_rgb, "coefficients"),
    "TensorBuffer": Spec(ct.TENSOR_BUFFER, ct.tensor_buffers, "inner"),
    "VideoTimestamp": Spec(pa.int64(), cb.video_timestamps, "timestamp_ns"),
    "ViewCoordinates": Spec(_fsl(pa.uint8(), 3), c.view_coordinates, "coordinates"),
    # Existing value classes.
    "Quaternion": Spec(_fsl(pa.float32(), 4), c.quaternions, value=Quaternion),
    "Angle": Spec(pa.float32(), c.angles, value=Angle),
    "RotationAxisAngle": Spec(c.ROTATION_AXIS_ANGLE, c.rotation_axis_angles, value=RotationAxisAngle),
    "AnnotationInfo": Spec(ct.ANNOTATION_INFO, ct.annotation_infos, value=AnnotationInfo),
    "KeypointPair": Spec(ct.KEYPOINT_PAIR, ct.keypoint_pairs, value=KeypointPair),
    "ClassDescription": Spec(ct.CLASS_DESCRIPTION, ct.class_descriptions, value=ClassDescription),
    "ClassDescriptionMapElem": Spec(
        ct.CLASS_DESCRIPTION_MAP_ELEM, ct.class_description_map_elems, value=ClassDescriptionMapElem
    ),
    "TensorData": Spec(ct.TENSOR_DATA, ct.tensor_data, value=TensorData),
    "ImageFormat": Spec(c.IMAGE_FORMAT, c.image_formats, value=ImageFormat),
    "Utf8Pair": Spec(cb.UTF8_PAIR, cb.utf8_pairs, value=Utf8Pair),
    "ChannelCountPair": _struct(ChannelCountPair, cs.CHANNEL_COUNT_PAIR),
    "Range2D": _struct(Range2D, cs.RANGE2D),
    "TensorDimensionSelection": _struct(TensorDimensionSelection, cs.TENSOR_DIMENSION_SELECTION),
    "TensorDimensionIndexSelection": _struct(
        TensorDimensionIndexSelection, cs.TENSOR_DIMENSION_INDEX_SELECTION
    ),
    "TimeInt": Spec(pa.int64(), c.int64s, value=TimeInt),
    "TimeRangeBoundary": Spec(cs.TIME_RANGE_BOUNDARY, cs.time_range_boundaries, value=TimeRangeBoundary),
    "TimeRange": Spec(cs.TIME_RANGE, cs.time_ranges, value=TimeRange),
    "VisibleTimeRange": Spec(cs.VISIBLE_TIME_RANGE, cs.visible_time_ranges, value=VisibleTimeRange),
    "AbsoluteTimeRange": Spec(cs.ABSOLUTE_TIME_RANGE, cs.absolute_time_ranges, value=AbsoluteTimeRange),
    "ChannelDatatype": _enum(ChannelDatatype),
    "ColorModel": _enum(ColorModel),
    "PixelFormat": _enum(PixelFormat),
    "ViewDir": _enum(ViewDir),
}


def _of(base: str, **overrides: Any) -> Spec:
    """A component wrapping the encoding `base`: that encoding's row, with `overrides` replaced. Its value
    class derives from the encoding's unless `value` names one."""
    spec = ENCODINGS[base]
    fields = {"value": None, "ext": None, "base": base, "field": _field(spec)} | overrides
    return dataclasses.replace(spec, **fields)


_STRIP2 = pa.list_(pa.field("item", _fsl(pa.float32(), 2), nullable=False))
_STRIP3 = pa.list_(pa.field("item", _fsl(pa.float32(), 3), nullable=False))

# component -> its row; a plain name wraps that encoding unchanged (`_of(name)`).
COMPONENTS: dict[str, str | Spec] = {
    "Color": "Rgba32",
    "AlbedoFactor": "Rgba32",
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
    "TriangleIndices": "UVec3D",
    "LatLon": _of("DVec2D", convert=cb.lat_lons),
    "Scale3D": _of(
        "Vec3D",
        params="uniform_or_per_axis=True",
        single=_scale3d,
        convert=functools.partial(c.vectors, dim=3, noun="scale factors"),
    ),
    "RotationQuat": "Quaternion",
    "RotationAxisAngle": _of("RotationAxisAngle", value=RotationAxisAngle),
    "TransformMat3x3": "Mat3x3",
    "PinholeProjection": "Mat3x3",
    "Plane3D": "Plane3D",
    "Radius": _of("Float32", value=Radius, convert=_radii),
    "DrawOrder": "Float32",
    "Opacity": "Float32",
    "ImagePlaneDistance": "Float32",
    "StrokeWidth": "Float32",
    "MarkerSize": "Float32",
    "Length": "Float32",
    "FillRatio": "Float32",
    "GammaCorrection": "Float32",
    "AxisLength": "Float32",
    "CellSize": "Float32",
    "DepthMeter": "Float32",
    "OpticalDensity": "Float32",
    "VoxelValue": "Float32",
    "Scalar": "Float64",
    "Variance": "Float64",
    "LinearSpeed": "Float64",
    "Count": "UInt64",
    "ChannelId": "UInt16",
    "SchemaId": "UInt16",
    "SphericalHarmonicsDegree": "UInt32",
    "ClassId": "ClassId",
    "KeypointId": "KeypointId",
    "Bool": "Bool",
    "Flag": "Bool",
    "IsKeyframe": "Bool",
    "ShowLabels": "Bool",
    "Visible": "Bool",
    "Interactive": "Bool",
    "ClearIsRecursive": _of("Bool", params="recursive=True"),
    "Text": "Utf8",
    "Name": "Utf8",
    "Url": "Utf8",
    "Unit": "Utf8",
    "GraphNode": "Utf8",
    "TransformFrameId": "Utf8",
    "MediaType": _of("Utf8", value=MediaType),
    "TextLogLevel": _of("Utf8", value=TextLogLevel),
    "EntityPath": "EntityPath",
    "GraphEdge": _of("Utf8Pair", value=GraphEdge),
    "Blob": "Blob",
    "ImageBuffer": "Blob",
    "Thumbnail": "Blob",
    "VideoSample": "Blob",
    "ImageFormat": "ImageFormat",
    "Range1D": "Range1D",
    "ValueRange": "Range1D",
    "SphericalHarmonics3Rgb": "SphericalHarmonics3Rgb",
    "TensorData": "TensorData",
    "TensorDimensionIndexSelection": "TensorDimensionIndexSelection",
    "TensorHeightDimension": "TensorDimensionSelection",
    "TensorWidthDimension": "TensorDimensionSelection",
    "Timestamp": "TimeInt",
    "VideoTimestamp": _of(
        "VideoTimestamp",
        params="*, nanoseconds=None, seconds=None",
        single=_video_timestamp,
        ext=_VideoTimestampConstructors,
    ),
    "ViewCoordinates": _of("ViewCoordinates", ext=_ViewCoordinatesConstants),
    # Components with a type of their own (these, like rerun's, have `XLike`/`XArrayLike` aliases).
    "LineStrip2D": Spec(_STRIP2, functools.partial(c.line_strips, dim=2), "points"),
    "LineStrip3D": Spec(_STRIP3, functools.partial(c.line_strips, dim=3), "points"),
    "GeoLineString": Spec(cb.GEO_LINE_STRING, cb.geo_line_strings, "*, lat_lon"),
    "AnnotationContext": Spec(ct.ANNOTATION_CONTEXT, ct.annotation_context, "class_map"),
    "KeyValuePairs": Spec(cd.KEY_VALUE_PAIRS, cd.key_value_pairs, "pairs", single=_key_value_pairs),
    # rerun-sdk 0.41 cannot serialize this one: its batches from plain data are empty (as the archetype's
    # converter mirrors); a value holds its counts all the same.
    "ChannelMessageCounts": Spec(
        cd.CHANNEL_MESSAGE_COUNTS, cd.channel_message_counts, "counts", single=cs.channel_message_counts_of
    ),
    "AggregationPolicy": _enum(AggregationPolicy),
    "Colormap": _enum(Colormap),
    "EntryKind": _enum(EntryKind),
    "FillMode": _enum(FillMode),
    "GraphType": _enum(GraphType),
    "InterpolationMode": _enum(InterpolationMode),
    "MagnificationFilter": _enum(MagnificationFilter),
    "MarkerShape": _enum(MarkerShape),
    "MeshFaceRendering": _enum(MeshFaceRendering),
    "PointShading": _enum(PointShading),
    "TransformRelation": _enum(TransformRelation),
    "VideoCodec": _enum(VideoCodec, pa.uint32()),
}


# ---- building the classes and aliases -----------------------------------------------------------------


def _make(name: str, spec: Spec, *, component: bool, bases: tuple[type, type] | None) -> tuple[type, type]:
    """The value and batch classes of one row; `bases`: the wrapped encoding's classes, for a component."""
    module, namespace = ("components", "rerun.components") if component else ("encodings", "rerun.encodings")
    batch_ns: dict[str, Any] = {
        "_ARROW_DATATYPE": spec.arrow_type,
        "_CONVERT_FN": staticmethod(spec.convert),
        "__module__": f"rerender.{module}",
        "__doc__": f"A batch of `{namespace}.{name}` values: `{name}Batch(data)`.",
    }
    batch_bases: tuple[type, ...] = (bases[1],) if bases else (BaseBatch,)
    if component:
        batch_bases = (*batch_bases, ComponentBatchMixin)
        batch_ns["_COMPONENT_TYPE"] = f"rerun.components.{name}"
    batch = type(f"{name}Batch", batch_bases, batch_ns)
    if spec.value is not None:
        return spec.value, batch
    value_bases = (
        bases[0] if bases else _Value,
        *((spec.ext,) if spec.ext else ()),
        *((_ComponentValue,) if component else ()),
    )
    value_ns: dict[str, Any] = {"_BATCH": batch, "__module__": batch_ns["__module__"]}
    if spec.params:
        signature = _signature(spec.params)
        value_ns |= {"__signature__": signature, "_FIELD": _field(spec)}
        value_ns["__doc__"] = f"One `{namespace}.{name}`: `{name}{signature}`."
        if spec.single is not None:
            value_ns["_single"] = staticmethod(spec.single)
    else:  # a component of a hand-written encoding: that class, knowing its component type
        value_ns["__doc__"] = f"One `{namespace}.{name}`: a `{value_bases[0].__name__}` of this component."
    return type(name, value_bases, value_ns), batch


def _numeric(arrow_type: pa.DataType) -> bool:
    """Whether values of this type are numbers or (nested) lists of numbers, which numpy arrays give."""
    while pa.types.is_list(arrow_type) or pa.types.is_fixed_size_list(arrow_type):
        arrow_type = arrow_type.value_type
    return (
        pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type) or pa.types.is_boolean(arrow_type)
    )


_PLAIN: tuple[tuple[Callable[[pa.DataType], bool], Any], ...] = (
    (pa.types.is_boolean, bool),
    (pa.types.is_integer, int),
    (pa.types.is_floating, float),
    (pa.types.is_string, str),
    (_numeric, npt.ArrayLike),
)


def _aliases(name: str, value: type, arrow_type: pa.DataType) -> dict[str, Any]:
    """`XLike` (one value: the class, or the plain Python values its converter takes in its place) and
    `XArrayLike` (any number of them)."""
    if issubclass(value, Enum):
        names = tuple(m.name for m in value) + tuple(m.name.lower() for m in value)
        like: Any = Union[value, Literal[names], int]  # noqa: UP007 (built at runtime)
    else:
        # Structs and unions take the class or what its `auto` reads (tuples, dicts): any of those.
        plain = next((python for test, python in _PLAIN if test(arrow_type)), Any)
        like = Union[value, plain]  # noqa: UP007
    array_like = Union[like, Sequence[like], pa.Array]  # noqa: UP007
    if _numeric(arrow_type) and not issubclass(value, Enum):
        array_like = Union[array_like, npt.ArrayLike]  # noqa: UP007
    return {f"{name}Like": like, f"{name}ArrayLike": array_like}


def _build() -> tuple[dict[str, type], dict[str, type], dict[str, Any], dict[str, Any]]:
    encodings: dict[str, type] = {}
    encoding_aliases: dict[str, Any] = {}
    for name, spec in ENCODINGS.items():
        value, batch = _make(name, spec, component=False, bases=None)
        encodings[name], encodings[f"{name}Batch"] = value, batch
        encoding_aliases |= _aliases(name, value, spec.arrow_type)
    components: dict[str, type] = {}
    component_aliases: dict[str, Any] = {}
    for name, entry in COMPONENTS.items():
        spec = _of(entry) if isinstance(entry, str) else entry
        bases = (encodings[spec.base], encodings[f"{spec.base}Batch"]) if spec.base else None
        value, batch = _make(name, spec, component=True, bases=bases)
        components[name], components[f"{name}Batch"] = value, batch
        if not spec.base:  # rerun has aliases only for components that wrap no encoding
            component_aliases |= _aliases(name, value, spec.arrow_type)
    return encodings, components, encoding_aliases, component_aliases


# name -> value or batch class, and name -> typing alias, of `rerender.encodings` and `rerender.components`.
ENCODING_CLASSES, COMPONENT_CLASSES, ENCODING_ALIASES, COMPONENT_ALIASES = _build()
