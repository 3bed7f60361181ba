"""`rr.send_record_batch`, `rr.send_dataframe` and `rr.send_chunks`: Arrow data in Rerun's dataframe
layout, and whole chunks, logged as they are (see `sorbet.py` for how the layout is read)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from .recording import RecordingStream, get_data_recording, warn_once
from .sorbet import AUTO_INDEX, IndexSpec, record_batches

__all__ = ["send_chunks", "send_dataframe", "send_record_batch"]


def _recording(call: str, recording: RecordingStream | None) -> RecordingStream | None:
    rec = get_data_recording(recording)
    if rec is None:
        warn_once(f"no-recording-{call}", f"rr.{call}(): no recording to log to; call rr.init(...) first")
    return rec


def send_record_batch(
    batch: pa.RecordBatch,
    recording: RecordingStream | None = None,
    *,
    index: IndexSpec = AUTO_INDEX,
    entity_path: str | None = None,
) -> None:
    """Log a pyarrow RecordBatch in Rerun's dataframe layout: one chunk per entity it describes.

    `index` names the timeline columns (int64 sequence, timestamp[ns] or duration[ns]); by default
    they are the columns whose metadata marks them as indexes (`rerun:kind=index`), and `index=None`
    logs static data. `entity_path` is the entity of component columns that name none. Raises
    ValueError, as rerun-sdk does, for a batch it cannot read unambiguously.
    """
    if rec := _recording("send_record_batch", recording):
        rec.send_record_batch(batch, index=index, entity_path=entity_path)


def send_dataframe(
    df: Any,
    recording: RecordingStream | None = None,
    *,
    index: IndexSpec = AUTO_INDEX,
    entity_path: str | None = None,
) -> None:
    """`send_record_batch` for every batch of a pyarrow Table, RecordBatch or RecordBatchReader, or of
    any object with the Arrow C stream interface (e.g. a datafusion DataFrame)."""
    batches = record_batches(df)  # a TypeError for other inputs comes before anything is logged
    if rec := _recording("send_dataframe", recording):
        for batch in batches:
            rec.send_record_batch(batch, index=index, entity_path=entity_path)


def send_chunks(chunks: Any, *, recording: RecordingStream | None = None) -> None:
    """Write chunks into the recording as they are (their ids, timelines and components), adopting the
    recording's application and recording id: a `rerender.rrd.Chunk`, an iterable of them (e.g.
    `rerender.load(path).chunks()`), a loaded recording, or another SDK's chunks (`to_record_batch()`)."""
    if rec := _recording("send_chunks", recording):
        rec.send_chunks(chunks)
