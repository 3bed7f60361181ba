"""`rerender report`: an HTML page about recordings (the work is in `rerender.report`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import params
from .errors import reports_errors


@click.command("report", short_help="Write an HTML report of recordings.")
# Any path: a missing file or a folder among the recordings gets its error card, like a damaged file.
@click.argument("recordings", nargs=-1, required=True, type=click.Path())
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for index.html and its assets (created).",
)
@click.option(
    "--title",
    help="The page's title (default: 'NAME: rerender report' for one recording, else 'rerender report').",
)
@click.option(
    "--size",
    type=params.SIZE,
    help="Size of the poster and video (default 640x360); thumbnails are smaller.",
)
@click.option("--no-render", is_flag=True, help="Facts, plots and logs only: no poster, frames or video.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@reports_errors
def report_command(
    recordings: tuple[str, ...], output: str, title: str | None, size, no_render: bool, quiet: bool
) -> None:
    """Write OUTPUT/index.html about each RECORDING: a poster frame, frames across the timeline and a
    video, its timelines, entities, scalar plots, text logs and recording properties. It opens from
    disk with no server. A recording that cannot be read gets an error card and the exit code is 1."""
    from ..report import MediaOptions, ReportInput, ReportOptions, write_report

    media = MediaOptions() if size is None else MediaOptions(size=size)
    options = ReportOptions(media=media, render=not no_render)

    def progress(done: int, total: int, recording: Path) -> None:
        if not quiet:
            click.echo(f"[{done + 1}/{total}] {recording}", err=True)

    result = write_report(
        [ReportInput(Path(r)) for r in recordings],
        Path(output),
        title=title,
        options=options,
        progress=progress,
    )
    if not quiet:
        click.echo(f"wrote {result.index}")
    for failure in result.failures:
        click.echo(f"Error: {failure.message}", err=True)
    if not result.ok:
        sys.exit(1)
