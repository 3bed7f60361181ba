"""`rerender render --workers N`: keyframe-aligned chunks rendered in parallel and joined by stream copy
decode to exactly the frames of a one-process render; the executors (local pool, Ray) run the chunks."""

from __future__ import annotations

import concurrent.futures
import itertools
import os
import re
import socket
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from click.testing import CliRunner

import rerender as rr
from rerender.cli.main import main
from rerender.media import keyframe_interval
from rerender.pipeline.executors import (
    LLVMPIPE_THREADS,
    ExecutorError,
    LocalExecutor,
    RayExecutor,
    check_reachable,
    code_fingerprint,
    make_executor,
    threads_per_task,
)
from rerender.pipeline.render_job import FrameRange, JobError, encoder_threads
from rerender.pipeline.settings import OutputSettings, RenderSettings
from rerender.pipeline.split import (
    Claims,
    RenderTask,
    render_chunk,
    render_share,
    render_split,
    split_frames,
)
from rerender.render.renderer import Renderer
from rerender.values import Size

FRAMES = 150  # 5 s at 30 fps: keyframes at 0, 60, 120


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("split") / "orbit.rrd"
    rec = rr.RecordingStream("split_test", recording_id="split")
    rec.save(path)
    angles = np.linspace(0, 4 * np.pi, FRAMES)
    for i, a in enumerate(angles):
        rec.set_time("frame", sequence=i)
        points = np.array([[np.cos(a), np.sin(a), 0.2 * np.sin(3 * a)], [0, 0, 0]])
        rec.log("world/points", rr.Points3D(points, radii=[0.15, 0.3], colors=[[255, 80, 0], [0, 120, 255]]))
    rec.log("world/box", rr.Boxes3D(half_sizes=[[1.2, 1.2, 0.05]], colors=[[90, 90, 90]]), static=True)
    rec.flush()
    rec.disconnect()
    return path


def _settings(**output) -> RenderSettings:
    return RenderSettings(output=OutputSettings(size=Size(96, 64), **output))


def test_split_frames_cut_on_keyframes() -> None:
    assert split_frames(150, 2, 60) == [FrameRange(0, 60), FrameRange(60, 150)]
    assert split_frames(150, 3, 60) == [FrameRange(0, 60), FrameRange(60, 120), FrameRange(120, 150)]
    assert split_frames(150, 8, 60) == split_frames(150, 3, 60)  # no more chunks than keyframe intervals
    assert split_frames(2000, 2, 60) == [FrameRange(0, 1020), FrameRange(1020, 2000)]
    assert split_frames(10, 4, 60) == [FrameRange(0, 10)]
    assert split_frames(0, 2, 60) == []
    for count, parts in [(2000, 2), (2000, 7), (61, 2), (599, 5)]:
        chunks = split_frames(count, parts, 60)
        assert chunks[0].start == 0 and chunks[-1].stop == count
        assert all(a.stop == b.start and b.start % 60 == 0 for a, b in itertools.pairwise(chunks))


def test_keyframe_interval_is_two_seconds() -> None:
    assert keyframe_interval(30) == 60 and keyframe_interval(24) == 48 and keyframe_interval(0.2) == 1


