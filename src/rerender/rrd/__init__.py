"""The RRD format: read and write Rerun 0.41 recordings (and read 0.23-0.40 ones)."""

from .chunk import Chunk, ComponentDescriptor, TimeKind, Timeline
from .errors import (
    CorruptMessageError,
    NotAnRrdError,
    RrdError,
    RrdWarning,
    TruncatedError,
    UnsupportedVersionError,
)
from .manifest import Manifest, decode_manifest
from .messages import (
    ArrowMsg,
    BlueprintActivationCommand,
    Compression,
    MessageKind,
    RrdFooter,
    StoreId,
    StoreInfo,
    StoreKind,
    StoreSource,
    Version,
)
from .reader import Frame, RrdReader, read_chunks, read_frames
from .tuid import Tuid, TuidGenerator
from .writer import RrdWriter

__all__ = [
    "ArrowMsg",
    "BlueprintActivationCommand",
    "Chunk",
    "ComponentDescriptor",
    "Compression",
    "CorruptMessageError",
    "Frame",
    "Manifest",
    "MessageKind",
    "NotAnRrdError",
    "RrdError",
    "RrdFooter",
    "RrdReader",
    "RrdWarning",
    "RrdWriter",
    "StoreId",
    "StoreInfo",
    "StoreKind",
    "StoreSource",
    "TimeKind",
    "Timeline",
    "TruncatedError",
    "Tuid",
    "TuidGenerator",
    "UnsupportedVersionError",
    "Version",
    "decode_manifest",
    "read_chunks",
    "read_frames",
]
