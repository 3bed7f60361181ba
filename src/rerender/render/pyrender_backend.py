"""The quality backend: the same `Scene` drawn through pyrender, for figures (`look.renderer = "pyrender"`).

What it adds over render/renderer.py: glTF metallic-roughness materials from `Asset3D`s, points as lit
spheres and lines as tubes (real geometry, so they shade and cast shadows), Rerun's two lights or a
three-point rig, directional shadows, and supersampling. It is slower (on Mesa's llvmpipe, mostly
pyrender's 4x multisampled PBR fill) and is an optional extra: `pip install 'rerender[pyrender]'`.

`PyrenderRenderer` has `Renderer`'s interface (`render`, `render_rgba`, `close`, a context manager), takes
the same `CameraPose`s and `Look`, and draws labels the same way, so the render loop does not know which
backend it drives. Every pyrender quirk lives in this module, each with a comment where it is handled:

- PyOpenGL: pyrender 0.1.45, its last release, pins PyOpenGL==3.1.0. rerender's own renderer works with
  3.1.0, so the extra pins that one PyOpenGL for both (pyproject's `pyrender` extra).
- numpy 2 removed `np.infty`, which pyrender still uses: restored before import (`import_pyrender`).
- Platform: PyOpenGL binds EGL, OSMesa or GLX at its first import, and pyrender imports OpenGL.GL at its
  own; we make the context with gl.py first (EGL, else OSMesa) and give it to pyrender's `Renderer`,
  never its OffscreenRenderer (`PyrenderRenderer`). Importing pyrender before rerender binds GLX.
- Colours: pyrender reads a colour of ints as 0-255 and one of floats as 0-1, treats vertex colours and
  base colours as linear, and samples textures bottom row first (`_linear`, `_flip_v`).
- Instancing has one material per mesh, no per-instance colour (`_instances`); there is no unlit material
  (an emissive one stands in), and only directional lights cast shadows (`_add_lights`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..camera.framing import CameraPose
from ..errors import RerenderError
from ..scene.visuals import LinesVisual, MeshVisual, PointsVisual, Scene, world_points
from ..scene.visuals import world_radii as scaled_radii
from .gl import GLContext, create_context
from .renderer import (
    DEFAULT_LOOK,
    GRID_RADIUS_UI,
    REFERENCE_HEIGHT,
    Look,
    grid_segments,
    segments,
)
from .renderer import world_radii as ui_radii

Lights = Literal["rerun", "three-point"]
LIGHTS: tuple[str, ...] = ("rerun", "three-point")
SUPERSAMPLE = (1, 2, 3, 4)
MERGE_COLORS = 64  # more distinct colours than this in one visual: one merged mesh instead of instancing
MATTE = 1.0  # roughness of materials that Rerun draws with plain diffuse light (no highlights)
SPHERE_ROUGHNESS = 0.6  # points and tubes: a soft highlight shows their shape
# Rerun's lights (shaders.MESH_FRAGMENT `lighting`): ambient 0.2 plus a key light from (1, 2, 3) and one
# at half strength from (-1, -3, -5), in world space. pyrender's diffuse term is albedo * (1 - F) / pi,
# F = 0.04 for dielectrics: intensities are scaled by pi / 0.96 so that a lit face gets what Rerun gives.
LAMBERT = math.pi / 0.96
RERUN_KEY, RERUN_FILL = np.array([1.0, 2.0, 3.0]), np.array([-1.0, -3.0, -5.0])
RERUN_AMBIENT = 0.2
# The three-point rig, in camera coordinates (x right, y up, +z towards the viewer): where each light
# comes from and its strength (before LAMBERT).
KEY_FROM, KEY_STRENGTH = np.array([-1.0, 1.2, 1.0]), 0.9
FILL_FROM, FILL_STRENGTH = np.array([1.2, 0.2, 1.0]), 0.35
RIM_FROM, RIM_STRENGTH = np.array([0.0, 1.0, -1.5]), 0.5
RIG_AMBIENT = 0.12
GRID_MIN_PIXELS = 0.5  # the grid's smallest radius in pixels, as our renderer draws it
MIN_PIXELS = 0.5  # the smallest radius drawn, in output pixels (a line one pixel wide)
FLOOR_SPAN = 1.5  # the shadow-catching floor reaches this many scene radii from the scene's center
FLOOR_GAP = 0.01  # and lies this fraction of that reach under the scene's lowest point

_INSTALL = (
    "look.renderer = 'pyrender' (--renderer pyrender) needs the optional `pyrender` extra, which is not "
    "installed here: run `pip install 'rerender[pyrender]'` (pyrender 0.1.45; it pins PyOpenGL 3.1.0, "
    "which rerender's own renderer works with too). The default renderer (--renderer ours) needs nothing "
    "more."
)


class PyrenderUnavailableError(RerenderError):
    """The pyrender backend was asked for, but pyrender cannot be imported; the message says what to do."""


@dataclass(frozen=True)
class QualityLook:
    """What only the pyrender backend draws: the light rig, shadows from its key light (onto the scene
    and a floor under it), and supersampling (each output pixel averages `supersample`² rendered ones,
    on top of pyrender's own 4x multisampling; 2 for figures: on Mesa's llvmpipe it costs ~4x the time,
    which is mostly pyrender's multisampled fill)."""

    lights: Lights = "rerun"
    shadows: bool = False
    supersample: int = 1

    def __post_init__(self) -> None:
        if self.lights not in LIGHTS:
            raise ValueError(f"lights must be one of {', '.join(LIGHTS)}, got {self.lights!r}")
        if self.supersample not in SUPERSAMPLE:
            raise ValueError(f"supersample must be one of {SUPERSAMPLE}, got {self.supersample}")


DEFAULT_QUALITY = QualityLook()


def import_pyrender():
    """The pyrender module, after the quirks it needs; PyrenderUnavailableError when it is not installed.

    Call it with a GL context made by gl.create_context(): that chose PyOpenGL's platform (EGL, else
    OSMesa) and bound it, so pyrender's import of OpenGL.GL binds nothing else.
    """
    # numpy 2 removed `np.infty`, which pyrender 0.1.45 (its last release) still uses for empty bounds
    # (mesh.py): restore the alias before pyrender's modules run.
    if not hasattr(np, "infty"):
        np.infty = np.inf  # type: ignore[attr-defined]
    try:
        import pyrender
    except ImportError as e:
        raise PyrenderUnavailableError(f"{_INSTALL} ({e})") from None
    return pyrender


class PyrenderRenderer:
    """Renders scenes at one size through pyrender; owns its GL context (close it, or use it as a context
    manager). pyrender gets our context rather than making its own (its OffscreenRenderer would): the
    platform choice (EGL, else OSMesa, PYOPENGL_PLATFORM, RERENDER_EGL_DEVICE) stays the one of gl.py, and
    pyrender's EGL teardown, which calls eglTerminate and so kills every other context on the display (our
    own renderer's, in the same process), never runs."""

    def __init__(
        self, width: int, height: int, look: Look = DEFAULT_LOOK, quality: QualityLook = DEFAULT_QUALITY
    ) -> None:
        self.width, self.height, self.look, self.quality = width, height, look, quality
        self._meshes: dict[tuple, tuple[object, object]] = {}  # visual key -> (visual, pyrender.Mesh)
        self._renderer = None
        self._context: GLContext | None = create_context()
        self.passed_over = self._context.passed_over
        try:
            self._pyrender = import_pyrender()
            import trimesh

            self._sphere = {s: trimesh.creation.icosphere(subdivisions=s, radius=1.0) for s in (1, 2)}
            # A unit cylinder from z = 0 to z = 1: a segment is one scaled, turned and moved copy.
            cylinder = trimesh.creation.cylinder(radius=1.0, height=1.0, sections=12)
            cylinder.apply_translation([0.0, 0.0, 0.5])
            self._cylinder = cylinder
            ss = quality.supersample
            # pyrender.Renderer draws into its own 4x multisampled framebuffer in the current context.
            self._renderer = self._pyrender.Renderer(width * ss, height * ss)
        except Exception:
            self.close()
            raise

    def __enter__(self) -> PyrenderRenderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Free pyrender's GL objects and the context (safe to call twice)."""
        self._meshes.clear()
        if self._context is not None:
            if self._renderer is not None:
                self._context.make_current()
                self._renderer.delete()  # pyrender's own objects only; the context is ours to close
                self._renderer = None
            self._context.close()
            self._context = None

    def render(self, scene: Scene, camera: CameraPose) -> np.ndarray:
        """The frame as an (H, W, 3) uint8 RGB image."""
        image = self._draw(scene, camera)
        if not scene.labels:
            return image
        from .labels import draw_labels

        return draw_labels(image, scene.labels, camera, REFERENCE_HEIGHT)

    def render_rgba(self, scene: Scene, camera: CameraPose) -> np.ndarray:
        """The frame as an (H, W, 4) uint8 RGBA image, alpha 255."""
        rgb = self.render(scene, camera)
        return np.concatenate([rgb, np.full((*rgb.shape[:2], 1), 255, np.uint8)], axis=2)

    # --- one frame ----------------------------------------------------------------------------------

    def _draw(self, scene: Scene, camera: CameraPose) -> np.ndarray:
        if self._context is None:
            raise RuntimeError("this PyrenderRenderer is closed")
        pr = self._pyrender
        ss = self.quality.supersample
        width, height = self.width * ss, self.height * ss
        ambient = RERUN_AMBIENT if self.quality.lights == "rerun" else RIG_AMBIENT
        # pyrender reads a colour of Python ints as 0-255 and one of floats as 0-1: floats, always.
        out = pr.Scene(bg_color=[*map(float, self.look.background), 1.0], ambient_light=[ambient] * 3)
        used: set[tuple] = set()
        for mesh in scene.meshes:
            if len(mesh.triangles):
                out.add(self._mesh(mesh, used), pose=_pose(mesh.world))
        for points in scene.points:
            for part in self._points(points, camera):
                out.add(part)
        for lines in scene.lines:
            for part in self._lines(lines, camera):
                out.add(part)
        if self.look.grid:
            for part in self._grid(scene, camera):
                out.add(part)
        bounds = scene.bounds()
        if self.quality.shadows and bounds is not None:
            out.add(self._floor(bounds, scene.up))
        self._add_lights(out, camera, bounds)
        out.add(_camera(pr, camera, width, height), pose=camera.matrix())
        for key in [k for k in self._meshes if k not in used]:  # pyrender frees the GL side itself
            del self._meshes[key]
        flags = pr.RenderFlags.OFFSCREEN
        if self.quality.shadows:
            flags |= pr.RenderFlags.SHADOWS_DIRECTIONAL
        self._context.make_current()  # another renderer in this process may have taken over
        color, _ = self._renderer.render(out, flags)
        if ss == 1:
            return np.ascontiguousarray(color[..., :3])
        # Supersampling: each output pixel is the mean of its ss x ss rendered pixels.
        blocks = color[..., :3].reshape(self.height, ss, self.width, ss, 3).astype(np.float32)
        return np.round(blocks.mean(axis=(1, 3))).astype(np.uint8)

    def _add_lights(self, out, camera: CameraPose, bounds: tuple[np.ndarray, np.ndarray] | None) -> None:
        """The key light is directional (pyrender's only shadow-casting kind); the others are point lights
        far away (as good as directional there), so that only the key light casts a shadow."""
        pr = self._pyrender
        if self.quality.lights == "rerun":
            key = RERUN_KEY
            others = [(RERUN_FILL, 0.5)]
            strength = 1.0
        else:
            rotation = camera.matrix()[:3, :3]
            key = rotation @ KEY_FROM
            others = [(rotation @ FILL_FROM, FILL_STRENGTH), (rotation @ RIM_FROM, RIM_STRENGTH)]
            strength = KEY_STRENGTH
        out.add(pr.DirectionalLight(color=np.ones(3), intensity=LAMBERT * strength), pose=_facing(-key))
        center, radius = np.zeros(3), 1.0
        if bounds is not None:
            center = (bounds[0] + bounds[1]) / 2
            radius = max(float(np.linalg.norm(bounds[1] - bounds[0])) / 2, 1e-6)
        far = 20.0 * radius
        for direction, power in others:
            pose = np.eye(4)
            pose[:3, 3] = center + far * direction / np.linalg.norm(direction)
            # A point light fades with the squared distance: this gives `power` at the scene.
            out.add(pr.PointLight(color=np.ones(3), intensity=LAMBERT * power * far**2), pose=pose)

    def _floor(self, bounds: tuple[np.ndarray, np.ndarray], up: np.ndarray):
        """A square under the scene, across the up axis, in the background's colour: it catches the key
        light's shadows (and would otherwise not stand out from the background)."""
        pr = self._pyrender
        up = np.asarray(up, dtype=np.float64)
        up = up / (np.linalg.norm(up) or 1.0)
        center = (bounds[0] + bounds[1]) / 2
        span = FLOOR_SPAN * max(float(np.linalg.norm(bounds[1] - bounds[0])) / 2, 1e-6)
        corners = np.array(list(np.ndindex(2, 2, 2)), dtype=np.float64) * (bounds[1] - bounds[0]) + bounds[0]
        low = float((corners @ up).min())
        axis = next(a for a in np.eye(3) if abs(float(a @ up)) < 0.9)
        u = np.cross(up, axis)
        u /= np.linalg.norm(u)
        v = np.cross(up, u)
        # A little under the lowest point: flat geometry lying on the floor would otherwise z-fight it.
        base = center + (low - FLOOR_GAP * span - float(center @ up)) * up
        quad = np.array([base + span * (a * u + b * v) for a, b in ((-1, -1), (1, -1), (1, 1), (-1, 1))])
        color = _linear(np.array([*self.look.background, 1.0]) * 255)
        material = pr.MetallicRoughnessMaterial(
            baseColorFactor=color, metallicFactor=0.0, roughnessFactor=MATTE, doubleSided=True
        )
        primitive = pr.Primitive(
            positions=quad.astype(np.float32),
            normals=np.tile(up, (4, 1)).astype(np.float32),
            indices=np.array([[0, 1, 2], [0, 2, 3]], dtype=np.uint32),
            material=material,
        )
        return pr.Mesh([primitive])

    # --- visuals ------------------------------------------------------------------------------------

    def _mesh(self, mesh: MeshVisual, used: set[tuple]):
        """The visual as a pyrender mesh, kept while the same arrays are drawn frame after frame (pyrender
        uploads a mesh once, and frees it when a frame's scene no longer holds it)."""
        key = _mesh_key(mesh)
        used.add(key)
        kept = self._meshes.get(key)
        if kept is None:
            kept = self._meshes[key] = (mesh, self._build_mesh(mesh))
        return kept[1]

    def _build_mesh(self, mesh: MeshVisual):
        pr = self._pyrender
        n = len(mesh.vertices)
        rgba = mesh.vertex_colors if mesh.vertex_colors is not None else np.tile(mesh.color, (n, 1))
        rgba = np.asarray(rgba, dtype=np.float64).reshape(n, 4)
        translucent = bool((rgba[:, 3] < 255).any()) or _has_alpha(mesh.texture)
        textured = mesh.texture is not None and mesh.texcoords is not None
        lit = mesh.normals is not None
        texture = _texture(pr, mesh.texture) if textured else None
        pbr = mesh.material
        if lit:
            material = pr.MetallicRoughnessMaterial(
                baseColorFactor=np.ones(4),
                baseColorTexture=texture,
                metallicFactor=pbr.metallic if pbr is not None else 0.0,
                roughnessFactor=pbr.roughness if pbr is not None else MATTE,
                metallicRoughnessTexture=(
                    _texture(pr, pbr.metallic_roughness_texture)
                    if pbr is not None and pbr.metallic_roughness_texture is not None and textured
                    else None
                ),
                alphaMode="BLEND" if translucent else "OPAQUE",
                doubleSided=True,  # as Rerun draws meshes
            )
        else:
            # Rerun draws meshes without normals unlit. pyrender's shader always lights the base colour,
            # but adds the emissive colour as it is and multiplies the sum by the vertex colours: a black
            # base with white emission (times the texture, as emissive map) is the unlit colour.
            material = pr.MetallicRoughnessMaterial(
                baseColorFactor=np.array([0.0, 0.0, 0.0, 1.0]),
                emissiveFactor=np.ones(3),
                emissiveTexture=texture,
                alphaMode="BLEND" if translucent else "OPAQUE",
                doubleSided=True,
            )
        primitive = pr.Primitive(
            positions=np.asarray(mesh.vertices, dtype=np.float32),
            normals=None if not lit else np.asarray(mesh.normals, dtype=np.float32),
            texcoord_0=_flip_v(mesh.texcoords) if textured else None,
            color_0=_linear(rgba),
            indices=np.asarray(mesh.triangles, dtype=np.uint32),
            material=material,
        )
        return pr.Mesh([primitive], is_visible=True)

    def _points(self, points: PointsVisual, camera: CameraPose) -> list:
        """Each point a sphere of its radius (UI-point radii at the size they appear), instanced."""
        centers = world_points(np.asarray(points.positions, dtype=np.float64), points.world)
        n = len(centers)
        radii = np.broadcast_to(scaled_radii(points.radii, points.world), (n,))
        radii = self._visible(ui_radii(radii, centers, camera, self.height), centers, camera)
        colors = np.broadcast_to(np.asarray(points.colors, dtype=np.uint8), (n, 4))
        keep = np.isfinite(centers).all(axis=1) & np.isfinite(radii) & (radii > 0)  # NaN and inf are data
        centers, radii, colors = centers[keep], radii[keep], colors[keep]
        poses = np.zeros((len(centers), 4, 4))
        poses[:, [0, 1, 2], [0, 1, 2]] = radii[:, None]
        poses[:, :3, 3] = centers
        poses[:, 3, 3] = 1.0
        template = self._sphere[2 if len(centers) <= 5000 else 1]
        return self._instances(template, poses, colors)

    def _lines(self, lines: LinesVisual, camera: CameraPose) -> list:
        """Each segment a cylinder between its points, with a sphere at every joint (round caps and
        elbows, as Rerun's lines have)."""
        records = segments(lines)
        if not len(records):
            return []
        start = world_points(records["start"].astype(np.float64), lines.world)
        end = world_points(records["end"].astype(np.float64), lines.world)
        radii = scaled_radii(records["radius"], lines.world)
        middle = (start + end) / 2
        radii = self._visible(ui_radii(radii, middle, camera, self.height), middle, camera)
        return self._tubes(start, end, radii, records["color"])

    def _visible(self, radii: np.ndarray, centers: np.ndarray, camera: CameraPose) -> np.ndarray:
        """Radii of at least MIN_PIXELS output pixels where they are: thinner tubes and spheres would break
        up between samples, where our renderer's shaders fade them out evenly by their coverage."""
        distance = np.linalg.norm(centers - camera.eye, axis=1)
        world_per_pixel = 2 * distance * math.tan(math.radians(camera.fov_y_deg) / 2) / self.height
        with np.errstate(invalid="ignore"):  # NaN and inf are data (and dropped later)
            return np.maximum(np.asarray(radii, dtype=np.float64), MIN_PIXELS * world_per_pixel)

    def _grid(self, scene: Scene, camera: CameraPose) -> list:
        """Rerun's ground grid as thin tubes, its fading alpha blended into the background beforehand."""
        records = grid_segments(camera, scene.up)
        start, end = records["start"].astype(np.float64), records["end"].astype(np.float64)
        # One UI point wide, at least one pixel (our renderer's grid pass lowers its minimum to half a
        # pixel of radius), sized at the nearer end as our line shader does.
        near = np.minimum(
            np.linalg.norm(start - camera.eye, axis=1), np.linalg.norm(end - camera.eye, axis=1)
        )
        world_per_pixel = 2 * near * math.tan(math.radians(camera.fov_y_deg) / 2) / self.height
        radii = max(-GRID_RADIUS_UI * self.height / REFERENCE_HEIGHT, GRID_MIN_PIXELS) * world_per_pixel
        alpha = records["color"][:, 3:4] / 255.0
        background = np.array(self.look.background) * 255
        colors = np.empty((len(records), 4), np.uint8)
        colors[:, :3] = np.round(background + (records["color"][:, :3] - background) * alpha)
        colors[:, 3] = 255
        return self._tubes(start, end, radii.astype(np.float64), colors, caps=False, lit=False)

    def _tubes(
        self,
        start: np.ndarray,
        end: np.ndarray,
        radii: np.ndarray,
        colors: np.ndarray,
        caps: bool = True,
        lit: bool = True,
    ) -> list:
        axis = end - start
        length = np.linalg.norm(axis, axis=1)
        keep = (
            np.isfinite(start).all(axis=1) & np.isfinite(end).all(axis=1) & np.isfinite(radii) & (radii > 0)
        )
        start, axis, length, radii, colors = start[keep], axis[keep], length[keep], radii[keep], colors[keep]
        long = length > 0
        z = axis[long] / length[long, None]
        # Any x across the axis will do: a round tube looks the same turned about it.
        helper = np.where(np.abs(z[:, :1]) < 0.9, [[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]])
        x = np.cross(helper, z)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        y = np.cross(z, x)
        poses = np.zeros((int(long.sum()), 4, 4))
        poses[:, :3, 0] = x * radii[long, None]
        poses[:, :3, 1] = y * radii[long, None]
        poses[:, :3, 2] = axis[long]
        poses[:, :3, 3] = start[long]
        poses[:, 3, 3] = 1.0
        parts = self._instances(self._cylinder, poses, colors[long], lit=lit)
        if caps:
            joints = np.concatenate([start, start + axis])
            joint_radii = np.concatenate([radii, radii])
            # Joints shared by two segments would be drawn twice: once is enough.
            _, first = np.unique(np.round(joints, 6), axis=0, return_index=True)
            balls = np.zeros((len(first), 4, 4))
            balls[:, [0, 1, 2], [0, 1, 2]] = joint_radii[first, None]
            balls[:, :3, 3] = joints[first]
            balls[:, 3, 3] = 1.0
            parts += self._instances(self._sphere[1], balls, np.concatenate([colors, colors])[first])
        return parts

    def _instances(self, template, poses: np.ndarray, colors: np.ndarray, lit: bool = True) -> list:
        """Copies of `template` placed by `poses`, coloured per copy. pyrender instancing has one material
        for all instances of a mesh and no per-instance colour: one instanced mesh per distinct colour;
        past MERGE_COLORS colours (a colormapped cloud), one mesh of every copy with vertex colours."""
        pr = self._pyrender
        if not len(poses):
            return []
        colors = np.asarray(colors, dtype=np.uint8)
        colors[:, 3] = 255  # Rerun draws points and lines opaque
        distinct, which = np.unique(colors, axis=0, return_inverse=True)
        which = which.reshape(-1)
        vertices = np.asarray(template.vertices, dtype=np.float32)
        normals = np.asarray(template.vertex_normals, dtype=np.float32)
        faces = np.asarray(template.faces, dtype=np.uint32)
        if len(distinct) <= MERGE_COLORS:
            meshes = []
            for k, color in enumerate(distinct):
                primitive = pr.Primitive(
                    positions=vertices,
                    normals=normals,
                    indices=faces,
                    material=_solid(pr, color, lit),
                    poses=poses[which == k],
                )
                meshes.append(pr.Mesh([primitive]))
            return meshes
        nv = len(vertices)
        placed = np.einsum("nij,vj->nvi", poses[:, :3, :3], vertices) + poses[:, None, :3, 3]
        # Normals go through each pose's inverse transpose (tubes are scaled unevenly).
        turn = np.linalg.inv(poses[:, :3, :3]).transpose(0, 2, 1)
        turned = np.einsum("nij,vj->nvi", turn, normals)
        turned /= np.linalg.norm(turned, axis=2, keepdims=True)
        indices = faces[None] + (np.arange(len(poses), dtype=np.uint32) * nv)[:, None, None]
        primitive = pr.Primitive(
            positions=placed.reshape(-1, 3).astype(np.float32),
            normals=turned.reshape(-1, 3).astype(np.float32),
            indices=indices.reshape(-1, 3),
            color_0=np.repeat(_linear(colors.astype(np.float64)), nv, axis=0),
            material=_solid(pr, np.array([255, 255, 255, 255]), lit),
        )
        return [pr.Mesh([primitive])]


# --- helpers ------------------------------------------------------------------------------------------


def _linear(rgba: np.ndarray) -> np.ndarray:
    """sRGB 0-255 colours (..., 4) as the linear 0-1 floats pyrender wants (alpha stays linear). The
    exponent is pyrender's own: its shader ends with pow(c, 1/2.2), so colours come back as given."""
    out = np.asarray(rgba, dtype=np.float64) / 255.0
    out[..., :3] = out[..., :3] ** 2.2
    return out.astype(np.float32)


def _solid(pr, color: np.ndarray, lit: bool):
    """A material of one colour: lit (a soft highlight), or unlit through emission on a black base."""
    linear = _linear(np.asarray(color, dtype=np.float64))
    if lit:
        return pr.MetallicRoughnessMaterial(
            baseColorFactor=linear, metallicFactor=0.0, roughnessFactor=SPHERE_ROUGHNESS
        )
    return pr.MetallicRoughnessMaterial(
        baseColorFactor=np.array([0.0, 0.0, 0.0, 1.0]), emissiveFactor=np.sqrt(linear[:3])
    )  # pyrender multiplies the emissive factor in twice (emissive * emissive_factor)


def _flip_v(texcoords: np.ndarray) -> np.ndarray:
    """Rerun's (glTF's) texture coordinates, v down from the image's top row, as pyrender samples them:
    it uploads images bottom row first (OpenGL's way), so v counts up."""
    uv = np.asarray(texcoords, dtype=np.float32).reshape(-1, 2)
    return np.column_stack([uv[:, 0], 1.0 - uv[:, 1]]).astype(np.float32)


def _texture(pr, image: np.ndarray):
    image = np.ascontiguousarray(image, dtype=np.uint8)
    if image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=2)
    channels = {3: "RGB", 4: "RGBA"}[image.shape[2]]
    return pr.Texture(source=image, source_channels=channels)


