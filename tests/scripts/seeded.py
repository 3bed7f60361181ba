"""Run a logging script with numpy seeded, under whichever SDK `import rerun` gives.

python seeded.py SCRIPT OUT.rrd        real rerun-sdk 0.41, also for scripts that `import rerender`:
                                       the tutorial's rr.spawn()/rr.connect() become rr.save(OUT.rrd),
                                       rr.set_time_seconds becomes rr.set_time(duration=) (0.41
                                       removed it)
rerender run -o OUT.rrd seeded.py SCRIPT   rerender (which has the older calls itself)
"""

import runpy
import sys

import numpy as np
import rerun as rr

script = sys.argv[1]
out = sys.argv[2] if len(sys.argv) > 2 else None
if out is not None:
    import rerun.utilities

    sys.modules["rerender"], sys.modules["rerender.utilities"] = rr, rerun.utilities

    def _save(*args, **kwargs):
        rr.save(out)

    rr.spawn = rr.connect = rr.connect_grpc = _save
    if not hasattr(rr, "set_time_seconds"):
        rr.set_time_seconds = lambda timeline, seconds, recording=None: rr.set_time(
            timeline, duration=seconds, recording=recording
        )
np.random.seed(0)
sys.argv = [script]
runpy.run_path(script, run_name="__main__")
