"""The base of every error rerender reports to users as one paragraph (and the CLI as `Error: …`).

Each layer raises its own subclass (`RrdError` for files, `UnknownNameError` for timelines and entities,
`ConfigError` for settings, `MediaError` for outputs, `GLUnavailableError` for OpenGL); the CLI catches
this one class. Anything else escaping is a bug and keeps its traceback.
"""

from __future__ import annotations


class RerenderError(Exception):
    """Something the user can fix: the message names the file, key or entity and what was expected."""
