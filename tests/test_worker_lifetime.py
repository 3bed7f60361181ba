"""Worker processes end with the command that started them: `rerender render --workers` and `rerender
pipeline` stopped by SIGTERM (timeout, Slurm, Kubernetes) or killed leave no worker or logging script
running; a double Ctrl-C never hangs; a worker killed by the OOM killer fails only its own job; a split
starts no more processes than it has blocks, and leaves no parts folder when it fails."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import rerender as rr
import rerender.pipeline.split as split
from rerender.cli.main import main
from rerender.pipeline.render_job import JobError
from rerender.pipeline.settings import OutputSettings, RenderSettings
from rerender.pipeline.split import RenderTask, render_split
from rerender.runner import RunOptions, format_summary, load_pipeline, run_pipeline
from rerender.values import Size

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

SRC = str(Path(__file__).resolve().parent.parent / "src")
# The command in a fresh interpreter that imports this checkout (also in the scripts it starts).
CLI = [sys.executable, "-c", "from rerender.cli.main import main; main()"]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}


def _descendants(pid: int) -> set[int]:
    """Every process below `pid` now (children, their children...), from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    """Running (not a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _survivors(pids: set[int], within: float) -> set[int]:
    deadline = time.monotonic() + within
    while (left := {p for p in pids if _alive(p)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _recording(path: Path, frames: int) -> Path:
    rec = rr.RecordingStream("lifetime", recording_id="lifetime")
    rec.save(path)
    rec.log("world/cloud", rr.Points3D(np.random.default_rng(0).random((50, 3)) * 4 - 2), static=True)
    for i in range(frames):
        rec.set_time("frame", sequence=i)
        a = 0.05 * i
        rec.log("world/marker", rr.Points3D([[2 * np.cos(a), 2 * np.sin(a), 0]], radii=0.3))
    rec.flush()
    rec.disconnect()
    return path


@pytest.fixture(scope="module")
def long_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3000 frames (100 s of video, 50 blocks): a split render of it runs for many seconds."""
    return _recording(tmp_path_factory.mktemp("lifetime") / "long.rrd", 3000)


