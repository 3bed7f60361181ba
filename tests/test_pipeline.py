"""Which timeline times become frames."""

from __future__ import annotations

import numpy as np

from rerender.pipeline.frames import default_timeline, frame_times
from rerender.rrd import TimeKind

NS = 1_000_000_000


def test_sequence_timelines_give_one_frame_per_tick() -> None:
    ticks = np.array([0, 1, 2, 5, 9])
    assert frame_times(ticks, TimeKind.SEQUENCE, fps=30).tolist() == [0, 1, 2, 5, 9]
    assert frame_times(ticks, TimeKind.SEQUENCE, fps=30, step=2).tolist() == [0, 2, 9]
    assert frame_times(ticks, TimeKind.SEQUENCE, fps=30, start=1, end=5).tolist() == [1, 2, 5]


def test_duration_timelines_play_in_real_time() -> None:
    ticks = np.array([0, 2 * NS])  # two seconds of data
    times = frame_times(ticks, TimeKind.DURATION, fps=10)
    assert len(times) == 21 and times[0] == 0 and times[-1] == 2 * NS
    assert np.all(np.diff(times) == NS // 10)
    assert len(frame_times(ticks, TimeKind.DURATION, fps=10, speed=2.0)) == 11  # twice as fast
    assert frame_times(ticks, TimeKind.TIMESTAMP, fps=10, every_tick=True).tolist() == [0, 2 * NS]


def test_dna_timing_400_ticks_at_100_hz_is_4_seconds() -> None:
    ticks = np.arange(400) * (NS // 100)
    assert len(frame_times(ticks, TimeKind.DURATION, fps=30)) == 120  # 3.99 s at 30 fps


def test_default_timeline_skips_log_time() -> None:
    assert default_timeline(["log_time", "stable_time"]) == "stable_time"
    assert default_timeline(["frame", "log_time"]) == "frame"
    assert default_timeline(["log_time"]) == "log_time"
    assert default_timeline([]) is None
