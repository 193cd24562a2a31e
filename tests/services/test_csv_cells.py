"""The CSV cells that carry more than one value: sources with their notes (any text reads
back as written, in time linear in the cell) and the guard against spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline_app.domain.errors import ImportFileError
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.domain.rules import check_source
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import export_text, import_file, read_file
from timeline_app.services.interchange.csv_format import (
    FORMULA_STARTS,
    TEXT_COLUMNS,
    guard_formula,
    source_text,
)
from timeline_app.store.database import open_database

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "|<>:()[]\\'\";-=+@ "


def _csv_with_sources(path: Path, cell: str) -> Path:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["title", "start", "category", "sources"])
    writer.writerow(["Treaty", "2001", "Energy", cell])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _read_sources(path: Path, refs: list[SourceRef]) -> tuple[SourceRef, ...]:
    """The cell as the app's export writes it (formula guard included), read back."""
    cell = guard_formula(" | ".join(map(source_text, refs)))
    document = read_file(_csv_with_sources(path, cell))
    return document.events[0].draft.sources


plain_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(HOSTILE),
    min_size=1,
    max_size=30,
).map(str.strip)
urls = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))
    | st.sampled_from("|<>[]()\\:"),
    max_size=20,
).map(lambda path: f"https://example.org/{path}")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    refs=st.lists(
        st.builds(
            SourceRef,
            title=plain_text.filter(bool),
            url=urls | st.just(""),
            publisher=plain_text,
            published=st.sampled_from([None, "2011", "2023-03?", "199X"]),
            note=plain_text,
        ),
        min_size=1,
        max_size=3,
        unique_by=lambda ref: (ref.url, ref.title),
    )
)
def test_sources_with_any_text_read_back_as_written(tmp_path, refs):
    """Titles, publishers, notes and URLs holding `|`, `<`, `>`, `:`, brackets, backslashes;
    a source without a URL (a title ending in `>` or `]` included) reads back without one."""
    read = _read_sources(tmp_path / "sources.csv", refs)
    assert [(r.title, r.url, r.publisher, r.published, r.note) for r in read] == [
        (r.title, r.url, r.publisher, r.published, r.note) for r in refs
    ]


def test_source_notation_of_the_readme(tmp_path):
    (ref,) = _read_sources(
        tmp_path / "one.csv",
        [SourceRef("Iran: a chronology (draft)", "https://nti.org/a", "NTI", "2011", "p. [3]")],
    )
    assert source_text(ref) == (
        "NTI: Iran: a chronology (draft\\) (2011) <https://nti.org/a> [note: p. \\[3\\]]"
    )
    assert (ref.title, ref.publisher, ref.published, ref.note) == (
        "Iran: a chronology (draft)",
        "NTI",
        "2011",
        "p. [3]",
    )


@pytest.mark.parametrize(
    ("ref", "cell"),
    [
        (SourceRef("Wire report", "", "Reuters"), "Reuters: Wire report"),
        (SourceRef("Talks <Vienna>", "", "", "2011"), "Talks <Vienna> (2011)"),
        (SourceRef("Talks <Vienna>", ""), "Talks <Vienna\\>"),
        (SourceRef("Memo [draft]", "", note="p. 3"), "Memo [draft\\] [note: p. 3]"),
    ],
)
def test_a_source_without_a_url_is_written_without_angle_brackets(tmp_path, ref, cell):
    assert source_text(ref) == cell
    (read,) = _read_sources(tmp_path / "no-url.csv", [ref])
    assert (read.title, read.url, read.publisher, read.published, read.note) == (
        ref.title,
        "",
        ref.publisher,
        ref.published,
        ref.note,
    )


def test_a_url_in_angle_brackets_must_still_be_http(tmp_path):
    with pytest.raises(ImportFileError) as refused:
        read_file(_csv_with_sources(tmp_path / "ftp.csv", "Wire: Report <ftp://x.org/r>"))
    assert refused.value.field == "sources[0].url" and "http(s)" in refused.value.message


def test_same_headline_of_two_agencies_without_urls_are_two_sources(tmp_path):
    refs = [SourceRef("Talks resume", "", "Reuters"), SourceRef("Talks resume", "", "TASS")]
    read = _read_sources(tmp_path / "two.csv", refs)
    assert len({ref.id for ref in read}) == 2


