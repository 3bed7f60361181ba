"""`rerender pipeline`: matrices and placeholders, bad files, the plan, skipping unchanged jobs,
failures that block only their dependents, and resuming an interrupted run.

Runs use a tiny logging script (3 frames of a few points) and 64x48 renders on a 2-slot local pool.
"""

from __future__ import annotations

import os
import re
import shutil
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rerender.cli import main
from rerender.runner import (
    PipelineError,
    RunOptions,
    RunSummary,
    Status,
    format_plan,
    format_summary,
    load_pipeline,
    plan_pipeline,
    run_pipeline,
)
from rerender.runner.template import TemplateError, expand_matrix, fill, placeholders

SCRIPT = """\
import argparse
import os
import sys

import rerender as rr

parser = argparse.ArgumentParser()
parser.add_argument("--n", type=int, default=2)
args = parser.parse_args()
rr.init("tiny", recording_id="tiny")
for frame in range(3):
    rr.set_time("frame", sequence=frame)
    rr.log("points", rr.Points3D([[i, 0.1 * frame, 0] for i in range(args.n)], radii=0.2))
print(f"logged {args.n} points")
if os.path.exists(os.environ.get("BROKEN", "/nonexistent")):  # fails while that file exists
    print("boom: failing on purpose", file=sys.stderr)
    sys.exit(3)
"""
OPTIONS = RunOptions(slots=2)


