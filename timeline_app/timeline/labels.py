"""Where event titles go on screen: greedy, most important first, never overlapping.

Pure Python and numpy (no Qt) so the guarantee "labels never overlap" is tested directly.
Each lane offers a few text rows above and below its line of markers; a title is tried in
those rows from nearest to farthest, starting at its marker and running right (or ending at
its marker near the right edge). The first free slot wins; a title with no free slot is left
out and appears once the reader zooms in. Work is bounded: at most `max_candidates`
titles are tried and `max_labels` placed, whatever the number of events.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MAX_LABELS = 300
MAX_CANDIDATES = 1200
LABEL_GAP = 8.0  # pixels kept free between two titles in a row
FLAG_OFFSET = 3.0  # a title starts this far left of its marker, like a flag on its pole


@dataclass(frozen=True, slots=True, eq=False)
class PlacedLabels:
    """Placed titles: `index` into the candidates, and their rectangles in pixels."""

    index: np.ndarray
    left: np.ndarray
    top: np.ndarray
    width: np.ndarray
    height: float

    def __len__(self) -> int:
        return int(self.index.shape[0])

    def rects(self) -> list[tuple[float, float, float, float]]:
        """(left, top, width, height) per placed title, for drawing and for tests."""
        return [
            (float(left), float(top), float(width), self.height)
            for left, top, width in zip(self.left, self.top, self.width, strict=True)
        ]

    @classmethod
    def empty(cls, height: float = 0.0) -> PlacedLabels:
        nothing = np.empty(0)
        return cls(np.empty(0, dtype=np.int64), nothing, nothing, nothing, height)


def place_labels(
    anchor_x: np.ndarray,
    lane: np.ndarray,
    priority: np.ndarray,
    widths: np.ndarray,
    lane_rows: Sequence[Sequence[float]],
    line_height: float,
    view_width: float,
    *,
    gap: float = LABEL_GAP,
    max_labels: int = MAX_LABELS,
    max_candidates: int = MAX_CANDIDATES,
    obstacles: Sequence[Sequence[tuple[float, float]]] | None = None,
) -> PlacedLabels:
    """Place titles without overlap.

    anchor_x: marker x in pixels; lane: lane index per candidate; priority: higher is placed
    first (ties: leftmost first); widths: title widths in pixels; lane_rows[lane]: the tops of
    that lane's text rows, most preferred first; line_height: height of every row.
    obstacles[lane]: (left, right) spans in that lane's rows that titles must keep clear of
    (the markers, where titles share the marker line).
    """
    anchor_x = np.asarray(anchor_x, dtype=np.float64)
    count = anchor_x.shape[0]
    if count == 0 or max_labels <= 0:
        return PlacedLabels.empty(line_height)
    order = np.lexsort((anchor_x, -np.asarray(priority, dtype=np.float64)))[:max_candidates]
    widths = np.asarray(widths, dtype=np.float64)
    # Flag to the right of the marker; near the right edge, end at the marker instead.
    lefts = anchor_x - FLAG_OFFSET
    flip = lefts + widths > view_width
    lefts[flip] = anchor_x[flip] + FLAG_OFFSET - widths[flip]
    np.minimum(lefts, view_width - widths, out=lefts)
    np.maximum(lefts, 0.0, out=lefts)
    usable = (widths > 0) & (widths <= view_width)
    lane_array = np.asarray(lane)
    usable &= (lane_array >= 0) & (lane_array < len(lane_rows))
    order = order[usable[order]]
    # Per lane and text row: sorted lefts and rights of the titles placed there (inlined
    # rather than a class: this loop is the hot path of every frame with titles).
    rows = [[([], []) for _ in tops] for tops in lane_rows]
    if obstacles is not None:
        for lane_index, spans in enumerate(obstacles[: len(lane_rows)]):
            blocked = merge_intervals(spans)
            for row_lefts, row_rights in rows[lane_index]:
                row_lefts.extend(left for left, _ in blocked)
                row_rights.extend(right for _, right in blocked)
    placed_index: list[int] = []
    placed_left: list[float] = []
    placed_top: list[float] = []
    placed_width: list[float] = []
    for candidate, lane_index, left, width in zip(
        order.tolist(),
        lane_array[order].tolist(),
        lefts[order].tolist(),
        widths[order].tolist(),
        strict=True,
    ):
        right = left + width
        for (row_lefts, row_rights), top in zip(rows[lane_index], lane_rows[lane_index],
                                                strict=True):
            at = bisect_left(row_lefts, left)
            if at and row_rights[at - 1] + gap > left:
                continue
            if at < len(row_lefts) and right + gap > row_lefts[at]:
                continue
            row_lefts.insert(at, left)
            row_rights.insert(at, right)
            placed_index.append(candidate)
            placed_left.append(left)
            placed_top.append(top)
            placed_width.append(width)
            break
        else:
            continue
        if len(placed_index) >= max_labels:
            break
    return PlacedLabels(
        index=np.asarray(placed_index, dtype=np.int64),
        left=np.asarray(placed_left, dtype=np.float64),
        top=np.asarray(placed_top, dtype=np.float64),
        width=np.asarray(placed_width, dtype=np.float64),
        height=float(line_height),
    )


def merge_intervals(spans: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sorted, non-overlapping union of (left, right) intervals."""
    merged: list[tuple[float, float]] = []
    for left, right in sorted(spans):
        if merged and left <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], right))
        else:
            merged.append((left, right))
    return merged


def rects_overlap(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> bool:
    """True when two (left, top, width, height) rectangles share any area."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
