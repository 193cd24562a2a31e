"""The Timeline Project's `.timeline` XML: what its events, categories, eras, containers and
flags become; an export it can read back; damaged, hostile and non-Gregorian files refused
in one line."""

from __future__ import annotations

import re
from pathlib import Path

import defusedxml.ElementTree
import pytest

from timeline_app.domain.errors import ImportFileError
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import apply_import, plan_import, thetimeline
from timeline_app.services.interchange.edtf_parts import CivilTime
from timeline_app.store.database import open_database

DATA = Path(__file__).parent.parent / "data" / "formats" / "thetimeline"
SAMPLE = DATA / "relations.timeline"
EVENT_ORDER = (
    "start",
    "end",
    "text",
    "progress",
    "fuzzy",
    "fuzzy_start",
    "fuzzy_end",
    "locked",
    "ends_today",
    "category",
    "categories",
    "description",
    "labels",
    "alert",
    "hyperlink",
    "icon",
    "default_color",
    "milestone",
)
"""The order in which Timeline 2.5's reader takes an event's elements (it refuses others)."""


def _read(raw: bytes, name: str = "t.timeline"):
    return thetimeline.read(name, raw)


def _timeline(events: str, categories: str = "", head: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<timeline>\n<version>2.5.0</version>\n'
        f"{head}<categories>{categories}</categories>\n<events>\n{events}</events>\n"
        "<view></view>\n</timeline>\n"
    ).encode()


def _event(start: str, end: str, text: str = "E", extra: str = "") -> str:
    return f"<event><start>{start}</start><end>{end}</end><text>{text}</text>{extra}</event>\n"


def test_sample_reads_into_events_categories_and_eras():
    document = thetimeline.read(str(SAMPLE), SAMPLE.read_bytes())
    assert [(c.name, c.colour, c.parent) for c in document.categories] == [
        ("Diplomacy", "#0072B2", None),
        ("Nuclear", "#D55E00", "Diplomacy"),
        ("Uncategorised", None, None),
    ]
    assert [(e.name, e.start, e.end, e.colour) for e in document.eras] == [
        ("Sanctions period", "2006-12-23", "2016-01-16", "#E69F00")
    ]
    events = {item.draft.title: item for item in document.events}
    assert "Vienna talks" not in events  # a container is a tag, not an event
    contract = events["Bushehr completion contract"]
    assert (contract.draft.start, contract.draft.end, contract.span.precision) == (
        "1995-01-08",
        None,
        "day",
    )
    assert contract.row == 40
    assert contract.draft.tags == ("Bushehr", "energy")
    assert [ref.url for ref in contract.draft.sources] == ["https://www.example.org/bushehr"]
    assert contract.draft.description == (
        "Russia agrees to finish the plant & supply fuel.\n\nLink: file:///C:/notes/bushehr.pdf"
    )
    fuel = events["Fuel deliveries"].draft
    assert (fuel.start, fuel.end) == ("2007-12-16~", "2008-01-28~")
    agreement = events["Agreement announced"].draft
    assert (agreement.start, agreement.end, agreement.category) == (
        "2015-07-14~",
        None,
        "Diplomacy",
    )
    assert agreement.tags == ("Vienna talks", "Nuclear")
    treaty = events["(Treaty) signed in Moscow"].draft
    assert treaty.category == "Uncategorised"
    milestone = events["I"].draft
    assert (milestone.start, milestone.end, milestone.description) == (
        "2016-01-16",
        None,
        "Implementation day",
    )
    assert document.tags == ["Bushehr", "energy", "Vienna talks", "Nuclear"]


def test_events_without_category_go_to_the_category_asked_for():
    document = thetimeline.read(str(SAMPLE), SAMPLE.read_bytes(), category="Energy")
    assert "Uncategorised" not in [c.name for c in document.categories]
    titles = {item.draft.title: item.draft.category for item in document.events}
    assert titles["(Treaty) signed in Moscow"] == "Energy"


