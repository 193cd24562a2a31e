"""The curation use-cases shared by the window and the command line.

Each public method is one transaction: it validates, writes everything or nothing, and
returns plain records so callers (and undo commands) never hold a session.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from timeline_app.domain.columns import EventColumns, EventRow
from timeline_app.domain.dates import DateSpan, parse_span, read_user_end, read_user_span
from timeline_app.domain.errors import (
    ConflictError,
    DateError,
    NotFoundError,
    ValidationError,
)
from timeline_app.domain.evidence import EventNote, HistoryEntity
from timeline_app.domain.model import (
    CategoryRecord,
    Certainty,
    EraRecord,
    EventDraft,
    EventFilter,
    EventRecord,
    SourceRef,
    citation,
    source_id_for,
)
from timeline_app.domain.palette import next_colour
from timeline_app.domain.progress import Progress, no_progress
from timeline_app.domain.rules import (
    NAME_MAX,
    TITLE_MAX,
    check_certainty,
    check_colour,
    check_importance,
    check_names,
    check_text,
    validate_event,
)
from timeline_app.services.bulk import collector_paused
from timeline_app.services.history_log import default_author, event_fields, record_changes
from timeline_app.store import catalog_queries, evidence_queries, queries
from timeline_app.store.database import Database
from timeline_app.store.queries import Connection

TITLE_KEY = "title"
"""The meta table's key of the timeline's title."""


def event_row(
    event_id: str,
    draft: EventDraft,
    span: DateSpan,
    category_id: int,
    created_at: str,
    updated_at: str | None = None,
    version: int = 1,
) -> tuple:
    """The events-table row of a validated draft, derived bounds included, in EVENT_COLUMNS
    order (a tuple: imports build 100,000 of them)."""
    end = span.end
    return (
        event_id,
        draft.title,
        draft.description,
        draft.start,
        draft.end,
        span.start.lower,
        span.start.upper,
        end.lower if end is not None else None,
        span.upper,
        span.start.precision.value,
        category_id,
        draft.importance,
        str(draft.certainty),
        draft.location,
        created_at,
        updated_at or created_at,
        version,
    )


def event_values(
    event_id: str, draft: EventDraft, span: DateSpan, category_id: int, stamp: str
) -> dict:
    """The same row as a dict by column name, for updates."""
    row = event_row(event_id, draft, span, category_id, stamp)
    return dict(zip(queries.EVENT_COLUMNS, row, strict=True))


def insert_records(
    connection: Connection,
    records: Sequence[EventRecord],
    *,
    written: Callable[[int], None] | None = None,
) -> None:
    """Insert events as they were recorded (ids, versions, stamps, links and sources): how
    undo puts back what a delete or an import removed. `written` hears rows as they go."""
    category_ids = queries.category_ids(connection)
    rows = []
    for record in records:
        span = parse_span(record.start, record.end)
        if record.category not in category_ids:
            raise ValidationError("category", f"{record.category!r} no longer exists")
        rows.append(
            event_row(
                record.id,
                record.to_draft(),
                span,
                category_ids[record.category],
                record.created_at or queries.now_text(),
                record.updated_at or None,
                record.version,
            )
        )
    queries.insert_event_rows(connection, rows, written=written)
    refs = {}
    for record in records:
        for ref in record.sources:
            fixed = replace(ref, id=source_id_for(ref))
            refs[fixed.id] = fixed
    queries.upsert_sources(connection, refs.values())
    queries.write_links(
        connection,
        {record.id: record.actors for record in records},
        {record.id: record.tags for record in records},
        {
            record.id: [citation(ref, source_id_for(ref)) for ref in record.sources]
            for record in records
        },
    )


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What a category merge did, so it can be undone exactly."""

    source: CategoryRecord
    target: str
    moved_ids: tuple[str, ...]


