"""Image archetypes (Image, EncodedImage, DepthImage) as RGBA pixels, for drawing on a pinhole's image plane,
and a DepthImage's depths, meter and colormap, for its point cloud.

Pure functions of component values. What cannot be shown (chroma-subsampled pixel formats, unknown
encodings) raises ValueError with what was expected, which scene evaluation turns into one warning.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np

from .._turbo import TURBO
from ..lru import LruCache

# ImageFormat enums, as rerun-sdk 0.41 writes them (../shared/docs/rrd-format.md).
_CHANNELS = {1: 1, 2: 3, 3: 4, 4: 3, 5: 4}  # color_model: L, RGB, RGBA, BGR, BGRA
_BGR = (4, 5)
_DTYPES = {
    6: np.uint8, 7: np.int8, 8: np.uint16, 9: np.int16, 10: np.uint32, 11: np.int32,
    12: np.uint64, 13: np.int64, 33: np.float16, 34: np.float32, 35: np.float64,
}  # fmt: skip
_COLORMAP_GRAYSCALE, _COLORMAP_TURBO = 1, 5

# Decoded EncodedImage blobs by (entity, row id): a row id names one logged blob, so a video that shows
# the same snapshot for many frames decodes it once. Results are treated as read-only.
_DECODED: LruCache[tuple, np.ndarray] = LruCache(16)


def _format(comps: Mapping, key: str) -> dict:
    value = comps.get(key)
    if value is None or not len(value.values):
        raise ValueError(f"{key} is missing")
    return value.values[0].as_py()


def _buffer(comps: Mapping, key: str) -> np.ndarray:
    value = comps.get(key)
    if value is None or not len(value.values):
        raise ValueError(f"{key} is missing")
    return np.asarray(value.values[0].values.to_numpy(zero_copy_only=False), dtype=np.uint8)


def _pixels(data: np.ndarray, fmt: dict, channels: int) -> np.ndarray:
    """The buffer as (H, W, channels) of its channel type (native little-endian, as rerun writes it)."""
    if fmt.get("pixel_format") is not None:
        raise ValueError(
            f"pixel_format {fmt['pixel_format']} (YUV/Bayer) is not drawn; expected RGB, RGBA or L images"
        )
    dtype = np.dtype(_DTYPES.get(fmt.get("channel_datatype") or 6, np.uint8)).newbyteorder("<")
    width, height = int(fmt["width"]), int(fmt["height"])
    expected = width * height * channels * dtype.itemsize
    if data.size != expected:
        raise ValueError(f"buffer has {data.size} bytes, expected {expected} for {width}x{height}x{channels}")
    return data.view(dtype).reshape(height, width, channels)


def _to_rgba(pixels: np.ndarray, bgr: bool, opacity: float) -> np.ndarray:
    """(H, W, 1|3|4) of any channel type -> (H, W, 4) uint8; floats are 0..1, wider ints scale down."""
    if pixels.dtype == np.uint8:
        values = pixels
    elif np.issubdtype(pixels.dtype, np.floating):
        values = np.round(np.clip(np.nan_to_num(pixels.astype(np.float64)), 0, 1) * 255).astype(np.uint8)
    else:
        info = np.iinfo(pixels.dtype)
        scaled = (pixels.astype(np.float64) - max(info.min, 0)) / (info.max - max(info.min, 0))
        values = np.round(np.clip(scaled, 0, 1) * 255).astype(np.uint8)
    if values.shape[2] == 1:
        values = np.repeat(values, 3, axis=2)
    if bgr:
        values = values[..., [2, 1, 0, *([3] if values.shape[2] == 4 else [])]]
    if values.shape[2] == 3:
        values = np.concatenate([values, np.full((*values.shape[:2], 1), 255, np.uint8)], axis=2)
    out = np.ascontiguousarray(values)
    if opacity < 1.0:
        out[..., 3] = np.round(out[..., 3] * max(opacity, 0.0)).astype(np.uint8)
    return out


def _opacity(comps: Mapping, key: str) -> float:
    value = comps.get(key)
    if value is None or not len(value.values):
        return 1.0
    opacity = value.values[0].as_py()
    return float(opacity) if opacity is not None and np.isfinite(opacity) else 1.0


def image_rgba(comps: Mapping) -> np.ndarray:
    """An Image's pixels as (H, W, 4) uint8 RGBA, its opacity in alpha."""
    fmt = _format(comps, "Image:format")
    model = fmt.get("color_model") or 2
    channels = _CHANNELS.get(model)
    if channels is None:
        raise ValueError(f"color_model {model} is not one of L, RGB, RGBA, BGR, BGRA")
    pixels = _pixels(_buffer(comps, "Image:buffer"), fmt, channels)
    return _to_rgba(pixels, model in _BGR, _opacity(comps, "Image:opacity"))


