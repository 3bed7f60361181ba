"""Valid but strange recordings render, or fail with one clear paragraph: huge and tiny entities,
degenerate geometry, NaN and inf, singular transforms, one-tick and duplicated timelines, many entities,
and archetypes and components from a newer Rerun version. Each is logged with our SDK and rendered with
`rerender render` at 160x120, as a user would; the tests look at the pixels and at what is printed."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path

import imageio.v3 as iio
import imageio_ffmpeg
import numpy as np
import pytest
from click.testing import CliRunner, Result

import rerender as rr
from rerender.cli import main

W, H = 160, 120
BACKGROUND = np.array([26, 26, 26])  # Rerun's dark grey


def record(path: Path, log: Callable[[rr.RecordingStream], None]) -> Path:
    """Write a recording by calling `log(rec)`."""
    rec = rr.RecordingStream("strange", recording_id="r", batcher_config=rr.ChunkBatcherConfig.NEVER())
    rec.save(path)
    log(rec)
    rec.disconnect()
    return path


def render(recording: Path, out: Path, *args: str) -> Result:
    """`rerender render` in this process; asserts it ends without a traceback."""
    result = CliRunner().invoke(
        main, ["render", str(recording), "-o", str(out), "--size", f"{W}x{H}", "-q", *args]
    )
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def rendered(recording: Path, out: Path, *args: str) -> Result:
    result = render(recording, out, *args)
    assert result.exit_code == 0, result.output
    return result


def frames_of(directory: Path) -> list[np.ndarray]:
    sidecar = json.loads((directory / "frames.json").read_text())
    return [iio.imread(directory / f["file"]) for f in sidecar["frames"]]


def drawn(image: np.ndarray) -> int:
    """How many pixels differ clearly from the background."""
    return int((np.abs(image[..., :3].astype(int) - BACKGROUND).max(axis=-1) > 40).sum())


def red(image: np.ndarray) -> int:
    image = image.astype(int)
    return int(((image[..., 0] > 100) & (image[..., 1] < 60) & (image[..., 2] < 60)).sum())


def test_ten_million_points_render_as_one_still(tmp_path: Path) -> None:
    def log(r: rr.RecordingStream) -> None:
        positions = np.random.default_rng(0).normal(size=(10_000_000, 3)).astype(np.float32)
        r.set_time("frame", sequence=0)
        r.log("cloud", rr.Points3D(positions, colors=[255, 0, 0], radii=0.01))

    rec = record(tmp_path / "r.rrd", log)
    tracemalloc.start()
    try:
        rendered(rec, tmp_path / "still.png", "--still", "0")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    image = iio.imread(tmp_path / "still.png")
    assert image.shape == (H, W, 3)
    assert red(image) > W * H // 10  # a red blob fills the middle of the frame
    # The positions alone are 120 MB (265 MiB traced at peak when written); per-point Python objects
    # would need gigabytes.
    assert peak < 2**30, f"peak traced memory {peak / 2**20:.0f} MiB"


def test_strip_with_one_point_draws_no_segment(tmp_path: Path) -> None:
    def log(r: rr.RecordingStream) -> None:
        r.set_time("frame", sequence=0)
        r.log("strip", rr.LineStrips3D([[[0, 0, 0]]], colors=[255, 0, 0], radii=0.2))
        r.log("anchor", rr.Points3D([[1, 1, 1]], colors=[0, 0, 255], radii=0.2))

    rec = record(tmp_path / "r.rrd", log)
    rendered(rec, tmp_path / "still.png", "--still", "0")
    image = iio.imread(tmp_path / "still.png")
    assert red(image) == 0  # a strip needs two points to have a segment, as in Rerun
    assert drawn(image) > 20  # the rest of the scene is there


def test_zero_length_arrows_draw_nothing_but_the_rest(tmp_path: Path) -> None:
    def log(r: rr.RecordingStream) -> None:
        r.set_time("frame", sequence=0)
        r.log("arrows", rr.Arrows3D(vectors=[[0, 0, 0], [0, 0, 0]], origins=[[0, 0, 0], [1, 0, 0]]))
        r.log("ball", rr.Points3D([[0, 0, 0]], colors=[255, 0, 0], radii=0.5))

    rec = record(tmp_path / "r.rrd", log)
    result = rendered(rec, tmp_path / "still.png", "--still", "0")
    assert "skipping" not in result.output
    assert red(iio.imread(tmp_path / "still.png")) > 100


def test_nan_and_inf_positions_are_not_drawn_and_do_not_spoil_the_frame(tmp_path: Path) -> None:
    def log(r: rr.RecordingStream) -> None:
        r.set_time("frame", sequence=0)
        r.log(
            "points",
            rr.Points3D(
                [[0, 0, 0], [np.nan, 0, 0], [np.inf, 1, 1], [-np.inf, np.nan, 2], [1, 1, 1]],
                colors=[255, 0, 0],
                radii=0.3,
            ),
        )
        r.log("line", rr.LineStrips3D([[[0, 0, 0], [np.nan, np.nan, np.nan], [np.inf, 0, 0]]]))

    rec = record(tmp_path / "r.rrd", log)
    result = rendered(rec, tmp_path / "frames")
    assert "Warning" not in result.output, result.output  # NaN and inf are data, not a mistake
    (image,) = frames_of(tmp_path / "frames")
    # The camera frames the finite points: both are in view, not shrunk to nothing by an infinite box.
    assert red(image) > 200


def test_singular_transform_collapses_its_children_without_failing(tmp_path: Path) -> None:
    def log(r: rr.RecordingStream) -> None:
        r.set_time("frame", sequence=0)
        r.log("flat", rr.Transform3D(mat3x3=np.zeros((3, 3))))
        r.log("flat/ball", rr.Points3D([[1, 2, 3]], colors=[0, 0, 255], radii=0.5))
        r.log("ball", rr.Points3D([[0, 0, 0]], colors=[255, 0, 0], radii=0.5))

    rec = record(tmp_path / "r.rrd", log)
    result = rendered(rec, tmp_path / "still.png", "--still", "0")
    assert "Traceback" not in result.output
    image = iio.imread(tmp_path / "still.png")
    assert red(image) > 100


def test_zero_size_scene_is_framed_around_its_one_point(tmp_path: Path) -> None:
    def log(r: rr.RecordingStream) -> None:
        r.set_time("frame", sequence=0)
        r.log("a", rr.Points3D([[5, 5, 5]] * 3, colors=[255, 0, 0], radii=0.1))
        r.log("b", rr.Points3D([[5, 5, 5]], colors=[255, 0, 0], radii=0.1))

    rec = record(tmp_path / "r.rrd", log)
    rendered(rec, tmp_path / "still.png", "--still", "0")
    image = iio.imread(tmp_path / "still.png")
    ys, xs = np.nonzero(
        (image[..., 0] > 100) & (image[..., 1].astype(int) < 60) & (image[..., 2].astype(int) < 60)
    )
    assert len(xs) > 10
    assert abs(xs.mean() - W / 2) < 5 and abs(ys.mean() - H / 2) < 5


def test_timeline_with_one_tick_makes_a_one_frame_video(tmp_path: Path) -> None:
    def log(r: rr.RecordingStream) -> None:
        r.set_time("frame", sequence=7)
        r.log("ball", rr.Points3D([[0, 0, 0]], colors=[255, 0, 0], radii=0.5))

    rec = record(tmp_path / "r.rrd", log)
    rendered(rec, tmp_path / "frames")
    frames = frames_of(tmp_path / "frames")
    assert len(frames) == 1 and red(frames[0]) > 100
    rendered(rec, tmp_path / "one.mp4")
    reader = imageio_ffmpeg.read_frames(str(tmp_path / "one.mp4"))
    next(reader)  # the header
    assert len(list(reader)) == 1


def test_duplicated_times_show_the_last_row_logged(tmp_path: Path) -> None:
    def log(r: rr.RecordingStream) -> None:
        for frame, color in ((0, [0, 0, 255]), (1, [0, 0, 255]), (1, [255, 0, 0]), (2, [255, 0, 0])):
            r.set_time("frame", sequence=frame)
            r.log("ball", rr.Points3D([[0, 0, 0]], colors=[color], radii=0.5))

    rec = record(tmp_path / "r.rrd", log)
    rendered(rec, tmp_path / "frames")
    frames = frames_of(tmp_path / "frames")
    assert len(frames) == 3  # one per distinct time
    assert red(frames[0]) == 0 and red(frames[1]) > 100 and red(frames[2]) > 100


def test_many_entities_render_in_seconds(tmp_path: Path) -> None:
    # Logging 100,000 entities with our SDK takes minutes (see the report), so the test uses 2,000 and a
    # loose bound that catches a cost growing faster than the entity count, not a slow machine.
    n = 2_000
    grid = np.stack(np.meshgrid(np.arange(13), np.arange(13), np.arange(12), indexing="ij"), -1).reshape(
        -1, 3
    )

    def log(r: rr.RecordingStream) -> None:
        r.set_time("frame", sequence=0)
        for i in range(n):
            r.log(f"points/{i}", rr.Points3D(grid[i : i + 1], colors=[255, 0, 0], radii=0.4))
        r.set_time("frame", sequence=1)
        r.log("points/0", rr.Points3D([[6, 6, 6]], colors=[0, 0, 255], radii=0.4))

    rec = record(tmp_path / "r.rrd", log)
    started = time.perf_counter()
    rendered(rec, tmp_path / "frames")
    seconds = time.perf_counter() - started
    frames = frames_of(tmp_path / "frames")
    assert len(frames) == 2 and all(red(f) > 1000 for f in frames)
    assert seconds < 60, f"{n} entities took {seconds:.1f} s to render 2 frames"


def test_newer_rerun_archetypes_and_components_are_ignored_with_one_warning_each(tmp_path: Path) -> None:
    future_thing = rr.ComponentDescriptor(
        "Future3D:thing", archetype="rerun.archetypes.Future3D", component_type="rerun.components.FutureThing"
    )

    def log(r: rr.RecordingStream) -> None:
        for frame in range(3):
            r.set_time("frame", sequence=frame)
            r.log("ball", rr.Points3D([[0, 0, 0]], colors=[255, 0, 0], radii=0.5))
            for name in ("future/a", "future/b"):
                r.log(name, rr.DynamicArchetype("rerun.archetypes.Future3D", components={"size": [1.0]}))
                r.log(name, [rr.AnyBatchValue(future_thing, [float(frame)])])
            # A known archetype with a component type it does not have yet.
            r.log("ball", rr.AnyValues(**{"rerun.components.FutureThing": [1.0]}))
            r.log("mine", rr.AnyValues(confidence=[0.5]))  # user data: not Rerun's, no warning

    rec = record(tmp_path / "r.rrd", log)
    with warnings.catch_warnings():
        warnings.simplefilter("always")  # count what is warned, not what Python's filter lets through
        result = rendered(rec, tmp_path / "frames")
    frames = frames_of(tmp_path / "frames")
    assert len(frames) == 3 and all(red(f) > 100 for f in frames)
    lines = [line for line in result.output.splitlines() if "newer Rerun" in line]
    assert len(lines) == 2, result.output
    assert sum("rerun.archetypes.Future3D" in line for line in lines) == 1
    assert sum("rerun.components.FutureThing" in line for line in lines) == 1
    assert "confidence" not in result.output


def test_the_names_a_render_knows_are_the_sdks() -> None:
    """The table of known Rerun names (kept so that a render need not import the SDK) lists exactly the
    archetypes and component types that this version's SDK and blueprint define."""
    from rerender import archetypes
    from rerender.blueprint import archetypes as blueprint_archetypes
    from rerender.blueprint import components as blueprint_components
    from rerender.rrd.rerun_names import ARCHETYPES, COMPONENT_TYPES
    from rerender.sdk.component_types import COMPONENTS

    archetype_names = {f"rerun.archetypes.{n}" for n in archetypes.__all__}
    archetype_names |= {f"rerun.blueprint.archetypes.{n}" for n in blueprint_archetypes.__all__}
    assert archetype_names == ARCHETYPES
    # The blueprint's module also exports its `...Like` aliases and a constant, which are not components.
    blueprint_names = [n for n in blueprint_components.__all__ if not n.endswith("Like") and not n.isupper()]
    component_names = {f"rerun.components.{n}" for n in COMPONENTS}
    component_names |= {f"rerun.blueprint.components.{n}" for n in blueprint_names}
    assert component_names == COMPONENT_TYPES


