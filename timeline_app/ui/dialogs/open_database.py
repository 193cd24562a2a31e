"""Choose a database to open: a file, a database URL (a team's PostgreSQL), or a recent one."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

DATABASE_FILES = "Timeline databases (*.sqlite *.sqlite3 *.db);;All files (*)"


class OpenDatabaseDialog(QDialog):
    """Type or browse a location, or pick a recent one; emits `chosen` with it."""

    chosen = Signal(str)

    def __init__(
        self, recent: Sequence[str], folder: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open database")
        self.folder = folder
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("File or database URL", self))
        row = QHBoxLayout()
        self.location = QLineEdit(self)
        self.location.setPlaceholderText(
            "/path/to/timeline.sqlite  or  postgresql+psycopg://user@host/db"
        )
        self.location.setToolTip(
            "A database file on this computer, or a SQLAlchemy URL such as a team's PostgreSQL"
        )
        self.browse_button = QPushButton("Browse…", self)
        self.browse_button.setToolTip("Choose a database file")
        row.addWidget(self.location, 1)
        row.addWidget(self.browse_button)
        layout.addLayout(row)
        layout.addWidget(QLabel("Recent", self))
        self.recent = QListWidget(self)
        self.recent.addItems(list(recent))
        self.recent.setToolTip("Databases opened before; double-click one to open it")
        layout.addWidget(self.recent, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.open_button = buttons.button(QDialogButtonBox.StandardButton.Open)
        self.open_button.setProperty("primary", True)
        self.open_button.setToolTip("Open this database")
        self.open_button.setEnabled(False)
        layout.addWidget(buttons)

        self.location.textChanged.connect(
            lambda text: self.open_button.setEnabled(bool(text.strip()))
        )
        self.recent.currentTextChanged.connect(self.location.setText)
        self.recent.itemDoubleClicked.connect(lambda item: self._choose(item.text()))
        self.browse_button.clicked.connect(self._browse)
        buttons.accepted.connect(lambda: self._choose(self.location.text()))
        buttons.rejected.connect(self.reject)
        self.resize(560, 340)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open database", self.folder, DATABASE_FILES)
        if path:
            self.location.setText(path)

    def _choose(self, location: str) -> None:
        location = location.strip()
        if location:
            self.accept()
            self.chosen.emit(location)
