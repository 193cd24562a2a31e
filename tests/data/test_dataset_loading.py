"""The bundled dataset goes through the real importer into a new database, once."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from timeline_app import paths
from timeline_app.domain.model import EventDraft
from timeline_app.services.catalog import Catalog
from timeline_app.services.dataset import dataset_loaded, load_dataset
from timeline_app.services.interchange import export_text, read_file
from timeline_app.store.database import open_database


def test_dataset_passes_the_importer_validation():
    document = read_file(paths.dataset_path())
    assert len(document.events) >= 200
    assert len(document.categories) == 12
    assert len(document.eras) >= 14


def test_loaded_once_and_never_over_user_data(db_target):
    catalog = Catalog(open_database(db_target))
    try:
        first = load_dataset(catalog)
        assert first.loaded and first.events >= 200
        count = catalog.count_events()
        again = load_dataset(catalog)
        assert not again.loaded and catalog.count_events() == count
        assert dataset_loaded(catalog)
        assert len(catalog.eras()) >= 14
    finally:
        catalog.database.dispose()


def test_not_loaded_over_a_database_with_events(tmp_path):
    catalog = Catalog(open_database(tmp_path / "mine.sqlite"))
    try:
        catalog.add_category("Mine")
        catalog.add_event(EventDraft(title="My event", start="2020", category="Mine"))
        outcome = load_dataset(catalog)
        assert not outcome.loaded and "already holds events" in outcome.reason
        assert catalog.count_events() == 1
    finally:
        catalog.database.dispose()


def test_fresh_install_exports_the_dataset(tmp_path):
    env = {**os.environ, "TIMELINE_APP_DATA_DIR": str(tmp_path / "fresh")}
    subprocess.run(  # reading commands never create a database: init does
        [sys.executable, "-m", "timeline_app", "init", "--dataset"],
        capture_output=True,
        env=env,
        timeout=120,
        check=True,
    )
    result = subprocess.run(
        [sys.executable, "-m", "timeline_app", "export", "-"],
        capture_output=True,
        env=env,
        timeout=120,
        check=True,
    )
    data = json.loads(result.stdout)
    assert len(data["events"]) >= 200
    assert (tmp_path / "fresh" / "timeline.sqlite").exists()


def test_dataset_round_trips_through_export(tmp_path):
    catalog = Catalog(open_database(tmp_path / "a.sqlite"))
    other = Catalog(open_database(tmp_path / "b.sqlite"))
    try:
        load_dataset(catalog)
        text = export_text(catalog, "json")
        path = tmp_path / "out.json"
        path.write_text(text, encoding="utf-8")
        load = read_file(path)
        from timeline_app.services.interchange import apply_import

        apply_import(other, load)
        assert export_text(other, "json") == text
    finally:
        catalog.database.dispose()
        other.database.dispose()
