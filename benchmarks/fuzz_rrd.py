"""Fuzz the RRD reader (and the proxy server's message decoding) for a given time; print inputs tried and
crashes found.

    python benchmarks/fuzz_rrd.py                # the reader 10 minutes, the server 3; corpus tests/data
    python benchmarks/fuzz_rrd.py --minutes 1 --target serve

The inputs are mutations of the corpus (byte flips, truncations, splices, huge declared lengths,
duplicated and deleted ranges; `rerender.rrd.fuzz`). They run in a child process that writes each input
to a file before trying it, so an input that kills the interpreter (a segfault in a native decoder, the
OOM killer) or hangs it is caught too: the parent keeps it and starts a new child. A crash is anything
but success, an RrdWarning or an RrdError (for `serve`: a refusal with DecodeError/ValueError), or an
input taking more than 2 s. Each crashing input is kept under --crashes (default outputs/fuzz_crashes/).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO / "tests" / "data"
STALL_SECONDS = 30.0  # no progress from the child for this long: the input in flight hangs it


@dataclass
class FuzzSummary:
    """What a fuzz run did."""

    target: str
    seconds: float
    tried: int = 0
    crashes: list[str] = field(default_factory=list)  # one line each: what broke
    outcomes: dict[str, int] = field(default_factory=dict)
    peak_rss_mib: float = 0.0


def run_fuzz(target: str, seconds: float, corpus: list[Path], crashes_dir: Path, seed: int) -> FuzzSummary:
    """Fuzz `target` ("rrd" or "serve") for `seconds` in child processes restarted after each crash."""
    summary = FuzzSummary(target, seconds)
    crashes_dir.mkdir(parents=True, exist_ok=True)
    current = crashes_dir / f".current-{target}-{os.getpid()}.bin"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline - 1:
        cmd = [
            sys.executable,
            __file__,
            "--worker",
            target,
            "--seconds",
            f"{deadline - time.monotonic():.1f}",
            "--seed",
            str(seed),
            "--current",
            str(current),
            *[arg for c in corpus for arg in ("--corpus", str(c))],
        ]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=REPO)
        lines: list[str] = []
        reader = threading.Thread(target=_collect, args=(proc, lines), daemon=True)
        reader.start()
        seen, last_progress = 0, time.monotonic()
        while proc.poll() is None:
            time.sleep(0.2)
            if len(lines) != seen:
                seen, last_progress = len(lines), time.monotonic()
            elif time.monotonic() - last_progress > STALL_SECONDS:
                proc.kill()
                proc.wait()
                _keep(current, crashes_dir, summary, f"hang: no progress for {STALL_SECONDS:.0f} s")
        reader.join()
        _parse("".join(lines), crashes_dir, summary)
        if proc.returncode not in (0, -9):
            _keep(current, crashes_dir, summary, f"interpreter died (exit status {proc.returncode})")
        seed += 1
    current.unlink(missing_ok=True)
    summary.peak_rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return summary


def _collect(proc: subprocess.Popen, lines: list[str]) -> None:
    assert proc.stdout is not None
    lines.extend(proc.stdout)


def _parse(output: str, crashes_dir: Path, summary: FuzzSummary) -> None:
    for line in output.splitlines():
        record = json.loads(line)
        if record["kind"] == "progress":
            summary.tried += record["tried"]
            for name, n in record["outcomes"].items():
                summary.outcomes[name] = summary.outcomes.get(name, 0) + n
        else:
            summary.crashes.append(record["what"])
            (crashes_dir / f"crash-{len(summary.crashes)}.txt").write_text(record["detail"])


def _keep(current: Path, crashes_dir: Path, summary: FuzzSummary, what: str) -> None:
    summary.crashes.append(what)
    summary.tried += 1
    if current.exists():
        current.replace(crashes_dir / f"crash-{len(summary.crashes)}.bin")


# -- the child ----------------------------------------------------------------------------------------


def _worker(target: str, seconds: float, seed: int, corpus_paths: list[Path], current: Path) -> None:
    from rerender.rrd.fuzz import check_rrd, load_corpus, mutate

    corpus = load_corpus(corpus_paths)
    rng = random.Random(seed)
    scratch = current.with_suffix(".scratch.rrd")
    if target == "serve":
        from rerender.net.fuzz import check_stream, mutate_stream, requests_of

        streams = [requests_of(c) for c in corpus]
        flat = [r for s in streams for r in s]
    deadline = time.monotonic() + seconds
    tried, outcomes, last_report = 0, {}, time.monotonic()
    while time.monotonic() < deadline:
        if target == "rrd":
            data = mutate(corpus[rng.randrange(len(corpus))], corpus, rng)
            current.write_bytes(data)
            verdict = check_rrd(data, scratch)
        else:
            stream = mutate_stream(streams[rng.randrange(len(streams))], flat, rng)
            current.write_bytes(json.dumps([r.hex() for r in stream]).encode())
            verdict = check_stream(stream, current.parent)
        tried += 1
        outcomes[verdict.outcome] = outcomes.get(verdict.outcome, 0) + 1
        if verdict.crash is not None:
            what = verdict.crash.strip().splitlines()[-1][:200]
            print(json.dumps({"kind": "crash", "what": what, "detail": verdict.crash}), flush=True)
        if time.monotonic() - last_report > 2:
            print(json.dumps({"kind": "progress", "tried": tried, "outcomes": outcomes}), flush=True)
            tried, outcomes, last_report = 0, {}, time.monotonic()
    print(json.dumps({"kind": "progress", "tried": tried, "outcomes": outcomes}), flush=True)
    scratch.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to fuzz the RRD reader")
    parser.add_argument(
        "--serve-minutes", type=float, default=3.0, help="how long to fuzz the server's message decoding"
    )
    parser.add_argument("--target", choices=["rrd", "serve", "both"], default="both")
    parser.add_argument("--corpus", type=Path, action="append", help="files or folders of .rrd files")
    parser.add_argument("--crashes", type=Path, default=REPO / "outputs" / "fuzz_crashes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--worker", choices=["rrd", "serve"], help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--current", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus = args.corpus or [DEFAULT_CORPUS]
    if args.worker:
        _worker(args.worker, args.seconds, args.seed, corpus, args.current)
        return
    targets = ["rrd", "serve"] if args.target == "both" else [args.target]
    minutes = {"rrd": args.minutes, "serve": args.serve_minutes if len(targets) == 2 else args.minutes}
    total_crashes = 0
    for target in targets:
        s = run_fuzz(target, minutes[target] * 60, corpus, args.crashes, args.seed)
        total_crashes += len(s.crashes)
        print(
            f"{target}: {s.tried} inputs tried in {s.seconds:.0f} s, {len(s.crashes)} crashes found, "
            f"child peak RSS {s.peak_rss_mib:.0f} MiB; outcomes {dict(sorted(s.outcomes.items()))}"
        )
        for what in s.crashes:
            print(f"  crash: {what}")
    if total_crashes:
        print(f"crashing inputs kept in {args.crashes}")
    sys.exit(1 if total_crashes else 0)


if __name__ == "__main__":
    main()
