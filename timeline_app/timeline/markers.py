"""All events of a chart drawn by ONE graphics item, from arrays, with level of detail.

Per frame: find each lane's visible rows by binary search; lanes where marks would smear
(more events than a few pixels each) are drawn as a per-pixel-column density strip (one
small image, counts from `lanes.column_counts`); the other lanes get individual marks:

- a point event is a marker whose shape says its certainty — filled (confirmed), hollow
  (reported), dashed outline (alleged), hatched (disputed) — and whose size says its
  importance. It sits in the middle of the range its date is known to; when that range is
  wider than the marker (a month, a year, or a single day at deep zoom) a faint bracket
  shows the range, so "March 2023" never masquerades as 1 March.
- a span is a bar over its dates, stacked on its own track so overlapping spans stay
  visible; the same certainty cues apply (solid, outlined, dashed).
- what a date says beyond its bounds (`EventColumns.shape`) is drawn too: "one of"
  (`[1990..1994]`) as a marker in the middle of an uncertainty bracket — square ends, bolder
  than a precision bracket, never a bar; "before"/"after" (`[..1990]`, `[1990..]`) as an
  arrow leaving the anchor date towards the open side; an open end (`a/..`) as a bar up to
  now ending in an arrow head; an unknown end (`a/`) as a bar fading out towards now.

Markers are stamped from a pre-rendered sprite atlas in one `drawPixmapFragments` call;
bars and brackets go through `drawRects`/`drawLines` from numpy. Titles are placed by
`labels.place_labels` and drawn as cached `QStaticText`. A frame (everything above, in
pixels) is cached per view range, size and data version, so hover repaints cost almost
nothing. A pan at the same zoom keeps the titles in place (shifted, not placed again) and
copies the marks from a band drawn once per zoom (pan_layer.py). Painting to a vector
device (SVG, PDF) draws every marker as vector shapes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from timeline_app.domain.columns import (
    SHAPE_AFTER,
    SHAPE_BEFORE,
    SHAPE_ONE_OF,
    SHAPE_OPEN_END,
    SHAPE_UNKNOWN_END,
)
from timeline_app.domain.palette import FALLBACK_COLOUR, is_colour
from timeline_app.timeline.guarded import guarded_paint
from timeline_app.timeline.labels import (
    FLAG_OFFSET,
    MAX_CANDIDATES,
    MAX_LABELS,
    PlacedLabels,
    place_labels,
)
from timeline_app.timeline.lanes import column_counts, lane_totals, visible_rows
from timeline_app.timeline.layout import SPAN_BAR, ChartLayout
from timeline_app.timeline.pan_layer import PanLayer, Spot, band_reach, device_scale
from timeline_app.timeline.primitives import PrimitiveArray, draw_lines, draw_rects
from timeline_app.timeline.theme import Theme, mark_colour

MAX_MARKS = 6000  # beyond this many marks in view, the busiest lanes switch to density
PIXELS_PER_EVENT = 3.0  # a lane with more events than width / this is drawn as density
SPANS_PER_TRACK = 4  # a lane whose visible spans would pile deeper than this is density too
BAND_MARKS = 2 * MAX_MARKS  # a pan band holding more marks than this is not drawn: marks are
# drawn per frame instead
MAX_LABEL_WIDTH = 260.0
RETRY_BAND = MAX_LABEL_WIDTH + 60.0  # after a pan, marks this near the edge it uncovers
RETRY_STEP = 40.0  # get their titles tried again each time they move in this far
INLINE_CLEARANCE = 3.0  # pixels between a marker and its title on the same line
LANDMARK = 5  # importance of the events whose titles matter most
MIN_TITLE_CHARACTERS = 8  # a title cut shorter than this (plus "…") is left out instead
MIN_ROOMY_TITLE_CHARACTERS = 18  # the same where lanes have rows to spare
CERTAINTY_STYLES = 4
ARROW = 13.0  # pixels of a before/after arrow beyond its anchor's marker or bracket
ARROW_HEAD = 4.0  # pixels back and to each side of a before/after arrow's tip
OPEN_HEAD = 9.0  # pixels of an open end's arrow head (its tip is at now)
OPEN_HEAD_FLARE = 3.5  # pixels an open end's arrow head stands out above and below its bar
ONE_OF_TICK = 6.0  # pixels up and down of a "one of" bracket's square ends
MARK_MARGIN = 10.0 + ARROW  # marks this far beyond the view may still reach into it
IMPORTANCE_LEVELS = 5
VECTOR_ENGINES = {
    QtGui.QPaintEngine.Type.SVG,
    QtGui.QPaintEngine.Type.Pdf,
    QtGui.QPaintEngine.Type.Picture,
}


def marker_diameter(importance: np.ndarray | int) -> np.ndarray | int:
    """Pixels across a point marker: 7 for importance 1 up to 15 for importance 5."""
    return 5 + 2 * np.clip(importance, 1, IMPORTANCE_LEVELS)


def _qcolour(text: str, alpha: int = 255) -> QtGui.QColor:
    colour = QtGui.QColor(text if is_colour(text) or text.startswith("#") else FALLBACK_COLOUR)
    if alpha != 255:
        colour.setAlpha(alpha)
    return colour


def draw_marker(
    painter: QtGui.QPainter,
    centre: QtCore.QPointF,
    diameter: float,
    colour: QtGui.QColor,
    certainty: int,
    theme: Theme,
) -> None:
    """One point marker; shape encodes certainty so it survives greyscale printing."""
    radius = diameter / 2.0
    background = QtGui.QColor(theme.plot)
    if certainty <= 0:  # confirmed: solid, with a hairline of background to separate
        painter.setPen(QtGui.QPen(background, 1.0))
        painter.setBrush(colour)
        painter.drawEllipse(centre, radius, radius)
        return
    inner = radius - 0.9
    if certainty == 1:  # reported: hollow ring
        painter.setPen(QtGui.QPen(colour, 1.8))
        painter.setBrush(background)
        painter.drawEllipse(centre, inner, inner)
        return
    if certainty == 2:  # alleged: dashed ring
        pen = QtGui.QPen(colour, 1.6)
        pen.setDashPattern([1.6, 1.3])
        pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.setBrush(background)
        painter.drawEllipse(centre, inner, inner)
        return
    # disputed: hatched disc with a thin ring
    painter.setPen(QtCore.Qt.PenStyle.NoPen)
    painter.setBrush(background)
    painter.drawEllipse(centre, inner, inner)
    path = QtGui.QPainterPath()
    path.addEllipse(centre, inner, inner)
    painter.save()
    painter.setClipPath(path, QtCore.Qt.ClipOperation.IntersectClip)
    painter.setPen(QtGui.QPen(colour, 1.1))
    step = 3.0
    offset = -diameter
    while offset < diameter:
        painter.drawLine(
            QtCore.QPointF(centre.x() + offset - radius, centre.y() + radius),
            QtCore.QPointF(centre.x() + offset + radius, centre.y() - radius),
        )
        offset += step
    painter.restore()
    painter.setPen(QtGui.QPen(colour, 1.2))
    painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    painter.drawEllipse(centre, inner, inner)


SHAPE_LEGEND: tuple[tuple[int, str], ...] = (
    (SHAPE_ONE_OF, "one of a range"),
    (SHAPE_BEFORE, "before"),
    (SHAPE_AFTER, "after"),
    (SHAPE_OPEN_END, "ongoing"),
    (SHAPE_UNKNOWN_END, "end unknown"),
)
"""Each shape of date a legend explains, with its words, in the order shown."""


def draw_shape_glyph(
    painter: QtGui.QPainter, centre: QtCore.QPointF, size: float, colour: QtGui.QColor, shape: int
) -> None:
    """A small picture of how one SHAPE_* flag is drawn on the chart, about `size` pixels
    tall and twice as wide around `centre`: a legend's key."""
    x, y = centre.x(), centre.y()
    half = size * 0.75
    unit = size / 11.0
    painter.save()
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    pen = QtGui.QPen(colour, 1.4 * unit)
    painter.setPen(pen)
    painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    if shape == SHAPE_ONE_OF:
        tick, serif = size * 0.45, 2.5 * unit
        painter.drawLine(QtCore.QPointF(x - half, y), QtCore.QPointF(x + half, y))
        for end, inward in ((x - half, serif), (x + half, -serif)):
            painter.drawLine(QtCore.QPointF(end, y - tick), QtCore.QPointF(end, y + tick))
            painter.drawLine(QtCore.QPointF(end, y - tick), QtCore.QPointF(end + inward, y - tick))
            painter.drawLine(QtCore.QPointF(end, y + tick), QtCore.QPointF(end + inward, y + tick))
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(centre, 2.5 * unit, 2.5 * unit)
    elif shape in (SHAPE_BEFORE, SHAPE_AFTER):
        sign = -1.0 if shape == SHAPE_BEFORE else 1.0
        dot = QtCore.QPointF(x - sign * half * 0.6, y)
        tip = x + sign * half
        barb = 3.5 * unit
        painter.drawLine(QtCore.QPointF(dot.x() + sign * 3 * unit, y), QtCore.QPointF(tip, y))
        painter.drawLine(QtCore.QPointF(tip, y), QtCore.QPointF(tip - sign * barb, y - barb))
        painter.drawLine(QtCore.QPointF(tip, y), QtCore.QPointF(tip - sign * barb, y + barb))
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(dot, 3 * unit, 3 * unit)
    elif shape == SHAPE_OPEN_END:
        bar, head = 4 * unit, 6 * unit
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRect(QtCore.QRectF(x - half, y - bar / 2, 2 * half - head, bar))
        painter.drawPolygon(
            QtGui.QPolygonF(
                [
                    QtCore.QPointF(x + half, y),
                    QtCore.QPointF(x + half - head, y - bar / 2 - 2.5 * unit),
                    QtCore.QPointF(x + half - head, y + bar / 2 + 2.5 * unit),
                ]
            )
        )
    elif shape == SHAPE_UNKNOWN_END:
        bar = 4 * unit
        fill_fading(painter, QtCore.QRectF(x - half, y - bar / 2, 2 * half, bar), colour)
    painter.restore()


