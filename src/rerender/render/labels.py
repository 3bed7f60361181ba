"""Labels drawn over a rendered frame with Pillow: Rerun shows them as UI text that geometry never hides,
in a box of the instance's colour just above its anchor."""

from __future__ import annotations

import functools

import numpy as np

from ..camera.framing import CameraPose
from ..scene.visuals import LabelsVisual

FONT_PIXELS = 14  # at REFERENCE_HEIGHT output rows, scaled with the height (never under 10)
GAP_PIXELS = 6  # between the anchor and the box's bottom edge
PADDING_PIXELS = 3


@functools.lru_cache(maxsize=8)
def _font(size: int):
    from PIL import ImageFont

    return ImageFont.load_default(size=size)  # Pillow's bundled scalable font: nothing to install


def project(points: np.ndarray, camera: CameraPose, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel positions (N, 2) of world points, and whether each is in front of the camera."""
    view = np.linalg.inv(camera.matrix())
    homogeneous = np.concatenate([np.asarray(points, dtype=np.float64), np.ones((len(points), 1))], axis=1)
    x, y, z = (homogeneous @ view.T)[:, :3].T
    k = camera.pixel_intrinsics(width, height)
    with np.errstate(divide="ignore", invalid="ignore"):
        u, v = k.cx + k.fx * x / -z, k.cy - k.fy * y / -z
    pixels = np.stack([u, v], axis=1)
    return pixels, (z < 0) & np.isfinite(pixels).all(axis=1)


def draw_labels(
    image: np.ndarray, labels: tuple[LabelsVisual, ...], camera: CameraPose, reference_height: int
) -> np.ndarray:
    """`image` (H, W, 3|4 uint8) with every label drawn on it."""
    from PIL import Image, ImageDraw

    height, width = image.shape[:2]
    scale = height / reference_height
    font = _font(max(10, round(FONT_PIXELS * scale)))
    gap, pad = GAP_PIXELS * scale, max(1, round(PADDING_PIXELS * scale))
    canvas = Image.fromarray(image)
    draw = ImageDraw.Draw(canvas)
    for visual in labels:
        pixels, visible = project(visual.positions, camera, width, height)
        for (u, v), shown, text, color in zip(pixels, visible, visual.texts, visual.colors, strict=True):
            if not shown or not text:
                continue
            left, top, right, bottom = draw.textbbox((0, 0), text, font=font, anchor="ls")
            x0, y1 = u - (right - left) / 2 - pad, v - gap
            box = (x0, y1 - (bottom - top) - 2 * pad, x0 + (right - left) + 2 * pad, y1)
            if box[2] < 0 or box[0] > width or box[3] < 0 or box[1] > height:
                continue
            rgb = tuple(int(c) for c in color[:3])
            ink = (0, 0, 0) if 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 140 else (255, 255, 255)
            # A dark rim keeps the box readable over geometry of its own colour.
            rim = (16, 16, 16) + (255,) * (image.shape[2] == 4)
            draw.rounded_rectangle(box, radius=pad, fill=rgb + (255,) * (image.shape[2] == 4), outline=rim)
            fill = ink + (255,) * (image.shape[2] == 4)
            draw.text((box[0] + pad - left, box[3] - pad - bottom), text, font=font, fill=fill, anchor="ls")
    return np.asarray(canvas)
