"""`rerender render`: a recording to MP4, WebM, GIF, PNG frames, or one still image."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..media._registry import X264_PRESETS
from ..rrd.timeformat import parse_time
from .errors import UserError, reports_errors


def _color(text: str) -> tuple[float, float, float]:
    """`#rrggbb` or `rrggbb` as sRGB in 0..1."""
    digits = text.removeprefix("#")
    if len(digits) != 6 or any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise UserError(f"--background {text!r}: expected a colour as #rrggbb, e.g. #ffffff for white")
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UserError(f"--size {text!r}: expected WIDTHxHEIGHT, e.g. 1280x720") from None
    if width < 16 or height < 16:
        raise UserError(f"--size {text!r}: at least 16x16 pixels")
    return width, height


@click.command("render", short_help="Render a recording to video, GIF or images.")
@click.argument("recording", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    help="out.mp4, out.webm, out.gif, a directory for PNG frames, or out.png with --still.",
)
@click.option(
    "--timeline", metavar="NAME", help="Timeline to play (default: the first one other than log_time)."
)
@click.option("--fps", default=30.0, show_default=True, help="Frames per second of the output.")
@click.option(
    "--size", "size_text", default="1280x720", show_default=True, metavar="WxH", help="Output size."
)
@click.option("--start", metavar="V", help="First time to render (timeline units: 42, 1.5s, ISO-8601…).")
@click.option("--end", metavar="V", help="Last time to render.")
@click.option("--step", default=1, show_default=True, help="Render every Nth frame.")
@click.option("--every-tick", is_flag=True, help="One frame per logged time (duration/timestamp timelines).")
@click.option("--speed", default=1.0, show_default=True, help="Timeline seconds per video second.")
@click.option("--still", metavar="V", help="Write one PNG of the scene at time V instead of a video.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mp4", "webm", "gif", "png"]),
    help="Override the format the output path implies.",
)
@click.option("--crf", default=23, show_default=True, help="H.264/VP9 quality (lower is better, larger).")
@click.option(
    "--preset",
    default="veryfast",
    show_default=True,
    type=click.Choice(X264_PRESETS),
    help="x264 speed/size trade-off for MP4 (slower: smaller files at the same quality).",
)
@click.option("--grid/--no-grid", default=False, show_default=True, help="Draw Rerun's ground grid.")
@click.option(
    "--background",
    "background_text",
    default="#1a1a1a",
    show_default=True,
    metavar="#RRGGBB",
    help="Background colour (Rerun's dark grey by default; #ffffff for reports on white).",
)
@click.option(
    "--msaa",
    default="0",
    show_default=True,
    type=click.Choice(["0", "2", "4", "8"]),
    help="Multisampling for smooth mesh edges (points and lines are smooth without it); costs fill time.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@reports_errors
def render_command(
    recording: str,
    output: str,
    timeline: str | None,
    fps: float,
    size_text: str,
    start: str | None,
    end: str | None,
    step: int,
    every_tick: bool,
    speed: float,
    still: str | None,
    fmt: str | None,
    crf: int,
    preset: str,
    grid: bool,
    background_text: str,
    msaa: str,
    quiet: bool,
) -> None:
    """Render RECORDING (.rrd) headless, as the Rerun viewer's 3D view would show it."""
    from ..media import MediaError
    from ..pipeline import default_timeline
    from ..pipeline.render_job import RenderJob, bar_progress, render_still, run, text_progress
    from ..render import GLUnavailableError, Look
    from ..store import load

    width, height = _size(size_text)
    look = Look(background=_color(background_text), grid=grid, msaa=int(msaa))
    rec = load(recording)
    out = Path(output)
    # Static data only: nothing moves, so the one thing to make is a picture of it.
    static_only = not rec.timelines and timeline is None
    if static_only and still is None and out.suffix.lower() != ".png":
        raise UserError(
            f"{recording}: holds static data only (no timeline), so there is no video to make; "
            f"render a still image instead, e.g. -o {out.with_suffix('.png').name}"
        )
    if not static_only:
        timeline = timeline or default_timeline(list(rec.timelines))
        if timeline is None or timeline not in rec.timelines:
            known = ", ".join(rec.timelines) or "none (static data only)"
            raise UserError(f"{recording}: no timeline {timeline!r} to render; the recording has: {known}")
        kind = rec.timelines[timeline].kind

    def parse(option: str, value: str | None) -> int | None:
        try:
            return parse_time(value, kind) if value is not None else None
        except ValueError as e:
            raise UserError(f"{option} for timeline {timeline!r} ({kind.value}): {e}") from None

    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        if static_only or still is not None:
            at = None if static_only else parse("--still", still)
            render_still(rec, timeline, at, out, width=width, height=height, look=look)
            click.echo(f"wrote {out}", err=True)
            return
        job = RenderJob(
            rec,
            out,
            timeline,
            width,
            height,
            fps,
            parse("--start", start),
            parse("--end", end),
            step,
            every_tick,
            speed,
            fmt,
            crf,
            preset,
            look,
        )
        progress = None if quiet else bar_progress() if sys.stderr.isatty() else text_progress()
        frames = run(job, progress)
    except (GLUnavailableError, MediaError) as e:
        raise UserError(str(e)) from None
    except ValueError as e:
        raise UserError(f"{recording}: {e}") from None
    if not quiet:
        click.echo(f"wrote {frames} frames to {out}", err=True)
