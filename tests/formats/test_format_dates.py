"""The dates the model stores beyond plain days, through every format that can carry them:
years before 1 AD, times of day (local and UTC) and open ends. Each story reads a file, checks
the EDTF and precision of each event, imports it into a real database, exports it, and reads
the export back to the same dates; a second import of the first file changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from timeline_app.domain.dates import utc_seconds
from timeline_app.domain.errors import ImportFileError, TimelineError
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import apply_import, ics, plan_import, spreadsheet
from timeline_app.services.interchange import thetimeline as timeline_file
from timeline_app.services.interchange import timelinejs as tljs
from timeline_app.services.interchange import vis_timeline as vis
from timeline_app.services.interchange.document import Document
from timeline_app.store.database import open_database


@pytest.fixture
def empty_catalog(tmp_path: Path):
    database = open_database(str(tmp_path / "timeline.sqlite"))
    yield Catalog(database)
    database.dispose()


def dates_of(document: Document) -> dict[str, tuple[str, str | None, str]]:
    """Each event's title → (start, end, precision)."""
    return {
        item.draft.title: (item.draft.start, item.draft.end, str(item.span.precision))
        for item in document.events
    }


def round_trip(
    catalog: Catalog,
    document: Document,
    dump: Callable[[Catalog], bytes],
    read: Callable[[str, bytes], Document],
) -> Document:
    """Import `document`, export the catalog, read the export: the re-read document, after
    checking that importing it into the catalog it came from changes nothing."""
    result = apply_import(catalog, document)
    assert len(result.added_ids) == len(document.events)
    exported = read("exported", dump(catalog))
    again = plan_import(catalog, exported)
    assert (len(again.added), len(again.changed)) == (0, 0)
    return exported


# ---- TimelineJS ---------------------------------------------------------------------------

TIMELINEJS = {
    "events": [
        {
            "unique_id": "ides",
            "start_date": {"year": -44, "month": 3, "day": 15},
            "text": {"headline": "Ides of March"},
        },
        {
            "unique_id": "britain",
            "start_date": {"year": -55},
            "end_date": {"year": -54},
            "text": {"headline": "Caesar in Britain"},
        },
        {
            "unique_id": "meteor",
            "start_date": {"year": 2013, "month": 2, "day": 15, "hour": 3, "minute": 20},
            "end_date": {
                "year": 2013,
                "month": 2,
                "day": 15,
                "hour": 3,
                "minute": 21,
                "second": 5,
            },
            "text": {"headline": "Chelyabinsk meteor"},
        },
    ]
}


def test_timelinejs_years_before_christ_and_times_of_day(empty_catalog: Catalog):
    raw = json.dumps(TIMELINEJS).encode()
    document = tljs.read("t.json", raw)
    expected = {
        "Ides of March": ("-0043-03-15", None, "day"),  # TimelineJS -44 is 44 BCE
        "Caesar in Britain": ("-0054", "-0053", "year"),
        # a span is as precise as its coarser end
        "Chelyabinsk meteor": ("2013-02-15T03:20", "2013-02-15T03:21:05", "minute"),
    }
    assert dates_of(document) == expected
    exported = round_trip(empty_catalog, document, tljs.dump, tljs.read)
    assert dates_of(exported) == expected
    slides = {slide["unique_id"]: slide for slide in json.loads(tljs.dump(empty_catalog))["events"]}
    assert slides["ides"]["start_date"] == {"year": -44, "month": 3, "day": 15}
    assert slides["britain"]["end_date"] == {"year": -54}


