"""Child processes that end with their parent: the SPARQL workers and the ingest pool's extraction workers.

A parent killed outright (SIGKILL, the OOM killer) runs no clean-up, so a child waiting on a pipe
or evaluating a query would live on; Linux can send the child a signal instead. Standard library
only: the SPARQL worker calls this at start-up and must start fast.
"""

from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1  # prctl option: the signal this process gets when its parent dies


def die_with_parent(parent: int | None = None) -> None:
    """Ask Linux to kill this process when its parent dies (no orphaned queries or extraction workers).

    ``parent`` is the pid the caller expects as its parent: a parent that died before this call
    sends no signal, so the process exits now when its parent is no longer that one. Where prctl
    is missing (not Linux) nothing happens."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # orphaned already: no handlers, no flushing of the dead parent's buffers
