"""Text: `TextLog` entries and `TextDocument`s."""

from __future__ import annotations

from typing import Any

from .. import components as c
from ..batch import Archetype, Field


class TextLog(Archetype):
    """A log line with an optional level (see `TextLogLevel`) and color."""

    _FIELDS = (
        Field("text", "Text", c.utf8s),
        Field("level", "TextLogLevel", c.utf8s),
        Field("color", "Color", c.colors),
    )

    def __init__(self, text: Any, *, level: str | None = None, color: Any = None) -> None:
        super().__init__()
        self._set_field("text", text)
        self._set_field("level", level)
        self._set_field("color", color)


class TextDocument(Archetype):
    """A text document, plain or Markdown (see `MediaType.TEXT` / `MediaType.MARKDOWN`)."""

    _FIELDS = (Field("text", "Text", c.utf8s), Field("media_type", "MediaType", c.utf8s))

    def __init__(self, text: Any, *, media_type: str | None = None) -> None:
        super().__init__()
        self._set_field("text", text)
        self._set_field("media_type", media_type)
