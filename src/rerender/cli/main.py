"""`rerender`: the command group; each subcommand lives in its own module."""

from __future__ import annotations

import importlib
import warnings

import click

from .. import __version__

# Each subcommand's module, imported only when that command runs (or `--help` lists it): most import
# the whole renderer, numpy and pyarrow (0.6 s), which `rerender pipeline` with nothing to do, or
# `rerender --version`, need not wait for.
COMMANDS = {
    "doctor": "doctor:doctor_command",
    "export": "export:export_command",
    "filter": "filter:filter_command",
    "info": "info:info_command",
    "pipeline": "pipeline:pipeline_command",
    "preview": "preview:preview_command",
    "query": "query:query_command",
    "render": "render:render_command",
    "report": "report:report_command",
    "run": "run:run_command",
    "serve": "serve:serve_command",
}


class _Commands(click.Group):
    """A command group that imports a subcommand's module when the subcommand is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name].split(":")
        return getattr(importlib.import_module(f"{__package__}.{module}"), name)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    # Recoverable damage (a truncated tail) is worth one line on stderr, not a stack location.
    prefix = "Warning" if issubclass(category, UserWarning) else category.__name__
    click.echo(f"{prefix}: {message}", err=True)


@click.group(
    cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(__version__, prog_name="rerender")
def main() -> None:
    """Turn Rerun .rrd recordings into videos, images and reports, headless."""
    warnings.showwarning = _show_warning
