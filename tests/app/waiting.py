"""Waiting in app tests: poll a condition with a generous deadline instead of sleeping a fixed time."""

from __future__ import annotations

import time
from collections.abc import Callable

DEADLINE = 60.0
"""Seconds a condition may take on a busy CI machine before the test fails."""


async def until(pilot, condition: Callable[[], object], what: str = "the condition", deadline: float = DEADLINE) -> None:
    """Let the app run until condition() is true; fail naming what was awaited after the deadline."""
    end = time.monotonic() + deadline
    last_error: Exception | None = None
    while True:
        try:
            if condition():
                return
        except Exception as error:  # e.g. a widget not mounted yet: the condition does not hold yet
            last_error = error
        if time.monotonic() > end:
            raise AssertionError(f"waited {deadline:.0f} s for {what}" + (f" (last: {last_error!r})" if last_error else ""))
        await pilot.pause(0.02)  # one short turn of the event loop, repeated until the condition holds
