"""A UTC date axis whose ticks adapt from millennia to minutes, with a row of context below.

`date_ticks` is pure (numpy calendar arithmetic, no Qt) so the tick choice is unit-tested and
shared: the axis labels it, the lanes draw their grid from it, the overview reuses it. Labels
are calendar-aware (months and years are not fixed seconds) and always UTC, so an event dated
"2023-03-12" sits on the 12 March tick for every analyst whatever their time zone.
"""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

from timeline_app.domain.dates import (
    PRECISION_ORDER,
    Precision,
    describe_instant,
    describe_year,
    utc_time,
)
from timeline_app.timeline.guarded import guarded_paint
from timeline_app.timeline.theme import LIGHT, Theme

MINUTE = 60.0
HOUR = 3600.0
DAY = 86_400.0
WEEK = 7 * DAY
MONTH = 30.436875 * DAY
YEAR = 365.2425 * DAY

# (unit, step, approximate seconds, minimum pixels between ticks): finest first.
_LEVELS: tuple[tuple[str, int, float, float], ...] = (
    # minutes only once the hours are far apart: a day's half-hours would crowd the axis
    ("m", 1, MINUTE, 60),
    ("m", 5, 5 * MINUTE, 60),
    ("m", 15, 15 * MINUTE, 90),
    ("m", 30, 30 * MINUTE, 130),
    ("h", 1, HOUR, 44),
    ("h", 3, 3 * HOUR, 44),
    ("h", 6, 6 * HOUR, 44),
    ("h", 12, 12 * HOUR, 44),
    ("D", 1, DAY, 30),
    ("D", 2, 2 * DAY, 30),
    ("W", 1, WEEK, 36),
    ("M", 1, MONTH, 36),
    ("M", 3, 3 * MONTH, 40),
    ("M", 6, 6 * MONTH, 40),
    ("Y", 1, YEAR, 44),
    ("Y", 2, 2 * YEAR, 44),
    ("Y", 5, 5 * YEAR, 44),
    ("Y", 10, 10 * YEAR, 44),
    ("Y", 20, 20 * YEAR, 44),
    ("Y", 50, 50 * YEAR, 44),
    ("Y", 100, 100 * YEAR, 48),
    ("Y", 200, 200 * YEAR, 48),
    ("Y", 500, 500 * YEAR, 48),
    ("Y", 1000, 1000 * YEAR, 48),
)
_MAX_TICKS = 400
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday; Monday is weekday 0


@dataclass(frozen=True, slots=True)
class TickSet:
    """What an axis shows for one visible range and width.

    major: (seconds, label) at every labelled tick; minor: unlabelled finer ticks;
    context: (seconds, label) at the start of each enclosing unit (the year under months,
    the month under days, the day under hours) — the second row a reader needs to orient.
    """

    unit: str
    step: int
    major: list[tuple[float, str]] = field(default_factory=list)
    minor: list[float] = field(default_factory=list)
    context: list[tuple[float, str]] = field(default_factory=list)


def _to_unit(seconds: float, unit: str) -> int:
    """Whole `unit`s since the epoch containing `seconds` (floor, also before 1970)."""
    if unit == "W":
        days = int(np.floor(seconds / DAY))
        return (days + _EPOCH_WEEKDAY) // 7
    value = np.datetime64(int(np.floor(seconds)), "s").astype(f"datetime64[{unit}]")
    return int(value.astype(np.int64))


