"""rerun-sdk's script helpers (`script_add_args`, `script_setup`, `script_teardown`), which Rerun's
examples use to choose where a script's recording goes from its command line.

`--save PATH` writes an .rrd file and `--stdout` streams one; `--connect`, `--serve` and (without
`--headless`) the default spawn have no viewer here, so they warn once and the script goes on.
"""

from __future__ import annotations

import uuid
from argparse import ArgumentParser, Namespace

from .recording import RecordingStream, get_global_data_recording


def script_add_args(parser: ArgumentParser) -> None:
    """Add rerun-sdk's script arguments to `parser`: --headless, --connect, --serve, --url, --save,
    --stdout."""
    parser.add_argument("--headless", action="store_true", help="Don't show GUI")
    parser.add_argument(
        "--connect", dest="connect", action="store_true", help="Connect to an external viewer"
    )
    parser.add_argument(
        "--serve",
        dest="serve",
        action="store_true",
        help="Host a GRPC & web server and open a web viewer connecting to it.",
    )
    parser.add_argument("--url", type=str, default=None, help="Connect to this Rerun URL")
    parser.add_argument("--save", type=str, default=None, help="Save data to a .rrd file at this path")
    parser.add_argument(
        "--stdout",
        dest="stdout",
        action="store_true",
        help="Log data to standard output, to be piped into a Rerun Viewer",
    )


def script_setup(
    args: Namespace,
    application_id: str,
    *,
    recording_id: str | uuid.UUID | None = None,
    default_blueprint: object = None,
) -> RecordingStream:
    """`rr.init(application_id, strict=True)`, then, as rerun-sdk picks: --stdout, else --serve, else
    --connect (to --url), else --save PATH, else (without --headless) spawn a viewer."""
    from .api import init  # api re-exports these helpers

    init(application_id, recording_id=recording_id, default_enabled=True, strict=True)
    rec = get_global_data_recording()
    assert rec is not None, "rr.init sets a global recording"
    if args.stdout:
        rec.stdout(default_blueprint)
    elif args.serve:
        rec.serve_grpc()
    elif args.connect:
        rec.connect_grpc(args.url, default_blueprint=default_blueprint)
    elif args.save is not None:
        rec.save(args.save, default_blueprint)
    elif not args.headless:
        rec.spawn()
    return rec


def script_teardown(args: Namespace) -> None:
    """rerun-sdk sleeps here until Ctrl-C after --serve, to keep its server up; with no server here
    there is nothing to wait for, so this returns at once."""


__all__ = ["script_add_args", "script_setup", "script_teardown"]
