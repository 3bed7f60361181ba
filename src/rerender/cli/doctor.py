"""`rerender doctor`: can this machine render? GL, ffmpeg and versions, with advice when not."""

from __future__ import annotations

import platform
from importlib import metadata

import click


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


@click.command("doctor", short_help="Check the GL and video set-up.")
def doctor_command() -> None:
    """Report the OpenGL platform, vendor and renderer, the ffmpeg in use and its encoders, and versions."""
    ok = True
    click.echo(f"python      {platform.python_version()} ({platform.platform()})")
    for package in (
        "rerender",
        "numpy",
        "pyarrow",
        "PyOpenGL",
        "trimesh",
        "imageio",
        "imageio-ffmpeg",
    ):
        click.echo(f"{package:<15} {_version(package)}")
    try:
        from ..render import Renderer, gl_info

        with Renderer(64, 64) as renderer:
            info = gl_info()
        click.echo(
            f"GL          {info['platform']}: {info['renderer']} ({info['vendor']}), OpenGL {info['version']}"
        )
        for reason in renderer.passed_over:
            click.echo(f"            not used: {reason}")
    except Exception as e:  # doctor reports every failure instead of raising
        ok = False
        click.echo(f"GL          unavailable: {e}")
    try:
        from ..media import probe_ffmpeg

        ffmpeg = probe_ffmpeg()
        encoders = ", ".join(
            f"{name}: {'yes' if have else 'no'}" for name, have in ffmpeg["encoders"].items()
        )
        click.echo(f"ffmpeg      {ffmpeg['version']} at {ffmpeg['path']}")
        click.echo(f"encoders    {encoders}")
    except Exception as e:
        ok = False
        click.echo(f"ffmpeg      unavailable: {e}")
    click.echo("ready to render" if ok else "not ready: see the lines above")
    if not ok:
        raise SystemExit(1)
