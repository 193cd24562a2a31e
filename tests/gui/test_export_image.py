"""File ▸ Export image… and Copy view as image, as a user drives them."""

from __future__ import annotations

import unicodedata

from pypdf import PdfReader
from PySide6.QtGui import QGuiApplication, QImage


def test_export_dialog_previews_and_writes_each_format(window, qtbot, tmp_path):
    dialog = window.export_image()
    assert dialog is not None
    assert dialog.preview.pixmap() is not None and not dialog.preview.pixmap().isNull()
    dialog.preset_box.setCurrentIndex(3)  # square social card
    assert (dialog.width_box.value(), dialog.height_box.value()) == (1080, 1080)
    assert not dialog.width_box.isEnabled()
    dialog.title_edit.setText("Briefing")
    dialog.whole_radio.setChecked(True)
    dialog.refresh_preview()
    out = tmp_path / "card.png"
    assert dialog.export_to(str(out))
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1080, 1080)

    again = window.export_image()
    assert again.title_edit.text() == "Briefing"  # remembered
    assert again.preset_box.currentIndex() == 3
    again.format_box.setCurrentIndex(again.format_box.findData("pdf"))
    out_pdf = tmp_path / "page.pdf"
    assert again.export_to(str(out_pdf))
    text = unicodedata.normalize("NFKC", PdfReader(str(out_pdf)).pages[0].extract_text())
    assert "Briefing" in text


def test_export_to_a_missing_folder_says_so(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    messages = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: messages.append(args[2]))
    dialog = window.export_image()
    assert not dialog.export_to(str(tmp_path / "missing" / "x.png"))
    assert messages and "does not exist" in messages[0]
    assert dialog.isVisible()


def test_copy_view_puts_an_image_on_the_clipboard(window):
    QGuiApplication.clipboard().clear()
    window.copy_image_action.trigger()
    image = QGuiApplication.clipboard().image()
    assert not image.isNull() and image.width() >= 200
