"""`rerender info` on files with a blueprint: the views, in layout order, text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rerender.cli import main

from .conftest import DATA

rr = pytest.importorskip("rerun")
rrb = pytest.importorskip("rerun.blueprint")


def run(*args: str | Path, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


@pytest.fixture(scope="module")
def two_views(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bp") / "two_views.rrd"
    rec = rr.RecordingStream("info_blueprint", recording_id="r")
    rec.log("world/points", rr.Points3D([[0, 0, 0], [1, 1, 1]]), static=True)
    rec.log("log", rr.TextLog("hello"))
    rec.save(
        path,
        default_blueprint=rrb.Blueprint(
            rrb.Horizontal(
                rrb.Spatial3DView(
                    name="main",
                    origin="/world",
                    contents=["+ $origin/**", "- /world/debug/**"],
                    background=rrb.Background(kind="SolidColor", color=[0, 0, 255]),
                    line_grid=rrb.LineGrid3D(visible=False),
                    eye_controls=rrb.EyeControls3D(position=[4.0, 0.0, 2.0], look_target=[0.0, 0.0, 0.0]),
                ),
                rrb.TextLogView(name="log"),
            )
        ),
    )
    rec.flush()
    return path


def test_text_lists_views_in_layout_order(two_views: Path) -> None:
    result = run("info", two_views)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "views (layout order)" in out
    rows = [
        line.split() for line in out.splitlines() if line.startswith("    ") and not line.startswith("     ")
    ]
    names = [r[:3] for r in rows if r and r[0] in ("main", "log")]
    assert names == [["main", "3D", "/world"], ["log", "TextLog", "/"]]
    assert "background  #0000ff" in out
    assert "grid        off" in out
    assert "camera      fixed, position (4, 0, 2), look_at (0, 0, 0)" in out
    assert "contents    + /world/**, - /world/debug/**" in out
    # the views come first, the blueprint's raw entities still follow, then the recording
    assert out.index("views (layout order)") < out.index("ViewBlueprint:class_identifier")
    assert out.index("ViewBlueprint:class_identifier") < out.index("recording 'info_blueprint'")


def test_json_gains_views_on_blueprint_stores_only(two_views: Path) -> None:
    result = run("info", "--json", two_views)
    assert result.exit_code == 0, result.output
    stores = {s["kind"]: s for s in json.loads(result.stdout)["stores"]}
    assert "views" not in stores["recording"]
    blueprint = stores["blueprint"]
    # existing keys unchanged: the raw entities are still there
    assert any(e["path"].startswith("/view/") for e in blueprint["entities"])
    main_view, log_view = blueprint["views"]
    assert [(v["name"], v["class"], v["origin"]) for v in blueprint["views"]] == [
        ("main", "3D", "/world"),
        ("log", "TextLog", "/"),
    ]
    assert main_view["entity"].startswith("/view/")
    assert main_view["settings"] == {
        "view": {"origin": "/world"},
        "camera": {"kind": "fixed", "position": [4.0, 0.0, 2.0], "look_at": [0.0, 0.0, 0.0]},
        "look": {"background": "#0000ff", "grid": False},
        "entities": {"include": ["/world/**"], "exclude": ["/world/debug/**"]},
    }
    assert "settings" not in log_view


def test_sample_blueprint_lists_its_view() -> None:
    result = run("info", "--json", DATA / "blueprint.rrd")
    assert result.exit_code == 0, result.output
    (blueprint,) = [s for s in json.loads(result.stdout)["stores"] if s["kind"] == "blueprint"]
    assert [(v["name"], v["class"], v["origin"]) for v in blueprint["views"]] == [("3D", "3D", "/")]
    text = run("info", DATA / "blueprint.rrd").stdout
    assert "views (layout order)" in text
    assert ["3D", "3D", "/"] in [line.split() for line in text.splitlines()]


def test_no_views_key_without_blueprint() -> None:
    result = run("info", "--json", DATA / "points3d.rrd")
    assert result.exit_code == 0
    assert all("views" not in s for s in json.loads(result.stdout)["stores"])
    assert "views" not in run("info", DATA / "points3d.rrd").stdout


def test_stdin_says_views_are_not_read() -> None:
    data = (DATA / "blueprint.rrd").read_bytes()
    result = run("info", "-", input=data)
    assert result.exit_code == 0, result.output
    assert "views: not read" in result.stdout
    result = run("info", "--json", "-", input=data)
    assert all("views" not in s for s in json.loads(result.stdout)["stores"])


def test_info_without_blueprint_does_not_import_the_pipeline() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from click.testing import CliRunner; from rerender.cli import main;"
        f"r = CliRunner().invoke(main, ['info', {str(DATA / 'points3d.rrd')!r}]); assert r.exit_code == 0;"
        "print('rerender.pipeline.blueprint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
