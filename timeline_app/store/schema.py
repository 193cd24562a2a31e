"""The database schema as SQLAlchemy 2.0 typed models.

Migrations in `db/` create exactly these tables; `tests/store/test_migrations.py` checks that
the two never drift apart. Full-text search is added per dialect by the migration (an FTS5
table on SQLite, a generated tsvector with a GIN index on PostgreSQL) and is not mapped here.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

APP_MARKER = "timeline-app"
"""Written to the `meta` table: how we recognise a database as ours."""


class Base(DeclarativeBase):
    pass


event_actors = Table(
    "event_actors",
    Base.metadata,
    Column("event_id", String(36), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", Integer, ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, server_default="0"),
    Index("ix_event_actors_actor_id", "actor_id"),
)

event_tags = Table(
    "event_tags",
    Base.metadata,
    Column("event_id", String(36), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, server_default="0"),
    Index("ix_event_tags_tag_id", "tag_id"),
)


class Meta(Base):
    """Key/value facts about the database itself (its owner app, when it was created)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Category(Base):
    __tablename__ = "categories"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    colour: Mapped[str] = mapped_column(String(7))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), default=None
    )
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text, default="")


class Actor(Base):
    __tablename__ = "actors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="")


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class Source(Base):
    __tablename__ = "sources"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str] = mapped_column(String(120), default="")
    url: Mapped[str] = mapped_column(String(2000))
    published: Mapped[str | None] = mapped_column(String(40), default=None)


class EventSource(Base):
    __tablename__ = "event_sources"
    __table_args__ = (Index("ix_event_sources_source_id", "source_id"),)
    event_id: Mapped[str] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    source_id: Mapped[str] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[Source] = relationship(lazy="joined")


class Era(Base):
    __tablename__ = "eras"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    start: Mapped[str] = mapped_column(String(64))
    end: Mapped[str | None] = mapped_column(String(64), default=None)
    lower: Mapped[float] = mapped_column(Float)
    upper: Mapped[float] = mapped_column(Float)
    colour: Mapped[str] = mapped_column(String(7))
    group: Mapped[str] = mapped_column("group_name", String(60), default="")


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("importance BETWEEN 1 AND 5", name="ck_events_importance"),
        CheckConstraint(
            "certainty IN ('confirmed', 'reported', 'alleged', 'disputed')",
            name="ck_events_certainty",
        ),
        Index("ix_events_start_lo", "start_lo"),
        Index("ix_events_end_hi", "end_hi"),
        Index("ix_events_category_id", "category_id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[str] = mapped_column(String(64))
    end: Mapped[str | None] = mapped_column(String(64), default=None)
    start_lo: Mapped[float] = mapped_column(Float)
    start_hi: Mapped[float] = mapped_column(Float)
    end_lo: Mapped[float | None] = mapped_column(Float, default=None)
    end_hi: Mapped[float] = mapped_column(Float)
    precision: Mapped[str] = mapped_column(String(16))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    importance: Mapped[int] = mapped_column(Integer, default=3)
    certainty: Mapped[str] = mapped_column(String(16), default="confirmed")
    location: Mapped[str | None] = mapped_column(String(120), default=None)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)
