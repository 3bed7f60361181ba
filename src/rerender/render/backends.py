"""Which renderer draws the frames: ours (render/renderer.py, the default: fast, Rerun's look) or the
pyrender quality backend (render/pyrender_backend.py: materials, shadows, supersampling; an optional extra).

Both take the same `Scene`s and `CameraPose`s and give the same images' shapes, so the render loop only
asks `open_renderer` for one.
"""

from __future__ import annotations

from typing import Literal, Protocol

import numpy as np

from ..camera.framing import CameraPose
from ..errors import RerenderError
from ..scene.visuals import Scene
from .renderer import DEFAULT_LOOK, Look, Renderer

RendererName = Literal["ours", "pyrender"]
RENDERERS: tuple[str, ...] = ("ours", "pyrender")


class RendererSettingError(RerenderError):
    """A look setting that the chosen renderer cannot draw."""


class FrameRenderer(Protocol):
    """What the render loop needs of a renderer (`Renderer` and `PyrenderRenderer` both are one)."""

    def render(self, scene: Scene, camera: CameraPose) -> np.ndarray: ...

    def render_rgba(self, scene: Scene, camera: CameraPose) -> np.ndarray: ...

    def close(self) -> None: ...

    def __enter__(self) -> FrameRenderer: ...

    def __exit__(self, *exc) -> None: ...


def open_renderer(
    width: int,
    height: int,
    look: Look = DEFAULT_LOOK,
    renderer: RendererName = "ours",
    *,
    lights: str = "rerun",
    shadows: bool = False,
    supersample: int = 1,
) -> FrameRenderer:
    """A renderer of `width` x `height` frames; `lights`, `shadows` and `supersample` are the pyrender
    backend's (ours draws Rerun's two lights and no shadows, and says so rather than ignore them)."""
    if renderer == "pyrender":
        from .pyrender_backend import PyrenderRenderer, QualityLook

        quality = QualityLook(lights, shadows, supersample)  # type: ignore[arg-type]
        return PyrenderRenderer(width, height, look, quality)
    if renderer != "ours":
        raise RendererSettingError(f"look.renderer = {renderer!r}: expected one of {', '.join(RENDERERS)}")
    asked = [f"look.lights = {lights!r}"] if lights != "rerun" else []
    asked += ["look.shadows = true"] if shadows else []
    if asked:
        verb = "need" if len(asked) > 1 else "needs"
        raise RendererSettingError(
            f"{' and '.join(asked)} {verb} look.renderer = 'pyrender' (--renderer pyrender): rerender's own "
            "renderer draws Rerun's two lights without shadows. Set the renderer, or drop those keys."
        )
    return Renderer(width, height, look)
