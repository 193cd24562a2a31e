"""The search and filter bar: words, categories, actors, tags, certainty, importance, grade,
dates, and the source whose citing events are shown.

It only builds an `EventFilter`; the window asks the catalog for the matching events and
shows the same set in the timeline and the table.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QWidget,
)

from timeline_app.domain.dates import parse_date, read_user_date
from timeline_app.domain.errors import DateError
from timeline_app.domain.evidence import CREDIBILITY_WORDS, RELIABILITY_WORDS
from timeline_app.domain.model import CERTAINTY_ORDER, CategoryRecord, Certainty, EventFilter
from timeline_app.ui.actions import menu_text
from timeline_app.ui.event_table import swatch

SEARCH_DELAY_MS = 250
SEARCH_TIP = (
    "<p>Show only events holding every word, in the title, description, notes, actors "
    "(and their aliases, in any script), tags, location, or a source's title or publisher "
    "(Ctrl+F).</p>"
    "<p><b>sanction</b> also finds “sanctions”; "
    '<b>"air defence"</b> finds that exact phrase; '
    "<b>drone OR missile</b> either word; "
    "<b>-Syria</b> or <b>NOT Syria</b> leaves events mentioning it out. "
    "Case and accents do not matter.</p>"
)
"""The search syntax, explained where it is typed (see `domain.search_query`)."""


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class ChoiceButton(QToolButton):
    """A button with a menu of checkable choices; its text says how many are chosen."""

    choicesChanged = Signal()

    def __init__(self, noun: str, plural: str, tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.noun = noun
        self.plural = plural
        self.menu_ = QMenu(self)
        self.menu_.setToolTipsVisible(True)
        self.setMenu(self.menu_)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolTip(tip)
        self._actions: dict[str, QAction] = {}
        self._update_text()

    def set_choices(self, names: Sequence[str], colours: dict[str, str] | None = None) -> None:
        chosen = self.chosen()
        self.menu_.clear()
        self._actions = {}
        if not names:
            empty = self.menu_.addAction(f"No {self.plural} yet")
            empty.setEnabled(False)
        for name in names:
            action = self.menu_.addAction(menu_text(name))
            action.setCheckable(True)
            action.setChecked(name in chosen)
            if colours and name in colours:
                action.setIcon(swatch(colours[name]))
            action.toggled.connect(self._on_toggled)
            self._actions[name] = action
        if names:
            self.menu_.addSeparator()
            clear = self.menu_.addAction(f"Any {self.noun}")
            clear.triggered.connect(self.clear)
        self._update_text()

    def chosen(self) -> frozenset[str]:
        return frozenset(name for name, action in self._actions.items() if action.isChecked())

    def action(self, name: str) -> QAction:
        return self._actions[name]

    def clear(self) -> None:
        changed = bool(self.chosen())
        for action in self._actions.values():
            with QSignalBlocker(action):
                action.setChecked(False)
        self._update_text()
        if changed:
            self.choicesChanged.emit()

    def _on_toggled(self, _checked: bool) -> None:
        self._update_text()
        self.choicesChanged.emit()

    def _update_text(self) -> None:
        chosen = sorted(self.chosen())
        if not chosen:
            text = self.plural.capitalize()
        elif len(chosen) == 1:
            text = chosen[0] if len(chosen[0]) <= 22 else chosen[0][:21] + "…"
        else:
            text = f"{len(chosen)} {self.plural}"
        self.setText(menu_text(text))
        self.setProperty("active", bool(chosen))
        _repolish(self)


class GradeButton(QToolButton):
    """The least grade an event's best-graded citation must reach, chosen in two parts:
    the source's reliability (A–E) and the information's credibility (1–5)."""

    gradeChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.menu_ = QMenu(self)
        self.menu_.setToolTipsVisible(True)
        self.setMenu(self.menu_)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolTip(
            "Show only events citing a source graded at least this well (Admiralty scale: "
            "source reliability A–F, information credibility 1–6)"
        )
        self.reliability_actions = self._group(
            "Source reliability at least",
            [("", "Any reliability", "")]
            + [(letter, f"{letter} — {RELIABILITY_WORDS[letter]}", letter) for letter in "ABCDE"],
        )
        self.menu_.addSeparator()
        self.credibility_actions = self._group(
            "Information credibility at least",
            [("", "Any credibility", "")]
            + [(str(n), f"{n} — {CREDIBILITY_WORDS[n]}", str(n)) for n in range(1, 6)],
        )
        self.menu_.addSeparator()
        self.menu_.addAction("Any grade").triggered.connect(self.clear)
        self._update_text()

    def _group(self, heading: str, entries: list[tuple[str, str, str]]) -> dict[str, QAction]:
        self.menu_.addSection(heading)
        group = QActionGroup(self)
        group.setExclusive(True)
        actions: dict[str, QAction] = {}
        for key, text, _value in entries:
            action = self.menu_.addAction(text)
            action.setCheckable(True)
            action.setChecked(key == "")
            group.addAction(action)
            action.toggled.connect(self._on_toggled)
            actions[key] = action
        return actions

    def grade(self) -> tuple[str, int] | None:
        """(reliability, credibility) at least; None when neither part is chosen."""
        reliability = next(k for k, a in self.reliability_actions.items() if a.isChecked())
        credibility = next(k for k, a in self.credibility_actions.items() if a.isChecked())
        if not reliability and not credibility:
            return None
        return (reliability or "F", int(credibility or 6))

    def set_grade(self, reliability: str = "", credibility: int | None = None) -> None:
        """Choose from code ("" / None: any); emits `gradeChanged` when it changed."""
        before = self.grade()
        for key, action in self.reliability_actions.items():
            with QSignalBlocker(action):
                action.setChecked(key == reliability)
        wanted = "" if credibility is None else str(credibility)
        for key, action in self.credibility_actions.items():
            with QSignalBlocker(action):
                action.setChecked(key == wanted)
        self._update_text()
        if self.grade() != before:
            self.gradeChanged.emit()

    def clear(self) -> None:
        self.set_grade()

    def _on_toggled(self, checked: bool) -> None:
        if checked:  # the exclusive group also unchecks the previous choice: act once
            self._update_text()
            self.gradeChanged.emit()

    def _update_text(self) -> None:
        grade = self.grade()
        if grade is None:
            text = "Grade"
        else:
            reliability, credibility = grade
            shown = (reliability if reliability != "F" else "") + (
                str(credibility) if credibility != 6 else ""
            )
            text = f"Grade {shown} or better"
        self.setText(text)
        self.setProperty("active", grade is not None)
        _repolish(self)


class FilterBar(QToolBar):
    """Builds the `EventFilter` the window applies to both the timeline and the table.

    A toolbar, so that on a narrow window the last filters fold into its overflow menu
    instead of forcing the window wider."""

    filterChanged = Signal(object)  # EventFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Filter", parent)
        self.setObjectName("FilterBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toggleViewAction().setText("&Filter Bar")

        self.search = QLineEdit(self)
        self.search.setPlaceholderText('Search everything: words, "a phrase", OR, -word…')
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(SEARCH_TIP)
        self.search.setMinimumWidth(260)
        self.search.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.addWidget(self.search)

        self.categories = ChoiceButton(
            "category", "categories", "Show only events in the chosen categories", self
        )
        self.actors = ChoiceButton(
            "actor", "actors", "Show only events involving these actors", self
        )
        self.tags = ChoiceButton("tag", "tags", "Show only events with these tags", self)
        self.certainties = ChoiceButton(
            "certainty", "certainty", "Show only events of the chosen certainty", self
        )
        self.certainties.set_choices([c.value.capitalize() for c in CERTAINTY_ORDER])
        for button in (self.categories, self.actors, self.tags, self.certainties):
            self.addWidget(button)

        self.importance = QComboBox(self)
        self.importance.addItem("Any importance", 1)
        for level in range(2, 6):
            self.importance.addItem(f"Importance ≥ {level}", level)
        self.importance.setToolTip("Hide events less important than this")
        self.addWidget(self.importance)
        self.grade = GradeButton(self)
        self.addWidget(self.grade)

        self.date_from = QLineEdit(self)
        self.date_from.setPlaceholderText("From")
        self.date_from.setToolTip("Show events on or after this date (2015, March 2023, …)")
        self.date_to = QLineEdit(self)
        self.date_to.setPlaceholderText("To")
        self.date_to.setToolTip("Show events on or before this date (2024, 12 May 2024, …)")
        for edit in (self.date_from, self.date_to):
            edit.setClearButtonEnabled(True)
            edit.setFixedWidth(110)
            self.addWidget(edit)

        self.citing_button = QToolButton(self)
        self.citing_button.setProperty("active", True)
        self.citing_button.setToolTip("Showing only the events citing this source; click to stop")
        self.citing_action = self.addWidget(self.citing_button)
        self.citing_action.setVisible(False)
        self._citing: tuple[str, str] | None = None

        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Remove every filter and show all events")
        self.clear_button.setEnabled(False)
        self.addWidget(self.clear_button)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("CountLabel")
        self.count_label.setToolTip("Events shown under the current filter, of all events")
        self.addWidget(self.count_label)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._emit)
        for button in (self.categories, self.actors, self.tags, self.certainties):
            button.choicesChanged.connect(self._emit)
        self.importance.currentIndexChanged.connect(lambda _index: self._emit())
        self.grade.gradeChanged.connect(self._emit)
        self.citing_button.clicked.connect(lambda: self.set_citing(None))
        for edit in (self.date_from, self.date_to):
            edit.editingFinished.connect(self._emit)
            edit.textChanged.connect(lambda _text, e=edit: self._check_date(e))
        self.clear_button.clicked.connect(self.clear)
        self._last = EventFilter()

    # ---- public --------------------------------------------------------------------------

    def set_choices(
        self,
        categories: Sequence[CategoryRecord],
        actors: Sequence[str],
        tags: Sequence[str],
    ) -> None:
        """Offer the database's current names; choices no longer there are dropped."""
        before = self.current_filter()
        self.categories.set_choices(
            [record.name for record in categories],
            {record.name: record.colour for record in categories},
        )
        self.actors.set_choices(list(actors))
        self.tags.set_choices(list(tags))
        if self.current_filter() != before:
            self._emit()

    def current_filter(self) -> EventFilter:
        lower = self._date_bound(self.date_from, upper=False)
        upper = self._date_bound(self.date_to, upper=True)
        return EventFilter(
            text=self.search.text().strip(),
            categories=self.categories.chosen(),
            actors=self.actors.chosen(),
            tags=self.tags.chosen(),
            certainties=frozenset(Certainty(name.lower()) for name in self.certainties.chosen()),
            min_importance=int(self.importance.currentData() or 1),
            lower=lower,
            upper=upper,
            min_grade=self.grade.grade(),
            source_ids=frozenset({self._citing[0]}) if self._citing else frozenset(),
        )

    def set_citing(self, source_id: str | None, title: str = "") -> None:
        """Show only the events citing this source (None: stop); the bar names it."""
        self._citing = (source_id, title) if source_id else None
        if self._citing is not None:
            shown = title if len(title) <= 22 else title[:21] + "…"
            self.citing_button.setText(f"Citing: {shown}  ✕")
            self.citing_button.setToolTip(
                f"Showing only the events citing “{title}”; click to show them all again"
            )
            _repolish(self.citing_button)
        self.citing_action.setVisible(self._citing is not None)
        self._emit()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def set_count(self, shown: int, total: int) -> None:
        self.count_label.setText(f"{shown:,} of {total:,}")

    def clear(self) -> None:
        widgets = (self.search, self.importance, self.date_from, self.date_to)
        blockers = [QSignalBlocker(widget) for widget in widgets]
        self.search.clear()
        self.importance.setCurrentIndex(0)
        self.date_from.clear()
        self.date_to.clear()
        for edit in (self.date_from, self.date_to):
            self._check_date(edit)
        del blockers
        for button in (self.categories, self.actors, self.tags, self.certainties, self.grade):
            with QSignalBlocker(button):
                button.clear()
        self._citing = None
        self.citing_action.setVisible(False)
        self._emit()

    # ---- internals -----------------------------------------------------------------------

    def _emit(self) -> None:
        self._search_timer.stop()
        current = self.current_filter()
        self.clear_button.setEnabled(not current.is_empty)
        if current != self._last:
            self._last = current
            self.filterChanged.emit(current)

    def _date_bound(self, edit: QLineEdit, *, upper: bool) -> int | None:
        text = edit.text().strip()
        if not text:
            return None
        try:
            date = parse_date(read_user_date(text))
        except DateError:
            return None
        return date.upper if upper else date.lower

    def _check_date(self, edit: QLineEdit) -> None:
        text = edit.text().strip()
        problem = ""
        if text:
            try:
                read_user_date(text)
            except DateError as error:
                problem = error.message.split(" (")[0]
        edit.setProperty("invalid", bool(problem))
        base = "on or after" if edit is self.date_from else "on or before"
        edit.setToolTip(problem or f"Show events {base} this date (2015, March 2023, …)")
        _repolish(edit)
