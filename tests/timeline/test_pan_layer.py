"""A pan copies the marks from a band drawn once per zoom: the chart must look as drawing the
same frame afresh does, and the band must be drawn again whenever what it shows changed."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from image_compare import CHANNEL_TOLERANCE, MAX_DIFFERING, pixels
from PySide6 import QtGui, QtWidgets
from timeline_builders import DAY, columns_from, event_row, many_events, utc

from timeline_app.timeline import markers
from timeline_app.timeline.view import TimelineWidget


@pytest.fixture
def timeline(qtbot) -> TimelineWidget:
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    qtbot.waitExposed(widget)
    columns = many_events(700, seed=4, categories=6)
    titles = columns.titles.copy()
    titles[:] = [f"Event {i}: a headline" for i in range(len(titles))]
    widget.set_events(dataclasses.replace(columns, titles=titles))
    QtWidgets.QApplication.processEvents()
    return widget


def frame_image(timeline: TimelineWidget) -> QtGui.QImage:
    QtWidgets.QApplication.processEvents()
    return timeline.grab().toImage()


def differing_share(a: QtGui.QImage, b: QtGui.QImage) -> float:
    new, old = pixels(a).astype(np.int16), pixels(b).astype(np.int16)
    return float((np.abs(new - old)[:, :, :3] > CHANNEL_TOLERANCE).any(axis=2).mean())


def pan_by_pixels(timeline: TimelineWidget, pixels_right: float) -> None:
    lower, upper = timeline.visible_range()
    per_pixel = (upper - lower) / timeline.canvas.size()[0]
    timeline.zoom_to(lower + pixels_right * per_pixel, upper + pixels_right * per_pixel)


def drawn_directly(timeline: TimelineWidget, monkeypatch) -> QtGui.QImage:
    """The same frame with every mark drawn afresh (the band refused)."""
    with monkeypatch.context() as patch:
        patch.setattr(markers, "device_scale", lambda transform: None)
        timeline.events_item.update()
        return frame_image(timeline)


def zoomed(timeline: TimelineWidget) -> None:
    lower, upper = timeline.visible_range()
    middle = (lower + upper) / 2
    timeline.zoom_to(middle - 2000 * DAY, middle + 2000 * DAY)
    frame_image(timeline)


def test_a_pan_draws_what_drawing_the_frame_afresh_does(timeline, monkeypatch) -> None:
    zoomed(timeline)
    layer = timeline.events_item._pan_layer
    pan_by_pixels(timeline, 40)
    banded = frame_image(timeline)
    assert layer.builds == 1 and timeline.events_item.frame().panned
    assert len(timeline.events_item.frame().labels) > 10
    assert differing_share(banded, drawn_directly(timeline, monkeypatch)) <= MAX_DIFFERING
    for step in range(6):  # more pans at this zoom copy the same band
        pan_by_pixels(timeline, -25.0 if step % 2 else 17.0)
        frame_image(timeline)
    assert layer.builds == 1
    banded = frame_image(timeline)
    assert differing_share(banded, drawn_directly(timeline, monkeypatch)) <= MAX_DIFFERING


def test_a_pan_by_part_of_a_pixel_moves_titles_with_their_marks(timeline, monkeypatch) -> None:
    """The band is copied at a whole pixel; the titles go where that puts their marks."""
    zoomed(timeline)
    offsets: list[float] = []
    original = markers.EventsItem._paint_labels

    def recording(item, painter, frame, theme):
        offsets.append(painter.worldTransform().dx())
        return original(item, painter, frame, theme)

    monkeypatch.setattr(markers.EventsItem, "_paint_labels", recording)
    pan_by_pixels(timeline, 10)
    frame_image(timeline)  # the band is drawn for this view: nothing is off by a fraction
    exact = offsets[-1]
    pan_by_pixels(timeline, 0.4)
    frame_image(timeline)  # copied 0.4 pixel right of exact, rounded to a whole pixel
    assert timeline.events_item._pan_layer.builds == 1
    assert offsets[-1] - exact == pytest.approx(0.4, abs=1e-6)


def test_the_band_is_drawn_again_when_what_it_shows_changed(timeline, monkeypatch) -> None:
    zoomed(timeline)
    layer = timeline.events_item._pan_layer
    pan_by_pixels(timeline, 30)
    frame_image(timeline)
    assert layer.builds == 1
    # A selection: the next frame draws directly, the pan after it draws a new band.
    frame = timeline.events_item.frame()
    timeline.set_selection([str(timeline.canvas.columns.ids[frame.event[0]])])
    frame_image(timeline)
    assert layer.builds == 1 and not timeline.events_item.frame().panned
    pan_by_pixels(timeline, 30)
    banded = frame_image(timeline)
    assert layer.builds == 2  # and the selection ring is in the band, whole
    assert differing_share(banded, drawn_directly(timeline, monkeypatch)) <= MAX_DIFFERING
    # The view leaves the band (it reaches half a view beyond each side).
    pan_by_pixels(timeline, 0.8 * timeline.canvas.size()[0])
    frame_image(timeline)
    assert layer.builds == 3
    # Another zoom is drawn directly; only its first pan draws a band.
    timeline.zoom_by(1.5)
    frame_image(timeline)
    assert layer.builds == 3
    pan_by_pixels(timeline, 5)
    frame_image(timeline)
    assert layer.builds == 4


def test_hover_repaints_copy_the_band(qtbot, timeline) -> None:
    zoomed(timeline)
    pan_by_pixels(timeline, 30)
    frame_image(timeline)
    frame = timeline.events_item.frame()
    timeline.events_item.hover = markers.Hit("event", int(frame.event[0]), int(frame.lane[0]))
    timeline.events_item.update()
    frame_image(timeline)
    assert timeline.events_item._pan_layer.builds == 1


def test_the_band_holds_all_of_a_lone_selected_marker_and_its_ring(qtbot, monkeypatch) -> None:
    """The band is copied only in the rows its marks reach, and a selection ring reaches
    further than its marker."""
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_events(
        columns_from(
            [
                event_row("big", "A landmark", utc(2015, 6, 1), importance=5),
                event_row("month", "In May", utc(2016, 5, 1), utc(2016, 6, 1), precision=1),
                event_row("small", "A detail", utc(2016, 9, 1), category=1, importance=1),
            ]
        )
    )
    widget.set_selection(["big", "small"])
    widget.zoom_to(utc(2014), utc(2018))
    frame_image(widget)
    pan_by_pixels(widget, 12)
    banded = frame_image(widget)
    assert widget.events_item._pan_layer.builds == 1
    direct = drawn_directly(widget, monkeypatch)
    new, old = pixels(banded).astype(np.int16), pixels(direct).astype(np.int16)
    assert int((np.abs(new - old)[:, :, :3] > 8).any(axis=2).sum()) == 0