def test_source_with_its_own_id_keeps_it_through_csv(catalog, tmp_path):
    ref = SourceRef("Report", "https://x.org/r", id="my-source-1")
    catalog.add_event(EventDraft("Treaty", "2001", category="Energy", sources=(ref,)))
    text = export_text(catalog, "csv")
    assert "[id: my-source-1]" in text
    path = tmp_path / "ids.csv"
    path.write_text(text, encoding="utf-8")
    assert read_file(path).events[0].draft.sources[0].id == "my-source-1"


HOSTILE_CELLS = {
    "spaces after a colon": "Wire:" + " " * 100_000 + "x",
    "spaces around a date": "a:" + " " * 50_000 + "(1)" + " " * 50_000 + "b",
    "colons": ":" * 100_000,
    "opening brackets": "(" * 100_000,
    "spaced brackets": "a" + " (" * 50_000,
    "angle brackets": "<" * 100_000 + ">",
    "square brackets": "x <https://x.org/> " + "[" * 100_000 + "]",
    "bars": "|" * 100_000,
    "backslashes": "\\" * 100_000,
    "tabs and colons": "a:" + "\t " * 50_000 + "x",
}


def test_hostile_sources_cells_finish_quickly(tmp_path):
    """A guard against catastrophic regex backtracking: the old pattern took minutes on a
    few kilobytes of spaces after a colon. Each 100,000-character cell ends in a one-line
    error (or is read); the subprocess timeout turns a hang into a clean failure."""
    paths = []
    for index, cell in enumerate(HOSTILE_CELLS.values()):
        paths.append(str(_csv_with_sources(tmp_path / f"hostile{index}.csv", cell)))
    script = textwrap.dedent(
        """
        import sys
        from timeline_app.domain.errors import ImportFileError
        from timeline_app.services.interchange import read_file
        for path in sys.argv[1:]:
            try:
                read_file(path)
                print("read")
            except ImportFileError as error:
                print(str(error).replace("\\n", "NEWLINE"))
        """
    )
    finished = subprocess.run(
        [sys.executable, "-c", script, *paths],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    lines = finished.stdout.splitlines()
    assert len(lines) == len(HOSTILE_CELLS)
    for name, line in zip(HOSTILE_CELLS, lines, strict=True):
        assert line == "read" or "sources[" in line, name
        assert len(line) < 400 and "NEWLINE" not in line, name


def test_a_bad_source_is_one_short_line(tmp_path):
    path = _csv_with_sources(tmp_path / "bad.csv", "Wire: " + "x" * 5_000 + " [what: no url]")
    with pytest.raises(ImportFileError) as caught:
        read_file(path)
    message = str(caught.value)
    assert ":2: sources[0]: " in message and "Publisher: Title (date) <URL>" in message
    assert len(message) < 300 and "\n" not in message


formula_text = st.builds(
    lambda first, rest: (first + rest).strip(),
    st.sampled_from((*FORMULA_STARTS[:4], "'")),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=";|\\"),
        max_size=15,
    ),
).filter(lambda text: len(text) > 1)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=formula_text,
    category=formula_text,
    description=formula_text,
    location=formula_text,
    actor=formula_text,
    tag=formula_text,
    note=formula_text,
)
def test_formula_cells_are_guarded_and_read_back_exactly(
    tmp_path_factory, title, category, description, location, actor, tag, note
):
    folder = tmp_path_factory.mktemp("formula")
    source = Catalog(open_database(folder / "a.sqlite"))
    target = Catalog(open_database(folder / "b.sqlite"))
    try:
        source.add_category(category)
        source.add_event(
            EventDraft(
                title=title,
                start="2001-02",
                category=category,
                description=description,
                location=location,
                actors=(actor,),
                tags=(tag,),
                sources=(SourceRef("=HYPERLINK(1)", "https://x.org/", "", None, note),),
            )
        )
        text = export_text(source, "csv")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header = rows[0]
        for name, cell in zip(header, rows[1], strict=True):
            if name in TEXT_COLUMNS:
                assert not cell.startswith(FORMULA_STARTS[:6]), (name, cell)
        path = folder / "x.csv"
        path.write_text(text, encoding="utf-8")
        import_file(target, path)
        assert export_text(target, "csv") == text
        assert (  # the events alike (the target's history holds the import, the source's none)
            json.loads(export_text(target, "json"))["events"]
            == json.loads(export_text(source, "json"))["events"]
        )
    finally:
        source.database.dispose()
        target.database.dispose()


