"""The inspector's "Links" section: how the shown event bears on others, both ways, in words.

Each link reads from the shown event ("led to → 2010 S-300 suspension", "followed from ←
2007 S-300 contract"); the other event's name selects it. Add, edit and remove are undoable
commands; "Add link…" opens a picker to choose how the events relate and find the other one
by title.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.errors import TimelineError
from timeline_app.domain.evidence import LINK_WORDS, LinkKind
from timeline_app.domain.model import EventRecord
from timeline_app.ui.collapsible import Collapsible
from timeline_app.ui.inspector import InspectorSection
from timeline_app.ui.link_commands import (
    AddLinkCommand,
    DeleteLinkCommand,
    EditLinkCommand,
    link_service,
)

if TYPE_CHECKING:
    from timeline_app.domain.changes import Changes
    from timeline_app.services.links import LinkEnd
    from timeline_app.ui.workspace import Workspace

_YEAR = re.compile(r"-?\d{4}")
SEARCH_DELAY_MS = 150


def year_of(start: str) -> str:
    """The year an EDTF start names, for a short mention ("2010"); "" when it names none."""
    found = _YEAR.search(start)
    return found.group(0) if found else ""


def relations() -> list[tuple[str, LinkKind, bool]]:
    """How the shown event may bear on another, in its own words: (words, kind, outgoing).
    "followed from" is "led to" seen from its second event; "same as" reads alike both ways."""
    found: list[tuple[str, LinkKind, bool]] = []
    for kind in LinkKind:
        forward, backward = LINK_WORDS[kind]
        found.append((forward, kind, True))
        if backward != forward:
            found.append((backward, kind, False))
    return found


class LinkPicker(QDialog):
    """Choose how an event relates to another, find the other by title, add a note.

    For an edit, the other event is fixed and only the relation and the note change."""

    def __init__(
        self,
        workspace: Workspace,
        event: EventRecord,
        parent: QWidget | None = None,
        *,
        editing: LinkEnd | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.record = event
        self.editing = editing
        self.setWindowTitle("Edit link" if editing else "Add link")
        self.setMinimumWidth(440)
        column = QVBoxLayout(self)
        title = event.title if len(event.title) <= 60 else event.title[:59] + "…"
        heading = QLabel(f"“{html.escape(title)}” …", self)
        heading.setObjectName("SectionLabel")
        heading.setWordWrap(True)
        column.addWidget(heading)

        form = QFormLayout()
        self.relation = QComboBox(self)
        self.relation.setToolTip("How this event bears on the other one")
        for words, kind, outgoing in relations():
            # an edit keeps the link's direction; its kind may change
            if (
                editing is not None
                and kind is not LinkKind.SAME_AS
                and outgoing != editing.outgoing
            ):
                continue
            self.relation.addItem(f"… {words} …", (kind.value, outgoing))
        form.addRow("Relation", self.relation)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Type part of the other event's title")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setMinimumHeight(160)
        self.found_label = QLabel("", self)
        self.found_label.setObjectName("InspectorMeta")
        if editing is None:
            form.addRow("Other event", self.search)
            form.addRow("", self.results)
            form.addRow("", self.found_label)
        else:
            other = QLabel(self._other_text(editing.other_start, editing.other_title), self)
            other.setWordWrap(True)
            form.addRow("Other event", other)
            self.search.hide()
            self.results.hide()
            self.found_label.hide()
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Why (optional)")
        form.addRow("Note", self.note)
        column.addLayout(form)
        self.error = QLabel("", self)
        self.error.setObjectName("FieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        column.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save link" if editing else "Add link")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.find)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.results.currentItemChanged.connect(lambda *_: self._update_ok())
        self.results.itemDoubleClicked.connect(lambda _item: self._save())
        if editing is not None:
            for index in range(self.relation.count()):
                if self.relation.itemData(index) == (editing.link.kind.value, editing.outgoing):
                    self.relation.setCurrentIndex(index)
            if editing.link.kind is LinkKind.SAME_AS:
                self.relation.setCurrentIndex(self.relation.findData(("same_as", True)))
            self.note.setText(editing.link.note)
        else:
            self.find()
        self._update_ok()

    @staticmethod
    def _other_text(start: str, title: str) -> str:
        year = year_of(start)
        return f"{year} {title}" if year else title

    def find(self) -> None:
        """Offer the events whose title holds what was typed (earliest first)."""
        self._search_timer.stop()
        text = self.search.text()
        try:
            found = link_service().find_events(self.workspace.catalog, text, exclude=self.record.id)
        except TimelineError as error:
            self.found_label.setText(str(error))
            return
        self.results.clear()
        for event_id, title, start in found:
            item = QListWidgetItem(f"{start}  ·  {title}", self.results)
            item.setData(Qt.ItemDataRole.UserRole, event_id)
            item.setToolTip(title)
        if found:
            self.results.setCurrentRow(0)
        if not found:
            self.found_label.setText(f"No event's title contains “{text.strip()}”")
        elif len(found) >= link_service().FOUND_AT_MOST:
            self.found_label.setText(f"The first {len(found)} — type more to narrow them")
        else:
            self.found_label.setText("")
        self._update_ok()

    def other_id(self) -> str | None:
        item = self.results.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.editing is not None or self.other_id() is not None)

    def _save(self) -> None:
        kind_value, outgoing = self.relation.currentData()
        note = self.note.text()
        try:
            if self.editing is not None:
                link = self.editing.link
                changed_kind = None if kind_value == link.kind.value else kind_value
                changed_note = None if note.strip() == link.note else note
                if changed_kind is not None or changed_note is not None:
                    self.workspace.run(
                        EditLinkCommand(
                            self.workspace, link.id, kind=changed_kind, note=changed_note
                        )
                    )
            else:
                other = self.other_id()
                if other is None:
                    return
                first, second = (self.record.id, other) if outgoing else (other, self.record.id)
                self.workspace.run(AddLinkCommand(self.workspace, first, second, kind_value, note))
        except TimelineError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.accept()


class LinkSection(InspectorSection):
    """The shown event's links both ways, each naming the other event (click: select it)."""

    eventChosen = Signal(str)  # the other end of a link was clicked

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.record: EventRecord | None = None
        self.ends: list[LinkEnd] = []
        self.picker: LinkPicker | None = None
        # Folds like the notes and history below it, and counts its links in the heading.
        self.fold = Collapsible("Links", self)
        self.fold.header.setToolTip(
            "How this event bears on others: what it led to, followed from, …"
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.fold)
        column = QVBoxLayout(self.fold.body)
        column.setContentsMargins(4, 0, 0, 0)
        column.setSpacing(4)
        top = QHBoxLayout()
        self.add_button = QPushButton("Add link…", self)
        self.add_button.setToolTip(
            "Link this event to another (on the timeline: Alt+drag from one event to another)"
        )
        self.add_button.clicked.connect(self.add_link)
        top.addStretch(1)
        top.addWidget(self.add_button)
        column.addLayout(top)
        self.rows = QGridLayout()
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setHorizontalSpacing(2)
        self.rows.setVerticalSpacing(2)
        self.rows.setColumnStretch(0, 1)
        column.addLayout(self.rows)
        self.empty_label = QLabel("No links yet.", self)
        self.empty_label.setObjectName("InspectorMeta")
        column.addWidget(self.empty_label)
        self.error_label = QLabel("", self)
        self.error_label.setObjectName("FieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        column.addWidget(self.error_label)
        self.row_labels: list[QLabel] = []
        workspace.changed.connect(self._on_changed)
        self.setVisible(False)

    # ---- following the inspector ---------------------------------------------------------

    def show_event(self, record: EventRecord | None) -> None:
        self.record = record
        if self.picker is not None and (record is None or record.id != self.picker.record.id):
            self.picker.reject()
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        if self.record is not None and (changes.links or changes.events or changes.everything):
            self.refresh()

    def refresh(self) -> None:
        """Read the shown event's links again and list them."""
        record = self.record
        self.setVisible(record is not None)
        self.ends = []
        if record is not None:
            try:
                self.ends = link_service().links_of_event(self.workspace.catalog, record.id)
            except (TimelineError, AttributeError):  # still opening: no database to ask yet
                self.ends = []
        self._fill()

    def _fill(self) -> None:
        self.error_label.hide()
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        self.row_labels = []
        for row, end in enumerate(self.ends):
            label = QLabel(self._row_html(end), self)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
            label.setToolTip(f"Select “{end.other_title}”")
            label.linkActivated.connect(self.eventChosen.emit)
            edit = QToolButton(self)
            edit.setText("Edit")
            edit.setAutoRaise(True)
            edit.setToolTip("Change how the events relate, or the note")
            edit.clicked.connect(lambda _=False, e=end: self.edit_link(e))
            remove = QToolButton(self)
            remove.setText("Remove")
            remove.setAutoRaise(True)
            remove.setToolTip("Remove this link (Undo brings it back)")
            remove.clicked.connect(lambda _=False, e=end: self.remove_link(e))
            self.rows.addWidget(label, row, 0)
            self.rows.addWidget(edit, row, 1, Qt.AlignmentFlag.AlignTop)
            self.rows.addWidget(remove, row, 2, Qt.AlignmentFlag.AlignTop)
            self.row_labels.append(label)
        self.empty_label.setVisible(not self.ends)
        self.fold.set_count(len(self.ends))

    @staticmethod
    def _row_html(end: LinkEnd) -> str:
        year = year_of(end.other_start)
        name = html.escape(f"{year} {end.other_title}" if year else end.other_title)
        text = f"{html.escape(end.words)} {end.arrow} <a href='{end.other_id}'>{name}</a>"
        if end.link.note:
            text += f"<br><span style='color: gray'>{html.escape(end.link.note)}</span>"
        return text

    def row_texts(self) -> list[str]:
        """The links as listed, in plain words ("led to → 2010 S-300 suspension")."""
        return [f"{end.words} {end.arrow} {self._other(end)}" for end in self.ends]

    @staticmethod
    def _other(end: LinkEnd) -> str:
        year = year_of(end.other_start)
        return f"{year} {end.other_title}" if year else end.other_title

    # ---- editing -------------------------------------------------------------------------

    def add_link(self) -> LinkPicker | None:
        if self.record is None:
            return None
        return self._open_picker(LinkPicker(self.workspace, self.record, self.window()))

    def edit_link(self, end: LinkEnd) -> LinkPicker | None:
        if self.record is None:
            return None
        picker = LinkPicker(self.workspace, self.record, self.window(), editing=end)
        return self._open_picker(picker)

    def _open_picker(self, picker: LinkPicker) -> LinkPicker:
        if self.picker is not None:
            self.picker.reject()
        self.picker = picker
        picker.finished.connect(lambda _result, p=picker: self._picker_closed(p))
        picker.open()
        return picker

    def _picker_closed(self, picker: LinkPicker) -> None:
        if self.picker is picker:
            self.picker = None
        picker.deleteLater()

    def remove_link(self, end: LinkEnd) -> None:
        try:
            self.workspace.run(DeleteLinkCommand(self.workspace, end.link.id))
        except TimelineError as error:
            self.error_label.setText(f"Cannot remove the link: {error}")
            self.error_label.show()
