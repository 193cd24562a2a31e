"""Structural checks, date spot checks and evidence checks for the bundled Russia–Iran dataset.

Most tests read the parsed JSON directly, so the file is checked without the app's importer;
only the grading vocabulary comes from the domain, so the file and the app agree on it. The
last tests load the file through `timeline-app init --dataset` and compare what the app
exports with the file.
"""

from __future__ import annotations

import calendar
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

import pytest

from timeline_app.domain.evidence import (
    CREDIBILITY_WORDS,
    RELIABILITY_WORDS,
    LinkKind,
    SourceKind,
    suggested_certainty,
)
from timeline_app.domain.model import Certainty, stable_id

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
    assert data["version"] == 2
    assert data["title"]
    for key in ("categories", "actors", "tags", "sources", "eras", "events", "links", "history"):
        assert isinstance(data[key], list), key
    assert data["history"] == []


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


# ---- the evidence model: graded sources, links, aliases ----------------------------------------

SHARED_SOURCE_FIELDS = (
    "id",
    "title",
    "publisher",
    "url",
    "published",
    "kind",
    "language",
    "reliability",
)
CITATION_FIELDS = (
    *SHARED_SOURCE_FIELDS[:5],
    "kind",
    "language",
    "reliability",
    "note",
    "credibility",
    "excerpt",
)
LANGUAGES = {"en", "ru", "fa", "ar", "it"}
MIN_LINKS = 40
ISO_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\+00:00|Z)$")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
ARABIC_ONLY_LETTERS = set("يكة")  # Arabic yeh, kaf and teh marbuta: Persian writes ی and ک
MAIN_ACTORS = [
    "Russia",
    "Iran",
    "Vladimir Putin",
    "Ali Khamenei",
    "Hassan Rouhani",
    "Ebrahim Raisi",
    "Masoud Pezeshkian",
    "Sergey Lavrov",
    "Mohammad Javad Zarif",
    "Abbas Araghchi",
    "Rosatom",
    "IRGC",
    "AEOI",
    "Gazprom",
]


def citations(events: list[dict]):
    for event in events:
        for source in event["sources"]:
            yield event, source


def is_grade(value: object, scale: dict) -> bool:
    return not isinstance(value, bool) and value in scale


def test_every_citation_is_typed_and_graded(events):
    for event, source in citations(events):
        where = (event["title"], source["title"])
        assert tuple(source) == CITATION_FIELDS, where
        assert source["kind"] in set(SourceKind), where
        assert is_grade(source["reliability"], RELIABILITY_WORDS), where
        assert is_grade(source["credibility"], CREDIBILITY_WORDS), where
        assert source["language"] in LANGUAGES, where
        assert isinstance(source["excerpt"], str), where


def test_shared_sources_are_listed_once_and_typed(data):
    sources = data["sources"]
    ids = [source["id"] for source in sources]
    assert len(set(ids)) == len(ids), "a source is listed twice"
    for source in sources:
        assert tuple(source) == SHARED_SOURCE_FIELDS, source["title"]
        assert UUID.match(source["id"]), source["title"]
        assert source["kind"] in set(SourceKind), source["title"]
        assert is_grade(source["reliability"], RELIABILITY_WORDS), source["title"]
    assert sources == sorted(sources, key=lambda source: (source["title"], source["id"]))


def test_citations_repeat_their_shared_source_exactly(data, events):
    """One outlet keeps one type, language and reliability wherever it is cited."""
    shared = {source["id"]: source for source in data["sources"]}
    cited = set()
    for event, source in citations(events):
        assert source["id"] in shared, (event["title"], source["title"])
        listed = shared[source["id"]]
        for field in SHARED_SOURCE_FIELDS:
            assert source[field] == listed[field], (event["title"], source["title"], field)
        cited.add(source["id"])
    assert cited == set(shared), "a listed source is cited by no event"


def test_a_publisher_has_one_type_and_one_reliability(data):
    seen: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for source in data["sources"]:
        seen[source["publisher"]].add((source["kind"], source["reliability"]))
    mixed = {publisher: grades for publisher, grades in seen.items() if len(grades) > 1}
    assert not mixed, mixed


