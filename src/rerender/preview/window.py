"""The preview window (glfw): shows rendered frames and reports keys, drags and wheel turns.

Frames are drawn offscreen by `render.Renderer`, in its own headless context, exactly as `render` draws
them; the window only copies the finished image to the screen (a texture blitted to its default
framebuffer, scaled to fit). Its few GL calls go through glfw's own loader with ctypes rather than
PyOpenGL, whose platform is bound once per process to the renderer's (EGL or OSMesa: render/gl.py). The
window asks for an EGL context first, which sits beside the renderer's EGL context on one thread; a GLX
context cannot be made current once EGL has been (X BadAccess under Xvfb), so native is the fallback.
"""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass

import numpy as np

from ..errors import RerenderError

_GL_TEXTURE_2D = 0x0DE1
_GL_RGBA8 = 0x8058
_GL_RGBA = 0x1908
_GL_RGB = 0x1907
_GL_UNSIGNED_BYTE = 0x1401
_GL_UNPACK_ALIGNMENT = 0x0CF5
_GL_PACK_ALIGNMENT = 0x0D05
_GL_READ_FRAMEBUFFER = 0x8CA8
_GL_DRAW_FRAMEBUFFER = 0x8CA9
_GL_COLOR_ATTACHMENT0 = 0x8CE0
_GL_COLOR_BUFFER_BIT = 0x4000
_GL_LINEAR = 0x2601
_GL_BACK = 0x0405
_GL_TEXTURE_MIN_FILTER = 0x2801
_GL_TEXTURE_MAG_FILTER = 0x2800

_i, _u, _f, _p = ctypes.c_int, ctypes.c_uint, ctypes.c_float, ctypes.c_void_p
_SIGNATURES = {
    "glViewport": (_i, _i, _i, _i),
    "glClearColor": (_f, _f, _f, _f),
    "glClear": (_u,),
    "glGenTextures": (_i, ctypes.POINTER(_u)),
    "glDeleteTextures": (_i, ctypes.POINTER(_u)),
    "glBindTexture": (_u, _u),
    "glTexParameteri": (_u, _u, _i),
    "glTexImage2D": (_u, _i, _i, _i, _i, _i, _u, _u, _p),
    "glPixelStorei": (_u, _i),
    "glGenFramebuffers": (_i, ctypes.POINTER(_u)),
    "glDeleteFramebuffers": (_i, ctypes.POINTER(_u)),
    "glBindFramebuffer": (_u, _u),
    "glFramebufferTexture2D": (_u, _u, _u, _u, _i),
    "glBlitFramebuffer": (_i, _i, _i, _i, _i, _i, _i, _i, _u, _u),
    "glReadBuffer": (_u,),
    "glReadPixels": (_i, _i, _i, _i, _u, _u, _p),
}

# glfw key codes (stable across GLFW 3.x) to the names app.py handles.
_KEYS = {32: "space", 262: "right", 263: "left", 268: "home", 269: "end", 256: "escape"}
_LETTERS = {ord(c): c for c in "cqrs"}  # GLFW_KEY_C etc. are the upper-case letters' codes
_REPEATING = {"left", "right"}  # held arrows keep stepping
_BUTTONS = {0: "left", 1: "right", 2: "middle"}


class PreviewError(RerenderError):
    """The preview window cannot open (no display, no glfw); the message says what to do instead."""


@dataclass(frozen=True)
class KeyPress:
    key: str  # "space", "left", "right", "home", "end", "escape", or a letter: "c", "q", "r", "s"


@dataclass(frozen=True)
class Drag:
    """The cursor moved (dx, dy) window pixels (y down) while `button` was held."""

    button: str  # "left", "right" or "middle"
    dx: float
    dy: float


@dataclass(frozen=True)
class Scroll:
    steps: float  # wheel notches, positive away from the user


InputEvent = KeyPress | Drag | Scroll


def has_display() -> bool:
    """Whether a window could open here (an X or Wayland display is named)."""
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _import_glfw():
    try:
        import glfw
    except ImportError as e:
        raise PreviewError(
            f"the preview window needs glfw ({e}); install it with `pip install 'rerender[preview]'`"
        ) from None
    return glfw


