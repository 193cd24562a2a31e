"""The actors dialog: every actor with its kind, aliases and how many events cite it; rename,
set the kind, edit the aliases, merge duplicates and delete unused ones.

Like the tags dialog, every change is an undoable command on the window's stack and applies
at once. Aliases are other names in any script (Russia / Россия / روسیه): search finds an
actor's events by them, and a merge keeps the duplicate's name as one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt
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
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.errors import TimelineError
from timeline_app.services.actors import ActorUse, actor_kinds_in_use, actor_uses, clean_aliases
from timeline_app.ui.actor_commands import (
    DeleteActorCommand,
    MergeActorsCommand,
    RenameActorCommand,
    SetActorAliasesCommand,
    SetActorKindCommand,
)
from timeline_app.ui.manager_parts import ManagerDialog, add_message_and_footer, events_text
from timeline_app.ui.workspace import Workspace

NAME, KIND, ALIASES, EVENTS = range(4)
_HEADERS = ("Name", "Kind", "Aliases", "Events")


class ActorManager(ManagerDialog):
    """Manage the actors of the open database; changes apply immediately, with undo."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Actors")
        self.records: list[ActorUse] = []
        self._follow: str | None = None

        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find an actor by name, kind or alias")
        self.search.setToolTip("Show only the actors whose name, kind or an alias contains this")
        self.search.setClearButtonEnabled(True)
        left.addWidget(self.search)
        self.list = QTreeWidget(self)
        self.list.setColumnCount(len(_HEADERS))
        self.list.setHeaderLabels(list(_HEADERS))
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setToolTip("Every actor, with its kind, its aliases and how many events cite it")
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ALIASES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(EVENTS, QHeaderView.ResizeMode.ResizeToContents)
        self.list.setColumnWidth(NAME, 200)
        self.list.setMinimumWidth(460)
        left.addWidget(self.list, 1)
        self.total_label = QLabel("", self)
        self.total_label.setObjectName("InspectorMeta")
        left.addWidget(self.total_label)
        layout.addLayout(left, 3)

        right = QVBoxLayout()
        details = QGroupBox("Selected actor", self)
        form = QFormLayout(details)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        name_row = QHBoxLayout()
        self.name_edit = QLineEdit(details)
        self.name_edit.setToolTip("The actor's name; press Rename (or Enter) to apply")
        self.rename_button = QPushButton("Rename", details)
        self.rename_button.setToolTip(
            "Give the actor the name typed; every event citing it follows"
        )
        name_row.addWidget(self.name_edit, 1)
        name_row.addWidget(self.rename_button)
        form.addRow("Name", name_row)
        self.kind_combo = QComboBox(details)
        self.kind_combo.setEditable(True)
        self.kind_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.kind_combo.setToolTip(
            "What the actor is: state, organisation, company, person… (type another; Enter "
            "or a choice applies it)"
        )
        form.addRow("Kind", self.kind_combo)
        self.aliases_edit = QPlainTextEdit(details)
        self.aliases_edit.setPlaceholderText("One alias a line, in any script:\nРоссия\nروسیه")
        self.aliases_edit.setToolTip(
            "Other names of the actor, one a line, in any script; search finds its events "
            "by them. Another actor's name cannot be an alias: merge the two instead."
        )
        self.aliases_edit.setTabChangesFocus(True)
        self.aliases_edit.setFixedHeight(96)
        aliases_column = QVBoxLayout()
        aliases_column.addWidget(self.aliases_edit)
        aliases_buttons = QHBoxLayout()
        aliases_buttons.addStretch(1)
        self.aliases_button = QPushButton("Save aliases", details)
        self.aliases_button.setToolTip("Keep these aliases (blank lines and repeats are dropped)")
        aliases_buttons.addWidget(self.aliases_button)
        aliases_column.addLayout(aliases_buttons)
        form.addRow("Aliases", aliases_column)
        self.count_label = QLabel("", details)
        form.addRow("Cited by", self.count_label)
        right.addWidget(details)

        merge_box = QGroupBox("Merge or delete", self)
        merge_form = QFormLayout(merge_box)
        merge_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.target_combo = QComboBox(merge_box)
        self.target_combo.setToolTip("The actor the selected one is a duplicate of")
        merge_form.addRow("Other actor", self.target_combo)
        merge_buttons = QHBoxLayout()
        self.merge_button = QPushButton("Merge into it", merge_box)
        self.merge_button.setToolTip(
            "Events citing the selected actor cite the other one instead; the selected "
            "actor's name and aliases become the other's aliases"
        )
        self.delete_button = QPushButton("Delete unused", merge_box)
        self.delete_button.setToolTip("Delete the selected actor: only when no event cites it")
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
        layout.addLayout(right, 2)

        self.list.currentItemChanged.connect(lambda *_args: self._show_selected())
        self.search.textChanged.connect(lambda _text: self.reload())
        self.rename_button.clicked.connect(self.rename_selected)
        self.name_edit.returnPressed.connect(self.rename_selected)
        self.kind_combo.activated.connect(lambda _index: self.set_kind_of_selected())
        self.kind_combo.lineEdit().returnPressed.connect(self.set_kind_of_selected)
        self.aliases_button.clicked.connect(self.save_aliases)
        self.aliases_edit.textChanged.connect(self._show_aliases_state)
        self.target_combo.activated.connect(lambda _index: self._show_fate())
        self.merge_button.clicked.connect(self.merge_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.close_button.clicked.connect(self.close)
        workspace.changed.connect(lambda changes: self.reload() if changes.names else None)
        if parent is not None:
            parent.installEventFilter(self)  # closes with the window
        self.resize(980, 520)
        self.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.parent()
            and event.type() == QEvent.Type.Hide
            and not event.spontaneous()  # a minimised window stays, with its managers
        ):
            self.close()
        return super().eventFilter(watched, event)

    # ---- reading -------------------------------------------------------------------------

    def _shown(self) -> list[ActorUse]:
        words = self.search.text().strip().casefold()
        return [
            actor
            for actor in self.records
            if words in actor.name.casefold()
            or words in actor.kind.casefold()
            or any(words in alias.casefold() for alias in actor.aliases)
        ]

    def selected(self) -> ActorUse | None:
        item = self.list.currentItem()
        if item is None:
            return None
        name = item.data(NAME, Qt.ItemDataRole.UserRole)
        return next((actor for actor in self.records if actor.name == name), None)

    def select(self, name: str) -> None:
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            if item.data(NAME, Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentItem(item)
                return

    def row_texts(self) -> list[tuple[str, str, str, str]]:
        """What the list shows, row by row (name, kind, aliases, events)."""
        rows = []
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            rows.append(tuple(item.text(column) for column in range(len(_HEADERS))))
        return rows  # type: ignore[return-value]

    def reload(self) -> None:
        if not self.isVisible() and self.records and self._follow is None:
            return  # closed: read again when shown
        selected = self.selected()
        current = self._follow or (selected.name if selected else None)
        self._follow = None
        self.records = actor_uses(self.workspace.catalog)
        with QSignalBlocker(self.list):
            self.list.clear()
            for actor in self._shown():
                item = QTreeWidgetItem(
                    [actor.name, actor.kind, " · ".join(actor.aliases), f"{actor.event_count:,}"]
                )
                item.setData(NAME, Qt.ItemDataRole.UserRole, actor.name)
                item.setTextAlignment(
                    EVENTS, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
                if actor.aliases:
                    item.setToolTip(ALIASES, "\n".join(actor.aliases))
                self.list.addTopLevelItem(item)
        if current is not None:
            self.select(current)
        if self.list.currentItem() is None and self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(0))
        unused = sum(1 for actor in self.records if actor.event_count == 0)
        count = len(self.records)
        self.total_label.setText(
            f"{count} actor{'' if count == 1 else 's'}" + (f", {unused} unused" if unused else "")
        )
        with QSignalBlocker(self.kind_combo):
            typed = self.kind_combo.currentText()
            self.kind_combo.clear()
            self.kind_combo.addItems(actor_kinds_in_use(self.records))
            self.kind_combo.setCurrentText(typed)
        self._show_selected()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    def _show_selected(self) -> None:
        actor = self.selected()
        for widget in (
            self.name_edit,
            self.rename_button,
            self.kind_combo,
            self.aliases_edit,
            self.target_combo,
            self.merge_button,
            self.delete_button,
        ):
            widget.setEnabled(actor is not None)
        if actor is None:
            self.name_edit.clear()
            self.aliases_edit.clear()
            self.count_label.setText("")
            self.fate_label.setText("No actor to show." if not self.records else "")
            self.aliases_button.setEnabled(False)
            return
        self.name_edit.setText(actor.name)
        with QSignalBlocker(self.kind_combo):
            self.kind_combo.setCurrentText(actor.kind)
        with QSignalBlocker(self.aliases_edit):
            self.aliases_edit.setPlainText("\n".join(actor.aliases))
        self._show_aliases_state()
        self.count_label.setText(events_text(actor.event_count))
        self.delete_button.setEnabled(actor.event_count == 0)
        chosen = self.target_combo.currentData()
        with QSignalBlocker(self.target_combo):
            self.target_combo.clear()
            for other in self.records:
                if other.name != actor.name:
                    self.target_combo.addItem(
                        f"{other.name}  ({events_text(other.event_count)})", other.name
                    )
            self.target_combo.setCurrentIndex(max(0, self.target_combo.findData(chosen)))
        self.merge_button.setEnabled(self.target_combo.count() > 0)
        self._show_fate()

    def _typed_aliases(self) -> list[str]:
        return self.aliases_edit.toPlainText().splitlines()

    def _show_aliases_state(self) -> None:
        actor = self.selected()
        if actor is None:
            return
        try:
            changed = clean_aliases(actor.name, self._typed_aliases()) != actor.aliases
        except TimelineError:
            changed = True  # saving says what is wrong
        self.aliases_button.setEnabled(changed)

    def _show_fate(self) -> None:
        actor = self.selected()
        if actor is None:
            return
        target = self.target_combo.currentData()
        if actor.event_count == 0:
            text = "No event cites it: Delete unused removes it."
        elif target:
            one = actor.event_count == 1
            text = (
                f"Merge: its {events_text(actor.event_count)} "
                f"{'cites' if one else 'cite'} “{target}” instead, and “{actor.name}” becomes "
                f"an alias of “{target}”. Undo takes it back."
            )
        else:
            text = f"Cited by {events_text(actor.event_count)}: it cannot be deleted."
        self.fate_label.setText(text)

    # ---- changing ------------------------------------------------------------------------

    def rename_selected(self) -> None:
        actor = self.selected()
        new_name = self.name_edit.text().strip()
        if actor is None or new_name == actor.name:
            return
        if not new_name:
            self.message.setText("Type the actor's new name first.")
            return
        existing = next((other for other in self.records if other.name == new_name), None)
        if existing is not None:
            answer = QMessageBox.question(
                self,
                "Actors",
                f"An actor named “{new_name}” already exists "
                f"({events_text(existing.event_count)}).\n\n"
                f"Merge “{actor.name}” into it? Its {events_text(actor.event_count)} will cite "
                f"“{new_name}” instead, and “{actor.name}” becomes an alias.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self._merge(actor, new_name)
            return
        self._run(
            RenameActorCommand(self.workspace, actor.name, new_name, actor.event_count),
            f"Renamed “{actor.name}” to “{new_name}”",
            follow=new_name,
        )

    def set_kind_of_selected(self) -> None:
        actor = self.selected()
        kind = self.kind_combo.currentText().strip()
        if actor is None or kind == actor.kind:
            return
        self._run(
            SetActorKindCommand(self.workspace, actor.name, kind),
            f"“{actor.name}” is now {('a ' + kind) if kind else 'of no kind'}",
            follow=actor.name,
        )

    def save_aliases(self) -> None:
        actor = self.selected()
        if actor is None:
            return
        aliases = self._typed_aliases()
        self._run(
            SetActorAliasesCommand(self.workspace, actor.name, aliases),
            f"Saved the aliases of “{actor.name}”",
            follow=actor.name,
        )

    def merge_selected(self) -> None:
        actor = self.selected()
        target = self.target_combo.currentData()
        if actor is not None and target:
            self._merge(actor, target)

    def _merge(self, actor: ActorUse, target: str) -> None:
        self._run(
            MergeActorsCommand(self.workspace, actor.name, target, actor.event_count),
            f"Merged “{actor.name}” into “{target}”",
            follow=target,
        )

    def delete_selected(self) -> None:
        actor = self.selected()
        if actor is None:
            return
        self._run(DeleteActorCommand(self.workspace, actor.name), f"Deleted “{actor.name}”")


def show_actor_manager(window: QWidget, workspace: Workspace) -> ActorManager:
    """The window's one actors dialog, made on first use and raised."""
    dialog = window.findChild(ActorManager)
    if dialog is None:
        dialog = ActorManager(workspace, window)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
