"""Config files, presets, `--set` and flags: layering, origins, validation messages, the key locator."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from rerender.camera.specs import Keyframe, KeyframesCamera, OrbitCamera
from rerender.cli.params import ASSIGNMENT, COLOR, SIZE, TIME
from rerender.pipeline.config import (
    ConfigError,
    Origin,
    build_settings,
    check_names,
    flags_layer,
    preset_layer,
    read_config,
    set_layer,
)
from rerender.pipeline.settings import RenderSettings
from rerender.pipeline.toml_file import locate_keys
from rerender.scene.overrides import EntityFilter, EntityRule
from rerender.values import Color, Size, TimeValue

TIMELINES = ["frame", "log_time"]
ENTITIES = ["/world", "/world/robot", "/world/points", "/camera/image"]


def _build(tmp_path: Path, text: str, *more) -> object:
    path = tmp_path / "orbit.toml"
    path.write_text(text)
    return build_settings([read_config(path), *more])


# (config text, what else to do, fragments the message must contain)
INVALID = {
    "toml syntax": ("[output]\nfps = 30\ncrf = = 2\n", None, ["orbit.toml:3:", "invalid TOML", "column 7"]),
    "toml unclosed array": ("[output]\nsize = [1, 2\n", None, ["orbit.toml:", "invalid TOML"]),
    "unknown table": (
        "[output]\nfps = 30\n\n[outptu]\ncrf = 2\n",
        None,
        ["orbit.toml:4:", "unknown table [outptu]", "did you mean 'output'"],
    ),
    "unknown top-level key": (
        "\nfps = 30\n",
        None,
        ["orbit.toml:2:", "unknown key 'fps'", "did you mean 'output.fps'"],
    ),
    "unknown key, close match": (
        '[output]\nfps = 30\n\n[camera]\nkind = "orbit"\nradius = 2\nradiu = 3\n',
        None,
        [
            "orbit.toml:7:",
            "camera.radiu",
            "unknown key 'radiu' in [camera] (kind orbit)",
            "did you mean 'radius'?",
        ],
    ),
    "unknown key, no close match": (
        "[look]\ngrid = true\nzzz = 1\n",
        None,
        ["orbit.toml:3:", "look.zzz", "the keys are: background, grid, msaa"],
    ),
    "key of another camera kind": (
        '[camera]\nkind = "orbit"\nposition = [1, 2, 3]\n',
        None,
        ["orbit.toml:3:", "camera.position", "'position' is a key of camera kind fixed;"],
    ),
    "unknown camera kind": (
        '[camera]\nkind = "orbt"\n',
        None,
        ["orbit.toml:2:", "camera.kind", "did you mean 'orbit'?"],
    ),
    "fps wrong type": (
        '[output]\nfps = "fast"\n',
        None,
        ["orbit.toml:2:", "output.fps", "invalid value 'fast'", "`float`"],
    ),
    "fps zero": ("[output]\nfps = 0\n", None, ["orbit.toml:2:", "output.fps", "expected `float` > 0.0"]),
    "crf 99": ("[output]\n\ncrf = 99\n", None, ["orbit.toml:3:", "output.crf", "expected `int` <= 63"]),
    "msaa 3": ("[look]\nmsaa = 3\n", None, ["orbit.toml:2:", "look.msaa", "expected one of 0, 2, 4, 8"]),
    "format avi": ('[output]\nformat = "avi"\n', None, ["orbit.toml:2:", "output.format", "'mp4', 'webm'"]),
    "fov 200": (
        '[camera]\nkind = "fixed"\nposition = [1, 2, 3]\nfov = 200\n',
        None,
        ["orbit.toml:4:", "camera.fov", "< 180.0"],
    ),
    "point of two values": (
        '[camera]\nkind = "fixed"\nposition = [1, 2]\n',
        None,
        ["orbit.toml:3:", "camera.position", "length 3"],
    ),
    "missing required key": (
        '[camera]\nfov = 30\nkind = "fixed"\n',
        None,
        ["orbit.toml:3:", "missing required key 'position'"],
    ),
    "bad size": (
        '[output]\nsize = "640"\n',
        None,
        ["orbit.toml:2:", "output.size", "'640' is not a size; expected WIDTHxHEIGHT"],
    ),
    "bad colour": (
        '[look]\nbackground = "#ggg"\n',
        None,
        ["orbit.toml:2:", "look.background", "is not a colour"],
    ),
    "bad time": ("[time]\nstart = true\n", None, ["orbit.toml:2:", "time.start", "is not a time"]),
    "start after end": ("[time]\nstart = 10\nend = 5\n", None, ["orbit.toml:3:", "time.end", "before start"]),
    "orbit turns and period": (
        '[camera]\nkind = "orbit"\nturns = 2\nperiod = 4\n',
        None,
        ["orbit.toml:4:", "camera.period", "turns` (set at ", "orbit.toml:3"],
    ),
    "empty keyframes": (
        '[camera]\nkind = "keyframes"\nkeyframes = []\n',
        None,
        ["orbit.toml:3:", "camera.keyframes", "at least one"],
    ),
    "unknown key in a keyframe": (
        '[camera]\nkind = "keyframes"\n\n[[camera.keyframes]]\ntime = 0\nposition = [0, 0, 1]\n\n'
        "[[camera.keyframes]]\ntime = 1\nposition = [0, 1, 1]\nfob = 30\n",
        None,
        ["orbit.toml:11:", "camera.keyframes[1].fob", "did you mean 'fov'?"],
    ),
    "keyframe out of range": (
        '[camera]\nkind = "keyframes"\nkeyframes = [\n  {time = 0, position = [0, 0, 1]},\n'
        "  {time = 1, position = [0, 1, 1], fov = 0},\n]\n",
        None,
        ["orbit.toml:5:", "camera.keyframes[1].fov", "> 0.0"],
    ),
    "two keyframes at one time": (
        '[camera]\nkind = "keyframes"\n[[camera.keyframes]]\ntime = 2\nposition = [0, 0, 1]\n'
        "[[camera.keyframes]]\ntime = 2.0\nposition = [0, 1, 1]\n",
        None,
        ["orbit.toml:7:", "camera.keyframes[1].time", "keyframes[0] has the same time"],
    ),
    "loop period shorter than the path": (
        '[camera]\nkind = "keyframes"\nloop = true\nperiod = 1\nkeyframes = [\n'
        "  {time = 0, position = [0, 0, 1]},\n  {time = 2, position = [0, 1, 1]},\n]\n",
        None,
        ["orbit.toml:4:", "camera.period", "not longer than the keyframes' span of 2 s"],
    ),
    "keyframes period without loop": (
        '[camera]\nkind = "keyframes"\nperiod = 5\nkeyframes = [{time = 0, position = [0, 0, 1]}]\n',
        None,
        ["orbit.toml:3:", "camera.period", "expected `loop = true`"],
    ),
    "zero up": (
        '[camera]\nkind = "orbit"\nup = [0, 0, 0]\n',
        None,
        ["orbit.toml:3:", "camera.up", "no direction"],
    ),
    "rule radius scale": (
        '[[entities.rules]]\npath = "/world/**"\n\n[[entities.rules]]\npath = "/a"\nradius_scale = -1\n',
        None,
        ["orbit.toml:6:", "entities.rules[1].radius_scale", "> 0.0"],
    ),
    "rule bad colour": (
        '[entities]\nrules = [{path = "/a", color = [1, 2]}]\n',
        None,
        ["orbit.toml:2:", "entities.rules[0].color"],
    ),
    "unknown timeline": (
        '[time]\n\ntimeline = "frme"\n',
        "names",
        ["orbit.toml:3:", "time.timeline", "did you mean 'frame'?", "frame, log_time"],
    ),
    "unknown entity glob": (
        '[entities]\ninclude = [\n  "/world/**",\n  "/wrld/robot",\n]\n',
        "names",
        ["orbit.toml:4:", "entities.include[1]", "matches no entity", "did you mean '/world/robot'?"],
    ),
    "unknown rule glob": (
        '[[entities.rules]]\npath = "/nothing/**"\nvisible = false\n',
        "names",
        ["orbit.toml:2:", "entities.rules[0].path", "its entities are"],
    ),
    "unknown camera entity": (
        '[camera]\nkind = "follow"\nentity = "/world/robbot"\n',
        "names",
        ["orbit.toml:3:", "camera.entity", "not an entity", "did you mean '/world/robot'?"],
    ),
    "unknown keyframe look_at": (
        '[camera]\nkind = "keyframes"\n[[camera.keyframes]]\ntime = 0\nposition = [0, 0, 1]\n'
        'look_at = "/nope"\n',
        "names",
        ["orbit.toml:6:", "camera.keyframes[0].look_at", "not an entity"],
    ),
}


@pytest.mark.parametrize("text, then, fragments", list(INVALID.values()), ids=list(INVALID))
def test_invalid_config_names_file_line_and_key(
    tmp_path: Path, text: str, then, fragments: list[str]
) -> None:
    with pytest.raises(ConfigError) as raised:
        resolved = _build(tmp_path, text)
        if then == "names":
            check_names(resolved, TIMELINES, ENTITIES)
    message = str(raised.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


NOT_FROM_FILES = {
    "--set without =": (
        lambda: set_layer(["camera.radius"]),
        ["--set 'camera.radius'", "no '='", "KEY.PATH=VALUE"],
    ),
    "--set bad key": (lambda: set_layer(["camera radius=3"]), ["not a key path"]),
    "--set out of range": (
        lambda: build_settings([set_layer(["camera.kind=orbit", "camera.radius=-2"])]),
        ["--set camera.radius: invalid value -2", "> 0.0"],
    ),
    "unknown preset": (
        lambda: preset_layer("papr"),
        ["--quality", "unknown preset 'papr'", "did you mean 'paper'?"],
    ),
    "flag out of range": (
        lambda: build_settings([flags_layer({"output.fps": 0.0})]),
        ["command line --fps: invalid value 0.0"],
    ),
    "flag named explicitly": (
        lambda: build_settings([flags_layer({"camera.kind": "orbt"}, {"camera.kind": "--camera"})]),
        ["command line --camera: unknown camera kind 'orbt'"],
    ),
    "missing file": (lambda: read_config("/nonexistent/orbit.toml"), ["orbit.toml: no such config file"]),
}


@pytest.mark.parametrize("action, fragments", list(NOT_FROM_FILES.values()), ids=list(NOT_FROM_FILES))
def test_invalid_settings_from_the_command_line(action, fragments: list[str]) -> None:
    with pytest.raises(ConfigError) as raised:
        action()
    for fragment in fragments:
        assert fragment in str(raised.value), str(raised.value)


def test_layers_later_wins_and_origins_point_at_the_winner(tmp_path: Path) -> None:
    one, two = tmp_path / "one.toml", tmp_path / "two.toml"
    one.write_text('[output]\ncrf = 20\nfps = 24\nformat = "webm"\n\n[look]\ngrid = true\n')
    two.write_text("[output]\nfps = 25\n\n[time]\nstep = 2\nspeed = 3.0\n")
    layers = [
        preset_layer("paper"),  # size 1920x1080, crf 16, preset slow, msaa 8, background #ffffff
        read_config(one),
        read_config(two),
        set_layer(["time.step=3", "look.msaa=4"]),
        flags_layer({"time.step": 4, "output.size": Size(320, 240), "look.grid": None}),
    ]
    resolved = build_settings(layers)
    s = resolved.settings
    assert s.output.size == Size(320, 240)  # flag over preset
    assert s.output.crf == 20  # config 1 over preset
    assert s.output.fps == 25.0  # config 2 over config 1
    assert s.output.preset == "slow"  # preset over default
    assert s.output.format == "webm"
    assert s.time.step == 4 and s.time.speed == 3.0  # flag over --set over config 2
    assert s.look.msaa == 4 and s.look.grid is True  # --set over preset; a None flag is not given
    assert s.look.background == Color(255, 255, 255)
    assert s.camera == RenderSettings().camera and s.entities == EntityFilter()

    assert resolved.origin("output.size") == Origin("command line", None, "--size")
    assert resolved.origin("time.step") == Origin("command line", None, "--step")
    assert resolved.origin("look.msaa") == Origin("--set")
    assert resolved.origin("output.fps") == Origin(str(two), 2)
    assert resolved.origin("output.crf") == Origin(str(one), 2)
    assert resolved.origin("look.grid") == Origin(str(one), 7)
    assert resolved.origin("output.preset") == Origin("--quality paper")
    assert resolved.origin("camera.fov") is None  # a built-in default
    assert str(resolved.origin("output.fps")) == f"{two}:2"


def test_a_new_camera_kind_drops_the_older_kinds_keys(tmp_path: Path) -> None:
    config = tmp_path / "path.toml"
    config.write_text(
        '[camera]\nkind = "keyframes"\nfov = 40\n[[camera.keyframes]]\ntime = 0\nposition = [0, 0, 5]\n'
    )
    resolved = build_settings([read_config(config), flags_layer({"camera.kind": "orbit"})])
    assert resolved.settings.camera == OrbitCamera()  # no keyframes (unknown to orbit), no fov 40
    assert resolved.origin("camera.keyframes[0].position") == Origin("command line")  # the new table

    # The same kind again keeps the older keys and merges.
    resolved = build_settings([read_config(config), set_layer(["camera.kind=keyframes", "camera.loop=true"])])
    camera = resolved.settings.camera
    assert isinstance(camera, KeyframesCamera) and camera.fov == 40.0 and camera.loop
    assert resolved.origin("camera.fov") == Origin(str(config), 3)
    assert resolved.origin("camera.keyframes[0].position") == Origin(str(config), 6)


def test_arrays_are_replaced_whole(tmp_path: Path) -> None:
    resolved = build_settings(
        [
            set_layer(["entities.include=['/a', '/b']", "camera.kind=orbit", "camera.center=[0, 0, 1]"]),
            set_layer(["entities.include=['/c']", "camera.center=/world/robot"]),
        ]
    )
    assert resolved.settings.entities.include == ("/c",)
    assert resolved.settings.camera.center == "/world/robot"  # type: ignore[union-attr]
    assert "entities.include[1]" not in resolved.origins


def test_set_values_are_toml_or_text() -> None:
    values = set_layer(
        [
            "camera.radius=12",
            "camera.center=[0, 0, 1]",
            "look.background=#ffffff",
            "look.grid=true",
            "output.size=640x360",
            "time.timeline=2024",  # a name, though it parses as a number
            "time.start=1e3",  # a time, kept as typed
            'time.end="end"',
        ]
    ).values
    assert values["camera"] == {"radius": 12, "center": [0, 0, 1]}
    assert values["look"] == {"background": "#ffffff", "grid": True}
    assert values["output"] == {"size": "640x360"}
    assert values["time"] == {"timeline": "2024", "start": "1e3", "end": "end"}


FULL = """\
[output]
size = [1920, 1080]
fps = 60
format = "mp4"
crf = 18
preset = "slow"

