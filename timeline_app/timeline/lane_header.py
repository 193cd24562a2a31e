"""The column left of the chart: lane names (with their colour and event count) and the
names of the era strips, aligned row for row with what the chart draws."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from timeline_app.timeline.guarded import guarded_paint
from timeline_app.timeline.layout import ERA_BAR_HEIGHT
from timeline_app.timeline.theme import mark_colour


class LaneHeader(pg.GraphicsWidget):
    """Lane labels; reads the shared canvas so it always matches the chart's layout."""

    WIDTH = 168  # the narrowest it gets (the legend below needs this much)
    MAX_NAME_WIDTH = 190.0  # longer lane names are cut short ("…")
    _LEFT = 10.0
    _SWATCH = 15.0  # swatch and the gap after it
    _RIGHT = 8.0

    def __init__(self, canvas: object, parent: pg.GraphicsObject | None = None) -> None:
        super().__init__(parent)
        self._canvas = canvas
        self._font = QtGui.QFont()
        self._font.setPointSizeF(9.0)
        self._font.setWeight(QtGui.QFont.Weight.DemiBold)
        self._small = QtGui.QFont()
        self._small.setPointSizeF(7.5)
        self.setMinimumWidth(self.WIDTH)
        self.setMaximumWidth(self.WIDTH)
        # Redrawn only when lanes or theme change, not on every pan: keep it as a pixmap.
        self.setCacheMode(self.CacheMode.DeviceCoordinateCache)

    def boundingRect(self) -> QtCore.QRectF:
        return QtCore.QRectF(0, 0, self.width(), self.height())

    def fitted_width(self) -> float:
        """The width that shows the longest lane name whole, up to MAX_NAME_WIDTH."""
        metrics = QtGui.QFontMetricsF(self._font)
        longest = max(
            (
                metrics.horizontalAdvance(lane.name) + (self._SWATCH if lane.colour else 0.0)
                for lane in self._canvas.rows.lanes
            ),
            default=0.0,
        )
        wanted = self._LEFT + min(longest, self.MAX_NAME_WIDTH + self._SWATCH) + self._RIGHT
        return float(max(self.WIDTH, int(np.ceil(wanted))))

    @guarded_paint
    def paint(self, painter: QtGui.QPainter, *args: object) -> None:
        canvas = self._canvas
        theme = canvas.theme
        layout = canvas.layout()
        width = float(self.width())
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
        painter.fillRect(self.boundingRect(), QtGui.QColor(theme.plot))
        stripe = QtGui.QColor(theme.stripe)
        for lane in range(1, layout.lane_count, 2):
            painter.fillRect(
                QtCore.QRectF(0, float(layout.lane_top[lane]), width, layout.lane_height), stripe
            )
        painter.setPen(QtGui.QPen(QtGui.QColor(theme.lane_rule), 1))
        for lane in range(1, layout.lane_count):
            y = round(float(layout.lane_top[lane])) + 0.5
            painter.drawLine(QtCore.QPointF(0, y), QtCore.QPointF(width, y))
        painter.drawLine(QtCore.QPointF(width - 0.5, 0), QtCore.QPointF(width - 0.5, self.height()))

        # Era strip names, small and muted: they label rows, not data.
        painter.setFont(self._small)
        small = QtGui.QFontMetricsF(self._small)
        painter.setPen(QtGui.QPen(QtGui.QColor(theme.text_muted)))
        previous = None
        for row, (group, _) in enumerate(canvas.eras.groups):
            if group == previous:
                continue
            previous = group
            top = layout.era_row_top(row)
            text = small.elidedText(group, QtCore.Qt.TextElideMode.ElideRight, width - 20)
            baseline = top + (ERA_BAR_HEIGHT + small.ascent() - small.descent()) / 2
            painter.drawText(
                QtCore.QPointF(width - 10 - small.horizontalAdvance(text), baseline), text
            )

        metrics = QtGui.QFontMetricsF(self._font)
        for lane_index, lane in enumerate(canvas.rows.lanes):
            top = float(layout.lane_top[lane_index])
            height = layout.lane_height
            two_lines = height >= metrics.height() + small.height() + 6
            block = metrics.height() + (small.height() if two_lines else 0)
            y = top + (height - block) / 2
            left = self._LEFT
            if lane.colour:
                painter.setPen(QtCore.Qt.PenStyle.NoPen)
                painter.setBrush(QtGui.QColor(mark_colour(theme, lane.colour)))
                painter.drawRoundedRect(
                    QtCore.QRectF(left, y + (metrics.height() - 9) / 2, 9, 9), 2, 2
                )
            text_left = left + (self._SWATCH if lane.colour else 0)
            room = width - text_left - self._RIGHT
            painter.setFont(self._font)
            painter.setPen(QtGui.QPen(QtGui.QColor(theme.text)))
            name = metrics.elidedText(lane.name, QtCore.Qt.TextElideMode.ElideRight, room)
            painter.drawText(QtCore.QPointF(text_left, y + metrics.ascent()), name)
            if two_lines:
                painter.setFont(self._small)
                painter.setPen(QtGui.QPen(QtGui.QColor(theme.text_muted)))
                noun = "event" if lane.count == 1 else "events"
                painter.drawText(
                    QtCore.QPointF(text_left, y + metrics.height() + small.ascent()),
                    f"{lane.count:,} {noun}",
                )
