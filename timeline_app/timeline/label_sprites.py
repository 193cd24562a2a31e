"""Titles stamped from an atlas during a pan, instead of laid out as text every frame.

A title kept across a pan moves by whole device pixels once its marks come from the pan
band (see pan_layer.py), so its halo and text fall on the pixel grid the same way in every
frame: drawn once into an atlas, at that fraction of a pixel, the title can be stamped back
with one `drawPixmapFragments` call for all of them, and the stamp is what drawing the text
again would give. A new title (or one at another fraction) is drawn into the atlas when it
first shows; a full atlas starts over.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import numpy as np
from PySide6 import QtCore, QtGui

from timeline_app.timeline.primitives import PrimitiveArray

ATLAS_WIDTH = 2048
ATLAS_HEIGHT = 1024
MARGIN = 2  # transparent pixels round a title: anti-aliasing and glyphs reaching out
PHASES = 64  # a title's position within a pixel, in steps of 1/PHASES


class LabelSprites:
    """An atlas of drawn titles, keyed by what they show and where within a pixel they sit.

    Only for painters that translate (no scale): the caller draws titles directly otherwise.
    """

    def __init__(self) -> None:
        self._pixmap: QtGui.QPixmap | None = None
        self._style: Hashable = None  # theme and fonts the atlas was drawn with
        self._slots: dict[Hashable, tuple[int, int, int, int]] = {}
        self._shelf_x = 0
        self._shelf_y = 0
        self._shelf_height = 0
        self._fragments = None
        self.drawn = 0  # titles drawn into the atlas (tests count them)

    def stamp(
        self,
        painter: QtGui.QPainter,
        style: Hashable,
        keys: list[Hashable],
        lefts: np.ndarray,
        tops: np.ndarray,
        widths: np.ndarray,
        heights: np.ndarray,
        draw: Callable[[QtGui.QPainter, int], None],
    ) -> bool:
        """Stamp the titles whose boxes (item coordinates) are given; `draw(painter, i)`
        draws title i at its box when it is not in the atlas yet. False (nothing stamped)
        when the painter scales or the titles do not fit in an empty atlas."""
        transform = painter.deviceTransform()
        kinds = QtGui.QTransform.TransformationType
        if PrimitiveArray is None or transform.type() not in (kinds.TxNone, kinds.TxTranslate):
            return False
        dx, dy = transform.dx(), transform.dy()
        device_x, device_y = lefts + dx, tops + dy
        pixel_x, pixel_y = np.floor(device_x), np.floor(device_y)
        # Drawn at the exact fraction of a pixel where it first shows; found again by that
        # fraction in 1/PHASES steps (a pan's arithmetic moves it by a few last bits).
        phase_x, phase_y = device_x - pixel_x, device_y - pixel_y
        sizes_x = np.ceil(widths + phase_x).astype(np.int64) + 2 * MARGIN
        sizes_y = np.ceil(heights + phase_y).astype(np.int64) + 2 * MARGIN
        if style != self._style or self._pixmap is None:
            self._restart(style)
        slots = self._slots_for(keys, phase_x, phase_y, sizes_x, sizes_y)
        if slots is None:
            self._restart(style)
            slots = self._slots_for(keys, phase_x, phase_y, sizes_x, sizes_y)
            if slots is None:
                return False
        fresh = [i for i, (slot, new) in enumerate(slots) if new]
        if fresh:
            self._draw_into_atlas(fresh, slots, lefts, tops, phase_x, phase_y, draw)
        count = len(keys)
        if self._fragments is None:
            self._fragments = PrimitiveArray(QtGui.QPainter.PixmapFragment, 10)
        self._fragments.resize(count)
        fragments = self._fragments.ndarray()
        source = np.asarray([slot for slot, _ in slots], dtype=np.float64).reshape(count, 4)
        # Whole device pixels: the stamp is copied, never resampled.
        fragments[:, 0] = pixel_x - MARGIN - dx + source[:, 2] / 2
        fragments[:, 1] = pixel_y - MARGIN - dy + source[:, 3] / 2
        fragments[:, 2:6] = source
        fragments[:, 6:10] = (1.0, 1.0, 0.0, 1.0)
        painter.drawPixmapFragments(*self._fragments.drawargs(), self._pixmap)
        return True

    def _restart(self, style: Hashable) -> None:
        if self._pixmap is None:
            self._pixmap = QtGui.QPixmap(ATLAS_WIDTH, ATLAS_HEIGHT)
        self._pixmap.fill(QtCore.Qt.GlobalColor.transparent)
        self._style = style
        self._slots.clear()
        self._shelf_x = self._shelf_y = self._shelf_height = 0

    def _slots_for(
        self,
        keys: list[Hashable],
        phase_x: np.ndarray,
        phase_y: np.ndarray,
        sizes_x: np.ndarray,
        sizes_y: np.ndarray,
    ) -> list[tuple[tuple[int, int, int, int], bool]] | None:
        """Each title's place in the atlas and whether it must be drawn there; None when
        the atlas is full."""
        found: list[tuple[tuple[int, int, int, int], bool]] = []
        steps_x = np.round(phase_x * PHASES).astype(np.int64).tolist()
        steps_y = np.round(phase_y * PHASES).astype(np.int64).tolist()
        for key, px, py, width, height in zip(
            keys, steps_x, steps_y, sizes_x.tolist(), sizes_y.tolist(), strict=True
        ):
            full_key = (key, px, py)
            slot = self._slots.get(full_key)
            if slot is not None:
                found.append((slot, False))
                continue
            if width > ATLAS_WIDTH:
                return None
            if self._shelf_x + width > ATLAS_WIDTH:  # next shelf
                self._shelf_y += self._shelf_height
                self._shelf_x = self._shelf_height = 0
            if self._shelf_y + height > ATLAS_HEIGHT:
                return None
            slot = (self._shelf_x, self._shelf_y, width, height)
            self._shelf_x += width
            self._shelf_height = max(self._shelf_height, height)
            self._slots[full_key] = slot
            found.append((slot, True))
        return found

    def _draw_into_atlas(
        self,
        fresh: list[int],
        slots: list[tuple[tuple[int, int, int, int], bool]],
        lefts: np.ndarray,
        tops: np.ndarray,
        phase_x: np.ndarray,
        phase_y: np.ndarray,
        draw: Callable[[QtGui.QPainter, int], None],
    ) -> None:
        painter = QtGui.QPainter(self._pixmap)
        try:
            painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            painter.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
            for i in fresh:
                (x, y, width, height), _ = slots[i]
                painter.resetTransform()  # the clip is set in atlas pixels
                painter.setClipRect(QtCore.QRect(x, y, width, height))
                painter.setTransform(
                    QtGui.QTransform.fromTranslate(
                        x + MARGIN + phase_x[i] - lefts[i],
                        y + MARGIN + phase_y[i] - tops[i],
                    )
                )
                draw(painter, i)
                self.drawn += 1
        finally:
            painter.end()
