"""Turn expected failures into one-paragraph messages and an exit code, never a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable

import click

from ..errors import RerenderError
from ..pipeline.lifetime import Interrupted


class UserError(click.ClickException):
    """A problem with what the user gave us, reported as one paragraph."""

    exit_code = 1


def reports_errors(func: Callable) -> Callable:
    """Decorator: rerender's own errors (`RerenderError`: files, names, settings, media, OpenGL) and OS
    errors become `Error: …` lines with exit code 1; `Interrupted` (see `lifetime.interruptible`) one
    line and exit code 128 + the signal; anything else is a bug and keeps its traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except RerenderError as e:
            raise UserError(str(e)) from None
        except FileNotFoundError as e:
            raise UserError(f"{e.filename}: no such file") from None
        except IsADirectoryError as e:
            raise UserError(f"{e.filename}: is a directory, expected an .rrd file") from None
        except PermissionError as e:
            raise UserError(f"{e.filename}: permission denied") from None
        except Interrupted as e:  # Ctrl-C or SIGTERM, in a command that cleans up after them
            click.echo(f"Interrupted ({e}).", err=True)
            raise click.exceptions.Exit(e.exit_code) from None

    return wrapper