[time]
timeline = "frame"
start = 10
end = "end"
step = 2
speed = 0.5
every_tick = true

[camera]
kind = "keyframes"
times = "timeline"
loop = true
period = 12.5
constant_speed = true
tension = 0.5
fov = 50

[[camera.keyframes]]
time = 10
position = [5, 0, 2]
look_at = "/world/robot"

[[camera.keyframes]]
time = 20
position = [0, 5, 2]
look_at = [0, 0, 0]
up = [0, 0, 1]
fov = 35
ease = "ease-in-out"
hold = 1.5

[look]
background = "#ffffff80"
grid = true
msaa = 4

[entities]
include = ["/world/**"]
exclude = ["/camera/**"]

[[entities.rules]]
path = "/world/points"
color = [255, 0, 0]
radius_scale = 2

[[entities.rules]]
path = "/world/robot/**"
visible = false
"""


def test_a_full_config_parses_into_render_settings(tmp_path: Path) -> None:
    settings = _build(tmp_path, FULL).settings
    assert settings.output.size == Size(1920, 1080)
    assert (settings.output.fps, settings.output.format, settings.output.crf) == (60.0, "mp4", 18)
    assert settings.output.preset == "slow"
    t = settings.time
    assert (t.timeline, t.start, t.end, t.step, t.speed, t.every_tick) == (
        "frame",
        TimeValue("10"),
        TimeValue("end"),
        2,
        0.5,
        True,
    )
    assert settings.camera == KeyframesCamera(
        keyframes=(
            Keyframe(time=TimeValue("10"), position=(5.0, 0.0, 2.0), look_at="/world/robot"),
            Keyframe(
                time=TimeValue("20"),
                position=(0.0, 5.0, 2.0),
                look_at=(0.0, 0.0, 0.0),
                up=(0.0, 0.0, 1.0),
                fov=35.0,
                ease="ease-in-out",
                hold=1.5,
            ),
        ),
        times="timeline",
        loop=True,
        period=12.5,
        constant_speed=True,
        tension=0.5,
        fov=50.0,
    )
    assert settings.look.background == Color(255, 255, 255, 128)
    assert settings.look.grid is True and settings.look.msaa == 4
    assert settings.entities == EntityFilter(
        include=("/world/**",),
        exclude=("/camera/**",),
        rules=(
            EntityRule(path="/world/points", color=Color(255, 0, 0), radius_scale=2.0),
            EntityRule(path="/world/robot/**", visible=False),
        ),
    )
    check_names(_build(tmp_path, FULL), TIMELINES, ENTITIES)  # every name exists


def test_empty_layers_give_the_defaults(tmp_path: Path) -> None:
    assert build_settings([]).settings == RenderSettings()
    assert _build(tmp_path, "# nothing\n").settings == RenderSettings()


def test_toml_dates_are_times(tmp_path: Path) -> None:
    settings = _build(tmp_path, "[time]\nstart = 2024-05-01T12:00:00Z\n").settings
    assert settings.time.start == TimeValue("2024-05-01T12:00:00+00:00")


TRICKY = """\
# a comment with [brackets] and key = value
title = "a [not a table] = still a string"  # trailing comment
multi = \"\"\"
[not.a.table]
x = 1
\"\"\"
literal = '''
[neither]'''
"quoted.key" = 1
dotted.key.path = 2   # dotted

