"""The RRD format: read and write Rerun 0.41 recordings (and read 0.23-0.40 ones)."""

from .chunk import Chunk, ComponentDescriptor, TimeKind, Timeline
from .codec import decode_chunk_at
from .errors import (
    CorruptMessageError,
    NotAnRrdError,
    RrdError,
    RrdWarning,
    TruncatedError,
    UnsupportedVersionError,
)
from .footer import FooterIndex, read_footer_index
from .manifest import Manifest, ManifestChunk, TimeSpan, decode_manifest
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
from .paths import PROPERTIES_PATH, ancestors, normalize_entity_path, parent_path
from .reader import Frame, RrdReader, read_chunks, read_frames
from .tuid import Tuid, TuidGenerator
from .writer import RrdWriter

__all__ = [
    "PROPERTIES_PATH",
    "ArrowMsg",
    "BlueprintActivationCommand",
    "Chunk",
    "ComponentDescriptor",
    "Compression",
    "CorruptMessageError",
    "FooterIndex",
    "Frame",
    "Manifest",
    "ManifestChunk",
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
    "TimeSpan",
    "Timeline",
    "TruncatedError",
    "Tuid",
    "TuidGenerator",
    "UnsupportedVersionError",
    "Version",
    "ancestors",
    "decode_chunk_at",
    "decode_manifest",
    "normalize_entity_path",
    "parent_path",
    "read_chunks",
    "read_footer_index",
    "read_frames",
]
