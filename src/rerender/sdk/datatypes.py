"""Value types users construct and pass to archetypes: rotations, text log levels, media types, and the
struct-valued encodings (`Range2D`, `ImageFormat`, ...)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt

from .enums import AutoEnum, ChannelDatatype, ColorModel, PixelFormat

__all__ = [
    "Angle",
    "AnnotationInfo",
    "ChannelCountPair",
    "ClassDescription",
    "ClassDescriptionMapElem",
    "GraphEdge",
    "ImageFormat",
    "KeypointPair",
    "MediaType",
    "Quaternion",
    "Radius",
    "Range2D",
    "RotationAxisAngle",
    "StructValue",
    "TensorData",
    "TensorDimensionIndexSelection",
    "TensorDimensionSelection",
    "TextLogLevel",
    "Utf8Pair",
]


class StructValue:
    """Base of the struct-valued encodings: `auto` builds one from what rerun-sdk's batches take instead."""

    @classmethod
    def auto(cls, value: Any) -> Self:
        """The value itself, or one built from a dict of its fields, a tuple/list/array of them (in
        constructor order) or, for anything else, its first field alone."""
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            return cls(**value)
        if isinstance(value, tuple | list | np.ndarray):
            return cls(*value)
        return cls(value)


class Angle:
    """An angle, stored in radians; give either `rad` or `deg`."""

    def __init__(self, rad: float | None = None, deg: float | None = None) -> None:
        if rad is not None:
            self.radians = float(rad)
        elif deg is not None:
            self.radians = math.radians(deg)
        else:
            raise ValueError("Angle needs either `rad` or `deg`")

    def __repr__(self) -> str:
        return f"Angle(rad={self.radians})"


class RotationAxisAngle:
    """A rotation by an angle around an axis (the axis need not be normalized)."""

    def __init__(
        self,
        axis: npt.ArrayLike,
        angle: Angle | float | None = None,
        *,
        radians: float | None = None,
        degrees: float | None = None,
    ) -> None:
        if sum(x is not None for x in (angle, radians, degrees)) != 1:
            raise ValueError("RotationAxisAngle: give exactly one of angle, radians or degrees")
        self.axis = np.asarray(axis, dtype=np.float32).reshape(-1)
        if self.axis.shape != (3,):
            raise ValueError(f"RotationAxisAngle: axis must have 3 elements; got shape {self.axis.shape}")
        if radians is not None:
            self.angle = Angle(rad=radians)
        elif degrees is not None:
            self.angle = Angle(deg=degrees)
        else:
            # A bare number means radians, as in rerun-sdk.
            self.angle = angle if isinstance(angle, Angle) else Angle(rad=float(angle))  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"RotationAxisAngle(axis={self.axis.tolist()}, radians={self.angle.radians})"


class Quaternion:
    """A rotation quaternion in x, y, z, w order."""

    def __init__(self, *, xyzw: npt.ArrayLike) -> None:
        self.xyzw = np.asarray(xyzw, dtype=np.float32).reshape(-1)
        if self.xyzw.shape != (4,):
            raise ValueError(f"Quaternion: xyzw must have 4 elements; got shape {self.xyzw.shape}")

    @staticmethod
    def identity() -> Quaternion:
        """The rotation that does nothing."""
        return Quaternion(xyzw=[0, 0, 0, 1])

    @staticmethod
    def invalid() -> Quaternion:
        """The all-zero quaternion, which the viewer treats as "hide this instance"."""
        return Quaternion(xyzw=[0, 0, 0, 0])

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> npt.NDArray[Any]:
        # Lets lists of quaternions go through np.asarray like any other nested sequence.
        return np.asarray(self.xyzw, dtype=dtype)

    def __repr__(self) -> str:
        return f"Quaternion(xyzw={self.xyzw.tolist()})"


class Radius:
    """The radius of a point or line: positive in scene units, negative in UI points (pixels at 100% UI).

    Archetypes take plain numbers for radii; `Radius(r)` and lists of them work too.
    """

    def __init__(self, value: float) -> None:
        self.value = np.float32(value)

    @staticmethod
    def ui_points(radii: float | npt.ArrayLike) -> Any:
        """Radii in UI points: the same magnitudes as 32-bit floats, made negative (which is how UI
        points are told apart from scene units). A number gives a numpy scalar, a list an array."""
        return -np.abs(np.array(radii, dtype=np.float32))

    def __float__(self) -> float:
        return float(self.value)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> npt.NDArray[Any]:
        return np.asarray(self.value, dtype=dtype)

    def __repr__(self) -> str:
        return f"Radius(value={float(self.value)})"


