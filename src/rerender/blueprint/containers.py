"""The containers: `Horizontal`, `Vertical`, `Grid` and `Tabs`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .api import Container, View
from .components import ContainerKind

__all__ = ["Grid", "Horizontal", "Tabs", "Vertical"]


class Horizontal(Container):
    """Children side by side; `column_shares` weights their widths."""

    def __init__(
        self,
        *args: Container | View,
        contents: Iterable[Container | View] | None = None,
        column_shares: Any = None,
        name: str | None = None,
        visible: bool | None = None,
    ) -> None:
        super().__init__(
            *args,
            contents=contents,
            kind=ContainerKind.Horizontal,
            column_shares=column_shares,
            name=name,
            visible=visible,
        )


class Vertical(Container):
    """Children stacked top to bottom; `row_shares` weights their heights."""

    def __init__(
        self,
        *args: Container | View,
        contents: Iterable[Container | View] | None = None,
        row_shares: Any = None,
        name: str | None = None,
        visible: bool | None = None,
    ) -> None:
        super().__init__(
            *args,
            contents=contents,
            kind=ContainerKind.Vertical,
            row_shares=row_shares,
            name=name,
            visible=visible,
        )


class Grid(Container):
    """Children in a grid of `grid_columns` columns (the viewer picks when unset)."""

    def __init__(
        self,
        *args: Container | View,
        contents: Iterable[Container | View] | None = None,
        column_shares: Any = None,
        row_shares: Any = None,
        grid_columns: int | None = None,
        name: str | None = None,
        visible: bool | None = None,
    ) -> None:
        super().__init__(
            *args,
            contents=contents,
            kind=ContainerKind.Grid,
            column_shares=column_shares,
            row_shares=row_shares,
            grid_columns=grid_columns,
            name=name,
            visible=visible,
        )


class Tabs(Container):
    """Children as tabs; `active_tab` is an index or a view name."""

    def __init__(
        self,
        *args: Container | View,
        contents: Iterable[Container | View] | None = None,
        active_tab: int | str | None = None,
        name: str | None = None,
        visible: bool | None = None,
    ) -> None:
        super().__init__(
            *args,
            contents=contents,
            kind=ContainerKind.Tabs,
            active_tab=active_tab,
            name=name,
            visible=visible,
        )