def encoded_image_rgba(path: str, comps: Mapping) -> np.ndarray:
    """An EncodedImage (PNG, JPEG, ...) decoded to (H, W, 4) uint8 RGBA, its opacity in alpha."""
    blob = comps.get("EncodedImage:blob")
    if blob is None or not len(blob.values):
        raise ValueError("EncodedImage:blob is missing")
    key = (path, blob.row_id)
    pixels = _DECODED.get(key)
    if pixels is None:
        import imageio.v3 as iio

        data = _buffer(comps, "EncodedImage:blob").tobytes()
        try:
            # Pillow reads what Rerun's EncodedImage holds (PNG, JPEG, ...); left to itself, imageio would
            # try every plugin it has on bytes that are not an image.
            pixels = np.asarray(iio.imread(io.BytesIO(data), plugin="pillow"))
        except Exception as e:  # imageio raises many kinds for data it cannot read
            raise ValueError(f"cannot decode the image blob ({type(e).__name__}: {e})") from None
        if pixels.ndim == 2:
            pixels = pixels[..., None]
        _DECODED.put(key, pixels)
    return _to_rgba(pixels, False, _opacity(comps, "EncodedImage:opacity"))


def depth_values(comps: Mapping) -> tuple[np.ndarray, float]:
    """A DepthImage's raw values as (H, W) float64, and its meter (raw units per world unit).

    The meter defaults as Rerun's fallback does: 1.0 for float images, 1000 (millimetres) for integers.
    """
    fmt = _format(comps, "DepthImage:format")
    raw = _pixels(_buffer(comps, "DepthImage:buffer"), fmt, 1)[..., 0]
    meter = comps.get("DepthImage:meter")
    value = meter.values[0].as_py() if meter is not None and len(meter.values) else None
    if value is None or not np.isfinite(value) or value == 0:
        value = 1.0 if np.issubdtype(raw.dtype, np.floating) else 1000.0
    return raw.astype(np.float64), float(value)


def depth_range(comps: Mapping, depth: np.ndarray) -> tuple[float, float]:
    """The raw value range the colormap spans: `depth_range` if logged, else Rerun's default for depth
    images, 0 to the largest finite value (`default_range_for_depth_images`)."""
    span = comps.get("DepthImage:depth_range")
    if span is not None and len(span.values) and span.values[0].as_py() is not None:
        lo, hi = (float(v) for v in span.values[0].as_py())
        return lo, hi
    finite = depth[np.isfinite(depth)]
    return 0.0, float(finite.max()) if finite.size else 1.0


def depth_colors(comps: Mapping, t: np.ndarray) -> np.ndarray:
    """sRGB uint8 colours (..., 3) of normalised depths `t` (clamped to 0..1) by the DepthImage's colormap:
    Grayscale, else Turbo (Rerun's default for depth; other colormaps are drawn with it too)."""
    t = np.clip(np.nan_to_num(t), 0, 1)
    colormap = comps.get("DepthImage:colormap")
    logged = colormap is not None and len(colormap.values) and colormap.values[0].as_py() is not None
    kind = int(colormap.values[0].as_py()) if logged else _COLORMAP_TURBO
    if kind == _COLORMAP_GRAYSCALE:
        return np.repeat(np.round(t * 255).astype(np.uint8)[..., None], 3, axis=-1)
    return np.round(TURBO[np.round(t * (len(TURBO) - 1)).astype(np.int64)] * 255).astype(np.uint8)


def depth_image_rgba(comps: Mapping) -> np.ndarray:
    """A DepthImage colour-mapped over its depth range (default: 0 to its largest depth), as RGBA.

    (What a 2D view shows; in 3D, under a Pinhole, Rerun draws a depth image as a point cloud instead.)
    """
    depth, _ = depth_values(comps)
    valid = np.isfinite(depth) & (depth > 0)  # zero means "no depth", as in Rerun
    lo, hi = depth_range(comps, np.where(valid, depth, np.nan))
    rgb = depth_colors(comps, (depth - lo) / ((hi - lo) or 1.0))
    rgba = np.concatenate([rgb, np.where(valid, 255, 0).astype(np.uint8)[..., None]], axis=2)
    return np.ascontiguousarray(rgba)
