"""Video and audio: `AssetVideo`, `VideoFrameReference`, `VideoStream` and `AssetAudio`."""

from __future__ import annotations

import pathlib
import warnings
from typing import Any

import numpy as np
import pyarrow as pa

from .. import components as c
from .. import components_media as cb
from ..batch import Archetype, Field
from ..columns import ComponentColumnList
from ..datatypes import MediaType
from ..enums import VideoCodec
from ..recording import RerenderWarning, is_strict_mode


class _Asset(Archetype):
    """A media file logged whole: its bytes and media type (guessed from a path's extension)."""

    _FIELDS = (Field("blob", "Blob", cb.blobs), Field("media_type", "MediaType", c.utf8s))

    def _set_asset(self, path: str | pathlib.Path | None, contents: Any, media_type: Any) -> None:
        if (path is None) == (contents is None):
            self._fail("path", "and contents were both given or both missing; expected exactly one of them")
        argument = "contents"
        if path is not None:
            try:
                contents = pathlib.Path(path).read_bytes()
            except OSError as err:
                self._fail("path", f"could not be read: {err}")
            argument = "path"
            if media_type is None:
                media_type = MediaType.guess_from_path(path)
        self._set_field("blob", contents, argument=argument)
        self._set_field("media_type", media_type)


class AssetVideo(_Asset):
    """A video file (e.g. MP4), from a path or its bytes; frames are shown with `VideoFrameReference`.

    rerun-sdk's `read_frame_timestamps_nanos()` (which needs a video demuxer) is not provided.
    """

    def __init__(
        self,
        *,
        path: str | pathlib.Path | None = None,
        contents: Any = None,
        media_type: str | None = None,
    ) -> None:
        super().__init__()
        self._set_asset(path, contents, media_type)


class AssetAudio(_Asset):
    """An audio file (AAC, FLAC, MP3, OGG, WAV...), from a path or its bytes."""

    def __init__(
        self,
        *,
        path: str | pathlib.Path | None = None,
        contents: Any = None,
        media_type: str | None = None,
    ) -> None:
        super().__init__()
        self._set_asset(path, contents, media_type)


class VideoFrameReference(Archetype):
    """The frame of a video (an `AssetVideo`, here or at `video_reference`) to show at this time."""

    _FIELDS = (
        Field("timestamp", "VideoTimestamp", cb.video_timestamps),
        Field("video_reference", "EntityPath", c.utf8s),
        Field("opacity", "Opacity", c.float32s),
        Field("draw_order", "DrawOrder", c.float32s),
    )

    def __init__(
        self,
        timestamp: Any = None,
        *,
        seconds: float | None = None,
        nanoseconds: int | None = None,
        video_reference: Any = None,
        opacity: Any = None,
        draw_order: Any = None,
    ) -> None:
        super().__init__()
        argument = "timestamp"
        if timestamp is None:
            if seconds is None and nanoseconds is None:
                self._fail("timestamp", "is missing; expected timestamp, seconds or nanoseconds")
            if seconds is not None and nanoseconds is not None:
                self._fail("seconds", "was given together with nanoseconds; expected only one of them")
            if seconds is not None:
                timestamp, argument = int(seconds * 1e9 + 0.5), "seconds"
            else:
                timestamp, argument = int(nanoseconds), "nanoseconds"  # type: ignore[arg-type]
        elif seconds is not None or nanoseconds is not None:
            self._fail("timestamp", "was given together with seconds/nanoseconds; expected only one of them")
        elif isinstance(timestamp, float):
            if is_strict_mode():
                self._fail("timestamp", "is a float; use seconds= for seconds, timestamp= takes nanoseconds")
            warnings.warn(
                "VideoFrameReference: timestamp can't be specified as a float, use `seconds` instead",
                RerenderWarning,
                stacklevel=3,
            )
        self._set_field("timestamp", timestamp, argument=argument)
        self._set_field("video_reference", video_reference)
        self._set_field("opacity", opacity)
        self._set_field("draw_order", draw_order)

    @classmethod
    def columns_secs(cls, seconds: Any) -> ComponentColumnList:
        """`columns(timestamp=...)` from seconds since the video start (truncated to whole seconds first,
        as rerun-sdk does)."""
        return cls.columns(timestamp=np.asarray(seconds, dtype=np.int64) * 1_000_000_000)

    @classmethod
    def columns_millis(cls, milliseconds: Any) -> ComponentColumnList:
        """`columns(timestamp=...)` from milliseconds since the video start (whole milliseconds)."""
        return cls.columns(timestamp=np.asarray(milliseconds, dtype=np.int64) * 1_000_000)

    @classmethod
    def columns_nanos(cls, nanoseconds: Any) -> ComponentColumnList:
        """`columns(timestamp=...)` from nanoseconds since the video start."""
        return cls.columns(timestamp=np.asarray(nanoseconds, dtype=np.int64))


class VideoStream(Archetype):
    """A video as a stream of encoded samples (one per log call, e.g. H.264 access units) and its codec."""

    _FIELDS = (
        Field("codec", "VideoCodec", cb.enum_codes, VideoCodec, pa.uint32()),
        Field("sample", "VideoSample", cb.blobs),
        Field("is_keyframe", "IsKeyframe", c.bools),
        Field("opacity", "Opacity", c.float32s),
        Field("draw_order", "DrawOrder", c.float32s),
    )

    def __init__(
        self,
        codec: VideoCodec | str | int,
        *,
        sample: Any = None,
        is_keyframe: Any = None,
        opacity: Any = None,
        draw_order: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("codec", codec)
        self._set_field("sample", sample)
        self._set_field("is_keyframe", is_keyframe)
        self._set_field("opacity", opacity)
        self._set_field("draw_order", draw_order)