def fill_fading(painter: QtGui.QPainter, rect: QtCore.QRectF, solid: QtGui.QColor) -> None:
    """Fill `rect` solid for its first quarter, then fading out to nothing at its right end:
    how an unknown end is drawn, on the chart and in the legend."""
    gradient = QtGui.QLinearGradient(rect.left(), 0.0, rect.left() + max(rect.width(), 1.0), 0.0)
    clear = QtGui.QColor(solid)
    clear.setAlpha(0)
    gradient.setColorAt(0.0, solid)
    gradient.setColorAt(0.25, solid)
    gradient.setColorAt(1.0, clear)
    painter.setPen(QtCore.Qt.PenStyle.NoPen)
    painter.setBrush(QtGui.QBrush(gradient))
    painter.drawRect(rect)


class SpriteAtlas:
    """Every marker style (colour × importance × certainty) pre-rendered once in a pixmap."""

    CELL = 20

    def __init__(self) -> None:
        self._key: tuple | None = None
        self.pixmap = QtGui.QPixmap()
        self.source = np.zeros((0, 4))
        self.dpr = 1.0

    @staticmethod
    def style(colour: np.ndarray, importance: np.ndarray, certainty: np.ndarray) -> np.ndarray:
        imp = np.clip(importance.astype(np.int64), 1, IMPORTANCE_LEVELS) - 1
        cert = np.clip(certainty.astype(np.int64), 0, CERTAINTY_STYLES - 1)
        return (colour.astype(np.int64) * IMPORTANCE_LEVELS + imp) * CERTAINTY_STYLES + cert

    def ensure(self, colours: tuple[str, ...], theme: Theme, dpr: float) -> None:
        key = (colours, theme.name, dpr)
        if key == self._key:
            return
        count = len(colours) * IMPORTANCE_LEVELS * CERTAINTY_STYLES
        per_row = 20
        rows = max(math.ceil(count / per_row), 1)
        cell = self.CELL
        pixmap = QtGui.QPixmap(int(per_row * cell * dpr), int(rows * cell * dpr))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(pixmap)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        source = np.zeros((count, 4))
        for index in range(count):
            colour_index, rest = divmod(index, IMPORTANCE_LEVELS * CERTAINTY_STYLES)
            importance, certainty = divmod(rest, CERTAINTY_STYLES)
            col, row = index % per_row, index // per_row
            centre = QtCore.QPointF(col * cell + cell / 2, row * cell + cell / 2)
            draw_marker(
                painter,
                centre,
                float(marker_diameter(importance + 1)),
                _qcolour(colours[colour_index]),
                certainty,
                theme,
            )
            source[index] = (col * cell * dpr, row * cell * dpr, cell * dpr, cell * dpr)
        painter.end()
        self.pixmap, self.source, self.dpr, self._key = pixmap, source, dpr, key


@dataclass(frozen=True, slots=True, eq=False)
class LabelPlan:
    """A frame's titles ready to draw: halo rectangles (view pixels), then per font and pen
    the titles and where their text starts, in pixels from `origin` (seconds) — where a pan
    leaves a kept title, so the next frame reuses its position as is."""

    halos: np.ndarray
    origin: float
    points: list[QtCore.QPointF]  # per title
    groups: list[tuple[QtGui.QFont, QtGui.QPen, list[QtCore.QPointF], list[QtGui.QStaticText]]]


@dataclass(frozen=True, slots=True)
class Hit:
    """What is under the pointer: an event (its index in the columns) or a density column."""

    kind: str  # "event" or "density"
    event: int
    lane: int
    count: int = 1
    lower: float = 0.0
    upper: float = 0.0


@dataclass(eq=False)
class Frame:
    """One view's drawing, in pixels: computed once per range/size/data, painted many times."""

    key: tuple
    lower: float
    upper: float
    width: float
    scale: float
    layout: ChartLayout
    dense: np.ndarray  # per lane
    counts: np.ndarray | None  # lanes × pixel columns, meaningful for dense lanes
    image: QtGui.QImage | None  # one row per dense lane
    image_rows: dict[int, int]  # lane → row of `image`
    row: np.ndarray  # LaneRows indices of the marks
    event: np.ndarray  # column indices of the marks
    lane: np.ndarray
    is_span: np.ndarray
    x: np.ndarray  # marker centre (points) or bar start (spans)
    y: np.ndarray  # marker centre (points) or bar top (spans)
    x_start: np.ndarray  # known range start (points) or bar start (spans)
    x_end: np.ndarray  # known range end (points) or bar end (spans)
    diameter: np.ndarray
    colour: np.ndarray  # category index
    labels: PlacedLabels
    label_event: np.ndarray  # column index of each placed label
    label_text: list[QtGui.QStaticText]
    label_cut: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # per title:
    # cut short to the room it had
    panned: bool = False  # the previous frame showed the same at this zoom, elsewhere
    label_plan: LabelPlan | None = None  # the titles ready to draw, made on first paint
    # After a pan: the previous frame's title positions and which of its titles are kept
    # (the first ones here), so the plan reuses them instead of making them again.
    label_reuse: tuple[LabelPlan, np.ndarray] | None = None

    @property
    def left(self) -> float:
        """Where drawing the marks may stop on the left (bars and brackets are cut there)."""
        return 0.0

    @property
    def right(self) -> float:
        return self.width


@dataclass(frozen=True, slots=True, eq=False)
class Marks:
    """Individual marks in the pixels of a view, reaching from `left` to `right` (beyond the
    view when they are drawn into a band for pans); the fields mean what Frame's do."""

    event: np.ndarray
    lane: np.ndarray
    is_span: np.ndarray
    x: np.ndarray
    y: np.ndarray
    x_start: np.ndarray
    x_end: np.ndarray
    diameter: np.ndarray
    colour: np.ndarray
    left: float
    right: float


def _cover(importance: np.ndarray) -> np.ndarray:
    """The importance of the markers a title on the marker line may run over: only a
    landmark's (importance 5) may, and only over markers two levels less important — the
    reader gets the headline at a glance, and the minor events beneath it come back on zoom."""
    return np.where(importance >= LANDMARK, importance - 2, 0).astype(np.float64)


