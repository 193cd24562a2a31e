"""A drawing error in one part of the timeline is logged and leaves that part blank for the
frame; it never takes the process (and the analyst's window) down, and never slips into an
exported image as if the image were whole."""

from __future__ import annotations

import logging

import pytest
from PySide6 import QtWidgets
from timeline_builders import utc

from timeline_app.domain.errors import TimelineError
from timeline_app.timeline import guarded
from timeline_app.timeline.axis import DateAxis
from timeline_app.timeline.export import ExportOptions, export_image
from timeline_app.timeline.markers import EventsItem
from timeline_app.timeline.view import TimelineWidget


def _break(monkeypatch: pytest.MonkeyPatch, message: str) -> None:
    """Make the events' own paint fail, guarded as the real one is."""

    def broken_paint(self, painter, *args):
        raise RuntimeError(message)

    monkeypatch.setattr(EventsItem, "paint", guarded.guarded_paint(broken_paint))


def test_a_failing_paint_does_not_crash_the_window_and_is_logged_once(
    qtbot, sample_columns, monkeypatch, caplog
):
    """Guards a crash: unguarded, the next Python call after the failed paint raised a
    SystemError and the process died."""
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    timeline.resize(900, 500)
    timeline.show()
    qtbot.waitExposed(timeline)
    timeline.set_events(sample_columns)
    timeline.zoom_to(utc(2015), utc(2017))
    _break(monkeypatch, "markers broke for this test")
    with caplog.at_level(logging.ERROR, logger="timeline_app.timeline"):
        for _ in range(3):
            timeline.grab()
            QtWidgets.QApplication.processEvents()
    failures = [r for r in caplog.records if "EventsItem" in r.getMessage()]
    assert len(failures) == 1  # once per kind of failure, not once a frame
    assert "markers broke for this test" in caplog.text
    monkeypatch.undo()
    image = timeline.grab().toImage()  # drawing resumes once the cause is gone
    assert not image.isNull() and timeline.isVisible()


def test_other_parts_keep_drawing_when_one_fails(qtbot, sample_columns, monkeypatch):
    drawn: list[str] = []
    original = DateAxis.paint.__wrapped__

    def counting_axis_paint(self, painter, *args):
        drawn.append("axis")
        original(self, painter, *args)

    monkeypatch.setattr(DateAxis, "paint", guarded.guarded_paint(counting_axis_paint))
    _break(monkeypatch, "markers broke again")
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    timeline.resize(900, 500)
    timeline.set_events(sample_columns)
    timeline.grab()
    assert drawn


def test_an_export_refuses_to_write_an_image_with_a_part_missing(
    sample_columns, tmp_path, monkeypatch, qapp
):
    _break(monkeypatch, "markers broke during export")
    out = tmp_path / "timeline.png"
    with pytest.raises(TimelineError, match="could not be drawn: EventsItem: RuntimeError"):
        export_image(sample_columns, [], ExportOptions(width=800, height=450), out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_every_paint_override_of_the_timeline_is_guarded():
    import importlib
    import inspect
    import pkgutil

    import timeline_app.timeline as package

    overrides = []
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and "paint" in cls.__dict__:
                overrides.append(cls)
    assert len(overrides) >= 7
    unguarded = [cls.__name__ for cls in overrides if not hasattr(cls.paint, "__wrapped__")]
    assert unguarded == []
