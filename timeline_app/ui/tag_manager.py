"""The tags dialog: every tag with how many events cite it; rename, merge and delete.

Like the categories dialog, every change is an undoable command on the window's stack and
applies at once. Renaming a tag to a name another tag has offers to merge the two; deleting
a tag that events cite asks first, naming how many events lose it.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timeline_app.services.catalog import TagUse
from timeline_app.ui.commands import (
    DeleteTagCommand,
    MergeTagsCommand,
    RenameTagCommand,
)
from timeline_app.ui.manager_parts import ManagerDialog, add_message_and_footer, events_text
from timeline_app.ui.workspace import Workspace


class TagManager(ManagerDialog):
    """Manage the tags of the open database; changes apply immediately, with undo."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Tags")
        self.records: list[TagUse] = []
        self._follow: str | None = None

        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find a tag")
        self.search.setToolTip("Show only the tags whose name contains this text")
        self.search.setClearButtonEnabled(True)
        left.addWidget(self.search)
        self.list = QListWidget(self)
        self.list.setToolTip("Every tag, with how many events cite it")
        self.list.setMinimumWidth(240)
        left.addWidget(self.list, 1)
        self.total_label = QLabel("", self)
        self.total_label.setObjectName("InspectorMeta")
        left.addWidget(self.total_label)
        layout.addLayout(left, 1)

        right = QVBoxLayout()
        details = QGroupBox("Selected tag", self)
        form = QFormLayout(details)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        name_row = QHBoxLayout()
        self.name_edit = QLineEdit(details)
        self.name_edit.setToolTip("The tag's name; press Rename (or Enter) to apply")
        self.rename_button = QPushButton("Rename", details)
        self.rename_button.setToolTip(
            "Give the tag the name typed on the left; every event citing it follows"
        )
        name_row.addWidget(self.name_edit, 1)
        name_row.addWidget(self.rename_button)
        form.addRow("Name", name_row)
        self.count_label = QLabel("", details)
        form.addRow("Cited by", self.count_label)
        right.addWidget(details)

        merge_box = QGroupBox("Merge or delete", self)
        merge_form = QFormLayout(merge_box)
        merge_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.target_combo = QComboBox(merge_box)
        self.target_combo.setToolTip("The tag that the events citing the selected one get")
        merge_form.addRow("Other tag", self.target_combo)
        merge_buttons = QHBoxLayout()
        self.merge_button = QPushButton("Merge into it", merge_box)
        self.merge_button.setToolTip(
            "Events citing the selected tag cite the other one instead; the selected tag goes"
        )
        self.delete_button = QPushButton("Delete tag…", merge_box)
        self.delete_button.setToolTip("Remove the selected tag, and from every event citing it")
        merge_buttons.addWidget(self.merge_button)
        merge_buttons.addWidget(self.delete_button)
        merge_buttons.addStretch(1)
        merge_form.addRow("", merge_buttons)
        self.fate_label = QLabel("", merge_box)
        self.fate_label.setWordWrap(True)
        self.fate_label.setObjectName("InspectorMeta")
        merge_form.addRow("", self.fate_label)
        right.addWidget(merge_box)

        add_message_and_footer(self, workspace, right)
        layout.addLayout(right, 1)

        self.list.currentRowChanged.connect(lambda _row: self._show_selected())
        self.search.textChanged.connect(lambda _text: self.reload())
        self.rename_button.clicked.connect(self.rename_selected)
        self.name_edit.returnPressed.connect(self.rename_selected)
        self.target_combo.activated.connect(lambda _index: self._show_fate())
        self.merge_button.clicked.connect(self.merge_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.close_button.clicked.connect(self.close)
        workspace.changed.connect(lambda changes: self.reload() if changes.names else None)
        self.resize(680, 400)
        self.reload()

    # ---- reading -------------------------------------------------------------------------

    def _shown(self) -> list[TagUse]:
        words = self.search.text().strip().casefold()
        return [tag for tag in self.records if words in tag.name.casefold()]

    def selected(self) -> TagUse | None:
        item = self.list.currentItem()
        if item is None:
            return None
        name = item.data(Qt.ItemDataRole.UserRole)
        return next((tag for tag in self.records if tag.name == name), None)

    def select(self, name: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentRow(row)
                return

    def reload(self) -> None:
        if not self.isVisible() and self.records and self._follow is None:
            return  # closed: read again when shown
        current = self._follow or (self.selected().name if self.selected() else None)
        self._follow = None
        self.records = self.workspace.catalog.tag_uses()
        with QSignalBlocker(self.list):
            self.list.clear()
            for tag in self._shown():
                item = QListWidgetItem(f"{tag.name}   ·  {events_text(tag.event_count)}")
                item.setData(Qt.ItemDataRole.UserRole, tag.name)
                self.list.addItem(item)
        if current is not None:
            self.select(current)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        unused = sum(1 for tag in self.records if tag.event_count == 0)
        count = len(self.records)
        self.total_label.setText(
            f"{count} tag{'' if count == 1 else 's'}" + (f", {unused} unused" if unused else "")
        )
        self._show_selected()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    def _show_selected(self) -> None:
        tag = self.selected()
        for widget in (
            self.name_edit,
            self.rename_button,
            self.target_combo,
            self.merge_button,
            self.delete_button,
        ):
            widget.setEnabled(tag is not None)
        if tag is None:
            self.name_edit.clear()
            self.count_label.setText("")
            self.fate_label.setText("No tag to show." if not self.records else "")
            return
        self.name_edit.setText(tag.name)
        self.count_label.setText(events_text(tag.event_count))
        chosen = self.target_combo.currentData()
        with QSignalBlocker(self.target_combo):
            self.target_combo.clear()
            for other in self.records:
                if other.name != tag.name:
                    self.target_combo.addItem(
                        f"{other.name}  ({events_text(other.event_count)})", other.name
                    )
            self.target_combo.setCurrentIndex(max(0, self.target_combo.findData(chosen)))
        self.merge_button.setEnabled(self.target_combo.count() > 0)
        self._show_fate()

    def _show_fate(self) -> None:
        tag = self.selected()
        if tag is None:
            return
        target = self.target_combo.currentData()
        if tag.event_count == 0:
            text = "No event cites it: Delete simply removes it."
        elif target:
            one = tag.event_count == 1
            text = (
                f"Merge: its {events_text(tag.event_count)} "
                f"{'cites' if one else 'cite'} “{target}” instead. "
                f"Delete: {'it loses' if one else 'they lose'} the tag. Both can be undone."
            )
        else:
            verb = "loses" if tag.event_count == 1 else "lose"
            text = f"Delete: its {events_text(tag.event_count)} {verb} the tag (undoable)."
        self.fate_label.setText(text)

    # ---- changing ------------------------------------------------------------------------

    def rename_selected(self) -> None:
        tag = self.selected()
        new_name = self.name_edit.text().strip()
        if tag is None or new_name == tag.name:
            return
        if not new_name:
            self.message.setText("Type the tag's new name first.")
            return
        existing = next((other for other in self.records if other.name == new_name), None)
        if existing is not None:
            answer = QMessageBox.question(
                self,
                "Tags",
                f"A tag named “{new_name}” already exists "
                f"({events_text(existing.event_count)}).\n\n"
                f"Merge “{tag.name}” into it? Its {events_text(tag.event_count)} will cite "
                f"“{new_name}” instead.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self._merge(tag, new_name)
            return
        self._run(
            RenameTagCommand(self.workspace, tag.name, new_name, tag.event_count),
            f"Renamed “{tag.name}” to “{new_name}”",
            follow=new_name,
        )

    def merge_selected(self) -> None:
        tag = self.selected()
        target = self.target_combo.currentData()
        if tag is not None and target:
            self._merge(tag, target)

    def _merge(self, tag: TagUse, target: str) -> None:
        self._run(
            MergeTagsCommand(self.workspace, tag.name, target, tag.event_count),
            f"Merged “{tag.name}” into “{target}”",
            follow=target,
        )

    def delete_selected(self) -> None:
        tag = self.selected()
        if tag is None:
            return
        if tag.event_count:
            answer = QMessageBox.question(
                self,
                "Delete tag",
                f"Remove the tag “{tag.name}” from {events_text(tag.event_count)} and delete "
                "it?\n\nUndo puts it back on the same events.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._run(
            DeleteTagCommand(self.workspace, tag.name, tag.event_count),
            f"Deleted “{tag.name}”"
            + (f", removed from {events_text(tag.event_count)}" if tag.event_count else ""),
        )
