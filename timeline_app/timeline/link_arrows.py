"""Links between events drawn as arrows from one marker to the other, never as a hairball.

An arrow is drawn only where the chart draws both of its events as marks of their own (not
density strips) inside the view, and the two are far enough apart to tell the arrow from
its markers. When more than MAX_ARROWS would be drawn, only those of the selected events
are, and a quiet note in the corner says how many are hidden. Arrows of the selected events
are drawn in the selection colour, over the others.

Painting is in bulk: one path per kind of link and emphasis (dash pattern per kind), one
filled path of arrow heads per emphasis — a handful of draw calls for any number of links.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from timeline_app.domain.evidence import LINK_WORDS, LinkKind
from timeline_app.timeline.guarded import guarded_paint
from timeline_app.timeline.layout import SPAN_BAR
from timeline_app.timeline.lookup import mask_of_ids
from timeline_app.timeline.theme import Theme

if TYPE_CHECKING:
    from timeline_app.timeline.view import TimelineState

MAX_ARROWS = 40
"""More links than this in view: only the selected events' are drawn."""
MIN_LENGTH = 14.0
"""Pixels between two markers below which an arrow would hide under them."""
HEAD_LENGTH = 7.0
HEAD_HALF_WIDTH = 3.5
KINDS: tuple[LinkKind, ...] = tuple(LinkKind)
_DASHES: dict[LinkKind, list[float] | None] = {
    LinkKind.LED_TO: None,
    LinkKind.RESPONDED_TO: [5.0, 3.0],
    LinkKind.PART_OF: [1.2, 2.4],
    LinkKind.CONTRADICTS: [6.0, 2.5, 1.2, 2.5],
    LinkKind.SAME_AS: [2.5, 2.5],
}
"""The dash pattern of each kind (in pen widths); None is a solid line."""
HEADLESS = frozenset({LinkKind.SAME_AS})
"""Kinds that read the same both ways get no arrow head."""


def link_pen(kind: LinkKind, colour: QtGui.QColor, width: float) -> QtGui.QPen:
    """The pen of a link of this kind (also the legend's key)."""
    pen = QtGui.QPen(colour, width)
    pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
    dashes = _DASHES[kind]
    if dashes is not None:
        pen.setDashPattern(dashes)
    return pen


def arrow_colours(theme: Theme) -> tuple[QtGui.QColor, QtGui.QColor]:
    """(ordinary, highlighted) arrow colours of a theme."""
    ordinary = QtGui.QColor(theme.text_muted)
    ordinary.setAlpha(200)
    return ordinary, QtGui.QColor(theme.selection)


