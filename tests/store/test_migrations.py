"""The migrations create exactly the tables the schema describes, and upgrade what the
previous release wrote."""

from __future__ import annotations

import shutil
from pathlib import Path

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
