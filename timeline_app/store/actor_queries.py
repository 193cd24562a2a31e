"""SQL of the actors manager: counts, rename, kind, merge and delete, with the exact link
rows an undo puts back. Every function runs in the caller's transaction; none commits.
(Aliases are read and written by `evidence_queries`.)"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from timeline_app.store.queries import chunks
from timeline_app.store.schema import actor_aliases, actors, event_actors


def actor_uses(connection: Connection) -> list[tuple[int, str, str, int]]:
    """(id, name, kind, events citing it) of every actor, by name."""
    query = (
        select(actors.c.id, actors.c.name, actors.c.kind, func.count(event_actors.c.event_id))
        .select_from(actors.outerjoin(event_actors, event_actors.c.actor_id == actors.c.id))
        .group_by(actors.c.id, actors.c.name, actors.c.kind)
        .order_by(actors.c.name)
    )
    return [(int(i), name, kind, int(count)) for i, name, kind, count in connection.execute(query)]


def actor_row(connection: Connection, name: str) -> tuple[int, str, str] | None:
    """(id, name, kind) of the actor named exactly `name`."""
    row = connection.execute(
        select(actors.c.id, actors.c.name, actors.c.kind).where(actors.c.name == name)
    ).first()
    return None if row is None else (int(row[0]), row[1], row[2])


def aliases_of(connection: Connection, actor_id: int) -> tuple[str, ...]:
    """One actor's aliases in code-point order, whatever the database's collation (how
    every list shows them)."""
    query = select(actor_aliases.c.alias).where(actor_aliases.c.actor_id == actor_id)
    return tuple(sorted(connection.execute(query).scalars()))


def all_aliases(connection: Connection) -> dict[int, tuple[str, ...]]:
    """Every actor's aliases by actor id, as `aliases_of` orders them (actors without
    aliases left out)."""
    query = select(actor_aliases.c.actor_id, actor_aliases.c.alias)
    found: dict[int, list[str]] = {}
    for actor_id, alias in connection.execute(query):
        found.setdefault(int(actor_id), []).append(alias)
    return {actor_id: tuple(sorted(aliases)) for actor_id, aliases in found.items()}


def insert_actor_row(connection: Connection, actor_id: int, name: str, kind: str) -> None:
    """Put an actor back with its former id (undo of a merge or a delete)."""
    connection.execute(insert(actors).values(id=actor_id, name=name, kind=kind))


def update_actor_row(connection: Connection, actor_id: int, **values: str) -> None:
    """Set the name and/or kind of one actor."""
    connection.execute(update(actors).where(actors.c.id == actor_id).values(**values))


def delete_actor_row(connection: Connection, actor_id: int) -> None:
    """Delete one actor; its aliases go with it (and its links, where any are left)."""
    connection.execute(delete(actor_aliases).where(actor_aliases.c.actor_id == actor_id))
    connection.execute(delete(event_actors).where(event_actors.c.actor_id == actor_id))
    connection.execute(delete(actors).where(actors.c.id == actor_id))


def actor_links(connection: Connection, actor_id: int) -> list[tuple[str, int]]:
    """(event id, position) of every event citing the actor, by event id."""
    query = (
        select(event_actors.c.event_id, event_actors.c.position)
        .where(event_actors.c.actor_id == actor_id)
        .order_by(event_actors.c.event_id)
    )
    return [(event_id, int(position)) for event_id, position in connection.execute(query)]


def delete_actor_links(connection: Connection, actor_id: int, event_ids: Sequence[str]) -> None:
    for part in chunks(list(event_ids)):
        connection.execute(
            delete(event_actors).where(
                event_actors.c.actor_id == actor_id, event_actors.c.event_id.in_(part)
            )
        )


def repoint_actor_links(
    connection: Connection, old: int, new: int, event_ids: Sequence[str]
) -> None:
    """Make these events cite actor `new` where they cite `old`, at the same position."""
    for part in chunks(list(event_ids)):
        connection.execute(
            update(event_actors)
            .where(event_actors.c.actor_id == old, event_actors.c.event_id.in_(part))
            .values(actor_id=new)
        )


def insert_actor_links(
    connection: Connection, actor_id: int, links: Sequence[tuple[str, int]]
) -> None:
    """Let events cite the actor at the given positions: (event id, position)."""
    rows = [{"event_id": event_id, "actor_id": actor_id, "position": p} for event_id, p in links]
    for part in chunks(rows):
        connection.execute(insert(event_actors), list(part))


def set_link_positions(
    connection: Connection, actor_id: int, positions: Sequence[tuple[str, int]]
) -> None:
    """Move the actor's link on each event to the given position: (event id, position)."""
    for event_id, position in positions:
        connection.execute(
            update(event_actors)
            .where(and_(event_actors.c.actor_id == actor_id, event_actors.c.event_id == event_id))
            .values(position=position)
        )
