"""The events shown in the window: read once, handed to the timeline and the table together.

A full read of a large database runs as a background operation (progress, Cancel), and the
views keep what they showed until it arrives; a small one is read on the spot, in the time
of a frame. An edit patches the few events it changed into the columns already drawn; a
filter is placed on those columns by position, asking the store only for text, actors and
tags.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from timeline_app.domain.changes import Changes
from timeline_app.domain.columns import EventColumns
from timeline_app.domain.model import CategoryRecord, EraRecord, EventFilter
from timeline_app.domain.progress import Progress
from timeline_app.services.bulk import collector_paused, release_free_memory

if TYPE_CHECKING:
    from timeline_app.services.catalog import Catalog
    from timeline_app.ui.main_window import MainWindow

INLINE_AT_MOST = 5_000
"""Events read on the GUI thread (a few milliseconds); a larger read is an operation."""
PATCH_FROM = 20_000
"""Drawn events from which an edit patches the views instead of reloading them."""
PATCH_AT_MOST = 1_000
"""Changed events beyond which a full reload is simpler and no slower."""


@dataclass(frozen=True)
class EventsRead:
    """What one read of the database gives both views."""

    columns: EventColumns
    shown: np.ndarray | None
    categories: list[CategoryRecord]
    eras: list[EraRecord]
    where: EventFilter


def read_events(
    catalog: Catalog, where: EventFilter, with_actors: bool, progress: Progress | None = None
) -> EventsRead:
    columns = catalog.event_columns(with_actors=with_actors, progress=progress)
    shown = None if where.is_empty else catalog.filtered_positions(columns, where)
    return EventsRead(columns, shown, catalog.categories(), catalog.eras(), where)


def _asks_the_store(where: EventFilter) -> bool:
    return not where.linked.is_empty


class EventViews:
    """Loads, patches and filters the events of one window's timeline and table."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.workspace = window.workspace
        self.operations = window.workspace.operations
        self.timeline = window.timeline
        self.table = window.table
        self.filter = EventFilter()
        self._fit_when_filtered = False
        """Set by a filter the user applied: fit the timeline once its matches are shown."""
        self.shown_count = 0
        self.total_count = 0
        self.table.set_date_source(lambda ids: self.workspace.catalog.event_dates(ids))

    # ---- reading -------------------------------------------------------------------------

    def reload_events(self) -> None:
        """Read every event again into both views (in the background when there are many)."""
        catalog = self.workspace.catalog
        where = self.filter
        with_actors = self.window.settings.lane_mode() == "actor"
        if catalog.count_events() <= INLINE_AT_MOST:
            self.operations.drop_key("events")
            self._show(read_events(catalog, where, with_actors))
            return

        def work(progress: Progress) -> EventsRead:
            return read_events(catalog, where, with_actors, progress)

        self.window.count_label.setText("reading events…")
        self.operations.run(
            "Reading events",
            work,
            on_done=self._show,
            on_cancelled=self._read_stopped,
            on_failed=self._read_failed,
            key="events",
        )

    def _read_stopped(self) -> None:
        """Cancelled: the views keep what they showed; View ▸ Reload reads them again."""
        if not self.window.closed:
            self.window.show_counts(self.shown_count, self.total_count)
            self.window.statusBar().showMessage(
                "Reading the events was cancelled — View ▸ Reload Events reads them again", 10_000
            )

    def _read_failed(self, error: Exception) -> None:
        self._read_stopped()
        self.operations.report_failure("Reading events", error)

    def is_loading(self) -> bool:
        return self.operations.is_running("events") or self.operations.is_running("filter")

    def _show(self, read: EventsRead) -> None:
        if self.window.closed:
            return
        self.total_count = len(read.columns)
        with self._refilling():
            self.timeline.set_events(read.columns)
            self.timeline.set_eras(read.eras)
            self._show_positions(read.columns, read.shown, read.categories)
        if read.where != self.filter:  # the filter changed while the events were read
            self.set_filter(self.filter)
        if self.total_count > INLINE_AT_MOST:
            release_free_memory()

    def _show_positions(
        self,
        columns: EventColumns,
        shown: np.ndarray | None,
        categories: Sequence[CategoryRecord] | None = None,
        changed: Sequence[str] | None = None,
    ) -> None:
        self.shown_count = len(columns) if shown is None else len(shown)
        self.table.set_events(columns, shown, categories, changed=changed)
        self.timeline.set_filter(None if shown is None else columns.mask_of(shown))

    # ---- edits ---------------------------------------------------------------------------

    def on_changed(self, changes: Changes) -> None:
        """Bring what an operation or a command changed into both views."""
        if self.window.closed:
            return
        ids = changes.events
        drawn = len(self.timeline.canvas.columns)
        if changes.everything or not (0 < len(ids) <= PATCH_AT_MOST) or drawn < PATCH_FROM:
            if changes.everything or ids or changes.categories:
                self.reload_events()
        else:
            self.patch_events(sorted(ids))

    def patch_events(self, ids: Sequence[str]) -> None:
        """Bring a few changed events into both views without reading the others again.

        Reading a million events takes seconds; an edit touches one. Falls back to a full
        reload when the categories or the lane mode no longer match what is drawn.
        """
        catalog = self.workspace.catalog
        drawn = self.timeline.canvas.columns
        with_actors = self.window.settings.lane_mode() == "actor"
        with collector_paused():
            added = catalog.event_columns(with_actors=with_actors, ids=ids)
            if (
                added.category_names != drawn.category_names
                or added.category_colours != drawn.category_colours
                or with_actors != bool(drawn.actors)
            ):
                self.reload_events()
                return
            columns = drawn.patched(ids, added)
            where = self.filter
            if where.is_empty:
                shown = None
            elif _asks_the_store(where):
                # The store's answer for a million events takes seconds: keep the events
                # shown that are still there now, and place the filter again in the back.
                shown = self._still_shown(drawn, columns, added)
            else:
                shown = catalog.filtered_positions(columns, where)
            self.total_count = len(columns)
            with self._refilling():
                self.timeline.set_events(columns)
                self._show_positions(columns, shown, changed=ids)
        if shown is not None and _asks_the_store(where):
            self.set_filter(where)

    def _still_shown(
        self, drawn: EventColumns, columns: EventColumns, added: EventColumns
    ) -> np.ndarray:
        """The shown events that the edit left alone, at their places in `columns`: the
        changed ones (at their new places) wait for the filter to be placed again."""
        before = np.sort(self.table.table_model.positions())
        positions = columns.positions_of(drawn.start[before], drawn.ids[before])
        changed = columns.positions_of(added.start, added.ids)
        return np.setdiff1d(positions[positions >= 0], changed)

    # ---- filter --------------------------------------------------------------------------

    def set_fit_to_filter(self, fit: bool) -> None:
        self.window.settings.set_fit_to_filter(fit)
        self.window.actions["fit_to_filter"].setChecked(fit)

    def apply_filter(self, where: EventFilter) -> None:
        """The user's new filter: shown, and the timeline moved to its matches (unless the
        View menu says not to)."""
        self._fit_when_filtered = self.window.settings.fit_to_filter()
        self.set_filter(where)

    def set_filter(self, where: EventFilter) -> None:
        """Show the drawn events matching `where` (placed by position, none read again)."""
        self.filter = where
        catalog = self.workspace.catalog
        columns = self.table.table_model.columns()
        if where.is_empty or not _asks_the_store(where) or len(columns) <= INLINE_AT_MOST:
            self.operations.drop_key("filter")
            shown = None if where.is_empty else catalog.filtered_positions(columns, where)
            self._filtered(columns, where, shown)
            return

        def work(_progress: Progress) -> np.ndarray:
            return catalog.filtered_positions(columns, where)

        self.operations.run(
            "Filtering events",
            work,
            on_done=lambda shown: self._filtered(columns, where, shown),
            key="filter",
        )

    def _filtered(
        self, columns: EventColumns, where: EventFilter, shown: np.ndarray | None
    ) -> None:
        if self.window.closed or where != self.filter:
            return
        if columns is not self.table.table_model.columns():  # the events were read again
            self.set_filter(where)
            return
        with self._refilling():
            self._show_positions(columns, shown, self.workspace.catalog.categories())
        if self._fit_when_filtered:
            self._fit_when_filtered = False
            self.timeline.fit_all(animated=True)

    # ---- keeping selection and counts ----------------------------------------------------

    @contextmanager
    def _refilling(self) -> Iterator[None]:
        """Refill the views inside; their selection signals stay quiet, and afterwards the
        table's selection is shown in the timeline and the counts updated."""
        selection = self.window.selection
        with selection.quiet():
            yield
        selection.take_from_table()
        self.window.show_counts(self.shown_count, self.total_count)
        self.window.update_actions()
