"""The inspector's Notes: who wrote what when on the shown event, a box to add one, and
editing or deleting one's own notes, each an undoable command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.changes import Changes
from timeline_app.domain.errors import TimelineError
from timeline_app.domain.evidence import EventNote
from timeline_app.domain.model import EventRecord
from timeline_app.ui.collapsible import Collapsible
from timeline_app.ui.history_commands import when_text
from timeline_app.ui.inspector import InspectorSection
from timeline_app.ui.note_commands import AddNoteCommand, DeleteNoteCommand, EditNoteCommand

if TYPE_CHECKING:
    from timeline_app.ui.workspace import Workspace


class NoteView(QWidget):
    """One note: "author · when" over its text, with Edit and Delete for its author."""

    def __init__(self, note: EventNote, own: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.note = note
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 4)
        layout.setSpacing(1)
        top = QHBoxLayout()
        top.setSpacing(4)
        self.byline = QLabel(f"{note.author} · {when_text(note.created_at)}", self)
        self.byline.setObjectName("InspectorMeta")
        top.addWidget(self.byline, 1)
        self.edit_button = QToolButton(self)
        self.edit_button.setText("Edit")
        self.delete_button = QToolButton(self)
        self.delete_button.setText("Delete")
        for button, tip in (
            (self.edit_button, "Correct this note's text"),
            (self.delete_button, "Remove this note (Undo brings it back)"),
        ):
            button.setAutoRaise(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(tip)
            button.setVisible(own)
            top.addWidget(button)
        layout.addLayout(top)
        self.text_label = QLabel(note.text, self)
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text_label)


class NoteSection(InspectorSection):
    """Notes of the shown event, oldest first, and the box to write one."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.record: EventRecord | None = None
        self.editing: EventNote | None = None
        self.views: list[NoteView] = []

        self.fold = Collapsible("Notes", self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.fold)
        body = QVBoxLayout(self.fold.body)
        body.setContentsMargins(4, 0, 0, 0)
        body.setSpacing(2)
        self.list_layout = QVBoxLayout()
        self.list_layout.setSpacing(0)
        body.addLayout(self.list_layout)
        self.empty_label = QLabel("No notes yet.", self.fold.body)
        self.empty_label.setObjectName("InspectorMeta")
        body.addWidget(self.empty_label)

        self.text_edit = QPlainTextEdit(self.fold.body)
        self.text_edit.setPlaceholderText("Write a note on this event… (Ctrl+Enter adds it)")
        self.text_edit.installEventFilter(self)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(self.text_edit.fontMetrics().lineSpacing() * 3 + 12)
        body.addWidget(self.text_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton("Cancel", self.fold.body)
        self.cancel_button.setToolTip("Leave the note as it was")
        self.cancel_button.hide()
        self.add_button = QPushButton("Add Note", self.fold.body)
        self.add_button.setToolTip("Save this note on the event, signed with your name")
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.add_button)
        body.addLayout(buttons)

        self.add_button.clicked.connect(self._save)
        self.cancel_button.clicked.connect(self._stop_editing)
        self.text_edit.textChanged.connect(self._update_button)
        workspace.changed.connect(self._on_changed)
        self._update_button()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Enter in the box saves the note, as the button does."""
        if (
            watched is self.text_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            if self.add_button.isEnabled():
                self._save()
            return True
        return super().eventFilter(watched, event)

    # ---- following the inspector ---------------------------------------------------------

    def show_event(self, record: EventRecord | None) -> None:
        same = record is not None and self.record is not None and record.id == self.record.id
        self.record = record
        self.setVisible(record is not None)
        if not same:
            self._stop_editing()
            self.text_edit.clear()
        self.reload()

    def _on_changed(self, changes: Changes) -> None:
        if self.record is not None and (changes.everything or self.record.id in changes.events):
            self.reload()

    def reload(self) -> None:
        for view in self.views:
            self.list_layout.removeWidget(view)
            view.deleteLater()
        self.views = []
        shown: list[EventNote] = []
        if self.record is not None:
            try:
                from timeline_app.services.notes import notes_of  # not at start-up

                shown = notes_of(self.workspace.catalog, self.record.id)
            except (TimelineError, AttributeError):  # the first frame's snapshot has no notes
                shown = []
        author = getattr(self.workspace.catalog, "author", "")
        for note in shown:
            view = NoteView(note, note.author == author, self.fold.body)
            view.edit_button.clicked.connect(lambda _c=False, n=note: self._start_editing(n))
            view.delete_button.clicked.connect(lambda _c=False, n=note: self._delete(n))
            self.list_layout.addWidget(view)
            self.views.append(view)
        self.empty_label.setVisible(not shown)
        self.fold.set_count(len(shown))

    # ---- writing -------------------------------------------------------------------------

    def _update_button(self) -> None:
        self.add_button.setEnabled(bool(self.text_edit.toPlainText().strip()))

    def _start_editing(self, note: EventNote) -> None:
        self.editing = note
        self.text_edit.setPlainText(note.text)
        self.add_button.setText("Save Note")
        self.add_button.setToolTip("Save the corrected text (Undo takes it back)")
        self.cancel_button.show()
        self.fold.set_open(True)
        self.text_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _stop_editing(self) -> None:
        if self.editing is not None:
            self.text_edit.clear()
        self.editing = None
        self.add_button.setText("Add Note")
        self.add_button.setToolTip("Save this note on the event, signed with your name")
        self.cancel_button.hide()

    def _save(self) -> None:
        if self.record is None:
            return
        text = self.text_edit.toPlainText()
        if self.editing is not None:
            command = EditNoteCommand(self.workspace, self.editing, text)
        else:
            command = AddNoteCommand(self.workspace, self.record.id, text)
        if self._run(command):
            self._stop_editing()
            self.text_edit.clear()

    def _delete(self, note: EventNote) -> None:
        if self.editing is not None and self.editing.id == note.id:
            self._stop_editing()
        self._run(DeleteNoteCommand(self.workspace, note))

    def _run(self, command) -> bool:
        try:
            self.workspace.run(command)
        except TimelineError as error:
            QMessageBox.warning(self, "timeline_app", f"The note was not saved: {error}")
            return False
        return True
