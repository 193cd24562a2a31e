"""Which lane each event is drawn in, as arrays ready for per-frame slicing (pure numpy).

Lanes are by category (default), by actor (an event appears once per actor; the busiest
actors get their own lane, the rest share "Other") or a single lane. Rows are stored lane
by lane, each lane sorted by start, so a frame finds the visible rows of a lane with two
binary searches and counts a lane's events per pixel column without touching every event.
Lanes with no event under the current filter are folded away.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from typing import Literal

import numpy as np

from timeline_app.domain.columns import EventColumns
from timeline_app.domain.palette import FALLBACK_COLOUR

LaneMode = Literal["category", "actor", "single"]
LANE_MODES: tuple[str, ...] = ("category", "actor", "single")
OTHER_ACTORS = "Other"
NO_ACTOR = "No actor"
DEFAULT_TOP_ACTORS = 11


@dataclass(frozen=True, slots=True)
class Lane:
    """One horizontal band: its name, the colour of its swatch, how many events it holds."""

    key: str
    name: str
    colour: str | None
    count: int


@dataclass(frozen=True, slots=True, eq=False)
class LaneRows:
    """Drawable rows (one per event per lane it appears in), lane-major, by start in a lane.

    event: index into the EventColumns; start/end: the row's extent (a span's dates, or a
    point's known range, e.g. its whole month); pos: where the point marker sits (the middle
    of the known range; spans use start); track: a span's sub-row inside its lane so
    overlapping spans do not hide each other; reach: running maximum of `end` within each
    lane (so the first row that can still be visible at time t is one binary search away);
    offsets: lane i owns rows offsets[i]:offsets[i+1]. density_lo/density_hi: per lane,
    independently sorted lower/upper extents for counting rows per pixel column.
    """

    lanes: tuple[Lane, ...]
    event: np.ndarray
    start: np.ndarray
    end: np.ndarray
    pos: np.ndarray
    is_span: np.ndarray
    track: np.ndarray
    tracks: np.ndarray  # per lane: how many span tracks it needs
    reach: np.ndarray
    offsets: np.ndarray
    density_lo: np.ndarray
    density_hi: np.ndarray

    def __len__(self) -> int:
        return int(self.event.shape[0])

    @property
    def lane_count(self) -> int:
        return len(self.lanes)

    def lane_slice(self, lane: int) -> slice:
        return slice(int(self.offsets[lane]), int(self.offsets[lane + 1]))

    def lane_of_rows(self) -> np.ndarray:
        """The lane index of every row (rows are lane-major, so a repeat of lane numbers)."""
        return np.repeat(np.arange(self.lane_count, dtype=np.int32), np.diff(self.offsets))


def _lanes_by_category(
    columns: EventColumns, visible: np.ndarray
) -> tuple[list[Lane], np.ndarray, np.ndarray]:
    names = columns.category_names
    colours = columns.category_colours
    used = columns.category[visible]
    counts = np.bincount(used, minlength=max(len(names), int(used.max(initial=-1)) + 1))
    lanes: list[Lane] = []
    lane_of_category = np.full(counts.shape[0], -1, dtype=np.int64)
    for code in range(counts.shape[0]):
        if counts[code] == 0:
            continue  # folded: nothing to show under the current filter
        lane_of_category[code] = len(lanes)
        name = names[code] if code < len(names) else f"Category {code + 1}"
        colour = colours[code] if code < len(colours) else FALLBACK_COLOUR
        lanes.append(Lane(f"category:{code}", name, colour, int(counts[code])))
    return lanes, visible, lane_of_category[used]


def _lanes_by_actor(
    columns: EventColumns, visible: np.ndarray, top: int
) -> tuple[list[Lane], np.ndarray, np.ndarray]:
    actors = columns.actors if columns.actors else ((),) * len(columns)
    tally: Counter[str] = Counter()
    for index in visible.tolist():
        tally.update(set(actors[index]))
    ranked = [name for name, _ in sorted(tally.items(), key=lambda item: (-item[1], item[0]))]
    own = ranked[:top] if len(ranked) > top + 1 else ranked
    lane_of_actor = {name: lane for lane, name in enumerate(own)}
    other_lane = len(own)
    none_lane = other_lane + 1
    events: list[int] = []
    lanes_of: list[int] = []
    for index in visible.tolist():
        names = actors[index]
        if not names:
            events.append(index)
            lanes_of.append(none_lane)
            continue
        seen: set[int] = set()
        for name in names:
            lane = lane_of_actor.get(name, other_lane)
            if lane not in seen:
                seen.add(lane)
                events.append(index)
                lanes_of.append(lane)
    lane_array = np.asarray(lanes_of, dtype=np.int64)
    counts = (
        np.bincount(lane_array, minlength=none_lane + 1)
        if lanes_of
        else np.zeros(none_lane + 1, dtype=np.int64)
    )
    names_by_lane = [*own, OTHER_ACTORS, NO_ACTOR]
    remap = np.full(none_lane + 1, -1, dtype=np.int64)
    lanes: list[Lane] = []
    for lane, name in enumerate(names_by_lane):
        if counts[lane]:
            remap[lane] = len(lanes)
            lanes.append(Lane(f"actor:{name}", name, None, int(counts[lane])))
    return lanes, np.asarray(events, dtype=np.int64), remap[lane_array] if lanes_of else lane_array


def _assign_tracks(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, int]:
    """Greedy interval packing: each span takes the lowest track free at its start."""
    tracks = np.zeros(start.shape[0], dtype=np.int16)
    free: list[int] = []  # tracks whose last span has ended
    busy: list[tuple[float, int]] = []  # (end, track)
    used = 0
    for i, (lo, hi) in enumerate(zip(start.tolist(), end.tolist(), strict=True)):
        while busy and busy[0][0] <= lo:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            track = heapq.heappop(free)
        else:
            track = used
            used += 1
        tracks[i] = min(track, np.iinfo(np.int16).max)
        heapq.heappush(busy, (hi, track))
    return tracks, used


def build_lanes(
    columns: EventColumns,
    mask: np.ndarray | None = None,
    mode: str = "category",
    *,
    top_actors: int = DEFAULT_TOP_ACTORS,
) -> LaneRows:
    """Lay the (optionally masked) events into lanes for `mode`; empty lanes are dropped."""
    if mode not in LANE_MODES:
        raise ValueError(f"unknown lane mode {mode!r}; expected one of {LANE_MODES}")
    count = len(columns)
    visible = np.arange(count, dtype=np.int64) if mask is None else np.flatnonzero(mask)
    if mode == "category":
        lanes, events, lane_of_row = _lanes_by_category(columns, visible)
    elif mode == "actor":
        lanes, events, lane_of_row = _lanes_by_actor(columns, visible, top_actors)
    else:
        lanes = [Lane("all", "All events", None, int(visible.shape[0]))] if visible.size else []
        events, lane_of_row = visible, np.zeros(visible.shape[0], dtype=np.int64)

    start = columns.start[events]
    end = np.maximum(columns.end[events], start)
    # Rows by lane, then by start: events are already sorted by start, so a stable sort on
    # the lane keeps the start order inside each lane.
    order = np.argsort(lane_of_row, kind="stable")
    events, lane_of_row, start, end = events[order], lane_of_row[order], start[order], end[order]
    is_span = columns.is_span[events]
    pos = np.where(is_span, start, (start + end) / 2.0)
    lane_count = len(lanes)
    offsets = np.zeros(lane_count + 1, dtype=np.int64)
    if lane_count:
        offsets[1:] = np.cumsum(np.bincount(lane_of_row, minlength=lane_count))

    track = np.zeros(events.shape[0], dtype=np.int16)
    tracks = np.zeros(lane_count, dtype=np.int16)
    reach = np.empty_like(end)
    density_lo = np.empty_like(start)
    density_hi = np.empty_like(end)
    for lane in range(lane_count):
        part = slice(int(offsets[lane]), int(offsets[lane + 1]))
        if part.start == part.stop:
            continue
        reach[part] = np.maximum.accumulate(end[part])
        spans = np.flatnonzero(is_span[part])
        if spans.size:
            lane_tracks, used = _assign_tracks(start[part][spans], end[part][spans])
            track[part.start + spans] = lane_tracks
            tracks[lane] = used
        # Density counts a point at its marker and a span over its whole extent.
        lo = np.where(is_span[part], start[part], pos[part])
        hi = np.where(is_span[part], end[part], pos[part])
        density_lo[part] = np.sort(lo)
        density_hi[part] = np.sort(hi)
    return LaneRows(
        lanes=tuple(lanes),
        event=events,
        start=start,
        end=end,
        pos=pos,
        is_span=is_span,
        track=track,
        tracks=tracks,
        reach=reach,
        offsets=offsets,
        density_lo=density_lo,
        density_hi=density_hi,
    )


def visible_rows(rows: LaneRows, lane: int, lower: float, upper: float) -> np.ndarray:
    """Indices of the rows of `lane` whose extent meets [lower, upper]."""
    part = rows.lane_slice(lane)
    first = part.start + int(np.searchsorted(rows.reach[part], lower, side="left"))
    last = part.start + int(np.searchsorted(rows.start[part], upper, side="right"))
    if last <= first:
        return np.empty(0, dtype=np.int64)
    candidates = np.arange(first, last, dtype=np.int64)
    return candidates[rows.end[first:last] >= lower]


def column_counts(
    rows: LaneRows,
    lower: float,
    upper: float,
    columns: int,
    lanes: np.ndarray | list[int] | None = None,
) -> np.ndarray:
    """Rows per lane and pixel column over [lower, upper): a (lanes × columns) int array.

    Only the `lanes` given are counted (all by default); the others stay zero.

    A point counts in the column holding its marker; a span in every column it overlaps.
    Two binary searches per lane and column edge: cost grows with lanes × pixels, not with
    the number of events — the same at a thousand events as at a million.
    """
    columns = max(int(columns), 1)
    edges = np.linspace(lower, upper, columns + 1)
    counts = np.zeros((rows.lane_count, columns), dtype=np.int64)
    wanted = range(rows.lane_count) if lanes is None else [int(lane) for lane in lanes]
    for lane in wanted:
        part = rows.lane_slice(lane)
        begun = np.searchsorted(rows.density_lo[part], edges[1:], side="left")
        ended = np.searchsorted(rows.density_hi[part], edges[:-1], side="left")
        counts[lane] = begun - ended
    return counts


def lane_totals(rows: LaneRows, lower: float, upper: float) -> np.ndarray:
    """Rows per lane that meet [lower, upper): one column of `column_counts`, cheaply."""
    return column_counts(rows, lower, upper, 1)[:, 0]