class Catalog:
    """Use-cases over one open database."""

    def __init__(self, database: Database, *, author: str | None = None) -> None:
        self.database = database
        self.author = author or default_author()
        """Who changes are recorded as: the OS user unless the preferences name someone."""
        self._deleted_notes: dict[str, list[EventNote]] = {}
        """Notes that went with events deleted in this session, by event: an undo of the
        deletion (`restore_events`) puts them back too."""

    @property
    def engine(self):
        return self.database.engine

    # ---- history of changes ----------------------------------------------------------------

    def _log_events(
        self,
        connection: Connection,
        before: Mapping[str, EventRecord | None],
        after: Mapping[str, EventRecord] | None = None,
    ) -> None:
        """Record, in the writer's transaction, what happened to the events of `before`
        (None: did not exist). `after` when the caller knows it, else read once now
        (an event not found is recorded as deleted)."""
        if not before:
            return
        if after is None:
            after = {
                record.id: record for record in queries.event_records(connection, list(before))
            }
        record_changes(
            connection,
            HistoryEntity.EVENT,
            {
                event_id: (
                    None if old is None else event_fields(old),
                    event_fields(after[event_id]) if event_id in after else None,
                )
                for event_id, old in before.items()
            },
            self.author,
        )

    def _log_notes(
        self,
        connection: Connection,
        changes: Mapping[str, tuple[EventNote | None, EventNote | None]],
    ) -> None:
        """Record notes going from before to after (None: absent), in the writer's
        transaction."""
        if changes:
            record_changes(
                connection,
                HistoryEntity.NOTE,
                {
                    note_id: (
                        None if before is None else note_fields(before),
                        None if after is None else note_fields(after),
                    )
                    for note_id, (before, after) in changes.items()
                },
                self.author,
            )

    def _log_categories(
        self, connection: Connection, before: Sequence[CategoryRecord]
    ) -> list[CategoryRecord]:
        """Record every category that `before` (all of them, read at the start of the
        transaction) and the categories now differ in; returns the categories now."""
        now = queries.category_records(connection)
        _log_by_id(
            connection,
            HistoryEntity.CATEGORY,
            {str(record.id): category_fields(record) for record in before},
            {str(record.id): category_fields(record) for record in now},
            self.author,
        )
        return now

    def _log_eras(self, connection: Connection, before: Sequence[EraRecord]) -> None:
        """Record every era that differs between `before` and now (eras are few)."""
        _log_by_id(
            connection,
            HistoryEntity.ERA,
            {record.id: era_fields(record) for record in before},
            {record.id: era_fields(record) for record in queries.era_records(connection)},
            self.author,
        )

    def _log_tag(
        self, connection: Connection, tag_id: int, before: str | None, after: str | None
    ) -> None:
        record_changes(
            connection,
            HistoryEntity.TAG,
            {
                str(tag_id): (
                    None if before is None else {"name": before},
                    None if after is None else {"name": after},
                )
            },
            self.author,
        )

    # ---- reading ---------------------------------------------------------------------------

    def count_events(self) -> int:
        with self.engine.connect() as connection:
            return queries.count_events(connection)

    def event(self, event_id: str) -> EventRecord:
        with self.engine.connect() as connection:
            records = queries.event_records(connection, [event_id])
        if not records:
            raise NotFoundError(f"event {event_id} does not exist")
        return records[0]

    def events(self, ids: Sequence[str] | None = None) -> list[EventRecord]:
        with collector_paused(), self.engine.connect() as connection:
            return queries.event_records(connection, ids)

    def event_rows(
        self, where: EventFilter | None = None, ids: Sequence[str] | None = None
    ) -> list[EventRow]:
        """Table rows of the (filtered) events; `ids` narrows them to those events."""
        with collector_paused(), self.engine.connect() as connection:
            return queries.event_rows(connection, where, ids)

    def event_ids(self, where: EventFilter | None = None) -> list[str]:
        with self.engine.connect() as connection:
            return queries.event_ids(connection, where)

    def event_columns(
        self,
        where: EventFilter | None = None,
        *,
        with_actors: bool = True,
        ids: Sequence[str] | None = None,
        progress: Progress | None = None,
    ) -> EventColumns:
        """Columns for drawing; actors (needed only for lanes by actor) cost a second query;
        `ids` narrows them to those events. `progress` hears (events read, all events)
        as the read goes; a `Cancelled` it raises stops it."""
        with collector_paused(), self.engine.connect() as connection:
            expected = 0
            if progress is not None and ids is None:
                expected = queries.count_events(connection)
                progress(0, expected)
            return queries.event_columns(
                connection,
                where,
                with_actors=with_actors,
                ids=ids,
                progress=progress,
                expected=expected,
            )

    def event_dates(self, ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        """The stored (start, end) date texts of these events: what the table shows for the
        rows on screen, read a block at a time instead of for every event."""
        with self.engine.connect() as connection:
            return queries.event_dates(connection, ids)

    def filtered_positions(self, columns: EventColumns, where: EventFilter | None) -> np.ndarray:
        """Sorted positions in `columns` of the events matching `where` (all when None).

        What the columns hold (category, certainty, importance, dates) is filtered in numpy;
        text, actors and tags by the store, which returns only each match's start bound and
        id, placed in the columns with numpy: no million events read again.
        """
        if where is None or where.is_empty:
            return np.arange(len(columns), dtype=np.int64)
        mask = columns.matching(where)
        linked = where.linked
        if not linked.is_empty:
            with collector_paused(), self.engine.connect() as connection:
                starts, ids = queries.event_keys(connection, linked)
            positions = columns.positions_of(starts, ids)
            mask &= columns.mask_of(positions[positions >= 0])
        return np.flatnonzero(mask).astype(np.int64, copy=False)

    def search(self, words: str) -> list[str]:
        """Ids of events whose title or description contain every word (prefixes match)."""
        return self.event_ids(EventFilter(text=words))

    def categories(self) -> list[CategoryRecord]:
        with self.engine.connect() as connection:
            return queries.category_records(connection)

    def title(self) -> str:
        """The timeline's title (a file's title adopted at import, or the user's): the default
        title of images and reports; "" when it has none."""
        with self.engine.connect() as connection:
            return catalog_queries.meta_value(connection, TITLE_KEY) or ""

    def set_title(self, title: str) -> str:
        """Store the timeline's title ("" removes it); returns it cleaned."""
        cleaned = check_text("title", title, limit=TITLE_MAX, required=False)
        with self.engine.begin() as connection:
            catalog_queries.set_meta(connection, TITLE_KEY, cleaned or None)
        return cleaned

    def category_names(self) -> list[str]:
        return [category.name for category in self.categories()]

    def actor_names(self) -> list[str]:
        with self.engine.connect() as connection:
            return catalog_queries.actor_names(connection)

    def actor_kinds(self) -> dict[str, str]:
        """Actor names (sorted) with their kind: state, organisation, company, person…"""
        with self.engine.connect() as connection:
            return catalog_queries.actor_kinds(connection)

    def tag_names(self) -> list[str]:
        with self.engine.connect() as connection:
            return catalog_queries.tag_names(connection)

    def evidence_counts(self) -> dict[str, int]:
        """How many links, notes and recorded changes the database holds."""
        with self.engine.connect() as connection:
            return evidence_queries.evidence_counts(connection)

    def eras(self) -> list[EraRecord]:
        with self.engine.connect() as connection:
            return queries.era_records(connection)

    def sources(self) -> list[SourceRef]:
        with self.engine.connect() as connection:
            return catalog_queries.source_refs(connection)

    # ---- events ----------------------------------------------------------------------------

    def _category_id(self, connection: Connection, name: str) -> int:
        found = catalog_queries.category_id(connection, name)
        if found is None:
            raise ValidationError("category", f"{name!r} is not a known category")
        return found

    def _write_event_links(self, connection: Connection, event_id: str, draft: EventDraft) -> None:
        """Links of a validated draft: `check_source` has already given every source its id."""
        refs = draft.sources
        stored = queries.source_fields(connection, [ref.id for ref in refs])  # type: ignore[misc]
        queries.upsert_sources(connection, refs, stored)
        self._log_shared_source_edits(connection, event_id, refs, stored)
        queries.write_links(
            connection,
            {event_id: draft.actors},
            {event_id: draft.tags},
            {event_id: [citation(ref) for ref in refs]},
        )

    def _log_shared_source_edits(
        self,
        connection: Connection,
        event_id: str,
        refs: Sequence[SourceRef],
        stored: dict[str, tuple],
    ) -> None:
        """A save that changes a cited source's shared fields (its grade, say) changes what
        every other event citing it shows: their versions rise, and the source's history
        records the edit."""
        changed = {
            ref.id: (stored[ref.id], queries.source_values(ref))
            for ref in refs
            if ref.id in stored and stored[ref.id] != queries.source_values(ref)
        }
        if not changed:
            return
        queries.bump_events_citing(
            connection, list(changed), queries.now_text(), except_ids=[event_id]
        )
        names = queries.SOURCE_VALUE_COLUMNS
        record_changes(
            connection,
            HistoryEntity.SOURCE,
            {
                source_id: (dict(zip(names, old, strict=True)), dict(zip(names, new, strict=True)))
                for source_id, (old, new) in changed.items()
            },
            self.author,
        )

    def add_event(self, draft: EventDraft, *, event_id: str | None = None) -> EventRecord:
        """Validate and store a new event; a given id is kept (undo, import, duplicate)."""
        cleaned, span = validate_event(draft)
        new_id = event_id or str(uuid.uuid4())
        with self.engine.begin() as connection:
            category_id = self._category_id(connection, cleaned.category)
            row = event_row(new_id, cleaned, span, category_id, queries.now_text())
            queries.insert_event_rows(connection, [row])
            self._write_event_links(connection, new_id, cleaned)
            self._log_events(connection, {new_id: None})
        return self.event(new_id)

    def update_event(self, event_id: str, draft: EventDraft, expected_version: int) -> EventRecord:
        """Save an edit made on `expected_version`; ConflictError if someone saved in between."""
        cleaned, span = validate_event(draft)
        with self.engine.begin() as connection:
            before = {record.id: record for record in queries.event_records(connection, [event_id])}
            category_id = self._category_id(connection, cleaned.category)
            values = event_values(event_id, cleaned, span, category_id, queries.now_text())
            for key in ("id", "created_at", "version"):
                values.pop(key)
            if not queries.update_event_row(connection, event_id, expected_version, values):
                found = queries.event_version(connection, event_id)
                raise ConflictError("event", event_id, expected_version, found)
            self._write_event_links(connection, event_id, cleaned)
            self._log_events(connection, before)
        return self.event(event_id)

    def delete_events(
        self, ids: Iterable[str], *, progress: Progress | None = None
    ) -> list[EventRecord]:
        """Delete events and return them as they were, so an undo can restore them.

        `progress` hears (steps done, all steps) inside the transaction, the last time just
        before the commit: a `Cancelled` it raises leaves every event in place."""
        id_list = list(dict.fromkeys(ids))
        report = progress or no_progress
        with self.engine.begin() as connection:
            report(0, 2 * len(id_list))
            records = queries.event_records(connection, id_list)
            report(len(id_list), 2 * len(id_list))
            gone_ids = [record.id for record in records]
            gone_notes = evidence_queries.notes_of(connection, gone_ids)
            queries.delete_event_rows(connection, gone_ids)  # their notes go with them
            self._log_notes(connection, {note.id: (note, None) for note in gone_notes})
            self._log_events(connection, {record.id: record for record in records}, {})
            report(2 * len(id_list), 2 * len(id_list))
        for note in gone_notes:
            self._deleted_notes.setdefault(note.event_id, []).append(note)
        return records

    def restore_events(
        self, records: Sequence[EventRecord], *, progress: Progress | None = None
    ) -> None:
        """Put deleted events back with their ids, versions and timestamps (undo of delete);
        `progress` as for `delete_events`."""
        report = progress or no_progress
        with self.engine.begin() as connection:
            report(0, len(records))
            insert_records(connection, records)
            notes = [note for record in records for note in self._deleted_notes.get(record.id, ())]
            evidence_queries.insert_notes(connection, notes)
            self._log_events(
                connection,
                dict.fromkeys(record.id for record in records),
                {record.id: record for record in records},
            )
            self._log_notes(connection, {note.id: (None, note) for note in notes})
            report(len(records), len(records))
        for record in records:
            self._deleted_notes.pop(record.id, None)

    def replace_events(self, records: Sequence[EventRecord]) -> None:
        """Overwrite events with given records whatever their version (undo of an import)."""
        with self.engine.begin() as connection:
            ids = [record.id for record in records]
            before: dict[str, EventRecord | None] = dict.fromkeys(ids)
            before.update((record.id, record) for record in queries.event_records(connection, ids))
            kept_notes = evidence_queries.notes_of(connection, ids)
            queries.delete_event_rows(connection, ids)
            insert_records(connection, records)
            evidence_queries.insert_notes(connection, kept_notes)  # unchanged: not recorded
            self._log_events(connection, before, {record.id: record for record in records})

    def duplicate_event(self, event_id: str) -> EventRecord:
        original = self.event(event_id)
        draft = replace(original.to_draft(), title=f"{original.title} (copy)"[:300])
        return self.add_event(draft)

    def set_category_of(
        self, ids: Sequence[str], category: str, *, progress: Progress | None = None
    ) -> dict[str, str]:
        """Move events to a category; returns each event's previous category (for undo).
        `progress` as for `delete_events`."""
        report = progress or no_progress
        with self.engine.begin() as connection:
            report(0, 2 * len(ids))
            target = self._category_id(connection, category)
            records = queries.event_records(connection, ids)
            previous = {record.id: record.category for record in records}
            report(len(ids), 2 * len(ids))
            catalog_queries.set_events_category(
                connection, list(previous), target, stamp=queries.now_text()
            )
            self._log_events(
                connection,
                {record.id: record for record in records},
                {record.id: replace(record, category=category) for record in records},
            )
            report(2 * len(ids), 2 * len(ids))
        return previous

    def restore_categories_of(
        self, previous: dict[str, str], *, progress: Progress | None = None
    ) -> None:
        """Put events back in their former categories (undo of a move); `progress` as for
        `delete_events`."""
        report = progress or no_progress
        total = len(previous)
        with self.engine.begin() as connection:
            ids = queries.category_ids(connection)
            report(0, total)
            records = queries.event_records(connection, list(previous))
            for done, (event_id, name) in enumerate(previous.items(), start=1):
                catalog_queries.set_event_category(connection, event_id, ids[name])
                if done % 1000 == 0 or done == total:
                    report(done, total)
            self._log_events(
                connection,
                {record.id: record for record in records},
                {record.id: replace(record, category=previous[record.id]) for record in records},
            )

    # ---- categories ------------------------------------------------------------------------

    def _category(self, connection: Connection, name: str) -> CategoryRecord:
        for record in queries.category_records(connection):
            if record.name == name:
                return record
        raise NotFoundError(f"category {name!r} does not exist")

    def add_category(
        self,
        name: str,
        colour: str | None = None,
        *,
        parent: str | None = None,
        description: str = "",
        sort_order: int | None = None,
    ) -> CategoryRecord:
        clean_name = check_text("name", name, limit=NAME_MAX)
        with self.engine.begin() as connection:
            existing = queries.category_records(connection)
            if any(record.name == clean_name for record in existing):
                raise ValidationError("name", f"a category named {clean_name!r} already exists")
            chosen = (
                check_colour("colour", colour)
                if colour
                else next_colour([record.colour for record in existing])
            )
            parent_id = self._category(connection, parent).id if parent else None
            order = sort_order if sort_order is not None else len(existing)
            catalog_queries.insert_category(
                connection,
                name=clean_name,
                colour=chosen,
                parent_id=parent_id,
                sort_order=order,
                description=description,
            )
            now = self._log_categories(connection, existing)
        return next(record for record in now if record.name == clean_name)

    def update_category(
        self,
        name: str,
        *,
        new_name: str | None = None,
        colour: str | None = None,
        parent: str | bool | None = False,
        description: str | None = None,
    ) -> CategoryRecord:
        """Rename, recolour, re-parent (None = top level; False = unchanged) a category."""
        with self.engine.begin() as connection:
            before = queries.category_records(connection)
            record = self._category(connection, name)
            values: dict = {}
            if new_name is not None and new_name != name:
                clean = check_text("name", new_name, limit=NAME_MAX)
                if any(r.name == clean for r in queries.category_records(connection)):
                    raise ValidationError("name", f"a category named {clean!r} already exists")
                values["name"] = clean
            if colour is not None:
                values["colour"] = check_colour("colour", colour)
            if parent is not False:
                if parent == name or (new_name and parent == new_name):
                    raise ValidationError("parent", "a category cannot be its own parent")
                values["parent_id"] = (
                    self._category(connection, parent).id if isinstance(parent, str) else None
                )
            if description is not None:
                values["description"] = description
            if not values:
                return record
            catalog_queries.update_category_row(connection, record.id, values)
            now = self._log_categories(connection, before)
        return next(found for found in now if found.id == record.id)

    def reorder_categories(self, ordered_names: Sequence[str]) -> list[str]:
        """Set the lane order; returns the previous order (for undo)."""
        with self.engine.begin() as connection:
            records = queries.category_records(connection)
            before = [record.name for record in records]
            ids = queries.category_ids(connection)
            unknown = [name for name in ordered_names if name not in ids]
            if unknown:
                raise ValidationError("category", f"{unknown[0]!r} is not a known category")
            rest = [name for name in before if name not in ordered_names]
            for position, name in enumerate([*ordered_names, *rest]):
                catalog_queries.update_category_row(connection, ids[name], {"sort_order": position})
            self._log_categories(connection, records)
        return before

    def merge_categories(self, source: str, target: str) -> MergeResult:
        """Move every event of `source` into `target` and remove `source`."""
        if source == target:
            raise ValidationError("category", "cannot merge a category into itself")
        with self.engine.begin() as connection:
            before = queries.category_records(connection)
            source_record = self._category(connection, source)
            target_record = self._category(connection, target)
            moved = catalog_queries.event_ids_in_category(connection, source_record.id)
            records = queries.event_records(connection, moved)
            catalog_queries.move_category_events(connection, source_record.id, target_record.id)
            catalog_queries.reparent_categories(connection, source_record.id, target_record.id)
            catalog_queries.delete_category_row(connection, source_record.id)
            self._log_categories(connection, before)
            self._log_events(
                connection,
                {record.id: record for record in records},
                {record.id: replace(record, category=target) for record in records},
            )
        return MergeResult(source_record, target, moved)

    def unmerge_categories(self, result: MergeResult) -> None:
        """Undo a merge: recreate the source category and move its events back."""
        record = result.source
        with self.engine.begin() as connection:
            before = queries.category_records(connection)
            records = queries.event_records(connection, result.moved_ids)
            parent_id = None
            if record.parent:
                parent_id = queries.category_ids(connection).get(record.parent)
            catalog_queries.insert_category(
                connection,
                id=record.id,
                name=record.name,
                colour=record.colour,
                parent_id=parent_id,
                sort_order=record.sort_order,
                description=record.description,
            )
            catalog_queries.set_events_category(connection, result.moved_ids, record.id)
            self._log_categories(connection, before)
            self._log_events(
                connection,
                {moved.id: moved for moved in records},
                {moved.id: replace(moved, category=record.name) for moved in records},
            )

    def delete_category(self, name: str, *, move_to: str | None = None) -> MergeResult:
        """Delete a category; its events (if any) must be given somewhere to go."""
        with self.engine.connect() as connection:
            record = self._category(connection, name)
        if record.event_count and move_to is None:
            raise ValidationError(
                "category", f"{name!r} still has {record.event_count} events; choose where they go"
            )
        if move_to is not None:
            return self.merge_categories(name, move_to)
        with self.engine.begin() as connection:
            before = queries.category_records(connection)
            catalog_queries.reparent_categories(connection, record.id, None)
            catalog_queries.delete_category_row(connection, record.id)
            self._log_categories(connection, before)
        return MergeResult(record, "", ())

    # ---- actors, tags, eras ----------------------------------------------------------------

    def add_actor(self, name: str, kind: str = "") -> None:
        clean = check_text("name", name, limit=NAME_MAX)
        with self.engine.begin() as connection:
            if catalog_queries.actor_exists(connection, clean):
                raise ValidationError("name", f"an actor named {clean!r} already exists")
            catalog_queries.insert_actor(connection, clean, kind)
            actor_id = catalog_queries.ensure_actors(connection, [clean])[clean]
            record_changes(
                connection,
                HistoryEntity.ACTOR,
                {str(actor_id): (None, {"name": clean, "kind": kind})},
                self.author,
            )

    def add_era(
        self,
        name: str,
        start: str,
        end: str | None,
        colour: str,
        group: str = "",
        *,
        era_id: str | None = None,
    ) -> EraRecord:
        clean = check_text("name", name, limit=NAME_MAX)
        span = parse_span(start, end)
        colour_ok = check_colour("colour", colour)
        new_id = era_id or str(uuid.uuid4())
        with self.engine.begin() as connection:
            before = queries.era_records(connection)
            catalog_queries.insert_eras(
                connection,
                [
                    {
                        "id": new_id,
                        "name": clean,
                        "start": span.start.text,
                        "end": span.end.text if span.end else None,
                        "lower": span.lower,
                        "upper": span.upper,
                        "colour": colour_ok,
                        "group_name": group,
                    }
                ],
            )
            self._log_eras(connection, before)
        return next(era for era in self.eras() if era.id == new_id)

    def delete_era(self, era_id: str) -> EraRecord:
        era = next((era for era in self.eras() if era.id == era_id), None)
        if era is None:
            raise NotFoundError(f"era {era_id} does not exist")
        with self.engine.begin() as connection:
            before = queries.era_records(connection)
            catalog_queries.delete_eras(connection, [era_id])
            self._log_eras(connection, before)
        return era

    # ---- bulk edit of several events -------------------------------------------------------

    def edit_events(
        self,
        change: EventsChange,
        seen: Sequence[EventRecord],
        *,
        progress: Progress | None = None,
    ) -> EventsEdit:
        """Apply one change to several events in one transaction, as the user saw them.

        An event changed elsewhere since `seen` (its version moved and its content differs)
        or deleted raises ConflictError and nothing is written. `progress` as for
        `delete_events`. Returns the events before and after, for an exact undo."""
        clean = change.checked()
        if clean.category is not None:
            with self.engine.connect() as connection:
                self._category_id(connection, clean.category)
        return self._rewrite(seen, lambda record: clean.applied_to(record), True, progress)

    def rewrite_events(
        self,
        expected: Sequence[EventRecord],
        wanted: Sequence[EventRecord],
        *,
        progress: Progress | None = None,
    ) -> EventsEdit:
        """Give events still as `expected` left them the category, certainty, importance,
        tags, actors and updated_at of `wanted` (undo and redo of `edit_events`);
        ConflictError, nothing written, for one changed elsewhere since."""
        by_id = {record.id: record for record in wanted}
        return self._rewrite(expected, lambda record: by_id.get(record.id, record), False, progress)

    def set_importance_of(
        self, ids: Sequence[str], importance: int, *, progress: Progress | None = None
    ) -> EventsEdit:
        return self.edit_events(
            EventsChange(importance=importance), self.events(ids), progress=progress
        )

    def set_certainty_of(
        self, ids: Sequence[str], certainty: Certainty | str, *, progress: Progress | None = None
    ) -> EventsEdit:
        return self.edit_events(
            EventsChange(certainty=certainty), self.events(ids), progress=progress
        )

    def add_tag_to(
        self, ids: Sequence[str], tag: str, *, progress: Progress | None = None
    ) -> EventsEdit:
        return self.edit_events(EventsChange(add_tags=(tag,)), self.events(ids), progress=progress)

    def remove_tag_from(
        self, ids: Sequence[str], tag: str, *, progress: Progress | None = None
    ) -> EventsEdit:
        return self.edit_events(
            EventsChange(remove_tags=(tag,)), self.events(ids), progress=progress
        )

    def add_actor_to(
        self, ids: Sequence[str], actor: str, *, progress: Progress | None = None
    ) -> EventsEdit:
        return self.edit_events(
            EventsChange(add_actors=(actor,)), self.events(ids), progress=progress
        )

    def remove_actor_from(
        self, ids: Sequence[str], actor: str, *, progress: Progress | None = None
    ) -> EventsEdit:
        return self.edit_events(
            EventsChange(remove_actors=(actor,)), self.events(ids), progress=progress
        )

    def _rewrite(
        self,
        expected: Sequence[EventRecord],
        target: Callable[[EventRecord], EventRecord],
        stamped: bool,
        progress: Progress | None,
    ) -> EventsEdit:
        """Check every event is as `expected` (same version, or same content: a version raised
        by an undone command is no conflict), then write `target(stored)` where it differs."""
        report = progress or no_progress
        ids = list(dict.fromkeys(record.id for record in expected))
        total = 2 * len(ids)
        with self.engine.begin() as connection:
            report(0, total)
            stored = {record.id: record for record in queries.event_records(connection, ids)}
            for record in expected:
                found = stored.get(record.id)
                if found is None:
                    raise ConflictError("event", record.id, record.version, None)
                if found.version != record.version and found.to_draft() != record.to_draft():
                    raise ConflictError("event", record.id, record.version, found.version)
            report(len(ids), total)
            stamp = queries.now_text()
            category_ids = queries.category_ids(connection)
            groups: dict[tuple, list[str]] = {}
            tags_of: dict[str, tuple[str, ...]] = {}
            actors_of: dict[str, tuple[str, ...]] = {}
            for event_id in ids:
                before = stored[event_id]
                after = target(before)
                fields = (after.category, after.importance, str(after.certainty))
                if fields != (before.category, before.importance, str(before.certainty)) or (
                    after.tags != before.tags or after.actors != before.actors
                ):
                    if after.category not in category_ids:
                        raise ValidationError("category", f"{after.category!r} no longer exists")
                    updated = stamp if stamped else after.updated_at or stamp
                    groups.setdefault((before.version, *fields, updated), []).append(event_id)
                if after.tags != before.tags:
                    tags_of[event_id] = after.tags
                if after.actors != before.actors:
                    actors_of[event_id] = after.actors
            written = len(ids)
            for (version, category, importance, certainty, updated), group in groups.items():
                values = {
                    "category_id": category_ids[category],
                    "importance": importance,
                    "certainty": certainty,
                    "updated_at": updated,
                }
                if queries.update_events_at_version(connection, group, version, values) != len(
                    group
                ):
                    found = queries.event_version(connection, group[0])
                    raise ConflictError("event", group[0], version, found)
                written += len(group)
                report(min(written, total - 1), total)
            queries.replace_name_links(connection, "tags", tags_of)
            queries.replace_name_links(connection, "actors", actors_of)
            after_records = queries.event_records(connection, ids)
            self._log_events(connection, stored, {record.id: record for record in after_records})
            report(total, total)
        return EventsEdit(tuple(stored[event_id] for event_id in ids), tuple(after_records))

    # ---- tags: counts, rename, merge, delete -----------------------------------------------

    def tag_uses(self) -> list[TagUse]:
        """Every tag with how many events cite it, in alphabetical order whatever the case."""
        with self.engine.connect() as connection:
            uses = catalog_queries.tag_uses(connection)
        return sorted(
            (TagUse(name, count) for name, count in uses),
            key=lambda tag: (tag.name.casefold(), tag.name),
        )

    @staticmethod
    def _records_by_id(connection: Connection, ids: Sequence[str]) -> dict[str, EventRecord | None]:
        return {record.id: record for record in queries.event_records(connection, ids)}

    def _tag_id(self, connection: Connection, name: str) -> int:
        found = catalog_queries.tag_id(connection, name)
        if found is None:
            raise NotFoundError(f"tag {name!r} does not exist")
        return found

    def rename_tag(self, name: str, new_name: str) -> tuple[str, ...]:
        """Rename a tag; refused when another tag has the new name (merge them instead).
        Returns the ids of the events citing it."""
        clean = check_text("name", new_name, limit=NAME_MAX)
        with self.engine.begin() as connection:
            tag = self._tag_id(connection, name)
            if clean != name:
                if catalog_queries.tag_id(connection, clean) is not None:
                    raise ValidationError(
                        "name", f"a tag named {clean!r} already exists; merge the two instead"
                    )
                catalog_queries.rename_tag_row(connection, tag, clean)
                self._log_tag(connection, tag, name, clean)
            return tuple(event_id for event_id, _ in catalog_queries.tag_links(connection, tag))

    def merge_tags(self, source: str, target: str) -> TagMergeResult:
        """Let every event citing `source` cite `target` instead (an event citing both keeps
        one) and remove `source`."""
        if source == target:
            raise ValidationError("tag", "cannot merge a tag into itself")
        with self.engine.begin() as connection:
            source_id = self._tag_id(connection, source)
            target_id = self._tag_id(connection, target)
            links = catalog_queries.tag_links(connection, source_id)
            before = self._records_by_id(connection, [event_id for event_id, _ in links])
            citing_target = {
                event_id for event_id, _ in catalog_queries.tag_links(connection, target_id)
            }
            both = tuple(event_id for event_id, _ in links if event_id in citing_target)
            only = [event_id for event_id, _ in links if event_id not in citing_target]
            catalog_queries.delete_tag_links(connection, source_id, both)
            catalog_queries.repoint_tag_links(connection, source_id, target_id, only)
            catalog_queries.delete_tag_row(connection, source_id)
            ids = [event_id for event_id, _ in links]
            catalog_queries.bump_event_versions(connection, ids, stamp=queries.now_text())
            self._log_tag(connection, source_id, source, None)
            self._log_events(connection, before)
        return TagMergeResult(source, source_id, target, tuple(links), both)

    def unmerge_tags(self, result: TagMergeResult) -> None:
        """Undo a merge: the source tag comes back with its id, cited by exactly the events
        that cited it, at their former positions."""
        with self.engine.begin() as connection:
            target_id = self._tag_id(connection, result.target)
            before = self._records_by_id(connection, result.event_ids)
            catalog_queries.insert_tag(connection, result.source_id, result.source)
            both = set(result.already_target)
            moved = [event_id for event_id, _ in result.links if event_id not in both]
            catalog_queries.repoint_tag_links(connection, target_id, result.source_id, moved)
            catalog_queries.insert_tag_links(
                connection,
                result.source_id,
                [link for link in result.links if link[0] in both],
            )
            catalog_queries.bump_event_versions(connection, result.event_ids)
            self._log_tag(connection, result.source_id, None, result.source)
            self._log_events(connection, before)

    def delete_tag(self, name: str) -> TagMergeResult:
        """Remove a tag, and with it from every event citing it (undone by `undelete_tag`)."""
        with self.engine.begin() as connection:
            tag = self._tag_id(connection, name)
            links = catalog_queries.tag_links(connection, tag)
            ids = [event_id for event_id, _ in links]
            before = self._records_by_id(connection, ids)
            catalog_queries.delete_tag_links(connection, tag, ids)
            catalog_queries.delete_tag_row(connection, tag)
            catalog_queries.bump_event_versions(connection, ids, stamp=queries.now_text())
            self._log_tag(connection, tag, name, None)
            self._log_events(connection, before)
        return TagMergeResult(name, tag, "", tuple(links), ())

    def undelete_tag(self, result: TagMergeResult) -> None:
        """Put a deleted tag back on exactly the events that cited it."""
        with self.engine.begin() as connection:
            before = self._records_by_id(connection, result.event_ids)
            catalog_queries.insert_tag(connection, result.source_id, result.source)
            catalog_queries.insert_tag_links(connection, result.source_id, result.links)
            catalog_queries.bump_event_versions(connection, result.event_ids)
            self._log_tag(connection, result.source_id, None, result.source)
            self._log_events(connection, before)

    # ---- eras: reading one, editing --------------------------------------------------------

    def era(self, era_id: str) -> EraRecord:
        found = next((era for era in self.eras() if era.id == era_id), None)
        if found is None:
            raise NotFoundError(f"era {era_id} does not exist")
        return found

    def update_era(
        self,
        era_id: str,
        *,
        name: str | None = None,
        start: str | None = None,
        end: str | None = None,
        colour: str | None = None,
        group: str | None = None,
    ) -> EraRecord:
        """Change an era's fields (None: unchanged). `start` and `end` are read as people type
        them (`read_era_dates`); a given start with no end makes the era end when it does."""
        values: dict = {}
        if name is not None:
            values["name"] = check_text("name", name, limit=NAME_MAX)
        if start is not None:
            first, last = read_era_dates(start, end or "")
            span = parse_span(first, last)
            values.update(
                start=span.start.text,
                end=last,
                lower=span.lower,
                upper=span.upper,
            )
        if colour is not None:
            values["colour"] = check_colour("colour", colour)
        if group is not None:
            values["group_name"] = check_text("group", group, limit=GROUP_MAX, required=False)
        if values:
            with self.engine.begin() as connection:
                before = queries.era_records(connection)
                if not catalog_queries.update_era_row(connection, era_id, values):
                    raise NotFoundError(f"era {era_id} does not exist")
                self._log_eras(connection, before)
        return self.era(era_id)

    def restore_era(self, record: EraRecord) -> EraRecord:
        """Write an era back exactly as recorded (undo and redo of an edit)."""
        span = parse_span(record.start, record.end)
        values = {
            "name": record.name,
            "start": record.start,
            "end": record.end,
            "lower": span.lower,
            "upper": span.upper,
            "colour": record.colour,
            "group_name": record.group,
        }
        with self.engine.begin() as connection:
            before = queries.era_records(connection)
            if not catalog_queries.update_era_row(connection, record.id, values):
                raise NotFoundError(f"era {record.id} does not exist")
            self._log_eras(connection, before)
        return self.era(record.id)


@dataclass(frozen=True, slots=True)
class EventsChange:
    """What one edit of several events sets: None (or nothing to add/remove) leaves a field."""

    category: str | None = None
    certainty: Certainty | str | None = None
    importance: int | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    add_actors: tuple[str, ...] = ()
    remove_actors: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self == EventsChange()

    def checked(self) -> EventsChange:
        """The change with its values validated and names cleaned; ValidationError if a name
        is both added and removed."""
        cleaned = EventsChange(
            category=self.category,
            certainty=None if self.certainty is None else check_certainty(self.certainty),
            importance=None if self.importance is None else check_importance(self.importance),
            add_tags=check_names("tags", self.add_tags),
            remove_tags=check_names("tags", self.remove_tags),
            add_actors=check_names("actors", self.add_actors),
            remove_actors=check_names("actors", self.remove_actors),
        )
        for field, added, removed in (
            ("tags", cleaned.add_tags, cleaned.remove_tags),
            ("actors", cleaned.add_actors, cleaned.remove_actors),
        ):
            both = [name for name in added if name in removed]
            if both:
                raise ValidationError(field, f"{both[0]!r} is both added and removed")
        return cleaned

    def applied_to(self, record: EventRecord) -> EventRecord:
        """The event as this change leaves it (links appended at the end, in order)."""
        return replace(
            record,
            category=record.category if self.category is None else self.category,
            certainty=record.certainty if self.certainty is None else Certainty(self.certainty),
            importance=record.importance if self.importance is None else self.importance,
            tags=_edited_names(record.tags, self.add_tags, self.remove_tags),
            actors=_edited_names(record.actors, self.add_actors, self.remove_actors),
        )


def _edited_names(
    names: tuple[str, ...], added: tuple[str, ...], removed: tuple[str, ...]
) -> tuple[str, ...]:
    kept = [name for name in names if name not in removed]
    return tuple(dict.fromkeys([*kept, *added]))


@dataclass(frozen=True, slots=True)
class EventsEdit:
    """Several events before and after one edit, in the same order: what undo puts back."""

    before: tuple[EventRecord, ...]
    after: tuple[EventRecord, ...]

    @property
    def ids(self) -> list[str]:
        return [record.id for record in self.before]


GROUP_MAX = 60
"""Longest era group name the database holds."""


def note_fields(note: EventNote) -> dict[str, object]:
    """A note's fields as history compares them."""
    return {
        "event_id": note.event_id,
        "author": note.author,
        "created_at": note.created_at,
        "text": note.text,
    }


def category_fields(record: CategoryRecord) -> dict[str, object]:
    """The fields of a category a user edits, as history compares them."""
    return {
        "name": record.name,
        "colour": record.colour,
        "parent": record.parent,
        "description": record.description,
        "sort_order": record.sort_order,
    }


def era_fields(record: EraRecord) -> dict[str, object]:
    """The fields of an era a user edits, as history compares them."""
    return {
        "name": record.name,
        "start": record.start,
        "end": record.end,
        "colour": record.colour,
        "group": record.group,
    }


def _log_by_id(
    connection: Connection,
    entity: HistoryEntity,
    before: Mapping[str, Mapping[str, object]],
    after: Mapping[str, Mapping[str, object]],
    author: str,
) -> None:
    """Record each record id found before or after (or both) whose fields differ."""
    record_changes(
        connection,
        entity,
        {
            record_id: (before.get(record_id), after.get(record_id))
            for record_id in dict.fromkeys([*before, *after])
            if before.get(record_id) != after.get(record_id)
        },
        author,
    )


def read_era_dates(start: str, end: str = "") -> tuple[str, str | None]:
    """An era's (start, end) EDTF texts from what is typed, as the event editor reads them:
    `start` may hold a whole span ("2000 – 2008", "2015-09-30/2024-12-08"), or `end` its own
    date ("ongoing" and "?" too). Raises DateError naming "start" or "end"."""
    first, end_from_start = read_user_span(start)
    if end.strip():
        if end_from_start is not None:
            raise DateError("end", "the start already gives a span; leave the end empty")
        last: str | None = read_user_end(end)
    else:
        last = end_from_start
    parse_span(first, last)
    return first, last


@dataclass(frozen=True, slots=True)
class TagUse:
    """A tag and how many events cite it (what the tags manager lists)."""

    name: str
    event_count: int


@dataclass(frozen=True, slots=True)
class TagMergeResult:
    """What a tag merge or delete did, so it can be undone exactly: which events cited the
    source tag (and at which position), and which of them already cited the target."""

    source: str
    source_id: int
    target: str
    links: tuple[tuple[str, int], ...]
    already_target: tuple[str, ...]

    @property
    def event_ids(self) -> list[str]:
        return [event_id for event_id, _ in self.links]
