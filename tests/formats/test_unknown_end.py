"""An end that is unknown (`2022-02-24/`) survives the app's own files: a file's empty end
means "no end", so the writers put the unknown end into the start as the EDTF interval."""

from __future__ import annotations

import pytest

from timeline_app.domain.model import EventDraft
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import export_file, import_file
from timeline_app.store.database import open_database


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xlsx", "ods"])
def test_an_unknown_end_round_trips(tmp_path, fmt):
    source = Catalog(open_database(tmp_path / "a.sqlite"))
    target = Catalog(open_database(tmp_path / "b.sqlite"))
    try:
        source.add_category("C")
        source.add_event(EventDraft(title="Talks began", start="2022-02-24/", category="C"))
        source.add_event(EventDraft(title="Still going", start="2022-02-24/..", category="C"))
        path = tmp_path / f"out.{fmt}"
        export_file(source, path, fmt)
        import_file(target, path)
        dates = {record.title: (record.start, record.end) for record in target.events()}
        assert dates == {
            "Talks began": ("2022-02-24", ""),
            "Still going": ("2022-02-24", ".."),
        }
    finally:
        source.database.dispose()
        target.database.dispose()
