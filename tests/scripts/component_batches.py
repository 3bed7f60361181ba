"""Log component batches directly (`described`, `partition`), under rerun-sdk 0.41 or under rerender.

Usage:  python component_batches.py OUT.rrd rerun|rerender
"""

import importlib
import sys

import numpy as np

out, sdk = sys.argv[1], sys.argv[2]
rr = importlib.import_module("rerun" if sdk == "rerun" else "rerender")
if sdk == "rerun":
    Descriptor = rr.ComponentDescriptor
else:
    from rerender.rrd import ComponentDescriptor as Descriptor

C = rr.components


def field(archetype: str, name: str, component: str):
    """The descriptor of one archetype field, as rerun's archetypes name it."""
    return Descriptor(
        f"{archetype}:{name}", archetype=f"rerun.archetypes.{archetype}", component_type=component
    )


rr.init("component_batches", recording_id="fixed")
rr.save(out)
rr.set_time("frame", sequence=0)
rr.log(
    "points",
    [
        C.Position3DBatch([[1, 2, 3], [4, 5, 6]]).described(
            Descriptor(
                "Points3D:positions",
                archetype="rerun.archetypes.Points3D",
                component_type="rerun.components.Position3D",
            )
        ),
        C.ColorBatch([[255, 0, 0], [0, 255, 0]]).described(
            Descriptor(
                "Points3D:colors",
                archetype="rerun.archetypes.Points3D",
                component_type="rerun.components.Color",
            )
        ),
        C.TextBatch(["a", "b"]).described(Descriptor("my_text", component_type="rerun.components.Text")),
    ],
)
rr.log("custom", [C.ScalarBatch(np.array([1.5])).described(Descriptor("value"))], static=True)
rr.send_columns(
    "columns",
    indexes=[rr.TimeColumn("frame", sequence=[1, 2, 3])],
    columns=[
        C.ColorBatch([0xFF0000FF, 0x00FF00FF, 0x0000FFFF]).partition(),
        C.Position2DBatch(np.arange(12).reshape(6, 2)).partition([2, 2, 2]),
        C.RadiusBatch([1.0, 2.0, 3.0])
        .described(
            Descriptor(
                "Points2D:radii",
                archetype="rerun.archetypes.Points2D",
                component_type="rerun.components.Radius",
            )
        )
        .partition(),
    ],
)