def test_sample_imports_once_and_again_changes_nothing(catalog: Catalog):
    raw = SAMPLE.read_bytes()
    result = apply_import(catalog, thetimeline.read(str(SAMPLE), raw))
    assert len(result.added_ids) == 5
    assert catalog.categories()[-1].name == "Uncategorised"
    nuclear = next(c for c in catalog.categories() if c.name == "Nuclear")
    assert (nuclear.colour, nuclear.parent) == ("#D55E00", "Diplomacy")
    assert [era.name for era in catalog.eras()] == ["Sanctions period"]
    again = plan_import(catalog, thetimeline.read(str(SAMPLE), raw))
    assert (len(again.added), len(again.changed), len(again.unchanged)) == (0, 0, 5)


@pytest.mark.parametrize(
    ("start", "end", "flags", "expected"),
    [
        (CivilTime(2013, 3, 30), CivilTime(2013, 3, 30), {}, ("2013-03-30", None)),
        (CivilTime(2013, 3, 30), CivilTime(2013, 4, 2), {}, ("2013-03-30", "2013-04-02")),
        (
            CivilTime(2013, 3, 30, 11, 16),
            CivilTime(2013, 3, 30, 11, 16),
            {},
            ("2013-03-30T11:16", None),
        ),
        (
            CivilTime(2013, 3, 30, 11, 16, 5),
            CivilTime(2013, 3, 31),
            {},
            ("2013-03-30T11:16:05", "2013-03-31T00:00"),
        ),
        (
            CivilTime(2013, 3, 30, 11, 16),
            CivilTime(2013, 3, 30, 18, 0),
            {"fuzzy_start": True},
            ("2013-03-30~", "2013-03-30T18:00"),
        ),
        (
            CivilTime(2013, 3, 30),
            CivilTime(2013, 3, 30),
            {"fuzzy_end": True},
            ("2013-03-30~", None),
        ),
        (CivilTime(2022, 2, 24), CivilTime(2024, 5, 1), {"ends_today": True}, ("2022-02-24", "..")),
        (CivilTime(-55, 3, 15), CivilTime(-55, 3, 15), {}, ("-0055-03-15", None)),
        (CivilTime(0, 1, 1), CivilTime(1, 12, 31), {}, ("0000-01-01", "0001-12-31")),
    ],
)
def test_times_become_edtf_at_their_precision(start, end, flags, expected):
    assert thetimeline.span_texts(start, end, **flags) == expected


def test_two_equal_events_get_two_ids_that_a_second_read_repeats():
    raw = _timeline(_event("2001-01-01 00:00:00", "2001-01-01 00:00:00") * 2)
    first = [item.id for item in _read(raw).events]
    assert len(set(first)) == 2
    assert [item.id for item in _read(raw).events] == first


def test_a_subevent_of_a_container_the_file_lacks_is_refused():
    raw = _timeline(_event("2001-01-01 00:00:00", "2001-01-01 00:00:00", "(7)Lost"))
    with pytest.raises(ImportFileError) as caught:
        _read(raw)
    assert str(caught.value) == (
        "t.timeline:6: text: names container 7, which the file does not have"
    )


