"""The playhead: which frame of the planned video the window shows, whether it plays, and how it
follows a live recording that grows (kept at its latest time while it was there)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Playhead:
    """Frame `index` of `count` (count >= 1); `playing` advances it at the settings' fps."""

    index: int
    count: int
    playing: bool = False

    @property
    def last(self) -> int:
        return max(self.count - 1, 0)

    @property
    def at_end(self) -> bool:
        return self.index >= self.last

    def toggled(self) -> Playhead:
        """Space: play or pause; playing from the last frame starts over."""
        if self.playing:
            return dataclasses.replace(self, playing=False)
        return dataclasses.replace(self, index=0 if self.at_end else self.index, playing=True)

    def stepped(self, frames: int) -> Playhead:
        """Left/right: one frame back or on, paused, clamped to the video."""
        return dataclasses.replace(self, index=min(max(self.index + frames, 0), self.last), playing=False)

    def home(self) -> Playhead:
        return dataclasses.replace(self, index=0, playing=False)

    def end(self) -> Playhead:
        return dataclasses.replace(self, index=self.last, playing=False)

    def advanced(self, frames: int) -> Playhead:
        """`frames` frames of playing time passed; stops on the last frame."""
        if not self.playing or frames <= 0:
            return self
        index = min(self.index + frames, self.last)
        return dataclasses.replace(self, index=index, playing=index < self.last)

    def resized(self, count: int, follow: bool) -> Playhead:
        """The recording now plans to `count` frames; with `follow`, stay on (or go to) the latest."""
        count = max(count, 1)
        index = count - 1 if follow else min(self.index, count - 1)
        return Playhead(index, count, self.playing and index < count - 1)
