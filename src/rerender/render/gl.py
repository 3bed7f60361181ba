"""An OpenGL context with no display: EGL first (Mesa's llvmpipe on a CPU, the GPU's driver when there is
one), then OSMesa. Every PyOpenGL platform quirk lives here.

PyOpenGL binds its platform (EGL, OSMesa, GLX) at its first import, so the choice is made once per process,
before `OpenGL.GL` is imported; `PYOPENGL_PLATFORM` set by the user wins. We do not go through pyrender:
its import alone (trimesh, scipy) costs about a second, and its per-frame scene rebuild, fixed PBR shaders
and hard-wired 4x MSAA cost more than all of our drawing (see render/renderer.py).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from dataclasses import dataclass

from ..errors import RerenderError

_INSTALL_HINT = (
    "Install an OpenGL driver that works without a display: on Debian/Ubuntu "
    "`apt-get install libegl1 libgl1-mesa-dri` (EGL, preferred) or `libosmesa6` (OSMesa); "
    "then run `rerender doctor` to check."
)
_EGL_PLATFORM_DEVICE_EXT = 0x313F
_GL_VERSION = (3, 3)


class GLUnavailableError(RerenderError, RuntimeError):
    """No OpenGL context could be created; the message says what to install."""


@dataclass
class GLContext:
    """A current OpenGL 3.3 core context with no window; draw into framebuffer objects."""

    platform: str
    _make_current: object  # zero-argument callable that makes this context the thread's current one
    _release: object  # zero-argument callable that destroys the context
    passed_over: tuple[str, ...] = ()  # why platforms tried before this one were not used

    def make_current(self) -> None:
        """Make this the current context (another renderer in the process may have taken over)."""
        if self._release is None:
            raise RuntimeError("this GL context is closed")
        self._make_current()

    def close(self) -> None:
        """Destroy the context (safe to call twice)."""
        if self._release is not None:
            self._release()
            self._release = None


def _egl_context() -> GLContext:
    from OpenGL import EGL

    # The display the probe found, typed as PyOpenGL wants it.
    display = ctypes.cast(ctypes.c_void_p(_egl_display()), EGL.EGLDisplay)
    attributes = [EGL.EGL_SURFACE_TYPE, EGL.EGL_PBUFFER_BIT, EGL.EGL_RENDERABLE_TYPE, EGL.EGL_OPENGL_BIT]
    attributes.append(EGL.EGL_NONE)
    config, found = EGL.EGLConfig(), EGL.EGLint()
    chosen = EGL.eglChooseConfig(
        display, (EGL.EGLint * len(attributes))(*attributes), ctypes.byref(config), 1, ctypes.byref(found)
    )
    if not chosen or found.value < 1:
        raise RuntimeError("no EGL config for desktop OpenGL")
    EGL.eglBindAPI(EGL.EGL_OPENGL_API)
    context_attributes = [
        EGL.EGL_CONTEXT_MAJOR_VERSION,
        _GL_VERSION[0],
        EGL.EGL_CONTEXT_MINOR_VERSION,
        _GL_VERSION[1],
        EGL.EGL_CONTEXT_OPENGL_PROFILE_MASK,
        EGL.EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
        EGL.EGL_NONE,
    ]
    context = EGL.eglCreateContext(
        display, config, EGL.EGL_NO_CONTEXT, (EGL.EGLint * len(context_attributes))(*context_attributes)
    )
    if not context:
        raise RuntimeError(f"eglCreateContext failed for OpenGL {_GL_VERSION[0]}.{_GL_VERSION[1]} core")

    def make_current() -> None:
        # Surfaceless: we only ever draw into our own framebuffer objects.
        if not EGL.eglMakeCurrent(display, EGL.EGL_NO_SURFACE, EGL.EGL_NO_SURFACE, context):
            raise RuntimeError("eglMakeCurrent failed (no surfaceless context support)")

    make_current()

    def release() -> None:
        EGL.eglMakeCurrent(display, EGL.EGL_NO_SURFACE, EGL.EGL_NO_SURFACE, EGL.EGL_NO_CONTEXT)
        EGL.eglDestroyContext(display, context)
        # eglTerminate is left out on purpose: it tears down the display for every context in the process.

    return GLContext("egl", make_current, release)


def _osmesa_context() -> GLContext:
    from OpenGL import GL, arrays, osmesa

    attributes = arrays.GLintArray.asArray(
        [
            osmesa.OSMESA_FORMAT,
            GL.GL_RGBA,
            osmesa.OSMESA_DEPTH_BITS,
            24,
            osmesa.OSMESA_PROFILE,
            osmesa.OSMESA_CORE_PROFILE,
            osmesa.OSMESA_CONTEXT_MAJOR_VERSION,
            _GL_VERSION[0],
            osmesa.OSMESA_CONTEXT_MINOR_VERSION,
            _GL_VERSION[1],
            0,
        ]
    )
    context = osmesa.OSMesaCreateContextAttribs(attributes, None)
    if not context:
        raise RuntimeError("OSMesaCreateContextAttribs failed")
    # OSMesa needs a buffer to be current; ours is a token one, since drawing goes into our framebuffers.
    buffer = arrays.GLubyteArray.zeros((1, 1, 4))

    def make_current() -> None:
        if not osmesa.OSMesaMakeCurrent(context, buffer, GL.GL_UNSIGNED_BYTE, 1, 1):
            raise RuntimeError("OSMesaMakeCurrent failed")

    make_current()

    def release() -> None:
        osmesa.OSMesaDestroyContext(context)
        buffer.fill(0)  # keeps the buffer alive until the context is gone

    return GLContext("osmesa", make_current, release)


_FACTORIES = {"egl": _egl_context, "osmesa": _osmesa_context}


def _bound_platform() -> str | None:
    """The platform PyOpenGL is bound to in this process ("egl", "osmesa", "glx", ...), None if unbound.

    Code that imported OpenGL before us without PYOPENGL_PLATFORM bound it to GLX, which needs a display.
    """
    module = sys.modules.get("OpenGL.platform")
    bound = getattr(module, "PLATFORM", None)
    if bound is None:
        return None
    return type(bound).__name__.removesuffix("Platform").lower()


def _egl_device_index(count: int) -> int:
    wanted = int(os.environ.get("RERENDER_EGL_DEVICE", "0"))
    if not 0 <= wanted < count:
        raise RuntimeError(f"RERENDER_EGL_DEVICE={wanted}, but EGL has {count} device(s)")
    return wanted


def _egl_display() -> int:
    """The initialized EGL display of the chosen device (its address); RuntimeError says why not.

    Done through ctypes rather than PyOpenGL, so that EGL can be tried before PyOpenGL is bound to it:
    PyOpenGL binds one platform per process, and falling back to OSMesa would then need a fresh one.
    The device platform needs no X server or surface: each GPU (or llvmpipe) is one device.
    """
    name = ctypes.util.find_library("EGL")
    if not name:
        raise RuntimeError("libEGL is not installed")
    try:
        lib = ctypes.CDLL(name)
    except OSError as e:
        raise RuntimeError(f"libEGL cannot be loaded ({e})") from None
    lib.eglGetProcAddress.restype = ctypes.c_void_p
    lib.eglGetProcAddress.argtypes = [ctypes.c_char_p]
    query, get_display = (
        lib.eglGetProcAddress(n) for n in (b"eglQueryDevicesEXT", b"eglGetPlatformDisplayEXT")
    )
    if not query or not get_display:
        raise RuntimeError(
            "EGL lacks the device extensions (EGL_EXT_device_enumeration, EGL_EXT_platform_device)"
        )
    int_p = ctypes.POINTER(ctypes.c_int)
    query_devices = ctypes.CFUNCTYPE(ctypes.c_uint, ctypes.c_int, ctypes.c_void_p, int_p)(query)
    platform_display = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p)(
        get_display
    )
    count = ctypes.c_int()
    if not query_devices(0, None, ctypes.byref(count)) or count.value < 1:
        raise RuntimeError("EGL reports no devices")
    devices = (ctypes.c_void_p * count.value)()
    query_devices(count.value, devices, ctypes.byref(count))
    display = platform_display(_EGL_PLATFORM_DEVICE_EXT, devices[_egl_device_index(count.value)], None)
    lib.eglInitialize.restype = ctypes.c_uint
    lib.eglInitialize.argtypes = [ctypes.c_void_p, int_p, int_p]
    major, minor = ctypes.c_int(), ctypes.c_int()
    if not display or not lib.eglInitialize(display, ctypes.byref(major), ctypes.byref(minor)):
        raise RuntimeError("EGL cannot initialize a display for its device")
    return display  # EGL displays are per process: the context is made on this same one


def _probe_egl() -> str | None:
    """Why EGL cannot give us a display here, or None when it can."""
    try:
        _egl_display()
    except RuntimeError as e:
        return str(e)
    return None


def create_context() -> GLContext:
    """A headless OpenGL context on EGL, else OSMesa; the error says what is missing and what to install.

    PYOPENGL_PLATFORM, when set, names the one platform to try.
    """
    errors = []
    requested = os.environ.get("PYOPENGL_PLATFORM")
    if requested:
        candidates = [requested]
    else:
        candidates = []
        reason = _probe_egl() if _bound_platform() in (None, "egl") else "PyOpenGL is bound elsewhere"
        if reason is None:
            candidates.append("egl")
        else:
            errors.append(f"egl: {reason}")
        if ctypes.util.find_library("OSMesa"):
            candidates.append("osmesa")
        else:
            errors.append("osmesa: libOSMesa is not installed")
    for platform in candidates:
        if platform not in _FACTORIES:
            errors.append(f"{platform}: not a headless platform rerender supports (egl, osmesa)")
            continue
        bound = _bound_platform()
        if bound not in (None, platform):
            # PyOpenGL binds its platform at first import; another one needs a fresh process.
            errors.append(f"{platform}: not tried (PyOpenGL is already bound to {bound} in this process)")
            continue
        os.environ["PYOPENGL_PLATFORM"] = platform
        try:
            context = _FACTORIES[platform]()
            context.passed_over = tuple(errors)
            return context
        except Exception as e:  # missing libraries surface as many different exception types
            errors.append(f"{platform}: {type(e).__name__}: {e}")
    bound = _bound_platform()
    if bound is not None and bound not in _FACTORIES:
        raise GLUnavailableError(
            f"no OpenGL context could be created for headless rendering: PyOpenGL was imported before "
            f"rerender and bound itself to '{bound}', which needs a display ({'; '.join(errors)}). Set "
            "PYOPENGL_PLATFORM=egl (or osmesa) in the environment, before anything imports OpenGL."
        )
    raise GLUnavailableError(
        f"no OpenGL context could be created for headless rendering ({'; '.join(errors)}). {_INSTALL_HINT} "
        "To force a platform, set PYOPENGL_PLATFORM=egl or PYOPENGL_PLATFORM=osmesa."
    )


def gl_info() -> dict[str, str]:
    """Vendor, renderer and version of the current context (after a renderer was created)."""
    from OpenGL import GL

    def text(name: int) -> str:
        value = GL.glGetString(name)
        return value.decode() if value else "?"

    return {
        "platform": os.environ.get("PYOPENGL_PLATFORM", "?"),
        "vendor": text(GL.GL_VENDOR),
        "renderer": text(GL.GL_RENDERER),
        "version": text(GL.GL_VERSION),
    }
