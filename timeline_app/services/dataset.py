"""The bundled Russia–Iran dataset: loaded once into a new database, never over user data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select

from timeline_app import paths
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import apply_import, read_file
from timeline_app.store.schema import Meta

DATASET_KEY = "dataset_loaded"


@dataclass(frozen=True, slots=True)
class DatasetOutcome:
    loaded: bool
    events: int
    reason: str


def dataset_loaded(catalog: Catalog) -> bool:
    with catalog.engine.connect() as connection:
        return (
            connection.execute(select(Meta.value).where(Meta.key == DATASET_KEY)).first()
            is not None
        )


def load_dataset(catalog: Catalog) -> DatasetOutcome:
    """Load the bundled dataset unless it was loaded before or the database holds events."""
    if dataset_loaded(catalog):
        return DatasetOutcome(False, 0, "the bundled dataset was loaded into this database before")
    if catalog.count_events():
        return DatasetOutcome(False, 0, "this database already holds events; nothing was added")
    document = read_file(paths.dataset_path(), "json")
    result = apply_import(catalog, document)
    with catalog.engine.begin() as connection:
        connection.execute(
            insert(Meta.__table__), [{"key": DATASET_KEY, "value": paths.dataset_path().name}]
        )
    return DatasetOutcome(True, len(result.added_ids), "loaded")
