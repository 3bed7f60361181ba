"""bench_robustness.py's crash and memory figures (issue 15): kills survived, peak memory of `render` on a
big recording, peak memory of `serve` under eight slow clients.

Each figure comes from child processes; this module imports only the standard library and `_common`, so
the launcher stays small (its peak RSS is folded into its children's at exec, see bench_rrd.py).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _common import MIB, REPO, rerender_binary, run_once, start_server

GIB = 1 << 30
SEED = 15


@dataclass(frozen=True)
class Figure:
    """One line of the robustness table: what was measured, its value, the goal and whether it is met."""

    name: str
    value: str
    goal: str
    ok: bool | None  # None: no goal


# Logs until killed, printing the last frame flushed (shared with tests/test_crash_safety.py).
LOGGER = REPO / "tests" / "scripts" / "kill_logger.py"

# For each (file, last flushed frame): every flushed frame is there, and `info` and `render` work on it.
CHECKER = """
import sys, warnings
from click.testing import CliRunner
from rerender.cli.main import main
from rerender.store import load

warnings.simplefilter("ignore")
runner = CliRunner()
for path, flushed in zip(sys.argv[1::2], map(int, sys.argv[2::2])):
    try:
        lost = set(range(flushed + 1)) - set(load(path).ticks("frame").tolist())
        info = runner.invoke(main, ["info", path]).exit_code
        args = ["render", path, "-o", path + ".png", "--size", "64x48", "--still", "end", "-q"]
        still = runner.invoke(main, args).exit_code
        print(path, len(lost), info, still)
    except Exception as e:
        print(path, "unreadable", type(e).__name__, e)
"""


def kill_rows(kills: int = 20) -> list[Figure]:
    """SIGKILL a logging script at `kills` random (seeded) moments; count the files that kept every row
    flushed before the kill and that `info` and `render` read."""
    tmp = Path(tempfile.mkdtemp(prefix="bench_kills_"))
    logger, checker = LOGGER, tmp / "checker.py"
    checker.write_text(CHECKER)
    moments = random.Random(SEED)
    pairs: list[str] = []
    for kill in range(kills):
        rrd = tmp / f"killed_{kill}.rrd"
        proc = subprocess.Popen([sys.executable, str(logger), str(rrd)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        lines = [proc.stdout.readline()]
        time.sleep(moments.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        lines += proc.stdout.read().split()
        proc.wait()
        pairs += [str(rrd), str(int(lines[-1]))]
    done = subprocess.run([sys.executable, str(checker), *pairs], capture_output=True, text=True, cwd=REPO)
    survived = sum(line.split()[1:] == ["0", "0", "0"] for line in done.stdout.splitlines())
    for line in done.stdout.splitlines():
        if line.split()[1:] != ["0", "0", "0"]:
            print(f"  kill lost something: {line}", file=sys.stderr)
    if done.returncode:
        print(done.stderr[-2000:], file=sys.stderr)
    return [
        Figure(
            "SIGKILLed logger: kills survived", f"{survived}/{kills}", f"{kills}/{kills}", survived == kills
        )
    ]


# Logs `frames` frames of `points` random points each (16 bytes a point, LZ4 cannot shrink them).
BIG_WRITER = """
import sys
import numpy as np
import rerender as rr

path, frames, points = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rr.init("bench_big", recording_id="big")
rr.save(path)
rng = np.random.default_rng(0)
colors = rng.integers(0, 255, (points, 3), dtype=np.uint8)
for i in range(frames):
    rr.set_time("frame", sequence=i)
    rr.log("cloud", rr.Points3D(rng.random((points, 3), dtype=np.float32), colors=colors, radii=0.002))
"""


def memory_rows(gib: float = 2.0, clients: int = 8, step: int = 1) -> list[Figure]:
    """Peak RSS of `rerender render` (with ffmpeg) on a recording of about `gib` GiB of points (every
    `step`-th frame rendered), and of `rerender serve` while `clients` slow clients stream to it."""
    tmp = Path(tempfile.mkdtemp(prefix="bench_memory_"))
    return [_render_memory(tmp, gib, step), _serve_memory(tmp, clients)]


def _render_memory(tmp: Path, gib: float, step: int) -> Figure:
    points = 100_000  # 1.6 MB a frame
    frames = max(1, round(gib * GIB / (points * 16)))
    rrd = tmp / "big.rrd"
    writer = tmp / "writer.py"
    writer.write_text(BIG_WRITER)
    started = time.perf_counter()
    subprocess.run([sys.executable, str(writer), str(rrd), str(frames), str(points)], check=True)
    size = rrd.stat().st_size
    print(f"  wrote {rrd} ({size / GIB:.2f} GiB, {frames} frames) in {time.perf_counter() - started:.0f} s")
    out = tmp / "big.mp4"
    command = [rerender_binary(), "render", str(rrd), "-o", str(out), "--size", "640x360", "-q"]
    stats = run_once([*command, "--step", str(step)])
    print(f"  render: {stats.wall_s:.0f} s, {stats.rss_mib:.0f} MiB peak", file=sys.stderr)
    rrd.unlink()
    return Figure(
        f"render peak RSS, {size / GIB:.2f} GiB recording ({-(-frames // step)} of {frames} frames)",
        f"{stats.rss_mib:.0f} MiB",
        "< 1024 MiB",
        stats.rss_mib < 1024,
    )


# A slow client: a 2.4 MB row of points every half second for `rows` rows.
SLOW_CLIENT = """
import sys, time
import numpy as np
import rerender as rr

url, rows = sys.argv[1], int(sys.argv[2])
rr.init("bench_slow", recording_id=f"slow-{sys.argv[3]}")
rr.connect_grpc(url)
rng = np.random.default_rng(0)
for i in range(rows):
    rr.set_time("frame", sequence=i)
    rr.log("cloud", rr.Points3D(rng.random((200_000, 3), dtype=np.float32)))
    rr.flush()
    time.sleep(0.5)
"""


def _serve_memory(tmp: Path, clients: int, rows: int = 10) -> Figure:
    client = tmp / "slow_client.py"
    client.write_text(SLOW_CLIENT)
    served = tmp / "served"
    env = {**os.environ, "RERUN_ANALYTICS": "0"}
    serve = start_server(served, env)
    server = serve.process
    procs = [
        subprocess.Popen([sys.executable, str(client), serve.url, str(rows), str(i)], env=env)
        for i in range(clients)
    ]
    failed = sum(p.wait() != 0 for p in procs)
    server.send_signal(signal.SIGINT)  # Ctrl-C: the server finishes its files and exits
    assert server.stderr is not None
    server.stderr.read()
    _, _, usage = os.wait4(server.pid, 0)
    server.returncode = 0  # reaped above
    peak = usage.ru_maxrss / 1024
    sent = clients * rows * 200_000 * 12 / MIB
    return Figure(
        f"serve peak RSS, {clients} slow clients ({sent:.0f} MiB sent over {rows / 2:.0f} s)",
        f"{peak:.0f} MiB" + (f" ({failed} clients failed)" if failed else ""),
        "",
        None if not failed else False,
    )
