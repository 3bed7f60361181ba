"""`rerender info`: what a recording holds."""

from __future__ import annotations

import json
import warnings

import click

from ..errors import RerenderError
from ..rrd.messages import StoreKind
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
    views = blueprint_views(recording, summary) if recording != "-" else {}
    if as_json:
        data = summary.to_json()
        for store, store_json in zip(summary.stores, data["stores"], strict=True):
            if store.store_id in views:
                store_json["views"] = views[store.store_id]
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(render_summary(summary, views))


def blueprint_views(path: str, summary: FileSummary) -> dict:
    """{blueprint store id: its views in layout order, as JSON objects}: `name`, `class`, `origin`,
    `entity` (the blueprint's `/view/<uuid>`) and, for 3D views, `settings`: what the view's eye
    controls, background, line grid and contents map to in a config file (`camera`, `look`,
    `entities`), as `rerender render --blueprint` would use them. A blueprint that cannot be read is
    {"error": message} instead of a list. Empty (and nothing imported) without blueprint stores."""
    stores = [s.store_id for s in summary.stores if s.store_id.kind == StoreKind.BLUEPRINT]
    if not stores:
        return {}
    # Only here: the blueprint module pulls in the pipeline (config, camera framing, numpy).
    from ..pipeline.blueprint import VIEW_3D, blueprint_state, view_values, views_in
    from ..store import load

    result: dict = {}
    for store_id in stores:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a truncated file: summarize has warned already
                state = blueprint_state(load(path, kind="blueprint", recording_id=store_id.recording_id))
            views = []
            for view in views_in(state):
                entry: dict = {
                    "name": view.name,
                    "class": view.view_class,
                    "origin": view.origin,
                    "entity": view.entity,
                }
                if view.view_class == VIEW_3D:
                    entry["settings"] = view_values(state, view)
                views.append(entry)
            result[store_id] = views
        except RerenderError as e:
            result[store_id] = {"error": str(e)}
    return result


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return out


def render_summary(summary: FileSummary, views: dict | None = None) -> str:
    """The human-readable form of `rerender info`; `views` as `blueprint_views` gives them."""
    lines = [
        f"file:      {summary.path}",
        f"format:    RRD {', '.join(summary.format_versions)}"
        f"{'' if summary.footer else '  (no footer: rerun rrd verify will refuse it)'}",
        f"chunks:    {summary.chunks}" + ("   TRUNCATED: read up to the damage" if summary.truncated else ""),
    ]
    for store in summary.stores:
        lines += ["", *_render_store(store, (views or {}).get(store.store_id))]
    return "\n".join(lines)


def _render_store(store: StoreSummary, views: list | dict | None = None) -> list[str]:
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
    if store.store_id.kind == StoreKind.BLUEPRINT:
        lines += ["", *_render_views(views)]
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


def _render_views(views: list | dict | None) -> list[str]:
    if views is None:
        return ["  views: not read (from stdin, give the file's path to list them)"]
    if isinstance(views, dict):
        return [f"  views: could not be read: {views['error']}"]
    if not views:
        return ["  views: none"]
    lines = ["  views (layout order)"]
    rows = [[v["name"] if v["name"] is not None else "(unnamed)", v["class"], v["origin"]] for v in views]
    table = _table(["name", "class", "origin"], rows)
    lines += ["    " + table[0], "    " + table[1]]
    for row, view in zip(table[2:], views, strict=True):
        lines.append("    " + row)
        lines += [f"        {key:<11} {text}" for key, text in _settings_lines(view.get("settings") or {})]
    return lines


def _settings_lines(settings: dict) -> list[tuple[str, str]]:
    """A 3D view's settings (config-file form) as (label, text) lines: camera, background, grid,
    contents."""
    out = []
    camera = dict(settings.get("camera") or {})
    if camera:
        kind = camera.pop("kind", "")
        out.append(("camera", ", ".join([kind, *(f"{k} {_value(v)}" for k, v in camera.items())])))
    look = settings.get("look") or {}
    if "background" in look:
        out.append(("background", str(look["background"])))
    if "grid" in look:
        out.append(("grid", "on" if look["grid"] else "off"))
    entities = settings.get("entities") or {}
    rules = entities.get("rules", [])
    shown = {r["path"] for r in rules if r.get("visible") is True}
    pure = all(set(r) == {"path", "visible"} for r in rules)
    if rules and pure and set(entities.get("include", [])) <= shown:
        # the contents as ordered rules (a `+` inside a `-` subtree, or nothing shown)
        out.append(("contents", ", ".join(f"{'+' if r['visible'] else '-'} {r['path']}" for r in rules)))
    else:
        if "include" in entities or "exclude" in entities:
            parts = [f"+ {g}" for g in entities.get("include", [])]
            parts += [f"- {g}" for g in entities.get("exclude", [])]
            out.append(("contents", ", ".join(parts)))
        for r in rules:  # the view's defaults and per-entity overrides
            changes = ", ".join(f"{k} {_value(v)}" for k, v in r.items() if k != "path")
            out.append(("override", f"{r['path']}: {changes}"))
    return out


def _value(value: object) -> str:
    if isinstance(value, list | tuple):
        return "(" + ", ".join(_value(v) for v in value) + ")"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
