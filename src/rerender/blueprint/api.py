"""Blueprints: views, containers, panels and the `Blueprint` that holds them, as rerun-sdk 0.41 logs them.

A blueprint is sent as a store of its own (kind blueprint, recording id `rec_<32 hex>`, the
application id of the recording it is for). rerun-sdk logs it with a throwaway recording stream whose
`blueprint` sequence timeline is 0 (plus `log_time`); every object below logs itself the same way
here, to the same entity paths:

    /viewport                      ViewportBlueprint (root container id, auto_layout, auto_views)
    /container/<uuid>              ContainerBlueprint (kind, contents "view/<uuid>" / "container/<uuid>", ...)
    /view/<uuid>                   ViewBlueprint (class, name, origin, visible)
    /view/<uuid>/ViewContents      ViewContents (query expressions)
    /view/<uuid>/<Property>        view properties (Background, TimeAxis, VisibleTimeRanges, ...)
    /view/<uuid>/defaults          component defaults
    /view/<uuid>/ViewContents/overrides/<entity>/visualizers          ActiveVisualizers, EntityBehavior
    /view/<uuid>/ViewContents/overrides/<entity>/visualizers/<uuid>   VisualizerInstruction + overrides
    /blueprint_panel, /selection_panel, /top_panel   PanelBlueprint
    /time_panel                    TimePanelBlueprint (play_state static)

Ids are `uuid.uuid4()` drawn when a view, container or `Visualizer` is constructed (an archetype's
visualizer is made while logging; rerun-sdk does the same, in the same order), and public: set `.id`
to a fixed `uuid.UUID` for reproducible files.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rerender.encodings import AbsoluteTimeRange
from rerender.rrd import (
    BlueprintActivationCommand,
    Chunk,
    StoreId,
    StoreInfo,
    StoreKind,
    StoreSource,
    TimeKind,
    Timeline,
)
from rerender.rrd.messages import WRITER_VERSION
from rerender.rrd.tuid import TuidGenerator
from rerender.sdk.batcher import PendingRow, estimated_row_bytes, rows_to_chunks
from rerender.sdk.entity_path import parse_entity_path
from rerender.sdk.recording import LOG_TIME, RerenderWarning
from rerender.sdk.sinks import RrdSink, Sink

from .archetypes import (
    ActiveVisualizers,
    ContainerBlueprint,
    PanelBlueprint,
    TimePanelBlueprint,
    ViewBlueprint,
    ViewContents,
    ViewportBlueprint,
    VisualizerInstruction,
)
from .components import ContainerKind, PanelState, PanelStateLike
from .visualizers import visualizer_of

__all__ = [
    "Blueprint",
    "BlueprintLike",
    "BlueprintLog",
    "BlueprintPanel",
    "BlueprintPart",
    "Container",
    "ContainerLike",
    "PanelState",
    "PanelStateLike",
    "SelectionPanel",
    "TimePanel",
    "TopPanel",
    "View",
]

BLUEPRINT_TIMELINE = Timeline("blueprint", TimeKind.SEQUENCE)


class BlueprintLog:
    """Collects what a blueprint logs (entity path, components, static or at blueprint=0)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, bool, list[tuple[Any, Any]]]] = []

    def log(self, path: str, item: Any, *, static: bool = False) -> None:
        """Log an archetype or a list of archetypes / component batches to `path`, as `rr.log` would."""
        error = getattr(item, "_rerender_error", None)
        if error is not None:
            warnings.warn(f"blueprint {path}: {error}; not logged", RerenderWarning, stacklevel=4)
            return
        if hasattr(item, "as_component_batches"):
            batches = item.as_component_batches()
        elif isinstance(item, Iterable):
            batches = [
                b
                for x in item
                for b in (x.as_component_batches() if hasattr(x, "as_component_batches") else [x])
            ]
        else:
            raise TypeError(
                f"blueprint {path}: expected an archetype or component batches, got {type(item).__name__}"
            )
        components = [_described(b) for b in batches]
        if components:  # rerun-sdk drops a log call without components
            self.rows.append((parse_entity_path(path), static, components))


