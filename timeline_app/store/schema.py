"""The database schema as SQLAlchemy Core tables.

Migrations in `db/` create exactly these tables; `tests/store/test_migrations.py` checks that
the two never drift apart. Full-text search is added per dialect by the migration (an FTS5
table on SQLite, a generated tsvector with a GIN index on PostgreSQL) and is not described
here. Core tables, not ORM classes: the app reads and writes with Core statements, and
importing the ORM would cost every start a sixth of a second for nothing.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

APP_MARKER = "timeline-app"
"""Written to the `meta` table: how we recognise a database as ours."""

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
"""Key/value facts about the database itself (its owner app, when it was created)."""

categories = Table(
    "categories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("colour", String(7), nullable=False),
    Column("parent_id", ForeignKey("categories.id", ondelete="SET NULL"), default=None),
    Column("sort_order", Integer, nullable=False, default=0),
    Column("description", Text, nullable=False, default=""),
)

actors = Table(
    "actors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("kind", String(40), nullable=False, default=""),
)

tags = Table(
    "tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False, unique=True),
)

sources = Table(
    "sources",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("publisher", String(120), nullable=False, default=""),
    Column("url", String(2000), nullable=False),
    Column("published", String(40), default=None),
)

event_sources = Table(
    "event_sources",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
    Column("note", Text, nullable=False, default=""),
    Index("ix_event_sources_source_id", "source_id"),
)

eras = Table(
    "eras",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("start", String(64), nullable=False),
    Column("end", String(64), default=None),
    Column("lower", Float, nullable=False),
    Column("upper", Float, nullable=False),
    Column("colour", String(7), nullable=False),
    Column("group_name", String(60), nullable=False, default=""),
)

events = Table(
    "events",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("start", String(64), nullable=False),
    Column("end", String(64), default=None),
    Column("start_lo", Float, nullable=False),
    Column("start_hi", Float, nullable=False),
    Column("end_lo", Float, default=None),
    Column("end_hi", Float, nullable=False),
    Column("precision", String(16), nullable=False),
    Column("category_id", ForeignKey("categories.id", ondelete="RESTRICT"), nullable=False),
    Column("importance", Integer, nullable=False, default=3),
    Column("certainty", String(16), nullable=False, default="confirmed"),
    Column("location", String(120), default=None),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    CheckConstraint("importance BETWEEN 1 AND 5", name="ck_events_importance"),
    CheckConstraint(
        "certainty IN ('confirmed', 'reported', 'alleged', 'disputed')",
        name="ck_events_certainty",
    ),
    Index("ix_events_start_lo_id", "start_lo", "id"),
    Index("ix_events_end_hi", "end_hi"),
    Index("ix_events_category_id", "category_id"),
)

event_actors = Table(
    "event_actors",
    metadata,
    Column("event_id", String(36), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, server_default="0"),
    Index("ix_event_actors_actor_id", "actor_id"),
)

event_tags = Table(
    "event_tags",
    metadata,
    Column("event_id", String(36), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, server_default="0"),
    Index("ix_event_tags_tag_id", "tag_id"),
)
