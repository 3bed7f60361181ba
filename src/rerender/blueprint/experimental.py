"""`rerender.blueprint.experimental`, like `rerun.blueprint.experimental`: the table blueprint archetypes
(an unstable API in rerun-sdk too)."""

from __future__ import annotations

from .archetypes import (
    CardLayout,
    PreviewsConfig,
    TableBlueprint,
    TableColumn,
    TableColumnPreview,
    TableLayout,
)

__all__ = [
    "CardLayout",
    "PreviewsConfig",
    "TableBlueprint",
    "TableColumn",
    "TableColumnPreview",
    "TableLayout",
]
