"""EventColumns: the events as parallel numpy arrays, sorted by start — all drawing needs.

Built by one bulk query; handed to the timeline, which never touches the database. Kept in
the domain (numpy, no Qt, no SQL) so the store can build it and the views can read it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from timeline_app.domain.dates import PRECISION_ORDER
from timeline_app.domain.model import CERTAINTY_ORDER, EventFilter

PRECISION_CODES = {precision.value: code for code, precision in enumerate(PRECISION_ORDER)}
FEW_IDS = 16
"""Removed ids up to which `patched` compares each with the id column in numpy."""
CERTAINTY_CODES = {certainty.value: code for code, certainty in enumerate(CERTAINTY_ORDER)}

# What an event's dates say beyond their bounds, as bit flags of `EventColumns.shape`, so a
# view draws each form honestly without reading the EDTF text again.
SHAPE_ONE_OF = 1
"""The start is one of a range or set (`[1990..1994]`): somewhere within its bounds."""
SHAPE_BEFORE = 2
"""The start is "this date or earlier" (`[..1990]`): its bounds are the anchor date's."""
SHAPE_AFTER = 4
"""The start is "this date or later" (`[1990..]`): its bounds are the anchor date's."""
SHAPE_OPEN_END = 8
"""The end is open, still going on (`a/..`): drawn up to now, its bound is OPEN_END_UPPER."""
SHAPE_UNKNOWN_END = 16
"""The end is unknown (`a/`): drawn up to now at most, its bound is OPEN_END_UPPER."""
SHAPE_BITS = 5
"""Bits a shape takes (the store packs it with other codes)."""
ENDLESS = SHAPE_OPEN_END | SHAPE_UNKNOWN_END
"""Either end whose bound is OPEN_END_UPPER."""


def shape_of(start: str, end: str | None) -> int:
    """The shape flags of an event's stored EDTF start and end texts (what the store works out
    in SQL: the tests hold the two equal)."""
    shape = 0
    if start.startswith("[.."):
        shape |= SHAPE_BEFORE
    elif start.endswith("..]"):
        shape |= SHAPE_AFTER
    elif start.startswith("["):
        shape |= SHAPE_ONE_OF
    if end == "..":
        shape |= SHAPE_OPEN_END
    elif end == "":
        shape |= SHAPE_UNKNOWN_END
    return shape


