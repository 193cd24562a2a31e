"""An event's recorded changes, and putting an earlier state back.

Restoring goes through the catalog's ordinary writes (`update_event`, `add_event`,
`delete_events`, `rewrite_events`), so a restore is itself recorded, versioned and refused
when someone changed the event since it was shown. Walking back the history after the
window was reopened (`walk_back_step`) undoes one recorded write at a time: one entry, or
the entries one bulk edit left together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from timeline_app.domain.errors import NotFoundError, TimelineError
from timeline_app.domain.evidence import EventNote, HistoryAction, HistoryEntity, HistoryEntry
from timeline_app.domain.model import Certainty, EraRecord, EventDraft, EventRecord, SourceRef
from timeline_app.services import notes
from timeline_app.services.catalog import Catalog, era_fields, note_fields
from timeline_app.services.history_log import event_fields
from timeline_app.store import evidence_queries, history_queries

Fields = Mapping[str, object]

BULK_FIELDS = frozenset({"category", "certainty", "importance", "tags", "actors"})
"""What `rewrite_events` writes: events differing only in these are put back in one go."""

DISTINCT_CHECKED = 5_000
"""Runs shorter than this are read (numbers and ids only) to split them where one record
comes twice; longer ones are imports or bulk edits, one record each."""

WALKABLE = frozenset({HistoryEntity.EVENT, HistoryEntity.NOTE, HistoryEntity.ERA})
"""The kinds of record whose changes Undo can take back from the history."""


def event_history(catalog: Catalog, event_id: str) -> list[HistoryEntry]:
    """An event's changes, newest first."""
    with catalog.engine.connect() as connection:
        entries = evidence_queries.history_of(connection, HistoryEntity.EVENT, event_id)
    return entries[::-1]


def history_entry(catalog: Catalog, entry_id: int) -> HistoryEntry:
    with catalog.engine.connect() as connection:
        entry = history_queries.history_entry(connection, entry_id)
    if entry is None:
        raise NotFoundError(f"change {entry_id} is not in the history")
    return entry


def before_fields(entry: HistoryEntry) -> dict[str, object] | None:
    """The record as it stood before this change (None: it did not exist)."""
    if entry.action is HistoryAction.CREATE:
        return None
    snapshot = dict(entry.snapshot or {})
    if entry.action is HistoryAction.DELETE:
        return snapshot
    snapshot.update((name, old) for name, (old, _new) in entry.changes.items())
    return snapshot


def after_fields(entry: HistoryEntry) -> dict[str, object] | None:
    """The record as this change left it (None: deleted)."""
    if entry.action is HistoryAction.DELETE:
        return None
    return dict(entry.snapshot or {})


def version_fields(entry: HistoryEntry) -> dict[str, object]:
    """The version of the record an entry shows: as the change left it, or, for a
    deletion, as it stood just before (what "Restore this version" brings back)."""
    return dict(entry.snapshot or {})


def draft_of(fields: Fields) -> EventDraft:
    """An event draft from recorded fields (`history_log.event_fields`)."""
    return EventDraft(
        title=str(fields.get("title", "")),
        start=str(fields.get("start", "")),
        end=fields.get("end"),  # type: ignore[arg-type]
        category=str(fields.get("category", "")),
        importance=int(fields.get("importance", 3)),  # type: ignore[call-overload]
        certainty=str(fields.get("certainty", Certainty.CONFIRMED)),
        description=str(fields.get("description", "")),
        location=fields.get("location"),  # type: ignore[arg-type]
        actors=tuple(fields.get("actors", ())),  # type: ignore[arg-type]
        tags=tuple(fields.get("tags", ())),  # type: ignore[arg-type]
        sources=tuple(
            SourceRef(**source)  # type: ignore[arg-type]
            for source in fields.get("sources", ())  # type: ignore[union-attr]
        ),
    )


def record_of(event_id: str, fields: Fields) -> EventRecord:
    """A whole record from recorded fields, to put a deleted event back with its id."""
    draft = draft_of(fields)
    return EventRecord(
        id=event_id,
        title=draft.title,
        start=draft.start,
        end=draft.end,
        category=draft.category,
        importance=draft.importance,
        certainty=Certainty(draft.certainty),
        description=draft.description,
        location=draft.location,
        actors=draft.actors,
        tags=draft.tags,
        sources=draft.sources,
        lower=0,
        upper=0,
        precision="",
        version=1,
    )


def restore_version(
    catalog: Catalog, entry: HistoryEntry, expected_version: int | None
) -> EventRecord:
    """Make an event what `entry` recorded, through the ordinary edit: `expected_version`
    is the version the user saw (ConflictError if it moved on); None when the event is
    deleted, which recreates it with its id."""
    if entry.entity is not HistoryEntity.EVENT:
        raise TimelineError(f"only an event's versions can be restored, not a {entry.entity}'s")
    draft = draft_of(version_fields(entry))
    if expected_version is None:
        return catalog.add_event(draft, event_id=entry.entity_id)
    return catalog.update_event(entry.entity_id, draft, expected_version)


