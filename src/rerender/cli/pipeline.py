"""`rerender pipeline FILE.toml`: run a pipeline's jobs (the work is in `rerender.runner`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..pipeline.executors import EXECUTORS
from ..pipeline.lifetime import interruptible
from .errors import reports_errors


@click.command("pipeline", short_help="Run a pipeline of log, render and report jobs.")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-j",
    "--jobs",
    "slots",
    type=click.IntRange(min=1),
    help="How many tasks run at once.  [default: one per core]",
)
@click.option(
    "--executor",
    type=click.Choice(EXECUTORS),
    default="local",
    show_default=True,
    help="Where tasks run: local processes, or a Ray cluster (pip install 'rerender[ray]').",
)
@click.option("--address", metavar="ADDR", help="Ray cluster address (default: start a local Ray instance).")
@click.option("-n", "--dry-run", is_flag=True, help="Print the plan (what would run and why); run nothing.")
@reports_errors
def pipeline_command(file: str, slots: int | None, executor: str, address: str | None, dry_run: bool) -> None:
    """Run the jobs of pipeline FILE (pipelines/README.md): in dependency order, independent ones in
    parallel, skipping jobs whose inputs are unchanged since their outputs were made. Prints a summary;
    the exit code is 1 when a job failed or was blocked by one, 130 after Ctrl-C, 143 after SIGTERM."""
    from ..runner import RunOptions, format_plan, format_summary, load_pipeline, plan_pipeline, run_pipeline

    pipeline = load_pipeline(Path(file))
    if dry_run:
        click.echo(format_plan(pipeline, plan_pipeline(pipeline)))
        return
    # (outermost: a late second Ctrl-C, while the summary prints, is ignored too)
    with interruptible(exiting=True):
        summary = run_pipeline(
            pipeline, RunOptions(executor, slots, address), echo=lambda s: click.echo(s, err=True)
        )
        click.echo(format_summary(summary))
    if summary.exit_code:
        sys.exit(summary.exit_code)
