"""iCalendar: all-day events with their exclusive DTEND, zoned times in UTC, recurring events
reported; an export the `icalendar` library reads back into the same events; damaged files
refused in one line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from timeline_app.domain.errors import ImportFileError, TimelineError
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import apply_import, ics, plan_import
from timeline_app.store.database import open_database

SAMPLE = Path(__file__).parent.parent / "data" / "formats" / "ics" / "relations.ics"


def _calendar(*events: str, head: str = "") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Test//EN", head]
    for event in events:
        lines += ["BEGIN:VEVENT", *event.strip().splitlines(), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(line for line in lines if line).encode() + b"\r\n"


ZONE = """BEGIN:VTIMEZONE
TZID:Tehran fixed
BEGIN:STANDARD
DTSTART:19700101T000000
TZOFFSETFROM:+0330
TZOFFSETTO:+0330
END:STANDARD
END:VTIMEZONE"""


def _read(raw: bytes):
    return ics.read("c.ics", raw)


def test_sample_reads_into_day_events_with_exclusive_ends():
    result = ics.read_calendar(str(SAMPLE), SAMPLE.read_bytes())
    document = result.document
    assert document.title == "Russia and Iran"
    assert [c.name for c in document.categories] == ["Nuclear file", "Uncategorised"]
    events = {item.draft.title: item for item in document.events}
    contract = events["Bushehr completion contract"]
    assert (contract.id, contract.row) == ("bushehr-1995@example.org", 14)
    assert (contract.draft.start, contract.draft.end, contract.span.precision) == (
        "1995-01-08",
        None,
        "day",
    )  # DTEND the next day: a one-day event is a point
    assert contract.draft.description == (
        "Russia agrees to finish the plant, and to supply fuel.\nSecond line."
    )
    assert (contract.draft.location, contract.draft.category) == ("Tehran", "Nuclear file")
    assert contract.draft.tags == ("Bushehr", "energy")
    assert [ref.url for ref in contract.draft.sources] == ["https://www.example.org/bushehr"]
    fuel = events["Fuel deliveries"].draft
    assert (fuel.start, fuel.end) == ("2007-12-16", "2008-01-28")  # DTEND 2008-01-29
    assert (
        fuel.description
        == "Eight shipments\nby rail & sea\n\nLink: ftp://files.example.org/fuel.pdf"
    )
    assert [ref.url for ref in fuel.sources] == ["https://www.example.org/fuel"]
    vienna = events["Vienna agreement days"]
    assert (vienna.draft.start, vienna.draft.end) == ("2015-07-14", "2015-07-16")  # P3D
    anniversary = events["Caspian summit anniversary"]
    assert len(anniversary.id) == 36  # the UID is longer than an id may be
    assert (anniversary.draft.start, anniversary.draft.end) == ("2007-05-16", None)
    assert result.recurring == (ics.RecurringEvent(anniversary.id, 37, "RRULE:FREQ=YEARLY"),)
    assert ics.recurring_ids(str(SAMPLE), SAMPLE.read_bytes()) == [anniversary.id]


def test_sample_imports_once_and_again_changes_nothing(catalog: Catalog):
    raw = SAMPLE.read_bytes()
    result = apply_import(catalog, ics.read(str(SAMPLE), raw))
    assert len(result.added_ids) == 4
    again = plan_import(catalog, ics.read(str(SAMPLE), raw))
    assert (len(again.added), len(again.changed), len(again.unchanged)) == (0, 0, 4)


def _first_event(text: str) -> icalendar.Event:
    return icalendar.Calendar.from_ical(text).walk("VEVENT")[0]


TEHRAN = (
    "BEGIN:VTIMEZONE\r\nTZID:Tehran fixed\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
    "TZOFFSETFROM:+0330\r\nTZOFFSETTO:+0330\r\nEND:STANDARD\r\nEND:VTIMEZONE"
)


@pytest.mark.parametrize(
    ("start", "head", "expected"),
    [
        ("DTSTART;TZID=Europe/Moscow:20220224T050000", "", "2022-02-24T02:00:00Z"),
        ("DTSTART;TZID=Tehran fixed:20220224T050000", TEHRAN, "2022-02-24T01:30:00Z"),
        ("DTSTART:20220224T050007Z", "", "2022-02-24T05:00:07Z"),
        ("DTSTART:20220224T050000", "", "2022-02-24T05:00"),
        ("DTSTART:20220224T050009", "", "2022-02-24T05:00:09"),
    ],
)
def test_times_become_utc_or_stay_local_when_floating(start, head, expected):
    event = _first_event(_calendar(f"UID:1\n{start}", head=head).decode())
    assert ics.instant_text(event.decoded("DTSTART")) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (dt.date(2022, 2, 24), None, ("2022-02-24", None)),
        (dt.date(2022, 2, 24), dt.date(2022, 2, 25), ("2022-02-24", None)),
        (dt.date(2022, 2, 24), dt.date(2022, 2, 24), ("2022-02-24", None)),
        (dt.date(2022, 2, 24), dt.date(2022, 3, 1), ("2022-02-24", "2022-02-28")),
        (dt.date(2024, 12, 31), dt.date(2025, 1, 2), ("2024-12-31", "2025-01-01")),
    ],
)
def test_all_day_dtend_is_exclusive(start, end, expected):
    assert ics.date_texts(start, end) == expected


def _record(start: str, end: str | None = None, lower: int = 0, upper: int = 0):
    from timeline_app.domain.model import Certainty, EventRecord

    return EventRecord(
        "e1",
        "T",
        start,
        end,
        "C",
        3,
        Certainty.CONFIRMED,
        "",
        None,
        (),
        (),
        (),
        lower,
        upper,
        "day",
        1,
    )


def test_times_of_day_are_written_as_date_times():
    utc = ics.ics_bounds(_record("2013-03-30T11:16:05Z", "2013-03-30T12:00:00Z"))
    assert utc == (
        dt.datetime(2013, 3, 30, 11, 16, 5, tzinfo=dt.UTC),
        dt.datetime(2013, 3, 30, 12, 0, tzinfo=dt.UTC),
    )
    floating = ics.ics_bounds(_record("2013-03-30T11:16"))
    assert floating == (dt.datetime(2013, 3, 30, 11, 16), None)
    offset = ics.ics_bounds(_record("2013-03-30T11:16+03:00"))
    assert offset == (dt.datetime(2013, 3, 30, 8, 16, tzinfo=dt.UTC), None)


def test_a_year_before_1_cannot_be_written():
    lower = -62_135_596_800 - 365 * 86_400  # the start of year 0 (1 BCE)
    with pytest.raises(TimelineError, match="the year 0 cannot be written to iCalendar"):
        ics.ics_bounds(_record("0000", None, lower, lower + 366 * 86_400))


BAD_FILES = {
    "unknown-zone": (
        _calendar("UID:1\nDTSTART;TZID=Nowhere/Land:20220224T050000\nSUMMARY:X"),
        "c.ics:4: DTSTART: TZID 'Nowhere/Land' is neither a known time zone nor defined "
        "in the file (VTIMEZONE)",
    ),
    "no-start": (_calendar("UID:1\nSUMMARY:X"), "c.ics:4: DTSTART: is missing"),
    "end-before-start": (
        _calendar("UID:1\nDTSTART;VALUE=DATE:20220224\nDTEND;VALUE=DATE:20220220"),
        "c.ics:4: DTEND: is before DTSTART",
    ),
    "date-and-time-mixed": (
        _calendar("UID:1\nDTSTART;VALUE=DATE:20220224\nDTEND:20220225T100000Z"),
        "c.ics:4: DTEND: is a date with a time and DTSTART a whole day, or the reverse",
    ),
    "broken-start": (
        _calendar("UID:1\nDTSTART:2022022"),
        "c.ics:4: DTSTART: cannot be read: ",
    ),
    "never-ended": (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:20220224T050000Z\r\nEND:VCALENDAR\r\n",
        "c.ics:5: END: END:VCALENDAR where END:VEVENT was due",
    ),
    "cut-off": (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:20220224T050000Z\r\n",
        "c.ics:2: BEGIN: BEGIN:VEVENT is never ended",
    ),
    "not-ics": (b"hello\r\n", "c.ics: ics: has no BEGIN:VCALENDAR: not an iCalendar file"),
    "garbage-line": (
        _calendar("UID:1\nDTSTART;VALUE=DATE:20220224").replace(b"UID:1", b"garbage"),
        "c.ics:4: ics: cannot be read: Content line could not be parsed into parts: 'garbage'",
    ),
    "utf-16": (
        _calendar("UID:1\nDTSTART;VALUE=DATE:20220224").decode().encode("utf-16"),
        "c.ics: encoding: is UTF-16; save the file as UTF-8",
    ),
    "twice-the-same-uid": (
        _calendar(
            "UID:same\nDTSTART;VALUE=DATE:20220224\nSUMMARY:A",
            "UID:same\nDTSTART;VALUE=DATE:20220225\nSUMMARY:B",
        ),
        "c.ics:9: id: 'same' is used again (first at row 4)",
    ),
    # Damaged VTIMEZONEs, on which the library's parser raised an AttributeError
    # ("'VTIMEZONE' object has no attribute 'to_tz'") instead of refusing the file.
    "zone-name-with-a-space": (
        _calendar(
            "UID:1\nDTSTART;VALUE=DATE:20220224",
            head=ZONE.replace("BEGIN:VTIMEZONE", "BEGIN:VTIMEZONE "),
        ),
        "c.ics:4: BEGIN: 'VTIMEZONE ' is not the name of a component",
    ),
    "zone-name-with-a-tab": (
        _calendar(
            "UID:1\nDTSTART;VALUE=DATE:20220224",
            head=ZONE.replace("BEGIN:VTIMEZONE", "BEGIN:VTIMEZONE\t"),
        ),
        "c.ics:4: BEGIN: 'VTIMEZONE\\t' is not the name of a component",
    ),
    "zone-closing-another-component": (
        _calendar(
            "UID:1\nDTSTART;VALUE=DATE:20220224",
            head=ZONE.replace("BEGIN:VTIMEZONE", "BEGIN;X=1:VTIMEZONX"),
        ),
        "c.ics:11: END: END:VTIMEZONE where END:VTIMEZONX was due",
    ),
    "zone-with-two-tzids": (
        _calendar(
            "UID:1\nDTSTART;VALUE=DATE:20220224",
            head=ZONE.replace("TZID:Tehran fixed", "TZID:Tehran fixed\nTZID:Again"),
        ),
        "c.ics:6: TZID: is given more than once",
    ),
    "all-day-date-cut-short": (
        _calendar("UID:1\nDTSTART;VALUE=DATE:201507"),
        "c.ics:4: DTSTART: ",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_refused_in_one_line(case):
    raw, expected = BAD_FILES[case]
    with pytest.raises(ImportFileError) as caught:
        _read(raw)
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message


def test_an_occurrence_of_a_series_gets_its_own_id_and_is_reported():
    raw = _calendar(
        "UID:series\nDTSTART;VALUE=DATE:20220224\nRRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:Talks",
        "UID:series\nRECURRENCE-ID;VALUE=DATE:20220303\nDTSTART;VALUE=DATE:20220304\nSUMMARY:Moved",
    )
    result = ics.read_calendar("c.ics", raw)
    ids = [item.id for item in result.document.events]
    assert ids[0] == "series" and ids[1] != "series"
    assert [event.rule for event in result.recurring] == [
        "RRULE:FREQ=WEEKLY;COUNT=3",
        "RECURRENCE-ID:20220303",
    ]


def test_an_event_without_uid_or_summary_gets_a_stable_id_and_a_placeholder_title():
    raw = _calendar("DTSTART;VALUE=DATE:20220224", "DTSTART;VALUE=DATE:20220224")
    first = [(item.id, item.draft.title) for item in _read(raw).events]
    assert first[0][1] == ics.NO_TITLE
    assert first[0][0] != first[1][0]
    assert [(item.id, item.draft.title) for item in _read(raw).events] == first


def test_a_long_location_goes_to_the_description():
    raw = _calendar(f"UID:1\nDTSTART;VALUE=DATE:20220224\nDESCRIPTION:Text\nLOCATION:{'L' * 130}")
    draft = _read(raw).events[0].draft
    assert draft.location is None
    assert draft.description == f"Text\n\nLocation: {'L' * 130}"


def test_sniff_knows_the_format_by_its_content():
    assert ics.sniff(SAMPLE.read_bytes(), "calendar.txt")
    assert ics.sniff(b"\xef\xbb\xbf\r\nbegin:vcalendar\r\n", "x")
    assert not ics.sniff(b"<timeline><version>2.5.0</version>", "x.ics")
    assert not ics.sniff(b"\x00\x01\x02", "x.ics")


def _fill(catalog: Catalog) -> None:
    catalog.add_event(
        EventDraft(
            "Bushehr contract, signed",
            "1995-01-08",
            category="Nuclear file",
            description="Plant; fuel,\nand more",
            location="Moscow",
            tags=("Bushehr", "energy, fuel"),
            sources=(
                SourceRef("Wire report", "", "Interfax"),  # URL and ATTACH need a URL
                SourceRef("Chronology", "https://www.example.org/a"),
                SourceRef("Second", "https://www.example.org/b"),
            ),
        )
    )
    catalog.add_event(EventDraft("Deliveries", "2007-12-16", "2008-01-28", category="Energy"))
    catalog.add_event(EventDraft("Embargo", "2010-06", category="Energy"))
    catalog.add_event(EventDraft("Treaty year", "2001?", category="Diplomacy & treaties"))


def test_export_is_a_calendar_the_library_reads(catalog: Catalog):
    _fill(catalog)
    raw = ics.dump(catalog)
    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar["PRODID"] == ics.PRODID and calendar["VERSION"] == "2.0"
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert len(events) == 4
    records = {record.title: record for record in catalog.events()}
    for title, event in events.items():
        assert str(event["UID"]) == records[title].id
        assert isinstance(event.decoded("DTSTAMP"), dt.datetime)
        assert event["DTSTART"].params["VALUE"] == "DATE"
    contract = events["Bushehr contract, signed"]
    assert (contract.decoded("DTSTART"), contract.decoded("DTEND")) == (
        dt.date(1995, 1, 8),
        dt.date(1995, 1, 9),
    )
    embargo = events["Embargo"]  # a month: the whole month, DTEND exclusive
    assert (embargo.decoded("DTSTART"), embargo.decoded("DTEND")) == (
        dt.date(2010, 6, 1),
        dt.date(2010, 7, 1),
    )
    assert [str(name) for name in contract.categories] == [
        "Nuclear file",
        "Bushehr",
        "energy, fuel",
    ]
    assert str(contract["URL"]) == "https://www.example.org/a"
    assert str(contract["ATTACH"]) == "https://www.example.org/b"


def test_export_then_import_gives_the_same_events_for_what_ics_carries(catalog: Catalog, tmp_path):
    _fill(catalog)
    raw = ics.dump(catalog)
    document = ics.read("out.ics", raw)
    back = {item.id: item for item in document.events}
    for record in catalog.events():
        item = back[record.id]
        assert item.draft.title == record.title
        assert item.draft.category == record.category
        assert item.draft.tags == record.tags
        assert item.draft.description == record.description
        assert item.draft.location == record.location
        assert [ref.url for ref in item.draft.sources] == [
            ref.url for ref in record.sources if ref.url
        ]
        assert (item.span.lower, item.span.upper) == (record.lower, record.upper)
    assert (
        back[_id(catalog, "Deliveries")].draft.start,
        back[_id(catalog, "Deliveries")].draft.end,
    ) == (
        "2007-12-16",
        "2008-01-28",
    )
    assert back[_id(catalog, "Bushehr contract, signed")].draft.start == "1995-01-08"
    assert back[_id(catalog, "Embargo")].draft.end == "2010-06-30"  # precision: day, not month
    empty = Catalog(open_database(tmp_path / "empty.sqlite"))
    apply_import(empty, document)
    again = plan_import(empty, ics.read("out.ics", ics.dump(empty)))
    assert (len(again.added), len(again.changed)) == (0, 0)


def _id(catalog: Catalog, title: str) -> str:
    return next(record.id for record in catalog.events() if record.title == title)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("if a<b and c>d", "if a<b and c>d"),
        ("<p>One &amp; two</p><p>Three<br/>four</p>", "One & two\nThree\nfour"),
        ("<b>Bold</b> <script>alert(1)</script>x", "Bold x"),
    ],
)
def test_html_in_a_description_becomes_plain_text_and_plain_text_stays(text, expected):
    assert ics.plain_text(text) == expected


def test_a_tag_named_like_the_category_survives_the_round_trip(catalog: Catalog):
    catalog.add_event(EventDraft("E", "2001-01-01", category="Energy", tags=("Energy", "x")))
    item = ics.read("out.ics", ics.dump(catalog)).events[0]
    assert (item.draft.category, item.draft.tags) == ("Energy", ("Energy", "x"))


def test_export_reports_progress_per_event(catalog: Catalog):
    _fill(catalog)
    heard: list[tuple[int, int]] = []
    ics.dump(catalog, progress=lambda done, total: heard.append((done, total)))
    assert heard[0] == (0, 4) and heard[-1] == (4, 4)
