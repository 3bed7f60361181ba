"""A render's settings from all their sources, lowest first: the recording's blueprint (its 3D view),
a quality preset, config files in order, `--set` assignments, then plain flags. `rerender render` and
pipeline render jobs both resolve settings here, so a config means the same in both.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RerenderError
from ..store import Recording
from .blueprint import blueprint_layer
from .config import (
    ConfigError,
    ResolvedSettings,
    SettingsLayer,
    build_settings,
    check_names,
    preset_layer,
    read_config,
    set_layer,
)


@dataclass(frozen=True)
class SettingsSources:
    """Where a render's settings come from. `blueprint`: an .rbl/.rrd whose blueprint directs the view
    (None: the recording's own); `use_blueprint` False ignores any; `view` names the 3D view."""

    configs: tuple[Path, ...] = ()
    assignments: tuple[str, ...] = ()
    quality: str | None = None
    blueprint: Path | None = None
    view: str | None = None
    use_blueprint: bool = True
    extra: tuple[SettingsLayer, ...] = field(default=())  # e.g. the command line's flags, on top


def resolve_settings(recording: Recording, source: str | Path, sources: SettingsSources) -> ResolvedSettings:
    """The merged, validated settings, checked against the recording's timelines and entities."""
    layers: list[SettingsLayer] = []
    if sources.use_blueprint:
        layers += blueprint_layers(sources.blueprint or source, sources.view, recording.entity_paths)
    if sources.quality:
        layers.append(preset_layer(sources.quality))
    layers += [read_config(path) for path in sources.configs]
    if sources.assignments:
        layers.append(set_layer(sources.assignments))
    layers += sources.extra
    resolved = build_settings(layers)  # every key checked before anything is drawn
    check_names(resolved, list(recording.timelines), recording.entity_paths)
    return resolved


def blueprint_layers(path: str | Path, view: str | None, entity_paths: Sequence[str]) -> list[SettingsLayer]:
    """The blueprint's 3D view as a settings layer, if the file has one. A blueprint that cannot be read
    is a warning, not a failed render: it only directs the view (unless a view was asked for)."""
    try:
        layer = blueprint_layer(path, view, entity_paths=entity_paths)
    except ConfigError:
        raise
    except (RerenderError, ValueError) as e:
        if view is not None:
            raise
        warnings.warn(f"{path}: ignoring its blueprint, which cannot be read ({e})", stacklevel=2)
        return []
    return [] if layer is None else [layer]
