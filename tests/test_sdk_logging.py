"""The logging SDK as scripts use it: recordings, time, sinks, bad input, and what reaches the disk."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rerender as rr
from rerender.rrd import MessageKind, TimeKind, read_chunks, read_frames

ROOT = Path(__file__).parent.parent


@pytest.fixture
def rec(tmp_path: Path):
    """A recording saved to tmp_path/rec.rrd that flushes only when asked (deterministic chunks)."""
    recording = rr.RecordingStream(
        "test_app", recording_id="rec", batcher_config=rr.ChunkBatcherConfig.NEVER()
    )
    recording.save(tmp_path / "rec.rrd")
    yield recording
    recording.disconnect()
    rr.set_strict_mode(False)


def chunks_of(path: Path, entity: str | None = None) -> list:
    """Every chunk in a file (of one entity if given)."""
    return [c for _, c in read_chunks(path) if entity is None or c.entity_path == entity]


def test_bad_input_warns_naming_entity_archetype_argument(rec, tmp_path: Path) -> None:
    rec.set_time("frame", sequence=0)
    with pytest.warns(rr.RerenderWarning) as caught:
        rec.log("world/points", rr.Points3D(np.zeros((4, 2))))
    message = str(caught[0].message)
    assert "'world/points'" in message and "Points3D" in message and "positions" in message
    assert "(N, 3)" in message
    rec.log("world/points", rr.Points3D(np.zeros((4, 3))))  # the next good call still lands
    rec.disconnect()
    (chunk,) = chunks_of(tmp_path / "rec.rrd", "/world/points")
    assert chunk.num_rows == 1


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda r: r.log("x", 42), "expected an archetype"),
        (lambda r: r.log("bad\\", rr.Points3D([[0, 0, 0]])), "lone backslash"),
        (lambda r: r.log("x", rr.Points3D([[0, 0, 0]], colors=[[1, 2, 3, 4, 5]])), "colors"),
        (lambda r: r.log("x", rr.Points3D(np.zeros((3, 3)), radii=[1.0, 2.0])), "2 values for 3 instances"),
        (lambda r: r.set_time("t", sequence=1, duration=2), "exactly one of"),
        (lambda r: r.set_time("t", sequence=1.5), "integer"),
        (
            lambda r: r.send_columns(
                "s", [rr.TimeColumn("t", sequence=[1, 2])], rr.Scalars.columns(scalars=[1.0, 2.0, 3.0])
            ),
            "different lengths",
        ),
    ],
)
def test_bad_calls_warn_and_strict_mode_raises(rec, call, fragment: str) -> None:
    with pytest.warns(rr.RerenderWarning, match="ignored") as caught:
        call(rec)
    assert fragment in str(caught[0].message)
    rr.set_strict_mode(True)
    with pytest.raises(ValueError) as err:
        call(rec)
    assert fragment in str(err.value)


def test_nan_and_inf_are_logged_as_data(rec, tmp_path: Path) -> None:
    rec.log("p", rr.Points3D([[np.nan, np.inf, -np.inf]]), static=True)
    rec.disconnect()
    (chunk,) = chunks_of(tmp_path / "rec.rrd", "/p")
    values = chunk.component("Points3D:positions").to_pylist()[0][0]
    assert np.isnan(values[0]) and values[1:] == [np.inf, -np.inf]


def test_data_logged_before_save_is_kept(tmp_path: Path) -> None:
    recording = rr.RecordingStream("early", recording_id="r")
    recording.set_time("frame", sequence=7)
    recording.log("early", rr.Scalars(1.0))
    recording.save(tmp_path / "late.rrd")
    recording.log("later", rr.Scalars(2.0))
    recording.disconnect()
    entities = [c.entity_path for c in chunks_of(tmp_path / "late.rrd")]
    assert sorted(entities) == ["/__properties", "/early", "/later"]


def test_time_is_per_thread(rec, tmp_path: Path) -> None:
    rec.set_time("frame", sequence=1)
    rec.set_time("clock", timestamp=1_700_000_000.5)

    def worker() -> None:
        rec.set_time("frame", sequence=99)
        rec.log("worker", rr.Scalars(0.0))

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    rec.log("main", rr.Scalars(0.0))
    rec.disable_timeline("clock")
    rec.log("main_no_clock", rr.Scalars(0.0))
    rec.reset_time()
    rec.log("main_reset", rr.Scalars(0.0))
    rec.disconnect()
    by_entity = {c.entity_path: c for c in chunks_of(tmp_path / "rec.rrd")}
    assert by_entity["/worker"].time_values("frame").tolist() == [99]
    assert "clock" not in by_entity["/worker"].timelines
    assert by_entity["/main"].time_values("frame").tolist() == [1]
    assert by_entity["/main"].timelines["clock"].kind == TimeKind.TIMESTAMP
    assert by_entity["/main"].time_values("clock").tolist() == [1_700_000_000_500_000_000]
    assert set(by_entity["/main_no_clock"].timelines) == {"frame", "log_time"}
    assert set(by_entity["/main_reset"].timelines) == {"log_time"}


def test_entity_paths_like_rerun(rec, tmp_path: Path) -> None:
    rec.log(["world", "cam 1", 3], rr.Scalars(1.0), static=True)
    rec.log("/a//b/", rr.Scalars(1.0), static=True)
    with pytest.warns(UserWarning, match="unescaped whitespace"):
        rec.log("cams/left eye", rr.Scalars(1.0), static=True)
    rec.disconnect()
    entities = {c.entity_path for c in chunks_of(tmp_path / "rec.rrd")}
    assert {"/world/cam\\ 1/3", "/a/b", "/cams/left\\ eye"} <= entities
    assert rr.escape_entity_path_part("a b/c") == "a\\ b\\/c"


# Rerun keeps every Unicode letter (Alphabetic) unescaped; Python's isalnum misses the letter-like
# marks and symbols (Mn, Mc, So such as "Ⓐ") and knows nothing of characters assigned after its Unicode
# version (Cn): those get \u{XXXX} here and are left out of the comparison.
_PATH_CHARS = st.characters(exclude_categories=("Cs", "Cn", "Mn", "Mc", "So"))
_PATH_PARTS = st.lists(st.one_of(st.text(_PATH_CHARS, max_size=6), st.integers(), st.floats()), max_size=4)
_PATH_SAMPLES = [
    "world",
    42,
    "my image!",
    "",
    "a/b",
    "\\",
    "é",
    1.5,
    None,
    "\0\x0b\x7f\xa0",
    "😀",
    "\u2028",
    " ",
]


@given(parts=_PATH_PARTS)
@settings(max_examples=300, deadline=None)
def test_new_entity_path_matches_rerun(parts: list[object]) -> None:
    rerun = pytest.importorskip("rerun")
    assert rr.new_entity_path(parts) == rerun.new_entity_path(parts)
    for part in parts:
        assert rr.escape_entity_path_part(str(part)) == rerun.escape_entity_path_part(str(part))


def test_new_entity_path_samples_match_rerun() -> None:
    rerun = pytest.importorskip("rerun")
    assert rr.new_entity_path(_PATH_SAMPLES) == rerun.new_entity_path(_PATH_SAMPLES)
    assert rr.new_entity_path(["world", 42, "my image!"]) == "/world/42/my\\ image\\!"
    assert rr.new_entity_path([]) == "/"


def test_logged_entity_paths_match_rerun(tmp_path: Path) -> None:
    """Paths given as strings (with \\u{...} escapes) and as lists reach the file as rerun-sdk writes them."""
    pytest.importorskip("rerun")
    script = textwrap.dedent("""
        import sys
        rr = __import__(sys.argv[1])
        rr.init("paths", recording_id="paths")
        rr.save(sys.argv[2])
        paths = ["world/😀", "a/\\\\u{1F600}b", "a/\\\\u{41}", "a/\\\\u{zz}", "b/\\\\0"]
        for path in [*paths, ["é😀", "\\x0b", "\\0", "x y", "\\\\u{41}"]]:
            rr.log(path, rr.Points3D([[0, 0, 0]]))
    """)

    def entities(module: str) -> set[str]:
        out = tmp_path / f"{module}.rrd"
        proc = subprocess.run(
            [sys.executable, "-c", script, module, str(out)], capture_output=True, text=True, cwd=ROOT
        )
        assert proc.returncode == 0, proc.stderr
        return {c.entity_path for c in chunks_of(out)}

    ours = entities("rerender")
    assert ours == entities("rerun")
    assert "/world/\\u{1F600}" in ours and "/a/A" in ours


def test_module_api_uses_thread_local_then_global(tmp_path: Path) -> None:
    glob = rr.RecordingStream("global_app", make_default=True)
    local = rr.RecordingStream("local_app")
    glob.save(tmp_path / "global.rrd")
    local.save(tmp_path / "local.rrd")
    rr.log("to_global", rr.Scalars(1.0), static=True)
    previous = rr.set_thread_local_data_recording(local)
    rr.log("to_local", rr.Scalars(1.0), static=True)
    rr.log("explicit", rr.Scalars(1.0), static=True, recording=glob)
    rr.set_thread_local_data_recording(previous)
    assert rr.get_global_data_recording() is glob
    rr.disconnect(recording=glob)
    rr.disconnect(recording=local)
    rr.set_global_data_recording(None)
    assert {c.entity_path for c in chunks_of(tmp_path / "global.rrd")} >= {"/to_global", "/explicit"}
    assert "/to_local" in {c.entity_path for c in chunks_of(tmp_path / "local.rrd")}


def test_memory_recording_gives_rrd_bytes() -> None:
    recording = rr.RecordingStream("mem", recording_id="m")
    memory = recording.memory_recording()
    recording.log("p", rr.Points3D([[1, 2, 3]]), static=True)
    data = memory.drain_as_bytes()
    assert data[:4] == b"RRF2"
    assert "/p" in {c.entity_path for _, c in read_chunks(data)}


def test_env_switches_match_rerun(tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import sys, rerender as rr
        rr.init("env", recording_id="r")
        rr.save(sys.argv[1])
        for i in range(5):
            rr.set_time("frame", sequence=i)
            rr.log("p", rr.Scalars(float(i)))
    """)
    out = tmp_path / "env.rrd"
    env = {
        **os.environ,
        "RERUN_FLUSH_NUM_ROWS": "2",
        "RERUN_LOG_TIME": "0",
        "RERUN_LOG_TICK": "1",
        "RERUN_FLUSH_TICK_SECS": "1000",
    }
    subprocess.run([sys.executable, "-c", script, str(out)], check=True, env=env)
    chunks = chunks_of(out, "/p")
    assert [c.num_rows for c in chunks] == [2, 2, 1]
    assert all(set(c.timelines) == {"frame", "log_tick"} for c in chunks)


