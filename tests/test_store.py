"""The store: loading (lazily where the footer allows), latest-at, range, ticks, sweep, `rerender query`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import rerender
from rerender.cli import main
from rerender.rrd import read_chunks

from .conftest import DATA, LEGACY_SAMPLES, SAMPLES, sample_id

EXAMPLES = Path(__file__).parent.parent / "examples"


def _flatten(state) -> dict:
    return {(e, c): (v.values.to_pylist(), v.time) for e, comps in state.items() for c, v in comps.items()}


def test_footer_load_decodes_nothing_until_asked() -> None:
    rec = rerender.load(DATA / "transform3d.rrd")
    metas = rec._source.metas
    assert metas and all(m.chunk is None and m.byte_offset is not None for m in metas)
    assert rec.application_id == "rrd_samples_transform3d" and rec.recording_id == "rec_transform3d"
    assert "/tf/quaternion" in rec.entity_paths and rec.timelines["frame"].max == 0
    rec.latest_at("frame", 0, entity="/tf/quaternion")
    decoded = {m.entity_path for i, m in enumerate(metas) if rec._source.is_decoded(i)}
    assert decoded == {"/tf/quaternion"}


@pytest.mark.parametrize("sample", SAMPLES, ids=sample_id)
def test_footer_and_scan_agree(sample: Path) -> None:
    """The manifest fast path and a sequential scan of the same bytes give the same answers."""
    by_manifest = rerender.load(sample)
    by_scan = rerender.load(sample.read_bytes())
    assert by_manifest.entity_paths == by_scan.entity_paths
    assert by_manifest.timelines == by_scan.timelines
    for entity in by_manifest.entity_paths:
        assert sorted(map(str, by_manifest.components(entity))) == sorted(
            map(str, by_scan.components(entity))
        )
    for timeline in by_manifest.timelines:
        for t in by_manifest.ticks(timeline):
            assert _flatten(by_manifest.latest_at(timeline, t)) == _flatten(by_scan.latest_at(timeline, t))


def test_legacy_file_loads_by_scanning() -> None:
    sample = next(p for p in LEGACY_SAMPLES if p.stem == "points3d")
    rec = rerender.load(sample)
    assert set(rec.timelines) >= {"frame", "log_time", "log_tick"}
    state = rec.latest_at("frame", 2, entity="/points")
    assert state["/points"]["Points3D:positions"].to_numpy().shape == (3, 3)


def test_load_from_chunks_in_memory() -> None:
    chunks = [c for _, c in read_chunks(DATA / "points3d.rrd")]
    rec = rerender.load(chunks)
    assert rec.latest_at("frame", 2)["/points"]["Points3D:positions"].time == 2


def test_latest_at_values_times_and_static() -> None:
    rec = rerender.load(DATA / "points3d.rrd")
    assert rec.latest_at("frame", -1).keys() == {"/__properties", "/points_static", "/points_shaded"}
    at1 = rec.latest_at("frame", 1)
    positions = at1["/points"]["Points3D:positions"]
    assert positions.time == 1 and positions.to_numpy()[0].tolist() == [1, 2, 3]
    assert at1["/points_static"]["Points3D:positions"].is_static
    assert rec.latest_at("frame", 99)["/points"]["Points3D:positions"].time == 2
    only = rec.latest_at("frame", 1, entity="/points", components=["Points3D:radii"])
    assert list(only) == ["/points"] and list(only["/points"]) == ["Points3D:radii"]


def test_static_data_without_any_timeline() -> None:
    rec = rerender.load(DATA / "textdocument.rrd")
    static = rec.static()
    assert static["/readme"]["TextDocument:text"].values.to_pylist() == ["# Title\n\nSome *markdown*"]
    assert "/plain" not in static  # logged on `frame`, not static
    assert rec.static(entity="/readme", components=["TextDocument:media_type"]).keys() == {"/readme"}


def test_clear_hides_until_logged_again() -> None:
    rec = rerender.load(DATA / "clear.rrd")  # /a/b logged at 0; Clear(/a/b) and Clear(/a, recursive) at 1
    assert "Points3D:positions" in rec.latest_at("frame", 0)["/a/b"]
    assert "Points3D:positions" not in rec.latest_at("frame", 1).get("/a/b", {})


def test_unknown_timeline_and_entity_name_what_exists() -> None:
    rec = rerender.load(DATA / "points3d.rrd")
    with pytest.raises(KeyError, match="the recording has: frame, log_time"):
        rec.latest_at("nope", 0)
    with pytest.raises(KeyError, match="/points_static"):
        rec.latest_at("frame", 0, entity="/nope")


@pytest.mark.parametrize("example", ["robot_arm", "experiment"])
def test_sweep_equals_latest_at_at_every_tick(example: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / f"{example}.rrd"
    subprocess.run([sys.executable, EXAMPLES / f"{example}.py", out], check=True)
    rec = rerender.load(out)
    timeline = "frame" if example == "robot_arm" else "step"
    ticks = rec.ticks(timeline)
    probe = sorted({*ticks.tolist(), int(ticks[0]) - 1, int(ticks[-1]) + 5})
    for t, state in rec.sweep(timeline, probe):
        assert _flatten(state) == _flatten(rec.latest_at(timeline, t)), t


def test_ticks_and_range() -> None:
    rec = rerender.load(DATA / "batching.rrd")  # /unsorted logged at frames 5, 3, 9, 1
    assert rec.ticks("frame").tolist() == [0, 1, 2, 3, 4, 5, 6, 9]
    rows = rec.range("frame", 2, 6, entity="/unsorted")
    assert [(r.time, r.components["Scalars:scalars"].values.to_pylist()) for r in rows] == [
        (3, [3.0]),
        (5, [5.0]),
    ]
    assert len(rec.range("frame")) == 11


@pytest.mark.parametrize("sample", ["batching", "scalars", "timelines", "points3d"])
def test_range_column_equals_range(sample: str) -> None:
    rec = rerender.load(DATA / f"{sample}.rrd")
    for timeline in rec.timelines:
        for entity in rec.entity_paths:
            for component in (d.component for d in rec.components(entity)):
                for window in ((None, None), (1, 2)):
                    column = rec.range_column(timeline, entity, component, *window)
                    rows = [
                        r
                        for r in rec.range(timeline, *window, entity=entity, components=[component])
                        if component in r.components
                    ]
                    assert column.times.tolist() == [r.time for r in rows]
                    assert column.values.to_pylist() == [
                        r.components[component].values.to_pylist() for r in rows
                    ]


def test_query_cli_json_and_errors() -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "query",
            str(DATA / "points3d.rrd"),
            "--timeline",
            "frame",
            "--at",
            "1",
            "--entity",
            "points",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    state = json.loads(result.stdout)
    assert state["/points"]["Points3D:colors"] == [[255, 0, 0, 255], [0, 255, 0, 128], [0, 0, 255, 255]]
    assert state["/points"]["Points3D:positions"][0] == [1.0, 2.0, 3.0]
    assert state["/points"]["Points3D:radii"] == [0.1, -2.0, 0.3]
    bad = runner.invoke(main, ["query", str(DATA / "points3d.rrd"), "--timeline", "nope", "--at", "1"])
    assert bad.exit_code == 1 and "the recording has: frame, log_time" in bad.stderr
    bad = runner.invoke(main, ["query", str(DATA / "timelines.rrd"), "--timeline", "dur", "--at", "soon"])
    assert bad.exit_code == 2 and "'soon' is not a time" in bad.stderr  # no timeline reads it: a flag error
    date = "2024-05-01T12:00:00Z"  # a time, but not on a duration timeline
    bad = runner.invoke(main, ["query", str(DATA / "timelines.rrd"), "--timeline", "dur", "--at", date])
    assert bad.exit_code == 1 and "expected seconds" in bad.stderr


def test_query_cli_duration_and_timestamp_values() -> None:
    runner = CliRunner()
    for timeline, at in [
        ("dur", "500ms"),
        ("dur", "0.5"),
        ("ts", "2023-11-14T22:13:21.25Z"),
        ("ts", "1700000001249999872"),
    ]:
        result = runner.invoke(
            main, ["query", str(DATA / "timelines.rrd"), "--timeline", timeline, "--at", at, "--json"]
        )
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["/p"]["Points3D:positions"] == [[1.0, 0.0, 0.0]], (timeline, at)


def test_sweep_work_follows_changes() -> None:
    """Each step of a sweep only applies the rows logged since the previous step."""
    rec = rerender.load(DATA / "batching.rrd")
    states = [(t, _flatten(s)) for t, s in rec.sweep("frame", [0, 0, 1, 9])]
    assert states[0][1] == states[1][1]
    assert np.all(np.diff([t for t, _ in states]) >= 0)


@pytest.mark.parametrize("sample", ["clear", "batching", "points3d", "timelines"])
def test_latest_at_columns_equal_latest_at(sample: str) -> None:
    rec = rerender.load(DATA / f"{sample}.rrd")
    for timeline in rec.timelines:
        ticks = rec.ticks(timeline)
        times = np.array(sorted({*ticks.tolist(), int(ticks[0]) - 1, int(ticks[-1]) + 1}), dtype=np.int64)
        columns = rec.latest_at_columns(timeline, times)
        for i, t in enumerate(times.tolist()):
            expected = {
                (e, c): v.values.to_pylist()
                for e, comps in rec.latest_at(timeline, t).items()
                for c, v in comps.items()
            }
            got = {
                (e, c): col[i].as_py()
                for e, comps in columns.items()
                for c, col in comps.items()
                if col[i].is_valid
            }
            assert got == expected, (timeline, t)


def test_a_sweep_keeps_a_bounded_number_of_decoded_chunks(tmp_path: Path, monkeypatch) -> None:
    """Chunks found through the footer are read again when needed: a sweep over a recording larger than
    the budget holds about the budget, not every chunk it went past, and reads the same values."""
    import rerender.store.source as source

    path = tmp_path / "big.rrd"
    rec = rerender.RecordingStream("bounded", recording_id="bounded")
    rec.save(path)
    for t in range(40):
        rec.set_time("frame", sequence=t)
        rec.log("cloud", rerender.Points3D(np.full((2000, 3), t, dtype=np.float32)))
        rec.flush()
    rec.disconnect()
    monkeypatch.setattr(source, "DECODED_BYTES", 100_000)  # about four chunks of 24 kB positions
    loaded = rerender.load(path)
    for t in range(40):
        value = loaded.latest_at("frame", t, entity="/cloud")["/cloud"]
        assert next(v for c, v in value.items() if c.endswith("positions")).values.to_pylist()[0][0] == t
    held = sum(loaded._source.is_decoded(i) for i in range(len(loaded._source.metas)))
    assert 1 <= held <= 6


def _open_files() -> int:
    return len(list(Path("/proc/self/fd").iterdir()))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files through /proc")
def test_recordings_keep_one_file_open_and_close_it(tmp_path: Path) -> None:
    """Chunks are read through one kept file, not one `open` per chunk; it closes with `close()` (or the
    `with` block, or when the Recording is collected), so reading many recordings does not pile up files."""
    path = tmp_path / "many.rrd"
    rec = rerender.RecordingStream("files", recording_id="files")
    rec.save(path)
    for i in range(20):
        rec.set_time("frame", sequence=i)
        rec.log(f"points/{i}", rerender.Points3D([[i, 0, 0]]))
    rec.disconnect()
    before = _open_files()
    for _ in range(300):  # far more than would fit under a low open-file limit if each stayed open
        assert rerender.load(path).ticks("frame").tolist() == list(range(20))
    assert _open_files() <= before + 1
    with rerender.load(path) as loaded:
        assert _open_files() == before  # nothing is opened until a chunk is read
        loaded.ticks("frame")
        assert _open_files() == before + 1
    assert _open_files() == before
    loaded.close()  # closing twice is harmless, and a later query opens the file again
    assert loaded.latest_at("frame", 19, entity="/points/19")["/points/19"]
    loaded.close()
    assert _open_files() == before
