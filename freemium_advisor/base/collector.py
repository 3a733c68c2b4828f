"""Python's cyclic garbage collector, paused while a large structure is built.

Loading a file builds many small objects (a value, a position, a feature) and no reference
cycles. The cyclic collector runs after every few hundred new objects and, as they survive,
rescans them again and again: loading 100,000 features takes a quarter longer with it
running. The command line turns it off for the whole run; a library caller gets it paused
while a file is read, and back as it was afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (nested pauses are fine)."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
