"""Undoable edits of shared sources: change a source's fields, merge a duplicate into another.

Each is a thin call into `services.sources`; the views hear which events cite the source
(their grade or source title shows in tooltips and the inspector) and that sources changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from timeline_app.domain.changes import Changes
from timeline_app.domain.progress import Progress, no_progress
from timeline_app.services import sources
from timeline_app.ui.commands import BACKGROUND_THRESHOLD, _PublishingCommand, _quoted

if TYPE_CHECKING:
    from timeline_app.services.sources import SourceMergeResult, SourceRecord
    from timeline_app.ui.workspace import Workspace


class _SourceCommand(_PublishingCommand):
    """A source shows in every event citing it: those are what the views refresh."""

    def __init__(self, workspace: Workspace, text: str, event_count: int = 0) -> None:
        super().__init__(workspace, text)
        self.event_count = event_count

    @property
    def runs_in_background(self) -> bool:
        return self.event_count >= BACKGROUND_THRESHOLD

    def changes_of(self, touched: list[str]) -> Changes:
        return Changes(events=frozenset(touched), sources=True)


class EditSourceCommand(_SourceCommand):
    """Change shared fields of a source; undo puts back what it had, unless the source was
    changed elsewhere since (then the undo is refused and dropped)."""

    def __init__(
        self, workspace: Workspace, source: SourceRecord, text: str = "", **values: object
    ) -> None:
        super().__init__(
            workspace, text or f"Edit source {_quoted(source.title)}", source.event_count
        )
        self.source_id = source.id
        self.values = values
        self.before: SourceRecord | None = None
        self.after: SourceRecord | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        if self.after is None:
            self.before, self.after = sources.update_source(
                self.catalog, self.source_id, **self.values
            )
        else:
            assert self.before is not None
            sources.update_source(
                self.catalog, self.source_id, expected=self.before, **self.after.fields()
            )
        return sources.citing_event_ids(self.catalog, self.source_id)

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.before is not None and self.after is not None
        sources.update_source(
            self.catalog, self.source_id, expected=self.after, **self.before.fields()
        )
        return sources.citing_event_ids(self.catalog, self.source_id)


class MergeSourcesCommand(_SourceCommand):
    """Every citation of `duplicate` cites `kept` instead; undo restores exactly which
    events cited which source, with their notes, credibilities and excerpts."""

    def __init__(self, workspace: Workspace, duplicate: SourceRecord, kept: SourceRecord) -> None:
        super().__init__(
            workspace,
            f"Merge source {_quoted(duplicate.title)} into {_quoted(kept.title)}",
            duplicate.event_count,
        )
        self.duplicate_id = duplicate.id
        self.kept_id = kept.id
        self.result: SourceMergeResult | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.result = sources.merge_sources(self.catalog, self.duplicate_id, self.kept_id)
        return sources.citing_event_ids(self.catalog, self.kept_id)

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.result is not None
        sources.unmerge_sources(self.catalog, self.result)
        return sorted(
            set(sources.citing_event_ids(self.catalog, self.kept_id)) | set(self.result.event_ids)
        )
