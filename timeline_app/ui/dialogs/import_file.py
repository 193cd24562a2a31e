"""Import a JSON or CSV file: read and check it, preview what would change, then write it.

Nothing is written before the user has seen the preview and pressed Import; a file with any
error is refused as a whole, with the row and field at fault. Reading and writing run off
the GUI thread; the import lands on the undo stack like any other edit.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.errors import TimelineError
from timeline_app.services.interchange import (
    Document,
    ImportPlan,
    ImportResult,
    apply_import,
    plan_import,
    read_file,
)
from timeline_app.ui.commands import ImportFileCommand
from timeline_app.ui.theme import current_theme, error_colour
from timeline_app.ui.worker import Job
from timeline_app.ui.workspace import Workspace

PREVIEW_LIMIT = 500


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count:,} {noun}s"


class ImportDialog(QDialog):
    """Preview then import one file into the workspace's catalog."""

    imported = Signal(object)  # ImportResult

    def __init__(
        self, workspace: Workspace, path: str | Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.path = str(path)
        self.document: Document | None = None
        self.plan: ImportPlan | None = None
        self.error: str = ""
        self.job: Job | None = None
        self.setWindowTitle(f"Import {Path(self.path).name}")

        layout = QVBoxLayout(self)
        self.summary = QLabel(f"Reading {Path(self.path).name}…", self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setToolTip("Working…")
        layout.addWidget(self.progress)
        self.preview = QTreeWidget(self)
        self.preview.setHeaderLabels(["Event", "Id"])
        self.preview.setColumnWidth(0, 420)
        self.preview.setToolTip("The events this import would add or change")
        self.preview.hide()
        layout.addWidget(self.preview, 1)

        self.buttons = QDialogButtonBox(self)
        self.import_button = QPushButton("Import", self)
        self.import_button.setProperty("primary", True)
        self.import_button.setToolTip("Write these changes (one step; Undo takes it back)")
        self.import_button.setEnabled(False)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Close without importing anything")
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(self.buttons)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.reject)
        self.resize(680, 460)

    # ---- reading -------------------------------------------------------------------------

    def start(self) -> None:
        """Read and check the file and compare it with the database, off the GUI thread."""
        catalog = self.workspace.catalog
        path = self.path

        def work() -> tuple[Document, ImportPlan]:
            document = read_file(path)
            return document, plan_import(catalog, document)

        self.job = Job(work, self)
        self.job.finished.connect(self._on_read)
        self.job.failed.connect(self._on_failed)
        self.job.start()

    def _on_read(self, value: object) -> None:
        self.document, self.plan = value  # type: ignore[misc]
        assert self.plan is not None
        self.progress.hide()
        plan = self.plan
        parts = [
            f"<b>{_plural(len(plan.added), 'event')}</b> to add",
            f"<b>{len(plan.changed):,}</b> to change",
            f"{len(plan.unchanged):,} unchanged",
        ]
        text = ", ".join(parts) + "."
        if plan.new_categories:
            text += "<br>New categories: " + ", ".join(plan.new_categories) + "."
        if not plan.added and not plan.changed and not plan.new_categories:
            text += "<br>The database already holds everything in this file."
        else:
            text += "<br>Nothing is written until you press Import."
        self.summary.setText(text)
        self.preview.clear()
        for label, items in (("To add", plan.added), ("To change", plan.changed)):
            if not items:
                continue
            group = QTreeWidgetItem([f"{label} ({len(items):,})", ""])
            for event_id, title in items[:PREVIEW_LIMIT]:
                group.addChild(QTreeWidgetItem([title, event_id]))
            if len(items) > PREVIEW_LIMIT:
                group.addChild(QTreeWidgetItem([f"… and {len(items) - PREVIEW_LIMIT:,} more", ""]))
            self.preview.addTopLevelItem(group)
            group.setExpanded(True)
        self.preview.setVisible(self.preview.topLevelItemCount() > 0)
        self.import_button.setEnabled(bool(plan.added or plan.changed or plan.new_categories))

    def _on_failed(self, error: object) -> None:
        self.progress.hide()
        self.error = str(error)
        if not isinstance(error, TimelineError):
            self.error = f"unexpected problem: {error!r}"
        colour = error_colour(current_theme())
        self.summary.setText(
            f"<b style='color:{colour}'>This file cannot be imported.</b><br>"
            f"<span style='color:{colour}'>{_escape(self.error)}</span><br><br>"
            "Nothing has been written. Correct the file and import it again."
        )
        self.import_button.setEnabled(False)
        self.cancel_button.setText("Close")
        self.cancel_button.setEnabled(True)

    # ---- writing -------------------------------------------------------------------------

    def start_import(self) -> None:
        if self.document is None:
            return
        catalog = self.workspace.catalog
        document = self.document
        self.import_button.setEnabled(False)
        self.cancel_button.setEnabled(False)  # one transaction: it finishes or it fails whole
        self.progress.show()
        self.summary.setText(self.summary.text() + "<br><br>Importing…")
        self.job = Job(lambda: apply_import(catalog, document), self)
        self.job.finished.connect(self._on_imported)
        self.job.failed.connect(self._on_failed)
        self.job.start()

    def _on_imported(self, value: object) -> None:
        assert self.document is not None
        result: ImportResult = value  # type: ignore[assignment]
        self.workspace.run(ImportFileCommand(self.workspace, self.document, result))
        self.imported.emit(result)
        self.accept()

    def reject(self) -> None:
        if self.job is not None and self.job.running and not self.cancel_button.isEnabled():
            return  # writing: wait for the transaction to end
        if self.job is not None:
            self.job.cancel()
        super().reject()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
