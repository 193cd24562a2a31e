"""Set-up shared by the torture tests: the seed database and its exports, PostgreSQL schemas."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator

import pytest
from database_state import Seed, sqlite_checkpoint
from sqlalchemy import create_engine, text

PG_URL = os.environ.get("TIMELINE_TEST_PG_URL", "")
SAMPLE_EVENTS = 50


@pytest.fixture(scope="session")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Seed:
    from timeline_app.services.catalog import Catalog
    from timeline_app.services.dataset import load_dataset
    from timeline_app.services.interchange import export_text
    from timeline_app.store.database import open_database

    folder = tmp_path_factory.mktemp("seed")
    database = open_database(str(folder / "seed.sqlite"))
    catalog = Catalog(database)
    assert load_dataset(catalog).loaded
    json_text = export_text(catalog, "json")
    csv_text = export_text(catalog, "csv")
    database.dispose()
    open_database(str(folder / "empty.sqlite")).dispose()
    for name in ("seed.sqlite", "empty.sqlite"):
        sqlite_checkpoint(folder / name)
    document = json.loads(json_text)
    document["events"] = document["events"][:SAMPLE_EVENTS]
    json_sample = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    csv_sample = "".join(csv_text.splitlines(keepends=True)[: SAMPLE_EVENTS + 1])
    assert csv_sample.count("\n") == SAMPLE_EVENTS + 1  # one line a row in this dataset
    return Seed(
        folder / "seed.sqlite",
        folder / "empty.sqlite",
        json_text,
        csv_text,
        json_sample,
        csv_sample,
    )


def _create_schema() -> tuple[str, str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        admin.dispose()
    separator = "&" if "?" in PG_URL else "?"
    return schema, f"{PG_URL}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_schemas() -> Iterator[Callable[[], str]]:
    """Make fresh PostgreSQL schemas on demand (a URL each); all dropped afterwards."""
    if not PG_URL:
        pytest.skip("TIMELINE_TEST_PG_URL is not set")
    made: list[str] = []

    def make() -> str:
        schema, url = _create_schema()
        made.append(schema)
        return url

    yield make
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as connection:
            for schema in made:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """The backend a test runs on; PostgreSQL only where a server is configured."""
    if request.param == "postgresql" and not PG_URL:
        pytest.skip("TIMELINE_TEST_PG_URL is not set")
    return request.param
