"""The timeline and an exported page drawn as approved: a change to the drawing that nobody
looked at fails here (approve deliberate ones, see image_compare.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from image_compare import assert_image_approved, pixels
from PySide6 import QtGui, QtWidgets
from timeline_builders import SHAPES_NOW, shapes_sample, utc

from timeline_app.timeline.export import ExportOptions, render_to_image
from timeline_app.timeline.view import TimelineWidget

PAGE = ExportOptions(
    width=960, height=540, dpi=96, title="Approved page", exported_on=dt.date(2026, 1, 2)
)


@pytest.fixture
def timeline(qtbot, sample_columns) -> TimelineWidget:
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_events(sample_columns)
    return widget


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_timeline_over_two_years_looks_as_approved(timeline, theme, tmp_path):
    timeline.set_theme(theme)
    timeline.zoom_to(utc(2015), utc(2017))
    QtWidgets.QApplication.processEvents()
    assert_image_approved(timeline.grab().toImage(), f"timeline-2015-2017-{theme}", tmp_path)


def test_each_shape_of_date_looks_as_approved(qtbot, tmp_path):
    """One of a range, before, after, an open end, an unknown end, beside plain dates."""
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.canvas.now = lambda: SHAPES_NOW  # the open ends' arrow heads stay put
    widget.set_today_visible(False)
    widget.resize(1000, 520)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_events(shapes_sample())
    widget.zoom_to(utc(1988), utc(2028))
    QtWidgets.QApplication.processEvents()
    assert_image_approved(widget.grab().toImage(), "timeline-date-shapes", tmp_path)


def test_an_exported_page_looks_as_approved(sample_columns, tmp_path, qapp):
    options = PAGE
    assert_image_approved(render_to_image(sample_columns, [], options), "page-960", tmp_path)


def test_the_comparison_catches_a_missing_part(sample_columns, tmp_path, qapp):
    """The tolerance lets anti-aliasing through but not a blanked region of the chart."""
    options = PAGE
    image = render_to_image(sample_columns, [], options)
    painter = QtGui.QPainter(image)
    painter.fillRect(150, 180, 560, 100, QtGui.QColor("white"))  # the Military lane's marks
    painter.end()
    with pytest.raises(AssertionError, match="of pixels differ"):
        assert_image_approved(image, "page-960", tmp_path)
    assert (tmp_path / "page-960-diff.png").exists()
    assert pixels(image).shape == (540, 960, 4) and np.any(pixels(image))
