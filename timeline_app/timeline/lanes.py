"""Which lane each event is drawn in, as arrays ready for per-frame slicing (pure numpy).

Lanes are by category (default), by actor (an event appears once per actor; the busiest
actors get their own lane, the rest share "Other") or a single lane. Rows are stored lane
by lane, each lane sorted by start, so a frame finds the visible rows of a lane with two
binary searches and counts a lane's events per pixel column without touching every event.
Lanes with no event under the current filter are folded away.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass
from typing import Literal

import numpy as np

from timeline_app.domain.columns import ENDLESS, EventColumns
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


class TrackMemo:
    """The span tracks last worked out per lane (by lane key), kept between layouts so an
    edit or a filter re-runs the greedy packing only from the first span that changed."""

    def __init__(self) -> None:
        self._lanes: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def recall(self, key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        return self._lanes.get(key)

    def remember(self, key: str, start: np.ndarray, end: np.ndarray, track: np.ndarray) -> None:
        self._lanes[key] = (start, end, track)


@dataclass(frozen=True, slots=True, eq=False)
class LaneRows:
    """Drawable rows (one per event per lane it appears in), lane-major, by start in a lane.

    event: index into the EventColumns; start/end: the row's extent (a span's dates, or a
    point's known range, e.g. its whole month; an open or unknown end is now, when the lanes
    were laid out, not its far-future bound); tracks: per lane, how many span tracks it needs
    (the deepest overlap of its spans); reach: running maximum of `end` within each lane (so
    the first row that can still be visible at time t is one binary search away); offsets:
    lane i owns rows offsets[i]:offsets[i+1]. density_lo/density_hi: per lane,
    independently sorted lower/upper extents for counting rows per pixel column.

    `track` (a span's sub-row inside its lane, so overlapping spans do not hide each other)
    is a greedy packing that cannot be vectorised: it is worked out per lane on first use
    (`lane_track`), only for lanes drawn one mark at a time, reusing `memo`.
    """

    lanes: tuple[Lane, ...]
    event: np.ndarray
    start: np.ndarray
    end: np.ndarray
    is_span: np.ndarray
    tracks: np.ndarray  # per lane: how many span tracks it needs
    reach: np.ndarray
    offsets: np.ndarray
    density_lo: np.ndarray
    density_hi: np.ndarray
    _track: np.ndarray
    _tracked: np.ndarray  # per lane: `_track` is filled in
    memo: TrackMemo

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

    def marker_at(self, rows: np.ndarray) -> np.ndarray:
        """Where the marks of these rows sit: a point in the middle of the range its date is
        known to, a span at its start (worked out for the rows drawn, not kept per row)."""
        start = self.start[rows]
        return np.where(self.is_span[rows], start, (start + self.end[rows]) / 2.0)

    @property
    def pos(self) -> np.ndarray:
        """`marker_at` for every row."""
        return self.marker_at(np.arange(len(self)))

    def lane_track(self, lane: int) -> np.ndarray:
        """The span track of every row of `lane` (0 for points), packed on first use."""
        part = self.lane_slice(lane)
        if not self._tracked[lane]:
            spans = np.flatnonzero(self.is_span[part])
            if spans.size:
                start = self.start[part][spans]
                end = self.end[part][spans]
                key = self.lanes[lane].key
                packed = _assign_tracks(start, end, self.memo.recall(key))
                self.memo.remember(key, start, end, packed)
                self._track[part.start + spans] = np.minimum(packed, np.iinfo(np.int16).max)
            self._tracked[lane] = True
        return self._track[part]

    @property
    def track(self) -> np.ndarray:
        """The span track of every row (packs every lane not packed yet)."""
        for lane in range(self.lane_count):
            self.lane_track(lane)
        return self._track


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


@dataclass(frozen=True, slots=True, eq=False)
class ActorTable:
    """Who takes part in which event, as arrays: the columns' tuples of names are read once,
    so every layout by actor after that (a filter, a fold) is vectorised.

    owner: the event of each (event, actor) pair, ascending, each actor once per event;
    actor: index into `names`.
    """

    names: tuple[str, ...]
    owner: np.ndarray
    actor: np.ndarray


def actor_table(columns: EventColumns) -> ActorTable:
    """The (event, actor) pairs of the columns (one pass over their tuples of names)."""
    code_of: dict[str, int] = {}
    owner: list[int] = []
    actor: list[int] = []
    for index, names in enumerate(columns.actors):
        if not names:
            continue
        seen: set[int] = set()
        for name in names:
            code = code_of.setdefault(name, len(code_of))
            if code not in seen:
                seen.add(code)
                owner.append(index)
                actor.append(code)
    return ActorTable(
        names=tuple(code_of),
        owner=np.asarray(owner, dtype=np.int64),
        actor=np.asarray(actor, dtype=np.int64),
    )


def _lanes_by_actor(
    columns: EventColumns, visible: np.ndarray, top: int, table: ActorTable | None = None
) -> tuple[list[Lane], np.ndarray, np.ndarray]:
    table = actor_table(columns) if table is None else table
    shown = np.zeros(len(columns), dtype=bool)
    shown[visible] = True
    pairs = shown[table.owner]
    owner, actor = table.owner[pairs], table.actor[pairs]
    tally = np.bincount(actor, minlength=len(table.names))
    ranked = sorted(
        np.flatnonzero(tally).tolist(), key=lambda code: (-int(tally[code]), table.names[code])
    )
    own = ranked[:top] if len(ranked) > top + 1 else ranked
    other_lane = len(own)
    none_lane = other_lane + 1
    lane_of_actor = np.full(len(table.names), other_lane, dtype=np.int64)
    lane_of_actor[own] = np.arange(len(own))
    # One row per event and lane (several minor actors of an event share "Other" once).
    keys = np.sort(owner * (none_lane + 1) + lane_of_actor[actor])
    if keys.size:
        keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]
    has_actor = np.zeros(len(columns), dtype=bool)
    has_actor[table.owner] = True
    alone = visible[~has_actor[visible]]
    events = np.concatenate([keys // (none_lane + 1), alone])
    lane_array = np.concatenate([keys % (none_lane + 1), np.full(alone.size, none_lane)])
    counts = np.bincount(lane_array, minlength=none_lane + 1)
    names_by_lane = [*(table.names[code] for code in own), OTHER_ACTORS, NO_ACTOR]
    remap = np.full(none_lane + 1, -1, dtype=np.int64)
    lanes: list[Lane] = []
    for lane, name in enumerate(names_by_lane):
        if counts[lane]:
            remap[lane] = len(lanes)
            lanes.append(Lane(f"actor:{name}", name, None, int(counts[lane])))
    return lanes, events, remap[lane_array]


def _assign_tracks(
    start: np.ndarray,
    end: np.ndarray,
    previous: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Greedy interval packing: each span (by start) takes the lowest track free at its start.

    `previous` (the starts, ends and tracks of an earlier packing of this lane) saves the
    work up to the first span that differs: the packing of a prefix does not depend on
    what follows, so it resumes there with the tracks still busy at that span's start.
    """
    count = start.shape[0]
    tracks = np.zeros(count, dtype=np.int64)
    same = 0
    if previous is not None:
        old_start, old_end, old_tracks = previous
        common = min(count, old_start.shape[0])
        differs = np.flatnonzero(
            (old_start[:common] != start[:common]) | (old_end[:common] != end[:common])
        )
        same = int(differs[0]) if differs.size else common
        tracks[:same] = old_tracks[:same]
    if same == count:
        return tracks
    lows = start[same:].tolist()
    highs = end[same:].tolist()
    # The state just before span `same`: spans begun earlier and not yet over hold their
    # tracks; every other track opened so far is free.
    used = int(tracks[:same].max()) + 1 if same else 0
    held = np.flatnonzero(end[:same] > lows[0]) if same else np.empty(0, dtype=np.int64)
    busy = list(zip(end[held].tolist(), tracks[held].tolist(), strict=True))
    heapq.heapify(busy)
    taken = set(tracks[held].tolist())
    free = [track for track in range(used) if track not in taken]
    out = [0] * len(lows)
    heappush, heappop = heapq.heappush, heapq.heappop
    for i, lo in enumerate(lows):
        while busy and busy[0][0] <= lo:
            heappush(free, heappop(busy)[1])
        if free:
            track = heappop(free)
        else:
            track = used
            used += 1
        out[i] = track
        heappush(busy, (highs[i], track))
    tracks[same:] = out
    return tracks


def _track_count(start: np.ndarray, end: np.ndarray) -> int:
    """How many tracks the greedy packing of these spans (sorted by start) opens.

    A span opens a new track exactly when every open one is busy, so the count is the most
    spans (itself included) running at any span's start, where running means begun earlier
    in start order and ending after that start. Vectorised: no packing needed.
    """
    count = start.shape[0]
    if count == 0:
        return 0
    over = np.searchsorted(np.sort(end), start, side="right")  # all spans over by each start
    # Of those, the ones at or after a span in order can only be spans with no length at
    # exactly its start (ends never precede starts): they are not over before it.
    zero = np.cumsum(end <= start)
    group_end = np.searchsorted(start, start, side="right")
    before = np.concatenate([[0], zero[:-1]])
    later = zero[group_end - 1] - before
    running = np.arange(count) - (over - later) + 1
    return int(running.max())


def build_lanes(
    columns: EventColumns,
    mask: np.ndarray | None = None,
    mode: str = "category",
    *,
    top_actors: int = DEFAULT_TOP_ACTORS,
    memo: TrackMemo | None = None,
    actors: ActorTable | None = None,
    now: float | None = None,
) -> LaneRows:
    """Lay the (optionally masked) events into lanes for `mode`; empty lanes are dropped.

    `actors`: the columns' `actor_table`, when kept from an earlier layout by actor; `now`
    (default: the clock) where open and unknown ends are drawn.

    Vectorised apart from span tracks, which each lane packs when first drawn one mark at a
    time; `memo` (the previous layout's) lets that packing resume where the spans changed.
    """
    if mode not in LANE_MODES:
        raise ValueError(f"unknown lane mode {mode!r}; expected one of {LANE_MODES}")
    count = len(columns)
    visible = np.arange(count, dtype=np.int64) if mask is None else np.flatnonzero(mask)
    if mode == "category":
        lanes, events, lane_of_row = _lanes_by_category(columns, visible)
    elif mode == "actor":
        lanes, events, lane_of_row = _lanes_by_actor(columns, visible, top_actors, actors)
    else:
        lanes = [Lane("all", "All events", None, int(visible.shape[0]))] if visible.size else []
        events, lane_of_row = visible, np.zeros(visible.shape[0], dtype=np.int64)

    lane_count = len(lanes)
    # Rows by lane, then by start: events are already sorted by start, so a stable sort on
    # the lane keeps the start order inside each lane (a radix sort on a small integer type).
    small = np.int16 if lane_count < np.iinfo(np.int16).max else np.int64
    lane_of_row = lane_of_row.astype(small, copy=False)
    order = np.argsort(lane_of_row, kind="stable")
    events = events[order]
    lane_of_row = lane_of_row[order]
    del order
    if events.shape[0] < np.iinfo(np.int32).max:
        events = events.astype(np.int32)
    start = columns.start[events]
    end = np.maximum(_drawn_end(columns, events, now), start)
    is_span = columns.is_span[events]
    pos = np.where(is_span, start, (start + end) / 2.0)
    offsets = np.zeros(lane_count + 1, dtype=np.int64)
    if lane_count:
        offsets[1:] = np.cumsum(np.bincount(lane_of_row, minlength=lane_count))
    del lane_of_row

    tracks = np.zeros(lane_count, dtype=np.int16)
    reach = np.empty_like(end)
    density_lo = np.empty_like(start)
    density_hi = np.empty_like(end)
    for lane in range(lane_count):
        part = slice(int(offsets[lane]), int(offsets[lane + 1]))
        if part.start == part.stop:
            continue
        reach[part] = np.maximum.accumulate(end[part])
        spans = is_span[part]
        if spans.any():
            used = _track_count(start[part][spans], end[part][spans])
            tracks[lane] = min(used, np.iinfo(np.int16).max)
        # Density counts a point at its marker and a span over its whole extent (a span's
        # `pos` is its start).
        # (nearly sorted already, as the events are by start: the stable sort, a timsort,
        # takes them three times faster than the default)
        density_lo[part] = np.sort(pos[part], kind="stable")
        density_hi[part] = np.sort(np.where(spans, end[part], pos[part]), kind="stable")
    return LaneRows(
        lanes=tuple(lanes),
        event=events,
        start=start,
        end=end,
        is_span=is_span,
        tracks=tracks,
        reach=reach,
        offsets=offsets,
        density_lo=density_lo,
        density_hi=density_hi,
        _track=np.zeros(events.shape[0], dtype=np.int16),
        _tracked=np.zeros(lane_count, dtype=bool),
        memo=TrackMemo() if memo is None else memo,
    )


PATCH_AT_MOST = 0.125  # the share of the events an edit may move and still be patched in
_LANE_FIELDS = ("event", "start", "end", "is_span", "reach", "density_lo", "density_hi")


def patch_lanes(
    rows: LaneRows,
    before: EventColumns,
    after: EventColumns,
    memo: TrackMemo | None = None,
    now: float | None = None,
) -> LaneRows | None:
    """`rows` (lanes by category of every event of `before`) brought to `after`, rebuilding
    only the lanes of the events that differ; None when a full layout is the better path
    (lanes appear or fold away, or the change is not small).

    An edit (`EventColumns.patched`) leaves a prefix and a suffix of the columns as they
    were: the lanes of the events between are laid out again, the others keep their rows
    with the event numbers shifted. A few vectorised passes instead of a full layout.
    """
    if (
        before.category_names != after.category_names
        or before.category_colours != after.category_colours
        or any(not lane.key.startswith("category:") for lane in rows.lanes)
        or len(rows) != len(before)
    ):
        return None
    n, m = len(before), len(after)
    shared = min(n, m)
    head = _first_difference(before, after, 0, 0, shared)
    room = shared - head
    tail = _first_difference(before, after, n - room, m - room, room, from_end=True)
    old_end, new_end = n - tail, m - tail
    if (old_end - head) + (new_end - head) > max(n, m) * PATCH_AT_MOST:
        return None
    old_codes = before.category[head:old_end]
    new_codes = after.category[head:new_end]
    lane_of_code = {int(lane.key.split(":", 1)[1]): i for i, lane in enumerate(rows.lanes)}
    if set(np.unique(new_codes).tolist()) - set(lane_of_code):
        return None  # a new lane appears
    shift = m - n
    # Between the unchanged prefix and suffix, most events only moved up or down by the
    # few added or removed: a lane whose events there are laid out alike keeps its rows
    # (with their numbers shifted); the others are laid out again.
    rebuilt: dict[int, dict[str, np.ndarray]] = {}
    moved_in: dict[int, np.ndarray] = {}
    for index, lane in enumerate(rows.lanes):
        code = int(lane.key.split(":", 1)[1])
        old_window = head + np.flatnonzero(old_codes == code)
        new_window = head + np.flatnonzero(new_codes == code)
        if _alike(before, old_window, after, new_window):
            moved_in[index] = new_window
            continue
        events = rows.event[rows.lane_slice(index)]
        events = np.concatenate(
            [
                events[events < head],
                new_window,
                events[events >= old_end].astype(np.int64) + shift,
            ]
        ).astype(rows.event.dtype)
        if events.size == 0:
            return None  # the lane folds away
        rebuilt[index] = _lane_arrays(after, events, now)
    old_counts = np.diff(rows.offsets)
    counts = old_counts.copy()
    for index, arrays in rebuilt.items():
        counts[index] = arrays["event"].size
    offsets = np.zeros(len(rows.lanes) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(counts)
    # An edit that keeps every lane's size (the usual one) writes into the arrays it has.
    in_place = bool(np.array_equal(counts, old_counts))
    if in_place:
        target = {name: getattr(rows, name) for name in _LANE_FIELDS}
        track = rows._track
    else:
        total = int(offsets[-1])
        target = {name: np.empty(total, dtype=getattr(rows, name).dtype) for name in _LANE_FIELDS}
        track = np.zeros(total, dtype=np.int16)
    tracks = rows.tracks.copy()
    tracked = rows._tracked.copy()
    lanes = list(rows.lanes)
    for index, lane in enumerate(rows.lanes):
        old, new = rows.lane_slice(index), slice(int(offsets[index]), int(offsets[index + 1]))
        arrays = rebuilt.get(index)
        if arrays is not None:
            for name in _LANE_FIELDS:
                target[name][new] = arrays[name]
            track[new] = 0
            tracks[index] = arrays["tracks"]
            tracked[index] = False
            lanes[index] = Lane(lane.key, lane.name, lane.colour, int(counts[index]))
            continue
        if not in_place:
            for name in _LANE_FIELDS:
                target[name][new] = getattr(rows, name)[old]
            track[new] = rows._track[old]
        events = target["event"][new]
        first = int(np.searchsorted(events, head))
        last = int(np.searchsorted(events, old_end))
        if shift:
            events[last:] += shift
        events[first:last] = moved_in[index]
    return LaneRows(
        lanes=tuple(lanes),
        tracks=tracks,
        offsets=offsets,
        _track=track,
        _tracked=tracked,
        memo=rows.memo if memo is None else memo,
        **target,
    )


def _alike(before: EventColumns, old: np.ndarray, after: EventColumns, new: np.ndarray) -> bool:
    """Whether these events (indices into each) are laid out alike, in the same order."""
    return old.shape == new.shape and all(
        np.array_equal(getattr(before, name)[old], getattr(after, name)[new])
        for name in ("start", "end", "is_span")
    )


def _first_difference(
    before: EventColumns,
    after: EventColumns,
    old_at: int,
    new_at: int,
    length: int,
    *,
    from_end: bool = False,
) -> int:
    """How many of `length` events, from the start (or the end) of the two stretches, lay
    out alike (same dates, kind and category)."""
    if length <= 0:
        return 0
    differs = np.zeros(length, dtype=bool)
    for name in ("start", "end", "is_span", "category"):
        differs |= (
            getattr(before, name)[old_at : old_at + length]
            != getattr(after, name)[new_at : new_at + length]
        )
    found = np.flatnonzero(differs)
    if not found.size:
        return length
    return int(length - 1 - found[-1]) if from_end else int(found[0])


def _drawn_end(columns: EventColumns, events: np.ndarray, now: float | None) -> np.ndarray:
    """The ends of `events` as drawn: an open or unknown end at `now` (default: the clock),
    never before its start (as `EventColumns.drawn_end`, for these events only)."""
    end = columns.end[events]
    endless = (columns.shape[events] & ENDLESS) != 0
    if not endless.any():
        return end
    now = time.time() if now is None else now
    return np.where(endless, np.maximum(now, columns.start[events]), end)


def _lane_arrays(
    columns: EventColumns, events: np.ndarray, now: float | None = None
) -> dict[str, np.ndarray]:
    """The rows of one lane holding `events` (sorted by start), and its track count."""
    start = columns.start[events]
    end = np.maximum(_drawn_end(columns, events, now), start)
    is_span = columns.is_span[events]
    pos = np.where(is_span, start, (start + end) / 2.0)
    return {
        "event": events,
        "start": start,
        "end": end,
        "is_span": is_span,
        "reach": np.maximum.accumulate(end),
        "density_lo": np.sort(pos, kind="stable"),
        "density_hi": np.sort(np.where(is_span, end, pos), kind="stable"),
        "tracks": np.int16(min(_track_count(start[is_span], end[is_span]), 32767)),
    }


def visible_rows(rows: LaneRows, lane: int, lower: float, upper: float) -> np.ndarray:
    """Indices of the rows of `lane` whose extent meets [lower, upper]."""
    part = rows.lane_slice(lane)
    first = part.start + int(rows.reach[part].searchsorted(lower, side="left"))
    last = part.start + int(rows.start[part].searchsorted(upper, side="right"))
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


def marker_counts(rows: LaneRows, edges: np.ndarray) -> np.ndarray:
    """How many marks sit in each bin between `edges` (a point at its marker, a span at its
    start), all lanes together: binary searches, not a pass over the rows."""
    counts = np.zeros(max(edges.shape[0] - 1, 0), dtype=np.int64)
    for lane in range(rows.lane_count):
        counts += np.diff(np.searchsorted(rows.density_lo[rows.lane_slice(lane)], edges))
    return counts


def lane_totals(rows: LaneRows, lower: float, upper: float) -> np.ndarray:
    """Rows per lane that meet [lower, upper): one column of `column_counts`, cheaply (two
    scalar binary searches a lane: this runs every frame)."""
    offsets = rows.offsets.tolist()
    low, high = rows.density_lo, rows.density_hi
    totals = np.empty(rows.lane_count, dtype=np.int64)
    for lane in range(rows.lane_count):
        first, last = offsets[lane], offsets[lane + 1]
        begun = int(low[first:last].searchsorted(upper, side="left"))
        totals[lane] = begun - int(high[first:last].searchsorted(lower, side="left"))
    return totals
