"""Search over everything an event carries, as one WHERE clause on `events`.

Titles and descriptions go through the full-text index (FTS5 on SQLite, the tsvector on
PostgreSQL): the common one-word search at a million events stays an index look-up. The
small tables an event links to — actors and their aliases, tags, sources (title and
publisher), notes — are read whole and matched in Python with the same rule the window
highlights with (`SearchTerm.matches`: case, accents and script-specific case handled alike
on every database); the ids they yield become IN lists over the link tables. The location,
a column of `events` without an index of its own, is matched with LIKE at word starts.

Every term of a clause contributes a sub-select of event ids; a clause is the union of its
terms', the query all its clauses and none of its exclusions. Nothing the user types reaches
the SQL text: words are bound parameters or literal ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    Connection,
    Integer,
    String,
    and_,
    bindparam,
    literal_column,
    or_,
    select,
    text,
    union,
)

from timeline_app.domain.search_query import SearchQuery, SearchTerm, parse_search
from timeline_app.store.schema import (
    actor_aliases,
    actors,
    event_actors,
    event_notes,
    event_sources,
    event_tags,
    events,
    sources,
    tags,
)

LIKE_ESCAPE = "\\"


@dataclass(frozen=True, slots=True)
class _LinkedTexts:
    """The small tables' searchable texts, read once per search."""

    actor_names: tuple[tuple[int, str], ...]
    tag_names: tuple[tuple[int, str], ...]
    source_texts: tuple[tuple[str, str], ...]
    note_texts: tuple[tuple[str, str], ...]

    @classmethod
    def read(cls, connection: Connection) -> _LinkedTexts:
        actor_rows = [*connection.execute(select(actors.c.id, actors.c.name))]
        actor_rows += [*connection.execute(select(actor_aliases.c.actor_id, actor_aliases.c.alias))]
        source_rows = [
            (source_id, f"{title}\n{publisher}")
            for source_id, title, publisher in connection.execute(
                select(sources.c.id, sources.c.title, sources.c.publisher)
            )
        ]
        return cls(
            tuple((int(row[0]), row[1]) for row in actor_rows),
            tuple(
                (int(row[0]), row[1]) for row in connection.execute(select(tags.c.id, tags.c.name))
            ),
            tuple(source_rows),
            tuple(
                (row[0], row[1])
                for row in connection.execute(select(event_notes.c.event_id, event_notes.c.text))
            ),
        )


def _matching(rows: Iterable[tuple[object, str]], term: SearchTerm) -> list:
    return sorted({key for key, value in rows if term.matches(value)})  # type: ignore[type-var]


def _ids_in(column, values: Sequence, kind) -> object:
    """`column IN (values)` with the values written into the SQL (ids the store read
    itself, not user text): no limit on bound parameters however many there are."""
    return column.in_(
        bindparam(
            f"ids_{id(values)}", list(values), expanding=True, literal_execute=True, type_=kind
        )
    )


def _like_word(connection: Connection, column, term: SearchTerm):
    """`column` holds the term at a word start. PostgreSQL's ILIKE ignores case in every
    script; SQLite's LIKE only for ASCII letters, so other scripts are tried as typed, in
    lower case and capitalised."""
    body = " ".join(term.words)
    escaped = body.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    variants = [escaped]
    if connection.dialect.name == "postgresql":
        patterns = [f"{escaped}%", f"% {escaped}%"]
        return column.is_not(None) & or_(*(column.ilike(p, escape=LIKE_ESCAPE) for p in patterns))
    if not escaped.isascii():
        variants = list(dict.fromkeys((escaped, escaped.lower(), escaped.capitalize())))
    patterns = [p for variant in variants for p in (f"{variant}%", f"% {variant}%")]
    return column.is_not(None) & or_(*(column.like(p, escape=LIKE_ESCAPE) for p in patterns))


def _fts_expression(term: SearchTerm) -> str:
    """The FTS5 query of one term: words quoted (so nothing is an operator), a lone word
    prefix-matched."""
    quoted = '"' + " ".join(term.words) + '"'
    return quoted if term.phrase else quoted + "*"