def _project(root: Path, pipeline: str, **files: str) -> Path:
    """A folder with the tiny script, two configs and `p.toml`; returns the pipeline's path."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "make.py").write_text(SCRIPT)
    (root / "a.toml").write_text('[output]\nsize = "64x48"\n')
    (root / "b.toml").write_text('[output]\nsize = "64x48"\n[look]\nbackground = "#ffffff"\n')
    for name, text in files.items():
        (root / name).write_text(text)
    path = root / "p.toml"
    path.write_text(textwrap.dedent(pipeline))
    return path


def _statuses(summary: RunSummary) -> dict[str, str]:
    return {o.job.name: o.label for o in summary.outcomes}


def _mtimes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _run(path: Path, lines: list[str] | None = None) -> RunSummary:
    return run_pipeline(
        load_pipeline(path), OPTIONS, echo=(lines.append if lines is not None else lambda s: None)
    )


# --- matrices and placeholders ------------------------------------------------------------------------


def test_matrix_expands_to_every_combination_in_order() -> None:
    points = expand_matrix({"lr": [0.1, 0.01], "seed": [0, 1], "opt": ["adam"]})
    assert points == [
        {"lr": "0.1", "seed": "0", "opt": "adam"},
        {"lr": "0.1", "seed": "1", "opt": "adam"},
        {"lr": "0.01", "seed": "0", "opt": "adam"},
        {"lr": "0.01", "seed": "1", "opt": "adam"},
    ]
    assert expand_matrix({}) == [{}]
    assert expand_matrix({"flag": [True, False], "x": [1e-3]}) == [
        {"flag": "true", "x": "0.001"},
        {"flag": "false", "x": "0.001"},
    ]
    for bad, problem in [
        ({"lr": []}, "an empty array; expected a non-empty array"),
        ({"lr": 0.1}, "0.1; expected a non-empty array"),
        ({"lr": [[1]]}, "[1] is not a string, number or boolean"),
        ({"lr": [1, 1]}, "1 appears twice"),
        ({"2lr": [1]}, "'2lr' is not a parameter name"),
    ]:
        with pytest.raises(TemplateError, match=re.escape(problem)):
            expand_matrix(bad)


def test_placeholders_fill_and_escape() -> None:
    assert placeholders("out/run_lr{lr}_s{seed}.rrd") == ["lr", "seed"]
    assert fill("out/{stem}_{lr}.mp4", {"stem": "run", "lr": "0.1"}) == "out/run_0.1.mp4"
    assert fill("{{literal}} {x}", {"x": "1"}) == "{literal} 1"
    with pytest.raises(TemplateError, match=r"unknown placeholder \{seed\}; the placeholders are: \{lr\}"):
        fill("--seed={seed}", {"lr": "0.1"})
    with pytest.raises(TemplateError, match="is not a placeholder"):
        placeholders("{a b}")


def test_sweep_jobs_carry_params_and_templated_paths(tmp_path: Path) -> None:
    path = _project(
        tmp_path,
        """
        root = "."
        [[job]]
        name = "sweep"
        kind = "log"
        script = "make.py"
        args = ["--n", "{n}", "--tag={tag}", "{output}"]
        output = "out/run_n{n}_{tag}.rrd"
        matrix = { n = [2, 3], tag = ["a"] }
        [[job]]
        name = "video"
        kind = "render"
        from = "sweep"
        outputs = ["out/{stem}.mp4", "out/still_n{n}.png"]
        """,
    )
    pipeline = load_pipeline(path)
    jobs = {job.name: job for job in pipeline.jobs}
    assert list(jobs) == ["sweep[n=2,tag=a]", "sweep[n=3,tag=a]", "video[n=2,tag=a]", "video[n=3,tag=a]"]
    first = jobs["sweep[n=2,tag=a]"]
    assert dict(first.params) == {"n": "2", "tag": "a"}
    assert first.work.args == ("--n", "2", "--tag=a", "out/run_n2_a.rrd")
    assert [pipeline.show(o) for o in jobs["video[n=3,tag=a]"].outputs] == [
        "out/run_n3_a.mp4",
        "out/still_n3.png",
    ]
    assert dict(jobs["video[n=3,tag=a]"].params) == {"n": "3", "tag": "a"}
    assert pipeline.needs["video[n=3,tag=a]"] == ("sweep[n=3,tag=a]",)
    assert pipeline.state_file == tmp_path / ".rerender-pipeline" / "p.json"


# --- bad files ----------------------------------------------------------------------------------------

LOG_A = '[[job]]\nname = "a"\nkind = "log"\nscript = "make.py"\noutput = "out/a.rrd"\n'

BAD_FILES = {
    "unknown key": (
        LOG_A + 'scirpt = "x.py"\n',
        6,
        "job[0] 'a': scirpt: unknown key 'scirpt' in a log job; did you mean 'script'?",
    ),
    "unknown kind": (
        '[[job]]\nname = "a"\nkind = "lgo"\n',
        3,
        "job[0] 'a': kind: unknown job kind 'lgo'; did you mean 'log'? expected one of: log, render, report",
    ),
    "unknown top-level key": (
        'nmae = "x"\n' + LOG_A,
        1,
        "nmae: unknown key 'nmae' at the top level; did you mean 'name'?",
    ),
    "wrong type": (LOG_A + 'args = "--n 3"\n', 6, "job[0] 'a': args: '--n 3' is a string; expected an array"),
    "bad env value": (
        LOG_A + 'env = { MODE = "fast", SEED = [1, 2] }\n',
        6,
        "job[0] 'a': env.SEED: [1, 2] is an array; expected a string, number or boolean",
    ),
    "missing key": (
        '[[job]]\nname = "a"\nkind = "log"\nscript = "make.py"\n',
        1,
        "missing key 'output'; a log job needs: name, kind, script, output",
    ),
    "cycle": (
        LOG_A
        + 'inputs = ["out/b.rrd"]\n'
        + '[[job]]\nname = "b"\nkind = "log"\nscript = "make.py"\noutput = "out/b.rrd"\n'
        + 'inputs = ["out/a.rrd"]\n',
        6,
        "job[0] 'a': inputs[0]: jobs wait on each other in a cycle, so none can run first: a reads out/b.rrd "
        "(made by b), b reads out/a.rrd (made by a)",
    ),
    "missing producer": (
        LOG_A
        + '[[job]]\nname = "r"\nkind = "render"\nrecordings = "out/nothing.rrd"\noutputs = "out/x.mp4"\n',
        9,
        "job[1] 'r': recordings: out/nothing.rrd does not exist and no job makes it; expected an existing "
        "file",
    ),
    "near-miss producer": (
        LOG_A + '[[job]]\nname = "r"\nkind = "render"\nrecordings = "out/aa.rrd"\noutputs = "out/x.mp4"\n',
        9,
        "did you mean 'out/a.rrd' (made by job 'a')?",
    ),
    "empty matrix": (
        LOG_A + "matrix = { lr = [] }\n",
        6,
        "job[0] 'a': matrix: lr: an empty array; expected a non-empty array",
    ),
    "matrix not a table": (
        LOG_A + "matrix = [1, 2]\n",
        6,
        "job[0] 'a': matrix: [1, 2] is an array; expected a table",
    ),
    "matrix without placeholder": (
        LOG_A + "matrix = { lr = [1, 2] }\n",
        5,
        "output: 'out/a.rrd' is the same file for every value of lr; expected a placeholder",
    ),
    "misspelt matrix placeholder": (
        LOG_A.replace("out/a.rrd", "out/a_{lrr}.rrd") + "matrix = { lr = [1, 2] }\n",
        5,
        "job[0] 'a': output: 'out/a_{lrr}.rrd': unknown placeholder {lrr}; the placeholders are: {lr}",
    ),
    "unsupported render output": (
        LOG_A + '[[job]]\nname = "r"\nkind = "render"\nfrom = "a"\noutputs = ["out/{stem}.avi"]\n',
        10,
        "job[1] 'r': outputs[0]: 'out/{stem}.avi': cannot write '.avi' files; expected a video (.mp4 .m4v "
        ".webm .gif), a still (.png .jpg .jpeg) or a folder (no extension) for PNG frames",
    ),
    "reserved matrix key": (
        LOG_A + 'matrix = { stem = ["a"] }\n',
        6,
        "job[0] 'a': matrix.stem: 'stem' names a placeholder of its own ({stem}); expected another name",
    ),
    "unknown placeholder": (
        LOG_A + 'args = ["{seed}"]\n',
        6,
        "job[0] 'a': args[0]: '{seed}': unknown placeholder {seed}; the placeholders are: {output}",
    ),
    "unknown from": (
        LOG_A + '[[job]]\nname = "r"\nkind = "render"\nfrom = "b"\noutputs = "out/x.mp4"\n',
        9,
        "job[1] 'r': from: no job named 'b'; the jobs are: a, r",
    ),
    "same output twice": (
        LOG_A + '[[job]]\nname = "b"\nkind = "log"\nscript = "make.py"\noutput = "out/a.rrd"\n',
        10,
        "job[1] 'b': output: out/a.rrd is also written by job 'a' (line 6)",
    ),
    "bad set": (
        LOG_A + '[[job]]\nname = "r"\nkind = "render"\nfrom = "a"\nset = ["size"]\noutputs = "out/x.mp4"\n',
        10,
        "job[1] 'r': set[0]: 'size': expected KEY.PATH=VALUE",
    ),
    "toml syntax": (LOG_A + "args = [\n", 6, "invalid TOML"),
    "no jobs": ('name = "x"\n', None, "p.toml: no jobs; expected [[job]] tables"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_pipeline_files_are_one_paragraph(case: str, tmp_path: Path) -> None:
    text, line, expected = BAD_FILES[case]
    path = _project(tmp_path, 'root = "."\n' + text)
    with pytest.raises(PipelineError) as e:
        load_pipeline(path)
    message = str(e.value)
    # One more line at the top of the file (root = ...).
    where = f"{path}:{line + 1}: " if line is not None else f"{path}: "
    assert message.startswith(where), message
    assert expected in message, message
    assert "\n" not in message
    result = CliRunner().invoke(main, ["pipeline", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {where}") and "Traceback" not in result.output


# --- running ------------------------------------------------------------------------------------------

CACHING = """
    root = "."
    [[job]]
    name = "rec"
    kind = "log"
    script = "make.py"
    args = ["--n", "{n}"]
    output = "out/rec_{n}.rrd"
    matrix = { n = [2, 3] }

    [[job]]
    name = "video"
    kind = "render"
    from = "rec"
    configs = ["a.toml"]
    outputs = ["out/{stem}.mp4", "out/{stem}.png"]

    [[job]]
    name = "white"
    kind = "render"
    from = "rec"
    configs = ["b.toml"]
    outputs = ["out/{stem}_white.png"]

    [[job]]
    name = "report"
    kind = "report"
    from = "video"
    output = "out/report"
    render = false  # the videos above, no posters of its own (keeps the test fast)
