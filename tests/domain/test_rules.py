from __future__ import annotations

import pytest

from timeline_app.domain.errors import ValidationError
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.domain.rules import check_url, validate_event

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
    "url", ["javascript:alert(1)", "file:///etc/passwd", "https://", "www.x.org"]
)
def test_only_http_urls_are_accepted(url):
    with pytest.raises(ValidationError):
        check_url("url", url)
