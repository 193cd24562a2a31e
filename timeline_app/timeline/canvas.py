"""The state one chart's painters share: data, lanes, eras, theme, selection, view size.

The chart is drawn by a few graphics items that paint in the view box's own pixel
coordinates (so markers and text keep their size at any zoom and any export scale). They
read this one plain object instead of each other, so layout and hit-testing agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui

from timeline_app.domain.columns import EventColumns
from timeline_app.domain.model import EraRecord
from timeline_app.timeline.axis import today_seconds
from timeline_app.timeline.eras import EraRows, era_rows
from timeline_app.timeline.lanes import (
    ActorTable,
    LaneRows,
    TrackMemo,
    actor_table,
    build_lanes,
    patch_lanes,
)
from timeline_app.timeline.layout import ChartLayout, chart_layout
from timeline_app.timeline.lookup import mask_of_ids
from timeline_app.timeline.theme import LIGHT, Theme


class Canvas:
    """Shared chart state; `version` changes whenever anything drawn from data changes."""

    def __init__(self, viewbox: pg.ViewBox) -> None:
        self.viewbox = viewbox
        self.columns: EventColumns = EventColumns.empty()
        self._mask: np.ndarray | None = None
        self._filter_ids: frozenset[str] | None = None  # resolved into `mask` when read
        self.lane_mode = "category"
        self._rows: LaneRows | None = None  # laid out when first read after a change
        self._tracks = TrackMemo()
        self._patch_from: tuple[LaneRows, EventColumns] | None = None
        self._actor_table: tuple[EventColumns, ActorTable] | None = None
        self.lane_builds = 0  # how many times the lanes were laid out (tests count them)
        self.eras: EraRows = era_rows([])
        self.theme: Theme = LIGHT
        self.selected = np.zeros(0, dtype=bool)
        self.show_labels = True
        self.show_today = True
        self.now: Callable[[], float] = today_seconds
        """The clock open and unknown ends are drawn up to (tests set a fixed one)."""
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
    def set_columns(self, columns: EventColumns) -> None:
        """New data: a filter by ids is kept (matched again when next needed), a boolean
        mask, which belonged to the previous columns, is dropped."""
        # Lanes by category of every event can be patched from the current ones when the
        # change is small (an edit); anything else is laid out afresh.
        unfiltered = self._mask is None and self._filter_ids is None
        if self._rows is not None and unfiltered and self.lane_mode == "category":
            self._patch_from = (self._rows, _layout_only(self.columns))
        else:
            self._patch_from = None
        self.columns = columns
        self._mask = None
        if self.selected.shape[0] != len(columns):
            self.selected = np.zeros(len(columns), dtype=bool)
        self._relayout()

    @property
    def mask(self) -> np.ndarray | None:
        """Which events pass the filter (None: all of them)."""
        if self._mask is None and self._filter_ids is not None:
            self._mask = mask_of_ids(self.columns, self._filter_ids)
        return self._mask

    @mask.setter
    def mask(self, mask: np.ndarray | None) -> None:
        self._mask = mask
        self._filter_ids = None

    def set_filter_ids(self, ids: frozenset[str] | None) -> None:
        """Filter by ids, matched against the columns only when the mask is next needed (a
        reload sets the events and then the filter: the ids are looked up once)."""
        self._mask = None
        self._filter_ids = ids

    @property
    def rows(self) -> LaneRows:
        """The lanes, laid out on first use after the data, filter or lane mode changed, so
        a burst of changes (a reload, a window opening) lays them out once."""
        if self._rows is None:
            base, self._patch_from = self._patch_from, None
            if base is not None and self.mask is None and self.lane_mode == "category":
                self._rows = patch_lanes(*base, self.columns, self._tracks, now=self.now())
            if self._rows is None:
                self._rows = build_lanes(
                    self.columns,
                    self.mask,
                    self.lane_mode,
                    memo=self._tracks,
                    actors=self._actors() if self.lane_mode == "actor" else None,
                    now=self.now(),
                )
            self.lane_builds += 1
        return self._rows

    def _actors(self) -> ActorTable:
        """Who takes part in which event, read once per columns (filters reuse it)."""
        if self._actor_table is None or self._actor_table[0] is not self.columns:
            self._actor_table = (self.columns, actor_table(self.columns))
        return self._actor_table[1]

    def relayout_lanes(self) -> None:
        """The filter or the lane mode changed: lay the lanes out afresh when next needed."""
        self._patch_from = None
        self._relayout()

    def _relayout(self) -> None:
        self._rows = None
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


_NO_TEXT = np.empty(0, dtype=object)


def _layout_only(columns: EventColumns) -> EventColumns:
    """The columns lanes are laid out from, without ids and titles: what a pending patch
    keeps of the previous data, so the previous strings are not held until the next frame."""
    return dataclasses.replace(columns, ids=_NO_TEXT, titles=_NO_TEXT, actors=())
