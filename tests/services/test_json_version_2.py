"""JSON format version 2: the whole evidence model goes out and comes back; version 1 still
reads; a hostile file is refused in one line with nothing written; undo takes back all of it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline_app.domain.errors import ImportFileError
from timeline_app.domain.evidence import (
    EventLink,
    EventNote,
    HistoryAction,
    HistoryEntity,
    LinkKind,
)
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.catalog import Catalog, note_fields
from timeline_app.services.history_log import change_entry, event_fields, record_changes
from timeline_app.services.interchange import (
    apply_import,
    export_text,
    import_file,
    plan_import,
    read_file,
    undo_import,
)
from timeline_app.services.interchange.document import CreationTexts, written_fields
from timeline_app.services.interchange.json_format import export_json
from timeline_app.services.links import link_fields
from timeline_app.store import catalog_queries
from timeline_app.store import evidence_queries as store
from timeline_app.store.database import open_database

VERSION_1_FILE = (
    Path(__file__).parent.parent / "data" / "formats" / "written_by_json_version_1.json"
)
CATEGORIES = ("Diplomacy & treaties", "Nuclear file", "Energy")
TASS = SourceRef(
    "Russia and Iran sign S-300 contract",
    "https://tass.ru/s300",
    "TASS",
    "2007-12-26",
    "the first report",
    None,
    "wire",
    "ru",
    "B",
    2,
    "Контракт подписан",
)
CRS = SourceRef(
    "Iran's Foreign and Defense Policies",
    "",
    "Congressional Research Service",
    "2016",
    kind="think_tank",
    language="en",
    reliability="A",
    credibility=1,
)


@pytest.fixture
def open_catalogs() -> Iterator[list[Catalog]]:
    opened: list[Catalog] = []
    yield opened
    for catalog in opened:
        catalog.database.dispose()


def new_catalog(opened: list[Catalog], target: str | Path, author: str = "importer") -> Catalog:
    catalog = Catalog(open_database(target), author=author)
    opened.append(catalog)
    return catalog


def fill(catalog: Catalog) -> list[str]:
    """Three events citing graded sources, linked, with notes, an actor with aliases in three
    scripts, and the history the app keeps of them (their creation, then an edit)."""
    for name in CATEGORIES:
        catalog.add_category(name)
    catalog.add_actor("Russia", "state")
    contract = catalog.add_event(
        EventDraft(
            "S-300 contract signed",
            "2007-12-26",
            category="Nuclear file",
            actors=("Russia", "Iran"),
            sources=(TASS, CRS),
        )
    )
    suspended = catalog.add_event(
        EventDraft(
            "S-300 delivery suspended",
            "2010-09-22",
            category="Nuclear file",
            actors=("Russia",),
            sources=(CRS,),
        )
    )
    delivered = catalog.add_event(
        EventDraft("S-300 delivered", "2016", category="Nuclear file", certainty="reported")
    )
    ids = [contract.id, suspended.id, delivered.id]
    links = [
        EventLink("l1", ids[0], ids[1], LinkKind.LED_TO, "", "2026-11-01T10:00:00+00:00"),
        EventLink("l2", ids[1], ids[2], LinkKind.LED_TO, "lifted", "2026-11-01T10:01:00+00:00"),
        EventLink("l3", ids[2], ids[0], LinkKind.PART_OF, "", "2026-11-01T10:02:00+00:00"),
    ]
    notes = [
        EventNote("n1", ids[0], "analyst", "2026-11-02T09:00:00+00:00", "Check the date"),
        EventNote("n2", ids[0], "другой", "2026-11-02T09:05:00+00:00", "Дата верна"),
    ]
    with catalog.engine.begin() as connection:  # as the inspector adds them, with history
        store.insert_links(connection, links)
        store.insert_notes(connection, notes)
        record_changes(
            connection,
            HistoryEntity.LINK,
            {link.id: (None, link_fields(link)) for link in links},
            "analyst",
        )
        record_changes(
            connection,
            HistoryEntity.NOTE,
            {note.id: (None, note_fields(note)) for note in notes},
            "analyst",
        )
        actor_id = catalog_queries.ensure_actors(connection, ["Russia"])["Russia"]
        store.set_actor_aliases(connection, actor_id, ["Россия", "روسیه"])
        records = {record.id: record for record in catalog.events()}
        first = event_fields(records[ids[2]])
        record_changes(
            connection,
            HistoryEntity.EVENT,
            {ids[2]: ({**first, "certainty": "alleged"}, first)},
            "другой",
        )
    return ids


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_round_trip_with_the_whole_evidence_model_is_identical(db_target, tmp_path, open_catalogs):
    """SQLite → the database under test → SQLite: three exports, byte for byte the same."""
    source = new_catalog(open_catalogs, tmp_path / "source.sqlite", "analyst")
    fill(source)
    source.set_title("Россия и Иран")
    first = export_text(source, "json")
    data = json.loads(first)
    assert data["version"] == 2
    assert data["actors"][0] == {"name": "Iran", "kind": "", "aliases": []}
    assert data["actors"][1]["aliases"] == ["Россия", "روسیه"]
    cited = data["events"][0]["sources"][0]
    assert (cited["reliability"], cited["credibility"], cited["excerpt"]) == (
        "B",
        2,
        "Контракт подписан",
    )
    assert [note["id"] for note in data["events"][0]["notes"]] == ["n1", "n2"]
    assert len(data["links"]) == 3
    assert data["history"] == export_json(source)["history"]  # lines spliced = decoded entries
    kept = [(entry["entity"], entry["action"]) for entry in data["history"]]
    assert kept.count(("event", "create")) == 3 and kept.count(("event", "update")) == 1

    middle = new_catalog(open_catalogs, db_target)
    result = import_file(middle, write(tmp_path / "first.json", first))
    assert len(result.added_ids) == 3
    assert export_text(middle, "json") == first
    last = new_catalog(open_catalogs, tmp_path / "last.sqlite")
    import_file(last, write(tmp_path / "second.json", export_text(middle, "json")))
    assert export_text(last, "json") == first

    again = import_file(middle, tmp_path / "first.json")  # the same file again: nothing to do
    assert again.added_ids == () and again.replaced == () and again.evidence is None
    assert export_text(middle, "json") == first


def test_a_file_written_by_version_1_imports_with_everything_intact(db_target, open_catalogs):
    original = json.loads(VERSION_1_FILE.read_text(encoding="utf-8"))
    catalog = new_catalog(open_catalogs, db_target, "reader")
    result = import_file(catalog, VERSION_1_FILE)
    assert len(result.added_ids) == len(original["events"]) == 221
    exported = json.loads(export_text(catalog, "json"))
    assert exported["title"] == original["title"]
    for name in ("categories", "tags", "eras"):
        assert exported[name] == original[name], name
    assert exported["actors"] == [{**actor, "aliases": []} for actor in original["actors"]]
    ungraded = {"kind": "other", "language": "", "reliability": "F"}
    assert exported["sources"] == [{**source, **ungraded} for source in original["sources"]]
    for before, after in zip(original["events"], exported["events"], strict=True):
        for source in before["sources"]:
            source.update(ungraded, credibility=6, excerpt="")
        assert after == {**before, "notes": []}
    assert exported["links"] == []
    # the import's own record: one creation per event, by whoever imported, holding the event
    history = exported["history"]
    assert len(history) == 221
    assert {(entry["action"], entry["author"]) for entry in history} == {("create", "reader")}
    titles = {entry["entity_id"]: entry["snapshot"]["title"] for entry in history}
    assert titles == {event["id"]: event["title"] for event in exported["events"]}


def test_an_import_records_the_events_it_writes_unless_the_file_holds_that_already(
    tmp_path, open_catalogs
):
    source = new_catalog(open_catalogs, tmp_path / "source.sqlite", "analyst")
    ids = fill(source)
    data = json.loads(export_text(source, "json"))
    data["events"][2]["title"] = "S-300 delivery completed"  # the file's history ends before
    target = new_catalog(open_catalogs, tmp_path / "target.sqlite", "importer")
    import_file(target, write(tmp_path / "edited.json", json.dumps(data)))
    with target.engine.connect() as connection:
        mine = [entry for entry in store.all_history(connection) if entry.author == "importer"]
    assert [(entry.entity_id, entry.action) for entry in mine] == [(ids[2], HistoryAction.CREATE)]
    assert mine[0].snapshot["title"] == "S-300 delivery completed"

    data["events"][2]["importance"] = 5  # changing a stored event: an update, old → new
    import_file(target, write(tmp_path / "edited.json", json.dumps(data)))
    with target.engine.connect() as connection:
        last = store.last_history_entry(connection)
    assert (last.action, last.author, last.changes) == (
        HistoryAction.UPDATE,
        "importer",
        {"importance": (3, 5)},
    )


def test_undo_of_an_import_takes_back_its_links_notes_aliases_and_history(
    db_target, tmp_path, open_catalogs
):
    source = new_catalog(open_catalogs, tmp_path / "source.sqlite", "analyst")
    ids = fill(source)
    data = json.loads(export_text(source, "json"))
    catalog = new_catalog(open_catalogs, db_target)
    for name in CATEGORIES:
        catalog.add_category(name)
    stored = catalog.add_event(
        EventDraft("S-300 delivered", "2016", category="Nuclear file", certainty="reported"),
        event_id=ids[2],
    )
    other = catalog.add_event(EventDraft("Other", "2001", category="Energy"))
    catalog.add_actor("Russia", "state")
    with catalog.engine.begin() as connection:
        store.insert_links(
            connection,
            [EventLink("mine", other.id, stored.id, LinkKind.CONTRADICTS, "", "2026-10-01")],
        )
        store.insert_notes(connection, [EventNote("own", stored.id, "me", "2026-10-01", "Mine")])
        actor_id = catalog_queries.ensure_actors(connection, ["Russia"])["Russia"]
        store.set_actor_aliases(connection, actor_id, ["РФ"])
        before_history = len(store.all_history(connection))
    before = export_text(catalog, "json")
    data["events"][2]["importance"] = 4  # the stored event is changed: rewritten by the import
    result = import_file(catalog, write(tmp_path / "in.json", json.dumps(data)))
    assert len(result.added_ids) == 2 and len(result.replaced) == 1
    with catalog.engine.connect() as connection:
        assert {link.id for link in store.all_links(connection)} == {"l1", "l2", "l3", "mine"}
        assert {note.id for note in store.notes_of(connection)} == {"n1", "n2", "own"}
        assert set(store.aliases_by_actor(connection)["Russia"]) == {"Россия", "РФ", "روسیه"}
        assert len(store.all_history(connection)) > before_history
    undo_import(catalog, result)
    assert export_text(catalog, "json") == before
    with catalog.engine.connect() as connection:
        assert len(store.all_history(connection)) == before_history


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (
            lambda d: d["links"][0].update(kind="caused"),
            "links[0].kind",
            "'caused' is not one of led_to, responded_to, part_of, contradicts, same_as",
        ),
        (
            lambda d: d["links"][1].update(to="no-such-event"),
            "links[1].to",
            "'no-such-event' is neither an event of the file nor one in the database",
        ),
        (
            lambda d: d["links"].append({**d["links"][0], "id": "l9"}),
            "links[3]",
            "repeats links[0] (",
        ),
        (
            lambda d: d["links"].append({**d["links"][0], "kind": "same_as"}),
            "links[3].id",
            "is used again (first at links[0])",
        ),
        (
            lambda d: d["links"][0].update(to=d["links"][0]["from"]),
            "links[0].to",
            "a link cannot join an event to itself",
        ),
        (lambda d: d["links"][0].pop("from"), "links[0].from", "is missing"),
        (
            lambda d: d["links"][0].update(created_at="last week"),
            "links[0].created_at",
            "'last week' is not a date and time",
        ),
        (
            lambda d: d["history"][0].update(entity="planet"),
            "history[0].entity",
            "'planet' is not one of event, category",
        ),
        (
            lambda d: d["history"][1].update(action="explode"),
            "history[1].action",
            "'explode' is not one of create, update, delete",
        ),
        (
            lambda d: d["history"][0].update(changes={"title": "new"}),
            "history[0].changes.title",
            "must be a list of the old and the new value",
        ),
        (
            lambda d: d["history"][0].update(snapshot=[1, 2]),
            "history[0].snapshot",
            "must be an object, not list",
        ),
        (lambda d: d["history"][0].update(at=None), "history[0].at", "is missing"),
        (lambda d: d["history"][0].update(author=7), "history[0].author", "must be text, not int"),
        (
            lambda d: d["history"][0]["snapshot"].update(title="\ud800"),
            "history[0].snapshot",
            "half of a UTF-16 surrogate pair",
        ),
        (lambda d: d["history"][0].update(when="now"), "history[0].when", "is not a field"),
        (
            lambda d: d["events"][0]["sources"][0].update(reliability="G"),
            "sources[0].reliability",
            "'G' is not a reliability grade A to F",
        ),
        (
            lambda d: d["events"][0]["sources"][1].update(credibility=7),
            "sources[1].credibility",
            "7 is not a credibility grade 1 to 6",
        ),
        (
            lambda d: d["sources"][0].update(kind="blog"),
            "sources.kind",
            "'blog' is not one of official, wire",
        ),
        (
            lambda d: d["actors"][1].update(aliases="Россия"),
            "actors.aliases",
            "must be a list, not str",
        ),
        (lambda d: d["events"][0]["notes"][0].pop("text"), "notes[0].text", "must be text"),
        (
            lambda d: d["events"][1].update(notes=[d["events"][0]["notes"][0]]),
            "notes[0].id",
            "'n1' is used again (first at row 1, notes[0])",
        ),
        (lambda d: d.update(version=3), "version", "3 is not supported (this app reads 1 and 2)"),
        (lambda d: d.update(version=True), "version", "is not supported"),
        (lambda d: d.update(version=1), "history", "is not a field of this format"),
    ],
)
def test_a_hostile_version_2_file_is_refused_in_one_line_and_nothing_is_written(
    tmp_path, open_catalogs, change, field, problem
):
    source = new_catalog(open_catalogs, tmp_path / "source.sqlite")
    fill(source)
    data = json.loads(export_text(source, "json"))
    change(data)
    path = write(tmp_path / "hostile.json", json.dumps(data))
    target = new_catalog(open_catalogs, tmp_path / "target.sqlite")
    with pytest.raises(ImportFileError) as refused:
        import_file(target, path)
    message = str(refused.value)
    assert "\n" not in message
    assert refused.value.field == field and problem in message, message
    assert target.count_events() == 0
    with target.engine.connect() as connection:
        assert store.all_links(connection) == [] and store.all_history(connection) == []
        assert store.notes_of(connection) == [] and store.aliases_by_actor(connection) == {}


def test_a_link_may_join_an_event_of_the_file_to_one_in_the_database(tmp_path, open_catalogs):
    catalog = new_catalog(open_catalogs, tmp_path / "timeline.sqlite")
    catalog.add_category("Energy")
    stored = catalog.add_event(EventDraft("Gas deal", "2022-07-19", category="Energy"))
    path = write(
        tmp_path / "linked.json",
        json.dumps(
            {
                "format": "timeline-app",
                "version": 2,
                "events": [{"id": "swap", "title": "Swap", "start": "2023", "category": "Energy"}],
                "links": [{"from": "swap", "to": stored.id, "kind": "responded_to"}],
            }
        ),
    )
    plan = plan_import(catalog, read_file(path))
    assert plan.summary() == "would add 1, change 0, leave 0 unchanged, add 1 link"
    import_file(catalog, path)
    with catalog.engine.connect() as connection:
        (link,) = store.all_links(connection)
    assert (link.from_id, link.to_id, link.kind, link.note) == (
        "swap",
        stored.id,
        LinkKind.RESPONDED_TO,
        "",
    )
    assert link.created_at  # the import's time, for a file that gives none
    # the same link under another id is the stored one: nothing is added
    data = json.loads(path.read_text(encoding="utf-8"))
    data["links"][0]["id"] = "another"
    again = import_file(catalog, write(tmp_path / "again.json", json.dumps(data)))
    assert again.evidence is None


@pytest.mark.parametrize(("resolution", "linked"), [("merge", True), ("skip", False)])
def test_links_and_notes_follow_an_event_merged_into_a_stored_one(
    tmp_path, open_catalogs, resolution, linked
):
    from timeline_app.services.interchange.duplicates import (
        Resolution,
        find_duplicates,
        resolve_duplicates,
    )

    catalog = new_catalog(open_catalogs, tmp_path / "timeline.sqlite")
    catalog.add_category("Energy")
    stored = catalog.add_event(EventDraft("Gas memorandum signed", "2022-07-19", category="Energy"))
    path = write(
        tmp_path / "dup.json",
        json.dumps(
            {
                "format": "timeline-app",
                "version": 2,
                "events": [
                    {
                        "id": "memo",
                        "title": "Gas memorandum signed",
                        "start": "2022-07-19",
                        "category": "Energy",
                        "notes": [
                            {"text": "Gazprom and NIOC", "created_at": "2026-11-01T10:00:00"}
                        ],
                    },
                    {"id": "swap", "title": "Swap deal", "start": "2023", "category": "Energy"},
                ],
                "links": [{"from": "memo", "to": "swap", "kind": "led_to"}],
            }
        ),
    )
    document = read_file(path)
    duplicates = find_duplicates(catalog, document)
    assert [dup.item_id for dup in duplicates] == ["memo"]
    resolved = resolve_duplicates(catalog, document, duplicates, {}, Resolution(resolution))
    assert apply_import(catalog, resolved).added_ids == ("swap",)
    with catalog.engine.connect() as connection:
        links = [(link.from_id, link.to_id) for link in store.all_links(connection)]
        notes = [(note.event_id, note.text) for note in store.notes_of(connection)]
    assert links == ([(stored.id, "swap")] if linked else [])
    assert notes == ([(stored.id, "Gazprom and NIOC")] if linked else [])


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    title=texts,
    description=texts,
    end=st.none() | texts,
    location=st.none() | texts,
    importance=st.integers(1, 5),
    names=st.lists(texts, max_size=3).map(tuple),
    source=st.builds(
        SourceRef,
        title=texts,
        url=texts,
        publisher=texts,
        published=st.none() | texts,
        note=texts,
        id=st.none() | texts,
        kind=texts,
        language=texts,
        reliability=texts,
        credibility=st.integers(1, 6),
        excerpt=texts,
    ),
)
def test_creation_texts_are_what_the_encoder_writes(
    title, description, end, location, importance, names, source
):
    """The import's quick texts of a creation entry guard against drifting from the encoder
    the history uses for every other entry."""
    draft = EventDraft(
        title,
        "2001-02-03",
        end,
        "Energy",
        importance,
        "reported",
        description,
        location,
        names,
        names[::-1],
        (source, source) if importance % 2 else (),
    )
    entry = change_entry(HistoryEntity.EVENT, "e", None, written_fields(draft), "me", "now")
    ((*_, changes, snapshot),) = store.history_rows([entry])
    assert CreationTexts().texts(draft) == (changes, snapshot)


def test_an_event_whose_source_the_import_changes_has_that_change_recorded(tmp_path, open_catalogs):
    source = new_catalog(open_catalogs, tmp_path / "source.sqlite", "analyst")
    ids = fill(source)
    data = json.loads(export_text(source, "json"))
    crs = next(
        ref for ref in data["sources"] if ref["publisher"] == "Congressional Research Service"
    )
    crs["reliability"] = "B"  # the second event cites it and nothing else of it changes
    del data["events"][0]  # the first cites it too, but the file no longer carries that event
    data["links"] = [link for link in data["links"] if ids[0] not in (link["from"], link["to"])]
    path = write(tmp_path / "regraded.json", json.dumps(data))
    with source.engine.connect() as connection:
        before = len(store.all_history(connection))
    result = import_file(source, path)
    assert result.added_ids == () and result.replaced == ()
    with source.engine.connect() as connection:
        entries = store.all_history(connection)[before:]
    assert [(entry.entity_id, entry.author) for entry in entries] == [
        (ids[0], "analyst"),
        (ids[1], "analyst"),
    ]
    assert [entry.changes["sources"][1][-1]["reliability"] for entry in entries] == ["B", "B"]
    undo_import(source, result)
    with source.engine.connect() as connection:
        assert len(store.all_history(connection)) == before
