"""HTML reports of recordings: `write_report([ReportInput(path), ...], out_dir)` writes `index.html`
with each recording's poster, contact sheet, video, timelines, entities, scalar plots, text logs and
properties, and a side-by-side grid of the runs of a sweep. It opens from disk (no server)."""

from .build import (
    RecordingFailure,
    ReportInput,
    ReportOptions,
    ReportResult,
    report_recording,
    write_index,
    write_report,
)
from .html import RecordingReport
from .media import MediaOptions, RecordingMedia
from .model import RecordingFacts, gather
from .plots import PlotStyle

__all__ = [
    "MediaOptions",
    "PlotStyle",
    "RecordingFacts",
    "RecordingFailure",
    "RecordingMedia",
    "RecordingReport",
    "ReportInput",
    "ReportOptions",
    "ReportResult",
    "gather",
    "report_recording",
    "write_index",
    "write_report",
]