def test_grades_follow_the_documented_policy(events):
    for event, source in citations(events):
        where = (event["title"], source["title"])
        if source["kind"] == SourceKind.ENCYCLOPEDIA:
            assert source["reliability"] == "C", where
        if source["reliability"] == "A":
            assert source["kind"] == SourceKind.OFFICIAL, where
        if source["credibility"] == 1:
            assert event["certainty"] == Certainty.CONFIRMED, where
        if event["certainty"] == Certainty.REPORTED:
            assert source["credibility"] in (2, 3), where
        if event["certainty"] in (Certainty.ALLEGED, Certainty.DISPUTED):
            assert source["credibility"] >= 3, where


def test_confirmed_citations_are_backed_by_an_independent_source_or_are_the_record(events):
    """Credibility 1 means another source in the event, not an encyclopedia, says the same,
    or the citation is the official record of the act itself."""
    for event, source in citations(events):
        if source["credibility"] != 1:
            continue
        record = source["kind"] == SourceKind.OFFICIAL and source["reliability"] == "A"
        others = [
            other
            for other in event["sources"]
            if other is not source
            and other["publisher"] != source["publisher"]
            and other["kind"] != SourceKind.ENCYCLOPEDIA
        ]
        assert record or others, (event["title"], source["title"])


def test_grades_never_suggest_more_certainty_than_the_event_states(events):
    ranks = {Certainty.CONFIRMED: 3, Certainty.REPORTED: 2, Certainty.ALLEGED: 1}
    for event in events:
        grades = [(source["reliability"], source["credibility"]) for source in event["sources"]]
        suggested = suggested_certainty(grades)
        assert suggested is not None, event["title"]
        if event["certainty"] in ranks and suggested in ranks:
            assert ranks[suggested] <= ranks[event["certainty"]], (event["title"], suggested)
        if event["certainty"] == Certainty.DISPUTED:
            assert suggested in (Certainty.ALLEGED, Certainty.DISPUTED), event["title"]


def test_no_event_rests_on_an_encyclopedia_alone(events):
    alone = [
        event["title"]
        for event in events
        if all(source["kind"] == SourceKind.ENCYCLOPEDIA for source in event["sources"])
    ]
    assert not alone, alone


def test_events_carry_an_empty_notes_list(events):
    for event in events:
        assert event["notes"] == [], event["title"]


@pytest.fixture(scope="module")
def links(data: dict) -> list[dict]:
    return data["links"]


def test_enough_links_between_existing_distinct_events(events, links):
    ids = {event["id"] for event in events}
    assert len(links) >= MIN_LINKS
    for link in links:
        assert tuple(link) == ("id", "from", "to", "kind", "note", "created_at"), link
        assert link["from"] in ids and link["to"] in ids, link
        assert link["from"] != link["to"], link
        assert link["kind"] in set(LinkKind), link
        assert isinstance(link["note"], str), link
        assert ISO_STAMP.match(link["created_at"]), link


def test_link_ids_are_stable_and_links_unique(links):
    ids = [link["id"] for link in links]
    assert len(set(ids)) == len(ids)
    triples = [(link["from"], link["to"], link["kind"]) for link in links]
    assert len(set(triples)) == len(triples), "a link is given twice"
    for link in links:
        assert link["id"] == stable_id(f"link:{link['from']}:{link['to']}:{link['kind']}"), link
    pairs = {(link["from"], link["to"]) for link in links}
    assert not {(to, from_) for from_, to in pairs} & pairs, "two events linked both ways"


def test_causal_links_run_forward_in_time(events, links):
    """ "A led to B" needs A to start no later than B; "A responded to B" the reverse."""
    by_id = {event["id"]: event for event in events}
    for link in links:
        first, second = by_id[link["from"]], by_id[link["to"]]
        if link["kind"] == LinkKind.LED_TO:
            earlier, later = first, second
        elif link["kind"] == LinkKind.RESPONDED_TO:
            earlier, later = second, first
        else:
            continue
        assert bounds(earlier["start"])[0] <= bounds(later["start"])[1], (
            first["title"],
            link["kind"],
            second["title"],
        )


def led_to_path(events: list[dict], links: list[dict], start: str, goal: str) -> bool:
    """Whether "led to" links lead from the event titled like `start` to the one like `goal`."""
    following: dict[str, set[str]] = defaultdict(set)
    for link in links:
        if link["kind"] == LinkKind.LED_TO:
            following[link["from"]].add(link["to"])
    target = find(events, goal)["id"]
    frontier, seen = [find(events, start)["id"]], set()
    while frontier:
        current = frontier.pop()
        if current == target:
            return True
        seen.add(current)
        frontier.extend(following[current] - seen)
    return False


