"""Reads and writes of the evidence tables: links between events, notes, actor aliases and
the change history. Each function runs in the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from timeline_app.domain.evidence import (
    EventLink,
    EventNote,
    HistoryAction,
    HistoryEntity,
    HistoryEntry,
    LinkKind,
)
from timeline_app.store.queries import chunks, insert_tuples, rows_for_ids
from timeline_app.store.schema import (
    actor_aliases,
    actors,
    event_actors,
    event_links,
    event_notes,
    event_sources,
    event_tags,
    events,
    history,
    sources,
    tags,
)

# ---- links -----------------------------------------------------------------------------------


def _link(row: Sequence) -> EventLink:
    return EventLink(row[0], row[1], row[2], LinkKind(row[3]), row[4], row[5])


_LINK_COLUMNS = (
    event_links.c.id,
    event_links.c.from_id,
    event_links.c.to_id,
    event_links.c.kind,
    event_links.c.note,
    event_links.c.created_at,
)


def all_links(connection: Connection) -> list[EventLink]:
    """Every link, in a stable order (by first event, then second, then kind)."""
    query = select(*_LINK_COLUMNS).order_by(
        event_links.c.from_id, event_links.c.to_id, event_links.c.kind
    )
    return [_link(row) for row in connection.execute(query)]


def links_of(connection: Connection, event_ids: Sequence[str]) -> list[EventLink]:
    """Links with either end among `event_ids`, each once."""
    found: dict[str, EventLink] = {}
    for part in chunks(list(event_ids)):
        query = select(*_LINK_COLUMNS).where(
            or_(event_links.c.from_id.in_(part), event_links.c.to_id.in_(part))
        )
        for row in connection.execute(query):
            found[row[0]] = _link(row)
    return sorted(found.values(), key=lambda link: (link.from_id, link.to_id, link.kind))


def link(connection: Connection, link_id: str) -> EventLink | None:
    row = connection.execute(select(*_LINK_COLUMNS).where(event_links.c.id == link_id)).first()
    return None if row is None else _link(row)


def insert_links(connection: Connection, links: Iterable[EventLink]) -> None:
    rows = [
        {
            "id": item.id,
            "from_id": item.from_id,
            "to_id": item.to_id,
            "kind": str(item.kind),
            "note": item.note,
            "created_at": item.created_at,
        }
        for item in links
    ]
    if rows:
        connection.execute(insert(event_links), rows)


def update_link(connection: Connection, link_id: str, *, kind: LinkKind, note: str) -> bool:
    result = connection.execute(
        update(event_links).where(event_links.c.id == link_id).values(kind=str(kind), note=note)
    )
    return result.rowcount == 1


def delete_links_by_id(connection: Connection, link_ids: Sequence[str]) -> int:
    deleted = 0
    for part in chunks(list(link_ids)):
        deleted += connection.execute(
            delete(event_links).where(event_links.c.id.in_(part))
        ).rowcount
    return deleted


def link_with_ends(
    connection: Connection, from_id: str, to_id: str, kind: LinkKind
) -> EventLink | None:
    """The link FROM <kind> TO, if one exists (there is at most one)."""
    query = select(*_LINK_COLUMNS).where(
        event_links.c.from_id == from_id,
        event_links.c.to_id == to_id,
        event_links.c.kind == str(kind),
    )
    row = connection.execute(query).first()
    return None if row is None else _link(row)


def link_ends(connection: Connection, event_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Title and start (as written) of each of these events that exists: what a link's
    other end is called in the inspector."""
    query = select(events.c.id, events.c.title, events.c.start)
    return {
        row[0]: (row[1], row[2]) for row in rows_for_ids(connection, query, events.c.id, event_ids)
    }


