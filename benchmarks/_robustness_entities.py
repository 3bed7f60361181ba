"""bench_robustness.py's many-entities figures (issue 15): a recording of 100,000 one-point entities,
logged with `import rerender as rr` and rendered (two frames: all of them, then one entity moved).

Both run as child processes, timed with peak RSS (`run_once`); this module imports only the standard
library and `_common`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _common import rerender_binary, run_once
from _robustness_kills import Figure

# N entities of one point each at frame 0, then entity 0 moved at frame 1.
MANY_WRITER = """
import sys
import numpy as np
import rerender as rr

out, n = sys.argv[1], int(sys.argv[2])
side = int(np.ceil(n ** (1 / 3)))
grid = np.stack(np.meshgrid(*(np.arange(side),) * 3, indexing="ij"), -1).reshape(-1, 3)
rec = rr.RecordingStream("bench_many_entities")
rec.save(out)
rec.set_time("frame", sequence=0)
for i in range(n):
    rec.log(f"points/{i}", rr.Points3D(grid[i : i + 1], colors=[255, 0, 0], radii=0.4))
rec.set_time("frame", sequence=1)
rec.log("points/0", rr.Points3D([[side / 2] * 3], colors=[0, 0, 255], radii=0.4))
rec.disconnect()
"""


def entities_rows(entities: int = 100_000) -> list[Figure]:
    """Logging and rendering `entities` entities: wall time and peak RSS of each (the goal is the issue's:
    they render, or fail clearly)."""
    tmp = Path(tempfile.mkdtemp(prefix="bench_entities_"))
    writer = tmp / "many.py"
    writer.write_text(MANY_WRITER)
    rrd = tmp / "many.rrd"
    logged = run_once([sys.executable, str(writer), str(rrd), str(entities)])
    print(f"  logged {entities} entities: {logged.wall_s:.0f} s, {logged.rss_mib:.0f} MiB", file=sys.stderr)
    out = tmp / "many.mp4"
    command = [rerender_binary(), "render", str(rrd), "-o", str(out), "--size", "640x360", "-q"]
    try:
        rendered = run_once(command)
        value = f"{rendered.wall_s:.0f} s, {rendered.rss_mib:.0f} MiB"
    except RuntimeError as e:  # the command failed: its one-paragraph error is the figure
        value = f"failed: {str(e).strip().splitlines()[-1][:120]}"
    print(f"  rendered: {value}", file=sys.stderr)
    ok = out.is_file()
    rrd.unlink(missing_ok=True)
    logged_value = f"{logged.wall_s:.0f} s, {logged.rss_mib:.0f} MiB"
    return [
        Figure(f"log {entities:,} one-point entities (one rr.log each)", logged_value, "", None),
        Figure("render them (2 frames, 640x360)", value, "renders", ok),
    ]
