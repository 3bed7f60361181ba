"""Row filters of table blueprints: SQL predicates built with `col(name)`, as rerun-sdk 0.41 writes them.

`col("speed") > 3`, `col("ok").is_true()`, `col("name").str.contains("cam")`,
`col("tags").list.str.starts_with("a")` (any item of a list column), ... each give a `Filter`, whose
`sql` is the expression logged (the exact text rerun-sdk produces, so the stores match).
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["Filter", "FilterColumn", "ListFilters", "StringFilters", "col"]

Number = int | float

# A list column's predicate holds for a row when it holds for any item, named `x` in the lambda.
_ITEM = "x"
_LIKE_ESCAPE = "\\"


@dataclass(frozen=True)
class Filter:
    """A row filter: one SQL predicate."""

    sql: str

    def __post_init__(self) -> None:
        if not isinstance(self.sql, str):
            raise TypeError("Filter.sql must be a string")
        if not self.sql.strip():
            raise ValueError("Filter.sql must not be empty")

    def __bool__(self) -> bool:
        # `a and b` would silently keep only one filter: several filters go in a list instead.
        raise TypeError(
            "A filter has no truth value. Use the negated methods of `col`, such as `ne`, "
            "and pass several filters in a list instead of using `and`."
        )

    def __str__(self) -> str:
        return self.sql


def col(name: str) -> FilterColumn:
    """The column `name`, to build filters from."""
    return FilterColumn(name)


def _quoted_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quoted_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _not(row_filter: Filter) -> Filter:
    # IS NOT TRUE (not NOT) so that rows where the predicate is NULL are kept.
    return Filter(f"({row_filter.sql}) IS NOT TRUE")


def _number(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(
            f"Can't compare a column to a value of type {type(value).__name__}. "
            "Comparisons take a number. Use `is_true`, `before` or `str.contains` for other columns."
        )
    if isinstance(value, int) or math.isfinite(value):
        return repr(value)
    return f"CAST({_quoted_text('NaN' if math.isnan(value) else repr(value))} AS DOUBLE)"


def _timestamp(value: object) -> str:
    if not isinstance(value, datetime):
        raise TypeError("Timestamp filters require a datetime")
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return f"TIMESTAMPTZ {_quoted_text(aware.astimezone(UTC).replace(tzinfo=None).isoformat() + 'Z')}"


_DAY = "date_trunc('day', now())"
_WEEK = "date_trunc('week', now())"


class _Predicates:
    """The filters of one column (or of any item of a list column)."""

    __hash__ = None  # type: ignore[assignment]  # == builds a filter

    def __init__(self, name: builtins.str, *, is_list: bool) -> None:
        self._name = name
        self._is_list = is_list

    def _where(self, predicate: Callable[[builtins.str], builtins.str]) -> Filter:
        """`predicate` applied to the column, or to each item (`any_match`) of a list column."""
        column = _quoted_name(self._name)
        if self._is_list:
            return Filter(f"any_match({column}, {_ITEM} -> {predicate(_ITEM)})")
        return Filter(predicate(column))

    def _compare(self, operator: builtins.str, value: builtins.str) -> Filter:
        return self._where(lambda v: f"{v} {operator} {value}")

    def _between(self, low: builtins.str, high: builtins.str) -> Filter:
        return self._where(lambda v: f"{v} >= {low} AND {v} < {high}")

    # numbers
    def eq(self, value: Number) -> Filter:
        """Equal to a number."""
        return self._compare("=", _number(value))

    def ne(self, value: Number) -> Filter:
        """Not equal to a number (or null)."""
        return _not(self.eq(value))

    def lt(self, value: Number) -> Filter:
        """Less than a number."""
        return self._compare("<", _number(value))

    def le(self, value: Number) -> Filter:
        """At most a number."""
        return self._compare("<=", _number(value))

    def gt(self, value: Number) -> Filter:
        """Greater than a number."""
        return self._compare(">", _number(value))

    def ge(self, value: Number) -> Filter:
        """At least a number."""
        return self._compare(">=", _number(value))

    def __eq__(self, value: Number) -> Filter:  # type: ignore[override]
        return self.eq(value)

    def __ne__(self, value: Number) -> Filter:  # type: ignore[override]
        return self.ne(value)

    def __lt__(self, value: Number) -> Filter:
        return self.lt(value)

    def __le__(self, value: Number) -> Filter:
        return self.le(value)

    def __gt__(self, value: Number) -> Filter:
        return self.gt(value)

    def __ge__(self, value: Number) -> Filter:
        return self.ge(value)

    # booleans and nulls
    def is_true(self) -> Filter:
        """True."""
        return self._compare("=", "true")

    def is_false(self) -> Filter:
        """False."""
        return self._compare("=", "false")

    def is_not_true(self) -> Filter:
        """False or null."""
        return _not(self.is_true())

    def is_not_false(self) -> Filter:
        """True or null."""
        return _not(self.is_false())

    def is_null(self) -> Filter:
        """Null (for a list column: a null or empty list, or a null item)."""
        sql = self._where(lambda v: f"{v} IS NULL").sql
        if self._is_list:
            empty = f"NOT {self._where(lambda _: 'true').sql}"
            sql = f"{_quoted_name(self._name)} IS NULL OR {empty} OR {sql}"
        return Filter(sql)

    def is_not_null(self) -> Filter:
        """Not null."""
        return _not(self.is_null())

    # timestamps
    def before(self, timestamp: datetime) -> Filter:
        """Before a time (naive datetimes are UTC)."""
        return self._compare("<", _timestamp(timestamp))

    def after(self, timestamp: datetime) -> Filter:
        """At or after a time."""
        return self._compare(">=", _timestamp(timestamp))

    def between(self, start: datetime, end: datetime) -> Filter:
        """From `start` (included) to `end` (excluded)."""
        return self._between(_timestamp(start), _timestamp(end))

    def not_between(self, start: datetime, end: datetime) -> Filter:
        """Outside `between(start, end)`."""
        return _not(self.between(start, end))

    def today(self) -> Filter:
        """Today (UTC)."""
        return self._between(_DAY, f"{_DAY} + INTERVAL '1 day'")

    def not_today(self) -> Filter:
        """Not today."""
        return _not(self.today())

    def yesterday(self) -> Filter:
        """Yesterday (UTC)."""
        return self._between(f"{_DAY} - INTERVAL '1 day'", _DAY)

    def not_yesterday(self) -> Filter:
        """Not yesterday."""
        return _not(self.yesterday())

    def last_24_hours(self) -> Filter:
        """In the last 24 hours."""
        return self._between("now() - INTERVAL '24 hours'", "now()")

    def not_last_24_hours(self) -> Filter:
        """Not in the last 24 hours."""
        return _not(self.last_24_hours())

    def this_week(self) -> Filter:
        """This week."""
        return self._between(_WEEK, f"{_WEEK} + INTERVAL '7 days'")

    def not_this_week(self) -> Filter:
        """Not this week."""
        return _not(self.this_week())

    def last_week(self) -> Filter:
        """Last week."""
        return self._between(f"{_WEEK} - INTERVAL '7 days'", _WEEK)

    def not_last_week(self) -> Filter:
        """Not last week."""
        return _not(self.last_week())

    @property
    def str(self) -> StringFilters:
        """Text filters of this column."""
        return StringFilters(self)


class FilterColumn(_Predicates):
    """A column's filters (`col(name)`); `.list` gives those of any item of a list column."""

    def __init__(self, name: str) -> None:
        if not isinstance(name, str):
            raise TypeError("Filter column name must be a string")
        if not name:
            raise ValueError("Filter column name must not be empty")
        super().__init__(name, is_list=False)

    @property
    def list(self) -> ListFilters:
        """Filters that hold when any item of this list column matches."""
        return ListFilters(self._name)

    def __repr__(self) -> str:
        return f"col({self._name!r})"


