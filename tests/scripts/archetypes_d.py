"""Log every state, grid/volume and MCAP archetype, under rerun-sdk 0.41 or under rerender.

Usage:  python archetypes_d.py OUT.rrd rerun|rerender

The archetypes come from each SDK's top level; rerender takes the grid format as a dict (it has no
ImageFormat class yet).
"""

import importlib
import sys
from types import SimpleNamespace

import numpy as np
import pyarrow as pa

out, sdk = sys.argv[1], sys.argv[2]
NAMES = {
    "states": ["StateChange", "StateConfiguration"],
    "volumes": ["GridMap", "VoxelGridMap", "Volume3D"],
    "mcap": ["McapChannel", "McapMessage", "McapSchema", "McapStatistics"],
}
rr = importlib.import_module("rerun" if sdk == "rerun" else "rerender")
if sdk == "rerun":
    A = SimpleNamespace(**{name: getattr(rr, name) for names in NAMES.values() for name in names})
    grid_format = rr.components.ImageFormat(width=3, height=2, color_model="L", channel_datatype="U8")
else:
    A = SimpleNamespace(**{name: getattr(rr, name) for names in NAMES.values() for name in names})
    grid_format = {"width": 3, "height": 2, "color_model": "L", "channel_datatype": "U8"}

COUNTS = pa.list_(
    pa.field(
        "item",
        pa.struct(
            [
                pa.field("channel_id", pa.uint16(), nullable=False),
                pa.field("message_count", pa.uint64(), nullable=False),
            ]
        ),
        nullable=False,
    )
)

rr.init("rerun_example_archetypes_d", recording_id="archetypes-d")
rr.save(out)

rr.log(
    "door",
    A.StateConfiguration(
        values=["open", "closed"],
        labels=["Open", "Closed"],
        colors=[0x4CAF50FF, 0xEF5350FF],
        visible=[True, False],
    ),
    static=True,
)
for step, state in enumerate(["open", "closed", "", "open"]):
    rr.set_time("step", sequence=step)
    rr.log("door", A.StateChange(state=state))
    rr.log("lanes", A.StateChange(state=[state, "x"]))
    rr.log(
        "grid",
        A.GridMap(
            data=np.arange(6, dtype=np.uint8).tobytes(),
            format=grid_format,
            cell_size=0.5,
            translation=[step, 0, 0],
            rotation_axis_angle=rr.RotationAxisAngle(axis=[0, 0, 1], radians=0.25),
            opacity=0.8,
            draw_order=1,
            colormap="Viridis",
        ),
    )
    rr.log(
        "voxels",
        A.VoxelGridMap(
            [[0, 0, 0], [1, 2, 3], [step, step, step]],
            [0.1, 0.1, 0.1],
            values=[0.0, 0.5, 1.0],
            colors=[[255, 0, 0], [0, 255, 0], [0, 0, 255]],
            quaternion=[0, 0, 0, 1],
            value_range=[0, 1],
            colormap="turbo",
        ),
    )
    rr.log(
        "volume",
        A.Volume3D(
            np.full((2, 3, 4), step, dtype=np.float32),
            voxel_size=[1, 1, 2],
            translation=[0, 1, 0],
            gamma=2.2,
            optical_density=0.3,
            value_range=[0, 4],
        ),
    )
    rr.log("mcap/message", A.McapMessage(bytes([step, 1, 2])))

rr.log(
    "mcap/channel",
    A.McapChannel(id=1, topic="/camera", message_encoding="cdr", metadata={"k": "v"}),
    static=True,
)
rr.log(
    "mcap/schema",
    A.McapSchema(id=2, name="sensor_msgs/Image", encoding="ros2msg", data=b"uint32 height"),
    static=True,
)
rr.log(
    "mcap/stats",
    A.McapStatistics(
        message_count=4,
        schema_count=1,
        channel_count=1,
        attachment_count=0,
        metadata_count=0,
        chunk_count=1,
        message_start_time=0,
        message_end_time=3_000_000_000,
        channel_message_counts=pa.array([[{"channel_id": 1, "message_count": 4}]], type=COUNTS),
    ),
    static=True,
)
rr.set_time("step", sequence=10)
for name, path in [
    ("StateChange", "door"),
    ("GridMap", "grid"),
    ("VoxelGridMap", "voxels"),
    ("Volume3D", "volume"),
]:
    rr.log(path, getattr(A, name).cleared())
rr.send_columns(
    "lanes",
    indexes=[rr.TimeColumn("step", sequence=[20, 21])],
    columns=A.StateChange.columns(state=["a", "b"]),
)
rr.disconnect() if hasattr(rr, "disconnect") else None
