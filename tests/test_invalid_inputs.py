"""Every invalid form of a config file or a `rerender render` value gives its documented error
(configs/README.md, "Errors"): one table, each row run through the command line as a user would,
asserting a non-zero exit, the message fragment, and no traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

import rerender as rr
from rerender.cli.main import main


@dataclass(frozen=True)
class Case:
    """`rerender render REC -o OUT ARGS` (with CONFIG written to orbit.toml and passed as `-c` when
    given): the fragments its error must contain."""

    args: tuple[str, ...]
    fragments: tuple[str, ...]
    config: str | None = None


def config(text: str, *fragments: str) -> Case:
    return Case((), fragments, text)


def flags(*args: str, expect: tuple[str, ...]) -> Case:
    return Case(args, expect)


CASES: dict[str, Case] = {
    # Config files: syntax, names, types, ranges, value forms.
    "not TOML": config("[output]\nfps = = 3\n", "orbit.toml:2:", "invalid TOML"),
    "not TOML at all": config("\x00\x01 binary junk {{{\n", "orbit.toml:1:", "invalid TOML"),
    "unknown table": config("[outptu]\nfps = 3\n", "orbit.toml:1:", "unknown table [outptu]", "'output'"),
    "key outside a table": config("fps = 3\n", "orbit.toml:1:", "unknown key 'fps' at the top level"),
    "unknown key": config("[look]\nzzz = 1\n", "orbit.toml:2: look.zzz: unknown key 'zzz' in [look]"),
    "unknown key, close match": config(
        '[camera]\nkind = "orbit"\nradiu = 3\n', "camera.radiu", "did you mean 'radius'?"
    ),
    "key of another camera kind": config(
        '[camera]\nkind = "orbit"\nposition = [0, 0, 1]\n', "'position' is a key of camera kind fixed"
    ),
    "unknown key in an array table": config(
        '[camera]\nkind = "keyframes"\n[[camera.keyframes]]\ntime = 0\nposition = [0, 0, 1]\nfob = 3\n',
        "camera.keyframes[0].fob",
        "did you mean 'fov'?",
    ),
    "unknown camera kind": config(
        '[camera]\nkind = "orbt"\n', "camera.kind: unknown camera kind 'orbt'", "did you mean 'orbit'?"
    ),
    "missing required key": config(
        '[camera]\nkind = "fixed"\n', "missing required key 'position' in [camera] (kind fixed)"
    ),
    "wrong type": config('[output]\nfps = "fast"\n', "output.fps: invalid value 'fast'", "expected `float`"),
    "wrong type (bool)": config('[look]\ngrid = "yes"\n', "look.grid: invalid value 'yes'", "`bool`"),
    "crf too large": config("[output]\ncrf = 99\n", "output.crf: invalid value 99", "<= 63"),
    "crf negative": config("[output]\ncrf = -1\n", "output.crf: invalid value -1", ">= 0"),
    "fps zero": config("[output]\nfps = 0\n", "output.fps: invalid value 0", "> 0.0"),
    "fps too large": config("[output]\nfps = 5000\n", "output.fps: invalid value 5000", "<= 1000.0"),
    "msaa not a choice": config("[look]\nmsaa = 3\n", "look.msaa: invalid value 3", "one of 0, 2, 4, 8"),
    "size 0x0": config('[output]\nsize = "0x0"\n', "output.size", "16"),
    "size without x": config('[output]\nsize = "640"\n', "output.size: '640' is not a size", "WIDTHxHEIGHT"),
    "size too large": config('[output]\nsize = "70000x100"\n', "output.size", "from 16 to 65536"),
    "size array of three": config("[output]\nsize = [1, 2, 3]\n", "output.size"),
    "bad colour": config('[look]\nbackground = "#zzzzzz"\n', "look.background", "colour"),
    "bad colour channel": config("[look]\nbackground = [300, 0, 0]\n", "look.background", "0"),
    "bad time": config('[time]\nstart = "soon"\n', "orbit.toml:2: time.start", "'soon' is not a time"),
    "end before start": config("[time]\nstart = 10\nend = 5\n", "time.end: end 5 is before start 10"),
    "point of the wrong length": config(
        '[camera]\nkind = "fixed"\nposition = [1, 2]\n', "camera.position", "length 3"
    ),
    "zero up": config(
        '[camera]\nkind = "fixed"\nposition = [0, 0, 5]\nup = [0, 0, 0]\n', "camera.up", "has no direction"
    ),
    "no keyframes": config('[camera]\nkind = "keyframes"\nkeyframes = []\n', "no keyframes"),
    "turns and period": config('[camera]\nkind = "orbit"\nturns = 1\nperiod = 2\n', "both `turns`"),
    # Checked once the recording is open.
    "unknown timeline": config(
        '[time]\ntimeline = "frme"\n', "time.timeline: no timeline 'frme'", "did you mean 'frame'?"
    ),
    "glob matching nothing": config(
        '[entities]\ninclude = ["/wrld/robot"]\n', "entities.include[0]", "matches no entity"
    ),
    "camera entity that is not one": config(
        '[camera]\nkind = "follow"\nentity = "/world/robbot"\n', "not an entity", "'/world/robot'"
    ),
    # Flags and --set.
    "--size 0x0": flags("--size", "0x0", expect=("--size", "16")),
    "--size 7": flags("--size", "7", expect=("'7' is not a size", "WIDTHxHEIGHT")),
    "--size -1x3": flags("--size", "-1x3", expect=("--size", "-1x3")),
    "--size text": flags("--size", "big", expect=("'big' is not a size",)),
    "--crf 99": flags("--crf", "99", expect=("--crf", "99")),
    "--crf text": flags("--crf", "best", expect=("--crf", "'best' is not a valid integer")),
    "--fps 0": flags("--fps", "0", expect=("command line --fps: invalid value 0.0",)),
    "--fps -3": flags("--fps", "-3", expect=("--fps", "-3")),
    "--msaa 3": flags("--msaa", "3", expect=("--msaa", "'3' is not one of")),
    "--background bad": flags("--background", "#12345", expect=("--background", "#12345")),
    "--background name": flags("--background", "reddish", expect=("--background", "reddish")),
    "--start bad": flags("--start", "soon", expect=("--start", "'soon' is not a time")),
    "--still bad": flags("--still", "1.5 fortnights", expect=("--still", "is not a time")),
    "--start on the wrong kind": flags(
        "--start", "1.5s", expect=("time.start for timeline 'frame' (sequence)", "not a sequence number")
    ),
    "--start after --end": flags("--start", "3", "--end", "1", expect=("end 1 is before start 3",)),
    "--step 0": flags("--step", "0", expect=("step", "0")),
    "--camera unknown": flags("--camera", "orbt", expect=("--camera", "'orbt' is not one of")),
    "--quality unknown": flags("--quality", "papr", expect=("--quality", "papr")),
    "--timeline unknown": flags("--timeline", "frme", expect=("no timeline 'frme'", "did you mean 'frame'?")),
    "--entity matches nothing": flags("--entity", "/wrld/**", expect=("'/wrld/**' matches no entity",)),
    "--set without =": flags("--set", "camera.radius", expect=("--set", "no '='", "KEY.PATH=VALUE")),
    "--set bad key": flags("--set", "camera radius=3", expect=("--set", "not a key path")),
    "--set unknown key": flags("--set", "output.fsp=3", expect=("--set output.fsp", "did you mean 'fps'?")),
    "--set out of range": flags(
        "--set", "camera.kind=orbit", "--set", "camera.radius=-2", expect=("--set camera.radius", "> 0.0")
    ),
    "--set wrong type": flags("--set", "output.crf=high", expect=("--set output.crf", "'high'")),
    "--set empty key": flags("--set", "=3", expect=("--set",)),
    "--set unknown camera kind": flags(
        "--set", "camera.kind=orbt", expect=("--set camera.kind", "unknown camera kind 'orbt'")
    ),
    "--config missing": flags("-c", "configs/orbt.toml", expect=("configs/orbt.toml", "no such")),
    "--config a directory": flags("-c", ".", expect=("'.'",)),
    "recording missing": Case(("@missing",), ("missing.rrd",)),
    "recording not an rrd": Case(("@notrrd",), ("notrrd.rrd",)),
    "--camera-path missing": flags("--camera-path", "nowhere.json", expect=("nowhere.json",)),
    "--blueprint missing": flags("--blueprint", "nowhere.rbl", expect=("nowhere.rbl",)),
    "--format unknown": flags("--format", "avi", expect=("--format", "'avi' is not one of")),
    "--crf above x264's range": flags("--crf", "55", expect=("out.mp4: crf 55", "mp4 takes (0..51")),
    "--crf above x264's range, split": flags(
        "--crf", "55", "--workers", "2", expect=("out.mp4: crf 55", "mp4 takes (0..51")
    ),
}


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small recording: timelines frame and log_time, entities /world/robot and /world/points."""
    path = tmp_path_factory.mktemp("rec") / "robot.rrd"
    rec = rr.RecordingStream("invalid_inputs", recording_id="r", batcher_config=rr.ChunkBatcherConfig.NEVER())
    rec.save(path)
    for frame in range(3):
        rec.set_time("frame", sequence=frame)
        rec.log("world/robot", rr.Points3D([[frame, 0, 0]], radii=0.2))
        rec.log("world/points", rr.Points3D([[0, 1, 0], [1, 1, 1]]))
    rec.disconnect()
    return path


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_invalid_input_gives_its_documented_error(
    case: Case, recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notrrd.rrd").write_text("this is not a recording\n")
    args = list(case.args)
    source = str(recording)
    if args and args[0].startswith("@"):  # the recording itself is the bad input
        source = f"{args.pop(0)[1:]}.rrd"
    if case.config is not None:
        (tmp_path / "orbit.toml").write_text(case.config)
        args += ["-c", "orbit.toml"]
    argv = ["render", source, "-o", str(tmp_path / "out.mp4"), "--size", "160x120", "-q", *args]
    if "--size" in case.args or "size =" in (case.config or ""):
        argv[4:6] = []  # the case's own size (the flag would win over the config's)
    result = CliRunner().invoke(main, argv)
    output = result.output
    assert result.exit_code != 0, output
    assert "Traceback" not in output, output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    for fragment in case.fragments:
        assert fragment in output, output
    assert not (tmp_path / "out.mp4").exists()


def test_the_output_cannot_be_the_recording_itself(recording: Path, tmp_path: Path) -> None:
    """`-o REC.rrd --format mp4` once replaced the recording with the video."""
    copy = tmp_path / "copy.rrd"
    copy.write_bytes(recording.read_bytes())
    result = CliRunner().invoke(main, ["render", str(copy), "-o", str(copy), "--format", "mp4", "-q"])
    assert result.exit_code == 1 and "is the recording itself" in result.output, result.output
    assert copy.read_bytes() == recording.read_bytes()


@pytest.mark.parametrize("name", ["take:2.mp4", "12:30.gif", "take:3.mp4"])
def test_output_names_with_a_colon_are_files_not_protocols(
    name: str, recording: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ffmpeg read `.take:2.mp4.partial` as protocol `.take` ("Protocol not found")."""
    monkeypatch.chdir(tmp_path)
    workers = ["--workers", "2"] if name == "take:3.mp4" else []
    result = CliRunner().invoke(
        main, ["render", str(recording), "-o", name, "--size", "64x48", "-q", *workers]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).stat().st_size > 0 and not list(tmp_path.glob(".*"))