def _static_text(text: str) -> QtGui.QStaticText:
    static = QtGui.QStaticText(text)
    static.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    static.setPerformanceHint(QtGui.QStaticText.PerformanceHint.AggressiveCaching)
    return static


def _groups(keys: np.ndarray) -> list[np.ndarray]:
    """Indices grouped by equal key: one draw call per colour/style instead of per event."""
    if keys.size == 0:
        return []
    order = np.argsort(keys, kind="stable")
    bounds = np.flatnonzero(np.diff(keys[order])) + 1
    return np.split(order, bounds)


def _clump_ends(
    order: np.ndarray, lane_ids: np.ndarray, left_edge: np.ndarray, right_edge: np.ndarray
) -> np.ndarray:
    """For markers in `order` (by lane, then x): the right end of the run of touching
    markers each one starts, walking right along its lane (a segmented reverse running
    maximum, so no Python loop over the markers)."""
    if order.size == 0:
        return np.empty(0)
    lane = lane_ids[order]
    right = right_edge[order]
    touches = (lane[:-1] == lane[1:]) & (left_edge[order][1:] <= right[:-1] + 1)
    # Runs of touching neighbours, numbered from the right so each run's offset lifts it
    # above every run after it: one running maximum from the right then stays in its run.
    run = np.concatenate([[0], np.cumsum(~touches)])
    rank = run[-1] - run
    lift = float(np.ptp(right)) + 1.0
    lifted = right + rank * lift
    return np.maximum.accumulate(lifted[::-1])[::-1] - rank * lift


def _panned_from(previous: Frame | None, key: tuple) -> Frame | None:
    """`previous` when the frame for `key` shows the same data at the same zoom and size,
    only moved sideways (a pan); else None."""
    if previous is None or previous.key[:2] != key[:2] or previous.key[4:] != key[4:]:
        return None
    span, before = key[3] - key[2], previous.upper - previous.lower
    return previous if abs(span - before) <= 1e-9 * abs(span) else None


def _kept_labels(
    panned: Frame,
    shift: float,
    layout: ChartLayout,
    width: float,
    event: np.ndarray,
    lane_ids: np.ndarray,
    on_screen: np.ndarray,
    was_on_screen: np.ndarray,
    entering: np.ndarray,
) -> tuple[PlacedLabels, np.ndarray, np.ndarray, np.ndarray]:
    """After a pan by `shift` pixels: the previous frame's titles that still hold, shifted;
    which of them they are; their lanes; and which marks still need a try at a title —
    those not settled before (new in view, or near the edge the view moves towards), those
    out of a density strip, and those whose title the pan pushed against an edge."""
    old = panned.labels
    left = old.left + shift
    lanes = max(layout.lane_count, 1)
    if len(old) and layout.lane_height > 0:
        label_lane = ((old.top + old.height / 2 - layout.lanes_top) // layout.lane_height).astype(
            np.int64
        )
    else:
        label_lane = np.zeros(len(old), dtype=np.int64)
    mark_key = event.astype(np.int64) * lanes + lane_ids
    label_key = panned.label_event.astype(np.int64) * lanes + label_lane
    order = np.argsort(mark_key, kind="stable")
    found = np.zeros(len(old), dtype=bool)
    mark = np.zeros(len(old), dtype=np.int64)
    if order.size and len(old):
        at = np.minimum(np.searchsorted(mark_key[order], label_key), order.size - 1)
        mark = order[at]
        found = mark_key[mark] == label_key
    keep = found & on_screen[mark] & (left >= 0) & (left + old.width <= width)
    if panned.label_cut.shape[0] == len(old):  # near the edge, a cut title may now fit whole
        keep &= ~(panned.label_cut & entering[mark])
    fresh = on_screen & ~was_on_screen
    if panned.dense.shape[0] == layout.lane_count:
        fresh |= on_screen & panned.dense[lane_ids]
    fresh[mark[found & ~keep]] = True
    fresh[mark[keep]] = False  # a title kept is not placed twice
    kept = np.flatnonzero(keep)
    placed = PlacedLabels(
        index=np.arange(kept.size, dtype=np.int64),
        left=left[kept],
        top=old.top[kept],
        width=old.width[kept],
        height=old.height[kept],
    )
    return placed, kept, label_lane[kept], fresh


