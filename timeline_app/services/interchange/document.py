"""A file's content, read and checked, and the one-transaction import of it.

Every reader produces a `Document`; `plan_import` compares it with the database without
writing (the preview a user sees), `apply_import` writes all of it in one transaction or
nothing, and `undo_import` takes back exactly what an import did.

A file changes only the fields it carries: an event's field that its file leaves out (a CSV
column absent from the header, a key absent from a JSON event object) keeps its stored value,
and a new event gets the field's default. The plan and the write both use that one merge.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from timeline_app.domain.dates import DateSpan, parse_span
from timeline_app.domain.errors import (
    ImportFileError,
    TimelineError,
    ValidationError,
    WriteConflict,
    quoted,
)
from timeline_app.domain.model import EventDraft, EventRecord, SourceRef, citation
from timeline_app.domain.palette import next_colour
from timeline_app.domain.progress import Progress, report_every
from timeline_app.domain.rules import EventChecker, validate_event, validate_event_fields
from timeline_app.services.bulk import collector_paused
from timeline_app.services.catalog import TITLE_KEY, Catalog, event_row, insert_records
from timeline_app.store import catalog_queries, queries
from timeline_app.store.database import conflicts_reported, describe_database_error
from timeline_app.store.queries import Connection

FORMAT_NAME = "timeline-app"
FORMAT_VERSION = 1
DRAFT_FIELDS = (
    "title",
    "start",
    "end",
    "category",
    "importance",
    "certainty",
    "description",
    "location",
    "actors",
    "tags",
    "sources",
)
"""An event's fields a file may carry, in EventDraft's order."""
ID_MAX = 36
"""The length of the id columns (events, eras, sources): a UUID's text."""
PLAN_BLOCK = 1000
"""New events a plan lists between two progress ticks (report_every's step)."""


@dataclass(frozen=True, slots=True)
class CategoryItem:
    name: str
    colour: str | None = None
    parent: str | None = None
    sort_order: int | None = None
    description: str = ""
    row: int | None = None


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
    """One event of a file, validated, with its derived dates and its row (for messages).

    `present` names the fields the file carries for it (None: all of them); the others keep
    their stored values when the event exists already.
    """

    id: str
    draft: EventDraft
    row: int
    span: DateSpan
    present: frozenset[str] | None = None


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
    notes: list[str] = field(default_factory=list)
    """What the reader wants the user to see before importing (recurring events read as
    their first occurrence, say): shown in the preview, printed by the command line."""


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import would do, computed without writing."""

    added: list[tuple[str, str]]
    changed: list[tuple[str, str]]
    unchanged: list[tuple[str, str]]
    new_categories: list[str]
    changed_sources: list[tuple[str, str]] = field(default_factory=list)
    """Stored sources (id, title) whose title, publisher, URL or date the file changes."""

    def summary(self) -> str:
        """The plan in one line, as a dry run reports it."""
        text = (
            f"would add {len(self.added)}, change {len(self.changed)}, "
            f"leave {len(self.unchanged)} unchanged"
        )
        if self.changed_sources:
            text += f", change {_count(len(self.changed_sources), 'source')}"
        return text


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did, so that undo can take back exactly that."""

    added_ids: tuple[str, ...]
    replaced: tuple[EventRecord, ...]
    added_categories: tuple[str, ...]
    added_era_ids: tuple[str, ...]
    replaced_sources: tuple[SourceRef, ...] = ()
    """Sources the import changed, as they were before it."""
    adopted_title: bool = False
    """The file's title became the timeline's (it had none): undo removes it again."""

    @property
    def changed_count(self) -> int:
        return len(self.added_ids) + len(self.replaced)


def field_label(name: str) -> str:
    """A column or key name from a file as a message names it: as it is when it is short
    and printable, quoted and cut otherwise."""
    return name if len(name) <= 40 and name.isprintable() else quoted(name)


def check_id(path: str, row: int | None, field_name: str, value: str) -> str:
    """An id as the database will hold it: at most ID_MAX printable characters (no NUL, no
    control character, no lone surrogate), refused here before any SQL sees it."""
    if len(value) > ID_MAX:
        raise ImportFileError(
            path, row, field_name, f"is {len(value)} characters long; the limit is {ID_MAX}"
        )
    if not value.isprintable():
        raise ImportFileError(
            path,
            row,
            field_name,
            f"{quoted(value)} contains a NUL, a control character or a lone surrogate",
        )
    return value