"""


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path: Path) -> None:
    path = _project(tmp_path, CACHING)
    before = _mtimes(tmp_path)
    result = CliRunner().invoke(main, ["pipeline", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "1. rec[n=2] (log): would run: never run" in out
    assert "     params:  n=2" in out
    assert "     outputs: out/rec_2.rrd" in out
    assert "6. white[n=3] (render): would run: never run" in out
    assert "     inputs:  out/rec_3.rrd, b.toml" in out
    assert "     after:   rec[n=3]" in out
    assert "7. report (report)" in out and "outputs: out/report/index.html" in out
    assert "7 of 7 jobs would run; nothing was run or written (--dry-run)" in out
    assert _mtimes(tmp_path) == before and not (tmp_path / "out").exists()


def test_unchanged_runs_skip_and_a_config_edit_reruns_only_its_dependents(tmp_path: Path) -> None:
    path = _project(tmp_path, CACHING)
    lines: list[str] = []
    started = time.perf_counter()
    first = _run(path, lines)
    first_seconds = time.perf_counter() - started
    assert first.exit_code == 0, format_summary(first)
    assert set(_statuses(first).values()) == {"done"}
    assert (tmp_path / "out" / "report" / "index.html").exists()
    assert (tmp_path / "out" / "rec_3_white.png").exists() and (tmp_path / "out" / "rec_2.mp4").exists()
    assert "      rec[n=2]: started (never run)" in lines
    assert any(re.fullmatch(r"\[\d/7\] report: done in \d+\.\ds", line) for line in lines), lines
    state = tmp_path / ".rerender-pipeline" / "p.json"
    logs = tmp_path / ".rerender-pipeline" / "logs" / "p"
    assert state.exists() and "logged 3 points" in (logs / "rec_n=3.log").read_text()

    # Nothing changed: nothing runs, in a fraction of the first run's time.
    made = _mtimes(tmp_path / "out")
    started = time.perf_counter()
    second = _run(path)
    second_seconds = time.perf_counter() - started
    assert set(_statuses(second).values()) == {"up to date"}
    assert second_seconds < 0.1 * first_seconds, (first_seconds, second_seconds)
    assert _mtimes(tmp_path / "out") == made

    # A new mtime with the same contents is no change.
    os.utime(tmp_path / "a.toml", ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert set(_statuses(_run(path)).values()) == {"up to date"}

    # An edit to b.toml: the plan says which jobs would run, then only those run.
    (tmp_path / "b.toml").write_text('[output]\nsize = "64x48"\n[look]\nbackground = "#ff0000"\n')
    plan = {o.job.name: o for o in plan_pipeline(load_pipeline(path))}
    assert plan["white[n=2]"].status is Status.WOULD_RUN and plan["white[n=2]"].reason == "changed: b.toml"
    assert {n for n, o in plan.items() if o.status is Status.WOULD_RUN} == {"white[n=2]", "white[n=3]"}
    assert "2 of 7 jobs would run" in format_plan(load_pipeline(path), tuple(plan.values()))
    third = _run(path)
    assert _statuses(third) == {
        "rec[n=2]": "up to date",
        "rec[n=3]": "up to date",
        "video[n=2]": "up to date",
        "video[n=3]": "up to date",
        "white[n=2]": "done",
        "white[n=3]": "done",
        "report": "up to date",
    }
    after = _mtimes(tmp_path / "out")
    rerendered = {name for name in made if after.get(name) != made[name]}
    assert {"rec_2_white.png", "rec_3_white.png"} <= rerendered
    assert not {n for n in rerendered if not n.startswith(".rerender-pipeline")} - {
        "rec_2_white.png",
        "rec_3_white.png",
    }

    # A missing output is made again.
    (tmp_path / "out" / "rec_2.mp4").unlink()
    plan = {o.job.name: o for o in plan_pipeline(load_pipeline(path))}
    assert plan["video[n=2]"].reason == "output missing: out/rec_2.mp4"
    assert plan["report"].reason == "input missing: out/rec_2.mp4"
    assert plan["white[n=2]"].status is Status.UP_TO_DATE


FAILING = """
    root = "."
    [[job]]
    name = "good"
    kind = "log"
    script = "make.py"
    output = "out/good.rrd"

    [[job]]
    name = "bad"
    kind = "log"
    script = "make.py"
    args = ["--n", "3"]
    output = "out/bad.rrd"
    env = { BROKEN = "broken" }

    [[job]]
    name = "render_good"
    kind = "render"
    from = "good"
    configs = "a.toml"
    outputs = "out/{stem}.png"

    [[job]]
    name = "render_bad"
    kind = "render"
    from = "bad"
    configs = "a.toml"
    outputs = "out/{stem}.png"

    [[job]]
    name = "report"
    kind = "report"
    from = ["render_good", "render_bad"]
    output = "out/report"
    render = false
