"""Log rows of one shape with a 200 kB flush threshold, so rows per chunk reveal the batcher's row sizes.

python flush_bytes_probe.py OUT.rrd CASE     CASE: scal<N> | pos<N> | pcr<N> | txt<N>
"""

import sys

import numpy as np
import rerun as rr

B = 200_000
rec = rr.RecordingStream(
    "probe", recording_id="p", batcher_config=rr.ChunkBatcherConfig(flush_tick=1000.0, flush_num_bytes=B)
)
rec.save(sys.argv[1])
case = sys.argv[2]
n = int(case[3:]) if not case.startswith("scal") else int(case[4:])
for i in range(3000):
    rec.set_time("t0", sequence=i)
    if case.startswith("scal"):
        rec.log("e", rr.Scalars(np.arange(n, dtype=np.float64)))
    elif case.startswith("pos"):
        rec.log("e", rr.Points3D(np.zeros((n, 3), np.float32)))
    elif case.startswith("pcr"):
        points = np.zeros((n, 3), np.float32)
        rec.log("e", rr.Points3D(points, colors=np.zeros((n, 4), np.uint8), radii=np.zeros(n, np.float32)))
    elif case.startswith("txt"):
        rec.log("e", rr.TextLog("x" * n))
rec.disconnect()
