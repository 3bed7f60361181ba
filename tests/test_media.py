"""rerender.media: frames written to mp4/webm/gif/png decode back to what was written."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rerender.media import (
    SIDECAR_NAME,
    SUPPORTED_FORMATS,
    MediaError,
    WriterOptions,
    open_writer,
    probe_ffmpeg,
)
from rerender.media._ffmpeg import Mp4Writer

# Media output needs these optional packages; without them there is nothing to test here.
iio = pytest.importorskip("imageio.v3")
imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")

HEIGHT, WIDTH = 49, 65  # odd on purpose: mp4 must pad to even, the others must keep it
COUNT = 10
# Lossy codecs and yuv420p move solid colors by a few levels; GIF and PNG should be (near) exact.
TOLERANCE = {"mp4": 6, "webm": 6, "gif": 2, "png": 0}


def make_frames() -> list[np.ndarray]:
    """Ten solid frames whose color changes every frame, so dropped or repeated frames show."""
    colors = [(20 + 23 * i, 230 - 21 * i, 60 + 17 * (i % 4)) for i in range(COUNT)]
    return [np.full((HEIGHT, WIDTH, 3), color, np.uint8) for color in colors]


def write_all(path: Path, frames: list[np.ndarray], **kwargs: object) -> None:
    """Write `frames` with times 0.0, 0.1, ... through open_writer."""
    with open_writer(path, fps=10, **kwargs) as writer:
        for index, frame in enumerate(frames):
            writer.write(frame, time=index / 10)


def decode(path: Path) -> np.ndarray:
    """All frames of a video or GIF as one (N, H, W, 3) uint8 array."""
    if path.suffix == ".gif":
        return iio.imread(path, index=None)[..., :3]
    reader = imageio_ffmpeg.read_frames(str(path))
    width, height = next(reader)["size"]
    return np.stack([np.frombuffer(data, np.uint8).reshape(height, width, 3) for data in reader])


def max_error(decoded: np.ndarray, frames: list[np.ndarray]) -> int:
    """The largest per-channel difference over the original (unpadded) area."""
    return int(np.abs(decoded[:, :HEIGHT, :WIDTH].astype(int) - np.stack(frames).astype(int)).max())


def test_probe_ffmpeg_reports_path_version_and_encoders() -> None:
    info = probe_ffmpeg()
    assert Path(info["path"]).exists()
    assert info["version"] and info["version"] != "unknown"
    assert set(info["encoders"]) == {"libx264", "libvpx-vp9", "gif"}
    assert info["encoders"]["libx264"] and info["encoders"]["gif"]


@pytest.mark.parametrize("fmt", ["mp4", "webm", "gif"])
def test_video_round_trip(tmp_path: Path, fmt: str) -> None:
    if fmt == "webm" and not probe_ffmpeg()["encoders"]["libvpx-vp9"]:
        pytest.skip("this ffmpeg has no libvpx-vp9")
    frames = make_frames()
    path = tmp_path / f"out.{fmt}"
    write_all(path, frames)
    decoded = decode(path)
    assert decoded.shape[0] == COUNT
    expected_size = (HEIGHT + 1, WIDTH + 1) if fmt == "mp4" else (HEIGHT, WIDTH)
    assert decoded.shape[1:3] == expected_size
    assert max_error(decoded, frames) <= TOLERANCE[fmt]
    assert not list(tmp_path.glob(".*.partial"))  # the temp file was renamed away


@pytest.mark.parametrize("fmt", ["mp4", "gif", "png"])
def test_rgba_frames_give_what_rgb_frames_give(tmp_path: Path, fmt: str) -> None:
    # The renderer hands over RGBA (the fastest readback); alpha is ignored everywhere.
    rgb = make_frames()
    rgba = [np.concatenate([f, np.full((*f.shape[:2], 1), 7, np.uint8)], axis=2) for f in rgb]
    suffix = "" if fmt == "png" else f".{fmt}"
    write_all(tmp_path / f"rgb{suffix}", rgb)
    write_all(tmp_path / f"rgba{suffix}", rgba)
    if fmt == "png":
        a, b = (iio.imread(tmp_path / d / "frame_00003.png") for d in ("rgb", "rgba"))
        assert a.shape == b.shape == (HEIGHT, WIDTH, 3) and np.array_equal(a, b)
    else:
        assert np.array_equal(decode(tmp_path / f"rgb{suffix}"), decode(tmp_path / f"rgba{suffix}"))


def test_x264_preset_trades_speed_for_size(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    noisy = [
        np.clip(f.astype(int) + rng.integers(-40, 40, f.shape), 0, 255).astype(np.uint8)
        for f in make_frames()
    ]
    write_all(tmp_path / "fast.mp4", noisy, preset="ultrafast")
    write_all(tmp_path / "slow.mp4", noisy, preset="slow")
    assert (tmp_path / "slow.mp4").stat().st_size < (tmp_path / "fast.mp4").stat().st_size
    assert len(decode(tmp_path / "slow.mp4")) == len(decode(tmp_path / "fast.mp4")) == COUNT


def test_mp4_pads_with_the_edge_color_not_black(tmp_path: Path) -> None:
    frames = make_frames()
    write_all(tmp_path / "out.mp4", frames)
    decoded = decode(tmp_path / "out.mp4").astype(int)
    expected = np.stack(frames).astype(int)[:, :1, :1]
    assert np.abs(decoded[:, HEIGHT:, :] - expected).max() <= TOLERANCE["mp4"]  # padded bottom row
    assert np.abs(decoded[:, :, WIDTH:] - expected).max() <= TOLERANCE["mp4"]  # padded right column


def test_mp4_has_faststart_index_before_media_data(tmp_path: Path) -> None:
    write_all(tmp_path / "out.mp4", make_frames())
    data = (tmp_path / "out.mp4").read_bytes()
    assert 0 < data.find(b"moov") < data.find(b"mdat")


def test_gif_loops_forever_at_the_requested_rate(tmp_path: Path) -> None:
    write_all(tmp_path / "out.gif", make_frames())
    meta = iio.immeta(tmp_path / "out.gif")
    assert meta["loop"] == 0
    assert meta["duration"] == 100  # ms per frame at fps=10


@pytest.mark.parametrize("fmt", ["mp4", "webm", "gif", "png"])
def test_same_frames_decode_identically(tmp_path: Path, fmt: str) -> None:
    if fmt == "webm" and not probe_ffmpeg()["encoders"]["libvpx-vp9"]:
        pytest.skip("this ffmpeg has no libvpx-vp9")
    frames = make_frames()
    results = []
    for run in ("a", "b"):
        path = tmp_path / run / (f"out.{fmt}" if fmt != "png" else "frames")
        write_all(path, frames)
        if fmt == "png":
            results.append(np.stack([iio.imread(p) for p in sorted(path.glob("*.png"))]))
        else:
            results.append(decode(path))
    np.testing.assert_array_equal(results[0], results[1])


def test_png_directory_with_sidecar(tmp_path: Path) -> None:
    frames = make_frames()
    times: list[float | None] = [index / 10 for index in range(COUNT)]
    times[3] = None  # a frame written without a time
    target = tmp_path / "frames"
    with open_writer(target, fps=10) as writer:
        for frame, time in zip(frames, times, strict=True):
            writer.write(frame, time=time)
    names = [f"frame_{index:05d}.png" for index in range(1, COUNT + 1)]
    assert sorted(p.name for p in target.glob("*.png")) == names
    for name, frame in zip(names, frames, strict=True):
        np.testing.assert_array_equal(iio.imread(target / name), frame)
    sidecar = json.loads((target / SIDECAR_NAME).read_text())
    assert sidecar["fps"] == 10 and sidecar["frame_count"] == COUNT
    assert [entry["file"] for entry in sidecar["frames"]] == names
    assert [entry["time"] for entry in sidecar["frames"]] == times
    assert [entry["index"] for entry in sidecar["frames"]] == list(range(COUNT))


@pytest.mark.parametrize(
    ("target", "first"),
    [
        ("shots/shot_%04d.png", "shot_0001.png"),
        ("shots/shot_{:03d}.png", "shot_001.png"),
        ("shots/x.png", "x_00001.png"),
    ],
)
def test_png_patterns(tmp_path: Path, target: str, first: str) -> None:
    with open_writer(tmp_path / target) as writer:
        writer.write(make_frames()[0], time=7)
    assert sorted(p.name for p in (tmp_path / "shots").iterdir()) == [SIDECAR_NAME, first]
    sidecar = json.loads((tmp_path / "shots" / SIDECAR_NAME).read_text())
    assert sidecar["frames"] == [{"index": 0, "file": first, "time": 7}]


def test_explicit_format_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "clip.bin"
    write_all(path, make_frames()[:2], format="gif")
    assert path.read_bytes()[:6] == b"GIF89a"


@pytest.mark.parametrize(("name", "fmt"), [("out.avi", None), ("out.mp4", "avi")])
def test_unknown_format_is_a_clear_value_error(tmp_path: Path, name: str, fmt: str | None) -> None:
    with pytest.raises(ValueError, match="avi") as info:
        open_writer(tmp_path / name, format=fmt)
    message = str(info.value)
    assert str(tmp_path / name) in message
    assert all(supported in message for supported in SUPPORTED_FORMATS)


@pytest.mark.parametrize("size", [(HEIGHT, WIDTH), (720, 1280)], ids=["fails-on-close", "fails-mid-write"])
def test_ffmpeg_failure_is_one_paragraph_with_its_stderr(tmp_path: Path, size: tuple[int, int]) -> None:
    # Big frames overflow the pipe, so ffmpeg dies (bad preset) while frames are still being written.
    # The writer is made directly: open_writer would refuse the preset before starting ffmpeg.
    frames = [np.full((*size, 3), 100, np.uint8)] * COUNT
    path = tmp_path / "out.mp4"
    with pytest.raises(MediaError) as info, Mp4Writer(path, WriterOptions(preset="no-such-preset")) as writer:
        for frame in frames:
            writer.write(frame)
    message = str(info.value)
    assert message.startswith(f"ffmpeg failed to write mp4 file '{path}'")
    assert "Last lines of its output:" in message and "Error while opening encoder" in message
    assert "\n" not in message
    assert info.value.__cause__ is None and info.value.__context__ is None
    assert not list(tmp_path.iterdir())  # neither the target nor the partial file is left


def test_error_inside_the_with_block_leaves_no_video(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), open_writer(tmp_path / "out.mp4") as writer:
        writer.write(make_frames()[0])
        raise KeyboardInterrupt
    assert not list(tmp_path.iterdir())


def test_bad_frames_and_options_are_rejected(tmp_path: Path) -> None:
    with open_writer(tmp_path / "frames") as writer:
        writer.write(make_frames()[0])
        with pytest.raises(ValueError, match="same shape"):
            writer.write(np.zeros((8, 8, 3), np.uint8))
        with pytest.raises(ValueError, match="uint8"):
            writer.write(np.zeros((HEIGHT, WIDTH, 3), np.float32))
    with pytest.raises(ValueError, match="crf"):
        open_writer(tmp_path / "out.mp4", crf=99)
    with pytest.raises(ValueError, match=r"unknown x264 preset 'quick'.*veryfast"):
        open_writer(tmp_path / "out.mp4", preset="quick")
    with pytest.raises(ValueError, match="fps"):
        open_writer(tmp_path / "out.webm", fps=0)
    with pytest.raises(MediaError, match="no frames"), open_writer(tmp_path / "empty.mp4"):
        pass
