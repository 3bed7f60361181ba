"""Logs as fast as it can into argv[1]; after each rr.flush() prints the last frame flushed, so whoever
SIGKILLs it knows what the file must hold (the batcher's own tick and size threshold flush in between).
Used by tests/test_crash_safety.py and benchmarks/bench_robustness.py."""

import sys

import numpy as np

import rerender as rr

rr.init("crash_safety", recording_id="crash")
rr.save(sys.argv[1])
rng = np.random.default_rng(0)
frame = 0
while True:
    rr.set_time("frame", sequence=frame)
    rr.log("world/points", rr.Points3D(rng.random((20, 3)), colors=[255, 80, 0], radii=0.05))
    if frame % 3 == 2:
        rr.flush()
        print(frame, flush=True)
    frame += 1
