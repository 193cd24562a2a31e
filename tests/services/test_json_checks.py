"""JSON files are held to the editor's rules before anything is written, identically on
SQLite and PostgreSQL; numbers and ids no column can hold end in one line, not a traceback;
a top-level source that changes a stored one says so and bumps its events' versions."""

from __future__ import annotations

import json

import pytest

from timeline_app.cli import main
from timeline_app.domain.errors import ImportFileError
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.interchange import (
    apply_import,
    export_text,
    import_file,
    plan_import,
    read_file,
    undo_import,
)

EVENT = {"id": "e1", "title": "Treaty", "start": "2001", "category": "Energy"}


def _file(**parts: object) -> bytes:
    return json.dumps({"format": "timeline-app", "version": 1, **parts}).encode()


def _event(**fields: object) -> bytes:
    return _file(events=[{**EVENT, **fields}])


def _category(**fields: object) -> bytes:
    return _file(categories=[{"name": "New", **fields}])


BAD_JSON = {
    "huge-integer": (
        b'{"format": "timeline-app", "version": 1, "events": [{"id": "e1", "title": "T",'
        b' "start": "2001", "category": "Energy", "importance": 1' + b"0" * 5000 + b"}]}",
        ":1: json: a whole number of 5,001 digits",
    ),
    "nan": (_event().replace(b'"Energy"', b'"Energy", "importance": NaN'), "json: NaN is not"),
    "infinity": (
        _event().replace(b'"Energy"', b'"Energy", "importance": -Infinity'),
        ": json: -Infinity is not",
    ),
    "float-overflow": (
        _event().replace(b'"Energy"', b'"Energy", "importance": 1e999'),
        ":1: importance: must be a whole number, not inf",
    ),
    "description-zero": (_event(description=0), ":1: description: must be text, not int"),
    "description-false": (_event(description=False), ":1: description: must be text"),
    "description-list": (_event(description=[]), ":1: description: must be text, not list"),
    "location-number": (_event(location=5), ":1: location: must be text"),
    "certainty-list": (_event(certainty=["x"] * 10_000), ":1: certainty: must be text"),
    "end-number": (_event(end=2001), ":1: end: must be a date text"),
    "missing-title": (_file(events=[{"start": "2001", "category": "Energy"}]), "title: is missing"),
    "id-surrogate": (_event(id="\ud800"), ":1: id: '\\ud800' contains"),
    "id-nul": (_event(id="a\u0000b"), ":1: id: 'a\\x00b' contains"),
    "id-long": (_event(id="x" * 37), ":1: id: is 37 characters long"),
    "same-source-twice": (
        _event(sources=[{"title": "R", "url": "https://x.org/"}] * 2),
        ":1: sources[1]: cites the same source as sources[0]",
    ),
    "source-given-two-ways": (
        _file(
            events=[
                {**EVENT, "sources": [{"title": "R", "url": "https://x.org/", "publisher": "A"}]},
                {**EVENT, "id": "e2", "sources": [{"title": "R", "url": "https://x.org/"}]},
            ]
        ),
        ":2: sources[0]: source ",
    ),
    "source-id-surrogate": (
        _file(sources=[{"id": "s\udfff", "title": "R", "url": "https://x.org/"}]),
        ":1: sources.id:",
    ),
    "category-name-long": (_file(categories=[{"name": "c" * 121}]), "categories.name: is 121"),
    "category-name-blank": (_file(categories=[{"name": "  "}]), "categories.name: must not be"),
    "category-twice": (
        _file(categories=[{"name": "A"}, {"name": "A"}]),
        ":2: categories.name: 'A' is named again (first at row 1)",
    ),
    "category-own-parent": (_category(parent="New"), ":1: categories.parent: a category cannot"),
    "category-cycle": (
        _file(categories=[{"name": "A", "parent": "B"}, {"name": "B", "parent": "A"}]),
        "categories.parent: 'A' → 'B' → 'A' is a cycle",
    ),
    "category-unknown-parent": (
        _category(parent="Nowhere"),
        ":1: categories.parent: 'Nowhere' is neither",
    ),
    "category-colour": (_category(colour="#12345678901"), ":1: categories.colour:"),
    "category-sort-order": (_category(sort_order=2**40), ":1: categories.sort_order:"),
    "category-description": (_category(description=7), "categories.description: must be text"),
    "actor-blank": (_file(actors=[""]), ":1: actors.name: must not be empty"),
    "actor-kind-long": (_file(actors=[{"name": "A", "kind": "k" * 41}]), "actors.kind: is 41"),
    "actor-twice": (_file(actors=["A", {"name": "A", "kind": "state"}]), ":2: actors.name:"),
    "tag-long": (_file(tags=["t" * 121]), ":1: tags: is 121"),
    "era-blank-name": (
        _file(eras=[{"name": "", "start": "2001", "colour": "#112233"}]),
        ":1: eras.name: must not be empty",
    ),
    "era-group-long": (
        _file(eras=[{"name": "E", "start": "2001", "group": "g" * 61}]),
        ":1: eras.group: is 61",
    ),
    "era-id-twice": (
        _file(
            eras=[
                {"id": "x", "name": "E", "start": "2001"},
                {"id": "x", "name": "F", "start": "2002"},
            ]
        ),
        ":2: eras.id: 'x' is used again",
    ),
    "era-id-nul": (_file(eras=[{"id": "\u0000", "name": "E", "start": "2001"}]), "eras.id:"),
    "era-start-list": (_file(eras=[{"name": "E", "start": [1]}]), ":1: eras.start: must be a date"),
    "source-url-ftp": (
        _event(sources=[{"title": "R", "url": "ftp://x.org/"}]),
        ":1: sources[0].url: 'ftp://x.org/' is not an http(s) URL",
    ),
    "source-url-number": (
        _event(sources=[{"title": "R", "url": 5}]),
        ":1: sources[0].url: must be text",
    ),
    "source-without-url-or-title": (
        _event(sources=[{"publisher": "Reuters"}]),
        ":1: sources[0].title:",
    ),
}


