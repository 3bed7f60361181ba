"""A recording's pictures for the report: a poster frame, a contact sheet of frames across the timeline,
and a video, all rendered by the ordinary render pipeline at small sizes so that reports stay fast.

The poster and the sheet's frames are the video's own frames (same plan, same camera poses); the
poster is the last one, the state the recording ends in.
"""

from __future__ import annotations

import dataclasses
import math
import os
import shutil
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..camera.rigs import CameraError
from ..errors import RerenderError
from ..pipeline.render_job import Plan, RenderJob, plan, run
from ..pipeline.settings import RenderSettings
from ..render.backends import FrameRenderer
from ..rrd import TimeKind
from ..rrd.timeformat import format_time
from ..scene import Scene
from ..store import Recording
from ..values import Size

# How each video file is offered to the browser, by suffix: its MIME type for <source type=...>.
VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg"}
LABEL_HEIGHT = 18  # px under each contact sheet thumbnail for its time


@dataclass(frozen=True)
class MediaOptions:
    """What to render for each recording and how big. `settings` supplies the camera, look, entity
    filter and timeline (a pipeline passes its own); the size, frame step and encoder are set here."""

    size: Size = field(default_factory=lambda: Size(640, 360))
    sheet_columns: int = 4
    sheet_rows: int = 3
    thumb_width: int = 240
    video_formats: tuple[str, ...] = ("mp4",)  # one <source> each, in this order
    max_video_frames: int = 600  # longer timelines skip frames (every n-th) to stay under this
    crf: int = 28
    settings: RenderSettings = field(default_factory=RenderSettings)


@dataclass(frozen=True)
class RecordingMedia:
    """The files rendered (or given) for one recording, and the timeline they play (None: static data);
    `notes` say why something is missing and what the renderer warned about; `errors` are the steps
    that failed."""

    timeline: str | None = None
    poster: Path | None = None
    contact_sheet: Path | None = None
    videos: tuple[Path, ...] = ()
    notes: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Frame:
    """One rendered frame of the plan: its index in the video, timeline value and picture."""

    index: int
    time: int | None
    image: np.ndarray  # (H, W, 3) uint8


def render_media(
    recording: Recording,
    source: Path,
    out_dir: Path,
    options: MediaOptions | None = None,
    *,
    video: Path | None = None,
) -> RecordingMedia:
    """Render the poster and contact sheet into `out_dir` and the video (or copy `video`, rendered
    elsewhere, there). A failed step is recorded in `errors`; the others still run."""
    options = options or MediaOptions()
    out_dir.mkdir(parents=True, exist_ok=True)
    output = dataclasses.replace(options.settings.output, size=options.size, crf=options.crf, format=None)
    settings = dataclasses.replace(options.settings, output=output)
    name = str(source)
    notes: list[str] = []
    errors: list[str] = []
    poster = sheet = None
    videos: tuple[Path, ...] = ()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            p = plan(RenderJob(recording, out_dir / "poster.png", settings, source=name))
            frames = _render_frames(recording, p, settings, options, name)
            if not frames:
                notes.append("nothing in the recording is drawn in 3D, so there is no poster or video")
            else:
                poster = _write_png(frames[-1].image, out_dir / "poster.png")
                if len(frames) > 1:
                    kind = recording.timelines[p.timeline].kind if p.timeline else None
                    sheet = _write_sheet(frames, kind, options, out_dir / "contact_sheet.png")
        except (RerenderError, CameraError, OSError) as e:
            errors.append(f"poster: {e}")
            p = None
        if video is not None:
            videos = (adopt_video(video, out_dir),)
        elif p is not None and poster is not None and p.frame_count > 1:
            step = _video_step(p, options)
            if step > 1:
                ts = settings.time
                settings = dataclasses.replace(settings, time=dataclasses.replace(ts, step=ts.step * step))
                notes.append(f"the video keeps one frame in {step} (of {p.frame_count}), to stay short")
            try:
                videos = _render_videos(recording, settings, options, out_dir, name)
            except (RerenderError, OSError) as e:
                errors.append(f"video: {e}")
        elif p is not None and poster is not None:
            if p.timeline is None or not len(p.times):
                notes.append("one state only (static data), so no video: the poster shows it")
            else:
                at = format_time(int(p.times[0]), recording.timelines[p.timeline].kind)
                notes.append(f"one frame only ({p.timeline} {at}), so no video: the poster shows it")
    notes += dict.fromkeys(str(w.message) for w in caught)
    timeline = p.timeline if p is not None else None
    return RecordingMedia(timeline, poster, sheet, videos, tuple(notes), tuple(errors))