class TextLogLevel(str):
    """The severity of a `TextLog` entry; any string works, these are the conventional ones."""

    CRITICAL: ClassVar[TextLogLevel]
    ERROR: ClassVar[TextLogLevel]
    WARN: ClassVar[TextLogLevel]
    INFO: ClassVar[TextLogLevel]
    DEBUG: ClassVar[TextLogLevel]
    TRACE: ClassVar[TextLogLevel]


for _level in ("CRITICAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"):
    setattr(TextLogLevel, _level, TextLogLevel(_level))


class MediaType(str):
    """An IANA media type such as `image/png`; the constants are the ones rerun knows."""

    TEXT: ClassVar[MediaType]
    MARKDOWN: ClassVar[MediaType]
    JPEG: ClassVar[MediaType]
    PNG: ClassVar[MediaType]
    RVL: ClassVar[MediaType]
    GLB: ClassVar[MediaType]
    GLTF: ClassVar[MediaType]
    OBJ: ClassVar[MediaType]
    PLY: ClassVar[MediaType]
    STL: ClassVar[MediaType]
    MP4: ClassVar[MediaType]
    AAC: ClassVar[MediaType]
    FLAC: ClassVar[MediaType]
    M4A: ClassVar[MediaType]
    MP3: ClassVar[MediaType]
    OGG: ClassVar[MediaType]
    WAV: ClassVar[MediaType]

    @staticmethod
    def guess_from_path(path: str | Path) -> MediaType | None:
        """The media type implied by a file extension, or None when it is not one rerun knows."""
        return _MEDIA_TYPE_BY_EXTENSION.get(Path(path).suffix.lower())


_MEDIA_TYPES = {
    "TEXT": "text/plain",
    "MARKDOWN": "text/markdown",
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "RVL": "application/rvl",
    "GLB": "model/gltf-binary",
    "GLTF": "model/gltf+json",
    "OBJ": "model/obj",
    "PLY": "application/x-ply",
    "STL": "model/stl",
    "MP4": "video/mp4",
    "AAC": "audio/aac",
    "FLAC": "audio/flac",
    "M4A": "audio/mp4",
    "MP3": "audio/mpeg",
    "OGG": "audio/ogg",
    "WAV": "audio/wav",
}
for _name, _value in _MEDIA_TYPES.items():
    setattr(MediaType, _name, MediaType(_value))

_MEDIA_TYPE_BY_EXTENSION: dict[str, MediaType] = {
    ".jpg": MediaType.JPEG,
    ".jpeg": MediaType.JPEG,
    ".png": MediaType.PNG,
    ".glb": MediaType.GLB,
    ".gltf": MediaType.GLTF,
    ".obj": MediaType.OBJ,
    ".ply": MediaType.PLY,
    ".stl": MediaType.STL,
    ".mp4": MediaType.MP4,
    ".aac": MediaType.AAC,
    ".flac": MediaType.FLAC,
    ".m4a": MediaType.M4A,
    ".mp3": MediaType.MP3,
    ".oga": MediaType.OGG,
    ".ogg": MediaType.OGG,
    ".opus": MediaType.OGG,
    ".wav": MediaType.WAV,
}


# --- annotation contexts and tensors ---


class AnnotationInfo:
    """The label and color of a class id or keypoint id (either may be left out)."""

    def __init__(self, id: int, label: str | None = None, color: Any = None) -> None:
        self.id = int(id)
        # rerun-sdk passes any label through `str` and keeps colors until conversion.
        self.label = None if label is None else str(label)
        self.color = color

    @staticmethod
    def auto(value: Any) -> AnnotationInfo:
        """An `AnnotationInfo` from itself, an id, or an `(id, label[, color])` tuple (as rerun-sdk)."""
        if isinstance(value, AnnotationInfo):
            return value
        if isinstance(value, int):
            return AnnotationInfo(id=value)
        return AnnotationInfo(*value)

    def __repr__(self) -> str:
        return f"AnnotationInfo(id={self.id}, label={self.label!r}, color={self.color!r})"


