"""`rerender info`: what a recording holds."""

from __future__ import annotations

import json

import click

from ..rrd.summary import FileSummary, StoreSummary, summarize
from ..rrd.timeformat import format_time
from .errors import reports_errors


@click.command("info", short_help="Show what a recording holds.")
@click.argument("recording", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object (schema in the README).")
@reports_errors
def info_command(recording: str, as_json: bool) -> None:
    """Show the stores, timelines, entities and components of RECORDING (an .rrd file, or - for stdin)."""
    source = click.get_binary_stream("stdin") if recording == "-" else recording
    summary = summarize(source)
    if as_json:
        click.echo(json.dumps(summary.to_json(), indent=2))
    else:
        click.echo(render_summary(summary))


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return out


def render_summary(summary: FileSummary) -> str:
    """The human-readable form of `rerender info`."""
    lines = [
        f"file:      {summary.path}",
        f"format:    RRD {', '.join(summary.format_versions)}"
        f"{'' if summary.footer else '  (no footer: rerun rrd verify will refuse it)'}",
        f"chunks:    {summary.chunks}" + ("   TRUNCATED: read up to the damage" if summary.truncated else ""),
    ]
    for store in summary.stores:
        lines += ["", *_render_store(store)]
    return "\n".join(lines)


def _render_store(store: StoreSummary) -> list[str]:
    sid, info = store.store_id, store.info
    writer = info.store_source.describe() if info else "unknown"
    if info and info.store_version:
        writer += f", Rerun {info.store_version}"
    lines = [
        f"{sid.kind.name.lower()} {sid.application_id!r}  (recording id {sid.recording_id})",
        f"  written by {writer}; {store.chunks} chunks, {store.rows} rows",
        "",
    ]
    timeline_rows = [
        [t.name, t.kind.value, format_time(t.min, t.kind), format_time(t.max, t.kind)]
        for t in sorted(store.timelines.values(), key=lambda t: t.name)
    ]
    lines += (
        ["  " + r for r in _table(["timeline", "kind", "min", "max"], timeline_rows)]
        if timeline_rows
        else ["  no timelines (static data only)"]
    )
    rows = []
    for entity in sorted(store.entities.values(), key=lambda e: e.path):
        first = True
        for comp in entity.components.values():
            ctype = (comp.component_type or "").removeprefix("rerun.components.")
            static = "yes" if comp.static_rows else ""
            rows.append(
                [
                    entity.path if first else "",
                    comp.component,
                    ctype,
                    str(comp.temporal_rows + comp.static_rows),
                    static,
                ]
            )
            first = False
    lines += [""] + ["  " + r for r in _table(["entity", "component", "type", "rows", "static"], rows)]
    static_entities = [e.path for e in sorted(store.entities.values(), key=lambda e: e.path) if e.is_static]
    if static_entities:
        lines += ["", f"  static entities: {', '.join(static_entities)}"]
    return lines
