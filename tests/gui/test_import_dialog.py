"""Importing a file: a preview first; a file with any bad row writes nothing."""

from __future__ import annotations

import json
import threading

from PySide6.QtCore import Qt

HEADER = "id,title,start,end,category,importance,certainty,description,tags,actors,sources\n"


def _good_json(path) -> None:
    path.write_text(
        json.dumps(
            {
                "format": "timeline-app",
                "version": 1,
                "categories": [{"name": "Military", "colour": "#AA4499"}],
                "events": [
                    {
                        "id": "11111111-1111-4111-8111-111111111111",
                        "title": "Su-35 contract",
                        "start": "2023-03",
                        "category": "Military",
                        "importance": 4,
                        "certainty": "reported",
                    },
                    {
                        "id": "22222222-2222-4222-8222-222222222222",
                        "title": "Drone factory",
                        "start": "2022-11",
                        "category": "Military",
                    },
                ],
            }
        ),
        encoding="utf-8",
    )


def test_a_bad_row_is_reported_and_nothing_is_written(window, qtbot, tmp_path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        HEADER
        + ",Good event,2020-01-01,,Energy,3,confirmed,,,,\n"
        + ",Bad event,the year of the dragon,,Energy,3,confirmed,,,,\n",
        encoding="utf-8",
    )
    dialog = window.files.import_file(str(path))
    qtbot.waitUntil(lambda: bool(dialog.error), timeout=5000)
    assert "events.csv:3" in dialog.error and "start" in dialog.error
    assert "Nothing has been written" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    assert window.workspace.catalog.count_events() == 3
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_preview_import_and_undo(window, qtbot, tmp_path) -> None:
    path = tmp_path / "more.json"
    _good_json(path)
    dialog = window.files.import_file(str(path))
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    assert "2 events</b> to add" in dialog.summary.text()
    assert "Military" in dialog.summary.text()
    assert window.workspace.catalog.count_events() == 3  # nothing written yet

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.count_label.text() == "showing 5 of 5 events", timeout=5000)
    assert "Military" in window.workspace.catalog.category_names()

    window.actions["undo"].trigger()  # an import is undone off the GUI thread
    assert window.workspace.operations.wait()
    assert window.count_label.text() == "showing 3 of 3 events"
    assert "Military" not in window.workspace.catalog.category_names()
    window.actions["redo"].trigger()
    assert window.workspace.operations.wait()
    assert window.count_label.text() == "showing 5 of 5 events"


# ---- long files: progress and Cancel -------------------------------------------------------

ROWS = 2000


