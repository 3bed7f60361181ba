"""`rerender.blueprint` against rerun-sdk 0.41's `rerun.blueprint`, in process (no subprocesses).

- every public name of `rerun.blueprint` and its sub-namespaces exists here, with the same constructor
  parameters (names, kinds, defaults) and the same enum members;
- every blueprint archetype, given the same arguments under both SDKs, gives the same component batches
  (descriptors and Arrow arrays). Whole blueprint stores (views, overrides, defaults, panels, tables)
  are compared through files in `test_blueprint_sdk.py`.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import types
from typing import Any

import pyarrow as pa
import pytest

import rerender
import rerender.blueprint

pytest.importorskip("rerun")
import rerun
import rerun.blueprint

NAMESPACES = ["", "archetypes", "components", "encodings", "views", "visualizers", "experimental", "table"]


def _module(package: str, namespace: str) -> types.ModuleType:
    return importlib.import_module(f"{package}.blueprint" + (f".{namespace}" if namespace else ""))


def _public(namespace: str) -> list[str]:
    """rerun's public names in a namespace, less batch classes, array aliases and submodules."""
    module = _module("rerun", namespace)
    names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
    return [
        n
        for n in names
        if not n.endswith(("Batch", "ArrayLike")) and not isinstance(getattr(module, n), types.ModuleType)
    ]


NAMES = [(ns, name) for ns in NAMESPACES for name in _public(ns)]


def _parameters(obj: Any) -> list[tuple[str, str, str]]:
    """(name, kind, default) of a function's or a class constructor's parameters, less `self`."""
    target = obj.__init__ if isinstance(obj, type) else obj
    return [
        (p.name, p.kind.name, "" if p.default is inspect.Parameter.empty else repr(p.default))
        for p in inspect.signature(target).parameters.values()
        if p.name != "self"
    ]


@pytest.mark.parametrize(("namespace", "name"), NAMES, ids=[f"{ns or 'rrb'}.{n}" for ns, n in NAMES])
def test_name_exists_with_rerun_parameters(namespace: str, name: str) -> None:
    theirs = getattr(_module("rerun", namespace), name)
    ours = getattr(_module("rerender", namespace), name, None)
    assert ours is not None, f"rerender.blueprint{'.' + namespace if namespace else ''} lacks {name}"
    if isinstance(theirs, type) and issubclass(theirs, enum.Enum):
        assert {m.name: m.value for m in ours} == {m.name: m.value for m in theirs}
    elif name.endswith("Like") or not callable(theirs):
        pass  # typing aliases: existence is the claim
    else:
        assert _parameters(ours) == _parameters(theirs)


def test_time_range_types_are_the_encodings_classes() -> None:
    """No duplicates: the blueprint re-exports `rerender.encodings`' classes, as rerun re-exports its own."""
    rrb = rerender.blueprint
    assert rrb.VisibleTimeRange is rerender.encodings.VisibleTimeRange
    assert rrb.TimeRange is rerender.encodings.TimeRange
    assert rrb.TimeRangeBoundary is rerender.encodings.TimeRangeBoundary


