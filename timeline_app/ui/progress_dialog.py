"""The small window that shows how far long work got, with the one button that stops it.

It only displays: the operation feeds it (done, total) and hears `cancelClicked`. Closing it
(Escape, the title bar) asks to cancel too; it goes away when the work has really ended, so
the user never sees "done" while a transaction is still rolling back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget


class ProgressDialog(QDialog):
    """Determinate progress (a busy bar while the total is unknown) and a Cancel button."""

    cancelClicked = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        self.label = QLabel(f"{title}…", self)
        layout.addWidget(self.label)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        layout.addWidget(self.bar)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop; whatever was being written is rolled back")
        self.cancel_button.clicked.connect(self.request_cancel)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(360)
        self._title = title
        self._ended = False

    def show_progress(self, done: int, total: int) -> None:
        if total <= 0:
            self.bar.setRange(0, 0)
            return
        self.bar.setRange(0, total)
        self.bar.setValue(min(done, total))
        if self.cancel_button.isEnabled():
            self.label.setText(f"{self._title}: {done:,} of {total:,}")

    def request_cancel(self) -> None:
        if not self.cancel_button.isEnabled():
            return
        self.cancel_button.setEnabled(False)
        self.label.setText(f"Cancelling {self._title.lower()}…")
        self.cancelClicked.emit()

    def end(self) -> None:
        """The work has ended: close for good."""
        self._ended = True
        self.done(QDialog.DialogCode.Rejected)
        self.deleteLater()

    def reject(self) -> None:
        if self._ended:
            super().reject()
        else:
            self.request_cancel()