[camera]
kind = "keyframes"
center = [
  0,   # x
  [1, 2],
  3,
]
inline = { a = 1, b = { c = "]" }, d = [1, 2] }

[[camera.keyframes]]
time = 0

[[camera.keyframes]]
time = 1
position = [1, 2, 3]

[camera.keyframes.extra]
x = 1

[ entities ]
rules = [
  { path = "/a" },
  { path = "/b", color = "#fff" },
]
"""


def test_locator_on_tricky_toml() -> None:
    lines = locate_keys(TRICKY)
    expected = {
        "title": 2,
        "multi": 3,
        "literal": 7,
        "quoted.key": 9,
        "dotted": 10,
        "dotted.key": 10,
        "dotted.key.path": 10,
        "camera": 12,
        "camera.kind": 13,
        "camera.center": 14,
        "camera.center[0]": 15,
        "camera.center[1]": 16,
        "camera.center[1][1]": 16,
        "camera.center[2]": 17,
        "camera.inline": 19,
        "camera.inline.b.c": 19,
        "camera.inline.d[1]": 19,
        "camera.keyframes": 21,
        "camera.keyframes[0]": 21,
        "camera.keyframes[0].time": 22,
        "camera.keyframes[1]": 24,
        "camera.keyframes[1].time": 25,
        "camera.keyframes[1].position": 26,
        "camera.keyframes[1].extra": 28,
        "camera.keyframes[1].extra.x": 29,
        "entities": 31,
        "entities.rules": 32,
        "entities.rules[0]": 33,
        "entities.rules[0].path": 33,
        "entities.rules[1].color": 34,
    }
    assert {key: lines.get(key) for key in expected} == expected
    assert not any("not" in key or "neither" in key or key == "x" for key in lines)


def test_locator_on_edge_strings() -> None:
    text = 'a = "say \\"hi\\" [x]"\nb = """two ""quotes"" at the end"""""\nc = \'\'\'x\'\'\'\nd = 1\n'
    assert locate_keys(text) == {"a": 1, "b": 2, "c": 3, "d": 4}


def test_locator_gives_up_quietly() -> None:
    assert locate_keys("a = 1\n= broken\nb = 2\n") == {"a": 1}


def test_click_params_parse_like_config_files() -> None:
    assert SIZE.convert("640x360", None, None) == Size(640, 360)
    assert COLOR.convert("#ff8800", None, None) == Color(255, 136, 0)
    assert TIME.convert("1.5s", None, None) == TimeValue("1.5s")
    assert ASSIGNMENT.convert("camera.radius=3", None, None) == "camera.radius=3"
    with pytest.raises(click.BadParameter, match="is not a size; expected WIDTHxHEIGHT"):
        SIZE.convert("640", None, None)
    with pytest.raises(click.BadParameter, match="is not a colour"):
        COLOR.convert("red", None, None)
    with pytest.raises(click.BadParameter, match="no '='"):
        ASSIGNMENT.convert("camera.radius", None, None)


def test_camera_keys_given_without_a_kind_belong_to_the_kind_chosen_later() -> None:
    """`--camera orbit --set camera.period=2`: the flag (a later layer) picks the kind, and the --set key
    given without a kind is kept for it; a layer that names another kind explicitly is dropped."""
    loose = build_settings([set_layer(["camera.period=2.0"]), flags_layer({"camera.kind": "orbit"})])
    assert loose.settings.camera.kind == "orbit" and loose.settings.camera.period == 2.0
    other = build_settings(
        [set_layer(['camera.kind="follow"', "camera.entity=/a"]), flags_layer({"camera.kind": "orbit"})]
    )
    assert other.settings.camera.kind == "orbit" and other.settings.camera.period is None
