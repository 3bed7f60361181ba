"""A Rerun blueprint's 3D view as a settings layer: eye, background, line grid and contents.

Rerun keeps a blueprint in a store of its own (kind blueprint), written by `rr.send_blueprint`,
`rr.save(path, default_blueprint=...)` or `Blueprint.save(app_id, "x.rbl")`. It is a store of chunks
like a recording, so `rerender.store.load(path, kind="blueprint")` opens it; its latest state is the
latest-at on its `blueprint` timeline. What rerun-sdk 0.41 writes there:

    /viewport                       ViewportBlueprint:root_container   (a container id, 16 bytes)
    /container/<uuid>               ContainerBlueprint:contents        ("view/<uuid>", "container/<uuid>")
    /view/<uuid>                    ViewBlueprint:class_identifier ("3D"), :display_name, :space_origin
    /view/<uuid>/ViewContents       ViewContents:query                 (entity path filter lines)
    /view/<uuid>/Background         Background:kind (1 GradientDark, 2 GradientBright, 3 SolidColor),
                                    Background:color (u32 0xRRGGBBAA)
    /view/<uuid>/LineGrid3D         LineGrid3D:visible
    /view/<uuid>/EyeControls3D      EyeControls3D:position, :look_target, :eye_up, :kind (1 FirstPerson,
                                    2 Orbital), :speed, :spin_speed (rad/s), :tracking_entity
    /view/<uuid>/defaults           component defaults, archetype-tagged (Points3D:colors, :radii, ...)
    /view/<uuid>/ViewContents/overrides/<entity>/visualizers
                                    EntityBehavior:visible, :interactive; ActiveVisualizers:instruction_ids
    /view/<uuid>/ViewContents/overrides/<entity>/visualizers/<uuid>
                                    VisualizerInstruction:visualizer_type ("Points3D", "Lines3D"), and the
                                    overridden components (Points3D:colors u32 0xRRGGBBAA, Points3D:radii,
                                    LineStrips3D:colors, :radii)

`blueprint_layer` maps one 3D view (by name, else the first in the viewport's layout order) to the
`[view]`, `[camera]`, `[look]` and `[entities]` keys of a config file:

- origin -> `view.origin`: the render is in that entity's space, as the view is (eye numbers too).
- eye `position` (+ `look_target`, `eye_up`) -> `camera = {kind = "fixed", position, look_at, up}`; a
  missing look target or up is left to rerender, whose defaults are Rerun's (the region of interest's
  centre; the scene's up, else +Z). Without a position there are no camera keys (Rerun's default eye).
- `spin_speed` != 0 -> `kind = "orbit"`, one turn every 2π/|spin_speed| seconds; Rerun turns the eye
  by +spin about `eye_up` (right-handed), i.e. counterclockwise seen from above for positive speeds.
  With a position, the orbit starts there (centre, radius, elevation and start angle from the eye).
- `tracking_entity` -> `kind = "follow"` (offset = position - look_target when both are set).
- Background SolidColor -> `look.background`; GradientDark -> rerender's default #1a1a1a (Rerun's dark
  background seen side-on); GradientBright -> #cccccc (the bright gradient's mean, sRGB 0.8).
- `LineGrid3D.visible` -> `look.grid` (only when the blueprint sets it).
- contents -> `entities.include` / `entities.exclude`, `$origin` resolved; when a `+` rule is more
  specific than a `-` rule (Rerun: the most specific rule wins), as ordered `entities.rules` instead.
- overrides and defaults -> `entities.rules` after the contents' (see `override_rules`): the defaults as
  one rule on `$origin/**`, then one per overridden entity (`visible = false`, `color`, `radius`). A
  default applies to every entity (Rerun: only where the entity logged none), an approximation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..camera.framing import default_direction
from ..rrd import RrdError
from ..rrd.paths import normalize_entity_path
from ..rrd.select import EntityGlob
from ..store import Recording, load
from .config import ConfigError, SettingsLayer
from .settings import DEFAULT_BACKGROUND

VIEW_3D = "3D"
BLUEPRINT_TIMELINE = "blueprint"
GRADIENT_DARK, GRADIENT_BRIGHT, SOLID_COLOR = 1, 2, 3
EYE_FIRST_PERSON, EYE_ORBITAL = 1, 2
GRADIENT_COLORS = {GRADIENT_DARK: str(DEFAULT_BACKGROUND), GRADIENT_BRIGHT: "#cccccc"}


@dataclass(frozen=True)
class ViewInfo:
    """One view of a blueprint: its display name (None when unnamed), class ("3D", "2D", ...), origin,
    and the blueprint entity that holds it (`/view/<uuid>`)."""

    name: str | None
    view_class: str
    origin: str
    entity: str


def load_blueprint(path: str | Path) -> Recording | None:
    """The blueprint store of an .rrd or .rbl file, or None when it has none."""
    try:
        return load(path, kind="blueprint")
    except RrdError as e:
        if e.what == "no blueprint in this file":
            return None
        raise


def blueprint_state(bp: Recording) -> dict[str, dict[str, list]]:
    """The blueprint's latest state: {entity: {component: python values}}."""
    if BLUEPRINT_TIMELINE in bp.timelines:
        result = bp.latest_at(BLUEPRINT_TIMELINE, bp.timelines[BLUEPRINT_TIMELINE].max)
    else:
        result = bp.static()
    return {
        entity: {name: value.values.to_pylist() for name, value in comps.items()}
        for entity, comps in result.items()
    }


