"""Shared test set-up: headless Qt, an isolated data folder, databases on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest

PG_URL = os.environ.get("TIMELINE_TEST_PG_URL", "")


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test ever touches the user's real data folder."""
    monkeypatch.setenv("TIMELINE_APP_DATA_DIR", str(tmp_path_factory.mktemp("data")))


def _pg_schema_url() -> Iterator[str]:
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database location: a SQLite file, and (when configured) a PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "timeline.sqlite")
        return
    if not PG_URL:
        pytest.skip("TIMELINE_TEST_PG_URL is not set")
    yield from _pg_schema_url()


@pytest.fixture
def pg_target() -> Iterator[str]:
    """A fresh PostgreSQL schema; skipped only where no server is configured."""
    if not PG_URL:
        pytest.skip("TIMELINE_TEST_PG_URL is not set")
    yield from _pg_schema_url()


@pytest.fixture
def sqlite_target(tmp_path: Path) -> str:
    return str(tmp_path / "timeline.sqlite")


@pytest.fixture
def catalog(db_target: str) -> Iterator[object]:
    """A Catalog on a fresh database with three categories."""
    from timeline_app.services.catalog import Catalog
    from timeline_app.store.database import open_database

    database = open_database(db_target)
    catalog = Catalog(database)
    for name in ("Diplomacy & treaties", "Nuclear file", "Energy"):
        catalog.add_category(name)
    yield catalog
    database.dispose()
