"""Managing eras in the dialog: each change is drawn on the timeline at once and undoes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _drawn(window) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """The timeline's era strip rows: (group, ((name, colour), …))."""
    return [
        (group, tuple((era.name, era.colour) for era in eras))
        for group, eras in window.timeline.canvas.eras.groups
    ]


def _add_era(dialog, qtbot, name: str, start: str, end: str, group: str) -> None:
    _click(qtbot, dialog.new_button)
    qtbot.keyClicks(dialog.name_edit, name)
    qtbot.keyClicks(dialog.start_edit, start)
    qtbot.keyClicks(dialog.end_edit, end)
    dialog.group_combo.setEditText(group)
    _click(qtbot, dialog.save_button)


def test_add_an_era_see_it_drawn_recolour_it_and_undo(window, qtbot, monkeypatch) -> None:
    assert _drawn(window) == []
    dialog = window.show_eras()
    assert dialog.details.title() == "New era"
    _add_era(dialog, qtbot, "Khatami", "Aug 1997", "Aug 2005", "Iran")
    era = dialog.selected()
    assert (era.name, era.start, era.end, era.group) == ("Khatami", "1997-08", "2005-08", "Iran")
    assert _drawn(window) == [("Iran", (("Khatami", era.colour),))]
    assert dialog.era_rows() == [("Iran", ["Khatami"])]

    monkeypatch.setattr(QColorDialog, "getColor", lambda *args, **kwargs: QColor("#123456"))
    _click(qtbot, dialog.colour_button)
    assert _drawn(window) == [("Iran", (("Khatami", "#123456"),))]

    _click(qtbot, dialog.undo_button)
    assert _drawn(window) == [("Iran", (("Khatami", era.colour),))]
    _click(qtbot, dialog.undo_button)
    assert _drawn(window) == []
    assert dialog.era_rows() == []
    _click(qtbot, dialog.redo_button)
    assert _drawn(window) == [("Iran", (("Khatami", era.colour),))]


def test_typed_dates_show_their_reading_and_a_bad_one_says_why(window, qtbot) -> None:
    dialog = window.show_eras()
    qtbot.keyClicks(dialog.name_edit, "Putin I")
    qtbot.keyClicks(dialog.start_edit, "7 May 2000 - 7 May 2008")
    assert dialog.start_reading.text() == "→ 7 May 2000 – 7 May 2008   (2000-05-07/2008-05-07)"
    qtbot.keyClicks(dialog.end_edit, "2010")
    assert "the start already gives a span" in dialog.error_label.text()
    _click(qtbot, dialog.save_button)
    assert window.workspace.catalog.eras() == []
    dialog.end_edit.clear()
    _click(qtbot, dialog.save_button)
    assert [era.end for era in window.workspace.catalog.eras()] == ["2008-05-07"]


def test_edit_regroup_and_delete_an_era_with_undo(window, qtbot) -> None:
    dialog = window.show_eras()
    _add_era(dialog, qtbot, "Sanctions", "2006", "ongoing", "")
    _add_era(dialog, qtbot, "Rouhani", "2013-08-03", "2021-08-03", "Iran")
    assert dialog.era_rows() == [("Eras", ["Sanctions"]), ("Iran", ["Rouhani"])]

    dialog.select(window.workspace.catalog.eras()[0].id)
    assert dialog.end_edit.text() == "ongoing"
    dialog.name_edit.clear()
    qtbot.keyClicks(dialog.name_edit, "UN sanctions")
    dialog.end_edit.clear()
    qtbot.keyClicks(dialog.end_edit, "2015")
    dialog.group_combo.setEditText("Iran")
    _click(qtbot, dialog.save_button)
    assert dialog.era_rows() == [("Iran", ["UN sanctions", "Rouhani"])]
    # Both in one group now; they overlap (2013–2015), so the group takes two strip rows.
    assert [group for group, _ in _drawn(window)] == ["Iran", "Iran"]

    _click(qtbot, dialog.delete_button)
    assert dialog.era_rows() == [("Iran", ["Rouhani"])]
    window.actions["undo"].trigger()
    window.actions["undo"].trigger()
    assert dialog.era_rows() == [("Eras", ["Sanctions"]), ("Iran", ["Rouhani"])]
    assert [group for group, _ in _drawn(window)] == ["Eras", "Iran"]
    assert window.workspace.catalog.eras()[0].end == ".."


def test_the_eras_manager_opens_from_the_edit_menu(window) -> None:
    window.actions["eras"].trigger()
    assert window.show_eras().isVisible()
    assert window.actions["eras"] in window.actions.menus["edit"].actions()
