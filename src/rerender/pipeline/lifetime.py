"""Processes that end with the process that started them, and SIGTERM taken like Ctrl-C.

A worker process (a render's piece, a pipeline's task) or a logging script it runs is useless once the
command that started it is gone, and harmful: it goes on writing into files that a rerun of the command
uses. The kernel ends it when its parent dies (Linux's PR_SET_PDEATHSIG, also when the parent was
killed with SIGKILL); elsewhere a thread notices that the parent has changed. SIGTERM (what `timeout`,
Slurm and Kubernetes send) reaches only the command, so the command treats it as Ctrl-C: it stops its
workers, cleans up and reports, and exits with 128 + the signal's number, as a shell reports it.

Standard library only: a logging script's interpreter imports this before anything else.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# How often a process checks its parent where the kernel cannot tell it (not Linux).
POLL_SECONDS = 0.5


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) or SIGTERM, raised in the main thread by `interruptible`."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """128 + the signal's number: 130 for Ctrl-C, 143 for SIGTERM."""
        return 128 + self.signum


def exit_code(interrupt: KeyboardInterrupt) -> int:
    """The exit code for an interrupt: `Interrupted.exit_code`, 130 for a plain KeyboardInterrupt."""
    return interrupt.exit_code if isinstance(interrupt, Interrupted) else 128 + signal.SIGINT


@contextlib.contextmanager
def interruptible(exiting: bool = False) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM raise `Interrupted` in the main thread, once: a second signal
    (a double Ctrl-C, or `timeout -s INT` signalling the process and then its group) is ignored, so
    that it cannot cut the first one's clean-up short (a clean-up cut short left pool workers that the
    interpreter then waited for at exit, forever). `exiting`: a command that exits after this block,
    where a signal after an interrupt stays ignored until the end. Outside the main thread, and inside
    another such block (whose handler stays, so a second signal stays ignored), nothing changes."""
    if threading.current_thread() is not threading.main_thread() or isinstance(
        signal.getsignal(signal.SIGINT), _RaiseOnce
    ):
        yield
        return
    handler = _RaiseOnce()
    before = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, previous in before.items():
            signal.signal(s, signal.SIG_IGN if exiting and handler.caught else previous)


class _RaiseOnce:
    """A signal handler that raises `Interrupted` for the first signal it takes and ignores the rest."""

    def __init__(self) -> None:
        self.caught: list[int] = []

    def __call__(self, signum: int, frame: object) -> None:
        self.caught.append(signum)
        if len(self.caught) == 1:
            raise Interrupted(signum)


def die_with_parent(parent: int, signum: int = signal.SIGTERM) -> None:
    """Have this process get `signum` when `parent` (the pid that started it) ends. On Linux the kernel
    sends it (to be exact: when the thread that started this process ends; a pool starts its workers
    from threads that live as long as the pool); elsewhere a daemon thread polls the parent's pid. If
    the parent is already gone, the signal comes at once."""
    if sys.platform.startswith("linux") and _set_pdeathsig(signum):
        if os.getppid() != parent:  # it died before the kernel was asked to watch it
            os.kill(os.getpid(), signum)
        return
    threading.Thread(target=_watch_parent, args=(parent, signum), name="rerender-parent", daemon=True).start()


def _set_pdeathsig(signum: int) -> bool:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int, signum: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os.kill(os.getpid(), signum)


def describe_exit(exitcode: int | None) -> str:
    """How a process ended, in words: `killed by SIGKILL`, `exited with code 3`."""
    if exitcode is None:
        return "ended"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        oom = -exitcode == signal.SIGKILL
        why = " (the kernel's OOM killer sends it when memory runs out)" if oom else ""
        return f"was killed by {name}{why}"
    return f"exited with code {exitcode}"