# ---- walking back ----------------------------------------------------------------------------


class StaleHistoryError(TimelineError):
    """A record is no longer as a recorded change left it (someone changed it since), so
    the change cannot be taken back without overwriting theirs."""


@dataclass(frozen=True, slots=True)
class HistoryStep:
    """One recorded write to take back: the run of entries numbered `first_id` to
    `last_id` that one write (or one bulk edit) left, all alike in kind, action, author and
    second; `last` is the newest. The entries themselves are read when the step is taken."""

    first_id: int
    last_id: int
    last: HistoryEntry

    @property
    def count(self) -> int:
        return self.last_id - self.first_id + 1

    @property
    def entity(self) -> HistoryEntity:
        return self.last.entity

    @property
    def walkable(self) -> bool:
        return self.entity in WALKABLE

    def describe(self) -> str:
        """What the step undoes, in words: "edit of event “Bushehr contract”"."""
        entry = self.last
        verb = {"create": "adding", "update": "edit", "delete": "deletion"}[entry.action]
        noun = str(entry.entity)
        if self.count > 1:
            return f"{verb} of {self.count:,} {noun}s"
        fields = entry.snapshot or {}
        name = str(
            fields.get("title") or fields.get("name") or fields.get("text") or entry.entity_id
        )
        quoted = f"“{name if len(name) <= 40 else name[:39] + '…'}”"
        return f"{verb} of {noun} {quoted}"


def walk_back_step(catalog: Catalog, up_to: int | None) -> HistoryStep | None:
    """The most recent recorded write numbered `up_to` or lower (the most recent of all
    when None), with the entries the same write left just before it; None: nothing.

    A million-event import leaves a million entries: the run is found by looking up
    single entries by number (a few dozen reads), never by reading it all."""
    with catalog.engine.connect() as connection:
        last = history_queries.last_entry_up_to(connection, up_to)
        if last is None or last.id is None:
            return None
        key = (last.entity, last.action, last.author, last.at)

        def alike(entry_id: int) -> bool:
            return entry_id > 0 and history_queries.entry_key(connection, entry_id) == key

        reach = 1  # the run reaches back at least `reach - 1`; widen, then bisect
        while alike(last.id - reach):
            reach *= 2
        low, high = reach // 2, reach  # alike at last.id - low (or low == 0), not at - high
        while high - low > 1:
            middle = (low + high) // 2
            if alike(last.id - middle):
                low = middle
            else:
                high = middle
        first_id = last.id - low
        if low < DISTINCT_CHECKED:
            # Two saves of one record in the same second are two steps, not one.
            seen: set[str] = set()
            for entry_id, entity_id in history_queries.entity_ids_between(
                connection, first_id, last.id
            ):
                if entity_id in seen:
                    break
                seen.add(entity_id)
                first_id = entry_id
    return HistoryStep(first_id, last.id, last)


def step_entries(catalog: Catalog, step: HistoryStep) -> list[HistoryEntry]:
    """The entries of a step, newest first."""
    with catalog.engine.connect() as connection:
        return history_queries.entries_between(connection, step.first_id, step.last_id)


def last_entry_id(catalog: Catalog) -> int | None:
    with catalog.engine.connect() as connection:
        return history_queries.last_entry_id(connection)


def set_event_states(
    catalog: Catalog,
    expected: Mapping[str, Fields | None],
    wanted: Mapping[str, Fields | None],
) -> list[str]:
    """Bring events from `expected` (None: absent) to `wanted` (None: deleted) through the
    catalog's writes; ConflictError, nothing written, when one is not as expected.
    Returns the ids touched."""
    ids = list(expected)
    stored = {record.id: record for record in catalog.events(ids)}
    for event_id in ids:
        found = stored.get(event_id)
        now = None if found is None else event_fields(found)
        if not _same(now, expected[event_id]):
            name = f"“{found.title}”" if found is not None else event_id
            state = "was deleted" if found is None else "was changed"
            if found is not None and expected[event_id] is None:
                state = "exists again"
            raise StaleHistoryError(f"event {name} {state} since; it is left as it is")
    deleting = [event_id for event_id in ids if wanted[event_id] is None and event_id in stored]
    creating = [
        record_of(event_id, fields)
        for event_id in ids
        if (fields := wanted[event_id]) is not None and event_id not in stored
    ]
    updating = [event_id for event_id in ids if wanted[event_id] is not None and event_id in stored]
    if deleting:
        catalog.delete_events(deleting)
    if creating:
        catalog.restore_events(creating)
    bulk = [
        event_id
        for event_id in updating
        if _differing(event_fields(stored[event_id]), wanted[event_id]) <= BULK_FIELDS  # type: ignore[arg-type]
    ]
    if len(bulk) > 1:
        wanted_records = [
            _with_bulk_fields(stored[event_id], wanted[event_id])  # type: ignore[arg-type]
            for event_id in bulk
        ]
        catalog.rewrite_events([stored[event_id] for event_id in bulk], wanted_records)
    else:
        bulk = []
    for event_id in updating:
        if event_id not in bulk:
            catalog.update_event(
                event_id,
                draft_of(wanted[event_id]),  # type: ignore[arg-type]
                stored[event_id].version,
            )
    return ids