def _described(batch: Any) -> tuple[Any, Any]:
    """(descriptor, array) of a component batch: rerender's, or one with rerun-sdk's accessors."""
    if hasattr(batch, "descriptor") and hasattr(batch, "array"):
        return batch.descriptor, batch.array
    return batch.component_descriptor(), batch.as_arrow_array()


def _is_component_batch(item: Any) -> bool:
    return (hasattr(item, "descriptor") and hasattr(item, "array")) or (
        hasattr(item, "component_descriptor") and hasattr(item, "as_arrow_array")
    )


class View:
    """A view: the base of `Spatial3DView`, `TimeSeriesView`, ... (which fill in `class_identifier`).

    `overrides` maps entity paths (from the root; no `$origin`) to visualizers for that entity: an
    entity archetype (its set fields override, e.g. `rr.Points3D.from_fields(colors=...)`), a
    `Visualizer`, or `EntityBehavior`/`VisibleTimeRanges` (logged as they are), one or a list.
    `defaults` are archetypes or single component batches whose components become the view's defaults.
    """

    def __init__(
        self,
        *,
        class_identifier: str,
        origin: Any,
        contents: Any,
        name: str | None,
        visible: bool | None = None,
        titlebar: bool | None = None,
        properties: dict[str, Any] | None = None,
        defaults: Iterable[Any] | None = None,
        overrides: Mapping[Any, Any] | None = None,
    ) -> None:
        self.id = uuid.uuid4()
        self.class_identifier = class_identifier
        self.name = name
        self.origin = origin
        self.contents = contents
        self.visible = visible
        self.titlebar = titlebar
        self.properties = dict(properties) if properties is not None else {}
        self.defaults = list(defaults) if defaults is not None else []
        self.visualizer_overrides = dict(overrides) if overrides is not None else {}

    def blueprint_path(self) -> str:
        """Where the view is logged in the blueprint store: `view/<uuid>`."""
        return f"view/{self.id}"

    def visualizers_path(self, entity_path: Any) -> str:
        """Where the visualizer overrides of an entity are logged in the blueprint store."""
        return (
            f"{self.blueprint_path()}/ViewContents/overrides/{str(entity_path).removeprefix('/')}/visualizers"
        )

    def to_container(self) -> Container:
        """The view in a `Tabs` container of its own."""
        from .containers import Tabs

        return Tabs(self)

    def to_blueprint(self) -> Blueprint:
        """A blueprint holding only this view."""
        return Blueprint(self)

    def log_to(self, log: BlueprintLog) -> None:
        """Log the view, its contents, properties, defaults and overrides."""
        path = self.blueprint_path()
        contents = (
            self.contents if isinstance(self.contents, ViewContents) else ViewContents(query=self.contents)
        )
        log.log(path + "/ViewContents", contents)
        log.log(
            path,
            ViewBlueprint(
                class_identifier=self.class_identifier,
                display_name=self.name,
                space_origin=self.origin,
                visible=self.visible,
                titlebar=self.titlebar,
            ),
        )
        for property_name, value in self.properties.items():
            log.log(f"{path}/{property_name}", value)
        for default in self.defaults:
            if hasattr(default, "as_component_batches"):
                log.log(f"{path}/defaults", default)
            elif _is_component_batch(default):
                log.log(f"{path}/defaults", [default])
            else:
                raise ValueError(f"Provided default: {default} is neither a component nor a component batch.")
        for entity_path, value in self.visualizer_overrides.items():
            self._log_overrides(log, self.visualizers_path(entity_path), value)

    @staticmethod
    def _log_overrides(log: BlueprintLog, base: str, value: Any) -> None:
        # An archetype is not iterable, so only lists (of anything below) are taken apart.
        items = value if isinstance(value, Iterable) else [value]
        ids = []
        for item in items:
            visualizer = visualizer_of(item)
            if visualizer is None:  # EntityBehavior, VisibleTimeRanges, ...: at the base path
                log.log(base, item)
                continue
            at = f"{base}/{visualizer.id}"
            log.log(at, VisualizerInstruction(visualizer.visualizer_type, component_map=visualizer.mappings))
            if visualizer.overrides:
                log.log(at, visualizer.overrides)
            ids.append(visualizer.id.bytes)
        if ids:
            log.log(base, ActiveVisualizers(ids))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(origin={self.origin!r}, name={self.name!r}, id={self.id})"


