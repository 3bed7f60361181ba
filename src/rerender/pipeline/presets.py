"""The quality presets (`--quality NAME`, a pipeline job's `quality`): partial settings under every config
file, in the config files' own form. A module of its own, so that naming a preset does not import the
renderer."""

from __future__ import annotations

QUALITY_PRESETS: dict[str, dict] = {
    "draft": {"output": {"size": "640x360", "crf": 30, "preset": "ultrafast"}, "look": {"msaa": 0}},
    "web": {"output": {"size": "1280x720", "crf": 23, "preset": "veryfast"}, "look": {"msaa": 0}},
    "paper": {
        "output": {"size": "1920x1080", "crf": 16, "preset": "slow"},
        "look": {"msaa": 8, "background": "#ffffff", "grid": False},
    },
}
