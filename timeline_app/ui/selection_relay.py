"""One selection shown in the table, the timeline and the inspector.

Each view reports what the user selected; the relay pushes it to the other views (quietly, so
nothing is reported back) and shows the event in the inspector — unless the inspector holds
unsaved edits the user wants to keep, in which case the old selection comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from timeline_app.domain.errors import NotFoundError
from timeline_app.timeline.view import TimelineWidget
from timeline_app.ui.event_table import EventTableView
from timeline_app.ui.inspector import EventInspector

if TYPE_CHECKING:
    from timeline_app.services.catalog import Catalog


class SelectionRelay:
    """The selected event ids, kept equal in every view."""

    def __init__(
        self,
        table: EventTableView,
        timeline: TimelineWidget,
        inspector: EventInspector,
        catalog: Callable[[], Catalog],
        changed: Callable[[], None],
    ) -> None:
        self.table = table
        self.timeline = timeline
        self.inspector = inspector
        self._catalog = catalog
        self._changed = changed
        self.ids: list[str] = []
        self.syncing = False
        table.eventsSelected.connect(lambda ids: self.user_selected(ids, table))
        timeline.selectionChanged.connect(lambda ids: self.user_selected(ids, timeline))

    def user_selected(self, ids: list[str], origin: object) -> None:
        if self.syncing:
            return
        ids = list(ids)
        if ids == self.ids:
            return
        keep_editor = len(ids) == 1 and ids[0] == self.inspector.current_id()
        if not keep_editor and not self.inspector.confirm_leave():
            QTimer.singleShot(0, lambda: self.push(self.ids))
            return
        self.ids = ids
        self.push(ids, skip=origin)
        self.show_in_inspector()
        self._changed()

    def select(self, ids: list[str]) -> None:
        """Select from code (after a save, a duplicate…); shown in every view."""
        self.ids = [event_id for event_id in ids if event_id]
        self.push(self.ids)
        self.show_in_inspector()
        self._changed()

    def push(self, ids: list[str], skip: object = None) -> None:
        with self.quiet():
            if skip is not self.table:
                self.table.select_ids(ids)
            if skip is not self.timeline:
                self.timeline.set_selection(ids)

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Views changed inside report no selection (the relay already knows it)."""
        self.syncing = True
        try:
            yield
        finally:
            self.syncing = False

    def take_from_table(self) -> None:
        """After the views were refilled: the table kept what still shows; so does the rest."""
        with self.quiet():
            self.ids = self.table.selected_ids()
            self.timeline.set_selection(self.ids)

    def show_in_inspector(self) -> None:
        ids = self.ids
        if len(ids) == 1:
            if ids[0] == self.inspector.current_id() and self.inspector.is_dirty():
                return
            try:
                self.inspector.show_event(self._catalog().event(ids[0]))
            except NotFoundError:
                self.inspector.show_event(None)
        elif not ids:
            if not self.inspector.is_new:
                self.inspector.show_event(None)
        else:
            self.inspector.show_message(
                f"{len(ids)} events selected.\n\nEdit them all at once (Edit ▸ Edit Selected "
                "Events…), move them to a category, or delete them, from the Edit menu."
            )
