"""ORM classes over the schema's tables, for the benchmarks' naive baselines only.

The app itself reads and writes with Core statements (see `schema`); nothing in the
package imports this module, so no start-up pays for the ORM.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase, relationship

from timeline_app.store import schema


class Base(DeclarativeBase):
    metadata = schema.metadata


class Meta(Base):
    __table__ = schema.meta


class Category(Base):
    __table__ = schema.categories


class Actor(Base):
    __table__ = schema.actors


class Tag(Base):
    __table__ = schema.tags


class Source(Base):
    __table__ = schema.sources


class EventSource(Base):
    __table__ = schema.event_sources
    source = relationship(Source, lazy="joined")  # so a flush writes the source first


class Era(Base):
    __table__ = schema.eras


class Event(Base):
    __table__ = schema.events
