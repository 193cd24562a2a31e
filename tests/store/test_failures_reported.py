"""The store turns database failures into the app's own errors, so the layers above it catch
TimelineError subclasses only and never import SQLAlchemy."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DBAPIError

from timeline_app.domain.errors import DatabaseFailure, TimelineError, WriteConflict
from timeline_app.services.dataset import dataset_loaded
from timeline_app.store import catalog_queries
from timeline_app.store.database import conflicts_reported, failures_reported


def _drop_meta(catalog) -> None:
    with catalog.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE meta")


def test_a_failing_query_becomes_one_line_database_failure(catalog) -> None:
    _drop_meta(catalog)
    with (
        pytest.raises(DatabaseFailure) as caught,
        failures_reported("the test database"),
        catalog.engine.connect() as connection,
    ):
        catalog_queries.meta_present(connection, "anything")
    message = str(caught.value)
    assert "\n" not in message
    assert "the test database" in message
    assert "meta" in message
    assert caught.value.__cause__ is not None


def test_dataset_loaded_reports_a_failing_database_as_the_apps_error(catalog) -> None:
    _drop_meta(catalog)
    with pytest.raises(DatabaseFailure):
        dataset_loaded(catalog)


def test_a_refused_duplicate_becomes_a_write_conflict_and_nothing_is_kept(catalog) -> None:
    before = catalog.category_names()
    with (
        pytest.raises(WriteConflict) as caught,
        conflicts_reported("the test database"),
        catalog.engine.begin() as connection,
    ):
        catalog_queries.insert_category(connection, name="Fresh", colour="#123456")
        catalog_queries.insert_category(connection, name=before[0], colour="#123456")
    assert isinstance(caught.value, TimelineError)
    assert "\n" not in str(caught.value)
    assert catalog.category_names() == before


def test_conflicts_reported_passes_other_failures_unchanged(catalog) -> None:
    _drop_meta(catalog)
    with (
        pytest.raises(DBAPIError) as caught,
        conflicts_reported(),
        catalog.engine.connect() as connection,
    ):
        catalog_queries.meta_present(connection, "anything")
    assert not isinstance(caught.value, TimelineError)
