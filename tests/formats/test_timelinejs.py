"""TimelineJS 3: JSON and the spreadsheet template in, JSON out, checked against its schema."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pytest

from timeline_app.domain.errors import ImportFileError, ValidationError
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import apply_import, vis_timeline
from timeline_app.services.interchange import timelinejs as tljs
from timeline_app.services.interchange.json_format import dump_json
from timeline_app.store.database import open_database

DATA = Path(__file__).parent.parent / "data" / "formats" / "timelinejs"

# The TimelineJS 3 JSON format as its documentation describes it (json-format page), written
# as a JSON Schema; `additionalProperties: false` holds the writer to documented keys only.
_DATE = {
    "type": "object",
    "required": ["year"],
    "additionalProperties": False,
    "properties": {
        "year": {"type": "integer"},
        "month": {"type": "integer", "minimum": 1, "maximum": 12},
        "day": {"type": "integer", "minimum": 1, "maximum": 31},
        "hour": {"type": "integer", "minimum": 0, "maximum": 23},
        "minute": {"type": "integer", "minimum": 0, "maximum": 59},
        "second": {"type": "integer", "minimum": 0, "maximum": 59},
        "millisecond": {"type": "integer"},
        "display_date": {"type": "string"},
        "format": {"type": "string"},
    },
}
_TEXT = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"headline": {"type": "string"}, "text": {"type": "string"}},
}
_MEDIA = {
    "type": "object",
    "required": ["url"],
    "additionalProperties": False,
    "properties": {
        name: {"type": "string"}
        for name in ("url", "caption", "credit", "thumbnail", "alt", "title", "link")
    },
}
_SLIDE_PROPERTIES = {
    "start_date": _DATE,
    "end_date": _DATE,
    "text": _TEXT,
    "media": _MEDIA,
    "group": {"type": "string"},
    "display_date": {"type": "string"},
    "background": {"type": "object"},
    "autolink": {"type": "boolean"},
    "unique_id": {"type": "string"},
}
SCHEMA = {
    "type": "object",
    "required": ["events"],
    "additionalProperties": False,
    "properties": {
        "events": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["start_date"],
                "additionalProperties": False,
                "properties": _SLIDE_PROPERTIES,
            },
        },
        "title": {"type": "object", "additionalProperties": False, "properties": _SLIDE_PROPERTIES},
        "eras": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["start_date", "end_date"],
                "additionalProperties": False,
                "properties": {
                    "start_date": _DATE,
                    "end_date": _DATE,
                    "text": _TEXT,
                    "unique_id": {"type": "string"},
                },
            },
        },
        "scale": {"enum": ["human", "cosmological"]},
    },
}
_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "integer": int,
}


def schema_problems(value: object, schema: dict, where: str = "$") -> list[str]:
    """The places where `value` breaks `schema` (the JSON Schema keywords SCHEMA uses)."""
    problems: list[str] = []
    kind = schema.get("type")
    if kind is not None:
        wrong = not isinstance(value, _TYPES[kind]) or (
            kind == "integer" and isinstance(value, bool)
        )
        if wrong:
            return [f"{where}: {value!r} is not of type {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if "minimum" in schema and value < schema["minimum"]:
        problems.append(f"{where}: {value} is below {schema['minimum']}")
    if "maximum" in schema and value > schema["maximum"]:
        problems.append(f"{where}: {value} is above {schema['maximum']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{where}: {name} is required")
        for name, item in value.items():
            if name in properties:
                problems += schema_problems(item, properties[name], f"{where}.{name}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{where}: {name} is not a documented property")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            problems += schema_problems(item, schema["items"], f"{where}[{index}]")
    return problems


def test_the_schema_check_finds_what_timelinejs_would_not_load():
    """The hand-written check must catch a slide without a start year, a month 13 and an
    undocumented key; else the export test below could not fail."""
    bad = {"events": [{"start_date": {"month": 13}, "colour": "red"}]}
    problems = schema_problems(bad, SCHEMA)
    assert "$.events[0].start_date: year is required" in problems
    assert "$.events[0].start_date.month: 13 is above 12" in problems
    assert "$.events[0]: colour is not a documented property" in problems
    assert schema_problems({"events": []}, SCHEMA) == []


@pytest.fixture
def catalog(tmp_path: Path):
    database = open_database(str(tmp_path / "timeline.sqlite"))
    yield Catalog(database)
    database.dispose()


def read_fixture(name: str):
    path = DATA / name
    return tljs.read(str(path), path.read_bytes())


# ---- import -----------------------------------------------------------------------------


def test_json_slides_become_events_at_their_precision():
    document = read_fixture("relations.json")
    assert document.title == "Russia & Iran: a short chronology"
    by_title = {item.draft.title: item for item in document.events}
    assert len(by_title) == 5
    resht = by_title["Treaty of Resht"]
    assert resht.id == "treaty-of-resht"
    assert (resht.draft.start, resht.draft.end, resht.draft.category) == ("1732", None, "Diplomacy")
    # HTML stripped by the sanitiser, the script's content dropped, paragraphs kept
    assert resht.draft.description == (
        "Russia returns the Caspian provinces.\n\nSecond paragraph & more."
    )
    assert resht.draft.sources[0].url == "https://en.wikipedia.org/wiki/Treaty_of_Resht"
    assert resht.draft.sources[0].title == "Article on the treaty"
    assert resht.draft.sources[0].publisher == "Wikipedia"
    assert by_title["Treaty of Turkmenchay"].draft.start == "1828-02-21"
    assert by_title["Treaty of Turkmenchay"].draft.description == "Ends the war of 1826–28."
    war = by_title["Russo-Persian War"]
    assert (war.draft.start, war.draft.end, war.draft.category) == (
        "1826-07",
        "1828-02",
        "Conflict",
    )
    # a "c. 1995" display date agrees with the year: the date is approximate
    talks = by_title["Bushehr contract talks begin"]
    assert talks.draft.start == "1995~"
    assert talks.draft.category == tljs.DEFAULT_CATEGORY
    # embed code is not a web address: the media's credit is a source without a URL
    assert [(ref.title, ref.url, ref.publisher) for ref in talks.draft.sources] == [
        ("nobody", "", "nobody")
    ]
    assert by_title["Treaty on the Foundations of Relations"].draft.end is None
    assert [(era.name, era.start, era.end) for era in document.eras] == [
        ("Wars of the Caucasus", "1804", "1828")
    ]
    assert [item.name for item in document.categories] == [
        "Diplomacy",
        "Conflict",
        tljs.DEFAULT_CATEGORY,
    ]


def test_template_csv_rows_become_title_events_and_eras():
    document = read_fixture("template.csv")
    assert document.title == "Russia and Iran"
    rows = {item.draft.title: item for item in document.events}
    jcpoa = rows["JCPOA concluded"]
    assert (jcpoa.row, jcpoa.draft.start, jcpoa.draft.category) == (3, "2015-07-14", "Nuclear file")
    assert jcpoa.draft.description == "Vienna: the Joint Comprehensive Plan of Action."
    assert [(ref.title, ref.url, ref.publisher) for ref in jcpoa.draft.sources] == [
        ("Iran file at the IAEA", "https://www.iaea.org/newscenter/focus/iran", "IAEA")
    ]
    span = rows["JCPOA in force until the US withdrawal"]
    assert (span.draft.start, span.draft.end) == ("2016-01-16", "2018-05-08")
    decade = rows["Arms deals of the decade"]
    assert decade.draft.start == "199X"  # "1,990" read as a number, "1990s" shown
    assert decade.draft.description == "Several deals,\nover many years"
    assert rows["Fuel delivered to Bushehr"].draft.start == "2007-12"
    assert rows["Fuel delivered to Bushehr"].row == 9  # the line, after a two-line cell
    assert [(era.name, era.start, era.end) for era in document.eras] == [
        ("JCPOA period", "2016-01-16", "2025-10-18")
    ]


def test_spreadsheet_cells_are_read_as_a_spreadsheet_gives_them():
    header = ["Year", "Month", "Day", "Headline", "Group", "Type"]
    rows = [
        [None, None, None, "Sheet title", None, "title"],
        [2015.0, 7, 14, "Numbers from a spreadsheet", "Nuclear file", None],
        [None, None, None, None, None, None],
        [2016, None, None, 2016, None, ""],
    ]
    document = tljs.events_from_template_rows("book.xlsx", header, rows, row_numbers=[2, 3, 4, 5])
    assert document.title == "Sheet title"
    assert [(item.row, item.draft.title, item.draft.start) for item in document.events] == [
        (3, "Numbers from a spreadsheet", "2015-07-14"),
        (5, "2016", "2016"),
    ]


# ---- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "edtf"),
    [
        ({"year": 2015}, "2015"),
        ({"year": "1,732", "month": "02"}, "1732-02"),
        ({"year": 5, "month": 1, "day": 9}, "0005-01-09"),
        ({"year": -44, "month": 3, "day": 15}, "-0043-03-15"),  # 44 BCE, astronomical -43
        ({"year": -1}, "0000"),
        ({"year": -10000}, "-9999"),
        ({"year": "2015.0", "month": 3.0}, "2015-03"),
        ({"year": 2013, "month": 3, "day": 30, "hour": 11, "minute": 16}, "2013-03-30T11:16"),
        (
            {"year": 2013, "month": 3, "day": 30, "hour": 11, "minute": 16, "second": 5},
            "2013-03-30T11:16:05",
        ),
        ({"year": 2013, "month": 3, "day": 30, "hour": 9}, "2013-03-30T09:00"),
        ({"year": 1995, "display_date": "about 1995"}, "1995~"),
        ({"year": 1990, "display_date": "1990s"}, "199X"),
        ({"year": 2015, "month": 3, "display_date": "March 2015?"}, "2015-03?"),
        ({"year": 2015, "month": 3, "day": 3, "display_date": "2015"}, "2015-03-03"),
        ({"year": 2015, "display_date": "the spring"}, "2015"),
    ],
)
def test_date_objects_become_edtf_at_their_precision(date, edtf):
    assert tljs.edtf_of_date_object(date) == edtf


@pytest.mark.parametrize(
    ("date", "field", "words"),
    [
        ({"year": 0}, "date.year", "0 is not a year"),
        ({"year": 2015, "month": 13}, "date.month", "13 is not a month"),
        ({"year": 2015, "month": 2, "day": 29}, "date.day", "day 29 does not exist"),
        ({"year": 2016, "hour": 10}, "date.hour", "without a month"),
        ({"year": "MMXV"}, "date.year", "'MMXV' is not a whole number"),
        ({"year": 12000}, "date.year", "12000 is outside the years"),
        ({"year": -10001}, "date.year", "-10001 is outside the years"),
        ({"month": 3}, "date.year", "is missing"),
    ],
)
def test_impossible_date_objects_are_named(date, field, words):
    with pytest.raises(ValidationError) as raised:
        tljs.edtf_of_date_object(date)
    assert raised.value.field == field
    assert words in raised.value.message


@pytest.mark.parametrize(
    ("cells", "edtf"),
    [
        (("2013", "3", "30", "11:16"), "2013-03-30T11:16"),
        (("2013", "3", "30", "11:16:05"), "2013-03-30T11:16:05"),
        (("2013", "3", "30", "1116"), "2013-03-30T11:16"),
        (("2013", "3", "30", "9:30 PM"), "2013-03-30T21:30"),
        (("2013", "3", "30", "12 a.m."), "2013-03-30T00:00"),
        ((2013, 3, 30, dt.time(8, 5)), "2013-03-30T08:05"),
        (("-500", "", "", ""), "-0499"),
    ],
)
def test_template_cells_with_a_time_become_edtf(cells, edtf):
    assert tljs.edtf_of_template_cells(*cells) == edtf


def test_a_template_time_without_a_day_is_named():
    with pytest.raises(ValidationError) as raised:
        tljs.edtf_of_template_cells("2013", "3", "", "10:00")
    assert raised.value.field == "Time"


@pytest.mark.parametrize(
    ("edtf", "date"),
    [
        ("2015", {"year": 2015}),
        ("2015-03", {"year": 2015, "month": 3}),
        ("2015-03-02", {"year": 2015, "month": 3, "day": 2}),
        ("-0043-03-15", {"year": -44, "month": 3, "day": 15}),
        ("0000", {"year": -1}),
        (
            "2013-03-30T11:16:05Z",
            {"year": 2013, "month": 3, "day": 30, "hour": 11, "minute": 16, "second": 5},
        ),
        ("2015~", {"year": 2015, "display_date": "c. 2015"}),
        ("2007-12?", {"year": 2007, "month": 12, "display_date": "December 2007?"}),
        ("199X", {"year": 1990, "display_date": "1990s"}),
        ("19XX", {"year": 1900, "display_date": "19XX"}),  # "1900s" would read as a decade
    ],
)
def test_edtf_becomes_a_date_object_that_reads_back(edtf, date):
    assert tljs.date_object(edtf) == date
    if "T" not in edtf:
        assert tljs.edtf_of_date_object(date) == edtf.removesuffix("Z")


# ---- export -----------------------------------------------------------------------------


def fill(catalog: Catalog) -> None:
    for name in ("Diplomacy & treaties", "Nuclear <file>"):
        catalog.add_category(name)
    catalog.add_event(
        EventDraft(
            title="Bushehr completion contract signed",
            start="1995-01-08",
            category="Nuclear <file>",
            description="Russia agrees to finish the plant.\nLine two: a < b & c.",
            sources=(SourceRef("Iran nuclear chronology", "https://www.nti.org/", "NTI"),),
        )
    )
    catalog.add_event(
        EventDraft(
            title="Fuel delivered",
            start="2007-12?",
            end="2008-01",
            category="Nuclear <file>",
            sources=(  # a slide's media needs a URL: the source without one is not written
                SourceRef("Wire report", "", "Interfax"),
                SourceRef("Shipment log", "https://www.example.org/fuel", "Rosatom"),
            ),
        )
    )
    catalog.add_event(EventDraft(title="Arms deals", start="199X", category="Diplomacy & treaties"))
    catalog.add_event(
        EventDraft(title="Treaty", start="2001-03-12", category="Diplomacy & treaties")
    )
    catalog.add_event(
        EventDraft(title="Talks", start="2015~", end="2016", category="Diplomacy & treaties")
    )
    catalog.add_era("JCPOA in force", "2016-01-16", "2025-10-18", "#E69F00", "Context")


def test_export_matches_the_documented_schema_and_carries_every_event(catalog, tmp_path):
    fill(catalog)
    data = json.loads(tljs.dump(catalog, title="Russia & Iran"))
    assert schema_problems(data, SCHEMA) == []
    assert data["title"]["text"]["headline"] == "Russia &amp; Iran"
    assert len(data["events"]) == catalog.count_events()
    assert len({slide["unique_id"] for slide in data["events"]}) == catalog.count_events()
    by_id = {slide["unique_id"]: slide for slide in data["events"]}
    for record in catalog.events():
        slide = by_id[record.id]
        assert slide["group"] == html.escape(record.category, quote=False)
        assert ("end_date" in slide) == (record.end is not None)
    fuel = next(s for s in data["events"] if s["text"]["headline"] == "Fuel delivered")
    assert fuel["start_date"] == {"year": 2007, "month": 12, "display_date": "December 2007?"}
    assert fuel["end_date"] == {"year": 2008, "month": 1}
    assert data["eras"][0]["text"] == {"headline": "JCPOA in force"}


def test_export_then_import_is_lossless_for_what_timelinejs_carries(catalog, tmp_path):
    fill(catalog)
    first = tljs.dump(catalog, title="Russia & Iran")
    path = tmp_path / "timeline.json"
    path.write_bytes(first)
    assert tljs.sniff(first, path.name)
    document = tljs.read(str(path), first)
    assert document.title == "Russia & Iran"
    stored = {record.id: record for record in catalog.events()}
    for item in document.events:
        record = stored[item.id]
        assert (item.draft.title, item.draft.start, item.draft.end) == (
            record.title,
            record.start,
            record.end,
        )
        assert (item.draft.category, item.draft.description) == (
            record.category,
            record.description,
        )
        assert [(s.title, s.url, s.publisher) for s in item.draft.sources] == [
            (s.title, s.url, s.publisher) for s in record.sources if s.url
        ][:1]
    other = Catalog(open_database(str(tmp_path / "other.sqlite")))
    apply_import(other, document)
    assert tljs.dump(other, title="Russia & Iran") == first
    # a second import of the same file changes nothing
    assert apply_import(other, tljs.read(str(path), first)).changed_count == 0


# ---- damaged and hostile files ----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"events": [', "t.json:1: json: Expecting value"),
        ('{"events": {}}', "t.json: events: must be a list of slides"),
        ('{"events": [{"text": {"headline": "x"}}]}', "t.json:1: start_date: is missing"),
        (
            '{"events": [{"start_date": {"year": 2015}}, {"start_date": {"year": "20x5"}}]}',
            "t.json:2: start_date.year: '20x5' is not a whole number",
        ),
        (
            '{"events": [{"start_date": {"year": 2015}, "text": {"headline": ""}}]}',
            "t.json:1: text.headline: is empty, and the slide has no text or caption",
        ),
        (
            '{"events": [{"start_date": {"year": 2015}, "text": {"headline": "a\\ud800"}}]}',
            "t.json:1: text.headline: contains '\\ud800'",
        ),
        (
            '{"events": [{"start_date": {"year": 2015}, "unique_id": "a", "text": {"headline":'
            ' "x"}}, {"start_date": {"year": 2016}, "unique_id": "a", "text": {"headline": "y"}}]}',
            "t.json:2: unique_id: 'a' is used again (first at row 1)",
        ),
        (
            '{"events": [{"start_date": {"year": 2015}, "text": {"headline": "x"}},'
            ' {"start_date": {"year": 2015}, "text": {"headline": "x"}}]}',
            "t.json:2: unique_id: missing, and the headline and dates repeat row 1's",
        ),
        (
            '{"scale": "cosmological", "events": []}',
            "t.json: scale: 'cosmological' is not supported",
        ),
        (
            '{"events": [{"start_date": {"year": 2016}, "end_date": {"year": 2015},'
            ' "text": {"headline": "x"}}]}',
            "t.json:1: end_date: '2015' is before the start '2016'",
        ),
        ('{"events": ' + "[" * 100_000, "t.json: json: is nested too deeply"),
        ("[]", "t.json: file: must be a JSON object, not list"),
    ],
)
def test_a_damaged_json_file_is_refused_in_one_line(content, message):
    with pytest.raises(ImportFileError) as raised:
        tljs.read("t.json", content.encode("utf-8"))
    text = str(raised.value)
    assert "\n" not in text
    assert text.startswith(message), text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Headline,Text\nx,y\n", "t.csv:1: Year: column is missing"),
        ("Year,Headline\n2015,x\n20x5,y\n", "t.csv:3: Year: '20x5' is not a whole number"),
        ("Year,Month,Headline\n2015,13,x\n", "t.csv:2: Month: 13 is not a month"),
        ("Year,Headline,Text\n,x,y\n", "t.csv:2: Year: is empty"),
        ("Year,Headline,End Month\n2015,x,3\n", "t.csv:2: End Year: is empty while"),
        ("Year,Headline,Year\n2015,x,2016\n", "t.csv:1: Year: names a column twice"),
        ("Year,Headline\n2015,x\n2015,x\n", "t.csv:3: Headline: and the dates repeat row 2's"),
        ('Year,Headline\n2015,"x\n', "t.csv:2: row: unexpected end of data"),
    ],
)
def test_a_damaged_template_csv_is_refused_in_one_line(content, message):
    with pytest.raises(ImportFileError) as raised:
        tljs.read("t.csv", content.encode("utf-8"))
    assert str(raised.value).startswith(message), str(raised.value)


def test_sniff_tells_timelinejs_from_its_neighbours(catalog, tmp_path):
    fill(catalog)
    assert tljs.sniff((DATA / "relations.json").read_bytes(), "relations.json")
    assert tljs.sniff((DATA / "template.csv").read_bytes(), "template.csv")
    assert tljs.sniff(tljs.dump(catalog), "x.json")
    assert not tljs.sniff(vis_timeline.dump(catalog), "x.json")
    assert not tljs.sniff(dump_json(catalog).encode(), "x.json")
    assert not tljs.sniff(b"id,title,start\n1,x,2015\n", "x.csv")
    assert not tljs.sniff(b"\xff\xfe\x00garbage", "x.json")
    assert not tljs.sniff(b"", "x.json")


@pytest.mark.parametrize(
    ("media", "expected"),
    [
        (",Tasnim,Statement", ("Statement", "", "Tasnim")),
        ("photo.jpg,Tasnim,", ("Tasnim", "", "Tasnim")),
        (",,Statement", None),  # a caption without a credit names no source
    ],
)
def test_a_media_credit_without_a_web_address_is_a_source_without_a_url(media, expected):
    content = f"Year,Headline,Media,Media Credit,Media Caption\n2015,Talks,{media}\n"
    (event,) = tljs.read("t.csv", content.encode("utf-8")).events
    sources = [(ref.title, ref.url, ref.publisher) for ref in event.draft.sources]
    assert sources == ([expected] if expected else [])
