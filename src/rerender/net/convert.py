"""rerender's RRD message values <-> the proxy's generated `LogMsg` classes.

The two share one wire layout (the LogMsg oneof numbers are the RRD message kinds), so a message moves
between them as its protobuf bytes; only a chunk's payload is handed over directly, to copy it once.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..rrd import ArrowMsg, BlueprintActivationCommand, Chunk, MessageKind, StoreId, StoreInfo
from ..rrd.codec import encode_chunk
from .protos import common_pb2, log_msg_pb2

# The LogMsg oneof field of each RRD message kind.
ONEOF_KIND = {
    "set_store_info": MessageKind.SET_STORE_INFO,
    "arrow_msg": MessageKind.ARROW_MSG,
    "blueprint_activation_command": MessageKind.BLUEPRINT_ACTIVATION,
}


@dataclass(frozen=True)
class RrdMessage:
    """One LogMsg as an RRD message: its kind, its payload bytes as an .rrd file holds them, and the
    store it belongs to."""

    kind: MessageKind
    payload: bytes
    store_id: StoreId


def from_log_msg(msg: log_msg_pb2.LogMsg) -> RrdMessage:
    """The RRD message a LogMsg carries; ValueError for an empty LogMsg or an undecodable store id."""
    which = msg.WhichOneof("msg")
    if which is None:
        raise ValueError("a LogMsg with none of set_store_info, arrow_msg, blueprint_activation_command")
    kind = ONEOF_KIND[which]
    inner = getattr(msg, which)
    if kind == MessageKind.SET_STORE_INFO:
        store = inner.info.store_id
    elif kind == MessageKind.ARROW_MSG:
        store = inner.store_id
    else:
        store = inner.blueprint_id
    store_id = StoreId.decode(store.SerializeToString())
    if not store_id.recording_id:
        raise ValueError(f"{which} without a store id (recording_id is empty)")
    return RrdMessage(kind, inner.SerializeToString(), store_id)


def store_info_msg(info: StoreInfo) -> log_msg_pb2.LogMsg:
    """A SetStoreInfo as a LogMsg."""
    return log_msg_pb2.LogMsg(set_store_info=log_msg_pb2.SetStoreInfo.FromString(info.encode()))


def chunk_msg(store_id: StoreId, chunk: Chunk) -> log_msg_pb2.LogMsg:
    """A chunk, encoded as a file would hold it (LZ4 Arrow IPC), as a LogMsg."""
    return arrow_msg(encode_chunk(store_id, chunk))


def arrow_msg(msg: ArrowMsg) -> log_msg_pb2.LogMsg:
    """An encoded ArrowMsg as a LogMsg."""
    pb = log_msg_pb2.ArrowMsg(
        store_id=common_pb2.StoreId.FromString(msg.store_id.encode()),
        compression=int(msg.compression),
        uncompressed_size=msg.uncompressed_size,
        encoding=msg.encoding,
        payload=bytes(msg.payload),
    )
    if msg.chunk_id is not None:
        pb.chunk_id.time_ns = msg.chunk_id.time_ns
        pb.chunk_id.inc = msg.chunk_id.inc
    if msg.is_static is not None:
        pb.is_static = msg.is_static
    return log_msg_pb2.LogMsg(arrow_msg=pb)


def activation_msg(command: BlueprintActivationCommand) -> log_msg_pb2.LogMsg:
    """A BlueprintActivationCommand as a LogMsg."""
    return log_msg_pb2.LogMsg(
        blueprint_activation_command=log_msg_pb2.BlueprintActivationCommand.FromString(command.encode())
    )
