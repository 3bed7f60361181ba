"""Graphs: `GraphNodes` and the `GraphEdges` between them."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from .. import components as c
from .. import components_media as cb
from ..batch import Archetype, Field
from ..enums import GraphType


class GraphNodes(Archetype):
    """The nodes of a graph, by id, with optional positions, colors, labels and radii."""

    _INSTANCES_FROM = ("node_ids",)

    _FIELDS = (
        Field("node_ids", "GraphNode", c.utf8s),
        Field("positions", "Position2D", c.vectors, 2),
        Field("colors", "Color", c.colors),
        Field("labels", "Text", c.utf8s),
        Field("show_labels", "ShowLabels", c.bools),
        Field("radii", "Radius", c.float32s),
    )

    def __init__(
        self,
        node_ids: Any,
        *,
        positions: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        radii: Any = None,
    ) -> None:
        super().__init__()
        self._set_field("node_ids", node_ids)
        self._set_field("positions", positions)
        self._set_field("colors", colors)
        self._set_field("labels", labels)
        self._set_field("show_labels", show_labels)
        self._set_field("radii", radii)


class GraphEdges(Archetype):
    """The edges of a graph, as (first, second) pairs of node ids; undirected unless `graph_type` says so."""

    _INSTANCES_FROM = ("edges",)

    _FIELDS = (
        Field("edges", "GraphEdge", cb.utf8_pairs),
        Field("graph_type", "GraphType", cb.enum_codes, GraphType, pa.uint8()),
    )

    def __init__(self, edges: Any, *, graph_type: GraphType | str | int | None = None) -> None:
        super().__init__()
        self._set_field("edges", edges)
        self._set_field("graph_type", graph_type)
