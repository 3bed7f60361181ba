"""Shared fixtures: sample recordings and the real `rerun` CLI (the interop oracle)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SAMPLES = sorted(DATA.glob("*.rrd"))
LEGACY_SAMPLES = sorted((DATA / "legacy_0.27.3").glob("*.rrd"))
ALL_SAMPLES = SAMPLES + LEGACY_SAMPLES


def sample_id(path: Path) -> str:
    """A short test id: `points3d` or `legacy/points3d`."""
    return ("legacy/" if path.parent.name.startswith("legacy") else "") + path.stem


def _rerun_executable() -> str | None:
    beside_python = Path(sys.executable).parent / "rerun"
    return str(beside_python) if beside_python.exists() else shutil.which("rerun")


@pytest.fixture(scope="session")
def rerun_cli():
    """Run the real `rerun` CLI (rerun-sdk 0.41, from the test extra); returns a runner function."""
    exe = _rerun_executable()
    if exe is None:
        pytest.skip("the `rerun` CLI (rerun-sdk==0.41.0, test extra) is not installed")
    env = {**os.environ, "RERUN_ANALYTICS": "0"}
    subprocess.run([exe, "analytics", "disable"], capture_output=True, env=env, check=False)

    def run(*args: str | os.PathLike) -> subprocess.CompletedProcess:
        return subprocess.run([exe, *map(str, args)], capture_output=True, text=True, env=env, timeout=120)

    return run


@pytest.fixture(scope="session")
def dna_recording(tmp_path_factory) -> Path:
    """The DNA tutorial (examples/dna_example.py) recorded once per session with `rerender run`."""
    out = tmp_path_factory.mktemp("dna") / "dna_abacus.rrd"
    exe = Path(sys.executable).parent / "rerender"
    example = Path(__file__).parent.parent / "examples" / "dna_example.py"
    subprocess.run([exe, "run", "-o", out, example], check=True, capture_output=True, timeout=300)
    return out


@pytest.fixture
def script_matches_rerun(rerun_cli, tmp_path):
    """`check(script, *args)`: runs `python SCRIPT OUT.rrd rerun|rerender *args` under both SDKs (the script
    picks its SDK from that argument) and asserts our file passes `rerun rrd verify` and equals rerun-sdk's
    under `rerun rrd compare --unordered`."""
    env = {**os.environ, "RERUN_FLUSH_TICK_SECS": "1000", "RERUN_ANALYTICS": "0"}

    def check(script: Path, *args: str | os.PathLike) -> None:
        outputs = {}
        for sdk in ("rerun", "rerender"):
            out = tmp_path / f"{sdk}.rrd"
            done = subprocess.run(
                [sys.executable, script, out, sdk, *args],
                capture_output=True,
                text=True,
                env=env,
                cwd=Path(__file__).parent.parent,
                timeout=300,
            )
            assert done.returncode == 0, done.stderr
            outputs[sdk] = out
        verify = rerun_cli("rrd", "verify", outputs["rerender"])
        assert verify.returncode == 0, verify.stderr
        compare = rerun_cli("rrd", "compare", "--unordered", outputs["rerun"], outputs["rerender"])
        assert compare.returncode == 0, compare.stderr + compare.stdout

    return check
