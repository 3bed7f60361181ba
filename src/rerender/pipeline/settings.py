"""`RenderSettings`: everything a render is told, as one typed value.

The command line, config files (`pipeline/config.py`), quality presets and the Python API all build
this one value; a `RenderJob` is a recording, an output path and these settings. Its sections match a
config file's tables: `[output]`, `[time]`, `[camera]`, `[look]`, `[entities]`, `[view]`. The field types
carry their own checks (ranges through `msgspec.Meta`), which the config loader enforces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

import msgspec

from ..camera.specs import DEFAULT_CAMERA, CameraSpec
from ..media import X264_PRESETS
from ..render.backends import FrameRenderer, RendererName, open_renderer
from ..render.renderer import BACKGROUND, Look
from ..scene.overrides import EntityFilter
from ..values import Color, Size, TimeValue

DEFAULT_SIZE = Size(1280, 720)
DEFAULT_BACKGROUND = Color(*(round(c * 255) for c in BACKGROUND))  # Rerun's dark grey, #1a1a1a
X264Preset = Literal[X264_PRESETS]  # type: ignore[valid-type]


@dataclass(frozen=True, kw_only=True)
class OutputSettings:
    """The file: its size (None: 1280x720, or the resolution of the Pinhole a camera looks through),
    frame rate, format (None: from the output path) and encoder settings."""

    size: Size | None = None
    fps: Annotated[float, msgspec.Meta(gt=0.0, le=1000.0)] = 30.0
    format: Literal["mp4", "webm", "gif", "png"] | None = None
    crf: Annotated[int, msgspec.Meta(ge=0, le=63)] = 23
    preset: X264Preset = "veryfast"


@dataclass(frozen=True, kw_only=True)
class TimeSettings:
    """Which times become frames. `timeline` None: the first one other than log_time (log_time when it is
    the only one). `still`: one image at that time instead of a video."""

    timeline: str | None = None
    start: TimeValue | None = None
    end: TimeValue | None = None
    step: Annotated[int, msgspec.Meta(ge=1)] = 1
    speed: Annotated[float, msgspec.Meta(gt=0.0)] = 1.0
    every_tick: bool = False
    still: TimeValue | None = None


@dataclass(frozen=True, kw_only=True)
class LookSettings:
    """How frames look beyond what the recording says. `renderer` picks who draws: "ours" (the default) or
    "pyrender" (the quality backend, an optional extra); `lights`, `shadows` and `supersample` are the
    pyrender backend's ("rerun": Rerun's two lights; "three-point": key, fill and rim around the camera;
    shadows from the key light onto the scene and a floor under it; each pixel the mean of
    supersample x supersample rendered ones). pyrender multisamples 4x whatever `msaa` says."""

    background: Color = DEFAULT_BACKGROUND
    grid: bool = False
    msaa: Literal[0, 2, 4, 8] = 0
    renderer: RendererName = "ours"
    lights: Literal["rerun", "three-point"] = "rerun"
    shadows: bool = False
    supersample: Literal[1, 2, 3, 4] = 1

    def to_look(self) -> Look:
        return Look(background=self.background.rgb_float(), grid=self.grid, msaa=self.msaa)

    def open_renderer(self, width: int, height: int) -> FrameRenderer:
        """The chosen renderer for `width` x `height` frames (a context manager)."""
        return open_renderer(
            width,
            height,
            self.to_look(),
            self.renderer,
            lights=self.lights,
            shadows=self.shadows,
            supersample=self.supersample,
        )


@dataclass(frozen=True, kw_only=True)
class ViewSettings:
    """The space the render is in, as a Rerun 3D view's: `origin` is the entity whose coordinate frame
    is the scene's (the view's space origin), so a camera given in numbers, the default eye and the up
    direction are all in that entity's frame. "/" is world space."""

    origin: str = "/"


@dataclass(frozen=True, kw_only=True)
class RenderSettings:
    """One render's settings; every field has the default a bare `rerender render` uses."""

    output: OutputSettings = field(default_factory=OutputSettings)
    time: TimeSettings = field(default_factory=TimeSettings)
    camera: CameraSpec = DEFAULT_CAMERA
    look: LookSettings = field(default_factory=LookSettings)
    entities: EntityFilter = field(default_factory=EntityFilter)
    view: ViewSettings = field(default_factory=ViewSettings)

    def size_or(self, fallback: Size) -> Size:
        return self.output.size or fallback
