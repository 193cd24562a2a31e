"""The column-mapping dialog: the proposed mapping, a live preview, a remembered mapping."""

from __future__ import annotations

import io

from openpyxl import Workbook
from PySide6.QtCore import QPoint, QSettings, Qt

from timeline_app.services.interchange.spreadsheet import read
from timeline_app.ui.dialogs.column_mapping import NO_COLUMN, ColumnMappingDialog

CSV = (
    b"Date,Event,Notes,Kind\n03/04/2020,Talks in Moscow,First round,Diplomacy\n2021,Deal,,Energy\n"
)


def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def open_dialog(qtbot, tmp_path, raw: bytes = CSV, name: str = "events.csv"):
    dialog = ColumnMappingDialog(name, raw, None, None, settings=settings(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def preview_texts(dialog, column: int) -> list[str]:
    return [dialog.preview.item(row, column).text() for row in range(dialog.preview.rowCount())]


def choose(qtbot, combo, text: str) -> None:
    """Pick an entry of a combo box as a user does: open it, move to the entry, press Enter."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    index = combo.findText(text)
    assert index >= 0, text
    for _ in range(index):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text


def test_the_proposed_mapping_and_the_dates_it_reads_are_shown(qtbot, tmp_path):
    dialog = open_dialog(qtbot, tmp_path)
    assert dialog.combos["date"].currentText() == "Date"
    assert dialog.combos["title"].currentText() == "Event"
    assert dialog.combos["description"].currentText() == "Notes"
    assert dialog.combos["category"].currentText() == "Kind"
    assert dialog.combos["location"].currentText() == NO_COLUMN
    assert dialog.day_first_button.isChecked()
    assert preview_texts(dialog, 0) == ["2", "3"]
    assert preview_texts(dialog, 2) == ["2020-04-03", "2021"]
    assert preview_texts(dialog, 3) == ["day", "year"]
    assert preview_texts(dialog, 4)[0] == "03/04/2020 read day first"
    assert dialog.ok_button.isEnabled()
    assert "2 read" in dialog.summary.text()


def test_changing_a_column_or_the_day_order_updates_the_preview(qtbot, tmp_path):
    dialog = open_dialog(qtbot, tmp_path)
    choose(qtbot, dialog.combos["title"], "Notes")
    qtbot.waitUntil(lambda: preview_texts(dialog, 1)[0] == "First round")
    assert dialog.mapping().title == "Notes"
    # the second row has no note: its title is now empty, an error the preview names
    assert preview_texts(dialog, 4)[1] == "column Notes: must not be empty"
    assert "1 with a problem" in dialog.summary.text()

    qtbot.mouseClick(dialog.month_first_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: preview_texts(dialog, 2)[0] == "2020-03-04")
    assert not dialog.day_first()
    assert dialog.mapping().day_first is False

    choose(qtbot, dialog.combos["date"], NO_COLUMN)
    qtbot.waitUntil(lambda: not dialog.ok_button.isEnabled())
    assert "no column gives the date" in dialog.summary.text()


def test_an_accepted_mapping_is_remembered_for_the_same_header(qtbot, tmp_path):
    first = open_dialog(qtbot, tmp_path)
    choose(qtbot, first.combos["title"], "Notes")
    choose(qtbot, first.combos["location"], "Kind")
    qtbot.mouseClick(first.month_first_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(first.ok_button, Qt.MouseButton.LeftButton)
    assert first.result() == ColumnMappingDialog.DialogCode.Accepted

    # Another file with the same columns, spelt otherwise, opens with the same choices.
    other = b"date,EVENT,notes,kind\n2022-02-24,Invasion,Begins,War\n"
    again = open_dialog(qtbot, tmp_path, other, "other.csv")
    assert again.remembered
    assert again.combos["title"].currentText() == "notes"
    assert again.combos["location"].currentText() == "kind"
    assert again.month_first_button.isChecked()
    assert "remembered" in again.summary.text()

    # A file with other columns gets the proposal.
    fresh = open_dialog(qtbot, tmp_path, b"When,Headline\n2020,A\n", "fresh.csv")
    assert not fresh.remembered
    assert fresh.combos["title"].currentText() == "Headline"


def test_a_file_without_a_header_gets_numbered_columns(qtbot, tmp_path):
    raw = b"2015-07-14,JCPOA signed\n2018-05,US withdraws\n"
    dialog = open_dialog(qtbot, tmp_path, raw, "plain.csv")
    box = dialog.header_box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))
    qtbot.waitUntil(lambda: dialog.header() == ["Column 1", "Column 2"])
    choose(qtbot, dialog.combos["date"], "Column 1")
    choose(qtbot, dialog.combos["title"], "Column 2")
    qtbot.waitUntil(lambda: preview_texts(dialog, 2) == ["2015-07-14", "2018-05"])
    document = read("plain.csv", raw, mapping=dialog.mapping(), header=dialog.header())
    assert [item.draft.title for item in document.events] == ["JCPOA signed", "US withdraws"]


def test_a_workbook_offers_its_sheets(qtbot, tmp_path):
    workbook = Workbook()
    workbook.active.append(["Notes only"])
    events = workbook.create_sheet("Events")
    events.append(["Year", "Headline"])
    events.append([1995, "Bushehr contract"])
    out = io.BytesIO()
    workbook.save(out)
    dialog = open_dialog(qtbot, tmp_path, out.getvalue(), "book.xlsx")
    assert dialog.sheet_box.isVisible()
    assert not dialog.ok_button.isEnabled()  # the first sheet has no date column
    choose(qtbot, dialog.sheet_box, "Events")
    qtbot.waitUntil(lambda: dialog.sheet() == "Events")
    assert dialog.combos["year"].currentText() == "Year"
    assert preview_texts(dialog, 2) == ["1995"]
    assert dialog.ok_button.isEnabled()