class ListFilters(_Predicates):
    """The filters of a list column's items (a row matches when any item does)."""

    def __init__(self, name: str) -> None:
        super().__init__(name, is_list=True)

    def __repr__(self) -> str:
        return f"col({self._name!r}).list"


class StringFilters:
    """Case-insensitive text filters of a column (`col(name).str`)."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, column: _Predicates) -> None:
        self._column = column

    def contains(self, text: str) -> Filter:
        """Contains `text`."""
        return self._like(text, prefix=True, suffix=True)

    def does_not_contain(self, text: str) -> Filter:
        """Does not contain `text` (or is null)."""
        return _not(self.contains(text))

    def starts_with(self, text: str) -> Filter:
        """Starts with `text`."""
        return self._like(text, prefix=False, suffix=True)

    def ends_with(self, text: str) -> Filter:
        """Ends with `text`."""
        return self._like(text, prefix=True, suffix=False)

    def _like(self, text: str, *, prefix: bool, suffix: bool) -> Filter:
        if not isinstance(text, str):
            raise TypeError("String filters require a string")
        if not text:
            raise ValueError("String filters require a non-empty string")
        escaped = "".join(_LIKE_ESCAPE + ch if ch in "%_\\" else ch for ch in text)
        pattern = ("%" if prefix else "") + escaped + ("%" if suffix else "")
        escape = "" if escaped == text else f" ESCAPE {_quoted_text(_LIKE_ESCAPE)}"
        return self._column._where(lambda v: f"{v} ILIKE {_quoted_text(pattern)}{escape}")

    def __repr__(self) -> str:
        return f"{self._column!r}.str"