def _long_csv(path) -> None:
    lines = [
        f",Event {number},{1990 + number % 30}-01-{1 + number % 28:02d},,Energy,3,confirmed,,,,\n"
        for number in range(ROWS)
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")


def _content(catalog) -> tuple:
    """Everything a user could see of the database: events, categories, names."""
    return (
        catalog.count_events(),
        catalog.events(),
        catalog.categories(),
        catalog.actor_names(),
        catalog.tag_names(),
    )


def test_a_cancelled_import_writes_nothing_and_can_be_tried_again(
    window, qtbot, tmp_path, monkeypatch, messages
) -> None:
    """Cancel while the rows are being written: the transaction rolls back, the dialog says
    so, and Import works again afterwards."""
    from timeline_app.ui.dialogs import import_file

    path = tmp_path / "long.csv"
    _long_csv(path)
    catalog = window.workspace.catalog
    before = _content(catalog)
    writing = threading.Event()
    cancel_clicked = threading.Event()
    real_apply = import_file.apply_import

    def apply_paused_midway(catalog, document, *, progress):
        def report(done: int, total: int) -> None:
            # Past the comparing half: rows are written, none committed yet.
            if done > total // 2 and not writing.is_set():
                writing.set()
                cancel_clicked.wait(10)
            progress(done, total)

        return real_apply(catalog, document, progress=report)

    monkeypatch.setattr(import_file, "apply_import", apply_paused_midway)
    dialog = window.files.import_file(str(path))
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    assert f"{ROWS:,} events</b> to add" in dialog.summary.text()

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.cancel_button.isEnabled()  # Cancel works while writing
    assert "rolls it back" in dialog.summary.text()
    qtbot.waitUntil(writing.is_set, timeout=10_000)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    cancel_clicked.set()
    qtbot.waitUntil(lambda: "cancelled and rolled back" in dialog.summary.text(), timeout=10_000)

    assert _content(catalog) == before
    assert dialog.isVisible() and dialog.import_button.isEnabled()
    assert dialog.cancel_button.text() == "Close"
    assert window.workspace.undo_stack.count() == 0
    assert messages == []

    with qtbot.waitSignal(dialog.finished, timeout=20_000):  # try again: it works
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert catalog.count_events() == before[0] + ROWS
    assert window.workspace.undo_stack.count() == 1


def test_reading_shows_determinate_progress_and_cancel_closes_at_once(
    window, qtbot, tmp_path, monkeypatch
) -> None:
    from timeline_app.ui.dialogs import import_file

    path = tmp_path / "long.csv"
    _long_csv(path)
    catalog = window.workspace.catalog
    before = _content(catalog)
    reported = threading.Event()
    release = threading.Event()
    real_plan = import_file.plan_import

    def plan_paused(catalog, document, *, progress):
        progress(1, 2)  # half of the comparing: three quarters of the whole
        reported.set()
        release.wait(10)
        return real_plan(catalog, document, progress=progress)

    monkeypatch.setattr(import_file, "plan_import", plan_paused)
    dialog = window.files.import_file(str(path))
    qtbot.waitUntil(reported.is_set, timeout=10_000)
    bar = dialog.progress
    # One count over both stages: reading filled the first half, comparing is under way.
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() > bar.maximum() // 2, timeout=10_000)
    assert bar.value() < bar.maximum()

    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    release.set()
    operations = window.workspace.operations
    qtbot.waitUntil(lambda: not operations.is_running(), timeout=10_000)
    assert _content(catalog) == before
    assert dialog.plan is None  # the late result was dropped


def test_undo_and_redo_of_an_import_run_off_the_gui_thread(window, qtbot, tmp_path) -> None:
    path = tmp_path / "more.json"
    _good_json(path)
    dialog = window.files.import_file(str(path))
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    workspace = window.workspace
    heard: list[object] = []
    workspace.changed.connect(heard.append)

    operation = workspace.undo()
    assert operation is not None and operation.writes  # an import is undone in the background
    assert workspace.operations.wait(10_000)
    assert workspace.catalog.count_events() == 3
    assert "Military" not in workspace.catalog.category_names()
    assert workspace.undo_stack.index() == 0
    assert len(heard) == 1 and heard[0].categories and len(heard[0].events) == 2

    assert workspace.redo() is not None
    assert workspace.operations.wait(10_000)
    assert workspace.catalog.count_events() == 5
    assert workspace.undo_stack.index() == 1
    qtbot.waitUntil(lambda: window.count_label.text() == "showing 5 of 5 events", timeout=5000)


# ---- formats and likely duplicates ---------------------------------------------------------


def _file_with_a_likely_duplicate(path) -> None:
    """The app's JSON, with another tool's id for the stored Caspian summit and a new event."""
    path.write_text(
        json.dumps(
            {
                "format": "timeline-app",
                "version": 1,
                "title": "Caspian file",
                "events": [
                    {
                        "id": "33333333-3333-4333-8333-333333333333",
                        "title": "Tehran Caspian summit",
                        "start": "2007-10-16",
                        "category": "Diplomacy & treaties",
                        "tags": ["Summit"],
                        "sources": [{"title": "Summit report", "url": "https://example.org/s"}],
                    },
                    {
                        "id": "44444444-4444-4444-8444-444444444444",
                        "title": "New pipeline talks",
                        "start": "2023-05",
                        "category": "Energy",
                    },
                ],
            }
        ),
        encoding="utf-8",
    )


def test_a_likely_duplicate_is_shown_and_merged_as_chosen(window, qtbot, tmp_path) -> None:
    from timeline_app.services.interchange.duplicates import Resolution

    path = tmp_path / "caspian.json"
    _file_with_a_likely_duplicate(path)
    dialog = window.files.import_file(str(path))
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    text = dialog.summary.text()
    assert "Read as Timeline app JSON <i>Caspian file</i>" in text
    assert "1 event</b> to add" in text and "<b>1</b> like stored events" in text
    assert not dialog.duplicate_tree.isHidden()
    row = dialog.duplicate_tree.topLevelItem(0)
    assert (row.text(0), row.text(1)) == (
        "Tehran Caspian summit (row 1)",
        "Caspian summit in Tehran",
    )
    assert dialog.choice(dialog.duplicates[0].item_id) is Resolution.SKIP

    dialog.set_duplicate_choice(dialog.duplicates[0].item_id, Resolution.MERGE)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.count_label.text() == "showing 4 of 4 events", timeout=5000)
    catalog = window.workspace.catalog
    summit = next(r for r in catalog.events() if r.title == "Caspian summit in Tehran")
    assert summit.tags == ("Caspian", "Summit")
    assert [ref.url for ref in summit.sources] == ["https://example.org/s"]

    window.actions["undo"].trigger()
    assert window.workspace.operations.wait()
    summit = next(r for r in catalog.events() if r.title == "Caspian summit in Tehran")
    assert summit.tags == ("Caspian",) and summit.sources == ()
    assert catalog.count_events() == 3


