"""`rerender serve` and the SDK's network sinks: what streams in over Rerun's gRPC message proxy ends up
in files equal to the same scripts saving directly, from rerender's SDK and from the real rerun-sdk 0.41,
with many clients at once, clients killed mid-stream, garbage, and Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

grpc = pytest.importorskip("grpc", reason="the `net` extra (grpcio) is not installed")

import rerender as rr  # noqa: E402
from rerender.net import UrlError, parse_proxy_url  # noqa: E402
from rerender.net.client import ProxyClient  # noqa: E402
from rerender.net.protos import sdk_comms_pb2, sdk_comms_pb2_grpc  # noqa: E402
from rerender.net.server import SERVICE, ServeError, start_server  # noqa: E402
from rerender.rrd import StoreKind, read_frames  # noqa: E402
from rerender.sdk.sinks import ConnectionWarning  # noqa: E402

REPO = Path(__file__).parent.parent
CLIENT = Path(__file__).parent / "scripts" / "stream_client.py"
# Deterministic chunking: rows are batched by count and size, never by a timer.
ENV = {**os.environ, "RERUN_FLUSH_TICK_SECS": "1000", "RERUN_ANALYTICS": "0"}
WRITE = f"/{SERVICE}/WriteMessages"


def _client(sdk: str, target: str | Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, CLIENT, sdk, str(target), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        cwd=REPO,
    )


def _finish(proc: subprocess.Popen) -> None:
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err


def _wait_holding(proc: subprocess.Popen) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "holding", proc.stderr.read() if proc.stderr else ""


def _wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _assert_same(rerun_cli, expected: Path, streamed: Path) -> None:
    verify = rerun_cli("rrd", "verify", streamed)
    assert verify.returncode == 0, verify.stderr
    compare = rerun_cli("rrd", "compare", "--unordered", expected, streamed)
    assert compare.returncode == 0, (compare.stderr + compare.stdout)[:3000]


def _stores(path: Path) -> set[tuple[StoreKind, str]]:
    return {(f.store_id.kind, f.store_id.recording_id) for f in read_frames(path) if f.store_id is not None}


@pytest.fixture
def server(tmp_path: Path):
    finished: list[Path] = []
    handle = start_server(port=0, out_dir=tmp_path / "served", on_finished=finished.append)
    handle.finished = finished
    yield handle
    handle.stop(0.5)


@pytest.mark.interop
@pytest.mark.parametrize("sdk", ["rerender", "rerun"])
def test_streamed_recording_equals_saved_twin(sdk: str, server, tmp_path: Path, rerun_cli) -> None:
    direct = _client(sdk, tmp_path / "direct.rrd", "--id", f"twin-{sdk}")
    streamed = _client(sdk, server.url, "--id", f"twin-{sdk}")
    _finish(direct)
    _finish(streamed)
    path = tmp_path / "served" / f"live_test-twin-{sdk}.rrd"
    assert server.finished == [path]  # on_finished came once the stream ended: the file is complete
    _assert_same(rerun_cli, tmp_path / "direct.rrd", path)
    # The default blueprint travels in the same file, as rr.save puts it there.
    assert StoreKind.BLUEPRINT in {kind for kind, _ in _stores(path)}


@pytest.mark.interop
def test_twenty_clients_killed_and_garbage_affect_nobody_else(server, tmp_path: Path, rerun_cli) -> None:
    good = [(f"good{i}", "rerun" if i % 3 == 0 else "rerender") for i in range(14)]
    held = [(f"held{i}", "rerender" if i % 2 else "rerun") for i in range(5)]
    procs = {
        rid: _client(sdk, server.url, "--tee", tmp_path / f"{rid}.rrd", "--id", rid, "--seed", str(n))
        for n, (rid, sdk) in enumerate(good)
    }
    holders = [_client(sdk, server.url, "--id", rid, "--hold") for rid, sdk in held]
    # The 20th client: a raw gRPC call whose "messages" are random bytes.
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    rng = np.random.default_rng(7)
    garbage = [rng.integers(0, 256, 2000, dtype=np.uint8).tobytes() for _ in range(3)]
    with pytest.raises(grpc.RpcError) as refused:
        channel.stream_unary(WRITE)(iter(garbage), timeout=30)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    channel.close()
    for (rid, _), proc in zip(held, holders, strict=True):
        _wait_holding(proc)
        # rerun-sdk sends from a thread of its own: kill once the server has the recording's first chunks.
        _wait_for(lambda rid=rid: any(f"-{rid}." in p.name for p in server.recordings()))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    for proc in procs.values():
        _finish(proc)
    _wait_for(lambda: len(server.finished) >= len(good) + len(held))
    served = tmp_path / "served"
    for rid, _ in good:
        _assert_same(rerun_cli, tmp_path / f"{rid}.rrd", served / f"live_test-{rid}.rrd")
    for rid, _ in held:
        # A killed client's recording keeps what arrived, closed with its footer.
        path = served / f"live_test-{rid}.rrd"
        assert path in server.finished
        assert rerun_cli("rrd", "verify", path).returncode == 0
        assert (StoreKind.RECORDING, rid) in _stores(path)


def test_garbage_after_good_messages_keeps_the_file(server, tmp_path: Path) -> None:
    rec = rr.RecordingStream("garbage_after", recording_id="g1")
    memory = rec.memory_recording()
    rec.log("points", rr.Points3D([[0, 0, 0]]))
    raw = [request.SerializeToString() for request in _requests_of(memory.drain_as_bytes())]
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    with pytest.raises(grpc.RpcError) as refused:
        channel.stream_unary(WRITE)(iter([*raw, b"\xff\xff\xff garbage"]), timeout=30)
    channel.close()
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "not a Rerun 0.41 LogMsg" in refused.value.details()
    path = tmp_path / "served" / "garbage_after-g1.rrd"
    assert server.finished == [path]
    chunks = [f for f in read_frames(path) if f.kind.name == "ARROW_MSG"]
    assert len(chunks) == 2  # the recording's properties and the points


def _requests_of(rrd: bytes) -> list[sdk_comms_pb2.WriteMessagesRequest]:
    """An .rrd stream's messages as the WriteMessagesRequests an SDK would send."""
    from rerender.net.protos import log_msg_pb2

    oneof = {1: "set_store_info", 2: "arrow_msg", 3: "blueprint_activation_command"}
    out = []
    for frame in read_frames(rrd):
        if int(frame.kind) in oneof:
            inner = getattr(log_msg_pb2, type(getattr(log_msg_pb2.LogMsg(), oneof[int(frame.kind)])).__name__)
            msg = log_msg_pb2.LogMsg(**{oneof[int(frame.kind)]: inner.FromString(bytes(frame.payload))})
            out.append(sdk_comms_pb2.WriteMessagesRequest(log_msg=msg))
    return out


