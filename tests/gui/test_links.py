"""Links between events in the window, as a user makes them: from the inspector's picker and
by Alt+dragging on the timeline; listed both ways, undone and redone, drawn, and kept across
a delete and its undo. On SQLite and PostgreSQL."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from timeline_app.domain.evidence import LinkKind
from timeline_app.domain.model import EventDraft
from timeline_app.services import links
from timeline_app.services.catalog import Catalog
from timeline_app.store.database import open_database

sys.path.insert(0, str(Path(__file__).parents[1] / "timeline"))
from test_view import drag, marker_of, viewport_point

EVENTS = (
    ("S-300 contract", "2007-12-25"),
    ("S-300 suspension", "2010-09-22"),
    ("S-300 delivery", "2016-04-11"),
)


@pytest.fixture
def linked(qtbot, db_target: str, settings: QSettings):
    """A window over a database (each engine) holding the S-300 story, unlinked."""
    from timeline_app.ui.main_window import MainWindow

    database = open_database(db_target)
    catalog = Catalog(database)
    catalog.add_category("Military")
    ids = [
        catalog.add_event(EventDraft(title, start, category="Military", importance=4)).id
        for title, start in EVENTS
    ]
    window = MainWindow(catalog, settings=settings)
    qtbot.addWidget(window)
    window.resize(1300, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window, ids
    window.inspector.record = None
    window.inspector.is_new = False
    window.close()


def select(window, event_id: str) -> None:
    window.selection.user_selected([event_id], None)
    assert window.inspector.current_id() == event_id


def stored(window) -> list[tuple[str, str, str, str]]:
    return [
        (link.from_id, link.to_id, link.kind.value, link.note)
        for link in links.all_links(window.workspace.catalog)
    ]


def test_a_link_made_in_the_picker_is_listed_both_ways_drawn_and_undone(qtbot, linked) -> None:
    window, (contract, suspension, delivery) = linked
    section = window.link_section
    select(window, suspension)
    assert section.isVisible() and section.empty_label.isVisible()
    picker = section.add_link()
    assert picker is not None and picker.isVisible()
    qtbot.keyClicks(picker.search, "contr")
    qtbot.waitUntil(lambda: picker.results.count() == 1)
    assert "S-300 contract" in picker.results.item(0).text()
    picker.relation.setCurrentIndex(picker.relation.findText("… followed from …"))
    qtbot.keyClicks(picker.note, "arms embargo")
    qtbot.mouseClick(picker.ok_button, Qt.MouseButton.LeftButton)
    assert not picker.isVisible()
    assert stored(window) == [(contract, suspension, "led_to", "arms embargo")]
    assert section.row_texts() == ["followed from ← 2007 S-300 contract"]
    assert window.timeline.links_item.links() == [(contract, suspension, "led_to")]
    window.timeline.fit_all()
    QApplication.processEvents()
    assert window.timeline.links_item.plan().count == 1
    made = links.all_links(window.workspace.catalog)[0]
    select(window, contract)
    assert section.row_texts() == ["led to → 2010 S-300 suspension"]

    window.workspace.undo()
    assert stored(window) == [] and section.row_texts() == []
    assert window.timeline.links_item.links() == []
    window.workspace.redo()
    assert links.all_links(window.workspace.catalog) == [made]  # the same link, same id
    assert section.row_texts() == ["led to → 2010 S-300 suspension"]
    assert delivery not in {end.other_id for end in section.ends}


def test_the_picker_refuses_a_link_that_exists_and_says_why(qtbot, linked) -> None:
    window, (contract, suspension, _delivery) = linked
    links.add_link(window.workspace.catalog, contract, suspension, LinkKind.LED_TO)
    select(window, contract)
    picker = window.link_section.add_link()
    qtbot.keyClicks(picker.search, "suspension")
    qtbot.waitUntil(lambda: picker.results.count() == 1)
    qtbot.mouseClick(picker.ok_button, Qt.MouseButton.LeftButton)
    assert picker.isVisible() and picker.error.isVisible()
    assert "already led to “S-300 suspension”" in picker.error.text()
    picker.reject()


def test_alt_drag_between_two_markers_links_them_undoably(qtbot, linked) -> None:
    window, (contract, suspension, _delivery) = linked
    timeline = window.timeline
    timeline.fit_all()
    QApplication.processEvents()
    start = viewport_point(timeline, *marker_of(timeline, contract))
    end = viewport_point(timeline, *marker_of(timeline, suspension))
    drag(qtbot, timeline, start, end, modifiers=Qt.KeyboardModifier.AltModifier)
    menu = timeline._menu
    assert menu is not None and menu.isVisible()
    next(action for action in menu.actions() if action.data() == "led_to").trigger()
    menu.close()
    assert stored(window) == [(contract, suspension, "led_to", "")]
    assert (
        window.workspace.undo_stack.undoText() == "Link “S-300 contract” led to “S-300 suspension”"
    )
    assert timeline.links_item.plan().count == 1
    window.workspace.undo()
    assert stored(window) == []
    assert timeline.links_item.plan().count == 0


def test_following_editing_and_removing_a_link_from_the_inspector(qtbot, linked) -> None:
    window, (contract, suspension, _delivery) = linked
    catalog = window.workspace.catalog
    links.add_link(catalog, contract, suspension, LinkKind.LED_TO, "embargo")
    window.links.reload()
    section = window.link_section
    select(window, contract)
    assert "embargo" in section.row_labels[0].text()
    section.row_labels[0].linkActivated.emit(suspension)  # a click on the other event's name
    assert window.selected_ids() == [suspension]
    assert section.row_texts() == ["followed from ← 2007 S-300 contract"]

    picker = section.edit_link(section.ends[0])
    picker.relation.setCurrentIndex(picker.relation.findText("… drew the response …"))
    qtbot.mouseClick(picker.ok_button, Qt.MouseButton.LeftButton)
    assert stored(window) == [(contract, suspension, "responded_to", "embargo")]
    assert section.row_texts() == ["drew the response ← 2007 S-300 contract"]

    remove = section.rows.itemAtPosition(0, 2).widget()
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert stored(window) == [] and section.empty_label.isVisible()
    window.workspace.undo()
    window.workspace.undo()
    assert stored(window) == [(contract, suspension, "led_to", "embargo")]


def test_deleting_an_event_takes_its_links_and_undo_brings_them_back(qtbot, linked) -> None:
    window, (contract, suspension, delivery) = linked
    catalog = window.workspace.catalog
    links.add_link(catalog, contract, suspension, LinkKind.LED_TO)
    links.add_link(catalog, suspension, delivery, LinkKind.LED_TO)
    before = sorted(stored(window))
    select(window, suspension)
    window.editing.delete_selected()
    assert stored(window) == []
    assert window.timeline.links_item.links() == []
    window.workspace.undo()
    assert sorted(stored(window)) == before
    assert sorted(window.timeline.links_item.links()) == sorted(
        (first, second, kind) for first, second, kind, _note in before
    )
    window.workspace.redo()
    assert stored(window) == []


def test_show_links_is_a_remembered_view_choice(qtbot, linked, settings: QSettings) -> None:
    window, _ids = linked
    action = window.actions["show_links"]
    assert action.isCheckable() and action.isChecked() and window.timeline.links_visible()
    action.trigger()
    assert not window.timeline.links_visible()
    assert window.settings.show_links() is False
    assert action in window.actions.menus["view"].actions()