def _check_distinct_sources(path: str, row: int, sources: tuple[SourceRef, ...]) -> None:
    """An event cites each source once: the link table holds one row per event and source."""
    if len(sources) < 2:
        return
    first_at: dict[str | None, int] = {}
    for index, ref in enumerate(sources):
        if ref.id in first_at:
            raise ImportFileError(
                path,
                row,
                f"sources[{index}]",
                f"cites the same source as sources[{first_at[ref.id]}]",
            )
        first_at[ref.id] = index


def check_event(
    path: str,
    row: int,
    event_id: str,
    draft: EventDraft,
    present: frozenset[str] | None = None,
) -> EventItem:
    """Validate one event of a file, turning a field error into `FILE:ROW: field: problem`."""
    try:
        cleaned, span = validate_event(draft)
    except ValidationError as error:
        raise ImportFileError(path, row, error.field, error.message) from error
    _check_distinct_sources(path, row, cleaned.sources)
    return EventItem(event_id, cleaned, row, span, _with_end(present, cleaned))


def check_event_fields(
    path: str,
    row: int,
    event_id: str,
    *values: object,
    present: frozenset[str] | None = None,
    checker: EventChecker | None = None,
    sources_checked: bool = False,
) -> EventItem:
    """`check_event` on the values of a draft in field order (see `validate_event_fields`);
    a reader's `checker` checks each value its file repeats only once, and takes sources
    the reader has checked (`sources_checked`) as they are."""
    try:
        if checker is not None:
            cleaned, span = checker.check(*values, sources_checked=sources_checked)  # type: ignore[arg-type]
        else:
            cleaned, span = validate_event_fields(*values)  # type: ignore[arg-type]
    except ValidationError as error:
        raise ImportFileError(path, row, error.field, error.message) from error
    if len(cleaned.sources) > 1:  # the calls are skipped for the common row: 100,000 of them
        _check_distinct_sources(path, row, cleaned.sources)
    if present is not None:
        present = _with_end(present, cleaned)
    return EventItem(event_id, cleaned, row, span, present)


def _with_end(present: frozenset[str] | None, cleaned: EventDraft) -> frozenset[str] | None:
    """A start given as an interval `a/b` carries the end too."""
    if present is None or cleaned.end is None or "end" in present:
        return present
    return present | {"end"}


def check_unique_ids(document: Document) -> None:
    """Refuse a file that gives one id to two events, naming both rows."""
    ids = [item.id for item in document.events]
    if len(set(ids)) == len(ids):
        return  # the usual file: one set says so, no row needs naming
    seen: dict[str, int] = {}
    for item in document.events:
        if item.id in seen:
            raise ImportFileError(
                document.path,
                item.row,
                "id",
                f"{quoted(item.id)} is used again (first at row {seen[item.id]})",
            )
        seen[item.id] = item.row


def _refs(values: tuple[SourceRef, ...]) -> tuple:
    return tuple((s.id, *_source_values(s), *citation(s)[1:]) for s in values)


def _same(record: EventRecord, draft: EventDraft) -> bool:
    """True when writing `draft` (the file's fields over the stored ones) would change nothing."""
    return (
        record.title == draft.title
        and record.start == draft.start
        and record.end == draft.end
        and record.category == draft.category
        and record.importance == draft.importance
        and str(record.certainty) == str(draft.certainty)
        and record.description == draft.description
        and record.location == draft.location
        and tuple(record.actors) == tuple(draft.actors)
        and tuple(record.tags) == tuple(draft.tags)
        and _refs(record.sources) == _refs(draft.sources)
    )


def _overlay(path: str, record: EventRecord, item: EventItem) -> EventItem:
    """What the import writes for a stored event: its stored fields, overlaid with those the
    file carries, checked again as a whole (a new start must still precede the stored end)."""
    if item.present is None:
        return item
    stored = record.to_draft()
    merged = EventDraft(
        *(getattr(item.draft if name in item.present else stored, name) for name in DRAFT_FIELDS)
    )
    return check_event(path, item.row, item.id, merged, item.present)


_source_values = queries.source_values


@dataclass(slots=True)
class _Planned:
    """A plan and everything its write needs, computed in the write's own transaction."""

    plan: ImportPlan
    writes: list[EventItem]
    replaced: tuple[EventRecord, ...]
    sources: dict[str, SourceRef]
    replaced_sources: tuple[SourceRef, ...]
    stored_sources: dict[str, tuple]
    """`source_fields` of `sources` as the plan read them."""


