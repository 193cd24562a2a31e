"""The sources manager: grade and edit a shared source, merge a duplicate, undo and redo
(citations exactly as they were), and show the events citing a source."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services import sources
from timeline_app.store import source_queries

TASS = SourceRef("Rosatom to finish Bushehr", "https://tass.com/1", "TASS", id="s-tass")
COPY = SourceRef("Rosatom to finish Bushehr (wire)", "", "TASS", id="s-copy")
IRNA = SourceRef("Tehran on the Caspian summit", "https://irna.ir/2", "IRNA", id="s-irna")


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _citations(catalog) -> dict[str, list[tuple]]:
    with catalog.engine.connect() as connection:
        return {
            record.id: source_queries.citations_of(connection, record.id)
            for record in sources.source_records(catalog)
        }


@pytest.fixture
def cited_window(window):
    catalog = window.workspace.catalog
    draft = EventDraft("Fuel deliveries begin", "2007-12-16", category="Nuclear file")
    catalog.add_event(replace(draft, sources=(TASS, IRNA)))
    catalog.add_event(replace(draft, title="Fuel loaded", start="2010-08-21", sources=(COPY,)))
    catalog.add_event(replace(draft, title="Both wires", start="2011-09-12", sources=(COPY, TASS)))
    with catalog.engine.begin() as connection:  # the wire's citation is graded and quoted
        row = next(r for r in source_queries.citations_of(connection, "s-copy"))
        source_queries.update_citation(connection, "s-copy", (*row[:3], 2, "“first fuel”"))
    window.views.reload_events()
    return window


def test_manager_lists_sources_and_grades_one_with_undo(cited_window, qtbot) -> None:
    window = cited_window
    dialog = window.show_sources()
    assert dialog.table.rowCount() == 3
    assert [dialog.table.horizontalHeaderItem(c).text() for c in range(7)] == [
        "Title",
        "Publisher",
        "Kind",
        "Reliability",
        "Language",
        "Published",
        "Events",
    ]
    qtbot.keyClicks(dialog.search, "irna")
    assert dialog.shown_ids() == ["s-irna"]
    dialog.search.clear()
    dialog.select("s-tass")
    assert dialog.count_label.text() == "2 events"
    assert not dialog.save_button.isEnabled()
    dialog.reliability_combo.setCurrentIndex(dialog.reliability_combo.findData("B"))
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("wire"))
    dialog.reliability_combo.activated.emit(1)
    qtbot.keyClicks(dialog.language_edit, "ru")
    assert dialog.save_button.isEnabled()
    _click(qtbot, dialog.save_button)

    stored = sources.source_record(window.workspace.catalog, "s-tass")
    assert (stored.reliability, stored.kind, stored.language) == ("B", "wire", "ru")
    row = dialog.shown_ids().index("s-tass")
    assert dialog.table.item(row, 3).text() == "B"
    assert dialog.table.item(row, 2).text() == "Wire / agency"
    assert "Saved" in dialog.message.text()
    assert window.actions["undo"].text().startswith("&Undo Edit source")

    _click(qtbot, dialog.undo_button)
    assert sources.source_record(window.workspace.catalog, "s-tass").reliability == "F"
    assert dialog.reliability_combo.currentData() == "F"
    _click(qtbot, dialog.redo_button)
    assert sources.source_record(window.workspace.catalog, "s-tass").reliability == "B"


def test_a_wrong_field_is_named_and_nothing_saved(cited_window, qtbot) -> None:
    dialog = cited_window.show_sources()
    dialog.select("s-irna")
    dialog.url_edit.clear()
    qtbot.keyClicks(dialog.url_edit, "irna dot ir")
    _click(qtbot, dialog.save_button)
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text().startswith("url:")
    assert dialog.url_edit.property("invalid") is True
    assert (
        sources.source_record(cited_window.workspace.catalog, "s-irna").url == "https://irna.ir/2"
    )
    assert not cited_window.workspace.undo_stack.canUndo()


def test_merge_a_duplicate_then_undo_and_redo_restore_exact_citations(cited_window, qtbot) -> None:
    window = cited_window
    catalog = window.workspace.catalog
    before = _citations(catalog)
    dialog = window.show_sources()
    dialog.select("s-copy")
    assert dialog.target_combo.currentData() == "s-tass"  # same publisher, likeliest first
    _click(qtbot, dialog.merge_button)
    assert sorted(dialog.shown_ids()) == ["s-irna", "s-tass"]
    assert dialog.selected().id == "s-tass"
    assert dialog.count_label.text() == "3 events"
    merged = _citations(catalog)
    assert len(merged["s-tass"]) == 3
    by_title = {record.title: record for record in catalog.events()}
    assert [ref.id for ref in by_title["Both wires"].sources] == ["s-tass"]

    _click(qtbot, dialog.undo_button)
    assert _citations(catalog) == before
    assert sorted(dialog.shown_ids()) == ["s-copy", "s-irna", "s-tass"]
    _click(qtbot, dialog.redo_button)
    assert _citations(catalog) == merged
    _click(qtbot, dialog.undo_button)
    assert _citations(catalog) == before


def test_show_citing_events_filters_the_window(cited_window, qtbot) -> None:
    window = cited_window
    dialog = window.show_sources()
    dialog.select("s-copy")
    _click(qtbot, dialog.show_citing_button)
    qtbot.waitUntil(lambda: window.views.shown_count == 2)
    assert window.filter.source_ids == frozenset({"s-copy"})
    shown = {
        window.table.table_model.columns().titles[p] for p in window.table.table_model.positions()
    }
    assert shown == {"Fuel loaded", "Both wires"}
    assert window.filter_bar.citing_action.isVisible()
    assert window.filter_bar.citing_button.text() == "Citing: Rosatom to finish Bus…  ✕"
    assert "Rosatom to finish Bushehr (wire)" in window.filter_bar.citing_button.toolTip()
    _click(qtbot, window.filter_bar.citing_button)
    qtbot.waitUntil(lambda: window.views.shown_count == 6)
    assert window.filter.is_empty
    assert not window.filter_bar.citing_action.isVisible()


def test_sources_menu_entry_opens_the_manager(cited_window, qtbot) -> None:
    catalog = cited_window.workspace.catalog
    sources.update_source(
        catalog, "s-tass", reliability="B", kind="wire", language="ru", published="2007-12-16"
    )
    sources.update_source(catalog, "s-irna", reliability="C", kind="wire", language="fa")
    action = cited_window.actions["sources"]
    assert action.shortcut().toString() == "Ctrl+Alt+S"
    action.trigger()
    dialog = cited_window.show_sources()
    assert dialog.isVisible()
    dialog.resize(1240, 600)
    dialog.select("s-tass")
    dialog.grab().save("/tmp/h1-source-manager.png")
    row = dialog.shown_ids().index("s-tass")
    texts = [dialog.table.item(row, column).text() for column in range(6)]
    assert texts == ["Rosatom to finish Bushehr", "TASS", "Wire / agency", "B", "ru", "2007-12-16"]
    assert dialog.table.item(row, 6).data(Qt.ItemDataRole.DisplayRole) == 2
