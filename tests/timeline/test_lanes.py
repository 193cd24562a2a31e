"""Lanes and binning: rows per lane, folding under a filter, visible slices, density counts."""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from timeline_builders import DAY, columns_from, event_row, many_events, utc

from timeline_app.timeline.lanes import (
    NO_ACTOR,
    OTHER_ACTORS,
    actor_table,
    build_lanes,
    column_counts,
    lane_totals,
    visible_rows,
)


def test_one_lane_per_category_in_order(sample_columns) -> None:
    rows = build_lanes(sample_columns)
    assert [lane.name for lane in rows.lanes] == ["Diplomacy", "Military", "Nuclear", "Energy"]
    assert [lane.count for lane in rows.lanes] == [2, 3, 2, 3]
    assert len(rows) == len(sample_columns)


def test_empty_lanes_fold_under_a_filter(sample_columns) -> None:
    mask = sample_columns.category == 1
    rows = build_lanes(sample_columns, mask)
    assert [lane.name for lane in rows.lanes] == ["Military"]
    assert sorted(sample_columns.ids[rows.event].tolist()) == ["b", "e", "f"]


def test_actor_lanes_repeat_an_event_per_actor(sample_columns) -> None:
    rows = build_lanes(sample_columns, mode="actor")
    names = [lane.name for lane in rows.lanes]
    assert "Putin" in names and "Khamenei" in names
    summit = sample_columns.index_of("a")
    lanes_of_summit = {
        rows.lanes[lane].name for lane in rows.lane_of_rows()[rows.event == summit].tolist()
    }
    assert lanes_of_summit == {"Putin", "Khamenei"}
    assert rows.lanes[-1].name == NO_ACTOR  # the trade forum has no actor


def test_actor_lanes_keep_the_busiest_and_group_the_rest(sample_columns) -> None:
    rows = build_lanes(sample_columns, mode="actor", top_actors=2)
    names = [lane.name for lane in rows.lanes]
    assert names[:2] == ["Iran", "Putin"]  # two events each, ties by name
    assert OTHER_ACTORS in names
    assert sum(lane.count for lane in rows.lanes) == len(rows)


def test_single_lane(sample_columns) -> None:
    rows = build_lanes(sample_columns, mode="single")
    assert [lane.count for lane in rows.lanes] == [len(sample_columns)]


def test_unknown_mode_is_refused(sample_columns) -> None:
    with pytest.raises(ValueError, match="lane mode"):
        build_lanes(sample_columns, mode="tags")


def test_points_sit_mid_range_and_spans_get_tracks() -> None:
    rows_in = [
        event_row("m", "Known to the month", utc(2020, 3, 1), utc(2020, 4, 1), precision=1),
        event_row("s1", "Long span", utc(2020, 1, 1), utc(2021, 1, 1), span=True),
        event_row("s2", "Overlapping span", utc(2020, 6, 1), utc(2020, 9, 1), span=True),
        event_row("s3", "Later span", utc(2021, 2, 1), utc(2021, 3, 1), span=True),
    ]
    columns = columns_from(rows_in)
    rows = build_lanes(columns)
    by_id = {columns.ids[e]: i for i, e in enumerate(rows.event.tolist())}
    month = by_id["m"]
    assert rows.pos[month] == pytest.approx((utc(2020, 3, 1) + utc(2020, 4, 1)) / 2)
    assert rows.track[by_id["s1"]] != rows.track[by_id["s2"]]
    assert rows.track[by_id["s3"]] == 0  # the first track is free again by then
    assert rows.tracks[0] == 2


def brute_visible(rows, lane: int, lower: float, upper: float) -> set[int]:
    part = rows.lane_slice(lane)
    return {
        i for i in range(part.start, part.stop) if rows.start[i] <= upper and rows.end[i] >= lower
    }