def test_dates_are_written_as_they_are(catalog):
    catalog.add_event(EventDraft("-5 degrees", "2001-02?", "2001-03", category="Energy"))
    row = export_text(catalog, "csv").splitlines()[1].split(",")
    assert row[1:4] == ["'-5 degrees", "2001-02?", "2001-03"]


@settings(max_examples=300, deadline=None)
@given(
    cell=st.lists(
        st.sampled_from(["Wire", ":", " ", "<", ">", "https://x.org/", "(2011)", ")", "a", "\t"]),
        max_size=12,
    ).map("".join)
)
def test_plain_source_fast_path_reads_as_the_scanner_does(cell):
    from timeline_app.services.interchange.csv_format import _plain_source, _SourceScanner

    fast = _plain_source(cell)
    if fast is None:
        return
    assert _SourceScanner("f.csv", 2, cell).refs() == (fast,)


@settings(max_examples=300, deadline=None)
@given(
    cell=st.lists(
        st.sampled_from(
            [
                "Wire",
                ":",
                " ",
                "<",
                ">",
                "https://x.org/",
                "http://",
                "(2011)",
                ")",
                "a",
                "é",
                "\x00",
            ]
        ),
        max_size=12,
    ).map("".join)
)
def test_checked_plain_source_is_the_scanner_and_the_rules_in_one_step(cell):
    """The reader's one-step path gives what reading the cell, then checking it, gives."""
    from timeline_app.services.interchange.csv_format import _checked_plain_source, _sources

    fast = _checked_plain_source(cell)
    if fast is None:
        return
    (read,) = _sources("f.csv", 2, cell)
    assert check_source("sources[0]", read) == fast


@pytest.mark.parametrize("cell", ["٣", "۳", "3.0", "1_0", "6", "0", "three"])
def test_importance_cells_are_ascii_whole_numbers_in_range(tmp_path, cell):
    path = tmp_path / "importance.csv"
    path.write_text(f"title,start,category,importance\nSummit,2015-03-02,Energy,{cell}\n")
    with pytest.raises(ImportFileError) as refused:
        read_file(path)
    assert refused.value.row == 2 and refused.value.field == "importance"


def test_usual_importance_cells_are_read(tmp_path):
    path = tmp_path / "importance.csv"
    rows = "".join(f"Summit {n},2015-03-0{n},Energy, {n} \n" for n in range(1, 6))
    path.write_text(f"title,start,category,importance\n{rows}Talks,2015-04-01,Energy,\n")
    document = read_file(path)
    assert [item.draft.importance for item in document.events] == [1, 2, 3, 4, 5, 3]


def test_sources_without_a_url_survive_csv_export_and_import(catalog, tmp_path):
    """Stored with an empty URL, written without `<…>`, read back into an empty database
    as the same sources (the same ids), and a second import changes nothing."""
    refs = (
        SourceRef("Wire: talks <resume>", "", "Interfax", "2015-07", "p. [2]"),
        SourceRef("Talks resume", "", "TASS"),
        SourceRef("Report", "https://x.org/r", "NTI"),
    )
    catalog.add_event(EventDraft("Treaty", "2001", category="Energy", sources=refs))
    text = export_text(catalog, "csv")
    assert "<https://x.org/r>" in text and text.count("<") == 2  # one `<` in a title
    path = tmp_path / "no-url.csv"
    path.write_text(text, encoding="utf-8")
    target = Catalog(open_database(tmp_path / "target.sqlite"))
    try:
        import_file(target, path)
        assert export_text(target, "csv") == text
        (record,) = target.events()
        assert [(r.title, r.url, r.publisher, r.published, r.note) for r in record.sources] == [
            (r.title, r.url, r.publisher, r.published, r.note) for r in refs
        ]
        assert [r.id for r in record.sources] == [r.id for r in catalog.events()[0].sources]
        import_file(target, path)
        assert export_text(target, "csv") == text
    finally:
        target.database.dispose()
