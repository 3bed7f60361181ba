"""`rerender render --resume` continues a killed render into the video an uninterrupted render makes, and
a full disk, an unwritable output, a missing ffmpeg or a GL context failing mid-render each end the render
with one paragraph naming the cause, a non-zero exit and no partial output (unless --keep-partial)."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from click.testing import CliRunner, Result

import rerender as rr
from rerender.cli.main import main
from rerender.media import SIDECAR_NAME, partial_name
from rerender.pipeline.render_job import RenderJob, run
from rerender.pipeline.resumable import parts_folder
from rerender.pipeline.settings import OutputSettings, RenderSettings
from rerender.render.renderer import Renderer
from rerender.store import load
from rerender.values import Size

FRAMES = 600  # at --fps 5: 12 segments of 50 frames, a few seconds to render at this size
SIZE = ["--size", "96x64", "--fps", "5"]


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("resume") / "orbit.rrd"
    rec = rr.RecordingStream("resume_test", recording_id="resume")
    rec.save(path)
    for i, a in enumerate(np.linspace(0, 8 * np.pi, FRAMES)):
        rec.set_time("frame", sequence=i)
        points = np.array([[np.cos(a), np.sin(a), 0.2 * np.sin(3 * a)], [0, 0, 0]])
        rec.log("world/points", rr.Points3D(points, radii=[0.15, 0.3], colors=[[255, 80, 0], [0, 120, 255]]))
    rec.flush()
    rec.disconnect()
    return path


@pytest.fixture(scope="module")
def uninterrupted(recording: Path, tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    """The frames of a one-piece render (no segments), decoded."""
    out = tmp_path_factory.mktemp("whole") / "whole.mp4"
    settings = RenderSettings(output=OutputSettings(size=Size(96, 64), fps=5))
    run(RenderJob(load(recording), out, settings))
    return iio.imread(out)


def _render(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["render", *map(str, args), "-q"])


def _one_paragraph(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    message = result.output.strip()
    assert message.startswith("Error: ") and "\n" not in message, message
    return message


def _count_frames(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the frames drawn from now on (in this process)."""
    real, drawn = Renderer.render_rgba, [0]

    def render_rgba(self, scene, camera):
        drawn[0] += 1
        return real(self, scene, camera)

    monkeypatch.setattr(Renderer, "render_rgba", render_rgba)
    return drawn


