"""A background check of a large budget in a child process, so that the app's keys never wait for it.

In a thread, the check held the interpreter lock 5 ms at a time and a cursor move waited for it; a forked child
checks the budget as it was when forked (copy on write) and takes nothing from the app's interpreter.
"""

from __future__ import annotations

import os
import pickle
import warnings

from budget_tui.core.checks import Problem, check_budget
from budget_tui.core.model import Budget


def check_apart(budget: Budget) -> list[Problem]:
    """check_budget(budget), computed in a child process forked for it: a background check of a large budget then
    takes nothing from the interpreter of the app, whose keys stay as quick as without it (in a thread, the check
    held the interpreter lock for 5 ms at a time, and a cursor move waited for it). The child sees the budget as it
    was when forked (copy on write), sends the problems back pickled and leaves at once; where there is no fork, or
    the child fails, the check runs here."""
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
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not answer:
        return check_budget(budget)
    problems: list[Problem] = pickle.loads(answer)
    return problems


__all__ = ["check_apart"]
