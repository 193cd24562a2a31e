"""A large import into SQLite checks its references once, before it commits, instead of per
row: the links it replaces are still removed, a broken reference still stops it whole, and
the connection it used has its foreign-key checks back on."""

from __future__ import annotations

import pytest

from timeline_app.domain.errors import DatabaseFailure, ImportFileError
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import import_file
from timeline_app.store import queries
from timeline_app.store.database import open_database

ROWS = queries.BULK_FTS_THRESHOLD + 500


def _csv(tmp_path, actors: str, publisher: str):
    lines = ["id,title,start,category,actors,sources"] + [
        f"e-{i:05d},event {i},2001-01-{1 + i % 28:02d},Energy,{actors},"
        f"{publisher}: Report {i} <https://x.org/{i}>"
        for i in range(ROWS)
    ]
    path = tmp_path / f"{publisher}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _scalar(catalog: Catalog, sql: str):
    with catalog.engine.connect() as connection:
        return connection.exec_driver_sql(sql).scalar()


def _problems(catalog: Catalog) -> list:
    with catalog.engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()


@pytest.fixture
def catalog(tmp_path):
    catalog = Catalog(open_database(tmp_path / "bulk.sqlite"))
    yield catalog
    catalog.database.dispose()


def test_a_large_import_leaves_foreign_key_checks_on(catalog, tmp_path):
    import_file(catalog, _csv(tmp_path, "Russia; Iran", "Wire"))
    assert catalog.count_events() == ROWS
    assert _scalar(catalog, "PRAGMA foreign_keys") == 1
    assert _scalar(catalog, "SELECT count(*) FROM event_actors") == 2 * ROWS
    assert _problems(catalog) == []


def test_a_large_reimport_replaces_the_links_of_the_events_it_changes(catalog, tmp_path):
    import_file(catalog, _csv(tmp_path, "Russia; Iran", "Wire"))
    result = import_file(catalog, _csv(tmp_path, "Turkey", "Agency"))
    assert len(result.replaced) == ROWS
    event = catalog.events()[0]
    assert event.actors == ("Turkey",)
    assert [ref.publisher for ref in event.sources] == ["Agency"]
    assert _scalar(catalog, "SELECT count(*) FROM event_actors") == ROWS
    assert _scalar(catalog, "SELECT count(*) FROM event_sources") == ROWS
    assert _problems(catalog) == []
    assert _scalar(catalog, "PRAGMA foreign_keys") == 1


def test_a_broken_reference_stops_a_large_import_whole(catalog, tmp_path, monkeypatch):
    """The one check before commit finds what the per-row checks would have found."""
    original = queries.write_links

    def write_links_and_a_dangling_one(connection, *args, **kwargs):
        original(connection, *args, **kwargs)
        connection.exec_driver_sql(
            "INSERT INTO event_actors (event_id, actor_id, position) VALUES ('e-00000', 9999, 5)"
        )

    monkeypatch.setattr(queries, "write_links", write_links_and_a_dangling_one)
    with pytest.raises(DatabaseFailure, match=r"event_actors row.* missing actors row"):
        import_file(catalog, _csv(tmp_path, "Russia; Iran", "Wire"))
    assert catalog.count_events() == 0
    assert _scalar(catalog, "SELECT count(*) FROM event_actors") == 0
    assert _scalar(catalog, "PRAGMA foreign_keys") == 1


def test_a_failed_large_import_turns_foreign_key_checks_back_on(catalog, tmp_path, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(queries, "write_links", refuse)
    with pytest.raises(Exception, match="disk full"):
        import_file(catalog, _csv(tmp_path, "Russia; Iran", "Wire"))
    assert _scalar(catalog, "PRAGMA foreign_keys") == 1
    assert catalog.count_events() == 0


def test_one_source_id_given_two_ways_names_the_row_that_gave_it_first(catalog, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text(
        "title,start,category,sources\n"
        "Talks,2001,Energy,Wire: Report <https://x.org/1> [id: s-1]\n"
        "Visit,2002,Energy,Other: Report <https://x.org/2>\n"
        "Deal,2003,Energy,Agency: Report <https://x.org/1> [id: s-1]\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError) as caught:
        import_file(catalog, path)
    assert str(caught.value) == (
        f"{path}:4: sources[0]: source s-1 is given other fields than at row 2"
    )
    assert catalog.count_events() == 0
