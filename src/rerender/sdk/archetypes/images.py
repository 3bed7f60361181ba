"""Images: raw `Image`, compressed `EncodedImage`, `DepthImage` and `SegmentationImage`."""

from __future__ import annotations

import pathlib
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from .. import components as c
from ..batch import Archetype, Field
from ..datatypes import MediaType
from ..enums import ChannelDatatype, Colormap, ColorModel, MagnificationFilter, PixelFormat

_DATATYPE_BY_NUMPY: dict[type[np.generic], ChannelDatatype] = {
    np.uint8: ChannelDatatype.U8,
    np.uint16: ChannelDatatype.U16,
    np.uint32: ChannelDatatype.U32,
    np.uint64: ChannelDatatype.U64,
    np.int8: ChannelDatatype.I8,
    np.int16: ChannelDatatype.I16,
    np.int32: ChannelDatatype.I32,
    np.int64: ChannelDatatype.I64,
    np.float16: ChannelDatatype.F16,
    np.float32: ChannelDatatype.F32,
    np.float64: ChannelDatatype.F64,
}

# Channels per pixel for the color models users may name (rerun-sdk's table, lower-cased names).
_CHANNELS_BY_MODEL = {"a": 1, "l": 1, "la": 1, "bgr": 3, "rgb": 3, "yuv": 3, "bgra": 4, "rgba": 4}


def channel_datatype_of(dtype: np.dtype[Any]) -> ChannelDatatype | None:
    """The channel datatype of a numpy dtype, or None when images of that dtype are not supported."""
    return _DATATYPE_BY_NUMPY.get(dtype.type)


def to_numpy(image: Any) -> npt.NDArray[Any]:
    """An ndarray from a numpy array, a PIL image or a tensor (via `.numpy()` or `__array__`)."""
    if isinstance(image, np.ndarray):
        return image
    numpy_method = getattr(image, "numpy", None)
    if callable(numpy_method):
        try:
            return numpy_method(force=True)  # torch: also detaches and moves to the CPU
        except TypeError:
            return numpy_method()
    return np.asarray(image)


