"""Where event titles go on screen: greedy, most important first, never overlapping.

Pure Python and numpy (no Qt) so the guarantee "labels never overlap" is tested directly.
Each lane offers a few text rows above and below its line of markers; a title is tried in
those rows from nearest to farthest, starting at its marker and running right (or ending at
its marker near the right edge). The first free slot wins. A title with no free slot for its
whole text may still be cut short ("…") to the room left before its neighbour, if that
room holds its `min_widths` (a few words' worth); otherwise it is left out and appears once
the reader zooms in. Work is bounded: at most `max_candidates` titles are tried and
`max_labels` placed, whatever the number of events.
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
    """Placed titles: `index` into the candidates, and their rectangles in pixels.

    `width` is the width given to each title: narrower than asked when it was cut short.
    """

    index: np.ndarray
    left: np.ndarray
    top: np.ndarray
    width: np.ndarray
    height: np.ndarray  # per title: the line height of its lane's text rows

    def __len__(self) -> int:
        return int(self.index.shape[0])

    def rects(self) -> list[tuple[float, float, float, float]]:
        """(left, top, width, height) per placed title, for drawing and for tests."""
        return [
            (float(left), float(top), float(width), float(height))
            for left, top, width, height in zip(
                self.left, self.top, self.width, self.height, strict=True
            )
        ]

    def followed_by(self, other: PlacedLabels) -> PlacedLabels:
        """These titles, then `other`'s (indices renumbered in that order)."""
        return PlacedLabels(
            index=np.arange(len(self) + len(other), dtype=np.int64),
            left=np.concatenate([self.left, other.left]),
            top=np.concatenate([self.top, other.top]),
            width=np.concatenate([self.width, other.width]),
            height=np.concatenate([self.height, other.height]),
        )

    @classmethod
    def empty(cls) -> PlacedLabels:
        nothing = np.empty(0)
        return cls(np.empty(0, dtype=np.int64), nothing, nothing, nothing, nothing)


