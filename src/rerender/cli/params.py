"""click parameter types that read values with the same parsers as config files (`rerender.values`), so
`--size 640x360` and `size = "640x360"` accept the same text and fail with the same message.
Parsers are imported on first use, to keep `rerender --help` fast."""

from __future__ import annotations

from collections.abc import Callable

import click


class ParsedParam(click.ParamType):
    """A value read by `parse`; its ValueError (or ConfigError) message becomes click's usage error."""

    def __init__(self, name: str, parse: Callable[[object], object]):
        self.name = name
        self._parse = parse

    def convert(self, value, param, ctx):
        from ..errors import RerenderError

        try:
            return self._parse(value)
        except (ValueError, RerenderError) as e:
            self.fail(str(e), param, ctx)


def _size(value: object) -> object:
    from ..values import Size

    return Size.parse(value)


def _color(value: object) -> object:
    from ..values import Color

    return Color.parse(value)


def _time(value: object) -> object:
    from ..values import TimeValue

    return TimeValue.parse(value)


def _assignment(value: object) -> str:
    """Checks `key.path=value` and returns the text unchanged (`config.set_layer` reads the value)."""
    from ..pipeline.config import ConfigError, split_assignment

    try:
        split_assignment(str(value))
    except ConfigError as e:  # click already says "Invalid value for '--set'"
        raise ValueError(str(e).removeprefix("--set ")) from None
    return str(value)


SIZE = ParsedParam("size", _size)
COLOR = ParsedParam("colour", _color)
TIME = ParsedParam("time", _time)
ASSIGNMENT = ParsedParam("key=value", _assignment)


def time_on(value, option: str, timeline) -> int:
    """A `TIME` value resolved on a timeline (a `store.TimelineInfo`: its kind, first and last times),
    or a one-paragraph error naming the option."""
    import numpy as np

    from .errors import UserError

    try:
        return value.resolve(timeline.kind, np.array([timeline.min, timeline.max], dtype=np.int64))
    except ValueError as e:
        raise UserError(f"{option} for timeline {timeline.name!r} ({timeline.kind.value}): {e}") from None
