"""The actors manager's use-cases: list with kinds, aliases and counts; rename, set kind, set
aliases, merge duplicates and delete unused ones — each one transaction that bumps the
versions of the events whose shown actors change and records the actor's history.

Aliases are other names in any script (Russia / Россия / روسیه): search finds an actor's
events by them. A name belongs to one actor: an alias may not be another actor's name, and
an actor may not be renamed to another's name or alias (merge the two instead).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from timeline_app.domain.errors import NotFoundError, ValidationError
from timeline_app.domain.evidence import HistoryEntity
from timeline_app.domain.rules import NAME_MAX, check_text
from timeline_app.services.catalog import Catalog
from timeline_app.services.history_log import record_changes
from timeline_app.store import actor_queries, catalog_queries, evidence_queries
from timeline_app.store.queries import Connection, now_text

KIND_MAX = 40
"""Longest actor kind the database holds."""


@dataclass(frozen=True, slots=True)
class ActorUse:
    """An actor as the manager lists it (and as an undo of its deletion puts it back)."""

    id: int
    name: str
    kind: str
    aliases: tuple[str, ...]
    event_count: int

    def fields(self) -> dict[str, object]:
        """What the history compares."""
        return {"name": self.name, "kind": self.kind, "aliases": list(self.aliases)}


@dataclass(frozen=True, slots=True)
class ActorMerge:
    """What merging `duplicate` into `kept_id` did, so it can be undone exactly: the
    duplicate as it was, the kept actor's former aliases, every event that cited the
    duplicate (with the position), and the kept actor's former positions on the events that
    cited both."""

    duplicate: ActorUse
    kept: str
    kept_id: int
    kept_aliases: tuple[str, ...]
    links: tuple[tuple[str, int], ...]
    kept_positions: tuple[tuple[str, int], ...]

    @property
    def event_ids(self) -> list[str]:
        return [event_id for event_id, _ in self.links]


# ---- reading -------------------------------------------------------------------------------


def actor_uses(catalog: Catalog) -> list[ActorUse]:
    """Every actor with kind, aliases and how many events cite it, alphabetically whatever
    the case."""
    with catalog.engine.connect() as connection:
        rows = actor_queries.actor_uses(connection)
        aliases = actor_queries.all_aliases(connection)
    uses = [ActorUse(i, name, kind, aliases.get(i, ()), count) for i, name, kind, count in rows]
    return sorted(uses, key=lambda use: (use.name.casefold(), use.name))


def actor_use(catalog: Catalog, name: str) -> ActorUse:
    with catalog.engine.connect() as connection:
        return _use(connection, name)


def actor_event_ids(catalog: Catalog, name: str) -> list[str]:
    """Ids of the events citing the actor (what search may find differently once its
    aliases change)."""
    with catalog.engine.connect() as connection:
        use = _use(connection, name)
        return [event_id for event_id, _ in actor_queries.actor_links(connection, use.id)]


def _use(connection: Connection, name: str) -> ActorUse:
    row = actor_queries.actor_row(connection, name)
    if row is None:
        raise NotFoundError(f"actor {name!r} does not exist")
    actor_id, found, kind = row
    links = actor_queries.actor_links(connection, actor_id)
    return ActorUse(
        actor_id, found, kind, actor_queries.aliases_of(connection, actor_id), len(links)
    )


def _record(connection: Connection, catalog: Catalog, changes: dict) -> None:
    record_changes(connection, HistoryEntity.ACTOR, changes, catalog.author)


def _owner_of(connection: Connection, name: str, *, besides: int) -> str | None:
    """The name of another actor (not `besides`) called `name` whatever the case."""
    folded = name.casefold()
    for actor_id, other, _kind, _count in actor_queries.actor_uses(connection):
        if actor_id != besides and other.casefold() == folded:
            return other
    return None


# ---- rename, kind, aliases -----------------------------------------------------------------


def rename_actor(catalog: Catalog, name: str, new_name: str) -> tuple[str, ...]:
    """Rename an actor; refused when another actor has the name or the alias (merge them
    instead). Returns the ids of the events citing it (their versions are raised)."""
    clean = check_text("name", new_name, limit=NAME_MAX)
    with catalog.engine.begin() as connection:
        before = _use(connection, name)
        if clean == before.name:
            return ()
        other = _owner_of(connection, clean, besides=before.id)
        if other is not None:
            raise ValidationError(
                "name", f"an actor named “{other}” already exists; merge the two instead"
            )
        holders = [n for n in evidence_queries.actors_named(connection, clean) if n != name]
        if holders:
            raise ValidationError(
                "name",
                f"“{clean}” is an alias of “{holders[0]}”; merge the two, or remove the alias "
                "first",
            )
        actor_queries.update_actor_row(connection, before.id, name=clean)
        ids = [event_id for event_id, _ in actor_queries.actor_links(connection, before.id)]
        catalog_queries.bump_event_versions(connection, ids, stamp=now_text())
        after = ActorUse(before.id, clean, before.kind, before.aliases, before.event_count)
        _record(connection, catalog, {str(before.id): (before.fields(), after.fields())})
        return tuple(ids)


def set_actor_kind(catalog: Catalog, name: str, kind: str) -> str:
    """Set an actor's kind (state, organisation, company, person…; "" for none); returns the
    kind it had. No event changes: the kind is the actor's own."""
    clean = check_text("kind", kind, limit=KIND_MAX, required=False)
    with catalog.engine.begin() as connection:
        before = _use(connection, name)
        if clean != before.kind:
            actor_queries.update_actor_row(connection, before.id, kind=clean)
            after = ActorUse(before.id, before.name, clean, before.aliases, before.event_count)
            _record(connection, catalog, {str(before.id): (before.fields(), after.fields())})
        return before.kind


