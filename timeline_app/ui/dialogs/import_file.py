"""Import a JSON or CSV file: read and check it, preview what would change, then write it.

Nothing is written before the user has seen the preview and pressed Import; a file with any
error is refused as a whole, with the row and field at fault. Reading and writing run off
the GUI thread as operations with determinate progress; Cancel stops either (a cancelled
write rolls its one transaction back). The import lands on the undo stack like any other
edit.
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
from timeline_app.domain.progress import Progress
from timeline_app.services.interchange import (
    Document,
    ImportPlan,
    ImportResult,
    apply_import,
    plan_import,
    read_file,
)
from timeline_app.services.interchange.stages import Stages
from timeline_app.ui.commands import ImportFileCommand
from timeline_app.ui.operations import Operation
from timeline_app.ui.theme import current_theme, error_colour
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
        self._plan_text = ""  # the preview's summary, kept above what the write says
        self.error: str = ""
        self.operation: Operation | None = None
        self.writing = False
        self._closed = False  # outcomes arriving after the dialog closed are ignored
        self.setWindowTitle(f"Import {Path(self.path).name}")

        layout = QVBoxLayout(self)
        self.summary = QLabel(f"Reading {Path(self.path).name}…", self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
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
        self.cancel_button.setToolTip("Stop reading and close without importing anything")
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

        def work(progress: Progress) -> tuple[Document, ImportPlan]:
            stages = Stages(progress, weight=2)  # one bar: reading, then comparing
            document = read_file(path, progress=stages.first())
            return document, plan_import(catalog, document, progress=stages.rest())

        self._start(
            self.workspace.operations.run(
                f"Read {Path(path).name}",
                work,
                on_done=self._on_read,
                on_failed=self._on_failed,
                on_cancelled=self._on_cancelled,
                show_progress=False,
            )
        )

    def _start(self, operation: Operation) -> None:
        self.operation = operation
        operation.progressed.connect(self._show_progress)
        self.progress.setRange(0, 0)
        self.progress.show()

    def _show_progress(self, done: int, total: int) -> None:
        if total <= 0:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _on_read(self, value: tuple[Document, ImportPlan]) -> None:
        if self._closed:
            return
        self.document, self.plan = value
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
        self._plan_text = text
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

    def _on_failed(self, error: Exception) -> None:
        if self._closed:
            return
        self.writing = False
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
        self.cancel_button.setToolTip("Close this window")
        self.cancel_button.setEnabled(True)

    def _on_cancelled(self) -> None:
        """The read or the write stopped at the user's request; nothing was written."""
        if self._closed:
            return
        was_writing, self.writing = self.writing, False
        self.progress.hide()
        if not was_writing:
            self._closed = True
            super().reject()
            return
        self.summary.setText(
            self._plan_text + "<br><br><b>The import was cancelled and rolled back: nothing "
            "was written.</b> Press Import to try again, or Close."
        )
        self.import_button.setEnabled(True)
        self.cancel_button.setText("Close")
        self.cancel_button.setToolTip("Close without importing anything")
        self.cancel_button.setEnabled(True)

    # ---- writing -------------------------------------------------------------------------

    def start_import(self) -> None:
        if self.document is None or self.writing:
            return
        catalog = self.workspace.catalog
        document = self.document
        self.writing = True
        self.import_button.setEnabled(False)
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip(
            "Stop the import: its one transaction is rolled back and nothing is written"
        )
        self.summary.setText(
            self._plan_text + "<br><br>Importing… Cancel stops it and rolls it back, so "
            "nothing is written."
        )

        def work(progress: Progress) -> ImportResult:
            return apply_import(catalog, document, progress=progress)

        self._start(
            self.workspace.operations.run(
                f"Import {Path(self.path).name}",
                work,
                on_done=self._on_imported,
                on_failed=self._on_failed,
                on_cancelled=self._on_cancelled,
                show_progress=False,
                writes=True,
            )
        )

    def _on_imported(self, result: ImportResult) -> None:
        assert self.document is not None
        self.writing = False
        # Written already: recording it on the stack must happen even if the dialog closed.
        self.workspace.run(ImportFileCommand(self.workspace, self.document, result))
        if self._closed:
            return
        self.imported.emit(result)
        self.accept()

    def reject(self) -> None:
        """Cancel: while writing, stop and roll back (the dialog stays to say so); otherwise
        stop reading, if it still runs, and close."""
        operation = self.operation
        if self.writing and operation is not None and operation.running:
            if not operation.cancel_requested:
                operation.cancel()
                self.cancel_button.setEnabled(False)
                self.summary.setText(
                    self._plan_text + "<br><br>Cancelling: rolling the import back…"
                )
            return
        if operation is not None and operation.running:
            operation.drop()  # reading writes nothing: close now, forget its result
        self._closed = True
        super().reject()

    def accept(self) -> None:
        self._closed = True
        super().accept()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
