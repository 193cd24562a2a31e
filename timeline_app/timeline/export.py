"""Timeline images for reports and slides: PNG, SVG and PDF, from the window or the CLI.

One page layout — title, subtitle and span; the chart; a legend of the categories shown and
of the certainty marks; a footer with the data credit and the export date — painted by one
function onto any QPainter. The chart itself is the timeline's own drawing
(`render_timeline`), laid out afresh for the output size, so a large image shows more
labels than a small one and none overlap. SVG and PDF get vector shapes and real text.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtGui

from timeline_app.domain.columns import EventColumns
from timeline_app.domain.errors import TimelineError
from timeline_app.domain.model import CERTAINTY_ORDER, EraRecord
from timeline_app.timeline.axis import format_range
from timeline_app.timeline.guarded import paint_failures
from timeline_app.timeline.link_arrows import link_legend_lines, paint_link_legend
from timeline_app.timeline.markers import SHAPE_LEGEND, draw_marker, draw_shape_glyph
from timeline_app.timeline.theme import Theme, mark_colour, theme_named
from timeline_app.timeline.view import TimelineState, render_timeline

FORMATS = ("png", "svg", "pdf")
BASE_WIDTH = 1280.0  # the page size at which text is drawn at its nominal size
BASE_HEIGHT = 720.0
LAYOUT_DPI = 96  # what the chart's point-sized fonts assume
MIN_PIXELS = 200
MAX_PIXELS = 20_000
MIN_DPI = 36
MAX_DPI = 1200
DEFAULT_CREDIT = "Data: timeline_app Russia–Iran dataset, CC BY 4.0 — sources cited per event"
FIT_MARGIN = 0.02
EMPTY_RANGE = (631_152_000.0, 1_767_225_600.0)  # 1990–2026, when there is nothing to fit


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What the reader asked for; sizes are in output pixels (PDF: a page of that size at `dpi`).

    `format` may stay empty: it then comes from the file name. `x_range` None means every
    event shown (or every filtered one), with a little air either side. `filter` keeps only
    some events: a boolean mask over the columns or a set of event ids; None keeps them all.
    """

    width: int = 1920
    height: int = 1080
    dpi: int = 150
    title: str = ""
    subtitle: str = ""
    theme: str = "light"
    format: str = ""
    x_range: tuple[float, float] | None = None
    filter: np.ndarray | frozenset[str] | None = field(default=None, compare=False)
    lane_mode: str = "category"
    credit: str = DEFAULT_CREDIT
    show_legend: bool = True
    exported_on: dt.date | None = None
    """The date in the footer's "Exported …" line; None is today (UTC)."""
    grades: Mapping[str, str] | None = field(default=None, compare=False)
    """The best source grade ("B2") of events by id: when given, each label ends with its
    event's grade and the legend explains the grade marks."""

    def checked(self) -> ExportOptions:
        """The same options, or TimelineError naming the first value out of range."""
        for name, value in (("width", self.width), ("height", self.height)):
            if not MIN_PIXELS <= value <= MAX_PIXELS:
                raise TimelineError(
                    f"--{name}: {value} is out of range {MIN_PIXELS}–{MAX_PIXELS} pixels"
                )
        if not MIN_DPI <= self.dpi <= MAX_DPI:
            raise TimelineError(f"--dpi: {self.dpi} is out of range {MIN_DPI}–{MAX_DPI}")
        try:
            theme_named(self.theme)
        except ValueError as error:
            raise TimelineError(f"--theme: {error}") from None
        if self.format and self.format not in FORMATS:
            raise TimelineError(f"{self.format!r} is not a supported image type (png, svg, pdf)")
        if self.x_range is not None and not self.x_range[0] < self.x_range[1]:
            raise TimelineError("the end of the date range is before its start")
        return self


def format_of(path: str | Path) -> str:
    """png, svg or pdf from the file name; TimelineError for anything else."""
    suffix = Path(str(path)).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        shown = f"'.{suffix}'" if suffix else "no extension"
        raise TimelineError(f"{path}: {shown} is not a supported image type (.png, .svg, .pdf)")
    return suffix