"""


def test_a_failure_blocks_only_its_dependents_and_a_fixed_run_resumes(tmp_path: Path) -> None:
    path = _project(tmp_path, FAILING, broken="")
    first = _run(path)
    assert _statuses(first) == {
        "good": "done",
        "bad": "failed",
        "render_good": "done",
        "render_bad": "blocked by bad",
        "report": "blocked by bad",  # it reads bad.rrd itself, and render_bad's video
    }
    assert first.exit_code == 1
    log = tmp_path / ".rerender-pipeline" / "logs" / "p" / "bad.log"
    text = log.read_text()
    assert "boom: failing on purpose" in text and "logged 3 points" in text and "exited with code 3" in text
    summary = format_summary(first)
    assert "bad failed: " in summary and "exited with code 3: boom: failing on purpose" in summary
    assert "  log: .rerender-pipeline/logs/p/bad.log" in summary
    assert "2 done, 1 failed, 2 blocked" in summary

    # Fixed, then interrupted (Ctrl-C) as soon as `bad` is done: what finished is kept.
    (tmp_path / "broken").unlink()

    def interrupt(line: str) -> None:
        if re.search(r"\] bad: done", line):
            raise KeyboardInterrupt

    second = run_pipeline(load_pipeline(path), OPTIONS, echo=interrupt)
    assert second.interrupted and second.exit_code == 130
    assert _statuses(second) == {
        "good": "up to date",
        "bad": "done",
        "render_good": "up to date",
        "render_bad": "not run",
        "report": "not run",
    }

    # The next run resumes: finished jobs are skipped, the rest run.
    third = _run(path)
    assert _statuses(third) == {
        "good": "up to date",
        "bad": "up to date",
        "render_good": "up to date",
        "render_bad": "done",
        "report": "done",
    }
    assert third.exit_code == 0
    assert (tmp_path / "out" / "report" / "index.html").exists()


# --- names, logs and what a change re-runs --------------------------------------------------------------

TAGGED = """\
import sys

