"""CSV carries what fits a row of the evidence model: each citation's grade (with the
source's kind and language and the citation's excerpt) in the sources cell, and the event's
notes in an optional column; files with the old header read as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline_app.domain.errors import ImportFileError
from timeline_app.domain.evidence import EventNote
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import export_text, import_file, read_file, undo_import
from timeline_app.services.interchange.csv_format import COLUMNS, HEADER
from timeline_app.store import evidence_queries as store
from timeline_app.store.database import open_database

GRADED = SourceRef(
    "S-300 contract | signed [final]",
    "https://tass.ru/s300",
    "TASS",
    "2007-12-26",
    "first report",
    None,
    "wire",
    "ru",
    "B",
    2,
    "Контракт [подписан]",
)


def catalog_at(path: Path) -> Catalog:
    catalog = Catalog(open_database(path), author="importer")
    catalog.add_category("Nuclear file")
    return catalog


def test_grades_and_notes_round_trip_through_csv(tmp_path):
    source = catalog_at(tmp_path / "source.sqlite")
    target = catalog_at(tmp_path / "target.sqlite")
    try:
        event = source.add_event(
            EventDraft(
                "S-300 contract",
                "2007-12-26",
                category="Nuclear file",
                sources=(GRADED, SourceRef("CRS report", "", "CRS", reliability="A")),
            )
        )
        source.add_event(EventDraft("No notes", "2008", category="Nuclear file"))
        with source.engine.begin() as connection:
            store.insert_notes(
                connection,
                [
                    EventNote("n1", event.id, "analyst", "2026-11-02T09:00:00+00:00", "a | b [c]"),
                    EventNote("own id", event.id, "", "2026-11-03T09:00:00+00:00", "Дата верна"),
                ],
            )
        text = export_text(source, "csv")
        header, row = text.splitlines()[:2]
        assert header.split(",") == list(COLUMNS)
        assert "[B2] [kind: wire] [language: ru]" in row and "[A6]" in row
        assert "[by: analyst] [at: 2026-11-02T09:00:00+00:00] [id: n1]" in row
        path = tmp_path / "out.csv"
        path.write_text(text, encoding="utf-8")
        with target.engine.connect() as connection:
            history_before = store.all_history(connection)
        result = import_file(target, path)
        assert export_text(target, "csv") == text
        (cited, crs) = target.event(event.id).sources
        assert (cited.reliability, cited.credibility, cited.kind, cited.excerpt) == (
            "B",
            2,
            "wire",
            "Контракт [подписан]",
        )
        assert (crs.reliability, crs.credibility) == ("A", 6)
        undo_import(target, result)
        with target.engine.connect() as connection:
            assert store.notes_of(connection) == []
            assert store.all_history(connection) == history_before
    finally:
        source.database.dispose()
        target.database.dispose()


def test_a_file_with_the_old_header_reads_ungraded(tmp_path):
    path = tmp_path / "old.csv"
    path.write_text(
        ",".join(HEADER) + "\n"
        "e1,Gas deal,2022-07-19,,Energy,3,confirmed,,Gazprom,,Reuters: Report <https://www.reuters.com/>,\n",
        encoding="utf-8",
    )
    document = read_file(path)
    (ref,) = document.events[0].draft.sources
    assert (ref.reliability, ref.credibility, ref.kind) == ("F", 6, "other")
    assert document.event_notes == []


@pytest.mark.parametrize("grade", ["[B2]", "[b2]", "[B 2]", "[b-2]", "[ B2 ]"])
def test_a_grade_is_read_leniently(tmp_path, grade):
    path = tmp_path / "graded.csv"
    path.write_text(
        f"title,start,category,sources\nDeal,2022,Energy,Reuters: Report <https://r.co/> {grade}\n",
        encoding="utf-8",
    )
    (ref,) = read_file(path).events[0].draft.sources
    assert (ref.reliability, ref.credibility) == ("B", 2)


@pytest.mark.parametrize(
    ("cell", "field", "problem"),
    [
        ("Report <https://r.com/> [G2]", "sources[0].reliability", "'G' is not a reliability"),
        ("Report <https://r.com/> [B7]", "sources[0].credibility", "7 is not a credibility"),
        ("Report <https://r.com/> [B2] [B3]", "sources[0]", "gives [grade…] twice"),
        ("Report <https://r.com/> [kind: blog]", "sources[0].kind", "'blog' is not one of"),
    ],
)
def test_a_grade_off_the_scale_is_refused_naming_the_row_and_field(tmp_path, cell, field, problem):
    path = tmp_path / "bad.csv"
    path.write_text(f'title,start,category,sources\nDeal,2022,Energy,"{cell}"\n', encoding="utf-8")
    with pytest.raises(ImportFileError) as refused:
        read_file(path)
    assert (refused.value.row, refused.value.field) == (2, field)
    assert problem in refused.value.message


@pytest.mark.parametrize(
    ("cell", "field", "problem"),
    [
        ("Text [at: yesterday]", "notes[0].at", "'yesterday' is not a date and time"),
        ("Text [when: now]", "notes[0]", "is not 'Text [by: author] [at: time]'"),
        (" [by: me]", "notes[0].text", "must not be empty"),
    ],
)
def test_a_bad_note_is_refused_naming_the_row_and_field(tmp_path, cell, field, problem):
    path = tmp_path / "bad.csv"
    path.write_text(f'title,start,category,notes\nDeal,2022,Energy,"{cell}"\n', encoding="utf-8")
    with pytest.raises(ImportFileError) as refused:
        read_file(path)
    assert (refused.value.row, refused.value.field) == (2, field)
    assert problem in refused.value.message
