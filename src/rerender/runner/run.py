"""Running a pipeline: jobs in dependency order, independent ones at once on an executor, up-to-date
ones skipped, a failed job's dependents blocked (the others go on), and a summary at the end.

Each job's tasks (`kinds.JOB_KINDS[kind].tasks`) are submitted to the executor as soon as every job
it needs has finished; the executor is only started when some job has to run, so an up-to-date
pipeline costs its hashing and nothing else. Each job that ran leaves its log in
`<state>/logs/<pipeline>/<job>.log`; the state file is rewritten as each job finishes.
"""

from __future__ import annotations

import concurrent.futures
import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..pipeline.executors import Executor, WorkerDied, make_executor
from ..pipeline.lifetime import exit_code, interruptible
from .cache import Fingerprint, PipelineState, Verdict, fingerprint, judge
from .kinds import JOB_KINDS
from .model import Job, Pipeline
from .tasks import TaskResult

Echo = Callable[[str], None]


class Status(enum.Enum):
    """How a job ended; `failed` statuses make the exit code non-zero."""

    DONE = "done"
    UP_TO_DATE = "up to date"
    FAILED = "failed"
    BLOCKED = "blocked"
    INTERRUPTED = "interrupted"
    NOT_RUN = "not run"
    WOULD_RUN = "would run"  # --dry-run

    @property
    def failed(self) -> bool:
        return self in (Status.FAILED, Status.BLOCKED, Status.INTERRUPTED, Status.NOT_RUN)


@dataclass(frozen=True)
class RunOptions:
    """`--executor`, `--jobs` (None: one per core), `--address`."""

    executor: str = "local"
    slots: int | None = None
    address: str | None = None


@dataclass(frozen=True)
class JobOutcome:
    """One job's result: why it ran or not (`reason`: the verdict, the error, or the job it waited on),
    how long it took, and its log file when it ran."""

    job: Job
    status: Status
    reason: str
    seconds: float | None = None
    log: Path | None = None

    @property
    def label(self) -> str:
        if self.status is Status.BLOCKED:
            return f"blocked by {self.reason}"
        return self.status.value


@dataclass(frozen=True)
class RunSummary:
    pipeline: Pipeline
    outcomes: tuple[JobOutcome, ...]
    seconds: float
    interrupted: bool = False
    interrupt_code: int = 130  # 128 + the signal: 130 for Ctrl-C, 143 for SIGTERM

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return self.interrupt_code
        return 1 if any(o.status.failed for o in self.outcomes) else 0


def log_path(pipeline: Pipeline, job: Job) -> Path:
    """`sweep[lr=0.1,seed=0]` -> `<state>/logs/<pipeline>/sweep_lr=0.1_seed=0.log` (one file per job)."""
    return pipeline.log_file(job)


# --- the plan (--dry-run) -----------------------------------------------------------------------------


def plan_pipeline(pipeline: Pipeline) -> tuple[JobOutcome, ...]:
    """What a run would do, reading files but writing nothing: each job would run (and why) or is up
    to date. A job after one that would run would run too (its inputs are about to change)."""
    state = PipelineState.load(pipeline.state_file, pipeline.old_state_files)
    outcomes: dict[str, JobOutcome] = {}
    for job in pipeline.jobs:
        upstream = [n for n in pipeline.needs[job.name] if outcomes[n].status is Status.WOULD_RUN]
        fp = fingerprint(job, state.hashes, pipeline.root)
        verdict = judge(job, fp, state.find(job, fp), pipeline.root)
        if verdict.run:
            outcomes[job.name] = JobOutcome(job, Status.WOULD_RUN, verdict.reason)
        elif upstream:
            outcomes[job.name] = JobOutcome(job, Status.WOULD_RUN, f"after {upstream[0]} runs")
        else:
            outcomes[job.name] = JobOutcome(job, Status.UP_TO_DATE, verdict.reason)
    return tuple(outcomes.values())


# --- running ------------------------------------------------------------------------------------------


@dataclass
class _Running:
    """A job whose tasks are out: its fingerprint (recorded if it succeeds) and its tasks' results."""

    job: Job
    fingerprint: Fingerprint
    verdict: Verdict
    started: float
    results: list[TaskResult | None] = field(default_factory=list)
    futures: list[concurrent.futures.Future] = field(default_factory=list)
    announced: bool = False  # "started" was printed (when a task of it began, not when it was queued)

    def began(self) -> bool:
        return any(f.running() or (f.done() and not f.cancelled()) for f in self.futures)


