"""Structural checks and date spot checks for the bundled Russia–Iran dataset.

Only the standard library is used here, so the file can be checked without the app's
importer; importer-based tests live elsewhere.
"""

from __future__ import annotations

import calendar
import json
import re
from collections import Counter
from pathlib import Path

import pytest

DATA_FILE = Path(__file__).resolve().parents[2] / "resources" / "data" / "russia_iran.json"

CATEGORY_NAMES = [
    "Diplomacy & treaties",
    "Arms & military technology",
    "Exercises & security",
    "Nuclear file",
    "Energy",
    "Trade & finance",
    "Transport corridors",
    "Syria & regional conflicts",
    "Multilateral bodies",
    "Sanctions & pressure",
    "Cyber & space",
    "Friction & divergence",
]
EDTF = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([?~%]?)$")
HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
URL = re.compile(r"^https?://[^\s/]+\.[^\s/]+(/\S*)?$")
CERTAINTIES = {"confirmed", "reported", "alleged", "disputed"}
ACTOR_KINDS = {"state", "organisation", "company", "person", "group"}
ERA_GROUPS = {"Russia", "Iran", "Context"}
MIN_EVENTS = 200
MIN_PER_CATEGORY = 8
TITLE_MAX = 90


@pytest.fixture(scope="module")
def data() -> dict:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def events(data: dict) -> list[dict]:
    return data["events"]


def bounds(text: str) -> tuple[str, str]:
    """The first and last day an EDTF date can mean, as sortable YYYY-MM-DD strings."""
    match = EDTF.match(text)
    assert match, f"{text!r} is not an EDTF date of the supported form"
    year, month, day, _ = match.groups()
    if day:
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        last = calendar.monthrange(int(year), int(month))[1]
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    return f"{year}-01-01", f"{year}-12-31"


def is_real_date(text: str) -> bool:
    year, month, day, _ = EDTF.match(text).groups()
    if month and not 1 <= int(month) <= 12:
        return False
    if day:
        return 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]
    return True


def find(events: list[dict], fragment: str) -> dict:
    hits = [event for event in events if fragment in event["title"]]
    assert len(hits) == 1, f"{fragment!r} matches {len(hits)} titles"
    return hits[0]


def test_file_parses_with_expected_header(data):
    assert data["format"] == "timeline-app"
    assert data["version"] == 1
    assert data["title"]
    for key in ("categories", "actors", "tags", "sources", "eras", "events"):
        assert isinstance(data[key], list), key


def test_enough_events(events):
    assert len(events) >= MIN_EVENTS


def test_all_categories_present_with_valid_colours(data):
    categories = data["categories"]
    assert [category["name"] for category in categories] == CATEGORY_NAMES
    for category in categories:
        assert HEX_COLOUR.match(category["colour"]), category
        assert category["parent"] is None
        assert isinstance(category["sort_order"], int)
    colours = [category["colour"].upper() for category in categories]
    assert len(set(colours)) == len(colours), "categories share a colour"


def test_every_category_has_enough_events(events):
    counts = Counter(event["category"] for event in events)
    assert set(counts) <= set(CATEGORY_NAMES), set(counts) - set(CATEGORY_NAMES)
    for name in CATEGORY_NAMES:
        assert counts[name] >= MIN_PER_CATEGORY, f"{name}: {counts[name]} events"


def test_ids_are_unique_uuids(data, events):
    ids = [event["id"] for event in events] + [era["id"] for era in data["eras"]]
    for value in ids:
        assert UUID.match(value), value
    assert len(set(ids)) == len(ids), "duplicate ids"


def test_titles_are_unique_and_short(events):
    titles = [event["title"] for event in events]
    duplicates = [title for title, count in Counter(titles).items() if count > 1]
    assert not duplicates, duplicates
    for title in titles:
        assert title.strip() == title and title, repr(title)
        assert len(title) <= TITLE_MAX, title


def test_descriptions_present(events):
    for event in events:
        assert len(event["description"].strip()) >= 20, event["title"]


