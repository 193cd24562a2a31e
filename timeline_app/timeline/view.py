"""TimelineWidget: the zoomable, lane-based timeline of events, eras and a whole-span overview.

The widget is handed `EventColumns` (it never reads the database) and draws them with a few
graphics items that paint from arrays in pixel space (see markers.py), so it stays fast at a
million events and readable at every zoom.

Public API (signals, then methods):
    selectionChanged(list[str])        the user changed the selection (ids)
    editRequested(str)                 the user double-clicked an event
    linkRequested(str, str, str)       the user dragged from one event to another with Alt
                                       held and chose a kind of link (from, to, kind)
    visibleRangeChanged(float, float)  the visible window changed (UTC seconds)
    newEventRequested(float)           "New event here…" from the context menu (UTC seconds)
    set_events(columns), set_eras(eras), set_filter(mask_or_ids | None), set_selection(ids),
    zoom_to(lower, upper), fit_all(), zoom_to_selection(),
    set_lane_mode("category"|"actor"|"single"),
    set_theme("light"|"dark"), set_details({id: (start text, end text, first source)}),
    set_detail_provider(callable(id) -> str), visible_range(), selected_ids(), tool_tip_at(point),
    set_links([(from, to, kind)]), set_links_visible(bool), links_visible(),
    state(), apply_state(state), paint_chart(painter, target).

Rendering for export — the entry point is `render_timeline(painter, target, state, size=None)`:
it lays the chart out afresh at `size` (logical pixels; the target's size by default) —
lanes, label placement, tick choice — and paints it onto any QPainter (QImage, QPixmap,
QSvgGenerator, QPdfWriter, QPrinter), scaled into `target`. Typical use:

    state = timeline_widget.state()              # what the reader is looking at
    image = QImage(3200, 1800, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    render_timeline(painter, QRectF(0, 0, 3200, 1800), state, size=QSizeF(1600, 900))
    painter.end()

Markers, bars, brackets and text are vector shapes on SVG/PDF devices; density strips are
images. A QApplication must exist (offscreen platform is fine). An existing widget can also
paint its current chart with `paint_chart(painter, target)`. Every time is UTC seconds.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from timeline_app.domain.columns import (
    SHAPE_AFTER,
    SHAPE_BEFORE,
    SHAPE_ONE_OF,
    SHAPE_OPEN_END,
    SHAPE_UNKNOWN_END,
    EventColumns,
)
from timeline_app.domain.dates import describe_span, parse_span
from timeline_app.domain.errors import DateError
from timeline_app.domain.evidence import LINK_WORDS, LinkKind
from timeline_app.domain.model import CERTAINTY_ORDER, EraRecord
from timeline_app.timeline.axis import (
    YEAR,
    DateAxis,
    format_instant,
    format_range,
)
from timeline_app.timeline.backdrop import BackdropItem
from timeline_app.timeline.canvas import Canvas
from timeline_app.timeline.eras import ErasItem
from timeline_app.timeline.guarded import guarded_paint
from timeline_app.timeline.lane_header import LaneHeader
from timeline_app.timeline.lanes import LANE_MODES, marker_counts
from timeline_app.timeline.layout import SPAN_BAR
from timeline_app.timeline.link_arrows import LinkOverlay, LinksItem
from timeline_app.timeline.lookup import mask_of_ids
from timeline_app.timeline.markers import VECTOR_ENGINES, EventsItem, Hit, draw_marker
from timeline_app.timeline.overview import OverviewStrip
from timeline_app.timeline.theme import THEMES, theme_named

MIN_RANGE = 600.0  # the narrowest window: ten minutes (times of day are kept to the minute)
DEFAULT_RANGE = (631_152_000.0, 1_893_456_000.0)  # 1990–2030, when there is nothing to fit
KEY_ZOOM = 1.6
KEY_PAN = 0.2
_RIGHT_MARGIN = 14
_TOP_MARGIN = 8

Details = dict[str, tuple[str, str, str]]


@dataclass(frozen=True, slots=True, eq=False)
class TimelineState:
    """Everything needed to draw a chart again elsewhere (export, print, another window)."""

    columns: EventColumns
    x_range: tuple[float, float]
    eras: tuple[EraRecord, ...] = ()
    mask: np.ndarray | None = None
    lane_mode: str = "category"
    theme: str = "light"
    selected_ids: tuple[str, ...] = ()
    show_labels: bool = True
    show_today: bool = True
    details: Details = field(default_factory=dict)
    links: tuple[tuple[str, str, str], ...] = ()
    """(from id, to id, kind) of the links drawn as arrows (empty: none drawn)."""


class TimelineViewBox(pg.ViewBox):
    """Horizontal navigation (wheel zooms around the cursor, drag pans) plus the gestures
    the timeline adds: click/double-click, rubber band (Shift+drag or right-drag), menu, and
    Alt+drag from an event to link it to another (Shift and Ctrl already select)."""

    LINK_MODIFIER = QtCore.Qt.KeyboardModifier.AltModifier

    clicked = QtCore.Signal(QtCore.QPointF, object, bool)  # pixel pos, modifiers, double
    bandChanged = QtCore.Signal(object)  # QRectF in pixels, or None when done
    bandFinished = QtCore.Signal(QtCore.QRectF, object)  # pixels, modifiers
    menuRequested = QtCore.Signal(QtCore.QPointF, QtCore.QPoint)  # pixel pos, screen pos
    linkDragged = QtCore.Signal(QtCore.QPointF, QtCore.QPointF, bool)  # from, to, finished

    def __init__(self) -> None:
        super().__init__(enableMenu=False, defaultPadding=0.0)
        self.setMouseEnabled(x=True, y=False)
        self.setYRange(0, 1, padding=0)
        self._banding = False
        self._linking = False
        self.starts_link: Callable[[QtCore.QPointF], bool] = lambda _point: False
        """Whether a drag with the link modifier from this pixel links (it starts on an event)."""

    def mouseClickEvent(self, ev: object) -> None:
        if ev.button() == QtCore.Qt.MouseButton.LeftButton:
            ev.accept()
            self.clicked.emit(QtCore.QPointF(ev.pos()), ev.modifiers(), bool(ev.double()))
        elif ev.button() == QtCore.Qt.MouseButton.RightButton:
            ev.accept()
            self.menuRequested.emit(QtCore.QPointF(ev.pos()), ev.screenPos().toPoint())

    def mouseDragEvent(self, ev: object, axis: int | None = None) -> None:
        button = ev.button()
        if self._linking or (
            axis is None
            and button == QtCore.Qt.MouseButton.LeftButton
            and ev.isStart()
            and bool(ev.modifiers() & self.LINK_MODIFIER)
            and self.starts_link(QtCore.QPointF(ev.buttonDownPos(button)))
        ):
            ev.accept()
            self._linking = not ev.isFinish()
            start = QtCore.QPointF(ev.buttonDownPos(button))
            self.linkDragged.emit(start, QtCore.QPointF(ev.pos()), bool(ev.isFinish()))
            return
        band = axis is None and (
            button == QtCore.Qt.MouseButton.RightButton
            or (
                button == QtCore.Qt.MouseButton.LeftButton
                and bool(ev.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier)
            )
        )
        if not band and not self._banding:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        rect = QtCore.QRectF(QtCore.QPointF(ev.buttonDownPos(button)), QtCore.QPointF(ev.pos()))
        if ev.isFinish():
            self._banding = False
            self.bandChanged.emit(None)
            self.bandFinished.emit(rect.normalized(), ev.modifiers())
        else:
            self._banding = True
            self.bandChanged.emit(rect.normalized())


class _ChartView(pg.GraphicsView):
    """The chart's graphics view; hands key presses and the pointer leaving to the widget.

    Plain callbacks rather than an event filter: a filter on a child can still be called
    while its owner is being torn down.
    """

    def __init__(self, parent: QtWidgets.QWidget) -> None:
        super().__init__(parent)
        self.on_key: Callable[[QtGui.QKeyEvent], bool] | None = None
        self.on_leave: Callable[[], None] | None = None

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if self.on_key is not None and self.on_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def leaveEvent(self, event: QtCore.QEvent) -> None:
        if self.on_leave is not None:
            self.on_leave()
        super().leaveEvent(event)


class _LegendCorner(pg.GraphicsWidget):
    """The corner under the lane names: what the marker shapes mean."""

    def __init__(self, canvas: Canvas) -> None:
        super().__init__()
        self._canvas = canvas
        self._font = QtGui.QFont()
        self._font.setPointSizeF(7.5)
        self.setMinimumWidth(LaneHeader.WIDTH)
        self.setMaximumWidth(LaneHeader.WIDTH)
        self.setCacheMode(self.CacheMode.DeviceCoordinateCache)

    def boundingRect(self) -> QtCore.QRectF:
        return QtCore.QRectF(0, 0, self.width(), self.height())

    @guarded_paint
    def paint(self, painter: QtGui.QPainter, *args: object) -> None:
        theme = self._canvas.theme
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self._font)
        metrics = QtGui.QFontMetricsF(self._font)
        colour = QtGui.QColor(theme.text_muted)
        column_width = (self.width() - 16) / 2
        for index, certainty in enumerate(CERTAINTY_ORDER):
            row, column = divmod(index, 2)
            x = 12 + column * column_width
            y = 10 + row * 16
            draw_marker(painter, QtCore.QPointF(x + 4, y), 9.0, colour, index, theme)
            painter.setPen(QtGui.QPen(colour))
            painter.drawText(
                QtCore.QPointF(x + 12, y + (metrics.ascent() - metrics.descent()) / 2),
                certainty.value,
            )


class TimelineWidget(QtWidgets.QWidget):
    """The timeline: lanes of events over a date axis, eras above, an overview below."""

    selectionChanged = QtCore.Signal(list)
    editRequested = QtCore.Signal(str)
    linkRequested = QtCore.Signal(str, str, str)
    visibleRangeChanged = QtCore.Signal(float, float)
    newEventRequested = QtCore.Signal(float)

    def __init__(
        self, parent: QtWidgets.QWidget | None = None, *, show_overview: bool = True
    ) -> None:
        super().__init__(parent)
        self.detailProvider: Callable[[str], str] | None = None
        self._details: Details = {}
        self._eras: tuple[EraRecord, ...] = ()
        self._has_range = False
        self._menu: QtWidgets.QMenu | None = None
        self._last_tip = ""

        self.plot = _ChartView(self)
        self.plot.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.plot.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.plot.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.plot.setAntialiasing(True)
        self.plot.on_key = self._key
        self.plot.on_leave = self._pointer_left
        grid = pg.GraphicsLayout()
        grid.setContentsMargins(0, _TOP_MARGIN, _RIGHT_MARGIN, 0)
        grid.setSpacing(0)
        self.plot.setCentralItem(grid)

        self.viewbox = TimelineViewBox()
        self.canvas = Canvas(self.viewbox)
        self.header = LaneHeader(self.canvas)
        self.axis = DateAxis()
        # Dates have no units to scale: with the SI prefix on, every range change would set
        # the (hidden) axis label's HTML again and re-measure it.
        self.axis.enableAutoSIPrefix(False)
        self.axis.linkToView(self.viewbox)
        self._legend = _LegendCorner(self.canvas)
        grid.addItem(self.header, row=0, col=0)
        grid.addItem(self.viewbox, row=0, col=1)
        grid.addItem(self._legend, row=1, col=0)
        grid.addItem(self.axis, row=1, col=1)

        self.backdrop = BackdropItem(self.canvas, self.viewbox)
        self.backdrop.setZValue(-100)
        self.eras_item = ErasItem(self.canvas, self.viewbox)
        self.eras_item.setZValue(-50)
        self.events_item = EventsItem(self.canvas, self.viewbox)
        self.events_item.setZValue(50)
        self.links_item = LinksItem(self.canvas, self.events_item)
        self.links_item.setParentItem(self.viewbox)
        self.links_item.setZValue(40)  # under the markers and their titles
        self.links_overlay = LinkOverlay(self.links_item)  # its notes and drag: over them
        self.links_overlay.setParentItem(self.viewbox)
        self.links_overlay.setZValue(60)
        self._items = (
            self.backdrop,
            self.eras_item,
            self.links_item,
            self.events_item,
            self.links_overlay,
        )

        self.overview: OverviewStrip | None = None
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.plot, 1)
        if show_overview:
            self.overview = OverviewStrip(LaneHeader.WIDTH, self)
            self.overview.centralWidget.setContentsMargins(0, 4, _RIGHT_MARGIN, 6)
            self.overview.windowChanged.connect(self.zoom_to)
            layout.addWidget(self.overview)
        self.setFocusProxy(self.plot)
        self.setMinimumSize(320, 200)

        # The lane names' column and the overview follow the data once per burst of changes
        # (a reload sets events, eras and filter in a row), not once per call.
        self._refresh_timer = QtCore.QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._refresh)
        self._overview_stale = False
        self.canvas.listeners.append(self._refresh_timer.start)
        self.canvas.listeners.append(self._repaint)
        self.viewbox.sigXRangeChanged.connect(self._range_changed)
        self.viewbox.sigResized.connect(self._resized)
        self.viewbox.clicked.connect(self._clicked)
        self.viewbox.bandChanged.connect(self._band_changed)
        self.viewbox.bandFinished.connect(self._band_finished)
        self.viewbox.menuRequested.connect(self._menu_requested)
        self.viewbox.linkDragged.connect(self._link_dragged)
        self.viewbox.starts_link = lambda point: self._event_at(point) >= 0
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self.set_theme("light")
        self._apply_limits()
        self.viewbox.setXRange(*DEFAULT_RANGE, padding=0)

    # -- data -------------------------------------------------------------------------------
    def set_events(self, columns: EventColumns) -> None:
        """Show these events; the visible range, lane mode and id filter are kept.

        A boolean-mask filter belongs to the previous columns and is dropped; the selection
        keeps the ids that still exist. Cheap at a million events: the lanes are laid out
        when next drawn, reusing the span packing of the lanes an edit did not touch.
        """
        canvas = self.canvas
        previous = canvas.columns
        chosen = (
            np.flatnonzero(canvas.selected)
            if canvas.selected.shape[0] == len(previous)
            else np.empty(0, dtype=np.int64)
        )
        canvas.selected = (
            mask_of_ids(columns, previous.ids[chosen].tolist(), previous.start[chosen], chosen)
            if chosen.size
            else np.zeros(len(columns), dtype=bool)
        )
        canvas.selection_version += 1
        self.events_item.forget_titles()
        canvas.set_columns(columns)
        self._apply_limits()
        self._update_overview()
        if not self._has_range and len(columns):
            self.fit_all()
            self._has_range = True

    def set_eras(self, eras: Iterable[EraRecord]) -> None:
        self._eras = tuple(eras)
        self.canvas.set_eras(list(self._eras))

    def set_filter(self, mask_or_ids: np.ndarray | Iterable[str] | None) -> None:
        """Show only some events: a boolean mask over the current columns, or their ids.

        None shows everything. Lanes left empty fold away.
        """
        canvas = self.canvas
        if mask_or_ids is None:
            if canvas.mask is None:
                return  # already unfiltered: keep the layout, and an edit's pending lane patch
            canvas.mask = None
        elif isinstance(mask_or_ids, str):
            raise TypeError("set_filter takes a boolean mask or an iterable of ids, not one id")
        elif isinstance(mask_or_ids, np.ndarray) and mask_or_ids.dtype == np.bool_:
            if mask_or_ids.shape[0] != len(canvas.columns):
                raise ValueError(
                    f"filter mask has {mask_or_ids.shape[0]} entries for "
                    f"{len(canvas.columns)} events"
                )
            canvas.mask = mask_or_ids.copy()
        else:
            canvas.set_filter_ids(frozenset(str(item) for item in mask_or_ids))
        canvas.relayout_lanes()
        self._update_overview()

    def set_details(self, details: Details) -> None:
        """Per-event text for the tooltip: id → (start as written, end as written, source)."""
        self._details = dict(details)

    def set_detail_provider(self, provider: Callable[[str], str] | None) -> None:
        """A callable giving extra tooltip text for an event id (asked on hover only)."""
        self.detailProvider = provider

    def set_links(self, links: Iterable[tuple[str, str, str]]) -> None:
        """The links between events, (from id, to id, kind): drawn as arrows where both
        events are drawn and the arrows stay few (see link_arrows.py)."""
        self.links_item.set_links(list(links))

    def set_links_visible(self, visible: bool) -> None:
        self.links_item.shown = bool(visible)
        self.links_item.update()

    def links_visible(self) -> bool:
        return self.links_item.shown

    def set_lane_mode(self, mode: str) -> None:
        if mode not in LANE_MODES:
            raise ValueError(f"unknown lane mode {mode!r}; expected one of {LANE_MODES}")
        if mode != self.canvas.lane_mode:
            self.canvas.lane_mode = mode
            self.canvas.relayout_lanes()

    def lane_mode(self) -> str:
        return self.canvas.lane_mode

    def lane_names(self) -> list[str]:
        """The lanes shown now, top to bottom (empty lanes are folded away)."""
        return [lane.name for lane in self.canvas.rows.lanes]

    def set_theme(self, name: str) -> None:
        theme = theme_named(name)
        self.canvas.theme = theme
        self.plot.setBackground(QtGui.QColor(theme.plot))
        self.axis.set_theme(theme)
        if self.overview is not None:
            self.overview.set_theme(theme)
        self.canvas.touch()

    def theme(self) -> str:
        return self.canvas.theme.name

    def set_labels_visible(self, visible: bool) -> None:
        self.canvas.show_labels = bool(visible)
        self.canvas.touch()

    def set_today_visible(self, visible: bool) -> None:
        """Show or hide the "today" line (exports of a past period may not want it)."""
        self.canvas.show_today = bool(visible)
        self.axis.show_today = bool(visible)
        self.axis.update()
        self.canvas.touch()

    # -- range ------------------------------------------------------------------------------
    def visible_range(self) -> tuple[float, float]:
        return self.canvas.x_range()

    def zoom_to(self, lower: float, upper: float) -> None:
        """Show [lower, upper] (UTC seconds), within the zoom limits."""
        lower, upper = float(lower), float(upper)
        if upper < lower:
            lower, upper = upper, lower
        if upper - lower < MIN_RANGE:
            middle = (lower + upper) / 2
            lower, upper = middle - MIN_RANGE / 2, middle + MIN_RANGE / 2
        self._has_range = True
        self.viewbox.setXRange(lower, upper, padding=0)

    def fit_all(self, *, animated: bool = False) -> None:
        """Show every event that passes the filter, with a little air on both sides;
        `animated` glides there, so the eye can follow where the matches are."""
        extent = self._extent(self.canvas.mask)
        lower, upper = DEFAULT_RANGE if extent is None else _padded(*extent)
        if animated and self._has_range:
            self.glide_to(lower, upper)
        else:
            self.zoom_to(lower, upper)

    GLIDE_MS = 250
    """How long a glide to a new range takes: enough to see the direction, short enough
    not to wait for."""

    def glide_to(self, lower: float, upper: float) -> None:
        """Move the view to [lower, upper] in a short animation (one step, not an undo
        step); a new glide or zoom takes over from one still running."""
        self._stop_glide()
        start_lower, start_upper = self.visible_range()
        animation = QtCore.QVariantAnimation(self)
        animation.setDuration(self.GLIDE_MS)
        animation.setStartValue(0.0)
        animation.setEndValue(1.0)
        animation.setEasingCurve(QtCore.QEasingCurve.Type.OutCubic)

        def step(value: object) -> None:
            share = float(value)  # type: ignore[arg-type]
            self.zoom_to(
                start_lower + (lower - start_lower) * share,
                start_upper + (upper - start_upper) * share,
            )

        animation.valueChanged.connect(step)
        animation.finished.connect(lambda: self.zoom_to(lower, upper))
        self._glide = animation
        animation.start()

    def _stop_glide(self) -> None:
        glide = getattr(self, "_glide", None)
        if glide is not None:
            glide.stop()
            self._glide = None

    def is_gliding(self) -> bool:
        glide = getattr(self, "_glide", None)
        return glide is not None and glide.state() == QtCore.QAbstractAnimation.State.Running

    def go_to_latest(self) -> None:
        """Keep the zoom and bring the latest of the shown events into view, near the right
        edge (the End key: where the story stands now)."""
        extent = self._extent(self.canvas.mask)
        if extent is None:
            return
        lower, upper = self.visible_range()
        width = upper - lower
        latest = extent[1]
        self.zoom_to(latest - width * 0.9, latest + width * 0.1)

    def zoom_to_selection(self) -> None:
        selected = self.canvas.selected
        if selected.shape[0] and selected.any():
            extent = self._extent(selected)
            if extent is not None:
                self.zoom_to(*_padded(*extent))

    def zoom_by(self, factor: float, centre: float | None = None) -> None:
        """Zoom in (factor > 1) or out around `centre` (the middle of the view by default)."""
        lower, upper = self.visible_range()
        centre = (lower + upper) / 2 if centre is None else centre
        self.zoom_to(centre - (centre - lower) / factor, centre + (upper - centre) / factor)

    def pan_by(self, fraction: float) -> None:
        lower, upper = self.visible_range()
        shift = (upper - lower) * fraction
        self.zoom_to(lower + shift, upper + shift)

    def _extent(self, mask: np.ndarray | None) -> tuple[float, float] | None:
        """From the first start to the last end (an open end: now) of the events `mask`
        keeps, or of them all."""
        columns = self.canvas.columns
        if not len(columns):
            return None
        start, end = columns.start, columns.drawn_end(self.canvas.now())
        if mask is None:  # starts are sorted: the first is the earliest
            return float(start[0]), max(float(end.max()), float(start[-1]))
        if not mask.any():
            return None
        first = int(np.argmax(mask))
        last = len(mask) - 1 - int(np.argmax(mask[::-1]))
        latest = float(np.max(end, where=mask, initial=-np.inf))
        return float(start[first]), max(latest, float(start[last]))

    def _apply_limits(self) -> None:
        extent = self._extent(None)
        lower, upper = extent if extent is not None else DEFAULT_RANGE
        pad = max((upper - lower) * 0.5, 2 * YEAR)
        self.viewbox.setLimits(
            xMin=lower - pad,
            xMax=upper + pad,
            minXRange=MIN_RANGE,
            maxXRange=(upper - lower) + 2 * pad,
        )

    # -- selection --------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        columns = self.canvas.columns
        if not self.canvas.selected.shape[0]:
            return []
        return [str(i) for i in columns.ids[self.canvas.selected]]

    def set_selection(self, ids: Iterable[str]) -> None:
        """Select these events (e.g. from the table); does not emit selectionChanged."""
        self._set_selected(mask_of_ids(self.canvas.columns, ids))

    def _set_selected(self, mask: np.ndarray) -> bool:
        if mask.shape == self.canvas.selected.shape and np.array_equal(mask, self.canvas.selected):
            return False
        self.canvas.selected = mask
        self.canvas.selection_version += 1
        self.events_item.update()
        self.links_item.update()  # the selected events' links are highlighted
        return True

    def _select_by_user(self, events: np.ndarray, mode: str) -> None:
        """mode: "replace", "add" or "toggle"; emits selectionChanged when it changed."""
        current = self.canvas.selected.copy()
        if current.shape[0] != len(self.canvas.columns):
            current = np.zeros(len(self.canvas.columns), dtype=bool)
        if mode == "replace":
            current[:] = False
            current[events] = True
        elif mode == "add":
            current[events] = True
        else:
            current[events] = ~current[events]
        if self._set_selected(current):
            self.selectionChanged.emit(self.selected_ids())

    # -- export -----------------------------------------------------------------------------
    def state(self) -> TimelineState:
        canvas = self.canvas
        return TimelineState(
            columns=canvas.columns,
            x_range=self.visible_range(),
            eras=self._eras,
            mask=None if canvas.mask is None else canvas.mask.copy(),
            lane_mode=canvas.lane_mode,
            theme=canvas.theme.name,
            selected_ids=tuple(self.selected_ids()),
            show_labels=canvas.show_labels,
            show_today=canvas.show_today,
            details=dict(self._details),
            links=tuple(self.links_item.links()) if self.links_item.shown else (),
        )

    def apply_state(self, state: TimelineState) -> None:
        self.canvas.lane_mode = state.lane_mode
        self.canvas.show_labels = state.show_labels
        self.set_today_visible(state.show_today)
        self.set_theme(state.theme)
        self._has_range = True
        self.set_events(state.columns)
        if state.mask is not None:
            self.set_filter(state.mask)
        self.set_eras(state.eras)
        self.set_details(state.details)
        self.set_links(state.links)
        self.set_links_visible(bool(state.links))
        self.set_selection(state.selected_ids)
        self.zoom_to(*state.x_range)

    def paint_chart(self, painter: QtGui.QPainter, target: QtCore.QRectF) -> None:
        """Paint the chart (lanes, eras, events, labels, axis; no overview) into `target`."""
        source = QtCore.QRectF(self.plot.sceneRect())
        engine = painter.paintEngine()
        vector = engine is not None and engine.type() in VECTOR_ENGINES
        cached = (self.header, self._legend)
        if vector:  # cached items would be pasted in as pictures: draw them as shapes
            for item in cached:
                item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.NoCache)
        painter.save()
        try:
            painter.fillRect(target, QtGui.QColor(self.canvas.theme.plot))
            self.plot.scene().render(
                painter, target, source, QtCore.Qt.AspectRatioMode.IgnoreAspectRatio
            )
        finally:
            painter.restore()
            if vector:
                for item in cached:
                    item.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)

    # -- hover and tooltips -----------------------------------------------------------------
    def _chart_point(self, widget_point: QtCore.QPoint | QtCore.QPointF) -> QtCore.QPointF:
        """A point of this widget in the chart's pixel coordinates."""
        viewport = self.plot.viewport()
        in_view = viewport.mapFrom(self, QtCore.QPointF(widget_point).toPoint())
        scene = self.plot.mapToScene(in_view)
        return self.viewbox.mapFromScene(scene)

    def hit_at(self, widget_point: QtCore.QPoint | QtCore.QPointF) -> Hit | None:
        point = self._chart_point(widget_point)
        if not self.viewbox.rect().contains(point):
            return None
        return self.events_item.hit(point.x(), point.y())

    def tool_tip_at(self, widget_point: QtCore.QPoint | QtCore.QPointF) -> str:
        """The hover text for a point of this widget ("" over nothing)."""
        point = self._chart_point(widget_point)
        if not self.viewbox.rect().contains(point):
            return ""
        hit = self.events_item.hit(point.x(), point.y())
        if hit is not None:
            return self._describe(hit)
        link = self.links_item.link_at(point.x(), point.y())
        if link is not None:
            titles = self.canvas.columns.titles
            first, second = (html.escape(str(titles[index])) for index in link[:2])
            return f"<b>{first}</b> {LINK_WORDS[link[2]][0]} <b>{second}</b>"
        era = self.eras_item.era_at(point.x(), point.y())
        if era is not None:
            span = f"{format_instant(era.lower)} – {format_instant(era.upper - 1)}"
            return f"<b>{html.escape(era.name)}</b><br>{html.escape(span)}"
        return ""

    def _describe(self, hit: Hit) -> str:
        canvas = self.canvas
        if hit.kind == "density":
            lane = canvas.rows.lanes[hit.lane].name
            noun = "event" if hit.count == 1 else "events"
            return (
                f"<b>{hit.count:,} {noun}</b><br>{html.escape(lane)} · "
                f"{html.escape(format_range(hit.lower, hit.upper))}<br>"
                "<i>Zoom in to see them one by one</i>"
            )
        columns = canvas.columns
        index = hit.event
        event_id = str(columns.ids[index])
        lines = [f"<b>{html.escape(str(columns.titles[index]))}</b>"]
        details = self._details.get(event_id)
        when = describe_when(columns, index)
        if details is not None and details[0]:
            try:
                when = describe_span(parse_span(details[0], details[1] or None))
            except DateError:
                when = details[0] + (f" – {details[1]}" if details[1] else "")
        lines.append(html.escape(when))
        category = int(columns.category[index])
        names = columns.category_names
        certainty = int(columns.certainty[index])
        certainty_name = (
            CERTAINTY_ORDER[certainty].value if 0 <= certainty < len(CERTAINTY_ORDER) else "?"
        )
        facts = [
            names[category] if 0 <= category < len(names) else "",
            certainty_name,
            f"importance {int(columns.importance[index])}",
        ]
        lines.append(html.escape(" · ".join(fact for fact in facts if fact)))
        if columns.actors and columns.actors[index]:
            lines.append(html.escape(", ".join(columns.actors[index])))
        if details is not None and details[2]:
            lines.append(f"<i>{html.escape(details[2])}</i>")
        if self.detailProvider is not None:
            extra = self.detailProvider(event_id)
            if extra:
                lines.append(html.escape(extra).replace("\n", "<br>"))
        return "<br>".join(lines)

    def _mouse_moved(self, scene_pos: QtCore.QPointF) -> None:
        point = self.viewbox.mapFromScene(scene_pos)
        hit = None
        if self.viewbox.rect().contains(point):
            hit = self.events_item.hit(point.x(), point.y())
        if hit != self.events_item.hover:
            self.events_item.hover = hit
            self.events_item.update()
        widget_point = self.plot.viewport().mapTo(self, self.plot.mapFromScene(scene_pos))
        text = self.tool_tip_at(widget_point)
        if text != self._last_tip:
            self._last_tip = text
            if text:
                QtWidgets.QToolTip.showText(
                    self.mapToGlobal(widget_point) + QtCore.QPoint(14, 14), text, self.plot
                )
            else:
                QtWidgets.QToolTip.hideText()
        cursor = (
            QtCore.Qt.CursorShape.PointingHandCursor
            if (hit is not None and hit.kind == "event")
            else QtCore.Qt.CursorShape.ArrowCursor
        )
        self.plot.viewport().setCursor(cursor)

    # -- gestures ---------------------------------------------------------------------------
    def _clicked(self, point: QtCore.QPointF, modifiers: object, double: bool) -> None:
        self.plot.setFocus()
        hit = self.events_item.hit(point.x(), point.y())
        event = hit.event if hit is not None and hit.kind == "event" else -1
        if double:
            if event >= 0:
                self.editRequested.emit(str(self.canvas.columns.ids[event]))
            return
        ctrl = bool(modifiers & QtCore.Qt.KeyboardModifier.ControlModifier)
        shift = bool(modifiers & QtCore.Qt.KeyboardModifier.ShiftModifier)
        if event < 0:
            if not (ctrl or shift):
                self._select_by_user(np.empty(0, dtype=np.int64), "replace")
            return
        mode = "toggle" if ctrl else "add" if shift else "replace"
        self._select_by_user(np.asarray([event]), mode)

    def _event_at(self, point: QtCore.QPointF) -> int:
        """The column index of the event drawn at this chart pixel, or -1."""
        hit = self.events_item.hit(point.x(), point.y())
        return hit.event if hit is not None and hit.kind == "event" else -1

    def _mark_point(self, event: int, near: QtCore.QPointF) -> QtCore.QPointF:
        """Where an event's mark is drawn (its marker's centre, or a bar's middle under
        the pointer): the rubber arrow snaps there."""
        frame = self.events_item.frame()
        at = np.flatnonzero(frame.event == event)
        if not at.size:
            return near
        i = int(at[np.argmin(np.abs(frame.y[at] - near.y()))])
        if frame.is_span[i]:
            x = float(np.clip(near.x(), frame.x_start[i], frame.x_end[i]))
            return QtCore.QPointF(x, float(frame.y[i]) + SPAN_BAR / 2)
        return QtCore.QPointF(float(frame.x[i]), float(frame.y[i]))

    def _link_dragged(self, start: QtCore.QPointF, end: QtCore.QPointF, finished: bool) -> None:
        """Alt+drag from an event: a rubber arrow follows the pointer (snapping to an event
        under it); released over another event, a menu asks for the kind of link."""
        source = self._event_at(start)
        target = self._event_at(end)
        if target == source:
            target = -1
        if not finished and source >= 0:
            tip = self._mark_point(target, end) if target >= 0 else end
            self.links_item.drag = (self._mark_point(source, start), tip)
            self.links_item.update()
            return
        self.links_item.drag = None
        self.links_item.update()
        if source < 0 or target < 0:
            return
        ids = self.canvas.columns.ids
        scene = self.viewbox.mapToScene(end)
        widget_point = self.plot.viewport().mapTo(self, self.plot.mapFromScene(scene))
        menu = self.link_menu(str(ids[source]), str(ids[target]))
        menu.popup(self.mapToGlobal(widget_point))

    def link_menu(self, from_id: str, to_id: str) -> QtWidgets.QMenu:
        """The menu that asks how `from_id` bears on `to_id` (not yet shown); choosing a
        kind emits linkRequested."""
        columns = self.canvas.columns
        titles = {}
        for event_id in (from_id, to_id):
            index = columns.index_of(event_id)
            title = str(columns.titles[index]) if index is not None else event_id
            titles[event_id] = title if len(title) <= 40 else title[:39] + "…"
        menu = QtWidgets.QMenu(self)
        heading = menu.addAction(f"Link “{titles[from_id]}”:")
        heading.setEnabled(False)
        menu.addSeparator()
        for kind in LinkKind:
            action = menu.addAction(f"{LINK_WORDS[kind][0]} “{titles[to_id]}”")
            action.setData(kind.value)
            action.triggered.connect(
                lambda _=False, k=kind.value: self.linkRequested.emit(from_id, to_id, k)
            )
        self._menu = menu
        return menu

    def _band_changed(self, rect: QtCore.QRectF | None) -> None:
        self.events_item.rubber_band = rect
        self.events_item.update()

    def _band_finished(self, rect: QtCore.QRectF, modifiers: object) -> None:
        events = self.events_item.events_in(rect)
        # Shift (or the right button) starts a band and replaces; Ctrl adds to the selection.
        add = bool(modifiers & QtCore.Qt.KeyboardModifier.ControlModifier)
        self._select_by_user(events, "add" if add else "replace")

    def context_menu_at(self, widget_point: QtCore.QPoint | QtCore.QPointF) -> QtWidgets.QMenu:
        """The menu for a right click at this point of the widget (not yet shown)."""
        point = self._chart_point(widget_point)
        seconds = self.canvas.to_seconds(point.x())
        menu = QtWidgets.QMenu(self)
        new_event = menu.addAction("New event here…")
        new_event.triggered.connect(lambda: self.newEventRequested.emit(seconds))
        menu.addSeparator()
        to_selection = menu.addAction("Zoom to selection")
        to_selection.setEnabled(bool(self.canvas.selected.any()))
        to_selection.triggered.connect(self.zoom_to_selection)
        menu.addAction("Fit all").triggered.connect(self.fit_all)
        lanes = menu.addMenu("Lanes")
        for mode, label in (
            ("category", "By category"),
            ("actor", "By actor"),
            ("single", "Single lane"),
        ):
            action = lanes.addAction(label)
            action.setCheckable(True)
            action.setChecked(mode == self.canvas.lane_mode)
            action.triggered.connect(lambda _=False, m=mode: self.set_lane_mode(m))
        self._menu = menu
        return menu

    def _menu_requested(self, point: QtCore.QPointF, screen: QtCore.QPoint) -> None:
        scene = self.viewbox.mapToScene(point)
        widget_point = self.plot.viewport().mapTo(self, self.plot.mapFromScene(scene))
        self.context_menu_at(widget_point).popup(screen)

    def _pointer_left(self) -> None:
        if self.events_item.hover is not None:
            self.events_item.hover = None
            self.events_item.update()

    def _key(self, event: QtGui.QKeyEvent) -> bool:
        key = event.key()
        keys = QtCore.Qt.Key
        if key in (keys.Key_Plus, keys.Key_Equal):
            self.zoom_by(KEY_ZOOM)
        elif key in (keys.Key_Minus, keys.Key_Underscore):
            self.zoom_by(1 / KEY_ZOOM)
        elif key == keys.Key_Left:
            self.pan_by(-KEY_PAN)
        elif key == keys.Key_Right:
            self.pan_by(KEY_PAN)
        elif key == keys.Key_Home:
            self.fit_all()
        elif key == keys.Key_End:
            self.go_to_latest()
        elif key == keys.Key_Escape:
            self._select_by_user(np.empty(0, dtype=np.int64), "replace")
        else:
            return False
        return True

    # -- plumbing ---------------------------------------------------------------------------
    def _fit_header(self) -> None:
        """Widen the lane names' column to the longest name shown (within limits)."""
        width = self.header.fitted_width()
        if width == self.header.maximumWidth():
            return
        for item in (self.header, self._legend):
            item.setMinimumWidth(width)
            item.setMaximumWidth(width)
        if self.overview is not None:
            self.overview.set_left_margin(width)
        self.plot.centralWidget.layout.activate()  # the chart takes its new width now

    def _repaint(self) -> None:
        for item in self._items:
            item.update()
        self.header.update()
        self._legend.update()

    def _resized(self) -> None:
        for item in self._items:
            item.prepareGeometryChange()
        self._repaint()

    def _range_changed(self, _view: object, x_range: tuple[float, float]) -> None:
        lower, upper = float(x_range[0]), float(x_range[1])
        for item in self._items:
            item.update()
        if self.overview is not None:
            self.overview.set_window(lower, upper)
        self.visibleRangeChanged.emit(lower, upper)

    def _update_overview(self) -> None:
        if self.overview is not None:
            self._overview_stale = True
            self._refresh_timer.start()

    def _refresh(self) -> None:
        """Bring the lane names' column and the overview up to date with the data."""
        self._refresh_timer.stop()
        self._fit_header()
        if self.overview is None or not self._overview_stale:
            return
        self._overview_stale = False
        columns = self.canvas.columns
        extent = self._extent(None)
        span = _padded(*extent) if extent is not None else DEFAULT_RANGE
        self.overview.set_events(
            columns.start,
            columns.drawn_end(self.canvas.now()),
            columns.is_span,
            self.canvas.mask,
            span,
            self._marks_in,
        )
        self.overview.set_window(*self.visible_range())

    def _marks_in(self, edges: np.ndarray) -> np.ndarray | None:
        """Events per bin for the overview, from the sorted lanes; None by actor (an event
        has a row per actor there)."""
        if self.canvas.lane_mode == "actor":
            return None
        return marker_counts(self.canvas.rows, edges)


