"""The same logging scripts under rerun-sdk 0.41 and under rerender must give equal recordings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rerender.rrd import MessageKind, read_chunks, read_frames

pytestmark = pytest.mark.interop

ROOT = Path(__file__).parent.parent
SCRIPTS = Path(__file__).parent / "scripts"
RERENDER = Path(sys.executable).parent / "rerender"
# Both sides flush only at the end (or on size), so chunk boundaries do not depend on timing.
ENV = {**os.environ, "RERUN_FLUSH_TICK_SECS": "1000", "RERUN_ANALYTICS": "0"}

ARCHETYPE_SAMPLES = [
    "points3d",
    "points2d",
    "linestrips3d",
    "linestrips2d",
    "boxes3d",
    "boxes2d",
    "ellipsoids3d",
    "arrows3d",
    "mesh3d",
    "asset3d",
    "transform3d",
    "instanceposes3d",
    "pinhole",
    "viewcoordinates",
    "image",
    "encodedimage",
    "depthimage",
    "scalars",
    "textlog",
    "textdocument",
    "clear",
    "properties",
    "timelines",
]


def _run(*args: str | Path) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def sample_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """Every per-archetype sample written once by rerun-sdk and once by rerender (plus the capture)."""
    theirs, ours = tmp_path_factory.mktemp("rerun_sdk"), tmp_path_factory.mktemp("rerender")
    _run(sys.executable, SCRIPTS / "make_samples.py", theirs, *ARCHETYPE_SAMPLES)
    _run(sys.executable, SCRIPTS / "batching.py", theirs)
    capture = ours / "captured.rrd"
    _run(RERENDER, "run", "-o", capture, SCRIPTS / "make_samples.py", ours, *ARCHETYPE_SAMPLES)
    _run(RERENDER, "run", "-o", ours / "batching_captured.rrd", SCRIPTS / "batching.py", ours)
    return theirs, ours, capture


@pytest.mark.parametrize("name", [*ARCHETYPE_SAMPLES, "batching"])
def test_sample_equals_rerun_sdk(name: str, sample_dirs, rerun_cli) -> None:
    theirs, ours, _ = sample_dirs
    verify = rerun_cli("rrd", "verify", ours / f"{name}.rrd")
    assert verify.returncode == 0, verify.stderr
    compare = rerun_cli("rrd", "compare", "--unordered", theirs / f"{name}.rrd", ours / f"{name}.rrd")
    assert compare.returncode == 0, compare.stderr + compare.stdout


def test_batching_splits_rows_like_rerun_sdk(sample_dirs) -> None:
    _, ours, _ = sample_dirs
    rows = [
        (f.chunk.entity_path, f.chunk.num_rows)
        for f in read_frames(ours / "batching.rrd")
        if f.kind == MessageKind.ARROW_MSG
    ]
    assert [n for e, n in rows if e == "/p"] == [3, 3, 1]


def test_run_captures_every_recording_of_the_script(sample_dirs, rerun_cli) -> None:
    _, _, capture = sample_dirs
    stores = {f.store_id.application_id for f in read_frames(capture) if f.kind == MessageKind.SET_STORE_INFO}
    assert stores == {f"rrd_samples_{name}" for name in ARCHETYPE_SAMPLES}
    assert rerun_cli("rrd", "verify", capture).returncode == 0


def test_dna_tutorial_equals_rerun_sdk(tmp_path: Path, rerun_cli) -> None:
    """The tutorial script, unchanged but for its import, with its older calls (spawn, set_time_seconds)."""
    theirs, ours = tmp_path / "theirs.rrd", tmp_path / "ours.rrd"
    _run(sys.executable, SCRIPTS / "seeded.py", "--rerun", theirs, ROOT / "examples" / "dna_example.py")
    run = _run(RERENDER, "run", "-o", ours, SCRIPTS / "seeded.py", ROOT / "examples" / "dna_example.py")
    assert "no live viewer" in run.stderr  # rr.spawn() warned once and the script went on
    assert rerun_cli("rrd", "verify", ours).returncode == 0
    compare = rerun_cli("rrd", "compare", "--unordered", theirs, ours)
    assert compare.returncode == 0, compare.stderr + compare.stdout
    beads = [
        f.chunk
        for f in read_frames(ours)
        if f.kind == MessageKind.ARROW_MSG and f.chunk.entity_path == "/dna/structure/scaffolding/beads"
    ]
    assert sum(c.num_rows for c in beads) == 400


@pytest.mark.parametrize("example", ["robot_arm", "pinhole_camera", "experiment"])
def test_examples_equal_rerun_sdk(example: str, tmp_path: Path, rerun_cli) -> None:
    """Each example, run once with rerun-sdk (as `import rerun`) and once with rerender."""
    script = ROOT / "examples" / f"{example}.py"
    theirs, ours = tmp_path / "theirs.rrd", tmp_path / "ours.rrd"
    _run(sys.executable, SCRIPTS / "seeded.py", "--rerun", theirs, script, theirs)
    _run(sys.executable, script, ours)
    assert rerun_cli("rrd", "verify", ours).returncode == 0
    compare = rerun_cli("rrd", "compare", "--unordered", theirs, ours)
    assert compare.returncode == 0, compare.stderr + compare.stdout


def test_examples_use_every_archetype(tmp_path: Path) -> None:
    archetypes = set()
    for example in ["dna_example", "robot_arm", "pinhole_camera", "experiment"]:
        out = tmp_path / f"{example}.rrd"
        if example == "dna_example":
            _run(RERENDER, "run", "-o", out, ROOT / "examples" / f"{example}.py")
        else:
            _run(sys.executable, ROOT / "examples" / f"{example}.py", out)
        for frame in read_frames(out):
            if frame.kind == MessageKind.ARROW_MSG:
                archetypes |= {d.archetype.rsplit(".", 1)[-1] for d in frame.chunk.components if d.archetype}
    expected = {
        "Points3D",
        "Points2D",
        "LineStrips3D",
        "LineStrips2D",
        "Boxes3D",
        "Boxes2D",
        "Ellipsoids3D",
        "Arrows3D",
        "Mesh3D",
        "Asset3D",
        "Transform3D",
        "InstancePoses3D",
        "Pinhole",
        "ViewCoordinates",
        "Image",
        "EncodedImage",
        "DepthImage",
        "Scalars",
        "TextLog",
        "TextDocument",
        "Clear",
    }
    assert expected <= archetypes, expected - archetypes


@pytest.mark.parametrize("case", ["scal1", "scal1000", "pos100", "pcr1", "pcr100", "txt1000"])
def test_size_threshold_splits_rows_like_rerun_sdk(case: str, tmp_path: Path, rerun_cli) -> None:
    """RERUN_FLUSH_NUM_BYTES cuts chunks at the same rows: rerender sizes rows as rerun-sdk does."""
    theirs, ours = tmp_path / "theirs.rrd", tmp_path / "ours.rrd"
    _run(sys.executable, SCRIPTS / "flush_bytes_probe.py", theirs, case)
    _run(RERENDER, "run", "-o", tmp_path / "capture.rrd", SCRIPTS / "flush_bytes_probe.py", ours, case)

    def rows(path: Path) -> list[int]:
        return [c.num_rows for _, c in read_chunks(path) if c.entity_path == "/e"]

    assert rows(ours) == rows(theirs)
    assert len(rows(ours)) > 2
