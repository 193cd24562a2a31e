"""The bundled Russia–Iran dataset: loaded once into a new database, never over user data."""

from __future__ import annotations

from dataclasses import dataclass

from timeline_app import paths
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import apply_import, read_file
from timeline_app.store import catalog_queries
from timeline_app.store.database import failures_reported

DATASET_KEY = "dataset_loaded"


@dataclass(frozen=True, slots=True)
class DatasetOutcome:
    loaded: bool
    events: int
    reason: str


def dataset_loaded(catalog: Catalog) -> bool:
    """Whether the bundled dataset was loaded into this database; DatabaseFailure when the
    database cannot say."""
    with failures_reported(), catalog.engine.connect() as connection:
        return catalog_queries.meta_present(connection, DATASET_KEY)


def load_dataset(catalog: Catalog) -> DatasetOutcome:
    """Load the bundled dataset unless it was loaded before or the database holds events."""
    if dataset_loaded(catalog):
        return DatasetOutcome(False, 0, "the bundled dataset was loaded into this database before")
    if catalog.count_events():
        return DatasetOutcome(False, 0, "this database already holds events; nothing was added")
    document = read_file(paths.dataset_path(), "json")
    result = apply_import(catalog, document)  # adopts the dataset's title, as any import
    with catalog.engine.begin() as connection:
        catalog_queries.insert_meta(connection, DATASET_KEY, paths.dataset_path().name)
    return DatasetOutcome(True, len(result.added_ids), "loaded")
