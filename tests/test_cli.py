"""`rerender info` and `rerender filter` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rerender.cli import main
from rerender.rrd import MessageKind, read_frames

from .conftest import DATA


def run(*args: str | Path):
    """Invoke the CLI in-process; stdout and stderr stay separate."""
    return CliRunner().invoke(main, [str(a) for a in args])


def test_info_human_output_names_everything() -> None:
    result = run("info", DATA / "points3d.rrd")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for expected in [
        "rrd_samples_points3d",
        "rec_points3d",
        "RRD 0.41.0",
        "chunks:    4",
        "frame",
        "sequence",
        "log_time",
        "timestamp",
        "/points",
        "Points3D:positions",
        "Position3D",
        "static entities: /__properties, /points_shaded, /points_static",
    ]:
        assert expected in out, expected


def test_info_json_is_the_documented_schema() -> None:
    result = run("info", "--json", DATA / "timelines.rrd")
    assert result.exit_code == 0
    info = json.loads(result.stdout)
    assert set(info) == {"path", "format_versions", "footer", "truncated", "chunks", "stores"}
    assert info["footer"] is True and info["truncated"] is False and info["chunks"] == 2
    (store,) = info["stores"]
    assert store["application_id"] == "rrd_samples_timelines" and store["recording_id"] == "rec_timelines"
    assert store["writer_version"] == "0.41.0"
    timelines = {t["name"]: t for t in store["timelines"]}
    assert timelines["dur"] == {
        "name": "dur",
        "kind": "duration",
        "min": 0,
        "max": 1_000_000_000,
        "min_text": "0s",
        "max_text": "1s",
    }
    assert timelines["seq"]["kind"] == "sequence" and timelines["ts"]["kind"] == "timestamp"
    entity = next(e for e in store["entities"] if e["path"] == "/__properties")
    assert entity["static"] is True and entity["archetypes"] == ["RecordingInfo"]
    assert entity["components"][0]["static_rows"] == 1


def test_info_on_legacy_file_reports_missing_footer() -> None:
    result = run("info", "--json", DATA / "legacy_0.27.3" / "transform3d.rrd")
    info = json.loads(result.stdout)
    assert info["footer"] is False and info["format_versions"] == ["0.27.3"]
    assert "log_tick" in {t["name"] for t in info["stores"][0]["timelines"]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timeline", "nope", "--start", "1"], "no timeline 'nope'; the recording has: frame, log_time"),
        (["--timeline", "frame", "--start", "1.5s"], "'1.5s' is not a sequence number"),
        (["--start", "1"], "--start/--end need --timeline"),
    ],
)
def test_filter_bad_arguments_are_one_clear_line(args: list[str], message: str, tmp_path: Path) -> None:
    result = run("filter", DATA / "points3d.rrd", "-o", tmp_path / "out.rrd", *args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.rrd").exists()


def test_filter_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    target = tmp_path / "in.rrd"
    target.write_bytes((DATA / "points3d.rrd").read_bytes())
    result = run("filter", target, "-o", target)
    assert result.exit_code == 1 and "refusing to overwrite the input" in result.stderr
    assert target.read_bytes() == (DATA / "points3d.rrd").read_bytes()


def test_filter_of_non_rrd_leaves_no_output(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    result = run("filter", bogus, "-o", tmp_path / "out.rrd")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bogus}: found b'hell' at byte 0; expected an RRD stream header")
    assert list(tmp_path.iterdir()) == [bogus]  # no half-written output, no temp file


def test_filter_to_stdout(tmp_path: Path) -> None:
    result = run("filter", DATA / "points3d.rrd", "-o", "-", "--entity", "/points")
    assert result.exit_code == 0
    out = tmp_path / "out.rrd"
    out.write_bytes(result.stdout_bytes)
    entities = [f.chunk.entity_path for f in read_frames(out) if f.kind == MessageKind.ARROW_MSG]
    assert entities == ["/__properties", "/points"]
    assert "kept 2 of 4 chunks" in result.stderr


def test_missing_file_is_named() -> None:
    result = run("info", "/no/such/recording.rrd")
    assert result.exit_code != 0
    assert "/no/such/recording.rrd" in result.stderr and "Traceback" not in result.output


def test_a_command_imports_only_what_its_subcommand_needs() -> None:
    """`rerender --version` imports no subcommand, and planning a pipeline imports no renderer: each
    subcommand's module is imported when it runs (the renderer costs 0.6 s before anything happens)."""
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent
    code = (
        "import sys\n"
        "from rerender.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('numpy', 'pyarrow', 'OpenGL', 'rerender.cli.render', 'rerender.render',\n"
        "         'rerender.camera')\n"
        "print('imported:', *sorted(m for m in heavy if m in sys.modules))\n"
    )
    version = subprocess.run([sys.executable, "-c", code, "--version"], capture_output=True, text=True)
    assert version.stdout.splitlines()[-1] == "imported:", version.stdout
    plan = [sys.executable, "-c", code, "pipeline", "pipelines/examples.toml", "--dry-run"]
    planned = subprocess.run(plan, capture_output=True, text=True, cwd=repo)
    assert "dna" in planned.stdout, planned.stdout + planned.stderr
    last = planned.stdout.splitlines()[-1]
    renderer = {"OpenGL", "rerender.cli.render", "rerender.render", "rerender.camera"}
    assert not renderer & set(last.split()), last