def place_labels(
    anchor_x: np.ndarray,
    lane: np.ndarray,
    priority: np.ndarray,
    widths: np.ndarray,
    lane_rows: Sequence[Sequence[float]],
    line_height: float | Sequence[float],
    view_width: float,
    *,
    gap: float = LABEL_GAP,
    max_labels: int = MAX_LABELS,
    max_candidates: int = MAX_CANDIDATES,
    obstacles: Sequence[Sequence[tuple[float, float]]] | None = None,
    obstacle_strength: Sequence[Sequence[float]] | None = None,
    obstacle_gap: float | None = None,
    cover: np.ndarray | None = None,
    min_widths: np.ndarray | None = None,
    anchor_end: np.ndarray | None = None,
    tier: np.ndarray | None = None,
    taken: tuple[PlacedLabels, np.ndarray] | None = None,
) -> PlacedLabels:
    """Place titles without overlap.

    anchor_x: the marker x in pixels (a title starts FLAG_OFFSET left of it); lane: lane index
    per candidate; priority: higher is placed first (ties: leftmost first); widths: title widths
    in pixels; lane_rows[lane]: the tops of that lane's text rows, most preferred first;
    line_height: height of every row, or one height per lane.

    obstacles[lane]: (left, right) spans in that lane's rows that titles keep `obstacle_gap`
    clear of (the markers, where titles share the marker line); obstacle_strength[lane]: one
    number per span (the event's importance), and `cover` per candidate: a title may run over
    obstacles no stronger than its cover (a landmark over minor markers). min_widths: the
    narrowest each title may be cut to when its whole text does not fit (default: no cut); a
    title is cut only where it starts at its anchor, and then in the row with most room.
    anchor_end: where a title ends when near the right edge it must end at its marker
    (default: anchor_x + FLAG_OFFSET). tier (e.g. importance): in a lane with one row, a title
    that may be cut is cut short (to no less than its min width) rather than run over where a
    title of the same or a higher tier, still to be placed, starts (far enough away to leave
    it a min width) — so one long landmark title does not crowd out the next landmark.
    taken: titles already in place and their lanes (kept from before a pan): the new ones
    keep clear of them.
    """
    anchor_x = np.asarray(anchor_x, dtype=np.float64)
    count = anchor_x.shape[0]
    if count == 0 or max_labels <= 0:
        return PlacedLabels.empty()
    heights = (
        [float(line_height)] * len(lane_rows)
        if np.isscalar(line_height)
        else [float(h) for h in line_height]  # type: ignore[union-attr]
    )
    clearance = gap if obstacle_gap is None else float(obstacle_gap)
    order = np.lexsort((anchor_x, -np.asarray(priority, dtype=np.float64)))[:max_candidates]
    widths = np.asarray(widths, dtype=np.float64)
    ends = (
        anchor_x + FLAG_OFFSET if anchor_end is None else np.asarray(anchor_end, dtype=np.float64)
    )
    least = (
        widths.copy()
        if min_widths is None
        else np.minimum(np.asarray(min_widths, dtype=np.float64), widths)
    )
    # Flag to the right of the anchor (cut short if it must); so near the right edge that not
    # even the shortest cut fits, end at the marker instead, whole or not at all.
    lefts = anchor_x - FLAG_OFFSET
    flip = lefts + least > view_width
    lefts[flip] = ends[flip] - widths[flip]
    least[flip] = widths[flip]
    np.minimum(lefts, np.where(flip, view_width - widths, lefts), out=lefts)
    np.maximum(lefts, 0.0, out=lefts)
    covers = np.full(count, -np.inf) if cover is None else np.asarray(cover, dtype=np.float64)
    usable = (widths > 0) & (widths <= view_width)
    lane_array = np.asarray(lane)
    usable &= (lane_array >= 0) & (lane_array < len(lane_rows))
    order = order[usable[order]]
    # Per lane and text row: sorted lefts and rights of the titles placed there (inlined
    # rather than a class: this loop is the hot path of every frame with titles).
    rows = [[([], []) for _ in tops] for tops in lane_rows]
    if taken is not None and order.size:
        wanted = np.zeros(len(lane_rows), dtype=bool)
        wanted[lane_array[order]] = True
        _occupy(rows, lane_rows, *taken, wanted)
    blocked = _Obstacles(obstacles, obstacle_strength, len(lane_rows))
    tiers = np.zeros(count) if tier is None else np.asarray(tier, dtype=np.float64)
    # Per one-row lane and tier: sorted lefts of the titles not yet tried.
    pending: dict[int, dict[float, list[float]]] = {}
    if tier is not None:
        for lane_index, left, level in zip(
            lane_array[order].tolist(), lefts[order].tolist(), tiers[order].tolist(), strict=True
        ):
            if len(lane_rows[lane_index]) == 1:
                pending.setdefault(lane_index, {}).setdefault(level, []).append(left)
        for by_tier in pending.values():
            for row in by_tier.values():
                row.sort()
    placed_index: list[int] = []
    placed_left: list[float] = []
    placed_top: list[float] = []
    placed_width: list[float] = []
    placed_height: list[float] = []
    for candidate, lane_index, left, width, shortest, strength, level in zip(
        order.tolist(),
        lane_array[order].tolist(),
        lefts[order].tolist(),
        widths[order].tolist(),
        least[order].tolist(),
        covers[order].tolist(),
        tiers[order].tolist(),
        strict=True,
    ):
        free = view_width - left
        waiting = pending.get(lane_index)
        if waiting is not None:
            waiting[level].pop(bisect_left(waiting[level], left))
            for other, lefts_waiting in waiting.items():
                # (a title starting too close loses to this one anyway; one that cannot be
                # cut short does not make way)
                if other >= level and shortest < width:
                    at = bisect_left(lefts_waiting, left + shortest + gap)
                    if at < len(lefts_waiting):
                        free = min(free, lefts_waiting[at] - gap - left)
        if blocked.any:
            block_lefts, block_rights = blocked.spans(lane_index, strength)
            at = bisect_left(block_lefts, left)
            if at and block_rights[at - 1] + clearance > left + _EPSILON:
                continue
            if at < len(block_lefts):
                free = min(free, block_lefts[at] - clearance - left)
        best: tuple[float, list, list, int, float] | None = None
        for (row_lefts, row_rights), top in zip(
            rows[lane_index], lane_rows[lane_index], strict=True
        ):
            at = bisect_left(row_lefts, left)
            if at and row_rights[at - 1] + gap > left:
                continue
            room = min(free, row_lefts[at] - gap - left) if at < len(row_lefts) else free
            if room >= width - _EPSILON:
                best = (width, row_lefts, row_rights, at, top)
                break
            if room >= shortest and (best is None or room > best[0]):
                best = (room, row_lefts, row_rights, at, top)
        if best is None:
            continue
        width, row_lefts, row_rights, at, top = best
        row_lefts.insert(at, left)
        row_rights.insert(at, left + width)
        placed_index.append(candidate)
        placed_left.append(left)
        placed_top.append(top)
        placed_width.append(width)
        placed_height.append(heights[lane_index])
        if len(placed_index) >= max_labels:
            break
    return PlacedLabels(
        index=np.asarray(placed_index, dtype=np.int64),
        left=np.asarray(placed_left, dtype=np.float64),
        top=np.asarray(placed_top, dtype=np.float64),
        width=np.asarray(placed_width, dtype=np.float64),
        height=np.asarray(placed_height, dtype=np.float64),
    )


