"""The event table: one model over `Catalog.event_rows`, sortable, selection by event id.

The model holds the rows of the current filter (plain `EventRow`s, never a widget per row);
the date reading of a row is computed when first shown and cached.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable, Collection, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from timeline_app.domain.columns import EventRow
from timeline_app.domain.dates import describe_span, parse_span
from timeline_app.domain.errors import DateError
from timeline_app.domain.model import CERTAINTY_ORDER, CategoryRecord
from timeline_app.domain.palette import FALLBACK_COLOUR

COLUMNS = ("Date", "Title", "Category", "Importance", "Certainty")
DATE, TITLE, CATEGORY, IMPORTANCE, CERTAINTY = range(len(COLUMNS))
ID_ROLE = Qt.ItemDataRole.UserRole + 1
_CERTAINTY_RANK = {str(c): rank for rank, c in enumerate(CERTAINTY_ORDER)}
_HEADER_TIPS = (
    "When the event happened, as precisely as it is known",
    "The event's title",
    "The event's category (its lane on the timeline)",
    "How important the event is, from 1 (minor) to 5 (major)",
    "How sure the record is: confirmed, reported, alleged or disputed",
)


def swatch(colour: str, size: int = 12) -> QIcon:
    """A small rounded colour square, the category's mark in lists and combos."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(0, 0, 0, 60))
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(0.5, 0.5, size - 1, size - 1, 3, 3)
    painter.end()
    return QIcon(pixmap)


def importance_text(value: int) -> str:
    return "●" * value + "○" * (5 - value)


