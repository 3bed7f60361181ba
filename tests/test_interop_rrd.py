"""Files we write must satisfy the real Rerun 0.41 tools; files Rerun wrote must read with us."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from rerender.cli import main
from rerender.rrd import Compression, MessageKind, RrdWriter, read_frames

from .conftest import ALL_SAMPLES, SAMPLES, sample_id

pytestmark = pytest.mark.interop


def _rerender(*args: str | Path) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("sample", ALL_SAMPLES, ids=sample_id)
def test_unfiltered_rewrite_verifies_and_compares_equal(sample: Path, tmp_path: Path, rerun_cli) -> None:
    out = tmp_path / "out.rrd"
    _rerender("filter", sample, "-o", out)
    verify = rerun_cli("rrd", "verify", out)
    assert verify.returncode == 0, verify.stderr
    compare = rerun_cli("rrd", "compare", sample, out)
    assert compare.returncode == 0, compare.stderr + compare.stdout


def _reencode(sample: Path, out: Path, compression: Compression) -> None:
    with RrdWriter(out, compression=compression) as writer:
        for frame in read_frames(sample):
            if frame.kind == MessageKind.SET_STORE_INFO:
                writer.write_store_info(frame.message)
            elif frame.kind == MessageKind.BLUEPRINT_ACTIVATION:
                writer.write_blueprint_activation(frame.message)
            elif frame.kind == MessageKind.ARROW_MSG:
                writer.write_chunk(frame.store_id, frame.chunk)  # no `encoded=`: always re-encode


@pytest.mark.parametrize("sample", SAMPLES, ids=sample_id)
def test_reencoded_chunks_compare_equal(sample: Path, tmp_path: Path, rerun_cli) -> None:
    """Our own encoder (LZ4 + Arrow IPC + manifest), not the pass-through of rerun's bytes."""
    out = tmp_path / "reencoded.rrd"
    _reencode(sample, out, Compression.LZ4)
    assert rerun_cli("rrd", "verify", out).returncode == 0
    compare = rerun_cli("rrd", "compare", sample, out)
    assert compare.returncode == 0, compare.stderr


def test_uncompressed_files_round_trip(tmp_path: Path, rerun_cli) -> None:
    sample = next(p for p in SAMPLES if p.stem == "image")
    plain = tmp_path / "plain.rrd"
    _reencode(sample, plain, Compression.NONE)
    assert plain.read_bytes()[8] == 0  # the stream header says: no compression
    assert plain.stat().st_size > sample.stat().st_size
    assert rerun_cli("rrd", "verify", plain).returncode == 0
    assert rerun_cli("rrd", "compare", sample, plain).returncode == 0
    again = tmp_path / "again.rrd"
    _rerender("filter", plain, "-o", again)  # and we read what we wrote
    assert rerun_cli("rrd", "compare", sample, again).returncode == 0


def test_entity_filter_matches_rerun_drop_entity(tmp_path: Path, rerun_cli) -> None:
    sample = next(p for p in SAMPLES if p.stem == "transform3d")
    ours = tmp_path / "ours.rrd"
    _rerender("filter", sample, "-o", ours, "--entity", "/tf/translation*", "--entity", "/tf/quaternion")
    entities = {f.chunk.entity_path for f in read_frames(sample) if f.kind == MessageKind.ARROW_MSG}
    kept = {f.chunk.entity_path for f in read_frames(ours) if f.kind == MessageKind.ARROW_MSG}
    assert kept == {"/__properties", "/tf/quaternion"} | {
        e for e in entities if e.startswith("/tf/translation")
    }
    assert len(kept) < len(entities)

    reference = tmp_path / "reference.rrd"
    drops = [arg for e in sorted(entities - kept) for arg in ("--drop-entity", e)]
    assert rerun_cli("rrd", "filter", *drops, sample, "-o", reference).returncode == 0
    compare = rerun_cli("rrd", "compare", reference, ours)
    assert compare.returncode == 0, compare.stderr


def test_entity_glob_double_star_keeps_subtree(tmp_path: Path) -> None:
    sample = next(p for p in SAMPLES if p.stem == "pinhole")
    out = tmp_path / "out.rrd"
    all_entities = {f.chunk.entity_path for f in read_frames(sample) if f.kind == MessageKind.ARROW_MSG}
    _rerender("filter", sample, "-o", out, "--entity", "/cam/**")
    kept = {f.chunk.entity_path for f in read_frames(out) if f.kind == MessageKind.ARROW_MSG}
    assert "/cam2" in all_entities  # a sibling whose name starts the same must not match
    assert kept == {"/__properties", "/cam", "/cam/image"}


def _printed_rows(text: str) -> dict[str, list[dict[str, str]]]:
    """Parse `rerun rrd print -vvv`: for each entity, its rows as {column: cell} dicts."""
    rows: dict[str, list[dict[str, str]]] = {}
    entity, header = None, None
    for line in text.splitlines():
        if m := re.match(r"Chunk\(\S+\) with \d+ rows .* - (\S+) - ", line):
            entity, header = m.group(1), None
        elif line.startswith("│ │ RowId") and header is None:
            header = [c.strip(" │") for c in line.split("┆")]
        elif line.startswith("│ │ row_") and entity and header:
            cells = [c.strip(" │") for c in line.split("┆")]
            rows.setdefault(entity, []).append(dict(zip(header, cells, strict=True)))
    return rows


def test_time_window_matches_rerun_print(tmp_path: Path, rerun_cli) -> None:
    sample = next(p for p in SAMPLES if p.stem == "batching")
    out = tmp_path / "window.rrd"
    _rerender("filter", sample, "-o", out, "--timeline", "frame", "--start", "3", "--end", "5")
    before = _printed_rows(rerun_cli("rrd", "print", "-vvv", sample).stdout)
    after = _printed_rows(rerun_cli("rrd", "print", "-vvv", out).stdout)
    expected = {
        entity: [r for r in rows if "frame" not in r or 3 <= int(r["frame"]) <= 5]
        for entity, rows in before.items()
    }
    expected = {e: rows for e, rows in expected.items() if rows}
    assert after == expected
    assert sum(map(len, after.values())) < sum(map(len, before.values()))
    assert rerun_cli("rrd", "verify", out).returncode == 0


def test_time_window_on_duration_timeline_keeps_static(tmp_path: Path) -> None:
    sample = next(p for p in SAMPLES if p.stem == "timelines")
    out = tmp_path / "window.rrd"
    _rerender("filter", sample, "-o", out, "--timeline", "dur", "--start", "0.5s", "--end", "1000ms")
    chunks = [f.chunk for f in read_frames(out) if f.kind == MessageKind.ARROW_MSG]
    temporal = [c for c in chunks if not c.is_static]
    assert [c.entity_path for c in chunks if c.is_static] == ["/__properties"]
    values = sorted(v for c in temporal for v in c.time_values("dur"))
    original = sorted(
        v
        for f in read_frames(sample)
        if f.kind == MessageKind.ARROW_MSG and not f.chunk.is_static
        for v in f.chunk.time_values("dur")
    )
    assert values == [v for v in original if 500_000_000 <= v <= 1_000_000_000]
    assert 0 < len(values) < len(original)
