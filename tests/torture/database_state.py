"""What a database holds, as a digest to compare, and putting a database back to a known state.

The digest covers every row of every table (SQLite: the full-text shadow tables too) in a
deterministic order, plus the schema objects, so "nothing changed" can be checked the same
way on SQLite and on PostgreSQL after a refused import or a killed process.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, create_engine, inspect
from sqlalchemy.pool import NullPool

KEPT_ON_WIPE = ("alembic_version", "meta")
"""Tables an emptied database keeps: what makes it a migrated timeline database."""


def engine_url(target: str) -> str:
    """A SQLAlchemy URL for a database target as the CLI takes it (a file path or a URL)."""
    return target if "://" in target else f"sqlite:///{target}"


@contextmanager
def connected(target: str) -> Iterator[Connection]:
    """One connection, no pool left behind: a test must not keep a SQLite file open."""
    engine = create_engine(engine_url(target), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def _tables(connection: Connection) -> list[str]:
    if connection.dialect.name == "sqlite":
        # sqlite_master also lists the FTS5 table and its shadow tables; inspect() does not.
        return sorted(
            connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).scalars()
        )
    return sorted(inspect(connection).get_table_names())


def _stored_columns(connection: Connection, table: str) -> list[str]:
    """Columns that hold data (not ones the database computes from the others)."""
    if connection.dialect.name == "sqlite":
        return [row[1] for row in connection.exec_driver_sql(f"PRAGMA table_info({table!r})")]
    return [
        column["name"]
        for column in inspect(connection).get_columns(table)
        if not column.get("computed")
    ]


def _schema_objects(connection: Connection) -> list[tuple]:
    if connection.dialect.name == "sqlite":
        query = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    else:
        query = (
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() ORDER BY tablename, indexname"
        )
    return [tuple(row) for row in connection.exec_driver_sql(query)]


def table_rows(connection: Connection, table: str) -> tuple[list[str], list[tuple]]:
    """Every row of a table, ordered by all its columns."""
    columns = _stored_columns(connection, table)
    listed = ", ".join(_quote(connection, name) for name in columns)
    order = ", ".join(str(position) for position in range(1, len(columns) + 1))
    rows = connection.exec_driver_sql(
        f"SELECT {listed} FROM {_quote(connection, table)} ORDER BY {order}"
    ).all()
    return columns, [tuple(row) for row in rows]


def database_digest(target: str) -> dict[str, str]:
    """A hash per table (and one for the schema objects): equal digests, equal contents.

    A dict rather than one hash, so a failing comparison names the table that changed.
    """
    with connected(target) as connection:
        digest = {
            "(schema)": hashlib.sha256(repr(_schema_objects(connection)).encode()).hexdigest()
        }
        for table in _tables(connection):
            columns, rows = table_rows(connection, table)
            hasher = hashlib.sha256(repr(columns).encode())
            for row in rows:
                hasher.update(repr(row).encode("utf-8", "backslashreplace"))
            digest[table] = f"{len(rows)} rows {hasher.hexdigest()[:16]}"
    return digest


def event_count(target: str) -> int:
    with connected(target) as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM events").scalar_one())


def sqlite_integrity(path: Path) -> str:
    """`PRAGMA integrity_check` of a SQLite file ("ok" when sound)."""
    connection = sqlite3.connect(path)
    try:
        return "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
    finally:
        connection.close()


def sqlite_checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file, so the file alone is the database."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _tables_in_insert_order(connection: Connection) -> list[str]:
    """Tables ordered so that every table comes after those its foreign keys point to."""
    names = inspect(connection).get_table_names()
    inspector = inspect(connection)
    needs = {
        name: {
            key["referred_table"]
            for key in inspector.get_foreign_keys(name)
            if key["referred_table"] != name
        }
        for name in names
    }
    ordered: list[str] = []
    while needs:
        ready = sorted(name for name, wanted in needs.items() if wanted <= set(ordered))
        assert ready, f"foreign keys form a cycle among {sorted(needs)}"
        ordered.extend(ready)
        for name in ready:
            del needs[name]
    return ordered


class RowSnapshot:
    """Every row of a PostgreSQL schema, to put back after a test changed it.

    Cheaper than building the schema again: delete all rows, insert the saved ones in
    foreign-key order. Sequences are left where they are, so later inserts never collide.
    """

    def __init__(self, target: str) -> None:
        self.target = target
        with connected(target) as connection:
            self.order = _tables_in_insert_order(connection)
            self.rows = {table: table_rows(connection, table) for table in self.order}

    def restore(self) -> None:
        with connected(self.target) as connection, connection.begin():
            for table in reversed(self.order):
                connection.exec_driver_sql(f"DELETE FROM {_quote(connection, table)}")
            for table in self.order:
                columns, rows = self.rows[table]
                if not rows:
                    continue
                listed = ", ".join(_quote(connection, name) for name in columns)
                marks = ", ".join(["%s"] * len(columns))
                connection.exec_driver_sql(
                    f"INSERT INTO {_quote(connection, table)} ({listed}) VALUES ({marks})", rows
                )


def wipe_rows(target: str) -> None:
    """Empty a migrated database of everything but what marks it as ours (any backend)."""
    with connected(target) as connection, connection.begin():
        for table in reversed(_tables_in_insert_order(connection)):
            if table not in KEPT_ON_WIPE:
                connection.exec_driver_sql(f"DELETE FROM {_quote(connection, table)}")


@dataclass(frozen=True, slots=True)
class Seed:
    """The bundled dataset in a database file, and that database exported as JSON and CSV.

    `empty` is a migrated database without events: the start of a round trip. The samples
    are the same exports cut to their first events (every category, source and era kept):
    files that import four times faster, so many more hostile variations fit in a run.
    """

    database: Path
    empty: Path
    json_text: str
    csv_text: str
    json_sample: str
    csv_sample: str

    def text(self, fmt: str, *, sample: bool = False) -> str:
        if fmt == "json":
            return self.json_sample if sample else self.json_text
        return self.csv_sample if sample else self.csv_text

    def copy_to(self, path: Path, *, empty: bool = False) -> Path:
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.empty if empty else self.database, path)
        return path
