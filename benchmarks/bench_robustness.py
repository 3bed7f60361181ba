"""Issue 15's figures: how rerender stands up to kills, hostile input and big or slow work.

Prints one table:
- kills survived out of kills tried: a logging script SIGKILLed at 20 random (seeded) moments, each file
  holding every row flushed before the kill and read by `info` and `render` (`_robustness_kills.py`);
- fuzz inputs tried and crashes found (`fuzz_rows`, where present);
- peak RSS of `rerender render` (ffmpeg included) on a 2 GiB recording of points (goal: below 1 GiB);
- peak RSS of `rerender serve` while 8 slow clients (a 2.4 MB row every half second) stream to it;
- logging and rendering 100,000 one-point entities: wall time and peak RSS of each.

Run (from the repository root):

    .venv/bin/python benchmarks/bench_robustness.py [--gib 2] [--step 1] [--kills 20] [--only memory]

Writing and rendering 2 GiB (1342 frames of 100k points) takes about 6 minutes on a 2-core machine;
`--step 10` renders every tenth frame of it (a minute), `--gib 0.2` a tenth of the recording.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_environment, print_table, verdict
from _robustness_entities import entities_rows
from _robustness_fuzz import fuzz_rows  # noqa: F401 (found through globals() below)
from _robustness_kills import Figure, kill_rows, memory_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--gib", type=float, default=2.0, help="size of the recording rendered for memory")
    parser.add_argument("--kills", type=int, default=20, help="how many times the logger is killed")
    parser.add_argument("--clients", type=int, default=8, help="slow clients streaming to serve")
    parser.add_argument("--entities", type=int, default=100_000, help="entities logged and rendered")
    parser.add_argument("--step", type=int, default=1, help="render every STEP-th frame of the big recording")
    parser.add_argument(
        "--only",
        choices=["memory", "kills", "fuzz", "entities"],
        action="append",
        help="only these figures (may repeat)",
    )
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    sources: dict[str, Callable[[], list[Figure]]] = {
        "memory": lambda: memory_rows(args.gib, args.clients, args.step),  # first: this process is small
        "kills": lambda: kill_rows(args.kills),
        "entities": lambda: entities_rows(args.entities),
    }
    fuzz = globals().get("fuzz_rows")  # part 1 of the issue (`_robustness_fuzz.py`)
    if fuzz is not None:
        sources["fuzz"] = fuzz
    wanted = args.only or list(sources)
    figures = [figure for name, source in sources.items() if name in wanted for figure in source()]
    print_table(
        ["figure", "value", "goal", "verdict"],
        [[f.name, f.value, f.goal or "-", "-" if f.ok is None else verdict(f.ok)] for f in figures],
    )
    print_environment(load_before)


if __name__ == "__main__":
    main()
