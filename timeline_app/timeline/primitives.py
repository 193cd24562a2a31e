"""Draw many lines or rectangles in one QPainter call straight from numpy arrays.

Python per primitive per frame is what makes naive drawing slow; QPainter reads an (n, 4)
float array in place (as pyqtgraph's PrimitiveArray does). A per-primitive fallback keeps
drawing correct if that helper ever moves.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

try:
    from pyqtgraph.Qt.internals import PrimitiveArray
    from shiboken6 import wrapInstance
except ImportError:  # pragma: no cover - a pyqtgraph without the helper
    PrimitiveArray = None


class _Buffer:
    """A reusable (n, 4) float array with its address wrapped once as a Qt pointer, so a
    draw call costs a copy and the call itself (tens of calls per frame)."""

    def __init__(self, klass: type) -> None:
        self.klass = klass
        self.array = np.empty((0, 4))
        self.pointer: object = None

    def fill(self, values: np.ndarray) -> tuple[object, int]:
        count = int(values.shape[0])
        if count > self.array.shape[0]:
            self.array = np.empty((max(count, 2 * self.array.shape[0], 64), 4))
            self.pointer = wrapInstance(self.array.ctypes.data, self.klass)
        self.array[:count] = values
        return self.pointer, count


_BUFFERS: dict[type, _Buffer] = {}  # one per primitive type (GUI thread only)


def _draw(painter: QtGui.QPainter, klass: type, method: str, values: np.ndarray) -> None:
    count = int(values.shape[0]) if values.ndim == 2 else 0
    if count == 0:
        return
    if PrimitiveArray is not None:
        buffer = _BUFFERS.get(klass)
        if buffer is None:
            buffer = _BUFFERS[klass] = _Buffer(klass)
        getattr(painter, method)(*buffer.fill(values))
        return
    getattr(painter, method)([klass(*row) for row in values.tolist()])  # pragma: no cover


def draw_lines(painter: QtGui.QPainter, lines: np.ndarray) -> None:
    """Lines given as rows of (x1, y1, x2, y2)."""
    _draw(painter, QtCore.QLineF, "drawLines", lines)


def draw_rects(painter: QtGui.QPainter, rects: np.ndarray) -> None:
    """Rectangles given as rows of (left, top, width, height)."""
    _draw(painter, QtCore.QRectF, "drawRects", rects)
