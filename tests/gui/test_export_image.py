"""File ▸ Export image… and Edit ▸ Copy view as image, from the main window."""

from __future__ import annotations

import unicodedata

from pypdf import PdfReader
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from timeline_app.ui.dialogs.export_image import ExportImageDialog


def open_export_dialog(window) -> ExportImageDialog:
    window.actions["export_image"].trigger()
    QApplication.processEvents()
    dialogs = [child for child in window.findChildren(ExportImageDialog) if child.isVisible()]
    assert dialogs, "File ▸ Export image… opens the dialog"
    return dialogs[-1]


def test_export_dialog_previews_and_writes_png_then_pdf(window, tmp_path):
    dialog = open_export_dialog(window)
    assert dialog.preview.pixmap() is not None and not dialog.preview.pixmap().isNull()
    dialog.title_edit.setText("Briefing")
    out = tmp_path / "chart.png"
    assert dialog.export_to(str(out))
    image = QImage(str(out))
    assert not image.isNull() and image.width() >= 200

    again = open_export_dialog(window)
    assert again.title_edit.text() == "Briefing"  # remembered
    again.format_box.setCurrentIndex(again.format_box.findData("pdf"))
    out_pdf = tmp_path / "page.pdf"
    assert again.export_to(str(out_pdf))
    text = unicodedata.normalize("NFKC", PdfReader(str(out_pdf)).pages[0].extract_text())
    assert "Briefing" in text
    again.close()


def test_copy_view_puts_an_image_on_the_clipboard(window):
    QGuiApplication.clipboard().clear()
    window.actions["copy_image"].trigger()
    image = QGuiApplication.clipboard().image()
    assert not image.isNull() and image.width() >= 200
    assert window.actions["copy_image"] in window.actions.menus["edit"].actions()
    assert window.actions["export_image"] in window.actions.menus["file"].actions()
