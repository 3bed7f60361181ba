"""Drawing a `Scene` into an RGB image with OpenGL 3.3, offscreen.

One `Renderer` owns a headless context, one framebuffer and the shader programs of render/shaders.py
(point sprites, point quads, line segments, meshes). A visual's arrays are uploaded once into GL buffers
that stay resident while the same visual object is drawn frame after frame (scene evaluation hands back
the same objects for entities that did not change); only new visuals are uploaded, and buffers of
visuals no longer drawn are freed after each frame. Each frame sets a visual's world matrix and issues
its draws, then reads the pixels back. The buffers hold exactly what a fresh upload would, so frames
can be rendered in any order and give the same pixels.

Draw order: opaque meshes, points, lines, translucent meshes (no depth writes), the ground grid; then
labels, over the read-back pixels. Points are not sorted: their fully covered fragments are drawn
first (opaque, depth written), then their anti-aliased fringes blended over that with depth writes off,
so a soft edge never hides what is behind it (see shaders.POINTS_FRAGMENT).
"""

from __future__ import annotations

import ctypes
import itertools
import math
import warnings
from dataclasses import dataclass

import numpy as np

from ..camera.framing import CameraPose
from ..scene.visuals import (
    LinesVisual,
    MeshVisual,
    PointsVisual,
    Scene,
    same_world,
    world_points,
    world_scale,
)
from . import shaders
from .gl import GLContext, GLUnavailableError, create_context, gl_info

BACKGROUND = (0.1, 0.1, 0.1)  # Rerun's dark background, seen side-on (#1a1a1a)
REFERENCE_HEIGHT = 720  # 1 UI point is one pixel at this output height, scaled with it
MIN_UI_PIXELS = 1.0  # UI-point radii never shrink below this many pixels, or small renders lose them
GRID_COLOR = (128, 128, 128, 60)  # Rerun's LineGrid3D default
GRID_RADIUS_UI = -0.5  # 1 UI point wide
GRID_LINES = 20  # cells each side of the target
MSAA_SAMPLES = (0, 2, 4, 8)  # 4x is Rerun's; it costs llvmpipe about four times the fill
DRAW_PIECE = 1 << 20  # points per draw call (see _draw_points)
SPARE_OBJECTS = 64  # GL objects of released visuals kept for reuse
SORTED_POINTS = 100_000  # moving point sets up to this size are sorted and drawn in one pass
# Static point sets above this size get buffers of their own, uploaded once; smaller ones join the
# sorted pass, so that 100,000 one-point entities are one draw rather than 100,000.
OWN_BUFFERS_STATIC = 256

_POINT = np.dtype([("center", np.float32, 3), ("radius", np.float32), ("color", np.uint8, 4)])
_SEGMENT = np.dtype(
    [("start", np.float32, 3), ("end", np.float32, 3), ("radius", np.float32), ("color", np.uint8, 4)]
)


@dataclass(frozen=True)
class Look:
    """How frames look beyond what the recording says: the background, Rerun's ground grid, and
    multisampling (`msaa` samples per pixel smooth mesh edges; points and lines are smooth without)."""

    background: tuple[float, float, float] = BACKGROUND  # sRGB, 0..1
    grid: bool = False
    msaa: int = 0

    def __post_init__(self) -> None:
        if self.msaa not in MSAA_SAMPLES:
            raise ValueError(f"msaa must be one of {', '.join(map(str, MSAA_SAMPLES))}, got {self.msaa}")
        if len(self.background) != 3 or not all(0.0 <= float(c) <= 1.0 for c in self.background):
            raise ValueError(f"background must be three numbers from 0 to 1, got {self.background!r}")


DEFAULT_LOOK = Look()


def _world_radius(radii: np.ndarray, distance: np.ndarray, camera: CameraPose, height: int) -> np.ndarray:
    """Radii in world units at `distance` from the eye: UI-point radii (negative) become the size that
    many points appear at there, never under MIN_UI_PIXELS."""
    world_per_pixel = 2 * distance * math.tan(math.radians(camera.fov_y_deg) / 2) / height
    ui = np.maximum(-radii * (height / REFERENCE_HEIGHT), MIN_UI_PIXELS) * world_per_pixel
    return np.where(radii < 0, ui, radii)


def world_radii(radii: np.ndarray, positions: np.ndarray, camera: CameraPose, height: int) -> np.ndarray:
    """Radii in world units: UI-point radii (negative) become the size that many points appear at.

    The shaders do this per vertex; this is the same rule on the CPU.
    """
    radii = np.asarray(radii, dtype=np.float32)
    if not (radii < 0).any():
        return radii
    distance = np.linalg.norm(positions - camera.eye, axis=1)
    return _world_radius(radii, distance, camera, height).astype(np.float32)


def view_matrix(camera: CameraPose) -> np.ndarray:
    """World-to-view 4x4 (the inverse of the camera's pose)."""
    return np.linalg.inv(camera.matrix())


def projection_matrix(camera: CameraPose, width: int, height: int) -> np.ndarray:
    """View-to-clip perspective 4x4, with y flipped so that glReadPixels returns the top row first.

    Built from pixel intrinsics so that a Pinhole's principal point is honoured: pixel u = fx·x/z + cx
    maps to NDC 2u/W - 1 (and v, counted down from the top row, to 2v/H - 1).
    """
    distance = float(np.linalg.norm(camera.eye - camera.target)) or 1.0
    near, far = distance * 1e-3, distance * 1e3
    k = camera.pixel_intrinsics(width, height)
    proj = np.zeros((4, 4))
    proj[0, 0], proj[0, 2] = 2 * k.fx / width, 1 - 2 * k.cx / width
    proj[1, 1], proj[1, 2] = -2 * k.fy / height, 1 - 2 * k.cy / height
    proj[2, 2], proj[2, 3] = (far + near) / (near - far), 2 * far * near / (near - far)
    proj[3, 2] = -1.0
    return proj


