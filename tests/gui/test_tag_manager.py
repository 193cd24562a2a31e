"""Managing tags in the dialog: rename, merge and delete apply at once and undo."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from timeline_app.domain.model import EventDraft


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _tags_of_events(window) -> dict[str, tuple[str, ...]]:
    return {record.title: record.tags for record in window.workspace.catalog.events()}


def _list_texts(dialog) -> list[str]:
    return [dialog.list.item(row).text() for row in range(dialog.list.count())]


def _add_tagged(window, title: str, tags: tuple[str, ...]) -> None:
    draft = EventDraft(title, "2010-05", category="Energy")
    window.workspace.catalog.add_event(replace(draft, tags=tags))


def test_rename_a_tag_then_undo(window, qtbot) -> None:
    dialog = window.show_tags()
    assert _list_texts(dialog) == ["Caspian   ·  1 event"]
    dialog.select("Caspian")
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Caspian Sea")
    _click(qtbot, dialog.rename_button)
    assert _tags_of_events(window)["Caspian summit in Tehran"] == ("Caspian Sea",)
    assert _list_texts(dialog) == ["Caspian Sea   ·  1 event"]
    assert "Renamed" in dialog.message.text()
    assert "Caspian Sea" in [action.text() for action in window.filter_bar.tags.menu_.actions()]
    assert window.actions["undo"].text() == "&Undo Rename tag “Caspian” to “Caspian Sea”"

    _click(qtbot, dialog.undo_button)
    assert _tags_of_events(window)["Caspian summit in Tehran"] == ("Caspian",)
    assert _list_texts(dialog) == ["Caspian   ·  1 event"]
    assert "Caspian Sea" not in [a.text() for a in window.filter_bar.tags.menu_.actions()]
    _click(qtbot, dialog.redo_button)
    assert _tags_of_events(window)["Caspian summit in Tehran"] == ("Caspian Sea",)


def test_renaming_to_a_used_name_offers_a_merge(window, qtbot, monkeypatch) -> None:
    _add_tagged(window, "Caspian gas", ("gas", "Caspian"))
    dialog = window.show_tags()
    dialog.select("gas")
    assert dialog.count_label.text() == "1 event"
    asked: list[str] = []

    def accept(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", accept)
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Caspian")
    _click(qtbot, dialog.rename_button)
    assert "already exists" in asked[0]
    assert window.workspace.catalog.tag_names() == ["Caspian"]
    assert _tags_of_events(window)["Caspian gas"] == ("Caspian",)  # one citation, not two

    window.actions["undo"].trigger()
    assert _tags_of_events(window)["Caspian gas"] == ("gas", "Caspian")
    assert _list_texts(dialog) == ["Caspian   ·  2 events", "gas   ·  1 event"]


def test_delete_a_cited_tag_asks_with_the_count_and_undoes(window, qtbot, messages) -> None:
    _add_tagged(window, "Caspian gas", ("gas", "Caspian"))
    dialog = window.show_tags()
    dialog.select("Caspian")
    _click(qtbot, dialog.delete_button)  # the test's message box answers Cancel
    assert "from 2 events" in messages[-1][1]
    assert "Caspian" in window.workspace.catalog.tag_names()


def test_delete_confirmed_removes_the_tag_from_its_events(window, qtbot, monkeypatch) -> None:
    _add_tagged(window, "Caspian gas", ("gas", "Caspian"))
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    dialog = window.show_tags()
    dialog.select("Caspian")
    _click(qtbot, dialog.delete_button)
    assert window.workspace.catalog.tag_names() == ["gas"]
    assert _tags_of_events(window)["Caspian gas"] == ("gas",)
    _click(qtbot, dialog.undo_button)
    assert _tags_of_events(window)["Caspian gas"] == ("gas", "Caspian")
    assert _tags_of_events(window)["Caspian summit in Tehran"] == ("Caspian",)


def test_the_tags_manager_opens_from_the_edit_menu(window) -> None:
    window.actions["tags"].trigger()
    assert window.show_tags().isVisible()
    assert window.actions["tags"] in window.actions.menus["edit"].actions()


def test_merging_a_tag_of_many_events_runs_in_the_background_and_undoes(window, qtbot) -> None:
    catalog = window.workspace.catalog
    for number in range(210):
        _add_tagged(window, f"Shipment {number}", ("gas",))
    dialog = window.show_tags()
    dialog.select("gas")
    dialog.target_combo.setCurrentIndex(dialog.target_combo.findData("Caspian"))
    _click(qtbot, dialog.merge_button)
    qtbot.waitUntil(lambda: window.workspace.undo_stack.canUndo(), timeout=10_000)
    assert catalog.tag_names() == ["Caspian"]
    qtbot.waitUntil(lambda: _list_texts(dialog) == ["Caspian   ·  211 events"])

    window.actions["undo"].trigger()
    qtbot.waitUntil(lambda: not window.workspace.undo_stack.canUndo(), timeout=10_000)
    assert catalog.tag_names() == ["Caspian", "gas"]
    assert _tags_of_events(window)["Shipment 7"] == ("gas",)
    qtbot.waitUntil(lambda: _list_texts(dialog) == ["Caspian   ·  1 event", "gas   ·  210 events"])
