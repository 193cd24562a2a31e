"""Every file of the bad-file corpus: exit 2, one line naming file, row and field; no change."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from timeline_app.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from test_interchange import BAD_FILES


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def settled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("db")
    db = folder / "t.sqlite"
    source = folder / "seed.csv"
    source.write_text("title,start,category\nSeed event,2001-05,C\n", encoding="utf-8")
    assert main(["import", str(source), "--db", str(db)]) == 0
    return db


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_exits_2_with_one_line(settled_db, tmp_path, capsys, name):
    content, words = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    before = digest(settled_db)
    code = main(["import", str(path), "--db", str(settled_db)])
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(f"timeline-app: error: {path}")
    assert words in lines[0]
    assert "Traceback" not in captured.err
    assert digest(settled_db) == before


HOSTILE_FILES = {
    "utf32.json": ('{"format": "timeline-app"}'.encode("utf-32"), "encoding: is UTF-32"),
    "utf16-no-mark.csv": ("title,start,category\n".encode("utf-16-le"), "encoding: is UTF-16"),
    "big-number.json": (
        b'{"format": "timeline-app", "version": 1, "events": [{"importance": '
        + b"7" * 5000
        + b"}]}",
        "json: a whole number of 5,000 digits is longer than any field takes",
    ),
    "surrogate-tag.json": (
        b'{"format": "timeline-app", "version": 1, "tags": ["\\udc80"]}',
        "tags: contains '\\udc80'",
    ),
    "persian-date.csv": ("title,start,category\nx,۱۴۰۲,C\n".encode(), ":2: start: '۱۴۰۲'"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_file_exits_2_with_one_short_line(settled_db, tmp_path, capsys, name):
    """Guards crashes and misnamed encodings: each used to be a traceback or a wrong word."""
    content, words = HOSTILE_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    before = digest(settled_db)
    code = main(["import", str(path), "--db", str(settled_db)])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(f"timeline-app: error: {path}")
    assert words in lines[0] and len(lines[0]) < 200 + len(str(path))
    assert digest(settled_db) == before
