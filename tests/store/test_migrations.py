"""The migrations create exactly the tables the schema describes, and upgrade what the
previous release wrote."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from timeline_app.services.catalog import Catalog
from timeline_app.store.database import SCHEMA_HEAD, open_database
from timeline_app.store.schema import metadata


def test_migrated_schema_matches_the_models(db_target):
    database = open_database(db_target)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection)
            differences = [
                diff
                for diff in compare_metadata(context, metadata)
                if not (diff[0] == "remove_table" and diff[1].name.startswith("events_fts"))
                and not (diff[0] == "remove_index" and diff[1].name == "ix_events_search")
                and not (diff[0] == "remove_column" and diff[3].name == "search")
            ]
        assert differences == []
    finally:
        database.dispose()


PREVIOUS_RELEASE = Path(__file__).with_name("written_by_schema_0001.sqlite")
"""The bundled dataset as the release with schema 0001_initial wrote it (kept as a file, so
this test always starts from what users have on disk)."""


def test_a_database_of_the_previous_release_is_upgraded_with_its_data_and_a_copy(tmp_path):
    path = tmp_path / "timeline.sqlite"
    shutil.copyfile(PREVIOUS_RELEASE, path)
    database = open_database(path)
    try:
        catalog = Catalog(database)
        assert catalog.count_events() == 220
        assert len(catalog.events()) == 220 and len(catalog.categories()) >= 12
        with database.engine.connect() as connection:
            indexes = {
                row[0]
                for row in connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'index'"
                )
            }
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert version.scalar_one() == SCHEMA_HEAD
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM events ORDER BY start_lo, id"
            ).all()
        assert "ix_events_start_lo_id" in indexes and "ix_events_start_lo" not in indexes
        assert "TEMP B-TREE" not in str(plan)  # the order is read from the index
        columns = catalog.event_columns(with_actors=False)
        assert len(columns) == 220 and (columns.start[1:] >= columns.start[:-1]).all()
    finally:
        database.dispose()
    copies = list((tmp_path / "backups").glob("timeline.sqlite.before-0001_initial-*.sqlite"))
    assert len(copies) == 1 and copies[0].stat().st_size == PREVIOUS_RELEASE.stat().st_size


def test_the_upgrade_runs_on_postgresql_from_the_previous_schema(pg_target):
    from alembic import command

    from timeline_app.store.database import _alembic_config

    engine = create_engine(pg_target)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0001_initial")
        connection.exec_driver_sql(
            "INSERT INTO meta (key, value) VALUES ('app', 'timeline-app'), ('created_at', 'x')"
        )
    engine.dispose()
    database = open_database(pg_target)
    try:
        catalog = Catalog(database)
        catalog.add_category("Diplomacy")
        with database.engine.connect() as connection:
            names = {
                row[0]
                for row in connection.exec_driver_sql(
                    "SELECT indexname FROM pg_indexes WHERE tablename = 'events' "
                    "AND schemaname = current_schema()"
                )
            }
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert version.scalar_one() == SCHEMA_HEAD
        assert "ix_events_start_lo_id" in names and "ix_events_start_lo" not in names
    finally:
        database.dispose()


WRITTEN_BY_0002 = Path(__file__).with_name("written_by_schema_0002.sqlite")
"""The bundled dataset plus one event citing a source without address, as the release with
schema 0002_events_start_order wrote it (made with that release, before 0003 existed)."""


def test_a_database_written_at_0002_gains_the_evidence_tables_and_keeps_its_citations(tmp_path):
    path = tmp_path / "timeline.sqlite"
    shutil.copyfile(WRITTEN_BY_0002, path)
    before = sqlite3.connect(path)
    try:
        citations_before = before.execute(
            "SELECT event_id, source_id, position, note FROM event_sources ORDER BY 1, 2"
        ).fetchall()
        sources_before = before.execute(
            "SELECT id, title, publisher, url, published FROM sources ORDER BY id"
        ).fetchall()
    finally:
        before.close()
    database = open_database(path)
    try:
        catalog = Catalog(database)
        assert catalog.count_events() == 221
        with database.engine.connect() as connection:
            assert (
                connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
                == SCHEMA_HEAD
            )
            citations = connection.exec_driver_sql(
                "SELECT event_id, source_id, position, note, credibility, excerpt "
                "FROM event_sources ORDER BY 1, 2"
            ).all()
            graded_sources = connection.exec_driver_sql(
                "SELECT id, title, publisher, url, published, kind, language, reliability "
                "FROM sources ORDER BY id"
            ).all()
            for table in ("event_links", "event_notes", "actor_aliases", "history"):
                assert connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0
        assert [tuple(row[:4]) for row in citations] == citations_before
        assert {(row[4], row[5]) for row in citations} == {(6, "")}  # ungraded: F6
        assert [tuple(row[:5]) for row in graded_sources] == sources_before
        assert {tuple(row[5:]) for row in graded_sources} == {("other", "", "F")}
    finally:
        database.dispose()


def test_the_evidence_columns_refuse_grades_off_the_scale(db_target):
    from sqlalchemy.exc import IntegrityError

    database = open_database(db_target)
    try:
        with pytest.raises(IntegrityError), database.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO sources (id, title, publisher, url, reliability) "
                "VALUES ('s', 't', '', '', 'G')"
            )
    finally:
        database.dispose()


def test_after_the_upgrade_search_finds_events_by_their_location(tmp_path):
    path = tmp_path / "timeline.sqlite"
    shutil.copyfile(WRITTEN_BY_0002, path)
    database = open_database(path)
    try:
        catalog = Catalog(database)
        in_moscow = {record.id for record in catalog.events() if record.location == "Moscow"}
        assert in_moscow and set(catalog.search("moscow")) >= in_moscow
        with database.engine.connect() as connection:
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT rowid FROM events_fts WHERE events_fts MATCH 'moscow*'"
            ).all()
        assert "VIRTUAL TABLE INDEX" in str(plan)
    finally:
        database.dispose()