def _check_categories(document: Document, known: set[str]) -> None:
    names = {item.name for item in document.categories}
    for item in document.categories:
        if item.parent and item.parent not in names and item.parent not in known:
            raise ImportFileError(
                document.path,
                item.row,
                "categories.parent",
                f"{quoted(item.parent)} is neither in the file's categories nor in the database",
            )
    available = known | names
    for event in document.events:
        if event.draft.category not in available:
            raise ImportFileError(
                document.path,
                event.row,
                "category",
                f"{quoted(event.draft.category)} is neither in the file's categories "
                "nor in the database",
            )


def _sources_to_write(document: Document, writes: list[EventItem]) -> dict[str, SourceRef]:
    """The file's sources and those cited by the events it writes, by id; one source given
    two ways (other title, publisher or date under one id) is refused, never half taken."""
    sources: dict[str, SourceRef] = {ref.id: ref for ref in document.sources}  # type: ignore[misc]
    for item in writes:
        if item.present is not None and "sources" not in item.present:
            continue  # it keeps the stored sources, as they are stored
        for ref in item.draft.sources:
            known = sources.setdefault(ref.id, ref)  # type: ignore[arg-type]
            if known is not ref and _source_values(known) != _source_values(ref):
                raise _source_given_twice(document, writes, item, ref)
    return sources


def _source_given_twice(
    document: Document, writes: list[EventItem], item: EventItem, ref: SourceRef
) -> ImportFileError:
    """The error for `item` citing `ref` with other fields than where its id came first."""
    index = next(i for i, cited in enumerate(item.draft.sources) if cited is ref)
    if any(known.id == ref.id for known in document.sources):
        where = "in the file's sources"
    else:
        first = next(
            other.row
            for other in writes
            if (other.present is None or "sources" in other.present)
            and any(cited.id == ref.id for cited in other.draft.sources)
        )
        where = f"at row {first}"
    return ImportFileError(
        document.path,
        item.row,
        f"sources[{index}]",
        f"source {ref.id} is given other fields than {where}",
    )


def _make_plan(
    connection: Connection,
    document: Document,
    *,
    lock: bool = False,
    tick: Callable[[int], None] | None = None,
) -> _Planned:
    """Compare a document with the database as `connection` sees it (with `lock`, holding
    the rows it will change); raise ImportFileError for what the database cannot take.
    `tick(events compared)` is called as `report_every` would."""
    path = document.path
    known = {record.name for record in queries.category_records(connection)}
    _check_categories(document, known)
    stored = queries.existing_event_versions(
        connection,
        [item.id for item in document.events],
        lock=lock,
    )
    existing = (
        {record.id: record for record in queries.event_records(connection, sorted(stored))}
        if stored
        else {}
    )
    added: list[tuple[str, str]] = []
    changed: list[tuple[str, str]] = []
    unchanged: list[tuple[str, str]] = []
    writes: list[EventItem] = []
    replaced: list[EventRecord] = []
    tick = tick or _no_tick
    tick(0)
    if not existing:  # new events only (a first import): nothing to compare, a block at a time
        events = document.events
        for start in range(0, len(events), PLAN_BLOCK):
            block = events[start : start + PLAN_BLOCK]
            added.extend([(item.id, item.draft.title) for item in block])
            tick(start + len(block))
        writes = list(events)
    for done, item in enumerate(document.events if existing else (), 1):
        tick(done)
        record = existing.get(item.id)
        if record is None:
            added.append((item.id, item.draft.title))
            writes.append(item)
            continue
        merged = _overlay(path, record, item)
        if _same(record, merged.draft):
            unchanged.append((item.id, merged.draft.title))
        else:
            changed.append((item.id, merged.draft.title))
            writes.append(merged)
            replaced.append(record)
    sources = _sources_to_write(document, writes)
    before = queries.source_fields(connection, sources)
    replaced_sources = tuple(
        SourceRef(*values[:4], "", source_id, *values[4:])
        for source_id, values in sorted(before.items())
        if values != _source_values(sources[source_id])
    )
    plan = ImportPlan(
        added,
        changed,
        unchanged,
        [item.name for item in document.categories if item.name not in known],
        [(ref.id, sources[ref.id].title) for ref in replaced_sources],  # type: ignore[index,misc]
    )
    return _Planned(plan, writes, tuple(replaced), sources, replaced_sources, before)


