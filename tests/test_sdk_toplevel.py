"""rerun-sdk 0.41's remaining top-level helpers: script args, is_enabled/strict_mode/version, the
recording context helpers, shutdown hooks, log_file_from_path/contents and set_sinks/FileSink."""

from __future__ import annotations

import argparse
import inspect
import os
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import pytest

import rerender as rr
from rerender.rrd import MessageKind, read_frames

rerun = pytest.importorskip("rerun")

ROOT = Path(__file__).parent.parent
ENV = {**os.environ, "RERUN_FLUSH_TICK_SECS": "1000", "RERUN_ANALYTICS": "0"}

NAMES = [
    "script_add_args",
    "script_setup",
    "script_teardown",
    "version",
    "is_enabled",
    "strict_mode",
    "set_log_tick_enabled",
    "thread_local_stream",
    "recording_stream_generator_ctx",
    "shutdown_at_exit",
    "unregister_shutdown",
    "rerun_shutdown",
    "cleanup_if_forked_child",
    "log_file_from_path",
    "log_file_from_contents",
    "set_sinks",
    "FileSink",
    "GrpcSink",
    "GrpcServerSink",
]


def _params(obj: object) -> list[str]:
    names = list(inspect.signature(obj).parameters)
    return names[1:] if names[:1] == ["self"] else names


@pytest.mark.parametrize("name", NAMES)
def test_signature_matches_rerun(name: str) -> None:
    assert _params(getattr(rr, name)) == _params(getattr(rerun, name))


def test_recording_properties_path() -> None:
    assert rr.RECORDING_PROPERTIES_PATH == rerun.RECORDING_PROPERTIES_PATH


@pytest.fixture
def fresh():
    """No current recording before and after the test; strict mode as it was."""
    strict = rr.strict_mode()
    rr.set_global_data_recording(None)
    rr.set_thread_local_data_recording(None)
    yield
    rr.set_global_data_recording(None)
    rr.set_thread_local_data_recording(None)
    rr.set_strict_mode(strict)


def _entities(path: Path) -> dict[str, list]:
    """entity path -> the chunks written for it."""
    out: dict[str, list] = {}
    for f in read_frames(path):
        if f.kind == MessageKind.ARROW_MSG:
            out.setdefault(f.chunk.entity_path, []).append(f.chunk)
    return out


# ---- script helpers -----------------------------------------------------------------------------

SCRIPT = textwrap.dedent(
    """
    import argparse, importlib, sys
    rr = importlib.import_module(sys.argv[1])
    parser = argparse.ArgumentParser()
    rr.script_add_args(parser)
    args = parser.parse_args(sys.argv[2:])
    rec = rr.script_setup(args, "rerun_example_script", recording_id="fixed")
    assert rr.strict_mode() and rec is not None
    for i in range(3):
        rr.set_time("frame", sequence=i)
        rr.log("points", rr.Points3D([[i, 0, 0], [0, i, 0]]))
    rr.log("note", rr.TextDocument("hi"), static=True)
    rr.script_teardown(args)
    """
)


def _run(*args: object) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], capture_output=True, env=ENV, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc


@pytest.mark.interop
def test_script_save_equals_rerun_sdk(tmp_path: Path, rerun_cli) -> None:
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    theirs, ours = tmp_path / "theirs.rrd", tmp_path / "ours.rrd"
    _run(sys.executable, script, "rerun", "--save", theirs)
    _run(sys.executable, script, "rerender", "--save", ours)
    assert rerun_cli("rrd", "verify", ours).returncode == 0
    compare = rerun_cli("rrd", "compare", "--unordered", theirs, ours)
    assert compare.returncode == 0, compare.stderr + compare.stdout


