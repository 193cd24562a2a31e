"""Pixel layout of the chart area: era strips on top, then the lanes (pure, no Qt).

Everything the painters and the hit-testing need to agree on lives here: where each lane
starts, where its markers sit (the baseline), where its overlapping spans stack, and which
text rows its titles may use. Computed from the chart size alone, so an export at another
size gets its own honest layout rather than a scaled screenshot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ERA_ROW_HEIGHT = 14.0
ERA_BAR_HEIGHT = 12.0  # the strip inside its row
ERA_GAP = 5.0
LANE_PAD = 3.0
INLINE_MIN_SHARE = 0.8  # a lane this share of a text line high can still carry inline titles
MARKER_HALF = 9.0  # half the height reserved for the largest marker and its ring
LARGEST_MARKER_HALF = 7.5  # half the largest marker (importance 5)
# A thin lane this much taller than a small text line puts that line above its markers, sunk
# to the lane's bottom: only the largest markers reach into it (titles keep clear of them).
COMPACT_ROW_CLEARANCE = 13.0
SPAN_BAR = 5.0
SPAN_PITCH = 7.0
MAX_SPAN_SHARE = 0.35  # spans may take at most this share of a lane's height


@dataclass(frozen=True, slots=True, eq=False)
class ChartLayout:
    """Where things go, in pixels of the chart area (origin top-left)."""

    width: float
    height: float
    era_rows: int
    lanes_top: float
    lane_height: float
    lane_top: np.ndarray  # per lane
    baseline: np.ndarray  # per lane: y of the markers
    span_top: np.ndarray  # per lane: y of the first span track
    span_tracks: np.ndarray  # per lane: how many tracks are drawn (extra spans wrap around)
    label_rows: tuple[tuple[float, ...], ...]  # per lane: tops of text rows, preferred first
    line_height: float
    inline: tuple[bool, ...] = ()  # per lane: too thin for rows above/below; titles sit on
    # the marker line, beside their marker, in the gaps between markers
    inline_line_height: float = 0.0  # height of the titles of thin lanes (a smaller font)
    compact: tuple[bool, ...] = ()  # per lane: thin, so one row of smaller titles, above its
    # markers or (`inline`) on their line

    @property
    def lane_count(self) -> int:
        return int(self.lane_top.shape[0])

    def row_heights(self) -> list[float]:
        """Per lane: the height of its title rows (smaller in thin lanes)."""
        return [self.inline_line_height if thin else self.line_height for thin in self.compact]

    def era_row_top(self, row: int) -> float:
        return 2.0 + row * ERA_ROW_HEIGHT

    def lane_at(self, y: float) -> int:
        """The lane under pixel row y, or -1 above the lanes or below the last one."""
        if self.lane_count == 0 or self.lane_height <= 0 or y < self.lanes_top:
            return -1
        lane = int((y - self.lanes_top) // self.lane_height)
        return lane if lane < self.lane_count else -1

    def span_y(self, lane: np.ndarray, track: np.ndarray) -> np.ndarray:
        """Top of each span bar: its lane's span band, its track wrapped into the drawn ones."""
        shown = np.maximum(self.span_tracks[lane], 1)
        return self.span_top[lane] + (track % shown) * SPAN_PITCH


def chart_layout(
    width: float,
    height: float,
    lane_tracks: np.ndarray | list[int],
    era_rows: int,
    line_height: float,
    inline_line_height: float | None = None,
) -> ChartLayout:
    """Split the chart into era strips and equal lanes; inside each lane, stack from the top:
    title rows, the marker line, the span tracks, more title rows. A lane with no room for a
    row above or below gets one row of `inline_line_height` (default: `line_height`): above
    its markers, sunk to the bottom with its spans on one track under them, when it has the
    height for it, else centred on its marker line."""
    tracks = np.asarray(lane_tracks, dtype=np.int64)
    lanes = int(tracks.shape[0])
    era_height = era_rows * ERA_ROW_HEIGHT + ERA_GAP if era_rows else 0.0
    lanes_top = era_height
    lane_height = max((height - lanes_top) / lanes, 1.0) if lanes else 0.0
    lane_top = lanes_top + np.arange(lanes, dtype=np.float64) * lane_height
    baseline = np.empty(lanes)
    span_top = np.empty(lanes)
    span_tracks = np.zeros(lanes, dtype=np.int64)
    label_rows: list[tuple[float, ...]] = []
    inline: list[bool] = []
    thin: list[bool] = []
    line_height = max(float(line_height), 1.0)
    compact = line_height if inline_line_height is None else max(float(inline_line_height), 1.0)
    for lane in range(lanes):
        inner = lane_height - 2 * LANE_PAD
        room_for_spans = max(inner * MAX_SPAN_SHARE, 0.0)
        shown = int(min(tracks[lane], max(room_for_spans // SPAN_PITCH, 1))) if tracks[lane] else 0
        span_band = shown * SPAN_PITCH + (2.0 if shown else 0.0)
        free = inner - 2 * MARKER_HALF - span_band
        rows = max(int(free // line_height), 0)
        above = (rows + 1) // 2
        below = rows - above
        slack = max(free - rows * line_height, 0.0)
        top = float(lane_top[lane]) + LANE_PAD + slack / 2
        if rows == 0:
            top = float(lane_top[lane]) + max((lane_height - 2 * MARKER_HALF - span_band) / 2, 0)
        line = top + above * line_height + MARKER_HALF
        baseline[lane] = line
        span_top[lane] = line + MARKER_HALF - 2.0
        span_tracks[lane] = shown
        below_top = line + MARKER_HALF + span_band
        ups = [line - MARKER_HALF - (i + 1) * line_height for i in range(above)]
        downs = [below_top + i * line_height for i in range(below)]
        preferred: list[float] = []
        for i in range(max(above, below)):
            if i < len(ups):
                preferred.append(ups[i])
            if i < len(downs):
                preferred.append(downs[i])
        on_line = False
        # Spans' first track runs along the bottom of the marker line, under the markers.
        extra_tracks = max(shown - 1, 0) * SPAN_PITCH
        if not preferred and lane_height >= compact + COMPACT_ROW_CLEARANCE + extra_tracks:
            preferred.append(float(lane_top[lane]))
            baseline[lane] = (
                float(lane_top[lane]) + lane_height - LARGEST_MARKER_HALF - 0.5 - extra_tracks
            )
            span_top[lane] = baseline[lane] + LARGEST_MARKER_HALF - SPAN_BAR
        elif not preferred and inner >= compact * INLINE_MIN_SHARE:
            preferred.append(line - compact / 2)
            on_line = True
        inline.append(on_line)
        thin.append(bool(preferred) and rows == 0)
        label_rows.append(tuple(preferred))
    return ChartLayout(
        width=float(width),
        height=float(height),
        era_rows=era_rows,
        lanes_top=lanes_top,
        lane_height=lane_height,
        lane_top=lane_top,
        baseline=baseline,
        span_top=span_top,
        span_tracks=span_tracks,
        label_rows=tuple(label_rows),
        line_height=line_height,
        inline=tuple(inline),
        inline_line_height=compact,
        compact=tuple(thin),
    )
