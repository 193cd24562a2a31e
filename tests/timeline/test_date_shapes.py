"""Each shape of date is drawn for what it says: "one of" as a bracket round its marker (not a
bar), before/after as an arrow off the anchor, an open end as a bar up to now ending in an arrow
head (never further), an unknown end fading out; and the view fits, hit-tests and describes them
by the same rules."""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest
from image_compare import pixels
from PySide6 import QtCore, QtGui, QtWidgets
from timeline_builders import SHAPES_NOW, columns_from, event_row, shapes_sample, utc

from timeline_app.domain.columns import SHAPE_OPEN_END
from timeline_app.domain.dates import OPEN_END_UPPER
from timeline_app.timeline.export import fitted_range
from timeline_app.timeline.layout import SPAN_BAR
from timeline_app.timeline.markers import ARROW, ONE_OF_TICK, OPEN_HEAD
from timeline_app.timeline.view import TimelineWidget, describe_when

WHITE_ENOUGH = 235


@pytest.fixture
def timeline(qtbot) -> TimelineWidget:
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.canvas.now = lambda: SHAPES_NOW
    widget.resize(1100, 560)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_labels_visible(False)  # titles would ink the pixels looked at
    widget.set_today_visible(False)
    widget.set_events(shapes_sample())
    return widget


