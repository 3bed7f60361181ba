"""Entity paths as Rerun writes them: `/`-separated parts, special characters backslash-escaped."""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterable

_NAMED_ESCAPES = {"\n": "n", "\t": "t", "\r": "r"}
_UNESCAPES = {v: k for k, v in _NAMED_ESCAPES.items()}


class EntityPathError(ValueError):
    """A string that cannot be read as an entity path."""


def escape_entity_path_part(part: str) -> str:
    """Escape one path part so that it survives as a single part (`cam 1` -> `cam\\ 1`), as Rerun does.

    Letters and digits (any script), `_`, `-` and `.` stay; newline, tab and carriage return become
    `\\n`, `\\t`, `\\r`; other printable ASCII gets a backslash; anything else (control characters,
    non-ASCII symbols and spaces, emoji) becomes `\\u{XXXX}`. Rerun also keeps letter-like marks that
    Python does not call alphanumeric (combining marks, circled letters); those get `\\u{XXXX}` here.
    """
    out = []
    for ch in str(part):
        if ch.isalnum() or ch in "_-.":
            out.append(ch)
        elif ch in _NAMED_ESCAPES:
            out.append("\\" + _NAMED_ESCAPES[ch])
        elif ch.isascii() and ch.isprintable():
            out.append("\\" + ch)
        else:
            out.append(f"\\u{{{ord(ch):04X}}}")
    return "".join(out)


def _unicode_escape(path: str, start: int) -> tuple[str, int] | None:
    """The character of a `{XXXX}` escape body at `path[start:]` and the index after it, if well formed."""
    if not path.startswith("{", start):
        return None
    end = path.find("}", start)
    digits = path[start + 1 : end] if end > 0 else ""
    if not 0 < len(digits) <= 6 or any(d not in "0123456789abcdefABCDEF" for d in digits):
        return None
    code = int(digits, 16)
    if code > 0x10FFFF or 0xD800 <= code < 0xE000:
        return None
    return chr(code), end + 1


def _split_parts(path: str) -> list[str]:
    """Split on unescaped `/` and unescape each part; warns on unescaped whitespace, as Rerun does."""
    parts: list[str] = []
    current: list[str] = []
    saw_whitespace = False
    i = 0
    while i < len(path):
        ch = path[i]
        i += 1
        if ch == "\\":
            if i == len(path):
                raise EntityPathError(f"entity path {path!r} ends in a lone backslash; escape it as '\\\\'")
            nxt = path[i]
            i += 1
            if nxt != "u":
                # As in Rerun, an unknown escape (`\0`, `\q`) stands for the character itself.
                current.append(_UNESCAPES.get(nxt, nxt))
            elif escaped := _unicode_escape(path, i):
                char, i = escaped
                current.append(char)
            else:
                current.append("\\u")  # not `\u{1 to 6 hex digits}`: Rerun keeps it as written
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


# Paths of only these characters need no unescaping and no escaping: each part stays as it is.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_.\-/]*")


def parse_entity_path(path: str | Iterable[object]) -> str:
    """`entity_path`, cached for strings: scripts log to the same few paths thousands of times."""
    if not isinstance(path, str):
        return entity_path(path)
    if _PLAIN_PATH.fullmatch(path):
        # Many distinct plain paths (`points/{i}`) would only churn the cache.
        return "/" + "/".join(part for part in path.split("/") if part)
    return _parse_string(path)
