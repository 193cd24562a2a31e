"""The eras dialog: the named periods drawn above the lanes, listed by group; add, edit, delete.

Dates are typed as in the event editor ("2000 – 2008", "7 May 2000", "ongoing") and the
stored reading is shown as they are typed. Every change is an undoable command on the
window's stack and applies at once; the timeline redraws its era strips right away.
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
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.dates import describe_date, describe_span, parse_span
from timeline_app.domain.errors import DateError, TimelineError
from timeline_app.domain.model import EraRecord
from timeline_app.domain.palette import next_colour
from timeline_app.services.catalog import read_era_dates
from timeline_app.ui.commands import AddEraCommand, DeleteEraCommand, EditEraCommand
from timeline_app.ui.event_table import swatch
from timeline_app.ui.manager_parts import ManagerDialog, add_message_and_footer
from timeline_app.ui.workspace import Workspace

NO_GROUP = "Eras"
"""The heading of eras without a group (the timeline labels their strip row the same)."""


def _when(era: EraRecord) -> str:
    try:
        return describe_span(parse_span(era.start, era.end))
    except DateError:
        return era.start


def _dates_text(era: EraRecord) -> tuple[str, str]:
    """The start and end fields for a stored era, as the editor shows them."""
    end = era.end
    if end == "..":
        return era.start, "ongoing"
    if end == "":
        return era.start, "?"
    return era.start, end or ""


class EraManager(ManagerDialog):
    """Manage the eras of the open database; changes apply immediately, with undo."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Eras")
        self.records: list[EraRecord] = []
        self._follow: str | None = None
        self._new_colour = "#888888"

        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Era", "When"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setToolTip("Eras by group: each group is one strip row above the lanes")
        self.tree.setMinimumWidth(420)
        self.tree.setColumnWidth(0, 230)  # room for 'Putin (1st and 2nd terms)'
        left.addWidget(self.tree, 1)
        self.new_button = QPushButton("New era", self)
        self.new_button.setToolTip("Clear the form to type a new era")
        left.addWidget(self.new_button)
        layout.addLayout(left, 11)  # the list: names and dates read in full

        right = QVBoxLayout()
        self.details = QGroupBox("Selected era", self)
        form = QFormLayout(self.details)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = QLineEdit(self.details)
        self.name_edit.setPlaceholderText("e.g. Putin's first presidency")
        self.name_edit.setToolTip("The name written on the era's strip")
        form.addRow("Name", self.name_edit)
        self.start_edit = QLineEdit(self.details)
        self.start_edit.setPlaceholderText("e.g. 7 May 2000, 2000 – 2008")
        self.start_edit.setToolTip(
            "When the era began, as precisely as known (2000, May 2000, 7 May 2000) — or the "
            "whole span, 2000-05-07/2008-05-07"
        )
        self.start_reading = QLabel("", self.details)
        self.start_reading.setObjectName("DateReading")
        self.start_reading.setToolTip("How the date will be read and stored")
        form.addRow("Start", self._stacked(self.start_edit, self.start_reading))
        self.end_edit = QLineEdit(self.details)
        self.end_edit.setPlaceholderText("empty for one date; ongoing; ? when unknown")
        self.end_edit.setToolTip("When the era ended (same forms as the start)")
        self.end_reading = QLabel("", self.details)
        self.end_reading.setObjectName("DateReading")
        self.end_reading.setToolTip("How the date will be read and stored")
        form.addRow("End", self._stacked(self.end_edit, self.end_reading))
        self.colour_button = QPushButton("Change colour…", self.details)
        self.colour_button.setToolTip("Pick the colour of the era's strip and band")
        form.addRow("Colour", self.colour_button)
        self.group_combo = QComboBox(self.details)
        self.group_combo.setEditable(True)
        self.group_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.group_combo.setToolTip(
            "Eras of one group share a strip row (e.g. Russia, Iran, Sanctions); empty: “Eras”"
        )
        form.addRow("Group", self.group_combo)
        self.error_label = QLabel("", self.details)
        self.error_label.setObjectName("FieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        form.addRow("", self.error_label)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save changes", self.details)
        self.save_button.setDefault(True)
        self.delete_button = QPushButton("Delete era", self.details)
        self.delete_button.setToolTip("Remove the selected era (Undo brings it back)")
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        right.addWidget(self.details)

        add_message_and_footer(self, workspace, right)
        layout.addLayout(right, 9)

        self.tree.currentItemChanged.connect(lambda *_items: self._show_selected())
        self.new_button.clicked.connect(self.start_new)
        self.start_edit.textChanged.connect(lambda _text: self._read_dates())
        self.end_edit.textChanged.connect(lambda _text: self._read_dates())
        self.colour_button.clicked.connect(self.pick_colour)
        self.save_button.clicked.connect(self.save)
        self.name_edit.returnPressed.connect(self.save)
        self.start_edit.returnPressed.connect(self.save)
        self.end_edit.returnPressed.connect(self.save)
        self.delete_button.clicked.connect(self.delete_selected)
        self.close_button.clicked.connect(self.close)
        workspace.changed.connect(
            lambda changes: self.reload() if changes.eras or changes.everything else None
        )
        self.resize(1080, 460)
        self.reload()

    @staticmethod
    def _stacked(edit: QLineEdit, reading: QLabel) -> QWidget:
        host = QWidget(edit.parentWidget())
        column = QVBoxLayout(host)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(edit)
        column.addWidget(reading)
        reading.hide()
        return host

    # ---- reading -------------------------------------------------------------------------

    def selected(self) -> EraRecord | None:
        item = self.tree.currentItem()
        era_id = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return next((era for era in self.records if era.id == era_id), None)

    def select(self, era_id: str) -> None:
        for index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(index)
            for row in range(group.childCount()):
                item = group.child(row)
                if item.data(0, Qt.ItemDataRole.UserRole) == era_id:
                    self.tree.setCurrentItem(item)
                    return

    def era_rows(self) -> list[tuple[str, list[str]]]:
        """What the list shows: (group, era names), for tests and screen readers alike."""
        rows = []
        for index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(index)
            rows.append(
                (group.text(0), [group.child(row).text(0) for row in range(group.childCount())])
            )
        return rows

    def reload(self) -> None:
        selected = self.selected()
        current = self._follow or (selected.id if selected else None)
        adding = selected is None and self.tree.currentItem() is None and bool(self.records)
        self._follow = None
        self.records = self.workspace.catalog.eras()
        groups: dict[str, list[EraRecord]] = {}
        for era in self.records:
            groups.setdefault(era.group or NO_GROUP, []).append(era)
        with QSignalBlocker(self.tree):
            self.tree.clear()
            for name, members in groups.items():
                count = len(members)
                heading = QTreeWidgetItem([name, f"{count} era{'' if count == 1 else 's'}"])
                heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = heading.font(0)
                font.setBold(True)
                heading.setFont(0, font)
                self.tree.addTopLevelItem(heading)
                for era in members:
                    item = QTreeWidgetItem([era.name, _when(era)])
                    item.setIcon(0, swatch(era.colour, 12))
                    item.setData(0, Qt.ItemDataRole.UserRole, era.id)
                    item.setToolTip(0, f"{era.name}: {era.start} – {era.end or ''}".rstrip(" –"))
                    heading.addChild(item)
                heading.setExpanded(True)
            self.tree.resizeColumnToContents(1)
        with QSignalBlocker(self.group_combo):
            typed = self.group_combo.currentText()
            self.group_combo.clear()
            self.group_combo.addItems(sorted({era.group for era in self.records if era.group}))
            self.group_combo.setEditText(typed)
        if current is not None:
            self.select(current)
        if self.tree.currentItem() is None and self.records and not adding:
            self.select(self.records[0].id)
        self._show_selected()

    def _show_selected(self) -> None:
        era = self.selected()
        self.delete_button.setEnabled(era is not None)
        self.error_label.hide()
        if era is None:
            self.details.setTitle("New era")
            self.save_button.setText("Add era")
            self.save_button.setToolTip("Add an era with these name, dates, colour and group")
            if not self._new_colour or self._new_colour == "#888888":
                self._new_colour = next_colour([other.colour for other in self.records])
            self._show_colour(self._new_colour)
            return
        self.details.setTitle("Selected era")
        self.save_button.setText("Save changes")
        self.save_button.setToolTip("Store the name, dates and group typed here")
        start, end = _dates_text(era)
        self.name_edit.setText(era.name)
        self.start_edit.setText(start)
        self.end_edit.setText(end)
        self.group_combo.setEditText(era.group)
        self._show_colour(era.colour)
        self._read_dates()

    def _show_colour(self, colour: str) -> None:
        self.colour_button.setIcon(swatch(colour, 14))
        self.colour_button.setText(f"{colour}  Change…")

    def _read_dates(self) -> tuple[str, str | None] | None:
        """Show how the typed dates read; None (and the problem shown) when they do not."""
        for label in (self.start_reading, self.end_reading):
            label.hide()
        self.error_label.hide()
        start_text = self.start_edit.text().strip()
        end_text = self.end_edit.text().strip()
        if not start_text:
            return None
        try:
            start, end = read_era_dates(start_text, end_text)
            span = parse_span(start, end)
        except DateError as error:
            message = error.message.split(" (Error at")[0]
            self._show_error(f"{error.field}: {message}")
            return None
        if end_text:  # the end typed on its own: each field shows its own reading
            self._show_reading(self.start_reading, f"→ {describe_date(span.start)}   ({start})")
            if span.end is not None:
                self._show_reading(self.end_reading, f"→ {describe_date(span.end)}   ({end})")
        else:  # one date, or a whole span typed as the start
            stored = start if end is None else f"{start}/{end}"
            self._show_reading(self.start_reading, f"→ {describe_span(span)}   ({stored})")
        return start, end

    @staticmethod
    def _show_reading(label: QLabel, text: str) -> None:
        label.setText(text)
        label.show()

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    # ---- changing ------------------------------------------------------------------------

    def _show_failure(self, error: TimelineError) -> None:
        self._show_error(str(error))

    def start_new(self) -> None:
        """Empty the form for a new era (the list keeps no selection meanwhile)."""
        with QSignalBlocker(self.tree):
            self.tree.setCurrentItem(None)  # type: ignore[arg-type]
            self.tree.clearSelection()
        self._new_colour = next_colour([era.colour for era in self.records])
        for edit in (self.name_edit, self.start_edit, self.end_edit):
            edit.clear()
        self.group_combo.setEditText("")
        self._show_selected()
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def pick_colour(self) -> None:
        era = self.selected()
        current = era.colour if era is not None else self._new_colour
        title = f"Colour of “{era.name}”" if era is not None else "Colour of the new era"
        colour = QColorDialog.getColor(QColor(current), self, title)
        if not colour.isValid():
            return
        value = colour.name().upper()
        if era is None:
            self._new_colour = value
            self._show_colour(value)
        elif value != era.colour.upper():
            command = EditEraCommand(
                self.workspace, era.id, f"Recolour era “{era.name}”", colour=value
            )
            self._run(command, f"Recoloured “{era.name}”", follow=era.id)

    def save(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self._show_error("name: type the era's name")
            return
        if not self.start_edit.text().strip():
            self._show_error("start: type when the era began")
            return
        dates = self._read_dates()
        if dates is None:
            return
        group = self.group_combo.currentText().strip()
        era = self.selected()
        if era is None:
            command = AddEraCommand(
                self.workspace, name, dates[0], dates[1], self._new_colour, group
            )
            if self._run(command, f"Added era “{name}”"):
                assert command.record is not None
                self.select(command.record.id)
            return
        if (name, dates[0], dates[1], group) == (era.name, era.start, era.end, era.group):
            self.message.setText("Nothing to save: the era is as typed.")
            return
        self._run(
            EditEraCommand(
                self.workspace,
                era.id,
                f"Edit era “{era.name}”",
                name=name,
                start=self.start_edit.text(),
                end=self.end_edit.text(),
                group=group,
            ),
            f"Saved era “{name}”",
            follow=era.id,
        )

    def delete_selected(self) -> None:
        era = self.selected()
        if era is None:
            return
        self._run(DeleteEraCommand(self.workspace, era), f"Deleted era “{era.name}”")
