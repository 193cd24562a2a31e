"""Shared test set-up: headless Qt, an isolated data folder, databases on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest

PG_URL = os.environ.get("TIMELINE_TEST_PG_URL", "")


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test ever touches the user's real data folder."""
    monkeypatch.setenv("TIMELINE_APP_DATA_DIR", str(tmp_path_factory.mktemp("data")))


def _open_windows() -> list[object]:
    """Visible top-level windows (tooltips and popup menus aside), where Qt is in use."""
    widgets = sys.modules.get("PySide6.QtWidgets")
    if widgets is None or widgets.QApplication.instance() is None:
        return []
    flags = sys.modules["PySide6.QtCore"].Qt.WindowType
    return [
        widget
        for widget in widgets.QApplication.topLevelWidgets()
        if widget.isVisible() and widget.windowType() not in (flags.ToolTip, flags.Popup)
    ]


@pytest.fixture(autouse=True)
def _no_windows_left_open() -> Iterator[None]:
    """A test that leaves a window open fails: in the app that window would be a leak, and
    here it would leak into the next test. Torn down after pytest-qt closes its widgets."""
    before = {id(widget) for widget in _open_windows()}
    yield
    left = [widget for widget in _open_windows() if id(widget) not in before]
    for widget in left:
        widget.close()
    if left:
        names = ", ".join(sorted(f"{type(w).__name__} {w.windowTitle()!r}" for w in left))
        pytest.fail(f"the test left windows open: {names}")


def _pg_schema_url() -> Iterator[str]:
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database location: a SQLite file, and (when configured) a PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "timeline.sqlite")
        return
    if not PG_URL:
        pytest.skip("TIMELINE_TEST_PG_URL is not set")
    yield from _pg_schema_url()


@pytest.fixture
def pg_target() -> Iterator[str]:
    """A fresh PostgreSQL schema; skipped only where no server is configured."""
    if not PG_URL:
        pytest.skip("TIMELINE_TEST_PG_URL is not set")
    yield from _pg_schema_url()


@pytest.fixture
def sqlite_target(tmp_path: Path) -> str:
    return str(tmp_path / "timeline.sqlite")


@pytest.fixture
def catalog(db_target: str) -> Iterator[object]:
    """A Catalog on a fresh database with three categories."""
    from timeline_app.services.catalog import Catalog
    from timeline_app.store.database import open_database

    database = open_database(db_target)
    catalog = Catalog(database)
    for name in ("Diplomacy & treaties", "Nuclear file", "Energy"):
        catalog.add_category(name)
    yield catalog
    database.dispose()
