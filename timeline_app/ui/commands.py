"""One small undoable command per kind of edit, each a thin call into the catalog services.

A command is applied once by `Workspace.run` (so a refused edit raises before it is pushed);
afterwards `undo`/`redo` replay it. Replays restore records with their ids, so other commands
further down the stack still find what they refer to. Optimistic locking is kept on replay:
an undo never overwrites an event someone else changed since — it reports and is dropped.
A command that touches many rows says so (`runs_in_background`): the workspace then applies,
undoes and redoes it on a worker thread, handing `apply`/`revert` a progress callback that
can stop them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from timeline_app.domain.changes import Changes
from timeline_app.domain.errors import NotFoundError, TimelineError
from timeline_app.domain.model import CategoryRecord, EraRecord, EventDraft, EventRecord
from timeline_app.domain.progress import Progress, no_progress

if TYPE_CHECKING:  # the formats are read only when an import is undone or redone
    from timeline_app.services.catalog import (
        Catalog,
        EventsChange,
        MergeResult,
        TagMergeResult,
    )
    from timeline_app.services.interchange import Document, ImportResult
    from timeline_app.ui.workspace import Workspace


BACKGROUND_THRESHOLD = 200
"""A command over at least this many events runs off the GUI thread."""


def _quoted(text: str, limit: int = 40) -> str:
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


class ServiceCommand(QUndoCommand):
    """Base: `apply` does the edit, `revert` takes it back; both return the touched ids.

    Both may run on a worker thread (see `runs_in_background`), so they touch no widget."""

    touches_categories = False

    def __init__(self, workspace: Workspace, text: str) -> None:
        super().__init__(text)
        self.workspace = workspace
        self.catalog: Catalog = workspace.catalog
        self._skip_step = False

    @property
    def runs_in_background(self) -> bool:
        """Whether the next apply or revert touches so many rows that it belongs off the
        GUI thread."""
        return False

    def apply(self, progress: Progress = no_progress) -> list[str]:
        raise NotImplementedError

    def revert(self, progress: Progress = no_progress) -> list[str]:
        raise NotImplementedError

    def changes_of(self, touched: list[str]) -> Changes:
        """What an apply or revert that touched `touched` changed, for the views."""
        if not touched:
            return Changes(categories=self.touches_categories, names=True, everything=True)
        return Changes.of_events(touched, categories=self.touches_categories)

    def apply_now(self) -> None:
        """First application, called before the push; errors propagate to the caller."""
        touched = self.apply()
        self.skip_next_step()
        self.workspace.notify(touched, self.touches_categories)

    def skip_next_step(self) -> None:
        """The next `redo`/`undo` the stack calls was already done (first application, or
        done on a worker thread): it only moves the stack."""
        self._skip_step = True

    def redo(self) -> None:
        if self._skip_step:
            self._skip_step = False
            return
        self._replay(self.apply)

    def undo(self) -> None:
        if self._skip_step:
            self._skip_step = False
            return
        self._replay(self.revert)

    def _replay(self, step) -> None:
        try:
            touched = step()
        except TimelineError as error:
            self.setObsolete(True)
            self.workspace.commandFailed.emit(f"Cannot {self.text().lower()}: {error}")
            self.workspace.notify([], True)
            return
        self.workspace.notify(touched, self.touches_categories)


# ---- events --------------------------------------------------------------------------------


class CreateEventCommand(ServiceCommand):
    """A command that creates one event: undo deletes it, redo puts the same record back."""

    def __init__(self, workspace: Workspace, text: str) -> None:
        super().__init__(workspace, text)
        self.record: EventRecord | None = None

    def create(self) -> EventRecord:
        raise NotImplementedError

    def apply(self, progress: Progress = no_progress) -> list[str]:
        if self.record is None:
            self.record = self.create()
        else:
            self.catalog.restore_events([self.record])
        return [self.record.id]

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.record is not None
        self.catalog.delete_events([self.record.id])
        return [self.record.id]


class AddEventCommand(CreateEventCommand):
    def __init__(self, workspace: Workspace, draft: EventDraft) -> None:
        super().__init__(workspace, f"Add event {_quoted(draft.title)}")
        self.draft = draft

    def create(self) -> EventRecord:
        return self.catalog.add_event(self.draft)


class EditEventCommand(ServiceCommand):
    """Save an edit made on `expected_version`; ConflictError if the stored one moved on."""

    def __init__(
        self, workspace: Workspace, event_id: str, draft: EventDraft, expected_version: int
    ) -> None:
        super().__init__(workspace, f"Edit event {_quoted(draft.title)}")
        self.event_id = event_id
        self.draft = draft
        self.expected_version = expected_version
        self.before: EventRecord | None = None
        self.after: EventRecord | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        if self.after is None:
            before = self.catalog.event(self.event_id)
            self.after = self.catalog.update_event(self.event_id, self.draft, self.expected_version)
            self.before = before
        else:
            assert self.before is not None
            self.after = self.catalog.update_event(
                self.event_id, self.after.to_draft(), self._version_holding(self.before)
            )
        return [self.event_id]

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.before is not None and self.after is not None
        self.before = self.catalog.update_event(
            self.event_id, self.before.to_draft(), self._version_holding(self.after)
        )
        return [self.event_id]

    def _version_holding(self, expected: EventRecord) -> int:
        """The version to overwrite: the stored one when it still holds `expected`'s content.

        Later commands that were undone (a move to another category and back) leave the
        content as this command left it but the version moved on; that is no conflict.
        Content someone else changed keeps `expected.version`, so the save is refused.
        """
        try:
            stored = self.catalog.event(self.event_id)
        except NotFoundError:
            return expected.version
        return stored.version if stored.to_draft() == expected.to_draft() else expected.version


class DeleteEventsCommand(ServiceCommand):
    def __init__(self, workspace: Workspace, ids: list[str]) -> None:
        count = len(ids)
        super().__init__(workspace, "Delete event" if count == 1 else f"Delete {count} events")
        self.ids = list(ids)
        self.records: list[EventRecord] = []

    @property
    def runs_in_background(self) -> bool:
        return len(self.ids) >= BACKGROUND_THRESHOLD

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.records = self.catalog.delete_events(self.ids, progress=progress)
        if len(self.records) == 1:
            self.setText(f"Delete event {_quoted(self.records[0].title)}")
        return self.ids

    def revert(self, progress: Progress = no_progress) -> list[str]:
        self.catalog.restore_events(self.records, progress=progress)
        return [record.id for record in self.records]


class DuplicateEventCommand(CreateEventCommand):
    def __init__(self, workspace: Workspace, event_id: str) -> None:
        super().__init__(workspace, "Duplicate event")
        self.event_id = event_id

    def create(self) -> EventRecord:
        record = self.catalog.duplicate_event(self.event_id)
        self.setText(f"Duplicate event {_quoted(record.title)}")
        return record


class SetCategoryCommand(ServiceCommand):
    """Move events to another category (from the table's context menu)."""

    def __init__(self, workspace: Workspace, ids: list[str], category: str) -> None:
        super().__init__(workspace, f"Move {len(ids)} event(s) to {_quoted(category)}")
        self.ids = list(ids)
        self.category = category
        self.previous: dict[str, str] = {}

    @property
    def runs_in_background(self) -> bool:
        return len(self.ids) >= BACKGROUND_THRESHOLD

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.previous = self.catalog.set_category_of(self.ids, self.category, progress=progress)
        return self.ids

    def revert(self, progress: Progress = no_progress) -> list[str]:
        self.catalog.restore_categories_of(self.previous, progress=progress)
        return self.ids


# ---- categories ----------------------------------------------------------------------------


class _CategoryCommand(ServiceCommand):
    touches_categories = True

    def _record(self, name: str) -> CategoryRecord:
        for record in self.catalog.categories():
            if record.name == name:
                return record
        raise TimelineError(f"category {name!r} does not exist")

    def _children(self, name: str) -> list[str]:
        return [record.name for record in self.catalog.categories() if record.parent == name]

    def _restore_children(self, name: str, children: list[str]) -> None:
        for child in children:
            self.catalog.update_category(child, parent=name)


class AddCategoryCommand(_CategoryCommand):
    def __init__(
        self,
        workspace: Workspace,
        name: str,
        colour: str | None = None,
        parent: str | None = None,
        description: str = "",
    ) -> None:
        super().__init__(workspace, f"Add category {_quoted(name)}")
        self.name, self.colour, self.parent, self.description = name, colour, parent, description
        self.record: CategoryRecord | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        if self.record is None:
            self.record = self.catalog.add_category(
                self.name, self.colour, parent=self.parent, description=self.description
            )
        else:
            record = self.record
            self.catalog.add_category(
                record.name,
                record.colour,
                parent=record.parent,
                description=record.description,
                sort_order=record.sort_order,
            )
        return []

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.record is not None
        self.catalog.delete_category(self.record.name)
        return []


class EditCategoryCommand(_CategoryCommand):
    """Rename, recolour, re-parent or re-describe one category (one field per command)."""

    def __init__(
        self,
        workspace: Workspace,
        name: str,
        *,
        new_name: str | None = None,
        colour: str | None = None,
        parent: str | bool | None = False,
        description: str | None = None,
    ) -> None:
        if new_name is not None:
            text = f"Rename category {_quoted(name)} to {_quoted(new_name)}"
        elif colour is not None:
            text = f"Recolour category {_quoted(name)}"
        elif parent is not False:
            text = f"Move category {_quoted(name)}"
        else:
            text = f"Describe category {_quoted(name)}"
        super().__init__(workspace, text)
        self.name = name
        self.changes = {
            "new_name": new_name,
            "colour": colour,
            "parent": parent,
            "description": description,
        }
        self.before: CategoryRecord | None = None
        self.after: CategoryRecord | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        if self.before is None:
            self.before = self._record(self.name)
            self.after = self.catalog.update_category(self.name, **self.changes)
        else:
            assert self.after is not None
            self._set(self.before.name, self.after)
        return []

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.before is not None and self.after is not None
        self._set(self.after.name, self.before)
        return []

    def _set(self, current_name: str, wanted: CategoryRecord) -> None:
        self.catalog.update_category(
            current_name,
            new_name=wanted.name,
            colour=wanted.colour,
            parent=wanted.parent,
            description=wanted.description,
        )


class ReorderCategoriesCommand(_CategoryCommand):
    def __init__(self, workspace: Workspace, names: list[str]) -> None:
        super().__init__(workspace, "Reorder categories")
        self.names = list(names)
        self.previous: list[str] = []

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.previous = self.catalog.reorder_categories(self.names)
        return []

    def revert(self, progress: Progress = no_progress) -> list[str]:
        self.catalog.reorder_categories(self.previous)
        return []


class MergeCategoriesCommand(_CategoryCommand):
    """Move every event of `source` into `target` and remove `source`."""

    def __init__(self, workspace: Workspace, source: str, target: str) -> None:
        super().__init__(workspace, f"Merge category {_quoted(source)} into {_quoted(target)}")
        self.source = source
        self.target = target
        self.result: MergeResult | None = None
        self.children: list[str] = []

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.children = self._children(self.source)
        self.result = self.catalog.merge_categories(self.source, self.target)
        return list(self.result.moved_ids)

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.result is not None
        self.catalog.unmerge_categories(self.result)
        self._restore_children(self.source, self.children)
        return list(self.result.moved_ids)


class DeleteCategoryCommand(_CategoryCommand):
    """Delete a category; its events, if any, go to `move_to`."""

    def __init__(self, workspace: Workspace, name: str, move_to: str | None = None) -> None:
        text = f"Delete category {_quoted(name)}"
        if move_to:
            text += f" (events to {_quoted(move_to)})"
        super().__init__(workspace, text)
        self.name = name
        self.move_to = move_to
        self.result: MergeResult | None = None
        self.children: list[str] = []

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.children = self._children(self.name)
        self.result = self.catalog.delete_category(self.name, move_to=self.move_to)
        return list(self.result.moved_ids)

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.result is not None
        self.catalog.unmerge_categories(self.result)
        self._restore_children(self.name, self.children)
        return list(self.result.moved_ids)


# ---- files ---------------------------------------------------------------------------------


class ImportFileCommand(ServiceCommand):
    """Import a read document; undo removes exactly what it added and restores what it changed.

    `result` is given when the import was already applied (off the GUI thread)."""

    touches_categories = True

    def __init__(
        self, workspace: Workspace, document: Document, result: ImportResult | None = None
    ) -> None:
        super().__init__(workspace, f"Import {_quoted(Path(document.path).name)}")
        self.document = document
        self.result = result
        self._pre_applied = result is not None

    @property
    def runs_in_background(self) -> bool:
        return not self._pre_applied

    def apply(self, progress: Progress = no_progress) -> list[str]:
        if self._pre_applied:
            self._pre_applied = False
        else:
            from timeline_app.services.interchange import apply_import

            self.result = apply_import(self.catalog, self.document, progress=progress)
        return self._touched()

    def revert(self, progress: Progress = no_progress) -> list[str]:
        from timeline_app.services.interchange import undo_import

        undo_import(self.catalog, self._result(), progress=progress)
        return self._touched()

    def _result(self) -> ImportResult:
        assert self.result is not None
        return self.result

    def _touched(self) -> list[str]:
        result = self._result()
        return [*result.added_ids, *(record.id for record in result.replaced)]


# ---- several events at once ----------------------------------------------------------------


class EditEventsCommand(ServiceCommand):
    """One edit of several events (category, certainty, importance, tags, actors): one undo
    takes all of it back. `seen` are the events as the user saw them; one changed elsewhere
    since is a conflict, never overwritten."""

    def __init__(self, workspace: Workspace, seen: list[EventRecord], change: EventsChange) -> None:
        count = len(seen)
        super().__init__(workspace, "Edit event" if count == 1 else f"Edit {count} events")
        self.seen = list(seen)
        self.change = change
        self.before: tuple[EventRecord, ...] = ()
        self.after: tuple[EventRecord, ...] = ()

    @property
    def runs_in_background(self) -> bool:
        return len(self.seen) >= BACKGROUND_THRESHOLD

    @property
    def touches_categories(self) -> bool:  # type: ignore[override]
        return self.change.category is not None  # the category counts move

    def apply(self, progress: Progress = no_progress) -> list[str]:
        if not self.after:
            edit = self.catalog.edit_events(self.change, self.seen, progress=progress)
        else:
            edit = self.catalog.rewrite_events(self.before, self.after, progress=progress)
        self.before, self.after = edit.before, edit.after
        return edit.ids

    def revert(self, progress: Progress = no_progress) -> list[str]:
        edit = self.catalog.rewrite_events(self.after, self.before, progress=progress)
        self.after, self.before = edit.before, edit.after
        return edit.ids


# ---- tags and eras -------------------------------------------------------------------------


class _PublishingCommand(ServiceCommand):
    """A command whose `changes_of` says exactly what it changed (names, eras), so the views
    redraw only that instead of reading every event again."""

    def apply_now(self) -> None:
        touched = self.apply()
        self.skip_next_step()
        self.workspace.publish(self.changes_of(touched))

    def _replay(self, step) -> None:
        try:
            touched = step()
        except TimelineError as error:
            self.setObsolete(True)
            self.workspace.commandFailed.emit(f"Cannot {self.text().lower()}: {error}")
            self.workspace.notify([], True)
            return
        self.workspace.publish(self.changes_of(touched))


class _TagCommand(_PublishingCommand):
    """Tags show in the pick lists and in the events citing them."""

    def __init__(self, workspace: Workspace, text: str, event_count: int = 0) -> None:
        super().__init__(workspace, text)
        self.event_count = event_count

    @property
    def runs_in_background(self) -> bool:
        return self.event_count >= BACKGROUND_THRESHOLD

    def changes_of(self, touched: list[str]) -> Changes:
        return Changes(events=frozenset(touched), names=True)


class RenameTagCommand(_TagCommand):
    def __init__(self, workspace: Workspace, name: str, new_name: str, event_count: int = 0):
        super().__init__(
            workspace, f"Rename tag {_quoted(name)} to {_quoted(new_name)}", event_count
        )
        self.name = name
        self.new_name = new_name

    def apply(self, progress: Progress = no_progress) -> list[str]:
        return list(self.catalog.rename_tag(self.name, self.new_name))

    def revert(self, progress: Progress = no_progress) -> list[str]:
        return list(self.catalog.rename_tag(self.new_name.strip(), self.name))


class MergeTagsCommand(_TagCommand):
    """Events citing `source` cite `target` instead; undo restores exactly who cited what."""

    def __init__(self, workspace: Workspace, source: str, target: str, event_count: int = 0):
        super().__init__(
            workspace, f"Merge tag {_quoted(source)} into {_quoted(target)}", event_count
        )
        self.source = source
        self.target = target
        self.result: TagMergeResult | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.result = self.catalog.merge_tags(self.source, self.target)
        return self.result.event_ids

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.result is not None
        self.catalog.unmerge_tags(self.result)
        return self.result.event_ids


class DeleteTagCommand(_TagCommand):
    """Remove a tag, and from every event citing it."""

    def __init__(self, workspace: Workspace, name: str, event_count: int = 0):
        super().__init__(workspace, f"Delete tag {_quoted(name)}", event_count)
        self.name = name
        self.result: TagMergeResult | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.result = self.catalog.delete_tag(self.name)
        return self.result.event_ids

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.result is not None
        self.catalog.undelete_tag(self.result)
        return self.result.event_ids


class _EraCommand(_PublishingCommand):
    """Eras touch no event: the timeline redraws its era strips, nothing is read again."""

    def changes_of(self, touched: list[str]) -> Changes:
        return Changes(eras=True)


class AddEraCommand(_EraCommand):
    def __init__(
        self,
        workspace: Workspace,
        name: str,
        start: str,
        end: str | None,
        colour: str,
        group: str = "",
    ) -> None:
        super().__init__(workspace, f"Add era {_quoted(name)}")
        self.values = (name, start, end, colour, group)
        self.record: EraRecord | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        if self.record is None:
            self.record = self.catalog.add_era(*self.values)
        else:
            era = self.record
            self.catalog.add_era(era.name, era.start, era.end, era.colour, era.group, era_id=era.id)
        return []

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.record is not None
        self.catalog.delete_era(self.record.id)
        return []


class EditEraCommand(_EraCommand):
    """Change an era's name, dates (as typed), colour or group."""

    def __init__(
        self,
        workspace: Workspace,
        era_id: str,
        text: str,
        *,
        name: str | None = None,
        start: str | None = None,
        end: str | None = None,
        colour: str | None = None,
        group: str | None = None,
    ) -> None:
        super().__init__(workspace, text)
        self.era_id = era_id
        self.changes = {"name": name, "start": start, "end": end, "colour": colour, "group": group}
        self.before: EraRecord | None = None
        self.after: EraRecord | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        if self.after is None:
            before = self.catalog.era(self.era_id)
            self.after = self.catalog.update_era(self.era_id, **self.changes)
            self.before = before
        else:
            self.catalog.restore_era(self.after)
        return []

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.before is not None
        self.catalog.restore_era(self.before)
        return []


class DeleteEraCommand(_EraCommand):
    def __init__(self, workspace: Workspace, era: EraRecord) -> None:
        super().__init__(workspace, f"Delete era {_quoted(era.name)}")
        self.era = era

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.era = self.catalog.delete_era(self.era.id)
        return []

    def revert(self, progress: Progress = no_progress) -> list[str]:
        era = self.era
        self.catalog.add_era(era.name, era.start, era.end, era.colour, era.group, era_id=era.id)
        return []
