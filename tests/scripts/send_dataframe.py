"""Arrow data in Rerun's dataframe layout with `send_record_batch`/`send_dataframe`, and chunks read back
from a recording with `send_chunks`, under rerun-sdk 0.41 or under rerender.

Usage:  python send_dataframe.py OUT.rrd rerun|rerender SOURCE.rrd chunks|batches

SOURCE.rrd is read with each SDK's own reader (rerun's `rerun.chunk.RrdReader`, rerender's
`rerender.rrd.read_chunks`); its chunks are sent whole with `send_chunks` or as record batches.
"""

import importlib
import sys

import numpy as np
import pyarrow as pa

out, sdk, source, mode = sys.argv[1:5]
rr = importlib.import_module("rerun" if sdk == "rerun" else "rerender")

rr.init("send_dataframe", recording_id="fixed")
rr.save(out)


def field(name: str, dtype: pa.DataType, **meta: str) -> pa.Field:
    return pa.field(name, dtype, metadata={f"rerun:{k}": v for k, v in meta.items()} or None)


# A query-result shaped batch: index columns and component columns described by metadata.
schema = pa.schema(
    [
        field("frame", pa.int64(), kind="index", index_name="frame"),
        field("time", pa.timestamp("ns"), kind="index", index_name="wall_time"),
        field(
            "/points:Points3D:positions",
            pa.list_(pa.list_(pa.float32(), 3)),
            kind="data",
            entity_path="/points",
            archetype="rerun.archetypes.Points3D",
            component="Points3D:positions",
            component_type="rerun.components.Position3D",
        ),
        field(
            "/points:Points3D:radii",
            pa.list_(pa.float32()),
            entity_path="/points",
            component="Points3D:radii",
        ),
        field("/scalars:value", pa.float64()),
        field("label", pa.utf8()),
    ]
)
positions = pa.array(
    [[[0, 0, 0]], [[1, 1, 1], [2, 2, 2]], None, [[3, 3, 3]]], type=pa.list_(pa.list_(pa.float32(), 3))
)
batch = pa.RecordBatch.from_arrays(
    [
        pa.array([0, 1, 2, 3]),
        pa.array(np.arange(4) * 1_000_000_000 + 1_700_000_000_000_000_000, type=pa.timestamp("ns")),
        positions,
        pa.array([[0.5], None, [], [1.0]], type=pa.list_(pa.float32())),
        pa.array([1.0, None, 3.0, 4.0]),
        pa.array(["a", "b", None, "d"]),
    ],
    schema=schema,
)
rr.send_record_batch(batch, entity_path="default/entity")

# Plain columns: the timelines are named, static data has none.
plain = pa.table(
    {
        "step": pa.array([5, 3, 4]),
        "sim": pa.array([10, 20, 30], type=pa.duration("ns")),
        "speed": pa.array([0.1, 0.2, 0.3], type=pa.float32()),
        "/car/wheel:angle": pa.array([1, 2, 3], type=pa.int16()),
    }
)
rr.send_dataframe(plain, index=["step", "sim"], entity_path="car")
rr.send_dataframe(pa.Table.from_batches(plain.to_batches(max_chunksize=1)), index="step", entity_path="split")
rr.send_dataframe(plain.select(["speed"]).to_reader(), index=None, entity_path="static_speed")

# Chunks of another recording: whole, or as record batches (identified: kept whole; without their chunk id:
# re-read with fresh ids, here under another entity path).
if sdk == "rerun":
    chunks = list(rr.chunk.RrdReader(source).stream())
    batches = [c.to_record_batch() for c in chunks]
else:
    from rerender.rrd import StoreKind, read_chunks

    chunks = [c for store, c in read_chunks(source) if store.kind == StoreKind.RECORDING]
    batches = [c.batch for c in chunks]
if mode == "chunks":
    rr.send_chunks(chunks)
else:
    for b in batches:
        rr.send_record_batch(b)
for b in batches:
    meta = dict(b.schema.metadata)
    del meta[b"rerun:id"]
    meta[b"rerun:entity_path"] = b"/copy" + meta[b"rerun:entity_path"]
    temporal = any((f.metadata or {}).get(b"rerun:kind") == b"index" for f in b.schema)
    rr.send_record_batch(b.replace_schema_metadata(meta), **({} if temporal else {"index": None}))
