"""`rerender.blueprint` against rerun-sdk 0.41's `rerun.blueprint`: the same script under both SDKs must
write equal blueprint stores (and equal recordings beside them).

`rerun rrd compare` ignores blueprint stores, so each file's blueprint store is copied into a file of
its own as a *recording* store (same chunks, same application id) and those are compared with
`rerun rrd compare --unordered`. View and container ids are `uuid.uuid4()` in both SDKs, drawn when
each view or container is constructed; the scripts replace `uuid.uuid4` by a counter right after
`rr.init` (rerender draws its recording id from it, rerun-sdk from Rust), so both sides get the same ids.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
import warnings
from pathlib import Path

import pytest

from rerender.rrd import MessageKind, RrdWriter, StoreId, StoreInfo, StoreKind, read_frames

pytest.importorskip("rerun")

ROOT = Path(__file__).parent.parent
ENV = {**os.environ, "RERUN_FLUSH_TICK_SECS": "1000", "RERUN_ANALYTICS": "0"}
APP = "bp_interop"

SCRIPT = """
import itertools, sys, uuid
if sys.argv[1] == "rerun":
    import rerun as rr
    import rerun.blueprint as rrb
else:
    import rerender as rr
    import rerender.blueprint as rrb
out, case, mode = sys.argv[2:5]
rr.init("bp_interop")
_ids = itertools.count(1)
uuid.uuid4 = lambda: uuid.UUID(int=next(_ids))