def test_sources_without_a_url_are_read_stored_and_written_back(catalog, tmp_path):
    """A source's "url" may be absent or "": it is stored as "", and JSON export → import
    into an empty database → export is identical."""
    path = tmp_path / "no-url.json"
    path.write_bytes(
        _event(
            sources=[
                {"title": "Wire report", "publisher": "Reuters", "note": "p. 2"},
                {"title": "Talks", "publisher": "TASS", "url": "", "published": "2001-03"},
            ]
        )
    )
    import_file(catalog, path)
    (record,) = catalog.events()
    assert [(ref.title, ref.url, ref.publisher) for ref in record.sources] == [
        ("Wire report", "", "Reuters"),
        ("Talks", "", "TASS"),
    ]
    first = export_text(catalog, "json")
    again = tmp_path / "again.json"
    again.write_text(first, encoding="utf-8")
    from timeline_app.services.catalog import Catalog
    from timeline_app.store.database import open_database

    empty = Catalog(open_database(tmp_path / "empty.sqlite"))
    try:
        import_file(empty, again)
        assert export_text(empty, "json") == first
        import_file(empty, again)  # a re-import changes nothing
        assert export_text(empty, "json") == first
    finally:
        empty.database.dispose()


@pytest.mark.parametrize("name", sorted(BAD_JSON))
def test_bad_json_is_refused_in_one_line_and_nothing_is_written(catalog, tmp_path, name):
    catalog.add_event(EventDraft("Seed", "2000", category="Energy"))
    before = export_text(catalog, "json")
    content, words = BAD_JSON[name]
    path = tmp_path / f"{name}.json"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        import_file(catalog, path)
    message = str(caught.value)
    assert message.startswith(str(path)) and words in message
    assert "\n" not in message and len(message) < 300
    assert export_text(catalog, "json") == before