def _text_ids(connection: Connection, terms: Sequence[SearchTerm], counter: list[int]):
    """A select of the ids of events whose title or description holds any of `terms`."""
    counter[0] += 1
    name = f"fts_{counter[0]}"
    dialect = connection.dialect.name
    if dialect == "sqlite":
        match = " OR ".join(_fts_expression(term) for term in terms)
        return (
            select(literal_column("events_fts.rowid"))
            .select_from(text("events_fts"))
            .where(
                text(f"events_fts MATCH :{name}").bindparams(bindparam(name, match, type_=String))
            )
        )
    if dialect == "postgresql":
        conditions = []
        for index, term in enumerate(terms):
            key = f"{name}_{index}"
            if term.phrase:  # as typed (S-300 is 's' <-> '-300' to PostgreSQL) or as words
                query = (
                    f"(phraseto_tsquery('simple', :{key}) || phraseto_tsquery('simple', :{key}w))"
                )
                values = {key: term.typed or " ".join(term.words), f"{key}w": " ".join(term.words)}
            else:
                query = f"to_tsquery('simple', :{key})"
                values = {key: f"'{term.words[0]}':*"}
            conditions.append(
                text(f"events.search @@ {query}").bindparams(
                    *(bindparam(name, value, type_=String) for name, value in values.items())
                )
            )
        return select(events.c.id).where(or_(*conditions))
    return select(events.c.id).where(
        or_(
            *(
                condition
                for term in terms
                for condition in (
                    _like_word(events.c.title, term),
                    _like_word(events.c.description, term),
                )
            )
        )
    )


def _event_key(connection: Connection):
    """The column the sub-selects yield and the condition tests: the rowid on SQLite (the
    full-text index is keyed by it, and a rowid IN list drives the read), else the id."""
    return literal_column("events.rowid") if connection.dialect.name == "sqlite" else events.c.id


def _linked_ids(connection: Connection, link, column, ids: Sequence, kind):
    """The keys of events with a row in the link table `link` whose `column` is in `ids`."""
    key = _event_key(connection)
    condition = _ids_in(column, ids, kind)
    if key is events.c.id:
        return select(link.c.event_id).where(condition)
    return (
        select(key).select_from(link.join(events, events.c.id == link.c.event_id)).where(condition)
    )


def _any_term_ids(
    connection: Connection,
    terms: Sequence[SearchTerm],
    linked: _LinkedTexts,
    counter: list[int],
):
    """A select of the keys of events where any of `terms` matches any searched field."""
    key = _event_key(connection)
    text_part = _text_ids(connection, terms, counter)
    parts = [
        text_part,
        select(key).where(
            or_(*(_like_word(connection, events.c.location, term) for term in terms))
        ),
    ]
    actor_ids = sorted({i for term in terms for i in _matching(linked.actor_names, term)})
    tag_ids = sorted({i for term in terms for i in _matching(linked.tag_names, term)})
    source_ids = sorted({i for term in terms for i in _matching(linked.source_texts, term)})
    noted = sorted({i for term in terms for i in _matching(linked.note_texts, term)})
    if actor_ids:
        parts.append(
            _linked_ids(connection, event_actors, event_actors.c.actor_id, actor_ids, Integer)
        )
    if tag_ids:
        parts.append(_linked_ids(connection, event_tags, event_tags.c.tag_id, tag_ids, Integer))
    if source_ids:
        parts.append(
            _linked_ids(connection, event_sources, event_sources.c.source_id, source_ids, String)
        )
    if noted:
        parts.append(select(key).where(_ids_in(events.c.id, noted, String)))
    return union(*parts)


def query_condition(connection: Connection, query: SearchQuery):
    """The WHERE clause of a parsed query (None when it asks for nothing)."""
    if query.is_empty:
        return None
    linked = _LinkedTexts.read(connection)
    counter = [0]
    key = _event_key(connection)
    conditions = [
        key.in_(_any_term_ids(connection, clause, linked, counter)) for clause in query.clauses
    ]
    if query.excluded:
        conditions.append(key.not_in(_any_term_ids(connection, query.excluded, linked, counter)))
    return conditions[0] if len(conditions) == 1 else and_(*conditions)


def search_condition(connection: Connection, words: str):
    """A WHERE clause on `events` for what was typed in the search box (None: no filter)."""
    return query_condition(connection, parse_search(words))
