"""A file's content, read and checked, and the one-transaction import of it.

Every reader produces a `Document`; `plan_import` compares it with the database without
writing (the preview a user sees), `apply_import` writes all of it in one transaction or
nothing, and `undo_import` takes back exactly what an import did.

A file changes only the fields it carries: an event's field that its file leaves out (a CSV
column absent from the header, a key absent from a JSON event object) keeps its stored value,
and a new event gets the field's default. The plan and the write both use that one merge.

Links, notes and actor aliases a file carries are added (or, under a stored id, changed),
never removed; its history entries are stored as given, once. The import records its own
history of what it writes, unless the file's history of a record already ends in what is
written, so that export → import into an empty database → export gives the same file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from json import encoder as json_encoder
from typing import TypeVar

from timeline_app.domain.dates import DateSpan, parse_span
from timeline_app.domain.errors import (
    ImportFileError,
    TimelineError,
    ValidationError,
    WriteConflict,
    quoted,
)
from timeline_app.domain.evidence import (
    EventLink,
    EventNote,
    HistoryAction,
    HistoryEntity,
    HistoryEntry,
)
from timeline_app.domain.model import EventDraft, EventRecord, SourceRef, citation, stable_id
from timeline_app.domain.palette import next_colour
from timeline_app.domain.progress import Progress, report_every
from timeline_app.domain.rules import EventChecker, validate_event, validate_event_fields
from timeline_app.services.bulk import collector_paused
from timeline_app.services.catalog import (
    TITLE_KEY,
    Catalog,
    event_row,
    insert_records,
    note_fields,
)
from timeline_app.services.history_log import change_entry, event_fields
from timeline_app.services.links import link_fields
from timeline_app.store import catalog_queries, evidence_queries, queries
from timeline_app.store.database import conflicts_reported, describe_database_error
from timeline_app.store.queries import Connection

_json_string = json_encoder.encode_basestring
"""A text as JSON without ASCII escapes (the C function the encoder itself calls)."""

_Stamped = TypeVar("_Stamped", EventLink, EventNote)

FORMAT_NAME = "timeline-app"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
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
STAMP_MAX = 32
"""The length of a time stamp column (a note's or link's `created_at`, history's `at`)."""


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


@dataclass(frozen=True, slots=True)
class LinkItem:
    """A link between events as a file gives it; `index` is its place in the file's links
    (for messages), and an empty `created_at` takes the import's time."""

    link: EventLink
    index: int


@dataclass(frozen=True, slots=True)
class NoteItem:
    """A note on an event as a file gives it, with the event's row and the note's place among
    the event's notes (for messages); an empty `created_at` takes the import's time."""

    note: EventNote
    row: int
    index: int


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
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Other names of the file's actors (any script), by actor name."""
    links: list[LinkItem] = field(default_factory=list)
    event_notes: list[NoteItem] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    """The file's record of changes, stored as given (oldest first)."""


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
    evidence: EvidenceCounts | None = None
    """The links, notes and history entries the file adds or changes (None: none)."""

    def summary(self) -> str:
        """The plan in one line, as a dry run reports it."""
        text = (
            f"would add {len(self.added)}, change {len(self.changed)}, "
            f"leave {len(self.unchanged)} unchanged"
        )
        if self.changed_sources:
            text += f", change {_count(len(self.changed_sources), 'source')}"
        if self.evidence is not None:
            text += self.evidence.summary()
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
    evidence: EvidenceWritten | None = None
    """The links, notes, aliases and history entries the import wrote (None: none)."""
    added_source_ids: tuple[str, ...] = ()
    added_actors: tuple[str, ...] = ()
    added_tags: tuple[str, ...] = ()
    """Sources, actors and tags the import created: undo removes those no event refers to."""

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


def check_stamp(path: str, row: int | None, field_name: str, value: str) -> str:
    """A time stamp as stored: ISO 8601 date and time, stripped ("" stays "": the import's
    own time is given to it)."""
    text = value.strip()
    if not text:
        return ""
    if len(text) > STAMP_MAX:
        raise ImportFileError(path, row, field_name, f"is longer than {STAMP_MAX} characters")
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        raise ImportFileError(
            path,
            row,
            field_name,
            f"{quoted(text)} is not a date and time such as 2026-11-30T10:00:00+00:00",
        ) from None
    return text


def note_id_for(event_id: str, created_at: str, text: str) -> str:
    """The id of a note a file gives without one: the same note read twice gets the same."""
    return stable_id(f"note:{event_id}\n{created_at}\n{text}")


def link_id_for(from_id: str, to_id: str, kind: str) -> str:
    """The id of a link a file gives without one."""
    return stable_id(f"link:{from_id}\n{to_id}\n{kind}")


def check_unique_note_ids(document: Document) -> None:
    """Refuse a file that gives one id to two notes, naming both."""
    seen: dict[str, NoteItem] = {}
    for item in document.event_notes:
        first = seen.setdefault(item.note.id, item)
        if first is not item:
            raise ImportFileError(
                document.path,
                item.row,
                f"notes[{item.index}].id",
                f"{quoted(item.note.id)} is used again (first at row {first.row}, "
                f"notes[{first.index}])",
            )


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
    return tuple((s.id, *queries.source_values(s), *citation(s)[1:]) for s in values)


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
    evidence: _EvidencePlan


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
            if known is not ref and queries.source_values(known) != queries.source_values(ref):
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
        if values != queries.source_values(sources[source_id])
    )
    evidence = _plan_evidence(connection, document)
    plan = ImportPlan(
        added,
        changed,
        unchanged,
        [item.name for item in document.categories if item.name not in known],
        [(ref.id, sources[ref.id].title) for ref in replaced_sources],  # type: ignore[index,misc]
        evidence.counts(),
    )
    return _Planned(plan, writes, tuple(replaced), sources, replaced_sources, before, evidence)


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
        known_actors, known_tags = evidence_queries.actor_and_tag_names(connection)
        actor_ids = catalog_queries.ensure_actors(connection, document.actors)
        for name, kind in document.actors.items():
            if kind:
                catalog_queries.fill_actor_kind(connection, actor_ids[name], kind)
        catalog_queries.ensure_tags(connection, document.tags)
        citing = _citing_records(connection, planned)
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
        kept = _set_aside_evidence(connection, planned.evidence, sorted(previous_versions))
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
        evidence = _write_evidence(
            connection,
            document,
            planned,
            kept,
            actor_ids,
            _WriteContext(catalog.author, stamp, citing),
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
        evidence=evidence,
        added_source_ids=tuple(sorted(set(planned.sources) - set(planned.stored_sources))),
        added_actors=tuple(sorted(set(actor_ids) - known_actors)),
        added_tags=tuple(sorted(set(_written_tags(document, planned.writes)) - known_tags)),
    )