def events_titled(
    connection: Connection, text: str, limit: int, exclude: str | None = None
) -> list[tuple[str, str, str]]:
    """(id, title, start) of up to `limit` events whose title contains `text` (any case),
    earliest first: the candidates of a link's other end."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = (
        select(events.c.id, events.c.title, events.c.start)
        .where(events.c.title.ilike(pattern, escape="\\"))
        .order_by(events.c.start_lo, events.c.id)
        .limit(limit)
    )
    if exclude is not None:
        query = query.where(events.c.id != exclude)
    return [(row[0], row[1], row[2]) for row in connection.execute(query)]


# ---- notes -----------------------------------------------------------------------------------

_NOTE_COLUMNS = (
    event_notes.c.id,
    event_notes.c.event_id,
    event_notes.c.author,
    event_notes.c.created_at,
    event_notes.c.text,
)


def notes_of(connection: Connection, event_ids: Sequence[str] | None = None) -> list[EventNote]:
    """Notes of the given events (all when None), oldest first per event."""
    query = select(*_NOTE_COLUMNS).order_by(
        event_notes.c.event_id, event_notes.c.created_at, event_notes.c.id
    )
    rows = (
        connection.execute(query)
        if event_ids is None
        else rows_for_ids(connection, query, event_notes.c.event_id, event_ids)
    )
    notes = [EventNote(*row) for row in rows]
    notes.sort(key=lambda note: (note.event_id, note.created_at, note.id))
    return notes


def insert_notes(connection: Connection, notes: Iterable[EventNote]) -> None:
    rows = [
        {
            "id": note.id,
            "event_id": note.event_id,
            "author": note.author,
            "created_at": note.created_at,
            "text": note.text,
        }
        for note in notes
    ]
    if rows:
        connection.execute(insert(event_notes), rows)


def update_note_text(connection: Connection, note_id: str, text: str) -> bool:
    result = connection.execute(
        update(event_notes).where(event_notes.c.id == note_id).values(text=text)
    )
    return result.rowcount == 1


def delete_notes_by_id(connection: Connection, note_ids: Sequence[str]) -> int:
    deleted = 0
    for part in chunks(list(note_ids)):
        deleted += connection.execute(
            delete(event_notes).where(event_notes.c.id.in_(part))
        ).rowcount
    return deleted


# ---- actor aliases ---------------------------------------------------------------------------


def aliases_by_actor(connection: Connection) -> dict[str, tuple[str, ...]]:
    """Each actor's aliases by actor name (actors without aliases are left out)."""
    query = (
        select(actors.c.name, actor_aliases.c.alias)
        .join(actors, actors.c.id == actor_aliases.c.actor_id)
        .order_by(actors.c.name, actor_aliases.c.alias)
    )
    found: dict[str, list[str]] = {}
    for name, alias in connection.execute(query):
        found.setdefault(name, []).append(alias)
    return {name: tuple(aliases) for name, aliases in found.items()}


def set_actor_aliases(connection: Connection, actor_id: int, aliases: Iterable[str]) -> None:
    """Replace an actor's aliases (duplicates and blanks dropped, order kept)."""
    connection.execute(delete(actor_aliases).where(actor_aliases.c.actor_id == actor_id))
    wanted = list(dict.fromkeys(alias.strip() for alias in aliases if alias.strip()))
    if wanted:
        connection.execute(
            insert(actor_aliases), [{"actor_id": actor_id, "alias": alias} for alias in wanted]
        )


def actors_named(connection: Connection, alias: str) -> list[str]:
    """Names of actors one of whose aliases is `alias` exactly."""
    query = (
        select(actors.c.name)
        .join(actor_aliases, actors.c.id == actor_aliases.c.actor_id)
        .where(actor_aliases.c.alias == alias)
        .order_by(actors.c.name)
    )
    return list(connection.execute(query).scalars())


# ---- history ---------------------------------------------------------------------------------


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record_history(connection: Connection, entries: Iterable[HistoryEntry]) -> None:
    """Append change records (their `id` is ignored: the database numbers them)."""
    rows = [
        {
            "entity": str(entry.entity),
            "entity_id": entry.entity_id,
            "action": str(entry.action),
            "author": entry.author,
            "at": entry.at,
            "changes": _json({name: list(pair) for name, pair in entry.changes.items()}),
            "snapshot": None if entry.snapshot is None else _json(entry.snapshot),
        }
        for entry in entries
    ]
    if rows:
        connection.execute(insert(history), rows)


def history_entry_of_row(row: Sequence) -> HistoryEntry | None:
    """The change a history row records; None when the row cannot be read (damaged by
    hand or by another program: `check` names it), so readers skip it instead of failing."""
    try:
        changes = {name: (pair[0], pair[1]) for name, pair in json.loads(row[6]).items()}
        snapshot = None if row[7] is None else json.loads(row[7])
        if snapshot is not None and not isinstance(snapshot, dict):
            return None
        return HistoryEntry(
            entity=HistoryEntity(row[1]),
            entity_id=row[2],
            action=HistoryAction(row[3]),
            author=row[4],
            at=row[5],
            changes=changes,
            snapshot=snapshot,
            id=row[0],
        )
    except (ValueError, TypeError, AttributeError, IndexError, KeyError):
        return None


