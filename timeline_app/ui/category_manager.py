"""The categories dialog: add, rename, recolour, reorder, nest, merge and delete categories.

Every change is an undoable command on the window's stack, so the dialog applies changes at
once (no OK/Cancel) and offers Undo/Redo itself. A category with events can only be deleted
after choosing where its events go.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.model import CategoryRecord
from timeline_app.ui.commands import (
    AddCategoryCommand,
    DeleteCategoryCommand,
    EditCategoryCommand,
    MergeCategoriesCommand,
    ReorderCategoriesCommand,
)
from timeline_app.ui.event_table import swatch
from timeline_app.ui.manager_parts import ManagerDialog, add_message_and_footer, events_text
from timeline_app.ui.workspace import Workspace

TOP_LEVEL = "— top level —"


class CategoryManager(ManagerDialog):
    """Manage the categories of the open database; changes apply immediately, with undo."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Categories")
        self.records: list[CategoryRecord] = []
        self._follow: str | None = None

        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.list = QListWidget(self)
        self.list.setToolTip("Categories in lane order; nested ones are indented")
        self.list.setMinimumWidth(260)
        left.addWidget(self.list, 1)
        order = QHBoxLayout()
        self.up_button = QPushButton("Move up", self)
        self.up_button.setToolTip("Move the category one lane up")
        self.down_button = QPushButton("Move down", self)
        self.down_button.setToolTip("Move the category one lane down")
        order.addWidget(self.up_button)
        order.addWidget(self.down_button)
        left.addLayout(order)
        adder = QHBoxLayout()
        self.new_name = QLineEdit(self)
        self.new_name.setPlaceholderText("New category name")
        self.new_name.setToolTip("Name of a category to add")
        self.add_button = QPushButton("Add", self)
        self.add_button.setToolTip("Add a category with this name (a free colour is picked)")
        adder.addWidget(self.new_name, 1)
        adder.addWidget(self.add_button)
        left.addLayout(adder)
        layout.addLayout(left, 1)

        right = QVBoxLayout()
        details = QGroupBox("Selected category", self)
        form = QFormLayout(details)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        name_row = QHBoxLayout()
        self.name_edit = QLineEdit(details)
        self.name_edit.setToolTip("The category's name; press Rename to apply")
        self.rename_button = QPushButton("Rename", details)
        self.rename_button.setToolTip("Give the category the name typed on the left")
        name_row.addWidget(self.name_edit, 1)
        name_row.addWidget(self.rename_button)
        form.addRow("Name", name_row)
        self.colour_button = QPushButton("Change colour…", details)
        self.colour_button.setToolTip("Pick the colour of the category's marks and lane")
        form.addRow("Colour", self.colour_button)
        self.parent_combo = QComboBox(details)
        self.parent_combo.setToolTip("Nest the category under another one, or keep it at the top")
        form.addRow("Parent", self.parent_combo)
        self.description_edit = QLineEdit(details)
        self.description_edit.setPlaceholderText("What belongs here (optional)")
        self.description_edit.setToolTip("A note on what belongs in this category; Enter applies")
        form.addRow("Description", self.description_edit)
        self.count_label = QLabel("", details)
        form.addRow("Events", self.count_label)
        right.addWidget(details)

        merge_box = QGroupBox("Merge or delete", self)
        merge_form = QFormLayout(merge_box)
        self.target_combo = QComboBox(merge_box)
        self.target_combo.setToolTip("The category that receives the events")
        merge_form.addRow("Other category", self.target_combo)
        merge_buttons = QHBoxLayout()
        self.merge_button = QPushButton("Merge into it", merge_box)
        self.merge_button.setToolTip(
            "Move every event of the selected category into the other one and remove it"
        )
        self.delete_button = QPushButton("Delete", merge_box)
        self.delete_button.setToolTip(
            "Delete the selected category; its events, if any, move to the other category"
        )
        merge_buttons.addWidget(self.merge_button)
        merge_buttons.addWidget(self.delete_button)
        merge_form.addRow("", merge_buttons)
        self.fate_label = QLabel("", merge_box)
        self.fate_label.setWordWrap(True)
        self.fate_label.setObjectName("InspectorMeta")
        merge_form.addRow("", self.fate_label)
        right.addWidget(merge_box)

        add_message_and_footer(self, workspace, right)
        layout.addLayout(right, 1)

        self.list.currentRowChanged.connect(lambda _row: self._show_selected())
        self.add_button.clicked.connect(self.add_category)
        self.new_name.returnPressed.connect(self.add_category)
        self.rename_button.clicked.connect(self.rename_selected)
        self.name_edit.returnPressed.connect(self.rename_selected)
        self.colour_button.clicked.connect(self.recolour_selected)
        self.parent_combo.activated.connect(lambda _index: self.reparent_selected())
        self.description_edit.editingFinished.connect(self.describe_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.merge_button.clicked.connect(self.merge_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.close_button.clicked.connect(self.close)
        workspace.categoriesChanged.connect(self.reload)
        workspace.eventsChanged.connect(lambda _ids: self.reload())
        self.resize(720, 440)
        self.reload()

    # ---- reading -------------------------------------------------------------------------

    def selected(self) -> CategoryRecord | None:
        row = self.list.currentRow()
        return self.records[row] if 0 <= row < len(self.records) else None

    def select(self, name: str) -> None:
        for row, record in enumerate(self.records):
            if record.name == name:
                self.list.setCurrentRow(row)
                return

    def reload(self) -> None:
        current = self._follow or (self.selected().name if self.selected() else None)
        self._follow = None
        self.records = self.workspace.catalog.categories()
        depth = self._depths()
        with QSignalBlocker(self.list):
            self.list.clear()
            for record in self.records:
                item = QListWidgetItem(
                    swatch(record.colour, 14),
                    "    " * depth[record.name] + f"{record.name}   ·  "
                    f"{events_text(record.event_count)}",
                )
                item.setData(Qt.ItemDataRole.UserRole, record.name)
                item.setToolTip(record.description or record.name)
                self.list.addItem(item)
        if current is not None:
            self.select(current)
        if self.list.currentRow() < 0 and self.records:
            self.list.setCurrentRow(0)
        self._show_selected()

    def _depths(self) -> dict[str, int]:
        parents = {record.name: record.parent for record in self.records}
        depth: dict[str, int] = {}
        for name in parents:
            level, seen, parent = 0, {name}, parents.get(name)
            while parent and parent not in seen:
                level += 1
                seen.add(parent)
                parent = parents.get(parent)
            depth[name] = level
        return depth

    def _show_selected(self) -> None:
        record = self.selected()
        enabled = record is not None
        for widget in (
            self.name_edit,
            self.rename_button,
            self.colour_button,
            self.parent_combo,
            self.description_edit,
            self.target_combo,
            self.merge_button,
            self.delete_button,
        ):
            widget.setEnabled(enabled)
        row = self.list.currentRow()
        self.up_button.setEnabled(enabled and row > 0)
        self.down_button.setEnabled(enabled and row < len(self.records) - 1)
        if record is None:
            return
        self.name_edit.setText(record.name)
        self.description_edit.setText(record.description)
        self.colour_button.setIcon(swatch(record.colour, 14))
        self.colour_button.setText(f"{record.colour}  Change…")
        self.count_label.setText(events_text(record.event_count))
        others = [other.name for other in self.records if other.name != record.name]
        with QSignalBlocker(self.parent_combo):
            self.parent_combo.clear()
            self.parent_combo.addItem(TOP_LEVEL, None)
            for name in others:
                self.parent_combo.addItem(name, name)
            self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(record.parent)))
        chosen = self.target_combo.currentData()
        with QSignalBlocker(self.target_combo):
            self.target_combo.clear()
            for other in self.records:
                if other.name != record.name:
                    self.target_combo.addItem(swatch(other.colour), other.name, other.name)
            index = self.target_combo.findData(chosen)
            self.target_combo.setCurrentIndex(max(0, index))
        has_target = self.target_combo.count() > 0
        self.merge_button.setEnabled(has_target)
        self.delete_button.setEnabled(record.event_count == 0 or has_target)
        self.fate_label.setText(
            "It has no events: Delete simply removes it."
            if record.event_count == 0
            else f"Merge or Delete moves its {events_text(record.event_count)} to the other "
            "category; both can be undone."
        )

    # ---- changing ------------------------------------------------------------------------

    def add_category(self) -> None:
        name = self.new_name.text().strip()
        if not name:
            self.message.setText("Type a name for the new category first.")
            return
        if self._run(AddCategoryCommand(self.workspace, name), f"Added “{name}”", follow=name):
            self.new_name.clear()

    def rename_selected(self) -> None:
        record = self.selected()
        new_name = self.name_edit.text().strip()
        if record is None or new_name == record.name:
            return
        self._run(
            EditCategoryCommand(self.workspace, record.name, new_name=new_name),
            f"Renamed “{record.name}” to “{new_name}”",
            follow=new_name,
        )

    def recolour_selected(self) -> None:
        record = self.selected()
        if record is None:
            return
        colour = QColorDialog.getColor(QColor(record.colour), self, f"Colour of “{record.name}”")
        if not colour.isValid():
            return
        value = colour.name().upper()
        if value != record.colour.upper():
            self._run(
                EditCategoryCommand(self.workspace, record.name, colour=value),
                f"Recoloured “{record.name}”",
                follow=record.name,
            )

    def reparent_selected(self) -> None:
        record = self.selected()
        if record is None:
            return
        parent = self.parent_combo.currentData()
        if parent == record.parent:
            return
        self._run(
            EditCategoryCommand(self.workspace, record.name, parent=parent),
            f"Moved “{record.name}” under “{parent}”"
            if parent
            else f"Moved “{record.name}” to the top level",
            follow=record.name,
        )

    def describe_selected(self) -> None:
        record = self.selected()
        text = self.description_edit.text().strip()
        if record is None or text == record.description:
            return
        self._run(
            EditCategoryCommand(self.workspace, record.name, description=text),
            f"Described “{record.name}”",
            follow=record.name,
        )

    def move_selected(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if not (0 <= row < len(self.records) and 0 <= target < len(self.records)):
            return
        names = [record.name for record in self.records]
        names[row], names[target] = names[target], names[row]
        self._run(
            ReorderCategoriesCommand(self.workspace, names), "Reordered", follow=names[target]
        )

    def merge_selected(self) -> None:
        record = self.selected()
        target = self.target_combo.currentData()
        if record is None or not target:
            return
        self._run(
            MergeCategoriesCommand(self.workspace, record.name, target),
            f"Merged “{record.name}” into “{target}”",
            follow=target,
        )

    def delete_selected(self) -> None:
        record = self.selected()
        if record is None:
            return
        move_to = self.target_combo.currentData() if record.event_count else None
        if record.event_count and not move_to:
            self.message.setText("Choose the category that receives its events first.")
            return
        self._run(
            DeleteCategoryCommand(self.workspace, record.name, move_to),
            f"Deleted “{record.name}”" + (f", its events moved to “{move_to}”" if move_to else ""),
            follow=move_to,
        )