def _same(now: Fields | None, expected: Fields | None) -> bool:
    if now is None or expected is None:
        return now is expected
    return not _differing(now, expected)


def _differing(now: Fields, wanted: Fields) -> set[str]:
    return {name for name in wanted if now.get(name) != wanted[name]}


def _with_bulk_fields(record: EventRecord, fields: Fields) -> EventRecord:
    return replace(
        record,
        category=str(fields["category"]),
        certainty=Certainty(str(fields["certainty"])),
        importance=int(fields["importance"]),  # type: ignore[call-overload]
        tags=tuple(fields["tags"]),  # type: ignore[arg-type]
        actors=tuple(fields["actors"]),  # type: ignore[arg-type]
    )


def set_note_states(
    catalog: Catalog,
    expected: Mapping[str, Fields | None],
    wanted: Mapping[str, Fields | None],
) -> list[str]:
    """As `set_event_states`, for notes; returns the ids of the events they belong to."""
    touched: list[str] = []
    for note_id, fields in wanted.items():
        with catalog.engine.connect() as connection:
            found = history_queries.note(connection, note_id)
        now = None if found is None else note_fields(found)
        if not _same(now, expected[note_id]):
            raise StaleHistoryError(f"note {note_id} was changed since; it is left as it is")
        if fields is None:
            assert found is not None
            notes.delete_note(catalog, note_id)
            touched.append(found.event_id)
        elif found is None:
            note = EventNote(
                id=note_id,
                event_id=str(fields["event_id"]),
                author=str(fields["author"]),
                created_at=str(fields["created_at"]),
                text=str(fields["text"]),
            )
            notes.restore_note(catalog, note)
            touched.append(note.event_id)
        else:
            notes.edit_note(catalog, note_id, str(fields["text"]))
            touched.append(found.event_id)
    return touched


def set_era_states(
    catalog: Catalog,
    expected: Mapping[str, Fields | None],
    wanted: Mapping[str, Fields | None],
) -> list[str]:
    """As `set_event_states`, for eras; touches no event, so returns []."""
    stored = {era.id: era for era in catalog.eras()}
    for era_id in expected:
        found = stored.get(era_id)
        if not _same(None if found is None else era_fields(found), expected[era_id]):
            name = f"“{found.name}”" if found is not None else era_id
            raise StaleHistoryError(f"era {name} was changed since; it is left as it is")
    for era_id, fields in wanted.items():
        if fields is None:
            catalog.delete_era(era_id)
            continue
        values = (
            str(fields["name"]),
            str(fields["start"]),
            fields.get("end"),
            str(fields["colour"]),
            str(fields.get("group", "")),
        )
        if era_id in stored:
            catalog.restore_era(EraRecord(era_id, *values))  # type: ignore[arg-type]
        else:
            catalog.add_era(*values, era_id=era_id)  # type: ignore[arg-type]
    return []


def take_back(catalog: Catalog, step: HistoryStep) -> list[str]:
    """Put the records of `step` back as they were before it; returns the events touched."""
    expected, wanted = _ends(step_entries(catalog, step))
    return _set_states(catalog, step.entity, expected, wanted)


def do_again(catalog: Catalog, step: HistoryStep) -> list[str]:
    """Apply `step` again after `take_back` (redo)."""
    expected, wanted = _ends(step_entries(catalog, step))
    return _set_states(catalog, step.entity, wanted, expected)


def _ends(
    entries: list[HistoryEntry],
) -> tuple[dict[str, Fields | None], dict[str, Fields | None]]:
    """Each record's state after the newest of `entries` (newest first) and before the
    oldest: a record changed twice in one run is taken back to before both."""
    after: dict[str, Fields | None] = {}
    before: dict[str, Fields | None] = {}
    for entry in entries:
        after.setdefault(entry.entity_id, after_fields(entry))
        before[entry.entity_id] = before_fields(entry)
    return after, before


def _set_states(
    catalog: Catalog,
    entity: HistoryEntity,
    expected: Mapping[str, Fields | None],
    wanted: Mapping[str, Fields | None],
) -> list[str]:
    if entity is HistoryEntity.EVENT:
        return set_event_states(catalog, expected, wanted)
    if entity is HistoryEntity.NOTE:
        return set_note_states(catalog, expected, wanted)
    if entity is HistoryEntity.ERA:
        return set_era_states(catalog, expected, wanted)
    raise TimelineError(f"a change of a {entity} cannot be taken back from the history")