def test_the_timelinejs_template_counts_years_alike_as_csv_and_as_a_workbook():
    """The template's Year -44 is 44 BCE whichever reader opens it (TimelineJS's own count)."""
    header = ["Year", "Month", "Day", "Time", "Headline", "Text", "Type"]
    rows = [
        ["-44", "3", "15", "10:30", "Ides of March", "", ""],
        ["-55", "", "", "", "Britain", "", ""],
    ]
    csv_text = "\n".join(",".join(row) for row in [header, *rows]) + "\n"
    from_csv = dates_of(tljs.read("t.csv", csv_text.encode()))
    table = spreadsheet.load_table("t.csv", csv_text.encode())
    from_sheet = dates_of(spreadsheet.read_table(table))
    assert (
        from_csv
        == from_sheet
        == {
            "Ides of March": ("-0043-03-15T10:30", None, "minute"),
            "Britain": ("-0054", None, "year"),
        }
    )


def test_an_open_end_is_what_timelinejs_cannot_carry(empty_catalog: Catalog):
    empty_catalog.add_category("War")
    from timeline_app.domain.model import EventDraft

    empty_catalog.add_event(
        EventDraft(title="War", start="2022-02-24T05:00", end="..", category="War")
    )
    (slide,) = json.loads(tljs.dump(empty_catalog))["events"]
    assert slide["start_date"] == {"year": 2022, "month": 2, "day": 24, "hour": 5, "minute": 0}
    assert "end_date" not in slide


# ---- vis-timeline -------------------------------------------------------------------------

VIS = {
    "items": [
        {"id": "meteor", "content": "Meteor", "start": "2013-02-15T03:20:33Z"},
        {
            "id": "talks",
            "content": "Talks",
            "start": "2013-03-30T11:16",
            "end": "2013-03-30T14:00",
        },
        {"id": "moscow", "content": "Moscow time", "start": "2013-03-30T14:16:00+03:00"},
        {"id": "siege", "content": "Siege", "start": "-000055-03-15", "end": "-000055-03-20"},
        {
            "id": "ms",
            "content": "Milliseconds",
            "start": utc_seconds(-43, 3, 15, 10, 30) * 1000,
        },
    ]
}


def test_vis_items_with_times_and_years_before_christ(empty_catalog: Catalog):
    document = vis.read("v.json", json.dumps(VIS).encode())
    expected = {
        "Meteor": ("2013-02-15T03:20:33Z", None, "second"),
        "Talks": ("2013-03-30T11:16", "2013-03-30T14:00", "minute"),
        "Moscow time": ("2013-03-30T11:16:00Z", None, "second"),
        "Siege": ("-0055-03-15", "-0055-03-19", "day"),  # the end is exclusive in vis
        "Milliseconds": ("-0043-03-15T10:30Z", None, "minute"),
    }
    assert dates_of(document) == expected
    exported = round_trip(empty_catalog, document, vis.dump, vis.read)
    assert dates_of(exported) == expected
    items = {item["id"]: item for item in json.loads(vis.dump(empty_catalog))["items"]}
    assert (items["siege"]["start"], items["siege"]["end"]) == ("-000055-03-15", "-000055-03-20")


# ---- The Timeline Project's .timeline -----------------------------------------------------


def timeline_xml(*events: str) -> bytes:
    body = "".join(f"<event>{event}<category>Events</category></event>" for event in events)
    return (
        '<?xml version="1.0" encoding="utf-8"?><timeline><version>2.5.0</version>'
        "<timetype>gregoriantime</timetype><categories><category><name>Events</name>"
        "<color>0,114,178</color></category></categories>"
        f"<events>{body}</events><view></view></timeline>"
    ).encode()