def draw_link_key(
    painter: QtGui.QPainter,
    start: QtCore.QPointF,
    end: QtCore.QPointF,
    kind: LinkKind,
    colour: QtGui.QColor,
    width: float,
) -> None:
    """A short straight arrow of `kind` from `start` to `end` (the legend's key)."""
    path = QtGui.QPainterPath()
    heads = QtGui.QPainterPath()
    _add_arrow(path, heads, start, start, end, end, kind, width / 1.3)
    painter.save()
    painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    painter.setPen(link_pen(kind, colour, width))
    painter.drawPath(path)
    painter.setPen(QtCore.Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawPath(heads)
    painter.restore()


def _add_arrow(
    path: QtGui.QPainterPath,
    heads: QtGui.QPainterPath,
    start: QtCore.QPointF,
    control_1: QtCore.QPointF,
    control_2: QtCore.QPointF,
    tip: QtCore.QPointF,
    kind: LinkKind,
    scale: float = 1.0,
) -> None:
    """Add a curve from `start` to `tip` (and its head, pointing along the curve's end)."""
    behind = start if control_2 == tip else control_2  # a straight arrow points from start
    dx, dy = tip.x() - behind.x(), tip.y() - behind.y()
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm, dy / norm
    length, half = HEAD_LENGTH * scale, HEAD_HALF_WIDTH * scale
    headless = kind in HEADLESS
    # the line stops inside the head, so a dashed line does not poke through its tip
    end = (
        tip
        if headless
        else QtCore.QPointF(tip.x() - ux * length * 0.6, tip.y() - uy * length * 0.6)
    )
    path.moveTo(start)
    if control_1 == start and control_2 == tip:
        path.lineTo(end)
    else:
        path.cubicTo(control_1, control_2, end)
    if headless:
        return
    base_x, base_y = tip.x() - ux * length, tip.y() - uy * length
    heads.moveTo(tip)
    heads.lineTo(base_x - uy * half, base_y + ux * half)
    heads.lineTo(base_x + uy * half, base_y - ux * half)
    heads.closeSubpath()


@dataclass(frozen=True, slots=True, eq=False)
class ArrowPlan:
    """The arrows of one frame, in chart pixels; `hidden`: links in view not drawn."""

    start: np.ndarray  # n × 2
    tip: np.ndarray  # n × 2
    start_radius: np.ndarray
    tip_radius: np.ndarray
    kind: np.ndarray  # index into KINDS
    highlighted: np.ndarray
    hidden: int
    from_event: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    to_event: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    """Column indices of each arrow's two events."""

    @property
    def count(self) -> int:
        return int(self.kind.shape[0])


class LinksItem(pg.GraphicsObject):
    """Draws the links between the events the chart shows; also the arrow being dragged out
    while the user links two events."""

    def __init__(self, canvas: object, events_item: object) -> None:
        super().__init__()
        self._canvas = canvas
        self._events_item = events_item
        self._from: list[str] = []
        self._to: list[str] = []
        self._kinds = np.zeros(0, dtype=np.int64)
        self._version = 0
        self._resolved: tuple[object, int, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._plan: tuple[tuple, ArrowPlan] | None = None
        self.shown = True
        self.says_hidden = True
        """Whether to say, in the corner, how many links are hidden (not in exports, where
        the legend says it and no one can select an event)."""
        self.drag: tuple[QtCore.QPointF, QtCore.QPointF] | None = None
        """The arrow being dragged out (chart pixels), or None."""
        self._font = QtGui.QFont()
        self._font.setPointSizeF(7.5)
        self.setAcceptedMouseButtons(QtCore.Qt.MouseButton.NoButton)
        self.overlay: LinkOverlay | None = None
        self._path_cache: (
            tuple[
                ArrowPlan,
                dict[tuple[int, bool], QtGui.QPainterPath],
                dict[bool, QtGui.QPainterPath],
            ]
            | None
        ) = None

    def boundingRect(self) -> QtCore.QRectF:
        width, height = self._canvas.size()
        return QtCore.QRectF(0, 0, width, height)

    # -- data -------------------------------------------------------------------------------
    def set_links(self, links: list[tuple[str, str, str]]) -> None:
        """(from id, to id, kind) of every link; those whose ends are not drawn are skipped."""
        if links == self.links():
            return  # read again after an edit that left them alone: nothing to work out
        self._from = [str(link[0]) for link in links]
        self._to = [str(link[1]) for link in links]
        self._kinds = np.asarray([KINDS.index(LinkKind(link[2])) for link in links], np.int64)
        self._version += 1
        self._resolved = None
        self._plan = None
        self.update()

    def links(self) -> list[tuple[str, str, str]]:
        return [
            (first, second, KINDS[int(kind)].value)
            for first, second, kind in zip(self._from, self._to, self._kinds, strict=True)
        ]

    def _ends(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Column indices of each link's two events (links with an end not in the columns
        are dropped) and their kinds; worked out once per columns."""
        columns = self._canvas.columns
        resolved = self._resolved
        if resolved is not None and resolved[0] is columns and resolved[1] == self._version:
            return resolved[2], resolved[3], resolved[4]
        empty = np.zeros(0, dtype=np.int64)
        first, second, kinds = empty, empty, empty
        if self._from and len(columns):
            found = np.flatnonzero(mask_of_ids(columns, set(self._from) | set(self._to)))
            where = dict(zip(columns.ids[found].tolist(), found.tolist(), strict=True))
            first = np.asarray([where.get(e, -1) for e in self._from], np.int64)
            second = np.asarray([where.get(e, -1) for e in self._to], np.int64)
            keep = (first >= 0) & (second >= 0)
            first, second, kinds = first[keep], second[keep], self._kinds[keep]
        self._resolved = (columns, self._version, first, second, kinds)
        return first, second, kinds

    # -- planning ---------------------------------------------------------------------------
    def plan(self) -> ArrowPlan:
        """The arrows to draw in the current frame (cached until the frame or links change)."""
        frame = self._events_item.frame()
        key = (frame.key, self._version, id(self._canvas.columns))
        if self._plan is not None and self._plan[0] == key:
            return self._plan[1]
        plan = self._make_plan(frame)
        self._plan = (key, plan)
        return plan

    def _make_plan(self, frame: object) -> ArrowPlan:
        first, second, kinds = self._ends()
        nothing = ArrowPlan(
            np.zeros((0, 2)), np.zeros((0, 2)), np.zeros(0), np.zeros(0), np.zeros(0, np.int64),
            np.zeros(0, bool), 0,
        )  # fmt: skip
        if not first.size or not frame.event.size:
            return nothing
        # one anchor per drawn event (an event drawn in several lanes: its first mark)
        order = np.argsort(frame.event, kind="stable")
        events = frame.event[order]
        unique, first_at = np.unique(events, return_index=True)
        marks = order[first_at]
        span = frame.is_span[marks]
        x = np.where(span, np.clip(frame.x_start[marks], 0.0, frame.width), frame.x[marks])
        y = np.where(span, frame.y[marks] + SPAN_BAR / 2, frame.y[marks])
        radius = np.where(span, 2.0, frame.diameter[marks] / 2)

        def anchor(events_of_links: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            at = np.searchsorted(unique, events_of_links)
            at = np.minimum(at, unique.size - 1)
            return at, unique[at] == events_of_links

        at_from, drawn_from = anchor(first)
        at_to, drawn_to = anchor(second)
        inside = drawn_from & drawn_to
        inside &= (x[at_from] >= 0) & (x[at_from] <= frame.width)
        inside &= (x[at_to] >= 0) & (x[at_to] <= frame.width)
        length = np.hypot(x[at_to] - x[at_from], y[at_to] - y[at_from])
        inside &= length >= MIN_LENGTH
        selected = self._canvas.selected
        highlighted = (
            selected[first] | selected[second]
            if selected.shape[0] == len(self._canvas.columns)
            else np.zeros(first.shape[0], bool)
        )
        in_view = int(inside.sum())
        chosen = inside if in_view <= MAX_ARROWS else inside & highlighted
        hidden = in_view - int(chosen.sum())
        pick = np.flatnonzero(chosen)
        # ordinary arrows first, so the highlighted ones are drawn over them
        pick = pick[np.argsort(highlighted[pick], kind="stable")]
        return ArrowPlan(
            start=np.column_stack([x[at_from[pick]], y[at_from[pick]]]),
            tip=np.column_stack([x[at_to[pick]], y[at_to[pick]]]),
            start_radius=radius[at_from[pick]],
            tip_radius=radius[at_to[pick]],
            kind=kinds[pick],
            highlighted=highlighted[pick],
            hidden=hidden,
            from_event=first[pick],
            to_event=second[pick],
        )

    def link_at(self, x: float, y: float, reach: float = 4.0) -> tuple[int, int, LinkKind] | None:
        """The arrow drawn within `reach` pixels of (x, y), as (from event, to event, kind)
        column indices; the highlighted ones (drawn on top) first."""
        if not self.shown:
            return None
        plan = self.plan()
        best: tuple[float, int] | None = None
        for index in range(plan.count):
            points = _curve(
                plan.start[index], plan.tip[index], plan.start_radius[index], plan.tip_radius[index]
            )
            p = np.asarray([(point.x(), point.y()) for point in points])
            # a sample every pixel or two along the curve (it is never much longer than this)
            longest = float(np.hypot(*(p[3] - p[0]))) + 2 * float(np.abs(p[1, 1] - p[0, 1]))
            steps = np.linspace(0.0, 1.0, max(int(longest / 1.5), 8))[:, None]
            curve = (
                (1 - steps) ** 3 * p[0]
                + 3 * (1 - steps) ** 2 * steps * p[1]
                + 3 * (1 - steps) * steps**2 * p[2]
                + steps**3 * p[3]
            )
            distance = float(np.min(np.hypot(curve[:, 0] - x, curve[:, 1] - y)))
            if distance <= reach and (best is None or distance <= best[0]):
                best = (distance, index)
        if best is None:
            return None
        index = best[1]
        return int(plan.from_event[index]), int(plan.to_event[index]), KINDS[int(plan.kind[index])]

    # -- painting ---------------------------------------------------------------------------
    @guarded_paint
    def paint(self, painter: QtGui.QPainter, *args: object) -> None:
        theme = self._canvas.theme
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        if self.shown:
            plan = self.plan()
            if plan.count:
                self._paint_arrows(painter, plan, theme)

    def _paths(
        self, plan: ArrowPlan
    ) -> tuple[dict[tuple[int, bool], QtGui.QPainterPath], dict[bool, QtGui.QPainterPath]]:
        """The plan's curves, one path per (kind, highlighted), and its heads, one path per
        emphasis; made once per plan (the lines and the heads are painted by two items)."""
        cached = self._path_cache
        if cached is not None and cached[0] is plan:
            return cached[1], cached[2]
        paths: dict[tuple[int, bool], QtGui.QPainterPath] = {}
        heads = {False: QtGui.QPainterPath(), True: QtGui.QPainterPath()}
        for index in range(plan.count):
            kind_index = int(plan.kind[index])
            emphasis = bool(plan.highlighted[index])
            path = paths.setdefault((kind_index, emphasis), QtGui.QPainterPath())
            start, control_1, control_2, tip = _curve(
                plan.start[index], plan.tip[index], plan.start_radius[index], plan.tip_radius[index]
            )
            _add_arrow(
                path,
                heads[emphasis],
                start,
                control_1,
                control_2,
                tip,
                KINDS[kind_index],
                1.3 if emphasis else 1.0,
            )
        self._path_cache = (plan, paths, heads)
        return paths, heads

    def _paint_arrows(self, painter: QtGui.QPainter, plan: ArrowPlan, theme: Theme) -> None:
        ordinary, highlighted = arrow_colours(theme)
        paths, _heads = self._paths(plan)
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        for emphasis in (False, True):
            colour = highlighted if emphasis else ordinary
            for (kind_index, this_emphasis), path in paths.items():
                if this_emphasis == emphasis:
                    painter.setPen(link_pen(KINDS[kind_index], colour, 2.0 if emphasis else 1.3))
                    painter.drawPath(path)

    def _paint_heads(self, painter: QtGui.QPainter, plan: ArrowPlan, theme: Theme) -> None:
        """Arrow heads go over the titles: a head under its target's title would leave the
        reader guessing which way the link points."""
        _paths, heads = self._paths(plan)
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        for emphasis, colour in zip((False, True), arrow_colours(theme), strict=True):
            if not heads[emphasis].isEmpty():
                painter.setBrush(colour)
                painter.drawPath(heads[emphasis])

    def paint_overlay(self, painter: QtGui.QPainter) -> None:
        """What goes over the markers and titles: the arrow heads, the note on hidden links,
        the arrow being dragged out (painted by `LinkOverlay`, which stacks above them)."""
        theme = self._canvas.theme
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        if self.shown:
            plan = self.plan()
            if plan.count:
                self._paint_heads(painter, plan, theme)
            if plan.hidden and self.says_hidden:
                self._paint_note(painter, plan.hidden, plan.count > 0, theme)
        if self.drag is not None:
            self._paint_drag(painter, theme)

    def update(self, *args: object) -> None:
        super().update(*args)
        if self.overlay is not None:
            self.overlay.update()

    def _paint_note(self, painter: QtGui.QPainter, hidden: int, others: bool, theme: Theme) -> None:
        noun = "link" if hidden == 1 else "links"
        text = (
            f"{hidden} other {noun} hidden — zoom in to see them"
            if others
            else f"{hidden} {noun} hidden — zoom in, or select an event to see its links"
        )
        metrics = QtGui.QFontMetricsF(self._font)
        width, height = self._canvas.size()
        box = QtCore.QRectF(0, 0, metrics.horizontalAdvance(text) + 10, metrics.height() + 4)
        box.moveBottomRight(QtCore.QPointF(width - 4, height - 3))
        painter.setFont(self._font)
        halo = QtGui.QColor(theme.plot)
        halo.setAlpha(220)
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(halo)
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(QtGui.QColor(theme.text_muted))
        painter.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, text)

    def _paint_drag(self, painter: QtGui.QPainter, theme: Theme) -> None:
        assert self.drag is not None
        start, end = self.drag
        colour = QtGui.QColor(theme.selection)
        path = QtGui.QPainterPath()
        heads = QtGui.QPainterPath()
        _add_arrow(path, heads, start, start, end, end, LinkKind.LED_TO, 1.2)
        pen = QtGui.QPen(colour, 1.8)
        pen.setDashPattern([4.0, 3.0])
        painter.setPen(pen)
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPath(heads)


class LinkOverlay(pg.GraphicsObject):
    """Stacked over the markers and titles: paints what `LinksItem.paint_overlay` paints."""

    def __init__(self, links_item: LinksItem) -> None:
        super().__init__()
        self._links_item = links_item
        links_item.overlay = self
        self.setAcceptedMouseButtons(QtCore.Qt.MouseButton.NoButton)

    def boundingRect(self) -> QtCore.QRectF:
        return self._links_item.boundingRect()

    @guarded_paint
    def paint(self, painter: QtGui.QPainter, *args: object) -> None:
        self._links_item.paint_overlay(painter)


def _curve(
    start: np.ndarray, tip: np.ndarray, start_radius: float, tip_radius: float
) -> tuple[QtCore.QPointF, QtCore.QPointF, QtCore.QPointF, QtCore.QPointF]:
    """A curve bowing to the left of its direction from one marker's edge to the other's:
    rightwards (later) arrows arch above a lane's line of markers, leftwards ones below it,
    upright ones (events at one date in different lanes) bow sideways instead of lying on a
    grid line, and two arrows between the same events (one each way) bow apart."""
    ax, ay = float(start[0]), float(start[1])
    bx, by = float(tip[0]), float(tip[1])
    dx, dy = bx - ax, by - ay
    distance = math.hypot(dx, dy) or 1.0
    rise = min(max(distance * 0.22, 12.0), 60.0)
    nx, ny = dy / distance * rise, -dx / distance * rise  # the chord turned a quarter left
    control_1 = QtCore.QPointF(ax + dx / 3 + nx, ay + dy / 3 + ny)
    control_2 = QtCore.QPointF(bx - dx / 3 + nx, by - dy / 3 + ny)

    def towards(x: float, y: float, target: QtCore.QPointF, gap: float) -> QtCore.QPointF:
        dx, dy = target.x() - x, target.y() - y
        norm = math.hypot(dx, dy) or 1.0
        return QtCore.QPointF(x + dx / norm * gap, y + dy / norm * gap)

    return (
        towards(ax, ay, control_1, start_radius + 1.5),
        control_1,
        control_2,
        towards(bx, by, control_2, tip_radius + 2.0),
    )


def link_label(kind: LinkKind | str) -> str:
    """The kind in words, as the legend and the kind menu name it ("led to")."""
    return LINK_WORDS[LinkKind(kind)][0]


# ---- the legend of an exported image --------------------------------------------------------


def links_in_range(state: TimelineState) -> tuple[list[LinkKind], int]:
    """The kinds of the links a chart of `state` shows (both ends shown and in its range),
    in legend order, and how many such links there are. The chart itself decides by pixels
    (events in density strips draw no arrows); this is the count a legend can afford."""
    if not state.links or not len(state.columns):
        return [], 0
    columns = state.columns
    wanted = {event_id for link in state.links for event_id in link[:2]}
    found = np.flatnonzero(mask_of_ids(columns, wanted))
    lower, upper = state.x_range
    end = columns.drawn_end(time.time())
    shown = (columns.start[found] <= upper) & (end[found] >= lower)
    if state.mask is not None:
        shown &= state.mask[found]
    visible = {str(event_id) for event_id in columns.ids[found[shown]].tolist()}
    kinds = [LinkKind(kind) for first, second, kind in state.links if {first, second} <= visible]
    return [kind for kind in KINDS if kind in kinds], len(kinds)


def link_legend_lines(state: TimelineState) -> int:
    """Rows the legend needs for the links (0 or 1)."""
    return 1 if links_in_range(state)[1] else 0


def paint_link_legend(
    painter: QtGui.QPainter,
    state: TimelineState,
    theme: Theme,
    font: QtGui.QFont,
    left: float,
    centre_y: float,
    scale: float,
) -> None:
    """One legend row: "Links:" and a key arrow per kind shown ("→ led to"), or, when too
    many links are in range to draw without a selection, how many were left out."""
    kinds, count = links_in_range(state)
    if not count:
        return
    metrics = QtGui.QFontMetricsF(font)
    painter.save()
    painter.setFont(font)
    muted = QtGui.QColor(theme.text_muted)
    baseline = centre_y + (metrics.ascent() - metrics.descent()) / 2
    painter.setPen(QtGui.QColor(theme.text))
    painter.drawText(QtCore.QPointF(left, baseline), "Links:")
    x = left + metrics.horizontalAdvance("Links:") + 10 * scale
    if count > MAX_ARROWS:
        painter.setPen(muted)
        painter.drawText(
            QtCore.QPointF(x, baseline),
            f"{count} links in range, too many to draw legibly — export a narrower range",
        )
        painter.restore()
        return
    colour = arrow_colours(theme)[0]
    key = 24 * scale
    for kind in kinds:
        draw_link_key(
            painter,
            QtCore.QPointF(x, centre_y),
            QtCore.QPointF(x + key - 4 * scale, centre_y),
            kind,
            colour,
            1.3 * scale,
        )
        painter.setPen(muted)
        label = link_label(kind)
        painter.drawText(QtCore.QPointF(x + key + 2 * scale, baseline), label)
        x += key + metrics.horizontalAdvance(label) + 16 * scale
    painter.restore()
