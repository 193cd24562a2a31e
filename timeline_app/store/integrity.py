"""Checks that the stored data agrees with itself, and repairs of what can be derived again.

The file itself (SQLite's integrity check), the full-text index against the events, link rows
that point nowhere, category parents that point nowhere, events without their category, and
the date bounds derived from each event's EDTF text. Repairs rebuild the index and the bounds,
delete orphaned links and clear dangling parents; they run on the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from timeline_app.domain.dates import parse_span
from timeline_app.domain.errors import DateError, TimelineError, quoted
from timeline_app.store.evidence_queries import unreadable_history_ids

EXAMPLES = 3
"""Ids quoted per kind of problem: enough to find one, never a wall of text."""

LINK_TABLES: tuple[tuple[str, str, str, str], ...] = (
    # link table, its column, the table it points to, the column there
    ("event_actors", "event_id", "events", "id"),
    ("event_actors", "actor_id", "actors", "id"),
    ("event_tags", "event_id", "events", "id"),
    ("event_tags", "tag_id", "tags", "id"),
    ("event_sources", "event_id", "events", "id"),
    ("event_sources", "source_id", "sources", "id"),
    ("event_links", "from_id", "events", "id"),
    ("event_links", "to_id", "events", "id"),
    ("event_notes", "event_id", "events", "id"),
    ("actor_aliases", "actor_id", "actors", "id"),
)
LINK_KEYS = {
    "event_actors": ("event_id", "actor_id"),
    "event_tags": ("event_id", "tag_id"),
    "event_sources": ("event_id", "source_id"),
    "event_links": ("from_id", "to_id"),
    "event_notes": ("event_id", "id"),
    "actor_aliases": ("actor_id", "alias"),
}
LINK_ENDS = {
    "event_actors": "a missing event or actor",
    "event_tags": "a missing event or tag",
    "event_sources": "a missing event or source",
    "event_links": "a missing event",
    "event_notes": "a missing event",
    "actor_aliases": "a missing actor",
}
"""What a row of each table points to, for the problem's wording."""
BOUND_COLUMNS = ("start_lo", "start_hi", "end_lo", "end_hi", "precision")


@dataclass(frozen=True, slots=True)
class Problem:
    """One kind of problem: what, how many, a few example ids, and whether repair fixes it."""

    what: str
    count: int
    examples: tuple[str, ...]
    repairable: bool


@dataclass(frozen=True, slots=True)
class Finding:
    """The outcome of one check: its problems, or why it does not apply to this database."""

    check: str
    problems: tuple[Problem, ...] = ()
    not_applicable: str | None = None
    not_checked: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _problem(what: str, ids: Sequence[object], *, repairable: bool = True) -> tuple[Problem, ...]:
    if not ids:
        return ()
    examples = tuple(str(value) for value in ids[:EXAMPLES])
    return (Problem(what, len(ids), examples, repairable),)


def _is_sqlite(connection: Connection) -> bool:
    return connection.dialect.name == "sqlite"


def check_file(connection: Connection) -> Finding:
    """SQLite's own `PRAGMA integrity_check`: pages, b-trees and indexes of the file."""
    if not _is_sqlite(connection):
        return Finding("database file", not_applicable="the server keeps its own files")
    try:
        messages = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check(100)")]
    except DBAPIError as error:
        messages = [_first_line(error)]
    if messages == ["ok"]:
        return Finding("database file")
    problem = Problem(
        "damage found by SQLite's integrity check (restore a backup)",
        len(messages),
        tuple(quoted(message) for message in messages[:EXAMPLES]),
        repairable=False,
    )
    return Finding("database file", (problem,))


