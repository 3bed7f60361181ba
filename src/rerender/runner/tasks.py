"""What runs in the executor's workers: module-level functions of picklable values (dataclasses of
paths, text and settings), so the same tasks run in a local process pool or on a Ray cluster.

Each returns a `TaskResult`: the text for the job's log and, when it failed, one paragraph saying why.
Heavy imports (OpenGL, the report) happen inside the functions, in the worker, never in the runner.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import traceback
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import RerenderError

if TYPE_CHECKING:
    from ..pipeline.layers import SettingsSources
    from ..report import RecordingReport
    from ..values import Size

# `rerender run` in a fresh interpreter: a logging script is user code, which may exit, crash or leave
# threads behind; `-c` needs no console script on the PATH (Ray nodes, other venvs). It ends when the
# worker that started it ends ({parent}: the worker's pid; see `lifetime.die_with_parent`), so that a
# pipeline stopped or killed leaves no script writing its outputs.
RERENDER_CLI = (
    "import sys; from rerender.pipeline.lifetime import die_with_parent; die_with_parent({parent}); "
    "from rerender.cli import main; sys.exit(main(prog_name='rerender'))"
)
STILL_SUFFIXES = (".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class TaskResult:
    """One task's log text, its error (None: it worked), when it started (epoch seconds) and how long
    it took in the worker, and, for tasks that return one, a value."""

    log: str
    error: str | None = None
    started: float = 0.0
    seconds: float = 0.0
    value: object = None


def _since(started: float) -> tuple[float, float]:
    """(start, seconds) for a TaskResult, from a `time.time()` taken when the task began."""
    return started, time.time() - started


@dataclass(frozen=True)
class ScriptRun:
    """`rerender run -o OUTPUT SCRIPT ARGS...` in `cwd`, with `env` added to the environment."""

    script: Path
    args: tuple[str, ...]
    output: Path
    cwd: Path
    env: Mapping[str, str] = field(default_factory=dict)


def run_script(task: ScriptRun) -> TaskResult:
    """Run the logging script in its own interpreter; its stdout and stderr are the log. The recording
    is captured beside the output and moved into place when the script ends (also when it failed: what
    it logged is kept, as `rerender run` keeps it), so a script that saves to the same path itself
    (`rr.save(sys.argv[1])`) does not write one file through two handles."""
    started = time.time()
    partial = task.output.with_name(f".{task.output.name}.partial")
    task.output.parent.mkdir(parents=True, exist_ok=True)
    partial.unlink(missing_ok=True)  # left by an interrupted run
    command = [
        sys.executable,
        "-c",
        RERENDER_CLI.format(parent=os.getpid()),
        "run",
        "-o",
        _rel(partial, task.cwd),
        str(task.script),
        *task.args,
    ]
    env = {**os.environ, **task.env, "PYTHONUNBUFFERED": "1"}
    try:
        done = subprocess.run(
            command,
            cwd=task.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            check=False,
        )
    except OSError as e:
        return TaskResult("", f"could not start {sys.executable}: {e}", *_since(started))
    moved = partial.exists()
    if moved:
        os.replace(partial, task.output)
    shown = " ".join(["rerender run -o", _rel(partial, task.cwd), _rel(task.script, task.cwd), *task.args])
    log = f"$ cd {task.cwd} && {shown}\n{done.stdout}"
    if moved:
        log += f"moved it to {_rel(task.output, task.cwd)}\n"
    error = None
    if done.returncode:
        last = next((line for line in reversed(done.stdout.splitlines()) if _telling(line)), "")
        script = _rel(task.script, task.cwd)
        error = f"{script} exited with code {done.returncode}" + (f": {last.strip()}" if last else "")
    elif not task.output.exists():
        error = f"{_rel(task.script, task.cwd)} ran, but wrote no recording to {_rel(task.output, task.cwd)}"
    return TaskResult(log, error, *_since(started))


@dataclass(frozen=True)
class RenderOutput:
    """One output of a render job: its recording, the settings' sources and where to write."""

    recording: Path
    output: Path
    sources: SettingsSources
    threads: int = 1
    root: Path = Path("/")  # messages show paths relative to it


def render_output(task: RenderOutput) -> TaskResult:
    """Resolve the settings against the recording and render it: a still for `.png`/`.jpg` outputs
    (at `time.still`, else the last state), else a video or frame folder. Warnings go to the log."""
    from ..pipeline.layers import resolve_settings
    from ..pipeline.render_job import RenderJob, render_still, run
    from ..store import load

    started = time.time()
    recording, output = _rel(task.recording, task.root), _rel(task.output, task.root)
    lines = [f"render {recording} -> {output}"]
    error = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            loaded = load(task.recording)
            # The path, not its display: the recording's own blueprint is read from it.
            settings = resolve_settings(loaded, task.recording, task.sources).settings
            job = RenderJob(loaded, task.output, settings, source=recording)
            still = task.output.suffix.lower() in STILL_SUFFIXES and "%" not in task.output.name
            task.output.parent.mkdir(parents=True, exist_ok=True)
            if still:
                render_still(job)
                lines.append(f"wrote {output}")
            elif settings.time.still is not None:
                error = f"{output}: a still (time.still) is one image; write it to a .png"
            else:
                frames = run(job, threads=task.threads)
                lines.append(f"wrote {frames} frames to {output}")
        except RerenderError as e:
            error = str(e)
        except Exception as e:  # a bug, not the user's input: keep the traceback in the log
            lines.append(traceback.format_exc())
            error = f"{output}: unexpected {type(e).__name__} (a bug in rerender): {e}"
    lines[1:1] = [f"Warning: {w.message}" for w in caught]
    if error:
        lines.append(f"Error: {error}")
    return TaskResult("\n".join(lines) + "\n", error, *_since(started))


@dataclass(frozen=True)
class ReportCard:
    """One recording of a report: its position on the page, the video rendered for it by a render job
    (None: the report renders its own), and the sweep parameters of the run that logged it."""

    recording: Path
    output_dir: Path
    index: int
    video: Path | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    size: Size | None = None  # None: the report's default
    render: bool = True


def report_card(task: ReportCard) -> TaskResult:
    """One recording's card (facts, plots, logs, poster, contact sheet, video) and its assets; the page
    that joins the cards is written by the runner when all of them are done."""
    from ..report import MediaOptions, ReportInput, ReportOptions, report_recording

    started = time.time()
    media = MediaOptions() if task.size is None else MediaOptions(size=task.size)
    options = ReportOptions(media=media, render=task.render)
    item = ReportInput(task.recording, video=task.video, params=dict(task.params))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        card = report_recording(item, task.output_dir, task.index, options)
    lines = [f"report card {task.index + 1}: {task.recording}"]
    lines += [f"Warning: {w.message}" for w in caught]
    problems = card_problems(card)
    lines += [f"Error: {p}" for p in problems]
    return TaskResult("\n".join(lines) + "\n", "; ".join(problems) or None, *_since(started), card)


def _telling(line: str) -> bool:
    """Whether a line of a script's output may say why it failed (not `rerender run`'s own notes)."""
    return bool(line.strip()) and not line.startswith(("recording written to ", "Interrupted; "))


def _rel(path: Path, cwd: Path) -> str:
    """`path` relative to `cwd` when it is below it (shorter logs, same meaning in that folder)."""
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)


def card_problems(card: RecordingReport) -> list[str]:
    """Why a card is incomplete: the recording could not be read, or a picture or video failed."""
    if card.error:
        return [card.error]
    return [f"{card.path}: {e}" for e in (card.media.errors if card.media is not None else ())]
