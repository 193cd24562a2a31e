"""Initial schema: events, categories, actors, tags, sources, eras, links, full-text search.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "categories",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
        sa.Column("colour", sa.String(7), nullable=False),
        sa.Column(
            "parent_id",
            sa.Integer(),
            sa.ForeignKey("categories.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
    )
    op.create_table(
        "actors",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
        sa.Column("kind", sa.String(40), nullable=False),
    )
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("publisher", sa.String(120), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("published", sa.String(40), nullable=True),
    )
    op.create_table(
        "eras",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("start", sa.String(64), nullable=False),
        sa.Column("end", sa.String(64), nullable=True),
        sa.Column("lower", sa.Float(), nullable=False),
        sa.Column("upper", sa.Float(), nullable=False),
        sa.Column("colour", sa.String(7), nullable=False),
        sa.Column("group_name", sa.String(60), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("start", sa.String(64), nullable=False),
        sa.Column("end", sa.String(64), nullable=True),
        sa.Column("start_lo", sa.Float(), nullable=False),
        sa.Column("start_hi", sa.Float(), nullable=False),
        sa.Column("end_lo", sa.Float(), nullable=True),
        sa.Column("end_hi", sa.Float(), nullable=False),
        sa.Column("precision", sa.String(16), nullable=False),
        sa.Column(
            "category_id",
            sa.Integer(),
            sa.ForeignKey("categories.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("importance", sa.Integer(), nullable=False),
        sa.Column("certainty", sa.String(16), nullable=False),
        sa.Column("location", sa.String(120), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("importance BETWEEN 1 AND 5", name="ck_events_importance"),
        sa.CheckConstraint(
            "certainty IN ('confirmed', 'reported', 'alleged', 'disputed')",
            name="ck_events_certainty",
        ),
    )
    op.create_index("ix_events_start_lo", "events", ["start_lo"])
    op.create_index("ix_events_end_hi", "events", ["end_hi"])
    op.create_index("ix_events_category_id", "events", ["category_id"])
    op.create_table(
        "event_actors",
        sa.Column(
            "event_id",
            sa.String(36),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "actor_id",
            sa.Integer(),
            sa.ForeignKey("actors.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_event_actors_actor_id", "event_actors", ["actor_id"])
    op.create_table(
        "event_tags",
        sa.Column(
            "event_id",
            sa.String(36),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "tag_id", sa.Integer(), sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_event_tags_tag_id", "event_tags", ["tag_id"])
    op.create_table(
        "event_sources",
        sa.Column(
            "event_id",
            sa.String(36),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "source_id",
            sa.String(36),
            sa.ForeignKey("sources.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_event_sources_source_id", "event_sources", ["source_id"])

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_full_text()
    elif dialect == "postgresql":
        op.execute(
            "ALTER TABLE events ADD COLUMN search tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(description, ''))) "
            "STORED"
        )
        op.execute("CREATE INDEX ix_events_search ON events USING GIN (search)")


def _sqlite_full_text() -> None:
    """An FTS5 index keyed by the events' rowid, kept in step with `events` by triggers."""
    op.execute(
        "CREATE VIRTUAL TABLE events_fts USING fts5("
        "title, description, tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN "
        "INSERT INTO events_fts (rowid, title, description) "
        "VALUES (new.rowid, new.title, new.description); END"
    )
    op.execute(
        "CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN "
        "DELETE FROM events_fts WHERE rowid = old.rowid; END"
    )
    op.execute(
        "CREATE TRIGGER events_fts_update AFTER UPDATE OF title, description ON events BEGIN "
        "UPDATE events_fts SET title = new.title, description = new.description "
        "WHERE rowid = old.rowid; END"
    )


def downgrade() -> None:
    for table in (
        "event_sources",
        "event_tags",
        "event_actors",
        "events",
        "eras",
        "sources",
        "tags",
        "actors",
        "categories",
        "meta",
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS events_fts")
