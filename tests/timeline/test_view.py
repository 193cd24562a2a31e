"""The timeline widget as a reader uses it: zoom, pan, keys, select, hover, lanes, export."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from timeline_builders import DAY, columns_from, event_row, many_events, utc

from timeline_app.domain.model import EraRecord
from timeline_app.timeline.eras import STRIP_ALPHA_LIGHT
from timeline_app.timeline.labels import rects_overlap
from timeline_app.timeline.lane_header import LaneHeader
from timeline_app.timeline.theme import mark_colour
from timeline_app.timeline.view import MIN_RANGE, TimelineWidget, render_timeline

Qt = QtCore.Qt
WIDTH, HEIGHT = 1200, 700


@pytest.fixture
def widget(qtbot, sample_columns) -> TimelineWidget:
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    timeline.resize(WIDTH, HEIGHT)
    timeline.show()
    qtbot.waitExposed(timeline)
    timeline.set_events(sample_columns)
    timeline.zoom_to(utc(2015), utc(2017))
    QtWidgets.QApplication.processEvents()
    return timeline


# -- helpers: act on the screen as a reader would ------------------------------------------
def viewport_point(timeline: TimelineWidget, x: float, y: float) -> QtCore.QPoint:
    """Chart pixel (x, y) as a point of the plot's viewport (where mouse events land)."""
    scene = timeline.viewbox.mapToScene(QtCore.QPointF(x, y))
    return timeline.plot.mapFromScene(scene)


def widget_point(timeline: TimelineWidget, x: float, y: float) -> QtCore.QPoint:
    return timeline.plot.viewport().mapTo(timeline, viewport_point(timeline, x, y))


def marker_of(timeline: TimelineWidget, event_id: str) -> tuple[float, float]:
    """Where the chart drew an event's marker (or the start of its bar), in chart pixels."""
    frame = timeline.events_item.frame()
    index = timeline.canvas.columns.index_of(event_id)
    at = np.flatnonzero(frame.event == index)
    assert at.size, f"{event_id} is not drawn"
    i = int(at[0])
    if frame.is_span[i]:
        return float(max(frame.x_start[i], 0) + 10), float(frame.y[i] + 2)
    return float(frame.x[i]), float(frame.y[i])


def mouse(
    timeline,
    kind,
    point: QtCore.QPoint,
    button=Qt.MouseButton.LeftButton,
    buttons=None,
    modifiers=Qt.KeyboardModifier.NoModifier,
) -> None:
    viewport = timeline.plot.viewport()
    if buttons is None:
        buttons = (
            Qt.MouseButton.NoButton if kind == QtCore.QEvent.Type.MouseButtonRelease else button
        )
    event = QtGui.QMouseEvent(
        kind,
        QtCore.QPointF(point),
        QtCore.QPointF(viewport.mapToGlobal(point)),
        button,
        buttons,
        modifiers,
    )
    QtWidgets.QApplication.sendEvent(viewport, event)


def click(qtbot, timeline, point, modifiers=Qt.KeyboardModifier.NoModifier, double=False):
    mouse(timeline, QtCore.QEvent.Type.MouseButtonPress, point, modifiers=modifiers)
    mouse(timeline, QtCore.QEvent.Type.MouseButtonRelease, point, modifiers=modifiers)
    if double:
        mouse(timeline, QtCore.QEvent.Type.MouseButtonDblClick, point, modifiers=modifiers)
        mouse(timeline, QtCore.QEvent.Type.MouseButtonRelease, point, modifiers=modifiers)
    qtbot.wait(20)


