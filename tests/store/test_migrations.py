"""The migrations create exactly the tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from timeline_app.store.database import open_database
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
