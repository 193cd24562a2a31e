"""The export dialog and the window's image actions, driven as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QMainWindow

from timeline_app.services.catalog import Catalog
from timeline_app.services.dataset import load_dataset
from timeline_app.store.database import open_database


@pytest.fixture
def catalog(tmp_path: Path):
    catalog = Catalog(open_database(tmp_path / "dataset.sqlite"))
    load_dataset(catalog)
    yield catalog
    catalog.database.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "export.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def timeline(qtbot, catalog):
    from timeline_app.timeline.view import TimelineWidget

    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(1000, 560)
    widget.set_events(catalog.event_columns())
    widget.set_eras(catalog.eras())
    widget.show()
    qtbot.waitExposed(widget)
    widget.fit_all()
    return widget


def test_dialog_previews_and_exports_with_remembered_choices(
    qtbot, timeline, catalog, settings, tmp_path
):
    from timeline_app.ui.dialogs.export_image import ExportImageDialog

    dialog = ExportImageDialog(timeline, catalog, settings=settings)
    qtbot.addWidget(dialog)
    first = dialog.preview.pixmap().toImage()
    assert not first.isNull() and first.width() > 100

    square_card = dialog.preset_box.findText("Square", Qt.MatchFlag.MatchStartsWith)
    dialog.preset_box.setCurrentIndex(square_card)
    assert (dialog.width_box.value(), dialog.height_box.value()) == (1080, 1080)
    qtbot.keyClicks(dialog.title_edit, " - briefing")
    qtbot.waitUntil(lambda: dialog.preview.pixmap().toImage() != first, timeout=3000)
    square = dialog.preview.pixmap()
    assert abs(square.width() - square.height()) <= 2  # the preview has the output's shape

    out = tmp_path / "card.png"
    assert dialog.export_to(str(out))
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1080, 1080)
    assert "CC BY 4.0" in dialog.options().credit  # the bundled dataset is credited

    again = ExportImageDialog(timeline, catalog, settings=settings)
    qtbot.addWidget(again)
    assert again.title_edit.text().endswith("- briefing")
    assert again.width_box.value() == 1080 and not again.width_box.isEnabled()


def test_export_and_copy_from_a_window_say_so_in_its_status_bar(
    qtbot, timeline, catalog, monkeypatch
):
    from timeline_app.ui.dialogs import export_image

    window = QMainWindow()
    qtbot.addWidget(window)
    QGuiApplication.clipboard().clear()
    export_image.copy_view_with_message(window, timeline, catalog)
    copied = QGuiApplication.clipboard().image()
    assert (copied.width(), copied.height()) == (timeline.width(), timeline.height())
    assert "clipboard" in window.statusBar().currentMessage()

    opened = []
    monkeypatch.setattr(export_image.ExportImageDialog, "open", lambda self: opened.append(self))
    dialog = export_image.open_export_image_dialog(window, timeline, catalog)
    assert opened == [dialog] and dialog.catalog is catalog
    dialog.close()