BAD_FILES = {
    "coptic-calendar": (
        _timeline("", head="<timetype>coptic</timetype>\n"),
        "t.timeline:4: timetype: 'coptic' is not the Gregorian calendar; "
        "only gregoriantime timelines can be imported",
    ),
    "not-xml": (b"this is not xml", "t.timeline:1: xml: is not well-formed: syntax error"),
    "cut-off": (
        _timeline(_event("2001-01-01 00:00:00", "2001-01-01 00:00:00")).split(b"<view>")[0],
        "t.timeline:8: xml: is not well-formed: no element found",
    ),
    "other-root": (b"<calendar><version>1.0.0</version></calendar>", "t.timeline:1: timeline: "),
    "no-version": (b"<timeline><categories/></timeline>", "t.timeline:1: version: "),
    "empty": (b"  \n", "t.timeline: file: is empty"),
    "no-end": (
        _timeline("<event><start>2001-01-01 00:00:00</start><text>E</text></event>\n"),
        "t.timeline:6: end: <event> has no <end>",
    ),
    "bad-time": (
        _timeline(_event("2001-02-30 00:00:00", "2001-03-01 00:00:00")),
        "t.timeline:6: start: '2001-02-30 00:00:00': day 30 does not exist in 2001-02",
    ),
    "end-before-start": (
        _timeline(_event("2001-03-01 00:00:00", "2001-02-01 00:00:00")),
        "t.timeline:6: end: '2001-02-01 00:00:00' is before the start '2001-03-01 00:00:00'",
    ),
    "bad-flag": (
        _timeline(_event("2001-01-01 00:00:00", "2001-01-01 00:00:00", extra="<fuzzy>yes</fuzzy>")),
        "t.timeline:6: fuzzy: 'yes' is neither True nor False",
    ),
    "bad-colour": (
        _timeline("", "<category><name>A</name><color>300,0,0</color></category>"),
        "t.timeline:4: categories.color: '300,0,0' is not a colour like 255,128,0",
    ),
    "unknown-category": (
        _timeline(
            _event("2001-01-01 00:00:00", "2001-01-01 00:00:00", extra="<category>X</category>")
        ),
        "t.timeline:6: category: 'X' is not among the file's categories",
    ),
    "parent-after-child": (
        _timeline(
            "",
            "<category><name>A</name><color>1,2,3</color><parent>B</parent></category>"
            "<category><name>B</name><color>1,2,3</color></category>",
        ),
        "t.timeline:4: categories.parent: 'B' is not a category named before it",
    ),
    "title-too-long": (
        _timeline(_event("2001-01-01 00:00:00", "2001-01-01 00:00:00", "T" * 301)),
        "t.timeline:6: title: ",
    ),
    "entity-expansion": (
        b'<?xml version="1.0"?>\n<!DOCTYPE timeline [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        b"<timeline><version>2.5.0</version><categories/><events>"
        b"<event><start>2001-01-01 00:00:00</start><end>2001-01-01 00:00:00</end>"
        b"<text>&b;</text></event></events><view/></timeline>",
        "t.timeline: xml: declares entities, which are refused (a timeline file has none)",
    ),
    "external-entity": (
        b'<?xml version="1.0"?>\n<!DOCTYPE timeline [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"\n<timeline><version>2.5.0</version></timeline>",
        "t.timeline: xml: declares entities",
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


def test_sniff_knows_the_format_by_its_content():
    assert thetimeline.sniff(SAMPLE.read_bytes(), "anything.xml")
    assert thetimeline.sniff(b"\xef\xbb\xbf<timeline><version>1.0.0</version>", "x")
    assert not thetimeline.sniff(b'{"format": "timeline-app"}', "x.timeline")
    assert not thetimeline.sniff(b"BEGIN:VCALENDAR\r\n", "x.timeline")
    assert not thetimeline.sniff(b"<?xml version='1.0'?><rss><version/></rss>", "x.timeline")
    assert not thetimeline.sniff(b"\xff\xfe\x00<\x00t", "x.timeline")


def _fill(catalog: Catalog) -> None:
    catalog.add_category("Sanctions", "#CC79A7", parent="Energy")
    source = SourceRef("Chronology", "https://www.example.org/a;b")
    catalog.add_event(
        EventDraft(
            "[Bracketed] contract",
            "1995-01-08",
            category="Nuclear file",
            description="Plant & fuel <deal>",
            tags=("Bushehr", "energy"),
            sources=(source, SourceRef("Second", "https://www.example.org/second")),
            location="Bushehr",
            importance=5,
        )
    )
    catalog.add_event(
        EventDraft(
            "Deliveries",
            "2007-12-16~",
            "2008-01-28",
            category="Energy",
            sources=(SourceRef("Wire report", "", "Interfax"),),  # no URL: not written
        )
    )
    catalog.add_event(EventDraft("Embargo", "2010-06", category="Sanctions"))
    catalog.add_event(EventDraft("Uncertain talks", "2001-03-12?", category="Energy"))
    catalog.add_era("JCPOA in force", "2016-01-16", "2025-10-18", "#E69F00")


def test_export_is_version_2_5_0_in_the_order_timeline_reads(catalog: Catalog):
    _fill(catalog)
    raw = thetimeline.dump(catalog)
    root = defusedxml.ElementTree.fromstring(raw)
    assert root.findtext("version") == thetimeline.EXPORT_VERSION == "2.5.0"
    assert root.findtext("timetype") == "gregoriantime"
    assert [child.tag for child in root] == [
        "version",
        "timetype",
        "eras",
        "categories",
        "events",
        "view",
    ]
    for event in root.iter("event"):
        names = [child.tag for child in event]
        positions = [EVENT_ORDER.index(name) for name in names]
        assert positions == sorted(positions), names
    names = [category.findtext("name") for category in root.iter("category")]
    assert names.index("Energy") < names.index("Sanctions")  # a parent before its child
    assert root.find("events/event/text").text == " [Bracketed] contract"


def test_export_then_import_keeps_what_the_format_carries(catalog: Catalog, tmp_path):
    _fill(catalog)
    raw = thetimeline.dump(catalog)
    document = thetimeline.read("out.timeline", raw)
    back = {item.draft.title: item for item in document.events}
    stored = {record.title: record for record in catalog.events()}
    assert set(back) == set(stored)
    for title, record in stored.items():
        item = back[title]
        assert item.draft.category == record.category
        assert item.draft.description == record.description
        assert (item.span.lower, item.span.upper) == (record.lower, record.upper), title
    contract = back["[Bracketed] contract"].draft
    assert contract.tags == ("Bushehr", "energy")
    assert [ref.url for ref in contract.sources] == [
        "https://www.example.org/a%3Bb",
        "https://www.example.org/second",
    ]
    assert (contract.start, contract.end) == ("1995-01-08", None)
    assert back["Deliveries"].draft.sources == ()
    assert (back["Deliveries"].draft.start, back["Deliveries"].draft.end) == (
        "2007-12-16~",
        "2008-01-28",
    )
    assert (back["Embargo"].draft.start, back["Embargo"].draft.end) == (
        "2010-06-01",
        "2010-06-30",
    )
    assert back["Uncertain talks"].draft.start == "2001-03-12~"
    sanctions = next(c for c in document.categories if c.name == "Sanctions")
    assert (sanctions.colour, sanctions.parent) == ("#CC79A7", "Energy")
    assert [(e.name, e.start, e.end, e.colour) for e in document.eras] == [
        ("JCPOA in force", "2016-01-16", "2025-10-18", "#E69F00")
    ]
    empty = Catalog(open_database(tmp_path / "empty.sqlite"))
    apply_import(empty, document)
    assert thetimeline.dump(empty).replace(b"\r", b"") == raw.replace(b"\r", b"")


def test_export_reports_progress_per_event(catalog: Catalog):
    _fill(catalog)
    heard: list[tuple[int, int]] = []
    thetimeline.dump(catalog, progress=lambda done, total: heard.append((done, total)))
    assert heard[0] == (0, 4) and heard[-1] == (4, 4)


def test_exported_text_is_escaped_xml(catalog: Catalog):
    catalog.add_event(EventDraft("A <b> & c", "2001", category="Energy", description="x]]>y"))
    raw = thetimeline.dump(catalog)
    assert re.search(rb"<text>A &lt;b&gt; &amp; c</text>", raw)
    assert thetimeline.read("x", raw).events[0].draft.description == "x]]>y"
