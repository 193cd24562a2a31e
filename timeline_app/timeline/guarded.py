"""Painting that cannot take the process down.

Qt calls our `paint` overrides from C++; an exception escaping one leaves PySide with a
pending error that breaks the next Python call (the process then dies on a `SystemError`).
A guarded paint logs the error once, leaves the item blank for that frame, and restores the
painter, so the rest of the window keeps drawing and the user keeps their work.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from PySide6 import QtGui

log = logging.getLogger("timeline_app.timeline")

Paint = TypeVar("Paint", bound=Callable[..., None])

_reported: set[tuple[str, str]] = set()
_collectors: list[list[str]] = []


@contextmanager
def paint_failures() -> Iterator[list[str]]:
    """Collect the failures of guarded paints made inside the block, for a caller (an image
    export) that must not pass a half-drawn picture off as whole."""
    collected: list[str] = []
    _collectors.append(collected)
    try:
        yield collected
    finally:
        _collectors.remove(collected)


def guarded_paint(paint: Paint) -> Paint:
    """Wrap a `paint(self, painter, *args)` override: errors are logged, never raised to Qt."""

    @functools.wraps(paint)
    def wrapper(self: Any, painter: QtGui.QPainter, *args: Any) -> None:
        painter.save()
        try:
            paint(self, painter, *args)
        except Exception as error:
            key = (type(self).__name__, f"{type(error).__name__}: {error}")
            for collected in _collectors:
                collected.append(f"{key[0]}: {key[1]}")
            if key not in _reported:  # once per kind of failure: not a line every frame
                _reported.add(key)
                log.exception("drawing %s failed; it is left blank", key[0])
        finally:
            painter.restore()

    return wrapper  # type: ignore[return-value]
