from __future__ import annotations

import pytest

from timeline_app.domain.errors import ValidationError
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.domain.rules import check_text, check_url, validate_event

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
