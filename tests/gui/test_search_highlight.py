"""What the search matched is marked in the table and the inspector, and a filter matching
nothing is said plainly, with a way to clear it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from timeline_app.domain.model import EventDraft
from timeline_app.ui.event_table import MATCH_BACKGROUND, TITLE
from timeline_app.ui.search_highlight import MATCH_BACKGROUND as INSPECTOR_MATCH


def _search(window, qtbot, text: str, rows: int) -> None:
    window.filter_bar.search.clear()
    qtbot.keyClicks(window.filter_bar.search, text)
    qtbot.keyClick(window.filter_bar.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.table.table_model.rowCount() == rows)


def _has_colour(image, colour: QColor) -> bool:
    wanted = colour.rgb()
    return any(
        image.pixel(x, y) == wanted
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    )


def test_the_table_marks_the_matched_words_of_titles(window, qtbot) -> None:
    _search(window, qtbot, "bushehr", 1)
    model = window.table.table_model
    delegate = window.table.match_delegate
    index = model.index(0, TITLE)
    title = model.data(index)
    assert [title[a:b] for a, b in delegate.spans(index)] == ["Bushehr"]
    image = window.table.viewport().grab().toImage()
    assert _has_colour(image, MATCH_BACKGROUND)

    _search(window, qtbot, "nuclear", 1)  # found in the description: nothing to mark in the title
    assert delegate.spans(model.index(0, TITLE)) == []
    assert not _has_colour(window.table.viewport().grab().toImage(), MATCH_BACKGROUND)


def test_no_match_is_said_plainly_and_clearing_brings_the_events_back(window, qtbot) -> None:
    table = window.table
    assert not table.no_match.isVisible()
    _search(window, qtbot, "zeppelin", 0)
    qtbot.waitUntil(lambda: table.no_match.isVisible())
    assert table.no_match_label.text() == "No events match “zeppelin”."
    qtbot.mouseClick(table.no_match_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: table.table_model.rowCount() == 3)
    assert window.filter_bar.search.text() == ""
    assert not table.no_match.isVisible()


def test_a_query_read_leniently_says_how(window, qtbot) -> None:
    _search(window, qtbot, '"zeppelin raid', 0)
    qtbot.waitUntil(lambda: window.table.no_match.isVisible())
    text = window.table.no_match_label.text()
    assert text.startswith('No events match “"zeppelin raid”.')
    assert "the quote before “zeppelin raid” is not closed: read to the end" in text


def test_the_inspector_marks_matches_in_title_and_description(window, qtbot) -> None:
    _search(window, qtbot, "bushehr", 1)
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.inspector.pages.currentIndex() == 1)
    heading = window.inspector.heading.text()
    assert f"background-color:{INSPECTOR_MATCH}" in heading and ">Bushehr</span>" in heading
    document = window.inspector.description_edit.document()
    formats = document.firstBlock().layout().formats()
    text = document.firstBlock().text()
    assert [text[f.start : f.start + f.length] for f in formats] == ["Bushehr"]
    assert not window.inspector.is_dirty()  # marking is no edit


def test_a_persian_title_is_marked_right_to_left(window, qtbot) -> None:
    """Guards the painting of a matched right-to-left title (laid out by QTextLayout)."""
    window.workspace.catalog.add_event(
        EventDraft("سفر پوتین به تهران", "2022-07-19", category="Diplomacy & treaties")
    )
    window.reload_all()
    qtbot.waitUntil(lambda: window.table.table_model.rowCount() == 4)
    window.filter_bar.search.setText("تهران")
    window.filter_bar._emit()
    qtbot.waitUntil(lambda: window.table.table_model.rowCount() == 1)
    index = window.table.table_model.index(0, TITLE)
    title = window.table.table_model.data(index)
    assert [title[a:b] for a, b in window.table.match_delegate.spans(index)] == ["تهران"]
    assert _has_colour(window.table.viewport().grab().toImage(), MATCH_BACKGROUND)


def test_hostile_text_in_the_search_field_shows_rows_or_says_why(window, qtbot, messages) -> None:
    for text, rows in (
        ('"Bushehr', 1),
        ("NOT", 3),
        ("(caspian OR", 1),
        ("NEAR(bushehr, caspian)", 0),
        ("'; DROP TABLE events; --", 0),
        ("* % _ \\", 3),
    ):
        _search(window, qtbot, text, rows)
        if rows == 0:
            qtbot.waitUntil(lambda: window.table.no_match.isVisible())
            assert window.table.no_match_label.text().startswith("No events match")
    assert messages == []
    assert window.workspace.catalog.count_events() == 3
