"""Entity paths as Rerun writes them: `/`-separated parts, special characters backslash-escaped."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable

_NAMED_ESCAPES = {"\n": "n", "\t": "t", "\r": "r", "\0": "0"}
_UNESCAPES = {v: k for k, v in _NAMED_ESCAPES.items()}


class EntityPathError(ValueError):
    """A string that cannot be read as an entity path."""


def escape_entity_path_part(part: str) -> str:
    """Escape one path part so that it survives as a single part (`cam 1` -> `cam\\ 1`)."""
    out = []
    for ch in str(part):
        if ch.isalnum() or ch in "_-.":
            out.append(ch)
        elif ch in _NAMED_ESCAPES:
            out.append("\\" + _NAMED_ESCAPES[ch])
        else:
            out.append("\\" + ch)
    return "".join(out)


def _split_parts(path: str) -> list[str]:
    """Split on unescaped `/` and unescape each part; warns on unescaped whitespace, as Rerun does."""
    parts: list[str] = []
    current: list[str] = []
    saw_whitespace = False
    chars = iter(path)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, None)
            if nxt is None:
                raise EntityPathError(f"entity path {path!r} ends in a lone backslash; escape it as '\\\\'")
            current.append(_UNESCAPES.get(nxt, nxt))
        elif ch == "/":
            if current:
                parts.append("".join(current))
            current = []
        else:
            saw_whitespace |= ch.isspace()
            current.append(ch)
    if current:
        parts.append("".join(current))
    if saw_whitespace:
        canonical = "/" + "/".join(escape_entity_path_part(p) for p in parts)
        warnings.warn(
            f"entity path {path!r} has unescaped whitespace; it is read as {canonical}", stacklevel=4
        )
    return parts


def entity_path(path: str | Iterable[object]) -> str:
    """The canonical form of an entity path given as a string or as a list of parts."""
    parts = _split_parts(path) if isinstance(path, str) else [str(p) for p in path]
    return "/" + "/".join(escape_entity_path_part(p) for p in parts)


@functools.lru_cache(maxsize=4096)
def _parse_string(path: str) -> str:
    return entity_path(path)


def parse_entity_path(path: str | Iterable[object]) -> str:
    """`entity_path`, cached for strings: scripts log to the same few paths thousands of times."""
    return _parse_string(path) if isinstance(path, str) else entity_path(path)
