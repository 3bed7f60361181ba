"""`write_report`: recordings in, `index.html` and its assets out.

Each recording is reported on its own (`report_recording`): a file that cannot be read becomes an error
card naming it, and the others are still reported. `write_index` writes the page for reports made
elsewhere (a pipeline that reports its runs in parallel calls `report_recording` per run, then it).
"""

from __future__ import annotations

import os
import re
import shutil
import warnings
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import RerenderError
from ..store import load
from .html import RecordingReport, render_page
from .media import MediaOptions, RecordingMedia, adopt_video, render_media
from .model import MAX_LOG_LINES, gather
from .plots import PlotStyle

ASSETS = "assets"
INDEX = "index.html"
ANCHOR_NAME = re.compile(r"\d{2,}-[A-Za-z0-9_.-]+")  # what `anchor` makes


@dataclass(frozen=True)
class ReportInput:
    """One recording to report on: `video` is a render made elsewhere (used instead of rendering one),
    `params` the run's parameters in a sweep, `label` its title (default: the recording name, else the
    file name)."""

    recording: Path
    video: Path | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    label: str | None = None


@dataclass(frozen=True)
class ReportOptions:
    """How much each recording's card shows. `render=False` leaves out pictures and videos (facts,
    plots and logs only; no OpenGL needed)."""

    media: MediaOptions = field(default_factory=MediaOptions)
    render: bool = True
    max_log_lines: int = MAX_LOG_LINES
    plot: PlotStyle = field(default_factory=PlotStyle)


@dataclass(frozen=True)
class RecordingFailure:
    """A recording that could not be read, or a picture or video of it that could not be made."""

    recording: Path
    message: str


@dataclass(frozen=True)
class ReportResult:
    """The page written, and what failed along the way (each shown on the page too)."""

    index: Path
    failures: tuple[RecordingFailure, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures


def anchor(index: int, path: Path) -> str:
    """A recording's id on the page and the name of its asset folder: `03-dna_abacus`."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", path.stem).strip("._") or "recording"
    return f"{index + 1:02d}-{stem[:40]}"


def report_recording(
    item: ReportInput, output_dir: Path, index: int, options: ReportOptions | None = None
) -> RecordingReport:
    """Read one recording and render its pictures into `output_dir/assets/<anchor>/`; never raises for a
    bad recording (the report carries the error instead)."""
    options = options or ReportOptions()
    path = Path(item.recording)
    name = anchor(index, path)
    params = {str(k): str(v) for k, v in item.params.items()}
    label = item.label or path.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # damage is noted once, by gather, which reads the file again
            recording = load(path)
        facts = gather(path, recording, max_log_lines=options.max_log_lines)
    except Exception as e:  # any failure: one bad file must not cost the others their report
        return RecordingReport(name, label, path, params, error=_describe(e, path))
    label = item.label or facts.name or path.name
    media = None
    assets = Path(output_dir) / ASSETS / name
    video = Path(item.video) if item.video is not None else None
    try:
        if options.render:
            media = render_media(recording, path, assets, options.media, video=video)
        elif video is not None:
            assets.mkdir(parents=True, exist_ok=True)
            media = RecordingMedia(videos=(adopt_video(video, assets),))
    except Exception as e:  # render_media keeps expected errors itself; this is a bug, shown on the card
        return RecordingReport(name, label, path, params, facts, error=_describe(e, path))
    return RecordingReport(name, label, path, params, facts, media)


def _describe(error: Exception, path: Path) -> str:
    if isinstance(error, RerenderError):
        message = str(error)
    elif isinstance(error, OSError):
        message = f"{error.filename or path}: {error.strerror or error}"
    else:  # not the file's fault: say so, so that it gets reported rather than worked around
        message = f"{path}: unexpected {type(error).__name__} (a bug in rerender, please report it): {error}"
    return message if str(path) in message else f"{path}: {message}"


def failures(reports: Sequence[RecordingReport]) -> tuple[RecordingFailure, ...]:
    """Every recording that failed to be read, and every picture or video that failed to be made."""
    out = []
    for r in reports:
        if r.error is not None:
            out.append(RecordingFailure(r.path, r.error))
        elif r.media is not None:
            out += [RecordingFailure(r.path, f"{r.path}: {e}") for e in r.media.errors]
    return tuple(out)


def distinct_labels(reports: Sequence[RecordingReport]) -> list[RecordingReport]:
    """`reports`, those whose labels repeat (runs of a sweep named alike) told apart by the parameters
    that differ between them, and any still alike by their file's path."""
    counts = Counter(r.label for r in reports)
    labels = []
    for r in reports:
        alike = [o for o in reports if o.label == r.label] if counts[r.label] > 1 else [r]
        keys = dict.fromkeys(k for o in alike for k in o.params)
        differing = [k for k in keys if len({o.params[k] for o in alike if k in o.params}) > 1]
        suffix = ", ".join(f"{k}={r.params[k]}" for k in differing if k in r.params)
        labels.append(f"{r.label} ({suffix})" if suffix else r.label)
    counts = Counter(labels)
    return [
        replace(r, label=label if counts[label] < 2 else f"{label} ({r.path})")
        for r, label in zip(reports, labels, strict=True)
    ]


def write_index(
    reports: Sequence[RecordingReport],
    output_dir: Path,
    *,
    title: str | None = None,
    plot_style: PlotStyle | None = None,
) -> Path:
    """Write `output_dir/index.html` for `reports` (whose assets are under `output_dir`); returns its
    path. The file is written whole and then renamed into place."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    reports = distinct_labels(reports)
    if title is None:
        title = f"{reports[0].label}: rerender report" if len(reports) == 1 else "rerender report"
    index = output_dir / INDEX
    partial = output_dir / f".{INDEX}.partial"
    partial.write_text(render_page(title, reports, output_dir, plot_style), encoding="utf-8")
    os.replace(partial, index)
    prune_assets(output_dir, {r.anchor for r in reports})
    return index


def prune_assets(output_dir: Path, kept: set[str]) -> None:
    """Delete the asset folders of an earlier report in `output_dir` that this page does not show, so
    that a folder zipped or shared carries no other report's videos. Only folders named as `anchor`
    names them are touched."""
    for folder in (output_dir / ASSETS).glob("*"):
        if folder.is_dir() and folder.name not in kept and ANCHOR_NAME.fullmatch(folder.name):
            shutil.rmtree(folder, ignore_errors=True)


def write_report(
    recordings: Sequence[ReportInput],
    output_dir: Path,
    *,
    title: str | None = None,
    options: ReportOptions | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
) -> ReportResult:
    """Report on `recordings` in `output_dir` (created): `index.html`, with pictures and videos under
    `assets/`. A recording that cannot be read gets an error card and a `failures` entry; the rest of
    the report is written all the same. `progress(done, total, recording)` is called before each."""
    if not recordings:
        raise ValueError("write_report needs at least one recording")
    options = options or ReportOptions()
    reports = []
    for i, item in enumerate(recordings):
        if progress is not None:
            progress(i, len(recordings), Path(item.recording))
        reports.append(report_recording(item, Path(output_dir), i, options))
    index = write_index(reports, Path(output_dir), title=title, plot_style=options.plot)
    return ReportResult(index, failures(reports))
