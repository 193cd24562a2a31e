"""Operations: work runs off the GUI thread, shows progress when slow, stops on Cancel, and
brings its result, its failure or its `Changes` back to the GUI thread."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from timeline_app.domain.changes import Changes
from timeline_app.domain.errors import Cancelled, TimelineError, ValidationError
from timeline_app.domain.progress import Progress, no_progress
from timeline_app.services.catalog import Catalog
from timeline_app.ui import commands
from timeline_app.ui.commands import DeleteEventsCommand, ServiceCommand
from timeline_app.ui.operations import Operations
from timeline_app.ui.progress_dialog import ProgressDialog
from timeline_app.ui.workspace import Workspace

WAIT = 10_000  # ms: generous, the machine may be busy


@pytest.fixture
def host(qtbot) -> Iterator[QWidget]:
    widget = QWidget()
    widget.setWindowTitle("host")
    qtbot.addWidget(widget)
    widget.show()
    yield widget


@pytest.fixture
def operations(host: QWidget) -> Iterator[Operations]:
    operations = Operations(host)
    yield operations
    assert operations.cancel_all_and_wait(timeout=WAIT / 1000)


def _progress_dialogs() -> list[ProgressDialog]:
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, ProgressDialog) and widget.isVisible()
    ]


def _count_until_cancelled(total: int, seen: list[str]) -> object:
    """Slow work: reports every step, and stops only when asked (or after `total` steps)."""

    def work(progress: Progress) -> int:
        try:
            for done in range(total):
                progress(done, total)
                time.sleep(0.01)
        except Cancelled:
            seen.append("cancelled")
            raise
        return total

    return work


def test_slow_work_keeps_the_gui_turning_shows_progress_and_cancel_stops_it(
    qtbot, host, operations, messages
) -> None:
    ticks: list[int] = []
    gui_turned = threading.Event()

    def tick() -> None:
        ticks.append(1)
        if len(ticks) >= 5:
            gui_turned.set()

    timer = QTimer(host)
    timer.timeout.connect(tick)
    timer.start(10)
    seen: list[str] = []
    counting = _count_until_cancelled(1000, seen)

    def work(progress: Progress) -> object:
        # The GUI timer fires while this runs: it would never fire on the GUI thread itself.
        seen.append("gui turned" if gui_turned.wait(WAIT / 1000) else "gui frozen")
        return counting(progress)

    done: list[object] = []
    cancelled: list[bool] = []
    posted: list[str] = []
    operations.messagePosted.connect(posted.append)
    operation = operations.run(
        "Count slowly", work, on_done=done.append, on_cancelled=lambda: cancelled.append(True)
    )
    assert operations.is_running()
    assert _progress_dialogs() == []  # not at once: only once the work has taken a moment

    qtbot.waitUntil(lambda: operation.dialog is not None, timeout=WAIT)
    dialog = operation.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert dialog.parentWidget() is host
    qtbot.waitUntil(lambda: dialog.bar.maximum() == 1000, timeout=WAIT)
    assert seen == ["gui turned"]
    assert len(ticks) >= 5

    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not operations.is_running(), timeout=WAIT)
    assert seen == ["gui turned", "cancelled"]
    assert cancelled == [True]
    assert done == []
    assert operation.outcome == "cancelled"
    assert messages == []  # a cancellation is no error
    assert posted == ["Count slowly: cancelled; nothing was changed"]
    qtbot.waitUntil(lambda: _progress_dialogs() == [], timeout=WAIT)

    # Still usable: the next operation runs and delivers.
    operations.run("Answer", lambda _progress: 42, on_done=done.append)
    qtbot.waitUntil(lambda: done == [42], timeout=WAIT)
    timer.stop()


def test_progress_shows_a_busy_bar_while_the_total_is_unknown(qtbot, host, operations) -> None:
    release = threading.Event()

    def work(progress: Progress) -> None:
        progress(0, 0)
        release.wait(WAIT / 1000)

    operation = operations.run("Wait", work)
    qtbot.waitUntil(lambda: operation.dialog is not None, timeout=WAIT)
    assert operation.dialog is not None
    assert (operation.dialog.bar.minimum(), operation.dialog.bar.maximum()) == (0, 0)
    release.set()
    qtbot.waitUntil(lambda: not operations.is_running(), timeout=WAIT)
    assert operation.outcome == "done"


def test_a_superseded_keyed_query_drops_its_stale_result(qtbot, operations) -> None:
    release_first = threading.Event()

    def stale(_progress: Progress) -> str:
        release_first.wait(WAIT / 1000)
        return "stale"  # never reports progress again, so it cannot be stopped: it ends

    results: list[str] = []
    first = operations.run("Reload", stale, on_done=results.append, key="reload")
    second = operations.run(
        "Reload", lambda _progress: "fresh", on_done=results.append, key="reload"
    )
    assert first.cancel_requested

    qtbot.waitUntil(lambda: results == ["fresh"], timeout=WAIT)
    release_first.set()
    qtbot.waitUntil(lambda: not operations.is_running(), timeout=WAIT)
    assert results == ["fresh"]
    assert (first.outcome, second.outcome) == ("dropped", "done")


def test_a_failing_operation_shows_its_one_line_message(qtbot, operations, messages) -> None:
    def refuse(_progress: Progress) -> None:
        raise ValidationError("start", "not a date")

    done: list[object] = []
    operation = operations.run("Read events.csv", refuse, on_done=done.append)
    qtbot.waitUntil(lambda: not operations.is_running(), timeout=WAIT)
    assert messages == [("warning", "Read events.csv: start: not a date")]
    assert done == []
    assert operation.outcome == "failed"


def test_an_unexpected_failure_is_reported_as_such_and_logged(
    qtbot, operations, messages, caplog
) -> None:
    def broken(_progress: Progress) -> None:
        raise ZeroDivisionError("division by zero")

    with caplog.at_level(logging.ERROR):
        operations.run("Export", broken)
        qtbot.waitUntil(lambda: not operations.is_running(), timeout=WAIT)
    assert messages == [
        ("warning", "Export: unexpected problem: ZeroDivisionError('division by zero')")
    ]
    assert "Export failed" in caplog.text and "ZeroDivisionError" in caplog.text


def test_cancel_all_and_wait_stops_running_work_and_drops_its_outcome(qtbot, operations) -> None:
    seen: list[str] = []
    outcomes: list[object] = []
    operation = operations.run(
        "Count slowly",
        _count_until_cancelled(100_000, seen),
        on_done=outcomes.append,
        on_cancelled=lambda: outcomes.append("cancelled"),
    )
    qtbot.waitUntil(lambda: operation.done_count > 0, timeout=WAIT)

    assert operations.cancel_all_and_wait(timeout=WAIT / 1000)
    assert seen == ["cancelled"]  # the work itself has stopped: nothing writes any more
    assert not operations.is_running()
    assert operation.outcome == "dropped"
    qtbot.wait(50)  # the late delivery, already queued, must change nothing
    assert outcomes == []


# ---- the workspace -------------------------------------------------------------------------


@pytest.fixture
def workspace(host: QWidget, catalog: Catalog) -> Iterator[Workspace]:
    workspace = Workspace(catalog, host)
    yield workspace
    assert workspace.operations.cancel_all_and_wait(timeout=WAIT / 1000)


def test_a_change_reaches_every_view_through_the_workspace(qtbot, workspace) -> None:
    event_id = workspace.catalog.events()[0].id
    heard: list[object] = []
    workspace.changed.connect(lambda changes: heard.append(changes))
    workspace.eventsChanged.connect(lambda ids: heard.append(("events", ids)))
    done: list[Changes] = []
    workspace.operations.change(
        "Touch", lambda _progress: Changes.of_events([event_id]), on_done=done.append
    )
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT)
    assert heard == [("events", [event_id]), Changes.of_events([event_id])]
    assert done == [Changes.of_events([event_id])]


def test_notify_also_emits_changed(workspace) -> None:
    heard: list[object] = []
    workspace.changed.connect(heard.append)
    workspace.categoriesChanged.connect(lambda: heard.append("categories"))
    workspace.notify(["a"], True)
    workspace.notify([], False)
    assert heard == [
        "categories",
        Changes.of_events(["a"], categories=True),
        Changes(names=True, everything=True),
    ]


def test_a_big_delete_runs_undoes_and_redoes_off_the_gui_thread(
    qtbot, workspace, monkeypatch
) -> None:
    monkeypatch.setattr(commands, "BACKGROUND_THRESHOLD", 2)
    catalog = workspace.catalog
    ids = [record.id for record in catalog.events()]
    stack = workspace.undo_stack
    gui_thread = threading.get_ident()
    threads: list[int] = []
    real_delete = catalog.delete_events

    def delete_events(event_ids, *, progress=None):
        threads.append(threading.get_ident())
        return real_delete(event_ids, progress=progress)

    monkeypatch.setattr(catalog, "delete_events", delete_events)

    operation = workspace.run(DeleteEventsCommand(workspace, ids))
    assert operation is not None
    assert stack.count() == 0  # recorded only once it has succeeded
    qtbot.waitUntil(lambda: not workspace.operations.is_running(), timeout=WAIT)
    assert (stack.count(), stack.index()) == (1, 1)
    assert catalog.count_events() == 0
    assert threads and gui_thread not in threads

    assert workspace.undo() is not None
    assert stack.index() == 1  # the stack moves when the work is done, not before
    qtbot.waitUntil(lambda: stack.index() == 0, timeout=WAIT)
    assert catalog.count_events() == len(ids)

    assert workspace.redo() is not None
    qtbot.waitUntil(lambda: stack.index() == 1, timeout=WAIT)
    assert catalog.count_events() == 0
    assert len(threads) == 2 and gui_thread not in threads


class _SlowCommand(ServiceCommand):
    """A big command whose undo runs until it is cancelled."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace, "Slow edit")
        self.reverted = False

    @property
    def runs_in_background(self) -> bool:
        return True

    def apply(self, progress: Progress = no_progress) -> list[str]:
        return []

    def revert(self, progress: Progress = no_progress) -> list[str]:
        for done in range(100_000):
            progress(done, 100_000)
            time.sleep(0.01)
        self.reverted = True
        return []


