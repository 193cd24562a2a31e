"""An image of the chart's marks wider than the view, so a pan moves pixels instead of
drawing every marker, bar and bracket again.

The marks of one zoom level do not depend on where the view starts: panning only slides
them sideways. The first pan at a zoom draws them once into a band reaching half a view
(at most MAX_BAND pixels) beyond each edge; the frames after it copy the band's rows that
hold marks at a whole device pixel, so the copy is a plain blit (never resampled). That
puts the marks within half a pixel of where drawing them afresh would; the caller draws
what goes with them (titles, hover) shifted by the same fraction, so a title never slips
against its marker. The band is drawn again when the view leaves it, the zoom or size
changes, or anything drawn from data or selection does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6 import QtCore, QtGui

BAND_STEP = 12.0
"""The band reaches beyond the view by a multiple of this many pixels: a multiple of the
dash pattern of outlined bars, so a bar cut at the band's edge dashes as one cut at the
view's edge."""
MIN_BAND = 4 * BAND_STEP


MAX_BAND = 40 * BAND_STEP  # the band's memory grows with its reach (a wide HiDPI window)


def band_reach(width: float) -> float:
    """How far (pixels) the band reaches beyond each side of a view `width` wide: half a
    view, within bounds."""
    return max(MIN_BAND, BAND_STEP * round(min(width / 2, MAX_BAND) / BAND_STEP))


def device_scale(transform: QtGui.QTransform) -> float | None:
    """The painter's scale when it only scales evenly and translates (a screen, a grab, a
    HiDPI backing store), else None: then the band cannot be copied pixel for pixel."""
    if transform.type().value > QtGui.QTransform.TransformationType.TxScale.value:
        return None
    scale = transform.m11()
    if scale <= 0 or abs(transform.m22() - scale) > 1e-9 * scale:
        return None
    return scale


def merged_rows(rows: np.ndarray) -> list[tuple[int, int]]:
    """Sorted, non-overlapping union of (first, last) pixel rows, touching ones joined."""
    if rows.shape[0] == 0:
        return []
    rows = rows[np.argsort(rows[:, 0], kind="stable")]
    ends = np.maximum.accumulate(rows[:, 1])
    starts_new = np.concatenate([[True], rows[1:, 0] > ends[:-1]])
    firsts = rows[starts_new, 0]
    lasts = ends[np.concatenate([np.flatnonzero(starts_new)[1:] - 1, [rows.shape[0] - 1]])]
    return [(int(first), int(last)) for first, last in zip(firsts, lasts, strict=True)]


@dataclass(frozen=True, slots=True)
class Spot:
    """Where the band goes for one view: pairs of target (item coordinates) and source
    (band pixels) rectangles, and how far that puts the marks from their exact place (item
    pixels, less than one device pixel)."""

    pieces: tuple[tuple[QtCore.QRectF, QtCore.QRectF], ...]
    shift: float


class PanLayer:
    """One band of marks and where it sits in device pixels.

    `key` is what the marks depend on besides the view's start (data, selection, zoom, size,
    theme); `seconds_per_pixel` the zoom, compared with a tolerance because a pan's range
    end minus start may differ from the previous one in the last bits.
    """

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._image: QtGui.QImage | None = None
        self._seconds_per_pixel = 0.0
        self._origin = 0.0  # seconds at item x = 0 when the band was drawn
        self._transform = (1.0, 0.0, 0.0)  # device scale, x and y translation when drawn
        self._left = 0  # device pixel of the image's first column, when drawn
        self._top = 0
        self._rows: list[tuple[int, int]] = []  # image rows with marks in them
        self.builds = 0  # how many bands were drawn (tests count them)

    def clear(self) -> None:
        self._key = None
        self._image = None

    def spot(
        self,
        key: tuple,
        lower: float,
        seconds_per_pixel: float,
        width: float,
        transform: QtGui.QTransform,
    ) -> Spot | None:
        """Where the band shows the view that starts at `lower` and is `width` item pixels
        wide; None when it cannot (another zoom, size or data, or the view left the band)."""
        image = self._image
        if image is None or key != self._key:
            return None
        if abs(seconds_per_pixel - self._seconds_per_pixel) > 1e-9 * self._seconds_per_pixel:
            return None
        scale, dx, dy = self._transform
        if (transform.m11(), transform.dx(), transform.dy()) != (scale, dx, dy):
            return None
        exact = self._left - scale * (lower - self._origin) / seconds_per_pixel
        left = round(exact)
        first, last = math.floor(dx) - left, math.ceil(dx + scale * width) - left
        if first < 0 or last > image.width():
            return None
        x = (left + first - dx) / scale
        pieces = tuple(
            (
                QtCore.QRectF(
                    x,
                    (self._top + top - dy) / scale,
                    (last - first) / scale,
                    (bottom - top) / scale,
                ),
                QtCore.QRectF(first, top, last - first, bottom - top),
            )
            for top, bottom in self._rows
        )
        return Spot(pieces, (left - exact) / scale)

    def build(
        self,
        key: tuple,
        lower: float,
        seconds_per_pixel: float,
        size: tuple[float, float],
        reach: float,
        transform: QtGui.QTransform,
        draw: Callable[[QtGui.QPainter], None],
        strips: np.ndarray,
    ) -> None:
        """Draw the band for the view starting at `lower`: `draw` paints in that view's item
        coordinates, from `reach` pixels left of it to `reach` right of its `size`, inside
        `strips` (rows of item y from, to). Only those rows are ever copied: a copy costs by
        the pixel, and marks fill a few rows of each lane."""
        width, height = size
        scale, dx, dy = transform.m11(), transform.dx(), transform.dy()
        left = math.floor(dx - scale * reach)
        top = math.floor(dy)
        columns = math.ceil(dx + scale * (width + reach)) - left + 1
        rows = math.ceil(dy + scale * height) - top + 1
        device_rows = np.column_stack(
            [np.floor(dy + scale * strips[:, 0]), np.ceil(dy + scale * strips[:, 1])]
        )
        self._rows = merged_rows(np.clip(device_rows - top, 0, rows).astype(np.int64))
        image = self._image
        if image is None or (image.width(), image.height()) != (columns, rows):
            image = QtGui.QImage(columns, rows, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(scale)  # markers are drawn at the screen's resolution
        painter = QtGui.QPainter(image)
        try:
            # Only the rows that are copied are cleared: clearing costs by the pixel too.
            painter.setCompositionMode(QtGui.QPainter.CompositionMode.CompositionMode_Source)
            for first, last in self._rows:
                painter.fillRect(
                    QtCore.QRectF(0, first / scale, columns / scale, (last - first) / scale),
                    QtCore.Qt.GlobalColor.transparent,
                )
            painter.setCompositionMode(QtGui.QPainter.CompositionMode.CompositionMode_SourceOver)
            painter.translate((dx - left) / scale, (dy - top) / scale)
            draw(painter)
        finally:
            painter.end()
        self._image = image
        self._key = key
        self._seconds_per_pixel = seconds_per_pixel
        self._origin = lower
        self._transform = (scale, dx, dy)
        self._left, self._top = left, top
        self.builds += 1

    def copy_to(self, painter: QtGui.QPainter, spot: Spot) -> None:
        if self._image is None:
            return
        for target, source in spot.pieces:
            painter.drawImage(target, self._image, source)
