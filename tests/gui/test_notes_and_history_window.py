"""Notes and history in the inspector, restoring an earlier version, and Undo reaching
past the window's opening, as a user does them."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from timeline_app.domain.model import EventDraft
from timeline_app.services import notes
from timeline_app.services.catalog import Catalog
from timeline_app.store.database import open_database
from timeline_app.ui.author_name import set_author_name
from timeline_app.ui.history_section import HistorySection
from timeline_app.ui.note_section import NoteSection


def _sections(window) -> tuple[NoteSection, HistorySection]:
    found = {type(section): section for section in window.inspector.sections}
    return found[NoteSection], found[HistorySection]


def _show(window, title: str) -> str:
    event_id = next(r.id for r in window.workspace.catalog.events() if r.title == title)
    window.select_events([event_id])
    return event_id


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_a_note_is_added_edited_deleted_and_each_step_undone(window, qtbot) -> None:
    set_author_name(window, "anna")
    event_id = _show(window, "Gas swap talks")
    section, _history = _sections(window)
    assert section.isVisible() and section.empty_label.isVisible()
    assert not section.add_button.isEnabled()

    qtbot.keyClicks(section.text_edit, "Volumes never confirmed by Gazprom")
    _click(qtbot, section.add_button)
    assert [view.text_label.text() for view in section.views] == [
        "Volumes never confirmed by Gazprom"
    ]
    assert section.views[0].byline.text().startswith("anna · ")
    assert section.text_edit.toPlainText() == ""
    assert section.fold.header.text() == "Notes (1)"

    _click(qtbot, section.views[0].edit_button)
    assert section.add_button.text() == "Save Note"
    section.text_edit.selectAll()
    qtbot.keyClicks(section.text_edit, "Volumes unconfirmed")
    _click(qtbot, section.add_button)
    assert [view.text_label.text() for view in section.views] == ["Volumes unconfirmed"]

    _click(qtbot, section.views[0].delete_button)
    assert section.views == [] and section.empty_label.isVisible()

    window.actions["undo"].trigger()
    assert [view.text_label.text() for view in section.views] == ["Volumes unconfirmed"]
    window.actions["undo"].trigger()
    assert [view.text_label.text() for view in section.views] == [
        "Volumes never confirmed by Gazprom"
    ]
    window.actions["undo"].trigger()
    assert notes.notes_of(window.workspace.catalog, event_id) == []
    window.actions["redo"].trigger()
    assert [view.text_label.text() for view in section.views] == [
        "Volumes never confirmed by Gazprom"
    ]


def test_ctrl_enter_adds_the_note(window, qtbot) -> None:
    _show(window, "Gas swap talks")
    section, _history = _sections(window)
    qtbot.keyClicks(section.text_edit, "Check the volumes")
    qtbot.keyClick(section.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [view.text_label.text() for view in section.views] == ["Check the volumes"]
    assert section.text_edit.toPlainText() == ""


def test_only_ones_own_notes_can_be_edited_or_deleted(window) -> None:
    catalog = window.workspace.catalog
    event_id = next(r.id for r in catalog.events() if r.title == "Gas swap talks")
    catalog.author = "boris"
    notes.add_note(catalog, event_id, "Boris's reading")
    set_author_name(window, "anna")
    _show(window, "Gas swap talks")
    section, _history = _sections(window)
    assert section.views[0].byline.text().startswith("boris · ")
    assert section.views[0].edit_button.isHidden()
    assert section.views[0].delete_button.isHidden()


def test_restoring_an_earlier_version_from_the_history_and_undoing_it(window, qtbot) -> None:
    set_author_name(window, "anna")
    event_id = _show(window, "Gas swap talks")
    inspector = window.inspector
    inspector.title_edit.clear()
    qtbot.keyClicks(inspector.title_edit, "Gas swap agreement")
    _click(qtbot, inspector.save_button)
    assert window.workspace.catalog.event(event_id).title == "Gas swap agreement"

    _notes, section = _sections(window)
    assert not section.fold.is_open()  # folded: the inspector is narrow
    _click(qtbot, section.fold.header)
    tree = section.tree
    assert tree.isVisible()
    lines = [tree.topLevelItem(row).text(0) for row in range(tree.topLevelItemCount())]
    assert len(lines) == 2
    assert lines[0].endswith(" · anna · changed title")
    assert lines[1].endswith(" · created")
    newest = tree.topLevelItem(0)
    assert newest.child(0).text(0) == "title: Gas swap talks → Gas swap agreement"
    assert list(section.restore_buttons) == [section.entries[1].id]  # only earlier ones

    created = tree.topLevelItem(1)
    rect = tree.visualItemRect(created)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert created.isExpanded()
    button = section.restore_buttons[section.entries[1].id]
    qtbot.waitUntil(button.isVisible)
    _click(qtbot, button)

    assert window.workspace.catalog.event(event_id).title == "Gas swap talks"
    assert inspector.title_edit.text() == "Gas swap talks"
    assert window.actions["undo"].text().replace("&", "").startswith("Undo Restore “Gas swap")
    lines = [tree.topLevelItem(row).text(0) for row in range(tree.topLevelItemCount())]
    assert len(lines) == 3 and lines[0].endswith(" · anna · changed title")

    window.actions["undo"].trigger()
    assert window.workspace.catalog.event(event_id).title == "Gas swap agreement"
    assert inspector.title_edit.text() == "Gas swap agreement"
    window.actions["redo"].trigger()
    assert window.workspace.catalog.event(event_id).title == "Gas swap talks"


def test_undo_after_reopening_walks_back_the_recorded_changes(qtbot, db_path, tmp_path) -> None:
    from timeline_app.ui.main_window import MainWindow

    database = open_database(db_path)
    catalog = Catalog(database, author="anna")
    catalog.add_category("Arms")
    record = catalog.add_event(EventDraft("S-300 contract", "2007-12", category="Arms"))
    edited = catalog.update_event(
        record.id, EventDraft("S-300 deal", "2007-12", category="Arms"), record.version
    )
    catalog.update_event(
        record.id,
        EventDraft("S-300 deal", "2007-12", category="Arms", importance=5),
        edited.version,
    )
    database.dispose()

    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Catalog(open_database(db_path)), settings=settings)
    qtbot.addWidget(window)
    window.show()
    try:
        undo = window.actions["undo"]
        assert undo.isEnabled()
        assert undo.text().replace("&", "") == ("Undo edit of event “S-300 deal” (from history)")
        undo.trigger()
        stored = window.workspace.catalog.event(record.id)
        assert (stored.title, stored.importance) == ("S-300 deal", 3)

        assert undo.text().replace("&", "") == ("Undo edit of event “S-300 deal” (from history)")
        undo.trigger()
        assert window.workspace.catalog.event(record.id).title == "S-300 contract"
        assert undo.text().replace("&", "") == (
            "Undo adding of event “S-300 contract” (from history)"
        )
        undo.trigger()
        assert record.id not in {r.id for r in window.workspace.catalog.events()}
        assert window.count_label.text() == "showing 0 of 0 events"
        # The next recorded change is a category's: not taken back from here.
        assert not undo.isEnabled()

        redo = window.actions["redo"]
        assert redo.text().replace("&", "") == "Redo adding of event “S-300 contract”"
        redo.trigger()
        assert window.workspace.catalog.event(record.id).title == "S-300 contract"
        assert window.count_label.text() == "showing 1 of 1 event"
    finally:
        window.close()


def test_your_name_is_remembered_and_signs_the_changes(window, settings) -> None:
    assert set_author_name(window, "  Dr. Karimi ") == "Dr. Karimi"
    assert settings.value("user/author") == "Dr. Karimi"
    assert window.workspace.catalog.author == "Dr. Karimi"
    assert set_author_name(window, "") != ""  # back to the computer's user name
    assert window.workspace.catalog.author == set_author_name(window, "")


def test_the_sections_look_compact_in_the_inspector(window, qtbot) -> None:
    set_author_name(window, "anna")
    event_id = _show(window, "Bushehr reactor agreement")
    catalog = window.workspace.catalog
    notes.add_note(catalog, event_id, "Signed in Tehran by Mikhailov and Amrollahi.")
    notes.add_note(catalog, event_id, "Value often given as $800 million.")
    record = catalog.event(event_id)
    catalog.update_event(
        event_id, EventDraft(**{**_draft_fields(record), "importance": 5}), record.version
    )
    window.select_events([])
    _show(window, "Bushehr reactor agreement")
    note_section, history_section = _sections(window)
    _click(qtbot, history_section.fold.header)
    history_section.tree.topLevelItem(0).setExpanded(True)
    qtbot.waitUntil(history_section.tree.isVisible)
    assert len(note_section.views) == 2
    assert history_section.tree.topLevelItemCount() == 2


def _draft_fields(record) -> dict:
    draft = record.to_draft()
    return {name: getattr(draft, name) for name in draft.__dataclass_fields__}


def test_your_name_dialog_from_the_edit_menu(window, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    asked: list[str] = []

    def answer(_parent, title, _label, text=""):
        asked.append(f"{title}: {text!r}")
        return "Leila", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    window.actions["author_name"].trigger()
    assert asked == ["Your Name: ''"]
    assert window.workspace.catalog.author == "Leila"
    assert window.statusBar().currentMessage() == "Changes are now signed as Leila"


def test_restoring_a_version_someone_changed_since_is_refused(window, qtbot, messages) -> None:
    event_id = _show(window, "Gas swap talks")
    catalog = window.workspace.catalog
    record = catalog.event(event_id)
    catalog.update_event(  # another user, in another window
        event_id, EventDraft("Gas swap deal", "2022-07", category="Energy"), record.version
    )
    _notes, section = _sections(window)
    _click(qtbot, section.fold.header)
    created = section.entries[-1]
    section.tree.topLevelItem(len(section.entries) - 1).setExpanded(True)
    button = section.restore_buttons[created.id]
    qtbot.waitUntil(button.isVisible)
    _click(qtbot, button)
    assert catalog.event(event_id).title == "Gas swap deal"  # theirs is kept
    assert len(messages) == 1 and "The version was not restored" in messages[0][1]
    assert "version" in messages[0][1]
