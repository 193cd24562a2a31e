"""Grading sources from the inspector: each citation shows its grade, editing one sets the
source's kind, language and reliability and the citation's credibility and excerpt; the
certainty the grades suggest is offered, never applied unasked. Filter by grade."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from timeline_app.domain.model import Certainty, EventDraft, SourceRef
from timeline_app.services import sources
from timeline_app.ui.inspector import GRADE_COLUMN


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _choose(combo, value) -> None:
    """Pick an entry as a user does (the combo's `activated` follows)."""
    index = combo.findData(value)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def _show(window, qtbot, title: str) -> str:
    event_id = next(r.id for r in window.workspace.catalog.events() if r.title == title)
    window.select_events([event_id])
    qtbot.waitUntil(lambda: window.inspector.current_id() == event_id)
    return event_id


def test_grade_a_citation_in_the_inspector_and_apply_the_suggestion(window, qtbot) -> None:
    inspector = window.inspector
    event_id = _show(window, qtbot, "Bushehr reactor agreement")
    editor = inspector.sources_editor
    qtbot.keyClicks(editor.title_edit, "Russia and Iran sign Bushehr contract")
    qtbot.keyClicks(editor.publisher_edit, "TASS")
    _click(qtbot, editor.add_button)
    assert editor.list.topLevelItem(0).text(GRADE_COLUMN) == "F6"
    assert editor.citation_box.isVisible()  # the new citation is selected to be graded
    assert not inspector.certainty_hint.isVisible()

    _choose(editor.kind_combo, "wire")
    qtbot.keyClicks(editor.language_edit, "ru")
    _choose(editor.reliability_combo, "B")
    _choose(editor.credibility_combo, 2)
    qtbot.keyClicks(editor.excerpt_edit, "the contract was signed in Tehran")
    item = editor.list.topLevelItem(0)
    assert item.text(GRADE_COLUMN) == "B2"
    assert item.toolTip(GRADE_COLUMN) == "B2 — usually reliable source, probably true"

    # the grades suggest another certainty: said quietly, not applied
    assert inspector.certainty_hint.isVisible()
    assert inspector.certainty_hint_label.text() == "Sources suggest: Reported"
    assert inspector.certainty_combo.currentData() == "confirmed"
    _click(qtbot, inspector.save_button)
    stored = window.workspace.catalog.event(event_id)
    assert stored.certainty == Certainty.CONFIRMED
    (ref,) = stored.sources
    assert (ref.kind, ref.language, ref.reliability, ref.credibility, ref.excerpt) == (
        "wire",
        "ru",
        "B",
        2,
        "the contract was signed in Tehran",
    )
    assert editor.list.topLevelItem(0).text(GRADE_COLUMN) == "B2"
    assert inspector.certainty_hint.isVisible()  # still offered after the save

    _click(qtbot, inspector.apply_suggestion_button)
    assert inspector.certainty_combo.currentData() == "reported"
    assert not inspector.certainty_hint.isVisible()
    _click(qtbot, inspector.save_button)
    assert window.workspace.catalog.event(event_id).certainty == Certainty.REPORTED

    window.actions["undo"].trigger()
    assert window.workspace.catalog.event(event_id).certainty == Certainty.CONFIRMED
    # the shared source carries the grade, as the sources manager shows it
    dialog = window.show_sources()
    dialog.select(ref.id)
    assert dialog.reliability_combo.currentData() == "B"
    assert dialog.kind_combo.currentData() == "wire"
    dialog.close()


def test_grading_in_the_manager_reaches_the_open_inspector(window, qtbot) -> None:
    catalog = window.workspace.catalog
    record = catalog.event(_show(window, qtbot, "Gas swap talks"))
    wire = SourceRef("Gas swap agreed", "", "Shana", credibility=2)
    catalog.update_event(record.id, replace(record.to_draft(), sources=(wire,)), record.version)
    window.views.reload_events()
    window.inspector.show_event(catalog.event(record.id))
    editor = window.inspector.sources_editor
    assert editor.list.topLevelItem(0).text(GRADE_COLUMN) == "F2"
    assert window.inspector.certainty_hint_label.text() == "Sources suggest: Alleged"
    assert window.inspector.certainty_hint.isVisible()

    dialog = window.show_sources()
    (source,) = sources.source_records(catalog)
    dialog.select(source.id)
    _choose(dialog.reliability_combo, "A")
    _click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: editor.list.topLevelItem(0).text(GRADE_COLUMN) == "A2")
    assert window.inspector.certainty_combo.currentData() == "reported"
    assert not window.inspector.certainty_hint.isVisible()  # already what they suggest
    dialog.close()


def test_filter_bar_by_least_grade(window, qtbot) -> None:
    catalog = window.workspace.catalog
    draft = EventDraft("Graded", "2015-07-14", category="Nuclear file")
    catalog.add_event(
        replace(draft, sources=(SourceRef("JCPOA text", "", "EU", reliability="A", credibility=1),))
    )
    catalog.add_event(
        replace(
            draft,
            title="Rumoured",
            sources=(SourceRef("Blog", "", "X", reliability="E", credibility=5),),
        )
    )
    window.views.reload_events()
    grade = window.filter_bar.grade
    assert grade.text() == "Grade"
    grade.reliability_actions["B"].trigger()
    qtbot.waitUntil(lambda: window.views.shown_count == 1)
    assert window.filter.min_grade == ("B", 6)
    assert grade.text() == "Grade B or better"
    grade.credibility_actions["5"].trigger()
    assert window.filter.min_grade == ("B", 5)
    grade.reliability_actions[""].trigger()
    qtbot.waitUntil(lambda: window.views.shown_count == 2)
    assert grade.text() == "Grade 5 or better"
    window.filter_bar.clear()
    qtbot.waitUntil(lambda: window.views.shown_count == 5)
    assert window.filter_bar.grade.grade() is None


def test_inspector_with_grades_looks_right(window, qtbot) -> None:
    catalog = window.workspace.catalog
    record = catalog.event(_show(window, qtbot, "Bushehr reactor agreement"))
    refs = (
        SourceRef(
            "Contract signed",
            "https://tass.com/1",
            "TASS",
            kind="wire",
            reliability="B",
            credibility=2,
            excerpt="signed",
        ),
        SourceRef(
            "Bushehr timeline",
            "https://crsreports.congress.gov/x",
            "CRS",
            kind="think_tank",
            reliability="A",
            credibility=3,
        ),
        SourceRef("Forum post", "", "Unknown"),
    )
    catalog.update_event(record.id, replace(record.to_draft(), sources=refs), record.version)
    window.inspector.show_event(catalog.event(record.id))
    window.inspector.sources_editor.select_row(0)
    window.inspector_dock.resize(420, 900)
    window.inspector.resize(420, 900)
    window.inspector.grab().save("/tmp/h1-inspector-grades.png")
    assert window.inspector.certainty_hint.isVisible()


def test_timeline_tooltip_names_the_best_grade(window, qtbot) -> None:
    catalog = window.workspace.catalog
    record = catalog.event(_show(window, qtbot, "Gas swap talks"))
    assert "best source" not in window.timeline.detailProvider(record.id)
    refs = (
        SourceRef("Talk of a swap", "", "Blog", reliability="D", credibility=3),
        SourceRef("Swap agreed", "", "Reuters", reliability="B", credibility=2),
        SourceRef("Ungraded note", "", "Someone"),
    )
    catalog.update_event(record.id, replace(record.to_draft(), sources=refs), record.version)
    text = window.timeline.detailProvider(record.id)
    assert text.endswith("best source B2 — usually reliable source, probably true")
