"""Sources as shared, graded records: list, search, edit, merge duplicates, find citing events.

A source (an article, a wire, an official document) is one record cited by many events:
editing its title or its reliability changes what every citing event shows, so each edit
raises those events' versions (an editor open on one meets a conflict instead of
overwriting) and is recorded in the history. Merging a duplicate moves its citations to the
source kept; the result holds all that is needed to take the merge back exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

from timeline_app.domain.dates import parse_date
from timeline_app.domain.errors import DateError, NotFoundError, TimelineError, ValidationError
from timeline_app.domain.evidence import (
    UNGRADED_CREDIBILITY,
    UNGRADED_RELIABILITY,
    HistoryEntity,
    SourceKind,
    best_grade,
    is_graded,
)
from timeline_app.domain.rules import (
    NAME_MAX,
    TITLE_MAX,
    check_language,
    check_optional_url,
    check_reliability,
    check_source_kind,
    check_text,
)
from timeline_app.services.history_log import event_fields, record_changes
from timeline_app.store import catalog_queries, queries, source_queries
from timeline_app.store.queries import Connection

if TYPE_CHECKING:
    from timeline_app.services.catalog import Catalog


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A shared source as the manager shows it, with how many events cite it."""

    id: str
    title: str
    publisher: str = ""
    url: str = ""
    published: str | None = None
    kind: str = SourceKind.OTHER.value
    language: str = ""
    reliability: str = UNGRADED_RELIABILITY
    event_count: int = 0

    def row(self) -> tuple:
        """The stored row (store.source_queries.SOURCE_COLUMNS order)."""
        return tuple(getattr(self, name) for name in source_queries.SOURCE_COLUMNS)

    def fields(self) -> dict[str, object]:
        """The shared fields a user edits, as history records them."""
        return {name: getattr(self, name) for name in source_queries.SOURCE_COLUMNS[1:]}


EDITABLE = tuple(
    field.name for field in fields(SourceRecord) if field.name not in ("id", "event_count")
)


@dataclass(frozen=True, slots=True)
class SourceMergeResult:
    """What merging `duplicate` into `kept` did, so it can be undone exactly: the duplicate
    as it was, the kept source as it was (its empty fields may have been filled from the
    duplicate), every citation of the duplicate, and the kept citations of the events that
    cited both, as they were."""

    duplicate: SourceRecord
    kept: SourceRecord
    citations: tuple[tuple, ...]
    kept_citations: tuple[tuple, ...]

    @property
    def event_ids(self) -> list[str]:
        return sorted(row[0] for row in self.citations)


def _record(row: Sequence) -> SourceRecord:
    """A record from a `source_queries.source_rows` row (the source's columns, its count)."""
    return SourceRecord(*row[:-1], event_count=int(row[-1]))


def source_records(catalog: Catalog, words: str = "") -> list[SourceRecord]:
    """Every source (those whose title, publisher or URL contain every word of `words`,
    case ignored in any script), by title, with how many events cite each."""
    with catalog.engine.connect() as connection:
        records = [_record(row) for row in source_queries.source_rows(connection)]
    return matching(records, words)


def matching(records: Iterable[SourceRecord], words: str) -> list[SourceRecord]:
    """The records whose title, publisher or URL contain every word of `words` (case
    ignored in any script: Cyrillic and Persian titles too)."""
    tokens = words.casefold().split()
    return [
        record
        for record in records
        if all(
            token in f"{record.title}\n{record.publisher}\n{record.url}".casefold()
            for token in tokens
        )
    ]


def source_record(catalog: Catalog, source_id: str) -> SourceRecord:
    with catalog.engine.connect() as connection:
        rows = source_queries.source_rows(connection, [source_id])
    if not rows:
        raise NotFoundError(f"source {source_id} does not exist")
    return _record(rows[0])


def citing_event_ids(catalog: Catalog, source_id: str) -> list[str]:
    """Ids of the events citing a source (what "show citing events" filters to)."""
    with catalog.engine.connect() as connection:
        return source_queries.citing_event_ids(connection, source_id)


