"""GUI test set-up: a real SQLite catalog with a few categories, and settings kept in tmp."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from timeline_app.domain.model import Certainty, EventDraft
from timeline_app.services.catalog import Catalog
from timeline_app.store.database import open_database

CATEGORIES = ("Diplomacy & treaties", "Nuclear file", "Energy")


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Whatever a window saves lands in a throwaway folder, never in the user's settings."""
    folder = str(tmp_path_factory.mktemp("settings"))
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.NativeFormat, scope, folder)
        QSettings.setPath(QSettings.Format.IniFormat, scope, folder)


@pytest.fixture(autouse=True)
def _no_blocking_boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes would block a headless run: record them instead (tests may override)."""
    shown: list[tuple[str, str]] = []

    def record(kind: str, answer: QMessageBox.StandardButton):
        def box(_parent, title, text, *_args, **_kwargs):
            shown.append((kind, f"{title}: {text}"))
            return answer

        return box

    monkeypatch.setattr(QMessageBox, "warning", record("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "critical", record("critical", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(
        QMessageBox, "information", record("information", QMessageBox.StandardButton.Ok)
    )
    monkeypatch.setattr(
        QMessageBox, "question", record("question", QMessageBox.StandardButton.Cancel)
    )
    return shown


@pytest.fixture
def messages(_no_blocking_boxes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return _no_blocking_boxes


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "t.sqlite"


@pytest.fixture
def catalog(db_path: Path) -> Iterator[Catalog]:
    """A real SQLite catalog with three categories and three events."""
    database = open_database(db_path)
    catalog = Catalog(database)
    for name in CATEGORIES:
        catalog.add_category(name)
    catalog.add_event(
        EventDraft(
            "Bushehr reactor agreement",
            "1995-01-08",
            category="Nuclear file",
            importance=4,
            actors=("Russia", "Iran"),
            description="Contract to complete the Bushehr nuclear power plant.",
        )
    )
    catalog.add_event(
        EventDraft(
            "Caspian summit in Tehran",
            "2007-10-16",
            category="Diplomacy & treaties",
            importance=3,
            actors=("Russia", "Iran"),
            tags=("Caspian",),
        )
    )
    catalog.add_event(
        EventDraft(
            "Gas swap talks",
            "2022-07",
            category="Energy",
            certainty=Certainty.REPORTED,
            importance=2,
        )
    )
    yield catalog
    database.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, catalog: Catalog, settings: QSettings):
    from timeline_app.ui.main_window import MainWindow

    window = MainWindow(catalog, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.inspector.record = None
    window.inspector.is_new = False
    window.inspector.pages.setCurrentIndex(0)  # nothing left to ask about on close
    window.close()


@pytest.fixture(autouse=True)
def _restore_application_look(qapp) -> Iterator[None]:
    """The window themes the whole application; give later tests the look they started with."""
    style = qapp.style().name()
    palette = qapp.palette()
    sheet = qapp.styleSheet()
    yield
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)
