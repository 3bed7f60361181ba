"""A recording read back from `binary_stream()` (or saved with `save()`), under rerun-sdk 0.41 or rerender.

Usage:  python binary_stream.py OUT.rrd rerun|rerender stream|save

With `stream`, OUT.rrd is the first `read()` of the stream, taken after everything was logged.
"""

import importlib
import sys

out, sdk, mode = sys.argv[1:4]
rr = importlib.import_module("rerun" if sdk == "rerun" else "rerender")

rr.init("binary_stream", recording_id="fixed")
stream = rr.binary_stream() if mode == "stream" else None
if stream is None:
    rr.save(out)
for frame in range(5):
    rr.set_time("frame", sequence=frame)
    rr.log("points", rr.Points3D([[frame, 0, 0], [0, frame, 0]], radii=0.5))
    rr.log("log", rr.TextLog(f"frame {frame}"))
rr.log("doc", rr.TextDocument("static"), static=True)
if stream is not None:
    with open(out, "wb") as f:
        f.write(stream.read())
