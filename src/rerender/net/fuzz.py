"""A fuzz target for the proxy server's message decoding: one client stream whose messages are a sample
recording's, one or more of them damaged (mutations from `rrd/fuzz.py`).

The contract checked: each request is recorded or refused with DecodeError/ValueError (what ends the
stream with INVALID_ARGUMENT), nothing else escapes, and the files written up to the refusal read back
without a warning or an error.
"""

from __future__ import annotations

import io
import random
import shutil
import tempfile
import time
import traceback
import warnings
from collections.abc import Sequence
from pathlib import Path

from google.protobuf.message import DecodeError

from ..rrd import MessageKind, RrdReader
from ..rrd.fuzz import Verdict, mutate
from .protos import log_msg_pb2, sdk_comms_pb2
from .recorder import FileNames, StreamRecorder
from .server import handle_request

_ONEOF = {
    MessageKind.SET_STORE_INFO: ("set_store_info", log_msg_pb2.SetStoreInfo),
    MessageKind.ARROW_MSG: ("arrow_msg", log_msg_pb2.ArrowMsg),
    MessageKind.BLUEPRINT_ACTIVATION: (
        "blueprint_activation_command",
        log_msg_pb2.BlueprintActivationCommand,
    ),
}


def requests_of(rrd: bytes) -> list[bytes]:
    """An .rrd file's messages as the serialized WriteMessagesRequests an SDK would stream."""
    out = []
    with RrdReader(io.BytesIO(rrd)) as reader:
        for frame in reader:
            if frame.kind in _ONEOF:
                name, cls = _ONEOF[frame.kind]
                msg = log_msg_pb2.LogMsg(**{name: cls.FromString(bytes(frame.payload))})
                out.append(sdk_comms_pb2.WriteMessagesRequest(log_msg=msg).SerializeToString())
    return out


def mutate_stream(requests: Sequence[bytes], corpus: Sequence[bytes], rng: random.Random) -> list[bytes]:
    """`requests` with one to three of them mutated (and, sometimes, the stream cut after one)."""
    out = list(requests)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(out))
        out[i] = mutate(out[i], corpus, rng)
    if rng.random() < 0.2:
        out = out[: rng.randint(1, len(out))]
    return out


def check_stream(requests: Sequence[bytes], out_dir: Path | None = None) -> Verdict:
    """Feed one stream through the server's per-request handling into a scratch folder; check the files."""
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="fuzz-serve-", dir=out_dir))
    outcome = "ok"
    try:
        recorder = StreamRecorder(FileNames(scratch))
        try:
            for raw in requests:
                try:
                    handle_request(raw, recorder)
                except (DecodeError, ValueError):
                    outcome = "refused"
                    break
        finally:
            finished = recorder.close()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for done in finished:
                with RrdReader(done.path) as reader:
                    for frame in reader:
                        if frame.kind == MessageKind.ARROW_MSG:
                            frame.chunk  # noqa: B018 (decoding is the point)
        if caught:
            return Verdict("crash", time.perf_counter() - started, f"written file warns: {caught[0].message}")
    except BaseException as e:  # anything else breaks the contract, RrdError included
        if isinstance(e, KeyboardInterrupt):
            raise
        return Verdict("crash", time.perf_counter() - started, "".join(traceback.format_exception(e)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Verdict(outcome, time.perf_counter() - started)
