"""Someone saved the event while you edited it: show both versions and let the user choose.

Never overwrite silently: "Keep mine" re-saves the user's version on top of the stored one
(knowingly), "Take stored" drops the user's edits, "Cancel" keeps editing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.model import EventDraft, EventRecord, SourceRef
from timeline_app.ui.theme import current_theme

KEEP_MINE = "mine"
TAKE_STORED = "stored"
CANCEL = "cancel"


def _sources_text(sources: tuple[SourceRef, ...]) -> str:
    return "\n".join(
        " — ".join(part for part in (ref.title, ref.publisher, ref.url) if part) for ref in sources
    )


def draft_fields(draft: EventDraft) -> list[tuple[str, str]]:
    """The fields a person compares, as (label, text)."""
    return [
        ("Title", draft.title),
        ("Start", draft.start),
        ("End", draft.end or ""),
        ("Category", draft.category),
        ("Importance", str(draft.importance)),
        ("Certainty", str(draft.certainty)),
        ("Actors", ", ".join(draft.actors)),
        ("Tags", ", ".join(draft.tags)),
        ("Location", draft.location or ""),
        ("Description", draft.description),
        ("Sources", _sources_text(draft.sources)),
    ]


class ConflictDialog(QDialog):
    """Side by side: the user's unsaved version and the one now stored."""

    resolved = Signal(str)  # KEEP_MINE, TAKE_STORED or CANCEL

    def __init__(
        self, mine: EventDraft, stored: EventRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Event changed by someone else")
        self.mine = mine
        self.stored = stored
        self.choice = CANCEL
        layout = QVBoxLayout(self)
        stamp = stored.updated_at.replace("T", " ")[:16]
        when = f" at {stamp} UTC" if stamp else ""
        intro = QLabel(
            f"<b>“{stored.title}” was saved elsewhere{when} while you were editing it.</b><br>"
            "Compare the two versions; differences are highlighted. Nothing has been "
            "overwritten.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        mine_fields = draft_fields(mine)
        stored_fields = draft_fields(stored.to_draft())
        self.table = QTableWidget(len(mine_fields), 2, self)
        self.table.setHorizontalHeaderLabels(["Your version", f"Stored (version {stored.version})"])
        self.table.setVerticalHeaderLabels([label for label, _ in mine_fields])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip("Your edits on the left, what is stored now on the right")
        highlight = QColor("#4A3B12" if current_theme() == "dark" else "#FFF1C2")
        bold = QFont()
        bold.setBold(True)
        self.differences: list[str] = []
        for row, ((label, yours), (_, theirs)) in enumerate(
            zip(mine_fields, stored_fields, strict=True)
        ):
            cells = (QTableWidgetItem(yours), QTableWidgetItem(theirs))
            if yours != theirs:
                self.differences.append(label)
                for cell in cells:
                    cell.setBackground(QBrush(highlight))
                    cell.setFont(bold)
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        self.table.horizontalHeader().sectionResized.connect(
            lambda *_: self.table.resizeRowsToContents()
        )
        layout.addWidget(self.table, 1)

        buttons = QDialogButtonBox(self)
        self.keep_button = QPushButton("Keep mine", self)
        self.keep_button.setToolTip("Save your version over the stored one")
        self.keep_button.setProperty("primary", True)
        self.take_button = QPushButton("Take stored", self)
        self.take_button.setToolTip("Drop your edits and show the stored version")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Keep editing; nothing is saved")
        buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.take_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)
        self.keep_button.clicked.connect(lambda: self._choose(KEEP_MINE))
        self.take_button.clicked.connect(lambda: self._choose(TAKE_STORED))
        self.cancel_button.clicked.connect(lambda: self._choose(CANCEL))
        self.rejected.connect(lambda: self._announce(CANCEL))
        self.resize(780, 560)
        self._announced = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()  # the columns have their real widths now

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self._announce(choice)
        self.done(QDialog.DialogCode.Accepted if choice != CANCEL else QDialog.DialogCode.Rejected)

    def _announce(self, choice: str) -> None:
        if not self._announced:
            self._announced = True
            self.resolved.emit(choice)
            self.deleteLater()
