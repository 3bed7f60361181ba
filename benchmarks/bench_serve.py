"""Streaming into `rerender serve` against writing the same recording straight to a file.

What it does:

1. Starts `rerender serve --port 0` in a process of its own (not timed), recording into a temporary
   folder.
2. Times whole client processes in interleaved rounds (one warm-up round, then `--runs` counted rounds),
   reporting medians. Each client logs `--rows` rows of `--points` coloured 3D points (about 15 bytes a
   point) with rerender's SDK, then exits:

     file-1    one client, rr.save(path)
     serve-1   one client, rr.connect_grpc(url): the process ends once the server has the whole recording
     file-8    eight clients at once, each to its own file
     serve-8   eight clients at once, each streaming to the server

   The 8-client cases are one launcher process that starts the eight and waits for them.
3. Checks that nothing was lost: every recording the server wrote holds every row a client logged (read
   back in a child process), and there is one per client run.
4. Prints wall time, MB/s (the .rrd bytes of a client's recording, times clients, over wall) and rows/s,
   and the goal lines: serve-1 wall <= 1.3x file-1; serve-8 loses nothing.

Run (from the repository root):

    .venv/bin/python benchmarks/bench_serve.py [--rows 60] [--points 10000] [--runs 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import MB, REPO, measure_interleaved, print_environment, print_table, start_server, verdict

CLIENT = """
import os, subprocess, sys
import numpy as np

mode, target, rows, points = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
if mode == "fan":  # start `count` clients at once; target has a {i} for each one's file
    count = int(sys.argv[5])
    procs = [
        subprocess.Popen([sys.executable, __file__, "one", target.format(i=i), str(rows), str(points)])
        for i in range(count)
    ]
    sys.exit(max(p.wait() for p in procs))

import rerender as rr

rr.init("bench_serve", recording_id=f"client-{os.getpid()}")
if target.startswith("rerun+http"):
    rr.connect_grpc(target)
else:
    rr.save(target)
rng = np.random.default_rng(0)
positions = rng.random((points, 3), dtype=np.float32)
colors = rng.integers(0, 255, (points, 3), dtype=np.uint8)
for i in range(rows):
    rr.set_time("frame", sequence=i)
    rr.log("cloud", rr.Points3D(positions + np.float32(i), colors=colors))
"""

COUNT_ROWS = """
import sys
from rerender.rrd import read_frames
for path in sys.argv[1:]:
    rows = sum(
        f.chunk.num_rows for f in read_frames(path)
        if f.kind.name == "ARROW_MSG" and f.chunk.entity_path == "/cloud"
    )
    print(path, rows)
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=60)
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="bench_serve_"))
    served = tmp / "served"
    script = tmp / "client.py"
    script.write_text(CLIENT)
    env = {**os.environ, "RERUN_ANALYTICS": "0"}
    serve = start_server(served, env)
    server, url = serve.process, serve.url
    try:
        py, sizes = sys.executable, [str(args.rows), str(args.points)]
        cases = [
            ("file-1", [py, str(script), "one", str(tmp / "direct.rrd"), *sizes], None, None),
            ("serve-1", [py, str(script), "one", url, *sizes], None, "file-1"),
            ("file-8", [py, str(script), "fan", str(tmp / "direct{i}.rrd"), *sizes, "8"], None, None),
            ("serve-8", [py, str(script), "fan", url, *sizes, "8"], None, "file-8"),
        ]
        results = {r.name: r for r in measure_interleaved(cases, args.runs)}
    finally:
        server.send_signal(2)  # Ctrl-C: the server finishes its files and exits
        server.communicate(timeout=60)
    files = sorted(served.glob("*.rrd"))
    counted = subprocess.run(
        [py, "-c", COUNT_ROWS, *map(str, files)], capture_output=True, text=True, cwd=REPO, check=True
    )
    rows_per_file = [int(line.rsplit(" ", 1)[1]) for line in counted.stdout.splitlines()]
    expected_files = (args.runs + 1) * (1 + 8)
    complete = sum(n == args.rows for n in rows_per_file)
    recording_mb = (tmp / "direct.rrd").stat().st_size / MB
    shutil.rmtree(tmp)

    rows = []
    for name in ("file-1", "serve-1", "file-8", "serve-8"):
        r = results[name]
        clients = 8 if name.endswith("-8") else 1
        ratio = f"{r.wall_s / results[r.anchor].wall_s:.2f}x" if r.anchor else ""
        rows.append(
            [
                name,
                f"{r.wall_s:.2f} s",
                f"{clients * recording_mb / r.wall_s:.1f}",
                f"{clients * args.rows * args.points / r.wall_s / 1e6:.2f}M",
                f"{clients * args.rows / r.wall_s:.0f}",
                ratio,
            ]
        )
    print(f"\neach client: {args.rows} rows x {args.points} points, a {recording_mb:.1f} MB recording")
    print_table(["case", "wall", "MB/s", "points/s", "rows/s", "vs file"], rows)
    print_environment(load_before)
    one = results["serve-1"].wall_s / results["file-1"].wall_s
    print(f"goal: serve-1 <= 1.3x file-1 wall ({one:.2f}x): {verdict(one <= 1.3)}")
    lost = expected_files - complete
    print(
        f"goal: nothing lost ({complete} of {expected_files} streamed recordings complete, "
        f"{len(files)} files): {verdict(lost == 0 and len(files) == expected_files)}"
    )


if __name__ == "__main__":
    main()