import rerender as rr

rr.init("tagged", recording_id="tagged")
rr.log("points", rr.Points3D([[0, 0, 0]]))
print(f"tag {sys.argv[1]!r}")
"""


def test_jobs_whose_names_sanitize_alike_keep_their_own_logs(tmp_path: Path) -> None:
    path = _project(
        tmp_path,
        """
        root = "."
        [[job]]
        name = "g"
        kind = "log"
        script = "tagged.py"
        args = ["{x}"]
        output = "out/g_{x}.rrd"
        matrix = { x = ["a b", "a_b"] }
        """,
        **{"tagged.py": TAGGED},
    )
    summary = _run(path)
    assert summary.exit_code == 0, format_summary(summary)
    logs = {o.job.name: o.log for o in summary.outcomes}
    assert logs["g[x=a b]"] != logs["g[x=a_b]"]
    assert "tag 'a b'" in logs["g[x=a b]"].read_text()
    assert "tag 'a_b'" in logs["g[x=a_b]"].read_text()
    assert logs["g[x=a_b]"].name.startswith("g_x=a_b") and logs["g[x=a b]"].name.startswith("g_x=a_b")


def test_a_recursive_glob_finds_recordings_jobs_make_at_any_depth(tmp_path: Path) -> None:
    b = '[[job]]\nname = "b"\nkind = "log"\nscript = "make.py"\noutput = "out/sub/b.rrd"\n'
    r = '[[job]]\nname = "r"\nkind = "render"\nrecordings = "out/**/*.rrd"\nconfigs = "a.toml"\n'
    path = _project(tmp_path, 'root = "."\n' + LOG_A + b + r + 'outputs = "out/{stem}.png"\n')
    first = _run(path)
    assert _statuses(first) == {"a": "done", "b": "done", "r[a]": "done", "r[b]": "done"}
    assert (tmp_path / "out" / "a.png").exists() and (tmp_path / "out" / "b.png").exists()
    assert set(_statuses(_run(path)).values()) == {"up to date"}


def test_a_growing_sweep_or_list_runs_only_the_new_jobs(tmp_path: Path) -> None:
    pipeline = """
        root = "."
        [[job]]
        name = "train"
        kind = "log"
        script = "make.py"
        args = ["--n", "{n}"]
        output = "out/run_{n}.rrd"
        matrix = { n = [2] }
        [[job]]
        name = "other"
        kind = "log"
        script = "make.py"
        output = "out/other.rrd"
        [[job]]
        name = "video"
        kind = "render"
        from = "train"
        configs = "a.toml"
        outputs = "out/{stem}.png"
        [[job]]
        name = "still"
        kind = "render"
        recordings = "out/other.rrd"
        configs = "a.toml"
        outputs = "out/{stem}_still.png"
    """
    path = _project(tmp_path, pipeline)
    first = _run(path)
    # A render over a sweep is named by the run's parameters even when the sweep has one value.
    assert _statuses(first) == {"train[n=2]": "done", "other": "done", "video[n=2]": "done", "still": "done"}
    made = _mtimes(tmp_path / "out")

    # One more value in the sweep, one more recording in the list: only the new jobs run.
    grown = pipeline.replace("n = [2]", "n = [2, 3]").replace(
        'recordings = "out/other.rrd"', 'recordings = ["out/other.rrd", "out/run_3.rrd"]'
    )
    path.write_text(textwrap.dedent(grown))
    second = _run(path)
    assert _statuses(second) == {
        "train[n=2]": "up to date",
        "train[n=3]": "done",
        "other": "up to date",
        "video[n=2]": "up to date",
        "video[n=3]": "done",
        "still[other]": "up to date",  # was `still`: the same work under its new name
        "still[n=3]": "done",  # a sweep run's recording: named by its parameters
    }
    after = _mtimes(tmp_path / "out")
    assert all(after[name] == made[name] for name in made if name.endswith((".rrd", ".png")))
    assert set(_statuses(_run(path)).values()) == {"up to date"}


def _log_job(name: str, output: str) -> str:
    return f'[[job]]\nname = "{name}"\nkind = "log"\nscript = "make.py"\noutput = "{output}"\n'


DEEP_A = 'root = "."\n' + _log_job("a", "out/sub/a.rrd")


def test_a_job_writing_to_another_folder_keeps_the_state_of_the_others(tmp_path: Path) -> None:
    path = _project(tmp_path, DEEP_A)
    assert _statuses(_run(path)) == {"a": "done"}

    # The outputs' common folder goes from out/sub to out: the state stays in the root.
    path.write_text(DEEP_A + _log_job("b", "out/extra/b.rrd"))
    plan = {o.job.name: o.status for o in plan_pipeline(load_pipeline(path))}
    assert plan == {"a": Status.UP_TO_DATE, "b": Status.WOULD_RUN}
    assert _statuses(_run(path)) == {"a": "up to date", "b": "done"}


def test_a_state_in_its_old_place_beside_the_outputs_is_read_once(tmp_path: Path) -> None:
    path = _project(tmp_path, DEEP_A)
    assert _statuses(_run(path)) == {"a": "done"}
    # As an earlier rerender left it: .rerender-pipeline in the deepest folder holding every output.
    (tmp_path / ".rerender-pipeline").rename(tmp_path / "out" / "sub" / ".rerender-pipeline")
    # A job added at the same time, writing elsewhere, does not hide it.
    path.write_text(DEEP_A + _log_job("b", "out/b.rrd"))
    assert _statuses(_run(path)) == {"a": "up to date", "b": "done"}
    assert (tmp_path / ".rerender-pipeline" / "p.json").exists()  # saved in its new place
    (tmp_path / "out" / "sub" / ".rerender-pipeline").rename(tmp_path / "old")
    assert _statuses(_run(path)) == {"a": "up to date", "b": "up to date"}


def test_a_report_whose_assets_were_deleted_is_made_again(tmp_path: Path) -> None:
    report = '[[job]]\nname = "report"\nkind = "report"\nfrom = "a"\noutput = "out/report"\nsize = "64x48"\n'
    path = _project(tmp_path, 'root = "."\n' + LOG_A + report)
    assert _statuses(_run(path)) == {"a": "done", "report": "done"}
    assets = tmp_path / "out" / "report" / "assets"
    made = sorted(p.relative_to(assets) for p in assets.rglob("*") if p.is_file())
    assert made
    shutil.rmtree(assets)
    plan = {o.job.name: o.reason for o in plan_pipeline(load_pipeline(path))}
    assert plan["report"].startswith("output missing: out/report/assets/"), plan
    assert _statuses(_run(path)) == {"a": "up to date", "report": "done"}
    assert sorted(p.relative_to(assets) for p in assets.rglob("*") if p.is_file()) == made


def test_a_job_waiting_for_a_worker_is_said_to_start_when_it_does(tmp_path: Path) -> None:
    """With one worker, `b` starts after `a` is done (it was printed as started at once)."""
    b = '[[job]]\nname = "b"\nkind = "log"\nscript = "make.py"\noutput = "out/b.rrd"\n'
    path = _project(tmp_path, 'root = "."\n' + LOG_A + b)
    lines: list[str] = []
    run_pipeline(load_pipeline(path), RunOptions(slots=1), echo=lines.append)
    said = [re.sub(r"^\[?[ \d/]*\]? *", "", line).split(" (")[0].split(" in ")[0] for line in lines]
    assert said == ["a: started", "a: done", "b: started", "b: done"]