def _first(state: dict, entity: str, component: str) -> object:
    values = state.get(entity, {}).get(component)
    return values[0] if values else None


def views_in(state: dict) -> list[ViewInfo]:
    """Every view, in the viewport's layout order (depth first from the root container); views the
    layout does not reach (an older blueprint's) only when there is no layout at all."""
    views = {
        entity: ViewInfo(
            _first(state, entity, "ViewBlueprint:display_name"),
            _first(state, entity, "ViewBlueprint:class_identifier") or "",
            normalize_entity_path(_first(state, entity, "ViewBlueprint:space_origin") or "/"),
            entity,
        )
        for entity, comps in state.items()
        if "ViewBlueprint:class_identifier" in comps
    }
    root = _first(state, "/viewport", "ViewportBlueprint:root_container")
    if root is None:
        return list(views.values())
    ordered: list[ViewInfo] = []
    seen: set[str] = set()

    def visit(entity: str) -> None:
        if entity in seen:
            return
        seen.add(entity)
        if entity in views:
            ordered.append(views[entity])
        for child in state.get(entity, {}).get("ContainerBlueprint:contents") or []:
            visit(normalize_entity_path(child))

    visit(f"/container/{_uuid(bytes(root))}")
    return ordered


def _uuid(raw: bytes) -> str:
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def list_views(path: str | Path) -> list[ViewInfo]:
    """The views of the file's blueprint in layout order ([] when it has no blueprint)."""
    bp = load_blueprint(path)
    return [] if bp is None else views_in(blueprint_state(bp))


def _describe(views: list[ViewInfo]) -> str:
    return ", ".join(f"{v.name or '(unnamed)'!r} ({v.view_class}, origin {v.origin})" for v in views)


def blueprint_layer(
    path: str | Path, view: str | None = None, *, entity_paths: Sequence[str] | None = None
) -> SettingsLayer | None:
    """The 3D view named `view` (None: the first 3D view) of the blueprint in `path` (an .rrd or .rbl)
    as a settings layer; None when the file has no blueprint or the blueprint no 3D view. An unknown
    `view` raises ConfigError listing the views. `entity_paths` (the recording's) leaves out contents
    rules that match no entity, which change nothing but which `check_names` would refuse."""
    bp = load_blueprint(path)
    if bp is None:
        if view is not None:
            raise ConfigError(f"{path}: has no blueprint, so there is no view {view!r}")
        return None
    state = blueprint_state(bp)
    views = views_in(state)
    views_3d = [v for v in views if v.view_class == VIEW_3D]
    if view is None:
        if not views_3d:
            return None
        chosen = views_3d[0]
    else:
        chosen = next((v for v in views_3d if v.name == view), None)
        if chosen is None:
            chosen = next((v for v in views_3d if v.entity.rsplit("/", 1)[-1] == view), None)
        if chosen is None:
            other = next((v for v in views if v.name == view), None)
            problem = (
                f"view {view!r} is a {other.view_class} view, not a 3D view"
                if other
                else f"no view named {view!r}"
            )
            listing = _describe(views_3d) if views_3d else "none"
            raise ConfigError(f"{path}: blueprint has {problem}; its 3D views: {listing}")
    values = view_values(state, chosen, entity_paths)
    label = chosen.name if chosen.name is not None else chosen.entity
    return SettingsLayer(f"blueprint view {label!r} in {path}", values)


