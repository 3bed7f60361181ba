"""Entity paths: their canonical form and the tree they make (`/` at the root, `/a` above `/a/b`)."""

from __future__ import annotations

PROPERTIES_PATH = "/__properties"  # where a recording's properties live


def normalize_entity_path(path: str) -> str:
    """`world/points/` -> `/world/points`; the root is `/`."""
    parts = [p for p in path.strip().split("/") if p]
    return "/" + "/".join(parts)


def parent_path(path: str) -> str | None:
    """`/a/b` -> `/a`, `/a` -> `/`, `/` -> None (a trailing `/` is ignored)."""
    if path == "/":
        return None
    head = path.rstrip("/").rsplit("/", 1)[0]
    return head or "/"


def ancestors(path: str) -> list[str]:
    """The entity's ancestors, nearest first (`/a/b` -> [`/a`, `/`])."""
    out = []
    parent = parent_path(path)
    while parent is not None:
        out.append(parent)
        parent = parent_path(parent)
    return out
