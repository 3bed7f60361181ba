"""Render jobs: recordings to media files (`render_job` pulls in GL, so it is imported on its own)."""

from .frames import default_timeline, frame_times

__all__ = ["default_timeline", "frame_times"]
