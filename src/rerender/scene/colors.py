"""Colours: Rerun's packed u32 colours, per-instance colour components, and an entity's default colour."""

from __future__ import annotations

import colorsys
import zlib
from collections.abc import Sequence

import numpy as np

from .components import Components, broadcast


def _linear_to_srgb(x: float) -> float:
    return 12.92 * x if x <= 0.0031308 else 1.055 * x ** (1 / 2.4) - 0.055


def default_color(entity_path: str) -> tuple[int, int, int, int]:
    """The entity's auto color, Rerun's palette with our own stable hash.

    k = zlib.crc32(utf-8 path) mod 65535; HSV(h = frac(k · 0.618033988749895), s = 0.85, v = 0.5) in linear
    RGB (as egui's `Hsva`), encoded to sRGB u8 with alpha 255. Rerun hashes with ahash, so the hue of a given
    path differs from the viewer's, but the palette (and its spread between entities) is the same.
    """
    return default_colors(entity_path, 1)[0]


def default_colors(entity_path: str, count: int) -> list[tuple[int, int, int, int]]:
    """`count` colours for the instances of one entity (its series in a plot, say): the entity's own
    colour first, then the hue turned on by the golden ratio each time, so that neighbours differ
    clearly (hashing "entity[i]" per instance can give two near-equal hues)."""
    k = zlib.crc32(entity_path.encode("utf-8")) % 65535
    out = []
    for i in range(count):
        hue = ((k + i) * 0.618033988749895) % 1.0
        rgb = colorsys.hsv_to_rgb(hue, 0.85, 0.5)
        r, g, b = (round(255 * _linear_to_srgb(c)) for c in rgb)
        out.append((r, g, b, 255))
    return out


def unpack_colors(packed: Sequence[int] | np.ndarray) -> np.ndarray:
    """u32 0xRRGGBBAA values -> (N, 4) uint8 RGBA."""
    c = np.asarray(packed, dtype=np.uint64).reshape(-1).astype(">u4")  # big-endian: bytes R, G, B, A
    return c.view(np.uint8).reshape(-1, 4)


def logged_colors(comps: Components, key: str, n: int) -> np.ndarray | None:
    """A Color component as (n, 4) uint8 RGBA (broadcast to n instances), None when absent or empty."""
    value = comps.get(key)
    if value is None or not len(value.values):
        return None
    return broadcast(unpack_colors(value.to_numpy()), n)


def instance_colors(comps: Components, key: str, n: int, entity_path: str) -> np.ndarray:
    """(n, 4) uint8 RGBA per instance: the logged colours (broadcast), else the entity's default colour."""
    colors = logged_colors(comps, key, n)
    if colors is not None:
        return colors
    return np.tile(np.array(default_color(entity_path), dtype=np.uint8), (n, 1))


def first_color(comps: Components, key: str) -> np.ndarray | None:
    """The first value of a Color component as (4,) uint8 RGBA, None when absent or empty."""
    colors = logged_colors(comps, key, 1)
    return None if colors is None else colors[0]
