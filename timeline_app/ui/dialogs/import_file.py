"""Import a file of any known format: read and check it, preview what would change, then
write it.

The format is told from the file's content, and the user may choose another; formats that
need a word from the user (which of 03/04 is the day, which pair of countries to keep) show
those choices, and choosing re-reads the file. The preview lists what would be added and
changed, and the file's events that look like stored ones, each with its own skip, merge or
keep choice. Nothing is written before the user has seen the preview and pressed Import; a
file with any error is refused as a whole, with the row and field at fault. Reading and
writing run off the GUI thread as operations with determinate progress; Cancel stops either
(a cancelled write rolls its one transaction back). The import lands on the undo stack like
any other edit.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.columns import EventColumns
from timeline_app.domain.errors import TimelineError
from timeline_app.domain.progress import Progress
from timeline_app.services.interchange import (
    FILE_FORMATS,
    Document,
    ImportPlan,
    ImportResult,
    apply_import,
    plan_import,
    read_file_as,
)
from timeline_app.services.interchange.duplicates import (
    Duplicate,
    Resolution,
    find_duplicates,
    resolve_duplicates,
)
from timeline_app.services.interchange.stages import Stages
from timeline_app.ui.commands import ImportFileCommand
from timeline_app.ui.operations import Operation
from timeline_app.ui.theme import current_theme, error_colour
from timeline_app.ui.workspace import Workspace

PREVIEW_LIMIT = 500
TABLE_FORMATS = frozenset({"csv", "tsv", "xlsx", "ods"})
"""Formats read through a column mapping, where a numeric date's day/month order matters
(a CSV in the app's own columns reads ISO dates and ignores the choice)."""
DYAD_FORMATS = frozenset({"gdelt", "acled"})
RESOLUTION_LABELS = {
    Resolution.SKIP: "Skip (keep only the stored event)",
    Resolution.MERGE: "Merge into the stored event",
    Resolution.KEEP: "Keep both (add as a new event)",
}


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count:,} {noun}s"


