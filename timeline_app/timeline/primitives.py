"""Draw many lines or rectangles in one QPainter call straight from numpy arrays.

Python per primitive per frame is what makes naive drawing slow; pyqtgraph's PrimitiveArray
lets QPainter read an (n, 4) float array in place. A per-primitive fallback keeps drawing
correct if that helper ever moves.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

try:
    from pyqtgraph.Qt.internals import PrimitiveArray
except ImportError:  # pragma: no cover - a pyqtgraph without the helper
    PrimitiveArray = None


_ARRAYS: dict[type, object] = {}  # one reusable buffer per primitive type (GUI thread only)


def _draw(painter: QtGui.QPainter, klass: type, method: str, values: np.ndarray) -> None:
    count = int(values.shape[0]) if values.ndim == 2 else 0
    if count == 0:
        return
    if PrimitiveArray is not None:
        array = _ARRAYS.get(klass)
        if array is None:
            array = _ARRAYS[klass] = PrimitiveArray(klass, 4)
        array.resize(count)
        array.ndarray()[:] = values
        getattr(painter, method)(*array.drawargs())
        return
    getattr(painter, method)([klass(*row) for row in values.tolist()])  # pragma: no cover


def draw_lines(painter: QtGui.QPainter, lines: np.ndarray) -> None:
    """Lines given as rows of (x1, y1, x2, y2)."""
    _draw(painter, QtCore.QLineF, "drawLines", lines)


def draw_rects(painter: QtGui.QPainter, rects: np.ndarray) -> None:
    """Rectangles given as rows of (left, top, width, height)."""
    _draw(painter, QtCore.QRectF, "drawRects", rects)