def history_entries_of_rows(rows: Iterable[Sequence]) -> list[HistoryEntry]:
    return [entry for row in rows if (entry := history_entry_of_row(row)) is not None]


def unreadable_history_ids(connection: Connection) -> list[int]:
    """Numbers of the history rows that cannot be read (for the database check)."""
    return [
        row[0]
        for row in connection.execute(select(*HISTORY_COLUMNS).order_by(history.c.id))
        if history_entry_of_row(row) is None
    ]


HISTORY_COLUMNS = (
    history.c.id,
    history.c.entity,
    history.c.entity_id,
    history.c.action,
    history.c.author,
    history.c.at,
    history.c.changes,
    history.c.snapshot,
)


def history_of(connection: Connection, entity: HistoryEntity, entity_id: str) -> list[HistoryEntry]:
    """One record's changes, oldest first."""
    query = (
        select(*HISTORY_COLUMNS)
        .where(history.c.entity == str(entity), history.c.entity_id == entity_id)
        .order_by(history.c.id)
    )
    return history_entries_of_rows(connection.execute(query))


def all_history(connection: Connection) -> list[HistoryEntry]:
    """Every recorded change, oldest first."""
    return history_entries_of_rows(
        connection.execute(select(*HISTORY_COLUMNS).order_by(history.c.id))
    )


def last_history_entry(connection: Connection) -> HistoryEntry | None:
    """The most recent readable change of all (what Undo offers after the window was
    reopened)."""
    for row in connection.execute(select(*HISTORY_COLUMNS).order_by(history.c.id.desc())):
        entry = history_entry_of_row(row)
        if entry is not None:
            return entry
    return None


def evidence_counts(connection: Connection) -> dict[str, int]:
    """How many links, notes and recorded changes the database holds (for `info`)."""
    return {
        name: connection.execute(select(func.count()).select_from(table)).scalar_one()
        for name, table in (("links", event_links), ("notes", event_notes), ("history", history))
    }


# ---- interchange: what an import compares and writes in bulk ---------------------------------


def links_by_id(connection: Connection, link_ids: Iterable[str]) -> dict[str, EventLink]:
    """Stored links among `link_ids`, by id."""
    return {
        row[0]: _link(row)
        for row in rows_for_ids(connection, select(*_LINK_COLUMNS), event_links.c.id, link_ids)
    }


def links_from(connection: Connection, event_ids: Iterable[str]) -> list[EventLink]:
    """Stored links starting at one of `event_ids` (where a file's link could meet one it
    duplicates: a link is unique by its first event, second event and kind)."""
    query = select(*_LINK_COLUMNS)
    return [_link(row) for row in rows_for_ids(connection, query, event_links.c.from_id, event_ids)]


def has_links(connection: Connection) -> bool:
    return connection.execute(select(event_links.c.id).limit(1)).first() is not None


def notes_by_id(connection: Connection, note_ids: Iterable[str]) -> dict[str, EventNote]:
    """Stored notes among `note_ids`, by id."""
    return {
        row[0]: EventNote(*row)
        for row in rows_for_ids(connection, select(*_NOTE_COLUMNS), event_notes.c.id, note_ids)
    }


def alias_pairs(connection: Connection, actor_ids: Iterable[int]) -> set[tuple[int, str]]:
    """(actor id, alias) of the given actors' stored aliases."""
    wanted = set(actor_ids)
    query = select(actor_aliases.c.actor_id, actor_aliases.c.alias)
    return {(row[0], row[1]) for row in connection.execute(query) if row[0] in wanted}


def add_aliases(connection: Connection, pairs: Sequence[tuple[int, str]]) -> None:
    """Insert (actor id, alias) rows (none of them stored yet)."""
    if pairs:
        connection.execute(
            insert(actor_aliases),
            [{"actor_id": actor_id, "alias": alias} for actor_id, alias in pairs],
        )


def remove_aliases(connection: Connection, names: Sequence[tuple[str, str]]) -> None:
    """Delete (actor name, alias) rows, where they still exist."""
    for name, alias in names:
        actor_id = select(actors.c.id).where(actors.c.name == name).scalar_subquery()
        connection.execute(
            delete(actor_aliases).where(
                actor_aliases.c.actor_id == actor_id, actor_aliases.c.alias == alias
            )
        )


_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode
"""`_json` without the cost of making an encoder per call: an import writes 100,000."""


