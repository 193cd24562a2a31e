"""Search over everything an event carries, as one WHERE clause on `events`.

Titles, descriptions and locations go through the full-text index (FTS5 on SQLite, the
tsvector on PostgreSQL). The small tables an event links to — actors and their aliases,
tags, sources (title and publisher), notes — are read whole and matched in Python with the
rule the window highlights with (`SearchTerm.matches`: case and accents ignored in every
script, on every database); what they yield becomes literal id lists over the link tables.

When no term matches anything outside the index (the common search for a word),
the condition is the full-text index alone, as fast as it was before search covered more.
Otherwise each clause is the union of its terms' matches in every field, the query all its
clauses and none of its exclusions. Nothing typed reaches the SQL text: words are bound
parameters, ids the store read itself are literals.
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
    not_,
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
    """The searchable texts outside the full-text index, read once per search: (key, text)
    pairs, the key being what a match selects by."""

    actor_names: tuple[tuple[int, str], ...]
    tag_names: tuple[tuple[int, str], ...]
    source_texts: tuple[tuple[str, str], ...]
    note_texts: tuple[tuple[str, str], ...]

    @classmethod
    def read(cls, connection: Connection) -> _LinkedTexts:
        actor_rows = [*connection.execute(select(actors.c.id, actors.c.name))]
        actor_rows += [*connection.execute(select(actor_aliases.c.actor_id, actor_aliases.c.alias))]
        source_rows: list[tuple[str, str]] = []
        for source_id, title, publisher in connection.execute(
            select(sources.c.id, sources.c.title, sources.c.publisher)
        ):
            source_rows += [(source_id, title), (source_id, publisher)]
        notes = connection.execute(select(event_notes.c.event_id, event_notes.c.text))
        return cls(
            tuple((int(row[0]), row[1]) for row in actor_rows),
            tuple((int(i), name) for i, name in connection.execute(select(tags.c.id, tags.c.name))),
            tuple(source_rows),
            tuple((row[0], row[1]) for row in notes),
        )


def _matching(rows: Iterable[tuple[object, str]], term: SearchTerm) -> list:
    return sorted({key for key, value in rows if term.matches(value)})  # type: ignore[type-var]


@dataclass(frozen=True, slots=True)
class _Hits:
    """What one term matches outside titles and descriptions."""

    actor_ids: tuple[int, ...]
    tag_ids: tuple[int, ...]
    source_ids: tuple[str, ...]
    noted_ids: tuple[str, ...]

    @classmethod
    def of(cls, term: SearchTerm, linked: _LinkedTexts) -> _Hits:
        return cls(
            tuple(_matching(linked.actor_names, term)),
            tuple(_matching(linked.tag_names, term)),
            tuple(_matching(linked.source_texts, term)),
            tuple(_matching(linked.note_texts, term)),
        )

    def __bool__(self) -> bool:
        return bool(self.actor_ids or self.tag_ids or self.source_ids or self.noted_ids)

    def __or__(self, other: _Hits) -> _Hits:
        return _Hits(
            *(
                tuple(sorted(set(mine) | set(theirs)))
                for mine, theirs in (
                    (self.actor_ids, other.actor_ids),
                    (self.tag_ids, other.tag_ids),
                    (self.source_ids, other.source_ids),
                    (self.noted_ids, other.noted_ids),
                )
            )
        )


_NO_HITS = _Hits((), (), (), ())


class _Names:
    """Unique bound-parameter names within one statement."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, stem: str) -> str:
        self.count += 1
        return f"search_{stem}_{self.count}"


def _literal_in(column, values: Sequence, kind) -> object:
    """`column IN (values)` with the values written into the SQL (what the store read
    itself, not what was typed): no limit on bound parameters however many there are."""
    return column.in_(
        bindparam(
            f"in_{id(values)}", list(values), expanding=True, literal_execute=True, type_=kind
        )
    )


# ---- titles and descriptions: the full-text index ------------------------------------------


def _fts5_term(term: SearchTerm) -> str:
    """One term in FTS5's syntax: words quoted (so nothing is an operator), a lone word
    prefix-matched."""
    quoted = '"' + " ".join(term.words) + '"'
    return quoted if term.phrase else quoted + "*"


def _fts5_any(terms: Sequence[SearchTerm]) -> str:
    return "(" + " OR ".join(_fts5_term(term) for term in terms) + ")"


def _fts5_rowids(names: _Names, match: str):
    """The rowids of the events whose title, description or location match the FTS5
    `match`."""
    name = names("fts")
    return (
        select(literal_column("events_fts.rowid"))
        .select_from(text("events_fts"))
        .where(text(f"events_fts MATCH :{name}").bindparams(bindparam(name, match, type_=String)))
    )


