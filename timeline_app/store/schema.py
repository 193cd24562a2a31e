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
    UniqueConstraint,
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
    Column("kind", String(24), nullable=False, server_default="other"),
    Column("language", String(16), nullable=False, server_default=""),
    Column("reliability", String(1), nullable=False, server_default="F"),
    CheckConstraint("reliability IN ('A', 'B', 'C', 'D', 'E', 'F')", name="ck_sources_reliability"),
)
"""Shared source records; `reliability` is the Admiralty grade A–F of the source."""

event_sources = Table(
    "event_sources",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
    Column("note", Text, nullable=False, default=""),
    Column("credibility", Integer, nullable=False, server_default="6"),
    Column("excerpt", Text, nullable=False, server_default=""),
    CheckConstraint("credibility BETWEEN 1 AND 6", name="ck_event_sources_credibility"),
    Index("ix_event_sources_source_id", "source_id"),
)
"""Citations: `credibility` (1–6) grades what this source says about this event."""

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


actor_aliases = Table(
    "actor_aliases",
    metadata,
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    Column("alias", String(120), primary_key=True),
    Index("ix_actor_aliases_alias", "alias"),
)
"""Other names of an actor, in any script (Россия, روسیه): search finds the actor by them."""

event_links = Table(
    "event_links",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("from_id", String(36), ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("to_id", String(36), ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("created_at", String(32), nullable=False),
    CheckConstraint(
        "kind IN ('led_to', 'responded_to', 'part_of', 'contradicts', 'same_as')",
        name="ck_event_links_kind",
    ),
    CheckConstraint("from_id <> to_id", name="ck_event_links_not_self"),
    UniqueConstraint("from_id", "to_id", "kind", name="uq_event_links_ends_kind"),
    Index("ix_event_links_to_id", "to_id"),
)
"""Typed links between events ("FROM led_to TO"); deleting either event deletes the link."""

event_notes = Table(
    "event_notes",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("event_id", String(36), ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("author", String(120), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_event_notes_event_id", "event_id"),
)

history = Table(
    "history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entity", String(16), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("action", String(8), nullable=False),
    Column("author", String(120), nullable=False),
    Column("at", String(32), nullable=False),
    Column("changes", Text, nullable=False),
    Column("snapshot", Text, default=None),
    Index("ix_history_entity", "entity", "entity_id", "id"),
)
"""Every recorded change, as JSON text: `changes` {field: [old, new]}, `snapshot` the whole
record after the change (before it, for a deletion). No foreign key: a deleted record's
history outlives it, so it can be restored."""
