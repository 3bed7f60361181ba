"""Entity globs, time windows and time parsing: the pure pieces behind `rerender filter`."""

from __future__ import annotations

import pytest

from rerender.rrd import TimeKind
from rerender.rrd.paths import ancestors, normalize_entity_path, parent_path
from rerender.rrd.select import EntityGlob, Selection
from rerender.rrd.timeformat import format_time, parse_time


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("/world/**", "/world", True),
        ("/world/**", "/world/robot/arm", True),
        ("/world/**", "/worlds", False),
        ("/world", "/world/robot", False),
        ("/world/*/arm", "/world/robot/arm", True),
        ("/world/*/arm", "/world/a/b/arm", False),
        ("/world/**/arm", "/world/a/b/arm", True),
        ("/cam*", "/cam2", True),
        ("/**", "/anything/at/all", True),
    ],
)
def test_entity_glob(pattern: str, path: str, matches: bool) -> None:
    assert EntityGlob(pattern).matches(path) is matches


def test_normalize_entity_path() -> None:
    assert normalize_entity_path("world/points/") == "/world/points"
    assert normalize_entity_path("/") == "/"


def test_parent_path_and_ancestors() -> None:
    assert [parent_path(p) for p in ("/a/b", "/a", "/", "/a/b/")] == ["/a", "/", None, "/a"]
    assert ancestors("/a/b/c") == ["/a/b", "/a", "/"] and ancestors("/") == []


def test_selection_keeps_properties_unless_dropped() -> None:
    only_world = Selection(include=(EntityGlob("/world/**"),))
    assert only_world.keeps_entity("/__properties") and not only_world.keeps_entity("/other")
    assert not Selection(exclude=(EntityGlob("/__properties/**"),)).keeps_entity("/__properties")


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("42", TimeKind.SEQUENCE, 42),
        ("-3", TimeKind.SEQUENCE, -3),
        ("1.5", TimeKind.DURATION, 1_500_000_000),
        ("1.5s", TimeKind.DURATION, 1_500_000_000),
        ("250ms", TimeKind.DURATION, 250_000_000),
        ("2min", TimeKind.DURATION, 120_000_000_000),
        ("7", TimeKind.DURATION, 7_000_000_000),
        ("1700000000000000000", TimeKind.TIMESTAMP, 1_700_000_000_000_000_000),
        ("2023-11-14T22:13:20Z", TimeKind.TIMESTAMP, 1_700_000_000_000_000_000),
        ("2023-11-14T23:13:20.5+01:00", TimeKind.TIMESTAMP, 1_700_000_000_500_000_000),
    ],
)
def test_parse_time(text: str, kind: TimeKind, value: int) -> None:
    assert parse_time(text, kind) == value


@pytest.mark.parametrize(
    ("text", "kind"),
    [("1.5", TimeKind.SEQUENCE), ("soon", TimeKind.DURATION), ("yesterday", TimeKind.TIMESTAMP)],
)
def test_parse_time_rejects_with_an_example(text: str, kind: TimeKind) -> None:
    with pytest.raises(ValueError, match="expected"):
        parse_time(text, kind)


def test_format_time_round_trips() -> None:
    assert format_time(1_500_000_000, TimeKind.DURATION) == "1.5s"
    assert format_time(1_700_000_000_250_000_000, TimeKind.TIMESTAMP) == "2023-11-14T22:13:20.25Z"
    for value, kind in [(1_700_000_000_250_000_000, TimeKind.TIMESTAMP), (1_234_567, TimeKind.DURATION)]:
        assert parse_time(format_time(value, kind), kind) == value
