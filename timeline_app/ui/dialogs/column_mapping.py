"""Which column of a spreadsheet or CSV/TSV feeds which field of an event, with a live preview.

The dialog proposes the mapping `spreadsheet.propose_mapping` makes of the header (or the one
remembered for the same header), lets the user change it column by column, choose how dates
like 03/04/2020 read, and give a header to a file that has none. Under the choices, the first
rows of the file show the date each one reads as, at what precision, or the error an import
would stop at. Accepting remembers the mapping under a key derived from the header's cells.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.errors import TimelineError
from timeline_app.services.interchange.spreadsheet import (
    DEFAULT_CATEGORY,
    PREVIEW_LIMIT,
    TARGET_LABELS,
    TARGETS,
    ColumnMapping,
    RowPreview,
    Table,
    fit_mapping,
    guess_day_first,
    load_table,
    mapping_from_json,
    mapping_to_json,
    numbered_header,
    preview_table,
    propose_mapping,
    settings_key,
)
from timeline_app.ui.settings import APPLICATION, ORGANISATION
from timeline_app.ui.theme import current_theme, error_colour

SETTINGS_GROUP = "column_mappings"
NO_COLUMN = "(none)"
PREVIEW_COLUMNS = ("Row", "Title", "Date read", "Precision", "Problem or note")
_GRID_COLUMNS = 3
"""The target fields are laid out in this many columns of label and combo."""


class ColumnMappingDialog(QDialog):
    """Choose the column mapping of one file; `mapping()`, `day_first()`, `header()` and
    `sheet()` are what to pass to `spreadsheet.read` once it is accepted.

    Building it reads the file's cells (`ImportFileError` for a file that cannot be read);
    a caller that loaded them already, off the GUI thread, passes `table`.
    """

    mappingChanged = Signal()

    def __init__(
        self,
        path: str,
        raw: bytes,
        fmt: str | None = None,
        parent: QWidget | None = None,
        *,
        table: Table | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Columns of {Path(path).name}")
        self.path = path
        self.raw = raw
        self.fmt = fmt
        self.settings = settings if settings is not None else QSettings(ORGANISATION, APPLICATION)
        self._table = table if table is not None else load_table(path, raw, fmt=fmt)
        self._file_header = list(self._table.header)
        self._sheet: str | None = self._table.sheet or None
        self._updating = False
        self.previews: list[RowPreview] = []
        """What the preview table shows (the rows of the file as they would import)."""
        self.remembered = False
        """True when the choices shown were remembered from a file with the same header."""

        self.file_label = QLabel(self)
        self.sheet_box = QComboBox(self)
        self.sheet_box.setToolTip("The sheet of the workbook to import")
        for name in self._table.sheet_names:
            self.sheet_box.addItem(name)
        self.sheet_box.setVisible(len(self._table.sheet_names) > 1)
        self.header_box = QCheckBox("The first row names the columns", self)
        self.header_box.setChecked(True)
        self.header_box.setToolTip(
            "Clear it for a file without a header: its columns are then Column 1, Column 2, …"
        )
        self.day_first_button = QRadioButton("Day first (31/12/2020)", self)
        self.month_first_button = QRadioButton("Month first (12/31/2020)", self)
        self.order_group = QButtonGroup(self)
        self.order_group.addButton(self.day_first_button)
        self.order_group.addButton(self.month_first_button)
        self.html_box = QCheckBox("Title and text are HTML: keep only their words", self)
        self.category_edit = QLineEdit(DEFAULT_CATEGORY, self)
        self.category_edit.setToolTip("The category of rows without one")
        self.combos: dict[str, QComboBox] = {}
        for target in TARGETS:
            combo = QComboBox(self)
            combo.setObjectName(f"column_{target}")
            combo.setToolTip(f"The column that gives the {TARGET_LABELS[target].lower()}")
            self.combos[target] = combo
        self.preview = QTableWidget(0, len(PREVIEW_COLUMNS), self)
        self.preview.setHorizontalHeaderLabels(PREVIEW_COLUMNS)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.verticalHeader().setVisible(False)
        header = self.preview.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()

        self._fill_combos()
        self._show_mapping(self._starting_mapping())
        for combo in self.combos.values():
            combo.currentIndexChanged.connect(self._changed)
        self.order_group.buttonToggled.connect(lambda _button, on: on and self._changed())
        self.html_box.toggled.connect(self._changed)
        self.category_edit.textChanged.connect(self._changed)
        self.header_box.toggled.connect(self._header_toggled)
        self.sheet_box.currentTextChanged.connect(self._sheet_chosen)
        self.refresh()

    # ---- what the caller reads ------------------------------------------------------------

    def mapping(self) -> ColumnMapping:
        """The mapping as chosen, with the day order, the HTML choice and default category."""
        chosen = {
            target: combo.currentData()
            for target, combo in self.combos.items()
            if combo.currentData() is not None
        }
        return ColumnMapping(
            **chosen,
            default_category=self.category_edit.text().strip() or DEFAULT_CATEGORY,
            html=self.html_box.isChecked(),
            day_first=self.day_first(),
        )

    def day_first(self) -> bool:
        """True when dates like 03/04/2020 read as 3 April."""
        return not self.month_first_button.isChecked()

    def header(self) -> list[str] | None:
        """The column names given to a file without a header; None when it has its own."""
        return None if self.header_box.isChecked() else list(self._table.header)

    def sheet(self) -> str | None:
        """The workbook's sheet to import (None for CSV/TSV)."""
        return self._sheet

    def table(self) -> Table:
        """The cells as read with the current header and sheet choices."""
        return self._table

    # ---- building -------------------------------------------------------------------------

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.sheet_box)
        options = QFormLayout()
        options.addRow(self.header_box)
        order = QHBoxLayout()
        order.addWidget(self.day_first_button)
        order.addWidget(self.month_first_button)
        order.addStretch(1)
        options.addRow("Dates like 03/04/2020:", order)
        options.addRow(self.html_box)
        options.addRow("Category when none:", self.category_edit)
        grid = QGridLayout()
        for index, target in enumerate(TARGETS):
            row, column = divmod(index, _GRID_COLUMNS)
            label = QLabel(TARGET_LABELS[target] + ":", self)
            label.setBuddy(self.combos[target])
            grid.addWidget(label, row, 2 * column)
            grid.addWidget(self.combos[target], row, 2 * column + 1)
        fields = QGroupBox("Which column gives each field", self)
        fields.setLayout(grid)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(fields)
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(options)
        upper_layout.addWidget(scroll, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(upper)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 300])  # the fields, and room for a dozen rows of the preview
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(1040, 740)

    def _fill_combos(self) -> None:
        """Offer the table's columns (by their header text) in every combo."""
        self._updating = True
        try:
            for combo in self.combos.values():
                combo.clear()
                combo.addItem(NO_COLUMN, None)
                for name in self._table.header:
                    if name:
                        combo.addItem(name, name)
        finally:
            self._updating = False
        rows = len(self._table.rows)
        where = f" — sheet {self._sheet}" if self._sheet else ""
        self.file_label.setText(f"{Path(self.path).name}{where}: {rows:,} rows")

    def _starting_mapping(self) -> ColumnMapping:
        """The mapping remembered for this header, or else the proposed one."""
        remembered = self._remembered(self._table.header)
        self.remembered = remembered is not None
        if remembered is not None:
            return fit_mapping(remembered, self._table.header)
        return propose_mapping(self._table.header)

    def _show_mapping(self, mapping: ColumnMapping) -> None:
        self._updating = True
        try:
            for target, combo in self.combos.items():
                index = combo.findData(getattr(mapping, target))
                combo.setCurrentIndex(index if index >= 0 else 0)
            self.html_box.setChecked(mapping.html)
            self.category_edit.setText(mapping.default_category)
            day_first = mapping.day_first
            if day_first is None:
                day_first = guess_day_first(self._table, mapping)
            button = self.month_first_button if day_first is False else self.day_first_button
            button.setChecked(True)
        finally:
            self._updating = False

    # ---- reacting -------------------------------------------------------------------------

    def _changed(self, *_args: object) -> None:
        if not self._updating:
            self.refresh()
            self.mappingChanged.emit()

    def _header_toggled(self, has_header: bool) -> None:
        self._reload(has_header, self._sheet)

    def _sheet_chosen(self, name: str) -> None:
        if name and name != self._sheet:
            self._reload(self.header_box.isChecked(), name)

    def _reload(self, has_header: bool, sheet: str | None) -> None:
        """Read the cells again with another header choice or sheet; keep the mapping where
        its columns still exist, propose one where they do not."""
        try:
            table = load_table(self.path, self.raw, fmt=self.fmt, sheet=sheet)
            if not has_header:
                width = max((len(row) for row in [table.header, *table.rows]), default=0)
                table = load_table(
                    self.path, self.raw, fmt=self.fmt, sheet=sheet, header=numbered_header(width)
                )
        except TimelineError as error:
            self.summary.setText(str(error))
            return
        self._table = table
        self._sheet = table.sheet or None
        self._fill_combos()
        self._show_mapping(self._starting_mapping())
        self.refresh()
        self.mappingChanged.emit()

    def refresh(self) -> None:
        """Show how the first rows read with the current choices."""
        mapping = self.mapping()
        self.previews = preview_table(self._table, mapping, self.day_first(), PREVIEW_LIMIT)
        colour = QBrush(QColor(error_colour(current_theme())))
        self.preview.setRowCount(len(self.previews))
        for row, preview in enumerate(self.previews):
            date = preview.start or ""
            if preview.end:
                date += f" – {preview.end}"
            if preview.kind != "event":
                date = f"{date} ({preview.kind})" if date else f"({preview.kind})"
            cells = (
                str(preview.row) if preview.row else "",
                preview.title,
                date,
                preview.precision or "",
                preview.error or preview.note,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if preview.error:
                    item.setForeground(colour)
                self.preview.setItem(row, column, item)
        self.summary.setText(self._summary_text(mapping))
        self.ok_button.setEnabled(mapping.has_date and not self._mapping_error())

    def _mapping_error(self) -> str | None:
        """The error of the mapping as a whole (no date column, a column not in the file)."""
        if len(self.previews) == 1 and self.previews[0].row == 0:
            return self.previews[0].error
        return None

    def _summary_text(self, mapping: ColumnMapping) -> str:
        whole = self._mapping_error()
        if whole is not None:
            return whole
        bad = sum(1 for preview in self.previews if preview.error)
        shown = len(self.previews)
        text = f"The first {shown:,} rows: {shown - bad:,} read"
        if bad:
            text += f", {bad:,} with a problem (an import stops at the first)"
        if self.remembered:
            text += ". Mapping remembered from a file with the same columns"
        return text + "."

    # ---- remembering ----------------------------------------------------------------------

    def _key(self, header: list[str]) -> str:
        return f"{SETTINGS_GROUP}/{settings_key(header)}"

    def _remembered(self, header: list[str]) -> ColumnMapping | None:
        if not self.header_box.isChecked():
            return None  # numbered columns say nothing about the file
        value = self.settings.value(self._key(header))
        if not isinstance(value, str):
            return None
        try:
            return mapping_from_json(value)
        except TimelineError:
            return None  # a damaged setting is forgotten, never an error

    def accept(self) -> None:
        """Remember the mapping for files with this header, then close."""
        if self.header_box.isChecked():
            self.settings.setValue(self._key(self._table.header), mapping_to_json(self.mapping()))
            self.settings.sync()
        super().accept()