def _item_id(item: EventItem) -> str:
    return item.id


def _no_tick(_done: int) -> None:
    """The per-item counter of work nobody watches."""


def plan_import(
    catalog: Catalog, document: Document, *, progress: Progress | None = None
) -> ImportPlan:
    """Compare a document with the database without writing (the preview, the dry run);
    raise ImportFileError for what the database cannot take (unknown categories, …).

    `progress` hears (events compared, events); a `Cancelled` it raises stops the plan.
    """
    tick = report_every(progress, len(document.events))
    with collector_paused(), catalog.engine.connect() as connection:
        return _make_plan(connection, document, tick=tick).plan


def apply_import(
    catalog: Catalog, document: Document, *, progress: Progress | None = None
) -> ImportResult:
    """Write the document in one transaction: everything or, on any error, nothing.

    The plan is made again inside that transaction, after taking the import lock, so what
    it writes over is what it compared with: two imports at once run one after the other,
    and an editor saving meanwhile meets a version conflict instead of a lost edit.
    `progress` hears (steps, 2 × events): comparing, then writing, all inside the
    transaction, so a `Cancelled` it raises (even at the last step) rolls everything back.
    """
    with collector_paused():
        try:
            with conflicts_reported(catalog.database.location):
                return _apply_import(catalog, document, progress)
        except WriteConflict as error:  # a row another writer added after our plan
            raise ImportFileError(
                document.path,
                None,
                "database",
                "changed by someone else while importing; nothing was written, import again",
            ) from error
        except TimelineError:
            raise
        except Exception as error:  # a database refusal: report it against the file
            reason = describe_database_error(error, catalog.database.location)
            reason = reason or str(error).splitlines()[0]
            raise ImportFileError(document.path, None, "database", reason) from error


def _add_categories(connection: Connection, document: Document) -> tuple[list[str], dict[str, int]]:
    """Create the file's categories the database lacks; their ids by name."""
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
            item.sort_order if item.sort_order is not None else len(existing_categories) + position
        )
        catalog_queries.insert_category(
            connection,
            name=item.name,
            colour=colour,
            sort_order=order,
            description=item.description,
        )
        known.add(item.name)
        added_categories.append(item.name)
    ids = queries.category_ids(connection)
    for item in document.categories:
        if item.parent and item.name in added_categories and item.parent in ids:
            catalog_queries.update_category_row(
                connection, ids[item.name], {"parent_id": ids[item.parent]}
            )
    return added_categories, ids


def _adopt_title(connection: Connection, title: str) -> bool:
    """A file's title becomes the timeline's when it has none yet; True when it did."""
    if not title or catalog_queries.meta_value(connection, TITLE_KEY):
        return False
    catalog_queries.set_meta(connection, TITLE_KEY, title)
    return True


def _apply_import(catalog: Catalog, document: Document, progress: Progress | None) -> ImportResult:
    stamp = queries.now_text()
    count = len(document.events)
    total = 2 * count
    with (
        catalog.engine.connect() as connection,
        queries.foreign_keys_deferred(connection, count) as deferred,
        connection.begin(),
    ):
        queries.lock_for_import(connection)
        planned = _make_plan(connection, document, lock=True, tick=report_every(progress, total))
        plan = planned.plan
        added_categories, ids = _add_categories(connection, document)
        adopted_title = _adopt_title(connection, document.title)
        actor_ids = catalog_queries.ensure_actors(connection, document.actors)
        for name, kind in document.actors.items():
            if kind:
                catalog_queries.fill_actor_kind(connection, actor_ids[name], kind)
        catalog_queries.ensure_tags(connection, document.tags)
        if planned.replaced_sources:
            queries.bump_events_citing(
                connection,
                [ref.id for ref in planned.replaced_sources],  # type: ignore[misc]
                stamp,
            )
        queries.upsert_sources(connection, planned.sources, planned.stored_sources)
        era_ids = catalog_queries.era_ids(connection)
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
            catalog_queries.insert_eras(connection, new_eras)
        writes = sorted(planned.writes, key=_item_id)  # key order: local B-tree inserts
        previous_versions = {record.id: record for record in planned.replaced}
        rows, actor_names, tag_names, source_refs = _rows_and_links(
            writes, ids, previous_versions, stamp
        )
        if deferred:  # no cascade: the links of the events replaced go first
            queries.delete_links(connection, list(previous_versions))
        queries.delete_event_rows(connection, sorted(previous_versions))
        written = _share(progress, count, count, len(rows))
        with queries.indexes_set_aside(connection, len(rows)):
            queries.insert_event_rows(connection, rows, written=written)
            queries.write_links(
                connection,
                actor_names,
                tag_names,
                source_refs,
                clear_existing=False,  # new rows; changed ones were deleted with their links
            )
        if deferred:
            queries.check_foreign_keys(connection)
        if progress is not None:
            progress(total, total)  # still inside the transaction: the last chance to stop
    return ImportResult(
        added_ids=tuple(event_id for event_id, _ in plan.added),
        replaced=planned.replaced,
        added_categories=tuple(added_categories),
        added_era_ids=tuple(era["id"] for era in new_eras),
        replaced_sources=planned.replaced_sources,
        adopted_title=adopted_title,
    )


