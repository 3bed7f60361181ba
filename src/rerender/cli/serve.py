"""`rerender serve`: record what SDKs stream in (Rerun's gRPC message proxy), and optionally render it.

The server itself is net/server.py. Here: the command line, one log line per event on stderr, signals
(Ctrl-C / SIGTERM finish every open recording before exiting) and `--render`, which renders each
finished recording to a video beside it on one background thread, one at a time.
"""

from __future__ import annotations

import logging
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click

from .errors import reports_errors

log = logging.getLogger("rerender.serve")
STOP_GRACE_S = 2.0  # how long open streams may go on after Ctrl-C before they are cut and closed


def render_beside(recording: Path, config: Path) -> Path:
    """Render a finished recording with `config`, as `rerender render REC -c CONFIG -o REC.mp4` would."""
    from ..pipeline.layers import SettingsSources, resolve_settings
    from ..pipeline.render_job import RenderJob, run
    from ..store import load

    rec = load(recording)
    settings = resolve_settings(rec, recording, SettingsSources(configs=(config,))).settings
    fmt = settings.output.format or "mp4"
    # PNG frames go to a folder of their own; the video formats sit beside the recording.
    out = (
        recording.with_name(recording.stem + "_frames") if fmt == "png" else recording.with_suffix("." + fmt)
    )
    run(RenderJob(rec, out, settings, source=str(recording)))
    return out


class _Renderer:
    """Renders finished recordings one at a time on a background thread, logging one line for each."""

    def __init__(self, config: Path) -> None:
        self.config = config
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rerender-render")

    def submit(self, recording: Path) -> None:
        self._pool.submit(self._render, recording)

    def _render(self, recording: Path) -> None:
        from ..errors import RerenderError

        try:
            out = render_beside(recording, self.config)
        except RerenderError as e:
            log.info("render of %s failed: %s", recording, e)
        except Exception as e:  # a bug in one render must not stop the next
            log.warning("render of %s failed: %s: %s", recording, type(e).__name__, e)
        else:
            log.info("rendered %s", out)

    def close(self) -> None:
        """Finish the render in progress; those still queued are skipped (and said so)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


@click.command("serve", short_help="Record (and render) what SDKs stream in over gRPC.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: all).")
@click.option(
    "--port", default=9876, show_default=True, type=click.IntRange(0, 65535), help="0: any free port."
)
@click.option(
    "--out",
    "out_dir",
    default="outputs",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the recordings, one APPLICATION_ID-RECORDING_ID.rrd each.",
)
@click.option(
    "--render",
    "render_config",
    type=click.Path(dir_okay=False),
    help="Render each finished recording to a video beside it with this TOML config (configs/).",
)
@click.option(
    "--exit-when-idle",
    "idle_exit",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Exit once no client has streamed for this long (a server rr.spawn() starts uses 60).",
)
@reports_errors
def serve_command(
    host: str, port: int, out_dir: str, render_config: str | None, idle_exit: float | None
) -> None:
    """Accept streams from rerender's SDK or rerun-sdk 0.41 (`rr.connect_grpc("rerun+http://HOST:PORT/proxy")`)
    and write each recording to OUT as it arrives; the file is readable at any moment and complete
    (with the footer `rerun rrd verify` wants) when its client disconnects. Ctrl-C finishes every open
    recording, then exits."""
    from ..net.server import start_server

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    renderer = None
    if render_config is not None:
        from ..pipeline.config import read_config

        read_config(render_config)  # a bad config is reported now, not after the first recording
        renderer = _Renderer(Path(render_config))
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    handle = start_server(host, port, Path(out_dir), renderer.submit if renderer else None)
    click.echo(f"rerender serve: listening on {handle.url}, recording into {out_dir}/", err=True)
    while not stop.wait(0.5):
        if idle_exit is not None and handle.idle_seconds() >= idle_exit:
            click.echo(f"no client for {idle_exit:g} s: exiting", err=True)
            break
    click.echo("stopping: finishing the open recordings", err=True)
    handle.stop(STOP_GRACE_S)
    if renderer is not None:
        renderer.close()
    click.echo(f"stopped; {len(handle.recordings())} recording(s) in {out_dir}/", err=True)
