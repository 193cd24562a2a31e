"""Shared sources: listed with their citing events, searched, edited (versions of citing
events raised, history kept), merged and unmerged exactly, filtered by grade and by source
(SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from timeline_app.domain.errors import NotFoundError, ValidationError
from timeline_app.domain.evidence import HistoryAction, HistoryEntity
from timeline_app.domain.model import EventDraft, EventFilter, SourceRef
from timeline_app.services import sources
from timeline_app.store import evidence_queries, source_queries

BASE = EventDraft(title="Event", start="2020-01-01", category="Energy")
TASS = SourceRef("Rosatom signs Bushehr deal", "https://tass.com/1", "TASS", id="s-tass")
TASS_COPY = SourceRef("Rosatom signs Bushehr deal (copy)", "", "TASS agency", id="s-copy")
IRNA = SourceRef("Tehran welcomes the deal", "https://irna.ir/2", "IRNA", id="s-irna")


def _add(catalog, title: str, refs: tuple[SourceRef, ...]) -> str:
    return catalog.add_event(replace(BASE, title=title, sources=refs)).id


def _set_citation(catalog, event_id: str, source_id: str, **values) -> None:
    """Grade one citation in place (what saving an event with a graded source does)."""
    with catalog.engine.begin() as connection:
        row = next(
            r for r in source_queries.citations_of(connection, source_id) if r[0] == event_id
        )
        fields = dict(zip(source_queries.CITATION_COLUMNS, row, strict=True)) | values
        source_queries.update_citation(
            connection, source_id, tuple(fields[name] for name in source_queries.CITATION_COLUMNS)
        )


def _citations(catalog) -> dict[str, list[tuple]]:
    """Every citation of every source, as stored."""
    with catalog.engine.connect() as connection:
        return {
            record.id: source_queries.citations_of(connection, record.id)
            for record in sources.source_records(catalog)
        }


@pytest.fixture
def cited(catalog):
    ids = {
        "tass only": _add(catalog, "tass only", (TASS,)),
        "copy only": _add(catalog, "copy only", (TASS_COPY,)),
        "both": _add(catalog, "both", (IRNA, TASS, TASS_COPY)),
        "irna only": _add(catalog, "irna only", (IRNA,)),
        "none": _add(catalog, "none", ()),
    }
    _set_citation(catalog, ids["both"], "s-copy", note="seen in print", excerpt="“signed”")
    _set_citation(catalog, ids["copy only"], "s-copy", credibility=2, excerpt="quote")
    return catalog, ids


def test_sources_are_listed_with_the_count_of_citing_events_and_searched(cited):
    catalog, _ids = cited
    listed = {record.id: record.event_count for record in sources.source_records(catalog)}
    assert listed == {"s-tass": 2, "s-copy": 2, "s-irna": 2}
    assert [r.id for r in sources.source_records(catalog, "tass")] == ["s-tass", "s-copy"]
    assert [r.id for r in sources.source_records(catalog, "irna.ir")] == ["s-irna"]
    assert [r.id for r in sources.source_records(catalog, "AGENCY copy")] == ["s-copy"]
    assert sources.source_records(catalog, "nothing like it") == []


def test_editing_a_source_raises_citing_versions_and_records_history(cited):
    catalog, ids = cited
    before = {record.id: record.version for record in catalog.events()}
    old, new = sources.update_source(
        catalog, "s-tass", reliability="B", kind="wire", language="ru", published="2020-01-02"
    )
    assert (old.reliability, new.reliability, new.kind, new.language) == ("F", "B", "wire", "ru")
    assert sources.source_record(catalog, "s-tass").published == "2020-01-02"
    after = {record.id: record.version for record in catalog.events()}
    raised = {event_id for event_id in after if after[event_id] != before[event_id]}
    assert raised == {ids["tass only"], ids["both"]}
    with catalog.engine.connect() as connection:
        entries = evidence_queries.history_of(connection, HistoryEntity.SOURCE, "s-tass")
    assert len(entries) == 1
    assert entries[0].action == HistoryAction.UPDATE
    assert entries[0].author == catalog.author
    assert entries[0].changes["reliability"] == ("F", "B")
    assert "title" not in entries[0].changes
    assert sources.citing_event_ids(catalog, "s-tass") == sorted([ids["tass only"], ids["both"]])


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "  "}, "title"),
        ({"url": "ftp://x"}, "url"),
        ({"reliability": "G"}, "reliability"),
        ({"kind": "blog"}, "kind"),
        ({"published": "the spring"}, "published"),
        ({"language": "x" * 17}, "language"),
    ],
)
def test_a_wrong_field_is_named_and_nothing_written(cited, values, field):
    catalog, _ids = cited
    before = sources.source_record(catalog, "s-tass")
    with pytest.raises(ValidationError) as raised:
        sources.update_source(catalog, "s-tass", **values)
    assert raised.value.field == field
    assert sources.source_record(catalog, "s-tass") == before


def test_an_undo_does_not_overwrite_a_source_changed_elsewhere(cited):
    catalog, _ids = cited
    old, new = sources.update_source(catalog, "s-irna", reliability="C")
    sources.update_source(catalog, "s-irna", title="Changed by a colleague")
    with pytest.raises(Exception, match="changed elsewhere"):
        sources.update_source(catalog, "s-irna", expected=new, **old.fields())
    assert sources.source_record(catalog, "s-irna").title == "Changed by a colleague"


def test_merge_moves_every_citation_and_unmerge_restores_exactly(cited):
    catalog, ids = cited
    sources.update_source(catalog, "s-copy", reliability="B", language="ru")
    records_before = {record.id: record for record in catalog.events()}
    citations_before = _citations(catalog)
    kept_before = sources.source_record(catalog, "s-tass")

    result = sources.merge_sources(catalog, "s-copy", "s-tass")

    assert [r.id for r in sources.source_records(catalog)] == ["s-tass", "s-irna"]
    by_title = {record.title: record for record in catalog.events()}
    assert [ref.id for ref in by_title["copy only"].sources] == ["s-tass"]
    assert [ref.id for ref in by_title["both"].sources] == ["s-irna", "s-tass"]  # one kept
    tass = {row[0]: row for row in _citations(catalog)["s-tass"]}
    assert tass[ids["copy only"]][3:] == (2, "quote")  # the moved citation keeps its grade
    assert tass[ids["both"]][2:] == ("seen in print", 6, "“signed”")  # gaps filled
    kept = sources.source_record(catalog, "s-tass")
    assert (kept.reliability, kept.language, kept.url) == ("B", "ru", "https://tass.com/1")
    assert kept.event_count == 3
    assert sorted(result.event_ids) == sorted([ids["copy only"], ids["both"]])
    for title in ("copy only", "both"):
        assert by_title[title].version > records_before[by_title[title].id].version
    assert by_title["irna only"].version == records_before[ids["irna only"]].version

    sources.unmerge_sources(catalog, result)
    assert _citations(catalog) == citations_before
    assert sources.source_record(catalog, "s-tass") == kept_before
    restored = {record.id: record for record in catalog.events()}
    for event_id, record in records_before.items():
        assert restored[event_id].sources == record.sources

    again = sources.merge_sources(catalog, "s-copy", "s-tass")  # redo
    assert again == result
    with catalog.engine.connect() as connection:
        kinds = [
            e.action
            for e in evidence_queries.history_of(connection, HistoryEntity.SOURCE, "s-copy")
        ]
        event_entries = evidence_queries.history_of(connection, HistoryEntity.EVENT, ids["both"])
    assert kinds == [
        HistoryAction.UPDATE,
        HistoryAction.DELETE,
        HistoryAction.CREATE,
        HistoryAction.DELETE,
    ]
    # The event's creation is recorded too (by the catalog); merge, unmerge, merge follow.
    assert event_entries[0].action is HistoryAction.CREATE
    updates = event_entries[1:]
    assert len(updates) == 3 and "sources" in updates[0].changes


def test_merge_refuses_itself_and_unknown_sources(cited):
    catalog, _ids = cited
    with pytest.raises(ValidationError, match="itself"):
        sources.merge_sources(catalog, "s-tass", "s-tass")
    with pytest.raises(NotFoundError):
        sources.merge_sources(catalog, "s-tass", "no-such-source")
    assert len(sources.source_records(catalog)) == 3


def test_filter_by_grade_and_by_citing_source(cited):
    catalog, ids = cited
    sources.update_source(catalog, "s-irna", reliability="B")
    sources.update_source(catalog, "s-copy", reliability="C")
    _set_citation(catalog, ids["irna only"], "s-irna", credibility=2)
    _set_citation(catalog, ids["both"], "s-irna", credibility=4)

    def matching(where: EventFilter) -> set[str]:
        found = set(catalog.event_ids(where))
        columns = catalog.event_columns()
        placed = {columns.ids[p] for p in catalog.filtered_positions(columns, where)}
        assert placed == found  # the window's path agrees with the store's
        return {title for title, event_id in ids.items() if event_id in found}

    assert matching(EventFilter(min_grade=("B", 2))) == {"irna only"}
    assert matching(EventFilter(min_grade=("C", 2))) == {"irna only", "copy only"}
    assert matching(EventFilter(min_grade=("B", 4))) == {"irna only", "both"}
    assert matching(EventFilter(min_grade=("A", 6))) == set()
    assert matching(EventFilter(source_ids=frozenset({"s-copy"}))) == {"copy only", "both"}
    assert matching(EventFilter(source_ids=frozenset({"s-copy"}), min_grade=("C", 3))) == {
        "copy only"
    }
    assert sources.best_grades(catalog) == {
        ids["irna only"]: ("B", 2),
        ids["both"]: ("B", 4),
        ids["copy only"]: ("C", 2),
    }


def test_search_ignores_case_in_any_script():
    records = [
        sources.SourceRecord("a", "Росатом достроит Бушер", "ТАСС"),
        sources.SourceRecord("b", "ایران و روسیه", "ایرنا", "https://irna.ir/x"),
        sources.SourceRecord("c", "Reuters wire", "Reuters"),
    ]
    assert [r.id for r in sources.matching(records, "росатом тасс")] == ["a"]
    assert [r.id for r in sources.matching(records, "ایرنا")] == ["b"]
    assert [r.id for r in sources.matching(records, "IRNA.IR")] == ["b"]
    assert [r.id for r in sources.matching(records, "")] == ["a", "b", "c"]
