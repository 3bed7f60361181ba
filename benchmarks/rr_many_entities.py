"""Many small entities with rerun-sdk 0.41: N entities of one point each, one `rr.log` per entity.

Case (d) of bench_sdk.py (issue 15, "100,000 entities"); bench_sdk.py runs it as it is and, with
`import rerun as rr` swapped for `import rerender as rr`, as the rerender variant. Entity i holds grid
point i of a 50^3 grid; at frame 1, `/points/0` moves, so it has 2 rows and every other entity 1.

Usage: python rr_many_entities.py OUT.rrd [N]   (N defaults to 10,000; at most 125,000)
"""

import sys
import time

start = time.perf_counter()
import numpy as np  # noqa: E402 (timed: import cost is part of what a user waits for)
import rerun as rr  # noqa: E402

imported = time.perf_counter()
out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
grid = np.stack(np.meshgrid(*(np.arange(50),) * 3, indexing="ij"), -1).reshape(-1, 3)
rec = rr.RecordingStream("rerun_example_many_entities")
rec.save(out)
rec.set_time("frame", sequence=0)
for i in range(n):
    rec.log(f"points/{i}", rr.Points3D(grid[i : i + 1], colors=[255, 0, 0], radii=0.4))
rec.set_time("frame", sequence=1)
rec.log("points/0", rr.Points3D([[25, 25, 25]], colors=[0, 0, 255], radii=0.4))
looped = time.perf_counter()
rec.flush()
del rec
done = time.perf_counter()
print(
    f"import {imported - start:.2f} s, log loop {looped - imported:.2f} s, flush {done - looped:.2f} s "
    f"({n} entities)",
    file=sys.stderr,
)
