"""`rerender.blueprint.archetypes`: the blueprint archetypes rerender writes, as rerun-sdk 0.41 logs them.

Each logs its components under `<Archetype>:<field>` with archetype `rerun.blueprint.archetypes.<Name>`
and the component types (some `rerun.blueprint.components.*`, some plain `rerun.components.*`) and
Arrow types of rerun-sdk. The view properties (`Background`, `LineGrid3D`, `EyeControls3D`,
`VisualBounds2D`) are public; the others are what views, containers and panels log for themselves.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from rerender.rrd import ComponentDescriptor
from rerender.sdk.batch import Archetype, ComponentBatch, ConversionError
from rerender.sdk.components import (
    bools,
    colors,
    enums,
    fixed_size_list_type,
    float32s,
    float64s,
    utf8s,
    vectors,
)

from .components import BackgroundKind, ContainerKind, Eye3DKind, LoopMode, PanelState, PlayState

__all__ = [
    "Background",
    "ContainerBlueprint",
    "EyeControls3D",
    "LineGrid3D",
    "PanelBlueprint",
    "TimePanelBlueprint",
    "ViewBlueprint",
    "ViewContents",
    "ViewportBlueprint",
    "VisualBounds2D",
]

_BP = "rerun.blueprint.components."
_RR = "rerun.components."

UUID_TYPE = fixed_size_list_type(pa.uint8(), 16)
RANGE1D_TYPE = fixed_size_list_type(pa.float64(), 2)
VISUAL_BOUNDS_TYPE = pa.struct(
    [pa.field("x_range", RANGE1D_TYPE, nullable=False), pa.field("y_range", RANGE1D_TYPE, nullable=False)]
)


@functools.cache
def _descriptors(cls: type[BlueprintArchetype]) -> dict[str, ComponentDescriptor]:
    short, full = cls.archetype_short_name(), cls.archetype()
    return {field: ComponentDescriptor(f"{short}:{field}", full, ctype) for field, ctype in cls._FIELDS}


class BlueprintArchetype(Archetype):
    """An archetype of `rerun.blueprint.archetypes`; `_FIELDS` name full component types."""

    _FIELDS: ClassVar[tuple[tuple[str, str], ...]] = ()

    @classmethod
    def archetype(cls) -> str:
        """The fully qualified name, e.g. `rerun.blueprint.archetypes.Background`."""
        return f"rerun.blueprint.archetypes.{cls.archetype_short_name()}"

    def as_component_batches(self) -> list[ComponentBatch]:
        """The given components (None arguments omitted)."""
        descriptors = _descriptors(type(self))
        return [
            ComponentBatch(descriptors[field], self._arrays[field])
            for field, _ in self._FIELDS
            if field in self._arrays
        ]


# ---- converters -------------------------------------------------------------------------------------


def _u32s(value: Any) -> pa.Array:
    items = value if isinstance(value, Sequence) and not isinstance(value, str) else [value]
    if any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0 for v in items):
        raise ConversionError(f"is {value!r}; expected a non-negative integer")
    return pa.array([int(v) for v in items], type=pa.uint32())


def uuids(value: Any) -> pa.Array:
    """One or more UUIDs (uuid.UUID, 16 bytes, or a string) as `FixedSizeList<u8>[16]`."""
    items = value if isinstance(value, list | tuple) else [value]
    raw = b"".join(_uuid_bytes(v) for v in items)
    return pa.FixedSizeListArray.from_arrays(pa.array(np.frombuffer(raw, dtype=np.uint8)), type=UUID_TYPE)


def _uuid_bytes(value: Any) -> bytes:
    if isinstance(value, uuid.UUID):
        return value.bytes
    if isinstance(value, bytes | bytearray) and len(value) == 16:
        return bytes(value)
    if isinstance(value, str):
        return uuid.UUID(value).bytes
    raise ConversionError(f"is {value!r}; expected a UUID")


def _plane(value: Any) -> pa.Array:
    """A plane as (normal x, y, z, distance); rerun's `Plane3D` objects (`.xyzd`) work too."""
    return vectors(getattr(value, "xyzd", value), 4, noun="planes")


def _range(value: Any, axis: str) -> list[float]:
    values = np.asarray(value, dtype=np.float64).reshape(-1)
    if values.size != 2:
        raise ConversionError(f"{axis} is {value!r}; expected [min, max]")
    return [float(values[0]), float(values[1])]


