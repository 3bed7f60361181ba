"""Rendering scenes to images with OpenGL 3.3, offscreen (EGL, else OSMesa)."""

from .gl import GLUnavailableError, gl_info
from .renderer import Look, Renderer

__all__ = ["GLUnavailableError", "Look", "Renderer", "gl_info"]