def test_a_cancelled_undo_leaves_the_stack_where_it_was(qtbot, workspace, messages) -> None:
    command = _SlowCommand(workspace)
    workspace.run(command)
    qtbot.waitUntil(lambda: workspace.undo_stack.index() == 1, timeout=WAIT)

    operation = workspace.undo()
    assert operation is not None
    assert workspace.undo() is None  # one change at a time
    with pytest.raises(TimelineError, match="still running"):
        workspace.run(_SlowCommand(workspace))
    qtbot.waitUntil(lambda: operation.dialog is not None, timeout=WAIT)
    assert operation.dialog is not None
    assert operation.dialog.windowTitle() == "Undo slow edit"
    qtbot.mouseClick(operation.dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not workspace.operations.is_running(), timeout=WAIT)
    assert operation.outcome == "cancelled"
    assert not command.reverted
    assert (workspace.undo_stack.count(), workspace.undo_stack.index()) == (1, 1)
    assert messages == []


class _RefusedUndoCommand(_SlowCommand):
    def revert(self, progress: Progress = no_progress) -> list[str]:
        raise TimelineError("event e1 was deleted")


def test_an_undo_the_database_refuses_is_reported_and_dropped(qtbot, workspace, messages) -> None:
    failures: list[str] = []
    workspace.commandFailed.connect(failures.append)
    workspace.run(_RefusedUndoCommand(workspace))
    assert workspace.operations.wait(WAIT)
    assert workspace.undo_stack.count() == 1

    workspace.undo()
    assert workspace.operations.wait(WAIT)
    assert failures == ["Cannot slow edit: event e1 was deleted"]
    assert workspace.undo_stack.count() == 0  # obsolete: gone from the history
    assert messages == []  # the window shows `commandFailed` its own way


def test_the_undo_action_goes_through_the_workspace_once(qtbot, host, workspace) -> None:
    """The action keeps the stack's text and enabled state but takes back one step per
    trigger, through `Workspace.undo` (a big command would go to the background)."""
    undo = workspace.create_undo_action(host)
    redo = workspace.create_redo_action(host)
    workspace.run(commands.AddCategoryCommand(workspace, "Military"))
    workspace.run(commands.AddCategoryCommand(workspace, "Sanctions"))
    assert undo.isEnabled() and not redo.isEnabled()
    assert "Sanctions" in undo.text()

    undo.trigger()
    assert workspace.undo_stack.index() == 1
    assert workspace.catalog.category_names().count("Sanctions") == 0
    assert "Military" in undo.text() and redo.isEnabled()
    redo.trigger()
    assert workspace.undo_stack.index() == 2
    assert "Sanctions" in workspace.catalog.category_names()
