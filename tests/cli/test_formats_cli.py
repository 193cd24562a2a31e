"""Every format through the command line: told from the content, imported, exported and read
back; a table's proposed mapping printed; likely duplicates skipped unless told otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timeline_app.cli import main
from timeline_app.domain.file_formats import FORMATS
from timeline_app.services.catalog import Catalog
from timeline_app.store.database import open_database

FORMATS_DIR = Path(__file__).resolve().parents[1] / "data" / "formats"

SAMPLES = {
    "timelinejs": FORMATS_DIR / "timelinejs" / "relations.json",
    "vis": FORMATS_DIR / "vis_timeline" / "items.json",
    "timeline": FORMATS_DIR / "thetimeline" / "relations.timeline",
    "ics": FORMATS_DIR / "ics" / "relations.ics",
    "gdelt": FORMATS_DIR / "gdelt" / "20220719.export.CSV",
    "acled": FORMATS_DIR / "acled" / "russia_iran_2022.csv",
    "csv": FORMATS_DIR / "timelinejs" / "template.csv",
}


def _titles(db: Path) -> list[str]:
    database = open_database(str(db))
    try:
        return sorted(record.title for record in Catalog(database).events())
    finally:
        database.dispose()


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_each_format_is_told_from_its_content_and_imported(fmt, tmp_path, capsys):
    db = tmp_path / "t.sqlite"
    sample = SAMPLES[fmt]
    # a neutral name: the content alone must tell the format
    copy = tmp_path / "events.data"
    copy.write_bytes(sample.read_bytes())
    assert main(["import", str(copy), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "added" in out.splitlines()[-1]
    assert _titles(db), out
    # the same file again changes nothing: ids are stable
    assert main(["import", str(copy), "--db", str(db)]) == 0
    assert "added 0, changed 0" in capsys.readouterr().out.splitlines()[-1]


@pytest.mark.parametrize("fmt", [name for name in FORMATS if name not in ("gdelt",)])
def test_every_format_exports_and_imports_back(fmt, tmp_path, capsys):
    """Export the bundled dataset in each format and import the file into an empty database:
    every event comes back (GDELT carries only events that came with a CAMEO code)."""
    db = tmp_path / "t.sqlite"
    assert main(["init", "--dataset", "--db", str(db)]) == 0
    exported = tmp_path / f"out.{fmt}"
    assert main(["export", str(exported), "--format", fmt, "--db", str(db)]) == 0
    capsys.readouterr()
    fresh = tmp_path / "fresh.sqlite"
    code = main(
        ["import", str(exported), "--format", fmt, "--db", str(fresh), "--duplicates", "keep"]
    )
    assert code == 0, capsys.readouterr().err
    before = _titles(db)
    after = _titles(fresh)
    if fmt == "acled":
        assert len(after) <= len(before)  # ACLED merges rows of the same day, actors and place
    else:
        assert len(after) == len(before)


def test_a_table_in_other_columns_prints_the_mapping_it_applied(tmp_path, capsys):
    path = tmp_path / "desk.csv"
    path.write_text(
        "Date,Event,Notes,Type\n14 Oct 1066,Battle of Hastings,A long day,War\n",
        encoding="utf-8",
    )
    db = tmp_path / "t.sqlite"
    assert main(["import", str(path), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "columns read as" in out and "← Date" in out and "← Event" in out
    assert _titles(db) == ["Battle of Hastings"]


def test_a_table_without_a_header_takes_one(tmp_path, capsys):
    path = tmp_path / "bare.tsv"
    path.write_text("2001-06-15\tSCO founded\n2015-07-14\tJCPOA\n", encoding="utf-8")
    db = tmp_path / "t.sqlite"
    code = main(["import", str(path), "--header", "Date,Title", "--db", str(db)])
    assert code == 0, capsys.readouterr().err
    assert _titles(db) == ["JCPOA", "SCO founded"]


def test_ambiguous_day_and_month_follow_the_flag(tmp_path, capsys):
    path = tmp_path / "dates.csv"
    path.write_text("Date,Title\n03/04/2001,Talks\n", encoding="utf-8")
    for flag, expected in (("--day-first", "2001-04-03"), ("--month-first", "2001-03-04")):
        db = tmp_path / f"{flag}.sqlite"
        assert main(["import", str(path), flag, "--db", str(db)]) == 0
        database = open_database(str(db))
        try:
            assert Catalog(database).events()[0].start == expected
        finally:
            database.dispose()
    capsys.readouterr()


def test_a_workbook_named_csv_is_named_for_what_it_is(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["Date", "Title"])
    book.active.append(["2001-06-15", "SCO founded"])
    path = tmp_path / "events.csv"
    book.save(path)
    db = tmp_path / "t.sqlite"
    assert main(["import", str(path), "--format", "csv", "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "an Excel workbook: use --format xlsx" in err[0]
    # told from the content, the same file imports
    assert main(["import", str(path), "--db", str(db)]) == 0
    assert _titles(db) == ["SCO founded"]


def test_likely_duplicates_are_skipped_and_reported_unless_told_otherwise(tmp_path, capsys):
    db = tmp_path / "t.sqlite"
    first = tmp_path / "first.csv"
    first.write_text("Date,Title\n2007-10-16,Caspian summit in Tehran\n", encoding="utf-8")
    assert main(["import", str(first), "--db", str(db)]) == 0
    other = tmp_path / "other.csv"
    other.write_text("Date,Headline\n2007-10-16,Tehran Caspian summit\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(other), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "1 event looks like stored events: skipped" in out
    assert "'Tehran Caspian summit' ~ 'Caspian summit in Tehran'" in out
    assert _titles(db) == ["Caspian summit in Tehran"]
    assert main(["import", str(other), "--duplicates", "keep", "--db", str(db)]) == 0
    assert _titles(db) == ["Caspian summit in Tehran", "Tehran Caspian summit"]


def test_the_dyad_keeps_only_events_between_the_two(tmp_path, capsys):
    db = tmp_path / "t.sqlite"
    sample = SAMPLES["gdelt"]
    assert main(["import", str(sample), "--dyad", "RUS,IRN", "--db", str(db)]) == 0
    kept = _titles(db)
    assert kept and all("→" in title for title in kept)
    wider = tmp_path / "all.sqlite"
    assert main(["import", str(sample), "--db", str(wider)]) == 0
    assert len(_titles(wider)) >= len(kept)
    assert main(["import", str(sample), "--dyad", "RUS", "--db", str(db)]) == 2
    assert "--dyad" in capsys.readouterr().err


def test_a_mapping_file_and_a_bad_one(tmp_path, capsys):
    path = tmp_path / "desk.csv"
    path.write_text("When,What\n2001-06-15,SCO founded\n", encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"columns": {"date": "When", "title": "What"}}))
    db = tmp_path / "t.sqlite"
    assert main(["import", str(path), "--mapping", str(mapping), "--db", str(db)]) == 0
    assert _titles(db) == ["SCO founded"]
    capsys.readouterr()
    assert main(["import", str(path), "--mapping", "nonesuch", "--db", str(db)]) == 2
    assert "neither a file nor a preset" in capsys.readouterr().err


def test_a_day_order_nothing_in_the_file_tells_is_said(tmp_path, capsys):
    path = tmp_path / "dates.csv"
    path.write_text("Date,Title\n03/04/2001,Talks\n", encoding="utf-8")
    assert main(["import", str(path), "--dry-run", "--db", str(tmp_path / "t.sqlite")]) == 0
    out = capsys.readouterr().out
    assert "dates like 03/04/2001 were read day first (rows 2)" in out
    assert "--month-first" in out
    told = tmp_path / "told.csv"
    told.write_text("Date,Title\n03/04/2001,Talks\n31/12/2001,Later\n", encoding="utf-8")
    assert main(["import", str(told), "--dry-run", "--db", str(tmp_path / "t.sqlite")]) == 0
    assert "were read" not in capsys.readouterr().out  # 31/12 tells: day first