class Container:
    """A container: the base of `Horizontal`, `Vertical`, `Grid` and `Tabs`."""

    def __init__(
        self,
        *args: Container | View,
        contents: Iterable[Container | View] | None = None,
        kind: Any,
        column_shares: Any = None,
        row_shares: Any = None,
        grid_columns: int | None = None,
        active_tab: int | str | None = None,
        name: str | None,
        visible: bool | None = None,
    ) -> None:
        if args and contents is not None:
            raise ValueError("Cannot provide both positional and keyword arguments for contents")
        self.contents = list(contents) if contents is not None else list(args)
        self.id = uuid.uuid4()
        self.kind = ContainerKind.auto(kind)
        self.column_shares = column_shares
        self.row_shares = row_shares
        self.grid_columns = grid_columns
        self.active_tab = active_tab
        self.name = name
        self.visible = visible

    def blueprint_path(self) -> str:
        """Where the container is logged in the blueprint store: `container/<uuid>`."""
        return f"container/{self.id}"

    def to_container(self) -> Container:
        """Itself."""
        return self

    def to_blueprint(self) -> Blueprint:
        """A blueprint with this container as its root."""
        return Blueprint(self)

    def log_to(self, log: BlueprintLog) -> None:
        active_tab_path = None
        for i, child in enumerate(self.contents):
            child.log_to(log)
            # rerun-sdk's rule, kept as is: an index or a view name; with active_tab=None the last
            # unnamed view matches (None == None), so its path is logged as the active tab.
            if i == self.active_tab or (isinstance(child, View) and child.name == self.active_tab):
                active_tab_path = child.blueprint_path()
        if self.active_tab is not None and active_tab_path is None:
            raise ValueError(f"Active tab '{self.active_tab}' not found in the container contents.")
        log.log(
            self.blueprint_path(),
            ContainerBlueprint(
                container_kind=self.kind,
                contents=[child.blueprint_path() for child in self.contents],
                col_shares=self.column_shares,
                row_shares=self.row_shares,
                visible=self.visible,
                grid_columns=self.grid_columns,
                active_tab=active_tab_path,
                display_name=self.name,
            ),
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.contents)} children, name={self.name!r}, id={self.id})"


def _to_state(expanded: bool | None, state: Any) -> Any:
    if expanded is not None and state is not None:
        raise ValueError("Cannot set both 'expanded' and 'state'")
    if state is not None:
        return state
    if expanded is not None:
        return PanelState.Expanded if expanded else PanelState.Collapsed
    return None


class _Panel:
    _PATH = ""

    def __init__(self, *, expanded: bool | None = None, state: Any = None) -> None:
        self.state = _to_state(expanded, state)

    def blueprint_path(self) -> str:
        """Where the panel is logged in the blueprint store."""
        return self._PATH

    def log_to(self, log: BlueprintLog) -> None:
        log.log(self._PATH, PanelBlueprint(state=self.state))


class TopPanel(_Panel):
    """The state of the top panel (`state`: "expanded", "collapsed" or "hidden")."""

    _PATH = "top_panel"


class BlueprintPanel(_Panel):
    """The state of the blueprint panel (`state`: "expanded", "collapsed" or "hidden")."""

    _PATH = "blueprint_panel"