def _squeezed_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Drop leading and trailing unit dimensions while more than two remain (1x480x640x3x1 -> 480x640x3)."""
    while len(shape) > 2 and shape[0] == 1:
        shape = shape[1:]
    while len(shape) > 2 and shape[-1] == 1:
        shape = shape[:-1]
    return shape


def pixel_bytes(pixels: npt.NDArray[Any]) -> npt.NDArray[np.uint8]:
    """The C-order bytes of an array (as `ndarray.tobytes()`) as a flat u8 view, copied only if needed."""
    return np.ascontiguousarray(pixels).reshape(-1).view(np.uint8)


def image_buffers(value: Any) -> pa.Array:
    """One image buffer (bytes, a file object, or an array whose raw bytes are the pixels); `[]`: none."""
    if isinstance(value, pa.Array) and value.type == c.BLOB:
        return value
    if isinstance(value, (list, tuple)) and len(value) == 0:
        return pa.array([], type=c.BLOB)
    if isinstance(value, np.ndarray) and value.dtype != np.uint8:
        return c.single_blob(pixel_bytes(value))
    return c.blob(value)


def blob(value: Any) -> pa.Array:
    """One blob (bytes, a file object or a u8 array), as `c.blob`; `[]`: none."""
    if isinstance(value, (list, tuple)) and len(value) == 0:
        return pa.array([], type=c.BLOB)
    return c.blob(value)


class Image(Archetype):
    """A raw image: an HxW / HxWx3 / HxWx4 array, or bytes with a pixel format or color model + datatype."""

    _FIELDS = (
        Field("buffer", "ImageBuffer", image_buffers),
        Field("format", "ImageFormat", c.image_formats),
        Field("opacity", "Opacity", c.float32s),
        Field("draw_order", "DrawOrder", c.float32s),
        Field("magnification_filter", "MagnificationFilter", c.enums, MagnificationFilter),
    )

    def __init__(
        self,
        image: Any = None,
        color_model: ColorModel | str | int | None = None,
        *,
        pixel_format: PixelFormat | str | int | None = None,
        datatype: ChannelDatatype | str | int | type | None = None,
        bytes: Any = None,
        width: int | None = None,
        height: int | None = None,
        opacity: Any = None,
        draw_order: Any = None,
        magnification_filter: MagnificationFilter | str | int | None = None,
    ) -> None:
        super().__init__()
        if bytes is not None:
            self._from_bytes(bytes, color_model, pixel_format, datatype, width, height)
        elif image is None:
            self._fail("image", "is missing; expected an image array or bytes=")
        else:
            self._from_array(image, color_model, width, height)
        self._set_field("opacity", opacity)
        self._set_field("draw_order", draw_order)
        self._set_field("magnification_filter", magnification_filter)

    def _from_bytes(
        self, data: Any, color_model: Any, pixel_format: Any, datatype: Any, width: Any, height: Any
    ) -> None:
        """An image from raw bytes described by a pixel format, or by a color model and a datatype."""
        if isinstance(data, np.ndarray):
            data = data.tobytes()
        if width is None or height is None:
            self._fail("bytes", "was given without width and height; expected both")
        if pixel_format is not None:
            if datatype is not None or color_model is not None:
                self._fail("pixel_format", "was given with datatype or color_model; expected only one way")
            fmt = c.image_format(
                width, height, pixel_format=self._enum("pixel_format", PixelFormat, pixel_format)
            )
        else:
            if datatype is None or color_model is None:
                self._fail("bytes", "needs pixel_format, or both color_model and datatype")
            if isinstance(datatype, type) and issubclass(datatype, np.generic):
                datatype = channel_datatype_of(np.dtype(datatype)) or datatype
            elif isinstance(datatype, np.dtype):
                datatype = channel_datatype_of(datatype) or datatype
            fmt = c.image_format(
                width,
                height,
                color_model=self._enum("color_model", ColorModel, color_model),
                channel_datatype=self._enum("datatype", ChannelDatatype, datatype),
            )
        self._set_field("buffer", data, argument="bytes")
        self._arrays["format"] = fmt

    def _from_array(self, image: Any, color_model: Any, width: Any, height: Any) -> None:
        """An image from an array; the color model defaults from the channel count."""
        pixels = to_numpy(image)
        shape = _squeezed_shape(pixels.shape)
        if len(shape) == 2:
            (rows, cols), channels = shape, 1
        elif len(shape) == 3:
            rows, cols, channels = shape
        else:
            self._fail(
                "image", f"has shape {pixels.shape}; expected (height, width) or (height, width, channels)"
            )
        if width is not None and width != cols:
            self._fail("width", f"is {width} but the image is {cols} pixels wide")
        if height is not None and height != rows:
            self._fail("height", f"is {height} but the image is {rows} pixels high")
        if color_model is None:
            default = {1: ColorModel.L, 3: ColorModel.RGB, 4: ColorModel.RGBA}.get(channels)
            if default is None:
                self._fail("image", f"has {channels} channels (shape {pixels.shape}); expected 1, 3 or 4")
            model = default
        else:
            model = self._enum("color_model", ColorModel, color_model)
            expected = _CHANNELS_BY_MODEL[model.name.lower()]
            if channels != expected:
                self._fail(
                    "image", f"has {channels} channels; expected {expected} for color model {model.name}"
                )
        datatype = channel_datatype_of(pixels.dtype)
        if datatype is None:
            self._fail("image", f"has dtype {pixels.dtype}; expected an integer or float dtype")
        self._arrays["buffer"] = c.single_blob(pixel_bytes(pixels))
        self._arrays["format"] = c.image_format(cols, rows, color_model=model, channel_datatype=datatype)

    def _enum(self, argument: str, enum: Any, value: Any) -> Any:
        """`enum.auto(value)`, or an ArchetypeError naming `argument`."""
        try:
            return enum.auto(value)
        except ValueError as err:
            self._fail(argument, f"is not valid: {err}")


class EncodedImage(Archetype):
    """A compressed image (PNG, JPEG, ...) from bytes or a path; a path's extension gives the media type."""

    _FIELDS = (
        Field("blob", "Blob", blob),
        Field("media_type", "MediaType", c.utf8s),
        Field("opacity", "Opacity", c.float32s),
        Field("draw_order", "DrawOrder", c.float32s),
        Field("magnification_filter", "MagnificationFilter", c.enums, MagnificationFilter),
    )

    def __init__(
        self,
        *,
        path: str | pathlib.Path | None = None,
        contents: Any = None,
        media_type: str | None = None,
        opacity: Any = None,
        draw_order: Any = None,
        magnification_filter: MagnificationFilter | str | int | None = None,
    ) -> None:
        super().__init__()
        if (path is None) == (contents is None):
            self._fail("path", "and contents were both given or both missing; expected exactly one of them")
        if path is None:
            if media_type is None:
                self._fail("media_type", "is missing; expected it when contents= is given (e.g. 'image/png')")
        else:
            try:
                contents = pathlib.Path(path).read_bytes()
            except OSError as err:
                self._fail("path", f"could not be read: {err}")
            if media_type is None:
                media_type = MediaType.guess_from_path(path)
        self._set_field("blob", contents, argument="contents")
        self._set_field("media_type", media_type)
        self._set_field("opacity", opacity)
        self._set_field("draw_order", draw_order)
        self._set_field("magnification_filter", magnification_filter)


