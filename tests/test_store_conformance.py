"""The store's latest-at against Rerun's own query engine (rerun-sdk 0.41's dataframe reader).

Recordings are written with rerun-sdk itself, loaded with `rerender.load`, and every entity and
component is compared with the oracle (`tests/rerun_oracle.py`; both its backends: a Rerun server, and
an in-process `rerun.chunk.ChunkStore`) at every logged time of every timeline, one before the first,
one after the last and between neighbours. Clears differ on purpose (the reader
treats a Clear as a point event, we keep the entity cleared as the viewer does): they are compared with
the oracle only at the exact clear times, and otherwise tested on their own at the end of this module.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

rr = pytest.importorskip("rerun")
pytest.importorskip("datafusion")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from rerun.chunk import Chunk, ChunkStore  # noqa: E402

import rerender  # noqa: E402
from rerender.rrd import TimeKind  # noqa: E402

from .rerun_oracle import Oracle, OracleRecording, Plain, open_local, to_plain  # noqa: E402

pytestmark = pytest.mark.interop

NS = 1_000_000_000
EPOCH = 1_700_000_000 * NS  # a base for timestamp timelines (2023-11-14)
# rerun-sdk's chunk batcher: its default (flushes every 200 ms), one flush at the end (the biggest
# chunks), and a chunk per row.
BATCHERS = {"default": "DEFAULT", "at_end": "NEVER", "per_row": "ALWAYS_TEST_ONLY"}


# -- writing recordings with rerun-sdk ------------------------------------------------------------


def write(path: Path, build: Callable[[Any], None], *, batcher: str = "default") -> Path:
    """Write a recording with rerun-sdk: `build(rec)` logs into a fresh RecordingStream saved at `path`."""
    config = getattr(rr.ChunkBatcherConfig, BATCHERS[batcher])()
    rec = rr.RecordingStream("conformance", recording_id=path.stem, batcher_config=config)
    rec.save(path)
    build(rec)
    rec.flush()
    rec.disconnect()
    return path


def set_times(rec: Any, **times: tuple[str, int]) -> None:
    """Replace the row's times: `frame=("sequence", 3)`, `sim=("duration", ns)`, `wall=("timestamp", ns)`."""
    rec.reset_time()
    for name, (kind, value) in times.items():
        if kind == "sequence":
            rec.set_time(name, sequence=value)
        elif kind == "duration":
            rec.set_time(name, duration=np.timedelta64(value, "ns"))
        else:
            rec.set_time(name, timestamp=np.datetime64(value, "ns"))


def seq(value: int) -> tuple[str, int]:
    return ("sequence", value)


def dur(value: int) -> tuple[str, int]:
    return ("duration", value)


def stamp(value: int) -> tuple[str, int]:
    return ("timestamp", value)


# -- comparing with the oracle --------------------------------------------------------------------

MISSING = "<absent>"


