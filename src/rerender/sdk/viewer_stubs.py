"""rerun-sdk's top-level calls that need a viewer, a notebook or a Rerun server, none of which rerender
has. They take rerun-sdk's parameters, do what `OUT_OF_SCOPE` says, and return, so that scripts
written for rerun-sdk run to the end. (`spawn`, `connect_grpc`, `serve_grpc` and `serve_web`, which
also keep recording, are on the recording stream.)"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from .recording import RecordingStream, warn_once

__all__ = [
    "OUT_OF_SCOPE",
    "legacy_notebook_show",
    "login",
    "logout",
    "notebook_show",
    "serve_web_viewer",
    "start_web_viewer_server",
    "tracing_session",
]

_INSTEAD = "look at recordings with `rerender render` or `rerender info`"

OUT_OF_SCOPE: dict[str, str] = {
    "notebook_show": f"embeds the live viewer in a notebook; rerender has no viewer: warns once; {_INSTEAD}",
    "legacy_notebook_show": f"the older notebook viewer embedding; no viewer here: warns once; {_INSTEAD}",
    "serve_web_viewer": f"serves the web viewer over HTTP; no web viewer here: warns once; {_INSTEAD}",
    "start_web_viewer_server": f"the older name of serve_web_viewer: warns once; {_INSTEAD}",
    "login": "signs in to Rerun's cloud catalog; rerender has no catalog client: warns once",
    "logout": "signs out of Rerun's cloud catalog; rerender has no catalog client: warns once",
    "tracing_session": "tags catalog gRPC requests with a session id; rerender sends none: yields ''",
}
"""rerun-sdk's names that rerender provides only as harmless stand-ins: name -> why, and what it does."""


def _unavailable(name: str) -> None:
    warn_once(f"out-of-scope-{name}", f"rr.{name}(): {OUT_OF_SCOPE[name]}")


def notebook_show(
    *,
    width: int | None = None,
    height: int | None = None,
    blueprint: object = None,
    recording: RecordingStream | None = None,
) -> None:
    """No notebook viewer here: see `OUT_OF_SCOPE`."""
    _unavailable("notebook_show")


def legacy_notebook_show(
    *,
    width: int = 950,
    height: int = 712,
    app_url: str | None = None,
    timeout_ms: int = 2000,
    blueprint: object = None,
    recording: RecordingStream | None = None,
) -> None:
    """No notebook viewer here: see `OUT_OF_SCOPE`."""
    _unavailable("legacy_notebook_show")


def serve_web_viewer(
    *, web_port: int | None = None, open_browser: bool = True, connect_to: str | None = None
) -> None:
    """No web viewer here: see `OUT_OF_SCOPE`."""
    _unavailable("serve_web_viewer")


def start_web_viewer_server(port: int = 0) -> None:
    """No web viewer here: see `OUT_OF_SCOPE`."""
    _unavailable("start_web_viewer_server")


def login() -> None:
    """No catalog client here: see `OUT_OF_SCOPE`."""
    _unavailable("login")


def logout() -> None:
    """No catalog client here: see `OUT_OF_SCOPE`."""
    _unavailable("logout")


@contextlib.contextmanager
def tracing_session() -> Iterator[str]:
    """A no-op scope (there are no catalog requests to tag): yields the empty session id, as rerun-sdk
    does when its telemetry is off."""
    yield ""
