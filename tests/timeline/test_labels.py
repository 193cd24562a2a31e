"""Label placement: titles never overlap, the important ones win, the work stays bounded."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.timeline.labels import place_labels, rects_overlap

ROWS = [(10.0, 40.0), (80.0, 110.0, 140.0), (170.0,)]


def no_two_overlap(rects: list[tuple[float, float, float, float]]) -> bool:
    return not any(
        rects_overlap(a, b) for i, a in enumerate(rects) for b in rects[i + 1:]
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 1000), st.integers(0, 2), st.integers(1, 5), st.floats(10, 300)
        ),
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
    placed = place_labels(x, np.array([0, 0]), np.array([1.0, 5.0]), np.array([200.0, 200.0]),
                          [(10.0,)], 15.0, 1000.0)
    assert placed.index.tolist() == [1]


def test_a_second_row_takes_the_overflow() -> None:
    x = np.array([100.0, 110.0])
    placed = place_labels(x, np.array([0, 0]), np.array([5.0, 4.0]), np.array([200.0, 200.0]),
                          [(10.0, 40.0)], 15.0, 1000.0)
    assert sorted(placed.top.tolist()) == [10.0, 40.0]


def test_near_the_right_edge_a_title_ends_at_its_marker() -> None:
    placed = place_labels(np.array([990.0]), np.array([0]), np.array([1.0]), np.array([100.0]),
                          [(10.0,)], 15.0, 1000.0)
    assert placed.left[0] + placed.width[0] <= 1000.0
    assert placed.left[0] < 990.0


def test_work_is_bounded_by_the_label_cap() -> None:
    count = 20_000
    rng = np.random.default_rng(0)
    placed = place_labels(
        rng.uniform(0, 100_000, count), np.zeros(count, dtype=np.int64),
        rng.integers(1, 6, count).astype(float), np.full(count, 50.0),
        [(0.0, 20.0, 40.0)], 15.0, 100_000.0, max_labels=300,
    )
    assert len(placed) == 300
    assert no_two_overlap(placed.rects())


def test_nothing_to_place() -> None:
    placed = place_labels(np.empty(0), np.empty(0, dtype=np.int64), np.empty(0), np.empty(0),
                          ROWS, 15.0, 1000.0)
    assert len(placed) == 0 and placed.rects() == []
