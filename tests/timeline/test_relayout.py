"""Lanes are laid out once per burst of changes, and an edit reuses what it did not touch."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6 import QtWidgets
from timeline_builders import DAY, many_events

from timeline_app.domain.columns import EventColumns
from timeline_app.timeline import markers
from timeline_app.timeline.labels import place_labels, rects_overlap
from timeline_app.timeline.lanes import build_lanes, patch_lanes
from timeline_app.timeline.lookup import mask_of_ids
from timeline_app.timeline.view import TimelineWidget


def shown(qtbot) -> TimelineWidget:
    timeline = TimelineWidget()
    qtbot.addWidget(timeline)
    timeline.resize(1000, 600)
    timeline.show()
    qtbot.waitExposed(timeline)
    return timeline


def settle(timeline: TimelineWidget) -> None:
    QtWidgets.QApplication.processEvents()
    timeline.grab()  # paint, hit-test and fit all read the lanes


def test_opening_and_reloading_lay_the_lanes_out_once(qtbot) -> None:
    timeline = shown(qtbot)
    columns = many_events(3000, seed=4)
    before = timeline.canvas.lane_builds
    # What the window does when it opens: events, eras, filter, lane mode, fit.
    timeline.set_events(columns)
    timeline.set_eras([])
    timeline.set_filter(None)
    timeline.set_lane_mode("category")
    timeline.fit_all()
    settle(timeline)
    assert timeline.canvas.lane_builds == before + 1
    assert timeline.events_item.frame().row.size > 0  # and it was drawn from those lanes
    # A reload with a filter by ids: once more, and only once.
    timeline.set_events(columns)
    timeline.set_eras([])
    timeline.set_filter([str(event_id) for event_id in columns.ids[::3]])
    settle(timeline)
    assert timeline.canvas.lane_builds == before + 2
    assert timeline.canvas.mask.sum() == len(columns.ids[::3])
    timeline.set_lane_mode("single")
    timeline.set_lane_mode("category")
    settle(timeline)
    assert timeline.canvas.lane_builds == before + 3
    assert timeline.lane_names() == list(columns.category_names)


def test_an_edit_keeps_the_selection_and_lays_out_as_a_fresh_load_would(qtbot) -> None:
    timeline = shown(qtbot)
    columns = many_events(4000, seed=5, categories=3)
    timeline.set_events(columns)
    settle(timeline)
    spans = np.flatnonzero(columns.is_span)
    chosen = [str(columns.ids[spans[10]]), str(columns.ids[7])]
    timeline.set_selection(chosen)
    assert timeline.canvas.rows.track.shape[0] == len(columns)  # packed: edits resume there
    # Move one span (its start changes: the selection must still find it) and add one.
    moved = columns.take(np.asarray([spans[10]]))
    moved = dataclasses.replace(moved, start=moved.start - 400 * DAY)
    added = dataclasses.replace(
        columns.take(np.asarray([spans[20]])),
        ids=np.asarray(["new-span"], dtype=object),
        end=columns.end[[spans[20]]] + 300 * DAY,
    )
    incoming = EventColumns(
        **{
            name: np.concatenate([getattr(moved, name), getattr(added, name)])
            for name in (
                *("start", "end", "is_span", "precision", "category"),
                *("importance", "certainty", "ids", "titles"),
            )
        },
        category_names=columns.category_names,
        category_colours=columns.category_colours,
    )
    order = np.argsort(incoming.start, kind="stable")
    patched = columns.patched([chosen[0]], incoming.take(order))
    timeline.set_events(patched)
    settle(timeline)
    assert sorted(timeline.selected_ids()) == sorted(chosen)
    fresh = build_lanes(patched)
    rows = timeline.canvas.rows
    assert np.array_equal(rows.event, fresh.event)
    assert np.array_equal(rows.track, fresh.track)
    assert np.array_equal(rows.tracks, fresh.tracks)
    assert np.array_equal(rows.density_hi, fresh.density_hi)


def test_track_counts_match_the_packing(sample_columns) -> None:
    for seed in range(5):
        rows = build_lanes(many_events(1500, seed=seed, categories=2))
        for lane in range(rows.lane_count):
            track = rows.lane_track(lane)
            spans = rows.is_span[rows.lane_slice(lane)]
            used = int(track[spans].max()) + 1 if spans.any() else 0
            assert rows.tracks[lane] == used


def test_ids_are_found_with_and_without_start_hints() -> None:
    columns = many_events(500, seed=2)
    few = [str(columns.ids[i]) for i in (3, 250, 499)]
    expected = np.zeros(len(columns), dtype=bool)
    expected[[3, 250, 499]] = True
    assert np.array_equal(mask_of_ids(columns, few), expected)
    hints = columns.start[[3, 250, 499]].copy()
    hints[1] += DAY * 1000  # a stale hint: that id is looked for everywhere
    assert np.array_equal(mask_of_ids(columns, few, hints), expected)
    many = [str(event_id) for event_id in columns.ids[::2]] + ["no such id"]
    assert mask_of_ids(columns, many).sum() == len(columns.ids[::2])
    assert not mask_of_ids(columns, []).any()


def test_the_overview_counts_what_the_filter_shows(qtbot) -> None:
    timeline = shown(qtbot)
    columns = many_events(2000, seed=6)
    timeline.set_events(columns)
    mask = np.zeros(len(columns), dtype=bool)
    mask[::4] = True
    timeline.set_filter(mask)
    settle(timeline)
    assert timeline.overview.histogram(300).sum() == mask.sum()
    # By actor an event has a row per actor: the overview still counts it once.
    timeline.set_events(dataclasses.replace(columns, actors=(("A", "B"),) * len(columns)))
    timeline.set_lane_mode("actor")
    settle(timeline)
    assert len(timeline.canvas.rows) == 2 * len(columns)
    assert timeline.overview.histogram(301).sum() == len(columns)


def test_a_pan_keeps_the_titles_in_place_and_titles_what_comes_into_view(
    qtbot, monkeypatch
) -> None:
    timeline = shown(qtbot)
    columns = many_events(600, seed=8, categories=6)
    titles = columns.titles.copy()
    titles[:] = [f"Event {i}: a headline" for i in range(len(titles))]
    timeline.set_events(dataclasses.replace(columns, titles=titles))
    settle(timeline)
    tried: list[int] = []

    def counting(anchor_x, *args, **kwargs):
        tried.append(len(anchor_x))
        return place_labels(anchor_x, *args, **kwargs)

    monkeypatch.setattr(markers, "place_labels", counting)
    whole_lower, whole_upper = timeline.visible_range()
    lower = whole_lower + (whole_upper - whole_lower) * 0.3
    upper = whole_upper - (whole_upper - whole_lower) * 0.3
    timeline.zoom_to(lower - DAY, upper)  # another zoom: titles placed afresh
    before = timeline.events_item.frame()
    assert len(before.labels) > 10
    moved_by = (upper - lower) * 0.05
    timeline.zoom_to(lower - DAY + moved_by, upper + moved_by)
    after = timeline.events_item.frame()
    assert len(tried) == 2 and tried[1] < tried[0] / 3  # only what came into view is tried
    shift = -moved_by * before.scale
    lefts = dict(zip(before.label_event.tolist(), before.labels.left.tolist(), strict=True))
    kept = [i for i, event in enumerate(after.label_event.tolist()) if event in lefts]
    assert len(kept) > len(before.labels) // 2
    for i in kept:  # where the shifted title still fits, it is that title, shifted
        shifted = lefts[int(after.label_event[i])] + shift
        if shifted >= 0:
            assert after.labels.left[i] == pytest.approx(shifted)
    rects = after.labels.rects()
    for a in range(len(rects)):
        assert rects[a][0] >= 0 and rects[a][0] + rects[a][2] <= after.width + 1e-6
        for b in range(a + 1, len(rects)):
            assert not rects_overlap(rects[a], rects[b])
    right = after.labels.left + after.labels.width
    assert (right > after.width * 0.95).any()  # the stretch that came into view has titles


def test_patched_lanes_equal_a_fresh_layout_after_any_small_edit() -> None:
    rng = np.random.default_rng(11)
    columns = many_events(3000, seed=12, categories=5)
    rows = build_lanes(columns)
    patched_any = 0
    for _ in range(40):
        # An edit: an event changed (moved a little, maybe to another category), added or
        # deleted; sometimes two near each other.
        count = len(columns)
        at = int(rng.integers(0, count - 2))
        picked = np.arange(at, at + int(rng.integers(1, 3)))
        kind = rng.choice(["edit", "add", "delete"])
        gone = picked if kind != "add" else picked[:0]
        source = columns.take(picked if kind != "delete" else picked[:0])
        moved = rng.uniform(-30, 30, len(source)) * DAY
        incoming = dataclasses.replace(
            source,
            start=source.start + moved,
            end=source.end + moved,
            category=(
                source.category  # most edits keep the lane: the rows are patched in place
                if rng.random() < 0.6
                else rng.integers(0, 5, len(source)).astype(np.int32)
            ),
            ids=(
                source.ids
                if kind == "edit"
                else np.asarray([f"n{rng.integers(1e9)}" for _ in source.ids], dtype=object)
            ),
        )
        incoming = incoming.take(np.argsort(incoming.start, kind="stable"))
        after = columns.patched([str(i) for i in columns.ids[gone]], incoming)
        assert rows.track.shape == rows.event.shape  # packed: the patch carries that over
        patched = patch_lanes(rows, columns, after)
        fresh = build_lanes(after)
        if patched is not None:
            patched_any += 1
            assert [lane.key for lane in patched.lanes] == [lane.key for lane in fresh.lanes]
            assert [lane.count for lane in patched.lanes] == [lane.count for lane in fresh.lanes]
            for name in ("event", "start", "end", "pos", "is_span", "reach", "offsets"):
                assert np.array_equal(getattr(patched, name), getattr(fresh, name)), name
            for name in ("density_lo", "density_hi", "tracks", "track"):
                assert np.array_equal(getattr(patched, name), getattr(fresh, name)), name
        columns, rows = after, (patched if patched is not None else fresh)
    assert patched_any > 30


def test_a_long_pan_keeps_about_as_many_titles_as_a_fresh_placement(qtbot) -> None:
    timeline = shown(qtbot)
    columns = many_events(800, seed=9, categories=8)
    titles = columns.titles.copy()
    titles[:] = [f"Event {i}: a headline of everyday length" for i in range(len(titles))]
    timeline.set_events(dataclasses.replace(columns, titles=titles))
    settle(timeline)
    whole_lower, whole_upper = timeline.visible_range()
    span = (whole_upper - whole_lower) * 0.3
    lower = whole_lower + span
    for step in range(80):  # the view creeps right, titles coming in at the right edge
        timeline.zoom_to(lower + step * span * 0.005, lower + span + step * span * 0.005)
        timeline.events_item.frame()
    panned = timeline.events_item.frame()
    timeline.zoom_to(panned.lower - DAY, panned.upper)
    fresh = timeline.events_item.frame()
    assert len(panned.labels) >= 0.8 * len(fresh.labels)
    right = panned.labels.left + panned.labels.width
    assert (right > panned.width * 0.6).sum() >= 0.6 * (
        (fresh.labels.left + fresh.labels.width > fresh.width * 0.6).sum()
    )
