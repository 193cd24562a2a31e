"""Spreadsheets and any CSV/TSV through a column mapping: proposals, dates, errors, round trips."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import pytest
from openpyxl import Workbook

from timeline_app.domain.errors import ImportFileError, TimelineError
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import apply_import, export_text
from timeline_app.services.interchange.spreadsheet import (
    PRESETS,
    CellError,
    ColumnMapping,
    app_csv_header,
    date_from_parts,
    describe_mapping,
    dump,
    excel_serial_date,
    load_table,
    mapping_from_json,
    mapping_header_from_json,
    mapping_to_json,
    numbered_header,
    preset,
    preview_rows,
    propose_mapping,
    read,
    settings_key,
    sniff,
    sniff_format,
)
from timeline_app.store.database import open_database

TIMELINEJS_HEADER = [
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
]


def xlsx_bytes(rows: list[list[object]], title: str = "Sheet1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ods_bytes(rows: list[list[object]]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Events")
    for values in rows:
        row = TableRow()
        for value in values:
            if isinstance(value, dt.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=value.isoformat()))
            elif isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def timelinejs_row(**cells: object) -> list[object]:
    names = {name.lower().replace(" ", "_"): index for index, name in enumerate(TIMELINEJS_HEADER)}
    row: list[object] = [""] * len(TIMELINEJS_HEADER)
    for name, value in cells.items():
        row[names[name]] = value
    return row


# ---- proposing a mapping ------------------------------------------------------------------


def test_header_words_are_matched_whatever_their_case_spacing_or_underscores():
    mapping = propose_mapping(["EVENT_DATE", " event ", "Details", "source-url", "Place", "Tags"])
    assert mapping.date == "EVENT_DATE"
    assert mapping.title == " event "
    assert mapping.description == "Details"
    assert mapping.source_url == "source-url"
    assert mapping.location == "Place"
    assert mapping.tags == "Tags"
    assert mapping.category is None


def test_the_timelinejs_template_is_recognised_and_equals_its_preset():
    mapping = propose_mapping(TIMELINEJS_HEADER)
    assert mapping == PRESETS["timelinejs"]
    assert mapping.kind == "Type"  # TimelineJS's Type says title/era, it is no category
    assert mapping.category == "Group"
    assert mapping.html


def test_type_is_the_category_outside_the_timelinejs_template():
    mapping = propose_mapping(["Date", "Title", "Type", "URL", "Media"])
    assert mapping.category == "Type"
    assert mapping.kind is None
    assert mapping.source_url == "URL"  # a plain URL column wins over Media


def test_the_apps_own_columns_map_to_themselves():
    from timeline_app.services.interchange.csv_format import HEADER

    mapping = propose_mapping(list(HEADER))
    assert mapping == PRESETS["app"]
    assert mapping.start == "start" and mapping.sources == "sources" and mapping.id == "id"


def test_presets_are_named_and_an_unknown_name_lists_them():
    assert preset("simple") == ColumnMapping(title="Title", date="Date", description="Description")
    with pytest.raises(TimelineError, match="'nope' is not one of app, simple, timelinejs"):
        preset("nope")


def test_a_mapping_file_round_trips_with_its_header_and_options():
    mapping = ColumnMapping(title="B", date="A", category="C", day_first=False, html=True)
    text = mapping_to_json(mapping, header=["A", "B", "C"])
    assert mapping_from_json(text) == mapping
    assert mapping_header_from_json(text) == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", 'map.json: must be a JSON object with a "columns" object'),
        ('{"columns": {"when": "A"}}', "map.json: columns.when: is not a field"),
        ('{"columns": {"title": 3}}', "map.json: columns.title: must be a column name"),
        ('{"columns": {}, "day_first": "yes"}', "map.json: day_first: must be true, false or"),
        ("{", "map.json: is not JSON"),
    ],
)
def test_a_bad_mapping_file_is_one_line_naming_the_key(text, message):
    with pytest.raises(TimelineError) as caught:
        mapping_from_json(text, "map.json")
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_the_applied_mapping_is_printed_with_the_ignored_columns():
    header = ["Date", "Title", "Colour"]
    text = describe_mapping(propose_mapping(header), header)
    assert "Title" in text and "← Title" in text and "← Date" in text
    assert "Imported (no column)" in text
    assert "(ignored)" in text and "Colour" in text


def test_settings_key_ignores_case_and_spacing_but_not_the_columns():
    assert settings_key(["Start Date", "Title"]) == settings_key(["start_date", "TITLE"])
    assert settings_key(["Start Date", "Title"]) != settings_key(["Title", "Start Date"])


# ---- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ((2020,), "2020"),
        ((2020.0, 3.0), "2020-03"),
        (("2020", "March", "4"), "2020-03-04"),
        ((2020, 3, 4, "11:16"), "2020-03-04T11:16"),
        ((2020, 3, 4, dt.time(11, 16, 5)), "2020-03-04T11:16:05"),
        ((-55,), "-0055"),
        (("1995?", 7), "1995-07?"),
        (("", "", ""), None),
        ((2024, 2, 29), "2024-02-29"),
    ],
)
def test_year_month_day_cells_combine_into_edtf_at_their_precision(cells, expected):
    assert date_from_parts(*cells) == expected


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (("", 3), "year", "is empty, but month is not"),
        ((2020, 13), "month", "13 is not a month"),
        ((2023, 2, 29), "day", "29 is not a day of 2023-02"),
        ((2020, "", 4), "day", "4 is a day without a month"),
        ((2020, 3, "", "10:00"), "time", "is a time of day without a day"),
        (("MMXX",), "year", "'MMXX' is not a year"),
    ],
)
def test_bad_date_parts_name_their_column(cells, column, message):
    with pytest.raises(CellError) as caught:
        date_from_parts(*cells)
    assert caught.value.column == column
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("03/04/2020", True, "2020-04-03"),
        ("03/04/2020", False, "2020-03-04"),
        ("12.31.1999", False, "1999-12-31"),
        ("2013-03-30 11:16", True, "2013-03-30T11:16"),
        ("2013-03-30T11:16:05Z", True, "2013-03-30T11:16:05Z"),
        ("March 2023", True, "2023-03"),
        ("~1995", True, "1995~"),
        ("2013-03-30 11:16:05.250", True, "2013-03-30T11:16:05"),
        ("30.03.2013 11:16 UTC", True, "2013-03-30T11:16Z"),
        ("55 BC", True, "-0054"),
        ("between 1990 and 1994", True, "[1990..1994]"),
    ],
)
def test_date_texts_become_edtf(text, day_first, expected):
    (row,) = preview_rows("d.csv", f"Date,Title\n{text},x\n".encode(), day_first=day_first)
    assert (row.error, row.start) == (None, expected)


def test_excel_day_numbers_count_from_1899_12_30_past_the_fictional_leap_day():
    assert excel_serial_date(43900) == dt.date(2020, 3, 10)
    assert excel_serial_date(1) == dt.date(1900, 1, 1)
    assert excel_serial_date(61) == dt.date(1900, 3, 1)
    assert excel_serial_date(43900.5) == dt.datetime(2020, 3, 10, 12, 0)


def test_ambiguous_dates_follow_the_day_first_choice_and_the_preview_says_so():
    raw = b"Date,Title\n03/04/2020,Talks\n"
    day_first = preview_rows("a.csv", raw, day_first=True)
    month_first = preview_rows("a.csv", raw, day_first=False)
    assert day_first[0].start == "2020-04-03" and day_first[0].note == "03/04/2020 read day first"
    assert month_first[0].start == "2020-03-04"
    assert month_first[0].note == "03/04/2020 read month first"


def test_the_order_of_day_and_month_is_guessed_from_an_unambiguous_date_of_the_file():
    american = b"Date,Title\n03/04/2020,Talks\n12/31/2020,New year's eve\n"
    european = b"Date,Title\n03/04/2020,Talks\n31/12/2020,New year's eve\n"
    assert read("us.csv", american).events[0].draft.start == "2020-03-04"
    assert read("eu.csv", european).events[0].draft.start == "2020-04-03"


def test_a_date_read_month_first_is_refused_by_a_row_that_only_reads_day_first():
    raw = b"Date,Title\n03/04/2020,Talks\n31/12/2020,Eve\n"
    with pytest.raises(ImportFileError) as caught:
        read("mixed.csv", raw, day_first=False)
    assert str(caught.value) == (
        "mixed.csv:3: column Date: '31/12/2020' cannot be read month first: there is no month 31"
    )


# ---- reading files ------------------------------------------------------------------------


def test_an_excel_date_cell_is_read_as_its_day(tmp_path):
    raw = xlsx_bytes(
        [
            ["Date", "Title", "Importance"],
            [dt.date(1995, 1, 8), "Bushehr contract", 5],
            [dt.datetime(2007, 12, 16), "Fuel delivered", 4],
            [2016, "Year only", None],
        ]
    )
    document = read("events.xlsx", raw)
    starts = [(item.draft.start, str(item.span.precision)) for item in document.events]
    assert starts == [("1995-01-08", "day"), ("2007-12-16", "day"), ("2016", "year")]
    assert [item.draft.importance for item in document.events] == [5, 4, 3]


def test_a_time_of_day_in_an_excel_cell_is_shown_in_the_preview():
    raw = xlsx_bytes([["Date", "Title"], [dt.datetime(2013, 3, 30, 11, 16), "Meteor"]])
    (row,) = preview_rows("t.xlsx", raw)
    assert (row.error, row.start, row.precision, row.note) == (
        None,
        "2013-03-30T11:16",
        "minute",
        "",
    )


def test_an_undated_number_in_a_date_column_is_an_excel_day_number():
    raw = xlsx_bytes([["Date", "Title"], [43900, "Serial"]])
    (row,) = preview_rows("s.xlsx", raw)
    assert row.start == "2020-03-10"
    assert row.note == "43900 read as an Excel day number"


def test_the_timelinejs_template_reads_title_eras_events_and_precisions():
    raw = xlsx_bytes(
        [
            TIMELINEJS_HEADER,
            timelinejs_row(headline="Russia and Iran", text="<p>A chronology</p>", type="title"),
            timelinejs_row(
                year=2016,
                month=1,
                day=16,
                end_year=2025,
                end_month=10,
                headline="JCPOA",
                type="era",
            ),
            timelinejs_row(
                year=1995,
                month=1,
                day=8,
                headline="Bushehr <b>contract</b>",
                text="Russia agrees to <i>finish</i> the plant &amp; train staff.",
                media="https://www.nti.org/bushehr",
                media_credit="NTI",
                media_caption="Iran nuclear chronology",
                group="Nuclear file",
            ),
            timelinejs_row(year=2001, month=3, headline="Treaty", group="Diplomacy"),
            timelinejs_row(year=1992, headline="Agreement on cooperation"),
        ]
    )
    document = read("tl.xlsx", raw)
    assert document.title == "Russia and Iran"
    (era,) = document.eras
    assert (era.name, era.start, era.end) == ("JCPOA", "2016-01-16", "2025-10")
    first, second, third = document.events
    assert first.draft.title == "Bushehr contract"
    assert first.draft.description == "Russia agrees to finish the plant & train staff."
    assert first.draft.sources == (
        SourceRef(
            "Iran nuclear chronology",
            "https://www.nti.org/bushehr",
            "NTI",
            id=first.draft.sources[0].id,
        ),
    )
    assert [(item.draft.start, str(item.span.precision)) for item in document.events] == [
        ("1995-01-08", "day"),
        ("2001-03", "month"),
        ("1992", "year"),
    ]
    assert third.draft.category == "Imported"
    assert [item.name for item in document.categories] == ["Nuclear file", "Diplomacy", "Imported"]
    assert second.id != first.id


def test_an_ods_sheet_reads_like_a_workbook():
    raw = ods_bytes(
        [["When", "Event", "Category"], [dt.date(2022, 2, 24), "Invasion", "War"], [2019, "X", "Y"]]
    )
    assert sniff_format(raw, "a.ods") == "ods"
    document = read("a.ods", raw)
    assert [(item.draft.start, item.draft.title) for item in document.events] == [
        ("2022-02-24", "Invasion"),
        ("2019", "X"),
    ]


def test_a_csv_without_a_header_is_given_one():
    raw = b"2015-07-14,JCPOA signed,Vienna\n2018-05,US withdraws,Washington\n"
    document = read("plain.csv", raw, header=["Date", "Title", "Place"])
    assert [(item.row, item.draft.start, item.draft.location) for item in document.events] == [
        (1, "2015-07-14", "Vienna"),
        (2, "2018-05", "Washington"),
    ]


def test_a_tsv_without_a_header_reads_with_numbered_columns_and_a_mapping():
    raw = b"1995\tBushehr\tcontract signed\n2007-12?\tFuel\t\n"
    assert sniff(raw, "x.txt")
    table = load_table("plain.tsv", raw, header=numbered_header(3))
    assert table.header == ["Column 1", "Column 2", "Column 3"]
    mapping = ColumnMapping(date="Column 1", title="Column 2", description="Column 3")
    document = read("plain.tsv", raw, header=numbered_header(3), mapping=mapping)
    assert [(item.draft.start, item.draft.description) for item in document.events] == [
        ("1995", "contract signed"),
        ("2007-12?", ""),
    ]


def test_a_semicolon_csv_is_sniffed_and_the_same_file_imports_the_same_ids():
    raw = b"Datum;Titel;Event\n2020-01-03;x;Soleimani killed\n"
    mapping = ColumnMapping(date="Datum", title="Event")
    first = read("a.csv", raw, mapping=mapping)
    again = read("a.csv", raw, mapping=mapping)
    assert first.events[0].draft.title == "Soleimani killed"
    assert first.events[0].id == again.events[0].id


def test_two_rows_alike_get_two_stable_ids():
    raw = b"Date,Title\n2020,Same\n2020,Same\n"
    ids = [item.id for item in read("a.csv", raw).events]
    assert len(set(ids)) == 2
    assert ids == [item.id for item in read("a.csv", raw).events]


def test_a_bad_row_is_one_line_naming_file_row_and_column():
    raw = xlsx_bytes(
        [["Date", "Title", "Importance"], ["2020-01-01", "Good", 3], ["31 Fbr 2020", "Bad", 3]]
    )
    with pytest.raises(ImportFileError) as caught:
        read("events.xlsx", raw)
    assert str(caught.value) == (
        "events.xlsx:3: column Date: '31 Fbr 2020' is not a date: 'fbr' is not a month"
    )


def test_a_bad_importance_and_a_bad_url_name_their_columns():
    raw = b"Date,Title,Priority,Link\n2020,A,9,https://a.org/\n"
    with pytest.raises(ImportFileError, match=r"^p.csv:2: column Priority: 9 is out of range"):
        read("p.csv", raw)
    raw = b"Date,Title,Link\n2020,A,ftp://a.org/\n"
    with pytest.raises(ImportFileError, match=r"^p.csv:2: column Link: 'ftp://a.org/' is not"):
        read("p.csv", raw)


def test_the_preview_shows_every_row_with_its_date_precision_or_error():
    raw = b"Date,Title\n2020-03,A\n\nnever,B\n1990s,C\n"
    rows = preview_rows("p.csv", raw)
    assert [(row.row, row.start, row.precision) for row in rows] == [
        (2, "2020-03", "month"),
        (4, None, None),
        (5, "199X", "decade"),
    ]
    assert rows[1].error is not None and rows[1].error.startswith("column Date: 'never'")


def test_a_mapping_naming_a_missing_column_is_refused_with_the_header():
    raw = b"Date,Title\n2020,A\n"
    with pytest.raises(ImportFileError) as caught:
        read("m.csv", raw, mapping=ColumnMapping(title="Title", date="When"))
    assert str(caught.value) == (
        "m.csv:1: column When: is not in the file's header (Date, Title) (mapped to date)"
    )


def test_a_sheet_without_a_recognisable_date_column_asks_for_a_mapping():
    raw = b"Wann,Was\n2020,A\n"
    with pytest.raises(ImportFileError, match=r"no column gives the date .*give a mapping file"):
        read("m.csv", raw)


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_workbook_given_as_text_is_named(fmt):
    raw = xlsx_bytes([["Date", "Title"], [2020, "A"]])
    with pytest.raises(ImportFileError) as caught:
        read("events.csv", raw, fmt=fmt)
    assert str(caught.value) == "events.csv: file: is an Excel workbook: use --format xlsx"
    raw = ods_bytes([["Date", "Title"], [2020, "A"]])
    with pytest.raises(ImportFileError, match="is an OpenDocument spreadsheet: use --format ods"):
        read("events.csv", raw, fmt=fmt)


def test_a_pdf_or_a_damaged_workbook_is_refused_in_one_line():
    with pytest.raises(ImportFileError, match=r"^x.xlsx: file: is a PDF document, not a spread"):
        read("x.xlsx", b"%PDF-1.7\n...")
    raw = xlsx_bytes([["Date", "Title"], [2020, "A"]])
    with pytest.raises(ImportFileError) as caught:
        read("cut.xlsx", raw[: len(raw) // 2])
    assert str(caught.value).startswith("cut.xlsx: file: ")
    assert "\n" not in str(caught.value)


def test_sniff_knows_workbooks_and_tab_separated_text_by_content():
    assert sniff_format(xlsx_bytes([["a"]]), "x.bin") == "xlsx"
    assert sniff_format(ods_bytes([["a"]]), "x.bin") == "ods"
    assert sniff_format(b"a\tb\n1\t2\n", "x.csv") == "tsv"
    assert not sniff(b"a,b\n1,2\n", "x.tsv")
    assert not sniff(b"a\tb\n1\t2\t3\n", "x.tsv")  # uneven
    assert not sniff(b"PK\x03\x04garbage", "x.xlsx")
    assert not sniff(b"", "x.tsv")


def test_a_sheet_is_chosen_by_name():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Notes"])
    other = workbook.create_sheet("Events")
    other.append(["Date", "Title"])
    other.append([2001, "Treaty"])
    out = io.BytesIO()
    workbook.save(out)
    document = read("two.xlsx", out.getvalue(), sheet="Events")
    assert document.events[0].draft.title == "Treaty"
    with pytest.raises(ImportFileError, match="sheet: 'Nope' is not one of 'Sheet', 'Events'"):
        read("two.xlsx", out.getvalue(), sheet="Nope")


# ---- export and import back ---------------------------------------------------------------

EVENT = EventDraft(
    title="Bushehr completion contract signed",
    start="1995-01-08",
    category="Nuclear file",
    importance=5,
    description="Russia agrees to finish the plant.\nSecond  line\twith a tab.",
    actors=("Russia", "Iran"),
    tags=("Bushehr", "nuclear"),
    sources=(SourceRef("Iran nuclear chronology", "https://www.nti.org/", "NTI", "2011", "p. 3"),),
)


def fill(catalog: Catalog) -> None:
    catalog.add_event(EVENT)
    catalog.add_event(
        replace(
            EVENT,
            title="=SUM(A1) looks like a formula",
            start="2007-12?",
            end="2008-01",
            importance=4,
            certainty="reported",
            tags=(),
            location="Bushehr",
            description="",
            sources=(),
        )
    )
    catalog.add_event(replace(EVENT, title="Decade", start="199X", category="Energy", actors=()))
    catalog.add_event(replace(EVENT, title="Approximately", start="1992~", description="- dash"))


def stored(catalog: Catalog) -> list[tuple]:
    return [
        (
            record.id,
            record.title,
            record.start,
            record.end,
            record.category,
            record.importance,
            str(record.certainty),
            record.description,
            record.location,
            record.actors,
            record.tags,
            record.sources,
        )
        for record in catalog.events()
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "tsv"])
def test_export_then_import_is_lossless(catalog, tmp_path, fmt):
    fill(catalog)
    raw = dump(catalog, fmt)
    assert sniff_format(raw, f"out.{fmt}") == fmt
    empty = Catalog(open_database(tmp_path / "empty.sqlite"))
    document = read(f"out.{fmt}", raw)
    apply_import(empty, document)
    assert stored(empty) == stored(catalog)
    # the same file again changes nothing
    again = apply_import(empty, read(f"out.{fmt}", raw))
    assert again.changed_count == 0


def test_the_tsv_export_guards_formulas_like_the_csv_export(catalog):
    fill(catalog)
    text = dump(catalog, "tsv").decode()
    assert "\t'=SUM(A1) looks like a formula\t" in text
    csv_header = export_text(catalog, "csv").splitlines()[0].replace(",", "\t")
    assert csv_header == text.splitlines()[0] + "\tnotes"  # notes: the CSV's own column


def test_an_xlsx_export_keeps_formula_like_text_as_text(catalog):
    from openpyxl import load_workbook

    fill(catalog)
    sheet = load_workbook(io.BytesIO(dump(catalog, "xlsx"))).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "=SUM(A1) looks like a formula" in titles
    cell = next(c for c in sheet["B"] if c.value == "=SUM(A1) looks like a formula")
    assert cell.data_type == "s"


def test_export_reports_progress(catalog):
    fill(catalog)
    heard: list[tuple[int, int]] = []
    dump(catalog, "tsv", progress=lambda done, total: heard.append((done, total)))
    assert heard[0] == (0, 4) and heard[-1] == (4, 4)


def test_an_unknown_export_format_is_refused(catalog):
    with pytest.raises(TimelineError, match="'pdf' is not one of xlsx, ods, tsv"):
        dump(catalog, "pdf")


def test_the_apps_own_csv_header_is_told_apart_from_any_other():
    assert app_csv_header(b"\xef\xbb\xbfid,title,start,category\n,a,2020,b\n")
    assert not app_csv_header(b"Date,Title\n2020,a\n")
    assert not app_csv_header(b"")


def test_a_header_row_below_blank_rows_is_named_by_its_own_row_number():
    raw = xlsx_bytes([[None], ["Date", "Title"], [2020, "A"]])
    with pytest.raises(ImportFileError, match=r"^b.xlsx:2: column When: is not in the file"):
        read("b.xlsx", raw, mapping=ColumnMapping(title="Title", date="When"))
    # given a header, the file's own header row is data: refused at its own row number
    with pytest.raises(ImportFileError, match=r"^b.xlsx:2: column Year: 'Date' is not a year"):
        read(
            "b.xlsx", raw, header=["Year", "Name"], mapping=ColumnMapping(year="Year", title="Name")
        )


def test_the_best_word_wins_whatever_the_column_order():
    mapping = propose_mapping(["Summary", "Name", "Title", "Date", "Start date"])
    assert mapping.title == "Title"
    assert mapping.description == "Summary"
    assert mapping.date == "Date"
    assert mapping.start == "Start date"


def test_source_title_and_publisher_columns_without_a_url_column_make_sources():
    raw = (
        b"Title,Date,Source title,Publisher\n"
        b"Talks,2015-07-14,Wire on the talks,Interfax\n"
        b"Visit,2016-01-23,,IRNA\n"
        b"Summit,2018-09-07,,\n"
    )
    mapping = ColumnMapping(
        title="Title", date="Date", source_title="Source title", source_publisher="Publisher"
    )
    talks, visit, summit = read("s.csv", raw, mapping=mapping).events
    assert [(r.title, r.url, r.publisher) for r in talks.draft.sources] == [
        ("Wire on the talks", "", "Interfax")
    ]
    assert [(r.title, r.url, r.publisher) for r in visit.draft.sources] == [("IRNA", "", "IRNA")]
    assert summit.draft.sources == ()


def test_a_timelinejs_caption_without_media_is_no_source_but_a_credit_is():
    raw = xlsx_bytes(
        [
            TIMELINEJS_HEADER,
            timelinejs_row(year=2001, headline="Treaty", media_caption="A photograph"),
            timelinejs_row(year=2002, headline="Talks", media_credit="Tasnim"),
        ]
    )
    treaty, talks = read("tl.xlsx", raw).events
    assert treaty.draft.sources == ()
    assert [(r.title, r.url, r.publisher) for r in talks.draft.sources] == [
        ("Tasnim", "", "Tasnim")
    ]


def test_a_source_url_column_must_still_hold_web_addresses():
    raw = b"Title,Date,URL\nTalks,2015-07-14,ftp://x.org/r\n"
    with pytest.raises(ImportFileError) as refused:
        read("u.csv", raw, mapping=ColumnMapping(title="Title", date="Date", source_url="URL"))
    assert "http(s)" in str(refused.value) and "\n" not in str(refused.value)


def test_a_source_column_of_names_gives_sources_without_a_url():
    raw = xlsx_bytes(
        [
            ["Date", "Title", "Source"],
            ["2020-01-01", "Talks", "Reuters"],
            ["2020-01-02", "More talks", "https://example.org/talks"],
        ]
    )
    document = read("events.xlsx", raw)
    first, second = (item.draft.sources for item in document.events)
    assert [(ref.title, ref.url) for ref in first] == [("Reuters", "")]
    assert [ref.url for ref in second] == ["https://example.org/talks"]