def _visual_bounds(value: tuple[Any, Any]) -> pa.Array:
    x, y = (_range(v, name) for v, name in zip(value, ("x_range", "y_range"), strict=True))
    return pa.array([{"x_range": x, "y_range": y}], type=VISUAL_BOUNDS_TYPE)


# ---- view properties --------------------------------------------------------------------------------


class Background(BlueprintArchetype):
    """A view's background: a `BackgroundKind`, or a solid color (then the kind is `SolidColor`)."""

    _FIELDS = (("kind", _BP + "BackgroundKind"), ("color", _RR + "Color"))

    def __init__(self, color_or_kind: Any = None, *, color: Any = None, kind: Any = None) -> None:
        super().__init__()
        if color_or_kind is not None:
            if color is not None or kind is not None:
                self._fail("color_or_kind", "cannot be given together with color= or kind=")
            if isinstance(color_or_kind, BackgroundKind) or type(color_or_kind).__name__ == "BackgroundKind":
                kind = color_or_kind
            else:
                color = color_or_kind
        if kind is None:
            kind = BackgroundKind.GradientDark if color is None else BackgroundKind.SolidColor
        self._set("kind", kind, enums, BackgroundKind)
        self._set("color", color, colors)


class LineGrid3D(BlueprintArchetype):
    """The 3D view's infinite grid."""

    _FIELDS = (
        ("visible", _RR + "Visible"),
        ("spacing", _BP + "GridSpacing"),
        ("plane", _RR + "Plane3D"),
        ("stroke_width", _RR + "StrokeWidth"),
        ("color", _RR + "Color"),
    )

    def __init__(
        self,
        visible: Any = None,
        *,
        spacing: Any = None,
        plane: Any = None,
        stroke_width: Any = None,
        color: Any = None,
    ) -> None:
        super().__init__()
        self._set("visible", visible, bools)
        self._set("spacing", spacing, float32s)
        self._set("plane", plane, _plane)
        self._set("stroke_width", stroke_width, float32s)
        self._set("color", color, colors)


class EyeControls3D(BlueprintArchetype):
    """The 3D view's eye: where it is, what it looks at, how it moves."""

    _FIELDS = (
        ("kind", _BP + "Eye3DKind"),
        ("position", _RR + "Position3D"),
        ("look_target", _RR + "Position3D"),
        ("eye_up", _RR + "Vector3D"),
        ("speed", _RR + "LinearSpeed"),
        ("tracking_entity", _RR + "EntityPath"),
        ("spin_speed", _BP + "AngularSpeed"),
    )

    def __init__(
        self,
        *,
        kind: Any = None,
        position: Any = None,
        look_target: Any = None,
        eye_up: Any = None,
        speed: Any = None,
        tracking_entity: Any = None,
        spin_speed: Any = None,
    ) -> None:
        super().__init__()
        self._set("kind", kind, enums, Eye3DKind)
        self._set("position", position, vectors, 3)
        self._set("look_target", look_target, vectors, 3)
        self._set("eye_up", eye_up, vectors, 3)
        self._set("speed", speed, float64s)
        self._set("tracking_entity", tracking_entity, utf8s)
        self._set("spin_speed", spin_speed, float64s)


class VisualBounds2D(BlueprintArchetype):
    """The 2D view's visible area: both `x_range` and `y_range` ([min, max]), or neither."""

    _FIELDS = (("range", _BP + "VisualBounds2D"),)

    def __init__(self, *, x_range: Any = None, y_range: Any = None) -> None:
        super().__init__()
        if (x_range is None) != (y_range is None):
            # rerun-sdk raises here too, even outside strict mode.
            raise ValueError("Both x_range and y_range must be specified.")
        if x_range is not None:
            self._set("range", (x_range, y_range), _visual_bounds, argument="x_range/y_range")


# ---- what views, containers, the viewport and panels log --------------------------------------------


class ViewContents(BlueprintArchetype):
    """A view's contents: entity-path query expressions (`+ /a/**`, `- /a/b`), one per line or item."""

    _FIELDS = (("query", _BP + "QueryExpression"),)

    def __init__(self, query: Any = None) -> None:
        super().__init__()
        self._set("query", query, utf8s)


