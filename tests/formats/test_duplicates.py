"""Likely duplicates: a file's new event on the same dates with a similar title is shown,
and skip, merge and keep do what they say (merge undone by the import's undo)."""

from __future__ import annotations

import pytest

from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import apply_import, undo_import
from timeline_app.services.interchange.document import Document, check_event
from timeline_app.services.interchange.duplicates import (
    Resolution,
    find_duplicates,
    resolve_duplicates,
)
from timeline_app.store.database import open_database

STORED = EventDraft(
    title="Putin visits Tehran for the Caspian summit",
    start="2007-10-16",
    category="Diplomacy",
    actors=("Russia",),
    sources=(SourceRef("Summit report", "https://example.org/a"),),
)


@pytest.fixture
def catalog(db_target):
    """SQLite and PostgreSQL: the stored event, and an unrelated one on the same day."""
    catalog = Catalog(open_database(db_target))
    catalog.add_category("Diplomacy")
    catalog.add_event(STORED)
    catalog.add_event(EventDraft(title="Unrelated talks", start="2007-10-16", category="Diplomacy"))
    yield catalog
    catalog.database.dispose()


def _document(*drafts: EventDraft) -> Document:
    return Document(
        path="file.csv",
        events=[check_event("file.csv", row, f"row-{row}", d) for row, d in enumerate(drafts, 2)],
    )


def test_same_day_similar_title_is_a_likely_duplicate(catalog):
    document = _document(
        EventDraft(title="Tehran Caspian summit: Putin visits", start="2007-10-16", category="X"),
        EventDraft(
            title="Putin visits Tehran for the Caspian summit", start="2008-10-16", category="X"
        ),
        EventDraft(title="Something else entirely", start="2007-10-16", category="X"),
    )
    found = find_duplicates(catalog, document)
    assert [(dup.item_id, dup.stored_title) for dup in found] == [
        ("row-2", "Putin visits Tehran for the Caspian summit")
    ]
    assert found[0].similarity >= 85


def test_a_coarser_file_date_overlapping_the_stored_day_is_compared(catalog):
    document = _document(
        EventDraft(
            title="Putin visits Tehran for the Caspian summit", start="2007-10", category="X"
        )
    )
    assert len(find_duplicates(catalog, document)) == 1


def test_an_event_already_stored_under_its_id_is_not_a_duplicate(catalog):
    stored = catalog.events()[0]
    document = Document(
        path="f.json", events=[check_event("f.json", 1, stored.id, stored.to_draft())]
    )
    assert find_duplicates(catalog, document) == []


@pytest.mark.parametrize("choice", list(Resolution))
def test_skip_merge_keep(catalog, choice):
    incoming = EventDraft(
        title="Putin visits Tehran, Caspian summit",
        start="2007-10-16",
        category="Diplomacy",
        description="Second source's account.",
        actors=("Iran",),
        sources=(SourceRef("Another report", "https://example.org/b"),),
    )
    document = _document(incoming)
    found = find_duplicates(catalog, document)
    assert len(found) == 1
    before = {record.id: record for record in catalog.events()}
    resolved = resolve_duplicates(catalog, document, found, {}, choice)
    result = apply_import(catalog, resolved)
    after = {record.id: record for record in catalog.events()}
    target = after[found[0].stored_id]
    if choice is Resolution.SKIP:
        assert after.keys() == before.keys() and target == before[target.id]
    elif choice is Resolution.KEEP:
        assert len(after) == len(before) + 1
    else:
        assert after.keys() == before.keys()
        assert target.title == STORED.title  # the curated fields stay
        assert target.actors == ("Russia", "Iran")
        assert [ref.url for ref in target.sources] == [
            "https://example.org/a",
            "https://example.org/b",
        ]
        assert target.description == "Second source's account."
        undo_import(catalog, result)
        assert catalog.event(target.id).sources == before[target.id].sources


def test_each_row_takes_its_own_choice(catalog):
    document = _document(
        EventDraft(
            title="Putin visits Tehran for the Caspian summit!",
            start="2007-10-16",
            category="Diplomacy",
        ),
        EventDraft(title="Unrelated talks.", start="2007-10-16", category="Diplomacy"),
    )
    found = find_duplicates(catalog, document)
    assert len(found) == 2
    resolved = resolve_duplicates(
        catalog, document, found, {"row-2": Resolution.KEEP}, Resolution.SKIP
    )
    assert [item.id for item in resolved.events] == ["row-2"]


def test_merging_keeps_two_agencies_wires_of_one_headline_apart():
    """Without a URL a source is its publisher and title: another agency's wire is added."""
    from timeline_app.domain.model import Certainty, EventRecord
    from timeline_app.services.interchange.duplicates import merged_draft

    wire = SourceRef("Putin in Tehran", "", "Interfax")
    stored = EventRecord(
        "e1", "Visit", "2007-10-16", None, "Diplomacy", 3, Certainty.CONFIRMED, "", None,
        (), (), (wire,), 0, 0, "day", 1,
    )  # fmt: skip
    incoming = EventDraft(
        "Visit",
        "2007-10-16",
        category="Diplomacy",
        sources=(
            SourceRef("Putin in Tehran", "", "Interfax"),
            SourceRef("Putin in Tehran", "", "TASS"),
        ),
    )
    merged = merged_draft(stored, incoming)
    assert [ref.publisher for ref in merged.sources] == ["Interfax", "TASS"]


def test_a_files_title_becomes_the_timelines_when_it_has_none(db_target):
    """The first file's title is adopted (undo removes it again); a later file's title does
    not replace it."""
    catalog = Catalog(open_database(db_target))
    try:
        first = Document(path="a.json", title="Caspian file", events=[])
        result = apply_import(catalog, first)
        assert catalog.title() == "Caspian file" and result.adopted_title
        second = apply_import(catalog, Document(path="b.json", title="Other desk", events=[]))
        assert catalog.title() == "Caspian file" and not second.adopted_title
        undo_import(catalog, result)
        assert catalog.title() == ""
        assert catalog.set_title("  My chronology ") == "My chronology"
        assert catalog.title() == "My chronology"
    finally:
        catalog.database.dispose()


def test_titles_whose_numbers_differ_are_not_duplicates(catalog):
    catalog.add_event(
        EventDraft(title="UNSC Resolution 1737 adopted", start="2006-12-23", category="Diplomacy")
    )
    document = _document(
        EventDraft(title="UNSC Resolution 1747 adopted", start="2006-12-23", category="X"),
        EventDraft(title="UN Security Council Resolution 1737", start="2006-12-23", category="X"),
    )
    assert [dup.item_id for dup in find_duplicates(catalog, document)] == []
    same = _document(
        EventDraft(title="Resolution 1737 adopted by the UNSC", start="2006-12-23", category="X")
    )
    assert len(find_duplicates(catalog, same)) == 1