def test_a_timeline_event_with_a_time_of_day_that_ends_today(empty_catalog: Catalog):
    raw = timeline_xml(
        "<start>2022-02-24 05:00:00</start><end>2022-02-24 05:00:00</end>"
        "<text>Invasion begins</text><ends_today>True</ends_today>",
        "<start>2013-03-30 11:16:05</start><end>2013-03-30 12:00:00</end><text>Talks</text>",
        "<start>-55-08-26 00:00:00</start><end>-55-09-10 00:00:00</end><text>Landing</text>",
        "<start>1995-01-08 00:00:00</start><end>1995-01-08 00:00:00</end><text>Contract</text>"
        "<ends_today>True</ends_today>",
    )
    document = timeline_file.read("t.timeline", raw)
    expected = {
        "Invasion begins": ("2022-02-24T05:00", "..", "minute"),
        "Talks": ("2013-03-30T11:16:05", "2013-03-30T12:00", "minute"),
        "Landing": ("-0055-08-26", "-0055-09-10", "day"),
        "Contract": ("1995-01-08", "..", "day"),
    }
    assert dates_of(document) == expected
    assert all(item.span.open_end for item in document.events if item.draft.end == "..")
    exported = round_trip(empty_catalog, document, timeline_file.dump, timeline_file.read)
    assert dates_of(exported) == expected


# ---- iCalendar ----------------------------------------------------------------------------


