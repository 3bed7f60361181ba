"""`rerender render`: a recording to MP4, WebM, GIF, PNG frames, or one still image.

Settings come in layers (pipeline/config.py): `--quality` preset < `--config` files in order < `--set`
< the plain flags below. Every flag defaults to "not given", so a config file's value stands unless a
flag says otherwise.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..camera.specs import CAMERA_KINDS
from ..media import X264_PRESETS
from ..pipeline.lifetime import interruptible
from ..pipeline.presets import QUALITY_PRESETS
from ..render.backends import RENDERERS
from . import params
from .errors import UserError, reports_errors

if TYPE_CHECKING:
    from ..pipeline.executors import Executor
    from ..pipeline.layers import SettingsSources

# From this many entities on, `render` says that it is indexing them (it takes seconds per thousand).
MANY_ENTITIES = 20_000

# Keys whose flag is not `--` + the key's last part, so that errors name the flag the user typed.
FLAG_NAMES = {
    "camera.kind": "--camera",
    "entities.include": "--entity",
    "entities.exclude": "--drop-entity",
}
# The settings key each option sets (by the option's parameter name); `preview` shares those that say
# what a frame shows.
SETTING_OPTIONS = {
    "output.size": "size",
    "output.fps": "fps",
    "output.format": "fmt",
    "output.crf": "crf",
    "output.preset": "preset",
    "time.timeline": "timeline",
    "time.start": "start",
    "time.end": "end",
    "time.step": "step",
    "time.speed": "speed",
    "time.every_tick": "every_tick",
    "time.still": "still",
    "camera.kind": "camera",
    "look.background": "background",
    "look.grid": "grid",
    "look.msaa": "msaa",
    "look.renderer": "renderer",
    "entities.include": "include",
    "entities.exclude": "exclude",
}


def settings_sources(options: Mapping[str, Any]) -> SettingsSources:
    """The settings layers a command's options give (`render`'s, or the share `preview` takes), lowest
    first: the recording's blueprint, then the quality preset, configs, --set, and the flags on top."""
    from ..pipeline.config import flags_layer
    from ..pipeline.layers import SettingsSources

    assignments = tuple(options.get("assignments", ()))
    given: dict[str, Any] = {key: options.get(name) for key, name in SETTING_OPTIONS.items()}
    if options.get("camera_path") is not None:
        given["camera.kind"] = "nerfstudio"
        assignments = (*assignments, f"camera.path={options['camera_path']!r}")
    if given["look.msaa"] is not None:
        given["look.msaa"] = int(given["look.msaa"])
    for key in ("entities.include", "entities.exclude"):
        given[key] = list(given[key] or ()) or None
    blueprint = options.get("blueprint")
    return SettingsSources(
        configs=tuple(Path(c) for c in options.get("configs", ())),
        assignments=assignments,
        quality=options.get("quality"),
        blueprint=Path(blueprint) if blueprint else None,
        view=options.get("view"),
        use_blueprint=not options.get("no_blueprint", False),
        extra=(flags_layer(given, FLAG_NAMES),),
    )


