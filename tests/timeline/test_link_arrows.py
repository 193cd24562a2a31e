"""Links drawn as arrows: where both ends show, never a hairball, dragged out with Alt."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from test_view import drag, marker_of, viewport_point, widget_point
from timeline_builders import many_events, utc

from timeline_app.timeline.link_arrows import MAX_ARROWS
from timeline_app.timeline.view import TimelineWidget, render_timeline

Qt = QtCore.Qt
WIDTH, HEIGHT = 1200, 700
LINKS = [("a", "h", "led_to"), ("h", "i", "responded_to"), ("c", "j", "part_of")]


@pytest.fixture
def timeline(qtbot, sample_columns) -> TimelineWidget:
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(WIDTH, HEIGHT)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_events(sample_columns)
    widget.set_links(LINKS)
    widget.zoom_to(utc(2015), utc(2017))
    QtWidgets.QApplication.processEvents()
    return widget


def drawn(widget: TimelineWidget) -> list[tuple[str, str]]:
    """(from, to) of the arrows drawn, found back from where they start and end."""
    plan = widget.links_item.plan()
    frame = widget.events_item.frame()
    ids = widget.canvas.columns.ids

    def nearest(point: np.ndarray) -> str:
        distance = np.hypot(frame.x - point[0], frame.y - point[1])
        return str(ids[frame.event[int(np.argmin(distance))]])

    return sorted((nearest(a), nearest(b)) for a, b in zip(plan.start, plan.tip, strict=True))


def test_arrows_join_events_both_in_view_and_only_those(timeline) -> None:
    assert drawn(timeline) == [("a", "h"), ("c", "j"), ("h", "i")]
    timeline.zoom_to(utc(2015), utc(2016, 3))  # the trade forum (j) is out of view
    QtWidgets.QApplication.processEvents()
    assert drawn(timeline) == [("a", "h"), ("h", "i")]
    timeline.set_links_visible(False)
    image_hidden = timeline.plot.grab().toImage()
    timeline.set_links_visible(True)
    image_shown = timeline.plot.grab().toImage()
    assert image_hidden != image_shown


def test_the_selected_events_links_are_highlighted(timeline) -> None:
    timeline.set_selection(["i"])
    plan = timeline.links_item.plan()
    assert plan.highlighted.tolist() == [False, False, True]  # highlighted drawn last, on top


def test_many_links_in_view_are_hidden_but_the_selected_events_are_drawn(qtbot) -> None:
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(WIDTH, HEIGHT)
    widget.show()
    qtbot.waitExposed(widget)
    columns = many_events(300, categories=4)
    widget.set_events(columns)
    widget.fit_all()
    QtWidgets.QApplication.processEvents()
    ids = columns.ids.tolist()
    widget.set_links([(ids[i], ids[i + 7], "led_to") for i in range(0, 280, 2)])
    plan = widget.links_item.plan()
    assert plan.count == 0 and plan.hidden > MAX_ARROWS
    with_note = widget.plot.grab().toImage()
    widget.links_item.says_hidden = False  # as in an export
    widget.links_item.update()
    assert widget.plot.grab().toImage() != with_note  # the note said how many were hidden
    widget.links_item.says_hidden = True
    widget.set_selection([ids[100]])
    plan = widget.links_item.plan()
    assert plan.count >= 1 and plan.highlighted.all()
    assert plan.count + plan.hidden > MAX_ARROWS


def test_alt_drag_from_one_marker_to_another_asks_the_kind(qtbot, timeline) -> None:
    start = viewport_point(timeline, *marker_of(timeline, "a"))
    end = viewport_point(timeline, *marker_of(timeline, "b"))
    drag(qtbot, timeline, start, end, modifiers=Qt.KeyboardModifier.AltModifier)
    menu = timeline._menu
    assert menu is not None and menu.isVisible()
    texts = [action.text() for action in menu.actions() if action.data()]
    assert texts[0] == "led to “Joint naval drill”"
    assert timeline.links_item.drag is None  # the rubber arrow is gone
    with qtbot.waitSignal(timeline.linkRequested) as blocker:
        next(a for a in menu.actions() if a.data() == "responded_to").trigger()
    menu.close()
    assert blocker.args == ["a", "b", "responded_to"]


def test_alt_drag_shows_a_rubber_arrow_and_nothing_from_empty_space(qtbot, timeline) -> None:
    start = viewport_point(timeline, *marker_of(timeline, "a"))
    seen: list[object] = []
    timeline.viewbox.linkDragged.connect(lambda *_args: seen.append(timeline.links_item.drag))
    drag(
        qtbot,
        timeline,
        start,
        start + QtCore.QPoint(80, 40),
        modifiers=Qt.KeyboardModifier.AltModifier,
    )
    assert any(item is not None for item in seen[:-1])
    assert timeline._menu is None  # released over nothing: no link asked for
    empty = viewport_point(timeline, 5, 5)
    before = timeline.visible_range()
    drag(
        qtbot,
        timeline,
        empty,
        empty + QtCore.QPoint(60, 0),
        modifiers=Qt.KeyboardModifier.AltModifier,
    )
    assert timeline.links_item.drag is None and timeline._menu is None
    assert timeline.visible_range() != before  # from empty space Alt+drag still pans


def test_an_exported_chart_draws_the_arrows_the_state_carries(timeline) -> None:
    state = timeline.state()
    assert set(state.links) == set(LINKS)

    def render(links) -> QtGui.QImage:
        image = QtGui.QImage(800, 450, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        painter = QtGui.QPainter(image)
        render_timeline(
            painter,
            QtCore.QRectF(0, 0, 800, 450),
            state.__class__(
                **{**{f: getattr(state, f) for f in state.__dataclass_fields__}, "links": links}
            ),
        )
        painter.end()
        return image

    assert render(state.links) != render(())
    timeline.set_links_visible(False)
    assert timeline.state().links == ()


def test_hovering_an_arrow_says_which_events_it_links(timeline) -> None:
    plan = timeline.links_item.plan()
    index = [str(timeline.canvas.columns.ids[i]) for i in plan.from_event].index("a")
    start, tip = plan.start[index], plan.tip[index]
    middle_x = (start[0] + tip[0]) / 2
    # the arrow bows above the straight line between its ends: find it on that column
    found = [
        timeline.tool_tip_at(widget_point(timeline, middle_x, y))
        for y in np.arange(max(start[1] - 80, 0), start[1], 1.0)
    ]
    assert "<b>Moscow summit</b> led to <b>Visit to Tehran</b>" in found
    assert timeline.tool_tip_at(widget_point(timeline, middle_x, start[1] + 40)) == ""
