"""A citation's grade and the source's shared fields are stored and read back; bad grades
are refused with the field named."""

from __future__ import annotations

from dataclasses import replace

import pytest

from timeline_app.domain.errors import ValidationError
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.domain.rules import check_source

GRADED = SourceRef(
    "Russia delivers S-300 to Iran",
    "https://example.org/s300",
    "TASS",
    "2016-10-13",
    "delivery completed",
    kind="wire",
    language="ru",
    reliability="B",
    credibility=2,
    excerpt="The delivery of the S-300 has been completed.",
)


def test_grades_and_excerpts_survive_a_save_and_an_edit(catalog):
    record = catalog.add_event(
        EventDraft("S-300 delivered", "2016-10", category="Nuclear file", sources=(GRADED,))
    )
    (stored,) = catalog.event(record.id).sources
    assert (stored.kind, stored.language, stored.reliability) == ("wire", "ru", "B")
    assert (stored.credibility, stored.excerpt) == (2, GRADED.excerpt)
    regraded = replace(stored, reliability="A", credibility=1)
    catalog.update_event(record.id, replace(record.to_draft(), sources=(regraded,)), record.version)
    (again,) = catalog.event(record.id).sources
    assert (again.reliability, again.credibility) == ("A", 1)
    (shared,) = catalog.sources()
    assert (shared.kind, shared.reliability) == ("wire", "A")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"reliability": "G"}, "sources[0].reliability", "A to F"),
        ({"credibility": 7}, "sources[0].credibility", "1 to 6"),
        ({"credibility": True}, "sources[0].credibility", "1 to 6"),
        ({"kind": "blog"}, "sources[0].kind", "official, wire"),
        ({"language": "Russian!"}, "sources[0].language", "language code"),
    ],
)
def test_grades_off_the_scale_are_refused_naming_the_field(change, field, words):
    with pytest.raises(ValidationError) as caught:
        check_source("sources[0]", replace(GRADED, **change))
    assert caught.value.field == field and words in caught.value.message


def test_lower_case_grades_and_numeric_text_are_read():
    checked = check_source("s", replace(GRADED, reliability="b", credibility="3", language="EN"))
    assert (checked.reliability, checked.credibility, checked.language) == ("B", 3, "en")


def test_regrading_a_shared_source_in_one_event_raises_the_others_and_is_recorded(catalog):
    from timeline_app.domain.evidence import HistoryAction, HistoryEntity
    from timeline_app.store import evidence_queries

    first = catalog.add_event(
        EventDraft("S-300 delivered", "2016-10", category="Nuclear file", sources=(GRADED,))
    )
    second = catalog.add_event(
        EventDraft("S-300 on duty", "2017-03", category="Nuclear file", sources=(GRADED,))
    )
    (cited,) = first.sources
    catalog.update_event(
        first.id,
        replace(first.to_draft(), sources=(replace(cited, reliability="A"),)),
        first.version,
    )
    assert catalog.event(first.id).version == first.version + 1
    assert catalog.event(second.id).version == second.version + 1  # its editor must reload
    assert catalog.event(second.id).sources[0].reliability == "A"
    with catalog.engine.connect() as connection:
        (entry,) = evidence_queries.history_of(connection, HistoryEntity.SOURCE, cited.id)
    assert entry.action is HistoryAction.UPDATE and entry.changes == {"reliability": ("B", "A")}