def test_workers_decode_to_the_single_process_frames(recording: Path, tmp_path: Path) -> None:
    single = tmp_path / "single.mp4"
    result = CliRunner().invoke(main, ["render", str(recording), "-o", str(single), "--size", "96x64", "-q"])
    assert result.exit_code == 0, result.output
    split = tmp_path / "split.mp4"
    args = ["render", str(recording), "-o", str(split), "--size", "96x64", "--workers", "3"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert re.search(r"wrote 150 frames to .* \(\d pieces? on local\)", result.output), result.output
    a, b = iio.imread(single), iio.imread(split)
    assert a.shape == b.shape == (FRAMES, 64, 96, 3)
    assert np.array_equal(a, b)
    assert not np.array_equal(a[0], a[FRAMES // 2])  # the scene moves, so the comparison means something
    assert not list(tmp_path.glob(".*parts*"))  # the chunks are gone


def _moving(path: Path, frames: int) -> Path:
    rec = rr.RecordingStream("tail_test", recording_id="tail")
    rec.save(path)
    for i in range(frames):
        rec.set_time("frame", sequence=i)
        rec.log("world/points", rr.Points3D([[np.cos(i / 9), np.sin(i / 9), 0], [0, 0, 0]], radii=0.3))
    rec.disconnect()
    return path


@pytest.mark.parametrize(("frames", "workers"), [(61, 2), (62, 2), (301, 1)])
def test_a_video_whose_last_piece_would_be_one_or_two_frames_decodes_to_its_frames(
    frames: int, workers: int, tmp_path: Path
) -> None:
    """x264 starts a one- or two-frame stream without its B-frame delay: joined after other pieces, such
    a tail once left a hole in the decode timestamps, and 301 frames decoded as 303 (in one process too:
    its 10 s segments left a one-frame tail). The tail now goes with the piece before it."""
    recording = _moving(tmp_path / f"tail{frames}.rrd", frames)
    out = tmp_path / "out.mp4"
    args = ["render", str(recording), "-o", str(out), "--size", "64x48", "-q", "--workers", str(workers)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    video = iio.imread(out)
    assert len(video) == frames
    if workers > 1:
        single = tmp_path / "single.mp4"
        result = CliRunner().invoke(
            main, ["render", str(recording), "-o", str(single), "--size", "64x48", "-q"]
        )
        assert result.exit_code == 0, result.output
        assert np.array_equal(iio.imread(single), video)


def test_a_short_tail_is_part_of_the_last_block_and_never_a_piece_of_its_own(tmp_path: Path) -> None:
    assert Claims(tmp_path, every=60, count=62).blocks == 1
    assert (
        Claims(tmp_path, every=60, count=63).blocks == 2 and Claims(tmp_path, every=60, count=2).blocks == 1
    )
    claims = Claims(tmp_path, every=60, count=122)
    assert claims.claim(0) and claims.steal() == 60 and claims.steal() is None


def test_the_command_forks_its_workers_and_they_render_the_same_frames(
    recording: Path, tmp_path: Path
) -> None:
    """`rerender render --workers` in its own process (no GL touched yet) makes its workers as copies of
    itself; their pieces join to the frames of a one-process render."""
    single, split = tmp_path / "single.mp4", tmp_path / "split.mp4"
    result = CliRunner().invoke(main, ["render", str(recording), "-o", str(single), "--size", "96x64", "-q"])
    assert result.exit_code == 0, result.output
    code = (
        "import sys, rerender.pipeline.split as split\n"
        "from rerender.pipeline.executors import LocalExecutor\n"
        "made = split.start_executor\n"
        "def traced(*a, **k):\n"
        "    pool = made(*a, **k)\n"
        "    forked = isinstance(pool.result(), LocalExecutor) and pool.result().fork\n"
        "    print('forked' if forked else 'spawned')\n"
        "    return pool\n"
        "split.start_executor = traced\n"
        "from rerender.cli.main import main\n"
        "main(sys.argv[1:])\n"
    )
    args = ["render", str(recording), "-o", str(split), "--size", "96x64", "--workers", "3", "-q"]
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["forked"]
    assert np.array_equal(iio.imread(single), iio.imread(split))


def test_a_process_that_has_touched_gl_or_runs_threads_spawns_its_workers() -> None:
    """A copy of a process with a GL context would share the parent's display, and one of a process with
    other threads their locks: then workers are fresh interpreters."""
    code = (
        "import threading\n"
        "from rerender.pipeline.executors import may_fork\n"
        "before = may_fork()\n"
        "go = threading.Event()\n"
        "waiting = threading.Thread(target=go.wait)\n"
        "waiting.start()\n"
        "beside_a_thread = may_fork()\n"
        "go.set()\n"
        "waiting.join()\n"
        "from rerender.render.renderer import Renderer\n"
        "Renderer(8, 8).close()\n"
        "print(before, beside_a_thread, may_fork())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False", "False"]


def _keyframes(path: Path) -> list[int]:
    """Indices of the video's keyframes: ffmpeg's `showinfo` filter prints `iskey:1` for them."""
    import imageio_ffmpeg

    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path), "-vf", "showinfo"]
    done = subprocess.run(
        [*command, "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line for line in done.stderr.splitlines() if "iskey:" in line]
    return [i for i, line in enumerate(lines) if "iskey:1" in line]


def test_chunks_start_on_keyframes_and_join_without_reencoding(recording: Path, tmp_path: Path) -> None:
    task = RenderTask(recording, tmp_path / "out.mp4", _settings())
    before = os.environ.get(LLVMPIPE_THREADS)
    results = render_split(task, 2)  # this process renders one chunk, with one core's share
    assert os.environ.get(LLVMPIPE_THREADS) == before  # and has its own environment back
    # The worker starts after the caller's share, unless the caller got there first (this render is
    # over in about the second a worker takes to start).
    results = [r for r in results if len(r.frames)]
    assert results[0].frames.start == 0 and results[-1].frames.stop == 150
    assert all(
        a.frames.stop == b.frames.start and b.frames.start % 60 == 0 for a, b in itertools.pairwise(results)
    )
    assert _keyframes(tmp_path / "out.mp4") == [0, 60, 120]
    assert all(r.cpu_seconds > 0 and r.wall_seconds > 0 for r in results)


def test_only_mp4_splits(recording: Path, tmp_path: Path) -> None:
    with pytest.raises(JobError, match=r"--workers splits H.264 MP4.*gif"):
        render_split(RenderTask(recording, tmp_path / "out.gif", _settings()), 2)


def _environment(name: str) -> str | None:
    return os.environ.get(name)


def test_local_workers_share_the_cores() -> None:
    assert threads_per_task(2, cores=2) == 1 and threads_per_task(3, cores=16) == 5
    assert threads_per_task(4, cores=2) == 1
    with LocalExecutor(2) as pool:
        assert pool.threads == threads_per_task(2)
        assert pool.submit(_environment, LLVMPIPE_THREADS).result() == str(pool.threads)


def test_a_fast_encoder_takes_half_the_cores_of_its_render() -> None:
    """A split's piece or a pipeline's job renders on its share of the cores; x264 at a fast preset takes
    half of them, a slower encoder all of them."""
    assert encoder_threads("mp4", "veryfast", 4) == 2 and encoder_threads("mp4", "ultrafast", 1) == 1
    assert encoder_threads("mp4", "slow", 3) == 3 and encoder_threads("webm", "veryfast", 2) == 2
    assert encoder_threads("mp4", "veryfast") == threads_per_task(2)  # one process: half of all
    assert encoder_threads("mp4", "medium") is None and encoder_threads("gif", "veryfast") is None


@pytest.mark.parametrize(
    ("suffix", "flags", "threads"),
    [
        (".mp4", [], threads_per_task(2)),  # x264 at veryfast: half the cores, the renderer the rest
        (".mp4", ["--preset", "slow"], None),  # slower than the drawing: the encoder's own choice
        (".webm", [], None),
    ],
)
def test_one_process_renders_give_a_fast_encoder_half_the_cores(
    recording: Path, tmp_path: Path, monkeypatch, suffix: str, flags: list[str], threads: int | None
) -> None:
    """What the encoder is told, read off ffmpeg's command line (a wrapper logs it, then runs ffmpeg)."""
    import imageio_ffmpeg

    log = tmp_path / "commands"
    wrapper = tmp_path / "ffmpeg"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{imageio_ffmpeg.get_ffmpeg_exe()}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(wrapper))
    out = tmp_path / f"out{suffix}"
    args = ["render", str(recording), "-o", str(out), "--size", "64x48", "--end", "10", "-q", *flags]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    encodes = [line.split() for line in log.read_text().splitlines() if " -i - " in line]
    assert encodes
    for command in encodes:
        told = command[command.index("-threads") + 1] if "-threads" in command else None
        assert told == (None if threads is None else str(threads))


def test_unknown_executor_is_named() -> None:
    with pytest.raises(ExecutorError, match="unknown executor 'slurm'; the executors are: local, ray"):
        make_executor("slurm")


def _ray_or_skip():
    try:
        import ray
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("Ray is not installed; `make test` installs the ray extra")
        pytest.skip("Ray is not installed (pip install 'rerender[ray]')")
    return ray


def _start_local_ray(ray) -> None:
    """The local Ray instance. Ray gives its raylet 30 s to register (a constant in Ray's code); on a
    busy two-core CI machine it once took longer, so a second try: this test is about our executor,
    not about how fast Ray starts."""
    for attempt in (1, 2):
        try:
            with warnings.catch_warnings():  # Ray advises on GPU variables; there are none here
                warnings.simplefilter("ignore", FutureWarning)
                ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
            return
        except Exception as e:
            ray.shutdown()
            if attempt == 2 or "timed out during startup" not in str(e):
                raise


def test_ray_executor_renders_the_same_video(recording: Path, tmp_path: Path) -> None:
    ray = _ray_or_skip()
    _start_local_ray(ray)
    try:
        with make_executor("ray", 2) as pool:
            assert pool.name == "ray" and pool.slots == 2
            render_split(RenderTask(recording, tmp_path / "ray.mp4", _settings()), 2, executor=pool)
            assert pool.submit(_environment, LLVMPIPE_THREADS).result() == "1"
            # Ray starts its workers at nice 15; render tasks run at the caller's priority (here, where
            # the user may raise it, by the task itself; elsewhere through a runtime environment).
            assert pool.submit(os.nice, 0).result() == 0
            worker = pool.submit(os.getpid).result()
        # The next command's executor finds the same warm worker (no Ray worker to start, no imports).
        with make_executor("ray", 1) as again:
            assert again.submit(os.getpid).result() == worker
        # One that has waited longer than its idle time has ended: the work runs as a plain task.
        with RayExecutor(slots=1, idle_seconds=0.5) as brief:
            first = brief.submit(os.getpid).result()
            time.sleep(2.5)
            assert brief.submit(os.getpid).result() != first
            assert brief.submit(_environment, LLVMPIPE_THREADS).result() == "1"
    finally:
        ray.shutdown()
    render_split(RenderTask(recording, tmp_path / "local.mp4", _settings()), 2)
    assert np.array_equal(iio.imread(tmp_path / "ray.mp4"), iio.imread(tmp_path / "local.mp4"))


def test_an_unreachable_ray_address_fails_the_render_at_once(recording: Path, tmp_path: Path) -> None:
    """Ray retries a cluster that does not answer for minutes; the command says so in seconds."""
    _ray_or_skip()
    with socket.socket() as s:  # a port nobody listens on (bound, then let go)
        s.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{s.getsockname()[1]}"
    started = time.monotonic()
    args = ["render", str(recording), "-o", str(tmp_path / "out.mp4"), "--size", "64x48", "-q"]
    result = CliRunner().invoke(main, [*args, "--workers", "2", "--executor", "ray", "--address", address])
    assert time.monotonic() - started < 30
    assert result.exit_code != 0 and f"nothing answers at the Ray cluster address {address}" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out.mp4").exists()


def test_an_http_address_is_named_as_not_ray_and_a_grpc_one_is_left_to_ray() -> None:
    """The dashboard's port (HTTP/1) given as the cluster's address fails at once; a server that
    answers the HTTP/2 preface as gRPC servers do (a SETTINGS frame) is not refused."""
    import http.server
    import socketserver

    class Settings(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.recv(64)
            self.request.sendall(bytes([0, 0, 0, 4, 0, 0, 0, 0, 0]))  # an empty SETTINGS frame

    for handler, refused in ((http.server.SimpleHTTPRequestHandler, True), (Settings, False)):
        with socketserver.TCPServer(("127.0.0.1", 0), handler) as server:
            threading.Thread(target=server.serve_forever, daemon=True).start()
            address = f"127.0.0.1:{server.server_address[1]}"
            try:
                for given in (address, f"ray://{address}"):
                    if refused:
                        with pytest.raises(ExecutorError, match=f"{given} answers, but not as a Ray head"):
                            check_reachable(given)
                    else:
                        check_reachable(given)
            finally:
                server.shutdown()


def test_warm_workers_are_named_by_the_code_they_run(tmp_path: Path) -> None:
    """A changed source file gives warm Ray workers a new name: none runs code older than the caller's."""
    (tmp_path / "a.py").write_text("x = 1\n")
    before = code_fingerprint(tmp_path)
    assert code_fingerprint(tmp_path) == before
    (tmp_path / "a.py").write_text("x = 22\n")
    assert code_fingerprint(tmp_path) != before


def test_a_settings_error_with_workers_is_one_paragraph(recording: Path, tmp_path: Path) -> None:
    """The workers start while the settings are checked; a bad setting still ends the command cleanly."""
    args = ["render", str(recording), "-o", str(tmp_path / "x.mp4"), "--workers", "2", "--timeline", "nope"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert "'nope'" in result.output and "Traceback" not in result.output


def test_the_caller_renders_until_the_executor_is_ready_then_shares(recording: Path, tmp_path: Path) -> None:
    """The executor arrives late (Ray's workers starting): this process has gone on rendering, and hands
    over what is left from a keyframe past where it is; the video is whole and decodes the same."""
    starting: concurrent.futures.Future = concurrent.futures.Future()
    with LocalExecutor(1) as pool:
        threading.Timer(1.5, starting.set_result, [pool]).start()
        task = RenderTask(recording, tmp_path / "late.mp4", _settings())
        results = render_split(task, 2, executor=starting)
    assert results[0].frames.start == 0 and results[-1].frames.stop == 150
    assert all(r.frames.start % 60 == 0 for r in results)
    render_split(RenderTask(recording, tmp_path / "whole.mp4", _settings()), 1)  # this process alone
    assert np.array_equal(iio.imread(tmp_path / "late.mp4"), iio.imread(tmp_path / "whole.mp4"))


def test_an_executor_never_ready_leaves_the_caller_to_render_all(recording: Path, tmp_path: Path) -> None:
    never: concurrent.futures.Future = concurrent.futures.Future()
    results = render_split(RenderTask(recording, tmp_path / "out.mp4", _settings()), 2, executor=never)
    assert [r.frames for r in results] == [FrameRange(0, 150)]


def test_an_executor_that_could_not_start_fails_the_render(recording: Path, tmp_path: Path) -> None:
    failed: concurrent.futures.Future = concurrent.futures.Future()
    failed.set_exception(ExecutorError("could not start or reach ray://nowhere:10001"))
    with pytest.raises(ExecutorError, match="ray://nowhere"):
        render_split(RenderTask(recording, tmp_path / "out.mp4", _settings()), 2, executor=failed)
    assert not (tmp_path / "out.mp4").exists()


def test_a_process_stops_at_a_block_somebody_else_claimed(recording: Path, tmp_path: Path) -> None:
    claims = Claims(tmp_path, every=60, count=FRAMES)
    assert claims.claim(2) and not claims.claim(2)  # frames 120..150: another process's
    piece = RenderTask(
        recording, tmp_path / "piece.mp4", _settings(), frames=FrameRange(60, 150), claims=claims
    )
    result = render_chunk(piece)
    assert result.frames == FrameRange(60, 120)
    assert len(iio.imread(tmp_path / "piece.mp4")) == 60
    assert not claims.claim(1)  # what it rendered, it claimed first
    assert claims.claim(0) and claims.steal() is None  # every block is somebody's


def test_a_thief_takes_the_back_half_of_the_largest_unclaimed_run(tmp_path: Path) -> None:
    claims = Claims(tmp_path, every=60, count=590)  # blocks 0..9, the last one 50 frames
    assert all(claims.claim(b) for b in (0, 1, 2, 9))  # one process at block 2, another on the last
    assert claims.steal() == 6 * 60  # of 3..8, blocks 6, 7, 8: whoever renders 3 onwards stops at 6
    assert claims.steal() == 4 * 60  # of 3..5 (the largest run left), 4 and 5
    assert claims.steal() == 8 * 60  # then one block each
    assert [claims.steal(), claims.steal(), claims.steal()] == [7 * 60, 5 * 60, 3 * 60]
    assert claims.steal() is None


def test_the_caller_takes_over_the_frames_of_a_worker_that_is_late(recording: Path, tmp_path: Path) -> None:
    """The worker is busy for seconds before it starts its piece: the caller, done with its own share,
    goes on claiming the worker's blocks and renders the whole video; the worker finds nothing left."""
    with LocalExecutor(1) as pool:
        pool.submit(time.sleep, 0.1).result()  # started
        pool.submit(time.sleep, 4)  # the worker is late for everything submitted after this
        task = RenderTask(recording, tmp_path / "late.mp4", _settings())
        results = render_split(task, 2, executor=pool)
    assert [r.frames for r in results] == [FrameRange(0, FRAMES)]  # the worker's blocks: all claimed first
    render_split(RenderTask(recording, tmp_path / "whole.mp4", _settings()), 1)
    assert np.array_equal(iio.imread(tmp_path / "late.mp4"), iio.imread(tmp_path / "whole.mp4"))


class _DyingWorker:
    """An executor whose one worker claims the first two blocks of its piece and dies before delivering
    them (as Ray reports a task it ran again after its worker was lost: nothing left to do)."""

    name, slots, threads = "dying", 1, 1

    def submit(self, fn, piece, threads):
        every = piece.claims.every
        assert piece.claims.claim(piece.frames.start // every) and piece.claims.claim(
            piece.frames.start // every + 1
        )
        done: concurrent.futures.Future = concurrent.futures.Future()
        done.set_result([])
        return done

    def close(self) -> None:
        pass


def test_frames_claimed_by_a_worker_that_died_are_rendered_by_the_caller(
    recording: Path, tmp_path: Path
) -> None:
    task = RenderTask(recording, tmp_path / "out.mp4", _settings())
    with pytest.warns(UserWarning, match=r"frames 60\.\.150 of .* taken by a worker that did not deliver"):
        results = render_split(task, 2, executor=_DyingWorker())
    assert [r.frames for r in results] == [FrameRange(0, 60), FrameRange(60, 150)]  # the last: re-rendered
    render_split(RenderTask(recording, tmp_path / "whole.mp4", _settings()), 1)
    assert np.array_equal(iio.imread(tmp_path / "out.mp4"), iio.imread(tmp_path / "whole.mp4"))


def test_a_process_renders_all_its_pieces_with_one_renderer(
    recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its own piece, then what it takes from others: one plan, one GL context, not one per piece."""
    opened, real = [], Renderer.__init__

    def counting(self, *args, **kwargs) -> None:
        opened.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(Renderer, "__init__", counting)
    (tmp_path / "claims").mkdir()
    claims = Claims(tmp_path / "claims", every=60, count=FRAMES)
    assert claims.claim(1)  # frames 60..120: another process's
    task = RenderTask(recording, tmp_path / "00000000.mp4", _settings(), FrameRange(0, FRAMES), claims=claims)
    results = render_share(task)
    assert [r.frames for r in results] == [FrameRange(0, 60), FrameRange(120, 150)]
    assert len(opened) == 1
    assert [len(iio.imread(r.output)) for r in results] == [60, 30]


def test_a_split_render_with_nothing_to_render_says_why_as_one_process_does(tmp_path: Path) -> None:
    """With --workers, a static-only recording said only "nothing to render in the requested range"."""
    path = tmp_path / "static.rrd"
    rec = rr.RecordingStream("static_split", recording_id="static")
    rec.save(path)
    rec.log("cloud", rr.Points3D([[0, 0, 0], [1, 1, 1]]), static=True)
    rec.disconnect()
    for workers in ("1", "2"):
        result = CliRunner().invoke(
            main, ["render", str(path), "-o", str(tmp_path / "s.mp4"), "--workers", workers]
        )
        assert result.exit_code == 1 and "holds static data only" in result.output, result.output
        assert "-o s.png" in result.output
