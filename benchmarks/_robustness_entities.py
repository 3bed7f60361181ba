"""bench_robustness.py's many-entities figures (issue 15): a recording of 100,000 one-point entities,
logged with `import rerender as rr` by bench_sdk's `rr_many_entities.py` and rendered (two frames: all
of them, then one entity moved).

Both run as child processes, timed with peak RSS (`run_once`); this module imports only the standard
library and the other benchmark modules.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _common import rerender_binary, run_once
from _robustness_kills import Figure
from bench_sdk import make_variant

SCRIPT = Path(__file__).resolve().parent / "rr_many_entities.py"  # bench_sdk's case (d), ours


def entities_rows(entities: int = 100_000) -> list[Figure]:
    """Logging and rendering `entities` entities: wall time and peak RSS of each (the goal is the issue's:
    they render, or fail clearly)."""
    tmp = Path(tempfile.mkdtemp(prefix="bench_entities_"))
    writer = make_variant(SCRIPT, tmp / "many.py")  # with `import rerender as rr`
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