def describe_when(columns: EventColumns, index: int) -> str:
    """When an event was, in words, from its columns alone (bounds, precision and shape):
    "between 1990 and 1994", "before May 1990", "after 2001", "24 February 2022 – ongoing"."""
    precision = int(columns.precision[index])
    shape = int(columns.shape[index])
    start = float(columns.start[index])
    is_span = bool(columns.is_span[index])
    first = format_instant(start, precision)
    if shape & SHAPE_BEFORE:
        first = f"before {first}"
    elif shape & SHAPE_AFTER:
        first = f"after {first}"
    elif shape & SHAPE_ONE_OF:
        # a span keeps only the start's lower bound: its latest possible start is not held
        first = (
            f"not before {first}"
            if is_span
            else f"between {first} and {format_instant(columns.end[index] - 1, precision)}"
        )
    if not is_span:
        return first
    if shape & SHAPE_OPEN_END:
        return f"{first} – ongoing"
    if shape & SHAPE_UNKNOWN_END:
        return f"{first} – unknown"
    return f"{first} – {format_instant(columns.end[index] - 1, precision)}"


def _padded(lower: float, upper: float) -> tuple[float, float]:
    """A range with 3% of air each side (and at least a day wide)."""
    span = max(upper - lower, 86_400.0)
    middle = (lower + upper) / 2
    half = span * 0.53
    return middle - half, middle + half


