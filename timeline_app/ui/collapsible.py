"""A titled part of a narrow panel that folds to one line: the inspector's sections."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSizePolicy, QToolButton, QVBoxLayout, QWidget


class Collapsible(QWidget):
    """A header button with an arrow over a body that it shows or hides."""

    toggled = Signal(bool)  # open

    def __init__(self, title: str, parent: QWidget | None = None, *, open_: bool = True) -> None:
        super().__init__(parent)
        self._title = title
        self.header = QToolButton(self)
        self.header.setCheckable(True)
        self.header.setChecked(open_)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setAutoRaise(True)
        self.header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # A heading, not a button that stays pressed while open.
        self.header.setStyleSheet(
            "QToolButton { font-weight: bold; border: none; background: transparent; }"
        )
        self.body = QWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addWidget(self.body)
        self.header.toggled.connect(self._on_toggled)
        self._on_toggled(open_)

    def set_count(self, count: int | None) -> None:
        """Show how many items the body holds in the header ("Notes (3)")."""
        self.header.setText(self._title if not count else f"{self._title} ({count})")

    def is_open(self) -> bool:
        return self.header.isChecked()

    def set_open(self, open_: bool) -> None:
        self.header.setChecked(open_)

    def _on_toggled(self, open_: bool) -> None:
        self.header.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self.body.setVisible(open_)
        if not self.header.text():
            self.header.setText(self._title)
        self.toggled.emit(open_)
