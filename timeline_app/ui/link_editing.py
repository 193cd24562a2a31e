"""The window's work on links between events: the arrows the timeline draws, the View ▸ Show
Links toggle (remembered), links made by Alt+dragging on the timeline, and the inspector's
list of links choosing which event to show.

The links are read again whenever an edit may have changed them (a link edit, an event
deleted or restored, another database opened); they are few beside the events.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from timeline_app.domain.changes import Changes
from timeline_app.domain.errors import TimelineError
from timeline_app.domain.evidence import LINK_WORDS, LinkKind
from timeline_app.ui.link_commands import AddLinkCommand, link_service

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow


class LinkEditing:
    """Links in one window: drawn, toggled, made on the timeline, followed from the inspector."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.workspace = window.workspace
        self.timeline = window.timeline
        action = window.actions["show_links"]
        action.setCheckable(True)
        shown = window.settings.show_links()
        action.setChecked(shown)
        self.timeline.set_links_visible(shown)
        window.link_section.eventChosen.connect(self.select_event)
        self.timeline.linkRequested.connect(self.add_link)
        self.workspace.changed.connect(self._on_changed)
        self.reload()

    def reload(self) -> None:
        """Hand the timeline every link (the first frame's snapshot has none to give)."""
        catalog = self.workspace.catalog
        if getattr(catalog, "engine", None) is None:
            self.timeline.set_links([])
            return
        self.timeline.set_links(link_service().arrow_ends(catalog))

    def _on_changed(self, changes: Changes) -> None:
        if not self.window.closed and (changes.links or changes.events or changes.everything):
            self.reload()

    def set_shown(self, shown: bool) -> None:
        """Draw the arrows or not (remembered for the next start)."""
        self.timeline.set_links_visible(shown)
        self.window.settings.set_show_links(shown)
        self.window.actions["show_links"].setChecked(shown)

    def toggled(self) -> None:
        self.set_shown(self.window.actions["show_links"].isChecked())

    def add_link(self, from_id: str, to_id: str, kind: str) -> bool:
        """Link two events (the timeline's Alt+drag); a refusal is said in one line."""
        command = AddLinkCommand(self.workspace, from_id, to_id, kind)
        try:
            self.workspace.run(command)
        except TimelineError as error:
            self.window.editing.warn(f"Cannot link the events: {error}")
            return False
        if not self.timeline.links_visible():
            self.set_shown(True)  # a link just made should be seen
        words = LINK_WORDS[LinkKind(kind)][0]
        self.window.statusBar().showMessage(f"Linked ({words}) — Undo takes it back", 5000)
        return True

    def select_event(self, event_id: str) -> None:
        """Show the other end of a link (asking first about unsaved edits), in view."""
        self.window.selection.user_selected([event_id], None)
        if self.window.selected_ids() == [event_id]:
            lower, upper = self.timeline.visible_range()
            try:
                start = self.workspace.catalog.event_columns(ids=[event_id]).start
            except TimelineError:
                return
            if start.size and not lower <= float(start[0]) <= upper:
                middle = float(start[0])
                half = (upper - lower) / 2
                self.timeline.zoom_to(middle - half, middle + half)