@pytest.mark.parametrize(
    ("ending", "returncode"),
    [
        ("pass", 0),
        ("raise RuntimeError('the script crashed')", 1),
        # Ctrl-C as in a terminal: a process started in the background by a non-interactive shell
        # inherits SIGINT ignored, and Python then installs no KeyboardInterrupt for it.
        (
            "import os, signal, time; signal.signal(signal.SIGINT, signal.default_int_handler); "
            "os.kill(os.getpid(), signal.SIGINT); time.sleep(5)",
            -2,
        ),
    ],
    ids=["normal-exit", "unhandled-exception", "ctrl-c"],
)
def test_everything_logged_before_exit_is_on_disk(tmp_path: Path, ending: str, returncode: int) -> None:
    out = tmp_path / "exit.rrd"
    script = textwrap.dedent(f"""
        import sys, rerender as rr
        rr.init("exit", recording_id="r")
        rr.save(sys.argv[1])
        for i in range(50):
            rr.set_time("frame", sequence=i)
            rr.log("p", rr.Points3D([[i, 0, 0]]))
        {ending}
    """)
    env = {**os.environ, "RERUN_FLUSH_TICK_SECS": "1000"}  # nothing is flushed before exit
    proc = subprocess.run([sys.executable, "-c", script, str(out)], env=env, capture_output=True, text=True)
    assert proc.returncode == returncode
    frames = list(read_frames(out))
    assert (
        sum(
            f.chunk.num_rows
            for f in frames
            if f.kind == MessageKind.ARROW_MSG and f.chunk.entity_path == "/p"
        )
        == 50
    )
    assert frames[-1].kind == MessageKind.END  # closed properly, with its footer