@dataclass(frozen=True, slots=True, eq=False)
class EventColumns:
    """Parallel arrays, one row per event, sorted by `start`.

    start/end: float64 UTC seconds (end == start bound for points is not assumed: `end` is
    the exclusive upper bound of the event's last date); is_span: bool (has an end date);
    precision: int8 index into PRECISION_ORDER of the start date; category: int32 index
    into `category_names`/`category_colours`; importance: int8 1–5; certainty: int8 index
    into CERTAINTY_ORDER; ids and titles: object arrays of str; actors: tuple of tuples;
    shape: int8 SHAPE_* flags (one of, before, after, open or unknown end), all 0 — exact
    dates, known ends — when not given.
    """

    start: np.ndarray
    end: np.ndarray
    is_span: np.ndarray
    precision: np.ndarray
    category: np.ndarray
    importance: np.ndarray
    certainty: np.ndarray
    ids: np.ndarray
    titles: np.ndarray
    category_names: tuple[str, ...] = ()
    category_colours: tuple[str, ...] = ()
    actors: tuple[tuple[str, ...], ...] = field(default=())
    shape: np.ndarray = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.shape is None:
            object.__setattr__(self, "shape", np.zeros(self.start.shape[0], dtype=np.int8))

    def __len__(self) -> int:
        return int(self.start.shape[0])

    @classmethod
    def empty(cls) -> EventColumns:
        return cls.from_rows([])

    @classmethod
    def from_rows(
        cls,
        rows: list[tuple],
        category_names: tuple[str, ...] = (),
        category_colours: tuple[str, ...] = (),
        actors: tuple[tuple[str, ...], ...] | None = None,
    ) -> EventColumns:
        """Rows of (id, title, start, end, is_span, precision_code, category_index,
        importance, certainty_code[, shape]), in any order; sorted here by start."""
        count = len(rows)
        start = np.fromiter((r[2] for r in rows), dtype=np.float64, count=count)
        order = np.argsort(start, kind="stable")

        def column(index: int, dtype: type | str) -> np.ndarray:
            return np.fromiter((r[index] for r in rows), dtype=dtype, count=count)[order]

        ids = np.empty(count, dtype=object)
        titles = np.empty(count, dtype=object)
        ids[:] = [rows[i][0] for i in order]
        titles[:] = [rows[i][1] for i in order]
        ordered_actors: tuple[tuple[str, ...], ...] = ()
        if actors is not None:
            ordered_actors = tuple(actors[i] for i in order)
        return cls(
            start=start[order],
            end=column(3, np.float64),
            is_span=column(4, np.bool_),
            precision=column(5, np.int8),
            category=column(6, np.int32),
            importance=column(7, np.int8),
            certainty=column(8, np.int8),
            ids=ids,
            titles=titles,
            category_names=category_names,
            category_colours=category_colours,
            actors=ordered_actors,
            shape=np.fromiter(
                (r[9] if len(r) > 9 else 0 for r in rows), dtype=np.int8, count=count
            )[order],
        )

    def take(self, mask_or_index: np.ndarray) -> EventColumns:
        """A subset (boolean mask or sorted index array), keeping the category tables."""
        index = np.flatnonzero(mask_or_index) if mask_or_index.dtype == np.bool_ else mask_or_index
        return EventColumns(
            start=self.start[index],
            end=self.end[index],
            is_span=self.is_span[index],
            precision=self.precision[index],
            category=self.category[index],
            importance=self.importance[index],
            certainty=self.certainty[index],
            ids=self.ids[index],
            titles=self.titles[index],
            category_names=self.category_names,
            category_colours=self.category_colours,
            actors=tuple(self.actors[i] for i in index) if self.actors else (),
            shape=self.shape[index],
        )

    def positions_of(self, starts: np.ndarray, ids: np.ndarray | Sequence[str]) -> np.ndarray:
        """Positions in these columns of the events given by start bound and id (-1 for any
        not here), vectorised: a filter matching most of a million events maps to rows
        without a dict of their ids.

        Equal starts are told apart by a 32-bit hash of the id, sorted within each run of
        equal starts; the rare hash clash is checked against the ids and settled by bisecting
        the run, which is in id order.
        """
        starts = np.asarray(starts, dtype=np.float64)
        wanted = np.asarray(ids, dtype=object)
        count = len(self)
        if not count or not starts.size:
            return np.full(starts.shape[0], -1, dtype=np.int64)
        new_run = np.empty(count, dtype=np.bool_)
        new_run[0] = True
        np.not_equal(self.start[1:], self.start[:-1], out=new_run[1:])
        run_starts = self.start[new_run]
        run = np.cumsum(new_run, dtype=np.int64) - 1
        keys = (run << 32) | _id_hashes(self.ids)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        query_run = np.searchsorted(run_starts, starts)
        known = query_run < run_starts.shape[0]
        known[known] = run_starts[query_run[known]] == starts[known]
        query_keys = (np.where(known, query_run, 0) << 32) | _id_hashes(wanted)
        query_order = np.argsort(query_keys)  # sorted queries search the keys in one sweep
        at = np.empty_like(query_order)
        at[query_order] = np.searchsorted(sorted_keys, query_keys[query_order])
        at = np.minimum(at, count - 1)
        positions = np.where(known, order[at], -1)
        found = positions >= 0
        found[found] = self.ids[positions[found]] == wanted[found]
        for index in np.flatnonzero(known & ~found).tolist():  # hash clashes: rare
            positions[index] = self._position_in_run(float(starts[index]), wanted[index])
        positions[~known] = -1
        return positions

    def _position_in_run(self, start: float, event_id: str) -> int:
        low = int(np.searchsorted(self.start, start, side="left"))
        high = int(np.searchsorted(self.start, start, side="right"))
        at = bisect_left(self.ids, event_id, low, high)
        return at if at < high and self.ids[at] == event_id else -1

    def matching(self, where: EventFilter) -> np.ndarray:
        """A boolean mask of the events meeting the parts of `where` the columns hold
        (categories, certainties, importance, time range: the store's conditions, in numpy);
        text, actors and tags are for the store to answer."""
        mask = np.ones(len(self), dtype=np.bool_)
        if where.categories:
            wanted = [i for i, name in enumerate(self.category_names) if name in where.categories]
            mask &= np.isin(self.category, wanted)
        if where.certainties:
            mask &= np.isin(self.certainty, [CERTAINTY_ORDER.index(c) for c in where.certainties])
        if where.min_importance > 1:
            mask &= self.importance >= where.min_importance
        if where.lower is not None:
            mask &= self.end > where.lower
        if where.upper is not None:
            mask &= self.start < where.upper
        return mask

    def mask_of(self, positions: np.ndarray) -> np.ndarray:
        """A boolean mask over these columns, True at `positions` (what a view filters by)."""
        mask = np.zeros(len(self), dtype=np.bool_)
        mask[positions] = True
        return mask

    def drawn_end(self, now: float) -> np.ndarray:
        """`end` with open and unknown ends brought back to `now` (never before the start):
        where a view draws, fits or hit-tests an ongoing event's end, not at the year 10000
        its bound says."""
        endless = (self.shape & ENDLESS) != 0
        if not endless.any():
            return self.end
        return np.where(endless, np.maximum(now, self.start), self.end)

    def index_of(self, event_id: str) -> int | None:
        hits = np.flatnonzero(self.ids == event_id)
        return int(hits[0]) if hits.size else None

    def patched(self, removed: Collection[str], added: EventColumns) -> EventColumns:
        """These columns with the events `removed` taken out and `added` put in, each at its
        place in (start, id) order: how an edit reaches a million drawn events without
        reading them all again. `added` must use the same category tables."""
        gone = set(removed)
        count = len(self)
        kept = np.arange(count, dtype=np.int64)
        if gone:
            if len(gone) <= FEW_IDS:  # an edit: numpy compares, no Python loop over all ids
                keep = np.ones(count, dtype=np.bool_)
                for event_id in gone:
                    keep &= self.ids != event_id
            else:
                keep = np.fromiter(
                    (event_id not in gone for event_id in self.ids.tolist()),
                    dtype=np.bool_,
                    count=count,
                )
            if not keep.all():
                kept = np.flatnonzero(keep)
        if len(kept) == count and not len(added):
            return self
        if not count:
            return added
        # Where each added event goes among these columns (before the first event that
        # sorts after it), then among the kept ones; one gather per column builds the result.
        lows = np.searchsorted(self.start, added.start, side="left").tolist()
        highs = np.searchsorted(self.start, added.start, side="right").tolist()
        ids = self.ids
        places = [
            bisect_left(ids, event_id, low, high) if high > low else low
            for event_id, low, high in zip(added.ids.tolist(), lows, highs, strict=True)
        ]
        at = np.searchsorted(kept, np.asarray(places, dtype=np.int64))
        slots = at + np.arange(len(added), dtype=np.int64)
        order = np.insert(kept, at, 0)
        actors: tuple[tuple[str, ...], ...] = ()
        if self.actors or added.actors:  # read for lanes by actor: keep them aligned
            merged = [self.actors[i] for i in kept.tolist()] if self.actors else [()] * len(kept)
            incoming = added.actors if added.actors else ((),) * len(added)
            for offset, (place, names) in enumerate(zip(at.tolist(), incoming, strict=True)):
                merged.insert(place + offset, names)
            actors = tuple(merged)

        def put(column: str) -> np.ndarray:
            result = getattr(self, column)[order]
            result[slots] = getattr(added, column)
            return result

        return EventColumns(
            start=put("start"),
            end=put("end"),
            is_span=put("is_span"),
            precision=put("precision"),
            category=put("category"),
            importance=put("importance"),
            certainty=put("certainty"),
            ids=put("ids"),
            titles=put("titles"),
            category_names=self.category_names,
            category_colours=self.category_colours,
            actors=actors,
            shape=put("shape"),
        )


def _id_hashes(ids: np.ndarray) -> np.ndarray:
    """The low 32 bits of each id's hash (str caches its hash: cheap for ids seen before)."""
    hashes = np.fromiter(map(hash, ids.tolist()), dtype=np.int64, count=ids.shape[0])
    return hashes & 0xFFFFFFFF


class EventRow(NamedTuple):
    """One line of the event table: enough to show and sort, nothing more (a named tuple:
    the table of a million events builds a million of them)."""

    id: str
    title: str
    start: str
    end: str | None
    lower: float
    upper: float
    category: str
    importance: int
    certainty: str
