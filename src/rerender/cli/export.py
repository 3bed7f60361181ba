"""`rerender export`: a recording's 3D scene at one time as glTF, OBJ or PLY (see rerender/export.py)."""

from __future__ import annotations

from pathlib import Path

import click

from . import params
from .errors import reports_errors


@click.command("export", short_help="Write the 3D scene at one time as .glb, .gltf, .obj or .ply.")
@click.argument("recording", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="scene.glb, scene.gltf, scene.obj or scene.ply (the extension picks the format).",
)
@click.option(
    "--at",
    type=params.TIME,
    metavar="T",
    help="Time to export (42, 1.5s, ISO-8601, start, end).  [default: end]",
)
@click.option(
    "--timeline", metavar="NAME", help="Timeline of --at (default: the first one other than log_time)."
)
@click.option(
    "--all-ticks",
    is_flag=True,
    help="One file per logged tick of the timeline: OUT_0000.glb, OUT_0001.glb, ...",
)
@click.option(
    "--points",
    type=click.Choice(["cloud", "spheres"]),
    help="Points as a point cloud or as a mesh of spheres.  [default: cloud; spheres in .obj/.ply "
    "when there is more than points]",
)
@click.option(
    "--lines",
    type=click.Choice(["paths", "tubes"]),
    help="Lines as polylines or as a mesh of tubes.  [default: paths; tubes in .obj/.ply]",
)
@reports_errors
def export_command(
    recording: str,
    output: str,
    at,
    timeline: str | None,
    all_ticks: bool,
    points: str | None,
    lines: str | None,
) -> None:
    """Export RECORDING's 3D scene at one time (world space, entity paths as node names) through trimesh."""
    from ..export import ExportOptions, export_recording, output_format
    from ..store import load

    out = Path(output)
    output_format(out)  # a bad extension fails before the recording is read
    written = export_recording(
        load(recording),
        out,
        at=at,
        timeline=timeline,
        all_ticks=all_ticks,
        options=ExportOptions(points=points, lines=lines),
        source=recording,
    )
    if len(written) == 1:
        click.echo(f"wrote {written[0].path}", err=True)
    else:
        click.echo(f"wrote {len(written)} files: {written[0].path} ... {written[-1].path}", err=True)
