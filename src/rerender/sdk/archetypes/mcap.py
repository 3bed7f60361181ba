"""MCAP metadata: `McapChannel`, `McapMessage`, `McapSchema` and `McapStatistics`."""

from __future__ import annotations

from typing import Any

from .. import components as c
from .. import components_mcap as cd
from .. import components_media as cb
from ..batch import Archetype, Field


class McapChannel(Archetype):
    """An MCAP channel: its id, topic, message encoding and optional metadata."""

    _FIELDS = (
        Field("id", "ChannelId", c.u16s),
        Field("topic", "Text", c.utf8s),
        Field("message_encoding", "Text", c.utf8s),
        Field("metadata", "KeyValuePairs", cd.key_value_pairs),
    )

    def __init__(
        self,
        *,
        id: Any,
        topic: Any,
        message_encoding: Any,
        metadata: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("id", id)
        self._set_field("topic", topic)
        self._set_field("message_encoding", message_encoding)
        self._set_field("metadata", metadata)


class McapMessage(Archetype):
    """One raw MCAP message payload, encoded as its channel's `message_encoding` says."""

    _FIELDS = (Field("data", "Blob", cb.blobs),)

    def __init__(self, data: Any) -> None:
        super().__init__()
        self._set_field("data", data)


class McapSchema(Archetype):
    """An MCAP schema: its id, name, encoding and the schema definition bytes."""

    _FIELDS = (
        Field("id", "SchemaId", c.u16s),
        Field("name", "Text", c.utf8s),
        Field("encoding", "Text", c.utf8s),
        Field("data", "Blob", cb.blobs),
    )

    def __init__(
        self,
        *,
        id: Any,
        name: Any,
        encoding: Any,
        data: Any,
    ) -> None:
        super().__init__()
        self._set_field("id", id)
        self._set_field("name", name)
        self._set_field("encoding", encoding)
        self._set_field("data", data)


class McapStatistics(Archetype):
    """Summary statistics of an MCAP file: record counts and the time range of its messages.

    As rerun-sdk 0.41, `channel_message_counts` is only kept when given as a pyarrow array of the component's
    type; any other value is logged as an empty component, with a warning (an error in strict mode).
    """

    _FIELDS = (
        Field("message_count", "Count", c.u64s),
        Field("schema_count", "Count", c.u64s),
        Field("channel_count", "Count", c.u64s),
        Field("attachment_count", "Count", c.u64s),
        Field("metadata_count", "Count", c.u64s),
        Field("chunk_count", "Count", c.u64s),
        Field("message_start_time", "Timestamp", c.int64s),
        Field("message_end_time", "Timestamp", c.int64s),
        Field("channel_message_counts", "ChannelMessageCounts", cd.channel_message_counts),
    )

    def __init__(
        self,
        *,
        message_count: Any,
        schema_count: Any,
        channel_count: Any,
        attachment_count: Any,
        metadata_count: Any,
        chunk_count: Any,
        message_start_time: Any,
        message_end_time: Any,
        channel_message_counts: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("message_count", message_count)
        self._set_field("schema_count", schema_count)
        self._set_field("channel_count", channel_count)
        self._set_field("attachment_count", attachment_count)
        self._set_field("metadata_count", metadata_count)
        self._set_field("chunk_count", chunk_count)
        self._set_field("message_start_time", message_start_time)
        self._set_field("message_end_time", message_end_time)
        self._set_field("channel_message_counts", channel_message_counts)
