"""Managing actors in the dialog: rename, kind, aliases, merge and delete apply at once and
undo; aliases typed there are what search finds events by."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from timeline_app.domain.model import EventDraft
from timeline_app.services import actors as service


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _actors_of_events(window) -> dict[str, tuple[str, ...]]:
    return {record.title: record.actors for record in window.workspace.catalog.events()}


def _open(window):
    window.actions["actors"].trigger()
    from timeline_app.ui.actor_manager import ActorManager

    dialog = window.findChild(ActorManager)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_the_menu_opens_one_dialog_listing_kind_aliases_and_counts(window, qtbot) -> None:
    service.set_actor_aliases(window.workspace.catalog, "Russia", ["Россия", "روسیه"])
    dialog = _open(window)
    window.actions["actors"].trigger()
    assert _open(window) is dialog
    rows = {row[0]: row for row in dialog.row_texts()}
    assert rows["Russia"][2:] == ("Россия · روسیه", "2")
    assert rows["Iran"][3] == "2"


def test_rename_from_the_dialog_then_undo(window, qtbot) -> None:
    dialog = _open(window)
    dialog.select("Iran")
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Islamic Republic of Iran")
    _click(qtbot, dialog.rename_button)
    assert "Islamic Republic of Iran" in _actors_of_events(window)["Bushehr reactor agreement"]
    assert "Renamed" in dialog.message.text()
    assert window.actions["undo"].text() == (
        "&Undo Rename actor “Iran” to “Islamic Republic of Iran”"
    )
    assert "Islamic Republic of Iran" in [
        a.text() for a in window.filter_bar.actors.menu_.actions()
    ]
    _click(qtbot, dialog.undo_button)
    assert _actors_of_events(window)["Bushehr reactor agreement"] == ("Russia", "Iran")
    assert dialog.selected() is not None


def test_renaming_to_a_used_name_offers_a_merge(window, qtbot, monkeypatch) -> None:
    window.workspace.catalog.add_event(
        replace(EventDraft("Moscow visit", "2001-03", category="Energy"), actors=("RF",))
    )
    dialog = _open(window)
    dialog.select("RF")
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Russia")
    _click(qtbot, dialog.rename_button)
    assert _actors_of_events(window)["Moscow visit"] == ("Russia",)
    assert service.actor_use(window.workspace.catalog, "Russia").aliases == ("RF",)


def test_aliases_typed_in_the_dialog_are_found_by_search_and_undone(window, qtbot) -> None:
    dialog = _open(window)
    dialog.select("Russia")
    assert not dialog.aliases_button.isEnabled()
    dialog.aliases_edit.setPlainText(" Россия \nروسیه\n\nРоссия")
    assert dialog.aliases_button.isEnabled()
    _click(qtbot, dialog.aliases_button)
    assert dialog.row_texts()[[r[0] for r in dialog.row_texts()].index("Russia")][2] == (
        "Россия · روسیه"
    )
    window.filter_bar.search.setText("روسیه")
    window.filter_bar._emit()
    qtbot.waitUntil(lambda: window.table.table_model.rowCount() == 2)
    shown = {window.table.table_model.event_id(row) for row in range(2)}
    assert shown == set(window.workspace.catalog.search("Россия"))
    _click(qtbot, dialog.undo_button)
    assert service.actor_use(window.workspace.catalog, "Russia").aliases == ()


def test_an_alias_that_is_another_actors_name_is_refused_in_words(window, qtbot) -> None:
    dialog = _open(window)
    dialog.select("Russia")
    dialog.aliases_edit.setPlainText("Iran")
    _click(qtbot, dialog.aliases_button)
    assert "“Iran” is the name of another actor" in dialog.message.text()
    assert service.actor_use(window.workspace.catalog, "Russia").aliases == ()


def test_kind_merge_and_delete_unused_with_undo(window, qtbot) -> None:
    catalog = window.workspace.catalog
    catalog.add_actor("Rosatom")
    catalog.add_event(
        replace(EventDraft("Fuel deal", "2002-03", category="Energy"), actors=("Iran", "RF"))
    )
    dialog = _open(window)
    dialog.select("Rosatom")
    dialog.kind_combo.setCurrentText("")
    qtbot.keyClicks(dialog.kind_combo.lineEdit(), "company")
    qtbot.keyClick(dialog.kind_combo.lineEdit(), Qt.Key.Key_Return)
    assert service.actor_use(catalog, "Rosatom").kind == "company"
    assert dialog.delete_button.isEnabled()
    _click(qtbot, dialog.delete_button)
    assert "Rosatom" not in catalog.actor_names()
    _click(qtbot, dialog.undo_button)
    assert service.actor_use(catalog, "Rosatom").kind == "company"

    links_before = {title: actors for title, actors in _actors_of_events(window).items()}
    dialog.select("RF")
    dialog.target_combo.setCurrentIndex(dialog.target_combo.findData("Russia"))
    dialog._show_fate()
    assert "becomes an alias of “Russia”" in dialog.fate_label.text()
    _click(qtbot, dialog.merge_button)
    assert _actors_of_events(window)["Fuel deal"] == ("Iran", "Russia")
    assert dialog.selected().name == "Russia"  # the dialog follows the kept actor
    assert not dialog.delete_button.isEnabled()  # cited: only merging removes it
    _click(qtbot, dialog.undo_button)
    assert _actors_of_events(window) == links_before
