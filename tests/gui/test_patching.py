"""Edits among many events patch the views; the result must equal a full reload."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from timeline_app.domain.model import EventDraft, EventFilter
from timeline_app.ui import event_views
from timeline_app.ui.commands import (
    AddEventCommand,
    DeleteEventsCommand,
    DuplicateEventCommand,
    EditEventCommand,
    SetCategoryCommand,
)

FIELDS = ("start", "end", "is_span", "precision", "category", "importance", "certainty")


def state(window) -> tuple:
    """What both views show, with ties on the start put in id order."""
    columns = window.timeline.canvas.columns
    order = sorted(range(len(columns)), key=lambda i: (columns.start[i], columns.ids[i]))
    drawn = tuple(tuple(np.asarray(getattr(columns, name))[order].tolist()) for name in FIELDS)
    return (
        window.table.table_model.ids().tolist(),
        tuple(columns.ids[order].tolist()),
        tuple(columns.titles[order].tolist()),
        drawn,
        tuple(columns.actors[i] for i in order) if columns.actors else (),
        columns.category_names,
        window.count_label.text(),
        window.table.selected_ids(),
    )


@pytest.fixture
def patching(monkeypatch, window):
    """Patch from a handful of events on, and count the full reloads."""
    monkeypatch.setattr(event_views, "PATCH_FROM", 1)
    reloads: list[int] = []
    original = window.views.reload_events
    monkeypatch.setattr(window.views, "reload_events", lambda: (reloads.append(1), original())[1])
    return reloads


def run_and_compare(window, command) -> None:
    window.workspace.run(command)
    patched = state(window)
    window.views.reload_events()
    assert patched == state(window)


@pytest.mark.parametrize("lanes", ["category", "actor"])
@pytest.mark.parametrize("filtered", [False, True])
def test_edits_patch_the_views_to_what_a_reload_shows(window, patching, lanes, filtered):
    window.set_lane_mode(lanes)
    if filtered:
        window.views.set_filter(EventFilter(min_importance=3))
    catalog = window.workspace.catalog
    reloads_before = len(patching)
    draft = EventDraft(
        "Rosatom fuel deal", "2001-03", category="Nuclear file", importance=4, actors=("Rosatom",)
    )
    run_and_compare(window, AddEventCommand(window.workspace, draft))
    added = next(r for r in catalog.events() if r.title == "Rosatom fuel deal")
    window.select_events([added.id])
    moved = replace(added.to_draft(), start="1990", importance=2, actors=("Iran", "Rosatom"))
    run_and_compare(window, EditEventCommand(window.workspace, added.id, moved, added.version))
    run_and_compare(window, DuplicateEventCommand(window.workspace, added.id))
    first = next(r for r in catalog.events() if r.title == "Bushehr reactor agreement")
    run_and_compare(window, SetCategoryCommand(window.workspace, [first.id], "Energy"))
    run_and_compare(window, DeleteEventsCommand(window.workspace, [added.id, first.id]))
    failures: list[str] = []
    window.workspace.commandFailed.connect(failures.append)
    for _ in range(5):
        window.workspace.undo_stack.undo()
        undone = state(window)
        window.views.reload_events()
        assert undone == state(window)
    assert failures == []
    assert len(patching) - reloads_before == 10  # the comparisons only: every edit patched


def test_a_changed_category_colour_falls_back_to_a_full_reload(window, patching):
    catalog = window.workspace.catalog
    catalog.update_category("Energy", colour="#123456")
    gas = next(r for r in catalog.events() if r.category == "Energy")
    window.workspace.notify([gas.id], categories=False)
    assert len(patching) == 1
    assert window.timeline.canvas.columns.category_colours[2] == "#123456"


def test_under_a_filter_the_store_answers_an_edit_keeps_the_others_until_placed_again(
    window, patching, monkeypatch
):
    """A text filter is placed again after an edit (in the background at scale); until then
    the table keeps the matching events the edit left alone, and no longer shows the changed
    ones at stale places."""
    window.views.set_filter(EventFilter(actors=frozenset({"Russia"})))
    assert window.count_label.text() == "showing 2 of 3 events"
    catalog = window.workspace.catalog
    bushehr = next(r for r in catalog.events() if r.title.startswith("Bushehr"))
    placed = []
    real_set_filter = window.views.set_filter
    monkeypatch.setattr(window.views, "set_filter", placed.append)
    retitled = replace(bushehr.to_draft(), title="Bushehr contract renewed")  # same place
    window.workspace.run(EditEventCommand(window.workspace, bushehr.id, retitled, bushehr.version))
    assert len(placed) == 1  # the filter waits to be placed again
    titles = [
        window.table.table_model.columns().titles[p] for p in window.table.table_model.positions()
    ]
    assert titles == ["Caspian summit in Tehran"]
    real_set_filter(placed[0])
    assert window.count_label.text() == "showing 2 of 3 events"
    assert sorted(window.table.table_model.ids().tolist()) == sorted(
        r.id for r in catalog.events() if "Russia" in r.actors
    )
