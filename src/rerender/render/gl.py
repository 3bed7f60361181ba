"""Getting an OpenGL context with no display, and every pyrender workaround, in one place.

pyrender 0.1.45 (its last release, 2021) needs two things from us:
- a platform chosen before OpenGL is imported: EGL (Mesa's llvmpipe on a CPU, the GPU's driver when
  there is one), else OSMesa; `PYOPENGL_PLATFORM` set by the user wins;
- `numpy.infty`, which its `Mesh.bounds` uses and numpy 2 removed.
"""

from __future__ import annotations

import os
from types import ModuleType

import numpy as np

_PLATFORMS = ("egl", "osmesa")
_INSTALL_HINT = (
    "Install an OpenGL driver that works without a display: on Debian/Ubuntu "
    "`apt-get install libegl1 libgl1-mesa-dri` (EGL, preferred) or `libosmesa6` (OSMesa); "
    "then run `rerender doctor` to check."
)


class GLUnavailableError(RuntimeError):
    """No OpenGL context could be created; the message says what to install."""


def import_pyrender() -> ModuleType:
    """pyrender, imported with a headless platform and numpy 2 patched in."""
    if not hasattr(np, "infty"):
        np.infty = np.inf  # pyrender's Mesh.bounds still uses the alias numpy 2 removed
    os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
    import pyrender

    return pyrender


def offscreen_renderer(width: int, height: int):
    """A pyrender OffscreenRenderer; tries EGL, then OSMesa, and explains what is missing."""
    errors = []
    requested = os.environ.get("PYOPENGL_PLATFORM")
    for platform in ([requested] if requested else []) + [p for p in _PLATFORMS if p != requested]:
        if platform != os.environ.get("PYOPENGL_PLATFORM") and "OpenGL" in __import__("sys").modules:
            # PyOpenGL binds its platform at first import; another one needs a fresh process.
            errors.append(f"{platform}: not tried (OpenGL already loaded for another platform)")
            continue
        os.environ["PYOPENGL_PLATFORM"] = platform
        try:
            pyrender = import_pyrender()
            return pyrender.OffscreenRenderer(width, height)
        except Exception as e:  # missing libraries surface as many different exception types
            errors.append(f"{platform}: {type(e).__name__}: {e}")
    raise GLUnavailableError(
        f"no OpenGL context could be created for headless rendering ({'; '.join(errors)}). {_INSTALL_HINT}"
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
