"""The full-text index covers the event's location too.

Search finds events by their location; read outside the index, that cost one pass over
every event's location on each search (a tenth of a second at a million events). The FTS5
table (SQLite) is made again with a location column and filled from the events; the
generated tsvector (PostgreSQL) is redefined.

Revision ID: 0004_search_location
Revises: 0003_evidence
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0004_search_location"
down_revision = "0003_evidence"
branch_labels = None
depends_on = None


def _sqlite_index(columns: tuple[str, ...]) -> None:
    """(Re)create the FTS5 table over `columns` of `events`, its triggers, and its rows."""
    listed = ", ".join(columns)
    new_values = ", ".join(f"new.{column}" for column in columns)
    assignments = ", ".join(f"{column} = new.{column}" for column in columns)
    for trigger in ("events_fts_insert", "events_fts_delete", "events_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS events_fts")
    op.execute(
        f"CREATE VIRTUAL TABLE events_fts USING fts5("
        f"{listed}, tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN "
        f"INSERT INTO events_fts (rowid, {listed}) VALUES (new.rowid, {new_values}); END"
    )
    op.execute(
        "CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN "
        "DELETE FROM events_fts WHERE rowid = old.rowid; END"
    )
    op.execute(
        f"CREATE TRIGGER events_fts_update AFTER UPDATE OF {listed} ON events BEGIN "
        f"UPDATE events_fts SET {assignments} WHERE rowid = old.rowid; END"
    )
    op.execute(f"INSERT INTO events_fts (rowid, {listed}) SELECT rowid, {listed} FROM events")


def _postgresql_index(expression: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_events_search")
    op.execute("ALTER TABLE events DROP COLUMN IF EXISTS search")
    op.execute(
        f"ALTER TABLE events ADD COLUMN search tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('simple', {expression})) STORED"
    )
    op.execute("CREATE INDEX ix_events_search ON events USING GIN (search)")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_index(("title", "description", "location"))
    elif dialect == "postgresql":
        _postgresql_index(
            "coalesce(title, '') || ' ' || coalesce(description, '') || ' ' "
            "|| coalesce(location, '')"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_index(("title", "description"))
    elif dialect == "postgresql":
        _postgresql_index("coalesce(title, '') || ' ' || coalesce(description, '')")
