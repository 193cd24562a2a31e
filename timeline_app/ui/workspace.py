"""The open catalog and its undo stack: the one path every edit takes, so every view refreshes.

Widgets never call a writing service directly; they build a command from `commands.py` and
hand it to `Workspace.run`, which applies it (errors reach the caller before anything is
pushed) and then records it for undo. A command that touches many rows (an import, hundreds
of events deleted or moved) is applied, undone and redone on a worker thread through
`operations`, with progress and Cancel; the stack moves only once the work has succeeded.
Views listen to `changed` (a `Changes`), or to the older `eventsChanged`/`categoriesChanged`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QWidget

from timeline_app.domain.changes import Changes
from timeline_app.domain.errors import TimelineError
from timeline_app.domain.progress import Progress
from timeline_app.ui.operations import Operation, Operations

if TYPE_CHECKING:
    from timeline_app.services.catalog import Catalog
    from timeline_app.services.first_frame import FirstFrameCatalog
    from timeline_app.ui.commands import ServiceCommand


class Workspace(QObject):
    """Owns the catalog in use, the single undo stack of the window and its operations."""

    changed = Signal(object)  # Changes: what an edit, an undo, a redo or an import touched
    eventsChanged = Signal(list)  # ids touched; an empty list means "maybe all of them"
    categoriesChanged = Signal()
    catalogReplaced = Signal()  # another database was opened
    commandFailed = Signal(str)  # an undo or redo the database refused, as one line

    def __init__(self, catalog: Catalog | FirstFrameCatalog, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # At start, until the database is open, the snapshot the first frame is drawn from:
        # it answers the window's reads only, and the window takes no input meanwhile.
        self.catalog: Catalog = catalog  # type: ignore[assignment]
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)
        window = parent if isinstance(parent, QWidget) else None
        self.operations = Operations(window, self, self)

    # ---- editing -------------------------------------------------------------------------

    def run(self, command: ServiceCommand) -> Operation[Changes] | None:
        """Apply `command` and record it for undo.

        A small command is applied now: its errors propagate and nothing is recorded. A big
        one runs in the background and is recorded when it succeeds (a failure is shown by
        the operations layer); its operation is returned.
        """
        self._refuse_while_changing()
        if not command.runs_in_background:
            command.apply_now()
            self.undo_stack.push(command)
            return None

        def work(progress: Progress) -> Changes:
            return command.changes_of(command.apply(progress))

        def record(_changes: Changes) -> None:
            command.skip_next_step()
            self.undo_stack.push(command)

        return self.operations.change(command.text(), work, on_done=record)

    def undo(self) -> Operation[Changes] | None:
        """Take back the last command: a big one on a worker thread, a small one now."""
        stack = self.undo_stack
        if self._changing() or not stack.canUndo():
            return None
        command = stack.command(stack.index() - 1)
        if not getattr(command, "runs_in_background", False):
            stack.undo()
            return None
        return self._step_in_background(command, backwards=True)  # type: ignore[arg-type]

    def redo(self) -> Operation[Changes] | None:
        """Apply again the command just taken back: a big one on a worker thread."""
        stack = self.undo_stack
        if self._changing() or not stack.canRedo():
            return None
        command = stack.command(stack.index())
        if not getattr(command, "runs_in_background", False):
            stack.redo()
            return None
        return self._step_in_background(command, backwards=False)  # type: ignore[arg-type]

    def create_undo_action(self, parent: QObject, text: str = "&Undo") -> QAction:
        """The stack's Undo action (its text and enabled state follow the stack), going
        through `undo()` so a big command is taken back off the GUI thread."""
        action = self.undo_stack.createUndoAction(parent, text)
        action.triggered.disconnect()
        action.triggered.connect(self.undo)
        return action

    def create_redo_action(self, parent: QObject, text: str = "&Redo") -> QAction:
        action = self.undo_stack.createRedoAction(parent, text)
        action.triggered.disconnect()
        action.triggered.connect(self.redo)
        return action

    # ---- telling the views ---------------------------------------------------------------

    def notify(self, event_ids: list[str], categories: bool) -> None:
        if event_ids:
            changes = Changes.of_events(event_ids, categories=categories)
        else:
            changes = Changes(categories=categories, names=True, everything=True)
        self._emit(changes, list(event_ids))

    def publish(self, changes: Changes) -> None:
        """Tell every view what changed (`changed`, then the older signals for views that
        still listen to them)."""
        ids = [] if changes.everything else sorted(changes.events)
        self._emit(changes, ids)

    def _emit(self, changes: Changes, event_ids: list[str]) -> None:
        if changes.categories:
            self.categoriesChanged.emit()
        self.eventsChanged.emit(event_ids)
        self.changed.emit(changes)

    # ---- switching databases -------------------------------------------------------------

    def replace_catalog(self, catalog: Catalog) -> Catalog:
        """Switch to another database; history belongs to the old one and is dropped, and
        work still running on it is stopped first (the caller disposes of it)."""
        self.operations.cancel_all_and_wait()
        previous = self.catalog
        self.undo_stack.clear()
        self.catalog = catalog
        self.catalogReplaced.emit()
        self.changed.emit(Changes.all())
        return previous

    # ---- internals -----------------------------------------------------------------------

    def _changing(self) -> bool:
        return self.operations.is_running_change()

    def _refuse_while_changing(self) -> None:
        running = self.operations.running_change()
        if running is not None:
            raise TimelineError(f"“{running.title}” is still running; wait for it to end")

    def _step_in_background(self, command: ServiceCommand, *, backwards: bool) -> Operation:
        stack = self.undo_stack
        step = command.revert if backwards else command.apply
        text = command.text()
        title = f"{'Undo' if backwards else 'Redo'} {text[:1].lower()}{text[1:]}"

        def work(progress: Progress) -> Changes:
            return command.changes_of(step(progress))

        def move_stack(_changes: Changes | None = None) -> None:
            command.skip_next_step()
            if backwards:
                stack.undo()
            else:
                stack.redo()

        def refused(error: Exception) -> None:
            if not isinstance(error, TimelineError):
                self.operations.report_failure(title, error)
                return
            message = f"Cannot {text.lower()}: {error}"
            command.setObsolete(True)  # the stack deletes it once stepped over
            move_stack()
            self.commandFailed.emit(message)
            self.notify([], True)

        return self.operations.change(title, work, on_done=move_stack, on_failed=refused)
