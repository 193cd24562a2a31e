"""SQL of the curation use-cases: categories, actors, eras, sources and the meta table.

Like `queries`, every function takes an open Connection inside the caller's transaction and
none commits: the use-cases decide what one transaction holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, delete, func, insert, select, update

from timeline_app.domain.model import SourceRef
from timeline_app.store.queries import (
    actors,
    categories,
    chunks,
    ensure_names,
    eras,
    events,
    names,
    sources,
    tags,
)
from timeline_app.store.schema import event_tags, meta

# ---- meta ----------------------------------------------------------------------------------


def meta_present(connection: Connection, key: str) -> bool:
    """Whether the meta table holds `key` (a mark such as "the dataset was loaded")."""
    return connection.execute(select(meta.c.value).where(meta.c.key == key)).first() is not None


def insert_meta(connection: Connection, key: str, value: str) -> None:
    connection.execute(insert(meta), [{"key": key, "value": value}])


def meta_value(connection: Connection, key: str) -> str | None:
    """The meta table's value for `key`, or None."""
    return connection.execute(select(meta.c.value).where(meta.c.key == key)).scalar()


def set_meta(connection: Connection, key: str, value: str | None) -> None:
    """Set (or, with None, remove) the meta table's value for `key`."""
    connection.execute(delete(meta).where(meta.c.key == key))
    if value is not None:
        insert_meta(connection, key, value)


# ---- actors, tags and sources --------------------------------------------------------------


def actor_names(connection: Connection) -> list[str]:
    return names(connection, actors)


def tag_names(connection: Connection) -> list[str]:
    return names(connection, tags)


def ensure_actors(connection: Connection, wanted: Iterable[str]) -> dict[str, int]:
    """Ids of actors by name, creating the missing ones (with no kind)."""
    return ensure_names(connection, actors, wanted)


def ensure_tags(connection: Connection, wanted: Iterable[str]) -> dict[str, int]:
    """Ids of tags by name, creating the missing ones."""
    return ensure_names(connection, tags, wanted)


def actor_kinds(connection: Connection) -> dict[str, str]:
    """Actor names, sorted, with their kind."""
    rows = connection.execute(select(actors.c.name, actors.c.kind).order_by(actors.c.name)).all()
    return {name: kind for name, kind in rows}


def actor_exists(connection: Connection, name: str) -> bool:
    count = connection.execute(
        select(func.count()).select_from(actors).where(actors.c.name == name)
    ).scalar_one()
    return bool(count)


def insert_actor(connection: Connection, name: str, kind: str) -> None:
    connection.execute(insert(actors).values(name=name, kind=kind))


def fill_actor_kind(connection: Connection, actor_id: int, kind: str) -> None:
    """Give an actor a kind unless it already has one."""
    connection.execute(
        update(actors).where(actors.c.id == actor_id, actors.c.kind == "").values(kind=kind)
    )


def source_refs(connection: Connection) -> list[SourceRef]:
    """Every stored source, by title (no note: a note belongs to a citation)."""
    rows = connection.execute(
        select(
            sources.c.title,
            sources.c.url,
            sources.c.publisher,
            sources.c.published,
            sources.c.id,
            sources.c.kind,
            sources.c.language,
            sources.c.reliability,
        ).order_by(sources.c.title)
    )
    return [SourceRef(r[0], r[1], r[2], r[3], "", r[4], r[5], r[6], r[7]) for r in rows]


# ---- categories ----------------------------------------------------------------------------


def category_id(connection: Connection, name: str) -> int | None:
    found = connection.execute(select(categories.c.id).where(categories.c.name == name)).scalar()
    return None if found is None else int(found)


def insert_category(connection: Connection, **values: object) -> None:
    """Insert one category row with the given columns (name, colour, parent_id, …); those
    left out take their defaults."""
    connection.execute(insert(categories).values(**values))


def update_category_row(connection: Connection, category: int, values: dict) -> None:
    connection.execute(update(categories).where(categories.c.id == category).values(**values))


def delete_category_row(connection: Connection, category: int) -> None:
    connection.execute(delete(categories).where(categories.c.id == category))


def reparent_categories(connection: Connection, old_parent: int, new_parent: int | None) -> None:
    """Give the children of `old_parent` the parent `new_parent` (None: top level)."""
    connection.execute(
        update(categories).where(categories.c.parent_id == old_parent).values(parent_id=new_parent)
    )


def event_ids_in_category(connection: Connection, category: int) -> tuple[str, ...]:
    return tuple(
        connection.execute(select(events.c.id).where(events.c.category_id == category)).scalars()
    )


def category_in_use(connection: Connection, category: int | None) -> bool:
    """Whether any event is in the category."""
    found = connection.execute(select(events.c.id).where(events.c.category_id == category)).first()
    return found is not None


