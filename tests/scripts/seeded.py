"""Run a logging script with numpy seeded, under rerender or under the real rerun-sdk 0.41.

    python seeded.py [--rerun OUT.rrd] SCRIPT [ARGS...]

With --rerun, `import rerender` in the script gives the real rerun-sdk, the tutorial's rr.spawn()
and rr.connect*() become rr.save(OUT.rrd), and rr.set_time_seconds becomes
rr.set_time(duration=) (0.41 removed it). Without it the script runs as it is; under
`rerender run -o`, `import rerun` gives rerender.
"""

import runpy
import sys

import numpy as np

args = sys.argv[1:]
if args[0] == "--rerun":
    out, args = args[1], args[2:]
    import rerun as rr
    import rerun.utilities

    sys.modules["rerender"], sys.modules["rerender.utilities"] = rr, rerun.utilities

    def _save(*_args, **_kwargs):
        rr.save(out)

    rr.spawn = rr.connect = rr.connect_grpc = _save
    if not hasattr(rr, "set_time_seconds"):
        rr.set_time_seconds = lambda timeline, seconds, recording=None: rr.set_time(
            timeline, duration=seconds, recording=recording
        )
np.random.seed(0)
sys.argv = args
runpy.run_path(args[0], run_name="__main__")