class _Run:
    """One run of a pipeline (its state lives here, for the length of the run)."""

    def __init__(self, pipeline: Pipeline, options: RunOptions, echo: Echo) -> None:
        self.pipeline = pipeline
        self.options = options
        self.echo = echo
        self.state = PipelineState.load(pipeline.state_file, pipeline.old_state_files)
        self.outcomes: dict[str, JobOutcome] = {}
        self.pending: list[Job] = list(pipeline.jobs)
        self.running: dict[str, _Running] = {}
        self.futures: dict[concurrent.futures.Future, tuple[str, int]] = {}
        self.executor: Executor | None = None
        self.width = len(str(len(pipeline.jobs)))

    def run(self) -> RunSummary:
        started = time.perf_counter()
        interrupt: KeyboardInterrupt | None = None
        # Ctrl-C and SIGTERM end the run alike; a second one while it stops is ignored (it escaped
        # this handling, and the interpreter then waited for pool workers at exit, for ever).
        with interruptible():
            finished = False
            try:
                while self.pending or self.futures:
                    self.start_ready()
                    self.announce()
                    if not self.futures:
                        break
                    # While a job waits for a free worker, look again soon, to say when it starts.
                    waiting = any(not r.announced for r in self.running.values())
                    done, _ = concurrent.futures.wait(
                        self.futures,
                        timeout=0.1 if waiting else None,
                        return_when=concurrent.futures.FIRST_COMPLETED,
                    )
                    for future in done:
                        self.task_done(future)
                finished = True
            except KeyboardInterrupt as e:
                interrupt = e
                for name, running in self.running.items():
                    if running.announced or running.began():
                        outcome = JobOutcome(running.job, Status.INTERRUPTED, "interrupted")
                    else:  # only queued
                        outcome = JobOutcome(running.job, Status.NOT_RUN, "the run was interrupted")
                    self.outcomes[name] = outcome
            finally:
                if self.executor is not None:
                    for future in self.futures:
                        future.cancel()
                    # Interrupted: the running tasks' workers (and their scripts) end now.
                    self.executor.close(wait=finished)
        interrupted = interrupt is not None
        if self.state.hashes.changed and not interrupted:
            self.state.save()  # e.g. after a `touch`: the new mtimes, so the files are not read again
        for job in self.pending:
            self.outcomes.setdefault(job.name, JobOutcome(job, Status.NOT_RUN, "the run was interrupted"))
        ordered = tuple(self.outcomes[job.name] for job in self.pipeline.jobs if job.name in self.outcomes)
        code = exit_code(interrupt) if interrupt is not None else 130
        return RunSummary(self.pipeline, ordered, time.perf_counter() - started, interrupted, code)

    def start_ready(self) -> None:
        """Settle every pending job whose needs have finished: blocked, up to date, or started. Repeats
        until nothing changes (a skipped job readies the jobs after it)."""
        progressed = True
        while progressed:
            progressed = False
            for job in list(self.pending):
                needs = self.pipeline.needs[job.name]
                if not all(n in self.outcomes for n in needs):
                    continue
                self.pending.remove(job)
                progressed = True
                failed = next((n for n in needs if self.outcomes[n].status.failed), None)
                if failed is not None:
                    self.finish(JobOutcome(job, Status.BLOCKED, failed))
                    continue
                fp = fingerprint(job, self.state.hashes, self.pipeline.root)
                verdict = judge(job, fp, self.state.find(job, fp), self.pipeline.root)
                if not verdict.run:
                    self.finish(JobOutcome(job, Status.UP_TO_DATE, verdict.reason))
                    continue
                self.submit(job, fp, verdict)

    def submit(self, job: Job, fp: Fingerprint, verdict: Verdict) -> None:
        if self.state.forget(job, fp):  # until it succeeds again, it is not done
            self.state.save()
        if self.executor is None:
            self.executor = make_executor(self.options.executor, self.options.slots, self.options.address)
        tasks = JOB_KINDS[job.kind].tasks(job, self.executor.threads)
        running = _Running(job, fp, verdict, time.perf_counter(), [None] * len(tasks))
        self.running[job.name] = running
        for index, task in enumerate(tasks):
            future = self.executor.submit(task.fn, task.arg)
            self.futures[future] = (job.name, index)
            running.futures.append(future)
        if not getattr(self.executor, "reports_starts", False):
            self.say_started(running)  # (Ray's futures do not say when their task starts)

    def announce(self) -> None:
        """Say "started" for each job whose first task has begun in a worker."""
        for running in self.running.values():
            if not running.announced and running.began():
                self.say_started(running)

    def say_started(self, running: _Running) -> None:
        running.announced = True
        self.echo(f"{' ' * len(self.counter())} {running.job.name}: started ({running.verdict.reason})")

    def task_done(self, future: concurrent.futures.Future) -> None:
        name, index = self.futures.pop(future)
        running = self.running[name]
        try:
            result = future.result()
        except WorkerDied as e:  # a crash in native code, the OOM killer: this task only
            result = TaskResult("", str(e), e.started, e.seconds)
        except Exception as e:
            result = TaskResult("", f"the worker running it failed: {type(e).__name__}: {e}")
        running.results[index] = result
        if any(r is None for r in running.results):
            return
        if not running.announced:
            self.say_started(running)
        del self.running[name]
        results = [r for r in running.results if r is not None]
        finish = JOB_KINDS[running.job.kind].finish
        if finish is not None and not any(r.error for r in results):
            try:
                results.append(finish(running.job, results))
            except OSError as e:
                results.append(TaskResult("", f"{e.filename or running.job.name}: {e.strerror or e}"))
        seconds = _elapsed(results) if results else time.perf_counter() - running.started
        errors = [r.error for r in results if r.error]
        log = self.write_log(running, results, seconds)
        if errors:
            self.finish(JobOutcome(running.job, Status.FAILED, "; ".join(errors), seconds, log))
            return
        self.state.record(running.job, running.fingerprint, self.pipeline.root, seconds)
        self.state.save()
        self.finish(JobOutcome(running.job, Status.DONE, running.verdict.reason, seconds, log))

    def write_log(self, running: _Running, results: list[TaskResult], seconds: float) -> Path:
        path = log_path(self.pipeline, running.job)
        path.parent.mkdir(parents=True, exist_ok=True)
        errors = [r.error for r in results if r.error]
        head = [
            f"# job {running.job.name} ({running.job.kind}), {time.strftime('%Y-%m-%d %H:%M:%S')}",
            f"# ran because: {running.verdict.reason}",
            f"# {'failed' if errors else 'done'} in {seconds:.1f}s",
        ]
        body = "".join(r.log for r in results)
        tail = "".join(f"Error: {e}\n" for e in errors)
        path.write_text("\n".join(head) + "\n" + body + tail, encoding="utf-8")
        return path

    def finish(self, outcome: JobOutcome) -> None:
        self.outcomes[outcome.job.name] = outcome
        took = f" in {outcome.seconds:.1f}s" if outcome.seconds is not None else ""
        detail = f": {outcome.reason}" if outcome.status is Status.FAILED else ""
        self.echo(f"{self.counter()} {outcome.job.name}: {outcome.label}{took}{detail}")

    def counter(self) -> str:
        return f"[{len(self.outcomes):>{self.width}}/{len(self.pipeline.jobs)}]"