def build(case):
    if case == "eye3d":
        return rrb.Blueprint(
            rrb.Spatial3DView(
                origin="/world",
                name="main",
                contents=["+ $origin/**", "- /world/debug/**"],
                background=[30, 40, 50],
                line_grid=rrb.LineGrid3D(False, spacing=0.5, stroke_width=2.0, color=[255, 0, 0]),
                eye_controls=rrb.EyeControls3D(
                    kind=rrb.Eye3DKind.Orbital,
                    position=[3.0, 2.0, 1.5],
                    look_target=[0, 0, 0],
                    eye_up=[0, 0, 1],
                    speed=2.0,
                    spin_speed=0.25,
                ),
            ),
            auto_views=False,
        )
    if case == "nested":
        return rrb.Blueprint(
            rrb.Horizontal(
                rrb.Spatial3DView(origin="world", name="3D", background=rrb.BackgroundKind.GradientBright,
                                  line_grid=True, visible=True, titlebar=False),
                rrb.Vertical(
                    rrb.TimeSeriesView(origin="/plot", name="plot"),
                    rrb.Tabs(
                        rrb.TextLogView(origin="/logs", name="Logs"),
                        rrb.TextDocumentView(name="Doc"),
                        rrb.BarChartView(origin="/bars"),
                        rrb.TensorView(origin="/tensor", visible=False),
                        active_tab="Doc",
                        name="tabs",
                    ),
                    row_shares=[2, 1],
                ),
                rrb.Grid(rrb.Spatial2DView(origin="/a"), rrb.Spatial2DView(origin="/b"), rrb.TextLogView(),
                         grid_columns=2, column_shares=[1.0, 3.0], row_shares=[1, 1], name="grid"),
                column_shares=[3, 1, 2],
                name="top",
            ),
            rrb.Tabs(rrb.TimeSeriesView(), rrb.TensorView(), active_tab=1),
            auto_layout=False,
            auto_views=True,
        )
    if case == "bounds2d":
        return rrb.Spatial2DView(
            origin="/image",
            name="image",
            background=[0.2, 0.4, 0.6],
            visual_bounds=rrb.VisualBounds2D(x_range=[0, 640], y_range=[-10.5, 480]),
        )
    if case == "panels":
        return rrb.Blueprint(
            rrb.Spatial3DView(
                eye_controls=rrb.EyeControls3D(
                    position=[1, 2, 3], tracking_entity="/world/robot", kind="FirstPerson"
                )
            ),
            rrb.BlueprintPanel(state="hidden"),
            rrb.SelectionPanel(expanded=False),
            rrb.TimePanel(state=rrb.PanelState.Expanded, timeline="frame", playback_speed=2.0, fps=24,
                          play_state="paused", loop_mode="all"),
            rrb.TopPanel(expanded=True),
        )
    if case == "collapsed":
        return rrb.Blueprint(
            rrb.TextLogView(origin="/logs"), rrb.TimePanel(expanded=True), collapse_panels=True
        )
    if case == "defaults":
        return rrb.Spatial3DView(
            origin="/world",
            defaults=[rr.Points3D([[0, 0, 0]], radii=0.5, colors=[255, 0, 0]), rr.TextLog("note")],
        )
    if case == "empty":
        return rrb.Blueprint(rrb.BlueprintPanel(expanded=True))
    if case == "spatial":  # spatial views' properties, overrides (every kind) and defaults
        start, end = rrb.TimeRangeBoundary.cursor_relative(seq=-10), rrb.TimeRangeBoundary.infinite()
        frame = rrb.VisibleTimeRange("frame", start=start, end=end)
        mapping = rrb.components.VisualizerComponentMapping(
            "Points3D:colors", "SourceComponent", source_component="custom:color"
        )
        radii = rr.Points3D.from_fields(radii=0.5).as_component_batches()
        # Drawn before the view, so its id comes first.
        q_visualizer = rrb.Visualizer("Points3D", overrides=radii, mappings=[mapping])
        box_color = rr.Boxes3D.from_fields(colors=[0, 255, 0]).as_component_batches()[0]
        return rrb.Blueprint(
            rrb.Horizontal(
                rrb.Spatial3DView(
                    origin="/world",
                    spatial_information=rrb.SpatialInformation("world", show_bounding_box=True),
                    time_ranges=frame,
                    overrides={
                        "/world/p": [rr.Points3D.from_fields(colors=[255, 0, 0]),
                                     rrb.EntityBehavior(visible=False)],
                        "world/q": q_visualizer,
                        "/world/lines": rr.LineStrips3D.from_fields(radii=0.1),
                        "/world/cam": [rr.Pinhole.from_fields(image_plane_distance=2.0),
                                       rrb.EntityBehavior(interactive=False, visible=True)],
                        # no visualizer: logged as is
                        "/world/tf": rr.Transform3D.from_fields(translation=[1, 2, 3]),
                        "/world/box": rrb.VisibleTimeRanges(timeline="frame",
                                                            range=rrb.TimeRange(start=-5, end=5)),
                    },
                    defaults=[rr.Points3D.from_fields(radii=0.2), box_color],
                ),
                rrb.Spatial2DView(
                    origin="/image",
                    background=rrb.BackgroundKind.SolidColor,
                    visual_bounds=rrb.VisualBounds2D(x_range=[0, 64], y_range=[0, 48]),
                    spatial_information=rrb.SpatialInformation("camera", axes=rr.ViewCoordinates.RDF),
                    time_ranges=[
                        rrb.VisibleTimeRange("frame", start=rrb.TimeRangeBoundary.absolute(seq=3),
                                             end=rrb.TimeRangeBoundary.cursor_relative()),
                        rrb.VisibleTimeRange("time", rrb.TimeRange(
                            start=rrb.TimeRangeBoundary.cursor_relative(seconds=-2.5),
                            end=rrb.TimeRangeBoundary.absolute(nanos=123))),
                    ],
                    overrides={"/image/boxes": [rr.Boxes2D.from_fields(show_labels=False),
                                                rr.Points2D.from_fields(radii=2.0)]},
                ),
            ),
        )
    if case == "plots":  # time series, bar chart, state timeline and the time panel's selection
        return rrb.Blueprint(
            rrb.Vertical(
                rrb.TimeSeriesView(
                    origin="/plot",
                    axis_x=rrb.TimeAxis(
                        link="LinkToGlobal",
                        view_range=rrb.TimeRange(start=rrb.TimeRangeBoundary.cursor_relative(seconds=-10),
                                                 end=rrb.TimeRangeBoundary.cursor_relative()),
                        zoom_lock=True,
                    ),
                    axis_y=rrb.ScalarAxis(range=(-1.5, 2.0), zoom_lock=rrb.LockRangeDuringZoom(False)),
                    plot_legend=rrb.Corner2D.LeftTop,
                    background=rrb.archetypes.PlotBackground(color=[10, 20, 30], show_grid=False),
                    interaction=rrb.PlotInteraction(tooltip_mode="All", points_display="Always"),
                    time_ranges=rrb.VisibleTimeRanges(timeline="time", start=rrb.TimeRangeBoundary.infinite(),
                                                      end=rrb.TimeRangeBoundary.absolute(seconds=1.5)),
                    overrides={"/plot/a": rr.SeriesLines.from_fields(colors=[255, 0, 0], widths=2.0),
                               "/plot/b": rr.SeriesPoints.from_fields(marker_sizes=3.0)},
                    defaults=[rr.SeriesLines.from_fields(widths=1.0)],
                ),
                rrb.BarChartView(plot_legend=rrb.PlotLegend(visible=False),
                                 background=rrb.archetypes.PlotBackground(color=[0, 0, 0])),
                rrb.StateTimelineView(
                    time_view=rrb.TimeAxis(link=rrb.components.LinkAxis.Independent),
                    time_ranges=rrb.VisibleTimeRange("frame", rrb.TimeRange(start=0, end=10)),
                ),
            ),
            rrb.TimePanel(timeline="frame", loop_mode="selection",
                          time_selection=rrb.components.AbsoluteTimeRange(10, 20)),
        )
    if case == "others":  # tensor, text, map, graph, dataframe and audio views
        return rrb.Grid(
            rrb.TensorView(
                slice_selection=rrb.TensorSliceSelection(
                    width=1,
                    height=rr.encodings.TensorDimensionSelection(0, invert=True),
                    indices=[rr.encodings.TensorDimensionIndexSelection(2, 5)],
                    slider=[2, 3],
                ),
                scalar_mapping=rrb.TensorScalarMapping(mag_filter="Linear", colormap="viridis", gamma=1.5),
                view_fit="FillKeepAspectRatio",
            ),
            rrb.TextLogView(
                columns=rrb.TextLogColumns(
                    timeline_columns=[rrb.components.TimelineColumn("log_time", visible=False)],
                    text_log_columns=[rrb.components.TextLogColumn("body"),
                                      rrb.components.TextLogColumn("LogLevel", visible=False)],
                ),
                rows=rrb.TextLogRows(filter_by_log_level=["ERROR", "WARN"]),
                format_options=rrb.TextLogFormat(monospace_body=True),
            ),
            rrb.TextDocumentView(format_options=rrb.archetypes.TextDocumentFormat(monospace=True)),
            rrb.MapView(zoom=12.5, background=rrb.MapProvider.MapboxDark),
            rrb.GraphView(
                background=rrb.archetypes.GraphBackground(color=[5, 5, 5]),
                visual_bounds=rrb.VisualBounds2D(x_range=[-1, 1], y_range=[-2, 2]),
                force_link=rrb.archetypes.ForceLink(enabled=True, distance=50.0, iterations=2),
                force_many_body=rrb.archetypes.ForceManyBody(strength=-60.0),
                force_position=rrb.archetypes.ForcePosition(strength=0.2, position=[1.0, 2.0]),
                force_collision_radius=rrb.archetypes.ForceCollisionRadius(enabled=False, iterations=3),
                force_center=rrb.archetypes.ForceCenter(enabled=True, strength=0.3),
            ),
            rrb.DataframeView(
                query=rrb.archetypes.DataframeQuery(
                    timeline="frame", filter_by_range=(1, 5), filter_is_not_null="/world/p:positions",
                    select=["frame", "/world/p:positions"],
                    entity_order=["/b", "/a"], apply_latest_at=True,
                )
            ),
            rrb.AudioView(playback=rrb.AudioPlayback(volume=0.5)),
            grid_columns=3,
        )
    if case == "table":  # rrb.TableBlueprint (saved on its own)
        preview = rrb.Spatial2DView(origin="/thumb")
        return rrb.TableBlueprint(
            table_layout=rrb.table.TableLayout(columns=[
                rrb.table.Column("name", name="Name", editable=False, column_type="rerun.components.Text"),
                rrb.table.Column("cam 1", visible=False, column_type=rrb.table.PreviewCell(preview)),
            ]),
            card_layout=rrb.table.CardLayout(title="name", fields=[rrb.table.Column("score")]),
            default_layout="cards",
            column_display_mode="Compact",
            previews_config=rrb.table.PreviewsConfig(timeline="frame", play_state="Playing", start_point=0.5),
            filters=[rrb.table.col("score") > 3, rrb.table.col("tags").list.str.starts_with("a_b"),
                     rrb.table.col("ok").is_not_true(), "x IS NOT NULL"],
            sort_by=rrb.table.SortBy("score", direction="Descending"),
        )
    raise SystemExit(f"unknown case {case}")


