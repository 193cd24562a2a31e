"""The overview strip under the chart: all events as a small histogram over their whole span,
with the chart's visible window as a region the reader can drag (or click to recentre)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from timeline_app.timeline.axis import date_ticks
from timeline_app.timeline.guarded import guarded_paint
from timeline_app.timeline.theme import LIGHT, Theme


class _OverviewBox(pg.ViewBox):
    """A fixed view of the whole span: clicks recentre the window, nothing zooms here."""

    clicked = QtCore.Signal(float)

    def __init__(self) -> None:
        super().__init__(enableMenu=False, enableMouse=False, defaultPadding=0.0)

    def mouseClickEvent(self, ev: object) -> None:
        if ev.button() == QtCore.Qt.MouseButton.LeftButton:
            ev.accept()
            self.clicked.emit(float(self.mapToView(ev.pos()).x()))

    def mouseDragEvent(self, ev: object, axis: object = None) -> None:
        ev.ignore()

    def wheelEvent(self, ev: object, axis: object = None) -> None:
        ev.ignore()


class _HistogramItem(pg.GraphicsObject):
    """Events per bin over the whole span as a filled area, plus a few year labels."""

    def __init__(self, strip: OverviewStrip, box: pg.ViewBox) -> None:
        super().__init__(box)
        self._strip = strip
        self._box = box
        self._font = QtGui.QFont()
        self._font.setPointSizeF(7.0)
        self.setAcceptedMouseButtons(QtCore.Qt.MouseButton.NoButton)
        self.setZValue(-10)
        self.setCacheMode(self.CacheMode.DeviceCoordinateCache)  # the window moves, not this

    def boundingRect(self) -> QtCore.QRectF:
        return QtCore.QRectF(0, 0, self._box.width(), self._box.height())

    @guarded_paint
    def paint(self, painter: QtGui.QPainter, *args: object) -> None:
        strip = self._strip
        theme = strip.theme
        width, height = float(self._box.width()), float(self._box.height())
        painter.fillRect(QtCore.QRectF(0, 0, width, height), QtGui.QColor(theme.stripe))
        lower, upper = strip.span
        if upper <= lower or width <= 2:
            return
        scale = width / (upper - lower)
        ticks = date_ticks(lower, upper, width)
        painter.setFont(self._font)
        metrics = QtGui.QFontMetricsF(self._font)
        grid = QtGui.QPen(QtGui.QColor(theme.grid_minor), 1)
        text = QtGui.QPen(QtGui.QColor(theme.text_muted))
        last_right = -1e9
        for x, label in ticks.major:
            px = round((x - lower) * scale) + 0.5
            painter.setPen(grid)
            painter.drawLine(QtCore.QPointF(px, 0), QtCore.QPointF(px, height))
            if px + 3 > last_right + 6 and px + 3 + metrics.horizontalAdvance(label) < width:
                painter.setPen(text)
                painter.drawText(QtCore.QPointF(px + 3, metrics.ascent() + 1), label)
                last_right = px + 3 + metrics.horizontalAdvance(label)
        counts = strip.histogram(int(width // 2))
        if counts.size and counts.max() > 0:
            top = metrics.height() + 3
            room = height - top - 2
            heights = np.sqrt(counts / counts.max()) * room  # sqrt: rare years stay visible
            bins = counts.size
            xs = np.repeat(np.linspace(0, width, bins + 1), 2)[1:-1]
            ys = height - 1 - np.repeat(heights, 2)
            outline = pg.arrayToQPath(
                np.concatenate([[0.0], xs, [width]]),
                np.concatenate([[height], ys, [height]]),
            )
            fill = QtGui.QColor(theme.overview_fill)
            fill.setAlpha(150)
            painter.setPen(QtCore.Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawPath(outline)


class OverviewStrip(pg.GraphicsView):
    """Whole-span overview; emits `windowChanged(lower, upper)` when the reader moves it."""

    windowChanged = QtCore.Signal(float, float)
    HEIGHT = 54

    def __init__(self, left_margin: float = 0.0, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme: Theme = LIGHT
        self.span: tuple[float, float] = (0.0, 1.0)
        self._start = np.empty(0)
        self._end = np.empty(0)
        self._is_span = np.empty(0, dtype=bool)
        self._counts: Callable[[np.ndarray], np.ndarray | None] | None = None
        self._mask: np.ndarray | None = None
        self._version = 0
        self._histogram_key: tuple | None = None
        self._histogram = np.empty(0)
        self.setFixedHeight(self.HEIGHT)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = pg.GraphicsLayout()
        layout.setContentsMargins(0, 4, 0, 6)
        layout.setSpacing(0)
        self.setCentralItem(layout)
        self._spacer = pg.GraphicsWidget()
        self.set_left_margin(left_margin)
        layout.addItem(self._spacer, row=0, col=0)
        self.box = _OverviewBox()
        layout.addItem(self.box, row=0, col=1)
        self.box.setYRange(0, 1, padding=0)
        self._histogram_item = _HistogramItem(self, self.box)
        self.region = pg.LinearRegionItem(
            values=(0, 1), orientation="vertical", swapMode="block", bounds=None
        )
        self.region.setZValue(10)
        self.box.addItem(self.region, ignoreBounds=True)
        self.region.sigRegionChanged.connect(self._region_moved)
        self.box.clicked.connect(self._recentre)
        self.box.sigResized.connect(self._box_resized)
        self._updating = False
        self.set_theme(LIGHT)

    def set_left_margin(self, width: float) -> None:
        """Line the strip up with a chart whose lane names now take `width` pixels."""
        self._spacer.setMinimumWidth(width)
        self._spacer.setMaximumWidth(width)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.setBackground(QtGui.QColor(theme.background))
        window = QtGui.QColor(theme.overview_window)
        fill = QtGui.QColor(window)
        fill.setAlpha(46)
        hover = QtGui.QColor(window)
        hover.setAlpha(70)
        self.region.setBrush(fill)
        self.region.setHoverBrush(hover)
        for line in self.region.lines:
            line.setPen(pg.mkPen(window, width=2))
            line.setHoverPen(pg.mkPen(window, width=3))
        self._histogram_item.update()

    def set_events(
        self,
        start: np.ndarray,
        end: np.ndarray,
        is_span: np.ndarray,
        mask: np.ndarray | None,
        span: tuple[float, float],
        counts: Callable[[np.ndarray], np.ndarray | None] | None = None,
    ) -> None:
        """The events to summarise (each where its marker sits: a point in the middle of its
        known range, a span at its start; `mask`: those shown) and the whole span to show.
        Kept by reference and binned only when the strip is painted — by `counts(edges)`
        when it answers (e.g. from the chart's sorted lanes, without a pass over every
        event)."""
        self._start, self._end, self._is_span, self._mask = start, end, is_span, mask
        self._counts = counts
        self._version += 1
        self.span = span
        self._histogram_key = None
        self._updating = True
        try:
            self.box.setXRange(span[0], span[1], padding=0)
        finally:
            self._updating = False
        self._histogram_item.update()

    def histogram(self, bins: int) -> np.ndarray:
        key = (bins, self.span, self._version)
        if self._histogram_key != key:
            lower, upper = self.span
            if bins <= 0 or upper <= lower:
                self._histogram = np.empty(0)
            elif (counted := self._marks_in(lower, upper, bins)) is not None:
                self._histogram = counted.astype(float)
            else:
                start, end, is_span = self._start, self._end, self._is_span
                if self._mask is not None:
                    start, end, is_span = start[self._mask], end[self._mask], is_span[self._mask]
                where = np.where(is_span, start, (start + end) * 0.5)
                where -= lower
                where *= bins / (upper - lower)
                inside = (where >= 0) & (where < bins)
                self._histogram = np.bincount(where[inside].astype(np.intp), minlength=bins).astype(
                    float
                )[:bins]
            self._histogram_key = key
        return self._histogram

    def _marks_in(self, lower: float, upper: float, bins: int) -> np.ndarray | None:
        if self._counts is None:
            return None
        return self._counts(np.linspace(lower, upper, bins + 1))

    def set_window(self, lower: float, upper: float) -> None:
        """Follow the chart's visible range without echoing it back."""
        self._updating = True
        try:
            self.region.setRegion((lower, upper))
        finally:
            self._updating = False

    def _region_moved(self) -> None:
        if self._updating:
            return
        lower, upper = self.region.getRegion()
        if upper > lower:
            self.windowChanged.emit(float(lower), float(upper))

    def _recentre(self, seconds: float) -> None:
        lower, upper = self.region.getRegion()
        half = (upper - lower) / 2
        self.windowChanged.emit(seconds - half, seconds + half)

    def _box_resized(self) -> None:
        self._histogram_item.prepareGeometryChange()
        self._histogram_item.update()