class EventsItem(pg.GraphicsObject):
    """Draws every visible event of the chart; also answers "what is at this pixel?"."""

    def __init__(self, canvas: object, parent: pg.GraphicsObject | None = None) -> None:
        super().__init__(parent)
        self._canvas = canvas
        self._frame: Frame | None = None
        self._atlas = SpriteAtlas()
        self._titles: dict[tuple[int, bool], tuple[QtGui.QStaticText, float, float]] = {}
        self._titles_version = -1
        self._fragments = None
        self._bracket_pens: dict[tuple[int, str], QtGui.QPen] = {}
        self._span_styles: dict[tuple[int, int], tuple[QtGui.QPen, QtGui.QBrush]] = {}
        self._pan_layer = PanLayer()
        self._colour_cache: tuple[tuple, tuple[str, ...], list[QtGui.QColor]] | None = None
        self.hover: Hit | None = None
        self.rubber_band: QtCore.QRectF | None = None
        self.setAcceptedMouseButtons(QtCore.Qt.MouseButton.NoButton)

    def boundingRect(self) -> QtCore.QRectF:
        width, height = self._canvas.size()
        return QtCore.QRectF(0, 0, width, height)

    def forget_titles(self) -> None:
        """Titles may have changed (events were edited): rebuild their cached text."""
        self._titles.clear()

    # -- frame ------------------------------------------------------------------------------
    def frame(self) -> Frame:
        canvas = self._canvas
        lower, upper = canvas.x_range()
        width, height = canvas.size()
        key = (
            canvas.version,
            canvas.selection_version,
            lower,
            upper,
            width,
            height,
            canvas.theme.name,
            canvas.show_labels,
        )
        previous = self._frame
        if previous is None or previous.key != key:
            self._frame = self._compute(key, lower, upper, width, _panned_from(previous, key))
        return self._frame

    def _metrics(self, inline: bool) -> QtGui.QFontMetricsF:
        canvas = self._canvas
        return canvas.inline_metrics if inline else canvas.label_metrics

    def _title(
        self, event: int, limit: float, inline: bool
    ) -> tuple[QtGui.QStaticText, float, float]:
        """The title as drawn (cut to `limit`), its width, and the width of its shortest
        acceptable cut (MIN_TITLE_CHARACTERS, or MIN_ROOMY_TITLE_CHARACTERS in roomy lanes,
        and "…"); `inline` titles (in thin lanes) use the smaller font."""
        cached = self._titles.get((event, inline))
        if cached is None:
            metrics = self._metrics(inline)
            title = str(self._canvas.columns.titles[event])
            text = metrics.elidedText(title, QtCore.Qt.TextElideMode.ElideRight, limit)
            width = metrics.horizontalAdvance(text)
            keep = MIN_TITLE_CHARACTERS if inline else MIN_ROOMY_TITLE_CHARACTERS
            stem = title[:keep].rstrip()
            shortest = (
                min(metrics.horizontalAdvance(stem + "…"), width) if len(title) > keep else width
            )
            cached = (_static_text(text), width, shortest)
            self._titles[(event, inline)] = cached
        return cached

    def _compute(
        self, key: tuple, lower: float, upper: float, width: float, panned: Frame | None = None
    ) -> Frame:
        """The frame for this view; `panned`: the previous one when this view is the same
        zoom, only moved sideways (its titles are kept, shifted, instead of placed again)."""
        canvas = self._canvas
        rows = canvas.rows
        columns = canvas.columns
        layout = canvas.layout()
        if canvas.version != self._titles_version:
            self._titles.clear()
            self._titles_version = canvas.version
        lanes = rows.lane_count
        empty_i = np.empty(0, dtype=np.int64)
        empty_f = np.empty(0)
        if lanes == 0 or upper <= lower or width <= 1:
            return Frame(
                key,
                lower,
                upper,
                width,
                1.0,
                layout,
                np.zeros(lanes, bool),
                None,
                None,
                {},
                empty_i,
                empty_i,
                empty_i,
                np.empty(0, bool),
                empty_f,
                empty_f,
                empty_f,
                empty_f,
                empty_f,
                empty_i,
                PlacedLabels.empty(),
                empty_i,
                [],
            )
        scale = width / (upper - lower)
        margin = MARK_MARGIN / scale
        totals = lane_totals(rows, lower - margin, upper + margin)
        dense = totals > width / PIXELS_PER_EVENT
        while totals[~dense].sum() > MAX_MARKS:
            busiest = int(np.argmax(np.where(dense, -1, totals)))
            dense[busiest] = True

        # Individual marks for the lanes that are not busy ...
        parts: dict[int, np.ndarray] = {}
        part_tracks: list[np.ndarray] = []
        for lane in np.flatnonzero(~dense).tolist():
            found = visible_rows(rows, lane, lower - margin, upper + margin)
            track = rows.lane_track(lane)[found - int(rows.offsets[lane])]
            deepest = int(track.max(initial=0))
            if deepest >= max(int(layout.span_tracks[lane]), 1) * SPANS_PER_TRACK:
                dense[lane] = True  # spans piled many deep: a smear, not information
            else:
                parts[lane] = found
                part_tracks.append(track)

        # ... and density strips for the busy ones: one image row per lane.
        counts = None
        image = None
        image_rows: dict[int, int] = {}
        dense_lanes = np.flatnonzero(dense)
        if dense_lanes.size:
            pixels = max(round(width), 1)
            counts = column_counts(rows, lower, upper, pixels, dense_lanes)
            image, image_rows = self._density_image(counts, dense_lanes)

        mark_rows, geometry = self._geometry(layout, parts, part_tracks, lower, scale)
        lane_ids, event, is_span, x, y, x_start, x_end, diameter, colour = geometry
        importance = columns.importance[event]

        placed = PlacedLabels.empty()
        label_event = empty_i
        label_text: list[QtGui.QStaticText] = []
        label_cut = np.zeros(0, dtype=bool)
        label_kept = None
        if canvas.show_labels and mark_rows.size:
            placed, label_event, label_text, label_cut, label_kept = self._place(
                layout, width, event, lane_ids, is_span, x, y, x_start, importance, panned
            )
        return Frame(
            key=key,
            lower=lower,
            upper=upper,
            width=width,
            scale=scale,
            layout=layout,
            dense=dense,
            counts=counts,
            image=image,
            image_rows=image_rows,
            row=mark_rows,
            event=event,
            lane=lane_ids,
            is_span=is_span,
            x=x,
            y=y,
            x_start=x_start,
            x_end=x_end,
            diameter=diameter,
            colour=colour,
            labels=placed,
            label_event=label_event,
            label_text=label_text,
            label_cut=label_cut,
            panned=panned is not None,
            label_reuse=(
                (panned.label_plan, label_kept)
                if panned is not None and panned.label_plan is not None and label_kept is not None
                else None
            ),
        )

    def _geometry(
        self,
        layout: ChartLayout,
        parts: dict[int, np.ndarray],
        tracks: list[np.ndarray],
        lower: float,
        scale: float,
    ) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
        """The rows of the marks of `parts` (lane → its rows) and where they go in a view
        starting at `lower`: lane, event, is_span, x, y, x_start, x_end, diameter, colour
        (the fields of Frame and Marks); `tracks`: the span track of each part's rows."""
        rows = self._canvas.rows
        columns = self._canvas.columns
        if not parts:
            empty_i, empty_f = np.empty(0, dtype=np.int64), np.empty(0)
            nothing = (empty_i, empty_i, np.empty(0, bool), *[empty_f] * 5, empty_i)
            return empty_i, nothing
        mark_rows = np.concatenate(list(parts.values()))
        lane_ids = np.repeat(
            np.asarray(list(parts), dtype=np.int64), [part.shape[0] for part in parts.values()]
        )
        event = rows.event[mark_rows]
        is_span = rows.is_span[mark_rows]
        x_start = (rows.start[mark_rows] - lower) * scale
        x_end = (rows.end[mark_rows] - lower) * scale
        pos = (rows.marker_at(mark_rows) - lower) * scale
        x = np.where(is_span, x_start, pos)
        y = np.where(
            is_span,
            layout.span_y(lane_ids, np.concatenate(tracks)),
            layout.baseline[lane_ids],
        )
        diameter = marker_diameter(columns.importance[event]).astype(np.float64)
        colour = columns.category[event].astype(np.int64)
        return mark_rows, (lane_ids, event, is_span, x, y, x_start, x_end, diameter, colour)

    def _band_marks(self, frame: Frame, reach: float) -> Marks | None:
        """The marks of the frame's lanes drawn one by one, from `reach` pixels left of its
        view to `reach` right of it; None when there would be too many to draw at once."""
        rows = self._canvas.rows
        lower = frame.lower - (reach + MARK_MARGIN) / frame.scale
        upper = frame.upper + (reach + MARK_MARGIN) / frame.scale
        lanes = np.flatnonzero(~frame.dense)
        if lane_totals(rows, lower, upper)[lanes].sum() > BAND_MARKS:
            return None
        parts: dict[int, np.ndarray] = {}
        tracks: list[np.ndarray] = []
        for lane in lanes.tolist():
            found = visible_rows(rows, lane, lower, upper)
            parts[lane] = found
            tracks.append(rows.lane_track(lane)[found - int(rows.offsets[lane])])
        _, geometry = self._geometry(frame.layout, parts, tracks, frame.lower, frame.scale)
        lane, event, is_span, x, y, x_start, x_end, diameter, colour = geometry
        return Marks(
            event=event,
            lane=lane,
            is_span=is_span,
            x=x,
            y=y,
            x_start=x_start,
            x_end=x_end,
            diameter=diameter,
            colour=colour,
            left=-reach,
            right=frame.width + reach,
        )

    def _place(
        self,
        layout: ChartLayout,
        width: float,
        event: np.ndarray,
        lane_ids: np.ndarray,
        is_span: np.ndarray,
        x: np.ndarray,
        y: np.ndarray,
        x_start: np.ndarray,
        importance: np.ndarray,
        panned: Frame | None = None,
    ) -> tuple[PlacedLabels, np.ndarray, list[QtGui.QStaticText], np.ndarray, np.ndarray | None]:
        """Place the titles of the marks; after a pure pan, keep the previous frame's titles
        (shifted) and place only those of the marks that came into view."""
        canvas = self._canvas
        columns = canvas.columns
        anchor = np.where(is_span, np.clip(x_start, 0, width) + 3, x)
        on_screen = (anchor >= 0) & (anchor <= width)
        selected = canvas.selected[event] if canvas.selected.shape[0] else np.zeros_like(is_span)
        certainty = columns.certainty[event].astype(np.float64)
        priority = importance * 10.0 + (3 - certainty) + selected * 1000.0 + is_span * 2.0
        kept = None
        if panned is not None:
            shift = (panned.lower - self._canvas.x_range()[0]) * panned.scale
            was = np.where(is_span, np.clip(x_start - shift, 0, width) + 3, x - shift)
            # Marks still near the edge the view moves towards get another try every
            # RETRY_STEP pixels they move in: a title that did not fit (or was cut short)
            # where its mark came in may fit a little further on.
            inward, before = (width - anchor, width - was) if shift < 0 else (anchor, was)
            entering = (inward < min(RETRY_BAND, width)) & (
                np.floor(inward / RETRY_STEP) != np.floor(before / RETRY_STEP)
            )
            kept = _kept_labels(
                panned,
                shift,
                layout,
                width,
                event,
                lane_ids,
                on_screen,
                (was >= 0) & (was <= width) & ~entering,
                entering,
            )
            on_screen = kept[3]
        candidates = np.flatnonzero(on_screen)
        if candidates.size > MAX_CANDIDATES:
            best = np.argsort(-priority[candidates], kind="stable")[:MAX_CANDIDATES]
            candidates = np.sort(candidates[best])
        limit = min(MAX_LABEL_WIDTH, width * 0.45)
        thin = np.asarray(layout.compact, dtype=bool)
        inline = thin[lane_ids[candidates]] if thin.size else np.zeros(candidates.size, bool)
        titles = [
            self._title(int(e), limit, bool(i))
            for e, i in zip(event[candidates].tolist(), inline.tolist(), strict=True)
        ]
        widths = np.asarray([w for _, w, _ in titles], dtype=np.float64) + 4.0
        shortest = np.asarray([s for _, _, s in titles], dtype=np.float64) + 4.0
        obstacles = strength = None
        ends = anchor + FLAG_OFFSET
        if thin.any():
            anchor, ends, obstacles, strength = self._thin_lane_anchors(
                layout,
                lane_ids,
                is_span,
                x,
                y,
                anchor,
                x_start,
                importance,
                columns.shape[event],
            )
        placed = place_labels(
            anchor[candidates],
            lane_ids[candidates],
            priority[candidates],
            widths,
            layout.label_rows,
            layout.row_heights(),
            width,
            obstacles=obstacles,
            obstacle_strength=strength,
            obstacle_gap=INLINE_CLEARANCE,
            cover=_cover(importance[candidates]),
            min_widths=shortest,
            anchor_end=ends[candidates],
            tier=importance[candidates] + selected[candidates] * 10.0,
            taken=None if kept is None else (kept[0], kept[2]),
            max_labels=MAX_LABELS - (0 if kept is None else len(kept[0])),
        )
        label_event = event[candidates[placed.index]]
        label_text: list[QtGui.QStaticText] = []
        cut: list[bool] = []
        if kept is not None:
            label_event = np.concatenate([panned.label_event[kept[1]], label_event])
            label_text = [panned.label_text[i] for i in kept[1].tolist()]
            cut = panned.label_cut[kept[1]].tolist()
        for i, given in zip(placed.index.tolist(), placed.width.tolist(), strict=True):
            static, full, _ = titles[i]
            cut.append(given < full + 4.0 - 0.5)
            if cut[-1]:  # cut short to the room it was given
                metrics = self._metrics(bool(inline[i]))
                title = str(columns.titles[int(event[candidates[i]])])
                static = _static_text(
                    metrics.elidedText(title, QtCore.Qt.TextElideMode.ElideRight, given - 4.0)
                )
            label_text.append(static)
        if kept is not None:
            placed = kept[0].followed_by(placed)
        return (
            placed,
            label_event,
            label_text,
            np.asarray(cut, dtype=bool),
            None if kept is None else kept[1],
        )

    @staticmethod
    def _thin_lane_anchors(
        layout: ChartLayout,
        lane_ids: np.ndarray,
        is_span: np.ndarray,
        x: np.ndarray,
        y: np.ndarray,
        anchor: np.ndarray,
        x_start: np.ndarray,
        importance: np.ndarray,
        shape: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, list[list[tuple[float, float]]], list[list[float]]]:
        """In thin lanes the one title row meets some markers: all of them when it lies on
        the marker line, the largest ones when it lies above. Titles keep clear of those
        (save what `_cover` lets a landmark run over), and the title of such a marker starts
        just right of it — or of the clump of touching markers it is part of.

        A before/after arrow belongs to its marker: titles keep clear of it too.

        Returns the anchors, where titles end when they must end at their marker (near the
        right edge), and per lane the extents and importances of the markers in the way.
        """
        thin = np.asarray(layout.compact, dtype=bool)[lane_ids]
        heights = np.asarray(layout.row_heights())[lane_ids]
        row_top = np.asarray([rows[0] if rows else 0.0 for rows in layout.label_rows])[lane_ids]
        radius = marker_diameter(importance).astype(np.float64) / 2
        top = np.where(is_span, y, y - radius)
        bottom = np.where(is_span, y + SPAN_BAR, y + radius)
        # The title's halo spans its row less a pixel at each side (see _paint_labels).
        meets = thin & (top < row_top + heights - 1) & (bottom > row_top + 1)
        arrow = ARROW + 1.0
        left_edge = np.where(
            is_span, x_start, x - radius - np.where(shape & SHAPE_BEFORE, arrow, 0.0)
        )
        right_edge = np.where(
            is_span, x_start, x + radius + np.where(shape & SHAPE_AFTER, arrow, 0.0)
        )
        points = np.flatnonzero(meets & ~is_span)
        # The right end of the clump each marker starts, walking right along its lane.
        clump_end = right_edge.copy()
        order = points[np.lexsort((x[points], lane_ids[points]))]
        clump_end[order] = _clump_ends(order, lane_ids, left_edge, right_edge)
        shifted = anchor.copy()
        shifted[points] = clump_end[points] + INLINE_CLEARANCE + FLAG_OFFSET
        ends = anchor + FLAG_OFFSET
        ends[points] = left_edge[points] - INLINE_CLEARANCE
        obstacles: list[list[tuple[float, float]]] = [[] for _ in range(layout.lane_count)]
        strength: list[list[float]] = [[] for _ in range(layout.lane_count)]
        marks = np.flatnonzero(meets)
        marks = marks[np.argsort(lane_ids[marks], kind="stable")]
        lanes_met, firsts = np.unique(lane_ids[marks], return_index=True)
        groups = np.split(marks, firsts[1:]) if marks.size else []
        for lane, group in zip(lanes_met.tolist(), groups, strict=True):
            obstacles[lane] = list(
                zip(left_edge[group].tolist(), right_edge[group].tolist(), strict=True)
            )
            strength[lane] = importance[group].astype(np.float64).tolist()
        return shifted, ends, obstacles, strength

    def _density_image(
        self, counts: np.ndarray, dense_lanes: np.ndarray
    ) -> tuple[QtGui.QImage, dict[int, int]]:
        """Counts → one ARGB row per dense lane; log scale so sparse columns still show."""
        canvas = self._canvas
        theme = canvas.theme
        values = counts[dense_lanes].astype(np.float64)
        peak = max(float(values.max(initial=0.0)), 1.0)
        alpha = np.where(values > 0, 0.16 + 0.84 * np.log1p(values) / np.log1p(peak), 0.0)
        rgb = np.empty((dense_lanes.size, 3))
        for row, lane in enumerate(dense_lanes.tolist()):
            colour = canvas.rows.lanes[lane].colour or theme.neutral
            qcolour = _qcolour(mark_colour(theme, colour))
            rgb[row] = (qcolour.red(), qcolour.green(), qcolour.blue())
        height, width = values.shape
        pixels = np.empty((height, width, 4), dtype=np.uint8)  # B, G, R, A (premultiplied)
        pixels[..., 0] = (rgb[:, None, 2] * alpha).astype(np.uint8)
        pixels[..., 1] = (rgb[:, None, 1] * alpha).astype(np.uint8)
        pixels[..., 2] = (rgb[:, None, 0] * alpha).astype(np.uint8)
        pixels[..., 3] = (255 * alpha).astype(np.uint8)
        image = QtGui.QImage(
            pixels.data, width, height, width * 4, QtGui.QImage.Format.Format_ARGB32_Premultiplied
        ).copy()
        return image, {int(lane): row for row, lane in enumerate(dense_lanes.tolist())}

    # -- painting ---------------------------------------------------------------------------
    @guarded_paint
    def paint(self, painter: QtGui.QPainter, *args: object) -> None:
        canvas = self._canvas
        frame = self.frame()
        theme = canvas.theme
        layout = frame.layout
        engine = painter.paintEngine()
        vector = engine is not None and engine.type() in VECTOR_ENGINES
        colours, qcolours = self._colours(theme, tuple(canvas.columns.category_colours))
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)

        if frame.image is not None:
            painter.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, False)
            for lane, row in frame.image_rows.items():
                top = float(layout.lane_top[lane]) + 5
                height = max(layout.lane_height - 10, 2.0)
                painter.drawImage(
                    QtCore.QRectF(0, top, frame.width, height),
                    frame.image,
                    QtCore.QRectF(0, row, frame.image.width(), 1),
                )

        shift = 0.0  # how far the marks were drawn from their exact place (a pan's band)
        if frame.row.size:
            spot = None if vector else self._band_spot(painter, frame, colours, qcolours, theme)
            if spot is None:
                self._paint_marks(painter, frame, colours, qcolours, theme, vector)
            else:
                self._pan_layer.copy_to(painter, spot)
                shift = spot.shift
        if shift:
            painter.translate(shift, 0.0)
        self._paint_labels(painter, frame, theme)
        self._paint_hover(painter, frame, theme)
        if shift:
            painter.translate(-shift, 0.0)
        if self.rubber_band is not None:
            colour = QtGui.QColor(theme.rubber_band)
            painter.setPen(QtGui.QPen(colour, 1))
            colour.setAlpha(36)
            painter.setBrush(colour)
            painter.drawRect(self.rubber_band.normalized())

    def _colours(
        self, theme: Theme, categories: tuple[str, ...]
    ) -> tuple[tuple[str, ...], list[QtGui.QColor]]:
        """The marks' colours per category in this theme (as text and as QColor), worked out
        once per theme and set of categories rather than every frame."""
        key = (theme.name, categories)
        if self._colour_cache is None or self._colour_cache[0] != key:
            colours = tuple(mark_colour(theme, c) for c in categories or (FALLBACK_COLOUR,))
            self._colour_cache = (key, colours, [_qcolour(c) for c in colours])
        return self._colour_cache[1], self._colour_cache[2]

    def _band_spot(
        self,
        painter: QtGui.QPainter,
        frame: Frame,
        colours: tuple[str, ...],
        qcolours: list,
        theme: Theme,
    ) -> Spot | None:
        """Where the pan band of this zoom shows the frame's marks (drawing the band first
        when this frame is a pan and the band cannot show it), or None: draw them directly."""
        transform = painter.deviceTransform()
        if device_scale(transform) is None:
            return None
        canvas = self._canvas
        key = (
            canvas.version,
            canvas.selection_version,
            frame.width,
            frame.layout.height,
            theme.name,
            frame.dense.tobytes(),
        )
        per_pixel = (frame.upper - frame.lower) / frame.width
        layer = self._pan_layer
        spot = layer.spot(key, frame.lower, per_pixel, frame.width, transform)
        if spot is not None or not frame.panned:
            return spot
        reach = band_reach(frame.width)
        marks = self._band_marks(frame, reach)
        if marks is None:
            return None

        def draw(band: QtGui.QPainter) -> None:
            band.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            self._paint_marks(band, marks, colours, qcolours, theme, False)

        size = (frame.width, frame.layout.height)
        # How far a mark's drawing reaches above and below its y (and a bar's bottom): pen
        # and anti-aliasing, a precision bracket's ends, a selection ring.
        selected = canvas.selected
        ring = np.where(selected[marks.event], 4.5, 0.0) if selected.shape[0] else 0.0
        # A "one of" bracket's ends and an open end's arrow head reach a little further.
        reach_y = (
            np.where(
                marks.is_span, OPEN_HEAD_FLARE + 1.0, np.maximum(marks.diameter / 2 + 2.0, 7.5)
            )
            + ring
        )
        strips = np.column_stack(
            [marks.y - reach_y, marks.y + np.where(marks.is_span, SPAN_BAR, 0.0) + reach_y]
        )
        layer.build(key, frame.lower, per_pixel, size, reach, transform, draw, strips)
        return layer.spot(key, frame.lower, per_pixel, frame.width, transform)

    def _paint_marks(
        self,
        painter: QtGui.QPainter,
        marks: Frame | Marks,
        colours: tuple[str, ...],
        qcolours: list,
        theme: Theme,
        vector: bool,
    ) -> None:
        """Brackets, bars, markers and selection rings, bottom to top."""
        self._paint_brackets(painter, marks, qcolours)
        self._paint_spans(painter, marks, qcolours)
        self._paint_arrows(painter, marks, qcolours)
        self._paint_points(painter, marks, colours, qcolours, theme, vector)
        self._paint_selection(painter, marks, theme)

    def _paint_brackets(
        self, painter: QtGui.QPainter, frame: Frame | Marks, qcolours: list
    ) -> None:
        """The range a point's date is known to: a faint precision bracket (a month, a
        year), or for a date that is one of a range a bolder one with square ends."""
        points = ~frame.is_span
        wide = points & ((frame.x_end - frame.x_start) >= frame.diameter + 4)
        if not wide.any():
            return
        one_of = (self._canvas.columns.shape[frame.event] & SHAPE_ONE_OF) != 0
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        plain = wide & ~one_of
        if plain.any():
            x0 = np.clip(frame.x_start[plain], frame.left - 5, frame.right + 5)
            x1 = np.clip(frame.x_end[plain], frame.left - 5, frame.right + 5)
            y = frame.y[plain]
            lines = np.stack(
                [
                    np.column_stack([x0, y, x1, y]),
                    np.column_stack([x0, y - 4, x0, y + 4]),
                    np.column_stack([x1, y - 4, x1, y + 4]),
                ],
                axis=1,
            )
            self._stroke_by_colour(painter, lines, frame.colour[plain], qcolours, "precision")
        ranged = wide & one_of
        if ranged.any():
            x0 = np.clip(frame.x_start[ranged], frame.left - 8, frame.right + 8)
            x1 = np.clip(frame.x_end[ranged], frame.left - 8, frame.right + 8)
            y = frame.y[ranged]
            top, bottom = y - ONE_OF_TICK, y + ONE_OF_TICK
            serif = 3.0
            lines = np.stack(
                [
                    np.column_stack([x0, y, x1, y]),
                    np.column_stack([x0, top, x0, bottom]),
                    np.column_stack([x0, top, x0 + serif, top]),
                    np.column_stack([x0, bottom, x0 + serif, bottom]),
                    np.column_stack([x1, top, x1, bottom]),
                    np.column_stack([x1, top, x1 - serif, top]),
                    np.column_stack([x1, bottom, x1 - serif, bottom]),
                ],
                axis=1,
            )
            self._stroke_by_colour(painter, lines, frame.colour[ranged], qcolours, "one_of")

    def _stroke_by_colour(
        self,
        painter: QtGui.QPainter,
        lines: np.ndarray,
        colour_index: np.ndarray,
        qcolours: list,
        kind: str,
    ) -> None:
        """Stroke each mark's lines (marks × lines × 4) in its category's colour, one draw
        call per colour, with the pen of `kind` (see `_line_pen`)."""
        per_mark = lines.shape[1]
        order = np.argsort(colour_index, kind="stable")
        flat = lines[order].reshape(-1, 4)
        codes, starts = np.unique(colour_index[order], return_index=True)
        ends = [*starts[1:].tolist(), int(order.size)]
        for code, first, last in zip(codes.tolist(), starts.tolist(), ends, strict=True):
            painter.setPen(self._line_pen(qcolours[code % len(qcolours)], kind))
            draw_lines(painter, flat[first * per_mark : last * per_mark])

    def _line_pen(self, base: QtGui.QColor, kind: str) -> QtGui.QPen:
        """The pen of a precision bracket (faint), a "one of" bracket (bold, square ends) or a
        before/after arrow, in a category's colour; made once per colour."""
        key = (base.rgba(), kind)
        pen = self._bracket_pens.get(key)
        if pen is None:
            colour = QtGui.QColor(base)
            if kind == "precision":
                colour.setAlpha(110)
                pen = QtGui.QPen(colour, 1.4)
            elif kind == "one_of":
                colour.setAlpha(215)
                pen = QtGui.QPen(colour, 1.6)
                pen.setCapStyle(QtCore.Qt.PenCapStyle.SquareCap)
                pen.setJoinStyle(QtCore.Qt.PenJoinStyle.MiterJoin)
            else:
                colour.setAlpha(225)
                pen = QtGui.QPen(colour, 1.6)
                pen.setCapStyle(QtCore.Qt.PenCapStyle.RoundCap)
            self._bracket_pens[key] = pen
        return pen

    def _paint_arrows(self, painter: QtGui.QPainter, frame: Frame | Marks, qcolours: list) -> None:
        """ "Before" and "after": an arrow leaving the anchor date towards the open side —
        from a point's marker (or its precision bracket, when wider), from a bar's start."""
        if not frame.event.size:
            return
        shape = self._canvas.columns.shape[frame.event]
        before = (shape & SHAPE_BEFORE) != 0
        after = ((shape & SHAPE_AFTER) != 0) & ~frame.is_span
        if not (before.any() or after.any()):
            return
        radius = frame.diameter / 2
        bracket = (frame.x_end - frame.x_start) >= frame.diameter + 4
        left = np.where(
            frame.is_span,
            frame.x_start,
            np.where(bracket, np.minimum(frame.x_start, frame.x - radius), frame.x - radius),
        )
        right = np.where(bracket, np.maximum(frame.x_end, frame.x + radius), frame.x + radius)
        y = np.where(frame.is_span, frame.y + SPAN_BAR / 2, frame.y)
        # direction -1 points left (before), +1 right (after); the shaft leaves 1 px of air
        direction = np.where(before, -1.0, 1.0)
        chosen = before | after
        base = np.where(before, left - 1.0, right + 1.0)[chosen]
        sign = direction[chosen]
        y = y[chosen]
        tip = base + sign * ARROW
        back = tip - sign * ARROW_HEAD
        lines = np.stack(
            [
                np.column_stack([base, y, tip, y]),
                np.column_stack([tip, y, back, y - ARROW_HEAD]),
                np.column_stack([tip, y, back, y + ARROW_HEAD]),
            ],
            axis=1,
        )
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        self._stroke_by_colour(painter, lines, frame.colour[chosen], qcolours, "arrow")

    def _paint_spans(self, painter: QtGui.QPainter, frame: Frame | Marks, qcolours: list) -> None:
        spans = frame.is_span
        if not spans.any():
            return
        # Bars are axis-aligned: crisp without antialiasing, and far cheaper to fill.
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        x_end = frame.x_end[spans]
        x0 = np.clip(frame.x_start[spans], frame.left - 4, frame.right + 4)
        x1 = np.clip(x_end, frame.left - 4, frame.right + 4)
        shape = self._canvas.columns.shape[frame.event[spans]]
        # An open end's bar stops where its arrow head begins: the head's tip is now.
        headed = ((shape & SHAPE_OPEN_END) != 0) & (x_end <= frame.right + OPEN_HEAD)
        x1 = np.where(headed, np.maximum(np.minimum(x1, x_end - OPEN_HEAD), x0), x1)
        widths = np.where(headed, x1 - x0, np.maximum(x1 - x0, 2.0))
        y = frame.y[spans]
        rects = np.column_stack([x0, y, widths, np.full(x0.size, SPAN_BAR)])
        fading = (shape & SHAPE_UNKNOWN_END) != 0
        certainty = self._canvas.columns.certainty[frame.event[spans]].astype(np.int64)
        styles = np.minimum(certainty, CERTAINTY_STYLES - 1)
        keys = frame.colour[spans] * CERTAINTY_STYLES + styles
        for group in _groups(keys):
            code, style = divmod(int(keys[group[0]]), CERTAINTY_STYLES)
            pen, fill = self._span_style(qcolours[code % len(qcolours)], style)
            painter.setPen(pen)
            painter.setBrush(fill)
            draw_rects(painter, rects[group[~fading[group]]])
            for index in group[fading[group]].tolist():
                self._paint_fading_bar(painter, rects[index], fill.color())
            heads = group[headed[group]]
            if heads.size:
                painter.setPen(pen)
                painter.setBrush(fill)
                self._paint_open_heads(painter, x_end[heads], y[heads])
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)

    @staticmethod
    def _paint_fading_bar(painter: QtGui.QPainter, rect: np.ndarray, fill: QtGui.QColor) -> None:
        """An unknown end: the bar fades out from its start towards now — it ended somewhere
        in between, nobody knows when."""
        left, top, width, height = (float(value) for value in rect)
        solid = QtGui.QColor(fill)
        solid.setAlpha(max(fill.alpha(), 150))
        fill_fading(painter, QtCore.QRectF(left, top, width, height), solid)

    @staticmethod
    def _paint_open_heads(painter: QtGui.QPainter, tips: np.ndarray, tops: np.ndarray) -> None:
        """Arrow heads of open ends, tips at `tips` (now), over bars whose tops are `tops`."""
        path = QtGui.QPainterPath()
        middle = SPAN_BAR / 2
        for tip, top in zip(tips.tolist(), tops.tolist(), strict=True):
            path.addPolygon(
                QtGui.QPolygonF(
                    [
                        QtCore.QPointF(tip, top + middle),
                        QtCore.QPointF(tip - OPEN_HEAD, top - OPEN_HEAD_FLARE),
                        QtCore.QPointF(tip - OPEN_HEAD, top + SPAN_BAR + OPEN_HEAD_FLARE),
                    ]
                )
            )
            path.closeSubpath()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.drawPath(path)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)

    def _span_style(self, base: QtGui.QColor, style: int) -> tuple[QtGui.QPen, QtGui.QBrush]:
        """Pen and brush of a bar: solid (confirmed), outlined (reported), dashed (others)."""
        key = (base.rgba(), style)
        cached = self._span_styles.get(key)
        if cached is None:
            fill = QtGui.QColor(base)
            if style == 0:
                fill.setAlpha(220)
                pen = QtGui.QPen(QtCore.Qt.PenStyle.NoPen)
            else:
                fill.setAlpha(70 if style == 1 else 40)
                pen = QtGui.QPen(base, 1)
                if style >= 2:
                    pen.setStyle(QtCore.Qt.PenStyle.DashLine)
            cached = self._span_styles[key] = (pen, QtGui.QBrush(fill))
        return cached

    def _paint_points(
        self,
        painter: QtGui.QPainter,
        frame: Frame | Marks,
        colours: tuple[str, ...],
        qcolours: list,
        theme: Theme,
        vector: bool,
    ) -> None:
        points = np.flatnonzero(~frame.is_span)
        if points.size == 0:
            return
        columns = self._canvas.columns
        event = frame.event[points]
        certainty = columns.certainty[event]
        importance = columns.importance[event]
        colour = np.minimum(frame.colour[points], len(colours) - 1)
        # Least important first, so the important markers end up on top.
        order = np.argsort(importance, kind="stable")
        points, certainty, importance, colour = (
            points[order],
            certainty[order],
            importance[order],
            colour[order],
        )
        if vector or PrimitiveArray is None:
            for i, index in enumerate(points.tolist()):
                draw_marker(
                    painter,
                    QtCore.QPointF(frame.x[index], frame.y[index]),
                    float(frame.diameter[index]),
                    qcolours[int(colour[i])],
                    int(certainty[i]),
                    theme,
                )
            return
        device = painter.device()
        dpr = float(device.devicePixelRatioF()) if device is not None else 1.0
        self._atlas.ensure(tuple(colours), theme, dpr)
        styles = SpriteAtlas.style(colour, importance, certainty)
        if self._fragments is None:
            self._fragments = PrimitiveArray(QtGui.QPainter.PixmapFragment, 10)
        self._fragments.resize(points.size)
        fragments = self._fragments.ndarray()
        fragments[:, 0] = frame.x[points]
        fragments[:, 1] = frame.y[points]
        fragments[:, 2:6] = self._atlas.source[styles]
        fragments[:, 6:10] = (1.0 / self._atlas.dpr, 1.0 / self._atlas.dpr, 0.0, 1.0)
        painter.drawPixmapFragments(*self._fragments.drawargs(), self._atlas.pixmap)

    def _paint_selection(self, painter: QtGui.QPainter, frame: Frame | Marks, theme: Theme) -> None:
        selected = self._canvas.selected
        if not selected.shape[0] or not selected.any():
            return
        chosen = np.flatnonzero(selected[frame.event])
        if chosen.size == 0:
            return
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.setPen(QtGui.QPen(QtGui.QColor(theme.selection), 2.2))
        for index in chosen.tolist():
            if frame.is_span[index]:
                x0 = max(frame.x_start[index], frame.left - 4.0)
                x1 = min(frame.x_end[index], frame.right + 4)
                painter.drawRoundedRect(
                    QtCore.QRectF(x0 - 2, frame.y[index] - 2, max(x1 - x0, 2) + 4, SPAN_BAR + 4),
                    2,
                    2,
                )
            else:
                radius = frame.diameter[index] / 2 + 3
                painter.drawEllipse(QtCore.QPointF(frame.x[index], frame.y[index]), radius, radius)

    def _paint_labels(self, painter: QtGui.QPainter, frame: Frame, theme: Theme) -> None:
        placed = frame.labels
        if len(placed) == 0:
            return
        if frame.label_plan is None:
            frame.label_plan = self._label_plan(frame, theme)
            frame.label_reuse = None
        plan = frame.label_plan
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(QtGui.QColor(theme.halo))
        draw_rects(painter, plan.halos)
        moved = (plan.origin - frame.lower) * frame.scale
        painter.translate(moved, 0.0)
        for font, pen, points, texts in plan.groups:
            painter.setFont(font)
            painter.setPen(pen)
            draw = painter.drawStaticText
            for point, static in zip(points, texts, strict=True):
                draw(point, static)
        painter.translate(-moved, 0.0)

    def _label_plan(self, frame: Frame, theme: Theme) -> LabelPlan:
        """The frame's titles ready to draw (see LabelPlan); a pan's kept titles keep the
        positions the previous frame made for them."""
        canvas = self._canvas
        placed = frame.labels
        halos = np.column_stack([placed.left, placed.top + 1, placed.width, placed.height - 2])
        inline, chosen = self._label_kinds(frame)
        heights = np.asarray([self._metrics(False).height(), self._metrics(True).height()])
        offsets = (placed.height - heights[inline.astype(np.int64)]) / 2
        reuse = frame.label_reuse
        if reuse is not None:
            before, kept = reuse
            origin = before.origin
            points = [before.points[i] for i in kept.tolist()]
        else:
            origin, points = frame.lower, []
        moved = (frame.lower - origin) * frame.scale
        first = len(points)
        points.extend(
            QtCore.QPointF(left + 2 + moved, top + offset)
            for left, top, offset in zip(
                placed.left[first:].tolist(),
                placed.top[first:].tolist(),
                offsets[first:].tolist(),
                strict=True,
            )
        )
        pens = (QtGui.QPen(QtGui.QColor(theme.text)), QtGui.QPen(QtGui.QColor(theme.selection)))
        groups = []
        for is_inline in (False, True):
            for is_selected in (False, True):
                members = np.flatnonzero((inline == is_inline) & (chosen == is_selected)).tolist()
                if not members:
                    continue
                font = canvas.inline_font if is_inline else canvas.label_font
                groups.append(
                    (
                        font,
                        pens[is_selected],
                        [points[i] for i in members],
                        [frame.label_text[i] for i in members],
                    )
                )
        return LabelPlan(halos, origin, points, groups)

    def _label_kinds(self, frame: Frame) -> tuple[np.ndarray, np.ndarray]:
        """Per placed title: whether it is in a thin lane (smaller font), and selected."""
        placed = frame.labels
        layout = frame.layout
        lane = (
            (placed.top + placed.height / 2 - layout.lanes_top) // max(layout.lane_height, 1e-9)
        ).astype(np.int64)
        thin = np.asarray(layout.compact, dtype=bool)
        inline = (
            thin[np.clip(lane, 0, thin.size - 1)] & (lane >= 0) & (lane < thin.size)
            if thin.size
            else np.zeros(len(placed), dtype=bool)
        )
        selected = self._canvas.selected
        chosen = (
            selected[frame.label_event] if selected.shape[0] else np.zeros(len(placed), dtype=bool)
        )
        return inline, chosen

    def _paint_hover(self, painter: QtGui.QPainter, frame: Frame, theme: Theme) -> None:
        hit = self.hover
        if hit is None:
            return
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        colour = QtGui.QColor(theme.hover)
        if hit.kind == "density":
            layout = frame.layout
            if hit.lane >= layout.lane_count:
                return
            x0 = (hit.lower - frame.lower) * frame.scale
            top = float(layout.lane_top[hit.lane]) + 3
            painter.setPen(QtGui.QPen(colour, 1))
            painter.drawRect(
                QtCore.QRectF(
                    x0 - 1,
                    top,
                    max((hit.upper - hit.lower) * frame.scale, 1) + 2,
                    layout.lane_height - 6,
                )
            )
            return
        matches = np.flatnonzero((frame.event == hit.event) & (frame.lane == hit.lane))
        colour.setAlpha(200)
        painter.setPen(QtGui.QPen(colour, 1.5))
        for index in matches.tolist():
            if frame.is_span[index]:
                x0 = max(frame.x_start[index], -4.0)
                x1 = min(frame.x_end[index], frame.width + 4)
                painter.drawRect(
                    QtCore.QRectF(x0 - 1.5, frame.y[index] - 1.5, max(x1 - x0, 2) + 3, SPAN_BAR + 3)
                )
            else:
                radius = frame.diameter[index] / 2 + 2
                painter.drawEllipse(QtCore.QPointF(frame.x[index], frame.y[index]), radius, radius)

    # -- questions --------------------------------------------------------------------------
    def hit(self, x: float, y: float) -> Hit | None:
        """The event (or density column) under pixel (x, y) of the chart."""
        frame = self.frame()
        layout = frame.layout
        lane = layout.lane_at(y)
        if lane < 0:
            return None
        if frame.dense[lane] and frame.counts is not None:
            column = int(np.clip(x, 0, frame.counts.shape[1] - 1))
            count = int(frame.counts[lane, column])
            lower = frame.lower + column / frame.scale
            return Hit("density", -1, lane, count, lower, lower + 1 / frame.scale)
        in_lane = frame.lane == lane
        if in_lane.any():
            points = np.flatnonzero(in_lane & ~frame.is_span)
            if points.size:
                distance = np.hypot(frame.x[points] - x, frame.y[points] - y)
                reach = frame.diameter[points] / 2 + 3
                near = distance <= reach
                if near.any():
                    best = points[near][np.argmin(distance[near])]
                    return Hit("event", int(frame.event[best]), lane)
            spans = np.flatnonzero(in_lane & frame.is_span)
            if spans.size:
                inside = (
                    (frame.x_start[spans] - 2 <= x)
                    & (x <= frame.x_end[spans] + 2)
                    & (frame.y[spans] - 2 <= y)
                    & (y <= frame.y[spans] + SPAN_BAR + 2)
                )
                if inside.any():
                    return Hit("event", int(frame.event[spans[inside][0]]), lane)
        placed = frame.labels
        if len(placed):
            inside = (
                (placed.left <= x)
                & (x <= placed.left + placed.width)
                & (placed.top <= y)
                & (y <= placed.top + placed.height)
            )
            if inside.any():
                return Hit("event", int(frame.label_event[np.flatnonzero(inside)[0]]), lane)
        return None

    def events_in(self, rect: QtCore.QRectF) -> np.ndarray:
        """Column indices of the events inside a rubber band (pixels), dense lanes included."""
        frame = self.frame()
        rect = rect.normalized()
        layout = frame.layout
        found: list[np.ndarray] = []
        if frame.row.size:
            points = ~frame.is_span
            inside_points = points & (
                (frame.x >= rect.left())
                & (frame.x <= rect.right())
                & (frame.y >= rect.top())
                & (frame.y <= rect.bottom())
            )
            inside_spans = frame.is_span & (
                (frame.x_end >= rect.left())
                & (frame.x_start <= rect.right())
                & (frame.y + SPAN_BAR >= rect.top())
                & (frame.y <= rect.bottom())
            )
            found.append(frame.event[inside_points | inside_spans])
        lower = frame.lower + rect.left() / frame.scale
        upper = frame.lower + rect.right() / frame.scale
        rows = self._canvas.rows
        for lane in np.flatnonzero(frame.dense).tolist():
            top = float(layout.lane_top[lane])
            if rect.bottom() >= top + 5 and rect.top() <= top + layout.lane_height - 5:
                found.append(rows.event[visible_rows(rows, lane, lower, upper)])
        if not found:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(found))