def _elapsed(results: list[TaskResult]) -> float:
    """A job's time: from its first task's start to its last one's end, in the workers (time spent
    waiting for a free worker is not the job's)."""
    timed = [r for r in results if r.started]
    if not timed:
        return sum(r.seconds for r in results)
    return max(r.started + r.seconds for r in timed) - min(r.started for r in timed)


def run_pipeline(pipeline: Pipeline, options: RunOptions | None = None, echo: Echo = print) -> RunSummary:
    """Run the pipeline's jobs that are not up to date; `echo` gets a line as each job starts and ends."""
    return _Run(pipeline, options or RunOptions(), echo).run()


# --- text ---------------------------------------------------------------------------------------------


def format_table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_summary(summary: RunSummary) -> str:
    """The table of jobs (status, time, outputs), then each failure with its log, then the totals."""
    p = summary.pipeline
    rows = [["job", "status", "time", "outputs"]]
    for o in summary.outcomes:
        took = f"{o.seconds:.1f}s" if o.seconds is not None else "-"
        rows.append([o.job.name, o.label, took, ", ".join(p.show(out) for out in o.job.outputs)])
    lines = [format_table(rows)]
    failed = [o for o in summary.outcomes if o.status is Status.FAILED]
    if failed:
        lines.append("")
    for o in failed:
        lines.append(f"{o.job.name} failed: {o.reason}")
        if o.log is not None:
            lines.append(f"  log: {p.show(o.log)}")
    counts = {s: sum(1 for o in summary.outcomes if o.status is s) for s in Status}
    totals = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
    lines.append("")
    lines.append(f"{p.name}: {totals} in {summary.seconds:.1f}s; logs in {p.show(p.log_dir)}")
    return "\n".join(lines)


def format_plan(pipeline: Pipeline, outcomes: tuple[JobOutcome, ...]) -> str:
    """The --dry-run plan: each job in order, its kind, what it reads and writes, and what a run
    would do with it."""
    p = pipeline
    lines = [f"pipeline {p.name} ({p.file}): {len(p.jobs)} jobs; state {p.show(p.state_file)}", ""]
    for n, o in enumerate(outcomes, start=1):
        job = o.job
        verdict = f"would run: {o.reason}" if o.status is Status.WOULD_RUN else o.reason
        lines.append(f"{n}. {job.name} ({job.kind}): {verdict}")
        if job.params:
            lines.append("     params:  " + ", ".join(f"{k}={v}" for k, v in job.params.items()))
        if p.needs[job.name]:
            lines.append("     after:   " + ", ".join(p.needs[job.name]))
        lines.append("     inputs:  " + (", ".join(p.show(i.path) for i in job.inputs) or "-"))
        lines.append("     outputs: " + ", ".join(p.show(out) for out in job.outputs))
    would = sum(1 for o in outcomes if o.status is Status.WOULD_RUN)
    lines += ["", f"{would} of {len(outcomes)} jobs would run; nothing was run or written (--dry-run)"]
    return "\n".join(lines)
