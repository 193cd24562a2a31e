"""A large database is read off the GUI thread: the window turns, shows progress, can stop.

The threshold is lowered so a small real SQLite file takes the path a million events take.
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer

from timeline_app.domain.model import EventFilter
from timeline_app.services.catalog import Catalog
from timeline_app.ui import event_views
from timeline_app.ui.main_window import MainWindow


@pytest.fixture
def large(monkeypatch):
    monkeypatch.setattr(event_views, "INLINE_AT_MOST", 1)


def test_the_window_opens_at_once_and_the_events_arrive(qtbot, catalog, settings, large):
    window = MainWindow(catalog, settings=settings)
    qtbot.addWidget(window)
    window.show()
    assert window.views.is_loading()
    assert window.table.table_model.rowCount() == 0
    assert window.workspace.operations.wait()
    assert window.table.table_model.rowCount() == 3
    assert len(window.timeline.canvas.columns) == 3
    assert window.count_label.text() == "showing 3 of 3 events"
    lower, upper = window.timeline.visible_range()
    assert lower <= window.timeline.canvas.columns.start.min() < upper  # fitted on arrival


def test_a_text_filter_is_answered_in_the_background(qtbot, catalog, settings, large):
    window = MainWindow(catalog, settings=settings)
    qtbot.addWidget(window)
    assert window.workspace.operations.wait()
    window.views.set_filter(EventFilter(text="Bushehr"))
    assert window.views.is_loading()
    assert window.workspace.operations.wait()
    assert window.count_label.text() == "showing 1 of 3 events"
    assert window.timeline.canvas.mask.sum() == 1


def test_a_slow_read_keeps_the_window_turning_and_cancel_stops_it(
    qtbot, catalog, settings, large, monkeypatch
):
    window = MainWindow(catalog, settings=settings)
    qtbot.addWidget(window)
    window.show()
    assert window.workspace.operations.wait()
    reads = {"blocks": 0}
    original = Catalog.event_columns

    def slow_columns(self, *args, progress=None, **kwargs):
        for block in range(200):  # as a million rows arrive, a block at a time
            if progress is not None:
                progress(block, 200)
            reads["blocks"] += 1
            time.sleep(0.02)
        return original(self, *args, progress=progress, **kwargs)

    monkeypatch.setattr(Catalog, "event_columns", slow_columns)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    window.views.reload_events()
    (operation,) = [op for op in window.workspace.operations.running if op.key == "events"]
    qtbot.waitUntil(lambda: operation.dialog is not None and operation.dialog.isVisible())
    qtbot.waitUntil(lambda: operation.dialog.bar.maximum() == 200, timeout=5000)
    assert len(ticks) >= 10  # the GUI thread went on turning while the read ran
    assert window.count_label.text() == "reading events…"
    operation.dialog.cancel_button.click()
    assert window.workspace.operations.wait()
    timer.stop()
    assert operation.outcome == "cancelled"
    assert reads["blocks"] < 200
    assert window.table.table_model.rowCount() == 3  # what was shown stays
    assert window.count_label.text() == "showing 3 of 3 events"
    assert "Reload Events" in window.statusBar().currentMessage()
    monkeypatch.setattr(Catalog, "event_columns", original)
    reload = window.actions["reload"]
    assert reload in window.actions.menus["view"].actions()
    reload.trigger()
    assert window.workspace.operations.wait()
    assert window.table.table_model.rowCount() == 3


def test_the_history_cannot_be_clicked_while_a_change_is_written(qtbot, window):
    from timeline_app.domain.changes import Changes

    started = []

    def slow_change(progress):
        started.append(1)
        for step in range(100):
            progress(step, 100)
            time.sleep(0.01)
        return Changes()

    operation = window.workspace.operations.change("Slow change", slow_change)
    qtbot.waitUntil(lambda: bool(started))
    assert not window.history_view.isEnabled()
    operation.cancel()
    assert window.workspace.operations.wait()
    assert window.history_view.isEnabled()