def test_server_going_away_warns_once_and_the_file_sink_goes_on(tmp_path: Path) -> None:
    handle = start_server(port=0, out_dir=tmp_path / "served")
    rec = rr.RecordingStream("goes_away", recording_id="ga")
    rec.set_sinks(rr.FileSink(tmp_path / "local.rrd"), rr.GrpcSink(handle.url))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for i in range(5):
            rec.set_time("frame", sequence=i)
            rec.log("points", rr.Points3D(np.full((3, 3), i, np.float32)))
        rec.flush()
        handle.stop(0.1)
        for i in range(5, 400):
            rec.set_time("frame", sequence=i)
            rec.log("points", rr.Points3D(np.full((3000, 3), i, np.float32)))
            rec.flush()
        rec.disconnect()
    lost = [w for w in caught if issubclass(w.category, ConnectionWarning)]
    assert len(lost) == 1, [str(w.message) for w in caught]
    assert handle.url in str(lost[0].message)
    rows = sum(f.chunk.num_rows for f in read_frames(tmp_path / "local.rrd") if f.kind.name == "ARROW_MSG")
    assert rows == 400 + 1  # every row, and the recording's start-time property
    assert rr.__name__  # the process goes on


def test_unreachable_server_reports_once() -> None:
    reasons: list[str] = []
    client = ProxyClient(parse_proxy_url("127.0.0.1:1"), reasons.append, connect_timeout=0.3)
    client.flush(timeout=5)
    client.close(timeout=5)
    assert len(reasons) == 1 and "no server answered at rerun+http://127.0.0.1:1/proxy" in reasons[0]


