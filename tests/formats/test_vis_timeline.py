"""vis-timeline items and groups: in, out, and back in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timeline_app.domain.errors import ImportFileError, ValidationError
from timeline_app.domain.model import EventDraft
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import apply_import, timelinejs
from timeline_app.services.interchange import vis_timeline as vis
from timeline_app.services.interchange.json_format import dump_json
from timeline_app.store.database import open_database

DATA = Path(__file__).parent.parent / "data" / "formats" / "vis_timeline"


@pytest.fixture
def catalog(tmp_path: Path):
    database = open_database(str(tmp_path / "timeline.sqlite"))
    yield Catalog(database)
    database.dispose()


def read_fixture(name: str):
    path = DATA / name
    return vis.read(str(path), path.read_bytes())


def test_items_and_groups_become_events_categories_and_eras():
    document = read_fixture("items.json")
    events = {item.draft.title: item for item in document.events}
    resht = events["Treaty of Resht"]
    assert (resht.id, resht.draft.start, resht.draft.category) == (
        "a1",
        "1732",
        "Diplomacy & treaties",
    )
    assert resht.draft.description == "Caspian provinces\nreturned"
    assert events["Turkmenchay"].draft.start == "1828-02-21"
    war = events["Russo-Persian War"]
    # a numeric id is kept as text; the range ends before March 1828 begins
    assert (war.id, war.draft.start, war.draft.end, war.draft.category) == (
        "7",
        "1826-07",
        "1828-02",
        "Caspian",
    )
    assert events["Bushehr contract"].draft.start == "1995-01-08"  # milliseconds, UTC midnight
    assert events["Sanctions talks"].draft.end is None  # a range of one day is that day
    unnumbered = events["Unnumbered"]
    assert (unnumbered.draft.start, unnumbered.draft.end) == ("2013-06", "2013-12")
    categories = {item.name: item for item in document.categories}
    assert categories["Diplomacy & treaties"].colour == "#0072B2"
    assert categories["Diplomacy & treaties"].sort_order == 2
    assert categories["Caspian"].parent == "Diplomacy & treaties"
    assert categories["Nuclear file"].sort_order == 1
    assert [(era.id, era.name, era.start, era.end, era.colour) for era in document.eras] == [
        ("era1", "JCPOA period", "2016-01-16", "2025-10-18", "#E69F00")
    ]


def test_a_bare_array_of_items_reads_with_group_names_as_categories():
    document = read_fixture("bare.json")
    assert [
        (item.id, item.draft.start, item.draft.end, item.draft.category) for item in document.events
    ] == [
        ("1", "2014-04-20", None, vis.DEFAULT_CATEGORY),
        ("2", "2014-04-14", "2014-04-18", vis.DEFAULT_CATEGORY),
        ("3", "2014-04-18", None, "Energy"),
    ]


@pytest.mark.parametrize(
    ("value", "end", "start", "edtf"),
    [
        ("2014", False, "", "2014"),
        ("2014-04", False, "", "2014-04"),
        ("2014-04-20", False, "", "2014-04-20"),
        ("2014-04-20T10:16", False, "", "2014-04-20T10:16"),
        ("2014-04-20T10:16:05Z", False, "", "2014-04-20T10:16:05Z"),
        ("2014-04-20 10:16:05.250", False, "", "2014-04-20T10:16:05"),
        ("2014-04-20T12:16:00+02:00", False, "", "2014-04-20T10:16:00Z"),
        ("2014-01-01T01:00+0200", False, "", "2013-12-31T23:00Z"),
        ("-000055-03-15", False, "", "-0055-03-15"),
        (1397989800000, False, "", "2014-04-20T10:30Z"),
        (1397952000000, False, "", "2014-04-20"),
        ("2014-04-19", True, "2014-04-14", "2014-04-18"),
        ("2014-03-01", True, "2014-02-01", "2014-02-28"),
        ("2015-01", True, "2014-06", "2014-12"),
        ("2015", True, "2014", "2014"),
        ("2014", True, "2013-06", "2013-12"),
        ("2014", True, "2013-06-10", "2013-12-31"),
        (1397952000000, True, "2014-04-10", "2014-04-19"),
        ("2014-04-20T10:16", True, "2014-04-20", "2014-04-20T10:16"),
    ],
)
def test_vis_dates_become_edtf_at_their_precision(value, end, start, edtf):
    assert vis.edtf_of_value(value, end=end, start=start) == edtf


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("yesterday", "'yesterday' is not an ISO date"),
        ("2014-13", "13 is not a month"),
        ("2014-02-30", "day 30 does not exist"),
        ("+012000", "outside the years"),
        (True, "True is not a date"),
        (1e20, "outside the years -9999 to 9999"),
        (float("nan"), "outside the years -9999 to 9999"),
        ([2014], "must be ISO text or a number"),
    ],
)
def test_impossible_vis_dates_are_named(value, words):
    with pytest.raises(ValidationError) as raised:
        vis.edtf_of_value(value)
    assert words in raised.value.message


@pytest.mark.parametrize(
    ("edtf", "end", "iso"),
    [
        ("2015", False, "2015"),
        ("2015-03", False, "2015-03"),
        ("2015-03-02", False, "2015-03-02"),
        ("2015-03-02", True, "2015-03-03"),
        ("2015-12", True, "2016-01"),
        ("2014-02-28", True, "2014-03-01"),
        ("2015", True, "2016"),
        ("-0055", False, "-000055"),
        ("2015~", False, "2015"),
        ("199X", False, "1990"),
        ("199X", True, "2000"),
        ("2013-03-30T11:16:05Z", True, "2013-03-30T11:16:05Z"),
    ],
)
def test_edtf_becomes_vis_text_with_exclusive_ends(edtf, end, iso):
    assert vis.iso_of_edtf(edtf, end=end) == iso


def fill(catalog: Catalog) -> None:
    catalog.add_category("Diplomacy <&> treaties", "#0072B2")
    catalog.add_category("Caspian", "#D55E00", parent="Diplomacy <&> treaties")
    catalog.add_category("Nuclear file", "#882255")
    catalog.add_event(
        EventDraft(
            title="Treaty of <Resht>",
            start="1732",
            category="Caspian",
            description="Provinces returned.\nSecond line & more.",
        )
    )
    catalog.add_event(
        EventDraft(title="War", start="1826-07", end="1828-02", category="Diplomacy <&> treaties")
    )
    catalog.add_event(
        EventDraft(title="Talks", start="2012-04-14", end="2012-04-30", category="Nuclear file")
    )
    catalog.add_event(EventDraft(title="Deal", start="1995-01-08", category="Nuclear file"))
    catalog.add_era("JCPOA in force", "2016-01-16", "2025-10-18", "#E69F00")


def test_export_writes_items_groups_and_background_eras(catalog):
    fill(catalog)
    data = json.loads(vis.dump(catalog))
    assert set(data) == {"items", "groups"}
    events = [item for item in data["items"] if item["type"] != "background"]
    assert len(events) == catalog.count_events()
    group_ids = {group["id"] for group in data["groups"]}
    for item in events:
        assert {"id", "content", "start", "group", "type"} <= set(item)
        assert item["group"] in group_ids
    war = next(item for item in events if item["content"] == "War")
    assert (war["start"], war["end"], war["type"]) == ("1826-07", "1828-03", "range")
    resht = next(item for item in events if item["start"] == "1732")
    assert resht["content"] == "Treaty of &lt;Resht&gt;"
    assert resht["title"] == "Provinces returned.<br>\nSecond line &amp; more."
    parent = next(group for group in data["groups"] if group["id"] == "Diplomacy <&> treaties")
    assert parent["nestedGroups"] == ["Caspian"]
    assert parent["content"] == "Diplomacy &lt;&amp;&gt; treaties"
    [era] = [item for item in data["items"] if item["type"] == "background"]
    assert (era["start"], era["end"]) == ("2016-01-16", "2025-10-19")


def test_export_then_import_is_lossless_for_what_vis_carries(catalog, tmp_path):
    fill(catalog)
    first = vis.dump(catalog)
    path = tmp_path / "items.json"
    path.write_bytes(first)
    assert vis.sniff(first, path.name)
    document = vis.read(str(path), first)
    stored = {record.id: record for record in catalog.events()}
    assert {item.id for item in document.events} == set(stored)
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
    other = Catalog(open_database(str(tmp_path / "other.sqlite")))
    apply_import(other, document)
    assert [(c.name, c.colour, c.parent) for c in other.categories()] == [
        (c.name, c.colour, c.parent) for c in catalog.categories()
    ]
    assert vis.dump(other) == first
    assert apply_import(other, vis.read(str(path), first)).changed_count == 0


def test_a_qualifier_is_what_the_export_loses(catalog):
    catalog.add_category("Nuclear file")
    catalog.add_event(EventDraft(title="Fuel", start="2007-12?", category="Nuclear file"))
    [item] = vis.read("x.json", vis.dump(catalog)).events
    assert item.draft.start == "2007-12"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"items": 3}', "v.json: items: must be a list of items"),
        ('"text"', "v.json: file: must be a list of items or an object with items"),
        ("[3]", "v.json:1: items: must be an object, not 3"),
        ('[{"content": "x"}]', "v.json:1: start: is missing"),
        ('[{"content": "", "start": "2015"}]', "v.json:1: content: must not be empty"),
        ('[{"content": "x", "start": "soon"}]', "v.json:1: start: 'soon' is not an ISO date"),
        (
            '[{"content": "x", "start": "2015", "end": "2014"}]',
            "v.json:1: end: '2014' is before the start '2015'",
        ),
        ('[{"content": "x", "start": "2015", "type": "dot"}]', "v.json:1: type: 'dot' is not"),
        (
            '{"groups": [{"id": 1, "content": "A"}], "items": [{"content": "x", "start": "2015",'
            ' "group": 2}]}',
            "v.json:1: group: '2' is not the id of any group",
        ),
        (
            '[{"id": 1, "content": "x", "start": "2015"}, {"id": 1, "content": "y",'
            ' "start": "2016"}]',
            "v.json:2: id: '1' is used again (first at row 1)",
        ),
        (
            '[{"content": "x", "start": "2015"}, {"content": "x", "start": "2015"}]',
            "v.json:2: id: repeats the content and dates of row 1",
        ),
        (
            '{"groups": [{"id": 1, "content": "A", "nestedGroups": [2]}, {"id": 2, "content":'
            ' "B", "nestedGroups": [1]}], "items": []}',
            "v.json:2: groups.nestedGroups: 'B' is nested in itself",
        ),
        (
            '{"groups": [{"id": 1, "content": "A"}, {"id": 1, "content": "B"}], "items": []}',
            "v.json:2: groups.id: '1' is used again (first at row 1)",
        ),
        ('[{"content": "x\\u0000", "start": "2015"}]', "v.json:1: content: contains a NUL"),
        (
            '[{"content": "x", "start": "2015-03-02", "end": "2015-03-02"}, {"content": "y",'
            ' "start": "2015-03-02", "end": "2015-03-01"}]',
            "v.json:2: end: '2015-03-01' is before the start '2015-03-02'",
        ),
        ('[{"content": "x", "start": 1' + "0" * 40 + "}]", "v.json:1: json: a whole number"),
    ],
)
def test_a_damaged_vis_file_is_refused_in_one_line(content, message):
    with pytest.raises(ImportFileError) as raised:
        vis.read("v.json", content.encode("utf-8"))
    text = str(raised.value)
    assert "\n" not in text
    assert text.startswith(message), text


def test_sniff_tells_vis_items_from_their_neighbours(catalog):
    fill(catalog)
    assert vis.sniff((DATA / "items.json").read_bytes(), "items.json")
    assert vis.sniff((DATA / "bare.json").read_bytes(), "bare.json")
    assert vis.sniff(vis.dump(catalog), "x.json")
    assert not vis.sniff(timelinejs.dump(catalog), "x.json")
    assert not vis.sniff(dump_json(catalog).encode(), "x.json")
    assert not vis.sniff(b"[]", "x.json")
    assert not vis.sniff(b'[{"start": 1}', "x.json")
    assert not vis.sniff(b"\x00\x01", "x.json")