class DepthImage(Archetype):
    """A depth image (HxW array) with optional meter scale, colormap, depth range and point fill ratio."""

    _FIELDS = (
        Field("buffer", "ImageBuffer", image_buffers),
        Field("format", "ImageFormat", c.image_formats),
        Field("meter", "DepthMeter", c.float32s),
        Field("colormap", "Colormap", c.enums, Colormap),
        Field("depth_range", "ValueRange", c.vectors, 2, noun="[min, max] ranges", dtype=np.float64),
        Field("point_fill_ratio", "FillRatio", c.float32s),
        Field("draw_order", "DrawOrder", c.float32s),
        Field("magnification_filter", "MagnificationFilter", c.enums, MagnificationFilter),
    )

    def __init__(
        self,
        image: Any,
        *,
        meter: Any = None,
        colormap: Colormap | str | int | None = None,
        depth_range: Any = None,
        point_fill_ratio: Any = None,
        draw_order: Any = None,
        magnification_filter: MagnificationFilter | str | int | None = None,
    ) -> None:
        super().__init__()
        pixels = to_numpy(image)
        shape = _squeezed_shape(pixels.shape)
        if len(shape) != 2:
            self._fail("image", f"has shape {pixels.shape}; expected (height, width)")
        datatype = channel_datatype_of(pixels.dtype)
        if datatype is None:
            self._fail("image", f"has dtype {pixels.dtype}; expected an integer or float dtype")
        if isinstance(depth_range, slice):
            depth_range = [depth_range.start, depth_range.stop]
        self._arrays["buffer"] = c.single_blob(pixel_bytes(pixels))
        self._arrays["format"] = c.image_format(shape[1], shape[0], channel_datatype=datatype)
        self._set_field("meter", meter)
        self._set_field("colormap", colormap)
        self._set_field("depth_range", depth_range)
        self._set_field("point_fill_ratio", point_fill_ratio)
        self._set_field("draw_order", draw_order)
        self._set_field("magnification_filter", magnification_filter)


class SegmentationImage(Archetype):
    """An image of class ids (HxW, any integer or float dtype), colored by the annotation context."""

    _FIELDS = (
        Field("buffer", "ImageBuffer", image_buffers),
        Field("format", "ImageFormat", c.image_formats),
        Field("opacity", "Opacity", c.float32s),
        Field("draw_order", "DrawOrder", c.float32s),
    )

    def __init__(self, image: Any, *, opacity: Any = None, draw_order: Any = None) -> None:
        super().__init__()
        pixels = to_numpy(image)
        shape = pixels.shape
        # Leading and trailing unit dimensions are ignored while more than two remain.
        while len(shape) > 2 and shape[0] == 1:
            shape = shape[1:]
        while len(shape) > 2 and shape[-1] == 1:
            shape = shape[:-1]
        if len(shape) != 2:
            self._fail("image", f"has shape {pixels.shape}; expected (height, width)")
        datatype = channel_datatype_of(pixels.dtype)
        if datatype is None:
            self._fail("image", f"has dtype {pixels.dtype}; expected an integer or float dtype")
        self._arrays["buffer"] = c.single_blob(pixel_bytes(pixels))
        self._arrays["format"] = c.image_format(shape[1], shape[0], channel_datatype=datatype)
        self._set_field("opacity", opacity)
        self._set_field("draw_order", draw_order)
