"""The cyclic garbage collector around a budget's large, long-lived structures.

Tens of thousands of lines and tree nodes are built at once and live as long as the budget: none of them is garbage,
yet every full pass of the collector walks them all (at 50,000 lines in one file, 400,000 objects and 50-70 ms, on
an edit now and then). So they are built with the collector paused, and frozen once built (gc.freeze: the collector
no longer looks at them; reference counting still frees whatever is dropped that is not in a cycle). A frozen
structure in cycles (a tree: parents and children refer to each other) must be thawed when it is replaced, so that
the collector can reclaim it, and the survivors frozen again once it is gone.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector while a budget or tree is built (its passes cost a third of the time at 50,000 lines)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def frozen_when_built() -> Iterator[None]:
    """Collect what earlier work left in cycles (while the heap is small; what an earlier budget froze too), build
    with the collector paused, then freeze everything alive: the block should build what lives as long as the
    budget, and little else."""
    gc.unfreeze()
    gc.collect()
    with gc_paused():
        yield
    gc.freeze()


def thaw() -> None:
    """Give the frozen objects back to the collector: a frozen structure was just replaced and may be garbage."""
    gc.unfreeze()


def refreeze() -> None:
    """Reclaim what was replaced since thaw() and freeze the survivors again (one full pass of the collector)."""
    gc.collect()
    gc.freeze()
