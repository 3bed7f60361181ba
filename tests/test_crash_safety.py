"""A logging process killed with SIGKILL at 20 random (seeded) moments: each time, every row it had
flushed is in the file, which `rerender info` and `rerender render` read though it has no footer."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rerender.cli.main import main
from rerender.store import load

KILLS = 20
SEED = 15  # the number: the same 20 moments every run

# Logs until killed, printing the last frame flushed (the file must hold it and every one before).
LOGGER = Path(__file__).parent / "scripts" / "kill_logger.py"


def _log_and_kill(script: Path, rrd: Path, delay: float) -> int:
    """Run the logger, SIGKILL it `delay` s after its first flush; the last frame it said was flushed."""
    proc = subprocess.Popen([sys.executable, str(script), str(rrd)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first, "the logging script ended before its first flush"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    rest = proc.stdout.read()  # what it printed before it died
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return int([first, *rest.split()][-1])


def test_every_flushed_row_survives_sigkill(tmp_path: Path) -> None:
    moments = random.Random(SEED)
    runner = CliRunner()
    for kill in range(KILLS):
        rrd = tmp_path / f"killed_{kill}.rrd"
        flushed = _log_and_kill(LOGGER, rrd, moments.uniform(0.0, 0.4))
        rec = load(rrd)
        frames = set(rec.ticks("frame").tolist())
        lost = set(range(flushed + 1)) - frames
        assert not lost, f"kill {kill}: frames {sorted(lost)[:5]}... were flushed but are not in {rrd}"
        info = runner.invoke(main, ["info", str(rrd)])
        assert info.exit_code == 0 and "no footer" in info.output, info.output
        still = tmp_path / f"killed_{kill}.png"
        args = ["render", str(rrd), "-o", str(still), "--size", "64x48", "--still", "end", "--no-blueprint"]
        rendered = runner.invoke(main, args)
        assert rendered.exit_code == 0 and still.stat().st_size > 0, rendered.output


@pytest.mark.parametrize("tick", ["0.01", "inf"])
def test_the_flush_tick_bounds_what_a_kill_loses(tmp_path: Path, tick: str) -> None:
    """With RERUN_FLUSH_TICK_SECS small, rows logged 0.3 s before the kill are in the file without any
    rr.flush(); with it infinite (only explicit flushes), they are not: the README's guarantee."""
    script = tmp_path / "logger.py"
    script.write_text(
        "import sys, time\nimport rerender as rr\n"
        "rr.init('tick', recording_id='tick')\nrr.save(sys.argv[1])\n"
        "rr.log('a', rr.Points3D([[0, 0, 0]]))\nrr.flush()\nprint('ready', flush=True)\n"
        "rr.set_time('frame', sequence=1)\nrr.log('b', rr.Points3D([[1, 1, 1]]))\ntime.sleep(60)\n"
    )
    rrd = tmp_path / "tick.rrd"
    env = {"RERUN_FLUSH_TICK_SECS": tick}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(rrd)], stdout=subprocess.PIPE, text=True, env={**os.environ, **env}
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    proc.kill()
    proc.wait()
    entities = set(load(rrd).entity_paths)
    assert ("/b" in entities) == (tick != "inf"), entities
