"""Two `timeline-app import` processes at once on one database: both succeed and both
changes are there (imports run one after the other), new categories included."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from timeline_app.services.catalog import Catalog
from timeline_app.store.database import open_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "shared.sqlite")
    return request.getfixturevalue("pg_target")


def _start(path: Path, db: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-m", "timeline_app", "import", str(path), "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def test_two_imports_at_once_keep_both_changes(shared_db, tmp_path):
    seed = tmp_path / "seed.csv"
    seed.write_text("id,title,start,category\nev-1,Gas talks,2001,Energy\n", encoding="utf-8")
    assert _start(seed, shared_db).wait(120) == 0
    files = {
        "described.csv": "id,title,start,category,description\n"
        "ev-1,Gas talks,2001,Energy,agreed\n"
        "ev-2,Swap deal,2002,Fresh,\n",
        "tagged.csv": "id,title,start,category,tags\n"
        "ev-1,Gas talks,2001,Energy,Caspian\n"
        "ev-3,Rail link,2003,Fresh,\n",
    }
    processes = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        processes.append(_start(path, shared_db))
    outcomes = [(process.wait(120), process.stderr.read()) for process in processes]  # type: ignore[union-attr]
    assert outcomes == [(0, b""), (0, b"")]
    catalog = Catalog(open_database(shared_db))
    try:
        stored = catalog.event("ev-1")
        assert (stored.description, stored.tags) == ("agreed", ("Caspian",))
        assert stored.version == 3
        assert sorted(catalog.event_ids()) == ["ev-1", "ev-2", "ev-3"]
        assert sorted(catalog.category_names()) == ["Energy", "Fresh"]
    finally:
        catalog.database.dispose()
