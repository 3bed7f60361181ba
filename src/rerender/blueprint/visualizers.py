"""Visualizers for a view's per-entity overrides: `Visualizer` and `VisualizableArchetype`, as in
`rerun.blueprint.visualizers`.

rerun-sdk's entity archetypes have a `.visualizer()` method; rerender's archetypes stay plain data, so
`visualizer_of` gives their visualizer from one table instead (same visualizer types, same overrides).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Protocol, runtime_checkable

from .encodings import VisualizerComponentMapping

__all__ = ["VISUALIZER_TYPES", "VisualizableArchetype", "Visualizer", "visualizer_of"]


class Visualizer:
    """One visualizer of an entity in a view: its type, component overrides (the batches of an
    archetype's `from_fields`, say) and optional component mappings."""

    def __init__(
        self,
        visualizer_type: str,
        *,
        overrides: list[Any] | None = None,
        mappings: list[VisualizerComponentMapping] | None = None,
    ) -> None:
        # Drawn here, like a view's id: rerun-sdk draws it at the same point.
        self.id = uuid.uuid4()
        self.visualizer_type = visualizer_type
        self.overrides = overrides
        self.mappings = mappings

    def __repr__(self) -> str:
        return f"Visualizer({self.visualizer_type!r}, id={self.id})"


@runtime_checkable
class VisualizableArchetype(Protocol):
    """Anything with a `.visualizer()` giving a `Visualizer` (rerun-sdk's entity archetypes)."""

    def visualizer(self, *args: Any, **kwargs: Any) -> Visualizer: ...


# The visualizer type of each entity archetype that has one (rerun-sdk's `<Archetype>.visualizer()`).
VISUALIZER_TYPES: Mapping[str, str] = MappingProxyType(
    {
        **{
            name: name
            for name in (
                "Arrows2D",
                "Arrows3D",
                "Asset3D",
                "AssetAudio",
                "BarChart",
                "Boxes2D",
                "Boxes3D",
                "Capsules3D",
                "Cylinders3D",
                "DepthImage",
                "Ellipses2D",
                "Ellipsoids3D",
                "EncodedDepthImage",
                "EncodedImage",
                "GaussianSplats3D",
                "GeoLineStrings",
                "GeoPoints",
                "GraphEdges",
                "GraphNodes",
                "Image",
                "Mesh3D",
                "Points2D",
                "Points3D",
                "SegmentationImage",
                "SeriesLines",
                "SeriesPoints",
                "Tensor",
                "TextDocument",
                "TextLog",
                "TransformAxes3D",
                "VideoFrameReference",
                "VideoStream",
                "Volume3D",
                "VoxelGridMap",
            )
        },
        "LineStrips2D": "Lines2D",
        "LineStrips3D": "Lines3D",
        "Measurements": "MeasurementsSeries",
        "Pinhole": "Cameras",
        "StateChange": "StateVisualizer",
        "StateConfiguration": "StateVisualizer",
    }
)


def visualizer_of(
    item: Any, *, mappings: list[VisualizerComponentMapping] | None = None
) -> Visualizer | None:
    """The visualizer an override item stands for: a `Visualizer` itself, an archetype's (its set fields
    as overrides), or None for what is logged as is (`EntityBehavior`, archetypes without a visualizer)."""
    if isinstance(item, Visualizer):
        return item
    if isinstance(item, VisualizableArchetype):
        return item.visualizer()
    archetype = getattr(item, "archetype", None)
    if callable(archetype) and str(archetype()).startswith("rerun.archetypes."):
        visualizer_type = VISUALIZER_TYPES.get(item.archetype_short_name())
        if visualizer_type is not None:
            return Visualizer(visualizer_type, overrides=item.as_component_batches(), mappings=mappings)
    return None
