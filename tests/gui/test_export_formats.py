"""File ▸ Export… offers every format; the filter chosen decides the format and the ending,
and what is written reads back as that format."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from timeline_app.domain.file_formats import FILE_FORMATS
from timeline_app.services.interchange import read_file_as
from timeline_app.ui.file_commands import EXPORT_FILTERS


@pytest.mark.parametrize("entry", [e for e in FILE_FORMATS if e.name != "gdelt"], ids=str)
def test_the_chosen_filter_decides_the_format(window, tmp_path, monkeypatch, entry):
    chosen = tmp_path / "events"  # typed without an ending
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *_args, **_kwargs: (str(chosen), entry.name_filter)),
    )
    window.actions["export"].trigger()
    assert window.workspace.operations.wait()
    written = tmp_path / f"events{entry.export_suffix}"
    assert written.exists(), list(tmp_path.iterdir())
    fmt, document = read_file_as(written)
    assert fmt == entry.name
    assert len(document.events) == 3 or entry.name == "acled"
    assert "Exported 3 events" in window.statusBar().currentMessage()


def test_every_format_is_offered():
    assert [entry.name for entry in EXPORT_FILTERS.values()] == [e.name for e in FILE_FORMATS]