def test_serve_grpc_replays_to_a_late_reader() -> None:
    rec = rr.RecordingStream("served_here", recording_id="sh")
    url = rec.serve_grpc(grpc_port=0)
    rec.log("points", rr.Points3D([[1, 2, 3]]))
    rec.flush()
    channel = grpc.insecure_channel(parse_proxy_url(url).target)
    stub = sdk_comms_pb2_grpc.MessageProxyServiceStub(channel)
    stream = stub.ReadMessages(sdk_comms_pb2.ReadMessagesRequest(), timeout=10)
    kinds = [next(stream).log_msg.WhichOneof("msg") for _ in range(3)]
    stream.cancel()
    channel.close()
    rec.disconnect()
    assert kinds == ["set_store_info", "arrow_msg", "arrow_msg"]


def test_port_in_use_is_one_clear_error(server) -> None:
    with pytest.raises(ServeError, match=f"127.0.0.1:{server.port}: cannot listen there"):
        start_server(port=server.port, out_dir=None)


@pytest.mark.parametrize(
    ("text", "target"),
    [
        (None, "127.0.0.1:9876"),
        ("rerun+http://10.0.0.2:9000/proxy", "10.0.0.2:9000"),
        ("localhost:1234", "localhost:1234"),
        ("http://[::1]:5/proxy", "[::1]:5"),
    ],
)
def test_proxy_urls(text: str | None, target: str) -> None:
    assert parse_proxy_url(text).target == target


def test_tls_url_is_refused() -> None:
    with pytest.raises(UrlError, match=r"rerun\+https://h:1/proxy.*TLS"):
        parse_proxy_url("rerun+https://h:1/proxy")


@pytest.mark.interop
def test_serve_cli_ctrl_c_finishes_open_recordings(tmp_path: Path, rerun_cli) -> None:
    out = tmp_path / "out"
    serve = subprocess.Popen(
        [Path(sys.executable).parent / "rerender", "serve", "--port", "0", "--out", out],
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    assert serve.stderr is not None
    first = serve.stderr.readline()
    assert "listening on rerun+http://127.0.0.1:" in first, first
    url = first.split("listening on ")[1].split(",")[0]
    holder = _client("rerender", url, "--id", "open", "--hold")
    _wait_holding(holder)
    path = out / "live_test-open.rrd"
    # Readable while being written (flush() hands messages to gRPC; the server writes them soon after).
    _wait_for(lambda: path.exists() and any(f.kind.name == "ARROW_MSG" for f in read_frames(path)))
    serve.send_signal(signal.SIGINT)
    _, err = serve.communicate(timeout=60)
    holder.kill()
    holder.wait()
    assert serve.returncode == 0, err
    assert f"wrote {path}" in err
    assert rerun_cli("rrd", "verify", path).returncode == 0


def test_serve_exits_when_idle_after_its_last_client(tmp_path: Path) -> None:
    """What `rr.spawn()` starts without a display: it goes away on its own once nobody streams."""
    out = tmp_path / "out"
    command = [Path(sys.executable).parent / "rerender", "serve", "--port", "0", "--out", out]
    serve = subprocess.Popen(
        [*command, "--exit-when-idle", "2"],
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    assert serve.stderr is not None
    url = serve.stderr.readline().split("listening on ")[1].split(",")[0]
    client = _client("rerender", url, "--id", "idle")
    assert client.wait(timeout=60) == 0
    _, err = serve.communicate(timeout=60)
    assert serve.returncode == 0, err
    assert "no client for 2 s: exiting" in err
    assert (out / "live_test-idle.rrd").exists()
