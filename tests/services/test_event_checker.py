"""The importers' memoising checker accepts, cleans and refuses exactly as the plain rules do,
row after row, whatever it has already seen."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.domain.errors import ValidationError
from timeline_app.domain.model import SourceRef
from timeline_app.domain.rules import EventChecker, check_source, validate_event_fields


def mostly(good: list, bad: list) -> st.SearchStrategy:
    """Good values nine times as often as bad ones, so that whole rows get accepted too."""
    return st.sampled_from(good * (9 * max(1, len(bad)) // len(good) + 1) + bad)


texts = mostly(["Energy", " Energy ", "Ērā"], ["", " ", "a\x00b", "\ud800", "x" * 301, 7])
optional_texts = mostly(["", "Energy", " Ērā "], ["a\x00b", "\ud800", 7])
dates = mostly(
    ["2001", "2001-02", " 2001-02-03", "1990s", "2001/2002"], ["", "2001-02-30", "no", 5]
)
ends = mostly([None, "", "2003", "2003-04~"], ["2000", "bad"])
names = mostly([(), ("Russia", "Iran"), ("Russia", "Russia ")], [(" ",), ("a\x00",), [1], ([1],)])
sources = st.lists(
    st.builds(
        SourceRef,
        title=texts,
        url=mostly(["https://example.org/", " http://x.org/a "], ["ftp://x", "", "https://"]),
        publisher=mostly(["", "Wire"], [3]),
        published=mostly([None, "", "2011"], ["bad"]),
        note=mostly(["", "p. 3"], ["\x00"]),
        id=st.sampled_from([None, "given-id"]),
    ),
    max_size=2,
).map(tuple)
rows = st.tuples(
    texts,
    dates,
    ends,
    texts,
    mostly([1, 3, 5], [0, 6, True, "3", 2.0]),
    mostly(["confirmed", "reported"], ["maybe", None]),
    optional_texts,
    mostly([None, "", "Bushehr"], ["\x00"]),
    names,
    names,
    sources,
)


def outcome(check, row):
    try:
        return check(*row)
    except ValidationError as error:
        return ("refused", error.field, error.message)


@settings(max_examples=60, deadline=None)
@given(st.lists(rows, min_size=1, max_size=12))
def test_checker_gives_what_the_plain_rules_give_row_after_row(file_rows):
    checker = EventChecker()
    for row in file_rows + file_rows:  # each row twice: the second time from memory
        assert outcome(checker.check, row) == outcome(validate_event_fields, row)


@settings(max_examples=60, deadline=None)
@given(st.lists(rows, min_size=1, max_size=12))
def test_sources_a_reader_checked_are_taken_as_the_rules_would_give_them(file_rows):
    """A reader that ran `check_source` on a cell already passes the result on unchanged."""
    checker = EventChecker()
    for row in file_rows:
        try:
            checked = tuple(check_source(f"sources[{i}]", ref) for i, ref in enumerate(row[-1]))
        except ValidationError:
            continue  # such a cell never reaches the checker as checked
        expected = outcome(validate_event_fields, row)
        assert (
            outcome(lambda *v: checker.check(*v, sources_checked=True), (*row[:-1], checked))
            == expected
        )


def test_a_value_accepted_on_one_row_still_lets_another_field_fail_first():
    good = ("Talks", "2001", None, " Energy ", 3, "confirmed", "", None, ("Iran",), (), ())
    bad_title = ("", *good[1:])
    bad_date = (good[0], "2001-02-30", *good[2:])
    checker = EventChecker()
    accepted = checker.check(*good)
    assert accepted == validate_event_fields(*good)
    assert accepted[0].category == "Energy"
    for row in (bad_title, bad_date, good):
        assert outcome(checker.check, row) == outcome(validate_event_fields, row)
    assert outcome(checker.check, bad_title)[:2] == ("refused", "title")
    assert outcome(checker.check, bad_date)[:2] == ("refused", "start")
