"""EventColumns.patched must give exactly the columns a full read would give."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.domain.columns import (
    ENDLESS,
    SHAPE_AFTER,
    SHAPE_BEFORE,
    SHAPE_BITS,
    SHAPE_ONE_OF,
    SHAPE_OPEN_END,
    SHAPE_UNKNOWN_END,
    EventColumns,
    shape_of,
)
from timeline_app.domain.dates import OPEN_END_UPPER, DateKind, parse_span

FIELDS = ("start", "end", "is_span", "precision", "category", "importance", "certainty", "shape")


def rows_strategy():
    row = st.tuples(
        st.integers(0, 5),  # few distinct starts: many ties, as with year-only dates
        st.integers(1, 5),
        st.booleans(),
        st.integers(0, 3),
        st.sampled_from((("Russia",), ("Iran", "Russia"), ())),
    )
    return st.dictionaries(st.text("abcdef", min_size=1, max_size=4), row, max_size=30)


def columns_of(rows: dict, with_actors: bool) -> EventColumns:
    ordered = sorted(rows.items(), key=lambda item: (float(item[1][0]), item[0]))
    return EventColumns.from_rows(
        [
            (event_id, f"title {event_id}", float(s), float(s + 1), span, 0, cat, imp, 0, imp * 3)
            for event_id, (s, imp, span, cat, _names) in ordered
        ],
        category_names=("A", "B", "C", "D"),
        category_colours=("#000000",) * 4,
        actors=tuple(names for _id, (*_rest, names) in ordered) if with_actors else None,
    )


def same(left: EventColumns, right: EventColumns) -> bool:
    return (
        all(np.array_equal(getattr(left, name), getattr(right, name)) for name in FIELDS)
        and left.ids.tolist() == right.ids.tolist()
        and left.titles.tolist() == right.titles.tolist()
        and left.actors == right.actors
    )


@settings(max_examples=200, deadline=None)
@given(
    before=rows_strategy(),
    changes=rows_strategy(),
    removed_share=st.floats(0, 1),
    with_actors=st.booleans(),
)
def test_patched_equals_a_full_read(before, changes, removed_share, with_actors):
    ids = sorted(before)
    removed = set(ids[: int(len(ids) * removed_share)])
    after = {k: v for k, v in before.items() if k not in removed and k not in changes}
    after.update(changes)
    touched = removed | set(changes)
    patched = columns_of(before, with_actors).patched(touched, columns_of(changes, with_actors))
    assert same(patched, columns_of(after, with_actors))


def test_patching_nothing_changes_nothing():
    base = columns_of({"a": (1, 3, False, 0, ())}, with_actors=False)
    assert same(base.patched(set(), EventColumns.empty()), base)


@settings(max_examples=60, deadline=None)
@given(rows_strategy(), st.data())
def test_positions_of_finds_each_event_among_equal_starts(rows, data) -> None:
    """Events sharing a start bound are told apart by id; absent ones come back as -1."""
    columns = columns_of(rows, with_actors=False)
    wanted = data.draw(st.lists(st.sampled_from(sorted(rows)), unique=True)) if rows else []
    missing = ["zz-not-here"]
    starts = np.array([float(rows[i][0]) for i in wanted] + [1.0], dtype=np.float64)
    positions = columns.positions_of(starts, np.array(wanted + missing, dtype=object))
    assert positions[-1] == -1
    assert columns.ids[positions[:-1]].tolist() == wanted


def test_positions_of_settles_a_hash_clash_by_id(monkeypatch) -> None:
    """Ids whose hashes agree in the bits compared are still placed by the ids themselves."""
    from timeline_app.domain import columns as columns_module

    ids = ["b", "a", "c", "d"]
    columns = EventColumns.from_rows(
        [(event_id, event_id, 7.0, 8.0, False, 0, 0, 3, 0) for event_id in sorted(ids)]
    )
    monkeypatch.setattr(columns_module, "_id_hashes", lambda ids: np.zeros(len(ids), np.int64))
    positions = columns.positions_of(np.full(4, 7.0), np.array(ids, dtype=object))
    assert positions.tolist() == [1, 0, 2, 3]
    assert columns.positions_of(np.array([6.0]), np.array(["a"], dtype=object)).tolist() == [-1]


def test_mask_of_marks_the_positions() -> None:
    columns = columns_of({"a": (1, 1, False, 0, ()), "b": (2, 1, False, 0, ())}, False)
    assert columns.mask_of(np.array([1])).tolist() == [False, True]


SHAPES = (SHAPE_ONE_OF, SHAPE_BEFORE, SHAPE_AFTER, SHAPE_OPEN_END, SHAPE_UNKNOWN_END)


def test_shape_flags_are_distinct_bits_that_fit_their_width() -> None:
    combined = 0
    for flag in SHAPES:
        assert flag & (flag - 1) == 0 and not combined & flag
        combined |= flag
    assert combined < 1 << SHAPE_BITS
    assert ENDLESS == SHAPE_OPEN_END | SHAPE_UNKNOWN_END


def test_shape_of_agrees_with_the_kind_the_date_model_reads() -> None:
    """The stored texts tell the shape as the parser tells the kind of each end."""
    cases = {
        ("[1990..1994]", None): SHAPE_ONE_OF,
        ("[1667, 1668, 1670..1672]", None): SHAPE_ONE_OF,
        ("[..1990]", None): SHAPE_BEFORE,
        ("[2001-03..]", None): SHAPE_AFTER,
        ("2022-02-24", ".."): SHAPE_OPEN_END,
        ("2014-03", ""): SHAPE_UNKNOWN_END,
        ("[..2015]", ".."): SHAPE_BEFORE | SHAPE_OPEN_END,
        ("1995", "1997"): 0,
        ("2013-03-30T11:16", None): 0,
        ("1990~", None): 0,
    }
    kinds = {
        DateKind.ONE_OF: SHAPE_ONE_OF,
        DateKind.BEFORE: SHAPE_BEFORE,
        DateKind.AFTER: SHAPE_AFTER,
        DateKind.EXACT: 0,
    }
    for (start, end), expected in cases.items():
        assert shape_of(start, end) == expected, (start, end)
        span = parse_span(start, end)
        from_model = kinds[span.start.kind]
        from_model |= SHAPE_OPEN_END if span.open_end else 0
        from_model |= SHAPE_UNKNOWN_END if span.unknown_end else 0
        assert from_model == expected, (start, end)


def test_shape_travels_with_its_event_through_sorting_take_and_patching() -> None:
    columns = EventColumns.from_rows(
        [
            ("late", "late", 9.0, 10.0, False, 0, 0, 3, 0, SHAPE_BEFORE),
            ("early", "early", 1.0, OPEN_END_UPPER, True, 0, 0, 3, 0, SHAPE_OPEN_END),
            ("mid", "mid", 5.0, 6.0, False, 0, 0, 3, 0),
        ]
    )
    assert columns.shape.dtype == np.int8
    assert columns.shape.tolist() == [SHAPE_OPEN_END, 0, SHAPE_BEFORE]
    assert columns.take(np.array([2])).shape.tolist() == [SHAPE_BEFORE]
    added = EventColumns.from_rows([("new", "new", 7.0, 8.0, False, 0, 0, 3, 0, SHAPE_ONE_OF)])
    patched = columns.patched({"mid"}, added)
    assert patched.ids.tolist() == ["early", "new", "late"]
    assert patched.shape.tolist() == [SHAPE_OPEN_END, SHAPE_ONE_OF, SHAPE_BEFORE]
    assert EventColumns.empty().shape.shape == (0,)
    without = EventColumns.from_rows([("a", "a", 1.0, 2.0, False, 0, 0, 3, 0)])
    assert without.shape.tolist() == [0]


def test_drawn_end_brings_open_and_unknown_ends_back_to_now() -> None:
    columns = EventColumns.from_rows(
        [
            ("open", "open", 100.0, OPEN_END_UPPER, True, 0, 0, 3, 0, SHAPE_OPEN_END),
            ("unknown", "unknown", 200.0, OPEN_END_UPPER, True, 0, 0, 3, 0, SHAPE_UNKNOWN_END),
            ("future", "future", 900.0, OPEN_END_UPPER, True, 0, 0, 3, 0, SHAPE_OPEN_END),
            ("closed", "closed", 300.0, 400.0, True, 0, 0, 3, 0),
        ]
    )
    assert columns.drawn_end(500.0).tolist() == [500.0, 500.0, 400.0, 900.0]
    assert columns.end.max() == OPEN_END_UPPER  # the bound itself is kept