@pytest.mark.parametrize(
    "chain",
    [
        (
            "Bushehr completion contract signed",
            "Gore–Chernomyrdin aide-mémoire",
            "withdrawal from the 1995 arms pledge",
        ),
        (
            "S-300 air defence contract concluded",
            "Medvedev decree bans S-300",
            "Putin lifts the ban on S-300",
            "First S-300 components delivered",
        ),
        ("Khatami and Putin sign Treaty", "Treaty on Comprehensive Strategic Partnership signed"),
        ("Joint Plan of Action agreed", "JCPOA concluded", "JCPOA Implementation Day"),
        ("Soleimani visits Moscow", "Russia begins air campaign in Syria"),
        ("INSTC agreement signed", "Azerbaijan joins the North–South corridor", "Baku trilateral"),
        ("E3 trigger the snapback", "UN sanctions on Iran reimposed"),
    ],
)
def test_main_causal_chains_are_linked(events, links, chain):
    for start, goal in pairwise(chain):
        assert led_to_path(events, links, start, goal), (start, goal)


def test_drone_transfers_drew_sanctions(events, links):
    transfer = find(events, "First Iranian drones reportedly handed")["id"]
    responses = {link["from"] for link in links if link["to"] == transfer}
    responses &= {link["from"] for link in links if link["kind"] == LinkKind.RESPONDED_TO}
    titles = {event["title"] for event in events if event["id"] in responses}
    assert any("Treasury sanctions" in title for title in titles), titles


def is_persian(text: str) -> bool:
    return bool(ARABIC_SCRIPT.search(text)) and not ARABIC_ONLY_LETTERS & set(text)


def test_aliases_are_clean_and_unambiguous(data):
    names = {actor["name"] for actor in data["actors"]}
    owner: dict[str, str] = {}
    for actor in data["actors"]:
        aliases = actor["aliases"]
        assert len(set(aliases)) == len(aliases), actor["name"]
        for alias in aliases:
            assert alias == alias.strip() and alias, actor["name"]
            assert alias not in names, (actor["name"], alias)
            assert alias not in owner, (alias, owner.get(alias), actor["name"])
            owner[alias] = actor["name"]


@pytest.mark.parametrize("name", MAIN_ACTORS)
def test_main_actors_have_russian_and_persian_aliases(data, name):
    actor = next(actor for actor in data["actors"] if actor["name"] == name)
    assert any(CYRILLIC.search(alias) for alias in actor["aliases"]), name
    assert any(is_persian(alias) for alias in actor["aliases"]), name


def test_russia_and_iran_aliases_are_spelled_as_expected(data):
    aliases = {actor["name"]: set(actor["aliases"]) for actor in data["actors"]}
    assert {"Россия", "روسیه"} <= aliases["Russia"]
    assert {"Иран", "ایران"} <= aliases["Iran"]


# ---- through the app: `timeline-app init --dataset` (needs the format-2 reader) -----------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict:
    """The dataset loaded by a fresh install, exported back as JSON."""
    env = {**os.environ, "TIMELINE_APP_DATA_DIR": str(tmp_path_factory.mktemp("fresh"))}
    for command in (["init", "--dataset"], ["export", "-"]):
        result = subprocess.run(
            [sys.executable, "-m", "timeline_app", *command],
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return json.loads(result.stdout)


def test_app_loads_every_link(data, exported):
    def triples(document: dict) -> set[tuple[str, str, str]]:
        return {(link["from"], link["to"], link["kind"]) for link in document["links"]}

    assert triples(exported) == triples(data)
    notes = {link["id"]: link["note"] for link in data["links"]}
    for link in exported["links"]:
        assert link["note"] == notes[link["id"]], link


def test_app_keeps_every_grade(data, exported):
    def grades(document: dict) -> dict[tuple[str, str], tuple]:
        return {
            (event["id"], source["id"]): (
                source["kind"],
                source["language"],
                source["reliability"],
                source["credibility"],
            )
            for event in document["events"]
            for source in event["sources"]
        }

    assert grades(exported) == grades(data)


def test_app_keeps_the_aliases(data, exported):
    def aliases(document: dict) -> dict[str, set[str]]:
        return {actor["name"]: set(actor.get("aliases", [])) for actor in document["actors"]}

    assert aliases(exported) == aliases(data)