@click.command("render", short_help="Render a recording to video, GIF or images.")
@click.argument("recording", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    help="out.mp4, out.webm, out.gif, a directory for PNG frames, or out.png for a still.",
)
@click.option(
    "-c",
    "--config",
    "configs",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A TOML settings file (configs/); may repeat, later files win.",
)
@click.option(
    "--set",
    "assignments",
    multiple=True,
    type=params.ASSIGNMENT,
    metavar="KEY=VALUE",
    help="Override one setting, e.g. --set camera.radius=12 (wins over config files).",
)
@click.option(
    "--quality",
    type=click.Choice(list(QUALITY_PRESETS)),
    help="Preset: draft (640x360, fast), web (1280x720), paper (1920x1080, 8x MSAA, white).",
)
@click.option(
    "--camera",
    type=click.Choice(list(CAMERA_KINDS)),
    help="Camera kind (default auto: the whole subject in frame); parameters via --config or --set camera.*.",
)
@click.option(
    "--camera-path",
    type=click.Path(dir_okay=False),
    help="Fly a nerfstudio camera_path.json (same as --camera nerfstudio --set camera.path=FILE).",
)
@click.option(
    "--save-camera-path",
    type=click.Path(dir_okay=False),
    help="Also write each frame's camera as a nerfstudio camera_path.json.",
)
@click.option(
    "--blueprint",
    type=click.Path(dir_okay=False),
    help="Take the 3D view (eye, background, grid, shown entities) from this Rerun blueprint (.rbl or .rrd) "
    "instead of the recording's own.",
)
@click.option("--view", metavar="NAME", help="Which 3D view of the blueprint (default: the first).")
@click.option("--no-blueprint", is_flag=True, help="Ignore the recording's own blueprint.")
@click.option(
    "--timeline", metavar="NAME", help="Timeline to play (default: the first one other than log_time)."
)
@click.option("--fps", type=float, help="Frames per second of the output.  [default: 30]")
@click.option("--size", type=params.SIZE, metavar="WxH", help="Output size.  [default: 1280x720]")
@click.option(
    "--start", type=params.TIME, metavar="V", help="First time to render (42, 1.5s, ISO-8601, start)."
)
@click.option("--end", type=params.TIME, metavar="V", help="Last time to render (… or end).")
@click.option("--step", type=int, help="Render every Nth frame.  [default: 1]")
@click.option(
    "--every-tick",
    is_flag=True,
    default=None,
    help="One frame per logged time (duration/timestamp timelines).",
)
@click.option("--speed", type=float, help="Timeline seconds per video second.  [default: 1]")
@click.option(
    "--still",
    type=params.TIME,
    metavar="V",
    help="Write one PNG of the scene at time V (start, end, 2.5s, 42).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mp4", "webm", "gif", "png"]),
    help="Override the format the output path implies.",
)
@click.option(
    "--crf", type=int, help="Quality: 0..51 for MP4, 0..63 for WebM (lower is better, larger).  [default: 23]"
)
@click.option(
    "--preset",
    type=click.Choice(X264_PRESETS),
    help="x264 speed/size trade-off for MP4 (slower: smaller, same quality).  [default: veryfast]",
)
@click.option("--grid/--no-grid", default=None, help="Draw Rerun's ground grid.  [default: no-grid]")
@click.option(
    "--background",
    type=params.COLOR,
    metavar="#RRGGBB",
    help="Background colour (Rerun's dark grey by default; #ffffff for reports on white).",
)
@click.option(
    "--msaa",
    type=click.Choice(["0", "2", "4", "8"]),
    help="Multisampling for smooth mesh edges (points and lines are smooth without it).  [default: 0]",
)
@click.option(
    "--renderer",
    type=click.Choice(list(RENDERERS)),
    help="Who draws: ours (fast, Rerun's look) or pyrender (materials, shadows, supersampling; "
    "pip install 'rerender[pyrender]').  [default: ours]",
)
@click.option("--entity", "include", multiple=True, metavar="GLOB", help="Draw only entities matching GLOB.")
@click.option(
    "--drop-entity", "exclude", multiple=True, metavar="GLOB", help="Do not draw entities matching GLOB."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Split the video into this many keyframe-aligned chunks rendered in parallel (MP4 only; at most "
    "one process per two seconds of video).",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Where chunks run: local processes, or a Ray cluster (pip install 'rerender[ray]').",
)
@click.option("--address", metavar="ADDR", help="Ray cluster address (default: start a local Ray instance).")
@click.option(
    "--resume",
    is_flag=True,
    help="Continue a render of the same settings that was killed: keep its finished MP4 segments or PNG "
    "frames and render the rest (WebM and GIF start over).",
)
@click.option(
    "--keep-partial",
    is_flag=True,
    help="After an error, keep what was rendered (for --resume) instead of removing it.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@reports_errors
def render_command(
    recording: str,
    output: str,
    save_camera_path: str | None,
    workers: int,
    executor: str,
    address: str | None,
    resume: bool,
    keep_partial: bool,
    quiet: bool,
    **options: Any,
) -> None:
    """Render RECORDING (.rrd) headless, as the Rerun viewer's 3D view would show it."""
    from ..media import write_error
    from ..pipeline.layers import resolve_settings
    from ..pipeline.render_job import RenderJob, bar_progress, render_still, text_progress
    from ..pipeline.resumable import render
    from ..pipeline.split import start_executor, useful_workers
    from ..store import load

    out = Path(output)
    if out.exists() and Path(recording).exists() and os.path.samefile(out, recording):
        raise UserError(
            f"{output}: is the recording itself; the render would replace it. Write to another file, e.g. "
            f"-o {out.with_suffix('.mp4').name if out.suffix.lower() != '.mp4' else out.stem + '_video.mp4'}"
        )
    if (workers > 1 or executor != "local") and (resume or keep_partial):
        flag = "--resume" if resume else "--keep-partial"
        raise UserError(f"{flag} works for renders in one process; drop --workers/--executor to use it")
    pool = None
    if executor != "local":  # Ray connects while the recording opens
        pool = start_executor(executor, workers, address)
    with interruptible(exiting=True), _closing(lambda: pool):
        rec = load(recording)
        if len(rec.entity_paths) >= MANY_ENTITIES and not quiet:  # minutes before the first frame: say why
            click.echo(
                f"{recording}: indexing and framing {len(rec.entity_paths):,} entities before the first "
                "frame (about a minute per 50,000)",
                err=True,
            )
        # A Rerun blueprint's 3D view is the lowest layer: presets, configs, --set and flags all win over it.
        sources = settings_sources(options)
        resolved = resolve_settings(rec, recording, sources)
        settings = resolved.settings
        job = RenderJob(
            rec,
            out,
            settings,
            save_camera_path=Path(save_camera_path) if save_camera_path else None,
            source=recording,
        )
        # out.png (not a %d pattern) is one picture: at time.still, else the last state.
        image_out = out.suffix.lower() in (".png", ".jpg", ".jpeg") and "%" not in out.name
        if settings.time.still is not None and not image_out:
            raise UserError(
                f"{output}: a still (time.still) is one image; write it to a .png, e.g. -o {out.stem}.png"
            )
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise write_error(e, out) from None
        if image_out:
            render_still(job)
            click.echo(f"wrote {out}", err=True)
            return
        if workers > 1 or executor != "local":
            if pool is None:
                # Local workers start now that the video's length is known: one per two-second block
                # at most (`--workers 300` on four seconds of video started 299 processes, for 10 s).
                workers = useful_workers(job, workers)
                pool = start_executor(executor, workers) if workers > 1 else None
            _render_split(job, recording, workers, executor, pool, quiet)
            return
        progress = None if quiet else bar_progress() if sys.stderr.isatty() else text_progress()
        # static data only: an error that suggests a .png instead
        frames = render(job, progress, resume=resume, keep_partial=keep_partial)
        if not quiet:
            click.echo(f"wrote {frames} frames to {out}", err=True)


@contextlib.contextmanager
def _closing(pool: Callable[[], concurrent.futures.Future[Executor] | None]) -> Iterator[None]:
    """Close the split's executor (`pool()`, once started) at the end: after a failure or an
    interrupt, its workers end at once."""
    failed = True
    try:
        yield
        failed = False
    finally:
        made = pool()
        if made is not None and made.exception() is None:  # (waits for it to have started)
            made.result().close(wait=not failed)


def _render_split(job, recording: str, workers: int, executor: str, pool, quiet: bool) -> None:
    from ..pipeline.split import RenderTask, render_split

    task = RenderTask(Path(recording), job.output, job.settings, source=recording)

    def report(done: int, total: int) -> None:
        if not quiet:
            click.echo(f"process {done}/{total} done", err=True)

    results = render_split(
        task,
        workers,
        executor=pool,
        save_camera_path_to=job.save_camera_path,
        progress=report,
        recording=job.recording,
    )
    if not quiet:
        frames = sum(len(r.frames) for r in results)
        s = "" if len(results) == 1 else "s"
        click.echo(f"wrote {frames} frames to {job.output} ({len(results)} piece{s} on {executor})", err=True)
