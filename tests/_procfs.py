"""Processes seen through Linux's /proc: what the stopped-write tests and
``benchmarks/fault_injection.py`` look at after signalling ``skmix generate``."""

import os
from pathlib import Path


def _stat_fields(pid):
    """The fields of ``/proc/PID/stat`` after the command name (state first), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def children(pid):
    """The pids whose parent is ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(entry)
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry))
    return found


def running(pid):
    """Whether ``pid`` is a live process (a zombie waiting to be reaped counts as ended)."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")