def _pg_any(names: _Names, terms: Sequence[SearchTerm], *, negated: bool = False):
    """`events.search` matches any of `terms` (PostgreSQL's tsvector; GIN-indexed), or with
    `negated` none of them."""
    parts: list[str] = []
    params = []
    for term in terms:
        if term.phrase:  # as typed (S-300 is 's' <-> '-300' to PostgreSQL) and as words
            typed, words = names("typed"), names("words")
            parts.append(f"phraseto_tsquery('simple', :{typed})")
            parts.append(f"phraseto_tsquery('simple', :{words})")
            params += [
                bindparam(typed, term.typed or " ".join(term.words), type_=String),
                bindparam(words, " ".join(term.words), type_=String),
            ]
        else:
            word = names("word")
            parts.append(f"to_tsquery('simple', :{word})")
            params.append(bindparam(word, f"'{term.words[0]}':*", type_=String))
    condition = f"events.search @@ ({' || '.join(parts)})"
    return text(f"NOT ({condition})" if negated else condition).bindparams(*params)


def _like_word(connection: Connection, column, term: SearchTerm):
    """`column` holds the term at a word start (the fallback on other databases)."""
    body = " ".join(term.words)
    escaped = body.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    patterns = (f"{escaped}%", f"% {escaped}%")
    return or_(*(column.ilike(pattern, escape=LIKE_ESCAPE) for pattern in patterns))


def _text_any(connection: Connection, names: _Names, terms: Sequence[SearchTerm]):
    """A condition on `events`: its title, description or location holds any of `terms`."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        return literal_column("events.rowid").in_(_fts5_rowids(names, _fts5_any(terms)))
    if dialect == "postgresql":
        return _pg_any(names, terms)
    return or_(
        *(
            _like_word(connection, column, term)
            for term in terms
            for column in (events.c.title, events.c.description, events.c.location)
        )
    )


def _text_only(connection: Connection, names: _Names, query: SearchQuery) -> list:
    """The conditions of a query no term of which matches beyond the full-text index:
    on SQLite one FTS5 expression for all the required clauses."""
    if connection.dialect.name == "sqlite":
        conditions = []
        if query.clauses:
            match = " AND ".join(_fts5_any(clause) for clause in query.clauses)
            conditions.append(literal_column("events.rowid").in_(_fts5_rowids(names, match)))
        if query.excluded:
            conditions.append(
                literal_column("events.rowid").not_in(
                    _fts5_rowids(names, _fts5_any(query.excluded))
                )
            )
        return conditions
    conditions = [_text_any(connection, names, clause) for clause in query.clauses]
    if query.excluded:
        if connection.dialect.name == "postgresql":
            conditions.append(_pg_any(names, query.excluded, negated=True))
        else:
            conditions.append(not_(_text_any(connection, names, query.excluded)))
    return conditions


# ---- every field ---------------------------------------------------------------------------


def _event_key(connection: Connection):
    """The column the sub-selects yield and the condition tests: the rowid on SQLite (the
    full-text index is keyed by it, and a rowid IN list drives the read), else the id."""
    return literal_column("events.rowid") if connection.dialect.name == "sqlite" else events.c.id


def _linked_keys(connection: Connection, link, column, ids: Sequence, kind):
    """The keys of events with a row in the link table `link` whose `column` is in `ids`."""
    key = _event_key(connection)
    condition = _literal_in(column, ids, kind)
    if key is events.c.id:
        return select(link.c.event_id).where(condition)
    return (
        select(key).select_from(link.join(events, events.c.id == link.c.event_id)).where(condition)
    )


def _any_field_keys(
    connection: Connection, names: _Names, terms: Sequence[SearchTerm], hits: _Hits
):
    """A select of the keys of events where any of `terms` matches any searched field."""
    key = _event_key(connection)
    if connection.dialect.name == "sqlite":
        parts = [_fts5_rowids(names, _fts5_any(terms))]
    else:
        parts = [select(key).where(_text_any(connection, names, terms))]
    if hits.actor_ids:
        parts.append(
            _linked_keys(connection, event_actors, event_actors.c.actor_id, hits.actor_ids, Integer)
        )
    if hits.tag_ids:
        parts.append(
            _linked_keys(connection, event_tags, event_tags.c.tag_id, hits.tag_ids, Integer)
        )
    if hits.source_ids:
        parts.append(
            _linked_keys(
                connection, event_sources, event_sources.c.source_id, hits.source_ids, String
            )
        )
    if hits.noted_ids:
        parts.append(select(key).where(_literal_in(events.c.id, hits.noted_ids, String)))
    return union(*parts) if len(parts) > 1 else parts[0]


def query_condition(connection: Connection, query: SearchQuery):
    """The WHERE clause of a parsed query (None when it asks for nothing)."""
    if query.is_empty:
        return None
    linked = _LinkedTexts.read(connection)
    hits = {term: _Hits.of(term, linked) for term in query.terms}
    names = _Names()
    if not any(hits.values()):
        conditions = _text_only(connection, names, query)
    else:
        key = _event_key(connection)

        def keys(terms: Sequence[SearchTerm]):
            found = _NO_HITS
            for term in terms:
                found = found | hits[term]
            return _any_field_keys(connection, names, terms, found)

        conditions = [key.in_(keys(clause)) for clause in query.clauses]
        if query.excluded:
            conditions.append(key.not_in(keys(query.excluded)))
    return conditions[0] if len(conditions) == 1 else and_(*conditions)


def search_condition(connection: Connection, words: str):
    """A WHERE clause on `events` for what was typed in the search box (None: no filter)."""
    return query_condition(connection, parse_search(words))