def drag(
    qtbot,
    timeline,
    start: QtCore.QPoint,
    end: QtCore.QPoint,
    button=Qt.MouseButton.LeftButton,
    modifiers=Qt.KeyboardModifier.NoModifier,
) -> None:
    mouse(timeline, QtCore.QEvent.Type.MouseButtonPress, start, button, modifiers=modifiers)
    for step in range(1, 6):
        qtbot.wait(15)  # the scene ignores moves closer together than its rate limit
        point = start + (end - start) * (step / 5)
        mouse(
            timeline,
            QtCore.QEvent.Type.MouseMove,
            point,
            Qt.MouseButton.NoButton,
            button,
            modifiers,
        )
    mouse(
        timeline,
        QtCore.QEvent.Type.MouseButtonRelease,
        end,
        button,
        Qt.MouseButton.NoButton,
        modifiers,
    )
    qtbot.wait(20)


def wheel(timeline, point: QtCore.QPoint, notches: int) -> None:
    viewport = timeline.plot.viewport()
    event = QtGui.QWheelEvent(
        QtCore.QPointF(point),
        QtCore.QPointF(viewport.mapToGlobal(point)),
        QtCore.QPoint(0, 0),
        QtCore.QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QtWidgets.QApplication.sendEvent(viewport, event)


# -- navigation -------------------------------------------------------------------------------
def test_wheel_zooms_around_the_cursor(qtbot, widget) -> None:
    lower, upper = widget.visible_range()
    width = widget.viewbox.width()
    x = width * 0.25
    under_cursor = widget.canvas.to_seconds(x)
    wheel(widget, viewport_point(widget, x, 200), 2)
    new_lower, new_upper = widget.visible_range()
    assert new_upper - new_lower < (upper - lower) * 0.8
    assert widget.canvas.to_seconds(x) == pytest.approx(under_cursor, abs=(upper - lower) * 1e-3)
    wheel(widget, viewport_point(widget, x, 200), -4)
    assert widget.visible_range()[1] - widget.visible_range()[0] > upper - lower


def test_drag_pans_horizontally(qtbot, widget) -> None:
    lower, upper = widget.visible_range()
    width = widget.viewbox.width()
    drag(
        qtbot,
        widget,
        viewport_point(widget, width * 0.6, 300),
        viewport_point(widget, width * 0.4, 320),
    )
    new_lower, new_upper = widget.visible_range()
    shift = (upper - lower) * 0.2
    assert new_lower - lower == pytest.approx(shift, rel=0.1)
    assert new_upper - new_lower == pytest.approx(upper - lower, rel=1e-6)


def test_keys_zoom_pan_and_fit(qtbot, widget) -> None:
    lower, upper = widget.visible_range()
    widget.plot.setFocus()
    qtbot.keyClick(widget.plot, Qt.Key.Key_Plus)
    zoomed = widget.visible_range()
    assert zoomed[1] - zoomed[0] == pytest.approx((upper - lower) / 1.6, rel=1e-6)
    qtbot.keyClick(widget.plot, Qt.Key.Key_Minus)
    assert widget.visible_range()[1] - widget.visible_range()[0] == pytest.approx(
        upper - lower, rel=1e-6
    )
    qtbot.keyClick(widget.plot, Qt.Key.Key_Right)
    assert widget.visible_range()[0] > lower
    qtbot.keyClick(widget.plot, Qt.Key.Key_Home)
    columns = widget.canvas.columns
    fit_lower, fit_upper = widget.visible_range()
    assert fit_lower < columns.start.min() and fit_upper > columns.end.max()
    assert fit_upper - fit_lower < (columns.end.max() - columns.start.min()) * 1.2
    widget.zoom_to(utc(1995, 1, 1), utc(1996, 1, 1))  # a year, far from the latest event
    qtbot.keyClick(widget.plot, Qt.Key.Key_End)
    end_lower, end_upper = widget.visible_range()
    assert end_upper - end_lower == pytest.approx(utc(1996, 1, 1) - utc(1995, 1, 1))
    assert end_lower < columns.end.max() < end_upper  # the latest event, zoom kept


def test_zoom_limits(widget) -> None:
    widget.zoom_to(utc(2015, 6, 1), utc(2015, 6, 1) + 60)
    lower, upper = widget.visible_range()
    assert upper - lower >= MIN_RANGE * 0.999
    widget.zoom_to(utc(1000), utc(3000))
    lower, upper = widget.visible_range()
    assert upper - lower < 20 * 365 * DAY  # not far beyond the data's span


def test_visible_range_signal_and_overview_follow(qtbot, widget) -> None:
    with qtbot.waitSignal(widget.visibleRangeChanged) as blocker:
        widget.zoom_to(utc(2015, 3), utc(2015, 9))
    assert blocker.args == pytest.approx([utc(2015, 3), utc(2015, 9)])
    assert widget.overview.region.getRegion() == pytest.approx((utc(2015, 3), utc(2015, 9)))
    widget.overview.region.setRegion((utc(2016, 1), utc(2016, 4)))
    assert widget.visible_range() == pytest.approx((utc(2016, 1), utc(2016, 4)))


def test_set_events_again_keeps_the_visible_range(widget, sample_columns) -> None:
    widget.zoom_to(utc(2015, 5), utc(2015, 8))
    before = widget.visible_range()
    rows = [event_row("z", "Added later", utc(2015, 6, 1), category=2)]
    edited = columns_from(
        rows
        + [
            (
                str(sample_columns.ids[i]),
                str(sample_columns.titles[i]),
                sample_columns.start[i],
                sample_columns.end[i],
                bool(sample_columns.is_span[i]),
                int(sample_columns.precision[i]),
                int(sample_columns.category[i]),
                int(sample_columns.importance[i]),
                int(sample_columns.certainty[i]),
            )
            for i in range(len(sample_columns))
        ]
    )
    widget.set_selection(["a"])
    widget.set_events(edited)
    assert widget.visible_range() == pytest.approx(before)
    assert widget.selected_ids() == ["a"]


# -- selection --------------------------------------------------------------------------------
def test_click_selects_and_ctrl_click_adds(qtbot, widget) -> None:
    with qtbot.waitSignal(widget.selectionChanged) as blocker:
        click(qtbot, widget, viewport_point(widget, *marker_of(widget, "b")))
    assert blocker.args == [["b"]]
    with qtbot.waitSignal(widget.selectionChanged) as blocker:
        click(
            qtbot,
            widget,
            viewport_point(widget, *marker_of(widget, "g")),
            Qt.KeyboardModifier.ControlModifier,
        )
    assert sorted(blocker.args[0]) == ["b", "g"]
    with qtbot.waitSignal(widget.selectionChanged) as blocker:
        click(
            qtbot,
            widget,
            viewport_point(widget, *marker_of(widget, "b")),
            Qt.KeyboardModifier.ControlModifier,
        )
    assert blocker.args == [["g"]]
    with qtbot.waitSignal(widget.selectionChanged) as blocker:
        qtbot.keyClick(widget.plot, Qt.Key.Key_Escape)
    assert blocker.args == [[]]


def test_click_on_empty_space_clears(qtbot, widget) -> None:
    widget.set_selection(["a", "b"])
    layout = widget.canvas.layout()
    with qtbot.waitSignal(widget.selectionChanged) as blocker:
        click(qtbot, widget, viewport_point(widget, 3, layout.lane_top[-1] + 2))
    assert blocker.args == [[]]


def test_rubber_band_selects_what_it_covers(qtbot, widget) -> None:
    widget.zoom_to(utc(2015), utc(2016, 12))
    b = marker_of(widget, "b")
    f = marker_of(widget, "f")
    layout = widget.canvas.layout()
    military_top = layout.lane_top[1]
    start = viewport_point(widget, b[0] - 5, military_top + 2)
    end = viewport_point(widget, f[0] + 5, military_top + layout.lane_height - 2)
    with qtbot.waitSignal(widget.selectionChanged) as blocker:
        drag(qtbot, widget, start, end, Qt.MouseButton.RightButton)
    assert sorted(blocker.args[0]) == ["b", "e", "f"]
    widget.set_selection([])
    with qtbot.waitSignal(widget.selectionChanged) as blocker:
        drag(qtbot, widget, start, end, modifiers=Qt.KeyboardModifier.ShiftModifier)
    assert sorted(blocker.args[0]) == ["b", "e", "f"]


def test_set_selection_does_not_echo(qtbot, widget) -> None:
    with qtbot.assertNotEmitted(widget.selectionChanged):
        widget.set_selection(["c", "d"])
    assert sorted(widget.selected_ids()) == ["c", "d"]


def test_double_click_asks_to_edit(qtbot, widget) -> None:
    with qtbot.waitSignal(widget.editRequested) as blocker:
        click(qtbot, widget, viewport_point(widget, *marker_of(widget, "h")), double=True)
    assert blocker.args == ["h"]


def test_zoom_to_selection(widget) -> None:
    widget.set_selection(["b", "f"])
    widget.zoom_to_selection()
    lower, upper = widget.visible_range()
    assert lower < utc(2015, 4, 10) and upper > utc(2016, 4, 12)
    assert upper - lower < 500 * DAY


def test_context_menu_offers_a_new_event_at_the_pointer(qtbot, widget) -> None:
    x = widget.viewbox.width() / 2
    expected = widget.canvas.to_seconds(x)
    menu = widget.context_menu_at(widget_point(widget, x, 300))
    action = next(a for a in menu.actions() if a.text().startswith("New event"))
    with qtbot.waitSignal(widget.newEventRequested) as blocker:
        action.trigger()
    assert blocker.args[0] == pytest.approx(
        expected, abs=(widget.visible_range()[1] - widget.visible_range()[0]) / 500
    )


# -- hover ------------------------------------------------------------------------------------
def test_tooltip_tells_title_date_category_and_certainty(widget) -> None:
    text = widget.tool_tip_at(widget_point(widget, *marker_of(widget, "d")))
    assert "Gas swap talks" in text
    assert "20 August 2015" in text
    assert "Energy" in text and "alleged" in text


def test_tooltip_reads_the_dates_as_written_and_uses_the_detail_provider(widget) -> None:
    """The written date is read out for people ("2015-06" is "June 2015"; a one-of range
    "between … and …"), not the drawn bounds."""
    widget.set_details({"c": ("2015-06", "", "Rosatom press release")})
    widget.set_detail_provider(lambda event_id: f"Notes for {event_id}")
    text = widget.tool_tip_at(widget_point(widget, *marker_of(widget, "c")))
    assert "June 2015" in text and "Rosatom press release" in text and "Notes for c" in text
    assert "reported" in text
    widget.set_details({"c": ("[2015-06..2015-08]", "", "")})
    text = widget.tool_tip_at(widget_point(widget, *marker_of(widget, "c")))
    assert "between June 2015 and August 2015" in text


def test_hover_shows_a_tooltip(qtbot, widget) -> None:
    point = viewport_point(widget, *marker_of(widget, "a"))
    qtbot.wait(20)
    mouse(
        widget,
        QtCore.QEvent.Type.MouseMove,
        point,
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
    )
    assert widget.events_item.hover is not None
    assert "Moscow summit" in QtWidgets.QToolTip.text()


def test_nothing_under_the_pointer_means_no_tooltip(widget) -> None:
    layout = widget.canvas.layout()
    assert widget.tool_tip_at(widget_point(widget, 2, layout.lane_top[-1] + 3)) == ""


# -- lanes --------------------------------------------------------------------------------------
def test_lanes_switch_between_category_actor_and_single(widget) -> None:
    assert widget.lane_names() == ["Diplomacy", "Military", "Nuclear", "Energy"]
    widget.set_lane_mode("actor")
    assert "Putin" in widget.lane_names() and "Rosatom" in widget.lane_names()
    widget.set_lane_mode("single")
    assert widget.lane_names() == ["All events"]
    widget.set_lane_mode("category")
    assert len(widget.lane_names()) == 4
    with pytest.raises(ValueError):
        widget.set_lane_mode("sideways")


def test_filter_folds_empty_lanes(widget, sample_columns) -> None:
    widget.set_filter(["b", "e", "g"])
    assert widget.lane_names() == ["Military", "Energy"]
    widget.set_filter(sample_columns.importance >= 5)
    assert widget.lane_names() == ["Diplomacy", "Military", "Nuclear"]
    widget.set_filter(None)
    assert len(widget.lane_names()) == 4
    widget.set_lane_mode("actor")
    widget.set_filter(["j"])
    assert widget.lane_names() == ["No actor"]


def test_filter_mask_must_match_the_events(widget) -> None:
    with pytest.raises(ValueError, match="mask"):
        widget.set_filter(np.ones(3, dtype=bool))


# -- drawing ------------------------------------------------------------------------------------
def colour_pixels(image: QtGui.QImage, colour: str, tolerance: int = 40) -> int:
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(
        image.height(), image.bytesPerLine() // 4, 4
    )[:, : image.width(), :3]
    target = QtGui.QColor(colour)
    bgr = np.array([target.blue(), target.green(), target.red()])
    return int((np.abs(data.astype(int) - bgr).max(axis=2) <= tolerance).sum())


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshot_shows_every_category_colour(widget, theme) -> None:
    widget.set_theme(theme)
    image = widget.grab().toImage()
    assert image.width() >= WIDTH - 1
    columns = widget.canvas.columns
    theme_ = widget.canvas.theme
    counts = {
        name: colour_pixels(image, mark_colour(theme_, colour), 20)
        for name, colour in zip(columns.category_names, columns.category_colours, strict=True)
    }
    assert all(count > 40 for count in counts.values()), counts
    plot = QtGui.QColor(widget.canvas.theme.plot)
    assert colour_pixels(image, plot.name(), 2) < image.width() * image.height() * 0.95


def test_labels_in_the_widget_never_overlap(qtbot) -> None:
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    timeline.resize(WIDTH, HEIGHT)
    timeline.show()
    qtbot.waitExposed(timeline)
    columns = many_events(600, seed=4)
    timeline.set_events(columns)
    timeline.fit_all()
    middle = float(columns.start[300])
    for lower, upper in [
        timeline.visible_range(),
        (utc(2010), utc(2011)),
        (middle - 3 * DAY, middle + 4 * DAY),
    ]:
        timeline.zoom_to(lower, upper)
        frame = timeline.events_item.frame()
        rects = frame.labels.rects()
        assert rects, "some titles fit at this zoom"
        assert not any(rects_overlap(a, b) for i, a in enumerate(rects) for b in rects[i + 1 :])
        layout = frame.layout
        for (left, top, width, height), event in zip(rects, frame.label_event, strict=True):
            lane = layout.lane_at(top + height / 2)
            assert lane >= 0 and left >= 0 and left + width <= frame.width + 1e-6
            assert event in frame.event[frame.lane == lane]  # a title sits in its event's lane


def thin_lane_timeline(qtbot, chart_width: int, chart_height: int) -> TimelineWidget:
    """220 events in 12 lanes under five era rows, with a chart of the given size (what the
    main window gives the chart is about 830 × 420)."""
    columns = many_events(220, seed=7, categories=12)
    titles = columns.titles.copy()
    titles[:] = [f"Event {i}: a headline of everyday length" for i in range(len(titles))]
    names = ("Arms & military technology", *columns.category_names[1:])
    columns = dataclasses.replace(columns, titles=titles, category_names=names)
    eras = [
        EraRecord(
            "i1", "First term", "1991", None, "#117733", "Iran", int(utc(1991)), int(utc(2005))
        ),
        EraRecord(
            "i2", "Second term", "2005", None, "#44AA99", "Iran", int(utc(2005)), int(utc(2026))
        ),
        EraRecord(
            "r1", "Presidency", "1991", None, "#88CCEE", "Russia", int(utc(1991)), int(utc(2026))
        ),
        *(
            EraRecord(
                f"c{i}",
                f"Period {i}",
                "2015",
                None,
                "#882255",
                "Context",
                int(utc(2010 + 3 * i)),
                int(utc(2026)),
            )
            for i in range(3)
        ),
    ]
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    timeline.resize(chart_width + 250, chart_height + 120)
    timeline.show()
    qtbot.waitExposed(timeline)
    timeline.set_events(columns)
    timeline.set_eras(eras)
    QtWidgets.QApplication.processEvents()
    box = timeline.viewbox
    timeline.resize(
        timeline.width() + chart_width - round(box.width()),
        timeline.height() + chart_height - round(box.height()),
    )
    QtWidgets.QApplication.processEvents()
    timeline.fit_all()
    return timeline


def test_thin_lanes_show_the_important_titles_without_overlap(qtbot) -> None:
    timeline = thin_lane_timeline(qtbot, 830, 420)
    assert (round(timeline.viewbox.width()), round(timeline.viewbox.height())) == (830, 420)
    layout = timeline.canvas.layout()
    assert layout.lane_height < 30 and len(timeline.canvas.eras) == 5
    assert layout.lanes_top <= 5 * 14 + 8  # compact era strips
    frame = timeline.events_item.frame()
    rects = frame.labels.rects()
    assert len(rects) >= 10
    assert not any(rects_overlap(a, b) for i, a in enumerate(rects) for b in rects[i + 1 :])
    importance = timeline.canvas.columns.importance
    assert (importance[frame.label_event] == 5).sum() >= 5  # landmarks first
    points = np.flatnonzero(~frame.is_span)
    for (left, top, width, height), event in zip(rects, frame.label_event, strict=True):
        lane = layout.lane_at(top + height / 2)
        assert lane >= 0 and left >= 0 and left + width <= frame.width + 1e-6
        assert event in frame.event[frame.lane == lane]
        # No title covers another event's marker, save a landmark's over minor ones.
        may_cover = importance[event] - 2 if importance[event] == 5 else 0
        halo = (left, top + 1, width, height - 2)
        for i in points[(frame.lane[points] == lane) & (frame.event[points] != event)]:
            radius = frame.diameter[i] / 2
            marker = (frame.x[i] - radius, frame.y[i] - radius, 2 * radius, 2 * radius)
            if rects_overlap(halo, marker):
                assert importance[frame.event[i]] <= may_cover


def test_the_lane_names_column_fits_the_longest_name(qtbot) -> None:
    timeline = thin_lane_timeline(qtbot, 830, 420)
    header = timeline.header
    metrics = QtGui.QFontMetricsF(header._font)
    needed = metrics.horizontalAdvance("Arms & military technology")
    assert header.width() >= needed + 20  # swatch and margins too: the name is whole
    assert header.width() == timeline._legend.width()
    assert header.width() <= LaneHeader.MAX_NAME_WIDTH + 40
    long_name = dataclasses.replace(
        timeline.canvas.columns,
        category_names=(
            "A lane name far too long to show whole in any sensible column",
            *timeline.canvas.columns.category_names[1:],
        ),
    )
    timeline.set_events(long_name)
    QtWidgets.QApplication.processEvents()
    assert header.width() <= LaneHeader.MAX_NAME_WIDTH + 40  # cut short beyond a maximum


def test_month_precision_is_drawn_as_a_bracket_not_a_point(widget) -> None:
    widget.zoom_to(utc(2015, 5), utc(2015, 8))
    frame = widget.events_item.frame()
    index = widget.canvas.columns.index_of("c")
    i = int(np.flatnonzero(frame.event == index)[0])
    assert frame.x_end[i] - frame.x_start[i] > 100  # the whole of June
    assert frame.x[i] == pytest.approx((frame.x_start[i] + frame.x_end[i]) / 2)


def test_density_takes_over_at_100k_events_and_hover_counts(qtbot) -> None:
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    timeline.resize(WIDTH, HEIGHT)
    timeline.show()
    columns = many_events(100_000, seed=2)
    timeline.set_events(columns)
    timeline.fit_all()
    frame = timeline.events_item.frame()
    assert frame.dense.all() and frame.image is not None
    assert frame.row.size == 0  # not one mark per event
    layout = frame.layout
    x = frame.width / 2
    y = layout.lane_top[3] + layout.lane_height / 2
    hit = timeline.hit_at(widget_point(timeline, x, y))
    assert hit is not None and hit.kind == "density" and hit.count > 0
    assert f"{hit.count:,} events" in timeline.tool_tip_at(widget_point(timeline, x, y))
    assert colour_pixels(timeline.grab().toImage(), columns.category_colours[3], 60) > 100
    # Zoomed in to a week, the same data is drawn event by event again.
    timeline.zoom_to(utc(2010, 3, 1), utc(2010, 3, 8))
    frame = timeline.events_item.frame()
    assert not frame.dense.any() and frame.row.size > 0


def test_eras_are_drawn_and_named(widget) -> None:
    widget.set_eras(
        [
            EraRecord(
                "p",
                "Second presidency",
                "2012",
                None,
                "#6FA8DC",
                "Russia",
                int(utc(2012)),
                int(utc(2018)),
            ),
            EraRecord(
                "r", "Rouhani", "2013", None, "#F1C232", "Iran", int(utc(2013)), int(utc(2021))
            ),
        ]
    )
    layout = widget.canvas.layout()
    assert layout.era_rows == 2 and layout.lanes_top > 30
    x = widget.viewbox.width() / 2
    assert "Second presidency" in widget.tool_tip_at(
        widget_point(widget, x, layout.era_row_top(0) + 5)
    )
    alpha = STRIP_ALPHA_LIGHT / 255  # the strip is the era's colour, translucent on white
    strip = QtGui.QColor(*(round(255 * (1 - alpha) + c * alpha) for c in (0xF1, 0xC2, 0x32)))
    assert colour_pixels(widget.grab().toImage(), strip.name(), 6) > 2000


# -- export -------------------------------------------------------------------------------------
def test_render_timeline_paints_any_size_with_its_own_layout(widget) -> None:
    state = widget.state()
    big = QtGui.QImage(2400, 1400, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    big.fill(0)
    painter = QtGui.QPainter(big)
    render_timeline(painter, QtCore.QRectF(0, 0, 2400, 1400), state, size=QtCore.QSizeF(1200, 700))
    painter.end()
    for colour in state.columns.category_colours:
        assert colour_pixels(big, colour, 20) > 100
    small = QtGui.QImage(640, 360, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    painter = QtGui.QPainter(small)
    render_timeline(painter, QtCore.QRectF(0, 0, 640, 360), state)
    painter.end()
    assert colour_pixels(small, state.columns.category_colours[1], 30) > 20
    assert widget.visible_range() == pytest.approx(state.x_range)  # the widget is untouched


def test_render_timeline_to_svg_is_vector(widget, tmp_path) -> None:
    svg = pytest.importorskip("PySide6.QtSvg")
    path = tmp_path / "chart.svg"
    generator = svg.QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QtCore.QSize(1200, 700))
    generator.setViewBox(QtCore.QRect(0, 0, 1200, 700))
    painter = QtGui.QPainter(generator)
    render_timeline(painter, QtCore.QRectF(0, 0, 1200, 700), widget.state())
    painter.end()
    text = path.read_text(encoding="utf-8")
    assert "Moscow summit" in text and "Military" in text  # titles and lanes are text
    assert "<image" not in text  # markers, bars and labels are shapes, not pictures
    assert text.count("<circle") + text.count("<path") >= 5
