"""Undoable edits of actors: rename, kind, aliases, merge and delete, each a thin call into
`services.actors` (the pattern of `ui/commands.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from timeline_app.domain.changes import Changes
from timeline_app.domain.progress import Progress, no_progress
from timeline_app.services import actors as service
from timeline_app.ui.commands import BACKGROUND_THRESHOLD, _PublishingCommand, _quoted

if TYPE_CHECKING:
    from timeline_app.ui.workspace import Workspace


class _ActorCommand(_PublishingCommand):
    """Actors show in the pick lists, the lanes by actor and the events citing them."""

    def __init__(self, workspace: Workspace, text: str, event_count: int = 0) -> None:
        super().__init__(workspace, text)
        self.event_count = event_count

    @property
    def runs_in_background(self) -> bool:
        return self.event_count >= BACKGROUND_THRESHOLD

    def changes_of(self, touched: list[str]) -> Changes:
        return Changes(events=frozenset(touched), names=True)


class RenameActorCommand(_ActorCommand):
    def __init__(self, workspace: Workspace, name: str, new_name: str, event_count: int = 0):
        super().__init__(
            workspace, f"Rename actor {_quoted(name)} to {_quoted(new_name)}", event_count
        )
        self.name = name
        self.new_name = new_name.strip()

    def apply(self, progress: Progress = no_progress) -> list[str]:
        return list(service.rename_actor(self.catalog, self.name, self.new_name))

    def revert(self, progress: Progress = no_progress) -> list[str]:
        return list(service.rename_actor(self.catalog, self.new_name, self.name))


class SetActorKindCommand(_ActorCommand):
    """The kind is the actor's own: no event changes, only the lists."""

    def __init__(self, workspace: Workspace, name: str, kind: str) -> None:
        shown = _quoted(kind.strip()) if kind.strip() else "none"
        super().__init__(workspace, f"Set the kind of {_quoted(name)} to {shown}")
        self.name = name
        self.kind = kind
        self.previous: str | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.previous = service.set_actor_kind(self.catalog, self.name, self.kind)
        return []

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.previous is not None
        service.set_actor_kind(self.catalog, self.name, self.previous)
        return []


class SetActorAliasesCommand(_ActorCommand):
    """Aliases change what search finds: the actor's events are named as touched, so a
    search showing them is placed again (no event's fields change)."""

    def __init__(self, workspace: Workspace, name: str, aliases: Sequence[str]) -> None:
        super().__init__(workspace, f"Set the aliases of {_quoted(name)}")
        self.name = name
        self.aliases = tuple(aliases)
        self.previous: tuple[str, ...] | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.previous = service.set_actor_aliases(self.catalog, self.name, self.aliases)
        return service.actor_event_ids(self.catalog, self.name)

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.previous is not None
        service.set_actor_aliases(self.catalog, self.name, self.previous)
        return service.actor_event_ids(self.catalog, self.name)


class MergeActorsCommand(_ActorCommand):
    """Events citing `duplicate` cite `kept` instead; undo restores exactly who cited what,
    where, and both actors' aliases."""

    def __init__(self, workspace: Workspace, duplicate: str, kept: str, event_count: int = 0):
        super().__init__(
            workspace, f"Merge actor {_quoted(duplicate)} into {_quoted(kept)}", event_count
        )
        self.duplicate = duplicate
        self.kept = kept
        self.result: service.ActorMerge | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.result = service.merge_actors(self.catalog, self.duplicate, self.kept)
        return self._touched()

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.result is not None
        service.unmerge_actors(self.catalog, self.result)
        return self._touched()

    def _touched(self) -> list[str]:
        """The kept actor's events too: the duplicate's name, now their alias, finds them."""
        assert self.result is not None
        kept = service.actor_event_ids(self.catalog, self.result.kept)
        return list(dict.fromkeys([*self.result.event_ids, *kept]))


class DeleteActorCommand(_ActorCommand):
    """Delete an actor no event cites; undo puts it back with its kind and aliases."""

    def __init__(self, workspace: Workspace, name: str) -> None:
        super().__init__(workspace, f"Delete actor {_quoted(name)}")
        self.name = name
        self.deleted: service.ActorUse | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.deleted = service.delete_unused_actor(self.catalog, self.name)
        return []

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.deleted is not None
        service.restore_actor(self.catalog, self.deleted)
        return []
