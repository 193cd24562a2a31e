"""The File menu's work: new, open and recent databases; importing and exporting events.

Kept apart from the window so the window only coordinates: these flows ask the user for a
file or a URL, hand the work to a service, and tell the window what to show afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from timeline_app.domain.errors import TimelineError
from timeline_app.domain.file_formats import FILE_FORMATS
from timeline_app.ui.actions import menu_text

# The dialogs, the formats and the database layer are imported when a flow starts: the
# window is drawn first (see app.py), and most sessions never open another database.
if TYPE_CHECKING:
    from timeline_app.ui.dialogs.import_file import ImportDialog
    from timeline_app.ui.dialogs.open_database import OpenDatabaseDialog
    from timeline_app.ui.main_window import MainWindow
    from timeline_app.ui.operations import Operation

EXPORT_FILTERS = {entry.name_filter: entry for entry in FILE_FORMATS}
IMPORT_FILES = (
    "Event files ("
    + " ".join(sorted({f"*{s}" for entry in FILE_FORMATS for s in entry.suffixes}))
    + " *.txt);;"
    + ";;".join(EXPORT_FILTERS)
    + ";;All files (*)"
)
"""An import's format is told from the content, so any file may be chosen."""


class FileCommands:
    """Database and file flows of one window (its settings remember folders and recents)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.settings = window.settings

    # ---- databases -----------------------------------------------------------------------

    def new_database(self) -> None:
        from timeline_app.ui.dialogs.open_database import DATABASE_FILES

        window = self.window
        path, _ = QFileDialog.getSaveFileName(
            window, "New database", self.settings.last_folder(), DATABASE_FILES
        )
        if not path:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".sqlite")
        if target.exists():
            QMessageBox.warning(
                window,
                "New database",
                f"{target} already exists; nothing was changed.\n\n"
                "Use File ▸ Open Database… to open it.",
            )
            return
        self.open_database_at(str(target), create=True)

    def choose_database(self) -> OpenDatabaseDialog:
        from timeline_app.ui.dialogs.open_database import OpenDatabaseDialog

        dialog = OpenDatabaseDialog(
            self.settings.recent_databases(), self.settings.last_folder(), self.window
        )
        dialog.chosen.connect(lambda location: self.open_database_at(location, create=False))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        recent = self.settings.recent_databases()
        if not recent:
            menu.addAction("No recent databases").setEnabled(False)
        for location in recent:
            action = menu.addAction(menu_text(location))
            action.setToolTip(f"Open {location}")
            action.triggered.connect(
                lambda _checked=False, loc=location: self.open_database_at(loc, create=False)
            )

    def open_database_at(self, target: str, *, create: bool = False) -> bool:
        """Switch to another database; the current one is closed. False if it cannot open."""
        from timeline_app.services.catalog import Catalog
        from timeline_app.services.databases import open_database

        window = self.window
        if not window.inspector.confirm_leave():
            return False
        try:
            database = open_database(target, create=create)
        except TimelineError as error:
            QMessageBox.critical(window, "Cannot open the database", str(error))
            return False
        if "://" not in target:
            self.settings.set_last_folder(str(Path(target).expanduser().resolve().parent))
        self.settings.add_recent_database(target if "://" in target else database.location)
        window.show_catalog(Catalog(database))
        window.statusBar().showMessage(f"Opened {database.location}", 5000)
        return True

    # ---- events in and out ---------------------------------------------------------------

    def choose_import(self) -> ImportDialog | None:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Import events",
            self.settings.last_folder(),
            IMPORT_FILES,
        )
        if not path:
            return None
        return self.import_file(path)

    def import_file(self, path: str) -> ImportDialog:
        """Preview `path` in the import dialog; nothing is written before the user confirms."""
        from timeline_app.ui.dialogs.import_file import ImportDialog

        self.settings.set_last_folder(str(Path(path).resolve().parent))
        dialog = ImportDialog(
            self.window.workspace, path, self.window, stored=self.window.timeline.canvas.columns
        )
        dialog.imported.connect(self._on_imported)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        dialog.start()
        return dialog

    def _on_imported(self, result: object) -> None:
        added = len(getattr(result, "added_ids", ()))
        changed = len(getattr(result, "replaced", ()))
        self.window.statusBar().showMessage(
            f"Imported: {added:,} added, {changed:,} changed — Undo takes it back", 8000
        )

    def choose_export(self) -> None:
        """Ask for a file and a format (the dialog's filter), then export to it."""
        path, chosen_filter = QFileDialog.getSaveFileName(
            self.window, "Export events", self.settings.last_folder(), ";;".join(EXPORT_FILTERS)
        )
        if not path:
            return
        entry = EXPORT_FILTERS.get(chosen_filter, FILE_FORMATS[0])
        target = Path(path)
        if target.suffix.lower() not in (entry.suffixes or (entry.export_suffix,)):
            target = target.with_name(target.name + entry.export_suffix)
        self.export_to(str(target), entry.name)

    def export_to(self, path: str, fmt: str | None = None) -> Operation[int]:
        """Write every event to `path` in `fmt` (by default the one its name ends with) off
        the GUI thread, with progress and Cancel (a cancelled export leaves any file already
        at `path` as it was)."""
        from timeline_app.services.interchange import export_file

        window = self.window
        self.settings.set_last_folder(str(Path(path).resolve().parent))
        catalog = window.workspace.catalog
        return window.workspace.operations.run(
            f"Export to {Path(path).name}",
            lambda progress: export_file(catalog, path, fmt, progress=progress),
            on_done=lambda count: window.statusBar().showMessage(
                f"Exported {count:,} events to {path}", 8000
            ),
        )
