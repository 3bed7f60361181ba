"""The report page: one self-contained HTML file that opens from disk.

Styles are inline, plots are inline SVG, and pictures and videos are files beside the page named by
relative URLs, so the folder can be zipped, attached or opened with no server, fonts, scripts or
network. Every piece of text from a recording goes through `escape`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from .media import VIDEO_TYPES, RecordingMedia
from .model import RecordingFacts, ScalarPlot
from .plots import PlotStyle, svg_plot

ENTITIES_OPEN = 40  # longer entity tables start folded


@dataclass(frozen=True)
class RecordingReport:
    """One recording's part of the page: what was read and rendered, or why it could not be."""

    anchor: str  # the element id, also the name of its asset folder
    label: str
    path: Path
    params: dict[str, str] = field(default_factory=dict)
    facts: RecordingFacts | None = None
    media: RecordingMedia | None = None
    error: str | None = None  # the recording could not be read: the card says why


CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
       background: #f4f5f7; color: #1d1f23; }
header, main { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 18px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 2px; }
h3 { font-size: 14px; margin: 18px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: #555; }
.sub { color: #666; margin: 0 0 10px; }
.card { background: #fff; border: 1px solid #dcdfe4; border-radius: 8px; padding: 16px 18px;
        margin: 16px 0; overflow-x: auto; }
.card.error { border-color: #d9534f; background: #fff6f6; }
.error-message { color: #a12622; white-space: pre-wrap; }
table { border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 3px 10px 3px 0; vertical-align: top; border-bottom: 1px solid #eee; }
th { color: #555; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.media { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.media img, .media video { max-width: calc(50% - 6px); }
.media img, .media video, .grid img, .grid video { border-radius: 4px; background: #1a1a1a; }
.sheet img { max-width: 100%; }
.grid { width: 100%; }
.grid img, .grid video { width: 100%; min-width: 160px; max-width: 320px; height: auto; }
.differs { background: #fff3c4; }
.notes { color: #7a5b00; margin: 6px 0; padding-left: 18px; }
.notes.errors { color: #a12622; }
.level-warn, .level-warning { color: #8a5a00; }
.level-error, .level-critical { color: #b3261e; font-weight: 600; }
.level-debug, .level-trace { color: #777; }
.log-text { white-space: pre-wrap; overflow-wrap: anywhere; }
figure { margin: 8px 0 14px; }
figcaption { font-weight: 600; margin-bottom: 2px; }
svg.plot { font: 11px system-ui, sans-serif; fill: #333; max-width: 100%; height: auto; }
svg.plot text { stroke: none; fill: #333; }
svg.plot .axis { fill: #555; }
nav ul { margin: 4px 0 0; padding-left: 18px; }
footer { color: #888; font-size: 12px; text-align: center; padding: 20px; }
"""


def url(path: Path, root: Path) -> str:
    """`path` as a URL relative to the page in `root` (spaces, `#` and non-ASCII percent-encoded)."""
    return quote(Path(os.path.relpath(path, root)).as_posix())


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """An HTML table; cells are HTML already (escape text before passing it)."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    number = ' class="num"'
    lines = ["".join(f"<td{number if i in numeric else ''}>{c}</td>" for i, c in enumerate(r)) for r in rows]
    body = "".join(f"<tr>{line}</tr>" for line in lines)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _img(path: Path, root: Path, alt: str, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<img{klass} src="{url(path, root)}" alt="{escape(alt)}" loading="eager">'


def _video(media: RecordingMedia, root: Path, label: str) -> str:
    """A `<video>` with one `<source>` per file (the browser plays the first it can), or an `<img>` for
    an animated GIF handed over as the video."""
    if not media.videos:
        return ""
    if all(v.suffix.lower() == ".gif" for v in media.videos):
        return _img(media.videos[0], root, f"{label}: animation")
    poster = f' poster="{url(media.poster, root)}"' if media.poster else ""
    sources = "".join(
        f'<source src="{url(v, root)}" type="{VIDEO_TYPES[v.suffix.lower()]}">'
        if v.suffix.lower() in VIDEO_TYPES
        else f'<source src="{url(v, root)}">'
        for v in media.videos
    )
    return (
        f'<video controls muted playsinline preload="auto"{poster} aria-label="{escape(label)}: video">'
        f"{sources}</video>"
    )


def _notes(media: RecordingMedia | None, facts: RecordingFacts | None) -> str:
    notes = list(facts.notes if facts else ()) + list(media.notes if media else ())
    out = ""
    if media and media.errors:
        out += '<ul class="notes errors">' + "".join(f"<li>{escape(e)}</li>" for e in media.errors) + "</ul>"
    if notes:
        out += '<ul class="notes">' + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul>"
    return out


def _sweep_grid(reports: Sequence[RecordingReport], root: Path) -> str:
    """The runs side by side: one column each, a row per parameter (values that differ between runs
    marked), then each run's poster and video."""
    keys = list(dict.fromkeys(k for r in reports for k in r.params))
    head = "".join(f'<th><a href="#{r.anchor}">{escape(r.label)}</a></th>' for r in reports)
    rows = []
    for key in keys:
        values = [r.params.get(key, "") for r in reports]
        cls = ' class="differs"' if len(set(values)) > 1 else ""
        cells = "".join(f"<td{cls}>{escape(v)}</td>" for v in values)
        rows.append(f"<tr><th>{escape(key)}</th>{cells}</tr>")
    posters, videos = [], []
    for r in reports:
        media = r.media
        if r.error is not None:
            posters.append('<td class="error-message">failed: see below</td>')
            videos.append("<td></td>")
            continue
        poster = _img(media.poster, root, f"{r.label}: poster") if media and media.poster else ""
        posters.append(f"<td>{poster}</td>")
        videos.append(f"<td>{_video(media, root, r.label) if media else ''}</td>")
    rows.append("<tr><th>poster</th>" + "".join(posters) + "</tr>")
    rows.append("<tr><th>video</th>" + "".join(videos) + "</tr>")
    return (
        '<section class="card" id="sweep"><h2>Runs side by side</h2>'
        f'<table class="grid"><thead><tr><th></th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        "</section>"
    )


def _card(report: RecordingReport, root: Path, plot_style: PlotStyle) -> str:
    label = escape(report.label)
    path = escape(str(report.path))
    if report.error is not None or report.facts is None:
        return (
            f'<section class="card error" id="{report.anchor}"><h2>{label}</h2>'
            f'<p class="sub mono">{path}</p>'
            f'<p class="error-message">{escape(report.error or "not read")}</p></section>'
        )
    facts, media = report.facts, report.media
    identity = [
        f"<code>{path}</code>",
        f"application <code>{escape(facts.application_id)}</code>",
        f"recording id <code>{escape(facts.recording_id)}</code>",
        f"written by {escape(facts.writer)}",
        f"{facts.chunks} chunks, {facts.rows} rows",
    ]
    if facts.truncated:
        identity.append("<strong>truncated: read up to the damage</strong>")
    parts = [
        f'<section class="card" id="{report.anchor}"><h2>{label}</h2>',
        f'<p class="sub">{" · ".join(identity)}</p>',
    ]
    if report.params:
        params = [[escape(k), escape(v)] for k, v in report.params.items()]
        parts.append(_table(["parameter", "value"], params))
    if media is not None:
        shown = []
        if media.poster is not None:
            shown.append(_img(media.poster, root, f"{report.label}: poster frame"))
        shown.append(_video(media, root, report.label))
        parts.append(f'<div class="media">{"".join(shown)}</div>')
        if media.contact_sheet is not None:
            played = f" ({escape(media.timeline)})" if media.timeline else ""
            parts.append(
                f'<h3>Across the timeline{played}</h3><div class="sheet">'
                + _img(media.contact_sheet, root, f"{report.label}: frames across the timeline")
                + "</div>"
            )
    parts.append(_notes(media, facts))
    parts.append(_timelines(facts, media.timeline if media is not None else facts.main_timeline))
    if facts.plots:
        parts.append("<h3>Scalars</h3>")
        for plot in facts.plots:
            caption = f"<figcaption><code>{escape(plot.entity)}</code></figcaption>"
            parts.append(f"<figure>{caption}{_plot(plot, plot_style)}</figure>")
    if facts.log_total:
        parts.append(_logs(facts))
    if facts.properties:
        parts.append("<h3>Recording properties</h3>")
        props = [[escape(p.key), escape(p.value)] for p in facts.properties]
        parts.append(_table(["property", "value"], props))
    parts.append(_entities(facts))
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _plot(plot: ScalarPlot, style: PlotStyle) -> str:
    """The plot, or a line saying why it could not be drawn: one odd series must not cost the page."""
    try:
        return svg_plot(plot, style)
    except Exception as e:  # a bug in the plotting, shown where the plot would be
        problem = escape(
            f"could not plot this (a bug in rerender, please report it): {type(e).__name__}: {e}"
        )
        return f'<p class="error-message">{problem}</p>'


def _timelines(facts: RecordingFacts, played: str | None) -> str:
    if not facts.timelines:
        return "<h3>Timelines</h3><p>none: the recording holds static data only</p>"
    rows = [
        [
            escape(t.name) + (" (played)" if t.name == played else ""),
            t.kind.value,
            escape(t.min_text),
            escape(t.max_text),
            str(t.ticks),
        ]
        for t in facts.timelines
    ]
    return "<h3>Timelines</h3>" + _table(["timeline", "kind", "from", "to", "ticks"], rows, numeric=[4])


def _logs(facts: RecordingFacts) -> str:
    shown = len(facts.logs)
    note = f" (the first {shown} of {facts.log_total})" if shown < facts.log_total else f" ({shown})"
    rows = [
        [
            escape(f"{line.timeline} {line.time_text}" if line.timeline else line.time_text),
            f"<code>{escape(line.entity)}</code>",
            f'<span class="level-{escape(line.level.lower())}">{escape(line.level)}</span>',
            f'<span class="log-text">{escape(line.text)}</span>',
        ]
        for line in facts.logs
    ]
    return f"<h3>Text logs{note}</h3>" + _table(["time", "entity", "level", "text"], rows)


def _entities(facts: RecordingFacts) -> str:
    rows = [
        [
            f"<code>{escape(e.path)}</code>",
            escape(", ".join(e.archetypes)),
            str(e.rows),
            "yes" if e.static else "",
        ]
        for e in facts.entities
    ]
    opened = " open" if len(rows) <= ENTITIES_OPEN else ""
    return (
        f'<details{opened}><summary><h3 style="display:inline">Entities ({len(rows)})</h3></summary>'
        + _table(["entity", "archetypes", "rows", "static"], rows, numeric=[2])
        + "</details>"
    )


def render_page(
    title: str, reports: Sequence[RecordingReport], root: Path, plot_style: PlotStyle | None = None
) -> str:
    """The whole page for `reports`, with asset URLs relative to `root` (where the page is written)."""
    plot_style = plot_style or PlotStyle()
    failed = sum(r.error is not None for r in reports)
    summary = f"{len(reports)} recording{'s' if len(reports) != 1 else ''}"
    if failed:
        summary += f", {failed} could not be read"
    body = [f'<header><h1>{escape(title)}</h1><p class="sub">{summary}</p>']
    if len(reports) > 1:
        links = "".join(f'<li><a href="#{r.anchor}">{escape(r.label)}</a></li>' for r in reports)
        body.append(f"<nav><ul>{links}</ul></nav>")
    body.append("</header><main>")
    if len(reports) > 1 and any(r.params for r in reports):
        body.append(_sweep_grid(reports, root))
    body += [_card(r, root, plot_style) for r in reports]
    body.append(f"</main><footer>made by rerender {escape(__version__)}</footer>")
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