@settings(max_examples=40, deadline=None)
@given(st.floats(utc(1990), utc(2026)), st.floats(DAY, 4000 * DAY), st.integers(1, 400))
def test_visible_rows_match_a_brute_force_scan(lower: float, width: float, columns: int) -> None:
    data = many_events(500, seed=3, categories=3)
    rows = build_lanes(data)
    upper = lower + width
    for lane in range(rows.lane_count):
        found = set(visible_rows(rows, lane, lower, upper).tolist())
        assert found == brute_visible(rows, lane, lower, upper)


@settings(max_examples=40, deadline=None)
@given(st.floats(utc(1990), utc(2026)), st.floats(DAY, 4000 * DAY), st.integers(1, 300))
def test_column_counts_match_a_brute_force_count(lower: float, width: float, pixels: int) -> None:
    data = many_events(400, seed=5, categories=3)
    rows = build_lanes(data)
    upper = lower + width
    counts = column_counts(rows, lower, upper, pixels)
    edges = np.linspace(lower, upper, pixels + 1)
    lane_of = rows.lane_of_rows()
    expected = np.zeros_like(counts)
    for i in range(len(rows)):
        lo = rows.start[i] if rows.is_span[i] else rows.pos[i]
        hi = rows.end[i] if rows.is_span[i] else rows.pos[i]
        for column in range(pixels):
            if lo < edges[column + 1] and hi >= edges[column]:
                expected[lane_of[i], column] += 1
    np.testing.assert_array_equal(counts, expected)


def test_lane_totals_and_partial_counts() -> None:
    rows = build_lanes(many_events(2000, seed=9, categories=4))
    lower, upper = utc(2000), utc(2010)
    totals = lane_totals(rows, lower, upper)
    only_two = column_counts(rows, lower, upper, 50, lanes=[2])
    assert only_two[[0, 1, 3]].sum() == 0 and only_two[2].sum() >= totals[2]


def _actor_lanes_one_by_one(columns, mask, top):
    """The plain reading of lanes by actor: (lane names, rows per lane as event lists)."""
    visible = np.flatnonzero(mask)
    tally: Counter[str] = Counter()
    for index in visible.tolist():
        tally.update(set(columns.actors[index]))
    ranked = [name for name, _ in sorted(tally.items(), key=lambda item: (-item[1], item[0]))]
    own = ranked[:top] if len(ranked) > top + 1 else ranked
    lanes: dict[str, list[int]] = {name: [] for name in [*own, OTHER_ACTORS, NO_ACTOR]}
    for index in visible.tolist():
        names = columns.actors[index]
        if not names:
            lanes[NO_ACTOR].append(index)
        for lane in dict.fromkeys(name if name in own else OTHER_ACTORS for name in names):
            lanes[lane].append(index)
    return [(name, events) for name, events in lanes.items() if events]


def test_actor_lanes_match_a_plain_reading_under_any_filter() -> None:
    rng = np.random.default_rng(21)
    columns = many_events(1500, seed=21, categories=3)
    people = [f"Actor {i}" for i in range(30)]
    actors = tuple(
        tuple(rng.choice(people, size=int(rng.integers(0, 4))).tolist()) for _ in range(1500)
    )
    columns = dataclasses.replace(columns, actors=actors)
    table = actor_table(columns)
    for top in (2, 5, 11, 40):
        mask = rng.random(len(columns)) < rng.uniform(0.05, 1.0)
        rows = build_lanes(columns, mask, "actor", top_actors=top, actors=table)
        expected = _actor_lanes_one_by_one(columns, mask, top)
        assert [lane.name for lane in rows.lanes] == [name for name, _ in expected]
        for lane, (_, events) in enumerate(expected):
            assert rows.event[rows.lane_slice(lane)].tolist() == events


def test_lane_totals_count_what_one_column_of_column_counts_does() -> None:
    rows = build_lanes(many_events(3000, seed=3, categories=8))
    rng = np.random.default_rng(0)
    for _ in range(50):
        lower, upper = sorted(rng.uniform(6e8, 1.8e9, 2))
        assert np.array_equal(
            lane_totals(rows, lower, upper), column_counts(rows, lower, upper, 1)[:, 0]
        )
