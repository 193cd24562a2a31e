"""The state one chart's painters share: data, lanes, eras, theme, selection, view size.

The chart is drawn by a few graphics items that paint in the view box's own pixel
coordinates (so markers and text keep their size at any zoom and any export scale). They
read this one plain object instead of each other, so layout and hit-testing agree.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui

from timeline_app.domain.columns import EventColumns
from timeline_app.domain.model import EraRecord
from timeline_app.timeline.eras import EraRows, era_rows
from timeline_app.timeline.lanes import LaneRows, build_lanes
from timeline_app.timeline.layout import ChartLayout, chart_layout
from timeline_app.timeline.theme import LIGHT, Theme


class Canvas:
    """Shared chart state; `version` changes whenever anything drawn from data changes."""

    def __init__(self, viewbox: pg.ViewBox) -> None:
        self.viewbox = viewbox
        self.columns: EventColumns = EventColumns.empty()
        self.mask: np.ndarray | None = None
        self.lane_mode = "category"
        self.rows: LaneRows = build_lanes(self.columns)
        self.eras: EraRows = era_rows([])
        self.theme: Theme = LIGHT
        self.selected = np.zeros(0, dtype=bool)
        self.show_labels = True
        self.show_today = True
        self.version = 0
        self.selection_version = 0
        self.label_font = QtGui.QFont()
        self.label_font.setPointSizeF(8.5)
        self.label_metrics = QtGui.QFontMetricsF(self.label_font)
        self.line_height = float(np.ceil(self.label_metrics.height())) + 2.0
        # Titles on the marker line of a thin lane: a size smaller, so more of them fit.
        self.inline_font = QtGui.QFont()
        self.inline_font.setPointSizeF(7.5)
        self.inline_metrics = QtGui.QFontMetricsF(self.inline_font)
        self.inline_line_height = float(np.ceil(self.inline_metrics.height())) + 1.0
        self._layout: ChartLayout | None = None
        self._layout_key: tuple | None = None
        self.listeners: list[Callable[[], None]] = []

    # -- data -------------------------------------------------------------------------------
    def set_columns(self, columns: EventColumns, mask: np.ndarray | None) -> None:
        self.columns = columns
        self.mask = mask
        if self.selected.shape[0] != len(columns):
            self.selected = np.zeros(len(columns), dtype=bool)
        self.relayout_lanes()

    def relayout_lanes(self) -> None:
        self.rows = build_lanes(self.columns, self.mask, self.lane_mode)
        self.touch()

    def set_eras(self, eras: list[EraRecord]) -> None:
        self.eras = era_rows(eras)
        self.touch()

    def touch(self) -> None:
        """Something drawn changed: bump the version (frame caches key on it) and repaint."""
        self.version += 1
        self._layout_key = None
        for listener in self.listeners:
            listener()

    # -- geometry ---------------------------------------------------------------------------
    def x_range(self) -> tuple[float, float]:
        lower, upper = self.viewbox.viewRange()[0]
        return float(lower), float(upper)

    def size(self) -> tuple[float, float]:
        return float(self.viewbox.width()), float(self.viewbox.height())

    def layout(self) -> ChartLayout:
        width, height = self.size()
        key = (width, height, self.version)
        if self._layout is None or self._layout_key != key:
            self._layout = chart_layout(
                width,
                height,
                self.rows.tracks,
                len(self.eras.groups),
                self.line_height,
                self.inline_line_height,
            )
            self._layout_key = key
        return self._layout

    def to_pixels(self, seconds: np.ndarray | float) -> np.ndarray | float:
        lower, upper = self.x_range()
        width, _ = self.size()
        return (seconds - lower) * (width / (upper - lower))

    def to_seconds(self, x: float) -> float:
        lower, upper = self.x_range()
        width, _ = self.size()
        return lower + x * (upper - lower) / max(width, 1.0)