class SelectionPanel(_Panel):
    """The state of the selection panel (`state`: "expanded", "collapsed" or "hidden")."""

    _PATH = "selection_panel"


class TimePanel(_Panel):
    """The time panel: state, timeline shown, playback speed, fps, play state, loop mode and the selected
    time range (`time_selection`, an `AbsoluteTimeRange`; loop mode "selection" loops over it)."""

    _PATH = "time_panel"

    def __init__(
        self,
        *,
        expanded: bool | None = None,
        state: Any = None,
        timeline: str | None = None,
        playback_speed: float | None = None,
        fps: float | None = None,
        play_state: Any = None,
        loop_mode: Any = None,
        time_selection: AbsoluteTimeRange | None = None,
    ) -> None:
        super().__init__(expanded=expanded, state=state)
        self.timeline = timeline
        self.playback_speed = playback_speed
        self.fps = fps
        self.play_state = play_state
        self.loop_mode = loop_mode
        self.time_selection = time_selection

    def log_to(self, log: BlueprintLog) -> None:
        log.log(
            self._PATH,
            TimePanelBlueprint(
                state=self.state,
                timeline=self.timeline,
                playback_speed=self.playback_speed,
                fps=self.fps,
                loop_mode=self.loop_mode,
                time_selection=self.time_selection,
            ),
        )
        if self.play_state is not None:  # static in rerun-sdk: it holds whatever the blueprint time
            log.log(self._PATH, TimePanelBlueprint(play_state=self.play_state), static=True)


ContainerLike = Container | View
BlueprintPart = ContainerLike | TopPanel | BlueprintPanel | SelectionPanel | TimePanel


class Blueprint:
    """A whole viewer layout: one root container (several parts go into a `Tabs`) and the panels."""

    def __init__(
        self,
        *parts: BlueprintPart,
        auto_layout: bool | None = None,
        auto_views: bool | None = None,
        collapse_panels: bool = False,
    ) -> None:
        from .containers import Tabs

        self.collapse_panels = collapse_panels
        self.root_container: Container | None = None
        self.top_panel: TopPanel | None = None
        self.blueprint_panel: BlueprintPanel | None = None
        self.selection_panel: SelectionPanel | None = None
        self.time_panel: TimePanel | None = None
        contents: list[ContainerLike] = []
        for part in parts:
            if isinstance(part, Container | View):
                contents.append(part)
                continue
            for attribute, cls, label in (
                ("top_panel", TopPanel, "top panel"),
                ("blueprint_panel", BlueprintPanel, "blueprint panel"),
                ("selection_panel", SelectionPanel, "selection panel"),
                ("time_panel", TimePanel, "time panel"),
            ):
                if isinstance(part, cls):
                    if getattr(self, attribute) is not None:
                        raise ValueError(f"Only one {label} can be provided")
                    setattr(self, attribute, part)
                    break
            else:
                raise ValueError(f"Unknown part type: {part}")
        self.auto_views = auto_views
        self.auto_layout = auto_layout
        if not contents:
            # Without views the viewer makes its own: both default to True.
            self.auto_views = True if auto_views is None else auto_views
            self.auto_layout = True if auto_layout is None else auto_layout
        elif len(contents) == 1:
            self.root_container = contents[0].to_container()
        else:
            self.root_container = Tabs(contents=contents)

    def to_blueprint(self) -> Blueprint:
        """Itself."""
        return self

    def log_to(self, log: BlueprintLog) -> None:
        root = None
        if self.root_container is not None:
            self.root_container.log_to(log)
            root = self.root_container.id
        log.log(
            "viewport",
            ViewportBlueprint(root_container=root, auto_layout=self.auto_layout, auto_views=self.auto_views),
        )
        if self.top_panel is not None:
            self.top_panel.log_to(log)
        collapsed = PanelState.Collapsed
        for panel, cls in (
            (self.blueprint_panel, BlueprintPanel),
            (self.selection_panel, SelectionPanel),
            (self.time_panel, TimePanel),
        ):
            if panel is not None:
                panel.log_to(log)
            elif self.collapse_panels:
                cls(state=collapsed).log_to(log)

    def save(self, application_id: str, path: str | os.PathLike | None = None) -> None:
        """Write this blueprint alone to a file (`<application_id>.rbl` by default), made active and
        default for `application_id` when a viewer opens it."""
        save_blueprint(self, application_id, path)

    def __repr__(self) -> str:
        return f"Blueprint(root={self.root_container!r})"