def clean_aliases(name: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """Aliases as stored: trimmed, blanks and repeats (whatever the case) dropped, the actor's
    own name left out, in alphabetical order; ValidationError when one is too long."""
    kept: dict[str, str] = {}
    for alias in aliases:
        clean = check_text("aliases", alias, limit=NAME_MAX, required=False)
        if clean and clean.casefold() != name.casefold():
            kept.setdefault(clean.casefold(), clean)
    return tuple(sorted(kept.values()))


def set_actor_aliases(catalog: Catalog, name: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """Replace an actor's aliases (cleaned as `clean_aliases`); refused when one is another
    actor's name. Returns the aliases it had."""
    wanted = clean_aliases(name, aliases)
    with catalog.engine.begin() as connection:
        before = _use(connection, name)
        for alias in wanted:
            other = _owner_of(connection, alias, besides=before.id)
            if other is not None:
                raise ValidationError(
                    "aliases",
                    f"“{alias}” is the name of another actor; merge “{before.name}” and "
                    f"“{other}” instead",
                )
        if wanted != before.aliases:
            evidence_queries.set_actor_aliases(connection, before.id, wanted)
            after = ActorUse(before.id, before.name, before.kind, wanted, before.event_count)
            _record(connection, catalog, {str(before.id): (before.fields(), after.fields())})
        return before.aliases


# ---- merge ---------------------------------------------------------------------------------


def merge_actors(catalog: Catalog, duplicate: str, kept: str) -> ActorMerge:
    """Let every event citing `duplicate` cite `kept` instead and remove `duplicate`; its
    name and aliases become aliases of `kept`.

    An event citing both keeps one link, at the earlier of the two positions, so an actor
    listed first stays first."""
    if duplicate == kept:
        raise ValidationError("actor", "cannot merge an actor into itself")
    with catalog.engine.begin() as connection:
        gone = _use(connection, duplicate)
        target = _use(connection, kept)
        links = actor_queries.actor_links(connection, gone.id)
        kept_links = dict(actor_queries.actor_links(connection, target.id))
        both = [(event_id, pos) for event_id, pos in links if event_id in kept_links]
        only = [event_id for event_id, _ in links if event_id not in kept_links]
        kept_positions = tuple((event_id, kept_links[event_id]) for event_id, _ in both)
        actor_queries.delete_actor_links(connection, gone.id, [event_id for event_id, _ in both])
        actor_queries.set_link_positions(
            connection,
            target.id,
            [(event_id, min(pos, kept_links[event_id])) for event_id, pos in both],
        )
        actor_queries.repoint_actor_links(connection, gone.id, target.id, only)
        actor_queries.delete_actor_row(connection, gone.id)
        merged = clean_aliases(target.name, (*target.aliases, gone.name, *gone.aliases))
        evidence_queries.set_actor_aliases(connection, target.id, merged)
        catalog_queries.bump_event_versions(
            connection, [event_id for event_id, _ in links], stamp=now_text()
        )
        after = ActorUse(
            target.id, target.name, target.kind, merged, target.event_count + len(only)
        )
        _record(
            connection,
            catalog,
            {
                str(gone.id): (gone.fields(), None),
                str(target.id): (target.fields(), after.fields()),
            },
        )
    return ActorMerge(gone, target.name, target.id, target.aliases, tuple(links), kept_positions)


def unmerge_actors(catalog: Catalog, merge: ActorMerge) -> None:
    """Undo a merge: the duplicate comes back with its id, kind and aliases, cited by exactly
    the events that cited it at their former positions; the kept actor's aliases and
    positions are as they were."""
    gone = merge.duplicate
    with catalog.engine.begin() as connection:
        target_id = merge.kept_id
        target_name = _name_of(connection, target_id)
        target = _use(connection, target_name)
        actor_queries.insert_actor_row(connection, gone.id, gone.name, gone.kind)
        evidence_queries.set_actor_aliases(connection, gone.id, gone.aliases)
        evidence_queries.set_actor_aliases(connection, target_id, merge.kept_aliases)
        both = {event_id for event_id, _ in merge.kept_positions}
        moved = [event_id for event_id, _ in merge.links if event_id not in both]
        actor_queries.repoint_actor_links(connection, target_id, gone.id, moved)
        actor_queries.insert_actor_links(
            connection, gone.id, [link for link in merge.links if link[0] in both]
        )
        actor_queries.set_link_positions(connection, target_id, merge.kept_positions)
        catalog_queries.bump_event_versions(connection, merge.event_ids)
        restored = ActorUse(
            target_id, target.name, target.kind, merge.kept_aliases, target.event_count
        )
        _record(
            connection,
            catalog,
            {
                str(gone.id): (None, gone.fields()),
                str(target_id): (target.fields(), restored.fields()),
            },
        )


def _name_of(connection: Connection, actor_id: int) -> str:
    for found, name, _kind, _count in actor_queries.actor_uses(connection):
        if found == actor_id:
            return name
    raise NotFoundError("the actor merged into no longer exists")


# ---- delete and restore --------------------------------------------------------------------


def delete_unused_actor(catalog: Catalog, name: str) -> ActorUse:
    """Delete an actor no event cites (with its aliases); returns it for `restore_actor`."""
    with catalog.engine.begin() as connection:
        use = _use(connection, name)
        if use.event_count:
            noun = "event cites" if use.event_count == 1 else "events cite"
            raise ValidationError(
                "actor",
                f"{use.event_count:,} {noun} “{use.name}”: merge it into another actor instead",
            )
        actor_queries.delete_actor_row(connection, use.id)
        _record(connection, catalog, {str(use.id): (use.fields(), None)})
    return use


def restore_actor(catalog: Catalog, use: ActorUse) -> None:
    """Put a deleted actor back with its id, kind and aliases (undo of a delete)."""
    with catalog.engine.begin() as connection:
        if actor_queries.actor_row(connection, use.name) is not None:
            raise ValidationError("name", f"an actor named “{use.name}” exists again")
        actor_queries.insert_actor_row(connection, use.id, use.name, use.kind)
        evidence_queries.set_actor_aliases(connection, use.id, use.aliases)
        _record(connection, catalog, {str(use.id): (None, use.fields())})


def actor_kinds_in_use(uses: Sequence[ActorUse]) -> list[str]:
    """The distinct kinds the actors have, for the kind picker (common ones first)."""
    common = ["state", "organisation", "company", "person"]
    found = {use.kind for use in uses if use.kind}
    return [*common, *sorted(found - set(common))]
