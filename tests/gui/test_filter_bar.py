"""Filtering narrows the table and the timeline alike, and the count says so."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_filter_by_text_then_category(window, qtbot) -> None:
    bar = window.filter_bar
    qtbot.keyClicks(bar.search, "caspian")
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    assert window.count_label.text() == "showing 1 of 3 events"
    assert bar.count_label.text() == "1 of 3"
    assert window.table.model().rowCount() == 1
    if window.timeline is not None:
        assert window.timeline.canvas.mask.sum() == 1

    bar.search.clear()
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    assert window.count_label.text() == "showing 3 of 3 events"

    bar.categories.action("Nuclear file").trigger()
    assert bar.categories.text() == "Nuclear file"
    assert window.count_label.text() == "showing 1 of 3 events"
    bar.categories.action("Energy").trigger()
    assert window.count_label.text() == "showing 2 of 3 events"

    qtbot.mouseClick(bar.clear_button, Qt.MouseButton.LeftButton)
    assert window.count_label.text() == "showing 3 of 3 events"
    assert bar.categories.chosen() == frozenset()


def test_filter_by_dates_importance_certainty_and_actor(window, qtbot) -> None:
    bar = window.filter_bar
    qtbot.keyClicks(bar.date_from, "2000")
    qtbot.keyClick(bar.date_from, Qt.Key.Key_Return)
    assert window.count_label.text() == "showing 2 of 3 events"
    bar.importance.setCurrentIndex(bar.importance.findData(3))
    assert window.count_label.text() == "showing 1 of 3 events"
    bar.clear()
    bar.certainties.action("Reported").trigger()
    assert window.count_label.text() == "showing 1 of 3 events"
    bar.clear()
    bar.actors.action("Iran").trigger()
    assert window.count_label.text() == "showing 2 of 3 events"


def test_a_wrong_date_in_the_filter_is_marked(window, qtbot) -> None:
    qtbot.keyClicks(window.filter_bar.date_to, "someday")
    assert window.filter_bar.date_to.property("invalid") is True
    assert "is not a date" in window.filter_bar.date_to.toolTip()


def test_large_counts_are_grouped_by_thousands(window) -> None:
    window.filter_bar.set_count(1_234_567, 2_000_000)
    assert window.filter_bar.count_label.text() == "1,234,567 of 2,000,000"
    window.show_counts(999_999, 1_000_000)
    assert window.count_label.text() == "showing 999,999 of 1,000,000 events"


def test_the_timeline_follows_the_filter_unless_told_not_to(window, qtbot) -> None:
    """A filter glides the timeline to its matches; View ▸ Follow the Filter turns that off,
    and the choice is remembered."""
    import calendar

    timeline = window.timeline
    bar = window.filter_bar
    qtbot.waitUntil(lambda: window.count_label.text() == "showing 3 of 3 events")
    timeline.fit_all()
    lower, upper = timeline.visible_range()
    assert window.actions["fit_to_filter"].isChecked()

    qtbot.keyClicks(bar.search, "caspian")
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not timeline.is_gliding())
    summit = calendar.timegm((2007, 10, 16, 0, 0, 0))
    narrowed = timeline.visible_range()
    assert narrowed[0] < summit < narrowed[1]
    assert narrowed[1] - narrowed[0] < (upper - lower) / 10  # only the one event's span

    window.actions["fit_to_filter"].trigger()  # off
    assert window.settings.fit_to_filter() is False
    bar.search.clear()
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    assert window.count_label.text() == "showing 3 of 3 events"
    assert not timeline.is_gliding() and timeline.visible_range() == narrowed


def test_an_ampersand_in_a_name_shows_as_itself_in_menus_buttons_and_undo(window, qtbot):
    """ "Diplomacy & treaties" must not lose its "&" to a keyboard mnemonic anywhere."""
    from PySide6.QtGui import QKeySequence

    from timeline_app.ui.commands import SetCategoryCommand

    bar = window.filter_bar
    action = bar.categories.action("Diplomacy & treaties")
    assert action.text() == "Diplomacy && treaties"  # what Qt shows as "Diplomacy & treaties"
    action.trigger()
    assert bar.categories.text() == "Diplomacy && treaties"
    bar.clear()
    first = window.workspace.catalog.events()[0]
    window.editing.run(SetCategoryCommand(window.workspace, [first.id], "Diplomacy & treaties"))
    assert "Diplomacy && treaties" in window.actions["undo"].text()
    redo_keys = {key.toString() for key in window.actions["redo"].shortcuts()}
    assert {"Ctrl+Y", "Ctrl+Shift+Z"} <= redo_keys
    assert QKeySequence("Ctrl+Z") in window.actions["undo"].shortcuts()
