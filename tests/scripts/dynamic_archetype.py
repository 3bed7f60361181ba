"""Custom archetypes and components: `DynamicArchetype`, `AnyBatchValue`, `AnyValues` builders,
`DescribedComponentBatch` and a user-defined `AsComponents`, under rerun-sdk 0.41 or under rerender.

Usage:  python dynamic_archetype.py OUT.rrd rerun|rerender
"""

import importlib
import sys

import numpy as np
import pyarrow as pa

out, sdk = sys.argv[1], sys.argv[2]
rr = importlib.import_module("rerun" if sdk == "rerun" else "rerender")

rr.init("dynamic_archetype", recording_id="fixed")
rr.save(out)


class Confidences:
    """A user-defined loggable in rerun-sdk's protocol: component_descriptor() and as_arrow_array()."""

    class Batch:
        def __init__(self, values: list[float]) -> None:
            self.values = values

        def component_descriptor(self):
            return rr.ComponentDescriptor("user.Points:confidence", "user.Points", "user.Confidence")

        def as_arrow_array(self) -> pa.Array:
            return pa.array(self.values, type=pa.float32())

    def __init__(self, positions: list, confidences: list[float]) -> None:
        self.points = rr.Points3D(positions)
        self.confidences = Confidences.Batch(confidences)

    def as_component_batches(self) -> list:
        return [*self.points.as_component_batches(), self.confidences]


rr.set_time("frame", sequence=0)
rr.log(
    "robot",
    rr.DynamicArchetype(
        "my.Robot",
        components={
            "confidence": [1.2, 3.4, 5.6],
            "description": "Bla bla bla",
            "homepage": "https://www.rerun.io",
            "ids": np.arange(4, dtype=np.uint16),
            "colors": rr.components.ColorBatch([[255, 0, 0], [0, 255, 0]]),
            "flag": True,
            "pairs": [[1, 2], [3, 4]],
            "untyped": None,
            "empty": [],
        },
    )
    .with_component_from_data("extra", 42)
    .with_component_override("speed", "rerun.components.Scalar", [0.5, 1.5]),
)
rr.set_time("frame", sequence=1)
# The types of the first log stick: ints become doubles, a None clears with an empty double array.
rr.log("robot", rr.DynamicArchetype("my.Robot", components={"confidence": [7, 8], "extra": None}))
rr.log("builtin", rr.DynamicArchetype("rerun.archetypes.Custom", components={"value": 1.5}))
rr.log(
    "values",
    rr.AnyValues(answer=42, label="hello")
    .with_component_from_data("more", [1.0, 2.0])
    .with_component_override("score", "rerun.components.Scalar", 0.25),
)
rr.log(
    "loose",
    [
        rr.AnyBatchValue("loose_value", [1, 2, 3]),
        rr.AnyBatchValue(rr.ComponentDescriptor("tagged", "my.Loose", "my.Type"), "text"),
        rr.DescribedComponentBatch(
            rr.components.ColorBatch([[1, 2, 3]]), rr.ComponentDescriptor("MyColors:colors", "MyColors")
        ),
    ],
)
rr.log("custom", Confidences([[0, 0, 0], [1, 1, 1]], [0.3, 0.9]))
rr.send_columns(
    "columns",
    indexes=[rr.TimeColumn("frame", sequence=[10, 11, 12])],
    columns=[
        *rr.DynamicArchetype.columns(
            "my.Series", components={"value": [1.0, 2.0, 3.0], "tags": [["a"], ["b", "c"], []]}
        ),
        *rr.AnyValues.columns(count=np.array([1, 2, 3])),
    ],
)
