"""Pipelines: `rerender pipeline pipelines/NAME.toml` runs a list of jobs (log a script, render
recordings, build a report), in dependency order, independent ones in parallel, skipping those whose
inputs have not changed since their outputs were made. pipelines/README.md describes the file.

    spec.py    the file -> a checked `Pipeline` (errors name file, line and key)
    template   placeholders and matrix sweeps
    kinds.py   JOB_KINDS: each kind's keys, expansion into jobs, and tasks
    graph.py   ordering by inputs and outputs; missing producers and cycles
    cache.py   content hashes and the state file
    tasks.py   what runs in the executor's workers
    run.py     the run, the plan (--dry-run) and the summary
"""

from .kinds import JOB_KINDS
from .model import Job, Pipeline, PipelineError
from .run import (
    JobOutcome,
    RunOptions,
    RunSummary,
    Status,
    format_plan,
    format_summary,
    plan_pipeline,
    run_pipeline,
)
from .spec import load_pipeline

__all__ = [
    "JOB_KINDS",
    "Job",
    "JobOutcome",
    "Pipeline",
    "PipelineError",
    "RunOptions",
    "RunSummary",
    "Status",
    "format_plan",
    "format_summary",
    "load_pipeline",
    "plan_pipeline",
    "run_pipeline",
]
