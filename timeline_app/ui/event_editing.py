"""The Edit menu's work on events: new, duplicate, delete, move to a category, undo, redo.

Each step builds an undoable command and runs it through the workspace; the window's
views follow from what the workspace reports. A refused edit is said in one line.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu, QMessageBox

from timeline_app.domain.errors import TimelineError
from timeline_app.ui.actions import menu_text
from timeline_app.ui.commands import (
    DuplicateEventCommand,
    ServiceCommand,
    SetCategoryCommand,
)
from timeline_app.ui.event_table import swatch
from timeline_app.ui.link_commands import DeleteEventsAndLinksCommand

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow


class EventEditing:
    """Edits of the selected events in one window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.workspace = window.workspace
        self.inspector = window.inspector

    def new_event(self, start: str = "") -> None:
        """An empty event in the inspector (`start`: a date to begin with, as EDTF)."""
        if not self.inspector.confirm_leave():
            return
        self.window.select_events([])
        self.window.inspector_dock.show()
        self.inspector.start_new(start)

    def new_event_at(self, seconds: float) -> None:
        """New event at the day (UTC) under the timeline's cursor."""
        parts = time.gmtime(int(seconds))
        self.new_event(f"{parts.tm_year:04d}-{parts.tm_mon:02d}-{parts.tm_mday:02d}")

    def duplicate_selected(self) -> None:
        ids = self.window.selected_ids()
        if len(ids) != 1 or not self.inspector.confirm_leave():
            return
        command = DuplicateEventCommand(self.workspace, ids[0])
        if self.run(command) and command.record is not None:
            self.window.select_events([command.record.id])

    def delete_selected(self) -> None:
        ids = self.window.selected_ids()
        if not ids:
            return
        if self.inspector.current_id() in ids and self.inspector.is_dirty():
            self.inspector.revert()
        if self.run(DeleteEventsAndLinksCommand(self.workspace, ids)):
            noun = "event" if len(ids) == 1 else "events"
            self.window.statusBar().showMessage(
                f"Deleted {len(ids)} {noun} — Undo brings them back", 5000
            )
            self.window.select_events([])

    def move_selected_to(self, category: str) -> None:
        ids = self.window.selected_ids()
        if ids and self.inspector.confirm_leave():
            self.run(SetCategoryCommand(self.workspace, ids, category))

    def fill_move_menu(self, menu: QMenu) -> None:
        menu.clear()
        for record in self.workspace.catalog.categories():
            action = menu.addAction(swatch(record.colour), menu_text(record.name))
            action.triggered.connect(
                lambda _checked=False, name=record.name: self.move_selected_to(name)
            )

    def undo(self) -> None:
        self.workspace.undo()

    def redo(self) -> None:
        self.workspace.redo()

    def run(self, command: ServiceCommand) -> bool:
        try:
            self.workspace.run(command)
        except TimelineError as error:
            self.warn(str(error))
            return False
        return True

    def warn(self, message: str) -> None:
        QMessageBox.warning(self.window, "timeline_app", message)
