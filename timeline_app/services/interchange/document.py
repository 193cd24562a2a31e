"""A file's content, read and checked, and the one-transaction import of it.

Every reader produces a `Document`; `plan_import` compares it with the database without
writing (the preview a user sees), `apply_import` writes all of it in one transaction or
nothing, and `undo_import` takes back exactly what an import did.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, update

from timeline_app.domain.dates import DateSpan, parse_span
from timeline_app.domain.errors import ImportFileError, TimelineError, ValidationError
from timeline_app.domain.model import EventDraft, EventRecord, SourceRef
from timeline_app.domain.palette import next_colour
from timeline_app.domain.rules import validate_event, validate_event_fields
from timeline_app.services.bulk import collector_paused
from timeline_app.services.catalog import Catalog, event_row
from timeline_app.store import queries
from timeline_app.store.database import describe_database_error

FORMAT_NAME = "timeline-app"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class CategoryItem:
    name: str
    colour: str | None = None
    parent: str | None = None
    sort_order: int | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class EraItem:
    id: str
    name: str
    start: str
    end: str | None
    colour: str
    group: str = ""


@dataclass(frozen=True, slots=True)
class EventItem:
    """One event of a file, validated, with its derived dates and its row (for messages)."""

    id: str
    draft: EventDraft
    row: int
    span: DateSpan


@dataclass(slots=True)
class Document:
    path: str
    categories: list[CategoryItem] = field(default_factory=list)
    actors: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    eras: list[EraItem] = field(default_factory=list)
    events: list[EventItem] = field(default_factory=list)
    title: str = ""


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import would do, computed without writing."""

    added: list[tuple[str, str]]
    changed: list[tuple[str, str]]
    unchanged: list[tuple[str, str]]
    new_categories: list[str]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did, so that undo can take back exactly that."""

    added_ids: tuple[str, ...]
    replaced: tuple[EventRecord, ...]
    added_categories: tuple[str, ...]
    added_era_ids: tuple[str, ...]

    @property
    def changed_count(self) -> int:
        return len(self.added_ids) + len(self.replaced)


def check_event(path: str, row: int, event_id: str, draft: EventDraft) -> EventItem:
    """Validate one event of a file, turning a field error into `FILE:ROW: field: problem`."""
    try:
        cleaned, span = validate_event(draft)
    except ValidationError as error:
        raise ImportFileError(path, row, error.field, error.message) from error
    return EventItem(event_id, cleaned, row, span)


def check_event_fields(path: str, row: int, event_id: str, *values: object) -> EventItem:
    """`check_event` on the values of a draft in field order (see `validate_event_fields`)."""
    try:
        cleaned, span = validate_event_fields(*values)  # type: ignore[arg-type]
    except ValidationError as error:
        raise ImportFileError(path, row, error.field, error.message) from error
    return EventItem(event_id, cleaned, row, span)


def check_unique_ids(document: Document) -> None:
    seen: dict[str, int] = {}
    for item in document.events:
        if item.id in seen:
            raise ImportFileError(
                document.path,
                item.row,
                "id",
                f"{item.id!r} is used again (first at row {seen[item.id]})",
            )
        seen[item.id] = item.row


def _same(record: EventRecord, draft: EventDraft) -> bool:
    stored = record.to_draft()

    def refs(values: tuple[SourceRef, ...]) -> tuple:
        return tuple((s.id, s.title, s.url, s.publisher, s.published, s.note) for s in values)

    return (
        stored.title == draft.title
        and stored.start == draft.start
        and stored.end == draft.end
        and stored.category == draft.category
        and stored.importance == draft.importance
        and str(stored.certainty) == str(draft.certainty)
        and stored.description == draft.description
        and stored.location == draft.location
        and tuple(stored.actors) == tuple(draft.actors)
        and tuple(stored.tags) == tuple(draft.tags)
        and refs(stored.sources) == refs(draft.sources)
    )


def plan_import(catalog: Catalog, document: Document) -> ImportPlan:
    """Compare a document with the database; raise ImportFileError for unknown categories."""
    known = set(catalog.category_names())
    available = known | {item.name for item in document.categories}
    for item in document.events:
        if item.draft.category not in available:
            raise ImportFileError(
                document.path,
                item.row,
                "category",
                f"{item.draft.category!r} is neither in the file's categories nor in the database",
            )
    with catalog.engine.connect() as connection:
        stored = queries.existing_event_versions(connection, [i.id for i in document.events])
    existing = {record.id: record for record in catalog.events(sorted(stored))} if stored else {}
    added, changed, unchanged = [], [], []
    for item in document.events:
        record = existing.get(item.id)
        target = added if record is None else unchanged if _same(record, item.draft) else changed
        target.append((item.id, item.draft.title))
    new_categories = [item.name for item in document.categories if item.name not in known]
    return ImportPlan(added, changed, unchanged, new_categories)


def apply_import(catalog: Catalog, document: Document) -> ImportResult:
    """Write the document in one transaction: everything or, on any error, nothing."""
    with collector_paused():
        return _apply_import(catalog, document)


def _apply_import(catalog: Catalog, document: Document) -> ImportResult:
    plan = plan_import(catalog, document)
    changed_ids = {event_id for event_id, _ in plan.changed}
    added_ids = {event_id for event_id, _ in plan.added}
    replaced = tuple(catalog.events(sorted(changed_ids))) if changed_ids else ()
    stamp = queries.now_text()
    try:
        with catalog.engine.begin() as connection:
            existing_categories = queries.category_records(connection)
            colours = [record.colour for record in existing_categories]
            known = {record.name for record in existing_categories}
            added_categories: list[str] = []
            for position, item in enumerate(document.categories):
                if item.name in known:
                    continue
                colour = item.colour or next_colour(colours)
                colours.append(colour)
                order = (
                    item.sort_order
                    if item.sort_order is not None
                    else (len(existing_categories) + position)
                )
                connection.execute(
                    insert(queries.categories).values(
                        name=item.name,
                        colour=colour,
                        sort_order=order,
                        description=item.description,
                    )
                )
                known.add(item.name)
                added_categories.append(item.name)
            ids = queries.category_ids(connection)
            for item in document.categories:
                if item.parent and item.name in added_categories and item.parent in ids:
                    connection.execute(
                        update(queries.categories)
                        .where(queries.categories.c.id == ids[item.name])
                        .values(parent_id=ids[item.parent])
                    )
            actor_ids = queries.ensure_names(connection, queries.actors, document.actors)
            for name, kind in document.actors.items():
                if kind:
                    connection.execute(
                        update(queries.actors)
                        .where(queries.actors.c.id == actor_ids[name], queries.actors.c.kind == "")
                        .values(kind=kind)
                    )
            queries.ensure_names(connection, queries.tags, document.tags)
            sources = {ref.id: ref for ref in document.sources}
            for item in document.events:
                if item.id in added_ids or item.id in changed_ids:
                    for ref in item.draft.sources:
                        sources.setdefault(ref.id, ref)  # type: ignore[arg-type]
            queries.upsert_sources(connection, sources.values())
            era_ids = set(connection.execute(select(queries.eras.c.id)).scalars())
            new_eras = []
            for era in document.eras:
                if era.id in era_ids:
                    continue
                span = parse_span(era.start, era.end)
                new_eras.append(
                    {
                        "id": era.id,
                        "name": era.name,
                        "start": era.start,
                        "end": era.end,
                        "lower": span.lower,
                        "upper": span.upper,
                        "colour": era.colour,
                        "group_name": era.group,
                    }
                )
            if new_eras:
                connection.execute(insert(queries.eras), new_eras)
            to_write = added_ids | changed_ids
            writes = [item for item in document.events if item.id in to_write]
            previous_versions = {record.id: record for record in replaced}
            rows = []
            for item in writes:
                previous = previous_versions.get(item.id)
                category_id = ids[item.draft.category]
                if previous is None:
                    rows.append(event_row(item.id, item.draft, item.span, category_id, stamp))
                else:
                    rows.append(
                        event_row(
                            item.id,
                            item.draft,
                            item.span,
                            category_id,
                            previous.created_at,
                            stamp,
                            previous.version + 1,
                        )
                    )
            queries.delete_event_rows(connection, sorted(changed_ids))
            rows.sort()
            with queries.indexes_set_aside(connection, len(rows)):
                queries.insert_event_rows(connection, rows)
                queries.write_links(
                    connection,
                    {item.id: item.draft.actors for item in writes},
                    {item.id: item.draft.tags for item in writes},
                    {
                        item.id: [(ref.id, ref.note) for ref in item.draft.sources]
                        for item in writes
                    },
                    clear_existing=False,  # new rows; changed ones were deleted with their links
                )
    except TimelineError:
        raise
    except Exception as error:  # a database refusal: report it against the file, write nothing
        reason = describe_database_error(error) or str(error).splitlines()[0]
        raise ImportFileError(document.path, None, "database", reason) from error
    return ImportResult(
        added_ids=tuple(event_id for event_id, _ in plan.added),
        replaced=replaced,
        added_categories=tuple(added_categories),
        added_era_ids=tuple(era["id"] for era in new_eras),
    )


def undo_import(catalog: Catalog, result: ImportResult) -> None:
    """Remove what an import added and put back what it changed, in one transaction."""
    with catalog.engine.begin() as connection:
        queries.delete_event_rows(connection, list(result.added_ids))
        for part in queries.chunks(list(result.added_era_ids)):
            connection.execute(delete(queries.eras).where(queries.eras.c.id.in_(part)))
    if result.replaced:
        catalog.replace_events(result.replaced)
    with catalog.engine.begin() as connection:
        for name in result.added_categories:
            category_id = queries.category_ids(connection).get(name)
            in_use = connection.execute(
                select(queries.events.c.id).where(queries.events.c.category_id == category_id)
            ).first()
            if category_id is not None and in_use is None:
                connection.execute(
                    delete(queries.categories).where(queries.categories.c.id == category_id)
                )