def _render_frames(
    recording: Recording, p: Plan, settings: RenderSettings, options: MediaOptions, source: str
) -> list[Frame]:
    """The contact sheet's frames, evenly spread over the video and ending with its last (the poster);
    empty when none of them draws anything."""
    count = max(p.frame_count, 1)
    wanted = options.sheet_columns * options.sheet_rows
    indexes = np.unique(np.linspace(0, count - 1, num=min(count, wanted)).round().astype(np.int64)).tolist()
    if p.timeline is None:
        static = p.shot.scene_at(None)
        scenes = [(i, None, static) for i in indexes]
    else:
        times = [int(p.times[i]) for i in indexes]
        # One incremental sweep over the picked times costs what was logged up to the last of them.
        swept = recording.sweep(p.timeline, times)
        scenes = [(i, t, p.shot.draw(state)) for i, (t, state) in zip(indexes, swept, strict=True)]
    if all(scene.is_empty() for _, _, scene in scenes):
        return []
    frames = []
    with settings.look.open_renderer(p.size.width, p.size.height) as renderer:
        for index, time, scene in scenes:
            frames.append(Frame(index, time, _render(renderer, p, index, scene, source)))
    return frames


def _render(renderer: FrameRenderer, p: Plan, index: int, scene: Scene, source: str) -> np.ndarray:
    try:
        pose = p.rig.pose_at(p.frame_time(index))
    except CameraError as e:
        raise CameraError(f"{source}: {e}") from None
    return renderer.render(scene, pose)


def _write_png(image: np.ndarray, path: Path) -> Path:
    from PIL import Image

    Image.fromarray(image[..., :3]).save(path, optimize=True)
    return path


def time_label(time: int | None, kind: TimeKind | None, *, dated: bool = False) -> str:
    """A frame's time, short: `42`, `1.367s` (to the millisecond), `22:13:20.5` (a timestamp's time of
    day), `2026-12-02 22:13:20` (`dated`: for a sheet that spans more than one day)."""
    if time is None or kind is None:
        return ""
    if kind == TimeKind.DURATION:
        return f"{time / 1e9:.3f}".rstrip("0").rstrip(".") + "s"
    text = format_time(time, kind)
    if kind == TimeKind.TIMESTAMP:
        date, clock = text.rstrip("Z").split("T", 1)
        seconds = clock.split(".")
        if dated:
            return f"{date} {seconds[0]}"
        return seconds[0] + (f".{seconds[1][:3]}" if len(seconds) > 1 else "")
    return text


def spans_days(times: Sequence[int | None], kind: TimeKind | None) -> bool:
    """Whether timestamps fall on more than one (UTC) date, so that their labels need the date."""
    if kind != TimeKind.TIMESTAMP:
        return False
    return len({format_time(t, kind)[:10] for t in times if t is not None}) > 1


def _write_sheet(frames: list[Frame], kind: TimeKind | None, options: MediaOptions, path: Path) -> Path:
    """One PNG: the frames as thumbnails in rows, each with its timeline value under it."""
    from PIL import Image, ImageDraw, ImageFont

    height, width = frames[0].image.shape[:2]
    tw = min(options.thumb_width, width)
    th = max(1, round(height * tw / width))
    columns = min(options.sheet_columns, len(frames))
    rows = math.ceil(len(frames) / columns)
    gap = 4
    sheet = Image.new("RGB", (columns * (tw + gap) + gap, rows * (th + LABEL_HEIGHT + gap) + gap), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=12)
    dated = spans_days([f.time for f in frames], kind)
    for n, frame in enumerate(frames):
        x = gap + (n % columns) * (tw + gap)
        y = gap + (n // columns) * (th + LABEL_HEIGHT + gap)
        thumb = Image.fromarray(frame.image[..., :3]).resize((tw, th), Image.Resampling.LANCZOS)
        sheet.paste(thumb, (x, y))
        label = time_label(frame.time, kind, dated=dated)
        draw.text((x + tw / 2, y + th + 3), label, fill=(40, 40, 40), font=font, anchor="mt")
    sheet.save(path, optimize=True)
    return path


def _video_step(p: Plan, options: MediaOptions) -> int:
    """Every how many frames the video keeps, so that a long timeline stays under the frame cap."""
    return max(1, math.ceil(p.frame_count / options.max_video_frames)) if options.max_video_frames else 1


def _render_videos(
    recording: Recording, settings: RenderSettings, options: MediaOptions, out_dir: Path, source: str
) -> tuple[Path, ...]:
    """The video in each of `options.video_formats`."""
    paths = []
    for fmt in options.video_formats:
        path = out_dir / f"video.{fmt}"
        run(RenderJob(recording, path, settings, source=source))
        paths.append(path)
    return tuple(paths)


def adopt_video(video: Path, out_dir: Path) -> Path:
    """A video rendered elsewhere, put beside the other assets so that the report folder stands alone:
    hard-linked where the file system allows (no copy of a large file), else copied."""
    target = out_dir / f"video{video.suffix.lower()}"
    if target.exists() and target.resolve() == video.resolve():
        return target
    target.unlink(missing_ok=True)
    try:
        os.link(video, target)
    except OSError:
        shutil.copyfile(video, target)
    return target