def segments(lines: LinesVisual) -> np.ndarray:
    """Each strip's consecutive point pairs as segment records, with their strip's radius and color."""
    points = np.asarray(lines.points, dtype=np.float32).reshape(-1, 3)
    offsets = np.asarray(lines.offsets, dtype=np.int64)
    # Point i starts a segment unless it is the last point of its strip.
    starts = np.arange(max(len(points) - 1, 0))
    starts = starts[~np.isin(starts + 1, offsets)]
    out = np.empty(len(starts), dtype=_SEGMENT)
    if not len(out):
        return out
    owner = np.searchsorted(offsets, starts, side="right") - 1  # which strip each segment belongs to
    radii = np.asarray(lines.radii, dtype=np.float32).reshape(-1)
    colors = np.asarray(lines.colors, dtype=np.uint8).reshape(-1, 4)
    out["start"], out["end"] = points[starts], points[starts + 1]
    out["radius"] = radii[np.minimum(owner, len(radii) - 1)]
    out["color"] = colors[np.minimum(owner, len(colors) - 1)]
    out["color"][:, 3] = 255  # Rerun draws lines opaque, whatever their colour's alpha
    return out


def point_records(points: PointsVisual) -> np.ndarray:
    """The points as interleaved instance records (in the visual's own coordinates)."""
    n = len(points.positions)
    records = np.empty(n, dtype=_POINT)
    records["center"] = points.positions
    records["radius"] = np.broadcast_to(np.asarray(points.radii, dtype=np.float32), (n,))
    records["color"] = np.broadcast_to(np.asarray(points.colors, dtype=np.uint8), (n, 4))
    return records


def placed_records(records: np.ndarray, world: np.ndarray | None) -> np.ndarray:
    """Point records in world space: centres moved by `world`, and radii in scene units scaled by it as
    the shaders' u_model_scale would (radii in UI points stay)."""
    if world is None:
        return records
    out = records.copy()
    with np.errstate(invalid="ignore", over="ignore"):  # NaN and inf are data
        out["center"] = world_points(records["center"], world)
    radius = out["radius"]
    out["radius"] = np.where(radius >= 0, radius * np.float32(world_scale(world)), radius)
    return out


def largest_sprite(
    bounds: PointBounds, world: np.ndarray | None, camera: CameraPose, shape: tuple[int, int]
) -> float:
    """An upper bound on the sprite size (pixels) of any point of a visual that is in view: from the
    nearest its bounding box comes to the eye, its largest radius and the widest angle off the view
    axis the frame shows; inf when the eye is inside the box or a radius is not finite."""
    width, height = shape
    if not bounds.finite:
        return math.inf
    box = np.stack([bounds.low, bounds.high])
    corners = world_points(np.array(list(itertools.product(box[:, 0], box[:, 1], box[:, 2]))), world)
    low, high = corners.min(axis=0), corners.max(axis=0)
    nearest = float(np.linalg.norm(np.maximum(np.maximum(low - camera.eye, camera.eye - high), 0.0)))
    scale = world_scale(world)
    radius = bounds.max_world_radius * scale
    tan_y = math.tan(math.radians(camera.fov_y_deg) / 2)
    cos_edge = 1.0 / math.sqrt(1.0 + tan_y**2 * (1.0 + (width / height) ** 2))  # the frame's corner ray
    stretch = 1.05 / cos_edge
    px_per_ui = max(bounds.max_ui_radius * height / REFERENCE_HEIGHT, MIN_UI_PIXELS)
    ui_size = 2 * (px_per_ui * stretch + 0.75) if bounds.max_ui_radius > 0 else 0.0
    if radius <= 0:
        return ui_size
    depth = (nearest - radius) * cos_edge
    if depth <= 0:
        return math.inf
    world_per_px = depth * 2 * tan_y / height
    return max(ui_size, 2 * (radius / world_per_px * 1.2 * stretch + 0.75))


@dataclass(frozen=True)
class PointBounds:
    """What bounds a points visual's sprite sizes: its box (own coordinates) and largest radii."""

    low: np.ndarray
    high: np.ndarray
    max_world_radius: float  # the largest radius in scene units (0: none)
    max_ui_radius: float  # the largest UI-point radius, as a positive number (0: none)
    finite: bool

    @classmethod
    def of(cls, visual: PointsVisual) -> PointBounds:
        centers = np.asarray(visual.positions).reshape(-1, 3)
        radii = np.asarray(visual.radii, dtype=np.float32).reshape(-1)
        low, high = centers.min(axis=0, initial=np.inf), centers.max(axis=0, initial=-np.inf)
        finite = bool(len(centers) and np.isfinite(low).all() and np.isfinite(high).all())
        finite = finite and bool(np.isfinite(radii).all())  # min/max see every NaN and inf
        if not finite:
            return cls(np.zeros(3), np.zeros(3), 0.0, 0.0, False)
        return cls(
            low.astype(np.float64),
            high.astype(np.float64),
            max(float(radii.max()), 0.0),
            max(float(-radii.min()), 0.0),
            True,
        )


