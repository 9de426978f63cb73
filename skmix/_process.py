"""Process-level machinery: signals held or ignored, and workers that die with their parent.

Every mechanism here is about what a process does when it is stopped from outside (Ctrl-C,
``kill``, the OOM killer), and each carries its reason:

- :func:`interrupts_held` holds SIGINT and SIGTERM back for a few system calls that must not be
  cut in two (starting workers, putting a finished file in place, removing a temporary file).
- :func:`command_signals` is how the ``skmix`` command reacts to them: as exceptions (so that
  temporary files are removed and the old file stays) until its output file is in place, and
  not at all after: from that moment the truthful status is success, whatever arrives.
- :func:`die_with_parent` makes a worker process end when the process that started it ends,
  however that one ends (SIGKILL included, which no handler can see).
"""

import ctypes
import os
import signal
import sys
import threading
from contextlib import contextmanager

__all__ = [
    "Terminated",
    "command_signals",
    "die_with_parent",
    "file_in_place",
    "interrupts_held",
]

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def interrupts_held():
    """Hold SIGINT and SIGTERM back until the block ends (where the platform can).

    A signal that arrives meanwhile is raised (by Python's handler) when the block ends, after
    the system calls inside it are complete: a rename is then done or not done, never "done but
    reported as interrupted", and a temporary file is removed rather than left half-removed.
    ``pthread_sigmask`` checks for signals that arrived just before the block, so one of those
    is raised on entry, before anything inside has happened.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


class Terminated(BaseException):
    """SIGTERM, raised where the command is, so that it stops as on Ctrl-C: files cleaned up."""


def _raise_terminated(signum, frame):
    raise Terminated


# Whether command_signals is active, and so whether a file in place must silence the signals.
_command = threading.local()


@contextmanager
def command_signals():
    """The command's reaction to SIGINT and SIGTERM, for the block.

    Until :func:`file_in_place` is called, Ctrl-C raises ``KeyboardInterrupt`` (Python's own
    handler) and SIGTERM raises :class:`Terminated`: the write stops, its temporary file is
    removed, the old file stays, and the command says "interrupted". From then on both are
    ignored: the new file has replaced the old one, so the only true report is success (exit
    0); an exception now would print "interrupted" over a completed write. Only the main thread
    can install handlers, so elsewhere nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in _STOP_SIGNALS}
    signal.signal(signal.SIGTERM, _raise_terminated)
    _command.active = True
    try:
        yield
    finally:
        _command.active = False
        for signum, handler in previous.items():
            if signal.getsignal(signum) is not signal.SIG_IGN:  # ignored after a write: stays
                signal.signal(signum, handler)


def file_in_place(path):
    """Note that ``path`` now holds the new, complete file; call it with interrupts held.

    Inside :func:`command_signals`, SIGINT and SIGTERM are ignored from here to the end of the
    process: a signal held back by :func:`interrupts_held` during the rename is then discarded
    (a pending signal whose action becomes "ignore" is dropped), so the command exits 0.
    """
    if getattr(_command, "active", False):
        for signum in _STOP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)


# Linux's prctl option: the signal this process gets when the thread that created it ends.
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid):
    """Make this (worker) process end when its parent ends; call it first in the worker.

    A worker of ``ProcessPoolExecutor`` waits on a pipe for its next task; when the parent is
    killed with SIGKILL (or by the OOM killer) nothing tells it, as the other workers hold the
    pipe open too: the workers of a killed ``skmix generate --jobs 2`` ran on for as long as
    anyone watched. On Linux the kernel sends SIGKILL to the worker when its parent dies
    (``prctl(PR_SET_PDEATHSIG)``); a worker holds no file and no state worth a clean exit. The
    parent may already have died before this call: then the worker has been re-parented and
    exits at once. Elsewhere this does nothing (workers end when the pool's pipe breaks).

    The signal follows the thread that forked the worker: ``ProcessPoolExecutor`` with the
    fork start method starts all workers from the thread that first submits, which in skmix is
    the thread that runs the whole write.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:
        os._exit(1)