class EventTableModel(QAbstractTableModel):
    """Rows of the filtered events; sorting is done here so ids stay easy to map to rows."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[EventRow] = []
        self._dates: dict[str, str] = {}
        self._colours: dict[str, str] = {}
        self._category_rank: dict[str, int] = {}
        self._icons: dict[str, QIcon] = {}
        self._sort: tuple[int, Qt.SortOrder] = (DATE, Qt.SortOrder.AscendingOrder)

    # ---- filling -------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[EventRow], categories: Sequence[CategoryRecord]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._colours = {record.name: record.colour for record in categories}
        self._category_rank = {record.name: rank for rank, record in enumerate(categories)}
        self._icons = {}
        self._dates = {}
        self._sort_rows(*self._sort)
        self.endResetModel()

    def replace_rows(self, removed: Collection[str], rows: Sequence[EventRow]) -> None:
        """Take out the rows of `removed` ids and put `rows` in at their sorted places:
        an edit among a million rows without sorting them all again."""
        gone = set(removed)
        self.beginResetModel()
        self._rows = [item for item in self._rows if item.id not in gone]
        for event_id in gone:
            self._dates.pop(event_id, None)
        column, order = self._sort
        if order == Qt.SortOrder.AscendingOrder:
            key = self._sort_key(column)
            for item in rows:
                insort(self._rows, item, key=key)
        else:
            self._rows.extend(rows)
            self._sort_rows(column, order)
        self.endResetModel()

    def row_of(self, event_id: str) -> int | None:
        for row, item in enumerate(self._rows):
            if item.id == event_id:
                return row
        return None

    def rows_of(self, ids: Sequence[str]) -> list[int]:
        wanted = set(ids)
        return [row for row, item in enumerate(self._rows) if item.id in wanted]

    def event_id(self, row: int) -> str:
        return self._rows[row].id

    def ids(self) -> list[str]:
        return [item.id for item in self._rows]

    # ---- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == DATE:
                return self._date_text(item)
            if column == TITLE:
                return item.title
            if column == CATEGORY:
                return item.category
            if column == IMPORTANCE:
                return importance_text(item.importance)
            if column == CERTAINTY:
                return item.certainty.capitalize()
        elif role == Qt.ItemDataRole.DecorationRole and column == CATEGORY:
            return self._icon(item.category)
        elif role == Qt.ItemDataRole.ToolTipRole:
            if column == IMPORTANCE:
                return f"Importance {item.importance} of 5"
            return f"{item.title}\n{self._date_text(item)} · {item.category}"
        elif role == ID_ROLE:
            return item.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        old_ids = [self._rows[index.row()].id for index in before]
        self._sort_rows(column, order)
        position = {item.id: row for row, item in enumerate(self._rows)}
        after = [
            self.index(position[event_id], index.column())
            for event_id, index in zip(old_ids, before, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    # ---- helpers -------------------------------------------------------------------------

    def _sort_key(self, column: int) -> Callable[[EventRow], tuple]:
        keys: dict[int, Callable[[EventRow], tuple]] = {
            DATE: lambda r: (r.lower, r.upper, r.title.casefold()),
            TITLE: lambda r: (r.title.casefold(), r.lower),
            CATEGORY: lambda r: (self._category_rank.get(r.category, 1 << 30), r.lower),
            IMPORTANCE: lambda r: (r.importance, r.lower),
            CERTAINTY: lambda r: (_CERTAINTY_RANK.get(r.certainty, 99), r.lower),
        }
        return keys.get(column, keys[DATE])

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        self._sort = (column, order)
        self._rows.sort(key=self._sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)

    def _date_text(self, item: EventRow) -> str:
        text = self._dates.get(item.id)
        if text is None:
            try:
                text = describe_span(parse_span(item.start, item.end))
            except DateError:
                text = item.start if item.end is None else f"{item.start} – {item.end}"
            self._dates[item.id] = text
        return text

    def _icon(self, category: str) -> QIcon:
        icon = self._icons.get(category)
        if icon is None:
            icon = swatch(self._colours.get(category, FALLBACK_COLOUR))
            self._icons[category] = icon
        return icon


class EventTableView(QTableView):
    """The table widget; reports the user's selection as event ids."""

    eventsSelected = Signal(list)  # ids, in table order
    editRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table_model = EventTableModel(self)
        self.setModel(self.table_model)
        self.setSortingEnabled(True)
        self.sortByColumn(DATE, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((DATE, 250), (CATEGORY, 190), (IMPORTANCE, 96), (CERTAINTY, 100)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, width)
        self.setToolTip("Events matching the filter; double-click one to edit it")
        self._quiet = False
        self.selectionModel().selectionChanged.connect(self._on_selection)
        self.doubleClicked.connect(self._on_double_click)

    def set_rows(self, rows: Sequence[EventRow], categories: Sequence[CategoryRecord]) -> None:
        """Replace the rows, keeping the selected ids selected where they still show."""
        keep = self.selected_ids()
        self._quiet = True
        try:
            self.table_model.set_rows(rows, categories)
            self._select_rows(self.table_model.rows_of(keep), scroll=False)
        finally:
            self._quiet = False

    def replace_rows(self, removed: Collection[str], rows: Sequence[EventRow]) -> None:
        """`EventTableModel.replace_rows`, keeping the selected ids selected."""
        keep = self.selected_ids()
        self._quiet = True
        try:
            self.table_model.replace_rows(removed, rows)
            self._select_rows(self.table_model.rows_of(keep), scroll=False)
        finally:
            self._quiet = False

    def selected_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        return [self.table_model.event_id(row) for row in rows]

    def select_ids(self, ids: Sequence[str]) -> None:
        """Select these events without reporting it back (the caller already knows)."""
        self._quiet = True
        try:
            self._select_rows(self.table_model.rows_of(ids), scroll=True)
        finally:
            self._quiet = False

    def _select_rows(self, rows: list[int], *, scroll: bool) -> None:
        selection = QItemSelection()
        last = self.table_model.columnCount() - 1
        for row in rows:
            selection.select(self.table_model.index(row, 0), self.table_model.index(row, last))
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.selectionModel().select(selection, flags)
        if rows:
            current = self.table_model.index(rows[0], TITLE)
            self.selectionModel().setCurrentIndex(
                current, QItemSelectionModel.SelectionFlag.NoUpdate
            )
            if scroll:
                self.scrollTo(current)

    def _on_selection(self, *_args: object) -> None:
        if not self._quiet:
            self.eventsSelected.emit(self.selected_ids())

    def _on_double_click(self, index: QModelIndex) -> None:
        if index.isValid():
            self.editRequested.emit(self.table_model.event_id(index.row()))
