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
from types import SimpleNamespace

__all__ = [
    "Terminated",
    "command_signals",
    "die_with_parent",
    "file_in_place",
    "interrupts_held",
    "raise_if_stopped",
]

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

# Where the main thread is: inside how many interrupts_held blocks (and the handlers they
# replaced, and the signals that arrived meanwhile); inside command_signals; past file_in_place.
_state = SimpleNamespace(depth=0, saved={}, pending=[], command=False, file_done=False,
                         stop=None, unraisable_hook=sys.unraisablehook)


def _defer(signum, frame):
    _state.pending.append(signum)


def _deliver(signum):
    """Act on a held-back signal as its handler would have when it arrived."""
    handler = signal.getsignal(signum)
    if callable(handler):
        handler(signum, None)
    elif handler == signal.SIG_DFL:
        os.kill(os.getpid(), signum)


@contextmanager
def interrupts_held():
    """Hold SIGINT and SIGTERM back until the block ends.

    A signal that arrives meanwhile is acted on when the block ends, after the system calls
    inside it are complete: a rename is then done or not done, never "done but reported as
    interrupted", a temporary file is removed rather than left behind, and a Ctrl-C cannot land
    in the handlers that run while a worker is forked (where Python reports it as ignored and
    the write would go on to the end).

    The signals are held by handlers that only note them, not by the thread's signal mask: a
    signal sent to the process reaches any thread that does not block it (numpy's BLAS threads,
    the pool's threads), and Python runs the handler in the main thread at its next
    instruction, so a mask on the main thread alone held nothing back (with it, a signal right
    after the rename, --jobs 1, in tests/test_processes_lifetime.py, was reported as a stop).
    Only the main thread can set handlers; elsewhere the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if _state.depth == 0:
        _state.saved = {signum: signal.signal(signum, _defer) for signum in _STOP_SIGNALS}
    _state.depth += 1
    try:
        yield
    finally:
        _state.depth -= 1
        if _state.depth == 0:
            _release()


def _release():
    """Leave the outermost held block: the handlers back, then the first held signal acted on."""
    pending, _state.pending = _state.pending, []
    if _state.command and _state.file_done:
        for signum in _STOP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)
        return
    for signum, handler in _state.saved.items():
        signal.signal(signum, handler)
    if pending:
        _deliver(pending[0])


class Terminated(BaseException):
    """SIGTERM, raised where the command is, so that it stops as on Ctrl-C: files cleaned up."""


_STOPS = {signal.SIGINT: KeyboardInterrupt, signal.SIGTERM: Terminated}


def _stop(signum, frame):
    """The command's handler: remember the stop, then raise it where the command is.

    Raised inside a weakref callback or a ``__del__`` (an import lock's clean-up, say), the
    exception is swallowed by Python ("Exception ignored in ...") and the command would go on
    to write the whole file: 1 run in 12 of benchmarks/fault_injection.py. Remembered, it is
    raised again by :func:`raise_if_stopped` before the next chunk and before the file is put
    in place.
    """
    _state.stop = _STOPS[signum]
    raise _state.stop


def raise_if_stopped():
    """Raise the stop the command was asked for if it was swallowed where it landed."""
    if _state.command and _state.stop is not None and not _state.file_done:
        raise _state.stop


def _quiet_stops(unraisable):
    """While the command runs, a swallowed stop is not printed: it is raised again later."""
    if not (_state.command and issubclass(unraisable.exc_type, tuple(_STOPS.values()))):
        _state.unraisable_hook(unraisable)


@contextmanager
def command_signals():
    """The command's reaction to SIGINT and SIGTERM, for the block.

    Until :func:`file_in_place` is called, Ctrl-C raises ``KeyboardInterrupt`` and SIGTERM
    raises :class:`Terminated`: the write stops, its temporary file is
    removed, the old file stays, and the command says "interrupted". From then on both are
    ignored to the end of the process: the new file has replaced the old one, so the only true
    report is success (exit 0); an exception now would print "interrupted" over a completed
    write. Only the main thread can install handlers, so elsewhere nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _stop) for signum in _STOPS}
    _state.unraisable_hook, sys.unraisablehook = sys.unraisablehook, _quiet_stops
    _state.command, _state.file_done, _state.stop = True, False, None
    try:
        yield
    finally:
        _state.command = False
        sys.unraisablehook = _state.unraisable_hook
        if not _state.file_done:
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def file_in_place(path):
    """Note that ``path`` now holds the new, complete file; call it inside interrupts_held.

    Inside :func:`command_signals`, the signals held back meanwhile are dropped and SIGINT and
    SIGTERM are ignored from the end of the held block to the end of the process.
    """
    if _state.command:
        _state.file_done = True


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
