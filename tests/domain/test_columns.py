"""EventColumns.patched must give exactly the columns a full read would give."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.domain.columns import EventColumns

FIELDS = ("start", "end", "is_span", "precision", "category", "importance", "certainty")


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
            (event_id, f"title {event_id}", float(s), float(s + 1), span, 0, cat, imp, 0)
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