def _rows_and_links(
    writes: list[EventItem],
    category_ids: dict[str, int],
    previous_versions: dict[str, EventRecord],
    stamp: str,
) -> tuple[list[tuple], dict, dict, dict]:
    """The events-table rows of `writes` and their actor, tag and source links (as
    `queries.write_links` takes them), in one pass: an import writes 100,000 of each."""
    rows: list[tuple] = []
    actor_names: dict[str, tuple[str, ...]] = {}
    tag_names: dict[str, tuple[str, ...]] = {}
    source_refs: dict[str, tuple[tuple[str, str, int, str], ...]] = {}
    append = rows.append
    for item in writes:
        event_id = item.id
        draft = item.draft
        previous = previous_versions.get(event_id) if previous_versions else None
        category_id = category_ids[draft.category]
        if previous is None:
            append(event_row(event_id, draft, item.span, category_id, stamp))
        else:
            append(
                event_row(
                    event_id,
                    draft,
                    item.span,
                    category_id,
                    previous.created_at,
                    stamp,
                    previous.version + 1,
                )
            )
        actor_names[event_id] = draft.actors
        tag_names[event_id] = draft.tags
        refs = draft.sources
        if len(refs) == 1:
            source_refs[event_id] = (citation(refs[0]),)
        else:
            source_refs[event_id] = tuple(map(citation, refs))
    return rows, actor_names, tag_names, source_refs


def _share(
    progress: Progress | None, offset: int, span: int, items: int
) -> Callable[[int], None] | None:
    """A `written(items done)` callback that reports them as steps offset…offset + span of
    a total of offset + span."""
    if progress is None or items == 0:
        return None
    callback = progress
    total = offset + span

    def written(done: int) -> None:
        callback(offset + done * span // items, total)

    return written


def undo_import(
    catalog: Catalog, result: ImportResult, *, progress: Progress | None = None
) -> None:
    """Remove what an import added and put back what it changed, in one transaction.

    `progress` hears (events, events to take back or restore) inside that transaction, so
    a `Cancelled` it raises leaves the import in place.
    """
    total = len(result.added_ids) + len(result.replaced)
    with collector_paused(), catalog.engine.begin() as connection:
        if progress is not None:
            progress(0, total)
        queries.delete_event_rows(connection, list(result.added_ids))
        catalog_queries.delete_eras(connection, result.added_era_ids)
        if result.replaced_sources:
            queries.bump_events_citing(
                connection,
                [ref.id for ref in result.replaced_sources],  # type: ignore[misc]
                queries.now_text(),
            )
            queries.upsert_sources(connection, result.replaced_sources)
        if progress is not None:
            progress(len(result.added_ids), total)
        if result.replaced:
            _restore_records(
                connection,
                result.replaced,
                _share(progress, len(result.added_ids), len(result.replaced), len(result.replaced)),
            )
        if result.adopted_title:
            catalog_queries.set_meta(connection, TITLE_KEY, None)
        ids = queries.category_ids(connection)
        for name in result.added_categories:
            category_id = ids.get(name)
            if category_id is not None and not catalog_queries.category_in_use(
                connection, category_id
            ):
                catalog_queries.delete_category_row(connection, category_id)
        if progress is not None:
            progress(total, total)


def _restore_records(
    connection: Connection,
    records: Sequence[EventRecord],
    written: Callable[[int], None] | None,
) -> None:
    """Overwrite events with the records an import replaced, whatever their version now."""
    queries.delete_event_rows(connection, [record.id for record in records])
    insert_records(connection, records, written=written)
