"""A background check of a large budget in a child process, so that the app's keys never wait for it.

In a thread, the check held the interpreter lock 5 ms at a time and a cursor move waited for it; a forked child
checks the budget as it was when forked (copy on write) and takes nothing from the app's interpreter. A newer check
stops an older child still running, so that checks do not pile up on the cores while the user keeps editing.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
import warnings

from budget_tui.core.checks import Problem, check_budget
from budget_tui.core.model import Budget

_newest_check: set[int] = set()
"""The child of the newest check_apart still running (at most one: a newer check stops an older one)."""
_superseded: set[int] = set()
"""Children stopped because a newer check started; their checks answer None."""
_children = threading.Lock()


def check_apart(budget: Budget) -> list[Problem] | None:
    """check_budget(budget), computed in a child process forked for it: a background check of a large budget then
    takes nothing from the interpreter of the app, whose keys stay as quick as without it (in a thread, the check
    held the interpreter lock for 5 ms at a time, and a cursor move waited for it). The child sees the budget as it
    was when forked (copy on write), sends the problems back pickled and leaves at once; where there is no fork, or
    the child fails, the check runs here. A newer check stops an older one still running, which answers None: the
    app starts a check only for a newer state of the budget, so the older answer would be dropped anyway, and
    checks of a large budget no longer pile up on the cores while the user keeps editing."""
    if not hasattr(os, "fork"):
        return check_budget(budget)
    read_end, write_end = os.pipe()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12 warns of fork beside threads
            pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return check_budget(budget)
    if pid == 0:  # the child: check, answer, and leave without running anything of the parent's
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(pickle.dumps(check_budget(budget), protocol=pickle.HIGHEST_PROTOCOL))
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    stoppable = hasattr(os, "waitid")  # waiting without reaping keeps a listed pid the child's own
    with _children:
        for older in _newest_check:
            _superseded.add(older)
            try:
                os.kill(older, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _newest_check.clear()
        if stoppable:
            _newest_check.add(pid)
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read()
    if stoppable:
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    with _children:  # reaped only once off the list, so that no other process can be killed in its place
        _newest_check.discard(pid)
        superseded = pid in _superseded
        _superseded.discard(pid)
        _, status = os.waitpid(pid, 0)
    if status != 0 or not answer:
        return None if superseded else check_budget(budget)
    problems: list[Problem] = pickle.loads(answer)
    return problems


__all__ = ["check_apart"]