class KeypointPair:
    """A connection between two keypoint ids, drawn as a line between the keypoints."""

    def __init__(self, keypoint0: int, keypoint1: int) -> None:
        self.keypoint0 = keypoint0
        self.keypoint1 = keypoint1

    @staticmethod
    def auto(value: Any) -> KeypointPair:
        """A `KeypointPair` from itself or a pair of ids."""
        return value if isinstance(value, KeypointPair) else KeypointPair(*value)

    def __repr__(self) -> str:
        return f"KeypointPair({self.keypoint0}, {self.keypoint1})"


class ClassDescription:
    """A class (its `AnnotationInfo`) with optional keypoint annotations and keypoint connections."""

    def __init__(
        self,
        *,
        info: Any,
        keypoint_annotations: Sequence[Any] | None = (),
        keypoint_connections: Sequence[Any] | None = (),
    ) -> None:
        self.info = AnnotationInfo.auto(info)
        self.keypoint_annotations = [AnnotationInfo.auto(item) for item in keypoint_annotations or ()]
        self.keypoint_connections = [KeypointPair.auto(item) for item in keypoint_connections or ()]

    @staticmethod
    def auto(value: Any) -> ClassDescription:
        """A `ClassDescription` from itself or anything `AnnotationInfo.auto` takes."""
        return value if isinstance(value, ClassDescription) else ClassDescription(info=value)

    def as_component_batches(self) -> list[Any]:
        """Log a single class description as an annotation context (as rerun-sdk allows)."""
        from .archetypes.annotations import AnnotationContext

        return AnnotationContext(self).as_component_batches()

    def __repr__(self) -> str:
        return (
            f"ClassDescription(info={self.info!r}, keypoint_annotations={self.keypoint_annotations!r}, "
            f"keypoint_connections={self.keypoint_connections!r})"
        )


class ClassDescriptionMapElem:
    """One entry of an annotation context: a class id and its description (whose own id may differ)."""

    def __init__(self, class_id: int, class_description: Any) -> None:
        self.class_id = int(class_id)
        self.class_description = ClassDescription.auto(class_description)

    @staticmethod
    def auto(value: Any) -> ClassDescriptionMapElem:
        """An entry from itself or anything `ClassDescription.auto` takes (keyed by its info's id)."""
        if isinstance(value, ClassDescriptionMapElem):
            return value
        description = ClassDescription.auto(value)
        return ClassDescriptionMapElem(description.info.id, description)

    def __repr__(self) -> str:
        return f"ClassDescriptionMapElem({self.class_id}, {self.class_description!r})"


def _to_numpy(value: Any) -> npt.NDArray[Any]:
    """An ndarray from a numpy array, a tensor (via `.numpy(force=True)`) or anything array-like."""
    if isinstance(value, np.ndarray):
        return value
    numpy_method = getattr(value, "numpy", None)
    if callable(numpy_method):
        try:
            return np.asarray(numpy_method(force=True))
        except TypeError:
            return np.asarray(numpy_method())
    return np.asarray(value)


class TensorData:
    """An N-dimensional array of numbers: a shape, a flat buffer and optional dimension names.

    Give either `array` (the shape is taken from it) or `buffer` with `shape`.
    """

    def __init__(
        self,
        *,
        shape: Sequence[int] | None = None,
        buffer: Any = None,
        array: Any = None,
        dim_names: Sequence[str] | None = None,
    ) -> None:
        if array is None and buffer is None:
            raise ValueError("TensorData: give one of array or buffer")
        if array is not None and buffer is not None:
            raise ValueError("TensorData: give only one of array or buffer")
        if buffer is not None and shape is None:
            raise ValueError("TensorData: buffer was given without shape; expected both")
        from .recording import is_strict_mode, warn_once

        if array is not None:
            array = _to_numpy(array)
            if shape is not None and len(shape) and tuple(int(d) for d in shape) != array.shape:
                message = (
                    f"TensorData: the array's shape {array.shape} does not match shape={tuple(shape)}; "
                    "the shape argument is ignored"
                )
                if is_strict_mode():
                    raise ValueError(message)
                warn_once(message, message)
            shape = array.shape
            flat = array.flatten()
        else:
            flat = np.asarray(buffer).flatten()
        self.shape = np.asarray(list(shape), dtype=np.uint64)  # type: ignore[arg-type]
        self.buffer = flat
        self.names: list[str] | None = None
        if dim_names:
            if len(dim_names) == len(self.shape):
                self.names = list(dim_names)
            else:
                message = (
                    f"TensorData: {len(dim_names)} dim_names for {len(self.shape)} dimensions; "
                    "the names are ignored"
                )
                if is_strict_mode():
                    raise ValueError(message)
                warn_once(message, message)
        expected = math.prod(int(d) for d in self.shape)
        if len(flat) != expected:
            raise ValueError(
                f"TensorData: the buffer has {len(flat)} values "
                f"but shape {self.shape.tolist()} needs {expected}"
            )

    def numpy(self, force: bool = False) -> npt.NDArray[Any]:
        """The tensor as a numpy array of its shape."""
        return self.buffer.reshape([int(d) for d in self.shape])

    def __repr__(self) -> str:
        return f"TensorData(shape={self.shape.tolist()}, dtype={self.buffer.dtype}, names={self.names})"


