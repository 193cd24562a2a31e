"""A row another writer stored after an import's plan is reported against the file as one
line, through the store's WriteConflict, and the import leaves nothing behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timeline_app.domain.errors import ImportFileError
from timeline_app.domain.model import EventDraft
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import apply_import, export_file, read_file
from timeline_app.store import catalog_queries


def test_a_row_stored_behind_the_plan_fails_the_import_as_a_file_error(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog.add_era("Sanctions years", "2006", "2015", "#445566")
    catalog.add_event(EventDraft(title="Contract signed", start="1995-01-08", category="Energy"))
    path = tmp_path / "out.json"
    export_file(catalog, path)
    text = json.loads(path.read_text(encoding="utf-8"))
    text["events"][0]["id"] = "a-new-event"
    path.write_text(json.dumps(text), encoding="utf-8")
    document = read_file(path)
    before = (catalog.count_events(), catalog.eras(), catalog.category_names())
    # The plan misses the stored era, as when another writer adds it after the plan is made:
    # the insert meets the era's primary key.
    monkeypatch.setattr(catalog_queries, "era_ids", lambda connection: set())

    with pytest.raises(ImportFileError) as caught:
        apply_import(catalog, document)

    message = str(caught.value)
    assert message == (
        f"{path}: database: changed by someone else while importing; nothing was written, "
        "import again"
    )
    assert (catalog.count_events(), catalog.eras(), catalog.category_names()) == before
