"""Lanes and binning: rows per lane, folding under a filter, visible slices, density counts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from timeline_builders import DAY, columns_from, event_row, many_events, utc

from timeline_app.timeline.lanes import (
    NO_ACTOR,
    OTHER_ACTORS,
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
