"""Eras: named periods drawn as thin strips above the lanes and as faint bands behind them.

Eras overlap (a Russian presidency, an Iranian one, a sanctions period), so each group
(`EraRecord.group`) gets its own strip row; eras that overlap inside one group are packed
into extra rows rather than drawn on top of each other. `era_rows` is pure; `ErasItem`
paints in the view box's pixels like the other chart layers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from timeline_app.domain.model import EraRecord
from timeline_app.domain.palette import is_colour
from timeline_app.timeline.guarded import guarded_paint
from timeline_app.timeline.layout import ERA_BAR_HEIGHT, ERA_ROW_HEIGHT

BAND_ALPHA_LIGHT = 9
BAND_ALPHA_DARK = 8
STRIP_ALPHA_LIGHT = 70
STRIP_ALPHA_DARK = 95


@dataclass(frozen=True, slots=True)
class EraRows:
    """Eras packed into strip rows: `rows[i]` is (group name, eras in that row)."""

    groups: tuple[tuple[str, tuple[EraRecord, ...]], ...]

    def __len__(self) -> int:
        return len(self.groups)

    def all(self) -> list[EraRecord]:
        return [era for _, eras in self.groups for era in eras]


HANDOVER_SECONDS = 86_400.0


def era_rows(eras: list[EraRecord] | tuple[EraRecord, ...]) -> EraRows:
    """Group eras by `group` (in order of first appearance) and pack overlaps into rows."""
    by_group: dict[str, list[EraRecord]] = {}
    for era in eras:
        if era.upper <= era.lower:
            continue
        by_group.setdefault(era.group or "Eras", []).append(era)
    rows: list[tuple[str, tuple[EraRecord, ...]]] = []
    for group, members in by_group.items():
        packed: list[list[EraRecord]] = []
        for era in sorted(members, key=lambda e: (e.lower, e.upper)):
            for row in packed:
                # A handover day belongs to both terms: touching eras share a row.
                if row[-1].upper <= era.lower + HANDOVER_SECONDS:
                    row.append(era)
                    break
            else:
                packed.append([era])
        rows.extend((group, tuple(row)) for row in packed)
    return EraRows(tuple(rows))


def _colour(text: str, alpha: int) -> QtGui.QColor:
    colour = QtGui.QColor(text if is_colour(text) else "#888888")
    colour.setAlpha(alpha)
    return colour


class ErasItem(pg.GraphicsObject):
    """Era strips and bands for one chart; reads everything from the shared canvas."""

    def __init__(self, canvas: object, parent: pg.GraphicsObject | None = None) -> None:
        super().__init__(parent)
        self._canvas = canvas
        self._font = QtGui.QFont()
        self._font.setPointSizeF(7.5)
        self.setAcceptedMouseButtons(QtCore.Qt.MouseButton.NoButton)
        self.setFlag(self.GraphicsItemFlag.ItemIsSelectable, False)

    def boundingRect(self) -> QtCore.QRectF:
        width, height = self._canvas.size()
        return QtCore.QRectF(0, 0, width, height)

    def era_at(self, x: float, y: float) -> EraRecord | None:
        """The era whose strip is under (x, y), for the hover text."""
        canvas = self._canvas
        layout = canvas.layout()
        for row, (_, eras) in enumerate(canvas.eras.groups):
            top = layout.era_row_top(row)
            if top <= y < top + ERA_ROW_HEIGHT:
                seconds = canvas.to_seconds(x)
                for era in eras:
                    if era.lower <= seconds < era.upper:
                        return era
        return None

    @guarded_paint
    def paint(self, painter: QtGui.QPainter, *args: object) -> None:
        canvas = self._canvas
        if not canvas.eras.groups:
            return
        layout = canvas.layout()
        width, height = canvas.size()
        lower, upper = canvas.x_range()
        if upper <= lower:
            return
        scale = width / (upper - lower)
        theme = canvas.theme
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
        painter.setFont(self._font)
        metrics = QtGui.QFontMetricsF(self._font)
        strip_alpha = STRIP_ALPHA_DARK if theme.is_dark else STRIP_ALPHA_LIGHT
        band_alpha = BAND_ALPHA_DARK if theme.is_dark else BAND_ALPHA_LIGHT
        band_top = layout.lanes_top
        text_pen = QtGui.QPen(QtGui.QColor(theme.text))
        for row, (_, eras) in enumerate(canvas.eras.groups):
            top = layout.era_row_top(row)
            bar_height = ERA_BAR_HEIGHT
            for era in eras:
                left = (era.lower - lower) * scale
                right = (era.upper - lower) * scale
                if right < 0 or left > width:
                    continue
                left_c, right_c = max(left, -4.0), min(right, width + 4.0)
                # Faint band behind the lanes, with a hairline where the era begins.
                painter.setPen(QtCore.Qt.PenStyle.NoPen)
                painter.setBrush(_colour(era.colour, band_alpha))
                painter.drawRect(QtCore.QRectF(left_c, band_top, right_c - left_c, height))
                if left >= 0:
                    painter.setPen(QtGui.QPen(_colour(era.colour, 70), 1))
                    painter.drawLine(QtCore.QPointF(left, band_top), QtCore.QPointF(left, height))
                # The strip with the era's name, kept in view while the era is.
                rect = QtCore.QRectF(left_c + 0.5, top, max(right_c - left_c - 1, 1), bar_height)
                painter.setPen(QtCore.Qt.PenStyle.NoPen)
                painter.setBrush(_colour(era.colour, strip_alpha))
                painter.drawRoundedRect(rect, 3, 3)
                painter.setBrush(_colour(era.colour, 230))
                if left >= 0:
                    painter.drawRoundedRect(QtCore.QRectF(left, top, 3, bar_height), 1.5, 1.5)
                text_left = max(left, 0.0) + 6
                room = min(right, width) - text_left - 4
                if room > 18:
                    text = metrics.elidedText(era.name, QtCore.Qt.TextElideMode.ElideRight, room)
                    if text and text != "…":
                        painter.setPen(text_pen)
                        baseline = top + (bar_height + metrics.ascent() - metrics.descent()) / 2
                        painter.drawText(QtCore.QPointF(text_left, baseline), text)
