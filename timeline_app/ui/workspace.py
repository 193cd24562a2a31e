"""The open catalog and its undo stack: the one path every edit takes, so every view refreshes.

Widgets never call a writing service directly; they build a command from `commands.py` and
hand it to `Workspace.run`, which applies it (errors reach the caller before anything is
pushed) and then records it for undo. Views listen to `eventsChanged`/`categoriesChanged`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from timeline_app.services.catalog import Catalog

if TYPE_CHECKING:
    from timeline_app.ui.commands import ServiceCommand


class Workspace(QObject):
    """Owns the catalog in use and the single undo stack of the window."""

    eventsChanged = Signal(list)  # ids touched; an empty list means "maybe all of them"
    categoriesChanged = Signal()
    catalogReplaced = Signal()  # another database was opened
    commandFailed = Signal(str)  # an undo or redo the database refused, as one line

    def __init__(self, catalog: Catalog, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)

    def run(self, command: ServiceCommand) -> None:
        """Apply `command` now (its errors propagate, nothing is recorded) and record it."""
        command.apply_now()
        self.undo_stack.push(command)

    def notify(self, event_ids: list[str], categories: bool) -> None:
        if categories:
            self.categoriesChanged.emit()
        self.eventsChanged.emit(list(event_ids))

    def replace_catalog(self, catalog: Catalog) -> Catalog:
        """Switch to another database; history belongs to the old one and is dropped."""
        previous = self.catalog
        self.undo_stack.clear()
        self.catalog = catalog
        self.catalogReplaced.emit()
        return previous
