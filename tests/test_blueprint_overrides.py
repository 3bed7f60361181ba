"""`pipeline/blueprint.py`: a 3D view's per-entity overrides and component defaults (written by rerun-sdk)
as `[[entities.rules]]`, and renders that honour them; `EntityRule.radius`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import rerender
from rerender.pipeline.blueprint import blueprint_layer
from rerender.pipeline.config import ConfigError, SettingsLayer, build_settings, read_config
from rerender.pipeline.render_job import RenderJob, render_still
from rerender.pipeline.settings import OutputSettings, RenderSettings
from rerender.scene.overrides import EntityFilter, EntityRule, apply_entity_filter
from rerender.scene.visuals import LinesVisual, PointsVisual, Scene
from rerender.values import Color, Size

rr = pytest.importorskip("rerun")
rrb = pytest.importorskip("rerun.blueprint")

SIZE = Size(160, 120)
EYE = rrb.EyeControls3D(position=[3, -2.5, 2], look_target=[0.5, 0.5, 0.5])


def _save(path: Path, view) -> Path:
    rec = rr.RecordingStream("bp_test", recording_id="r")
    rec.log("world/pts", rr.Points3D([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 1]], radii=0.05), static=True)
    rec.log("world/marker", rr.Points3D([[0.5, 0.5, 0.5]], radii=0.3, colors=[0, 255, 0]), static=True)
    rec.log("world/line", rr.LineStrips3D([[[0, 0, 1], [1, 1, 1]]], radii=0.02), static=True)
    rec.save(path, default_blueprint=rrb.Blueprint(view))
    return path


def _rules(path: Path, entity_paths=None) -> list[dict]:
    layer = blueprint_layer(path, entity_paths=entity_paths)
    assert isinstance(layer, SettingsLayer)
    return layer.values["entities"]["rules"]


# --- the layer's rules ---------------------------------------------------------------------------------


def test_overrides_and_defaults_become_rules(tmp_path: Path) -> None:
    view = rrb.Spatial3DView(
        origin="/world",
        overrides={
            "world/marker": [rr.Points3D.from_fields(colors=[255, 0, 0], radii=0.1)],
            "/world/pts": rrb.EntityBehavior(visible=False, interactive=False),
            "world/line": rr.LineStrips3D.from_fields(colors=[0, 0, 255, 128], radii=-2.0),
        },
        defaults=[rr.Points3D.from_fields(radii=0.25, colors=[10, 20, 30])],
    )
    path = _save(tmp_path / "r.rrd", view)
    assert _rules(path) == [
        {"path": "/world/**", "color": "#0a141e", "radius": 0.25},  # the defaults first
        {"path": "/world/line", "color": "#0000ff80", "radius": -2.0},
        {"path": "/world/marker", "color": "#ff0000", "radius": 0.1},
        {"path": "/world/pts", "visible": False},
    ]
    settings = build_settings([blueprint_layer(path)]).settings
    assert settings.entities.rules[2] == EntityRule(path="/world/marker", color=Color(255, 0, 0), radius=0.1)
    assert settings.entities.include == ("/world/**",)


def test_visible_override_true_and_other_archetypes_change_nothing(tmp_path: Path) -> None:
    view = rrb.Spatial3DView(
        origin="/",
        contents=["+ /world/**", "- /world/marker"],
        overrides={
            "world/marker": rrb.EntityBehavior(visible=True),  # does not bring back what contents leave out
            "world/pts": [rr.Boxes3D.from_fields(colors=[255, 0, 0])],  # not something rerender draws
        },
    )
    values = blueprint_layer(_save(tmp_path / "r.rrd", view)).values
    assert values["entities"] == {"include": ["/world/**"], "exclude": ["/world/marker"]}


def test_rules_for_entities_not_in_the_recording_are_left_out(tmp_path: Path) -> None:
    view = rrb.Spatial3DView(
        origin="/world",
        overrides={
            "world/gone": rrb.EntityBehavior(visible=False),
            "world/marker": rrb.EntityBehavior(visible=False),
        },
    )
    path = _save(tmp_path / "r.rrd", view)
    entity_paths = rerender.load(path).entity_paths
    assert _rules(path, entity_paths) == [{"path": "/world/marker", "visible": False}]
    assert {"path": "/world/gone", "visible": False} in _rules(path)


# --- EntityRule.radius -----------------------------------------------------------------------------------


def test_rule_radius_replaces_radii_before_the_scale() -> None:
    points = PointsVisual(
        "/p",
        np.zeros((2, 3), np.float32),
        np.full((2, 4), 255, np.uint8),
        np.array([0.1, -3.0], np.float32),
    )
    lines = LinesVisual.from_strips(
        "/l", [np.zeros((2, 3), np.float32)], np.full((1, 4), 255, np.uint8), np.array([0.5], np.float32)
    )
    scene = Scene(points=(points,), lines=(lines,))
    rules = (
        EntityRule(path="/**", radius=-2.0),
        EntityRule(path="/p", radius=0.4, radius_scale=2.0),
    )
    out = apply_entity_filter(scene, EntityFilter(rules=rules))
    assert np.allclose(out.points[0].radii, [0.8, 0.8])
    assert np.allclose(out.lines[0].radii, [-2.0])


def test_config_reads_a_rule_radius(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[[entities.rules]]\npath = "/world/pts"\nradius = -3\n')
    settings = build_settings([read_config(config)]).settings
    assert settings.entities.rules == (EntityRule(path="/world/pts", radius=-3.0),)
    config.write_text('[[entities.rules]]\npath = "/world/pts"\nradius = "big"\n')
    with pytest.raises(ConfigError, match="radius"):
        build_settings([read_config(config)])


# --- renders -------------------------------------------------------------------------------------------


def _render(path: Path, out: Path) -> np.ndarray:
    import imageio.v3 as iio

    settings = build_settings([blueprint_layer(path)]).settings
    settings = RenderSettings(
        output=OutputSettings(size=SIZE),
        camera=settings.camera,
        look=settings.look,
        entities=settings.entities,
    )
    render_still(RenderJob(rerender.load(path), out, settings))
    return np.asarray(iio.imread(out))[..., :3].astype(int)


def _count(image: np.ndarray, rgb: tuple[int, int, int]) -> int:
    """Pixels of (about) this hue: the wanted channels high, the others low."""
    mask = np.ones(image.shape[:2], bool)
    for i, c in enumerate(rgb):
        mask &= image[..., i] > 120 if c else image[..., i] < 80
    return int(mask.sum())


GREEN, RED = (0, 255, 0), (255, 0, 0)


def test_render_hidden_recoloured_and_resized(tmp_path: Path) -> None:
    plain = _render(
        _save(tmp_path / "plain.rrd", rrb.Spatial3DView(origin="/world", eye_controls=EYE)),
        tmp_path / "a.png",
    )
    hidden = _render(
        _save(
            tmp_path / "hidden.rrd",
            rrb.Spatial3DView(
                origin="/world",
                eye_controls=EYE,
                overrides={"world/marker": rrb.EntityBehavior(visible=False)},
            ),
        ),
        tmp_path / "b.png",
    )
    red = _render(
        _save(
            tmp_path / "red.rrd",
            rrb.Spatial3DView(
                origin="/world",
                eye_controls=EYE,
                overrides={"world/marker": [rr.Points3D.from_fields(colors=[255, 0, 0])]},
            ),
        ),
        tmp_path / "c.png",
    )
    small = _render(
        _save(
            tmp_path / "small.rrd",
            rrb.Spatial3DView(
                origin="/world",
                eye_controls=EYE,
                overrides={"world/marker": [rr.Points3D.from_fields(radii=0.1)]},
            ),
        ),
        tmp_path / "d.png",
    )
    assert _count(plain, GREEN) > 200 and _count(plain, RED) == 0
    assert _count(hidden, GREEN) == 0
    assert (hidden != hidden[0, 0]).any(axis=-1).sum() > 0  # the rest still drawn
    assert _count(red, GREEN) == 0 and _count(red, RED) > 0.8 * _count(plain, GREEN)
    # radius 0.3 -> 0.1: about a ninth of the disc's area
    assert 0 < _count(small, GREEN) < 0.25 * _count(plain, GREEN)


def test_render_view_defaults(tmp_path: Path) -> None:
    view = rrb.Spatial3DView(
        origin="/world", eye_controls=EYE, defaults=[rr.Points3D.from_fields(colors=[255, 0, 0])]
    )
    image = _render(_save(tmp_path / "r.rrd", view), tmp_path / "a.png")
    assert _count(image, RED) > 200  # approximated: the default colour replaces logged colours too
    overridden = rrb.Spatial3DView(
        origin="/world",
        eye_controls=EYE,
        defaults=[rr.Points3D.from_fields(colors=[255, 0, 0])],
        overrides={"world/marker": [rr.Points3D.from_fields(colors=[0, 255, 0])]},
    )
    image = _render(_save(tmp_path / "o.rrd", overridden), tmp_path / "b.png")
    assert _count(image, GREEN) > 200  # an entity's own override wins over the view's default


def test_cli_render_honours_overrides(tmp_path: Path) -> None:
    import imageio.v3 as iio
    from click.testing import CliRunner

    from rerender.cli import main

    view = rrb.Spatial3DView(
        origin="/world", eye_controls=EYE, overrides={"world/marker": rrb.EntityBehavior(visible=False)}
    )
    path = _save(tmp_path / "r.rrd", view)
    out = tmp_path / "still.png"
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(out), "--size", "160x120", "-q"])
    assert result.exit_code == 0, result.output
    assert _count(np.asarray(iio.imread(out))[..., :3].astype(int), GREEN) == 0
    result = CliRunner().invoke(
        main, ["render", str(path), "-o", str(out), "--size", "160x120", "-q", "--no-blueprint"]
    )
    assert result.exit_code == 0, result.output
    assert _count(np.asarray(iio.imread(out))[..., :3].astype(int), GREEN) > 0
