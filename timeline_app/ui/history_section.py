"""The inspector's History: every recorded change of the shown event, newest first, as
"when · who · what", each unfolding to its old → new values, and "Restore this version"
on every earlier one (an undoable edit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QMessageBox,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.changes import Changes
from timeline_app.domain.errors import TimelineError
from timeline_app.domain.evidence import HistoryAction, HistoryEntry
from timeline_app.domain.model import EventRecord
from timeline_app.ui.collapsible import Collapsible
from timeline_app.ui.history_commands import RestoreVersionCommand, when_text
from timeline_app.ui.inspector import InspectorSection

if TYPE_CHECKING:
    from timeline_app.ui.workspace import Workspace

VALUE_LIMIT = 30
"""Characters of a value shown in a line; the whole value is in its tooltip."""


def value_text(value: object) -> str:
    """A recorded value as a short line: lists joined, sources by title, nothing as "—"."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        parts = [
            str(item.get("title", "")) if isinstance(item, dict) else str(item) for item in value
        ]
        return ", ".join(parts)
    return " ".join(str(value).split())


def _short(text: str) -> str:
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def what_text(entry: HistoryEntry) -> str:
    """What a change did, in a few words: "created", "deleted", "changed title, certainty"."""
    if entry.action is HistoryAction.CREATE:
        return "created"
    if entry.action is HistoryAction.DELETE:
        return "deleted"
    names = list(entry.changes)
    if len(names) > 3:
        return "changed " + ", ".join(names[:2]) + f" and {len(names) - 2} more"
    return "changed " + ", ".join(names)


def entry_line(entry: HistoryEntry) -> str:
    """ "30 Nov 2026 10:02 · anna · changed title, certainty" """
    return f"{when_text(entry.at)} · {entry.author} · {what_text(entry)}"


class HistorySection(InspectorSection):
    """The shown event's recorded changes; folded by default, the inspector being narrow."""

    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        *,
        confirm_leave: Callable[[], bool] = lambda: True,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.confirm_leave = confirm_leave
        self.record: EventRecord | None = None
        self.entries: list[HistoryEntry] = []
        self.restore_buttons: dict[int, QToolButton] = {}

        self.fold = Collapsible("History", self, open_=False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.fold)
        body = QVBoxLayout(self.fold.body)
        body.setContentsMargins(4, 0, 0, 0)
        self.tree = QTreeWidget(self.fold.body)
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setWordWrap(True)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.setUniformRowHeights(False)
        self.tree.setIndentation(14)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setMinimumHeight(120)
        self.tree.setMaximumHeight(260)
        self.tree.setToolTip("Click a change to see its old → new values")
        self.tree.itemClicked.connect(self._toggle)
        body.addWidget(self.tree)
        workspace.changed.connect(self._on_changed)
        self.fold.toggled.connect(lambda open_: open_ and self.reload())

    def show_event(self, record: EventRecord | None) -> None:
        self.record = record
        self.setVisible(record is not None)
        self.reload()

    def _on_changed(self, changes: Changes) -> None:
        if self.record is not None and (changes.everything or self.record.id in changes.events):
            self.reload()

    def reload(self) -> None:
        self.tree.clear()
        self.restore_buttons = {}
        self.entries = []
        if self.record is not None:
            try:
                from timeline_app.services.history import event_history  # not at start-up

                self.entries = event_history(self.workspace.catalog, self.record.id)
            except (TimelineError, AttributeError):  # the first frame's snapshot: no history
                self.entries = []
        self.fold.set_count(len(self.entries))
        for position, entry in enumerate(self.entries):
            item = QTreeWidgetItem([entry_line(entry)])
            item.setToolTip(0, entry_line(entry))
            self.tree.addTopLevelItem(item)
            if entry.action is HistoryAction.UPDATE:
                for name, (old, new) in entry.changes.items():
                    old_text, new_text = value_text(old), value_text(new)
                    child = QTreeWidgetItem([f"{name}: {_short(old_text)} → {_short(new_text)}"])
                    child.setToolTip(0, f"{name}\nwas: {old_text}\nnow: {new_text}")
                    item.addChild(child)
            if position > 0 and entry.id is not None:
                holder = QTreeWidgetItem()
                item.addChild(holder)
                cell = QWidget(self.tree)
                row = QHBoxLayout(cell)
                row.setContentsMargins(0, 1, 0, 1)
                button = QToolButton(cell)
                button.setText("Restore this version")
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.setStyleSheet(
                    "QToolButton { color: palette(link); text-decoration: underline;"
                    " border: none; padding: 0px; }"
                )
                button.setToolTip(
                    "Make the event what it was "
                    + (
                        "just before it was deleted"
                        if entry.action is HistoryAction.DELETE
                        else "after this change"
                    )
                    + " (Undo takes it back)"
                )
                button.clicked.connect(lambda _c=False, e=entry: self.restore(e))
                row.addWidget(button)
                row.addStretch(1)
                self.tree.setItemWidget(holder, 0, cell)
                holder.setSizeHint(0, cell.sizeHint())
                self.restore_buttons[entry.id] = button

    def _toggle(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.childCount():
            item.setExpanded(not item.isExpanded())

    def restore(self, entry: HistoryEntry) -> None:
        """Make the shown event what `entry` recorded, as an undoable command."""
        if self.record is None or not self.confirm_leave():
            return
        try:
            shown = self.workspace.catalog.event(self.record.id)
        except TimelineError:
            shown = None
        if shown is not None and shown.version != self.record.version:
            shown = self.record  # the version the user saw: a later save is a conflict
        try:
            self.workspace.run(RestoreVersionCommand(self.workspace, entry, shown))
        except TimelineError as error:
            QMessageBox.warning(self, "timeline_app", f"The version was not restored: {error}")
