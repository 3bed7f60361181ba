"""`LoggingHandler`: Python's `logging` records as `TextLog`s, one entity per logging module."""

from __future__ import annotations

import logging
from typing import ClassVar

from .api import log
from .archetypes import TextLog
from .datatypes import TextLogLevel

__all__ = ["LoggingHandler"]


class LoggingHandler(logging.Handler):
    """A `logging.Handler` that logs each record as a `TextLog` to the current recording.

    The entity is the record's module, dots turned into slashes (`my.module` -> `my/module`), under
    `path_prefix` when one is given; the level is the record's (a custom level keeps its name).
    `logging.getLogger().addHandler(rr.LoggingHandler("logs"))` sends everything logged to `logs/...`.
    """

    LVL2NAME: ClassVar[dict[int, TextLogLevel]] = {
        logging.CRITICAL: TextLogLevel.CRITICAL,
        logging.ERROR: TextLogLevel.ERROR,
        logging.WARNING: TextLogLevel.WARN,
        logging.INFO: TextLogLevel.INFO,
        logging.DEBUG: TextLogLevel.DEBUG,
    }

    def __init__(self, path_prefix: str | None = None) -> None:
        super().__init__()
        self.path_prefix = path_prefix

    def emit(self, record: logging.LogRecord) -> None:
        """Log `record` as a `TextLog` at its module's entity."""
        entity = record.module.replace(".", "/")
        if self.path_prefix is not None:
            entity = f"{self.path_prefix}/{entity}"
        level = self.LVL2NAME.get(record.levelno) or TextLogLevel(record.levelname)
        log(entity, TextLog(record.getMessage(), level=level))