def grid_segments(camera: CameraPose, up: np.ndarray) -> np.ndarray:
    """Rerun's ground grid, in the up plane through the origin: lines one unit apart (ten or a hundred
    when the camera is far), GRID_LINES cells each side of the point under the target, fading out
    towards the edge instead of stopping short."""
    up = np.asarray(up, dtype=np.float64)
    up = up / (np.linalg.norm(up) or 1.0)
    axis = next(a for a in np.eye(3) if abs(float(a @ up)) < 0.9)
    u = axis - (axis @ up) * up
    u /= np.linalg.norm(u)
    v = np.cross(up, u)
    distance = max(float(np.linalg.norm(camera.eye - camera.target)), 1e-6)
    spacing = 10.0 ** max(0, math.floor(math.log10(distance / 4)))  # keeps cells a readable size
    center = camera.target - (camera.target @ up) * up
    center = (np.round(center @ u / spacing) * u + np.round(center @ v / spacing) * v) * spacing
    steps = np.arange(-GRID_LINES, GRID_LINES + 1, dtype=np.float64)
    # Every line is cut into one-cell pieces so that each piece can fade with its distance from the center.
    line, piece = np.meshgrid(steps, steps[:-1], indexing="ij")
    line, piece = line.ravel(), piece.ravel()
    fade = 1.0 - np.maximum(np.abs(line), np.abs(piece + 0.5)) / GRID_LINES
    out = np.empty(2 * len(line), dtype=_SEGMENT)
    for k, (along, across) in enumerate(((u, v), (v, u))):
        part = out[k * len(line) : (k + 1) * len(line)]
        part["start"] = center + spacing * (line[:, None] * across + piece[:, None] * along)
        part["end"] = center + spacing * (line[:, None] * across + (piece[:, None] + 1) * along)
        part["radius"] = GRID_RADIUS_UI
        part["color"] = GRID_COLOR
        part["color"][:, 3] = np.round(GRID_COLOR[3] * np.clip(fade, 0, 1) ** 0.5).astype(np.uint8)
    return out


class _Program:
    """A linked shader program and its uniform locations."""

    def __init__(self, gl, vertex: str, fragment: str, name: str) -> None:
        self._gl = gl
        stages = []
        for kind, source in ((gl.GL_VERTEX_SHADER, vertex), (gl.GL_FRAGMENT_SHADER, fragment)):
            shader = gl.glCreateShader(kind)
            gl.glShaderSource(shader, source)
            gl.glCompileShader(shader)
            if not gl.glGetShaderiv(shader, gl.GL_COMPILE_STATUS):
                log = gl.glGetShaderInfoLog(shader)
                raise RuntimeError(f"the {name} shader does not compile: {_text(log)}")
            stages.append(shader)
        self.id = gl.glCreateProgram()
        for shader in stages:
            gl.glAttachShader(self.id, shader)
        gl.glLinkProgram(self.id)
        if not gl.glGetProgramiv(self.id, gl.GL_LINK_STATUS):
            raise RuntimeError(f"the {name} program does not link: {_text(gl.glGetProgramInfoLog(self.id))}")
        for shader in stages:
            gl.glDeleteShader(shader)
        self._locations: dict[str, int] = {}
        self._values: dict[str, object] = {}  # what each uniform holds now (a program keeps its uniforms)

    def use(self, uniforms: dict[str, object]) -> None:
        """Make this the current program and set `uniforms` (floats, ints/bools, 2-tuples, 4x4 matrices);
        those already holding the value are not set again (each GL call costs Python time)."""
        gl = self._gl
        gl.glUseProgram(self.id)
        for name, value in uniforms.items():
            location = self._locations.get(name)
            if location is None:
                location = self._locations[name] = gl.glGetUniformLocation(self.id, name)
            if location < 0:
                continue  # optimized away: this shader does not read it
            held = self._values.get(name)
            if held is value or (
                held is not None and type(held) is type(value) and _same_uniform(held, value)
            ):
                continue
            self._values[name] = value
            if isinstance(value, np.ndarray):
                gl.glUniformMatrix4fv(location, 1, gl.GL_TRUE, value.astype(np.float32))
            elif isinstance(value, tuple):
                gl.glUniform2f(location, *value)
            elif isinstance(value, bool | int):
                gl.glUniform1i(location, int(value))
            else:
                gl.glUniform1f(location, float(value))