def check_full_text(connection: Connection) -> Finding:
    """On SQLite, the FTS5 table must hold exactly the events' titles, descriptions and
    locations."""
    if not _is_sqlite(connection):
        return Finding("full-text index", not_applicable="a generated tsvector column cannot drift")
    missing = connection.exec_driver_sql(
        "SELECT id FROM events WHERE rowid NOT IN (SELECT rowid FROM events_fts) ORDER BY id"
    ).scalars()
    stray = connection.exec_driver_sql(
        "SELECT rowid FROM events_fts WHERE rowid NOT IN (SELECT rowid FROM events) ORDER BY rowid"
    ).scalars()
    stale = connection.exec_driver_sql(
        "SELECT e.id FROM events e JOIN events_fts f ON f.rowid = e.rowid "
        "WHERE f.title IS NOT e.title OR f.description IS NOT e.description "
        "OR f.location IS NOT e.location ORDER BY e.id"
    ).scalars()
    problems = (
        *_problem("events missing from the full-text index", list(missing)),
        *_problem("full-text rows of no event (rowids)", list(stray)),
        *_problem("events whose full-text row is out of date", list(stale)),
    )
    try:
        connection.exec_driver_sql(
            "INSERT INTO events_fts (events_fts, rank) VALUES ('integrity-check', 0)"
        )
    except DBAPIError as error:
        reason = str(error.orig).strip() if error.orig else str(error)
        problems += (Problem("damaged full-text index", 1, (quoted(reason),), True),)
    return Finding("full-text index", problems)


def _orphaned_link_rows(connection: Connection, table: str) -> list[str]:
    conditions = " OR ".join(
        f"{column} NOT IN (SELECT {key} FROM {target})"
        for link_table, column, target, key in LINK_TABLES
        if link_table == table
    )
    first, second = LINK_KEYS[table]
    rows = connection.exec_driver_sql(
        f"SELECT {first}, {second} FROM {table} WHERE {conditions} ORDER BY {first}, {second}"
    ).all()
    return [f"{row[0]}→{row[1]}" for row in rows]


def check_links(connection: Connection) -> Finding:
    """Rows of event↔actor, event↔tag, event↔source and event↔event links, notes and actor
    aliases whose event or other end is gone."""
    problems: tuple[Problem, ...] = ()
    for table in LINK_KEYS:
        problems += _problem(
            f"{table} rows pointing to {LINK_ENDS[table]}",
            _orphaned_link_rows(connection, table),
        )
    return Finding("links", problems)


def check_categories(connection: Connection) -> Finding:
    """Categories whose parent is gone, and events whose category is gone (not derivable)."""
    dangling = connection.exec_driver_sql(
        "SELECT id FROM categories WHERE parent_id IS NOT NULL "
        "AND parent_id NOT IN (SELECT id FROM categories) ORDER BY id"
    ).scalars()
    homeless = connection.exec_driver_sql(
        "SELECT id FROM events WHERE category_id NOT IN (SELECT id FROM categories) ORDER BY id"
    ).scalars()
    problems = (
        *_problem("categories whose parent is missing (category ids)", list(dangling)),
        *_problem(
            "events whose category is missing; give them one in the window",
            list(homeless),
            repairable=False,
        ),
    )
    return Finding("categories", problems)


def _derived_bounds(start: str, end: str | None) -> tuple:
    span = parse_span(start, end)
    return (
        float(span.start.lower),
        float(span.start.upper),
        float(span.end.lower) if span.end is not None else None,
        float(span.upper),
        span.start.precision.value,
    )


def _bounds_drift(connection: Connection) -> tuple[list[tuple], list[str]]:
    """Events whose stored bounds differ from their dates, as (id, *bounds) rows to write,
    and ids of events whose dates cannot be read at all."""
    rows = connection.exec_driver_sql(
        'SELECT id, start, "end", start_lo, start_hi, end_lo, end_hi, precision '
        "FROM events ORDER BY id"
    ).all()
    drifted: list[tuple] = []
    unreadable: list[str] = []
    for event_id, start, end, *stored in rows:
        try:
            derived = _derived_bounds(start, end)
        except DateError:
            unreadable.append(event_id)
            continue
        if tuple(stored) != derived:
            drifted.append((event_id, *derived))
    return drifted, unreadable


def check_dates(connection: Connection) -> Finding:
    """The stored bounds and precision must be what the EDTF text of each event gives."""
    drifted, unreadable = _bounds_drift(connection)
    problems = (
        *_problem("events whose date bounds differ from their dates", [row[0] for row in drifted]),
        *_problem(
            "events whose dates cannot be read; correct them in the window",
            unreadable,
            repairable=False,
        ),
    )
    return Finding("date bounds", problems)