def test_dates_are_edtf_and_ordered(events):
    for event in events:
        start, end = event["start"], event["end"]
        assert EDTF.match(start) and is_real_date(start), (event["title"], start)
        if end is not None:
            assert EDTF.match(end) and is_real_date(end), (event["title"], end)
            assert bounds(end)[1] >= bounds(start)[0], (event["title"], start, end)


def test_events_fall_within_scope(events):
    for event in events:
        assert bounds(event["start"])[0] >= "1991-01-01", event["title"]
        last = event["end"] or event["start"]
        assert bounds(last)[1] <= "2025-12-31", event["title"]


def test_events_sorted_by_start(events):
    starts = [bounds(event["start"])[0] for event in events]
    assert starts == sorted(starts)


def test_importance_and_certainty_in_range(events):
    for event in events:
        importance = event["importance"]
        assert isinstance(importance, int) and not isinstance(importance, bool), event["title"]
        assert 1 <= importance <= 5, event["title"]
        assert event["certainty"] in CERTAINTIES, event["title"]


def test_every_event_has_a_usable_source(events):
    for event in events:
        sources = event["sources"]
        assert sources, event["title"]
        for source in sources:
            assert source["title"].strip(), event["title"]
            assert source["publisher"].strip(), event["title"]
            assert URL.match(source["url"]), (event["title"], source["url"])
            published = source["published"]
            assert published and EDTF.match(published), (event["title"], published)
            assert isinstance(source["note"], str)


def test_actors_are_declared(data, events):
    declared = {actor["name"] for actor in data["actors"]}
    for actor in data["actors"]:
        assert actor["kind"] in ACTOR_KINDS, actor
    assert len(declared) == len(data["actors"]), "actor declared twice"
    for event in events:
        assert event["actors"], event["title"]
        assert set(event["actors"]) <= declared, (event["title"], set(event["actors"]) - declared)
        assert {"Russia", "Iran"} & set(event["actors"]), event["title"]


def test_tags_are_declared(data, events):
    declared = set(data["tags"])
    for event in events:
        assert set(event["tags"]) <= declared, event["title"]


def test_eras_are_well_formed(data):
    eras = data["eras"]
    assert {era["group"] for era in eras} == ERA_GROUPS
    for era in eras:
        assert HEX_COLOUR.match(era["colour"]), era["name"]
        assert EDTF.match(era["start"]) and EDTF.match(era["end"]), era["name"]
        assert bounds(era["end"])[1] >= bounds(era["start"])[0], era["name"]
    by_name = {era["name"]: era for era in eras}
    assert by_name["JCPOA in force"]["start"] == "2016-01-16"
    assert by_name["Russian military operation in Syria"]["start"] == "2015-09-30"
    assert by_name["Russia's full-scale war on Ukraine"]["start"] == "2022-02-24"


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("JCPOA concluded in Vienna", "2015-07-14"),
        ("UNSC Resolution 2231 endorses", "2015-07-20"),
        ("Russia begins air campaign in Syria", "2015-09-30"),
        ("Bushehr completion contract", "1995-01"),
        ("Iran becomes a BRICS member", "2024-01-01"),
        ("Iran becomes a full SCO member", "2023-07-04"),
        ("Treaty on Comprehensive Strategic Partnership signed", "2025-01-17"),
        ("UNSC Resolution 1737", "2006-12-23"),
        ("Bushehr connected to Iran's power grid", "2011-09"),
        ("Medvedev decree bans S-300", "2010-09-22"),
        ("Caspian Sea convention signed in Aktau", "2018-08-12"),
        ("strike Syria from Iran's Hamadan airbase", "2016-08-16"),
        ("JCPOA Implementation Day", "2016-01-16"),
        ("US withdraws from the JCPOA", "2018-05-08"),
        ("Sina-1, Iran's first satellite", "2005-10-27"),
        ("Rasht–Astara railway construction agreement", "2023-05-17"),
        ("EAEU–Iran free trade agreement enters into force", "2025-05-15"),
    ],
)
def test_well_known_dates(events, fragment, expected):
    assert find(events, fragment)["start"].startswith(expected)