def _written_tags(document: Document, writes: list[EventItem]) -> set[str]:
    """The tags an import names: the file's and those of the events it writes."""
    names = set(document.tags)
    for item in writes:
        names.update(item.draft.tags)
    return names


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
        restored_ids = [record.id for record in result.replaced]
        kept = _take_back_evidence(connection, result, restored_ids)
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
        _put_back_evidence(connection, result, kept)
        evidence_queries.delete_uncited(
            connection, result.added_source_ids, result.added_actors, result.added_tags
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


# ---- links, notes, aliases and history -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvidenceCounts:
    """How many links, notes and history entries an import would add or change."""

    links_added: int = 0
    links_changed: int = 0
    notes_added: int = 0
    notes_changed: int = 0
    history_added: int = 0

    def summary(self, *, done: bool = False) -> str:
        """The counts as the plan's one line continues them (", add 3 links, …"), or when
        `done` as the import's own report does (", added 3 links, …")."""
        add, change = ("added", "changed") if done else ("add", "change")
        parts = [
            f"{verb} {_count(number, noun)}"
            for verb, number, noun in (
                (add, self.links_added, "link"),
                (change, self.links_changed, "link"),
                (add, self.notes_added, "note"),
                (change, self.notes_changed, "note"),
                (add, self.history_added, "history entry"),
            )
            if number
        ]
        return "".join(", " + part for part in parts).replace("entrys", "entries")


@dataclass(frozen=True, slots=True)
class EvidenceWritten:
    """What an import wrote besides events, so that its undo can take exactly that back."""

    added_link_ids: tuple[str, ...] = ()
    replaced_links: tuple[EventLink, ...] = ()
    """Stored links the file changed, as they were before it."""
    added_note_ids: tuple[str, ...] = ()
    replaced_notes: tuple[EventNote, ...] = ()
    added_aliases: tuple[tuple[str, str], ...] = ()
    """(actor name, alias) pairs the import added."""
    history_ids: tuple[int, ...] = ()
    """The history rows it wrote: the file's entries and its own."""


@dataclass(slots=True)
class _EvidencePlan:
    new_links: list[EventLink] = field(default_factory=list)
    changed_links: list[tuple[EventLink, EventLink]] = field(default_factory=list)
    """(stored, as the file gives it) of the links whose id is stored with other fields."""
    new_notes: list[EventNote] = field(default_factory=list)
    changed_notes: list[tuple[EventNote, EventNote]] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    """The file's history entries not stored yet (a file imported twice adds them once)."""

    def counts(self) -> EvidenceCounts | None:
        counts = EvidenceCounts(
            len(self.new_links),
            len(self.changed_links),
            len(self.new_notes),
            len(self.changed_notes),
            len(self.history),
        )
        return None if counts == EvidenceCounts() else counts


@dataclass(frozen=True, slots=True)
class _Kept:
    """Links and notes of events an import or its undo rewrites, held while the events'
    rows are deleted (whose cascade would take them) and inserted again."""

    links: list[EventLink] = field(default_factory=list)
    notes: list[EventNote] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _WriteContext:
    author: str
    stamp: str
    citing: list[EventRecord]
    """Stored events the import leaves as they are but for a source they cite, which it
    changes: as they were before."""


def _citing_records(connection: Connection, planned: _Planned) -> list[EventRecord]:
    """The stored events that cite a source the import changes, other than those it writes."""
    if not planned.replaced_sources:
        return []
    written = {item.id for item in planned.writes}
    ids = evidence_queries.events_citing(
        connection,
        [ref.id for ref in planned.replaced_sources],  # type: ignore[misc]
    )
    return queries.event_records(
        connection, [event_id for event_id in ids if event_id not in written]
    )


def _plan_evidence(connection: Connection, document: Document) -> _EvidencePlan:
    """Compare the file's links, notes and history with the database; refuse a link to an
    event neither in the file nor stored, or one that would repeat a stored link."""
    planned = _EvidencePlan()
    if document.links:
        _plan_links(connection, document, planned)
    if document.event_notes:
        stored_notes = evidence_queries.notes_by_id(
            connection, [item.note.id for item in document.event_notes]
        )
        for item in document.event_notes:
            note = item.note
            stored = stored_notes.get(note.id)
            if stored is None:
                planned.new_notes.append(note)
                continue
            written = note if note.created_at else replace(note, created_at=stored.created_at)
            if written != stored:
                planned.changed_notes.append((stored, written))
    if document.history:
        stored_keys = evidence_queries.history_keys(
            connection, sorted({entry.entity_id for entry in document.history})
        )
        planned.history = [
            entry
            for entry in document.history
            if not stored_keys or evidence_queries.history_key(entry) not in stored_keys
        ]
    return planned


def _plan_links(connection: Connection, document: Document, planned: _EvidencePlan) -> None:
    file_ids = {item.id for item in document.events}
    outside = sorted(
        {end for item in document.links for end in (item.link.from_id, item.link.to_id)} - file_ids
    )
    found = queries.existing_event_versions(connection, outside) if outside else {}
    for item in document.links:
        for name, end in (("from", item.link.from_id), ("to", item.link.to_id)):
            if end not in file_ids and end not in found:
                raise ImportFileError(
                    document.path,
                    None,
                    f"links[{item.index}].{name}",
                    f"{quoted(end)} is neither an event of the file nor one in the database",
                )
    if not evidence_queries.has_links(connection):
        planned.new_links = [item.link for item in document.links]
        return
    by_id = evidence_queries.links_by_id(connection, [item.link.id for item in document.links])
    by_ends = {
        (link.from_id, link.to_id, link.kind): link
        for link in evidence_queries.links_from(
            connection, sorted({item.link.from_id for item in document.links})
        )
    }
    for item in document.links:
        link = item.link
        stored = by_id.get(link.id)
        owner = by_ends.get((link.from_id, link.to_id, link.kind))
        if stored is None:
            if owner is None:
                planned.new_links.append(link)
            continue  # the database has this link already, under its own id
        written = link if link.created_at else replace(link, created_at=stored.created_at)
        if written == stored:
            continue
        if owner is not None and owner.id != link.id:
            raise ImportFileError(
                document.path,
                None,
                f"links[{item.index}]",
                f"link {quoted(link.id)} would repeat the stored link {quoted(owner.id)} "
                f"({link.kind} between the same events)",
            )
        planned.changed_links.append((stored, written))


def _set_aside_evidence(
    connection: Connection, planned: _EvidencePlan, rewritten_ids: list[str]
) -> _Kept:
    """Delete the links and notes of the events about to be rewritten and those the file
    changes; return the first ones to insert again once the events are back."""
    changed_links = {stored.id for stored, _ in planned.changed_links}
    changed_notes = {stored.id for stored, _ in planned.changed_notes}
    links = evidence_queries.links_of(connection, rewritten_ids) if rewritten_ids else []
    notes = evidence_queries.notes_of(connection, rewritten_ids) if rewritten_ids else []
    evidence_queries.delete_links_by_id(
        connection, sorted(changed_links | {link.id for link in links})
    )
    evidence_queries.delete_notes_by_id(
        connection, sorted(changed_notes | {note.id for note in notes})
    )
    return _Kept(
        [link for link in links if link.id not in changed_links],
        [note for note in notes if note.id not in changed_notes],
    )


def _write_evidence(
    connection: Connection,
    document: Document,
    planned: _Planned,
    kept: _Kept,
    actor_ids: dict[str, int],
    context: _WriteContext,
) -> EvidenceWritten | None:
    """Write the file's links, notes, aliases and history, in bulk, and the import's own
    history of the events it writes."""
    evidence = planned.evidence
    new_links = [_stamped(link, context.stamp) for link in evidence.new_links]
    evidence_queries.insert_links(
        connection, [*kept.links, *new_links, *(written for _, written in evidence.changed_links)]
    )
    new_notes = [_stamped(note, context.stamp) for note in evidence.new_notes]
    evidence_queries.insert_notes(
        connection, [*kept.notes, *new_notes, *(written for _, written in evidence.changed_notes)]
    )
    added_aliases = _add_aliases(connection, document, actor_ids)
    history_ids = evidence_queries.insert_history_rows(
        connection,
        [
            *evidence_queries.history_rows(evidence.history),
            *_own_history(connection, document, planned, context),
        ],
    )
    written = EvidenceWritten(
        tuple(link.id for link in new_links),
        tuple(stored for stored, _ in evidence.changed_links),
        tuple(note.id for note in new_notes),
        tuple(stored for stored, _ in evidence.changed_notes),
        added_aliases,
        tuple(history_ids),
    )
    return None if written == EvidenceWritten() else written


def _add_aliases(
    connection: Connection, document: Document, actor_ids: dict[str, int]
) -> tuple[tuple[str, str], ...]:
    """Give the file's actors the aliases it names that they lack (stored ones stay)."""
    if not document.aliases:
        return ()
    stored = evidence_queries.alias_pairs(
        connection, [actor_ids[name] for name in document.aliases]
    )
    added: list[tuple[str, str]] = []
    rows: list[tuple[int, str]] = []
    for name, aliases in document.aliases.items():
        for alias in aliases:
            pair = (actor_ids[name], alias)
            if pair not in stored:
                stored.add(pair)
                rows.append(pair)
                added.append((name, alias))
    evidence_queries.add_aliases(connection, rows)
    return tuple(added)


def written_fields(draft: EventDraft) -> dict[str, object]:
    """What history keeps of an event as an import writes it: `event_fields` of the record
    it becomes (a checked draft has every field that reads)."""
    return event_fields(draft)  # type: ignore[arg-type]


def _own_history(
    connection: Connection, document: Document, planned: _Planned, context: _WriteContext
) -> list[tuple]:
    """The import's entries (as `history_rows`) for the events it creates or changes, but not
    for those whose last entry in the file already holds what is written: a file's round trip
    through an empty database adds nothing to its history."""
    last: dict[str, object] = {
        entry.entity_id: entry.snapshot
        for entry in document.history
        if entry.entity == HistoryEntity.EVENT
    }
    evidence = planned.evidence
    if evidence.new_links or evidence.changed_links or evidence.new_notes or evidence.changed_notes:
        updates = _evidence_history(document, evidence, context)
    else:
        updates = []
    previous = {record.id: record for record in planned.replaced}
    creation = CreationTexts()
    event, create = str(HistoryEntity.EVENT), str(HistoryAction.CREATE)
    author, stamp = context.author, context.stamp
    rows = []
    for item in planned.writes:
        if last and item.id in last and last[item.id] == written_fields(item.draft):
            continue
        record = previous.get(item.id) if previous else None
        if record is None:  # the common entry, a creation: its texts made directly
            rows.append((event, item.id, create, author, stamp, *creation.texts(item.draft)))
            continue
        entry = change_entry(
            HistoryEntity.EVENT,
            item.id,
            event_fields(record),
            written_fields(item.draft),
            author,
            stamp,
        )
        if entry is not None:
            updates.append(entry)
    if context.citing:  # their sources changed: an update of each, as it now reads
        now = {
            record.id: record
            for record in queries.event_records(
                connection, [record.id for record in context.citing]
            )
        }
        for record in context.citing:
            fields = event_fields(now[record.id])
            if last and last.get(record.id) == fields:
                continue
            entry = change_entry(
                HistoryEntity.EVENT, record.id, event_fields(record), fields, author, stamp
            )
            if entry is not None:
                updates.append(entry)
    return rows + evidence_queries.history_rows(updates)


def _evidence_history(
    document: Document, evidence: _EvidencePlan, context: _WriteContext
) -> list[HistoryEntry]:
    """The import's entries for the links and notes it adds or changes, but not for those
    whose last entry in the file already holds what is written."""
    last: dict[tuple[str, str], object] = {
        (str(entry.entity), entry.entity_id): entry.snapshot for entry in document.history
    }
    entries = []
    for entity, fields, pairs in (
        (
            HistoryEntity.LINK,
            link_fields,
            [
                *((None, _stamped(link, context.stamp)) for link in evidence.new_links),
                *evidence.changed_links,
            ],
        ),
        (
            HistoryEntity.NOTE,
            note_fields,
            [
                *((None, _stamped(note, context.stamp)) for note in evidence.new_notes),
                *evidence.changed_notes,
            ],
        ),
    ):
        for before, after in pairs:
            written = fields(after)  # type: ignore[operator]
            if last.get((str(entity), after.id)) == written:
                continue
            entry = change_entry(
                entity,
                after.id,
                None if before is None else fields(before),  # type: ignore[operator]
                written,
                context.author,
                context.stamp,
            )
            if entry is not None:
                entries.append(entry)
    return entries


def _stamped(record: _Stamped, stamp: str) -> _Stamped:
    """A file's link or note as written: the import's time when the file gives none."""
    return record if record.created_at else replace(record, created_at=stamp)


class CreationTexts:
    """The changes and snapshot texts of an event's creation entry, exactly as
    `history_rows` encodes `change_entry(…, None, written_fields(draft), …)`, written from
    the draft's fields (a file's repeated actor and tag lists encoded once). An import of
    100,000 events writes 100,000 of them; a test compares them with the encoder's."""

    def __init__(self) -> None:
        self._lists: dict[tuple[str, ...], str] = {}

    def _list(self, names: tuple[str, ...]) -> str:
        text = self._lists.get(names)
        if text is None:
            text = self._lists[names] = evidence_queries.encode_json(names)
        return text

    def texts(self, draft: EventDraft) -> tuple[str, str]:
        quote = _json_string
        actors = self._list(draft.actors)
        category = quote(draft.category)
        certainty = quote(str(draft.certainty))
        description = quote(draft.description)
        end = "null" if draft.end is None else quote(draft.end)
        importance = int.__repr__(draft.importance)
        location = "null" if draft.location is None else quote(draft.location)
        sources = "[" + ", ".join(map(_citation_text, draft.sources)) + "]"
        start = quote(draft.start)
        tags = self._list(draft.tags)
        title = quote(draft.title)
        return (
            f'{{"actors": [null, {actors}], "category": [null, {category}], '
            f'"certainty": [null, {certainty}], "description": [null, {description}], '
            f'"end": [null, {end}], "importance": [null, {importance}], '
            f'"location": [null, {location}], "sources": [null, {sources}], '
            f'"start": [null, {start}], "tags": [null, {tags}], "title": [null, {title}]}}',
            f'{{"actors": {actors}, "category": {category}, "certainty": {certainty}, '
            f'"description": {description}, "end": {end}, "importance": {importance}, '
            f'"location": {location}, "sources": {sources}, "start": {start}, '
            f'"tags": {tags}, "title": {title}}}',
        )


def _citation_text(ref: SourceRef) -> str:
    """One of `event_fields`' sources as JSON text, keys sorted."""
    quote = _json_string
    published = "null" if ref.published is None else quote(ref.published)
    source_id = "null" if ref.id is None else quote(ref.id)
    return (
        f'{{"credibility": {int.__repr__(ref.credibility)}, "excerpt": {quote(ref.excerpt)}, '
        f'"id": {source_id}, "kind": {quote(ref.kind)}, "language": {quote(ref.language)}, '
        f'"note": {quote(ref.note)}, "published": {published}, '
        f'"publisher": {quote(ref.publisher)}, "reliability": {quote(ref.reliability)}, '
        f'"title": {quote(ref.title)}, "url": {quote(ref.url)}}}'
    )


def _take_back_evidence(
    connection: Connection, result: ImportResult, restored_ids: list[str]
) -> _Kept:
    """Delete what the import wrote besides events, and set aside the links and notes of
    the events about to be restored (their rows are deleted and inserted again)."""
    written = result.evidence or EvidenceWritten()
    links = evidence_queries.links_of(connection, restored_ids) if restored_ids else []
    notes = evidence_queries.notes_of(connection, restored_ids) if restored_ids else []
    dropped_links = set(written.added_link_ids) | {link.id for link in written.replaced_links}
    dropped_notes = set(written.added_note_ids) | {note.id for note in written.replaced_notes}
    evidence_queries.delete_history_by_id(connection, written.history_ids)
    evidence_queries.delete_links_by_id(
        connection, sorted(dropped_links | {link.id for link in links})
    )
    evidence_queries.delete_notes_by_id(
        connection, sorted(dropped_notes | {note.id for note in notes})
    )
    evidence_queries.remove_aliases(connection, written.added_aliases)
    return _Kept(
        [link for link in links if link.id not in dropped_links],
        [note for note in notes if note.id not in dropped_notes],
    )


def _put_back_evidence(connection: Connection, result: ImportResult, kept: _Kept) -> None:
    """Insert again the links and notes set aside, and those the import had changed as they
    were, where their events are still there."""
    written = result.evidence or EvidenceWritten()
    links = [*kept.links, *written.replaced_links]
    notes = [*kept.notes, *written.replaced_notes]
    if not links and not notes:
        return
    ends = {end for link in links for end in (link.from_id, link.to_id)}
    ends.update(note.event_id for note in notes)
    present = queries.existing_event_versions(connection, sorted(ends))
    evidence_queries.insert_links(
        connection, [link for link in links if link.from_id in present and link.to_id in present]
    )
    evidence_queries.insert_notes(connection, [note for note in notes if note.event_id in present])


def with_events(document: Document, events: list[EventItem], renamed: dict[str, str]) -> Document:
    """`document` importing `events` instead of its own: the links and notes of an event
    merged into a stored one (`renamed`: the file's id → the stored id) follow it, those of
    an event left out go with it, and so does the history of both."""
    kept = {item.id for item in events}
    gone = {item.id for item in document.events} - kept
    links = []
    for item in document.links:
        link = item.link
        ends = renamed.get(link.from_id, link.from_id), renamed.get(link.to_id, link.to_id)
        if ends[0] != ends[1] and all(end in kept or end not in gone for end in ends):
            links.append(replace(item, link=replace(link, from_id=ends[0], to_id=ends[1])))
    notes = []
    for item in document.event_notes:
        event_id = renamed.get(item.note.event_id, item.note.event_id)
        if event_id in kept:
            notes.append(replace(item, note=replace(item.note, event_id=event_id)))
    history = [
        entry
        for entry in document.history
        if entry.entity != HistoryEntity.EVENT or entry.entity_id not in gone
    ]
    return replace(document, events=events, links=links, event_notes=notes, history=history)