BlueprintLike = Blueprint | View | Container


# ---- the blueprint store ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BlueprintStore:
    """A blueprint as messages: its SetStoreInfo and chunks."""

    info: StoreInfo
    chunks: list[Chunk]

    @property
    def store_id(self) -> StoreId:
        """The blueprint store's id."""
        return self.info.store_id


def build_blueprint_store(
    blueprint: Any, application_id: str, tuids: TuidGenerator | None = None
) -> BlueprintStore:
    """Log a `Blueprint`, `View` or `Container` (or a `TableBlueprint`) into a new blueprint store for
    `application_id`."""
    log = BlueprintLog()
    if hasattr(blueprint, "to_blueprint"):
        blueprint.to_blueprint().log_to(log)
    elif hasattr(blueprint, "log_to"):  # a table blueprint: no viewport
        blueprint.log_to(log)
    else:
        raise TypeError(f"expected a Blueprint, View or Container, got {type(blueprint).__name__}")
    tuids = tuids or TuidGenerator()
    # A fresh random id (not uuid.uuid4(), so that fixing view ids by patching it changes nothing else).
    recording_id = "rec_" + uuid.UUID(bytes=os.urandom(16), version=4).hex
    v = sys.version_info
    info = StoreInfo(
        StoreId(StoreKind.BLUEPRINT, recording_id, str(application_id)),
        StoreSource.python(v.major, v.minor, v.micro),
        WRITER_VERSION,
        tuids.next(),
    )
    rows: dict[str, list[PendingRow]] = {}
    for path, static, components in log.rows:
        timepoint = () if static else ((BLUEPRINT_TIMELINE, 0), (LOG_TIME, time.time_ns()))
        row_id = tuids.next()
        nbytes = estimated_row_bytes([a for _, a in components])
        rows.setdefault(path, []).append(
            PendingRow((row_id.time_ns, row_id.inc), timepoint, tuple(components), nbytes)
        )
    chunks = [
        chunk
        for path, entity_rows in rows.items()
        for chunk in rows_to_chunks(path, entity_rows, max_rows_if_unsorted=8192, tuids=tuids)
    ]
    return BlueprintStore(info, chunks)


def save_blueprint(blueprint: Any, application_id: str, path: str | os.PathLike | None = None) -> None:
    """Write a blueprint alone to a file (`<application_id>.rbl` by default), made active and default
    for `application_id` when a viewer opens it."""
    store = build_blueprint_store(blueprint, application_id)
    sink = RrdSink(f"{application_id}.rbl" if path is None else Path(path))
    try:
        write_blueprint(sink, store, make_active=True, make_default=True)
    finally:
        sink.close()


def write_blueprint(sink: Sink, store: BlueprintStore, *, make_active: bool, make_default: bool) -> bool:
    """Write a blueprint store and its activation command to a sink that keeps messages (file, stdout,
    memory, network); False (nothing written) for one that does not."""
    if not sink.keeps_messages:
        return False
    sink.write_store_info(store.info)
    sink.write_chunks(store.store_id, store.chunks)
    command = BlueprintActivationCommand(store.store_id, make_active=make_active, make_default=make_default)
    sink.write_blueprint_activation(command)
    return True