if mode == "send":
    rr.save(out)
    rr.log("world/p", rr.Points3D([[1, 2, 3]]))
    rr.send_blueprint(build(case))
elif mode == "send_inactive":  # before rr.save: kept until the file is opened
    rr.send_blueprint(build(case), make_active=False)
    rr.log("world/p", rr.Points3D([[1, 2, 3]]))
    rr.save(out)
elif mode == "default":
    rr.log("world/p", rr.Points3D([[1, 2, 3]]))
    rr.save(out, default_blueprint=build(case))
elif mode == "rbl":
    build(case).save("bp_interop", out)
else:
    raise SystemExit(f"unknown mode {mode}")
"""


def _run(script: Path, sdk: str, out: Path, case: str, mode: str) -> None:
    proc = subprocess.run(
        [sys.executable, str(script), sdk, str(out), case, mode],
        capture_output=True,
        text=True,
        env=ENV,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr


def _blueprint_as_recording(src: Path, dst: Path) -> int:
    """Copy the (single) blueprint store of `src` into `dst` as a recording store; returns its chunk count."""
    n = 0
    with RrdWriter(dst) as writer:
        store = None
        for frame in read_frames(src):
            if frame.kind != MessageKind.ARROW_MSG or frame.store_id.kind != StoreKind.BLUEPRINT:
                continue
            if store is None:
                store = StoreId(StoreKind.RECORDING, "blueprint", frame.store_id.application_id)
                writer.write_store_info(StoreInfo(store))
            writer.write_chunk(store, frame.chunk)
            n += 1
    return n


def _blueprint_messages(path: Path) -> tuple[set[StoreId], list[tuple[str, bool, bool]]]:
    stores, activations = set(), []
    for frame in read_frames(path):
        if frame.kind == MessageKind.SET_STORE_INFO and frame.message.store_id.kind == StoreKind.BLUEPRINT:
            stores.add(frame.message.store_id)
        elif frame.kind == MessageKind.BLUEPRINT_ACTIVATION:
            m = frame.message
            activations.append((m.blueprint_id.application_id, m.make_active, m.make_default))
            assert m.blueprint_id in stores, "activation before its store"
    return stores, activations


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bp_script") / "blueprint_script.py"
    path.write_text(SCRIPT)
    return path


CASES = [
    ("eye3d", "send"),
    ("nested", "send"),
    ("bounds2d", "send"),
    ("panels", "send"),
    ("collapsed", "send"),
    ("empty", "send"),
    ("defaults", "send"),
    ("eye3d", "default"),
    ("nested", "send_inactive"),
    ("eye3d", "rbl"),
    ("panels", "rbl"),
    ("spatial", "send"),
    ("plots", "default"),
    ("others", "send"),
    ("table", "rbl"),
]


@pytest.mark.interop
@pytest.mark.parametrize(("case", "mode"), CASES)
def test_blueprint_equals_rerun_sdk(case: str, mode: str, script: Path, tmp_path: Path, rerun_cli) -> None:
    theirs, ours = tmp_path / "theirs.rrd", tmp_path / "ours.rrd"
    _run(script, "rerun", theirs, case, mode)
    _run(script, "rerender", ours, case, mode)

    verify = rerun_cli("rrd", "verify", ours)
    assert verify.returncode == 0, verify.stderr

    if mode != "rbl":  # the recording beside the blueprint is unchanged
        compare = rerun_cli("rrd", "compare", "--unordered", theirs, ours)
        assert compare.returncode == 0, compare.stderr + compare.stdout

    their_stores, their_activations = _blueprint_messages(theirs)
    our_stores, our_activations = _blueprint_messages(ours)
    assert len(our_stores) == len(their_stores) == 1
    (store,) = our_stores
    assert store.application_id == APP and store.recording_id.startswith("rec_")
    assert our_activations == their_activations

    bp_theirs, bp_ours = tmp_path / "bp_theirs.rrd", tmp_path / "bp_ours.rrd"
    n = _blueprint_as_recording(theirs, bp_theirs)
    assert n > 0 and _blueprint_as_recording(ours, bp_ours) == n
    compare = rerun_cli("rrd", "compare", "--unordered", bp_theirs, bp_ours)
    assert compare.returncode == 0, compare.stderr + compare.stdout


@pytest.mark.interop
@pytest.mark.parametrize(
    ("case", "mode"), [("eye3d", "send"), ("panels", "rbl"), ("nested", "default"), ("spatial", "send")]
)
def test_blueprint_reads_back_like_rerun_sdk(case: str, mode: str, script: Path, tmp_path: Path) -> None:
    """`rerender.load(kind="blueprint")` opens ours; `blueprint_layer` gives the same settings for both."""
    import rerender
    from rerender.pipeline.blueprint import blueprint_layer, blueprint_state, list_views

    theirs, ours = tmp_path / "theirs.rrd", tmp_path / "ours.rrd"
    _run(script, "rerun", theirs, case, mode)
    _run(script, "rerender", ours, case, mode)
    bp = rerender.load(ours, kind="blueprint")
    assert blueprint_state(bp) == blueprint_state(rerender.load(theirs, kind="blueprint"))
    assert list_views(ours) == list_views(theirs)
    layer_theirs, layer_ours = blueprint_layer(theirs), blueprint_layer(ours)
    assert layer_ours is not None and layer_theirs is not None
    assert layer_ours.values == layer_theirs.values
    if case == "eye3d":
        assert layer_ours.values["camera"]["kind"] == "orbit"
        assert layer_ours.values["look"] == {"background": "#1e2832", "grid": False}


# ---- in-process checks (no rerun-sdk needed beyond the skip above) ------------------------------------


def test_ids_are_public_and_fixed_ids_give_fixed_paths(tmp_path: Path) -> None:
    import rerender.blueprint as rrb
    from rerender.pipeline.blueprint import list_views

    view = rrb.Spatial3DView(origin="/world", name="fixed")
    view.id = uuid.UUID(int=7)
    bp = rrb.Blueprint(view)
    bp.root_container.id = uuid.UUID(int=8)
    bp.save(APP, tmp_path / "fixed.rbl")
    (info,) = list_views(tmp_path / "fixed.rbl")
    assert info.entity == "/view/00000000-0000-0000-0000-000000000007"
    assert info.name == "fixed" and info.origin == "/world"


def test_save_default_path_is_app_id_rbl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rerender.blueprint as rrb

    monkeypatch.chdir(tmp_path)
    rrb.TimeSeriesView().to_blueprint().save("my_app")
    assert (tmp_path / "my_app.rbl").exists()


def test_send_blueprint_reaches_memory_recording_and_survives_disconnect(tmp_path: Path) -> None:
    import rerender as rr
    import rerender.blueprint as rrb

    rec = rr.RecordingStream(APP)
    rec.send_blueprint(rrb.Spatial3DView(), make_default=False)
    rec.disconnect()  # still buffering: the blueprint waits for a real sink
    out = tmp_path / "late.rrd"
    rec.save(out)
    rec.disconnect()
    stores, activations = _blueprint_messages(out)
    assert len(stores) == 1 and activations == [(APP, True, False)]

    rec2 = rr.RecordingStream(APP)
    handle = rec2.memory_recording()
    rr.send_blueprint(rrb.Blueprint(rrb.TextLogView()), recording=rec2)
    stores, activations = _blueprint_messages_bytes(handle.drain_as_bytes())
    assert len(stores) == 1 and activations == [(APP, True, True)]


def _blueprint_messages_bytes(data: bytes) -> tuple[set[StoreId], list[tuple[str, bool, bool]]]:
    frames = list(read_frames(data))
    stores = {
        f.message.store_id
        for f in frames
        if f.kind == MessageKind.SET_STORE_INFO and f.message.store_id.kind == StoreKind.BLUEPRINT
    }
    activations = [
        (f.message.blueprint_id.application_id, f.message.make_active, f.message.make_default)
        for f in frames
        if f.kind == MessageKind.BLUEPRINT_ACTIVATION
    ]
    return stores, activations


def test_bad_input_is_reported_like_rerun_sdk() -> None:
    import rerender.blueprint as rrb

    with pytest.raises(ValueError, match="Both x_range and y_range"):
        rrb.VisualBounds2D(x_range=[0, 1])
    with pytest.raises(ValueError, match="Active tab 'nope' not found"):
        rrb.Tabs(rrb.TextLogView(name="a"), active_tab="nope").to_blueprint().log_to(_Log())
    with pytest.raises(ValueError, match="Only one time panel"):
        rrb.Blueprint(rrb.TimePanel(), rrb.TimePanel())
    with pytest.raises(ValueError, match="Cannot set both"):
        rrb.BlueprintPanel(expanded=True, state="hidden")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bg = rrb.Background(color="not a color")
        from rerender.blueprint.api import build_blueprint_store

        store = build_blueprint_store(rrb.Spatial3DView(background=bg), APP)
    assert any("Background" in str(w.message) for w in caught)
    assert not any(c.entity_path.endswith("/Background") for c in store.chunks)


class _Log:
    def log(self, *args, **kwargs) -> None:
        pass