def _has_alpha(texture: np.ndarray | None) -> bool:
    return bool(
        texture is not None and texture.ndim == 3 and texture.shape[2] == 4 and (texture[..., 3] < 255).any()
    )


def _mesh_key(mesh: MeshVisual) -> tuple:
    """What a pyrender mesh is made of: the visual's arrays, by identity (scene evaluation reuses them for
    entities that did not change), and its colour and material."""
    return (
        id(mesh.vertices),
        id(mesh.triangles),
        id(mesh.vertex_colors),
        id(mesh.normals),
        id(mesh.texcoords),
        id(mesh.texture),
        id(mesh.material),
        mesh.color,
    )


def _pose(world: np.ndarray | None) -> np.ndarray:
    return np.eye(4) if world is None else np.asarray(world, dtype=np.float64)


def _facing(direction: np.ndarray) -> np.ndarray:
    """A node pose whose -Z points along `direction` (pyrender's lights shine down their -Z)."""
    z = -np.asarray(direction, dtype=np.float64)
    z /= np.linalg.norm(z)
    helper = np.array([0.0, 0.0, 1.0]) if abs(z[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    x = np.cross(helper, z)
    x /= np.linalg.norm(x)
    pose = np.eye(4)
    pose[:3, 0], pose[:3, 1], pose[:3, 2] = x, np.cross(z, x), z
    return pose


def _camera(pr, camera: CameraPose, width: int, height: int):
    """pyrender's camera for a pose: a perspective camera of the same vertical field of view and aspect,
    or, looking through a Pinhole, one of its intrinsics (principal point included); near and far planes
    as our renderer's (renderer.projection_matrix)."""
    distance = float(np.linalg.norm(camera.eye - camera.target)) or 1.0
    near, far = distance * 1e-3, distance * 1e3
    if camera.intrinsics is None:
        return pr.PerspectiveCamera(
            yfov=math.radians(camera.fov_y_deg), aspectRatio=width / height, znear=near, zfar=far
        )
    k = camera.pixel_intrinsics(width, height)
    return pr.IntrinsicsCamera(fx=k.fx, fy=k.fy, cx=k.cx, cy=k.cy, znear=near, zfar=far)