def _unit_starts(first: int, last: int, unit: str, step: int) -> np.ndarray:
    """UTC seconds of every `step`-aligned unit start in [first, last] (unit counts)."""
    aligned = first - (first % step)
    counts = np.arange(aligned, last + 1, step, dtype=np.int64)
    if unit == "W":
        return (counts * 7 - _EPOCH_WEEKDAY) * DAY
    if unit == "Y":
        # numpy's year counts are from 1970; align on calendar years (2000, 2010, ...).
        years = np.arange(((1970 + first) // step) * step, 1970 + last + 1, step)
        counts = years - 1970
    return counts.astype(f"datetime64[{unit}]").astype("datetime64[s]").astype(np.float64)


def _range_starts(lower: float, upper: float, unit: str, step: int) -> np.ndarray:
    starts = _unit_starts(_to_unit(lower, unit), _to_unit(upper, unit), unit, step)
    return starts[(starts >= lower) & (starts <= upper)]


def _struct(seconds: float) -> time.struct_time:
    """Calendar fields of a UTC instant, also before year 1 (`time.gmtime` is not portable
    there); tm_year is astronomical (0 is 1 BC)."""
    when = utc_time(float(seconds))
    weekday = (int(np.floor(seconds / DAY)) + _EPOCH_WEEKDAY) % 7
    return time.struct_time((*when, weekday, 0, 0))


def _major_label(seconds: float, unit: str, step_px: float) -> str:
    parts = _struct(seconds)
    if unit in ("h", "m"):
        return f"{parts.tm_hour:02d}:{parts.tm_min:02d}"
    if unit in ("D", "W"):
        if step_px >= 64:
            return f"{calendar.day_abbr[parts.tm_wday]} {parts.tm_mday}"
        return str(parts.tm_mday)
    if unit == "M":
        return (
            calendar.month_name[parts.tm_mon]
            if step_px >= 84
            else calendar.month_abbr[parts.tm_mon]
        )
    return describe_year(parts.tm_year)


def _context_label(seconds: float, unit: str) -> str:
    parts = _struct(seconds)
    if unit == "D":
        return (
            f"{calendar.day_abbr[parts.tm_wday]} {parts.tm_mday} "
            f"{calendar.month_name[parts.tm_mon]} {describe_year(parts.tm_year)}"
        )
    if unit == "M":
        return f"{calendar.month_name[parts.tm_mon]} {describe_year(parts.tm_year)}"
    return describe_year(parts.tm_year)


def choose_level(lower: float, upper: float, width_px: float) -> tuple[str, int]:
    """The finest (unit, step) whose ticks stay far enough apart to label."""
    span = max(upper - lower, 1.0)
    px_per_second = max(width_px, 1.0) / span
    for unit, step, seconds, min_px in _LEVELS:
        if seconds * px_per_second >= min_px and span / seconds <= _MAX_TICKS:
            return unit, step
    return _LEVELS[-1][0], _LEVELS[-1][1]


def date_ticks(lower: float, upper: float, width_px: float) -> TickSet:
    """Ticks for the UTC range [lower, upper] drawn `width_px` wide (remembered for the
    last few views: the axis and the chart's grid ask for the same ones every frame; the
    lists are shared, so callers must not change them)."""
    return _date_ticks(float(lower), float(upper), float(width_px))


@lru_cache(maxsize=8)
def _date_ticks(lower: float, upper: float, width_px: float) -> TickSet:
    if not (np.isfinite(lower) and np.isfinite(upper)) or upper <= lower or width_px <= 0:
        return TickSet("Y", 1)
    unit, step = choose_level(lower, upper, width_px)
    px_per_second = width_px / (upper - lower)
    level_seconds = next(s for u, st, s, _ in _LEVELS if (u, st) == (unit, step))
    step_px = level_seconds * px_per_second
    majors = _range_starts(lower, upper, unit, step)
    major = [(float(x), _major_label(x, unit, step_px)) for x in majors]

    # Minor ticks: the next finer natural unit when it is not too crowded.
    minor_unit, minor_step = {
        "m": ("m", 1),
        "h": ("m", 15),
        "D": ("h", 6),
        "W": ("D", 1),
        "M": ("M", 1),
        "Y": ("Y", 1),
    }[unit]
    minor_seconds = {"m": MINUTE, "h": HOUR, "D": DAY, "M": MONTH, "Y": YEAR}[minor_unit]
    minor_seconds *= minor_step
    minor: list[float] = []
    if minor_seconds * px_per_second >= 6 and (unit, step) != (minor_unit, minor_step):
        major_set = set(majors.tolist())
        minor = [
            float(x)
            for x in _range_starts(lower, upper, minor_unit, minor_step)
            if float(x) not in major_set
        ]

    context_unit = {"m": "D", "h": "D", "D": "M", "W": "M", "M": "Y"}.get(unit)
    context: list[tuple[float, str]] = []
    if context_unit is not None:
        first = _to_unit(lower, context_unit)
        starts = _unit_starts(first, _to_unit(upper, context_unit), context_unit, 1)
        context = [(float(x), _context_label(x, context_unit)) for x in starts if x <= upper]
    return TickSet(unit, step, major, minor, context)


def format_instant(seconds: float, precision: Precision | int = Precision.DAY) -> str:
    """A reader's date for drawing-side text (tooltips): as precisely as the event is known.

    `precision` is a Precision or its code (its position in PRECISION_ORDER, as EventColumns
    hold it); an unknown code reads as a day. Times show from minute precision, years before
    1 AD as "55 BC".
    """
    if not isinstance(precision, Precision):
        code = int(precision)
        precision = PRECISION_ORDER[code] if 0 <= code < len(PRECISION_ORDER) else Precision.DAY
    return describe_instant(seconds, precision)


def format_range(lower: float, upper: float) -> str:
    """A short human range for a pixel column or a window: '3–9 Mar 2023', '2019–2021'."""
    first, last = _struct(lower), _struct(max(lower, upper - 1))
    span = upper - lower
    if span >= 2 * YEAR:
        return f"{first.tm_year}–{last.tm_year}"
    if span >= 45 * DAY:
        return (
            f"{calendar.month_abbr[first.tm_mon]} {first.tm_year} – "
            f"{calendar.month_abbr[last.tm_mon]} {last.tm_year}"
        )
    if span > DAY:
        if (first.tm_year, first.tm_mon) == (last.tm_year, last.tm_mon):
            return (
                f"{first.tm_mday}–{last.tm_mday} {calendar.month_abbr[first.tm_mon]} "
                f"{first.tm_year}"
            )
        return (
            f"{first.tm_mday} {calendar.month_abbr[first.tm_mon]} – {last.tm_mday} "
            f"{calendar.month_abbr[last.tm_mon]} {last.tm_year}"
        )
    if span >= HOUR * 23:
        return f"{first.tm_mday} {calendar.month_abbr[first.tm_mon]} {first.tm_year}"
    return (
        f"{first.tm_mday} {calendar.month_abbr[first.tm_mon]} {first.tm_year} "
        f"{first.tm_hour:02d}:{first.tm_min:02d}–{last.tm_hour:02d}:{last.tm_min + 1:02d}"
    ).replace(":60", ":59")


def today_seconds() -> float:
    """Now, in UTC seconds: where the "today" line goes."""
    return time.time()


class DateAxis(pg.AxisItem):
    """The bottom axis: labelled ticks, minor ticks, and a context row (years under months…).

    pyqtgraph's AxisItem keeps the link to the view (range updates, wheel/drag on the axis
    zoom and pan the timeline); painting is our own so the two rows, the sticky context
    label and the theme all come from one place.
    """

    HEIGHT = 44

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__("bottom", parent=parent)
        self._theme = LIGHT
        self._font = QtGui.QFont()
        self._font.setPointSizeF(8.5)
        self._context_font = QtGui.QFont(self._font)
        self._context_font.setBold(True)
        self.show_today = True
        self._texts: dict[tuple[bool, str], tuple[QtGui.QStaticText, float]] = {}
        self.setHeight(self.HEIGHT)
        self.setStyle(showValues=False, tickLength=0)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def boundingRect(self) -> QtCore.QRectF:
        return QtCore.QRectF(0, 0, self.width(), self.height())

    def _text(self, label: str, context: bool = False) -> tuple[QtGui.QStaticText, float]:
        """Tick labels repeat from frame to frame: lay each out once."""
        key = (context, label)
        cached = self._texts.get(key)
        if cached is None:
            if len(self._texts) > 4000:
                self._texts.clear()
            font = self._context_font if context else self._font
            static = QtGui.QStaticText(label)
            static.setTextFormat(QtCore.Qt.TextFormat.PlainText)
            static.prepare(QtGui.QTransform(), font)
            cached = self._texts[key] = (static, QtGui.QFontMetricsF(font).horizontalAdvance(label))
        return cached

    def ticks(self) -> TickSet:
        lower, upper = self.range
        return date_ticks(float(lower), float(upper), float(self.width()))

    @guarded_paint
    def paint(self, painter: QtGui.QPainter, *args: object) -> None:
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
        width = float(self.width())
        lower, upper = (float(v) for v in self.range)
        if upper <= lower or width <= 0:
            return
        scale = width / (upper - lower)
        ticks = date_ticks(lower, upper, width)
        theme = self._theme
        painter.setPen(QtGui.QPen(QtGui.QColor(theme.lane_rule), 1))
        painter.drawLine(QtCore.QPointF(0, 0.5), QtCore.QPointF(width, 0.5))

        painter.setPen(QtGui.QPen(QtGui.QColor(theme.grid_minor), 1))
        for x in ticks.minor:
            px = (x - lower) * scale
            painter.drawLine(QtCore.QPointF(px, 0), QtCore.QPointF(px, 3))

        painter.setFont(self._font)
        text_pen = QtGui.QPen(QtGui.QColor(theme.axis_text))
        tick_pen = QtGui.QPen(QtGui.QColor(theme.grid_minor), 1)
        # Year-like labels sit centred under their tick; month and day labels sit to the
        # right of it, inside the interval they name.
        centred = ticks.unit in ("Y", "h")
        last_right = -1e9
        painter.setPen(tick_pen)
        for x, _ in ticks.major:
            px = (x - lower) * scale
            painter.drawLine(QtCore.QPointF(px, 0), QtCore.QPointF(px, 6))
        painter.setPen(text_pen)
        for x, label in ticks.major:
            px = (x - lower) * scale
            static, text_width = self._text(label)
            left = px - text_width / 2 if centred else px + 3
            if left < last_right + 6 or left + text_width > width + 2 or left < -2:
                continue
            painter.drawStaticText(QtCore.QPointF(left, 8), static)
            last_right = left + text_width

        if ticks.context:
            painter.setFont(self._context_font)
            positions = [((x - lower) * scale, label) for x, label in ticks.context]
            boundary_pen = QtGui.QPen(QtGui.QColor(theme.grid_minor), 1)
            context_pen = QtGui.QPen(QtGui.QColor(theme.text_muted))
            for index, (px, label) in enumerate(positions):
                static, text_width = self._text(label, context=True)
                left = max(px + 3, 3.0)  # sticky: the current unit's name stays in view
                next_px = positions[index + 1][0] if index + 1 < len(positions) else 1e12
                if left + text_width > next_px - 6:
                    left = next_px - 6 - text_width  # slide out as the next unit arrives
                    if left < px + 3 and px >= 0:
                        continue
                if left + text_width < 0 or left > width:
                    continue
                if px >= 0:
                    painter.setPen(boundary_pen)
                    painter.drawLine(QtCore.QPointF(px, 0), QtCore.QPointF(px, 38))
                painter.setPen(context_pen)
                painter.drawStaticText(QtCore.QPointF(left, 25), static)

        now = today_seconds()
        if self.show_today and lower <= now <= upper:
            self._paint_today(painter, (now - lower) * scale, width)

    def _paint_today(self, painter: QtGui.QPainter, px: float, width: float) -> None:
        """The "today" line continues into the axis and is named in the context row."""
        colour = QtGui.QColor(self._theme.today)
        painter.setPen(QtGui.QPen(colour, 1.2, QtCore.Qt.PenStyle.DashLine))
        painter.drawLine(QtCore.QPointF(px, 0), QtCore.QPointF(px, 24))
        painter.setFont(self._context_font)
        metrics = QtGui.QFontMetricsF(self._context_font)
        label = "Today"
        box = QtCore.QRectF(
            px - metrics.horizontalAdvance(label) / 2 - 5,
            25,
            metrics.horizontalAdvance(label) + 10,
            metrics.height() + 2,
        )
        if box.right() > width:
            box.moveRight(width)
        if box.left() < 0:
            box.moveLeft(0)
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(QtGui.QPen(QtGui.QColor(self._theme.plot)))
        painter.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, label)
