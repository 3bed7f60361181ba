"""The one exception family for bad RRD input, and the warning for recoverable damage."""

from __future__ import annotations

from ..errors import RerenderError


class RrdError(RerenderError):
    """A file or stream is not readable as RRD; says where and what was expected."""

    def __init__(
        self, what: str, *, source: str | None = None, offset: int | None = None, expected: str | None = None
    ) -> None:
        self.what = what
        self.source = source
        self.offset = offset
        self.expected = expected
        super().__init__(self._format())

    def _format(self) -> str:
        parts = []
        if self.source:
            parts.append(f"{self.source}:")
        parts.append(self.what)
        if self.offset is not None:
            parts.append(f"at byte {self.offset}")
        text = " ".join(parts)
        if self.expected:
            text += f"; expected {self.expected}"
        return text


class NotAnRrdError(RrdError):
    """The bytes do not start with an RRD stream header."""


class UnsupportedVersionError(RrdError):
    """An RRD stream from a Rerun version or serializer we cannot read."""


class CorruptMessageError(RrdError):
    """A message whose framing, protobuf, compression or Arrow payload does not decode."""


class TruncatedError(RrdError):
    """The stream ends in the middle of a header or message."""


class RrdWarning(UserWarning):
    """Damage the reader recovered from (a truncated tail, a bad footer); data before it is intact."""