def move_category_events(connection: Connection, old: int, new: int) -> None:
    """Move every event of category `old` to `new`, raising their versions."""
    connection.execute(
        update(events)
        .where(events.c.category_id == old)
        .values(category_id=new, version=events.c.version + 1)
    )


def set_events_category(
    connection: Connection, ids: Sequence[str], category: int, *, stamp: str | None = None
) -> None:
    """Put events into a category, raising their versions; `stamp` also sets updated_at
    (an edit does, an undo does not)."""
    values: dict = {"category_id": category, "version": events.c.version + 1}
    if stamp is not None:
        values["updated_at"] = stamp
    for part in chunks(list(ids)):
        connection.execute(update(events).where(events.c.id.in_(part)).values(**values))


def set_event_category(connection: Connection, event_id: str, category: int) -> None:
    """Put one event back into a category, raising its version (undo: updated_at stays)."""
    connection.execute(
        update(events)
        .where(events.c.id == event_id)
        .values(category_id=category, version=events.c.version + 1)
    )


# ---- eras ----------------------------------------------------------------------------------


def era_ids(connection: Connection) -> set[str]:
    return set(connection.execute(select(eras.c.id)).scalars())


def insert_eras(connection: Connection, rows: list[dict]) -> None:
    """Insert eras, one dict of column values each."""
    connection.execute(insert(eras), rows)


def delete_eras(connection: Connection, ids: Sequence[str]) -> None:
    for part in chunks(list(ids)):
        connection.execute(delete(eras).where(eras.c.id.in_(part)))


# ---- tags: counts, rename, merge, delete ---------------------------------------------------


def tag_uses(connection: Connection) -> list[tuple[str, int]]:
    """Every tag by name with the number of events citing it (0 for an unused one)."""
    query = (
        select(tags.c.name, func.count(event_tags.c.event_id))
        .select_from(tags.outerjoin(event_tags, event_tags.c.tag_id == tags.c.id))
        .group_by(tags.c.id, tags.c.name)
        .order_by(tags.c.name)
    )
    return [(name, int(count)) for name, count in connection.execute(query)]


def tag_id(connection: Connection, name: str) -> int | None:
    found = connection.execute(select(tags.c.id).where(tags.c.name == name)).scalar()
    return None if found is None else int(found)


def insert_tag(connection: Connection, tag: int, name: str) -> None:
    """Put a tag back with its former id (undo of a merge or a delete)."""
    connection.execute(insert(tags).values(id=tag, name=name))


def rename_tag_row(connection: Connection, tag: int, name: str) -> None:
    connection.execute(update(tags).where(tags.c.id == tag).values(name=name))


def delete_tag_row(connection: Connection, tag: int) -> None:
    connection.execute(delete(tags).where(tags.c.id == tag))


def tag_links(connection: Connection, tag: int) -> list[tuple[str, int]]:
    """(event id, position) of every event citing the tag, by event id."""
    query = (
        select(event_tags.c.event_id, event_tags.c.position)
        .where(event_tags.c.tag_id == tag)
        .order_by(event_tags.c.event_id)
    )
    return [(event_id, int(position)) for event_id, position in connection.execute(query)]


def delete_tag_links(connection: Connection, tag: int, event_ids: Sequence[str]) -> None:
    for part in chunks(list(event_ids)):
        connection.execute(
            delete(event_tags).where(event_tags.c.tag_id == tag, event_tags.c.event_id.in_(part))
        )


def repoint_tag_links(connection: Connection, old: int, new: int, event_ids: Sequence[str]) -> None:
    """Make these events cite tag `new` where they cite `old`, keeping the tag's position."""
    for part in chunks(list(event_ids)):
        connection.execute(
            update(event_tags)
            .where(event_tags.c.tag_id == old, event_tags.c.event_id.in_(part))
            .values(tag_id=new)
        )


def insert_tag_links(connection: Connection, tag: int, links: Sequence[tuple[str, int]]) -> None:
    """Let events cite the tag again at their former positions: (event id, position)."""
    rows = [{"event_id": event_id, "tag_id": tag, "position": pos} for event_id, pos in links]
    for part in chunks(rows):
        connection.execute(insert(event_tags), list(part))


def bump_event_versions(
    connection: Connection, ids: Sequence[str], *, stamp: str | None = None
) -> None:
    """Raise the versions of events whose links changed; `stamp` also sets updated_at (an
    edit does, an undo does not)."""
    values: dict = {"version": events.c.version + 1}
    if stamp is not None:
        values["updated_at"] = stamp
    for part in chunks(list(ids)):
        connection.execute(update(events).where(events.c.id.in_(part)).values(**values))


# ---- eras: editing -------------------------------------------------------------------------


def update_era_row(connection: Connection, era: str, values: dict) -> bool:
    """Overwrite columns of one era; False when it no longer exists."""
    result = connection.execute(update(eras).where(eras.c.id == era).values(**values))
    return bool(result.rowcount)
