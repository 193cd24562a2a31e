"""The main window: filter bar, timeline over the event table, the inspector, menus.

The timeline and the table always show the same filtered set and the same selection; the
window is the only place that knows both, so it relays between them (guarded, so a change
it pushes is never reported back). Every edit goes through the workspace's undo stack.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from timeline_app import __version__, paths
from timeline_app.domain.errors import NotFoundError, TimelineError
from timeline_app.domain.model import EventFilter
from timeline_app.services.bulk import collector_paused
from timeline_app.services.catalog import Catalog
from timeline_app.services.databases import open_database
from timeline_app.services.interchange import export_file
from timeline_app.timeline.view import TimelineWidget
from timeline_app.ui.category_manager import CategoryManager
from timeline_app.ui.commands import DeleteEventsCommand, DuplicateEventCommand, SetCategoryCommand
from timeline_app.ui.dialogs.export_image import ExportActions, install_export_actions
from timeline_app.ui.dialogs.import_file import ImportDialog
from timeline_app.ui.dialogs.open_database import DATABASE_FILES, OpenDatabaseDialog
from timeline_app.ui.event_table import EventTableView, swatch
from timeline_app.ui.filter_bar import FilterBar
from timeline_app.ui.inspector import EventInspector
from timeline_app.ui.settings import WindowSettings
from timeline_app.ui.theme import apply_theme
from timeline_app.ui.worker import Job
from timeline_app.ui.workspace import Workspace

PATCH_FROM = 20_000
"""Drawn events from which an edit patches the views instead of reloading them."""
PATCH_AT_MOST = 1_000
"""Changed events beyond which a full reload is simpler and no slower."""
INTERCHANGE_FILES = "Timeline JSON (*.json);;Spreadsheet CSV (*.csv)"
LANE_LABELS = (
    ("category", "Lanes by &Category"),
    ("actor", "Lanes by &Actor"),
    ("single", "&Single Lane"),
)


def _day_text(seconds: float) -> str:
    """The day (UTC) containing `seconds`, as EDTF, for a new event's start."""
    import time

    parts = time.gmtime(int(seconds))
    return f"{parts.tm_year:04d}-{parts.tm_mon:02d}-{parts.tm_mday:02d}"