@pytest.fixture(scope="module")
def short_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """150 frames: 5 s of video, 3 blocks."""
    return _recording(tmp_path_factory.mktemp("lifetime") / "short.rrd", 150)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_split_render_stopped_or_killed_leaves_no_worker_running(
    sig: signal.Signals, long_recording: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.mp4"
    parts = tmp_path / ".out.mp4.parts"
    args = ["render", str(long_recording), "-o", str(out), "--size", "160x120", "--workers", "2", "-q"]
    command = subprocess.Popen([*CLI, *args], env=ENV, stderr=subprocess.PIPE, text=True)
    try:
        # Both processes at work: the caller has its first block, the worker another.
        claims = parts / "claims"
        _wait_for(
            lambda: claims.is_dir() and len(os.listdir(claims)) >= 2 and _descendants(command.pid),
            60,
            "a worker and two claims",
        )
        below = _descendants(command.pid)
        command.send_signal(sig)
        _, stderr = command.communicate(timeout=20)
    finally:
        command.kill()
    assert not _survivors(below, within=5), "worker processes outlived the command"
    if sig == signal.SIGTERM:  # as Ctrl-C: cleaned up, one line, 128 + 15
        assert command.returncode == 143, stderr
        assert stderr.strip() == "Interrupted (SIGTERM)."
        assert not parts.exists() and not out.exists()


SLEEPER = """\
import os, sys, time
from pathlib import Path

import rerender as rr

rr.init("sleeper")
rr.log("p", rr.Points3D([[0, 0, 0]]))
Path(sys.argv[1]).write_text(str(os.getpid()))  # (its pid, for the test)
if sys.argv[2] == "kill-my-worker":  # as the OOM killer would
    os.kill(os.getppid(), 9)
time.sleep(float(sys.argv[3]))
"""


def _sleepers(root: Path, jobs: dict[str, tuple[str, float]]) -> Path:
    """A pipeline of independent log jobs running SLEEPER: name -> (what it does, seconds it sleeps)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sleep.py").write_text(SLEEPER)
    text = 'root = "."\n'
    for name, (what, seconds) in jobs.items():
        text += textwrap.dedent(
            f"""
            [[job]]
            name = "{name}"
            kind = "log"
            script = "sleep.py"
            args = ["pids/{name}", "{what}", "{seconds}"]
            output = "out/{name}.rrd"
            """
        )
    (root / "pids").mkdir()
    path = root / "p.toml"
    path.write_text(text)
    return path


def _pids(root: Path) -> dict[str, int]:
    return {p.name: int(p.read_text()) for p in (root / "pids").iterdir() if p.read_text()}


def test_sigterm_ends_a_pipeline_and_the_scripts_it_runs(tmp_path: Path) -> None:
    path = _sleepers(tmp_path, {"a": ("sleep", 60), "b": ("sleep", 60), "c": ("sleep", 60)})
    command = subprocess.Popen(
        [*CLI, "pipeline", str(path), "--jobs", "2"], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        _wait_for(lambda: len(_pids(tmp_path)) == 2, 60, "two scripts running")
        below = _descendants(command.pid)
        command.send_signal(signal.SIGTERM)
        stdout, stderr = command.communicate(timeout=20)
    finally:
        command.kill()
    assert command.returncode == 143, stderr
    assert not _survivors(below | set(_pids(tmp_path).values()), within=5), "scripts outlived the pipeline"
    summary = stdout.decode()
    assert "p: 2 interrupted, 1 not run" in summary, summary
    assert sorted(_pids(tmp_path)) == ["a", "b"]  # the queued job was not started after the signal
    assert "c: started" not in stderr.decode()


def test_a_double_ctrl_c_gives_the_summary_and_never_hangs(tmp_path: Path) -> None:
    """The second SIGINT (`timeout -s INT` signals the process, then its group) came while the first
    one's clean-up waited for the running scripts: it escaped, and the interpreter then waited for the
    pool's workers at exit, for ever."""
    path = _sleepers(tmp_path, {"a": ("sleep", 60), "b": ("sleep", 60)})
    command = subprocess.Popen(
        [*CLI, "pipeline", str(path), "--jobs", "2"],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own group, as under `timeout`
    )
    try:
        _wait_for(lambda: len(_pids(tmp_path)) == 2, 60, "two scripts running")
        command.send_signal(signal.SIGINT)
        time.sleep(0.05)
        os.killpg(command.pid, signal.SIGINT)
        stdout, stderr = command.communicate(timeout=20)
    finally:
        os.killpg(command.pid, signal.SIGKILL)
    assert command.returncode == 130, stderr
    assert "p: 2 interrupted in" in stdout.decode()
    assert b"Aborted!" not in stderr and b"Traceback" not in stderr


def test_a_worker_killed_fails_only_its_job_and_the_others_run(tmp_path: Path) -> None:
    """Its worker is killed while `victim` runs (as by the OOM killer): `victim` fails, saying so, and
    its script ends too; `slow`, running beside it, and `queued`, waiting for a worker, are done."""
    path = _sleepers(
        tmp_path,
        {
            "slow": ("sleep", 3),
            "victim": ("kill-my-worker", 60),
            "queued": ("sleep", 0),
            "last": ("sleep", 0),
        },
    )
    started = time.monotonic()
    summary = run_pipeline(load_pipeline(path), RunOptions(slots=2), echo=lambda s: None)
    statuses = {o.job.name: o.status.value for o in summary.outcomes}
    assert statuses == {"slow": "done", "victim": "failed", "queued": "done", "last": "done"}
    victim = next(o for o in summary.outcomes if o.job.name == "victim")
    assert "was killed by SIGKILL (the kernel's OOM killer sends it when memory runs out)" in victim.reason
    assert victim.reason.startswith("its worker process (pid ")
    assert victim.seconds is not None and victim.seconds > 0.1  # the time it ran, not 0.0s
    assert "victim failed: its worker process" in format_summary(summary)
    assert not _survivors({_pids(tmp_path)["victim"]}, within=5), "the dead worker's script kept running"
    assert time.monotonic() - started < 30


def test_a_split_starts_no_more_processes_than_blocks(
    short_recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """150 frames are 3 blocks: the command renders one and starts 2 workers, not 49."""
    started: list[int] = []
    real = split.start_executor

    def counting(name: str, workers: int, address: str | None = None):
        started.append(workers)
        return real(name, workers, address)

    monkeypatch.setattr(split, "start_executor", counting)
    out = tmp_path / "out.mp4"
    args = ["render", str(short_recording), "-o", str(out), "--size", "64x48", "--workers", "50"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert started == [3]  # the caller and 2 workers
    assert "wrote 150 frames" in result.output


def test_a_failed_split_removes_its_parts(
    short_recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_join(parts: list[Path], output: Path) -> None:
        raise JobError(f"{output}: ffmpeg failed to join {len(parts)} parts")

    monkeypatch.setattr(split, "join_videos", failing_join)
    out = tmp_path / "out.mp4"
    settings = RenderSettings(output=OutputSettings(size=Size(64, 48)))
    with pytest.raises(JobError, match="failed to join"):
        render_split(RenderTask(short_recording, out, settings), 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no .out.mp4.parts left
