"""Cameras: where the view looks from, and Rerun's default framing of a scene."""

from .framing import CameraPose, default_camera, look_at

__all__ = ["CameraPose", "default_camera", "look_at"]
