"""Text: `TextLog` entries and `TextDocument`s."""

from __future__ import annotations

from typing import Any

from .. import components as c
from ..batch import Archetype


class TextLog(Archetype):
    """A log line with an optional level (see `TextLogLevel`) and color."""

    _FIELDS = (("text", "Text"), ("level", "TextLogLevel"), ("color", "Color"))

    def __init__(self, text: Any, *, level: str | None = None, color: Any = None) -> None:
        super().__init__()
        self._set("text", text, c.utf8s)
        self._set("level", level, c.utf8s)
        self._set("color", color, c.colors)


class TextDocument(Archetype):
    """A text document, plain or Markdown (see `MediaType.TEXT` / `MediaType.MARKDOWN`)."""

    _FIELDS = (("text", "Text"), ("media_type", "MediaType"))

    def __init__(self, text: Any, *, media_type: str | None = None) -> None:
        super().__init__()
        self._set("text", text, c.utf8s)
        self._set("media_type", media_type, c.utf8s)