# --- graphs ---


class GraphEdge:
    """An edge between two graph nodes, given by their ids (`first` -> `second` when directed)."""

    def __init__(self, first: Any, second: Any) -> None:
        self.first = str(first)
        self.second = str(second)

    def __iter__(self) -> Any:
        return iter((self.first, self.second))

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> str:
        return (self.first, self.second)[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GraphEdge) and (self.first, self.second) == (other.first, other.second)

    def __hash__(self) -> int:
        return hash((self.first, self.second))

    def __repr__(self) -> str:
        return f"GraphEdge(first={self.first!r}, second={self.second!r})"


# --- small structs ---


def _enum_or_none(enum: type[AutoEnum], value: Any) -> Any:
    return None if value is None else enum.auto(value)


@dataclass(init=False)
class ImageFormat(StructValue):
    """The size and pixel layout of a raw image: a pixel format, or a color model and channel datatype."""

    width: int
    height: int
    pixel_format: PixelFormat | None
    color_model: ColorModel | None
    channel_datatype: ChannelDatatype | None

    def __init__(
        self,
        width: int,
        height: int,
        *,
        pixel_format: PixelFormat | str | int | None = None,
        color_model: ColorModel | str | int | None = None,
        channel_datatype: ChannelDatatype | str | int | None = None,
    ) -> None:
        self.width = int(width)
        self.height = int(height)
        self.pixel_format = _enum_or_none(PixelFormat, pixel_format)
        self.color_model = _enum_or_none(ColorModel, color_model)
        self.channel_datatype = _enum_or_none(ChannelDatatype, channel_datatype)


@dataclass(init=False)
class Range2D(StructValue):
    """An axis-aligned 2D box as its x and y ranges, each `[min, max]`."""

    x_range: list[float]
    y_range: list[float]

    def __init__(self, x_range: npt.ArrayLike, y_range: npt.ArrayLike) -> None:
        self.x_range = [float(x) for x in np.asarray(x_range).reshape(-1)]
        self.y_range = [float(y) for y in np.asarray(y_range).reshape(-1)]


@dataclass(init=False)
class TensorDimensionSelection(StructValue):
    """One dimension of a tensor (e.g. the one shown as image width), optionally flipped."""

    dimension: int
    invert: bool

    def __init__(self, dimension: int, *, invert: bool = False) -> None:
        self.dimension = int(dimension)
        self.invert = bool(invert)


@dataclass(init=False)
class TensorDimensionIndexSelection(StructValue):
    """One index along one dimension of a tensor (the slice a tensor view shows)."""

    dimension: int
    index: int

    def __init__(self, dimension: int, index: int) -> None:
        self.dimension = int(dimension)
        self.index = int(index)


@dataclass(init=False)
class ChannelCountPair(StructValue):
    """How many messages one MCAP channel has."""

    channel_id: int
    message_count: int

    def __init__(self, channel_id: int, message_count: int) -> None:
        self.channel_id = int(channel_id)
        self.message_count = int(message_count)


@dataclass(init=False)
class Utf8Pair(StructValue):
    """Two strings (a key and its value, or the two ends of a graph edge)."""

    first: str
    second: str

    def __init__(self, first: Any, second: Any) -> None:
        # rerun-sdk passes both through `str`, as it does for any Utf8.
        self.first = str(first)
        self.second = str(second)