def marks_rgb(timeline: TimelineWidget) -> np.ndarray:
    """The marks alone (no grid, stripes or titles) painted on white in the chart's pixels,
    as rows × columns × (blue, green, red)."""
    QtWidgets.QApplication.processEvents()
    width, height = timeline.canvas.size()
    image = QtGui.QImage(int(width), int(height), QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(image)
    timeline.events_item.paint(painter)
    painter.end()
    return pixels(image)[:, :, :3].copy()


def marks_image(timeline: TimelineWidget) -> np.ndarray:
    """`marks_rgb` as rows × columns, True where something was drawn."""
    return (marks_rgb(timeline) < WHITE_ENOUGH).any(axis=2)


def drawn(timeline: TimelineWidget, event_id: str) -> dict[str, float]:
    """Where the frame put an event: marker or bar start x, y, and its range's x ends."""
    frame = timeline.events_item.frame()
    index = timeline.canvas.columns.index_of(event_id)
    i = int(np.flatnonzero(frame.event == index)[0])
    return {
        "x": float(frame.x[i]),
        "y": float(frame.y[i]),
        "x_start": float(frame.x_start[i]),
        "x_end": float(frame.x_end[i]),
        "radius": float(frame.diameter[i]) / 2,
    }


def inked(image: np.ndarray, x0: float, x1: float, y0: float, y1: float) -> bool:
    """Anything drawn in the box [x0, x1] × [y0, y1] (pixels, inclusive)?"""
    return bool(image[round(y0) : round(y1) + 1, round(x0) : round(x1) + 1].any())


def without_shape(timeline: TimelineWidget, event_id: str) -> None:
    """The same events with `event_id` an exact date with a known end."""
    columns = timeline.canvas.columns
    shape = columns.shape.copy()
    shape[columns.index_of(event_id)] = 0
    timeline.set_events(dataclasses.replace(columns, shape=shape))


def test_one_of_is_a_bracket_with_square_ends_at_its_bounds_not_a_bar(timeline) -> None:
    timeline.zoom_to(utc(1988), utc(1997))
    image = marks_image(timeline)
    mark = drawn(timeline, "one-of")
    x0, x1, y = mark["x_start"], mark["x_end"], mark["y"]
    # the pixel rows just inside the square ends' tips
    high, low = np.floor(y - ONE_OF_TICK), np.floor(y + ONE_OF_TICK)
    for end in (x0, x1):  # square ends standing at the bounds, taller than a precision bracket's
        assert inked(image, end - 1, end + 1, high, high)
        assert inked(image, end - 1, end + 1, low, low)
    assert not inked(image, x0 - 6, x0 - 3, y - 8, y + 8)  # nothing before the first bound
    assert not inked(image, x1 + 3, x1 + 6, y - 8, y + 8)  # nor after the last
    # Between the marker and a bound: one thin line at the marker's height, not a bar.
    between = (x0 + mark["x"] - mark["radius"]) / 2
    column = image[:, round(between)]
    assert column[round(y)] and column.sum() <= 3
    assert mark["x"] == pytest.approx((x0 + x1) / 2)  # the marker in the middle of the range
    assert not inked(image, between - 2, between + 2, y + 3, y + SPAN_BAR + 6)
    without_shape(timeline, "one-of")
    plain = marks_image(timeline)
    # A faint precision bracket's ends are shorter: a date known to a year reads differently.
    assert inked(plain, x0 - 1, x0 + 1, y - 3, y + 3)
    assert not inked(plain, x0 - 1, x0 + 1, high, high)
    assert not inked(plain, x0 - 1, x0 + 1, low, low)


def test_before_is_an_arrow_pointing_left_of_its_anchor(timeline) -> None:
    timeline.zoom_to(utc(1988), utc(1997))
    image = marks_image(timeline)
    mark = drawn(timeline, "before")
    left = min(mark["x"] - mark["radius"], mark["x_start"])
    y = mark["y"]
    assert inked(image, left - ARROW, left - 3, y - 0.5, y + 0.5)  # the shaft
    assert inked(image, left - ARROW - 1, left - ARROW + 4, y - 4, y - 2)  # the head's barbs
    assert inked(image, left - ARROW - 1, left - ARROW + 4, y + 2, y + 4)
    right = max(mark["x"] + mark["radius"], mark["x_end"])
    assert not inked(image, right + 2, right + ARROW + 4, y - 4, y + 4)  # nothing after
    without_shape(timeline, "before")
    assert not inked(marks_image(timeline), left - ARROW, left - 3, y - 4, y + 4)


def test_after_is_an_arrow_pointing_right_of_its_anchor(timeline) -> None:
    timeline.zoom_to(utc(1998), utc(2004))
    image = marks_image(timeline)
    mark = drawn(timeline, "after")
    right = max(mark["x"] + mark["radius"], mark["x_end"])
    y = mark["y"]
    assert inked(image, right + 3, right + ARROW, y - 0.5, y + 0.5)
    assert inked(image, right + ARROW - 4, right + ARROW + 1, y - 4, y - 2)
    left = min(mark["x"] - mark["radius"], mark["x_start"])
    assert not inked(image, left - ARROW - 4, left - 2, y - 4, y + 4)


def test_an_open_end_reaches_now_with_an_arrow_head_and_not_beyond(timeline) -> None:
    timeline.zoom_to(utc(2012), utc(2030))
    image = marks_image(timeline)
    now_x = float(timeline.canvas.to_pixels(SHAPES_NOW))
    mark = drawn(timeline, "open")
    assert mark["x_end"] == pytest.approx(now_x)
    top, bottom = mark["y"], mark["y"] + SPAN_BAR
    middle = (top + bottom) / 2
    assert inked(image, now_x - 1.5, now_x - 0.5, middle - 0.5, middle + 0.5)  # the tip
    assert not inked(image, now_x + 1.5, image.shape[1] - 1, top - 6, bottom + 6)  # no further
    # The head stands out above and below the bar, just before its tip.
    head = now_x - OPEN_HEAD + 1.5
    assert inked(image, head - 1, head + 1, top - 3, top - 1.5)
    assert inked(image, head - 1, head + 1, bottom + 1.5, bottom + 3)
    # A bar with a known end at the same place has no head.
    columns = timeline.canvas.columns
    index = columns.index_of("open")
    end = columns.end.copy()
    end[index] = SHAPES_NOW
    shape = columns.shape.copy()
    shape[index] = 0
    timeline.set_events(dataclasses.replace(columns, end=end, shape=shape))
    plain = marks_image(timeline)
    assert not inked(plain, head - 1, head + 1, top - 3, top - 1.5)


def test_an_open_end_is_hit_up_to_now_only(timeline) -> None:
    timeline.zoom_to(utc(2012), utc(2030))
    now_x = float(timeline.canvas.to_pixels(SHAPES_NOW))
    mark = drawn(timeline, "open")
    y = mark["y"] + SPAN_BAR / 2
    index = timeline.canvas.columns.index_of("open")
    hit = timeline.events_item.hit(now_x - 5, y)
    assert hit is not None and hit.event == index
    assert timeline.events_item.hit(now_x + 30, y) is None


def test_an_unknown_end_fades_out_towards_now(timeline) -> None:
    timeline.zoom_to(utc(2006), utc(2030))
    grey = marks_rgb(timeline).astype(np.int64).sum(axis=2)
    mark = drawn(timeline, "unknown")
    now_x = float(timeline.canvas.to_pixels(SHAPES_NOW))
    row = round(mark["y"] + SPAN_BAR / 2)
    near_start = grey[row, round(mark["x_start"] + 5)]
    halfway = grey[row, round((mark["x_start"] + now_x) / 2)]
    near_now = grey[row, round(now_x - 3)]
    assert near_start < halfway < near_now  # darker at its start, paler towards now
    assert not inked(marks_image(timeline), now_x + 2, now_x + 40, row - 3, row + 3)


def test_fit_all_with_an_open_end_stays_within_now(timeline) -> None:
    timeline.fit_all()
    lower, upper = timeline.visible_range()
    assert lower < utc(1990) and upper > SHAPES_NOW
    assert upper - SHAPES_NOW < 0.1 * (upper - lower)  # a little air, not the year 9999
    # An export's fitted range does the same, with the clock's now.
    first, last = fitted_range(timeline.canvas.columns)
    assert last < time.time() + 0.1 * (last - first)
    assert first < utc(1990)


def test_fit_all_of_a_lone_ongoing_event_shows_it_up_to_now(qtbot) -> None:
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.canvas.now = lambda: SHAPES_NOW
    columns = columns_from(
        [
            event_row(
                "war",
                "Ongoing",
                utc(2022, 2, 24),
                OPEN_END_UPPER,
                span=True,
                shape=SHAPE_OPEN_END,
            )
        ]
    )
    widget.set_events(columns)
    lower, upper = widget.visible_range()
    assert lower < utc(2022, 2, 24) < SHAPES_NOW < upper < utc(2027)


def test_words_for_each_shape() -> None:
    columns = shapes_sample()
    words = {
        event_id: describe_when(columns, columns.index_of(event_id))
        for event_id in ("one-of", "before", "after", "open", "unknown", "before-open", "span")
    }
    assert words == {
        "one-of": "between 1990 and 1994",
        "before": "before May 1992",
        "after": "after 2001",
        "open": "24 February 2014 – ongoing",
        "unknown": "March 2008 – unknown",
        "before-open": "before 2010 – ongoing",
        "span": "1 January 1996 – 31 December 1998",
    }


def test_the_tooltip_of_a_one_of_event_says_between(timeline) -> None:
    timeline.zoom_to(utc(1988), utc(1997))
    mark = drawn(timeline, "one-of")
    point = timeline.viewbox.mapToScene(QtCore.QPointF(mark["x"], mark["y"]))
    viewport = timeline.plot.mapFromScene(point)
    text = timeline.tool_tip_at(timeline.plot.viewport().mapTo(timeline, viewport))
    assert "Between 1990 and 1994</b>" in text and "between 1990 and 1994" in text


def test_a_pan_copies_the_shapes_as_drawing_them_afresh_does(timeline, monkeypatch) -> None:
    """The pan band reaches far enough up and down for brackets' ends and arrow heads."""
    from image_compare import CHANNEL_TOLERANCE

    from timeline_app.timeline import markers

    timeline.zoom_to(utc(1989), utc(2030))
    marks_image(timeline)
    lower, upper = timeline.visible_range()
    step = (upper - lower) / timeline.canvas.size()[0] * 30
    timeline.zoom_to(lower + step, upper + step)
    QtWidgets.QApplication.processEvents()
    banded = pixels(timeline.grab().toImage()).astype(np.int16)
    assert timeline.events_item.frame().panned
    assert timeline.events_item._pan_layer.builds == 1
    with monkeypatch.context() as patch:
        patch.setattr(markers, "device_scale", lambda transform: None)
        timeline.events_item.update()
        QtWidgets.QApplication.processEvents()
        direct = pixels(timeline.grab().toImage()).astype(np.int16)
    differs = (np.abs(banded - direct)[:, :, :3] > CHANNEL_TOLERANCE).any(axis=2)
    assert differs.sum() <= 20
