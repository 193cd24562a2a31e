from __future__ import annotations

import pytest

from timeline_app.domain.errors import ValidationError
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.domain.rules import (
    check_colour,
    check_names,
    check_text,
    check_url,
    parse_importance_text,
    validate_event,
    validate_event_fields,
)

GOOD = EventDraft(title="Treaty signed", start="2025-01-17", category="Diplomacy & treaties")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"title": "   "}, "title", "must not be empty"),
        ({"start": "2025-13"}, "start", "month 13"),
        ({"end": "2020"}, "end", "before the start"),
        ({"category": "Astrology"}, "category", "not a known category"),
        ({"importance": 7}, "importance", "out of range"),
        ({"importance": "high"}, "importance", "whole number"),
        ({"certainty": "rumoured"}, "certainty", "not one of"),
        ({"sources": (SourceRef("Page", "ftp://example.org/x"),)}, "sources[0].url", "http(s)"),
        ({"sources": (SourceRef("", "https://example.org"),)}, "sources[0].title", "empty"),
        ({"title": "x" * 301}, "title", "limit is 300"),
        (
            {"sources": (SourceRef("A", "https://a.org"), SourceRef("B", "https://b .org"))},
            "sources[1].url",
            "space",
        ),
        (
            {"sources": (SourceRef("Page", "https://example.org", published="2025-02-30"),)},
            "sources[0].published",
            "2025-02-30",
        ),
    ],
)
def test_each_rule_names_its_field(change, field, words):
    fields = (
        {**GOOD.__dict__}
        if hasattr(GOOD, "__dict__")
        else {name: getattr(GOOD, name) for name in GOOD.__slots__}
    )
    fields.update(change)
    with pytest.raises(ValidationError) as caught:
        validate_event(EventDraft(**fields), known_categories={"Diplomacy & treaties"})
    assert caught.value.field == field
    assert words in caught.value.message


def test_valid_draft_is_cleaned_and_spans_derived():
    draft, span = validate_event(
        EventDraft(
            title="  Treaty  ",
            start=" 2025-01-17 ",
            category="Diplomacy & treaties",
            actors=("Russia", "Iran", "Russia"),
        )
    )
    assert draft.title == "Treaty" and draft.start == "2025-01-17"
    assert draft.actors == ("Russia", "Iran")
    assert span.end is None


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://",
        "https:///path",
        "www.x.org",
        "https://exa mple.org",
        "https://example.org/a\tb",
        "http:example.org",
    ],
)
def test_only_http_urls_are_accepted(url):
    with pytest.raises(ValidationError):
        check_url("url", url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org",
        "HTTP://Example.org/path?q=1#part",
        "https://[2001:db8::1]:8443/x",
        "https://user@example.org/a(b)",
    ],
)
def test_http_urls_with_a_host_pass_unchanged(url):
    assert check_url("url", f"  {url} ") == url


@pytest.mark.parametrize(
    ("value", "required", "result"),
    [
        ("  Treaty ", True, "Treaty"),
        (None, False, ""),
        ("   ", False, ""),
        (5, True, "must be text, not int"),
        (None, True, "must be text, not NoneType"),
        ("   ", True, "must not be empty"),
        ("a\x00b", True, "contains a NUL character"),
        (
            "ab\ud800",
            True,
            "contains '\\ud800', half of a UTF-16 surrogate pair, which is not a character",
        ),
        (
            "Тегеран\udc00",
            True,
            "contains '\\udc00', half of a UTF-16 surrogate pair, which is not a character",
        ),
        ("Тегеран", True, "Тегеран"),
        ("\U0001f91d", True, "\U0001f91d"),
        ("x" * 11, False, "is 11 characters long; the limit is 10"),
    ],
)
def test_check_text_cleans_or_names_the_problem(value, required, result):
    if result.startswith(("must", "contains", "is ")):
        with pytest.raises(ValidationError) as caught:
            check_text("title", value, limit=10, required=required)
        assert caught.value.field == "title" and caught.value.message == result
    else:
        assert check_text("title", value, limit=10, required=required) == result


@pytest.mark.parametrize(
    ("text", "value"),
    [("3", 3), (" 5 ", 5), ("+1", 1)],
)
def test_importance_text_reads_ascii_digits(text, value):
    assert parse_importance_text(text) == value


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("٣", "'٣' is not a whole number written with the digits 0–9"),
        ("۳", "digits 0–9"),
        ("３", "digits 0–9"),
        ("1_0", "digits 0–9"),
        ("high", "'high' is not a whole number"),
        ("", "'' is not a whole number"),
        ("7", "7 is out of range 1–5"),
        ("9" * 100_000, "digits 0–9"),
    ],
)
def test_importance_text_refuses_other_digits_and_names_the_field(text, words):
    """`int("٣")` is 3: an importance must be what it looks like to every reader."""
    with pytest.raises(ValidationError) as caught:
        parse_importance_text(text)
    assert caught.value.field == "importance" and words in caught.value.message
    assert len(caught.value.message) < 200


def test_names_urls_and_colours_refuse_hidden_characters():
    with pytest.raises(ValidationError, match="actors: contains '\\\\ud800'"):
        check_names("actors", ["Iran", "Rus\ud800sia"])
    with pytest.raises(ValidationError, match="url: contains a NUL"):
        check_url("url", "https://example.org/\x00")
    with pytest.raises(ValidationError, match="url: contains '\\\\udfff'"):
        check_url("url", "https://example.org/\udfff")
    for colour in ("#11223\ud800", "#112233\n", "#1122\x0033"):
        with pytest.raises(ValidationError, match="is not a #RRGGBB colour"):
            check_colour("colour", colour)


@pytest.mark.parametrize(
    "field",
    ["title", "start", "category", "importance", "certainty", "url", "actors"],
)
def test_messages_quote_at_most_about_80_characters_of_a_bad_value(field):
    huge = "x" * 100_000
    values = {
        "title": "ok",
        "start": "2001",
        "end": None,
        "category": "C",
        "importance": 3,
        "certainty": "confirmed",
        "description": "",
        "location": None,
        "actors": (),
        "tags": (),
        "sources": (),
    }
    if field == "url":
        values["sources"] = (SourceRef("Page", "https://" + huge + " x"),)
    elif field == "actors":
        values["actors"] = huge
    elif field == "category":
        values["category"] = "y" * 100
    else:
        values[field] = huge
    with pytest.raises(ValidationError) as caught:
        validate_event_fields(*values.values(), known_categories={"C"})
    assert len(str(caught.value)) < 200, str(caught.value)[:300]


def test_a_colour_with_a_trailing_line_break_is_not_a_colour():
    from timeline_app.domain.palette import is_colour

    assert is_colour("#AABBCC") and not is_colour("#AABBCC\n") and not is_colour(" #AABBCC")


def test_a_file_date_is_read_as_the_editor_reads_it_and_stored_as_edtf():
    """What the editor takes ("~2020", "c. 2015", "March 2023") an import takes too; a date
    that reads two ways, or an unknown end, is still refused."""
    from timeline_app.domain.errors import DateError
    from timeline_app.domain.rules import check_span

    assert check_span("~2020", None).start.text == "2020~"
    assert check_span("c. 2015", "March 2023").end.text == "2023-03"
    assert check_span("2015-09-30", None).start.text == "2015-09-30"
    with pytest.raises(DateError):
        check_span("03/04/2001", None)
    with pytest.raises(DateError):
        check_span("2022-02-30", None)