def test_script_stdout_streams_an_rrd(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    out = _run(sys.executable, script, "rerender", "--stdout").stdout
    (tmp_path / "out.rrd").write_bytes(out)
    assert set(_entities(tmp_path / "out.rrd")) == {"/__properties", "/points", "/note"}


def test_script_connect_to_nothing_warns_and_goes_on(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    proc = _run(sys.executable, script, "rerender", "--connect", "--url", "rerun+http://127.0.0.1:1/proxy")
    assert "no server answered at rerun+http://127.0.0.1:1/proxy" in proc.stderr.decode()


def test_script_headless_is_silent(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    assert "no live viewer" not in _run(sys.executable, script, "rerender", "--headless").stderr.decode()


def test_script_add_args_matches_rerun() -> None:
    ours, theirs = argparse.ArgumentParser(), argparse.ArgumentParser()
    rr.script_add_args(ours)
    rerun.script_add_args(theirs)
    argv = ["--save", "x.rrd", "--url", "u", "--headless"]
    assert vars(ours.parse_args(argv)) == vars(theirs.parse_args(argv))
    assert vars(ours.parse_args([])) == vars(theirs.parse_args([]))


# ---- small top-level helpers --------------------------------------------------------------------


def test_is_enabled_and_version(fresh) -> None:
    assert rr.is_enabled() is False  # no recording, as in rerun-sdk
    rec = rr.RecordingStream("app", default_enabled=False)
    assert rr.is_enabled(rec) is False
    rr.init("app")
    assert rr.is_enabled() is True
    assert "rerender" in rr.version() and "0.41" in rr.version()


def test_strict_mode_follows_set_strict_mode(fresh) -> None:
    rr.set_strict_mode(True)
    assert rr.strict_mode() is True
    rr.set_strict_mode(False)
    assert rr.strict_mode() is False


def test_log_tick(tmp_path: Path, fresh) -> None:
    rec = rr.RecordingStream("tick")
    rec.save(tmp_path / "t.rrd")
    rr.set_log_tick_enabled(True, recording=rec)
    rr.log("a", rr.Scalars(1.0), recording=rec)
    rr.log("a", rr.Scalars(2.0), recording=rec)
    rr.set_log_tick_enabled(False, recording=rec)
    rr.log("b", rr.Scalars(3.0), recording=rec)
    rec.disconnect()
    chunks = _entities(tmp_path / "t.rrd")
    assert all("log_tick" in c.timelines for c in chunks["/a"])
    assert not any("log_tick" in c.timelines for c in chunks["/b"])


def test_recording_stream_as_context_manager(fresh) -> None:
    outer = rr.RecordingStream("outer")
    with outer as rec:
        assert rec is outer and rr.get_data_recording() is outer
    assert rr.get_thread_local_data_recording() is None


def test_thread_local_stream_gives_each_call_its_own_recording(fresh) -> None:
    seen = []

    @rr.thread_local_stream("job")
    def job() -> None:
        seen.append(rr.get_data_recording())

    job()
    job()
    assert [r.application_id for r in seen] == ["job", "job"]
    assert seen[0].recording_id != seen[1].recording_id
    assert rr.get_thread_local_data_recording() is None

    @rr.thread_local_stream("gen")
    def gen():
        for i in range(2):
            yield rr.get_data_recording(), i

    results = []
    for rec, _ in gen():
        results.append(rec)
        assert rr.get_thread_local_data_recording() is None  # not current while suspended
    assert results[0] is results[1] and results[0].application_id == "gen"


def test_recording_stream_generator_ctx(fresh) -> None:
    rec = rr.RecordingStream("g")

    @rr.recording_stream_generator_ctx
    def gen():
        with rec:
            for i in range(3):
                assert rr.get_data_recording() is rec
                yield i

    for _ in gen():
        assert rr.get_thread_local_data_recording() is None
    assert rr.get_thread_local_data_recording() is None


def test_shutdown_hooks(tmp_path: Path) -> None:
    script = tmp_path / "s.py"
    out = tmp_path / "s.rrd"
    script.write_text(
        "import rerender as rr\n"
        "rr.unregister_shutdown()\n"
        "@rr.shutdown_at_exit\n"
        "def main():\n"
        f"    rr.init('s'); rr.save({str(out)!r}); rr.log('a', rr.Scalars(1.0))\n"
        "main()\n"
        "rr.cleanup_if_forked_child()\n"  # not a forked child: nothing happens
        "assert rr.get_global_data_recording() is not None\n"
    )
    _run(sys.executable, script)
    assert "/a" in _entities(out)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_forgets_the_parents_recordings(tmp_path: Path) -> None:
    script = tmp_path / "f.py"
    out = tmp_path / "f.rrd"
    script.write_text(
        "import os, sys, warnings, rerender as rr\n"
        "warnings.simplefilter('ignore')\n"
        f"rr.init('f'); rr.save({str(out)!r}); rr.log('parent', rr.TextLog('before'))\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    assert rr.get_global_data_recording() is None and not rr.is_enabled()\n"
        "    rr.log('child', rr.TextLog('dropped'))\n"
        "    sys.exit(0)\n"
        "_, status = os.waitpid(pid, 0); assert status == 0, status\n"
        "rr.log('parent', rr.TextLog('after'))\n"
    )
    _run(sys.executable, script)
    entities = _entities(out)
    assert "/child" not in entities
    assert sum(c.num_rows for c in entities["/parent"]) == 2


# ---- log_file_from_path / contents --------------------------------------------------------------

FILES_SCRIPT = textwrap.dedent(
    """
    import importlib, sys
    rr = importlib.import_module(sys.argv[1])
    rr.init("files", recording_id="fixed")
    rr.save(sys.argv[2])
    rr.set_time("frame", sequence=1)
    rr.log_file_from_path("img.png")
    rr.log_file_from_path("./sub dir/photo.jpeg", entity_path_prefix="cams")
    rr.log_file_from_path("tri.obj", static=True)
    rr.log_file_from_path("../files/t.stl")
    rr.log_file_from_path("notes.md")
    rr.log_file_from_contents("/abs/q.png", open("img.png", "rb").read(), entity_path_prefix="w")
    """
)


def _make_files(folder: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent / "scripts"))
    try:
        from make_samples import TINY_OBJ, tiny_png
    finally:
        sys.path.pop(0)
    folder.mkdir()
    (folder / "img.png").write_bytes(tiny_png())
    (folder / "sub dir").mkdir()
    (folder / "sub dir" / "photo.jpeg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (folder / "tri.obj").write_bytes(TINY_OBJ)
    (folder / "t.stl").write_text("solid t\nendsolid t\n")
    (folder / "notes.md").write_text("# Notes\nhello")


@pytest.mark.interop
def test_log_file_equals_rerun_sdk(tmp_path: Path, rerun_cli) -> None:
    folder = tmp_path / "files"
    _make_files(folder)
    script = tmp_path / "files.py"
    script.write_text(FILES_SCRIPT)
    theirs, ours = tmp_path / "theirs.rrd", tmp_path / "ours.rrd"
    for module, out in (("rerun", theirs), ("rerender", ours)):
        proc = subprocess.run(
            [sys.executable, script, module, out], capture_output=True, env=ENV, cwd=folder, timeout=300
        )
        assert proc.returncode == 0, proc.stderr.decode()
    assert set(_entities(ours)) == {
        "/__properties",
        "/img.png",
        "/cams/sub\\ dir/photo.jpeg",
        "/tri.obj",
        "/files/t.stl",
        "/notes.md",
        "/w/abs/q.png",
    }
    assert set(_entities(ours)) == set(_entities(theirs))
    assert rerun_cli("rrd", "verify", ours).returncode == 0
    compare = rerun_cli("rrd", "compare", "--unordered", theirs, ours)
    assert compare.returncode == 0, compare.stderr + compare.stdout


def test_log_file_unsupported_kinds_warn_or_raise(tmp_path: Path, fresh) -> None:
    rr.init("files")
    rr.set_strict_mode(False)
    with pytest.warns(rr.RerenderWarning, match=r"cannot import recordings \(\.rrd\)"):
        rr.log_file_from_contents("other.rrd", b"")
    with pytest.warns(rr.RerenderWarning, match=r"cannot import '\.ply' files"):
        rr.log_file_from_contents("cloud.ply", b"")
    with pytest.warns(rr.RerenderWarning, match="No such file"):
        rr.log_file_from_path(tmp_path / "missing.png")
    rr.set_strict_mode(True)
    with pytest.raises(ValueError, match="cannot import"):
        rr.log_file_from_path(tmp_path / "video.mp4")


# ---- set_sinks / FileSink -----------------------------------------------------------------------

SINKS_SCRIPT = textwrap.dedent(
    """
    import importlib, sys
    rr = importlib.import_module(sys.argv[1])
    rr.init("sinks", recording_id="fixed")
    rr.log("before", rr.Points3D([[1, 2, 3]]))
    rr.set_sinks(rr.FileSink(sys.argv[2]), rr.FileSink(sys.argv[3]))
    rr.set_time("frame", sequence=1)
    rr.log("after", rr.Points3D([[4, 5, 6]]))
    """
)


@pytest.mark.interop
def test_set_sinks_tees_like_rerun_sdk(tmp_path: Path, rerun_cli) -> None:
    script = tmp_path / "sinks.py"
    script.write_text(SINKS_SCRIPT)
    _run(sys.executable, script, "rerun", tmp_path / "t1.rrd", tmp_path / "t2.rrd")
    _run(sys.executable, script, "rerender", tmp_path / "o1.rrd", tmp_path / "o2.rrd")
    for ours in ("o1.rrd", "o2.rrd"):
        assert rerun_cli("rrd", "verify", tmp_path / ours).returncode == 0
        compare = rerun_cli("rrd", "compare", "--unordered", tmp_path / "t1.rrd", tmp_path / ours)
        assert compare.returncode == 0, compare.stderr + compare.stdout


def test_set_sinks_rejects_duplicates_and_grpc_warns(tmp_path: Path, fresh) -> None:
    rr.init("sinks")
    with pytest.raises(ValueError, match="Duplicate"):
        rr.set_sinks(rr.FileSink(tmp_path / "a.rrd"), rr.FileSink(tmp_path / "a.rrd"))
    with pytest.raises(TypeError):
        rr.set_sinks("a.rrd")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rr.set_sinks(rr.GrpcSink("rerun+http://127.0.0.1:1/proxy"), rr.FileSink(tmp_path / "b.rrd"))
        rr.flush()
        time.sleep(2.5)  # the network sink gives up on the missing server (2 s) and warns
    assert any("no server answered" in str(w.message) for w in caught)
    assert rr.GrpcServerSink(port=1234).uri == "rerun+http://127.0.0.1:1234/proxy"
    rr.log("x", rr.Scalars(1.0))
    rr.disconnect()
    assert "/x" in _entities(tmp_path / "b.rrd")
