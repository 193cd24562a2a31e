"""What sits behind the events: alternating lane stripes, the date grid, the "today" line.

The grid uses the axis's own tick choice so lines always meet labelled dates; year (or
month, or day) boundaries are drawn a little stronger than the ticks between them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from timeline_app.timeline.axis import date_ticks
from timeline_app.timeline.guarded import guarded_paint
from timeline_app.timeline.primitives import draw_lines


class BackdropItem(pg.GraphicsObject):
    """Lane stripes, grid and today line for one chart, in the view box's pixels."""

    def __init__(self, canvas: object, parent: pg.GraphicsObject | None = None) -> None:
        super().__init__(parent)
        self._canvas = canvas
        self.setAcceptedMouseButtons(QtCore.Qt.MouseButton.NoButton)

    def boundingRect(self) -> QtCore.QRectF:
        width, height = self._canvas.size()
        return QtCore.QRectF(0, 0, width, height)

    @guarded_paint
    def paint(self, painter: QtGui.QPainter, *args: object) -> None:
        canvas = self._canvas
        theme = canvas.theme
        width, height = canvas.size()
        lower, upper = canvas.x_range()
        layout = canvas.layout()
        stripe = QtGui.QColor(theme.stripe)
        for lane in range(1, layout.lane_count, 2):
            top = float(layout.lane_top[lane])
            painter.fillRect(QtCore.QRectF(0, top, width, layout.lane_height), stripe)
        if upper <= lower or width <= 0:
            return
        scale = width / (upper - lower)
        ticks = date_ticks(lower, upper, width)
        top = layout.lanes_top
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)

        def vertical(xs: list[float]) -> np.ndarray:
            px = np.round((np.asarray(xs, dtype=np.float64) - lower) * scale) + 0.5
            px = px[(px >= 0) & (px <= width)]
            return np.column_stack([px, np.full(px.size, top), px, np.full(px.size, height)])

        painter.setPen(QtGui.QPen(QtGui.QColor(theme.grid), 1))
        draw_lines(painter, vertical([x for x, _ in ticks.major]))
        painter.setPen(QtGui.QPen(QtGui.QColor(theme.grid_minor), 1))
        draw_lines(painter, vertical([x for x, _ in ticks.context]))
        painter.setPen(QtGui.QPen(QtGui.QColor(theme.lane_rule), 1))
        rules = np.round(layout.lane_top[1:]) + 0.5
        draw_lines(
            painter,
            np.column_stack([np.zeros(rules.size), rules, np.full(rules.size, width), rules]),
        )
        if layout.era_rows:
            y = round(top) - 0.5
            painter.drawLine(QtCore.QPointF(0, y), QtCore.QPointF(width, y))

        if canvas.show_today:
            now = canvas.now()  # the clock the open ends are drawn to
            if lower <= now <= upper:
                px = (now - lower) * scale
                painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
                colour = QtGui.QColor(theme.today)
                pen = QtGui.QPen(colour, 1.2, QtCore.Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.drawLine(QtCore.QPointF(px, top), QtCore.QPointF(px, height))
