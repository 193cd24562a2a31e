"""The sources dialog: every shared source with its grade and how many events cite it;
search, edit, merge duplicates, and show the events citing one.

Like the other managers, every change is an undoable command on the window's stack and
applies at once. A source's reliability (A–F) is edited here because it belongs to the
source; the credibility of what it says (1–6) belongs to each citation and is edited in the
inspector.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.changes import Changes
from timeline_app.domain.errors import TimelineError, ValidationError
from timeline_app.domain.evidence import RELIABILITY_WORDS, SOURCE_KIND_LABELS
from timeline_app.services import sources
from timeline_app.services.sources import SourceRecord
from timeline_app.ui.manager_parts import ManagerDialog, add_message_and_footer, events_text
from timeline_app.ui.source_commands import EditSourceCommand, MergeSourcesCommand
from timeline_app.ui.workspace import Workspace

COLUMNS = ("Title", "Publisher", "Kind", "Reliability", "Language", "Published", "Events")
COUNT_COLUMN = COLUMNS.index("Events")


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def reliability_label(letter: str) -> str:
    """ "B — Usually reliable": how a reliability is offered in a pick list."""
    return f"{letter} — {RELIABILITY_WORDS[letter]}"


class SourceManager(ManagerDialog):
    """Manage the shared sources of the open database; changes apply at once, with undo."""

    citingRequested = Signal(str, str)  # (source id, title): show the events citing it

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Sources")
        self.records: list[SourceRecord] = []
        self._follow: str | None = None

        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find a source by title, publisher or address")
        self.search.setToolTip(
            "Show only the sources whose title, publisher or URL contain every word"
        )
        self.search.setClearButtonEnabled(True)
        left.addWidget(self.search)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setToolTip("Every source, with how many events cite it; click a header to sort")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 100), (2, 112)):
            self.table.setColumnWidth(column, width)
        metrics = header.fontMetrics()
        for column in range(3, len(COLUMNS)):  # short values: header or a full date decides
            widest = max(COLUMNS[column], "2015-07-14" if column == 5 else "", key=len)
            self.table.setColumnWidth(column, metrics.horizontalAdvance(widest) + 30)
        self.table.setMinimumWidth(700)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        left.addWidget(self.table, 1)
        self.total_label = QLabel("", self)
        self.total_label.setObjectName("InspectorMeta")
        left.addWidget(self.total_label)
        layout.addLayout(left, 2)

        right = QVBoxLayout()
        self.details = QGroupBox("Selected source", self)
        form = QFormLayout(self.details)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title_edit = QLineEdit(self.details)
        self.title_edit.setToolTip(
            "The article's or document's title, as every citing event shows it"
        )
        self.publisher_edit = QLineEdit(self.details)
        self.publisher_edit.setToolTip("Who published it: a newspaper, an agency, a ministry")
        self.url_edit = QLineEdit(self.details)
        self.url_edit.setPlaceholderText("https://… (optional)")
        self.url_edit.setToolTip("The source's address; empty for a printed report or a wire")
        self.published_edit = QLineEdit(self.details)
        self.published_edit.setPlaceholderText("e.g. 2015-07-14 (optional)")
        self.published_edit.setToolTip("When it was published (2015, 2015-07, 2015-07-14)")
        self.language_edit = QLineEdit(self.details)
        self.language_edit.setPlaceholderText("e.g. en, ru, fa")
        self.language_edit.setToolTip("The language it is written in, as a short code")
        self.kind_combo = QComboBox(self.details)
        for kind, label in SOURCE_KIND_LABELS.items():
            self.kind_combo.addItem(label, str(kind))
        self.kind_combo.setToolTip("What sort of publication it is")
        self.reliability_combo = QComboBox(self.details)
        for letter in RELIABILITY_WORDS:
            self.reliability_combo.addItem(reliability_label(letter), letter)
        self.reliability_combo.setToolTip(
            "The source's reliability on the Admiralty scale (A best, F: cannot be judged); "
            "the credibility of each claim (1–6) is graded per event in the inspector"
        )
        self.fields: dict[str, QWidget] = {
            "title": self.title_edit,
            "publisher": self.publisher_edit,
            "url": self.url_edit,
            "published": self.published_edit,
            "language": self.language_edit,
            "kind": self.kind_combo,
            "reliability": self.reliability_combo,
        }
        for name, label in (
            ("title", "Title"),
            ("publisher", "Publisher"),
            ("url", "URL"),
            ("published", "Published"),
            ("language", "Language"),
            ("kind", "Kind"),
            ("reliability", "Reliability"),
        ):
            form.addRow(label, self.fields[name])
        self.error_label = QLabel("", self.details)
        self.error_label.setObjectName("FieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        form.addRow("", self.error_label)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save changes", self.details)
        self.save_button.setToolTip("Apply the fields above; every event citing the source follows")
        self.revert_button = QPushButton("Revert", self.details)
        self.revert_button.setToolTip("Show the stored fields again")
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        citing = QHBoxLayout()
        self.count_label = QLabel("", self.details)
        self.show_citing_button = QPushButton("Show citing events", self.details)
        self.show_citing_button.setToolTip(
            "Filter the timeline and the table to the events citing this source"
        )
        citing.addWidget(self.count_label, 1)
        citing.addWidget(self.show_citing_button)
        form.addRow("Cited by", citing)
        right.addWidget(self.details)

        merge_box = QGroupBox("Merge a duplicate", self)
        merge_form = QFormLayout(merge_box)
        merge_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.target_combo = QComboBox(merge_box)
        self.target_combo.setToolTip("The source to keep: the selected one's citations move to it")
        self.target_combo.setMinimumContentsLength(24)
        self.target_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        merge_form.addRow("Keep", self.target_combo)
        self.merge_button = QPushButton("Merge into it", merge_box)
        self.merge_button.setToolTip(
            "Events citing the selected source cite the one to keep instead; the selected "
            "source goes (Undo brings it back, with every citation as it was)"
        )
        merge_row = QHBoxLayout()
        merge_row.addWidget(self.merge_button)
        merge_row.addStretch(1)
        merge_form.addRow("", merge_row)
        self.fate_label = QLabel("", merge_box)
        self.fate_label.setWordWrap(True)
        self.fate_label.setObjectName("InspectorMeta")
        merge_form.addRow("", self.fate_label)
        right.addWidget(merge_box)

        add_message_and_footer(self, workspace, right)
        layout.addLayout(right, 1)

        self.table.itemSelectionChanged.connect(self._show_selected)
        self.search.textChanged.connect(lambda _text: self._fill_table())
        self.save_button.clicked.connect(self.save_selected)
        self.revert_button.clicked.connect(self._show_selected)
        for edit in (
            self.title_edit,
            self.publisher_edit,
            self.url_edit,
            self.published_edit,
            self.language_edit,
        ):
            edit.textEdited.connect(lambda _text: self._update_buttons())
            edit.returnPressed.connect(self.save_selected)
        for combo in (self.kind_combo, self.reliability_combo):
            combo.activated.connect(lambda _index: self._update_buttons())
        self.target_combo.activated.connect(lambda _index: self._show_fate())
        self.merge_button.clicked.connect(self.merge_selected)
        self.show_citing_button.clicked.connect(self.show_citing)
        self.close_button.clicked.connect(self.close)
        workspace.changed.connect(self._on_changed)
        self.resize(1240, 600)
        self.reload()

    # ---- reading -------------------------------------------------------------------------

    def _on_changed(self, changes: Changes) -> None:
        if changes.sources or changes.everything or changes.events:
            self.reload()

    def selected(self) -> SourceRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        source_id = self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return next((record for record in self.records if record.id == source_id), None)

    def select(self, source_id: str) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == source_id:
                self.table.selectRow(row)
                self.table.scrollToItem(self.table.item(row, 0))
                return

    def shown_ids(self) -> list[str]:
        """The sources listed now, top to bottom."""
        return [
            self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
            for row in range(self.table.rowCount())
        ]

    def reload(self) -> None:
        if not self.isVisible() and self.records and self._follow is None:
            return  # closed: read again when shown
        current = self._follow or (self.selected().id if self.selected() else None)
        self._follow = None
        self.records = sources.source_records(self.workspace.catalog)
        self._fill_table(current)
        ungraded = sum(1 for record in self.records if record.reliability == "F")
        unused = sum(1 for record in self.records if record.event_count == 0)
        count = len(self.records)
        parts = [f"{count:,} source{'' if count == 1 else 's'}"]
        if ungraded:
            parts.append(f"{ungraded:,} of unjudged reliability (F)")
        if unused:
            parts.append(f"{unused:,} cited by no event")
        self.total_label.setText(", ".join(parts))

    def _fill_table(self, current: str | None = None) -> None:
        if current is None:
            chosen = self.selected()
            current = chosen.id if chosen is not None else None
        shown = sources.matching(self.records, self.search.text())
        with QSignalBlocker(self.table):
            self.table.setSortingEnabled(False)
            self.table.clearContents()
            self.table.setRowCount(len(shown))
            for row, record in enumerate(shown):
                self._fill_row(row, record)
            self.table.setSortingEnabled(True)
        if current is not None:
            self.select(current)
        if not self.table.selectionModel().selectedRows() and self.table.rowCount():
            self.table.selectRow(0)
        self._show_selected()

    def _fill_row(self, row: int, record: SourceRecord) -> None:
        texts = (
            record.title,
            record.publisher,
            SOURCE_KIND_LABELS.get(record.kind, record.kind),
            record.reliability,
            record.language,
            record.published or "",
        )
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            self.table.setItem(row, column, item)
        title_item = self.table.item(row, 0)
        title_item.setData(Qt.ItemDataRole.UserRole, record.id)
        title_item.setToolTip(f"{record.title}\n{record.url}" if record.url else record.title)
        grade_item = self.table.item(row, 3)
        grade_item.setToolTip(reliability_label(record.reliability))
        grade_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        count_item = QTableWidgetItem()
        count_item.setData(Qt.ItemDataRole.DisplayRole, record.event_count)
        count_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        count_item.setToolTip(f"Cited by {events_text(record.event_count)}")
        self.table.setItem(row, COUNT_COLUMN, count_item)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    def _show_selected(self) -> None:
        record = self.selected()
        for widget in (*self.fields.values(), self.target_combo, self.show_citing_button):
            widget.setEnabled(record is not None)
        self._show_error("", "")
        if record is None:
            for edit in (
                self.title_edit,
                self.publisher_edit,
                self.url_edit,
                self.published_edit,
                self.language_edit,
            ):
                edit.clear()
            self.count_label.setText("")
            self.fate_label.setText("No source to show." if not self.records else "")
            self.target_combo.clear()
            self._update_buttons()
            return
        self.title_edit.setText(record.title)
        self.publisher_edit.setText(record.publisher)
        self.url_edit.setText(record.url)
        self.published_edit.setText(record.published or "")
        self.language_edit.setText(record.language)
        for edit in (self.title_edit, self.publisher_edit, self.url_edit):
            edit.setCursorPosition(0)  # a long title reads from its start, not its end
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(record.kind)))
        self.reliability_combo.setCurrentIndex(
            max(0, self.reliability_combo.findData(record.reliability))
        )
        self.count_label.setText(events_text(record.event_count))
        self.show_citing_button.setEnabled(record.event_count > 0)
        chosen = self.target_combo.currentData()
        with QSignalBlocker(self.target_combo):
            self.target_combo.clear()
            for other in self._merge_candidates(record):
                publisher = f" — {other.publisher}" if other.publisher else ""
                self.target_combo.addItem(
                    f"{other.title}{publisher}  ({events_text(other.event_count)})", other.id
                )
            self.target_combo.setCurrentIndex(max(0, self.target_combo.findData(chosen)))
        self._update_buttons()
        self._show_fate()

    def _merge_candidates(self, record: SourceRecord) -> list[SourceRecord]:
        """The other sources, likely duplicates first (same address, title or publisher)."""

        def likeness(other: SourceRecord) -> tuple:
            same_url = bool(record.url) and other.url == record.url
            same_title = other.title.casefold() == record.title.casefold()
            same_publisher = bool(record.publisher) and (
                other.publisher.casefold() == record.publisher.casefold()
            )
            return (not same_url, not same_title, not same_publisher, other.title.casefold())

        return sorted((other for other in self.records if other.id != record.id), key=likeness)

    def _form_values(self) -> dict[str, object]:
        return {
            "title": self.title_edit.text(),
            "publisher": self.publisher_edit.text(),
            "url": self.url_edit.text(),
            "published": self.published_edit.text().strip() or None,
            "language": self.language_edit.text(),
            "kind": self.kind_combo.currentData(),
            "reliability": self.reliability_combo.currentData(),
        }

    def _edited_values(self) -> dict[str, object]:
        """The fields whose text differs from the stored source's."""
        record = self.selected()
        if record is None:
            return {}
        stored = record.fields()
        return {
            name: value
            for name, value in self._form_values().items()
            if (value.strip() if isinstance(value, str) else value) != stored[name]
        }

    def _update_buttons(self) -> None:
        edited = bool(self._edited_values())
        self.save_button.setEnabled(edited)
        self.revert_button.setEnabled(edited)
        self.merge_button.setEnabled(self.selected() is not None and self.target_combo.count() > 0)

    def _show_fate(self) -> None:
        record = self.selected()
        if record is None:
            return
        kept_id = self.target_combo.currentData()
        kept = next((other.title for other in self.records if other.id == kept_id), "")
        if not self.target_combo.count():
            self.fate_label.setText("There is no other source to merge it into.")
            return
        self.fate_label.setText(
            f"Merge: its {events_text(record.event_count)} "
            f"{'cites' if record.event_count == 1 else 'cite'} “{kept}” instead (an event "
            "citing both keeps one citation), and the selected source goes. Undoable."
        )

    def _show_error(self, field: str, message: str) -> None:
        self.error_label.setText(f"{field}: {message}" if field else "")
        self.error_label.setVisible(bool(field))
        for name, widget in self.fields.items():
            widget.setProperty("invalid", name == field)
            _repolish(widget)

    # ---- changing ------------------------------------------------------------------------

    def _show_failure(self, error: TimelineError) -> None:
        if isinstance(error, ValidationError):  # a field of the form: mark it
            self._show_error(error.field, error.message)
        else:
            super()._show_failure(error)

    def save_selected(self) -> None:
        record = self.selected()
        values = self._edited_values()
        if record is None or not values:
            return
        try:
            sources.checked_fields(**values)
        except ValidationError as error:
            self._show_error(error.field, error.message)
            return
        self._run(
            EditSourceCommand(self.workspace, record, **values),
            f"Saved “{values.get('title', record.title)}”",
            follow=record.id,
        )

    def merge_selected(self) -> None:
        record = self.selected()
        kept_id = self.target_combo.currentData()
        kept = next((other for other in self.records if other.id == kept_id), None)
        if record is None or kept is None:
            return
        self._run(
            MergeSourcesCommand(self.workspace, record, kept),
            f"Merged “{record.title}” into “{kept.title}”",
            follow=kept.id,
        )

    def show_citing(self) -> None:
        record = self.selected()
        if record is not None:
            self.citingRequested.emit(record.id, record.title)
            self.message.setText(
                f"Showing the {events_text(record.event_count)} citing “{record.title}”; "
                "Clear in the filter bar shows every event again."
            )