class ImportDialog(QDialog):
    """Preview then import one file into the workspace's catalog."""

    imported = Signal(object)  # ImportResult

    def __init__(
        self,
        workspace: Workspace,
        path: str | Path,
        parent: QWidget | None = None,
        fmt: str | None = None,
        stored: EventColumns | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.path = str(path)
        self.fmt = fmt
        self.stored = stored
        """Every stored event as the window draws it: what likely duplicates are looked for
        among, without reading them all again (None: read them)."""
        """The format chosen by the user; None: told from the content."""
        self.read_as: str | None = None
        """The format the file was last read as."""
        self.document: Document | None = None
        self.plan: ImportPlan | None = None
        self.duplicates: list[Duplicate] = []
        self.choices: dict[str, QComboBox] = {}
        self._detected: list[str] = []
        """The format the last read was told to be, heard from the worker before it could fail."""
        self.table_options: dict[str, object] = {}
        """A table's mapping, header and sheet as chosen in the Columns dialog."""
        self.mapping_text = ""
        """The columns a table was read with, in words."""
        self._plan_text = ""  # the preview's summary, kept above what the write says
        self.error: str = ""
        self.operation: Operation | None = None
        self.writing = False
        self._closed = False  # outcomes arriving after the dialog closed are ignored
        self.setWindowTitle(f"Import {Path(self.path).name}")

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_options())
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
        self.duplicate_row = QHBoxLayout()
        self.duplicate_label = QLabel("Likely duplicates of stored events:", self)
        self.duplicate_default = QComboBox(self)
        for resolution, label in RESOLUTION_LABELS.items():
            self.duplicate_default.addItem(label, resolution.value)
        self.duplicate_default.setToolTip(
            "What to do with every likely duplicate; each row below can choose otherwise"
        )
        self.duplicate_default.activated.connect(self._set_every_choice)
        self.duplicate_row.addWidget(self.duplicate_label)
        self.duplicate_row.addWidget(self.duplicate_default)
        self.duplicate_row.addStretch(1)
        layout.addLayout(self.duplicate_row)
        self.duplicate_tree = QTreeWidget(self)
        self.duplicate_tree.setHeaderLabels(["In the file", "Stored event", "Similar", "Choice"])
        self.duplicate_tree.setRootIsDecorated(False)
        self.duplicate_tree.setColumnWidth(0, 240)
        self.duplicate_tree.setColumnWidth(1, 240)
        self.duplicate_tree.setColumnWidth(2, 72)
        layout.addWidget(self.duplicate_tree, 1)
        self._show_duplicates(False)

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
        self.resize(820, 560)

    def _build_options(self) -> QHBoxLayout:
        """The format (told from the content, or chosen) and the choices some formats need."""
        row = QHBoxLayout()
        row.addWidget(QLabel("Read as:", self))
        self.format_box = QComboBox(self)
        self.format_box.addItem("Detected from the content", None)
        for entry in FILE_FORMATS:
            self.format_box.addItem(entry.label, entry.name)
        if self.fmt is not None:
            self.format_box.setCurrentIndex(max(0, self.format_box.findData(self.fmt)))
        self.format_box.setToolTip("The file's format; choosing another reads the file again")
        self.format_box.activated.connect(self._reread)
        row.addWidget(self.format_box)
        self.order_label = QLabel("Dates like 03/04/2001:", self)
        self.order_box = QComboBox(self)
        self.order_box.addItem("As the file tells (else day first)", None)
        self.order_box.addItem("Day first (3 April)", True)
        self.order_box.addItem("Month first (March 4)", False)
        self.order_box.setToolTip(
            "How to read a numeric date whose day and month could be either way round; by "
            "default a date of the file that reads only one way (31/12) decides"
        )
        self.order_box.activated.connect(self._reread)
        row.addWidget(self.order_label)
        row.addWidget(self.order_box)
        self.columns_button = QPushButton("Columns…", self)
        self.columns_button.setToolTip(
            "Choose which column gives the date, the title, … and see how each row reads"
        )
        self.columns_button.clicked.connect(self.choose_columns)
        row.addWidget(self.columns_button)
        self.dyad_label = QLabel("Only between:", self)
        self.dyad_edit = QLineEdit(self)
        self.dyad_edit.setPlaceholderText("RUS IRN")
        self.dyad_edit.setToolTip(
            "Two country codes: keep only the rows between these two actors, either way "
            "round (empty: keep every row)"
        )
        self.dyad_edit.setMaximumWidth(110)
        self.dyad_edit.editingFinished.connect(self._reread)
        row.addWidget(self.dyad_label)
        row.addWidget(self.dyad_edit)
        row.addStretch(1)
        self._show_options(None)
        return row

    def _show_options(self, fmt: str | None) -> None:
        table = fmt in TABLE_FORMATS
        for widget in (self.order_label, self.order_box, self.columns_button):
            widget.setVisible(table)
        for widget in (self.dyad_label, self.dyad_edit):
            widget.setVisible(fmt in DYAD_FORMATS)

    def options(self) -> dict[str, object]:
        """The reader's options the dialog's choices stand for (only those that apply)."""
        chosen: dict[str, object] = {}
        fmt = self.format_box.currentData() or self.read_as
        if fmt in TABLE_FORMATS:
            chosen.update(self.table_options)
        if fmt in TABLE_FORMATS and self.order_box.currentData() is not None:
            chosen["day_first"] = self.order_box.currentData()
        dyad = self.dyad_edit.text().replace(",", " ").split()
        if fmt in DYAD_FORMATS and dyad:
            chosen["dyad"] = (dyad[0].upper(), dyad[-1].upper())
        return chosen

    def _reread(self, *_args: object) -> None:
        if self.writing:
            return
        if self.operation is not None and self.operation.running:
            self.operation.drop()
        self.fmt = self.format_box.currentData()
        self.document = self.plan = None
        self.error = ""
        self.import_button.setEnabled(False)
        self.cancel_button.setText("Cancel")
        self.cancel_button.setEnabled(True)
        self.summary.setText(f"Reading {Path(self.path).name}…")
        self.preview.hide()
        self._show_duplicates(False)
        self.start()

    # ---- reading -------------------------------------------------------------------------

    def start(self) -> None:
        """Read and check the file and compare it with the database, off the GUI thread."""
        catalog = self.workspace.catalog
        path = self.path
        fmt = self.fmt
        stored = self.stored
        options = self.options()

        detected = self._detected = []

        def work(progress: Progress) -> tuple[str, Document, list[Duplicate], ImportPlan, str]:
            applied: list[str] = []  # the columns a table was read with, in words
            stages = Stages(progress, weight=2)  # one bar: reading, then comparing
            read_as, document = read_file_as(
                path,
                fmt,
                progress=stages.first(),
                on_mapping=applied.append,
                on_format=detected.append,
                **options,
            )
            duplicates = find_duplicates(catalog, document, stored=stored)
            plan = plan_import(catalog, document, progress=stages.rest())
            return read_as, document, duplicates, plan, applied[0] if applied else ""

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

    def _on_read(self, value: tuple[str, Document, list[Duplicate], ImportPlan, str]) -> None:
        if self._closed:
            return
        self.read_as, self.document, self.duplicates, self.plan, self.mapping_text = value
        self._show_options(self.read_as)
        self.progress.hide()
        plan = self.plan
        likely = {dup.item_id for dup in self.duplicates}
        added = [pair for pair in plan.added if pair[0] not in likely]
        label = next(entry.label for entry in FILE_FORMATS if entry.name == self.read_as)
        title = f" <i>{_escape(self.document.title)}</i>" if self.document.title else ""
        parts = [
            f"<b>{_plural(len(added), 'event')}</b> to add",
            f"<b>{len(plan.changed):,}</b> to change",
            f"{len(plan.unchanged):,} unchanged",
        ]
        if self.duplicates:
            parts.append(f"<b>{len(self.duplicates):,}</b> like stored events")
        text = f"Read as {_escape(label)}{title}: " + ", ".join(parts) + "."
        if self.mapping_text:
            how = "as you chose" if self.table_options else "as proposed from its header"
            text += f"<br>Columns read {how}: Columns… shows how each row reads."
            self.columns_button.setToolTip("Columns read as:\n" + self.mapping_text)
        for note in self.document.notes[:5]:
            text += f"<br><i>{_escape(note)}</i>"
        if len(self.document.notes) > 5:
            text += f"<br><i>… and {len(self.document.notes) - 5} more notes</i>"
        if plan.new_categories:
            text += "<br>New categories: " + ", ".join(plan.new_categories) + "."
        if not plan.added and not plan.changed and not plan.new_categories:
            text += "<br>The database already holds everything in this file."
        else:
            text += "<br>Nothing is written until you press Import."
        self.summary.setText(text)
        self._plan_text = text
        self.preview.clear()
        for heading, items in (("To add", added), ("To change", plan.changed)):
            if not items:
                continue
            group = QTreeWidgetItem([f"{heading} ({len(items):,})", ""])
            for event_id, title in items[:PREVIEW_LIMIT]:
                group.addChild(QTreeWidgetItem([title, event_id]))
            if len(items) > PREVIEW_LIMIT:
                group.addChild(QTreeWidgetItem([f"… and {len(items) - PREVIEW_LIMIT:,} more", ""]))
            self.preview.addTopLevelItem(group)
            group.setExpanded(True)
        self.preview.setVisible(self.preview.topLevelItemCount() > 0)
        self._fill_duplicates()
        self.import_button.setEnabled(bool(plan.added or plan.changed or plan.new_categories))

    # ---- a table's columns ---------------------------------------------------------------

    def choose_columns(self) -> None:
        """Load the table's cells off the GUI thread, then let the user map its columns; the
        file is read again with the mapping chosen."""
        from timeline_app.services.interchange.spreadsheet import load_table
        from timeline_app.services.interchange.text_file import read_limited

        path = self.path
        fmt = self.format_box.currentData() or self.read_as
        sheet = self.table_options.get("sheet")
        header = self.table_options.get("header")

        def work(_progress: Progress) -> tuple[bytes, object]:
            raw = read_limited(path)
            return raw, load_table(path, raw, fmt=fmt, sheet=sheet, header=header)

        self.workspace.operations.run(
            f"Read the columns of {Path(path).name}",
            work,
            on_done=lambda value: self._map_columns(fmt, *value),
            on_failed=self._on_failed,
        )

    def _map_columns(self, fmt: str | None, raw: bytes, table: object) -> None:
        from timeline_app.ui.dialogs.column_mapping import ColumnMappingDialog

        if self._closed:
            return
        dialog = ColumnMappingDialog(self.path, raw, fmt, self, table=table)  # type: ignore[arg-type]
        dialog.ok_button.setText("Use these columns")
        self.mapping_dialog = dialog
        dialog.accepted.connect(lambda: self._use_columns(dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _use_columns(self, dialog: object) -> None:
        self.table_options = {
            "mapping": dialog.mapping(),  # type: ignore[attr-defined]
            "day_first": dialog.day_first(),  # type: ignore[attr-defined]
            "header": dialog.header(),  # type: ignore[attr-defined]
            "sheet": dialog.sheet(),  # type: ignore[attr-defined]
        }
        self.order_box.setCurrentIndex(self.order_box.findData(dialog.day_first()))  # type: ignore[attr-defined]
        self._reread()

    # ---- likely duplicates ---------------------------------------------------------------

    def _show_duplicates(self, shown: bool) -> None:
        self.duplicate_label.setVisible(shown)
        self.duplicate_default.setVisible(shown)
        self.duplicate_tree.setVisible(shown)

    def _fill_duplicates(self) -> None:
        self.duplicate_tree.clear()
        self.choices.clear()
        default = self.duplicate_default.currentData()  # a Resolution's value
        for dup in self.duplicates[:PREVIEW_LIMIT]:
            item = QTreeWidgetItem(
                [f"{dup.title} (row {dup.row})", dup.stored_title, f"{dup.similarity:.0f}%", ""]
            )
            item.setToolTip(0, dup.title)
            item.setToolTip(1, f"{dup.stored_title}\n{dup.stored_id}")
            self.duplicate_tree.addTopLevelItem(item)
            box = QComboBox(self.duplicate_tree)
            for resolution, label in RESOLUTION_LABELS.items():
                box.addItem(label, resolution.value)
            box.setCurrentIndex(box.findData(default))
            self.duplicate_tree.setItemWidget(item, 3, box)
            self.choices[dup.item_id] = box
        if len(self.duplicates) > PREVIEW_LIMIT:
            more = len(self.duplicates) - PREVIEW_LIMIT
            self.duplicate_tree.addTopLevelItem(
                QTreeWidgetItem([f"… and {more:,} more (they take the choice above)", "", "", ""])
            )
        self._show_duplicates(bool(self.duplicates))

    def _set_every_choice(self, *_args: object) -> None:
        default = self.duplicate_default.currentData()
        for box in self.choices.values():
            box.setCurrentIndex(box.findData(default))

    def set_duplicate_choice(self, item_id: str, resolution: Resolution) -> None:
        """Choose for one likely duplicate (what its row's list does)."""
        box = self.choices[item_id]
        box.setCurrentIndex(box.findData(resolution.value))

    def resolved_document(self) -> Document:
        """The document to write: each likely duplicate skipped, merged or kept as chosen."""
        assert self.document is not None
        if not self.duplicates:
            return self.document
        choices = {item_id: self.choice(item_id) for item_id in self.choices}
        return resolve_duplicates(
            self.workspace.catalog,
            self.document,
            self.duplicates,
            choices,
            Resolution(self.duplicate_default.currentData()),
        )

    def choice(self, item_id: str) -> Resolution:
        """What the row of one likely duplicate says to do with it."""
        return Resolution(self.choices[item_id].currentData())

    def _on_failed(self, error: Exception) -> None:
        if self._closed:
            return
        self.writing = False
        self.progress.hide()
        self.error = str(error)
        if not isinstance(error, TimelineError):
            self.error = f"unexpected problem: {error!r}"
        colour = error_colour(current_theme())
        if self._detected and not self.writing:
            self.read_as = self._detected[0]
            self._show_options(self.read_as)
        advice = "Correct the file and import it again."
        if self.read_as in TABLE_FORMATS:
            advice = "Columns… chooses which column gives the date, the title, …"
        self.summary.setText(
            f"<b style='color:{colour}'>This file cannot be imported.</b><br>"
            f"<span style='color:{colour}'>{_escape(self.error)}</span><br><br>"
            f"Nothing has been written. {advice}"
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
        try:
            document = self.resolved_document()
        except TimelineError as error:
            self._on_failed(error)
            return
        self.document = document
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