def check_writable(path: str | Path) -> Path:
    """The path, once we know a file can be written there; TimelineError otherwise."""
    target = Path(str(path)).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise TimelineError(f"{path}: is a folder")
    if not folder.is_dir():
        raise TimelineError(f"{path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise TimelineError(f"{path}: cannot write here (permission denied)")
    return target


# ---- the page ------------------------------------------------------------------------------


def _scale(width: float, height: float) -> float:
    """How much text and margins grow on a page larger than the base layout.

    The square root keeps both promises of a larger image: text stays legible on a slide,
    and the chart is laid out at a larger logical size, so more titles fit.
    """
    ratio = min(width / BASE_WIDTH, height / BASE_HEIGHT)
    return max(0.6, ratio**0.5)


def _font(points: float, scale: float, *, bold: bool = False) -> QtGui.QFont:
    font = QtGui.QFont()
    font.setPixelSize(max(6, round(points * scale)))
    font.setBold(bold)
    return font


def _visible_categories(state: TimelineState) -> list[tuple[str, str]]:
    """Names and colours of the categories that have an event inside the exported range."""
    columns = state.columns
    if not len(columns) or not columns.category_names:
        return []
    lower, upper = state.x_range
    inside = (columns.drawn_end(time.time()) > lower) & (columns.start < upper)
    if state.mask is not None:
        inside &= state.mask
    used = set(np.unique(columns.category[inside]).tolist())
    return [
        (name, columns.category_colours[index])
        for index, name in enumerate(columns.category_names)
        if index in used and index < len(columns.category_colours)
    ]


def _drawn(state: TimelineState) -> np.ndarray:
    """Which events the page draws: inside the range and through the filter."""
    columns = state.columns
    lower, upper = state.x_range
    inside = (columns.drawn_end(time.time()) > lower) & (columns.start < upper)
    if state.mask is not None:
        inside &= state.mask
    return inside


def visible_event_count(state: TimelineState) -> int:
    """How many events the page draws: inside the range and through the filter."""
    if not len(state.columns):
        return 0
    return int(_drawn(state).sum())


def data_span(state: TimelineState) -> tuple[float, float] | None:
    """From the first drawn event's start to the last one's end, within the range (an open
    end reaches today): what the data covers, not the margin the view pads it with."""
    if not len(state.columns):
        return None
    drawn = _drawn(state)
    if not drawn.any():
        return None
    lower, upper = state.x_range
    ends = state.columns.drawn_end(time.time())[drawn]
    first = max(float(state.columns.start[drawn].min()), lower)
    last = min(float(max(ends.max(), state.columns.start[drawn].max() + 1)), upper)
    return first, max(last, first + 1)


def paint_page(
    painter: QtGui.QPainter, page: QtCore.QRectF, state: TimelineState, options: ExportOptions
) -> list[tuple[float, float, float, float]]:
    """Paint the whole page — header, chart, legend, footer — into `page`.

    Returns the chart's placed title rectangles (in the chart's layout pixels). A part of the
    chart that fails to draw makes this raise TimelineError: an image with a blank part is
    never written as if it were whole."""
    with paint_failures() as failures:
        labels = _paint_page(painter, page, state, options)
    if failures:
        raise TimelineError(f"the image could not be drawn: {failures[0]}")
    return labels


def _paint_page(
    painter: QtGui.QPainter, page: QtCore.QRectF, state: TimelineState, options: ExportOptions
) -> list[tuple[float, float, float, float]]:
    theme: Theme = theme_named(options.theme)
    scale = _scale(page.width(), page.height())
    margin = 28 * scale
    painter.save()
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
    painter.fillRect(page, QtGui.QColor(theme.background))
    left = page.left() + margin
    width = page.width() - 2 * margin
    y = page.top() + margin * 0.8

    title_font = _font(30, scale, bold=True)
    sub_font = _font(17, scale)
    small_font = _font(12.5, scale)
    text = QtGui.QColor(theme.text)
    muted = QtGui.QColor(theme.text_muted)

    if options.title:
        y = _text_line(painter, options.title, title_font, text, left, y, width)
    count = visible_event_count(state)
    covered = data_span(state)
    span = f"{format_range(*covered)} · " if covered is not None else ""
    span += f"{count} event{'' if count == 1 else 's'}"
    subtitle = f"{options.subtitle} · {span}" if options.subtitle else span
    y = _text_line(painter, subtitle, sub_font, muted, left, y + 2 * scale, width)
    y += 10 * scale

    footer_height = QtGui.QFontMetricsF(small_font).height() + margin * 0.6
    state = _with_grades(state, options.grades)
    grade_note = GRADE_NOTE if options.show_legend and options.grades else ""
    legend_height = (
        _legend_height(painter, state, small_font, width, scale) if options.show_legend else 0.0
    )
    if grade_note:
        legend_height += QtGui.QFontMetricsF(small_font).height() + 4 * scale
    chart_bottom = page.bottom() - footer_height - legend_height
    chart = QtCore.QRectF(
        page.left() + margin * 0.4, y, page.width() - margin * 0.8, max(40.0, chart_bottom - y)
    )
    layout = QtCore.QSizeF(chart.width() / scale, chart.height() / scale)
    chart_state = replace(state, theme=options.theme, selected_ids=())
    painter.save()
    painter.setClipRect(chart)  # era bands and lanes end at the chart's edge
    labels = render_timeline(painter, chart, chart_state, size=layout)
    painter.restore()

    if options.show_legend:
        _paint_legend(
            painter, state, theme, small_font, left, chart.bottom() + 8 * scale, width, scale
        )
    if grade_note:
        _text_line(
            painter,
            grade_note,
            small_font,
            muted,
            left,
            page.bottom() - footer_height - QtGui.QFontMetricsF(small_font).height() - 4 * scale,
            width,
        )

    painter.setFont(small_font)
    painter.setPen(muted)
    metrics = QtGui.QFontMetricsF(small_font)
    baseline = page.bottom() - margin * 0.45
    credit = metrics.elidedText(options.credit, QtCore.Qt.TextElideMode.ElideRight, width * 0.7)
    painter.drawText(QtCore.QPointF(left, baseline), credit)
    exported_on = options.exported_on or dt.datetime.now(dt.UTC).date()
    stamp = f"Exported {exported_on:%d %B %Y} · timeline_app"
    painter.drawText(
        QtCore.QPointF(left + width - metrics.horizontalAdvance(stamp), baseline), stamp
    )
    painter.restore()
    return labels


GRADE_NOTE = (
    "[B2] after a title: the best grade of the event's sources — source reliability "
    "A (completely reliable) to F (cannot be judged), information credibility "
    "1 (confirmed by other sources) to 6 (cannot be judged)"
)
"""The legend's line explaining the grade marks appended to labels."""


def _with_grades(state: TimelineState, grades: Mapping[str, str] | None) -> TimelineState:
    """The state with each graded event's title ending in its best grade ("… [B2]")."""
    if not grades or not len(state.columns):
        return state
    columns = state.columns
    titles = np.array(
        [
            f"{title} [{grades[event_id]}]" if event_id in grades else title
            for event_id, title in zip(columns.ids, columns.titles, strict=True)
        ],
        dtype=object,
    )
    return replace(state, columns=replace(columns, titles=titles))


def _text_line(
    painter: QtGui.QPainter,
    value: str,
    font: QtGui.QFont,
    colour: QtGui.QColor,
    left: float,
    top: float,
    width: float,
) -> float:
    metrics = QtGui.QFontMetricsF(font)
    painter.setFont(font)
    painter.setPen(colour)
    shown = metrics.elidedText(value, QtCore.Qt.TextElideMode.ElideRight, width)
    painter.drawText(QtCore.QPointF(left, top + metrics.ascent()), shown)
    return top + metrics.height()


def _legend_entries(state: TimelineState) -> list[tuple[str, str | None, int]]:
    """(label, category colour or None, code) for each legend item, in order: a code ≥ 0 is
    a certainty, a negative one the SHAPE_* flag (negated) of a shape of date the page
    draws — those are explained only when there are some."""
    entries: list[tuple[str, str | None, int]] = [
        (name, colour, 0) for name, colour in _visible_categories(state)
    ]
    entries += [(certainty.value, None, code) for code, certainty in enumerate(CERTAINTY_ORDER)]
    if len(state.columns):
        shapes = np.bitwise_or.reduce(state.columns.shape[_drawn(state)], initial=0)
        entries += [(label, None, -flag) for flag, label in SHAPE_LEGEND if shapes & flag]
    return entries


def _key_width(code: int, scale: float) -> float:
    """Pixels from a legend item's start to its label: a shape's key is twice as wide."""
    return (24 if code < 0 else 18) * scale


def _legend_rows(
    entries: list[tuple[str, str | None, int]],
    metrics: QtGui.QFontMetricsF,
    width: float,
    scale: float,
) -> list[list[tuple[str, str | None, int, float, float]]]:
    """Entries (with the gap before each, and its width) in as few rows as fit `width`,
    balanced so that no row holds a lone straggler.

    The certainty marks start after a wider gap, so they read as a group of their own."""
    gap = 16 * scale
    widths = []
    for index, (label, colour, code) in enumerate(entries):
        previous = entries[index - 1] if index else None
        lead = (
            gap
            if previous is not None
            and colour is None
            and (previous[1] is not None or (code < 0 <= previous[2]))
            else 0.0
        )
        key = _key_width(code, scale)
        widths.append((lead, key + metrics.horizontalAdvance(label) + gap))

    def wrap(limit: float) -> list[list[int]]:
        rows: list[list[int]] = [[]]
        x = 0.0
        for index, (lead, item) in enumerate(widths):
            if rows[-1] and x + lead + item > limit:
                rows.append([])
                x = 0.0
            x += (lead if rows[-1] else 0.0) + item
            rows[-1].append(index)
        return rows

    count = len(wrap(width))
    low, high = 0.0, width  # the narrowest limit that needs no more rows than `width` does
    for _ in range(20):
        middle = (low + high) / 2
        low, high = (low, middle) if len(wrap(middle)) <= count else (middle, high)
    result = []
    for row in wrap(high):
        placed = []
        for position, index in enumerate(row):
            label, colour, code = entries[index]
            lead, item = widths[index]
            placed.append((label, colour, code, lead if position else 0.0, item))
        result.append(placed)
    return result


def _legend_height(
    painter: QtGui.QPainter, state: TimelineState, font: QtGui.QFont, width: float, scale: float
) -> float:
    metrics = QtGui.QFontMetricsF(font)
    rows = len(_legend_rows(_legend_entries(state), metrics, width, scale))
    rows += link_legend_lines(state)  # the kinds of link the arrows show
    return rows * (metrics.height() + 6 * scale) + 12 * scale


def _paint_legend(
    painter: QtGui.QPainter,
    state: TimelineState,
    theme: Theme,
    font: QtGui.QFont,
    left: float,
    top: float,
    width: float,
    scale: float,
) -> None:
    metrics = QtGui.QFontMetricsF(font)
    painter.setFont(font)
    line = metrics.height() + 6 * scale
    neutral = QtGui.QColor(theme.text_muted)
    rows = _legend_rows(_legend_entries(state), metrics, width, scale)
    paint_link_legend(painter, state, theme, font, left, top + len(rows) * line + line / 2, scale)
    for row_index, row in enumerate(rows):
        x = left
        centre_y = top + row_index * line + line / 2
        for label, colour, code, lead, item_width in row:
            x += lead
            key = _key_width(code, scale)
            centre = QtCore.QPointF(x + (key - 4 * scale) / 2, centre_y)
            if colour is not None:
                painter.setPen(QtCore.Qt.PenStyle.NoPen)
                painter.setBrush(QtGui.QColor(mark_colour(theme, colour)))
                side = 11 * scale
                painter.drawRoundedRect(
                    QtCore.QRectF(centre.x() - side / 2, centre.y() - side / 2, side, side),
                    2 * scale,
                    2 * scale,
                )
            elif code < 0:
                draw_shape_glyph(painter, centre, 11 * scale, neutral, -code)
            else:
                draw_marker(painter, centre, 11 * scale, neutral, code, theme)
            painter.setPen(QtGui.QColor(theme.text if colour is not None else theme.text_muted))
            painter.drawText(
                QtCore.QPointF(x + key, centre_y + (metrics.ascent() - metrics.descent()) / 2),
                label,
            )
            x += item_width


# ---- devices -------------------------------------------------------------------------------


def filter_mask(
    columns: EventColumns, chosen: np.ndarray | frozenset[str] | None
) -> np.ndarray | None:
    """The filter as a boolean mask over `columns` (None: every event)."""
    if chosen is None:
        return None
    if isinstance(chosen, np.ndarray) and chosen.dtype == bool:
        if chosen.shape != (len(columns),):
            raise TimelineError("the filter does not match the events given")
        return chosen
    return np.isin(columns.ids, np.array(sorted(chosen), dtype=object))


def fitted_range(columns: EventColumns, mask: np.ndarray | None = None) -> tuple[float, float]:
    """From the first event shown to the last, with 2% of air each side, so no mark sits on
    the frame (an open end reaches now, not its far-future bound); 1990–2026 when there is
    nothing to show."""
    start, end = columns.start, columns.drawn_end(time.time())
    if mask is not None:
        start, end = start[mask], end[mask]
    if not len(start):
        return EMPTY_RANGE
    lower, upper = float(start.min()), float(end.max())
    margin = max(upper - lower, 86_400.0) * FIT_MARGIN
    return lower - margin, upper + margin


def timeline_state(
    columns: EventColumns, eras: Iterable[EraRecord], options: ExportOptions
) -> TimelineState:
    """What to draw for `options`: the range, the filter, the lanes and the theme."""
    mask = filter_mask(columns, options.filter)
    x_range = options.x_range if options.x_range is not None else fitted_range(columns, mask)
    return TimelineState(
        columns=columns,
        x_range=x_range,
        eras=tuple(eras),
        mask=mask,
        lane_mode=options.lane_mode,
        theme=options.theme,
    )


def render_to_image(
    columns: EventColumns, eras: Iterable[EraRecord], options: ExportOptions
) -> QtGui.QImage:
    """The page as an image of exactly options.width × options.height, DPI set (preview,
    clipboard, PNG)."""
    return render_page_image(timeline_state(columns, eras, options.checked()), options)[0]


def render_state_image(state: TimelineState, options: ExportOptions) -> QtGui.QImage:
    """The page for a view's own state (its lanes, filter and range), as an image."""
    return render_page_image(state, options.checked())[0]


def render_page_image(
    state: TimelineState, options: ExportOptions
) -> tuple[QtGui.QImage, list[tuple[float, float, float, float]]]:
    """The page image and the rectangles of the titles it shows."""
    # Opaque: the page always has a background, and PNG encodes three channels faster than four.
    image = QtGui.QImage(options.width, options.height, QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor(theme_named(options.theme).background))
    painter = QtGui.QPainter(image)  # painted at the screen's 96 dpi, as the layout assumes
    try:
        labels = paint_page(
            painter, QtCore.QRectF(0, 0, options.width, options.height), state, options
        )
    finally:
        painter.end()
    # The DPI is metadata for whoever places the image; set after painting so that fonts
    # sized in points are not enlarged by it.
    dots_per_metre = round(options.dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image, labels


def _write_svg(state: TimelineState, options: ExportOptions, path: Path) -> None:
    from PySide6.QtSvg import QSvgGenerator

    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QtCore.QSize(options.width, options.height))
    generator.setViewBox(QtCore.QRectF(0, 0, options.width, options.height))
    generator.setResolution(LAYOUT_DPI)
    generator.setTitle(options.title or "Timeline")
    generator.setDescription(options.subtitle or options.credit)
    painter = QtGui.QPainter(generator)
    try:
        paint_page(painter, QtCore.QRectF(0, 0, options.width, options.height), state, options)
    finally:
        painter.end()


def _write_pdf(state: TimelineState, options: ExportOptions, path: Path) -> None:
    writer = QtGui.QPdfWriter(str(path))
    writer.setResolution(LAYOUT_DPI)  # page size below keeps the requested size at `dpi`
    size_mm = QtCore.QSizeF(options.width / options.dpi * 25.4, options.height / options.dpi * 25.4)
    writer.setPageSize(QtGui.QPageSize(size_mm, QtGui.QPageSize.Unit.Millimeter, "timeline"))
    writer.setPageMargins(QtCore.QMarginsF(0, 0, 0, 0))
    writer.setTitle(options.title or "Timeline")
    writer.setCreator("timeline_app")
    painter = QtGui.QPainter(writer)
    try:
        page = QtCore.QRectF(0, 0, writer.width(), writer.height())
        paint_page(painter, page, state, options)
    finally:
        painter.end()


def export_image(
    columns: EventColumns, eras: Iterable[EraRecord], options: ExportOptions, path: str | Path
) -> str:
    """Write the page for `columns` to `path`, atomically; returns the format written.

    The format comes from the extension (TimelineError if options.format says otherwise);
    nothing is drawn before the options and the path have been checked."""
    fmt = format_of(path)
    if options.format and options.format != fmt:
        raise TimelineError(f"{path}: the extension does not match the format {options.format}")
    options.checked()
    check_writable(path)
    return export_state(timeline_state(columns, eras, options), options, path)


def export_state(state: TimelineState, options: ExportOptions, path: str | Path) -> str:
    """Write the page for a view's state to `path` (format from its extension), atomically:
    drawn under a temporary name in the same folder, then renamed, so a reader never sees a
    half-written file and a failure leaves any earlier file untouched."""
    fmt = format_of(path)
    options.checked()
    target = check_writable(path)
    temporary = target.with_name(f".{target.stem}.partial.{fmt}")
    try:
        if fmt == "png":
            if not render_page_image(state, options)[0].save(str(temporary), "PNG"):
                raise TimelineError(f"{path}: the image could not be written")
        elif fmt == "svg":
            _write_svg(state, options, temporary)
        else:
            _write_pdf(state, options, temporary)
        if not temporary.exists() or temporary.stat().st_size == 0:
            raise TimelineError(f"{path}: the image could not be written")
        temporary.replace(target)
    except OSError as error:
        raise TimelineError(f"{path}: cannot write ({error.strerror or error})") from error
    finally:
        temporary.unlink(missing_ok=True)
    return fmt