def test_a_render_does_not_import_the_sdk(tmp_path: Path) -> None:
    """Rendering reads recordings without the logging SDK (a third of a second to import)."""
    rec = record(tmp_path / "r.rrd", lambda r: r.log("ball", rr.Points3D([[0, 0, 0]], radii=0.5)))
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from rerender.store import load\n"
        "from rerender.pipeline.render_job import RenderJob, render_still\n"
        f"render_still(RenderJob(load({str(rec)!r}), Path({str(tmp_path / 'a.png')!r})))\n"
        "print(sorted(m for m in sys.modules if m.startswith('rerender.sdk')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout
    assert (tmp_path / "a.png").exists()


@pytest.mark.parametrize("still", [True, False])
def test_only_unknown_data_draws_an_empty_frame_with_a_warning(tmp_path: Path, still: bool) -> None:
    def log(r: rr.RecordingStream) -> None:
        r.set_time("frame", sequence=0)
        r.log("future", rr.DynamicArchetype("rerun.archetypes.Future3D", components={"size": [1.0]}))

    rec = record(tmp_path / "r.rrd", log)
    out = tmp_path / ("still.png" if still else "frames")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        result = rendered(rec, out, *(["--still", "0"] if still else []))
    assert result.output.count("rerun.archetypes.Future3D") == 1
    image = iio.imread(out) if still else frames_of(out)[0]
    assert drawn(image) == 0
