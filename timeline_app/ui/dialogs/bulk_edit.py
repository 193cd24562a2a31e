"""Edit several selected events at once, and ask once before deleting several.

Every field starts at "leave as is", so the dialog changes only what the user sets; the
whole edit is one undoable command. The events are read when the dialog opens: one changed
elsewhere before the user applies is reported by the catalog, never overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.errors import ConflictError, TimelineError
from timeline_app.domain.model import IMPORTANCE_MAX, IMPORTANCE_MIN, Certainty, EventRecord
from timeline_app.services.catalog import EventsChange
from timeline_app.ui.commands import EditEventsCommand
from timeline_app.ui.event_table import swatch
from timeline_app.ui.inspector import NameListEdit

if TYPE_CHECKING:
    from timeline_app.services.catalog import Catalog
    from timeline_app.ui.main_window import MainWindow

LEAVE = "(leave as is)"


def _names_in(records: Sequence[EventRecord], field: str) -> list[str]:
    """The names the selected events carry, most common first: what one may remove."""
    counts: dict[str, int] = {}
    for record in records:
        for name in getattr(record, field):
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name.casefold()))


class BulkEditDialog(QDialog):
    """The fields one edit of several events may set; `change()` says what was chosen."""

    def __init__(self, parent: QWidget, catalog: Catalog, records: Sequence[EventRecord]) -> None:
        super().__init__(parent)
        self.records = list(records)
        count = len(self.records)
        self.setWindowTitle(f"Edit {count} events")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Set a field on all {count} selected events. A field left as is keeps each "
            "event's own value; Undo takes the whole edit back.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.category_box = QComboBox(self)
        self.category_box.addItem(LEAVE, None)
        for record in catalog.categories():
            self.category_box.addItem(swatch(record.colour), record.name, record.name)
        self.certainty_box = QComboBox(self)
        self.certainty_box.addItem(LEAVE, None)
        for certainty in Certainty:
            self.certainty_box.addItem(certainty.value, certainty.value)
        self.importance_box = QComboBox(self)
        self.importance_box.addItem(LEAVE, None)
        for value in range(IMPORTANCE_MIN, IMPORTANCE_MAX + 1):
            self.importance_box.addItem(str(value), value)

        tags_here = _names_in(self.records, "tags")
        actors_here = _names_in(self.records, "actors")
        self.add_tags_edit = self._names_edit(
            catalog.tag_names(), "comma-separated, e.g. sanctions"
        )
        self.remove_tags_edit = self._names_edit(tags_here, self._carried(tags_here))
        self.add_actors_edit = self._names_edit(catalog.actor_names(), "comma-separated")
        self.remove_actors_edit = self._names_edit(actors_here, self._carried(actors_here))

        form.addRow("&Category:", self.category_box)
        form.addRow("C&ertainty:", self.certainty_box)
        form.addRow("&Importance:", self.importance_box)
        form.addRow("Add &tags:", self.add_tags_edit)
        form.addRow("Remove ta&gs:", self.remove_tags_edit)
        form.addRow("Add &actors:", self.add_actors_edit)
        form.addRow("Remove act&ors:", self.remove_actors_edit)
        layout.addLayout(form)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText(f"&Apply to {count} events")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for box in (self.category_box, self.certainty_box, self.importance_box):
            box.currentIndexChanged.connect(self._update_button)
        for edit in self._name_edits():
            edit.textChanged.connect(self._update_button)
        self._update_button()
        self.resize(460, self.sizeHint().height())

    def _names_edit(self, known: Sequence[str], hint: str) -> NameListEdit:
        edit = NameListEdit(self)
        edit.set_known(known)
        edit.setPlaceholderText(hint)
        return edit

    @staticmethod
    def _carried(names: list[str]) -> str:
        if not names:
            return "none of the selected events has any"
        shown = ", ".join(names[:4])
        return f"carried: {shown}…" if len(names) > 4 else f"carried: {shown}"

    def _name_edits(self) -> tuple[NameListEdit, ...]:
        return (
            self.add_tags_edit,
            self.remove_tags_edit,
            self.add_actors_edit,
            self.remove_actors_edit,
        )

    def change(self) -> EventsChange:
        return EventsChange(
            category=self.category_box.currentData(),
            certainty=self.certainty_box.currentData(),
            importance=self.importance_box.currentData(),
            add_tags=self.add_tags_edit.names(),
            remove_tags=self.remove_tags_edit.names(),
            add_actors=self.add_actors_edit.names(),
            remove_actors=self.remove_actors_edit.names(),
        )

    def _update_button(self) -> None:
        self.apply_button.setEnabled(not self.change().is_empty)


def edit_selected_events(window: MainWindow) -> BulkEditDialog | None:
    """Open the dialog on the selected events (two or more); applying it runs one command.

    The dialog is window-modal but does not block: it is returned so callers can drive it."""
    ids = window.selected_ids()
    if len(ids) < 2:
        return None
    catalog = window.workspace.catalog
    records = catalog.events(ids)
    dialog = BulkEditDialog(window, catalog, records)

    def apply() -> None:
        command = EditEventsCommand(window.workspace, records, dialog.change())
        try:
            window.workspace.run(command)
        except ConflictError as error:
            window.editing.warn(_conflict_text(records, error))
        except TimelineError as error:
            window.editing.warn(str(error))
        else:
            window.statusBar().showMessage(
                f"Edited {len(records)} events — Undo takes the edit back", 5000
            )
        dialog.deleteLater()

    dialog.accepted.connect(apply)
    dialog.rejected.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def _conflict_text(records: Sequence[EventRecord], error: ConflictError) -> str:
    """Which event stopped the edit, by its title, and that nothing was changed."""
    title = next((record.title for record in records if record.id == error.entity_id), "")
    what = "was deleted" if error.found is None else "was changed elsewhere"
    name = f"“{title}”" if title else f"event {error.entity_id}"
    return (
        f"{name} {what} after this edit was opened, so no event was changed "
        f"(Reload Events shows it as it is now). Details: {error}"
    )


def confirm_deleting(parent: QWidget, count: int) -> bool:
    """Deleting several events is asked once, naming how many; one event is not asked."""
    if count < 2:
        return True
    answer = QMessageBox.question(
        parent,
        "Delete events",
        f"Delete {count} events? Undo brings them back.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def delete_selected_events(window: MainWindow) -> None:
    """The Delete command: asks once when several events are selected."""
    if confirm_deleting(window, len(window.selected_ids())):
        window.editing.delete_selected()
