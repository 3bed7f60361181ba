"""Config and pipeline files: TOML read with the line of every key, so that an error names file:line.

`read_config` gives a `SettingsLayer` (the values and each dotted key path's line); `ConfigError` is
the one-paragraph error for a bad file or value, with the `Origin` that set it. Only the standard
library: a pipeline file is read without importing the renderer (`pipeline.config` checks the
settings themselves).
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RerenderError


class ConfigError(RerenderError):
    """A setting that is unknown, mistyped or out of range, with the file:line or flag that set it."""

    def __init__(self, message: str, *, origin: Origin | None = None, key: str | None = None):
        super().__init__(message)
        self.origin = origin
        self.key = key


@dataclass(frozen=True)
class Origin:
    """Where a setting came from: a config file and line, `--set`, `--quality NAME`, or a flag."""

    source: str
    line: int | None = None
    flag: str | None = None  # the command-line flag, for the "command line" layer

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.source}:{self.line}"
        return f"{self.source} {self.flag}" if self.flag else self.source


@dataclass(frozen=True)
class SettingsLayer:
    """One source of settings: nested `values` and the line of each dotted key path in `source`
    (`camera.keyframes[1].position`); `flags` names the flag that set a key (command-line layer)."""

    source: str
    values: Mapping[str, object]
    lines: Mapping[str, int] = field(default_factory=dict)
    flags: Mapping[str, str] = field(default_factory=dict)

    def origin(self, key_path: str) -> Origin:
        line = next((self.lines[p] for p in key_parents(key_path) if p in self.lines), None)
        flag = next((self.flags[p] for p in key_parents(key_path) if p in self.flags), None)
        return Origin(self.source, line, flag)


def read_config(path: str | Path) -> SettingsLayer:
    """A TOML config file as a layer; unreadable files and TOML syntax errors raise ConfigError."""
    source = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{source}: no such config file") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{source}: not a UTF-8 text file ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise ConfigError(f"{source}: cannot read the config file: {e.strerror}") from None
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        message = str(e)
        if m := re.search(r" \(at line (\d+), column (\d+)\)$", message):
            line, where = int(m[1]), f" at column {m[2]}"
        else:  # "(at end of document)"
            line, where = text.rstrip().count("\n") + 1, " at the end of the file"
        problem = re.sub(r" \(at [^)]*\)$", "", message)
        raise ConfigError(
            f"{source}:{line}: invalid TOML{where}: {problem[:1].lower()}{problem[1:]}; "
            "expected `key = value` lines under [table] headers",
            origin=Origin(source, line),
        ) from None
    return SettingsLayer(source, values, locate_keys(text))


def key_parents(path: str) -> Iterator[str]:
    """`a.b[2].c`, `a.b[2]`, `a.b`, `a`."""
    while path:
        yield path
        cut = max(path.rfind("."), path.rfind("["))
        path = path[: max(cut, 0)]


# --- line numbers -------------------------------------------------------------------------------------


def locate_keys(text: str) -> dict[str, int]:
    """{dotted key path: line} for a valid TOML document: table headers (`[[a]]` elements as `a[0]`,
    `a[1]`), keys (dotted keys too), keys inside inline tables, and array elements (`a.b[2]`), each at the
    line where it starts. Best effort: on anything it cannot follow it returns what it has found."""
    locator = _Locator(text)
    with contextlib.suppress(_LocateError, ValueError, IndexError):
        locator.document()
    return locator.found


class _LocateError(Exception):
    pass


class _Locator:
    def __init__(self, text: str):
        self.s, self.i, self.line = text, 0, 1
        self.found: dict[str, int] = {}
        self.arrays: dict[str, int] = {}  # array-of-tables path -> elements so far

    def peek(self, n: int = 1) -> str:
        return self.s[self.i : self.i + n]

    def advance(self, n: int = 1) -> None:
        self.line += self.s.count("\n", self.i, self.i + n)
        self.i += n

    def expect(self, token: str) -> None:
        if self.peek(len(token)) != token:
            raise _LocateError(token)
        self.advance(len(token))

    def blank(self, newlines: bool = False) -> None:
        """Skips spaces and tabs; with `newlines`, also line ends and comments."""
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t" or (newlines and c in "\r\n"):
                self.advance()
            elif newlines and c == "#":
                end = self.s.find("\n", self.i)
                self.advance((len(self.s) if end < 0 else end) - self.i)
            else:
                return

    def document(self) -> None:
        prefix = ""
        while True:
            self.blank(newlines=True)
            if self.i >= len(self.s):
                return
            line = self.line
            if self.peek(2) == "[[":
                self.advance(2)
                prefix = self.header(self.key(), line, array=True)
                self.blank()
                self.expect("]]")
            elif self.peek() == "[":
                self.advance()
                prefix = self.header(self.key(), line, array=False)
                self.blank()
                self.expect("]")
            else:
                self.assignment(prefix)

    def header(self, parts: list[str], line: int, array: bool) -> str:
        path = ""
        for part in parts[:-1]:  # `[[a.b]]` under `[[a]]` is `a[last].b`
            path = f"{path}.{part}" if path else part
            path += f"[{self.arrays[path] - 1}]" if path in self.arrays else ""
            self.found.setdefault(path, line)
        path = f"{path}.{parts[-1]}" if path else parts[-1]
        if array:
            self.found.setdefault(path, line)
            index = self.arrays.get(path, 0)
            self.arrays[path] = index + 1
            path = f"{path}[{index}]"
        self.found[path] = line
        return path

    def assignment(self, prefix: str) -> None:
        line = self.line
        parts = self.key()
        path = prefix
        for part in parts[:-1]:
            path = f"{path}.{part}" if path else part
            self.found.setdefault(path, line)
        self.blank()
        self.expect("=")
        self.blank()
        self.value(f"{path}.{parts[-1]}" if path else parts[-1])

    def key(self) -> list[str]:
        parts = []
        while True:
            self.blank()
            start = self.i
            if self.peek() in ('"', "'"):
                self.string()
                parts.append(tomllib.loads("k = " + self.s[start : self.i])["k"])
            else:
                while self.i < len(self.s) and (self.s[self.i].isalnum() or self.s[self.i] in "_-"):
                    self.advance()
                if self.i == start:
                    raise _LocateError("key")
                parts.append(self.s[start : self.i])
            self.blank()
            if self.peek() != ".":
                return parts
            self.advance()

    def value(self, path: str) -> None:
        self.found[path] = self.line
        c = self.peek()
        if c == "{":
            self.advance()
            self.blank(newlines=True)
            while self.peek() != "}":
                self.assignment(path)
                self.blank(newlines=True)
                if self.peek() == ",":
                    self.advance()
                    self.blank(newlines=True)
            self.advance()
        elif c == "[":
            self.advance()
            self.blank(newlines=True)
            index = 0
            while self.peek() != "]":
                self.value(f"{path}[{index}]")
                index += 1
                self.blank(newlines=True)
                if self.peek() == ",":
                    self.advance()
                    self.blank(newlines=True)
            self.advance()
        elif c in ('"', "'"):
            self.string()
        else:
            start = self.i
            while self.i < len(self.s) and self.s[self.i] not in ",]}#\r\n":
                self.advance()
            if self.i == start:
                raise _LocateError("value")

    def string(self) -> None:
        quote = self.peek()
        if self.peek(3) == quote * 3:
            start = self.i + 3
            end = (self.s.index(quote * 3, start) if quote == "'" else self._basic_end(start, quote * 3)) + 3
            for _ in range(2):  # `"""a"""""`: up to two quotes before the closing three are content
                end += self.s[end : end + 1] == quote
        else:
            end = (self.s.index("'", self.i + 1) if quote == "'" else self._basic_end(self.i + 1, '"')) + 1
        self.advance(end - self.i)

    def _basic_end(self, j: int, close: str) -> int:
        while not self.s.startswith(close, j):
            if j >= len(self.s):
                raise _LocateError("string")
            j += 2 if self.s[j] == "\\" else 1
        return j
