"""`rerender.blueprint.components`: the blueprint enums, with rerun-sdk 0.41's names and values.

Each converts from a member, its int value or its name (any case), as rerun's `.auto` does.
"""

from __future__ import annotations

from rerender.sdk.enums import AutoEnum

__all__ = ["BackgroundKind", "ContainerKind", "Eye3DKind", "LoopMode", "PanelState", "PlayState"]


class BackgroundKind(AutoEnum):
    """How a 3D or 2D view's background is drawn."""

    GradientDark = 1
    GradientBright = 2
    SolidColor = 3


class ContainerKind(AutoEnum):
    """How a container lays out its children."""

    Tabs = 1
    Horizontal = 2
    Vertical = 3
    Grid = 4


class Eye3DKind(AutoEnum):
    """How the 3D view's eye moves."""

    FirstPerson = 1
    Orbital = 2


class PanelState(AutoEnum):
    """Whether a panel is hidden, collapsed or expanded."""

    Hidden = 1
    Collapsed = 2
    Expanded = 3


class PlayState(AutoEnum):
    """Whether time is paused, playing or following the newest data."""

    Paused = 1
    Playing = 2
    Following = 3


class LoopMode(AutoEnum):
    """How playback loops."""

    Off = 1
    Selection = 2
    All = 3
