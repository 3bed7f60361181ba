"""`rerender.blueprint.table`, like `rerun.blueprint.table` (experimental in rerun-sdk 0.41): blueprints
for tables, saved with `TableBlueprint(...).save(application_id, path)`.

Logged paths, as rerun-sdk logs them:

    /table                                  TableBlueprint (layout, headers, filters, sort), PreviewsConfig
    /table/layouts/table                    TableLayout (column order)
    /table/layouts/table/columns/<source>   TableColumn, TableColumnPreview
    /table/layouts/cards                    CardLayout (field order, title, link)
    /table/layouts/cards/fields/<source>    TableColumn, TableColumnPreview
    /view/<uuid>...                         the views of preview cells
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from rerender.rrd import ComponentDescriptor
from rerender.sdk.entity_path import escape_entity_path_part

from . import archetypes as bpa
from .api import BlueprintLog, View, save_blueprint
from .archetypes import PreviewsConfig
from .components import ColumnDisplayModeLike
from .encodings import ColumnType, SortBy
from .table_filters import Filter, FilterColumn, ListFilters, StringFilters, col

__all__ = [
    "CardLayout",
    "Column",
    "Filter",
    "FilterColumn",
    "ListFilters",
    "PreviewCell",
    "PreviewsConfig",
    "SortBy",
    "StringFilters",
    "TableBlueprint",
    "TableLayout",
    "col",
]


def _check_text(value: object, name: str, *, allow_empty: bool = True) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string or None")
    if not allow_empty and value == "":
        raise ValueError(f"{name} must not be empty")


def _check_bool(value: object, name: str) -> None:
    if value is not None and not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool or None")


@dataclass(frozen=True, init=False)
class PreviewCell:
    """A column whose cells are previewed with views (each cell's data shown in them)."""

    views: tuple[View, ...]

    def __init__(self, *views: View) -> None:
        if not views:
            raise ValueError("PreviewCell requires at least one view")
        if not all(isinstance(view, View) for view in views):
            raise TypeError("PreviewCell only accepts Rerun views")
        object.__setattr__(self, "views", views)


@dataclass(frozen=True)
class Column:
    """How one source column is shown: its name, editability, visibility and type (a component class,
    a component type name, a `ComponentDescriptor`, or a `PreviewCell`)."""

    source: str
    name: str | None = field(default=None, kw_only=True)
    editable: bool | None = field(default=None, kw_only=True)
    column_type: type | str | ComponentDescriptor | PreviewCell | None = field(default=None, kw_only=True)
    visible: bool | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        if not isinstance(self.source, str):
            raise TypeError("Column.source must be a string")
        if not self.source:
            raise ValueError("Column.source must not be empty")
        _check_text(self.name, "Column.name")
        _check_bool(self.editable, "Column.editable")
        _check_bool(self.visible, "Column.visible")
        self.type_value()

    def type_value(self) -> ColumnType | None:
        """The `ColumnType` logged for `column_type` (None for none or a preview cell)."""
        kind = self.column_type
        if kind is None or isinstance(kind, PreviewCell):
            return None
        if isinstance(kind, str):
            if not kind:
                raise ValueError("Column.column_type must not be empty")
            return ColumnType(component_type_name=kind)
        # A descriptor: rerender's, or another SDK's with the same attributes.
        if isinstance(kind, ComponentDescriptor) or (
            hasattr(kind, "component") and not isinstance(kind, type)
        ):
            return ColumnType(component=str(kind.component), component_type_name=kind.component_type)
        if isinstance(kind, type) and callable(getattr(kind, "component_type", None)):
            return ColumnType(component_type_name=kind.component_type())
        raise TypeError(
            "Column.column_type must be a component class, a component type name, a ComponentDescriptor, "
            "or a PreviewCell"
        )

    def log_to(self, log: BlueprintLog, path: str) -> None:
        """Log the column's settings (and preview views' paths) to `path`."""
        column = bpa.TableColumn(
            name=self.name, editable=self.editable, visible=self.visible, column_type=self.type_value()
        )
        batches = column.as_component_batches()
        if batches:
            log.log(path, batches)
        if isinstance(self.column_type, PreviewCell):
            log.log(
                path, bpa.TableColumnPreview(views=[view.blueprint_path() for view in self.column_type.views])
            )


def _columns(columns: Sequence[Column], context: str) -> tuple[Column, ...]:
    out = tuple(columns)
    if not all(isinstance(column, Column) for column in out):
        raise TypeError(f"{context} only accepts Column values")
    sources = [column.source for column in out]
    if len(sources) != len(set(sources)):
        raise ValueError(f"{context} accepts each source column at most once")
    return out


@dataclass(frozen=True, kw_only=True)
class TableLayout:
    """The table layout: its columns, in order."""

    columns: Sequence[Column] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", _columns(self.columns, "TableLayout.columns"))


@dataclass(frozen=True, kw_only=True)
class CardLayout:
    """The cards layout: the columns used as title and link, and the fields, in order."""

    title: str | None = None
    link: str | None = None
    fields: Sequence[Column] = ()

    def __post_init__(self) -> None:
        _check_text(self.title, "CardLayout.title", allow_empty=False)
        _check_text(self.link, "CardLayout.link", allow_empty=False)
        object.__setattr__(self, "fields", _columns(self.fields, "CardLayout.fields"))


@dataclass(frozen=True, kw_only=True)
class TableBlueprint:
    """A table's blueprint: layouts, default layout, header mode, previews, filters and sort order."""

    table_layout: TableLayout | None = None
    card_layout: CardLayout | None = None
    default_layout: Literal["table", "cards"] | None = None
    column_display_mode: ColumnDisplayModeLike | None = None
    previews_config: PreviewsConfig | None = None
    filters: Sequence[Filter | str] = ()
    sort_by: str | SortBy | None = None

    def __post_init__(self) -> None:
        if isinstance(self.filters, str | Filter):
            raise TypeError("TableBlueprint.filters must be a sequence of filters")
        object.__setattr__(
            self, "filters", tuple(f if isinstance(f, Filter) else Filter(f) for f in self.filters)
        )
        if self.table_layout is not None and not isinstance(self.table_layout, TableLayout):
            raise TypeError("TableBlueprint.table_layout must be a TableLayout or None")
        if self.card_layout is not None and not isinstance(self.card_layout, CardLayout):
            raise TypeError("TableBlueprint.card_layout must be a CardLayout or None")
        _check_text(self.default_layout, "TableBlueprint.default_layout")
        if self.default_layout not in (None, "table", "cards"):
            raise ValueError("TableBlueprint.default_layout must be 'table', 'cards', or None")
        if self.default_layout == "cards" and self.card_layout is None:
            raise ValueError("default_layout='cards' requires card_layout to be configured")
        if self.previews_config is not None and not isinstance(self.previews_config, PreviewsConfig):
            raise TypeError("TableBlueprint.previews_config must be a PreviewsConfig or None")
        if isinstance(self.sort_by, str):
            _check_text(self.sort_by, "TableBlueprint.sort_by", allow_empty=False)
            object.__setattr__(self, "sort_by", SortBy(self.sort_by))
        elif self.sort_by is not None and not isinstance(self.sort_by, SortBy):
            raise TypeError("TableBlueprint.sort_by must be a str, SortBy, or None")

    def save(self, application_id: str, path: str | os.PathLike[str] | None = None) -> None:
        """Write this blueprint alone to a file (`<application_id>.rbl` by default)."""
        save_blueprint(self, application_id, path)

    def log_to(self, log: BlueprintLog) -> None:
        """Log the preview views, then the table's settings and layouts."""
        layouts = [layout.columns for layout in (self.table_layout,) if layout is not None]
        layouts += [layout.fields for layout in (self.card_layout,) if layout is not None]
        views = {
            view.blueprint_path(): view
            for columns in layouts
            for column in columns
            if isinstance(column.column_type, PreviewCell)
            for view in column.column_type.views
        }
        for view in views.values():
            view.log_to(log)

        table = bpa.TableBlueprint(
            layout=self.default_layout,
            column_display_mode=self.column_display_mode,
            filters=[str(f) for f in self.filters] or None,
            sort_by=self.sort_by,
        ).as_component_batches()
        if table:
            log.log("table", table)
        if self.previews_config is not None and (previews := self.previews_config.as_component_batches()):
            log.log("table", previews)

        table_layout = self.table_layout or TableLayout()
        log.log("table/layouts/table", bpa.TableLayout(column_order=[c.source for c in table_layout.columns]))
        for column in table_layout.columns:
            column.log_to(log, f"table/layouts/table/columns/{escape_entity_path_part(column.source)}")
        if self.card_layout is not None:
            cards = self.card_layout
            log.log(
                "table/layouts/cards",
                bpa.CardLayout(
                    field_order=[f.source for f in cards.fields], title=cards.title, link=cards.link
                ),
            )
            for column in cards.fields:
                column.log_to(log, f"table/layouts/cards/fields/{escape_entity_path_part(column.source)}")
