"""The main window: filter bar, timeline over the event table, the inspector, menus.

The window coordinates: its commands are declared in `main_actions`, the File menu's flows
live in `FileCommands`, the shared selection in `SelectionRelay`. It reads the events once
and hands the same data to the timeline and the table; every edit goes through the
workspace's undo stack, and the views are patched or reloaded from what changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from timeline_app import paths
from timeline_app.domain.changes import Changes
from timeline_app.domain.errors import NotFoundError
from timeline_app.domain.evidence import best_citation_grade, grade_words
from timeline_app.domain.model import CategoryRecord, EventFilter
from timeline_app.timeline.view import TimelineWidget
from timeline_app.ui.actions import ActionSet
from timeline_app.ui.author_name import sign_catalog
from timeline_app.ui.event_editing import EventEditing
from timeline_app.ui.event_table import EventTableView
from timeline_app.ui.event_views import EventViews
from timeline_app.ui.file_commands import FileCommands
from timeline_app.ui.filter_bar import FilterBar
from timeline_app.ui.history_section import HistorySection
from timeline_app.ui.history_undo import HistoryWalk
from timeline_app.ui.inspector import EventInspector
from timeline_app.ui.link_editing import LinkEditing
from timeline_app.ui.link_section import LinkSection
from timeline_app.ui.main_actions import main_actions, main_menus
from timeline_app.ui.note_section import NoteSection
from timeline_app.ui.selection_relay import SelectionRelay
from timeline_app.ui.settings import WindowSettings
from timeline_app.ui.theme import apply_theme
from timeline_app.ui.workspace import Workspace

if TYPE_CHECKING:
    from timeline_app.services.catalog import Catalog
    from timeline_app.services.first_frame import FirstFrameCatalog
    from timeline_app.ui.category_manager import CategoryManager
    from timeline_app.ui.era_manager import EraManager
    from timeline_app.ui.source_manager import SourceManager
    from timeline_app.ui.tag_manager import TagManager

PATCH_FROM = 20_000
"""Drawn events from which an edit patches the views instead of reloading them."""
PATCH_AT_MOST = 1_000
"""Changed events beyond which a full reload is simpler and no slower."""


class MainWindow(QMainWindow):
    """The curation window over one open catalog (switchable through File ▸ Open)."""

    def __init__(
        self,
        catalog: Catalog | FirstFrameCatalog,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = WindowSettings(settings)
        self.workspace = Workspace(catalog, self)
        self._category_manager: CategoryManager | None = None
        self._tag_manager: TagManager | None = None
        self._era_manager: EraManager | None = None
        self._source_manager: SourceManager | None = None
        self.closed = False
        self._fit_when_shown = True
        self._categories: list[CategoryRecord] = []
        if paths.icon_path().exists():
            self.setWindowIcon(QIcon(str(paths.icon_path())))

        self._build_widgets()
        self.selection = SelectionRelay(
            self.table,
            self.timeline,
            self.inspector,
            lambda: self.workspace.catalog,
            self.update_actions,
        )
        self.files = FileCommands(self)
        self.editing = EventEditing(self)
        self.views = EventViews(self)
        self.history_walk = HistoryWalk(self)
        self.actions = ActionSet(self, main_actions(self))
        self.actions.build_menus(self.menuBar(), main_menus(self))
        self._add_view_toggles()
        self.links = LinkEditing(self)
        follow = self.actions["fit_to_filter"]
        follow.setCheckable(True)
        follow.setChecked(self.settings.fit_to_filter())
        self._connect()
        self.apply_theme(self.settings.theme())
        self.set_lane_mode(self.settings.lane_mode(), reload=False)
        self._restore_layout()
        self._update_title()
        sign_catalog(self)
        self.reload_all()

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
        self.table = EventTableView(self.splitter)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 260])
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.inspector = EventInspector(self.workspace, self)
        self.link_section = LinkSection(self.workspace, self.inspector)
        self.inspector.add_section(self.link_section)
        self.notes_section = NoteSection(self.workspace, self.inspector)
        self.inspector.add_section(self.notes_section)
        self.inspector.add_section(
            HistorySection(
                self.workspace, self.inspector, confirm_leave=self.inspector.confirm_leave
            )
        )
        self.inspector_dock = self._dock("Inspector", "InspectorDock", self.inspector)
        self.inspector_dock.setMinimumWidth(340)
        self.history_view = QUndoView(self.workspace.undo_stack, self)
        self.history_view.setEmptyLabel("Opened database")
        self.history_view.setToolTip("Every change in this session; click a line to go back to it")
        self.history_dock = self._dock("History", "HistoryDock", self.history_view)
        self.history_dock.hide()

        self.count_label = QLabel(self)
        self.count_label.setToolTip("Events matching the filter, of all events in the database")
        self.statusBar().addPermanentWidget(self.count_label)

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        features = QDockWidget.DockWidgetFeature
        dock.setFeatures(
            features.DockWidgetMovable | features.DockWidgetClosable | features.DockWidgetFloatable
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    def _add_view_toggles(self) -> None:
        """View ▸ show or hide the panels (Qt's own toggle actions), and the table's menu."""
        view = self.actions.menus["view"]
        for dock_or_bar in (self.inspector_dock, self.filter_bar, self.history_dock):
            view.addAction(dock_or_bar.toggleViewAction())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for name in ("new_event", "duplicate", "edit_events", "delete"):
            self.table.addAction(self.actions[name])

    def _connect(self) -> None:
        self.filter_bar.filterChanged.connect(self.views.apply_filter)
        self.filter_bar.filterChanged.connect(self.table.set_filter)  # marks, "no events match"
        self.filter_bar.filterChanged.connect(lambda where: self.inspector.set_search(where.text))
        self.table.clearFilterRequested.connect(self.filter_bar.clear)
        self.table.editRequested.connect(self._edit_requested)
        self.timeline.editRequested.connect(self._edit_requested)
        self.timeline.newEventRequested.connect(self.editing.new_event_at)
        self.timeline.set_detail_provider(self._detail_text)
        self.inspector.saved.connect(self._on_saved)
        self.workspace.changed.connect(self._on_changed)
        self.workspace.commandFailed.connect(self.editing.warn)
        operations = self.workspace.operations
        operations.messagePosted.connect(lambda text: self.statusBar().showMessage(text, 8000))
        # A click in the history replays commands at once: not while a change is written.
        operations.busyChanged.connect(
            lambda _busy: self.history_view.setEnabled(not operations.is_running_change())
        )
        stack = self.workspace.undo_stack
        stack.indexChanged.connect(lambda _index: self.update_actions())
        stack.undoTextChanged.connect(lambda text: self._name_history_action("undo", text))
        stack.redoTextChanged.connect(lambda text: self._name_history_action("redo", text))

    def _name_history_action(self, _name: str, _text: str) -> None:
        # The stack announces its emptying as it is destroyed with the window: stay quiet.
        if self.closed or not shiboken6.isValid(self.workspace.undo_stack):
            return
        self.history_walk.name_actions()  # the stack's text, or a step from the history

    # The workspace outlives the widgets while the window is torn down: stay quiet then.
    def _on_changed(self, changes: Changes) -> None:
        if self.closed:
            return
        if changes.categories or changes.everything:
            self.reload_names()
        elif changes.names:  # new actors or tags maybe; the categories are as they were
            self.reload_names(self._categories)
        if changes.eras and not changes.everything:
            self.timeline.set_eras(self.workspace.catalog.eras())
        self.views.on_changed(changes)

    # ---- loading -------------------------------------------------------------------------

    def show_catalog(self, catalog: Catalog) -> None:
        """Switch the window to another open database; the previous one is closed. (At start,
        the database opened after the first paint replaces the snapshot this way.)"""
        self.selection.ids = []
        self.inspector.show_event(None)
        self._fit_when_shown = True
        previous = self.workspace.replace_catalog(catalog)  # the views reload on `changed`
        previous.database.dispose()
        sign_catalog(self)
        self._update_title()

    def reload_all(self) -> None:
        self.reload_names()
        self.views.reload_events()

    def reload_names(self, categories: list[CategoryRecord] | None = None) -> None:
        """The pick lists of the filter bar and the inspector (`categories` when known:
        reading them counts the events of each, which takes a while at a million)."""
        catalog = self.workspace.catalog
        if categories is None:
            categories = catalog.categories()
        self._categories = categories
        actors = catalog.actor_names()
        tags = catalog.tag_names()
        self.filter_bar.set_choices(categories, actors, tags)
        self.inspector.set_names(categories, actors, tags)

    def show_counts(self, shown: int, total: int) -> None:
        noun = "event" if total == 1 else "events"
        self.count_label.setText(f"showing {shown:,} of {total:,} {noun}")
        self.filter_bar.set_count(shown, total)
        if self._fit_when_shown and total:
            self._fit_when_shown = False
            self.timeline.fit_all()

    @property
    def filter(self) -> EventFilter:
        return self.views.filter

    def _update_title(self) -> None:
        """The database shown; Qt appends the application's display name ("— timeline_app")."""
        self.setWindowTitle(self.workspace.catalog.database.location)

    def update_actions(self) -> None:
        if not self.closed:
            self.actions.refresh()
            self.history_walk.name_actions()

    # ---- selection -----------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        return list(self.selection.ids)

    def select_events(self, ids: list[str]) -> None:
        """Select from code (after a save, a duplicate…); shown in both views."""
        self.selection.select(ids)

    def _edit_requested(self, event_id: str) -> None:
        if self.selection.ids != [event_id]:
            self.selection.user_selected([event_id], None)
        if self.selection.ids == [event_id]:
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
        grade = best_citation_grade(record.sources)
        if grade is not None:
            parts.append(f"best source {grade_words(*grade)}")
        return " · ".join(parts)

    # ---- editing -------------------------------------------------------------------------

    def show_categories(self) -> CategoryManager:
        if self._category_manager is None:
            from timeline_app.ui.category_manager import CategoryManager  # not at start-up

            self._category_manager = CategoryManager(self.workspace, self)
        self._category_manager.show()
        self._category_manager.raise_()
        self._category_manager.activateWindow()
        return self._category_manager

    def show_history(self) -> None:
        self.history_dock.show()
        self.history_dock.raise_()

    # ---- looks ---------------------------------------------------------------------------

    def apply_theme(self, theme: str) -> None:
        self.theme = theme
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.timeline.set_theme(theme)
        self.actions.check(f"theme_{theme}")
        self.settings.set_theme(theme)

    def set_lane_mode(self, mode: str, *, reload: bool = True) -> None:
        self.settings.set_lane_mode(mode)
        columns = self.timeline.canvas.columns
        if reload and mode == "actor" and len(columns) and not columns.actors:
            self.views.reload_events()  # the columns were read without actors
        self.timeline.set_lane_mode(mode)
        self.actions.check(f"lanes_{mode}")

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

    def _confirm_stop_writing(self) -> bool:
        """A change still being written is rolled back by closing: ask first."""
        running = self.workspace.operations.running_change()
        if running is None:
            return True
        answer = QMessageBox.question(
            self,
            "timeline_app",
            f"“{running.title}” is still running.\n\n"
            "Stop it and close? Nothing of it will be kept.",
        )
        return answer == QMessageBox.StandardButton.Yes

    def save_layout(self) -> None:
        self.settings.save_layout(
            QByteArray(self.saveGeometry()),
            QByteArray(self.saveState()),
            QByteArray(self.splitter.saveState()),
        )
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.inspector.confirm_leave() or not self._confirm_stop_writing():
            event.ignore()
            return
        self.save_layout()
        self.closed = True
        self.workspace.operations.cancel_all_and_wait()
        for manager in (
            self._category_manager,
            self._tag_manager,
            self._era_manager,
            self._source_manager,
        ):
            if manager is not None:
                manager.close()
        self.workspace.undo_stack.clear()
        self.workspace.catalog.database.dispose()
        event.accept()

    # ---- tags and eras -------------------------------------------------------------------

    def show_tags(self) -> TagManager:
        if self._tag_manager is None:
            from timeline_app.ui.tag_manager import TagManager  # not at start-up

            self._tag_manager = TagManager(self.workspace, self)
        self._raise(self._tag_manager)
        return self._tag_manager

    def show_eras(self) -> EraManager:
        if self._era_manager is None:
            from timeline_app.ui.era_manager import EraManager  # not at start-up

            self._era_manager = EraManager(self.workspace, self)
        self._raise(self._era_manager)
        return self._era_manager

    def show_sources(self) -> SourceManager:
        if self._source_manager is None:
            from timeline_app.ui.source_manager import SourceManager  # not at start-up

            self._source_manager = SourceManager(self.workspace, self)
            self._source_manager.citingRequested.connect(self.filter_bar.set_citing)
        self._raise(self._source_manager)
        return self._source_manager

    @staticmethod
    def _raise(dialog: QWidget) -> None:
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