def checked_fields(**values: object) -> dict[str, object]:
    """The given shared fields of a source cleaned, or ValidationError naming the field."""
    checked: dict[str, object] = {}
    for name, value in values.items():
        if name == "title":
            checked[name] = check_text("title", value, limit=TITLE_MAX)
        elif name == "publisher":
            checked[name] = check_text("publisher", value or "", limit=NAME_MAX, required=False)
        elif name == "url":
            checked[name] = check_optional_url("url", value)
        elif name == "published":
            text = check_text("published", value or "", limit=40, required=False)
            try:
                checked[name] = parse_date(text).text if text else None
            except DateError as error:
                raise ValidationError("published", error.message) from error
        elif name == "language":
            checked[name] = check_language("language", value)
        elif name == "kind":
            checked[name] = check_source_kind("kind", value)
        elif name == "reliability":
            checked[name] = check_reliability("reliability", value)
        else:
            raise ValidationError(name, "is not a field of a source")
    return checked


def update_source(
    catalog: Catalog, source_id: str, *, expected: SourceRecord | None = None, **values: object
) -> tuple[SourceRecord, SourceRecord]:
    """Change shared fields of a source (title, publisher, url, published, kind, language,
    reliability); returns (before, after). Every event citing it gets a new version.

    `expected`: the source as the caller last saw it (an undo): a source changed elsewhere
    since is not overwritten."""
    checked = checked_fields(**values)
    with catalog.engine.begin() as connection:
        rows = source_queries.source_rows(connection, [source_id])
        if not rows:
            raise NotFoundError(f"source {source_id} does not exist")
        before = _record(rows[0])
        if expected is not None and before.fields() != expected.fields():
            raise TimelineError(
                f"the source “{before.title}” was changed elsewhere since; nothing was written"
            )
        after = replace(before, **checked)
        if after == before:
            return before, after
        changed = {name: value for name, value in checked.items() if getattr(before, name) != value}
        source_queries.update_source_row(connection, source_id, changed)
        queries.bump_events_citing(connection, [source_id], queries.now_text())
        record_changes(
            connection,
            HistoryEntity.SOURCE,
            {source_id: (before.fields(), after.fields())},
            catalog.author,
        )
    return before, after


def _filled(kept: SourceRecord, duplicate: SourceRecord) -> SourceRecord:
    """The kept source with what it lacks taken from the duplicate: nothing known is lost."""
    return replace(
        kept,
        publisher=kept.publisher or duplicate.publisher,
        url=kept.url or duplicate.url,
        published=kept.published or duplicate.published,
        language=kept.language or duplicate.language,
        kind=duplicate.kind if kept.kind == SourceKind.OTHER else kept.kind,
        reliability=(
            duplicate.reliability if kept.reliability == UNGRADED_RELIABILITY else kept.reliability
        ),
    )


def _merged_citation(kept: tuple, duplicate: tuple) -> tuple:
    """The one citation an event citing both sources keeps: the kept source's, its empty
    note and excerpt and its ungraded credibility taken from the duplicate's."""
    event_id, position, note, credibility, excerpt = kept
    return (
        event_id,
        position,
        note or duplicate[2],
        duplicate[3] if credibility == UNGRADED_CREDIBILITY else credibility,
        excerpt or duplicate[4],
    )


def _event_snapshots(connection: Connection, ids: Sequence[str]) -> dict[str, dict[str, object]]:
    return {record.id: event_fields(record) for record in queries.event_records(connection, ids)}


