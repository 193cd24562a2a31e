"""What every manager window shares: counts of events in words, a line for what the last
change did, and Undo, Redo and Close at the bottom (acting on the window's one history)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout

if TYPE_CHECKING:
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
