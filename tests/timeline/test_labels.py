"""Label placement: titles never overlap, the important ones win, the work stays bounded."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.timeline.labels import place_labels, rects_overlap

ROWS = [(10.0, 40.0), (80.0, 110.0, 140.0), (170.0,)]


def no_two_overlap(rects: list[tuple[float, float, float, float]]) -> bool:
    return not any(rects_overlap(a, b) for i, a in enumerate(rects) for b in rects[i + 1 :])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 1000), st.integers(0, 2), st.integers(1, 5), st.floats(10, 300)),
        max_size=150,
    )
)
def test_placed_titles_never_overlap(candidates: list[tuple[float, int, int, float]]) -> None:
    x = np.array([c[0] for c in candidates])
    lane = np.array([c[1] for c in candidates], dtype=np.int64)
    priority = np.array([c[2] for c in candidates], dtype=float)
    widths = np.array([c[3] for c in candidates])
    placed = place_labels(x, lane, priority, widths, ROWS, 15.0, 1000.0)
    rects = placed.rects()
    assert no_two_overlap(rects)
    for left, _top, width, _ in rects:
        assert left >= 0 and left + width <= 1000.0 + 1e-9
    for index, (_, top, _, _) in zip(placed.index, rects, strict=True):
        assert top in ROWS[lane[index]]  # a title stays in its own lane's rows


def test_the_more_important_title_wins_a_contested_slot() -> None:
    x = np.array([100.0, 110.0])
    placed = place_labels(
        x, np.array([0, 0]), np.array([1.0, 5.0]), np.array([200.0, 200.0]), [(10.0,)], 15.0, 1000.0
    )
    assert placed.index.tolist() == [1]


def test_a_second_row_takes_the_overflow() -> None:
    x = np.array([100.0, 110.0])
    placed = place_labels(
        x,
        np.array([0, 0]),
        np.array([5.0, 4.0]),
        np.array([200.0, 200.0]),
        [(10.0, 40.0)],
        15.0,
        1000.0,
    )
    assert sorted(placed.top.tolist()) == [10.0, 40.0]


def test_near_the_right_edge_a_title_ends_at_its_marker() -> None:
    placed = place_labels(
        np.array([990.0]),
        np.array([0]),
        np.array([1.0]),
        np.array([100.0]),
        [(10.0,)],
        15.0,
        1000.0,
    )
    assert placed.left[0] + placed.width[0] <= 1000.0
    assert placed.left[0] < 990.0


def test_work_is_bounded_by_the_label_cap() -> None:
    count = 20_000
    rng = np.random.default_rng(0)
    placed = place_labels(
        rng.uniform(0, 100_000, count),
        np.zeros(count, dtype=np.int64),
        rng.integers(1, 6, count).astype(float),
        np.full(count, 50.0),
        [(0.0, 20.0, 40.0)],
        15.0,
        100_000.0,
        max_labels=300,
    )
    assert len(placed) == 300
    assert no_two_overlap(placed.rects())


def test_nothing_to_place() -> None:
    placed = place_labels(
        np.empty(0), np.empty(0, dtype=np.int64), np.empty(0), np.empty(0), ROWS, 15.0, 1000.0
    )
    assert len(placed) == 0 and placed.rects() == []


# -- thin lanes: titles cut short, markers kept clear ------------------------------------------
def test_a_title_is_cut_short_to_the_room_before_its_neighbour() -> None:
    placed = place_labels(
        np.array([250.0, 100.0]),
        np.array([0, 0]),
        np.array([5.0, 4.0]),
        np.array([80.0, 300.0]),
        [(10.0,)],
        13.0,
        1000.0,
        min_widths=np.array([40.0, 50.0]),
    )
    by_index = dict(zip(placed.index.tolist(), placed.rects(), strict=True))
    assert by_index[0] == (247.0, 10.0, 80.0, 13.0)  # the landmark, whole
    assert by_index[1] == (97.0, 10.0, 247.0 - 8.0 - 97.0, 13.0)  # cut to the gap before it


def test_a_title_with_less_room_than_its_shortest_cut_is_left_out() -> None:
    placed = place_labels(
        np.array([100.0, 140.0]),
        np.array([0, 0]),
        np.array([1.0, 5.0]),
        np.array([200.0, 100.0]),
        [(10.0,)],
        13.0,
        1000.0,
        min_widths=np.array([60.0, 60.0]),
    )
    assert placed.index.tolist() == [1]  # 37 px before the landmark: less than 60


def test_near_the_right_edge_a_title_that_can_be_cut_is_cut_not_flipped() -> None:
    placed = place_labels(
        np.array([900.0]),
        np.array([0]),
        np.array([1.0]),
        np.array([200.0]),
        [(10.0,)],
        13.0,
        1000.0,
        min_widths=np.array([50.0]),
    )
    left, _, width, _ = placed.rects()[0]
    assert left == 897.0 and width <= 103.0


def test_titles_keep_clear_of_markers_unless_they_may_cover_them() -> None:
    markers = [[(150.0, 160.0), (400.0, 415.0)]]
    strength = [[2.0, 5.0]]
    minor = place_labels(
        np.array([100.0]),
        np.array([0]),
        np.array([1.0]),
        np.array([200.0]),
        [(10.0,)],
        13.0,
        1000.0,
        obstacles=markers,
        obstacle_strength=strength,
        obstacle_gap=3.0,
    )
    assert len(minor) == 0  # a minor marker 50 px on, no cut allowed: left out
    landmark = place_labels(
        np.array([100.0]),
        np.array([0]),
        np.array([5.0]),
        np.array([200.0]),
        [(10.0,)],
        13.0,
        1000.0,
        obstacles=markers,
        obstacle_strength=strength,
        obstacle_gap=3.0,
        cover=np.array([3.0]),
    )
    assert len(landmark) == 1  # runs over the minor marker, stops short of the landmark's


def test_a_long_title_makes_way_for_the_next_equally_important_one() -> None:
    anchors = np.array([100.0, 250.0])
    args = (
        anchors,
        np.array([0, 0]),
        np.array([5.0, 5.0]),
        np.array([300.0, 300.0]),
        [(10.0,)],
        13.0,
        1000.0,
    )
    greedy = place_labels(*args, min_widths=np.array([60.0, 60.0]))
    assert greedy.index.tolist() == [0]
    shared = place_labels(*args, min_widths=np.array([60.0, 60.0]), tier=np.array([5.0, 5.0]))
    assert sorted(shared.index.tolist()) == [0, 1]
    assert no_two_overlap(shared.rects())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 1000),
            st.integers(0, 2),
            st.integers(1, 5),
            st.floats(10, 300),
            st.floats(0.1, 1.0),
        ),
        max_size=150,
    ),
    st.lists(st.tuples(st.floats(0, 1000), st.floats(1, 20), st.integers(1, 5)), max_size=40),
)
def test_cut_titles_never_overlap_titles_or_the_markers_they_may_not_cover(
    candidates: list[tuple[float, int, int, float, float]],
    marks: list[tuple[float, float, int]],
) -> None:
    x = np.array([c[0] for c in candidates])
    lane = np.array([c[1] for c in candidates], dtype=np.int64)
    importance = np.array([c[2] for c in candidates], dtype=float)
    widths = np.array([c[3] for c in candidates])
    shortest = widths * np.array([c[4] for c in candidates])
    rows = [(10.0,), (40.0,), (70.0,)]
    obstacles = [[(m[0], m[0] + m[1]) for m in marks] for _ in rows]
    strength = [[float(m[2]) for m in marks] for _ in rows]
    cover = np.where(importance >= 5, importance - 2, 0.0)
    placed = place_labels(
        x,
        lane,
        importance,
        widths,
        rows,
        [13.0, 13.0, 11.0],
        1000.0,
        obstacles=obstacles,
        obstacle_strength=strength,
        obstacle_gap=3.0,
        cover=cover,
        min_widths=shortest,
        tier=importance,
    )
    rects = placed.rects()
    assert no_two_overlap(rects)
    for index, (left, top, width, height) in zip(placed.index, rects, strict=True):
        assert left >= 0 and left + width <= 1000.0 + 1e-6
        assert shortest[index] - 1e-6 <= width <= widths[index] + 1e-6
        assert height == (11.0 if top == 70.0 else 13.0)
        for (start, end), weight in zip(obstacles[0], strength[0], strict=True):
            if weight > cover[index]:
                assert left + width <= start or left >= end