def test_huge_integer_through_the_command_is_one_line_exit_2(tmp_path, capsys):
    path = tmp_path / "huge.json"
    path.write_bytes(BAD_JSON["huge-integer"][0])
    assert main(["import", str(path), "--db", str(tmp_path / "t.sqlite")]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"timeline-app: error: {path}:1: json:")


def test_everything_an_import_accepts_round_trips(catalog, tmp_path):
    """Nested categories, actors with kinds, tags, sources with ids, eras: JSON export →
    import into an empty database → export is identical."""
    content = _file(
        categories=[
            {"name": "Child", "parent": "Top", "colour": "#112233", "sort_order": -3},
            {"name": "Top", "description": "  spaced  "},
        ],
        actors=[{"name": "Russia", "kind": "state"}, "Iran"],
        tags=["Bushehr"],
        sources=[{"id": "s-1", "title": "R", "url": "https://x.org/", "published": "2011"}],
        eras=[{"id": "era-1", "name": "E", "start": "2001", "end": "2003", "group": "G"}],
        events=[
            {
                **EVENT,
                "category": "Child",
                "sources": [
                    {
                        "id": "s-1",
                        "title": "R",
                        "url": "https://x.org/",
                        "published": "2011",
                        "note": "n",
                    }
                ],
            }
        ],
    )
    path = tmp_path / "all.json"
    path.write_bytes(content)
    import_file(catalog, path)
    first = export_text(catalog, "json")
    again = tmp_path / "again.json"
    again.write_text(first, encoding="utf-8")
    from timeline_app.services.catalog import Catalog
    from timeline_app.store.database import open_database

    empty = Catalog(open_database(tmp_path / "empty.sqlite"))
    try:
        import_file(empty, again)
        assert export_text(empty, "json") == first
    finally:
        empty.database.dispose()
    parents = {category.name: category.parent for category in catalog.categories()}
    assert parents["Child"] == "Top"


def test_changed_top_level_source_is_planned_written_and_bumps_citing_events(
    catalog, tmp_path, capsys
):
    ref = SourceRef("Report", "https://x.org/r", "Wire", "2011", "p. 1")
    citing = catalog.add_event(EventDraft("Treaty", "2001", category="Energy", sources=(ref,)))
    other = catalog.add_event(EventDraft("Other", "2002", category="Energy"))
    source_id = citing.sources[0].id
    before = export_text(catalog, "json")
    path = tmp_path / "sources.json"
    path.write_bytes(
        _file(
            sources=[
                {
                    "id": source_id,
                    "title": "Report",
                    "url": "https://x.org/r",
                    "publisher": "Wire agency",
                    "published": "2011",
                }
            ]
        )
    )
    plan = plan_import(catalog, read_file(path))
    assert plan.changed_sources == [(source_id, "Report")]
    assert plan.summary() == "would add 0, change 0, leave 0 unchanged, change 1 source"
    result = apply_import(catalog, read_file(path))
    stored = catalog.event(citing.id)
    assert stored.sources[0].publisher == "Wire agency" and stored.sources[0].note == "p. 1"
    assert stored.version == citing.version + 1
    assert catalog.event(other.id).version == other.version
    undo_import(catalog, result)
    assert export_text(catalog, "json") == before


def test_dry_run_names_changed_sources(tmp_path, capsys):
    db = str(tmp_path / "t.sqlite")
    first = tmp_path / "first.csv"
    first.write_text(
        "title,start,category,sources\nTreaty,2001,C,Wire: Report <https://x.org/r>\n",
        encoding="utf-8",
    )
    assert main(["import", str(first), "--db", db]) == 0
    data = json.loads(_file())
    data["sources"] = [{"title": "Report", "url": "https://x.org/r", "publisher": "AP"}]
    second = tmp_path / "second.json"
    second.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(second), "--db", db, "--dry-run"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"{second}: would add 0, change 0, leave 0 unchanged, change 1 source"
    )
