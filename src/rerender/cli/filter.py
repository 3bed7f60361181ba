"""`rerender filter`: write part of a recording to a new file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from ..rrd.paths import normalize_entity_path
from ..rrd.select import EntityGlob, Selection, rewrite
from . import params
from .errors import UserError, reports_errors


@click.command("filter", short_help="Write part of a recording to a new .rrd file.")
@click.argument("recording", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Where to write the result (- for stdout).",
)
@click.option(
    "--entity",
    "entities",
    multiple=True,
    metavar="GLOB",
    help="Keep entities matching GLOB (`/world/**`: world and below; `*`: one path part). Repeatable.",
)
@click.option("--drop-entity", "dropped", multiple=True, metavar="GLOB", help="Drop entities matching GLOB.")
@click.option("--timeline", metavar="NAME", help="Timeline for --start/--end.")
@click.option(
    "--start", type=params.TIME, metavar="V", help="Keep rows at or after V (42, 1.5s, 250ms, ISO-8601…)."
)
@click.option("--end", type=params.TIME, metavar="V", help="Keep rows at or before V.")
@reports_errors
def filter_command(
    recording: str,
    output: str,
    entities: tuple[str, ...],
    dropped: tuple[str, ...],
    timeline: str | None,
    start,
    end,
) -> None:
    """Write the selected part of RECORDING to OUTPUT; with no filter, an unchanged copy.

    Static data is always kept; temporal data not on --timeline is dropped when a window is given.
    """
    if (start is not None or end is not None) and timeline is None:
        raise click.UsageError("--start/--end need --timeline to say which timeline they refer to")
    selection = Selection(
        include=tuple(EntityGlob(normalize_entity_path(g) if g.strip("/") else "/**") for g in entities),
        exclude=tuple(EntityGlob(normalize_entity_path(g)) for g in dropped),
    )
    if timeline is not None:
        info = _timeline_info(recording, timeline)
        lo = params.time_on(start, "--start", info) if start is not None else None
        hi = params.time_on(end, "--end", info) if end is not None else None
        selection = Selection(selection.include, selection.exclude, timeline, lo, hi)
    if recording == "-":
        source = click.get_binary_stream("stdin")
    else:
        source = recording
        if output != "-" and Path(output).resolve() == Path(recording).resolve():
            raise UserError(f"{output}: refusing to overwrite the input; choose another -o path")
    if output == "-":
        stats = rewrite(source, click.get_binary_stream("stdout"), selection)
    else:
        stats = _rewrite_atomically(source, Path(output), selection)
    click.echo(
        f"kept {stats.chunks_out} of {stats.chunks_in} chunks, {stats.rows_out} of {stats.rows_in} "
        f"rows -> {output}",
        err=True,
    )


def _rewrite_atomically(source, output: Path, selection: Selection):
    """Write next to the target, then rename: a failed run never leaves half a file behind."""
    directory = output.parent if str(output.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=directory)
    try:
        with os.fdopen(fd, "wb") as sink:
            stats = rewrite(source, sink, selection)
        os.replace(tmp, output)
        return stats
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _timeline_info(recording: str, timeline: str):
    """A timeline's kind and range, from the store (a file with a footer is not decoded for this)."""
    if recording == "-":
        raise UserError("--timeline needs a file, not stdin, to learn the timeline's kind")
    from ..store import load

    return load(recording).timeline(timeline)