def render_timeline(
    painter: QtGui.QPainter,
    target: QtCore.QRectF,
    state: TimelineState,
    size: QtCore.QSizeF | QtCore.QSize | None = None,
) -> list[tuple[float, float, float, float]]:
    """Draw the chart for `state` onto any painter, laid out at `size` and scaled to `target`.

    Returns the rectangles of the titles placed (layout pixels), so callers can report or
    check what the output shows.

    `size` (logical pixels, default: the target's size) decides the layout — how many
    titles fit, which ticks are labelled — so a 1600×900 layout rendered into a 3200×1800
    image is the same chart at twice the resolution.
    """
    if state.theme not in THEMES:
        raise ValueError(f"unknown theme {state.theme!r}")
    layout_size = QtCore.QSizeF(size) if size is not None else QtCore.QSizeF(target.size())
    widget = TimelineWidget(show_overview=False)
    widget.links_item.says_hidden = False
    try:
        widget.setAttribute(QtCore.Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        widget.resize(max(round(layout_size.width()), 320), max(round(layout_size.height()), 200))
        widget.show()
        QtWidgets.QApplication.processEvents()
        widget.apply_state(state)
        widget._refresh()
        QtWidgets.QApplication.processEvents()
        widget.paint_chart(painter, QtCore.QRectF(target))
        return widget.events_item.frame().labels.rects()
    finally:
        widget.close()
        widget.deleteLater()