# Each expression runs with `rr`/`rrb`/`enc` bound to one SDK's top level, blueprint and encodings.
ARCHETYPES = [
    "rrb.Background([30, 40, 50])",
    "rrb.Background(rrb.BackgroundKind.GradientBright)",
    "rrb.Background(kind='SolidColor', color=[1.0, 0.5, 0.0])",
    "rrb.LineGrid3D(False, spacing=0.5, plane=[0, 0, 1, 0], stroke_width=2.0, color=[255, 0, 0])",
    "rrb.EyeControls3D(kind='Orbital', position=[3, 2, 1], look_target=[0, 0, 0], eye_up=[0, 0, 1],"
    " speed=2.0, tracking_entity='/world/robot', spin_speed=0.25)",
    "rrb.VisualBounds2D(x_range=[0, 640], y_range=[-10.5, 480])",
    "rrb.archetypes.NearClipPlane(0.1)",
    "rrb.SpatialInformation('world', show_bounding_box=True, show_axes=False, axes=rr.ViewCoordinates.RUB)",
    "rrb.VisibleTimeRanges(timeline='frame', start=rrb.TimeRangeBoundary.cursor_relative(seq=-10),"
    " end=rrb.TimeRangeBoundary.infinite())",
    "rrb.VisibleTimeRanges([rrb.VisibleTimeRange('frame', start=rrb.TimeRangeBoundary.absolute(seq=3),"
    " end=rrb.TimeRangeBoundary.cursor_relative()), rrb.VisibleTimeRange('time', rrb.TimeRange("
    "start=rrb.TimeRangeBoundary.cursor_relative(seconds=-2.5),"
    " end=rrb.TimeRangeBoundary.absolute(nanos=123)))])",
    "rrb.VisibleTimeRanges(timeline='t',"
    " range=rrb.TimeRange(start=5, end=rrb.TimeRangeBoundary.absolute(seconds=1.5)))",
    "rrb.TimeAxis(link='LinkToGlobal', view_range=rrb.TimeRange(start=rrb.TimeRangeBoundary.cursor_relative("
    "seconds=-10), end=rrb.TimeRangeBoundary.cursor_relative()), zoom_lock=True)",
    "rrb.ScalarAxis(range=(-1.5, 2.0), zoom_lock=rrb.LockRangeDuringZoom(True))",
    "rrb.PlotLegend(rrb.Corner2D.LeftTop, visible=True)",
    "rrb.PlotLegend('RightBottom')",
    "rrb.archetypes.PlotBackground(color=[10, 20, 30, 255], show_grid=False)",
    "rrb.PlotInteraction(tooltip_mode='All', points_display=rrb.components.PointsDisplay.Always)",
    "rrb.TensorSliceSelection(width=1, height=enc.TensorDimensionSelection(0, invert=True),"
    " indices=[enc.TensorDimensionIndexSelection(2, 5), enc.TensorDimensionIndexSelection(3, 0)],"
    " slider=[2, 3])",
    "rrb.TensorSliceSelection(slider=[rrb.components.TensorDimensionIndexSlider(1)])",
    "rrb.TensorScalarMapping(mag_filter='Linear', colormap='viridis', gamma=1.5)",
    "rrb.archetypes.TensorViewFit('FillKeepAspectRatio')",
    "rrb.archetypes.TextDocumentFormat(monospace=True, word_wrap=False)",
    "rrb.TextLogColumns(timeline_columns=[rrb.components.TimelineColumn('frame'),"
    " rrb.components.TimelineColumn('log_time', visible=False)],"
    " text_log_columns=[rrb.components.TextLogColumn('EntityPath'),"
    " rrb.components.TextLogColumn(rrb.encodings.TextLogColumnKind.LogLevel, visible=False)])",
    "rrb.TextLogRows(filter_by_log_level=['ERROR', 'WARN'])",
    "rrb.TextLogFormat(monospace_body=True)",
    "rrb.archetypes.MapZoom(12.5)",
    "rrb.archetypes.MapBackground(rrb.MapProvider.MapboxSatellite)",
    "rrb.AudioPlayback(volume=0.5)",
    "rrb.archetypes.GraphBackground(color=[0, 0, 0])",
    "rrb.archetypes.ForceCenter(enabled=True, strength=0.3)",
    "rrb.archetypes.ForceCollisionRadius(enabled=False, strength=1.0, iterations=3)",
    "rrb.archetypes.ForceLink(enabled=True, distance=50.0, iterations=2)",
    "rrb.archetypes.ForceManyBody(enabled=True, strength=-60.0)",
    "rrb.archetypes.ForcePosition(enabled=True, strength=0.2, position=[1.0, 2.0])",
    "rrb.archetypes.DataframeQuery(timeline='t', filter_by_range=(1, 5),"
    " filter_is_not_null='/world/p:positions', select=['t', '/world/p:positions', 'log_time'],"
    " entity_order=['/b', 'a'])",
    "rrb.archetypes.DataframeQuery()",
    "rrb.EntityBehavior(interactive=False, visible=True)",
    "rrb.ActiveVisualizers([b'0123456789abcdef', b'fedcba9876543210'])",
    "rrb.archetypes.VisualizerInstruction('Points3D', component_map=["
    "rrb.components.VisualizerComponentMapping('Points3D:colors', 'SourceComponent', source_component='c:c'),"
    " rrb.components.VisualizerComponentMapping('Points3D:radii', rrb.encodings.ComponentSourceKind.Default,"
    " selector='x')])",
    "rrb.archetypes.TableBlueprint(layout='cards', column_display_mode='Full', filters=['a > 1', 'b'],"
    " sort_by=rrb.components.SortBy('speed', direction='Descending'))",
    "rrb.archetypes.TableColumn(name='Speed', editable=True, visible=False,"
    " column_type=rrb.components.ColumnType(component_type_name='rerun.components.Scalar'))",
    "rrb.archetypes.TableColumnPreview(['view/abc', 'view/def'])",
    "rrb.archetypes.TableLayout(column_order=[])",
    "rrb.archetypes.CardLayout(['a', 'b'], title='t', link='l')",
    "rrb.archetypes.PreviewsConfig(timeline='frame', play_state='Playing', playback_speed=2.0,"
    " start_point=0.25)",
    "rrb.archetypes.ViewContents(['+ /a/**', '- /a/b'])",
    "rrb.archetypes.ViewBlueprint('3D', display_name='x', space_origin='/w', visible=True, titlebar=False)",
    "rrb.archetypes.ContainerBlueprint('Grid', display_name='g', contents=['view/a'], col_shares=[1, 2],"
    " row_shares=[3], active_tab='view/a', visible=False, grid_columns=2)",
    "rrb.archetypes.ViewportBlueprint(root_container=b'0123456789abcdef', auto_layout=True, auto_views=False,"
    " past_viewer_recommendations=[1, 2**63])",
    "rrb.archetypes.PanelBlueprint(state='Collapsed')",
    "rrb.archetypes.TimePanelBlueprint(state='expanded', timeline='frame', playback_speed=2, fps=30,"
    " play_state='following', loop_mode='selection',"
    " time_selection=rrb.components.AbsoluteTimeRange(10, 20))",
    "rrb.TimeAxis.from_fields(zoom_lock=True)",
]