def test_memory_stays_bounded_when_logging_large_clouds(tmp_path: Path) -> None:
    """200 clouds of 100k points (240 MB of positions) go through with far less memory than that."""
    script = textwrap.dedent("""
        import resource, sys
        import numpy as np
        import rerender as rr
        rr.init("big", recording_id="r")
        rr.save(sys.argv[1])
        cloud = np.random.default_rng(0).random((100_000, 3), dtype=np.float32)
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for i in range(200):
            rr.set_time("frame", sequence=i)
            rr.log("cloud", rr.Points3D(cloud + i))
        rr.disconnect()
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024)
    """)
    env = {**os.environ, "RERUN_FLUSH_TICK_SECS": "1000"}  # only the 2 MiB threshold flushes
    proc = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "big.rrd")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    growth_mib = int(proc.stdout.strip())
    assert growth_mib < 80, f"peak memory grew by {growth_mib} MiB while logging 240 MB"


def test_stdout_sink_pipes_a_recording(tmp_path: Path) -> None:
    script = "import rerender as rr; rr.init('pipe'); rr.stdout(); rr.log('p', rr.Scalars(1.0), static=True)"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True)
    assert "/p" in {c.entity_path for _, c in read_chunks(proc.stdout)}


def test_unreachable_viewer_warns_once_and_the_script_goes_on(tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import sys, rerender as rr
        rr.init("viewer")
        rr.connect_grpc("rerun+http://127.0.0.1:1/proxy")
        rr.log("p", rr.Scalars(1.0), static=True)
        rr.set_sinks(rr.FileSink(sys.argv[1]), rr.GrpcSink("rerun+http://127.0.0.1:2/proxy"))
        rr.log("q", rr.Scalars(2.0), static=True)
    """)
    out = tmp_path / "viewer.rrd"
    proc = subprocess.run(
        [sys.executable, "-c", script, str(out)], capture_output=True, text=True, check=True
    )
    # One warning per network sink (two were set), none per message.
    assert proc.stderr.count("no server answered at rerun+http://127.0.0.1:1/proxy") == 1, proc.stderr
    assert proc.stderr.count("no server answered at rerun+http://127.0.0.1:2/proxy") == 1, proc.stderr
    assert {"/q"} <= {c.entity_path for c in chunks_of(out)}


def test_run_command_captures_a_rerun_script(tmp_path: Path) -> None:
    script = tmp_path / "user_script.py"
    script.write_text(
        "import sys\nimport rerun as rr\nrr.init('user')\nrr.spawn()\n"
        "rr.log('arg', rr.TextLog(sys.argv[1]), static=True)\n"
    )
    out = tmp_path / "captured.rrd"
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "rerender"), "run", "-o", str(out), str(script), "hello"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    (chunk,) = chunks_of(out, "/arg")
    assert chunk.component("TextLog:text").to_pylist() == [["hello"]]


def test_run_command_keeps_data_when_the_script_fails(tmp_path: Path) -> None:
    script = tmp_path / "failing.py"
    script.write_text(
        "import rerun as rr\nrr.init('fails')\nrr.log('before', rr.Scalars(1.0), static=True)\n"
        "raise SystemExit(3)\n"
    )
    out = tmp_path / "captured.rrd"
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "rerender"), "run", "-o", str(out), str(script)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 3
    assert "/before" in {c.entity_path for c in chunks_of(out)}


_SEED_PROBE = textwrap.dedent("""
    import json, random, sys
    import numpy as np
    rr = __import__(sys.argv[1])
    random.seed(1)
    np.random.seed(1)
    rr.init(sys.argv[2], **({"init_logging": False} if sys.argv[3] == "no-logging" else {}))
    first = [np.random.rand(), random.random(), np.random.randint(1 << 30)]
    rr.RecordingStream("rerun_example_again")  # only init() seeds
    print(json.dumps(first + [np.random.rand(), random.random()]))
""")


@pytest.mark.parametrize("init_logging", ["logging", "no-logging"])
@pytest.mark.parametrize("application_id", ["rerun_example_seeded", "my_app", "xrerun_example_"])
def test_init_seeds_random_like_rerun_for_example_ids(application_id: str, init_logging: str) -> None:
    """rr.init("rerun_example_…") seeds `random` and numpy's global generator with 0, as rerun-sdk does."""
    pytest.importorskip("rerun")
    env = {**os.environ, "RERUN": "off", "RERUN_ANALYTICS": "0"}

    def draws(module: str) -> list[float]:
        proc = subprocess.run(
            [sys.executable, "-c", _SEED_PROBE, module, application_id, init_logging],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    ours = draws("rerender")
    assert ours == draws("rerun")
    seed = 0 if application_id.startswith("rerun_example_") else 1
    random.seed(seed)
    np.random.seed(seed)
    assert ours[:3] == [np.random.rand(), random.random(), np.random.randint(1 << 30)]
