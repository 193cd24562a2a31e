"""Every command of the main window and its menus, declared in one place.

Reading this file answers "what can I do, with which keys, and when": each entry names its
text, tip, shortcuts, handler and enabling rule; `ActionSet` turns them into QActions and
menus, and re-applies the rules whenever the selection, filter or history moves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from timeline_app.ui.actions import SEPARATOR, ActionSpec, MenuSpec, SubmenuSpec

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow

KEY = QKeySequence.StandardKey
LANE_MODES = (
    ("category", "Lanes by &Category"),
    ("actor", "Lanes by &Actor"),
    ("single", "&Single Lane"),
)
THEMES = (("light", "&Light"), ("dark", "&Dark"))


def main_actions(window: MainWindow) -> list[ActionSpec]:
    files = window.files
    editing = window.editing
    specs = [
        ActionSpec(
            "new_database",
            "&New Database…",
            "Create an empty database file and open it",
            files.new_database,
            ("Ctrl+Shift+N",),
        ),
        ActionSpec(
            "open_database",
            "&Open Database…",
            "Open a database file or a team database URL",
            files.choose_database,
            (KEY.Open,),
        ),
        ActionSpec(
            "import",
            "&Import…",
            "Add or update events from a JSON or CSV file (preview first)",
            files.choose_import,
            ("Ctrl+I",),
        ),
        ActionSpec(
            "export",
            "&Export…",
            "Write every event to a JSON or CSV file",
            files.choose_export,
            ("Ctrl+Shift+E",),
        ),
        ActionSpec(
            "export_image",
            "Export &image…",
            "Save the timeline as a PNG, SVG or PDF image",
            lambda: _export_image(window),
            ("Ctrl+E",),
        ),
        ActionSpec(
            "quit",
            "&Quit",
            "Close the window",
            window.close,
            (KEY.Quit,),
            role=QAction.MenuRole.QuitRole,
        ),
        ActionSpec(
            "undo",
            "&Undo",
            "Take back the last change (after reopening: the last one recorded)",
            window.history_walk.undo,
            (KEY.Undo,),
            enabled_when=window.history_walk.can_undo,
        ),
        ActionSpec(
            "redo",
            "&Redo",
            "Apply again the change just taken back",
            window.history_walk.redo,
            (KEY.Redo, "Ctrl+Y", "Ctrl+Shift+Z"),
            enabled_when=window.history_walk.can_redo,
        ),
        ActionSpec(
            "new_event",
            "&New Event",
            "Add an event (from the timeline: at the date under the cursor)",
            editing.new_event,
            (KEY.New,),
        ),
        ActionSpec(
            "duplicate",
            "D&uplicate",
            "Copy the selected event",
            editing.duplicate_selected,
            ("Ctrl+D",),
            enabled_when=lambda: len(window.selected_ids()) == 1,
        ),
        ActionSpec(
            "delete",
            "&Delete",
            "Delete the selected events (Undo brings them back)",
            lambda: _delete_selected(window),
            (KEY.Delete,),
            enabled_when=lambda: bool(window.selected_ids()),
        ),
        ActionSpec(
            "find",
            "&Find…",
            "Search titles and descriptions",
            window.filter_bar.focus_search,
            (KEY.Find,),
        ),
        ActionSpec(
            "clear_filter",
            "Show &All Events",
            "Remove every filter",
            window.filter_bar.clear,
            enabled_when=lambda: not window.filter.is_empty,
        ),
        ActionSpec(
            "categories",
            "&Categories…",
            "Add, rename, recolour, nest, merge and delete categories",
            window.show_categories,
        ),
        ActionSpec(
            "history",
            "&History…",
            "Show every change of this session; click one to go back to it",
            window.show_history,
        ),
        ActionSpec(
            "copy_image",
            "Copy view as &image",
            "Put the timeline as it is now on the clipboard",
            lambda: _copy_image(window),
            ("Ctrl+Shift+C",),
        ),
        ActionSpec(
            "show_links",
            "Show &Links",
            "Draw the links between events as arrows (Alt+drag from one event to another "
            "links them)",
            lambda: window.links.toggled(),
            ("Ctrl+L",),
        ),
        ActionSpec(
            "fit_to_filter",
            "Follow the &Filter",
            "Move the timeline to the matching events whenever the filter changes",
            lambda: window.views.set_fit_to_filter(window.actions["fit_to_filter"].isChecked()),
        ),
        ActionSpec(
            "fit",
            "&Fit All",
            "Zoom the timeline to show every event",
            window.timeline.fit_all,
            ("Ctrl+0",),
        ),
        ActionSpec(
            "reload",
            "&Reload Events",
            "Read every event from the database again (changes saved by others too)",
            window.views.reload_events,
            (KEY.Refresh,),
        ),
        ActionSpec(
            "about",
            "&About timeline_app",
            "About this application",
            lambda: _about(window),
            role=QAction.MenuRole.AboutRole,
        ),
    ]
    for mode, label in LANE_MODES:
        specs.append(
            ActionSpec(
                f"lanes_{mode}",
                label,
                f"Arrange the timeline: {label.replace('&', '').lower()}",
                lambda m=mode: window.set_lane_mode(m),
                group="lanes",
            )
        )
    for name, label in THEMES:
        specs.append(
            ActionSpec(
                f"theme_{name}",
                label,
                f"Use the {name} look",
                lambda n=name: window.apply_theme(n),
                group="theme",
            )
        )
    specs.extend(_bulk_edit_actions(window))
    specs.extend(_manager_actions(window))
    specs.append(
        ActionSpec(
            "author_name",
            "Your &Name…",
            "The name your changes and notes are signed with (your computer user name unless "
            "you give another)",
            lambda: _ask_author_name(window),
        )
    )
    return specs


def _ask_author_name(window: MainWindow) -> None:
    from timeline_app.ui.author_name import ask_author_name

    ask_author_name(window)


def _about(window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    from timeline_app import __version__

    QMessageBox.about(
        window,
        "About timeline_app",
        f"<h3>timeline_app {__version__}</h3>"
        "<p>Curate dated, sourced, categorized events of a relationship between states "
        "and explore them on a zoomable timeline.</p>"
        "<p>Dates may be partial or uncertain (“March 2023”, “~2015”, “1990s”); every "
        "edit can be undone.</p><p>MIT licence.</p>",
    )


def _export_image(window: MainWindow) -> None:
    # Imported on first use: the image export pulls in the print and SVG machinery, which
    # the first frame does not need.
    from timeline_app.ui.dialogs.export_image import open_export_image_dialog

    catalog = window.workspace.catalog
    open_export_image_dialog(window, window.timeline, catalog, window.settings.store)


def _copy_image(window: MainWindow) -> None:
    from timeline_app.ui.dialogs.export_image import copy_view_with_message

    copy_view_with_message(window, window.timeline, window.workspace.catalog)


def main_menus(window: MainWindow) -> list[MenuSpec]:
    editing = window.editing
    return [
        MenuSpec(
            "file",
            "&File",
            (
                "new_database",
                "open_database",
                SubmenuSpec("recent", "Open &Recent", fill=window.files.fill_recent_menu),
                SEPARATOR,
                "import",
                "export",
                "export_image",
                SEPARATOR,
                "quit",
            ),
        ),
        MenuSpec(
            "edit",
            "&Edit",
            (
                "undo",
                "redo",
                SEPARATOR,
                "new_event",
                "duplicate",
                "edit_events",
                "delete",
                SubmenuSpec(
                    "move",
                    "&Move to Category",
                    fill=editing.fill_move_menu,
                    tip="Put the selected events in another category",
                    enabled_when=lambda: bool(window.selected_ids()),
                ),
                SEPARATOR,
                "find",
                "clear_filter",
                SEPARATOR,
                "categories",
                "actors",
                "tags",
                "eras",
                "sources",
                "history",
                SEPARATOR,
                "copy_image",
                SEPARATOR,
                "author_name",
            ),
        ),
        MenuSpec(
            "view",
            "&View",
            (
                *(f"lanes_{mode}" for mode, _label in LANE_MODES),
                SEPARATOR,
                SubmenuSpec("theme", "&Theme", tuple(f"theme_{name}" for name, _ in THEMES)),
                "show_links",
                "fit_to_filter",
                "fit",
                "reload",
                SEPARATOR,
            ),
        ),
        MenuSpec("help", "&Help", ("about",)),
    ]


# ---- several events at once ----------------------------------------------------------------


def _bulk_edit_actions(window: MainWindow) -> list[ActionSpec]:
    return [
        ActionSpec(
            "edit_events",
            "Edit Selected &Events…",
            "Set the category, certainty, importance, tags or actors of the selected events "
            "at once (one Undo takes it back)",
            lambda: _edit_events(window),
            ("Ctrl+Alt+E",),
            enabled_when=lambda: len(window.selected_ids()) >= 2,
        )
    ]


def _edit_events(window: MainWindow) -> None:
    from timeline_app.ui.dialogs.bulk_edit import edit_selected_events  # not at start-up

    edit_selected_events(window)


def _delete_selected(window: MainWindow) -> None:
    from timeline_app.ui.dialogs.bulk_edit import delete_selected_events

    delete_selected_events(window)


def _show_actors(window: MainWindow) -> None:
    from timeline_app.ui.actor_manager import show_actor_manager  # not at start-up

    show_actor_manager(window, window.workspace)


def _manager_actions(window: MainWindow) -> list[ActionSpec]:
    """The managers of actors, tags, eras and sources (next to Categories… in the Edit menu)."""
    return [
        ActionSpec(
            "actors",
            "Acto&rs…",
            "Rename, merge and delete actors; set their kind and their aliases in any script "
            "(search finds events by them)",
            lambda: _show_actors(window),
        ),
        ActionSpec(
            "tags",
            "&Tags…",
            "Rename, merge and delete tags, with how many events cite each",
            window.show_tags,
        ),
        ActionSpec(
            "eras",
            "Era&s…",
            "Add, edit and delete the eras drawn above the lanes",
            window.show_eras,
        ),
        ActionSpec(
            "sources",
            "S&ources…",
            "Edit, grade and merge the shared sources; show the events citing one",
            window.show_sources,
            ("Ctrl+Alt+S",),
        ),
    ]