class MainWindow(QMainWindow):
    """The curation window over one open catalog (switchable through File ▸ Open)."""

    def __init__(
        self,
        catalog: Catalog,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = WindowSettings(settings)
        self.workspace = Workspace(catalog, self)
        self.filter = EventFilter()
        self.shown_count = 0
        self.total_count = 0
        self._selected: list[str] = []
        self._syncing = False
        self._category_manager: CategoryManager | None = None
        self._dialogs: list[QWidget] = []
        self._jobs: list[Job] = []
        self._closed = False
        if paths.icon_path().exists():
            self.setWindowIcon(QIcon(str(paths.icon_path())))

        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._connect()
        self.theme = self.settings.theme()
        self._apply_theme(self.theme)
        self._set_lane_mode(self.settings.lane_mode())
        self._restore_layout()
        self._update_title()
        self.reload_all()
        self.timeline.fit_all()

    # ---- construction --------------------------------------------------------------------

    def _build_widgets(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.filter_bar = FilterBar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.filter_bar)
        self.splitter = QSplitter(Qt.Orientation.Vertical, central)
        self.splitter.setObjectName("MainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.timeline = TimelineWidget(self.splitter)
        self.timeline.setToolTip("")
        self.splitter.addWidget(self.timeline)
        self.table = EventTableView(self.splitter)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 260])
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.inspector = EventInspector(self.workspace, self)
        self.inspector_dock = QDockWidget("Inspector", self)
        self.inspector_dock.setObjectName("InspectorDock")
        self.inspector_dock.setWidget(self.inspector)
        self.inspector_dock.setMinimumWidth(340)
        self.inspector_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.inspector_dock)

        self.history_view = QUndoView(self.workspace.undo_stack, self)
        self.history_view.setEmptyLabel("Opened database")
        self.history_view.setToolTip("Every change in this session; click a line to go back to it")
        self.history_dock = QDockWidget("History", self)
        self.history_dock.setObjectName("HistoryDock")
        self.history_dock.setWidget(self.history_view)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.history_dock.hide()

        self.count_label = QLabel(self)
        self.count_label.setToolTip("Events matching the filter, of all events in the database")
        self.statusBar().addPermanentWidget(self.count_label)

    def _action(
        self,
        text: str,
        tip: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.new_database_action = self._action(
            "&New Database…",
            "Create an empty database file and open it",
            self.new_database,
            "Ctrl+Shift+N",
        )
        self.open_database_action = self._action(
            "&Open Database…",
            "Open a database file or a team database URL",
            self.choose_database,
            key.Open,
        )
        self.import_action = self._action(
            "&Import…",
            "Add or update events from a JSON or CSV file (preview first)",
            self.choose_import,
            "Ctrl+I",
        )
        self.export_action = self._action(
            "&Export…",
            "Write every event to a JSON or CSV file",
            self.choose_export,
            "Ctrl+Shift+E",
        )
        self.quit_action = self._action("&Quit", "Close the window", self.close, key.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        stack = self.workspace.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(key.Undo))
        self.undo_action.setToolTip("Take back the last change")
        self.redo_action = stack.createRedoAction(self, "&Redo")
        redo_keys = [QKeySequence(key.Redo)]
        if QKeySequence("Ctrl+Shift+Z") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Shift+Z"))
        self.redo_action.setShortcuts(redo_keys)
        self.redo_action.setToolTip("Apply again the change just taken back")
        for action in (self.undo_action, self.redo_action):
            self.addAction(action)
        self.new_event_action = self._action(
            "&New Event",
            "Add an event (from the timeline: at the date under the cursor)",
            self.new_event,
            key.New,
        )
        self.duplicate_action = self._action(
            "D&uplicate", "Copy the selected event", self.duplicate_selected, "Ctrl+D"
        )
        self.delete_action = self._action(
            "&Delete",
            "Delete the selected events (Undo brings them back)",
            self.delete_selected,
            key.Delete,
        )
        self.find_action = self._action(
            "&Find…", "Search titles and descriptions", self.filter_bar.focus_search, key.Find
        )
        self.clear_filter_action = self._action(
            "Show &All Events", "Remove every filter", self.filter_bar.clear
        )
        self.categories_action = self._action(
            "&Categories…",
            "Add, rename, recolour, nest, merge and delete categories",
            self.show_categories,
        )
        self.history_action = self._action(
            "&History…",
            "Show every change of this session; click one to go back to it",
            self.show_history,
        )

        self.lane_group = QActionGroup(self)
        self.lane_actions: dict[str, QAction] = {}
        for mode, label in LANE_LABELS:
            action = QAction(label, self.lane_group)
            action.setCheckable(True)
            action.setToolTip(f"Arrange the timeline: {label.replace('&', '').lower()}")
            action.triggered.connect(lambda _checked=False, m=mode: self._set_lane_mode(m))
            self.lane_actions[mode] = action
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for name, label in (("light", "&Light"), ("dark", "&Dark")):
            action = QAction(label, self.theme_group)
            action.setCheckable(True)
            action.setToolTip(f"Use the {name} look")
            action.triggered.connect(lambda _checked=False, n=name: self._apply_theme(n))
            self.theme_actions[name] = action
        self.fit_action = self._action(
            "&Fit All", "Zoom the timeline to show every event", self._fit_all, "Ctrl+0"
        )
        self.about_action = self._action(
            "&About timeline_app", "About this application", self.show_about
        )
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self._build_file_menu(self.file_menu)

        self.edit_menu = bar.addMenu("&Edit")
        menu = self.edit_menu
        menu.addAction(self.undo_action)
        menu.addAction(self.redo_action)
        menu.addSeparator()
        menu.addAction(self.new_event_action)
        menu.addAction(self.duplicate_action)
        menu.addAction(self.delete_action)
        self.move_menu = menu.addMenu("&Move to Category")
        self.move_menu.setToolTip("Put the selected events in another category")
        self.move_menu.aboutToShow.connect(self._fill_move_menu)
        menu.addSeparator()
        menu.addAction(self.find_action)
        menu.addAction(self.clear_filter_action)
        menu.addSeparator()
        menu.addAction(self.categories_action)
        menu.addAction(self.history_action)
        menu.addSeparator()
        # File ▸ Export image… (Ctrl+E) and Edit ▸ Copy view as image (Ctrl+Shift+C).
        self.image_actions: ExportActions = install_export_actions(
            self,
            self.file_menu,
            self.timeline,
            lambda: self.workspace.catalog,
            edit_menu=self.edit_menu,
            before=self.quit_action,
            settings=self.settings.store,
        )

        self.view_menu = bar.addMenu("&View")
        for action in self.lane_actions.values():
            self.view_menu.addAction(action)
        self.view_menu.addSeparator()
        theme_menu = self.view_menu.addMenu("&Theme")
        for action in self.theme_actions.values():
            theme_menu.addAction(action)
        self.view_menu.addAction(self.fit_action)
        self.view_menu.addSeparator()
        inspector_toggle = self.inspector_dock.toggleViewAction()
        self.view_menu.addAction(inspector_toggle)
        self.view_menu.addAction(self.filter_bar.toggleViewAction())
        self.view_menu.addAction(self.history_dock.toggleViewAction())

        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(self.about_action)

        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (self.new_event_action, self.duplicate_action, self.delete_action):
            self.table.addAction(action)

    def _build_file_menu(self, menu: QMenu) -> None:
        """The File menu; image export is added with the Edit menu (see `_build_menus`)."""
        menu.addAction(self.new_database_action)
        menu.addAction(self.open_database_action)
        self.recent_menu = menu.addMenu("Open &Recent")
        self.recent_menu.setToolTipsVisible(True)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        menu.addSeparator()
        menu.addAction(self.import_action)
        menu.addAction(self.export_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)

    def _connect(self) -> None:
        self.filter_bar.filterChanged.connect(self.set_filter)
        self.table.eventsSelected.connect(lambda ids: self._select(ids, self.table))
        self.table.editRequested.connect(self._edit_requested)
        timeline = self.timeline
        timeline.selectionChanged.connect(lambda ids: self._select(ids, timeline))
        timeline.editRequested.connect(self._edit_requested)
        timeline.newEventRequested.connect(self._new_event_at)
        timeline.set_detail_provider(self._detail_text)
        self.inspector.saved.connect(self._on_saved)
        self.workspace.eventsChanged.connect(self._on_events_changed)
        self.workspace.categoriesChanged.connect(self._on_categories_changed)
        self.workspace.commandFailed.connect(self._on_command_failed)
        self.workspace.undo_stack.indexChanged.connect(self._on_stack_moved)

    # The workspace outlives the widgets while the window is torn down: stay quiet then.
    def _on_events_changed(self, ids: list[str]) -> None:
        if self._closed:
            return
        if 0 < len(ids) <= PATCH_AT_MOST and len(self.timeline.canvas.columns) >= PATCH_FROM:
            self.patch_events(ids)
        else:
            self.reload_events()

    def _on_categories_changed(self) -> None:
        if not self._closed:
            self.reload_names()

    def _on_stack_moved(self, _index: int) -> None:
        if not self._closed:
            self._update_actions()

    # ---- loading -------------------------------------------------------------------------

    def reload_all(self) -> None:
        self.reload_names()
        self.reload_events()

    def reload_names(self) -> None:
        catalog = self.workspace.catalog
        categories = catalog.categories()
        actors = catalog.actor_names()
        tags = catalog.tag_names()
        self.filter_bar.set_choices(categories, actors, tags)
        self.inspector.set_names(categories, actors, tags)

    def reload_events(self) -> None:
        """Read the events again (after an edit or a filter change) into both views."""
        with collector_paused():  # a million rows: see collector_paused
            self._reload_events()

    def _reload_events(self) -> None:
        catalog = self.workspace.catalog
        categories = catalog.categories()
        where = None if self.filter.is_empty else self.filter
        # One read feeds both views. Actors only when lanes are by actor: half the load.
        columns = catalog.event_columns(with_actors=self.settings.lane_mode() == "actor")
        shown = None if where is None else catalog.filtered_positions(columns, where)
        self.total_count = len(columns)
        self.shown_count = len(columns) if shown is None else len(shown)
        self.table.set_date_source(catalog.event_dates)
        with self._refilling_views():
            self.timeline.set_events(columns)
            self.table.set_events(columns, shown, categories)
            self.timeline.set_eras(catalog.eras())
            self.timeline.set_filter(None if shown is None else columns.mask_of(shown))

    def patch_events(self, ids: Sequence[str]) -> None:
        """Bring a few changed events into both views without reading the others again.

        Reading a million events takes seconds; an edit touches one. Falls back to a full
        reload when the categories or the lane mode no longer match what is drawn.
        """
        with collector_paused():
            catalog = self.workspace.catalog
            drawn = self.timeline.canvas.columns
            with_actors = self.settings.lane_mode() == "actor"
            added = catalog.event_columns(with_actors=with_actors, ids=ids)
            if (
                added.category_names != drawn.category_names
                or added.category_colours != drawn.category_colours
                or with_actors != bool(drawn.actors)
            ):
                self.reload_events()
                return
            where = None if self.filter.is_empty else self.filter
            columns = drawn.patched(ids, added)
            shown = None if where is None else catalog.filtered_positions(columns, where)
            self.total_count = len(columns)
            self.shown_count = len(columns) if shown is None else len(shown)
            with self._refilling_views():
                self.timeline.set_events(columns)
                self.table.set_events(columns, shown, changed=ids)
                if shown is not None:
                    self.timeline.set_filter(columns.mask_of(shown))

    def set_filter(self, where: EventFilter) -> None:
        self.filter = where
        catalog = self.workspace.catalog
        columns = self.table.table_model.columns()  # the drawn ones: filtered, not read again
        shown = None if where.is_empty else catalog.filtered_positions(columns, where)
        self.shown_count = len(columns) if shown is None else len(shown)
        with self._refilling_views():
            self.table.set_events(columns, shown, catalog.categories())
            self.timeline.set_filter(None if shown is None else columns.mask_of(shown))

    @contextmanager
    def _refilling_views(self) -> Iterator[None]:
        """Refill the table and the timeline inside; their selection signals stay quiet, and
        afterwards the table's selection is shown in the timeline and the counts updated."""
        self._syncing = True
        try:
            yield
            self._selected = self.table.selected_ids()
            self.timeline.set_selection(self._selected)
        finally:
            self._syncing = False
        self._update_count()
        self._update_actions()

    def _update_count(self) -> None:
        noun = "event" if self.total_count == 1 else "events"
        self.count_label.setText(f"showing {self.shown_count:,} of {self.total_count:,} {noun}")
        self.filter_bar.set_count(self.shown_count, self.total_count)

    def _update_title(self) -> None:
        """The database shown; Qt appends the application's display name ("— timeline_app")."""
        self.setWindowTitle(self.workspace.catalog.database.location)

    def _update_actions(self) -> None:
        count = len(self._selected)
        self.delete_action.setEnabled(count > 0)
        self.duplicate_action.setEnabled(count == 1)
        self.move_menu.setEnabled(count > 0)
        self.clear_filter_action.setEnabled(not self.filter.is_empty)

    # ---- selection -----------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        return list(self._selected)

    def _select(self, ids: list[str], origin: object) -> None:
        if self._syncing:
            return
        ids = list(ids)
        if ids == self._selected:
            return
        keep_editor = len(ids) == 1 and ids[0] == self.inspector.current_id()
        if not keep_editor and not self.inspector.confirm_leave():
            QTimer.singleShot(0, lambda: self._push_selection(self._selected))
            return
        self._selected = ids
        self._push_selection(ids, skip=origin)
        self._show_selected()
        self._update_actions()

    def select_events(self, ids: list[str]) -> None:
        """Select from code (after a save, a duplicate…); shown in both views."""
        self._selected = [event_id for event_id in ids if event_id]
        self._push_selection(self._selected)
        self._show_selected()
        self._update_actions()

    def _push_selection(self, ids: list[str], skip: object = None) -> None:
        self._syncing = True
        try:
            if skip is not self.table:
                self.table.select_ids(ids)
            if skip is not self.timeline:
                self.timeline.set_selection(ids)
        finally:
            self._syncing = False

    def _show_selected(self) -> None:
        ids = self._selected
        if len(ids) == 1:
            if ids[0] == self.inspector.current_id() and self.inspector.is_dirty():
                return
            try:
                self.inspector.show_event(self.workspace.catalog.event(ids[0]))
            except NotFoundError:
                self.inspector.show_event(None)
        elif not ids:
            if not self.inspector.is_new:
                self.inspector.show_event(None)
        else:
            self.inspector.show_message(
                f"{len(ids)} events selected.\n\nDelete, or move them to a category, "
                "from the Edit menu."
            )

    def _edit_requested(self, event_id: str) -> None:
        if self._selected != [event_id]:
            self._select([event_id], None)
        if self._selected == [event_id]:
            self.inspector_dock.show()
            self.inspector_dock.raise_()
            self.inspector.title_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_saved(self, event_id: str) -> None:
        self.statusBar().showMessage("Saved", 3000)
        if self.table.table_model.row_of(event_id) is None and not self.filter.is_empty:
            self.statusBar().showMessage("Saved — the event is hidden by the filter", 6000)
        self.select_events([event_id])

    def _detail_text(self, event_id: str) -> str:
        try:
            record = self.workspace.catalog.event(event_id)
        except NotFoundError:
            return ""
        parts = [record.category, str(record.certainty)]
        if record.actors:
            parts.append(", ".join(record.actors[:4]))
        return " · ".join(parts)

    # ---- editing -------------------------------------------------------------------------

    def new_event(self, start: str = "") -> None:
        if not self.inspector.confirm_leave():
            return
        self._selected = []
        self._push_selection([])
        self._update_actions()
        self.inspector_dock.show()
        self.inspector.start_new(start)

    def _new_event_at(self, seconds: float) -> None:
        self.new_event(_day_text(seconds))

    def duplicate_selected(self) -> None:
        if len(self._selected) != 1 or not self.inspector.confirm_leave():
            return
        command = DuplicateEventCommand(self.workspace, self._selected[0])
        if self._run(command) and command.record is not None:
            self.select_events([command.record.id])

    def delete_selected(self) -> None:
        ids = list(self._selected)
        if not ids:
            return
        if self.inspector.current_id() in ids and self.inspector.is_dirty():
            self.inspector.revert()
        if self._run(DeleteEventsCommand(self.workspace, ids)):
            noun = "event" if len(ids) == 1 else "events"
            self.statusBar().showMessage(f"Deleted {len(ids)} {noun} — Undo brings them back", 5000)
            self.select_events([])

    def move_selected_to(self, category: str) -> None:
        ids = list(self._selected)
        if ids and self.inspector.confirm_leave():
            self._run(SetCategoryCommand(self.workspace, ids, category))

    def _fill_move_menu(self) -> None:
        self.move_menu.clear()
        for record in self.workspace.catalog.categories():
            action = self.move_menu.addAction(swatch(record.colour), record.name)
            action.triggered.connect(
                lambda _checked=False, name=record.name: self.move_selected_to(name)
            )

    def _run(self, command: object) -> bool:
        try:
            self.workspace.run(command)  # type: ignore[arg-type]
        except TimelineError as error:
            QMessageBox.warning(self, "timeline_app", str(error))
            return False
        return True

    def _on_command_failed(self, message: str) -> None:
        QMessageBox.warning(self, "timeline_app", message)

    def show_categories(self) -> CategoryManager:
        if self._category_manager is None:
            self._category_manager = CategoryManager(self.workspace, self)
        self._category_manager.show()
        self._category_manager.raise_()
        self._category_manager.activateWindow()
        return self._category_manager

    def show_history(self) -> None:
        self.history_dock.show()
        self.history_dock.raise_()

    # ---- files ---------------------------------------------------------------------------

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New database", self.settings.last_folder(), DATABASE_FILES
        )
        if not path:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".sqlite")
        if target.exists():
            QMessageBox.warning(
                self,
                "New database",
                f"{target} already exists; nothing was changed.\n\n"
                "Use File ▸ Open Database… to open it.",
            )
            return
        self.open_database_at(str(target), create=True)

    def choose_database(self) -> OpenDatabaseDialog:
        dialog = OpenDatabaseDialog(
            self.settings.recent_databases(), self.settings.last_folder(), self
        )
        dialog.chosen.connect(lambda location: self.open_database_at(location, create=False))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_databases()
        if not recent:
            self.recent_menu.addAction("No recent databases").setEnabled(False)
        for location in recent:
            action = self.recent_menu.addAction(location)
            action.setToolTip(f"Open {location}")
            action.triggered.connect(
                lambda _checked=False, loc=location: self.open_database_at(loc, create=False)
            )

    def open_database_at(self, target: str, *, create: bool = False) -> bool:
        """Switch to another database; the current one is closed. False if it cannot open."""
        if not self.inspector.confirm_leave():
            return False
        try:
            database = open_database(target, create=create)
        except TimelineError as error:
            QMessageBox.critical(self, "Cannot open the database", str(error))
            return False
        if "://" not in target:
            self.settings.set_last_folder(str(Path(target).expanduser().resolve().parent))
        previous = self.workspace.replace_catalog(Catalog(database))
        previous.database.dispose()
        self.settings.add_recent_database(target if "://" in target else database.location)
        self._selected = []
        self.inspector.show_event(None)
        self._update_title()
        self.reload_all()
        self.timeline.fit_all()
        self.statusBar().showMessage(f"Opened {database.location}", 5000)
        return True

    def choose_import(self) -> ImportDialog | None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Import events",
            self.settings.last_folder(),
            "Timeline files (*.json *.csv);;" + INTERCHANGE_FILES,
        )
        if not path:
            return None
        return self.import_file(path)

    def import_file(self, path: str) -> ImportDialog:
        """Preview `path` in the import dialog; nothing is written before the user confirms."""
        self.settings.set_last_folder(str(Path(path).resolve().parent))
        dialog = ImportDialog(self.workspace, path, self)
        dialog.imported.connect(self._on_imported)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        dialog.start()
        return dialog

    def _on_imported(self, result: object) -> None:
        added = len(getattr(result, "added_ids", ()))
        changed = len(getattr(result, "replaced", ()))
        self.statusBar().showMessage(
            f"Imported: {added:,} added, {changed:,} changed — Undo takes it back", 8000
        )

    def choose_export(self) -> None:
        path, chosen_filter = QFileDialog.getSaveFileName(
            self, "Export events", self.settings.last_folder(), INTERCHANGE_FILES
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() not in (".json", ".csv"):
            target = target.with_suffix(".csv" if "csv" in chosen_filter.lower() else ".json")
        self.export_to(str(target))

    def export_to(self, path: str) -> Job:
        """Write every event to `path` off the GUI thread, with a progress dialog."""
        self.settings.set_last_folder(str(Path(path).resolve().parent))
        progress = QProgressDialog(f"Exporting to {Path(path).name}…", "", 0, 0, self)
        progress.setWindowTitle("Export")
        progress.setCancelButton(None)
        progress.setMinimumDuration(400)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        catalog = self.workspace.catalog
        job = Job(lambda: export_file(catalog, path), self)
        self._jobs.append(job)

        def finish(value: object = None, error: object = None) -> None:
            progress.close()
            progress.deleteLater()
            self._jobs.remove(job)
            if error is not None:
                QMessageBox.critical(self, "Export failed", str(error))
            else:
                self.statusBar().showMessage(f"Exported {value} events to {path}", 8000)

        job.finished.connect(lambda value: finish(value=value))
        job.failed.connect(lambda error: finish(error=error))
        job.start()
        return job

    # ---- looks ---------------------------------------------------------------------------

    def _apply_theme(self, theme: str) -> None:
        self.theme = theme
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.timeline.set_theme(theme)
        self.theme_actions[theme].setChecked(True)
        self.settings.set_theme(theme)

    def _set_lane_mode(self, mode: str) -> None:
        self.settings.set_lane_mode(mode)
        columns = self.timeline.canvas.columns
        if mode == "actor" and len(columns) and not columns.actors:
            self.reload_events()  # the columns were read without actors
        self.timeline.set_lane_mode(mode)
        self.lane_actions[mode].setChecked(True)

    def _fit_all(self) -> None:
        self.timeline.fit_all()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About timeline_app",
            f"<h3>timeline_app {__version__}</h3>"
            "<p>Curate dated, sourced, categorized events of a relationship between states "
            "and explore them on a zoomable timeline.</p>"
            "<p>Dates may be partial or uncertain (“March 2023”, “~2015”, “1990s”); every "
            "edit can be undone.</p><p>MIT licence.</p>",
        )

    # ---- layout memory and closing -------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        state = self.settings.state()
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.splitter()
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def save_layout(self) -> None:
        self.settings.save_layout(
            QByteArray(self.saveGeometry()),
            QByteArray(self.saveState()),
            QByteArray(self.splitter.saveState()),
        )
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.inspector.confirm_leave():
            event.ignore()
            return
        self.save_layout()
        self._closed = True
        if self._category_manager is not None:
            self._category_manager.close()
        self.workspace.undo_stack.clear()
        self.workspace.catalog.database.dispose()
        event.accept()
