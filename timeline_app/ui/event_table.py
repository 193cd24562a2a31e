"""The event table: one model over the same `EventColumns` the timeline draws.

The model keeps the shown positions in display order (numpy, sorted with numpy); titles,
categories, importance and certainty come from the columns, and only the date texts, which
need the stored EDTF, are asked for, a block of rows around the ones on screen at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
    QResizeEvent,
    QTextCharFormat,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.columns import EventColumns
from timeline_app.domain.dates import describe_span, parse_span
from timeline_app.domain.errors import DateError
from timeline_app.domain.model import CERTAINTY_ORDER, CategoryRecord, EventFilter
from timeline_app.domain.search_query import (
    SearchTerm,
    highlight_terms,
    match_spans,
    parse_search,
)

COLUMNS = ("Date", "Title", "Category", "Importance", "Certainty")
DATE, TITLE, CATEGORY, IMPORTANCE, CERTAINTY = range(len(COLUMNS))
ID_ROLE = Qt.ItemDataRole.UserRole + 1
DATE_BLOCK = 200
"""Rows whose date texts are read together, around the row first asked for."""
_CERTAINTY_NAMES = tuple(str(certainty).capitalize() for certainty in CERTAINTY_ORDER)
_HEADER_TIPS = (
    "When the event happened, as precisely as it is known",
    "The event's title",
    "The event's category (its lane on the timeline)",
    "How important the event is, from 1 (minor) to 5 (major)",
    "How sure the record is: confirmed, reported, alleged or disputed",
)

DateTexts = Callable[[Sequence[str]], Mapping[str, tuple[str, str | None]]]
"""Stored (start, end) EDTF texts by event id, for the ids asked (`Catalog.event_dates`)."""


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
    """The shown events of an `EventColumns`, in the chosen order; a row is a position.

    `_order` holds the positions into the columns in display order; `_rows_by_position`
    (built when first needed) maps back from a position to its row, -1 when not shown.
    """

    def __init__(self, parent: QObject | None = None, date_texts: DateTexts | None = None) -> None:
        super().__init__(parent)
        self._columns = EventColumns.empty()
        self._shown = np.empty(0, dtype=np.int64)
        self._order = self._shown
        self._rows_by_position: np.ndarray | None = None
        self._date_texts = date_texts
        self._dates: dict[str, str] = {}
        self._categories: tuple[CategoryRecord, ...] = ()
        self._category_rank = np.empty(0, dtype=np.int64)
        self._icons: dict[int, QIcon] = {}
        self._sort: tuple[int, Qt.SortOrder] = (DATE, Qt.SortOrder.AscendingOrder)

    # ---- filling -------------------------------------------------------------------------

    def set_date_source(self, date_texts: DateTexts) -> None:
        """Where the date texts of the rows on screen are read from; forgets those read."""
        self._date_texts = date_texts
        self._dates = {}

    def set_events(
        self,
        columns: EventColumns,
        shown: np.ndarray | None = None,
        categories: Sequence[CategoryRecord] | None = None,
        changed: Collection[str] | None = None,
    ) -> None:
        """Show the events of `columns` at the sorted positions `shown` (None: all of them),
        in the current sort order. `categories` (None: keep the last) give the category
        order to sort by; the cached date texts of the `changed` ids (None: all) are dropped.
        """
        self.beginResetModel()
        self._columns = columns
        self._shown = (
            np.arange(len(columns), dtype=np.int64)
            if shown is None
            else np.asarray(shown, dtype=np.int64)
        )
        if categories is not None:
            self._categories = tuple(categories)
        rank = {record.name: index for index, record in enumerate(self._categories)}
        self._category_rank = np.array(
            [rank.get(name, len(rank)) for name in columns.category_names], dtype=np.int64
        )
        self._icons = {}
        if changed is None:
            self._dates = {}
        else:
            for event_id in changed:
                self._dates.pop(event_id, None)
        self._order = self._sorted_order(*self._sort)
        self._rows_by_position = None
        self.endResetModel()

    def columns(self) -> EventColumns:
        return self._columns

    def row_of(self, event_id: str) -> int | None:
        rows = self.rows_of([event_id])
        return rows[0] if rows else None

    def rows_of(self, ids: Collection[str]) -> list[int]:
        """The rows showing these ids, in row order (ids not shown are left out)."""
        if not len(ids) or not len(self._order):
            return []
        event_ids = self._columns.ids
        if len(ids) <= 4:  # a few comparisons of the whole id column beat a pass in Python
            positions = np.concatenate([np.flatnonzero(event_ids == i) for i in ids])
        else:
            wanted = set(ids)
            hits = np.fromiter(
                map(wanted.__contains__, event_ids.tolist()), dtype=np.bool_, count=len(event_ids)
            )
            positions = np.flatnonzero(hits)
        rows = self._row_index()[positions]
        return np.sort(rows[rows >= 0]).tolist()

    def event_id(self, row: int) -> str:
        return str(self._columns.ids[self._order[row]])

    def ids(self) -> np.ndarray:
        """The shown ids in row order (an object array of str)."""
        return self._columns.ids[self._order]

    def positions(self) -> np.ndarray:
        """The columns' positions of the rows, in row order."""
        return self._order

    # ---- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else int(self._order.shape[0])

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
        row = index.row()
        position = int(self._order[row])
        columns = self._columns
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == DATE:
                return self._date_text(row)
            if column == TITLE:
                return columns.titles[position]
            if column == CATEGORY:
                return columns.category_names[columns.category[position]]
            if column == IMPORTANCE:
                return importance_text(int(columns.importance[position]))
            if column == CERTAINTY:
                return _CERTAINTY_NAMES[columns.certainty[position]]
        elif role == Qt.ItemDataRole.DecorationRole and column == CATEGORY:
            return self._icon(int(columns.category[position]))
        elif role == Qt.ItemDataRole.ToolTipRole:
            if column == IMPORTANCE:
                return f"Importance {columns.importance[position]} of 5"
            category = columns.category_names[columns.category[position]]
            return f"{columns.titles[position]}\n{self._date_text(row)} · {category}"
        elif role == ID_ROLE:
            return str(columns.ids[position])
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        old_positions = [int(self._order[index.row()]) for index in before]
        self._order = self._sorted_order(column, order)
        self._rows_by_position = None
        if before:  # the selection and the current row follow their events
            rows = self._row_index()
            after = [
                self.index(int(rows[position]), index.column())
                for position, index in zip(old_positions, before, strict=True)
            ]
            self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    # ---- helpers -------------------------------------------------------------------------

    def _sorted_order(self, column: int, order: Qt.SortOrder) -> np.ndarray:
        """The shown positions sorted by `column`, ties in date order (the columns' own)."""
        self._sort = (column, order)
        shown = self._shown
        columns = self._columns
        if column == TITLE:
            folded = np.empty(shown.shape[0], dtype=object)  # not "<U": sized by the longest
            folded[:] = [title.casefold() for title in columns.titles[shown].tolist()]
            ascending = shown[np.argsort(folded, kind="stable")]
        elif column == CATEGORY:
            key = self._category_rank[columns.category[shown]]
            ascending = shown[np.argsort(key, kind="stable")]
        elif column == IMPORTANCE:
            ascending = shown[np.argsort(columns.importance[shown], kind="stable")]
        elif column == CERTAINTY:
            ascending = shown[np.argsort(columns.certainty[shown], kind="stable")]
        else:
            ascending = shown
        return ascending[::-1] if order == Qt.SortOrder.DescendingOrder else ascending

    def _row_index(self) -> np.ndarray:
        if self._rows_by_position is None:
            rows = np.full(len(self._columns), -1, dtype=np.int64)
            rows[self._order] = np.arange(self._order.shape[0], dtype=np.int64)
            self._rows_by_position = rows
        return self._rows_by_position

    def _date_text(self, row: int) -> str:
        event_id = self._columns.ids[self._order[row]]
        text = self._dates.get(event_id)
        if text is None:
            self._read_dates(row)
            text = self._dates.get(event_id, "")
        return text

    def _read_dates(self, row: int) -> None:
        """Read the date texts of a block of rows around `row` (those not read yet)."""
        if self._date_texts is None:
            return
        first = max(0, row - DATE_BLOCK // 2)
        block = self._columns.ids[self._order[first : first + DATE_BLOCK]].tolist()
        wanted = [event_id for event_id in block if event_id not in self._dates]
        for event_id, (start, end) in self._date_texts(wanted).items():
            try:
                text = describe_span(parse_span(start, end))
            except DateError:
                text = start if end is None else f"{start} – {end}"
            self._dates[event_id] = text

    def _icon(self, category: int) -> QIcon:
        icon = self._icons.get(category)
        if icon is None:
            icon = swatch(self._columns.category_colours[category])
            self._icons[category] = icon
        return icon


MATCH_BACKGROUND = QColor("#FFE082")
MATCH_FOREGROUND = QColor("#1A1A1A")


class MatchDelegate(QStyledItemDelegate):
    """Paints a cell's text with the words the search matched on the highlight colour.

    Cells without a match are painted by Qt as usual; a matching one is drawn as Qt draws
    it without its text, then the (elided) text is laid out with `QTextLayout`, which keeps
    right-to-left scripts in order, with the matched ranges formatted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.terms: tuple[SearchTerm, ...] = ()
        self._format = QTextCharFormat()
        self._format.setBackground(MATCH_BACKGROUND)
        self._format.setForeground(MATCH_FOREGROUND)

    def spans(self, index: QModelIndex | QPersistentModelIndex) -> list[tuple[int, int]]:
        """The matched (start, end) ranges of the cell's text."""
        if not self.terms:
            return []
        return match_spans(str(index.data(Qt.ItemDataRole.DisplayRole) or ""), self.terms)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        spans = self.spans(index)
        if not spans:
            super().paint(painter, option, index)
            return
        view_option = QStyleOptionViewItem(option)
        self.initStyleOption(view_option, index)
        text = view_option.text
        widget = view_option.widget
        style = widget.style() if widget is not None else QApplication.style()
        view_option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, view_option, painter, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = style.subElementRect(
            QStyle.SubElement.SE_ItemViewItemText, view_option, widget
        ).adjusted(margin, 0, -margin, 0)
        shown = view_option.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        # where elided, the ellipsis takes the place of the last character shown
        shown_length = len(text) if shown == text else max(0, len(shown) - 1)
        layout = QTextLayout(shown, view_option.font)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(rect.width())
        layout.endLayout()
        ranges = []
        for start, end in spans:
            if start >= shown_length:
                break
            found = QTextLayout.FormatRange()
            found.start = start
            found.length = min(end, shown_length) - start
            found.format = self._format
            ranges.append(found)
        selected = bool(view_option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(view_option.palette.color(role))
        top = rect.top() + (rect.height() - line.height()) / 2
        layout.draw(painter, QPointF(rect.left(), top), ranges)
        painter.restore()


class EventTableView(QTableView):
    """The table widget; reports the user's selection as event ids. It marks the words the
    search matched, and says so plainly when the filter matches nothing."""

    eventsSelected = Signal(list)  # ids, in table order
    editRequested = Signal(str)
    clearFilterRequested = Signal()

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
        self.match_delegate = MatchDelegate(self)
        self.setItemDelegateForColumn(TITLE, self.match_delegate)
        self.filter = EventFilter()
        self._build_no_match()
        for signal in (
            self.table_model.modelReset,
            self.table_model.rowsInserted,
            self.table_model.rowsRemoved,
            self.table_model.layoutChanged,
        ):
            signal.connect(self._show_no_match)

    def _build_no_match(self) -> None:
        """The note shown in place of the rows when the filter matches nothing."""
        self.no_match = QWidget(self.viewport())
        self.no_match.setObjectName("NoMatch")
        column = QVBoxLayout(self.no_match)
        column.setContentsMargins(12, 12, 12, 12)
        self.no_match_label = QLabel("", self.no_match)
        self.no_match_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match_label.setWordWrap(True)
        self.no_match_label.setTextFormat(Qt.TextFormat.PlainText)
        self.no_match_button = QPushButton("Clear the filter", self.no_match)
        self.no_match_button.setToolTip("Remove every filter and show all events")
        self.no_match_button.clicked.connect(self.clearFilterRequested)
        column.addStretch(1)
        column.addWidget(self.no_match_label)
        column.addWidget(self.no_match_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        self.no_match.hide()

    def set_filter(self, where: EventFilter) -> None:
        """The filter the shown rows answer: its search words are marked in the titles, and
        named when nothing matches."""
        self.filter = where
        terms = highlight_terms(where.text)
        if terms != self.match_delegate.terms:
            self.match_delegate.terms = terms
            self.viewport().update()
        self._show_no_match()

    def no_match_text(self) -> str:
        """What the table says when the filter matches nothing ("" when it shows events, or
        when there is no filter)."""
        if self.table_model.rowCount() or self.filter.is_empty:
            return ""
        words = self.filter.text.strip()
        if not words:
            return "No events match the filter."
        others = (
            "" if self.filter == EventFilter(text=self.filter.text) else " with the other filters"
        )
        notes = parse_search(words).notes
        read = f"\n(Read leniently: {'; '.join(notes)}.)" if notes else ""
        return f"No events match “{words}”{others}.{read}"

    def _show_no_match(self, *_args: object) -> None:
        text = self.no_match_text()
        self.no_match_label.setText(text)
        self.no_match.setVisible(bool(text))
        if text:
            self.no_match.setGeometry(self.viewport().rect())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.no_match.setGeometry(self.viewport().rect())

    def set_events(
        self,
        columns: EventColumns,
        shown: np.ndarray | None = None,
        categories: Sequence[CategoryRecord] | None = None,
        changed: Collection[str] | None = None,
    ) -> None:
        """`EventTableModel.set_events`, keeping the selected ids selected where they show."""
        keep = self.selected_ids()
        self._quiet = True
        try:
            self.table_model.set_events(columns, shown, categories, changed)
            self._select_rows(self.table_model.rows_of(keep), scroll=False)
        finally:
            self._quiet = False

    def set_date_source(self, date_texts: DateTexts) -> None:
        self.table_model.set_date_source(date_texts)

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
        """Select `rows` (sorted), one selection range per run of consecutive rows."""
        selection = QItemSelection()
        last = self.table_model.columnCount() - 1
        if rows:
            breaks = np.flatnonzero(np.diff(rows) != 1) + 1
            firsts = [rows[0], *(rows[i] for i in breaks.tolist())]
            lasts = [*(rows[i - 1] for i in breaks.tolist()), rows[-1]]
            for first, final in zip(firsts, lasts, strict=True):
                selection.select(
                    self.table_model.index(first, 0), self.table_model.index(final, last)
                )
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
