"""Undoable edits of the links between events: add, edit (kind, note), remove; and the delete
of events that takes their links with it and brings them back on undo.

Replays keep the link's id, so a later command on the stack still finds the link it names.
Views learn of a link edit through `Changes(links=True)`: no event is read again.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from timeline_app.domain.changes import Changes
from timeline_app.domain.evidence import LINK_WORDS, EventLink, LinkKind
from timeline_app.domain.progress import Progress, no_progress
from timeline_app.ui.commands import DeleteEventsCommand, _PublishingCommand, _quoted

if TYPE_CHECKING:
    from timeline_app.ui.workspace import Workspace


def link_service() -> ModuleType:
    """`services.links`, imported on first use: the window paints its first frame before
    the database layer is loaded."""
    from timeline_app.services import links

    return links


class _LinkCommand(_PublishingCommand):
    """Links touch no event's own fields: the arrows and the inspector's list redraw."""

    def changes_of(self, touched: list[str]) -> Changes:
        return Changes(links=True)


class AddLinkCommand(_LinkCommand):
    """Link two events; undo removes the link, redo puts the same one back (same id)."""

    def __init__(
        self,
        workspace: Workspace,
        from_id: str,
        to_id: str,
        kind: LinkKind | str,
        note: str = "",
    ) -> None:
        kind = link_service().kind_of(kind)
        super().__init__(workspace, f"Link events ({LINK_WORDS[kind][0]})")
        self.from_id, self.to_id, self.kind, self.note = from_id, to_id, kind, note
        self.link: EventLink | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        if self.link is None:
            service = link_service()
            self.link = service.add_link(
                self.catalog, self.from_id, self.to_id, self.kind, self.note
            )
            titles = service.titles_of(self.catalog, [self.from_id, self.to_id])
            first, second = (titles.get(i, "?") for i in (self.from_id, self.to_id))
            self.setText(
                f"Link {_quoted(first, 28)} {LINK_WORDS[self.kind][0]} {_quoted(second, 28)}"
            )
        else:
            link_service().restore_links(self.catalog, [self.link])
        return []

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.link is not None
        link_service().delete_links(self.catalog, [self.link.id])
        return []


class EditLinkCommand(_LinkCommand):
    """Change a link's kind or note (None keeps it as it is)."""

    def __init__(
        self,
        workspace: Workspace,
        link_id: str,
        *,
        kind: LinkKind | str | None = None,
        note: str | None = None,
    ) -> None:
        super().__init__(workspace, "Change link" if kind is not None else "Change link note")
        self.link_id = link_id
        self.kind = None if kind is None else link_service().kind_of(kind)
        self.note = note
        self.before: EventLink | None = None
        self.after: EventLink | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        if self.after is None:
            self.before, self.after = link_service().edit_link(
                self.catalog, self.link_id, kind=self.kind, note=self.note
            )
        else:
            link_service().put_link(self.catalog, self.after)
        return []

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.before is not None
        link_service().put_link(self.catalog, self.before)
        return []


class DeleteLinkCommand(_LinkCommand):
    def __init__(self, workspace: Workspace, link_id: str) -> None:
        super().__init__(workspace, "Remove link")
        self.link_id = link_id
        self.removed: list[EventLink] = []

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.removed = link_service().delete_links(self.catalog, [self.link_id])
        return []

    def revert(self, progress: Progress = no_progress) -> list[str]:
        link_service().restore_links(self.catalog, self.removed)
        return []


class DeleteEventsAndLinksCommand(DeleteEventsCommand):
    """Delete events and the links that end at them; undo brings back both.

    The links are removed first, in a transaction of their own that records each in the
    history; should the events' deletion then fail, the links are put back."""

    def __init__(self, workspace: Workspace, ids: list[str]) -> None:
        super().__init__(workspace, ids)
        self.links: list[EventLink] = []

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.links = link_service().delete_links_of_events(self.catalog, self.ids)
        try:
            return super().apply(progress)
        except BaseException:
            link_service().restore_links(self.catalog, self.links)
            raise

    def revert(self, progress: Progress = no_progress) -> list[str]:
        touched = super().revert(progress)
        link_service().restore_links(self.catalog, self.links)
        return touched

    def changes_of(self, touched: list[str]) -> Changes:
        return super().changes_of(touched) | Changes(links=bool(self.links))
