"""Managing categories in the dialog: every change applies at once and undoes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog


def _select(dialog, name: str) -> None:
    dialog.select(name)
    assert dialog.selected().name == name


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _categories_of_events(window) -> dict[str, str]:
    return {record.title: record.category for record in window.workspace.catalog.events()}


def test_merge_then_undo(window, qtbot) -> None:
    dialog = window.show_categories()
    _select(dialog, "Energy")
    dialog.target_combo.setCurrentIndex(dialog.target_combo.findData("Nuclear file"))
    _click(qtbot, dialog.merge_button)
    assert "Energy" not in window.workspace.catalog.category_names()
    assert _categories_of_events(window)["Gas swap talks"] == "Nuclear file"
    assert "Nuclear file" in [dialog.list.item(i).text() for i in range(dialog.list.count())][1]
    assert "Energy" not in [a.text() for a in window.filter_bar.categories.menu_.actions()]

    _click(qtbot, dialog.undo_button)
    assert "Energy" in window.workspace.catalog.category_names()
    assert _categories_of_events(window)["Gas swap talks"] == "Energy"
    assert dialog.list.count() == 3


def test_delete_needs_a_home_for_events_and_undoes(window, qtbot) -> None:
    dialog = window.show_categories()
    _select(dialog, "Energy")
    assert "moves its 1 event" in dialog.fate_label.text()
    dialog.target_combo.setCurrentIndex(dialog.target_combo.findData("Diplomacy & treaties"))
    _click(qtbot, dialog.delete_button)
    assert window.workspace.catalog.category_names() == ["Diplomacy & treaties", "Nuclear file"]
    assert _categories_of_events(window)["Gas swap talks"] == "Diplomacy & treaties"
    window.actions["undo"].trigger()
    assert "Energy" in window.workspace.catalog.category_names()
    assert _categories_of_events(window)["Gas swap talks"] == "Energy"


def test_add_rename_recolour_nest_reorder(window, qtbot, monkeypatch) -> None:
    dialog = window.show_categories()
    qtbot.keyClicks(dialog.new_name, "Military")
    _click(qtbot, dialog.add_button)
    assert dialog.selected().name == "Military"

    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Military cooperation")
    _click(qtbot, dialog.rename_button)
    assert "Military cooperation" in window.workspace.catalog.category_names()

    monkeypatch.setattr(QColorDialog, "getColor", lambda *args, **kwargs: QColor("#123456"))
    _click(qtbot, dialog.colour_button)
    assert dialog.selected().colour == "#123456"

    dialog.parent_combo.setCurrentIndex(dialog.parent_combo.findData("Diplomacy & treaties"))
    dialog.parent_combo.activated.emit(dialog.parent_combo.currentIndex())
    assert dialog.selected().parent == "Diplomacy & treaties"

    _click(qtbot, dialog.up_button)
    names = window.workspace.catalog.category_names()
    assert names.index("Military cooperation") == 2

    for _ in range(5):  # take everything back, in order
        dialog.undo_action.trigger()
    assert window.workspace.catalog.category_names() == [
        "Diplomacy & treaties",
        "Nuclear file",
        "Energy",
    ]


def test_a_clash_is_reported_in_the_dialog(window, qtbot) -> None:
    dialog = window.show_categories()
    _select(dialog, "Energy")
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "Nuclear file")
    _click(qtbot, dialog.rename_button)
    assert "already exists" in dialog.message.text()
    assert not window.workspace.undo_stack.canUndo()