def merge_sources(catalog: Catalog, duplicate_id: str, kept_id: str) -> SourceMergeResult:
    """Every citation of the duplicate cites the kept source instead (an event citing both
    keeps one citation) and the duplicate goes; undone by `unmerge_sources`."""
    if duplicate_id == kept_id:
        raise ValidationError("source", "cannot merge a source into itself")
    with catalog.engine.begin() as connection:
        rows = {
            row[0]: row for row in source_queries.source_rows(connection, [duplicate_id, kept_id])
        }
        for source_id in (duplicate_id, kept_id):
            if source_id not in rows:
                raise NotFoundError(f"source {source_id} does not exist")
        duplicate, kept = _record(rows[duplicate_id]), _record(rows[kept_id])
        citations = source_queries.citations_of(connection, duplicate_id)
        kept_by_event = {row[0]: row for row in source_queries.citations_of(connection, kept_id)}
        both = [row for row in citations if row[0] in kept_by_event]
        only = [row[0] for row in citations if row[0] not in kept_by_event]
        ids = sorted(row[0] for row in citations)
        events_before = _event_snapshots(connection, ids)

        source_queries.delete_citations(connection, duplicate_id, [row[0] for row in both])
        for row in both:
            merged = _merged_citation(kept_by_event[row[0]], row)
            if merged != kept_by_event[row[0]]:
                source_queries.update_citation(connection, kept_id, merged)
        source_queries.repoint_citations(connection, duplicate_id, kept_id, only)
        filled = _filled(kept, duplicate)
        stamp = queries.now_text()
        if filled.fields() != kept.fields():
            source_queries.update_source_row(connection, kept_id, filled.fields())
            queries.bump_events_citing(connection, [kept_id], stamp)
        else:
            catalog_queries.bump_event_versions(connection, ids, stamp=stamp)
        source_queries.delete_source_row(connection, duplicate_id)

        record_changes(
            connection,
            HistoryEntity.SOURCE,
            {
                duplicate_id: (duplicate.fields(), None),
                kept_id: (kept.fields(), filled.fields()),
            },
            catalog.author,
        )
        events_after = _event_snapshots(connection, ids)
        record_changes(
            connection,
            HistoryEntity.EVENT,
            {
                event_id: (events_before.get(event_id), events_after.get(event_id))
                for event_id in ids
            },
            catalog.author,
        )
    return SourceMergeResult(
        duplicate=duplicate,
        kept=kept,
        citations=tuple(citations),
        kept_citations=tuple(kept_by_event[row[0]] for row in both),
    )


def unmerge_sources(catalog: Catalog, result: SourceMergeResult) -> None:
    """Take a merge back: the duplicate returns with its id and fields, cited by exactly the
    events that cited it, with the same positions, notes, credibilities and excerpts; the
    kept source and its citations are as they were."""
    duplicate_id, kept_id = result.duplicate.id, result.kept.id
    with catalog.engine.begin() as connection:
        if source_queries.source_row(connection, kept_id) is None:
            raise NotFoundError(f"source “{result.kept.title}” no longer exists")
        if source_queries.source_row(connection, duplicate_id) is not None:
            raise TimelineError(f"the source “{result.duplicate.title}” exists again already")
        ids = result.event_ids
        events_before = _event_snapshots(connection, ids)
        kept_now = _record(source_queries.source_rows(connection, [kept_id])[0])
        source_queries.insert_source_row(connection, result.duplicate.row())
        both = {row[0] for row in result.kept_citations}
        moved = [row[0] for row in result.citations if row[0] not in both]
        source_queries.repoint_citations(connection, kept_id, duplicate_id, moved)
        for row in result.kept_citations:
            source_queries.update_citation(connection, kept_id, row)
        source_queries.insert_citations(
            connection, duplicate_id, [row for row in result.citations if row[0] in both]
        )
        stamp = queries.now_text()
        if kept_now.fields() != result.kept.fields():
            source_queries.update_source_row(connection, kept_id, result.kept.fields())
            queries.bump_events_citing(connection, [kept_id, duplicate_id], stamp)
        else:
            catalog_queries.bump_event_versions(connection, ids, stamp=stamp)
        record_changes(
            connection,
            HistoryEntity.SOURCE,
            {
                duplicate_id: (None, result.duplicate.fields()),
                kept_id: (kept_now.fields(), result.kept.fields()),
            },
            catalog.author,
        )
        events_after = _event_snapshots(connection, ids)
        record_changes(
            connection,
            HistoryEntity.EVENT,
            {
                event_id: (events_before.get(event_id), events_after.get(event_id))
                for event_id in ids
            },
            catalog.author,
        )


def best_grades(
    catalog: Catalog, event_ids: Iterable[str] | None = None
) -> dict[str, tuple[str, int]]:
    """The best (reliability, credibility) grade of each event citing a graded source (of
    these events): what tooltips and exports show. Ungraded citations (F6) are left out."""
    ids = None if event_ids is None else list(event_ids)
    with catalog.engine.connect() as connection:
        rows = source_queries.citation_grades(connection, ids)
    grades: dict[str, list[tuple[str, int]]] = {}
    for event_id, reliability, credibility in rows:
        if is_graded((reliability, credibility)):
            grades.setdefault(event_id, []).append((reliability, int(credibility)))
    return {event_id: best_grade(found) for event_id, found in grades.items()}  # type: ignore[misc]
