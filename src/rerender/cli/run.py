"""`rerender run`: run a logging script written for rerun or rerender and capture what it logs."""

from __future__ import annotations

import runpy
import sys
import traceback
from pathlib import Path

import click

from .errors import UserError


def _alias_rerun_to_rerender() -> None:
    """Make `import rerun` and its namespaces (`rerun.archetypes`, …) give rerender's, for this process
    only, so that each is loaded once under both names."""
    import importlib

    import rerender

    sys.modules["rerun"] = rerender
    for name in ("utilities", "archetypes", "blueprint", "components", "datatypes", "encodings"):
        sys.modules[f"rerun.{name}"] = importlib.import_module(f"rerender.{name}")


@click.command(
    "run",
    short_help="Run a logging script and capture its recording.",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The .rrd file that receives everything the script logs.",
)
@click.argument("script", type=click.Path(dir_okay=False))
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def run_command(output: str, script: str, args: tuple[str, ...]) -> None:
    """Run SCRIPT with ARGS; `import rerun as rr` resolves to rerender, and everything the script logs
    goes to OUTPUT, whatever sinks (spawn, connect, save) the script sets up itself."""
    from ..sdk.recording import shutdown, start_capture

    path = Path(script)
    if not path.is_file():
        raise UserError(f"{script}: no such script")
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    _alias_rerun_to_rerender()
    start_capture(output)
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [str(path), *args]
    sys.path.insert(0, str(path.resolve().parent))
    exit_code = 0
    try:
        runpy.run_path(str(path), run_name="__main__")
    except SystemExit as e:
        exit_code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except KeyboardInterrupt:
        click.echo("Interrupted; what was logged so far is saved.", err=True)
        exit_code = 130
    except Exception:
        # The script's own error: show its traceback (it is the user's code), keep the recording.
        traceback.print_exc()
        exit_code = 1
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
        shutdown()
    click.echo(f"recording written to {output}", err=True)
    if exit_code:
        sys.exit(exit_code)