def view_values(state: dict, view: ViewInfo, entity_paths: Sequence[str] | None = None) -> dict:
    """The config-file values (`camera`, `look`, `entities` tables) one 3D view's properties give."""
    values: dict[str, dict] = {}
    if view.origin != "/":
        values["view"] = {"origin": view.origin}
    camera = _camera(state, view.entity + "/EyeControls3D")
    if camera:
        values["camera"] = camera
    look = _look(state, view.entity)
    if look:
        values["look"] = look
    contents = state.get(view.entity + "/ViewContents", {}).get("ViewContents:query")
    entities = contents_filter(["$origin/**"] if contents is None else contents, view.origin, entity_paths)
    rules = [*entities.get("rules", []), *override_rules(state, view, entity_paths)]
    if rules:
        entities["rules"] = rules
    if entities:
        values["entities"] = entities
    return values


def _vec(value: object) -> list[float] | None:
    return None if value is None else [float(x) for x in value]  # type: ignore[union-attr]


def _camera(state: dict, entity: str) -> dict:
    position = _vec(_first(state, entity, "EyeControls3D:position"))
    target = _vec(_first(state, entity, "EyeControls3D:look_target"))
    up = _vec(_first(state, entity, "EyeControls3D:eye_up"))
    spin = _first(state, entity, "EyeControls3D:spin_speed")
    kind = _first(state, entity, "EyeControls3D:kind")
    tracking = _first(state, entity, "EyeControls3D:tracking_entity")
    if tracking:
        camera: dict = {"kind": "follow", "entity": normalize_entity_path(tracking)}
        if position is not None and target is not None:
            offset = [p - t for p, t in zip(position, target, strict=True)]
            if any(offset):
                camera["offset"] = offset
        if up is not None:
            camera["up"] = up
        return camera
    if spin and kind != EYE_FIRST_PERSON and math.isfinite(spin):
        return _orbit(float(spin), position, target, up)
    if position is None:
        return {}
    camera = {"kind": "fixed", "position": position}
    if target is not None:
        camera["look_at"] = target
    if up is not None:
        camera["up"] = up
    return camera