_EPSILON = 1e-6


def _occupy(
    rows: list[list[tuple[list[float], list[float]]]],
    lane_rows: Sequence[Sequence[float]],
    placed: PlacedLabels,
    lanes: np.ndarray,
    wanted: np.ndarray,
) -> None:
    """Mark the rows where titles already stand as taken over their extents, in the lanes
    `wanted` (per lane: it has titles still to place; after a pan, a few)."""
    lanes = np.asarray(lanes, dtype=np.int64)
    inside = (lanes >= 0) & (lanes < wanted.shape[0])
    keep = np.flatnonzero(inside & wanted[np.where(inside, lanes, 0)])
    if keep.size == 0:
        return
    keep = keep[np.argsort(placed.left[keep], kind="stable")]
    index_of = [{top: i for i, top in enumerate(tops)} for tops in lane_rows]
    # Titles kept from before never overlap: by left, they fill each row in order.
    for lane, top, left, width in zip(
        lanes[keep].tolist(),
        placed.top[keep].tolist(),
        placed.left[keep].tolist(),
        placed.width[keep].tolist(),
        strict=True,
    ):
        row = index_of[lane].get(top)
        if row is not None:
            row_lefts, row_rights = rows[lane][row]
            row_lefts.append(left)
            row_rights.append(left + width)


class _Obstacles:
    """Per lane, the merged spans titles must keep clear of, for each strength a title may
    run over (computed once per lane and strength, on first use)."""

    def __init__(
        self,
        obstacles: Sequence[Sequence[tuple[float, float]]] | None,
        strength: Sequence[Sequence[float]] | None,
        lanes: int,
    ) -> None:
        self._obstacles = obstacles
        self._strength = strength
        self._lanes = lanes
        self._merged: dict[tuple[int, float], tuple[list[float], list[float]]] = {}
        self.any = obstacles is not None and any(obstacles[:lanes])

    def spans(self, lane: int, cover: float) -> tuple[list[float], list[float]]:
        key = (lane, cover if self._strength is not None else -np.inf)
        merged = self._merged.get(key)
        if merged is None:
            spans: Sequence[tuple[float, float]] = ()
            if self._obstacles is not None and lane < len(self._obstacles):
                spans = self._obstacles[lane]
                if self._strength is not None:
                    spans = [
                        span
                        for span, strength in zip(spans, self._strength[lane], strict=True)
                        if strength > cover
                    ]
            union = merge_intervals(spans)
            merged = ([left for left, _ in union], [right for _, right in union])
            self._merged[key] = merged
        return merged


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
