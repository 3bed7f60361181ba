"""rerender: turn Rerun recordings into media, headless."""

__version__ = "0.1.0"
