"""The inspector: shows the selected event and edits it, or composes a new one.

Dates are typed as people write them ("March 2023", "~2015", "1990s") and the stored
reading is shown live. Every field is checked as it is typed; a wrong field gets a red
border and a line saying why, and Save stays disabled until the whole event is valid.
Unsaved edits are never dropped silently: leaving them asks Save / Discard / Cancel, and a
save on a version someone else has replaced opens the conflict dialog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, QStringListModel, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.dates import (
    OPEN_END,
    UNKNOWN_END,
    describe_date,
    describe_span,
    parse_date,
    parse_span,
    read_user_end,
    read_user_span,
)
from timeline_app.domain.errors import (
    ConflictError,
    DateError,
    NotFoundError,
    TimelineError,
    ValidationError,
)
from timeline_app.domain.evidence import (
    CREDIBILITY_WORDS,
    RELIABILITY_WORDS,
    SOURCE_KIND_LABELS,
    UNGRADED_CREDIBILITY,
    UNGRADED_RELIABILITY,
    best_grade,
    grade_text,
    grade_words,
    suggested_certainty,
)
from timeline_app.domain.model import (
    CERTAINTY_ORDER,
    CategoryRecord,
    Certainty,
    EventDraft,
    EventRecord,
    SourceRef,
)
from timeline_app.domain.rules import (
    DESCRIPTION_MAX,
    NAME_MAX,
    TITLE_MAX,
    check_names,
    check_optional_url,
    check_text,
    check_url,
    validate_event,
)
from timeline_app.ui.commands import AddEventCommand, EditEventCommand
from timeline_app.ui.dialogs.conflict import KEEP_MINE, TAKE_STORED, ConflictDialog
from timeline_app.ui.event_table import swatch
from timeline_app.ui.search_highlight import SearchHighlighter, TitleHighlight
from timeline_app.ui.workspace import Workspace

GRADE_COLUMN = 0
"""The sources list's column of each citation's grade ("B2")."""
IMPORTANCE_WORDS = {1: "minor", 2: "low", 3: "notable", 4: "high", 5: "major"}
END_WORDS = {OPEN_END: "ongoing", UNKNOWN_END: "?"}
"""How the end field shows an open end and an unknown one (both read back as they were)."""
DATE_HINT = (
    "try 2023, March 2023, 12 March 2023, 2023-03-12 11:16, ~2015, 2015?, 1990s, 55 BC, "
    "between 1990 and 1994, before 1990"
)


def friendly_date_error(error: DateError) -> str:
    """The parser's message without its internals, plus what would have worked."""
    message = error.message.split(" (Error at")[0]
    if "is not a date" in message:
        return f"{message}; {DATE_HINT}"
    return message


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class NameListEdit(QLineEdit):
    """Comma-separated names, completing the name being typed from the known ones."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names = QStringListModel(self)
        self.completer_ = QCompleter(self._names, self)
        self.completer_.setWidget(self)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer_.activated.connect(self._insert)
        self.textEdited.connect(self._on_edited)

    def set_known(self, names: Sequence[str]) -> None:
        self._names.setStringList(list(names))

    def names(self) -> tuple[str, ...]:
        parts = (part.strip() for part in self.text().split(","))
        return tuple(dict.fromkeys(part for part in parts if part))

    def set_names(self, names: Sequence[str]) -> None:
        self.setText(", ".join(names))

    def _current_part(self) -> str:
        return self.text()[: self.cursorPosition()].split(",")[-1].strip()

    def _on_edited(self, _text: str) -> None:
        prefix = self._current_part()
        popup = self.completer_.popup()
        if not prefix:
            popup.hide()
            return
        self.completer_.setCompletionPrefix(prefix)
        if self.completer_.completionCount():
            self.completer_.complete()
        else:
            popup.hide()

    def _insert(self, completion: str) -> None:
        head, separator, _ = self.text()[: self.cursorPosition()].rpartition(",")
        tail = self.text()[self.cursorPosition() :].partition(",")[2].strip()
        before = f"{head.strip()}, " if separator else ""
        after = f", {tail}" if tail else ", "
        self.setText(before + completion + after)
        self.setCursorPosition(len(before + completion) + 2)
        self.textEdited.emit(self.text())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = (Qt.Key.Key_Enter, Qt.Key.Key_Return, Qt.Key.Key_Escape, Qt.Key.Key_Tab)
        if self.completer_.popup().isVisible() and event.key() in keys:
            event.ignore()
            return
        super().keyPressEvent(event)


class SourcesEditor(QWidget):
    """The event's sources: a list with each citation's grade, Add, Remove and Open, and the
    selected citation's grade and excerpt.

    A source needs a title or a URL: a printed report or an agency's wire has no address, and
    a URL, when typed, must be http(s) (checked as typed). Kind, language and reliability
    belong to the shared source (every event citing it shows them); credibility and the
    excerpt belong to this citation. Edits land in the event's form: Save writes them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._refs: list[SourceRef] = []
        self._filled_row: int | None = None
        """The citation whose grade the fields below the list show (filled once per pick,
        so typing in them is never overwritten)."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.list = QTreeWidget(self)
        self.list.setHeaderLabels(["Grade", "Title", "Publisher", "URL"])
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setMinimumHeight(70)
        self.list.setMaximumHeight(120)
        self.list.setToolTip(
            "Where this event is documented, with each citation's grade (source reliability "
            "A–F, information credibility 1–6); double-click to open in a browser"
        )
        self.list.setColumnWidth(GRADE_COLUMN, 58)
        self.list.setColumnWidth(1, 150)
        self.list.setColumnWidth(2, 80)
        layout.addWidget(self.list)

        self.citation_box = QFrame(self)
        self.citation_box.setObjectName("CitationBox")
        self.citation_box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self.citation_box)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        self.kind_combo = QComboBox(self.citation_box)
        for kind, label in SOURCE_KIND_LABELS.items():
            self.kind_combo.addItem(label, str(kind))
        self.kind_combo.setToolTip(
            "What sort of publication the source is (shared by every event citing it)"
        )
        self.language_edit = QLineEdit(self.citation_box)
        self.language_edit.setPlaceholderText("en, ru, fa…")
        self.language_edit.setMaximumWidth(80)
        self.language_edit.setToolTip(
            "The source's language as a short code (shared by every event citing it)"
        )
        self.reliability_combo = QComboBox(self.citation_box)
        for letter, words in RELIABILITY_WORDS.items():
            self.reliability_combo.addItem(f"{letter} · {words}", letter)
        self.reliability_combo.setToolTip(
            "How reliable the source is in general, A best; F: cannot be judged "
            "(shared by every event citing it)"
        )
        self.credibility_combo = QComboBox(self.citation_box)
        for number, words in CREDIBILITY_WORDS.items():
            self.credibility_combo.addItem(f"{number} · {words}", number)
        self.credibility_combo.setToolTip(
            "How credible what this source says about this event is, 1 best; 6: cannot be "
            "judged (this citation only)"
        )
        for combo in (self.kind_combo, self.reliability_combo, self.credibility_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)  # a narrow inspector elides, never scrolls
        self.excerpt_edit = QLineEdit(self.citation_box)
        self.excerpt_edit.setPlaceholderText("The passage that supports the event (optional)")
        self.excerpt_edit.setToolTip(
            "A quote from the source backing this event (this citation only)"
        )
        for row, (label, widget) in enumerate(
            (
                ("Kind", self.kind_combo),
                ("Reliability", self.reliability_combo),
                ("Credibility", self.credibility_combo),
                ("Excerpt", self.excerpt_edit),
            )
        ):
            caption = QLabel(label, self.citation_box)
            caption.setObjectName("InspectorMeta")
            grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(widget, row, 1, 1, 1 if row == 0 else 3)
        language_caption = QLabel("Language", self.citation_box)
        language_caption.setObjectName("InspectorMeta")
        grid.addWidget(language_caption, 0, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.language_edit, 0, 3)
        grid.setColumnStretch(1, 1)
        self.citation_box.hide()
        layout.addWidget(self.citation_box)

        row = QHBoxLayout()
        row.setSpacing(4)
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText("Source title")
        self.title_edit.setToolTip("The article's or document's title (the address if empty)")
        self.publisher_edit = QLineEdit(self)
        self.publisher_edit.setPlaceholderText("Publisher")
        self.publisher_edit.setToolTip("Who published it: a newspaper, an agency (optional)")
        self.url_edit = QLineEdit(self)
        self.url_edit.setPlaceholderText("https://…")
        self.url_edit.setToolTip(
            "The source's address (optional when the source has a title); "
            "only http and https are accepted"
        )
        self.add_button = QPushButton("Add", self)
        self.add_button.setToolTip("Add this source to the event")
        self.add_button.setEnabled(False)
        row.addWidget(self.title_edit, 2)
        row.addWidget(self.publisher_edit, 1)
        row.addWidget(self.url_edit, 2)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self.url_error = QLabel(self)
        self.url_error.setObjectName("FieldError")
        self.url_error.setWordWrap(True)
        self.url_error.hide()
        layout.addWidget(self.url_error)

        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        self.open_button = QPushButton("Open", self)
        self.open_button.setToolTip("Open the selected source in your web browser")
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setToolTip("Remove the selected source from this event")
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        layout.addLayout(buttons)

        self.url_edit.textChanged.connect(self._check_new)
        self.title_edit.textChanged.connect(self._check_new)
        for edit in (self.title_edit, self.publisher_edit, self.url_edit):
            edit.returnPressed.connect(self.add_source)
        self.add_button.clicked.connect(self.add_source)
        self.remove_button.clicked.connect(self.remove_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemDoubleClicked.connect(lambda *_: self.open_selected())
        for combo in (self.kind_combo, self.reliability_combo, self.credibility_combo):
            combo.activated.connect(lambda _index: self._grade_edited())
        for edit in (self.language_edit, self.excerpt_edit):
            edit.textEdited.connect(lambda _text: self._grade_edited())
        self._update_buttons()

    def sources(self) -> tuple[SourceRef, ...]:
        return tuple(self._refs)

    def grades(self) -> list[tuple[str, int]]:
        """(reliability, credibility) of each citation as the form holds them now."""
        return [(ref.reliability, ref.credibility) for ref in self._refs]

    def set_sources(self, refs: Sequence[SourceRef]) -> None:
        self._refs = list(refs)
        self._filled_row = None
        self._clear_new()
        self._rebuild()

    def add_source(self) -> None:
        """Add the typed source: a title, a URL or both; the publisher is optional."""
        url = self._valid_url()
        title = self.title_edit.text().strip() or url
        if url is None or not title:
            return
        publisher = self.publisher_edit.text().strip()[:NAME_MAX]
        self._refs.append(SourceRef(title=title[:TITLE_MAX], url=url, publisher=publisher))
        self._clear_new()
        self._rebuild(select=len(self._refs) - 1)
        self.changed.emit()

    def set_grade(
        self,
        row: int,
        *,
        kind: str | None = None,
        language: str | None = None,
        reliability: str | None = None,
        credibility: int | None = None,
        excerpt: str | None = None,
    ) -> None:
        """Grade citation `row` from code (what the fields below the list do)."""
        ref = self._refs[row]
        self._refs[row] = replace(
            ref,
            kind=ref.kind if kind is None else kind,
            language=ref.language if language is None else language,
            reliability=ref.reliability if reliability is None else reliability,
            credibility=ref.credibility if credibility is None else credibility,
            excerpt=ref.excerpt if excerpt is None else excerpt,
        )
        self._rebuild(select=row)
        self.changed.emit()

    def _grade_edited(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        self.set_grade(
            row,
            kind=self.kind_combo.currentData(),
            language=self.language_edit.text(),
            reliability=self.reliability_combo.currentData(),
            credibility=int(self.credibility_combo.currentData()),
            excerpt=self.excerpt_edit.text(),
        )

    def _clear_new(self) -> None:
        for edit in (self.title_edit, self.publisher_edit, self.url_edit):
            edit.clear()

    def remove_selected(self) -> None:
        row = self._selected_row()
        if row is not None:
            del self._refs[row]
            self._filled_row = None
            self._rebuild()
            self.changed.emit()

    def open_selected(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        if not self._refs[row].url:
            return
        try:
            url = check_url("url", self._refs[row].url)
        except ValidationError:
            return
        QDesktopServices.openUrl(QUrl(url))

    def select_row(self, row: int) -> None:
        self.list.setCurrentItem(self.list.topLevelItem(row))

    def _selected_row(self) -> int | None:
        items = self.list.selectedItems()
        return self.list.indexOfTopLevelItem(items[0]) if items else None

    def _rebuild(self, select: int | None = None) -> None:
        with QSignalBlocker(self.list):
            self.list.clear()
            for ref in self._refs:
                graded = (ref.reliability, ref.credibility) != (
                    UNGRADED_RELIABILITY,
                    UNGRADED_CREDIBILITY,
                )
                grade = grade_text(ref.reliability, ref.credibility)
                item = QTreeWidgetItem([grade, ref.title, ref.publisher, ref.url])
                item.setToolTip(
                    GRADE_COLUMN,
                    grade_words(ref.reliability, ref.credibility)
                    + ("" if graded else "\nNot graded yet: select it to grade it"),
                )
                item.setTextAlignment(GRADE_COLUMN, Qt.AlignmentFlag.AlignCenter)
                font = item.font(GRADE_COLUMN)
                font.setBold(graded)
                item.setFont(GRADE_COLUMN, font)
                if not graded:
                    item.setForeground(GRADE_COLUMN, self.palette().placeholderText())
                title_tip = ref.title + (f"\n“{ref.excerpt}”" if ref.excerpt else "")
                item.setToolTip(1, title_tip)
                item.setToolTip(2, ref.publisher)
                item.setToolTip(3, ref.url or "No address: a source without a URL")
                self.list.addTopLevelItem(item)
            if select is not None and 0 <= select < len(self._refs):
                self.list.setCurrentItem(self.list.topLevelItem(select))
        self._update_buttons()

    def _valid_url(self) -> str | None:
        """The typed URL checked ("" when none is typed), or None when it is not http(s)."""
        try:
            return check_optional_url("url", self.url_edit.text())
        except ValidationError:
            return None

    def _check_new(self) -> None:
        text = self.url_edit.text().strip()
        problem = ""
        if text:
            try:
                check_url("url", text)
            except ValidationError as error:
                problem = error.message
        self.url_error.setText(problem)
        self.url_error.setVisible(bool(problem))
        self.url_edit.setProperty("invalid", bool(problem))
        _repolish(self.url_edit)
        has_title = bool(self.title_edit.text().strip())
        self.add_button.setEnabled((bool(text) or has_title) and not problem)

    def _update_buttons(self) -> None:
        row = self._selected_row()
        self.open_button.setEnabled(row is not None and bool(self._refs[row].url))
        self.remove_button.setEnabled(row is not None)
        self.citation_box.setVisible(row is not None)
        if row is None or row == self._filled_row:
            self._filled_row = row
            return
        self._filled_row = row
        ref = self._refs[row]
        for combo, value in (
            (self.kind_combo, ref.kind),
            (self.reliability_combo, ref.reliability),
            (self.credibility_combo, ref.credibility),
        ):
            with QSignalBlocker(combo):
                combo.setCurrentIndex(max(0, combo.findData(value)))
        self.language_edit.setText(ref.language)
        self.excerpt_edit.setText(ref.excerpt)


class InspectorSection(QWidget):
    """A part of the inspector below the event's fields, kept in step with the shown event
    (None while nothing, or a new unsaved event, is shown)."""

    def show_event(self, record: EventRecord | None) -> None:
        raise NotImplementedError


class EventInspector(QWidget):
    """Shows one event and edits it; Save goes through an undoable command."""

    saved = Signal(str)  # id of the event just saved (new or edited)
    dirtyChanged = Signal(bool)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.record: EventRecord | None = None
        self.is_new = False
        self.conflict_dialog: ConflictDialog | None = None
        self._loaded: tuple = ()
        self._loading = False
        self._was_dirty = False
        self._category_names: list[str] = []

        self.pages = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

        self.empty_label = QLabel(
            "Select an event in the timeline or the table to see it here.\n\n"
            "Press Ctrl+N to add a new event.",
            self,
        )
        self.empty_label.setObjectName("EmptyHint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.pages.addWidget(self.empty_label)

        editor = QWidget(self)
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.setSpacing(0)
        scroll = QScrollArea(editor)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_host = QWidget(scroll)
        scroll.setWidget(form_host)
        editor_layout.addWidget(scroll, 1)
        self.pages.addWidget(editor)

        body = QVBoxLayout(form_host)
        body.setContentsMargins(12, 10, 12, 10)
        body.setSpacing(6)
        self.heading = QLabel("Event", form_host)
        self.heading.setWordWrap(True)
        self.heading.setObjectName("InspectorHeading")
        self.meta = QLabel("", form_host)
        self.meta.setObjectName("InspectorMeta")
        body.addWidget(self.heading)
        body.addWidget(self.meta)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.form.setHorizontalSpacing(10)
        self.form.setVerticalSpacing(6)
        body.addLayout(self.form)
        self.errors: dict[str, QLabel] = {}
        self.inputs: dict[str, QWidget] = {}

        self.title_edit = QLineEdit(form_host)
        self.title_edit.setPlaceholderText("What happened")
        self._add_row("Title", "title", self.title_edit, "A short statement of what happened")

        self.start_edit = QLineEdit(form_host)
        self.start_edit.setPlaceholderText("e.g. March 2023, 2015-09-30, ~2015, 1990s")
        self.start_reading = self._add_row(
            "Start",
            "start",
            self.start_edit,
            "When it happened, as precisely as known: 2023, March 2023, 12 March 2023, "
            "~2015 (about), 2015? (uncertain), 1990s — or a whole span 2015-09-30/2024-12-08",
            reading=True,
        )
        self.end_edit = QLineEdit(form_host)
        self.end_edit.setPlaceholderText("empty for a single date; ongoing; ? when unknown")
        self.end_reading = self._add_row(
            "End",
            "end",
            self.end_edit,
            "For events that lasted: when they ended (same forms as the start)",
            reading=True,
        )

        self.category_combo = QComboBox(form_host)
        self._add_row(
            "Category",
            "category",
            self.category_combo,
            "The event's category, also its lane on the timeline",
        )

        rating = QWidget(form_host)
        rating_layout = QHBoxLayout(rating)
        rating_layout.setContentsMargins(0, 0, 0, 0)
        self.importance_combo = QComboBox(rating)
        for level, word in IMPORTANCE_WORDS.items():
            self.importance_combo.addItem(f"{level} · {word}", level)
        self.importance_combo.setToolTip(
            "1 = minor … 5 = major; the timeline labels important events first"
        )
        self.certainty_combo = QComboBox(rating)
        for certainty in CERTAINTY_ORDER:
            self.certainty_combo.addItem(certainty.value.capitalize(), certainty.value)
        self.certainty_combo.setToolTip(
            "Confirmed: established; reported: by credible media; alleged: claimed by a "
            "party; disputed: contested"
        )
        certainty_label = QLabel("Certainty", rating)
        rating_layout.addWidget(self.importance_combo, 1)
        rating_layout.addSpacing(12)
        rating_layout.addWidget(certainty_label)
        rating_layout.addWidget(self.certainty_combo, 1)
        self._add_row("Importance", "importance", rating, "")
        self.inputs["certainty"] = self.certainty_combo
        self.certainty_hint = QWidget(form_host)
        hint_layout = QHBoxLayout(self.certainty_hint)
        hint_layout.setContentsMargins(0, 0, 0, 0)
        self.certainty_hint_label = QLabel("", self.certainty_hint)
        self.certainty_hint_label.setObjectName("InspectorMeta")
        self.apply_suggestion_button = QPushButton("Apply", self.certainty_hint)
        self.apply_suggestion_button.setToolTip(
            "Set the certainty the sources' grades suggest (Save keeps it; nothing changes "
            "until you apply it)"
        )
        hint_layout.addStretch(1)
        hint_layout.addWidget(self.certainty_hint_label)
        hint_layout.addWidget(self.apply_suggestion_button)
        self.certainty_hint.hide()
        self.form.addRow("", self.certainty_hint)
        self.apply_suggestion_button.clicked.connect(self.apply_suggested_certainty)

        self.actors_edit = NameListEdit(form_host)
        self.actors_edit.setPlaceholderText("Russia, Iran, …")
        self._add_row(
            "Actors",
            "actors",
            self.actors_edit,
            "Who took part, separated by commas; known names are completed",
        )
        self.tags_edit = NameListEdit(form_host)
        self.tags_edit.setPlaceholderText("comma, separated")
        self._add_row(
            "Tags",
            "tags",
            self.tags_edit,
            "Free keywords, separated by commas; known tags are completed",
        )
        self.location_edit = QLineEdit(form_host)
        self.location_edit.setPlaceholderText("City, country")
        self._add_row("Location", "location", self.location_edit, "Where it happened (optional)")
        self.description_edit = QPlainTextEdit(form_host)
        self.description_edit.setPlaceholderText("Details, context, quotes…")
        self.description_edit.setMinimumHeight(80)
        self.description_edit.setMaximumHeight(150)
        self.description_edit.setTabChangesFocus(True)
        self._add_row(
            "Description", "description", self.description_edit, "Plain-text details of the event"
        )
        self.title_highlight = TitleHighlight(self.heading)
        self.description_highlight = SearchHighlighter(self.description_edit.document())
        self.sources_editor = SourcesEditor(form_host)
        self._add_row("Sources", "sources", self.sources_editor, "")
        self.sections: list[InspectorSection] = []
        self.sections_layout = QVBoxLayout()
        self.sections_layout.setContentsMargins(0, 6, 0, 0)
        self.sections_layout.setSpacing(10)
        body.addLayout(self.sections_layout)
        body.addStretch(1)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(12, 8, 12, 10)
        self.status_label = QLabel("", editor)
        self.status_label.setObjectName("InspectorMeta")
        self.revert_button = QPushButton("Revert", editor)
        self.revert_button.setToolTip("Drop your unsaved changes")
        self.save_button = QPushButton("Save", editor)
        self.save_button.setProperty("primary", True)
        self.save_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_button.setToolTip("Save this event (Ctrl+S); it can be undone")
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        editor_layout.addLayout(buttons)

        for edit in (
            self.title_edit,
            self.start_edit,
            self.end_edit,
            self.actors_edit,
            self.tags_edit,
            self.location_edit,
        ):
            edit.textChanged.connect(self._on_changed)
        self.description_edit.textChanged.connect(self._on_changed)
        self.category_combo.currentIndexChanged.connect(self._on_changed)
        self.importance_combo.currentIndexChanged.connect(self._on_changed)
        self.certainty_combo.currentIndexChanged.connect(self._on_changed)
        self.sources_editor.changed.connect(self._on_changed)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        workspace.eventsChanged.connect(self._on_events_changed)
        self.show_event(None)

    # ---- building ------------------------------------------------------------------------

    def _add_row(
        self, label: str, field: str, widget: QWidget, tip: str, *, reading: bool = False
    ) -> QLabel:
        host = QWidget(widget.parentWidget())
        column = QVBoxLayout(host)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        reading_label = QLabel("", host)
        reading_label.setObjectName("DateReading")
        reading_label.setToolTip("How the date will be read and stored")
        reading_label.setVisible(reading)
        column.addWidget(reading_label)
        error = QLabel("", host)
        error.setObjectName("FieldError")
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        if tip:
            widget.setToolTip(tip)
        self.form.addRow(label, host)
        self.errors[field] = error
        self.inputs[field] = widget
        return reading_label

    # ---- public --------------------------------------------------------------------------

    def current_id(self) -> str | None:
        return self.record.id if self.record is not None and not self.is_new else None

    def set_names(
        self, categories: Sequence[CategoryRecord], actors: Sequence[str], tags: Sequence[str]
    ) -> None:
        """Offer the database's names; keeps what the user has typed or chosen."""
        chosen = self.category_combo.currentText()
        self._category_names = [record.name for record in categories]
        with QSignalBlocker(self.category_combo):
            self.category_combo.clear()
            for record in categories:
                label = f"  {record.name}" if record.parent else record.name
                self.category_combo.addItem(swatch(record.colour), label, record.name)
            index = self.category_combo.findData(chosen)
            self.category_combo.setCurrentIndex(index if index >= 0 else -1)
        self.actors_edit.set_known(actors)
        self.tags_edit.set_known(tags)
        if self.pages.currentIndex() == 1:
            self._on_changed()

    def set_search(self, text: str) -> None:
        """Mark what the filter's search matches in the title and the description."""
        self.title_highlight.set_search(text)
        self.description_highlight.set_search(text)

    def add_section(self, section: InspectorSection) -> None:
        """Add a part shown under the editor (links, notes, history…): it follows the shown
        event through its own `show_event`, and saves its own changes."""
        self.sections.append(section)
        self.sections_layout.addWidget(section)
        section.show_event(None if self.is_new else self.record)

    def show_event(self, record: EventRecord | None) -> None:
        """Show `record` (None: nothing); the caller has dealt with unsaved edits."""
        self._close_conflict()
        self.record = record
        self.is_new = False
        for section in self.sections:
            section.show_event(record)
        if record is None:
            self.pages.setCurrentIndex(0)
            self._loaded = ()
            self._set_dirty(False)
            return
        self._fill(record.to_draft())
        self.title_highlight.show(record.title)
        updated = record.updated_at.replace("T", " ")[:16]
        self.meta.setText(f"Version {record.version}" + (f" · saved {updated}" if updated else ""))
        self.pages.setCurrentIndex(1)

    def show_message(self, text: str) -> None:
        """A note in place of the editor (e.g. several events selected)."""
        self.show_event(None)
        self.empty_label.setText(text)

    def start_new(self, start: str = "", category: str | None = None) -> None:
        """Compose a new event, its start prefilled (from where the user clicked)."""
        self._close_conflict()
        self.record = None
        self.is_new = True
        for section in self.sections:
            section.show_event(None)
        default_category = category or (self._category_names[0] if self._category_names else "")
        self._fill(EventDraft(title="", start=start, category=default_category))
        self.title_highlight.show("New event")
        self.meta.setText("Not saved yet")
        self.pages.setCurrentIndex(1)
        self.title_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def is_dirty(self) -> bool:
        return self.pages.currentIndex() == 1 and self._snapshot() != self._loaded

    def confirm_leave(self) -> bool:
        """True when it is fine to show something else: no edits, or saved, or discarded."""
        if not self.is_dirty():
            return True
        title = self.title_edit.text().strip() or "the new event"
        if self._validate() is None:
            return self._confirm_leave_invalid(title)
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save your changes to “{title}”?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.revert()
            return True
        return False

    def _confirm_leave_invalid(self, title: str) -> bool:
        """Changes that cannot be saved as they are: offer no Save that would do nothing,
        but say what is wrong, and either drop them or go back to fix it."""
        field, problem = next(
            ((name, label.text()) for name, label in self.errors.items() if label.text()),
            ("", "a field is not valid"),
        )
        where = f"{field}: {problem}" if field else problem
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"Your changes to “{title}” cannot be saved as they are ({where}).\n\n"
            "Discard them, or keep editing to fix them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Discard:
            self.revert()
            return True
        widget = self.inputs.get(field)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return False

    def revert(self) -> None:
        if self.is_new or self.record is None:
            self.show_event(None)
        else:
            self.show_event(self.record)

    def save(self) -> bool:
        """Save the form through an undoable command; False when not saved (yet)."""
        draft = self._validate()
        if draft is None:
            return False
        if self.is_new or self.record is None:
            return self._save(draft, None)
        return self._save(draft, self.record.version)

    # ---- saving --------------------------------------------------------------------------

    def _save(self, draft: EventDraft, expected_version: int | None) -> bool:
        try:
            if expected_version is None or self.record is None:
                add = AddEventCommand(self.workspace, draft)
                self.workspace.run(add)
                saved = add.record
            else:
                edit = EditEventCommand(self.workspace, self.record.id, draft, expected_version)
                self.workspace.run(edit)
                saved = edit.after
        except ConflictError as error:
            self._on_conflict(draft, error)
            return False
        except ValidationError as error:
            self._mark(error.field, error.message)
            self.save_button.setEnabled(False)
            return False
        except TimelineError as error:
            QMessageBox.warning(self, "Cannot save the event", str(error))
            return False
        assert saved is not None
        self.show_event(saved)
        self.status_label.setText("Saved")
        self.saved.emit(saved.id)
        return True

    def _on_conflict(self, draft: EventDraft, error: ConflictError) -> None:
        if error.found is None:
            answer = QMessageBox.question(
                self,
                "Event deleted elsewhere",
                "This event was deleted by someone else while you edited it.\n\n"
                "Save your version as a new event?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.is_new = True
                self._save(draft, None)
            return
        assert self.record is not None
        try:
            stored = self.workspace.catalog.event(self.record.id)
        except NotFoundError:
            self._on_conflict(draft, ConflictError("event", self.record.id, error.expected, None))
            return
        self._close_conflict()
        dialog = ConflictDialog(draft, stored, self)
        dialog.resolved.connect(lambda choice: self._resolve_conflict(choice, draft, stored))
        self.conflict_dialog = dialog
        self.status_label.setText("Not saved: changed elsewhere")
        dialog.open()

    def _resolve_conflict(self, choice: str, draft: EventDraft, stored: EventRecord) -> None:
        self.conflict_dialog = None
        if choice == KEEP_MINE:
            self._save(draft, stored.version)
        elif choice == TAKE_STORED:
            self.show_event(stored)
            self.status_label.setText("Showing the stored version")

    def _close_conflict(self) -> None:
        if self.conflict_dialog is not None:
            dialog, self.conflict_dialog = self.conflict_dialog, None
            dialog.resolved.disconnect()
            dialog.reject()

    def _on_events_changed(self, ids: list[str]) -> None:
        """Follow changes made elsewhere (undo, other commands) unless the user is editing."""
        if self.record is None or self.is_new or self.is_dirty():
            return
        if ids and self.record.id not in ids:
            return
        try:
            fresh = self.workspace.catalog.event(self.record.id)
        except NotFoundError:
            self.show_event(None)
            return
        if fresh.version != self.record.version or fresh != self.record:
            self.show_event(fresh)

    # ---- form <-> draft ------------------------------------------------------------------

    def _fill(self, draft: EventDraft) -> None:
        self._loading = True
        try:
            self.title_edit.setText(draft.title)
            self.start_edit.setText(draft.start)
            self.end_edit.setText("" if draft.end is None else END_WORDS.get(draft.end, draft.end))
            index = self.category_combo.findData(draft.category)
            self.category_combo.setCurrentIndex(index)
            self.importance_combo.setCurrentIndex(
                max(0, self.importance_combo.findData(draft.importance))
            )
            self.certainty_combo.setCurrentIndex(
                max(0, self.certainty_combo.findData(str(draft.certainty)))
            )
            self.actors_edit.set_names(draft.actors)
            self.tags_edit.set_names(draft.tags)
            self.location_edit.setText(draft.location or "")
            self.description_edit.setPlainText(draft.description)
            self.sources_editor.set_sources(draft.sources)
        finally:
            self._loading = False
        self._loaded = self._snapshot()
        self.status_label.setText("")
        self._on_changed()

    def _snapshot(self) -> tuple:
        return (
            self.title_edit.text(),
            self.start_edit.text().strip(),
            self.end_edit.text().strip(),
            self.category_combo.currentData(),
            int(self.importance_combo.currentData()),
            self.certainty_combo.currentData(),
            self.actors_edit.names(),
            self.tags_edit.names(),
            self.location_edit.text().strip(),
            self.description_edit.toPlainText(),
            self.sources_editor.sources(),
        )

    def _on_changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._update_certainty_hint()
        draft = self._validate()
        dirty = self.is_dirty()
        self.save_button.setEnabled(draft is not None and (dirty or self.is_new))
        self.revert_button.setEnabled(dirty)
        if dirty:
            self.status_label.setText("Unsaved changes")
        elif self.status_label.text() == "Unsaved changes":
            self.status_label.setText("")
        self._set_dirty(dirty)

    def suggested_certainty(self) -> Certainty | None:
        """The certainty the citations' grades (as the form holds them) support, when it
        differs from the one chosen; None otherwise."""
        suggestion = suggested_certainty(self.sources_editor.grades())
        if suggestion is None or suggestion.value == self.certainty_combo.currentData():
            return None
        return suggestion

    def apply_suggested_certainty(self) -> None:
        """Take the sources' suggestion: only when the user asks (never silently)."""
        suggestion = self.suggested_certainty()
        if suggestion is not None:
            self.certainty_combo.setCurrentIndex(self.certainty_combo.findData(suggestion.value))

    def _update_certainty_hint(self) -> None:
        suggestion = self.suggested_certainty()
        self.certainty_hint.setVisible(suggestion is not None)
        if suggestion is None:
            return
        best = best_grade(
            grade
            for grade in self.sources_editor.grades()
            if grade != (UNGRADED_RELIABILITY, UNGRADED_CREDIBILITY)
        )
        assert best is not None
        self.certainty_hint_label.setText(f"Sources suggest: {suggestion.value.capitalize()}")
        self.certainty_hint_label.setToolTip(
            f"The best-graded source is {grade_words(*best)}; the certainty stays as set "
            "unless you apply the suggestion"
        )

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._was_dirty:
            self._was_dirty = dirty
            self.dirtyChanged.emit(dirty)

    def _validate(self) -> EventDraft | None:
        """Check every field, mark the wrong ones, and return the draft when all are right."""
        problems: dict[str, str] = {}

        def attempt(field: str, check):
            try:
                return check()
            except ValidationError as error:
                problems.setdefault(field, error.message)
                return None

        title = attempt(
            "title", lambda: check_text("title", self.title_edit.text(), limit=TITLE_MAX)
        )
        start, end = self._read_dates(problems)
        category = self.category_combo.currentData()
        if not self._category_names:
            problems["category"] = "there are no categories yet; add one in Edit ▸ Categories…"
        elif not category:
            problems["category"] = "choose a category"
        actors = attempt("actors", lambda: check_names("actors", self.actors_edit.names()))
        tags = attempt("tags", lambda: check_names("tags", self.tags_edit.names()))
        location = attempt(
            "location",
            lambda: check_text(
                "location", self.location_edit.text(), limit=NAME_MAX, required=False
            ),
        )
        description = attempt(
            "description",
            lambda: check_text(
                "description",
                self.description_edit.toPlainText(),
                limit=DESCRIPTION_MAX,
                required=False,
            ),
        )

        draft = None
        if not problems:
            draft = EventDraft(
                title=title or "",
                start=start or "",
                end=end,
                category=str(category),
                importance=int(self.importance_combo.currentData()),
                certainty=Certainty(self.certainty_combo.currentData()),
                description=description or "",
                location=location or None,
                actors=actors or (),
                tags=tags or (),
                sources=self.sources_editor.sources(),
            )
            try:
                validate_event(draft, self._category_names)
            except ValidationError as error:
                problems[self._field_of(error.field)] = error.message
                draft = None
        for field in self.errors:
            self._show_problem(field, problems.get(field, ""))
        return draft

    def _read_dates(self, problems: dict[str, str]) -> tuple[str | None, str | None]:
        start_text = self.start_edit.text().strip()
        end_text = self.end_edit.text().strip()
        self._set_reading(self.start_reading, "")
        self._set_reading(self.end_reading, "")
        if not start_text:
            problems["start"] = "must not be empty; " + DATE_HINT
            return None, None
        start = end = None
        try:
            start, end_from_start = read_user_span(start_text)
        except DateError as error:
            problems["start" if error.field in ("date", "start") else "end"] = friendly_date_error(
                error
            )
            return None, None
        if end_text:
            if end_from_start is not None:
                problems["end"] = "the start already gives a span; leave the end empty"
                return None, None
            try:
                end = read_user_end(end_text)  # "ongoing", "present" and "?" too
            except DateError as error:
                problems["end"] = friendly_date_error(error)
        else:
            end = end_from_start
        try:
            first = parse_date(start)
            self._set_reading(self.start_reading, f"→ {describe_date(first)}   ({start})")
            if end is not None:
                span = parse_span(start, end)
                if end_from_start is not None:
                    self._set_reading(
                        self.start_reading, f"→ {describe_span(span)}   ({start}/{end})"
                    )
                else:
                    assert span.end is not None
                    self._set_reading(self.end_reading, f"→ {describe_date(span.end)}   ({end})")
        except DateError as error:
            field = "end" if error.field == "end" and end_from_start is None else "start"
            problems.setdefault(field, friendly_date_error(error))
        return start, end

    @staticmethod
    def _set_reading(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    @staticmethod
    def _field_of(field: str) -> str:
        if field.startswith("sources"):
            return "sources"
        return (
            field
            if field
            in (
                "title",
                "start",
                "end",
                "category",
                "actors",
                "tags",
                "location",
                "description",
                "importance",
            )
            else "title"
        )

    def _show_problem(self, field: str, message: str) -> None:
        label = self.errors[field]
        label.setText(message)
        label.setVisible(bool(message))
        widget = self.inputs[field]
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QComboBox)):
            widget.setProperty("invalid", bool(message))
            _repolish(widget)

    def _mark(self, field: str, message: str) -> None:
        self._show_problem(self._field_of(field), message)