def calendar(*events: str) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Test//EN"]
    for event in events:
        lines += ["BEGIN:VEVENT", *event.strip().splitlines(), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def test_ics_date_times_become_utc_or_local_times_of_day(empty_catalog: Catalog):
    raw = calendar(
        "UID:meteor\nSUMMARY:Meteor\nDTSTART:20130215T032033Z\nDTEND:20130215T033000Z",
        "UID:moscow\nSUMMARY:Moscow\nDTSTART;TZID=Europe/Moscow:20220224T050000",
        "UID:floating\nSUMMARY:Floating\nDTSTART:20130330T111600\nDTEND:20130330T140000",
        "UID:day\nSUMMARY:Day\nDTSTART;VALUE=DATE:19950108",
    )
    document = ics.read("c.ics", raw)
    expected = {
        "Meteor": ("2013-02-15T03:20:33Z", "2013-02-15T03:30:00Z", "second"),
        "Moscow": ("2022-02-24T02:00:00Z", None, "second"),
        "Floating": ("2013-03-30T11:16", "2013-03-30T14:00", "minute"),
        "Day": ("1995-01-08", None, "day"),
    }
    assert dates_of(document) == expected
    exported = round_trip(empty_catalog, document, ics.dump, ics.read)
    assert dates_of(exported) == expected


def test_what_ics_cannot_carry_an_open_end_and_a_year_before_1(empty_catalog: Catalog):
    from timeline_app.domain.model import EventDraft

    empty_catalog.add_category("Events")
    empty_catalog.add_event(
        EventDraft(title="War", start="2022-02-24T05:00", end="..", category="Events")
    )
    (war,) = dates_of(ics.read("c.ics", ics.dump(empty_catalog))).values()
    assert war == ("2022-02-24T05:00", None, "minute")  # the start alone is written
    empty_catalog.add_event(EventDraft(title="Landing", start="-0055-08-26", category="Events"))
    with pytest.raises(TimelineError, match="the year -55 cannot be written to iCalendar"):
        ics.dump(empty_catalog)


# ---- spreadsheets -------------------------------------------------------------------------


def test_a_sheet_with_year_minus_55_and_a_time_column(empty_catalog: Catalog):
    raw = (
        b"Year,Month,Day,Time,Title,Category\n"
        b"-55,8,26,,Caesar lands in Britain,Rome\n"
        b"-44,3,15,11:30,Ides of March,Rome\n"
        b"2013,3,30,11:16:05,Talks,Diplomacy\n"
        b"2013,3,31,09:00 UTC,Talks resume,Diplomacy\n"
    )
    document = spreadsheet.read("s.csv", raw)
    expected = {
        "Caesar lands in Britain": ("-0055-08-26", None, "day"),  # astronomical, as EDTF counts
        "Ides of March": ("-0044-03-15T11:30", None, "minute"),
        "Talks": ("2013-03-30T11:16:05", None, "second"),
        "Talks resume": ("2013-03-31T09:00Z", None, "minute"),
    }
    assert dates_of(document) == expected
    exported = round_trip(
        empty_catalog,
        document,
        lambda catalog: spreadsheet.dump(catalog, "xlsx"),
        lambda path, raw: spreadsheet.read(f"{path}.xlsx", raw),
    )
    assert dates_of(exported) == expected
    for fmt in ("ods", "tsv"):
        again = spreadsheet.read(f"exported.{fmt}", spreadsheet.dump(empty_catalog, fmt))
        assert dates_of(again) == expected, fmt


def test_a_sheet_date_column_keeps_times_open_ends_and_years_before_christ():
    raw = (
        b"Date,End,Title\n"
        b"30/03/2013 11:16,,Talks\n"
        b"2022-02-24 05:00:00.000,present,War\n"
        b"56 BC,,Before Christ\n"
        b"between 1990 and 1994,,Some year\n"
        b"since 24 Feb 2022,,Ongoing\n"
        b"1995 - 1997,,Years\n"
    )
    document = spreadsheet.read("s.csv", raw)
    assert dates_of(document) == {
        "Talks": ("2013-03-30T11:16", None, "minute"),
        "War": ("2022-02-24T05:00:00", "..", "second"),
        "Before Christ": ("-0055", None, "year"),
        "Some year": ("[1990..1994]", None, "year"),
        "Ongoing": ("2022-02-24", "..", "day"),
        "Years": ("1995", "1997", "year"),
    }


def test_a_sheet_counts_years_as_its_mapping_says():
    """A mapping built column by column (as the mapping dialog does) still reads a TimelineJS
    template in its count; a mapping file may choose either count explicitly."""
    raw = b"Year,Headline,Text\n-44,Ides of March,\n"
    table = spreadsheet.load_table("t.csv", raw)
    by_columns = spreadsheet.ColumnMapping(title="Headline", year="Year")
    assert dates_of(spreadsheet.read_table(table, by_columns))["Ides of March"][0] == "-0043"
    astronomical = spreadsheet.ColumnMapping(title="Headline", year="Year", no_year_zero=False)
    text = spreadsheet.mapping_to_json(astronomical)
    assert spreadsheet.mapping_from_json(text) == astronomical
    assert dates_of(spreadsheet.read_table(table, astronomical))["Ides of March"][0] == "-0044"
    with pytest.raises(TimelineError, match="no_year_zero: must be true, false or null"):
        spreadsheet.mapping_from_json('{"columns": {"year": "Year"}, "no_year_zero": 1}')


def test_year_zero_is_refused_where_the_count_has_none():
    raw = b"Year,Headline,Text\n0,Nothing,\n"
    with pytest.raises(ImportFileError) as raised:
        spreadsheet.read("t.xlsx.csv", raw)
    assert str(raised.value) == (
        "t.xlsx.csv:2: column Year: 0 is not a year (1 BCE is -1 in this count)"
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            b"Year,Month,Day,Time,Title\n2013,3,30,25:00,x\n",
            "s.csv:2: column Time: '25:00' is not a time of day",
        ),
        (
            b"Year,Month,Day,Time,Title\n2013,3,30,noon,x\n",
            "s.csv:2: column Time: 'noon' is not a time of day (write it like 11:16 or 9:30 PM)",
        ),
        (
            b"Date,Title\n2013-03-30 11:16?,x\n",
            "s.csv:2: column Date: '2013-03-30 11:16?': a time of day cannot be marked "
            "approximate or uncertain",
        ),
    ],
)
def test_a_bad_time_in_a_sheet_is_named_in_one_line(raw, message):
    with pytest.raises(ImportFileError) as raised:
        spreadsheet.read("s.csv", raw)
    assert str(raised.value) == message


def test_a_timelinejs_time_with_a_zone_is_refused():
    with pytest.raises(ImportFileError) as raised:
        tljs.read("t.csv", b"Year,Month,Day,Time,Headline\n2013,3,30,11:16 UTC,x\n")
    assert str(raised.value) == "t.csv:2: Time: '11:16 UTC': TimelineJS times have no time zone"
