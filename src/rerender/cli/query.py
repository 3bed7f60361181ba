"""`rerender query`: the latest-at state of a recording at one time."""

from __future__ import annotations

import json
import math

import click
import pyarrow as pa

from ..rrd.timeformat import format_time
from . import params
from .errors import reports_errors

_COLOR_TYPES = ("rerun.components.Color", "rerun.components.AlbedoFactor")


def _json_values(value) -> list:
    """A component's instances as JSON-ready lists; colors as [r, g, b, a]."""
    values = value.values
    if value.descriptor.component_type in _COLOR_TYPES:
        return [[c >> 24 & 0xFF, c >> 16 & 0xFF, c >> 8 & 0xFF, c & 0xFF] for c in values.to_pylist()]
    inner = values.type.value_type if pa.types.is_fixed_size_list(values.type) else values.type
    if pa.types.is_float32(inner):
        # Shortest decimals that read back as the same float32: 0.08, not 0.07999999821186066.
        flat = (
            [_finite(float(str(x))) for x in values.flatten().to_numpy(zero_copy_only=False)]
            if inner is not values.type
            else [_finite(float(str(x))) for x in values.to_numpy(zero_copy_only=False)]
        )
        if inner is values.type:
            return flat
        size = values.type.list_size
        return [flat[i : i + size] for i in range(0, len(flat), size)]
    return [_finite(v) for v in values.to_pylist()]


def _finite(v):
    """JSON has no NaN or infinity: write them as the strings "nan", "inf", "-inf"."""
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if isinstance(v, list):
        return [_finite(x) for x in v]
    if isinstance(v, dict):
        return {k: _finite(x) for k, x in v.items()}
    if isinstance(v, bytes):
        return list(v)
    return v


def _preview(values: list, limit: int = 60) -> str:
    text = json.dumps(values)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@click.command("query", short_help="Show the latest-at state at one time.")
@click.argument("recording", type=click.Path(dir_okay=False))
@click.option("--timeline", required=True, metavar="NAME", help="Timeline to query.")
@click.option(
    "--at",
    "at",
    required=True,
    type=params.TIME,
    metavar="V",
    help="Time: 42 (sequence), 1.5s or 250ms (duration), ISO-8601 or integer ns (timestamp); start, end.",
)
@click.option("--entity", metavar="PATH", help="Only this entity.")
@click.option("--json", "as_json", is_flag=True, help="Print {entity_path: {component: values}} as JSON.")
@reports_errors
def query_command(recording: str, timeline: str, at, entity: str | None, as_json: bool) -> None:
    """Print every entity's latest value of each component at time V on a timeline of RECORDING."""
    from ..rrd.paths import normalize_entity_path
    from ..store import load

    rec = load(recording)
    info = rec.timeline(timeline)
    kind = info.kind
    time = params.time_on(at, "--at", info)
    if entity is not None:
        entity = normalize_entity_path(entity)
    state = rec.latest_at(timeline, time, entity=entity)
    if as_json:
        out = {path: {c: _json_values(v) for c, v in comps.items()} for path, comps in state.items()}
        click.echo(json.dumps(out, indent=2))
        return
    click.echo(f"{rec.application_id} at {timeline}={format_time(time, kind)}")
    for path, comps in state.items():
        click.echo(f"\n{path}")
        for component, value in comps.items():
            when = "static" if value.is_static else format_time(value.time, kind)
            click.echo(
                f"  {component:<34} {len(value.values):>5} @ {when:<12} {_preview(_json_values(value))}"
            )