def _orbit(spin: float, position: list | None, target: list | None, up: list | None) -> dict:
    """Rerun's spinning eye: `rotation(eye_up, +spin·t)` applied to the eye's direction about its look
    target, so a positive speed turns counterclockwise seen from above."""
    direction = "ccw" if spin > 0 else "cw"
    camera: dict = {"kind": "orbit", "period": 2 * math.pi / abs(spin), "direction": direction}
    if target is not None:
        camera["center"] = target
    if up is not None:
        camera["up"] = up
    if position is None or target is None:
        return camera  # the orbit starts at Rerun's default eye, as the viewer's fallback position does
    axis = np.asarray(up if up is not None else [0.0, 0.0, 1.0], dtype=np.float64)
    if not np.linalg.norm(axis):
        return camera
    axis = axis / np.linalg.norm(axis)
    back = np.asarray(position, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    radius = float(np.linalg.norm(back))
    if radius == 0.0:
        return camera
    back /= radius
    camera["radius"] = radius
    elevation = math.degrees(math.asin(float(np.clip(np.dot(back, axis), -1.0, 1.0))))
    camera["elevation"] = float(np.clip(elevation, -89.9, 89.9))
    horizontal = back - np.dot(back, axis) * axis
    if np.linalg.norm(horizontal) > 1e-9:
        # rerender's orbit measures its start angle from Rerun's default eye, in the orbit's direction.
        start = -default_direction(axis)
        start = start - np.dot(start, axis) * axis
        start /= np.linalg.norm(start)
        horizontal /= np.linalg.norm(horizontal)
        ccw = math.degrees(
            math.atan2(float(np.dot(np.cross(start, horizontal), axis)), float(np.dot(start, horizontal)))
        )
        camera["start_angle"] = ccw if direction == "ccw" else -ccw
    return camera


def _look(state: dict, view: str) -> dict:
    look: dict = {}
    kind = _first(state, view + "/Background", "Background:kind")
    color = _first(state, view + "/Background", "Background:color")
    if kind == SOLID_COLOR:
        look["background"] = _hex(color) if color is not None else str(DEFAULT_BACKGROUND)
    elif kind in GRADIENT_COLORS:
        look["background"] = GRADIENT_COLORS[kind]
    elif kind is None and color is not None:
        look["background"] = _hex(color)  # a colour alone: Rerun keeps its gradient, but it is what was asked
    visible = _first(state, view + "/LineGrid3D", "LineGrid3D:visible")
    if visible is not None:
        look["grid"] = bool(visible)
    return look


def _hex(rgba: int) -> str:
    """Rerun's packed 0xRRGGBBAA colour as #rrggbb (the background ignores alpha)."""
    return f"#{(rgba >> 24) & 0xFF:02x}{(rgba >> 16) & 0xFF:02x}{(rgba >> 8) & 0xFF:02x}"


# --- contents -------------------------------------------------------------------------------------------


def split_expressions(lines: list[str]) -> list[str]:
    """Rerun's query expressions as single rules: each stored string may hold several, separated by
    whitespace (a `+`/`-` may stand apart from its path; a backslash escapes whitespace)."""
    tokens: list[str] = []
    for text in lines:
        current = ""
        sign_only = False
        escaped = False
        for ch in text:
            if escaped:
                current += ch
                escaped = False
                continue
            if ch == "\\":
                escaped = True
                current += ch
                continue
            if ch.isspace() and (ch == "\n" or not sign_only):
                if current.strip():
                    tokens.append(current.strip())
                current, sign_only = "", False
                continue
            if ch in "+-" and not current.strip():
                sign_only = True
            elif not ch.isspace():
                sign_only = False
            current += ch
        if current.strip():
            tokens.append(current.strip())
    return tokens


def _rule(expression: str, origin: str) -> tuple[bool, str, bool]:
    """`+ $origin/**` -> (include, path, subtree) with `$origin` / `${origin}` resolved."""
    include = not expression.startswith("-")
    body = expression[1:] if expression[:1] in "+-" else expression
    body = body.strip().replace("${origin}", origin).replace("$origin", origin).replace("\\", "")
    subtree = body == "/**" or body.endswith("/**")
    path = normalize_entity_path(body[:-3] if subtree else body)
    return include, path, subtree


def _glob(path: str, subtree: bool) -> str:
    if subtree:
        return "/**" if path == "/" else path + "/**"
    return path


def _within(path: str, ancestor: str) -> bool:
    return ancestor == "/" or path == ancestor or path.startswith(ancestor + "/")


def contents_filter(lines: list[str], origin: str, entity_paths: Sequence[str] | None = None) -> dict:
    """Rerun's entity path filter (`+ /world/**`, `- /world/debug/**`, `$origin/**`) as the `[entities]`
    table: `include` / `exclude` globs, or ordered `rules` when Rerun's most-specific-wins order matters
    (a `+` inside a `-` subtree). Nothing when everything is shown. With `entity_paths`, rules that
    match none of them are left out (they change nothing, and `check_names` refuses such globs)."""
    rules: dict[tuple[str, bool], bool] = {}
    for expression in split_expressions(lines):
        include, path, subtree = _rule(expression, origin)
        rules.pop((path, subtree), None)  # a repeated rule: the last one wins
        rules[(path, subtree)] = include
    if entity_paths is not None:
        rules = {
            key: inc
            for key, inc in rules.items()
            if any(EntityGlob(_glob(*key)).matches(p) for p in entity_paths)
        }
    # Rerun's evaluation order: by path (ancestors first), a subtree rule before the exact one.
    ordered = sorted(
        rules.items(), key=lambda item: ([p for p in item[0][0].split("/") if p], not item[0][1])
    )
    includes = [_glob(p, s) for (p, s), inc in ordered if inc]
    excludes = [_glob(p, s) for (p, s), inc in ordered if not inc]
    if not includes:  # Rerun shows nothing
        return {"rules": [{"path": "/**", "visible": False}]}
    if includes == ["/**"] and not excludes:
        return {}
    reincluded = any(
        not inc_e and subtree_e and inc_i and _within(path_i, path_e)
        for n, ((path_e, subtree_e), inc_e) in enumerate(ordered)
        for (path_i, _), inc_i in ordered[n + 1 :]
    )
    if reincluded:
        return {
            "include": includes,
            "rules": [{"path": _glob(p, s), "visible": inc} for (p, s), inc in ordered],
        }
    table: dict = {"include": includes}
    if excludes:
        table["exclude"] = excludes
    return table


# --- overrides and defaults -------------------------------------------------------------------------------

OVERRIDES = "/ViewContents/overrides/"  # rerun-sdk >= 0.26 (visualizer instructions)
INDIVIDUAL_OVERRIDES = "/ViewContents/individual_overrides/"  # older viewers' blueprints
VISUALIZERS = "visualizers"
# Archetypes whose colour and radius rerender's points and lines draw (a Mesh3D's, Boxes3D's, ... are
# left alone: an override of theirs is not a points or lines colour).
RADIUS_ARCHETYPES = ("Points3D", "LineStrips3D")
COLOR_ARCHETYPES = ("Points3D", "LineStrips3D")


def _is_uuid(text: str) -> bool:
    return len(text) == 36 and text.count("-") == 4 and all(c in "0123456789abcdef-" for c in text.lower())


def _override_entity(blueprint_entity: str, view: str) -> str | None:
    """The data entity an override entity of `view` is for: `/view/<v>/ViewContents/overrides/world/pts/
    visualizers[/<uuid>]` -> `/world/pts` (`individual_overrides/world/pts` in older blueprints)."""
    for prefix in (view + OVERRIDES, view + INDIVIDUAL_OVERRIDES):
        if blueprint_entity.startswith(prefix):
            rest = blueprint_entity[len(prefix) :].split("/")
            if prefix.endswith(OVERRIDES):
                if len(rest) >= 2 and rest[-2] == VISUALIZERS and _is_uuid(rest[-1]):
                    rest = rest[:-2]
                elif rest[-1] == VISUALIZERS:
                    rest = rest[:-1]
                else:
                    return None
            return normalize_entity_path("/".join(rest))
    return None


def _field(component: str) -> tuple[str, str]:
    """`Points3D:colors` -> ("Points3D", "colors"); an untagged `rerun.components.Color` -> ("", "color")."""
    if ":" in component:
        archetype, field = component.split(":", 1)
        return archetype.rsplit(".", 1)[-1], field
    return "", component.rsplit(".", 1)[-1].lower()


def _properties(comps: dict[str, list]) -> dict:
    """The rule keys (`visible`, `color`, `radius`) one override or defaults entity's components give."""
    rule: dict = {}
    for component, values in comps.items():
        if not values or values[0] is None:
            continue
        archetype, field = _field(component)
        if field == "visible" and archetype in ("", "EntityBehavior"):
            rule.setdefault("visible", bool(values[0]))
        elif field in ("colors", "color") and archetype in ("", *COLOR_ARCHETYPES):
            rule.setdefault("color", _hex_rgba(int(values[0])))  # one colour: the first instance's
        elif field in ("radii", "radius") and archetype in ("", *RADIUS_ARCHETYPES):
            radius = float(f"{float(values[0]):.7g}")  # a float32: 0.1, not 0.10000000149011612
            if math.isfinite(radius):
                rule.setdefault("radius", radius)
    return rule


def _hex_rgba(rgba: int) -> str:
    alpha = rgba & 0xFF
    return _hex(rgba) + ("" if alpha == 0xFF else f"{alpha:02x}")


def override_rules(state: dict, view: ViewInfo, entity_paths: Sequence[str] | None = None) -> list[dict]:
    """The view's component defaults and per-entity overrides as `[[entities.rules]]`: the defaults as
    one rule on `$origin/**` (first), then one rule per overridden entity (exact path), so an entity's
    own override wins. Only what rerender draws maps: `EntityBehavior:visible = false` (hides the
    entity), and the colour and radius of Points3D / LineStrips3D. With `entity_paths`, rules matching
    no entity are left out."""
    rules: list[dict] = []
    defaults = _properties(state.get(view.entity + "/defaults", {}))
    default_hidden = defaults.get("visible") is False
    if defaults.get("visible") is not False:
        defaults.pop("visible", None)  # shown is what an entity is anyway
    if defaults:
        rules.append({"path": _glob(view.origin, True), **defaults})
    per_entity: dict[str, dict] = {}
    for blueprint_entity in sorted(state):
        entity = _override_entity(blueprint_entity, view.entity)
        if entity is None:
            continue
        for key, value in _properties(state[blueprint_entity]).items():
            per_entity.setdefault(entity, {}).setdefault(key, value)
    for entity, rule in per_entity.items():
        if rule.get("visible") is True and not default_hidden:
            del rule["visible"]  # would re-show what the contents leave out
        if rule:
            rules.append({"path": entity, **rule})
    if entity_paths is not None:
        rules = [r for r in rules if any(EntityGlob(r["path"]).matches(p) for p in entity_paths)]
    return rules