class ViewBlueprint(BlueprintArchetype):
    """A view: its class, name, origin and visibility."""

    _FIELDS = (
        ("class_identifier", _BP + "ViewClass"),
        ("display_name", _RR + "Name"),
        ("space_origin", _BP + "ViewOrigin"),
        ("visible", _RR + "Visible"),
        ("titlebar", _BP + "Enabled"),
    )

    def __init__(
        self,
        class_identifier: Any = None,
        *,
        display_name: Any = None,
        space_origin: Any = None,
        visible: Any = None,
        titlebar: Any = None,
    ) -> None:
        super().__init__()
        self._set("class_identifier", class_identifier, utf8s)
        self._set("display_name", display_name, utf8s)
        self._set("space_origin", space_origin, utf8s)
        self._set("visible", visible, bools)
        self._set("titlebar", titlebar, bools)


class ContainerBlueprint(BlueprintArchetype):
    """A container: its kind, children (`view/<uuid>`, `container/<uuid>`) and layout."""

    _FIELDS = (
        ("container_kind", _BP + "ContainerKind"),
        ("display_name", _RR + "Name"),
        ("contents", _BP + "IncludedContent"),
        ("col_shares", _BP + "ColumnShare"),
        ("row_shares", _BP + "RowShare"),
        ("active_tab", _BP + "ActiveTab"),
        ("visible", _RR + "Visible"),
        ("grid_columns", _BP + "GridColumns"),
    )

    def __init__(
        self,
        container_kind: Any = None,
        *,
        display_name: Any = None,
        contents: Any = None,
        col_shares: Any = None,
        row_shares: Any = None,
        active_tab: Any = None,
        visible: Any = None,
        grid_columns: Any = None,
    ) -> None:
        super().__init__()
        self._set("container_kind", container_kind, enums, ContainerKind)
        self._set("display_name", display_name, utf8s)
        self._set("contents", contents, utf8s)
        self._set("col_shares", col_shares, float32s)
        self._set("row_shares", row_shares, float32s)
        self._set("active_tab", active_tab, utf8s)
        self._set("visible", visible, bools)
        self._set("grid_columns", grid_columns, _u32s)


class ViewportBlueprint(BlueprintArchetype):
    """The viewport: its root container and whether the viewer lays out and adds views itself."""

    _FIELDS = (
        ("root_container", _BP + "RootContainer"),
        ("maximized", _BP + "ViewMaximized"),
        ("auto_layout", _BP + "AutoLayout"),
        ("auto_views", _BP + "AutoViews"),
    )

    def __init__(
        self,
        *,
        root_container: Any = None,
        maximized: Any = None,
        auto_layout: Any = None,
        auto_views: Any = None,
    ) -> None:
        super().__init__()
        self._set("root_container", root_container, uuids)
        self._set("maximized", maximized, uuids)
        self._set("auto_layout", auto_layout, bools)
        self._set("auto_views", auto_views, bools)


class PanelBlueprint(BlueprintArchetype):
    """The state of the blueprint, selection or top panel."""

    _FIELDS = (("state", _BP + "PanelState"),)

    def __init__(self, *, state: Any = None) -> None:
        super().__init__()
        self._set("state", state, enums, PanelState)


class TimePanelBlueprint(BlueprintArchetype):
    """The time panel: its state, timeline and playback."""

    _FIELDS = (
        ("state", _BP + "PanelState"),
        ("timeline", _BP + "TimelineName"),
        ("playback_speed", _BP + "PlaybackSpeed"),
        ("fps", _BP + "Fps"),
        ("play_state", _BP + "PlayState"),
        ("loop_mode", _BP + "LoopMode"),
    )

    def __init__(
        self,
        *,
        state: Any = None,
        timeline: Any = None,
        playback_speed: Any = None,
        fps: Any = None,
        play_state: Any = None,
        loop_mode: Any = None,
    ) -> None:
        super().__init__()
        self._set("state", state, enums, PanelState)
        self._set("timeline", timeline, utf8s)
        self._set("playback_speed", playback_speed, float64s)
        self._set("fps", fps, float64s)
        self._set("play_state", play_state, enums, PlayState)
        self._set("loop_mode", loop_mode, enums, LoopMode)
