"""Helpers for use-cases that build or read very many rows at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a file's worth of objects is built or written.

    Reading 100,000 file rows or a million table rows allocates millions of objects and
    none of them form cycles, yet each allocation burst sets off a collection that walks
    them all again: a third of the time of a large import or read. The collector is resumed
    (if it was running) whatever happens.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