def probe_times(ticks: Iterable[int]) -> list[int]:
    """Every tick, its neighbours (one before, one after) and the midpoints between ticks."""
    ticks = sorted({int(t) for t in ticks})
    times = set(ticks)
    for t in ticks:
        times.update((t - 1, t + 1))
    for a, b in itertools.pairwise(ticks):
        times.add(a + (b - a) // 2)
    return sorted(times)


def diff(ours: Plain, theirs: Plain) -> list[str]:
    """One line per entity and component where the two answers differ."""
    lines = []
    for entity in sorted(set(ours) | set(theirs)):
        a, b = ours.get(entity, {}), theirs.get(entity, {})
        for component in sorted(set(a) | set(b)):
            if a.get(component, MISSING) != b.get(component, MISSING):
                ours_value, their_value = a.get(component, MISSING), b.get(component, MISSING)
                lines.append(f"{entity} {component}: ours={ours_value!r} rerun={their_value!r}")
    return lines


def assert_conforms(
    path: Path,
    theirs: OracleRecording,
    *,
    extra_times: dict[str, Iterable[int]] | None = None,
    compare: Callable[[str, int, Plain, Plain], tuple[Plain, Plain]] | None = None,
) -> int:
    """Every timeline, at `probe_times` of its ticks: our latest_at equals Rerun's. Returns the count."""
    ours = rerender.load(path)
    assert ours.recording_id == theirs.recording_id
    their_timelines = theirs.timelines()
    assert sorted(ours.timelines) == sorted(their_timelines)
    for name, info in ours.timelines.items():
        assert info.kind.arrow_type == their_timelines[name], name
    checked = 0
    for timeline in ours.timelines:
        ticks = ours.ticks(timeline)
        times = probe_times([*ticks, *(extra_times or {}).get(timeline, ())])
        expected = theirs.latest_at(timeline, times)
        failures = []
        for t in times:
            got, want = to_plain(ours.latest_at(timeline, t)), expected[t]
            if compare is not None:
                got, want = compare(timeline, t, got, want)
            failures += [f"{path.name} {timeline}@{t}: {line}" for line in diff(got, want)]
            checked += 1
        assert not failures, "\n".join(failures[:30])
    return checked


def assert_ticks_match(path: Path, theirs: OracleRecording, *, shadowed: bool = False) -> None:
    """`ticks(timeline)` lists the distinct times of the rows Rerun's plain reader returns.

    The reader leaves out rows whose every cell is shadowed by static data; `ticks` keeps their times
    (it lists every time with data), so with `shadowed` ours may have more.
    """
    ours = rerender.load(path)
    for timeline in ours.timelines:
        expected = theirs.plain_ticks(timeline)
        if shadowed:
            assert set(expected) <= set(ours.ticks(timeline).tolist()), timeline
        else:
            assert ours.ticks(timeline).tolist() == expected, timeline


BACKENDS = ["local", "server"]


@pytest.fixture(scope="module")
def server():
    """One Rerun server for the whole module; each recording gets a dataset of its own."""
    with Oracle() as oracle:
        yield oracle


@pytest.fixture(scope="module")
def oracle(server: Oracle) -> Callable[[str, Path], OracleRecording]:
    """`oracle(backend, path)`: the recording as the server (or an in-process ChunkStore) reads it."""

    def open_recording(backend: str, path: Path) -> OracleRecording:
        return server.open(path) if backend == "server" else open_local(path)

    return open_recording


# -- hand-written recordings ----------------------------------------------------------------------


def tree_and_timelines(rec: Any) -> None:
    """Entities in a tree, three timelines of all kinds, static rows, per-timeline data."""
    rec.log("world", rr.ViewCoordinates.RIGHT_HAND_Z_UP, static=True)
    rec.log("text", rr.TextLog("static text", level="INFO"), static=True)
    for frame in range(6):
        set_times(rec, frame=seq(frame), sim=dur(frame * NS // 2), wall=stamp(EPOCH + frame * NS))
        rec.log("/", rr.Scalars([frame * 10.0]))
        rec.log("world/scalar", rr.Scalars([float(frame), -float(frame)]))
        if frame % 2 == 0:
            rec.log(
                "world/points",
                rr.Points3D([[frame, 0, 0], [0, frame, 0]], colors=[[frame, 2, 3]], radii=[0.5 + frame]),
            )
            rec.log("world/points/labels", rr.TextLog(f"frame {frame}"))
        if frame == 3:
            rec.log("world/points", rr.Points3D.from_fields(colors=[[9, 9, 9], [8, 8, 8]]))
    # On one timeline only (plus log_time, which rerun-sdk always adds).
    for frame in (1, 4):
        set_times(rec, frame=seq(frame))
        rec.log("only/frame", rr.Scalars([float(frame)]))
    for sim in (NS // 4, 3 * NS):
        set_times(rec, sim=dur(sim))
        rec.log("only/sim", rr.TextLog(f"sim {sim}"))
    set_times(rec, wall=stamp(EPOCH - NS))
    rec.log("only/wall", rr.Points3D([[1, 2, 3]]))
    # A component logged on one timeline and the same component on another, different values.
    set_times(rec, frame=seq(2))
    rec.log("mixed", rr.Scalars([2.0]))
    set_times(rec, sim=dur(NS))
    rec.log("mixed", rr.Scalars([1.0]))


def static_overrides_temporal(rec: Any) -> None:
    """Static data wins over temporal data on the same component, whichever was logged first."""
    for frame in (1, 2, 3):
        set_times(rec, frame=seq(frame))
        rec.log("a", rr.Points3D([[frame, frame, frame]], radii=[frame]))
        rec.log("b", rr.Scalars([float(frame)]))
    rec.log("a", rr.Points3D.from_fields(positions=[[7, 7, 7]]), static=True)  # radii stay temporal
    rec.log("b", rr.Scalars([100.0]), static=True)
    rec.log("b", rr.Scalars([200.0]), static=True)  # the newer static row wins
    set_times(rec, frame=seq(4))
    rec.log("a", rr.Points3D([[4, 4, 4]], radii=[4]))
    rec.log("b", rr.Scalars([4.0]))
    rec.log("c", rr.TextLog("static first"), static=True)
    set_times(rec, frame=seq(5))
    rec.log("c", rr.TextLog("temporal after"))
    rec.log("c", rr.TextLog.from_fields(level="WARN"))  # a component the static row did not have


def partial_updates_and_empty_lists(rec: Any) -> None:
    """Rows logging only some components; empty lists are logged, empty values."""
    set_times(rec, frame=seq(0))
    rec.log("p", rr.Points3D([[0, 0, 0], [1, 1, 1]], colors=[[1, 2, 3]], radii=[0.1, 0.2], labels=["x", "y"]))
    set_times(rec, frame=seq(1))
    rec.log("p", rr.Points3D.from_fields(colors=[[4, 5, 6], [7, 8, 9]]))
    set_times(rec, frame=seq(2))
    rec.log("p", rr.Points3D.from_fields(radii=[]))
    set_times(rec, frame=seq(3))
    rec.log("p", rr.Points3D.from_fields(clear_unset=True, positions=[[3, 3, 3]]))  # all others -> []
    set_times(rec, frame=seq(4))
    rec.log("p", rr.Points3D.from_fields(labels=["back"]))
    set_times(rec, frame=seq(5))
    rec.log("p", rr.Points3D([]))
    set_times(rec, frame=seq(1))
    rec.log("s", rr.Scalars([]))
    set_times(rec, frame=seq(3))
    rec.log("s", rr.Scalars([1.0, 2.0, 3.0]))
    set_times(rec, frame=seq(2))
    rec.log("custom", rr.AnyValues(speed=[1.5, 2.5], name=["car"]))
    set_times(rec, frame=seq(4))
    rec.log("custom", rr.AnyValues(speed=[]))
    rec.log("empty_only", rr.Points3D.from_fields(radii=[]))  # a column only ever empty


def same_time_rows(rec: Any) -> None:
    """Rows at the same time are ordered by row id, even when logged apart and out of order."""
    set_times(rec, frame=seq(5))
    rec.log("a", rr.Scalars([1.0]))
    rec.log("b", rr.Points3D([[1, 1, 1]], colors=[[1, 1, 1]]))
    set_times(rec, frame=seq(3))
    rec.log("a", rr.Scalars([0.5]))
    set_times(rec, frame=seq(5))
    rec.log("a", rr.Scalars([2.0]))  # later row id at the same time: wins
    rec.log("b", rr.Points3D.from_fields(positions=[[2, 2, 2]]))  # colors from the earlier row stay
    rec.log("a", rr.Scalars([3.0]))
    set_times(rec, frame=seq(3))
    rec.log("a", rr.Scalars([0.75]))
    set_times(rec, frame=seq(5), sim=dur(NS))
    rec.log("b", rr.Points3D.from_fields(colors=[]))


def out_of_order(rec: Any) -> None:
    """Times logged out of order (in rows and in one column batch), negative times included."""
    for frame, value in [(10, 10.0), (3, 3.0), (7, 7.0), (1, 1.0), (7, 70.0), (0, 0.0), (-5, -5.0)]:
        set_times(rec, frame=seq(frame), sim=dur(-frame * NS))
        rec.log("rows", rr.Scalars([value]))
        if frame % 2:
            rec.log("rows/child", rr.TextLog(f"t{frame}"))
    rec.send_columns(
        "columns",
        indexes=[rr.TimeColumn("frame", sequence=[9, 2, 6, 2, 4])],
        columns=rr.Scalars.columns(scalars=[9.0, 2.0, 6.0, 20.0, 4.0]),
    )
    rec.send_columns(
        "columns",
        indexes=[
            rr.TimeColumn("wall", timestamp=np.array([EPOCH + 5, EPOCH + 1, EPOCH + 3], "datetime64[ns]"))
        ],
        columns=rr.Points3D.columns(positions=[[5, 5, 5], [1, 1, 1], [3, 3, 3]], radii=[5, 1, 3]),
    )


HAND_WRITTEN = [
    tree_and_timelines,
    static_overrides_temporal,
    partial_updates_and_empty_lists,
    same_time_rows,
    out_of_order,
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("batcher", sorted(BATCHERS))
@pytest.mark.parametrize("build", HAND_WRITTEN, ids=lambda f: f.__name__)
def test_latest_at_matches_rerun(build, batcher: str, backend: str, tmp_path: Path, oracle) -> None:
    path = write(tmp_path / f"{build.__name__}_{batcher}.rrd", build, batcher=batcher)
    assert assert_conforms(path, oracle(backend, path)) > 0


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("build", HAND_WRITTEN, ids=lambda f: f.__name__)
def test_ticks_match_rerun(build, backend: str, tmp_path: Path, oracle) -> None:
    path = write(tmp_path / f"{build.__name__}.rrd", build)
    assert_ticks_match(path, oracle(backend, path), shadowed=build is static_overrides_temporal)


def test_expected_values_spot_checks(tmp_path: Path, oracle) -> None:
    """A few answers spelled out, so that a change on both sides cannot go unnoticed."""
    path = write(tmp_path / "spot.rrd", same_time_rows)
    ours = to_plain(rerender.load(path).latest_at("frame", 5))
    theirs = oracle("server", path).latest_at("frame", [5])[5]
    for answer in (ours, theirs):
        assert answer["/a"]["Scalars:scalars"] == [3.0]
        assert answer["/b"]["Points3D:positions"] == [[2.0, 2.0, 2.0]]
        assert answer["/b"]["Points3D:colors"] == []
    path = write(tmp_path / "spot_static.rrd", static_overrides_temporal)
    ours = to_plain(rerender.load(path).latest_at("frame", 4))
    theirs = oracle("local", path).latest_at("frame", [4])[4]
    for answer in (ours, theirs):
        assert answer["/a"]["Points3D:positions"] == [[7.0, 7.0, 7.0]]
        assert answer["/a"]["Points3D:radii"] == [4.0]
        assert answer["/b"]["Scalars:scalars"] == [200.0]


# -- Hypothesis-generated recordings --------------------------------------------------------------

NAMES = st.sampled_from(["a", "b", "c"])
ENTITY = st.lists(NAMES, min_size=0, max_size=3).map(lambda parts: "/" + "/".join(parts))
KINDS = ("sequence", "duration", "timestamp")
SMALL = st.integers(-3, 12)
COORD = st.integers(-4, 4).map(float)


@st.composite
def payloads(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """One row's data as plain values (readable in a falsifying example); `archetype()` builds it."""
    kind = draw(
        st.sampled_from(["Points3D", "Points3D.from_fields", "Scalars", "TextLog", "TextLog.from_fields"])
    )
    positions = st.lists(st.tuples(COORD, COORD, COORD).map(list), max_size=3)
    colors = st.lists(st.tuples(*[st.integers(0, 255)] * 3).map(list), max_size=3)
    radii = st.lists(st.integers(1, 9).map(lambda r: r / 4), max_size=3)
    if kind == "Points3D":
        fields = draw(
            st.fixed_dictionaries({"positions": positions}, optional={"colors": colors, "radii": radii})
        )
    elif kind == "Points3D.from_fields":
        optional = {"positions": positions, "colors": colors, "radii": radii}
        fields = draw(st.fixed_dictionaries({}, optional=optional).filter(bool))
    elif kind == "Scalars":
        fields = {"scalars": draw(st.lists(st.integers(-100, 100).map(lambda v: v / 8), max_size=3))}
    elif kind == "TextLog":
        fields = {
            "text": draw(st.text("xyz ", max_size=4)),
            "level": draw(st.sampled_from([None, "INFO", "WARN"])),
        }
    else:
        fields = {"level": draw(st.sampled_from(["DEBUG", "ERROR"]))}
    return kind, fields


def archetype(payload: tuple[str, dict[str, Any]]) -> Any:
    kind, fields = payload
    name, _, constructor = kind.partition(".")
    cls = getattr(rr, name)
    return getattr(cls, constructor)(**fields) if constructor else cls(**fields)


@st.composite
def recordings(draw: st.DrawFn) -> dict[str, Any]:
    """A random recording: entities, timelines, rows (some static), in a random logging order."""
    entities = draw(st.lists(ENTITY, min_size=1, max_size=5, unique=True))
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=3))
    timelines = {f"{kind}_{i}": kind for i, kind in enumerate(kinds)}
    rows = []
    for _ in range(draw(st.integers(1, 14))):
        static = draw(st.integers(0, 6)) == 0
        times = {} if static else draw(st.dictionaries(st.sampled_from(sorted(timelines)), SMALL))
        rows.append((draw(st.sampled_from(entities)), static, times, draw(payloads())))
    return {"timelines": timelines, "rows": rows, "batcher": draw(st.sampled_from(sorted(BATCHERS)))}


def log_rows(recording: dict[str, Any]) -> Callable[[Any], None]:
    def build(rec: Any) -> None:
        for entity, static, times, payload in recording["rows"]:
            scaled = {}
            for name, value in times.items():
                kind = recording["timelines"][name]
                ns = {"sequence": value, "duration": value * NS // 4, "timestamp": EPOCH + value * NS}[kind]
                scaled[name] = (kind, ns)
            set_times(rec, **scaled)
            rec.log(entity, archetype(payload), static=static)

    return build


def may_interleave_static_chunks(recording: dict[str, Any]) -> bool:
    """Whether the batcher may split one entity's static rows into chunks with interleaved row ids.

    It groups the rows of a flush by their set of components, so static rows with different sets
    (positions; positions+colors; positions) end up in chunks whose row-id ranges overlap. The
    server then picks the wrong static row (see `test_static_rows_in_interleaved_chunks`).
    """
    if recording["batcher"] == "per_row":
        return False
    sets: dict[str, set[frozenset[str]]] = {}
    for entity, static, _, (kind, fields) in recording["rows"]:
        if static:
            names = frozenset(k for k, v in fields.items() if v is not None) | {kind.split(".")[0]}
            sets.setdefault(entity, set()).add(names)
    return any(len(s) > 1 for s in sets.values())


@pytest.fixture(scope="module")
def generated_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("generated")


_counter = iter(range(1_000_000))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(recording=recordings())
def test_generated_recordings_match_rerun(recording: dict[str, Any], generated_dir: Path, oracle) -> None:
    path = write(
        generated_dir / f"gen_{next(_counter)}.rrd", log_rows(recording), batcher=recording["batcher"]
    )
    backends = ["local"] if may_interleave_static_chunks(recording) else BACKENDS
    for backend in backends:
        if assert_conforms(path, oracle(backend, path)) == 0:  # static data only: no timeline to query
            assert all(static for _, static, _, _ in recording["rows"])
            assert rerender.load(path).timelines == {}


def interleaved_static_chunks(path: Path) -> Path:
    """/p's static positions in two chunks: rows 1 and 3 in one, row 2 (with colors) in the other."""
    chunks = [
        Chunk.from_columns("/p", [], rr.Points3D.columns(positions=[[1, 1, 1]])),
        Chunk.from_columns("/p", [], rr.Points3D.columns(positions=[[2, 2, 2]], colors=[[2, 2, 2]])),
        Chunk.from_columns("/p", [], rr.Points3D.columns(positions=[[3, 3, 3]])),
        Chunk.from_columns("/q", [rr.TimeColumn("frame", sequence=[1])], rr.Scalars.columns(scalars=[1.0])),
    ]
    first, third = chunks[0].to_record_batch(), chunks[2].to_record_batch()
    merged = pa.Table.from_batches([first, third.cast(first.schema)]).combine_chunks().to_batches()[0]
    (merged_chunk,) = Chunk.from_record_batch(merged.replace_schema_metadata(first.schema.metadata))
    store = ChunkStore.from_chunks([merged_chunk, chunks[1], chunks[3]])
    store.write_rrd(path, application_id="conformance", recording_id=path.stem)
    return path


def test_static_rows_in_interleaved_chunks(tmp_path: Path, oracle) -> None:
    """The newest static row (by row id) wins even when its chunk also holds an older row.

    This is what the viewer's ChunkStore does (the in-process reader agrees); see the next test.
    """
    path = interleaved_static_chunks(tmp_path / "interleaved.rrd")
    expected = {"Points3D:positions": [[3.0, 3.0, 3.0]], "Points3D:colors": [0x020202FF]}
    assert to_plain(rerender.load(path).latest_at("frame", 1))["/p"] == expected
    assert oracle("local", path).latest_at("frame", [1])[1]["/p"] == expected


@pytest.mark.xfail(
    strict=True, reason="rerun 0.41's server reader picks row 2 (the chunk with the newest first row?)"
)
def test_static_rows_in_interleaved_chunks_server(tmp_path: Path, oracle) -> None:
    path = interleaved_static_chunks(tmp_path / "interleaved_server.rrd")
    assert assert_conforms(path, oracle("server", path)) > 0


# -- Clears ---------------------------------------------------------------------------------------


def clears(rec: Any) -> None:
    """Non-recursive and recursive clears, re-logs, and data at the same time as a clear."""
    for frame in (0, 1):
        set_times(rec, frame=seq(frame))
        rec.log("a", rr.Points3D([[frame, 0, 0]], colors=[[1, 2, 3]]))
        rec.log("a/b", rr.Scalars([float(frame)]))
        rec.log("a/b/c", rr.TextLog(f"c{frame}"))
        rec.log("sibling", rr.Scalars([float(frame)]))
    rec.log("a/static", rr.TextLog("static"), static=True)
    set_times(rec, frame=seq(2))
    rec.log("a", rr.Clear(recursive=False))
    set_times(rec, frame=seq(4))
    rec.log("a", rr.Points3D.from_fields(positions=[[4, 4, 4]]))
    set_times(rec, frame=seq(6))
    rec.log("a/b", rr.Scalars([5.5]))  # same time, before the clear: hidden
    rec.log("a", rr.Clear(recursive=True))
    rec.log("a/b/c", rr.TextLog("same time, after the clear"))  # visible
    set_times(rec, frame=seq(8))
    rec.log("a/b", rr.Scalars([8.0]))
    set_times(rec, frame=seq(10))
    rec.log("sibling", rr.Clear(recursive=False))


CLEARED_AT = {2: {"/a"}, 6: {"/a", "/a/b", "/a/b/c", "/a/static"}, 10: {"/sibling"}}


@pytest.mark.parametrize("backend", BACKENDS)
def test_clears_match_rerun_at_clear_times(backend: str, tmp_path: Path, oracle) -> None:
    """At the exact time of a clear, Rerun's reader shows the cleared cells as `[]`; we leave them out.

    Away from the clear times the reader fills the old values back in (a point event), so those times
    are compared only for the entities no clear ever touched.
    """
    path = write(tmp_path / "clears.rrd", clears)
    touched = set().union(*CLEARED_AT.values())

    def compare(timeline: str, t: int, ours: Plain, theirs: Plain) -> tuple[Plain, Plain]:
        cleared = CLEARED_AT.get(t, set()) if timeline == "frame" else set()

        def keep(plain: Plain) -> Plain:
            # Cleared cells: `[]` in the reader, absent for us (a really logged `[]` is dropped too).
            return {
                entity: {c: v for c, v in components.items() if not (entity in cleared and v == [])}
                for entity, components in plain.items()
                if entity in cleared or entity not in touched
            }

        return keep(ours), keep(theirs)

    assert assert_conforms(path, oracle(backend, path), compare=compare) > 0


def _plain_at(recording: Any, t: int) -> Plain:
    return to_plain(recording.latest_at("frame", t))


def test_clear_non_recursive_hides_own_components_until_relogged(tmp_path: Path) -> None:
    recording = rerender.load(write(tmp_path / "clears.rrd", clears))
    before = _plain_at(recording, 1)
    assert before["/a"]["Points3D:positions"] == [[1.0, 0.0, 0.0]]
    for t in (2, 3):  # at and after the clear of /a: its components are gone, its children are not
        answer = _plain_at(recording, t)
        assert set(answer["/a"]) == {"Clear:is_recursive"}
        assert answer["/a"]["Clear:is_recursive"] == [False]
        assert answer["/a/b"] == before["/a/b"]
        assert answer["/a/b/c"] == before["/a/b/c"]
        assert answer["/sibling"] == before["/sibling"]
    answer = _plain_at(recording, 4)  # /a logs positions again: only those come back
    assert answer["/a"]["Points3D:positions"] == [[4.0, 4.0, 4.0]]
    assert "Points3D:colors" not in answer["/a"]
    answer = _plain_at(recording, 10)
    assert answer["/sibling"] == {"Clear:is_recursive": [False]}


def test_clear_recursive_hides_the_subtree_until_each_entity_logs_again(tmp_path: Path) -> None:
    recording = rerender.load(write(tmp_path / "clears.rrd", clears))
    answer = _plain_at(recording, 6)
    assert set(answer["/a"]) == {"Clear:is_recursive"}
    assert answer["/a"]["Clear:is_recursive"] == [True]
    assert "/a/b" not in answer  # its value at 6 was logged before the clear (smaller row id)
    assert answer["/a/b/c"]["TextLog:text"] == ["same time, after the clear"]  # larger row id: visible
    assert answer["/sibling"]["Scalars:scalars"] == [1.0]
    answer = _plain_at(recording, 7)
    assert "/a/b" not in answer and set(answer["/a"]) == {"Clear:is_recursive"}
    answer = _plain_at(recording, 8)
    assert answer["/a/b"]["Scalars:scalars"] == [8.0]
    assert set(answer["/a"]) == {"Clear:is_recursive"}
    assert answer["/a/b/c"]["TextLog:text"] == ["same time, after the clear"]


def test_clear_does_not_hide_static_data(tmp_path: Path) -> None:
    recording = rerender.load(write(tmp_path / "clears.rrd", clears))
    for t in (-1, 2, 6, 7, 100):
        assert _plain_at(recording, t)["/a/static"]["TextLog:text"] == ["static"]


def test_clear_on_one_timeline_only(tmp_path: Path) -> None:
    """A clear logged on `frame` only does not hide anything on `sim`."""

    def build(rec: Any) -> None:
        set_times(rec, frame=seq(1), sim=dur(NS))
        rec.log("a", rr.Scalars([1.0]))
        set_times(rec, frame=seq(2))
        rec.log("a", rr.Clear(recursive=True))

    recording = rerender.load(write(tmp_path / "clear_one_timeline.rrd", build))
    assert "Scalars:scalars" not in recording.latest_at("frame", 3).get("/a", {})
    assert recording.latest_at("sim", 10 * NS)["/a"]["Scalars:scalars"].values.to_pylist() == [1.0]


def test_kinds_of_timelines(tmp_path: Path) -> None:
    """The three kinds of timelines come back with their kinds and ranges (raw int64)."""
    recording = rerender.load(write(tmp_path / "kinds.rrd", tree_and_timelines))
    assert recording.timelines["frame"].kind is TimeKind.SEQUENCE
    assert recording.timelines["sim"].kind is TimeKind.DURATION
    assert recording.timelines["wall"].kind is TimeKind.TIMESTAMP
    assert (recording.timelines["frame"].min, recording.timelines["frame"].max) == (0, 5)
    assert (recording.timelines["sim"].min, recording.timelines["sim"].max) == (0, 3 * NS)
    assert (recording.timelines["wall"].min, recording.timelines["wall"].max) == (EPOCH - NS, EPOCH + 5 * NS)
