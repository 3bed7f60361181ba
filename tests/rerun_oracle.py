"""Rerun's own latest-at query engine (rerun-sdk 0.41), as an oracle for the store.

Two ways to the same dataframe reader, resampled at given times with `fill_latest_at=True` (latest-at
per column: for each entity and component the most recent non-null cell at or before the time on that
timeline, static data winning):

* `Oracle(...).open(path)`: one in-process Rerun server on 127.0.0.1 per `Oracle`; each recording is
  registered into a dataset of its own (a few ms) and read with `dataset.reader(...)`.
* `open_local(path)`: `rerun.chunk.RrdReader(path).stream().collect()`, an in-process ChunkStore (the
  viewer's store) with `ChunkStore.reader(...)`, documented as data-equivalent to the server. No server.

Results are plain Python: `{entity_path: {component: value_as_pylist}}` per time, with a component left
out where Rerun has no value (a null cell) — the same shape `to_plain` gives for our `latest_at`.

Known differences from the viewer's latest-at (and ours):
* the reader treats a Clear as a point event (the cleared cells read `[]` only at the exact time of the
  clear, then the earlier value comes back), and shows `Clear:is_recursive` only as a tombstone column;
* the server's reader, when static data shadows every temporal cell, returns no rows or rows with a null
  index (handled here: the static data is the answer at every time);
* the server picks the wrong static row when one entity's static rows sit in chunks with interleaved
  row ids (rows 1+3 in one chunk, row 2 in another: it answers row 2); the local reader answers row 3.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

# {entity_path: {component identifier: instances as a Python list}}
Plain = dict[str, dict[str, list[Any]]]


def to_plain(result: dict) -> Plain:
    """Our `LatestAtResult` as plain Python, comparable with the oracle's answers."""
    return {
        entity: {name: value.values.to_pylist() for name, value in components.items()}
        for entity, components in result.items()
        if components
    }


class Oracle:
    """A Rerun server for the duration of a test module; see the module docstring."""

    def __init__(self) -> None:
        import rerun as rr

        self._server = rr.server.Server(host="127.0.0.1", port=0)
        self._client = self._server.client()
        self._names = itertools.count()

    def close(self) -> None:
        if self._server.is_running():
            self._server.shutdown()

    def __enter__(self) -> Oracle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self, path: str | Path) -> OracleRecording:
        """Register one .rrd (its first recording) in a fresh dataset on the server."""
        dataset = self._client.create_dataset(f"recording_{next(self._names)}")
        result = dataset.register([Path(path).resolve().as_uri()]).wait()
        (segment_id,) = result.segment_ids
        return ServerRecording(dataset, segment_id)


def open_local(path: str | Path) -> OracleRecording:
    """The same reader over an in-process `rerun.chunk.ChunkStore` (the viewer's store), no server."""
    return LocalRecording(path)


class OracleRecording:
    """One recording as Rerun's dataframe reader sees it."""

    recording_id: str

    def _reader(self, index: str | None, **kwargs: Any) -> Any:
        raise NotImplementedError

    def timelines(self) -> dict[str, pa.DataType]:
        """The index columns (timelines) Rerun sees, and their Arrow types."""
        schema = self._reader(None).schema()
        return {
            field.name: field.type
            for field in schema
            if (field.metadata or {}).get(b"rerun:kind") == b"index" and field.name != "rerun_segment_id"
        }

    def plain_ticks(self, timeline: str) -> list[int]:
        """The distinct times of the rows of the plain (not resampled) reader."""
        table = self._reader(timeline).to_arrow_table()
        return sorted({t for t in table.column(timeline).cast(pa.int64()).to_pylist() if t is not None})

    def latest_at(self, timeline: str, times: Iterable[int]) -> dict[int, Plain]:
        """Latest-at on `timeline` at each of `times` (raw int64: ns for duration/timestamp timelines)."""
        wanted = sorted({int(t) for t in times})
        if not wanted:
            return {}
        frame = self._reader(
            timeline, fill_latest_at=True, using_index_values=np.array(wanted, dtype=np.int64)
        )
        table = frame.to_arrow_table()
        if table.num_rows == 0 or table.column(timeline).null_count == table.num_rows:
            # When static data shadows every temporal cell of the recording, the server's reader returns
            # no rows at all, or rows with a null index (the segment's columns on this index are all
            # static); latest-at is then the static data alone, at every time.
            static = self.static()
            return {t: static for t in wanted}
        return _rows_by_time(table, timeline, wanted)

    def static(self) -> Plain:
        """The static data alone (the reader with no index)."""
        (plain,) = _plain_rows(self._reader(None).to_arrow_table()) or [{}]
        return plain


class ServerRecording(OracleRecording):
    """A recording registered on the server; its segment id is the recording id."""

    def __init__(self, dataset: Any, segment_id: str) -> None:
        from rerun.catalog import ContentFilter

        self.dataset = dataset
        self.recording_id = segment_id
        # `/__properties` is left out of every reader unless asked for.
        self._selection = dataset.filter_contents(ContentFilter.everything().include_properties())

    def _reader(self, index: str | None, **kwargs: Any) -> Any:
        if "using_index_values" in kwargs:
            kwargs["using_index_values"] = {self.recording_id: kwargs["using_index_values"]}
        return self._selection.reader(
            index=index, include_semantically_empty_columns=True, include_tombstone_columns=True, **kwargs
        )


class LocalRecording(OracleRecording):
    """A recording loaded into an in-process `rerun.chunk.ChunkStore`."""

    def __init__(self, path: str | Path) -> None:
        from rerun.catalog import ContentFilter
        from rerun.chunk import RrdReader

        reader = RrdReader(str(path))
        (entry, *_) = reader.recordings()
        self.recording_id = entry.recording_id
        self.store = reader.stream().collect()
        self._contents = ContentFilter.everything().include_properties()

    def _reader(self, index: str | None, **kwargs: Any) -> Any:
        return self.store.reader(
            index,
            contents=self._contents,
            include_semantically_empty_columns=True,
            include_tombstone_columns=True,
            **kwargs,
        )


def _data_columns(schema: pa.Schema) -> list[tuple[str, str, str]]:
    """(column name, entity path, component) of each data column."""
    columns = []
    for field in schema:
        meta = field.metadata or {}
        if meta.get(b"rerun:kind") != b"data":
            continue
        columns.append((field.name, meta[b"rerun:entity_path"].decode(), meta[b"rerun:component"].decode()))
    return columns


def _plain_rows(table: pa.Table) -> list[Plain]:
    rows: list[Plain] = [{} for _ in range(table.num_rows)]
    for name, entity, component in _data_columns(table.schema):
        for row, cell in zip(rows, table.column(name).to_pylist(), strict=True):
            if cell is not None:
                row.setdefault(entity, {})[component] = cell
    return rows


def _rows_by_time(table: pa.Table, timeline: str, wanted: Sequence[int]) -> dict[int, Plain]:
    index = table.column(timeline)
    if not pa.types.is_integer(index.type):
        index = index.cast(pa.int64())
    times = index.to_pylist()
    rows = _plain_rows(table)
    by_time = dict(zip(times, rows, strict=True))
    missing = [t for t in wanted if t not in by_time]
    assert not missing, f"the Rerun reader returned no row for {timeline} at {missing}"
    assert len(times) == len(wanted), f"the Rerun reader returned {len(times)} rows for {len(wanted)} times"
    return {t: by_time[t] for t in wanted}
