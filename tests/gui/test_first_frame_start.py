"""The usual start paints the window from a snapshot, then opens the database behind it.

What the user sees first is what the normal path would show; nothing can be edited before
the real catalog is in place; what the opening does today (the daily backup, reporting a
failure) still happens, after the paint.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from timeline_app.app import open_catalog, show_first_frame
from timeline_app.domain.errors import SchemaError
from timeline_app.domain.model import EventDraft
from timeline_app.services import databases
from timeline_app.services.catalog import Catalog
from timeline_app.services.first_frame import FirstFrameCatalog, first_frame_catalog
from timeline_app.store.backup import daily_copy_path, today
from timeline_app.store.database import open_database
from timeline_app.ui.settings import WindowSettings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def start_window(qtbot, catalog: Catalog, db_path: Path):
    """The window as `app.run` shows it on an existing database (the fixture's catalog is
    closed first, as no other program holds it open at start)."""
    catalog.database.dispose()
    snapshot = first_frame_catalog(str(db_path))
    assert isinstance(snapshot, FirstFrameCatalog)
    window = show_first_frame(snapshot, str(db_path), on_failure=pytest.fail)
    qtbot.addWidget(window)
    yield window
    qtbot.waitUntil(lambda: isinstance(window.workspace.catalog, Catalog))
    window.close()


def test_the_window_shows_the_snapshot_then_takes_the_real_catalog(qtbot, start_window):
    window = start_window
    assert isinstance(window.workspace.catalog, FirstFrameCatalog)
    assert window.table.table_model.rowCount() == 3
    assert window.windowTitle().startswith(str(Path(window.workspace.catalog.database.location)))
    qtbot.waitUntil(lambda: isinstance(window.workspace.catalog, Catalog))
    assert window.table.table_model.rowCount() == 3
    assert window.count_label.text() == "showing 3 of 3 events"


def test_nothing_can_be_done_in_the_window_before_the_database_is_open(qtbot, start_window):
    window = start_window
    table = window.table
    row_rect = table.visualRect(table.table_model.index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=row_rect.center())
    qtbot.keyClick(table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.selected_ids() == []
    assert not window.inspector.is_new
    qtbot.waitUntil(lambda: isinstance(window.workspace.catalog, Catalog))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=row_rect.center())
    qtbot.waitUntil(lambda: len(window.selected_ids()) == 1)


def test_events_another_program_added_meanwhile_are_shown_once_open(qtbot, start_window, db_path):
    window = start_window
    other = Catalog(open_database(db_path))
    other.add_event(EventDraft("Written meanwhile", "2023-01-02", category="Energy"))
    other.database.dispose()
    assert window.table.table_model.rowCount() == 3
    qtbot.waitUntil(lambda: window.table.table_model.rowCount() == 4)


def test_the_daily_backup_is_still_made_once_the_window_is_painted(qtbot, catalog, db_path):
    catalog.database.dispose()
    copy = daily_copy_path(db_path, today())
    copy.unlink(missing_ok=True)
    window = show_first_frame(
        first_frame_catalog(str(db_path)), str(db_path), on_failure=pytest.fail
    )
    qtbot.addWidget(window)
    assert not copy.exists()
    qtbot.waitUntil(lambda: isinstance(window.workspace.catalog, Catalog))
    assert copy.exists()
    window.close()


def test_a_database_that_fails_to_open_after_the_paint_is_reported_as_before(
    qtbot, catalog, db_path, messages, capsys, monkeypatch
):
    catalog.database.dispose()
    snapshot = first_frame_catalog(str(db_path))

    def locked(*_args, **_kwargs):
        raise SchemaError(f"{db_path} is locked by another program (waited 5 s)")

    monkeypatch.setattr(databases, "open_database", locked)
    failures: list[bool] = []
    window = show_first_frame(snapshot, str(db_path), on_failure=lambda: failures.append(True))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: failures == [True])
    line = f"{db_path} is locked by another program (waited 5 s)"
    assert capsys.readouterr().err.strip().splitlines() == [f"timeline-app: error: {line}"]
    assert messages == [("critical", f"timeline_app: Cannot open the database.\n\n{line}")]
    assert not window.isVisible()


def test_the_normal_opening_still_creates_the_default_database_with_the_dataset(qtbot):
    assert first_frame_catalog(None) is None  # nothing there yet: the normal path
    opened = open_catalog(None)
    assert opened is not None
    catalog, warnings = opened
    assert catalog.database.created and catalog.count_events() > 100 and warnings == []
    catalog.database.dispose()


PAINT_WATCH = textwrap.dedent(
    """
    import sys
    from PySide6 import QtCore, QtWidgets

    class FirstPaint(QtCore.QObject):
        def eventFilter(self, watched, event):
            if (event.type() == QtCore.QEvent.Type.Paint
                    and type(watched.parent()).__name__ == "_ChartView"):
                print("sqlalchemy imported:", "sqlalchemy" in sys.modules, flush=True)
                QtWidgets.QApplication.instance().removeEventFilter(self)
                QtCore.QTimer.singleShot(0, QtWidgets.QApplication.quit)
            return False

    original = QtWidgets.QApplication.exec
    def exec_until_painted(*_args):
        spy = FirstPaint()
        QtWidgets.QApplication.instance().installEventFilter(spy)
        return original()
    QtWidgets.QApplication.exec = exec_until_painted
    from timeline_app.cli import main
    sys.exit(main(["--db", sys.argv[1]]))
    """
)


def test_sqlalchemy_is_not_imported_before_the_first_paint(catalog, db_path, tmp_path):
    """The start's largest import waits until the window is on screen (see bench_start)."""
    catalog.database.dispose()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    result = subprocess.run(
        [sys.executable, "-c", PAINT_WATCH, str(db_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "sqlalchemy imported: False" in result.stdout.splitlines()


def test_lanes_by_actor_left_from_the_last_session_are_drawn_from_the_snapshot(
    qtbot, catalog, db_path
):
    catalog.database.dispose()
    last_session = WindowSettings()
    last_session.set_lane_mode("actor")
    last_session.sync()
    window = show_first_frame(
        first_frame_catalog(str(db_path)), str(db_path), on_failure=pytest.fail
    )
    qtbot.addWidget(window)
    assert isinstance(window.workspace.catalog, FirstFrameCatalog)
    assert ("Russia", "Iran") in window.timeline.canvas.columns.actors
    qtbot.waitUntil(lambda: isinstance(window.workspace.catalog, Catalog))
    assert ("Russia", "Iran") in window.timeline.canvas.columns.actors
    window.close()
