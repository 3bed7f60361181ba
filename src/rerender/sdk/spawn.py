"""`rr.spawn()`: start a process for the SDK to stream into. With a display, `rerender preview --listen
PORT` (a window that follows the stream); with none (no DISPLAY / WAYLAND_DISPLAY), a headless
`rerender serve --port PORT --out outputs/` that records each stream to `outputs/<app>-<rec>.rrd`.

As with Rerun's viewer, a process already listening on the port (say, one spawned by an earlier run) is
reused rather than started again. The process is detached: it outlives the script (a headless server
by a minute, see SPAWNED_SERVER_IDLE_EXIT_SECONDS), and Ctrl-C in the script's terminal does not reach
it. It keeps the script's stdout and stderr, where the preview prints `c`'s camera blocks and the
server its one line per connection and per finished file.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

READY_TIMEOUT_SECONDS = 30.0  # the preview imports the renderer and opens a window before it listens
# A headless server nobody watches exits this long after its last client, so that scripts run in CI or on
# a server do not leave one behind (a preview window stays until it is closed, as Rerun's viewer does).
SPAWNED_SERVER_IDLE_EXIT_SECONDS = 60
POLL_SECONDS = 0.1
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Spawned:
    """What `spawn_process` found or started: the URL to stream to, and where a headless server writes."""

    url: str
    headless: bool  # True: `rerender serve` (no display), recording into `out_dir`
    out_dir: Path | None
    started: bool  # False: something was already listening on the port
    error: str | None = None  # why nothing is listening (the process exited or never answered)
    pid: int | None = None  # the started process (its own session and process group)


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def listening(port: int, host: str = HOST) -> bool:
    """Whether something accepts TCP connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def _command(port: int, headless: bool, out_dir: Path) -> list[str]:
    # The same interpreter as the script's, so the same rerender (and venv) answers.
    launcher = [sys.executable, "-c", "from rerender.cli import main; main(prog_name='rerender')"]
    if headless:
        return [
            *launcher, "serve", "--host", HOST, "--port", str(port), "--out", str(out_dir),
            "--exit-when-idle", str(SPAWNED_SERVER_IDLE_EXIT_SECONDS),
        ]  # fmt: skip
    return [*launcher, "preview", "--listen", str(port), "--host", HOST]


def spawn_process(port: int, out_dir: Path = Path("outputs")) -> Spawned:
    """Start the preview (or, with no display, a headless server) on `port` and wait until it listens."""
    url = f"rerun+http://{HOST}:{port}/proxy"
    headless = not has_display()
    if listening(port):
        return Spawned(url, headless, out_dir if headless else None, started=False)
    if headless:
        out_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        _command(port, headless, out_dir), stdin=subprocess.DEVNULL, start_new_session=True, close_fds=True
    )
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    error = None
    while not listening(port):
        if process.poll() is not None:
            error = f"it exited with status {process.returncode}"
            break
        if time.monotonic() > deadline:
            error = f"it did not listen on port {port} within {READY_TIMEOUT_SECONDS:.0f} s"
            break
        time.sleep(POLL_SECONDS)
    return Spawned(url, headless, out_dir if headless else None, started=True, error=error, pid=process.pid)