def test_choosing_another_format_reads_the_file_again(window, qtbot, tmp_path) -> None:
    path = tmp_path / "caspian.json"
    _file_with_a_likely_duplicate(path)
    dialog = window.files.import_file(str(path))
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    assert dialog.read_as == "json"
    assert dialog.order_box.isHidden() and dialog.dyad_edit.isHidden()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("ics"))
    dialog.format_box.activated.emit(dialog.format_box.currentIndex())
    qtbot.waitUntil(lambda: bool(dialog.error), timeout=5000)
    assert "caspian.json" in dialog.error
    assert not dialog.import_button.isEnabled()
    dialog.format_box.setCurrentIndex(0)  # detected from the content again
    dialog.format_box.activated.emit(0)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    assert dialog.import_button.isEnabled() and not dialog.error
    dialog.reject()


def test_a_workbook_reads_through_the_columns_the_user_maps(window, qtbot, tmp_path) -> None:
    openpyxl = __import__("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["When", "What", "Kind"])
    book.active.append(["03/04/2001", "Talks in Moscow", "Diplomacy & treaties"])
    path = tmp_path / "desk.xlsx"
    book.save(path)
    dialog = window.files.import_file(str(path))
    qtbot.waitUntil(lambda: dialog.plan is not None or bool(dialog.error), timeout=5000)
    # "What" is no word the proposal knows: the file cannot be read as proposed
    assert "no column gives the title" in dialog.error
    assert "Columns… chooses" in dialog.summary.text()
    assert not dialog.columns_button.isHidden()  # told from the content: a workbook
    dialog.choose_columns()
    qtbot.waitUntil(lambda: getattr(dialog, "mapping_dialog", None) is not None, timeout=5000)
    mapping = dialog.mapping_dialog
    for target, column in (("date", "When"), ("title", "What"), ("category", "Kind")):
        combo = mapping.combos[target]
        combo.setCurrentIndex(combo.findText(column))
    mapping.month_first_button.setChecked(True)
    assert (mapping.previews[0].start, mapping.previews[0].precision) == ("2001-03-04", "day")
    mapping.accept()
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    assert "Columns read as you chose" in dialog.summary.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.count_label.text() == "showing 4 of 4 events", timeout=5000)
    talks = next(r for r in window.workspace.catalog.events() if r.title == "Talks in Moscow")
    assert talks.start == "2001-03-04"


def test_a_calendar_says_which_events_repeat(window, qtbot, tmp_path) -> None:
    path = tmp_path / "calendar.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//desk//EN\r\n"
        "BEGIN:VEVENT\r\nUID:caspian-day@example.org\r\nDTSTAMP:20240101T000000Z\r\n"
        "DTSTART;VALUE=DATE:20070816\r\nDTEND;VALUE=DATE:20070817\r\n"
        "SUMMARY:Caspian Sea Day\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    dialog = window.files.import_file(str(path))
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    text = dialog.summary.text()
    assert "Read as iCalendar" in text
    assert "'Caspian Sea Day' repeats (RRULE:FREQ=YEARLY)" in text
    assert "only its first occurrence is imported" in text
    dialog.reject()


def test_likely_duplicates_are_looked_for_among_the_events_the_window_holds(
    window, qtbot, tmp_path, monkeypatch
) -> None:
    """The window draws every stored event already: the preview does not read them again."""
    path = tmp_path / "caspian.json"
    _file_with_a_likely_duplicate(path)
    catalog = window.workspace.catalog
    reads: list[object] = []
    real = type(catalog).event_columns

    def counted(self, *args, **kwargs):
        reads.append(kwargs)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(type(catalog), "event_columns", counted)
    dialog = window.files.import_file(str(path))
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=5000)
    assert [dup.stored_title for dup in dialog.duplicates] == ["Caspian summit in Tehran"]
    assert reads == []
    dialog.reject()