def _batches(sdk: types.ModuleType, expression: str) -> list[tuple[str, str, str, pa.Array]]:
    scope = {"rr": sdk, "rrb": sdk.blueprint, "enc": sdk.encodings}
    out = []
    for batch in eval(expression, scope).as_component_batches():
        d = batch.component_descriptor()
        out.append((str(d.component), str(d.archetype), str(d.component_type), batch.as_arrow_array()))
    return out


@pytest.mark.parametrize("expression", ARCHETYPES)
def test_archetype_batches_equal_rerun_sdk(expression: str) -> None:
    theirs, ours = _batches(rerun, expression), _batches(rerender, expression)
    assert [b[:3] for b in ours] == [b[:3] for b in theirs]
    for (name, *_, mine), (_, *_, reference) in zip(ours, theirs, strict=True):
        assert mine.type == reference.type, name
        assert mine.to_pylist() == reference.to_pylist(), name


def test_every_blueprint_archetype_is_covered() -> None:
    """ARCHETYPES (here) and the store cases of test_blueprint_sdk.py name every blueprint archetype."""
    covered = " ".join(ARCHETYPES)
    missing = [
        n for n in rerun.blueprint.archetypes.__all__ if f".{n}(" not in covered and f"{n}." not in covered
    ]
    assert missing == []


def test_table_filters_write_rerun_sql() -> None:
    from datetime import datetime

    def sql(module: Any) -> list[str]:
        col = module.col
        when = datetime(2024, 1, 2, 3, 4, 5)
        filters = [
            col("a") == 1,
            col("a") != 2.5,
            col("b") < float("inf"),
            col("c").ge(3),
            col("ok").is_true(),
            col("ok").is_not_false(),
            col("x").is_null(),
            col("tags").list.is_null(),
            col("tags").list.is_not_null(),
            col("t").before(when),
            col("t").between(when, when),
            col("t").not_today(),
            col("t").last_week(),
            col("name").str.contains("50%_off"),
            col('we"ird').str.ends_with("it's"),
            col("tags").list.str.starts_with("a"),
            col("n").list > 3,
        ]
        return [str(f) for f in filters]

    assert sql(rerender.blueprint.table) == sql(rerun.blueprint.table)


def test_strict_mode_errors_like_rerun_sdk() -> None:
    rrb = rerender.blueprint
    rerender.set_strict_mode(True)
    try:
        with pytest.raises(ValueError, match="timeline"):
            rrb.VisibleTimeRanges()
        with pytest.raises(ValueError, match="twice"):
            rrb.VisibleTimeRanges([rrb.VisibleTimeRange("t", rrb.TimeRange(0, 1))] * 2)
    finally:
        rerender.set_strict_mode(False)
    with pytest.raises(ValueError, match="neither a component nor a component batch"):
        rrb.Spatial3DView(defaults=[[rerender.Points3D.from_fields(radii=1.0)]]).to_blueprint().log_to(
            rrb.api.BlueprintLog()
        )