def history_key(entry: HistoryEntry) -> tuple:
    """What tells one recorded change from another, as stored (the database's numbering
    aside): a file imported twice adds its history once."""
    return (
        str(entry.entity),
        entry.entity_id,
        str(entry.action),
        entry.author,
        entry.at,
        _ENCODE(entry.changes),
        None if entry.snapshot is None else _ENCODE(entry.snapshot),
    )


def history_keys(connection: Connection, entity_ids: Iterable[str]) -> set[tuple]:
    """`history_key`s of the stored changes of the records with these ids."""
    query = select(
        history.c.entity_id,
        history.c.entity,
        history.c.action,
        history.c.author,
        history.c.at,
        history.c.changes,
        history.c.snapshot,
    )
    return {
        (row[1], row[0], row[2], row[3], row[4], row[5], row[6])
        for row in rows_for_ids(connection, query, history.c.entity_id, entity_ids)
    }


def history_rows(entries: Iterable[HistoryEntry]) -> list[tuple]:
    """Entries as `insert_history_rows` takes them: (entity, entity id, action, author, at,
    changes as JSON text, snapshot as JSON text or None), encoded as `record_history` does."""
    encode = _ENCODE
    return [
        (
            str(entry.entity),
            entry.entity_id,
            str(entry.action),
            entry.author,
            entry.at,
            encode(entry.changes),  # the pairs' tuples are written as lists
            None if entry.snapshot is None else encode(entry.snapshot),
        )
        for entry in entries
    ]


def encode_json(value: object) -> str:
    """JSON text as the history table holds it (keys sorted, no ASCII escapes)."""
    return _ENCODE(value)


def insert_history_rows(connection: Connection, rows: list[tuple]) -> list[int]:
    """Insert `history_rows`, returning the numbers the database gave them (what an undo of
    the write removes). SQLite's single writer numbers them one after another."""
    if not rows:
        return []
    columns = ("entity", "entity_id", "action", "author", "at", "changes", "snapshot")
    if connection.dialect.name == "sqlite":
        insert_tuples(connection, history, columns, rows)
        last = connection.execute(select(func.max(history.c.id))).scalar_one()
        return list(range(last - len(rows) + 1, last + 1))
    result = connection.execute(
        insert(history).returning(history.c.id, sort_by_parameter_order=True),
        [dict(zip(columns, row, strict=True)) for row in rows],
    )
    return [row[0] for row in result]


def delete_history_by_id(connection: Connection, ids: Sequence[int]) -> None:
    for part in chunks(list(ids)):
        connection.execute(delete(history).where(history.c.id.in_(part)))


def actor_and_tag_names(connection: Connection) -> tuple[set[str], set[str]]:
    """The names of the stored actors and tags (what an import creates is the rest)."""
    return (
        set(connection.execute(select(actors.c.name)).scalars()),
        set(connection.execute(select(tags.c.name)).scalars()),
    )


def delete_uncited(
    connection: Connection,
    source_ids: Sequence[str],
    actor_names: Sequence[str],
    tag_names: Sequence[str],
) -> None:
    """Delete those of the given sources, actors and tags that no event refers to any more
    (what an undone import had created)."""
    for part in chunks(sorted(source_ids)):
        cited = select(event_sources.c.source_id).where(event_sources.c.source_id.in_(part))
        connection.execute(
            delete(sources).where(sources.c.id.in_(part), sources.c.id.not_in(cited))
        )
    for table, column, names in (
        (actors, event_actors.c.actor_id, actor_names),
        (tags, event_tags.c.tag_id, tag_names),
    ):
        for part in chunks(sorted(names)):
            used = select(column).distinct()
            connection.execute(
                delete(table).where(table.c.name.in_(part), table.c.id.not_in(used))  # type: ignore[attr-defined]
            )


def events_citing(connection: Connection, source_ids: Sequence[str]) -> list[str]:
    """Ids of the events citing one of `source_ids`, each once, sorted."""
    found: set[str] = set()
    for part in chunks(sorted(source_ids)):
        query = select(event_sources.c.event_id).where(event_sources.c.source_id.in_(part))
        found.update(connection.execute(query).scalars())
    return sorted(found)


def history_texts(connection: Connection) -> list[tuple]:
    """Every recorded change as stored, oldest first: (entity, entity id, action, author,
    at, changes JSON text, snapshot JSON text or None), for a file to hold without decoding
    and encoding each entry again."""
    query = select(*HISTORY_COLUMNS[1:]).order_by(history.c.id)
    return [tuple(row) for row in connection.execute(query)]