def _same_uniform(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and bool(np.array_equal(a, b))  # type: ignore[union-attr]
    return a == b


def _text(log) -> str:
    return log.decode(errors="replace").strip() if isinstance(log, bytes) else str(log).strip()


class _Batch:
    """A vertex array with one buffer of interleaved records; `attributes` maps locations to fields.
    `vbo` shares another batch's buffer (the same records read per vertex and per instance)."""

    def __init__(
        self, gl, dtype: np.dtype, attributes: dict[int, str], per_instance: bool, vbo: int | None = None
    ) -> None:
        self._gl = gl
        self.vao = gl.glGenVertexArrays(1)
        self.vbo = gl.glGenBuffers(1) if vbo is None else vbo
        self.owns_buffer = vbo is None
        gl.glBindVertexArray(self.vao)
        gl.glBindBuffer(gl.GL_ARRAY_BUFFER, self.vbo)
        for location, field in attributes.items():
            base, offset = dtype.fields[field][0], dtype.fields[field][1]
            size = base.shape[0] if base.shape else 1
            gl.glEnableVertexAttribArray(location)
            if base.base == np.uint8:
                kind, normalized = gl.GL_UNSIGNED_BYTE, gl.GL_TRUE
            else:
                kind, normalized = gl.GL_FLOAT, gl.GL_FALSE
            gl.glVertexAttribPointer(
                location, size, kind, normalized, dtype.itemsize, ctypes.c_void_p(offset)
            )
            if per_instance:
                gl.glVertexAttribDivisor(location, 1)
        gl.glBindVertexArray(0)

    def upload(self, records: np.ndarray, usage: int | None = None) -> None:
        """Replace the buffer's contents with `records`."""
        gl = self._gl
        gl.glBindBuffer(gl.GL_ARRAY_BUFFER, self.vbo)
        data = np.ascontiguousarray(records)
        gl.glBufferData(gl.GL_ARRAY_BUFFER, data.nbytes, data, usage or gl.GL_STREAM_DRAW)

    def delete(self) -> None:
        self._gl.glDeleteVertexArrays(1, [self.vao])
        if self.owns_buffer:
            self._gl.glDeleteBuffers(1, [self.vbo])


def _resident_key(visual: PointsVisual | LinesVisual | MeshVisual) -> tuple:
    """What a visual's buffers are made of: its arrays, by identity. Scene evaluation reuses them for
    entities that did not change, even when it places them with a new world matrix."""
    if isinstance(visual, PointsVisual):
        return ("points", id(visual.positions), id(visual.colors), id(visual.radii))
    if isinstance(visual, LinesVisual):
        return ("lines", id(visual.points), id(visual.offsets), id(visual.colors), id(visual.radii))
    return (
        "mesh",
        id(visual.vertices),
        id(visual.triangles),
        id(visual.vertex_colors),
        id(visual.normals),
        id(visual.texcoords),
        id(visual.texture),
        visual.color,
    )


@dataclass
class _Resident:
    """The GL objects of one visual's arrays, kept while they are drawn frame after frame. Holding the
    visual (and so its arrays) keeps their id()s from being reused while the buffers live."""

    visual: object
    batches: list[_Batch]
    count: int  # records (points, segments) or indices (meshes)
    point_bounds: PointBounds | None = None
    indices: int | None = None  # meshes: the element buffer
    texture: int | None = None
    translucent: bool = False
    records: np.ndarray | None = None  # small moving points: drawn sorted from these each frame
    vaos: list[int] | None = None  # points: over their own per-attribute buffers (sprites, quads)
    buffers: list[int] | None = None
    constants: dict[int, np.ndarray] | None = None  # points: attributes shared by every point
    frame_key: tuple | None = None  # points: the camera and placement `frame_values` were found for
    frame_values: tuple = ()


_VERTEX = np.dtype(
    [("position", np.float32, 3), ("normal", np.float32, 3), ("color", np.uint8, 4), ("uv", np.float32, 2)]
)


class Renderer:
    """Renders scenes at one size; owns its GL context (close it, or use it as a context manager)."""

    def __init__(self, width: int, height: int, look: Look = DEFAULT_LOOK) -> None:
        self.width, self.height, self.look = width, height, look
        self._context: GLContext | None = create_context()
        self.passed_over = self._context.passed_over  # why EGL (say) was not used, for `rerender doctor`
        from OpenGL import GL

        self._gl = GL
        self._resident: dict[tuple, _Resident] = {}
        self._spare_points: list[tuple[list[int], list[int]]] = []  # objects of visuals no longer drawn
        self._spare_lines: list[_Batch] = []
        self._layer: int | None = None  # framebuffer holding the static layer, and what it shows
        self._layer_key: tuple | None = None
        self.uploads = 0  # buffers and textures filled so far (tests count them)
        try:
            self._set_up(GL)
        except Exception as e:  # a context that cannot run our shaders or hold our framebuffer
            info = gl_info()
            self.close()
            raise GLUnavailableError(
                f"the OpenGL context ({info['platform']}: {info['renderer']}, OpenGL {info['version']}) "
                f"cannot render {width}x{height} frames for rerender: {' '.join(str(e).split())}. "
                "Run `rerender doctor` to check "
                "the set-up; PYOPENGL_PLATFORM=osmesa selects Mesa's software renderer."
            ) from None

    def _set_up(self, gl) -> None:
        width, height = self.width, self.height
        self._framebuffer = self._make_framebuffer(width, height, self.look.msaa)
        # Multisampled pixels cannot be read back: they are resolved into a plain framebuffer first.
        self._resolved = self._make_framebuffer(width, height, 0) if self.look.msaa else self._framebuffer
        self._sprites = _Program(gl, shaders.POINTS_SPRITE_VERTEX, shaders.POINTS_FRAGMENT, "point sprite")
        self._spheres = _Program(gl, shaders.POINTS_QUAD_VERTEX, shaders.POINTS_FRAGMENT, "point quad")
        self._lines = _Program(gl, shaders.LINES_VERTEX, shaders.LINES_FRAGMENT, "lines")
        self._meshes = _Program(gl, shaders.MESH_VERTEX, shaders.MESH_FRAGMENT, "mesh")
        gl.glEnable(gl.GL_PROGRAM_POINT_SIZE)
        self._max_sprite_px = float(gl.glGetFloatv(gl.GL_POINT_SIZE_RANGE)[1])
        self._segment_batch = _Batch(
            gl, _SEGMENT, {0: "start", 1: "end", 2: "radius", 3: "color"}, per_instance=True
        )
        point_fields = {0: "center", 1: "radius", 2: "color"}  # sorted points: streamed each frame
        self._sorted_sprites = _Batch(gl, _POINT, point_fields, per_instance=False)
        self._sorted_quads = _Batch(gl, _POINT, point_fields, per_instance=True, vbo=self._sorted_sprites.vbo)
        # The y-flipped projection mirrors the image, so front faces wind clockwise.
        gl.glFrontFace(gl.GL_CW)
        gl.glEnable(gl.GL_DEPTH_TEST)
        gl.glPixelStorei(gl.GL_PACK_ALIGNMENT, 1)
        gl.glPixelStorei(gl.GL_UNPACK_ALIGNMENT, 1)
        gl.glViewport(0, 0, width, height)

    def _make_framebuffer(self, width: int, height: int, samples: int) -> int:
        gl = self._gl
        largest = int(gl.glGetIntegerv(gl.GL_MAX_RENDERBUFFER_SIZE))
        if max(width, height) > largest:
            raise ValueError(f"frames can be at most {largest} pixels wide and high here")
        most = int(gl.glGetIntegerv(gl.GL_MAX_SAMPLES))
        if samples > most:
            # Mesa's llvmpipe takes 4; a GPU 8 or more. A preset asking for 8 still renders everywhere.
            warnings.warn(
                f"msaa {samples}: this OpenGL ({gl_info()['renderer']}) takes at most {most} samples per "
                f"pixel; using {most}",
                stacklevel=4,
            )
            samples = most
        framebuffer = gl.glGenFramebuffers(1)
        gl.glBindFramebuffer(gl.GL_FRAMEBUFFER, framebuffer)
        renderbuffers = gl.glGenRenderbuffers(2)
        attachments = (
            (gl.GL_RGBA8, gl.GL_COLOR_ATTACHMENT0),
            (gl.GL_DEPTH_COMPONENT24, gl.GL_DEPTH_ATTACHMENT),
        )
        for renderbuffer, (storage, attachment) in zip(renderbuffers, attachments, strict=True):
            gl.glBindRenderbuffer(gl.GL_RENDERBUFFER, renderbuffer)
            if samples:
                gl.glRenderbufferStorageMultisample(gl.GL_RENDERBUFFER, samples, storage, width, height)
            else:
                gl.glRenderbufferStorage(gl.GL_RENDERBUFFER, storage, width, height)
            gl.glFramebufferRenderbuffer(gl.GL_FRAMEBUFFER, attachment, gl.GL_RENDERBUFFER, renderbuffer)
        status = gl.glCheckFramebufferStatus(gl.GL_FRAMEBUFFER)
        if status != gl.GL_FRAMEBUFFER_COMPLETE:
            raise RuntimeError(f"a {width}x{height} framebuffer is not supported here (status {status:#x})")
        return framebuffer

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the GL context (and with it every resident buffer)."""
        self._resident.clear()
        if self._context is not None:
            self._context.close()
            self._context = None

    def render(self, scene: Scene, camera: CameraPose) -> np.ndarray:
        """The frame as an (H, W, 3) uint8 RGB image."""
        self._draw(scene, camera)
        return self._with_labels(self._read_pixels(3), scene, camera)

    def render_rgba(self, scene: Scene, camera: CameraPose) -> np.ndarray:
        """The frame as an (H, W, 4) uint8 RGBA image, alpha 255: the fastest to read back (llvmpipe
        converts to RGB at a third of the speed), for writers that take RGBA as it is."""
        self._draw(scene, camera)
        return self._with_labels(self._read_pixels(4), scene, camera)

    def _with_labels(self, image: np.ndarray, scene: Scene, camera: CameraPose) -> np.ndarray:
        if not scene.labels:
            return image
        from .labels import draw_labels  # Pillow is imported only for frames that have labels

        return draw_labels(image, scene.labels, camera, REFERENCE_HEIGHT)

    def _draw(self, scene: Scene, camera: CameraPose) -> None:
        if self._context is None:
            raise RuntimeError("this Renderer is closed")
        self._context.make_current()
        gl = self._gl
        gl.glBindFramebuffer(gl.GL_FRAMEBUFFER, self._framebuffer)
        gl.glClearColor(*self.look.background, 1.0)
        gl.glDepthMask(gl.GL_TRUE)
        gl.glClear(gl.GL_COLOR_BUFFER_BIT | gl.GL_DEPTH_BUFFER_BIT)
        uniforms = {
            "u_view": view_matrix(camera),
            "u_proj": projection_matrix(camera, self.width, self.height),
            "u_world_per_px": 2 * math.tan(math.radians(camera.fov_y_deg) / 2) / self.height,
            "u_px_per_ui": self.height / REFERENCE_HEIGHT,
            "u_min_px": MIN_UI_PIXELS,
            "u_viewport": (float(self.width), float(self.height)),
            **_model(None),
        }
        drawn: set[tuple] = set()
        meshes = [(m, self._mesh_resident(m, drawn)) for m in scene.meshes if len(m.triangles)]
        points = [(v, self._points_resident(v, drawn)) for v in scene.points if len(v.positions)]
        lines = [(v, self._lines_resident(v, drawn)) for v in scene.lines]
        opaque = [(m, r) for m, r in meshes if not r.translucent]
        # Static visuals first, as a layer kept while it would be drawn the same (same camera, same
        # visuals at the same places); then everything else over it.
        layer = (
            [x for x in opaque if x[0].static],
            [x for x in points if x[0].static],
            [x for x in lines if x[0].static],
        )
        if any(layer):
            key = (
                uniforms["u_view"].tobytes(),
                uniforms["u_proj"].tobytes(),
                tuple(
                    (_resident_key(v), None if v.world is None else v.world.tobytes())
                    for part in layer
                    for v, _ in part
                ),
            )
            if key == self._layer_key:
                self._copy_layer(self._layer, self._framebuffer)
            else:
                self._draw_layer(*layer, camera, uniforms)
                self._layer = self._layer or self._make_framebuffer(self.width, self.height, self.look.msaa)
                self._copy_layer(self._framebuffer, self._layer)
                self._layer_key = key
        self._draw_layer(
            [x for x in opaque if not x[0].static],
            [x for x in points if not x[0].static],
            [x for x in lines if not x[0].static],
            camera,
            uniforms,
        )
        gl.glEnable(gl.GL_BLEND)
        gl.glDepthMask(gl.GL_FALSE)
        for mesh, resident in meshes:
            if resident.translucent:
                self._draw_mesh(mesh, resident, uniforms)
        if self.look.grid:
            grid_uniforms = {**uniforms, "u_min_px": 0.5}
            self._draw_instances(
                self._lines, self._segment_batch, grid_segments(camera, scene.up), grid_uniforms
            )
        gl.glDepthMask(gl.GL_TRUE)
        self._release(drawn)

    def _draw_layer(
        self, meshes: list, points: list, lines: list, camera: CameraPose, uniforms: dict
    ) -> None:
        """Opaque meshes, then points, then lines. Resident points go in two passes (cores, then fringes
        after everything else); small moving point sets, sorted back to front, in one pass between."""
        gl = self._gl
        gl.glDisable(gl.GL_BLEND)
        for mesh, resident in meshes:
            self._draw_mesh(mesh, resident, uniforms)
        resident_points = [(v, r) for v, r in points if r.vaos is not None]
        for visual, resident in resident_points:  # the fully covered fragments: opaque, depth written
            self._draw_points(visual, resident, camera, {**uniforms, "u_pass": 1})
        # Soft (anti-aliased) edges blend over what is already drawn.
        gl.glEnable(gl.GL_BLEND)
        gl.glBlendFuncSeparate(
            gl.GL_SRC_ALPHA, gl.GL_ONE_MINUS_SRC_ALPHA, gl.GL_ONE, gl.GL_ONE_MINUS_SRC_ALPHA
        )
        moving = [
            (visual.world, resident.records) for visual, resident in points if resident.records is not None
        ]
        if moving:
            self._draw_sorted_points(moving, camera, {**uniforms, "u_pass": 0})
        gl.glDepthMask(gl.GL_FALSE)
        for visual, resident in resident_points:  # the fringes, over everything opaque
            self._draw_points(visual, resident, camera, {**uniforms, "u_pass": 2})
        gl.glDepthMask(gl.GL_TRUE)
        for visual, resident in lines:
            self._draw_resident(
                self._lines, resident.batches[0], resident.count, {**uniforms, **_model(visual.world)}
            )

    def _copy_layer(self, source: int, target: int) -> None:
        """Colour and depth from one framebuffer to the other (the kept static layer, or back)."""
        gl = self._gl
        gl.glBindFramebuffer(gl.GL_READ_FRAMEBUFFER, source)
        gl.glBindFramebuffer(gl.GL_DRAW_FRAMEBUFFER, target)
        w, h = self.width, self.height
        gl.glBlitFramebuffer(
            0, 0, w, h, 0, 0, w, h, gl.GL_COLOR_BUFFER_BIT | gl.GL_DEPTH_BUFFER_BIT, gl.GL_NEAREST
        )
        gl.glBindFramebuffer(gl.GL_FRAMEBUFFER, self._framebuffer)

    # --- resident buffers ---------------------------------------------------------------------------

    def _release(self, drawn: set[tuple]) -> None:
        """Free the GL objects of visuals this frame did not draw."""
        gl = self._gl
        for key in [k for k in self._resident if k not in drawn]:
            resident = self._resident.pop(key)
            # Points' and lines' objects are kept for the next new visuals (a few; the rest deleted).
            if key[0] == "lines" and len(self._spare_lines) < SPARE_OBJECTS:
                self._spare_lines.append(resident.batches[0])
                resident.batches = []
            for batch in resident.batches:
                batch.delete()
            if resident.vaos and resident.buffers is not None:
                if len(self._spare_points) < SPARE_OBJECTS:
                    self._spare_points.append((resident.vaos, resident.buffers))
                else:
                    gl.glDeleteVertexArrays(len(resident.vaos), resident.vaos)
                    gl.glDeleteBuffers(len(resident.buffers), resident.buffers)
            if resident.indices is not None:
                gl.glDeleteBuffers(1, [resident.indices])
            if resident.texture is not None:
                gl.glDeleteTextures([resident.texture])

    def _upload(self, batch: _Batch, records: np.ndarray) -> None:
        batch.upload(records, self._gl.GL_STATIC_DRAW)
        self.uploads += 1

    def _points_resident(self, visual: PointsVisual, drawn: set[tuple]) -> _Resident:
        key = _resident_key(visual)
        drawn.add(key)
        resident = self._resident.get(key)
        if resident is None:
            n = len(visual.positions)
            if n > SORTED_POINTS or (visual.static and n > OWN_BUFFERS_STATIC):
                resident = self._point_buffers(visual)
            else:  # redrawn each frame anyway: sorted on the CPU and drawn in one pass (half the shading)
                resident = _Resident(visual, [], len(visual.positions), records=point_records(visual))
            self._resident[key] = resident
        return resident

    def _draw_sorted_points(
        self, sets: list[tuple[np.ndarray | None, np.ndarray]], camera: CameraPose, uniforms: dict
    ) -> None:
        """Small point sets ((world matrix, records) each), back to front together in one pass (soft
        edges blend over what is behind, across entities too), as sprites and quads: one upload and two
        draws however many entities there are."""
        gl = self._gl
        world = sets[0][0]
        if all(same_world(w, world) for w, _ in sets[1:]):  # in their own coordinates, placed by the shader
            records = sets[0][1] if len(sets) == 1 else np.concatenate([r for _, r in sets])
        else:  # placed here, so that one draw takes them all
            world, records = None, np.concatenate([placed_records(r, w) for w, r in sets])
        forward = (camera.target - camera.eye) / (np.linalg.norm(camera.target - camera.eye) or 1.0)
        with np.errstate(invalid="ignore", over="ignore"):  # NaN and inf are data
            depth = (world_points(records["center"], world) - camera.eye) @ forward
        ordered = records[np.argsort(-depth, kind="stable")]
        self._sorted_sprites.upload(ordered)
        uniforms = {**uniforms, **_model(world), "u_max_sprite_px": self._max_sprite_px}
        self._sprites.use(uniforms)
        gl.glBindVertexArray(self._sorted_sprites.vao)
        gl.glDrawArrays(gl.GL_POINTS, 0, len(ordered))
        self._spheres.use(uniforms)
        gl.glBindVertexArray(self._sorted_quads.vao)
        gl.glDrawArraysInstanced(gl.GL_TRIANGLE_STRIP, 0, 4, len(ordered))

    def _point_buffers(self, visual: PointsVisual) -> _Resident:
        """The points' own arrays as vertex buffers, each uploaded as it is (no interleaved copy): a
        10M-point cloud goes from its decoded array to the GL side once. A radius or colour shared by
        every point (a broadcast array) is a constant attribute, with no buffer at all. The GL objects
        come from those of visuals no longer drawn when there are any (a moving entity's are reused
        frame after frame rather than made and deleted)."""
        gl = self._gl
        n = len(visual.positions)
        if self._spare_points:
            vaos, buffers = self._spare_points.pop()
        else:
            vaos, buffers = self._new_point_objects()
        arrays = (
            (np.asarray(visual.positions, dtype=np.float32), 3, 1.0),
            (np.asarray(visual.radii, dtype=np.float32).reshape(-1), 1, 1.0),
            (np.asarray(visual.colors, dtype=np.uint8).reshape(-1, 4), 4, 255.0),
        )
        constants = {}
        for location, (array, size, unit) in enumerate(arrays):
            constant = len(array) != n or n == 1 or array.strides[0] == 0
            for vao in vaos:
                gl.glBindVertexArray(vao)
                (gl.glDisableVertexAttribArray if constant else gl.glEnableVertexAttribArray)(location)
            if constant:  # one value for all (a broadcast array, or a single point)
                value = np.atleast_1d(array[0].astype(np.float64) / unit)
                constants[location] = np.concatenate([value, [0.0, 0.0, 0.0, 1.0][size:]])
                continue
            gl.glBindBuffer(gl.GL_ARRAY_BUFFER, buffers[location])
            data = np.ascontiguousarray(array)
            gl.glBufferData(gl.GL_ARRAY_BUFFER, data.nbytes, data, gl.GL_STATIC_DRAW)
            self.uploads += 1
        gl.glBindVertexArray(0)
        return _Resident(
            visual, [], n, PointBounds.of(visual), vaos=vaos, buffers=buffers, constants=constants
        )

    def _new_point_objects(self) -> tuple[list[int], list[int]]:
        """Two vertex arrays (sprites; instanced quads) over three buffers (centers, radii, colours)."""
        gl = self._gl
        vaos = [gl.glGenVertexArrays(1), gl.glGenVertexArrays(1)]
        buffers = [gl.glGenBuffers(1) for _ in range(3)]
        layout = (
            (3, gl.GL_FLOAT, gl.GL_FALSE),
            (1, gl.GL_FLOAT, gl.GL_FALSE),
            (4, gl.GL_UNSIGNED_BYTE, gl.GL_TRUE),
        )
        for vao, divisor in zip(vaos, (0, 1), strict=True):
            gl.glBindVertexArray(vao)
            for location, ((size, kind, normalized), buffer) in enumerate(zip(layout, buffers, strict=True)):
                gl.glBindBuffer(gl.GL_ARRAY_BUFFER, buffer)
                gl.glVertexAttribPointer(location, size, kind, normalized, 0, None)
                gl.glVertexAttribDivisor(location, divisor)
        gl.glBindVertexArray(0)
        return vaos, buffers

    def _lines_resident(self, visual: LinesVisual, drawn: set[tuple]) -> _Resident:
        key = _resident_key(visual)
        drawn.add(key)
        resident = self._resident.get(key)
        if resident is None:
            records = segments(visual)
            fields = {0: "start", 1: "end", 2: "radius", 3: "color"}
            batch = self._spare_lines.pop() if self._spare_lines else _Batch(self._gl, _SEGMENT, fields, True)
            self._upload(batch, records)
            resident = self._resident[key] = _Resident(visual, [batch], len(records))
        return resident

    def _mesh_resident(self, mesh: MeshVisual, drawn: set[tuple]) -> _Resident:
        key = _resident_key(mesh)
        drawn.add(key)
        resident = self._resident.get(key)
        if resident is not None:
            return resident
        gl = self._gl
        vertices = np.zeros(len(mesh.vertices), dtype=_VERTEX)
        vertices["position"] = mesh.vertices
        if mesh.normals is not None:
            vertices["normal"] = mesh.normals
        vertices["color"] = mesh.vertex_colors if mesh.vertex_colors is not None else mesh.color
        texture = None
        if mesh.texture is not None and mesh.texcoords is not None:
            vertices["uv"] = mesh.texcoords
            texture = self._upload_texture(mesh.texture)
        batch = _Batch(gl, _VERTEX, {0: "position", 1: "normal", 2: "color", 3: "uv"}, per_instance=False)
        self._upload(batch, vertices)
        triangles = np.ascontiguousarray(mesh.triangles, dtype=np.uint32)
        indices = gl.glGenBuffers(1)
        gl.glBindVertexArray(batch.vao)  # the element buffer binding belongs to the vertex array
        gl.glBindBuffer(gl.GL_ELEMENT_ARRAY_BUFFER, indices)
        gl.glBufferData(gl.GL_ELEMENT_ARRAY_BUFFER, triangles.nbytes, triangles, gl.GL_STATIC_DRAW)
        gl.glBindVertexArray(0)
        self.uploads += 1
        resident = _Resident(
            mesh, [batch], triangles.size, indices=indices, texture=texture, translucent=_translucent(mesh)
        )
        self._resident[key] = resident
        return resident

    # --- draws ----------------------------------------------------------------------------------------

    def _draw_points(
        self, visual: PointsVisual, resident: _Resident, camera: CameraPose, uniforms: dict
    ) -> None:
        """From the resident buffers: as sprites, and (only when some point may outgrow a sprite, judged
        from the visual's bounds) as instanced quads for those, each pass skipping the other's points."""
        assert resident.point_bounds is not None and resident.vaos is not None
        gl = self._gl
        # Both passes of a frame ask: the bound and the uniforms are worked out once per camera and place.
        key = (
            camera.eye.tobytes(),
            camera.target.tobytes(),
            None if visual.world is None else visual.world.tobytes(),
        )
        if resident.frame_key != key:
            size = largest_sprite(resident.point_bounds, visual.world, camera, (self.width, self.height))
            model = {**_model(visual.world), "u_max_sprite_px": self._max_sprite_px}
            resident.frame_key, resident.frame_values = key, (size, model)
        size, model = resident.frame_values
        uniforms = {**uniforms, **model}
        for location, value in (resident.constants or {}).items():  # context state, not the VAO's
            gl.glVertexAttrib4f(location, *(float(c) for c in value))
        self._sprites.use(uniforms)
        gl.glBindVertexArray(resident.vaos[0])
        # In pieces, each finished: llvmpipe keeps every pending primitive binned into screen tiles until
        # it rasterizes them, which for a 10M-point cloud at once took 1.4 GB (300 MB in pieces).
        for start in range(0, resident.count, DRAW_PIECE):
            gl.glDrawArrays(gl.GL_POINTS, start, min(DRAW_PIECE, resident.count - start))
            if resident.count > DRAW_PIECE:
                gl.glFinish()
        if size > self._max_sprite_px:
            self._spheres.use(uniforms)
            gl.glBindVertexArray(resident.vaos[1])
            gl.glDrawArraysInstanced(gl.GL_TRIANGLE_STRIP, 0, 4, resident.count)

    def _draw_resident(self, program: _Program, batch: _Batch, count: int, uniforms: dict) -> None:
        if not count:
            return
        program.use(uniforms)
        self._gl.glBindVertexArray(batch.vao)
        self._gl.glDrawArraysInstanced(self._gl.GL_TRIANGLE_STRIP, 0, 4, count)

    def _draw_instances(self, program: _Program, batch: _Batch, records: np.ndarray, uniforms: dict) -> None:
        if not len(records):
            return
        batch.upload(records)
        self._draw_resident(program, batch, len(records), uniforms)

    def _draw_mesh(self, mesh: MeshVisual, resident: _Resident, uniforms: dict) -> None:
        gl = self._gl
        textured = resident.texture is not None
        if textured:
            gl.glActiveTexture(gl.GL_TEXTURE0)
            gl.glBindTexture(gl.GL_TEXTURE_2D, resident.texture)
        self._meshes.use(
            {
                **uniforms,
                **_model(mesh.world),
                "u_lit": mesh.normals is not None,
                "u_textured": textured,
                "u_texture": 0,
            }
        )
        gl.glBindVertexArray(resident.batches[0].vao)
        gl.glDrawElements(gl.GL_TRIANGLES, resident.count, gl.GL_UNSIGNED_INT, None)

    def _upload_texture(self, image: np.ndarray) -> int:
        gl = self._gl
        image = np.ascontiguousarray(image, dtype=np.uint8)
        if image.ndim == 2:
            image = np.repeat(image[..., None], 3, axis=2)
        channels = image.shape[2]
        layout = {1: gl.GL_RED, 3: gl.GL_RGB, 4: gl.GL_RGBA}.get(channels, gl.GL_RGB)
        texture = gl.glGenTextures(1)
        gl.glActiveTexture(gl.GL_TEXTURE0)
        gl.glBindTexture(gl.GL_TEXTURE_2D, texture)
        # Texture coordinates have v pointing down the image, as glTF and Rerun's Mesh3D define them.
        gl.glTexImage2D(
            gl.GL_TEXTURE_2D,
            0,
            gl.GL_RGBA8,
            image.shape[1],
            image.shape[0],
            0,
            layout,
            gl.GL_UNSIGNED_BYTE,
            image,
        )
        gl.glTexParameteri(gl.GL_TEXTURE_2D, gl.GL_TEXTURE_MIN_FILTER, gl.GL_LINEAR)
        gl.glTexParameteri(gl.GL_TEXTURE_2D, gl.GL_TEXTURE_MAG_FILTER, gl.GL_LINEAR)
        gl.glTexParameteri(gl.GL_TEXTURE_2D, gl.GL_TEXTURE_WRAP_S, gl.GL_REPEAT)
        gl.glTexParameteri(gl.GL_TEXTURE_2D, gl.GL_TEXTURE_WRAP_T, gl.GL_REPEAT)
        self.uploads += 1
        return texture

    def _read_pixels(self, channels: int) -> np.ndarray:
        from OpenGL.raw.GL.VERSION.GL_1_0 import glReadPixels

        gl = self._gl
        if self.look.msaa:
            gl.glBindFramebuffer(gl.GL_READ_FRAMEBUFFER, self._framebuffer)
            gl.glBindFramebuffer(gl.GL_DRAW_FRAMEBUFFER, self._resolved)
            w, h = self.width, self.height
            gl.glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, gl.GL_COLOR_BUFFER_BIT, gl.GL_NEAREST)
            gl.glBindFramebuffer(gl.GL_READ_FRAMEBUFFER, self._resolved)
        image = np.empty((self.height, self.width, channels), dtype=np.uint8)
        layout = gl.GL_RGBA if channels == 4 else gl.GL_RGB
        # The raw entry point reads straight into our array; the wrapped one allocates and copies.
        pointer = image.ctypes.data_as(ctypes.c_void_p)
        glReadPixels(0, 0, self.width, self.height, layout, gl.GL_UNSIGNED_BYTE, pointer)
        return image


def _model(world: np.ndarray | None) -> dict[str, object]:
    """A visual's world matrix as the shaders' uniforms (identity for visuals in world space)."""
    if world is None:
        return _WORLD_SPACE
    model = np.asarray(world, dtype=np.float64)
    linear = model[:3, :3]
    normal = np.eye(4)
    if abs(np.linalg.det(linear)) > 1e-30:
        normal[:3, :3] = np.linalg.inv(linear).T
    return {"u_model": model, "u_model_scale": world_scale(world), "u_normal_matrix": normal}


def _translucent(mesh: MeshVisual) -> bool:
    texture = mesh.texture
    if texture is not None and texture.ndim == 3 and texture.shape[2] == 4 and (texture[..., 3] < 255).any():
        return True  # image opacity, pixels with no depth
    if mesh.vertex_colors is not None:
        return bool((np.asarray(mesh.vertex_colors)[:, 3] < 255).any())
    return mesh.color[3] < 255


_WORLD_SPACE = {"u_model": np.eye(4), "u_model_scale": 1.0, "u_normal_matrix": np.eye(4)}
