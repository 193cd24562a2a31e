"""What every manager window shares: counts of events in words, a line for what the last
change did, Undo, Redo and Close at the bottom (acting on the window's one history), and the
running of a change as an undoable command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout

from timeline_app.domain.errors import TimelineError

if TYPE_CHECKING:
    from timeline_app.ui.commands import ServiceCommand
    from timeline_app.ui.workspace import Workspace


def events_text(count: int) -> str:
    """ "no events", "1 event", "1,234 events"."""
    return "no events" if count == 0 else "1 event" if count == 1 else f"{count:,} events"


def add_message_and_footer(dialog: QDialog, workspace: Workspace, column: QVBoxLayout) -> None:
    """Add `dialog.message`, then (after a stretch) Undo, Redo and Close, to `column`; the
    widgets and actions are kept on the dialog as `message`, `undo_button`, `undo_action`,
    `redo_button`, `redo_action` and `close_button`."""
    dialog.message = QLabel("", dialog)
    dialog.message.setWordWrap(True)
    dialog.message.setObjectName("InspectorMeta")
    column.addWidget(dialog.message)
    column.addStretch(1)

    bottom = QHBoxLayout()
    dialog.undo_button = QToolButton(dialog)
    dialog.undo_action = workspace.create_undo_action(dialog, "Undo")
    dialog.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    dialog.addAction(dialog.undo_action)
    dialog.undo_button.setDefaultAction(dialog.undo_action)
    dialog.redo_button = QToolButton(dialog)
    dialog.redo_action = workspace.create_redo_action(dialog, "Redo")
    dialog.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
    dialog.addAction(dialog.redo_action)
    dialog.redo_button.setDefaultAction(dialog.redo_action)
    dialog.close_button = QPushButton("Close", dialog)
    dialog.close_button.setToolTip("Close this window; every change is already saved")
    bottom.addWidget(dialog.undo_button)
    bottom.addWidget(dialog.redo_button)
    bottom.addStretch(1)
    bottom.addWidget(dialog.close_button)
    column.addLayout(bottom)


class ManagerDialog(QDialog):
    """A manager window (categories, tags, eras, actors, sources). Its changes run as
    undoable commands on the window's history; the line under the list says what the last
    one did, or why it failed, and the list is read again with `_follow` to select."""

    workspace: Workspace
    message: QLabel
    _follow: str | None

    def reload(self) -> None:
        raise NotImplementedError

    def _show_failure(self, error: TimelineError) -> None:
        """Say why a change was refused (a manager with a form may mark the field)."""
        self.message.setText(f"<span style='color:#C62828'>{error}</span>")

    def _run(self, command: ServiceCommand, done: str, follow: str | None = None) -> bool:
        """Run `command`; on success say `done` and how to undo it, and select `follow`
        (a name or id) once the list is read again."""
        self._follow = follow
        try:
            self.workspace.run(command)
        except TimelineError as error:
            self._follow = None
            self._show_failure(error)
            return False
        undo_keys = QKeySequence(QKeySequence.StandardKey.Undo).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        self.message.setText(f"{done}. Undo ({undo_keys}) takes it back.")
        self.reload()
        return True
