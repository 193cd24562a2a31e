"""Search finds events by every field they carry and reads phrases, OR and NOT; whatever is
typed gives results or nothing, never an SQL error (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from timeline_app.domain.evidence import EventNote
from timeline_app.domain.model import EventDraft, EventFilter, SourceRef
from timeline_app.domain.search_query import parse_search
from timeline_app.services import actors as actor_service
from timeline_app.store import evidence_queries, queries

BASE = EventDraft(title="Event", start="2020-01-01", category="Energy")


@pytest.fixture
def found(catalog):
    """The titles found for a query: a function of the typed text."""
    ids = {}

    def add(title: str, **fields) -> str:
        ids[title] = catalog.add_event(replace(BASE, title=title, **fields)).id
        return ids[title]

    add(
        "Bushehr contract signed",
        description="Minatom agrees to finish the reactor at Bushehr.",
        actors=("Russia", "Iran"),
        tags=("nuclear",),
    )
    add("S-300 delivery", description="The air-defence systems arrive.", location="Bandar Abbas")
    add(
        "Caspian summit",
        description="Leaders meet by the sea.",
        sources=(
            SourceRef(
                "Kremlin transcript of the summit",
                "https://kremlin.ru/x",
                "Presidential Executive Office",
            ),
        ),
    )
    add("Sanctions vote", description="The council votes.", tags=("UN Security Council",))
    add("Visit", description="A state visit.", location="Тегеран")
    add("Drone transfer", description="Shahed drones shipped.", actors=("Iran",))
    note_on = add("Quiet meeting", description="Nothing public.")
    with catalog.engine.begin() as connection:
        evidence_queries.insert_notes(
            connection,
            [
                EventNote(
                    "n1", note_on, "analyst", "2026-01-01T00:00:00", "Attended by Rosatom's head"
                )
            ],
        )
    actor_service.set_actor_aliases(catalog, "Russia", ["Россия", "روسیه"])
    actor_service.set_actor_aliases(catalog, "Iran", ["Иран", "ایران"])

    def titles(text: str) -> set[str]:
        records = catalog.events(catalog.search(text))
        return {record.title for record in records}

    return titles


def test_each_field_is_searched(found):
    assert found("reactor") == {"Bushehr contract signed"}  # description
    assert found("delivery") == {"S-300 delivery"}  # title
    assert found("bandar") == {"S-300 delivery"}  # location
    assert found("тегеран") == {"Visit"}  # whatever the case, in any script
    assert found("rosatom") == {"Quiet meeting"}  # a note
    assert found("security council") == {"Sanctions vote"}  # a tag
    assert found("nuclear") == {"Bushehr contract signed"}
    assert found("transcript") == {"Caspian summit"}  # a source's title
    assert found("presidential") == {"Caspian summit"}  # its publisher
    assert found("russia") == {"Bushehr contract signed"}  # an actor's name


def test_an_alias_in_any_script_finds_the_actors_events(found):
    assert found("Россия") == {"Bushehr contract signed"}
    assert found("россия") == {"Bushehr contract signed"}  # case folded in Cyrillic too
    assert found("روسیه") == {"Bushehr contract signed"}
    assert found("ایران") == {"Bushehr contract signed", "Drone transfer"}
    assert found("Иран") == {"Bushehr contract signed", "Drone transfer"}


def test_words_are_prefixes_all_required(found):
    assert found("sanction") == {"Sanctions vote"}
    assert found("bush contract") == {"Bushehr contract signed"}
    assert found("bushehr drone") == set()


def test_phrases_or_and_not(found):
    assert found('"air-defence systems"') == {"S-300 delivery"}
    assert found('"systems air"') == set()  # a phrase keeps its order
    assert found('"sanction"') == set()  # a phrase matches whole words
    assert found("drone OR reactor") == {"Drone transfer", "Bushehr contract signed"}
    assert found("drone | bandar") == {"Drone transfer", "S-300 delivery"}
    assert found("iran -drone") == {"Bushehr contract signed"}
    assert found("iran NOT drone") == {"Bushehr contract signed"}
    assert found('-"air-defence" -iran -caspian -sanctions -visit') == {"Quiet meeting"}
    assert found("S-300") == {"S-300 delivery"}  # a hyphenated word is not a NOT


HOSTILE = (
    '"',
    '"unclosed phrase',
    "NOT",
    "OR",
    "AND OR NOT",
    "(",
    "((drone)",
    "*",
    "drone*",
    "NEAR(drone transfer)",
    "drone NEAR transfer",
    "'; DROP TABLE events; --",
    "title:drone",
    "^drone",
    "drone AND",
    "%",
    "_",
    "\\",
    "'",
    "a'b",
    "\x00",
    "-",
    "--",
    '""',
    "|||",
    "drone:*",
    "' OR 1=1 --",
)


def test_hostile_queries_give_results_never_an_error(found):
    """Each is read as words (or as nothing to search: every event); none reaches the SQL."""
    everything = found("")
    assert len(everything) == 7
    for hostile in HOSTILE:
        result = found(hostile)
        if hostile in ("((drone)", "drone*", "^drone", "drone AND", "drone:*"):
            assert result == {"Drone transfer"}, hostile
        elif parse_search(hostile).is_empty:  # operators and punctuation only
            assert result == everything, hostile
        else:
            assert result < everything, hostile


def test_nothing_searchable_is_no_filter_and_exclusions_alone_work(catalog):
    catalog.add_event(replace(BASE, title="Alpha"))
    catalog.add_event(replace(BASE, title="Beta"))
    with catalog.engine.connect() as connection:
        assert queries.search_condition(connection, "  ( * ) ") is None
        assert len(queries.event_ids(connection, EventFilter(text="-alpha"))) == 1


def test_a_word_under_other_filters_and_many_matches(catalog):
    """The literal id lists of the link tables have no size limit (SQLite binds at most a
    few hundred thousand parameters; PostgreSQL 65,535)."""
    catalog.add_actor("Gazprom", "company")
    with catalog.engine.begin() as connection:
        queries.insert_event_rows(
            connection,
            [
                (
                    f"{i:036d}",
                    f"Shipment {i}",
                    "",
                    "2020",
                    None,
                    1.0,
                    2.0,
                    None,
                    2.0,
                    "year",
                    3,
                    3,
                    "confirmed",
                    None,
                    "",
                    "",
                    1,
                )
                for i in range(1, 1201)
            ],
        )
        queries.write_links(
            connection,
            {f"{i:036d}": ("Gazprom",) for i in range(1, 1201)},
            {},
            {},
            clear_existing=False,
        )
    assert len(catalog.search("gazprom")) == 1200
    assert len(catalog.search("gazprom shipment -shipment")) == 0
