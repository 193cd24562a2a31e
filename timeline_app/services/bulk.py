"""Helpers for use-cases that build or read very many rows at once."""

from __future__ import annotations

import ctypes
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


def release_free_memory() -> None:
    """Hand memory freed after a large read back to the system (glibc keeps it otherwise):
    a million rows pass through the driver as tuples that are gone once the columns are
    built, yet the process would go on holding their pages. Nothing happens elsewhere."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the allocator manages on its own
        pass