class PreviewWindow:
    """A window of `width` x `height` pixels that shows RGB(A) images; close it when done."""

    def __init__(self, width: int, height: int, title: str) -> None:
        if not has_display():
            raise PreviewError(
                "no display to open the preview window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
                "run it on a desktop, under `xvfb-run`, or render headless with `rerender render`"
            )
        glfw = self._glfw = _import_glfw()
        glfw.ERROR_REPORTING = "ignore"  # failures are checked below and reported as one paragraph
        if not glfw.init():
            display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            raise PreviewError(
                f"glfw cannot open the display {display} for the preview window; check that the "
                "X/Wayland server is running and reachable"
            )
        self._window = None
        for api in (glfw.EGL_CONTEXT_API, glfw.NATIVE_CONTEXT_API):
            glfw.default_window_hints()
            glfw.window_hint(glfw.CONTEXT_VERSION_MAJOR, 3)
            glfw.window_hint(glfw.CONTEXT_VERSION_MINOR, 3)
            glfw.window_hint(glfw.OPENGL_PROFILE, glfw.OPENGL_CORE_PROFILE)
            glfw.window_hint(glfw.CONTEXT_CREATION_API, api)
            self._window = glfw.create_window(width, height, title, None, None)
            if self._window:
                break
        if not self._window:
            glfw.terminate()
            raise PreviewError("glfw cannot create an OpenGL 3.3 window on this display")
        glfw.make_context_current(self._window)
        self._gl = self._load_gl()
        self._texture, self._framebuffer = _u(), _u()
        self._gl.glGenTextures(1, ctypes.byref(self._texture))
        self._gl.glGenFramebuffers(1, ctypes.byref(self._framebuffer))
        self._events: list[InputEvent] = []
        self._cursor: tuple[float, float] | None = None
        glfw.set_key_callback(self._window, self._on_key)
        glfw.set_cursor_pos_callback(self._window, self._on_cursor)
        glfw.set_scroll_callback(self._window, self._on_scroll)

    def _load_gl(self):
        """The GL functions the window uses, from glfw's loader for its own context."""
        functions = {}
        for name, argtypes in _SIGNATURES.items():
            address = self._glfw.get_proc_address(name)
            if not address:
                raise PreviewError(f"the window's OpenGL context lacks {name}")
            functions[name] = ctypes.CFUNCTYPE(None, *argtypes)(address)
        return type("WindowGL", (), {k: staticmethod(v) for k, v in functions.items()})

    # --- input ---------------------------------------------------------------------------------------

    def _on_key(self, window, key: int, scancode: int, action: int, mods: int) -> None:
        name = _KEYS.get(key) or _LETTERS.get(key)
        if name is None:
            return
        if action == self._glfw.PRESS or (action == self._glfw.REPEAT and name in _REPEATING):
            self._events.append(KeyPress(name))

    def _on_cursor(self, window, x: float, y: float) -> None:
        last, self._cursor = self._cursor, (x, y)
        if last is None:
            return
        for code, button in _BUTTONS.items():
            if self._glfw.get_mouse_button(window, code) == self._glfw.PRESS:
                self._events.append(Drag(button, x - last[0], y - last[1]))
                return

    def _on_scroll(self, window, x: float, y: float) -> None:
        self._events.append(Scroll(y))

    def wait(self, timeout: float) -> list[InputEvent]:
        """Wait up to `timeout` seconds for input; the events since the last call."""
        self._glfw.wait_events_timeout(max(timeout, 0.0))
        events, self._events = self._events, []
        return events

    @property
    def should_close(self) -> bool:
        return bool(self._glfw.window_should_close(self._window))

    def resize(self, width: int, height: int) -> None:
        """Make the window `width` x `height` screen units (a new recording's render size)."""
        self._glfw.set_window_size(self._window, width, height)

    def set_title(self, title: str) -> None:
        self._glfw.set_window_title(self._window, title)

    # --- drawing -------------------------------------------------------------------------------------

    def show(self, image: np.ndarray, background: tuple[float, float, float], capture: bool = False):
        """Put `image` ((H, W, 3|4) uint8, top row first) on screen, scaled to fit the window, centred on
        `background`. With `capture`, return the window's pixels as shown ((h, w, 3), top row first)."""
        gl, glfw = self._gl, self._glfw
        glfw.make_context_current(self._window)  # the renderer's context was current while it drew
        height, width, channels = image.shape
        pixels = np.ascontiguousarray(image)
        gl.glPixelStorei(_GL_UNPACK_ALIGNMENT, 1)
        gl.glBindTexture(_GL_TEXTURE_2D, self._texture)
        gl.glTexParameteri(_GL_TEXTURE_2D, _GL_TEXTURE_MIN_FILTER, _GL_LINEAR)
        gl.glTexParameteri(_GL_TEXTURE_2D, _GL_TEXTURE_MAG_FILTER, _GL_LINEAR)
        layout = _GL_RGBA if channels == 4 else _GL_RGB
        gl.glTexImage2D(
            _GL_TEXTURE_2D, 0, _GL_RGBA8, width, height, 0, layout, _GL_UNSIGNED_BYTE, pixels.ctypes.data
        )
        gl.glBindFramebuffer(_GL_READ_FRAMEBUFFER, self._framebuffer)
        gl.glFramebufferTexture2D(
            _GL_READ_FRAMEBUFFER, _GL_COLOR_ATTACHMENT0, _GL_TEXTURE_2D, self._texture, 0
        )
        gl.glBindFramebuffer(_GL_DRAW_FRAMEBUFFER, 0)
        fw, fh = glfw.get_framebuffer_size(self._window)
        gl.glViewport(0, 0, fw, fh)
        gl.glClearColor(*background, 1.0)
        gl.glClear(_GL_COLOR_BUFFER_BIT)
        scale = min(fw / width, fh / height)
        w, h = round(width * scale), round(height * scale)
        x, y = (fw - w) // 2, (fh - h) // 2
        # The image's top row is the texture's first: blit it upside down onto GL's bottom-up window.
        gl.glBlitFramebuffer(0, 0, width, height, x, y + h, x + w, y, _GL_COLOR_BUFFER_BIT, _GL_LINEAR)
        shown = None
        if capture:
            gl.glBindFramebuffer(_GL_READ_FRAMEBUFFER, 0)
            gl.glReadBuffer(_GL_BACK)
            gl.glPixelStorei(_GL_PACK_ALIGNMENT, 1)
            out = np.empty((fh, fw, 3), dtype=np.uint8)
            gl.glReadPixels(0, 0, fw, fh, _GL_RGB, _GL_UNSIGNED_BYTE, out.ctypes.data)
            shown = out[::-1].copy()
        glfw.swap_buffers(self._window)
        return shown

    def close(self) -> None:
        """Destroy the window (safe to call twice)."""
        if self._window is not None:
            self._glfw.make_context_current(self._window)
            self._gl.glDeleteFramebuffers(1, ctypes.byref(self._framebuffer))
            self._gl.glDeleteTextures(1, ctypes.byref(self._texture))
            self._glfw.destroy_window(self._window)
            self._window = None
            self._glfw.terminate()
