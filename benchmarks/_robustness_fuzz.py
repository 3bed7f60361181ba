"""bench_robustness.py's fuzz rows: inputs tried and crashes found by `fuzz_rrd.py`'s targets.

Short by default (`ROBUSTNESS_FUZZ_SECONDS`, 60 s: 45 on the reader, 15 on the server's decoding);
`benchmarks/fuzz_rrd.py --minutes 10` is the long run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from _robustness_kills import Figure
from fuzz_rrd import DEFAULT_CORPUS, run_fuzz


def fuzz_rows() -> list[Figure]:
    """One row per fuzz target: inputs tried, crashes found (goal: none)."""
    seconds = float(os.environ.get("ROBUSTNESS_FUZZ_SECONDS", "60"))
    rows = []
    with tempfile.TemporaryDirectory(prefix="fuzz-crashes-") as crashes:
        for target, share in (("rrd", 0.75), ("serve", 0.25)):
            s = run_fuzz(target, seconds * share, [DEFAULT_CORPUS], Path(crashes) / target, seed=0)
            rows.append(
                Figure(
                    f"fuzz {target}: crashes found / inputs tried ({s.seconds:.0f} s)",
                    f"{len(s.crashes)} / {s.tried}" + (f" ({s.crashes[0]})" if s.crashes else ""),
                    "0 crashes",
                    not s.crashes,
                )
            )
    return rows