def check_history(connection: Connection) -> Finding:
    """History rows that cannot be read (their JSON or their kind damaged): the window and
    exports skip them; only a backup brings their content back."""
    unreadable = unreadable_history_ids(connection)
    return Finding(
        "history",
        _problem(
            "recorded changes that cannot be read (history numbers; restore a backup)",
            unreadable,
            repairable=False,
        ),
    )


CHECKS = (
    ("full-text index", check_full_text),
    ("links", check_links),
    ("categories", check_categories),
    ("date bounds", check_dates),
    ("history", check_history),
)


def _first_line(error: DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig else str(error)


def check_all(connection: Connection) -> list[Finding]:
    """Every check, the file first: when SQLite finds it damaged, the others would only read
    its symptoms (or fail on them), so they are not run."""
    file_finding = check_file(connection)
    if not file_finding.ok:
        reason = "the database file is damaged"
        return [file_finding, *(Finding(name, not_checked=reason) for name, _check in CHECKS)]
    findings = [file_finding]
    for name, run_check in CHECKS:
        try:
            findings.append(run_check(connection))
        except DBAPIError as error:
            problem = Problem("cannot be read", 1, (quoted(_first_line(error)),), False)
            findings.append(Finding(name, (problem,)))
    return findings


@dataclass(frozen=True, slots=True)
class Repairs:
    """How many rows each repair touched."""

    full_text_rows: int
    date_bounds: int
    link_rows: int
    category_parents: int


def rebuild_full_text(connection: Connection) -> int:
    """Fill the FTS5 table again from the events; returns the number of rows indexed."""
    if not _is_sqlite(connection):
        return 0
    # 'rebuild' first: a damaged index can refuse the DELETE that empties it.
    connection.exec_driver_sql("INSERT INTO events_fts (events_fts) VALUES ('rebuild')")
    connection.exec_driver_sql("DELETE FROM events_fts")
    return connection.exec_driver_sql(
        "INSERT INTO events_fts (rowid, title, description, location) "
        "SELECT rowid, title, description, location FROM events"
    ).rowcount


def rederive_dates(connection: Connection) -> int:
    drifted, _unreadable = _bounds_drift(connection)
    if drifted:
        connection.execute(
            text(
                "UPDATE events SET start_lo = :start_lo, start_hi = :start_hi, "
                "end_lo = :end_lo, end_hi = :end_hi, precision = :precision WHERE id = :id"
            ),
            [dict(zip(("id", *BOUND_COLUMNS), row, strict=True)) for row in drifted],
        )
    return len(drifted)


def delete_orphaned_links(connection: Connection) -> int:
    removed = 0
    for table in LINK_KEYS:
        conditions = " OR ".join(
            f"{column} NOT IN (SELECT {key} FROM {target})"
            for link_table, column, target, key in LINK_TABLES
            if link_table == table
        )
        removed += connection.exec_driver_sql(f"DELETE FROM {table} WHERE {conditions}").rowcount
    return removed


def clear_dangling_parents(connection: Connection) -> int:
    return connection.exec_driver_sql(
        "UPDATE categories SET parent_id = NULL WHERE parent_id IS NOT NULL "
        "AND parent_id NOT IN (SELECT id FROM categories)"
    ).rowcount


def repair_all(connection: Connection) -> Repairs:
    """Every derivable repair, on the caller's transaction (all or nothing)."""
    return Repairs(
        full_text_rows=rebuild_full_text(connection),
        date_bounds=rederive_dates(connection),
        link_rows=delete_orphaned_links(connection),
        category_parents=clear_dangling_parents(connection),
    )


def check_database(engine: Engine) -> list[Finding]:
    """Every check on a connection of its own, rolled back: a check never writes."""
    with engine.connect() as connection:
        try:
            return check_all(connection)
        finally:
            connection.rollback()


def repair_database(engine: Engine, location: str) -> Repairs:
    """Every derivable repair in one transaction; a database error undoes all of them."""
    try:
        with engine.begin() as connection:
            return repair_all(connection)
    except DBAPIError as error:
        raise TimelineError(
            f"{location}: repair failed ({_first_line(error)}); nothing was changed"
        ) from error
