"""`rerender preview`: a window that plays a recording, or follows what streams into a live server,
drawn by the same renderer with the same settings as `rerender render` (its camera, config, time and look
options are `render`'s own, so a frame in the window is that frame of the video)."""

from __future__ import annotations

from pathlib import Path

import click

from . import params
from .errors import UserError, reports_errors
from .render import render_command, settings_sources

# `render`'s options that say what a frame shows; output, encoding and splitting ones do not apply.
SHARED_OPTIONS = (
    "configs",
    "assignments",
    "quality",
    "camera",
    "camera_path",
    "blueprint",
    "view",
    "no_blueprint",
    "timeline",
    "fps",
    "size",
    "start",
    "end",
    "step",
    "every_tick",
    "speed",
    "grid",
    "background",
    "msaa",
    "include",
    "exclude",
)


def _shared(command: click.Command) -> click.Command:
    command.params.extend(p for p in render_command.params if p.name in SHARED_OPTIONS)
    return command


@_shared
@click.command("preview", short_help="Play a recording, or a live stream, in a window.")
@click.argument("recording", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--listen",
    type=click.IntRange(0, 65535),
    metavar="PORT",
    help="Serve gRPC on PORT (as `rerender serve`) and follow what streams in, at its latest time.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on with --listen.")
@click.option("--at", type=params.TIME, metavar="V", help="Start on the frame at or after time V.")
@click.option("--play", is_flag=True, help="Start playing.")
@click.option(
    "--stills",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="Folder that `s` saves stills into.",
)
@click.option(
    "--screenshot",
    type=click.Path(dir_okay=False),
    help="Write the window's pixels, as shown, to this PNG at each redraw (for tests and scripts).",
)
@click.option(
    "--exit-after-frames",
    type=click.IntRange(min=1),
    metavar="N",
    help="Close the window after N redraws (for tests and scripts).",
)
@reports_errors
def preview_command(
    recording: str | None,
    listen: int | None,
    host: str,
    at,
    play: bool,
    stills: str,
    screenshot: str | None,
    exit_after_frames: int | None,
    **options,
) -> None:
    """Play RECORDING (.rrd) in a window, or with --listen PORT follow a live stream.

    \b
    Keys: space play/pause, left/right step, home/end first/last frame,
    left drag orbit, right or middle drag pan, wheel zoom, r back to the configured camera,
    c print the camera as a [[camera.keyframes]] block, s save a still, q or Esc quit.
    """
    from ..preview.app import PreviewOptions, preview_file, preview_live

    if (recording is None) == (listen is None):
        raise UserError("give either a recording (REC.rrd) or --listen PORT, not both or neither")
    preview = PreviewOptions(
        sources=settings_sources(options),
        at=at,
        play=play,
        screenshot=Path(screenshot) if screenshot else None,
        exit_after_frames=exit_after_frames,
        stills_dir=Path(stills),
    )
    if recording is not None:
        preview_file(Path(recording), preview)
    else:
        preview_live(host, listen, preview)
