"""Helper processes that end with the process that started them.

The batch starts its kernel zygote and its pool workers; the zygote forks the kernels the workers ask for.
When ``innolib run`` is killed outright (SIGKILL, the OOM killer) nothing of it may stay
behind: every helper calls ``die_with_parent()`` first thing. On Linux the kernel itself
delivers a signal when the parent ends (``prctl(PR_SET_PDEATHSIG)``); elsewhere a daemon
thread polls the parent's pid. Either way a helper whose parent is already gone when it
asks ends at once.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGTERM, parent: int | None = None) -> str:
    """Arranges for this process to get ``sig`` when its parent ends; returns how ("prctl"/"watch").

    ``parent`` is the pid the caller believes is its parent (default: the current one);
    if the real parent differs (it died and this process was re-parented before the call)
    the process ends now.
    """
    parent = parent or os.getppid()
    how = "watch"
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0:
            how = "prctl"
    if os.getppid() != parent:  # the parent ended before the lifeline was in place
        os.kill(os.getpid(), sig)
    if how == "watch":
        watch_pid(parent, sig)
    return how


def watch_pid(pid: int, sig: int = signal.SIGTERM, every: float = 0.5) -> None:
    """A daemon thread that sends ``sig`` to this process once process ``pid`` is gone.

    For a process whose lifetime hangs on one that is not its parent (a forked kernel
    and the batch worker that asked for it).
    """
    if pid <= 1:
        return

    def watch() -> None:
        while True:
            time.sleep(every)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os.kill(os.getpid(), sig)
                time.sleep(every)
                os._exit(1)  # the signal was handled or ignored: end anyway
            except PermissionError:  # alive, owned by someone else
                pass

    threading.Thread(target=watch, name="innolib-lifeline", daemon=True).start()
