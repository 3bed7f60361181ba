"""Graphs: `GraphNodes` and the `GraphEdges` between them."""

from __future__ import annotations

from typing import Any, ClassVar

import pyarrow as pa

from .. import components as c
from .. import components_media as cb
from ..enums import GraphType
from ._fields import Converters, FieldArchetype


class GraphNodes(FieldArchetype):
    """The nodes of a graph, by id, with optional positions, colors, labels and radii."""

    _INSTANCES_FROM = ("node_ids",)

    _FIELDS = (
        ("node_ids", "GraphNode"),
        ("positions", "Position2D"),
        ("colors", "Color"),
        ("labels", "Text"),
        ("show_labels", "ShowLabels"),
        ("radii", "Radius"),
    )
    _CONVERTERS: ClassVar[Converters] = {
        "node_ids": (c.utf8s,),
        "positions": (c.vectors, 2),
        "colors": (c.colors,),
        "labels": (c.utf8s,),
        "show_labels": (c.bools,),
        "radii": (c.float32s,),
    }

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


class GraphEdges(FieldArchetype):
    """The edges of a graph, as (first, second) pairs of node ids; undirected unless `graph_type` says so."""

    _INSTANCES_FROM = ("edges",)

    _FIELDS = (("edges", "GraphEdge"), ("graph_type", "GraphType"))
    _CONVERTERS: ClassVar[Converters] = {
        "edges": (cb.utf8_pairs,),
        "graph_type": (cb.enum_codes, GraphType, pa.uint8()),
    }

    def __init__(self, edges: Any, *, graph_type: GraphType | str | int | None = None) -> None:
        super().__init__()
        self._set_field("edges", edges)
        self._set_field("graph_type", graph_type)