def test_resume_continues_a_killed_render_into_the_same_video(
    recording: Path, uninterrupted: np.ndarray, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.mp4"
    parts = parts_folder(out)
    rerender = Path(sys.executable).with_name("rerender")
    command = [str(rerender), "render", str(recording), "-o", str(out), *SIZE, "-q"]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not (parts / "00000050.mp4").exists():  # killed once two segments are complete
        assert proc.poll() is None and time.monotonic() < deadline, "the render ended before it was killed"
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists()  # a half-rendered video never looks finished
    kept = sorted(p.name for p in parts.glob("*.mp4"))
    assert "00000000.mp4" in kept and len(kept) < FRAMES // 50

    drawn = _count_frames(monkeypatch)
    assert _render(recording, "-o", out, *SIZE, "--resume").exit_code == 0
    assert drawn[0] == FRAMES - 50 * len(kept)  # the kept segments were not drawn again
    assert np.array_equal(iio.imread(out), uninterrupted)
    assert not parts.exists()


def test_resume_refuses_the_parts_of_another_render(recording: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mp4"
    parts = parts_folder(out)
    parts.mkdir()
    (parts / "render.json").write_text(json.dumps({"digest": "another render"}))
    message = _one_paragraph(_render(recording, "-o", out, *SIZE, "--resume"))
    assert str(parts) in message and "start over" in message


def test_png_sequences_resume_by_keeping_the_frames_on_disk(recording: Path, tmp_path: Path) -> None:
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    args = [*SIZE, "--end", "29"]
    assert _render(recording, "-o", whole, *args).exit_code == 0
    assert _render(recording, "-o", cut, *args).exit_code == 0
    # As a kill leaves it: the last frames missing, one half-written under its hidden name, no sidecar.
    for name in [f"frame_{i:05d}.png" for i in range(21, 31)] + [SIDECAR_NAME]:
        (cut / name).unlink()
    (cut / ".frame_00021.png.partial").write_bytes(b"\x89PNG")
    kept = {p.name: p.stat().st_mtime_ns for p in cut.glob("frame_*.png")}
    assert _render(recording, "-o", cut, *args, "--resume").exit_code == 0
    assert all((cut / name).stat().st_mtime_ns == mtime for name, mtime in kept.items())
    for i in range(1, 31):
        name = f"frame_{i:05d}.png"
        assert np.array_equal(iio.imread(cut / name), iio.imread(whole / name)), name
    sidecar = json.loads((cut / SIDECAR_NAME).read_text())
    assert sidecar == json.loads((whole / SIDECAR_NAME).read_text())


def test_a_png_render_into_a_folder_of_frames_replaces_them_and_resume_refuses_others(
    recording: Path, tmp_path: Path
) -> None:
    """A 30-frame render into a folder that held 60 frames left frames 31..60 of the first render; a
    --resume at another size mixed both sizes in one sequence."""
    out = tmp_path / "frames"
    assert _render(recording, "-o", out, *SIZE, "--end", "59").exit_code == 0
    assert _render(recording, "-o", out, *SIZE, "--end", "29").exit_code == 0
    assert sorted(p.name for p in out.glob("*.png")) == [f"frame_{i:05d}.png" for i in range(1, 31)]
    assert json.loads((out / SIDECAR_NAME).read_text())["frame_count"] == 30
    message = _one_paragraph(_render(recording, "-o", out, "--size", "64x48", "--end", "29", "--resume"))
    assert str(out) in message and "other settings" in message
    assert iio.imread(out / "frame_00001.png").shape[:2] == (64, 96)  # nothing was overwritten


def _disk_full_after(monkeypatch: pytest.MonkeyPatch, frames: int) -> None:
    """PNG writes fail with ENOSPC after `frames` frames, as on a full disk."""
    real = iio.imwrite
    count = [0]

    def imwrite(path, image, **kwargs):
        count[0] += 1
        if count[0] > frames:
            raise OSError(28, "No space left on device", str(path))
        return real(path, image, **kwargs)

    monkeypatch.setattr(iio, "imwrite", imwrite)


def test_a_full_disk_is_named_and_the_partial_frames_removed(
    recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _disk_full_after(monkeypatch, 5)
    out = tmp_path / "frames"
    message = _one_paragraph(_render(recording, "-o", out, *SIZE))
    assert "the disk is full" in message and "after 5 frames" in message and "removed" in message
    assert not list(out.glob("*.png"))


def test_keep_partial_keeps_the_frames_and_resume_finishes_them(
    recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "frames"
    with monkeypatch.context() as patch:
        _disk_full_after(patch, 5)
        message = _one_paragraph(_render(recording, "-o", out, *SIZE, "--end", "19", "--keep-partial"))
    assert "the disk is full" in message and f"kept in '{out}'" in message
    assert sorted(p.name for p in out.glob("*.png")) == [f"frame_{i:05d}.png" for i in range(1, 6)]
    assert json.loads((out / SIDECAR_NAME).read_text())["frame_count"] == 5
    assert _render(recording, "-o", out, *SIZE, "--end", "19", "--resume").exit_code == 0
    assert json.loads((out / SIDECAR_NAME).read_text())["frame_count"] == 20


def test_a_full_disk_under_ffmpeg_is_named(recording: Path, tmp_path: Path, monkeypatch) -> None:
    """An ffmpeg that answers like the real one but, encoding, fails as on a full disk."""
    import imageio_ffmpeg

    real = imageio_ffmpeg.get_ffmpeg_exe()
    fake = tmp_path / "ffmpeg"
    fake.write_text(
        "#!/bin/sh\n"
        'case "$*" in *" -i - "*) head -c 200000 >/dev/null\n'
        '  echo "av_interleaved_write_frame(): No space left on device" >&2; exit 1;; esac\n'
        f'exec "{real}" "$@"\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(fake))
    out = tmp_path / "out.mp4"
    message = _one_paragraph(_render(recording, "-o", out, *SIZE))
    assert "No space left on device" in message and "removed" in message
    assert not out.exists() and not parts_folder(out).exists()


def test_an_unwritable_output_folder_is_named(recording: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes anywhere: a folder that is a file is unwritable even for root
        (tmp_path / "file").write_text("")
        out = tmp_path / "file" / "videos" / "out.mp4"
        reason = "a file is in the way"
    else:
        (tmp_path / "ro").mkdir(mode=0o500)
        out = tmp_path / "ro" / "out.mp4"
        reason = "permission denied"
    message = _one_paragraph(_render(recording, "-o", out, *SIZE))
    assert str(out) in message and reason in message


def test_a_missing_ffmpeg_is_named(recording: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(tmp_path / "no" / "ffmpeg"))
    out = tmp_path / "out.mp4"
    message = _one_paragraph(_render(recording, "-o", out, *SIZE))
    assert "ffmpeg is missing" in message and str(tmp_path / "no" / "ffmpeg") in message
    assert not out.exists() and not parts_folder(out).exists()


def _gl_context_lost_after(monkeypatch: pytest.MonkeyPatch, frames: int) -> None:
    real = Renderer.render_rgba
    count = [0]

    def render_rgba(self, scene, camera):
        count[0] += 1
        if count[0] > frames:
            raise RuntimeError("eglMakeCurrent failed: the context was lost")
        return real(self, scene, camera)

    monkeypatch.setattr(Renderer, "render_rgba", render_rgba)


@pytest.mark.parametrize("suffix", [".mp4", ".gif"])
def test_a_gl_context_failing_mid_render_is_named(
    recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    _gl_context_lost_after(monkeypatch, 70)
    out = tmp_path / f"out{suffix}"
    message = _one_paragraph(_render(recording, "-o", out, *SIZE))
    assert "OpenGL context" in message and "context was lost" in message and "after 70 frames" in message
    assert not out.exists() and not parts_folder(out).exists() and not partial_name(out).exists()


def test_keep_partial_keeps_the_finished_segments(
    recording: Path, uninterrupted: np.ndarray, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.mp4"
    with monkeypatch.context() as patch:
        _gl_context_lost_after(patch, 120)
        message = _one_paragraph(_render(recording, "-o", out, *SIZE, "--keep-partial"))
    assert f"kept in '{parts_folder(out)}'" in message
    assert sorted(p.name for p in parts_folder(out).glob("*.mp4")) == ["00000000.mp4", "00000050.mp4"]
    assert _render(recording, "-o", out, *SIZE, "--resume").exit_code == 0
    assert np.array_equal(iio.imread(out), uninterrupted)
