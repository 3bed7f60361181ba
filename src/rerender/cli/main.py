"""`rerender`: the command group; each subcommand lives in its own module."""

from __future__ import annotations

import warnings

import click

from .. import __version__
from .doctor import doctor_command
from .export import export_command
from .filter import filter_command
from .info import info_command
from .pipeline import pipeline_command
from .preview import preview_command
from .query import query_command
from .render import render_command
from .report import report_command
from .run import run_command
from .serve import serve_command


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    # Recoverable damage (a truncated tail) is worth one line on stderr, not a stack location.
    prefix = "Warning" if issubclass(category, UserWarning) else category.__name__
    click.echo(f"{prefix}: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="rerender")
def main() -> None:
    """Turn Rerun .rrd recordings into videos, images and reports, headless."""
    warnings.showwarning = _show_warning


main.add_command(info_command)
main.add_command(filter_command)
main.add_command(run_command)
main.add_command(query_command)
main.add_command(render_command)
main.add_command(doctor_command)
main.add_command(export_command)
main.add_command(report_command)
main.add_command(pipeline_command)
main.add_command(serve_command)
main.add_command(preview_command)
