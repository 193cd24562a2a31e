"""The command line as a user runs it: real processes, real files, one-line errors."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from timeline_app import __version__

MINIMAL = {
    "format": "timeline-app",
    "version": 1,
    "categories": [{"name": "Energy", "colour": "#332288"}],
    "events": [
        {
            "id": "e1",
            "title": "Gas memorandum",
            "start": "2022-07-19",
            "category": "Energy",
            "actors": ["Gazprom", "NIOC"],
            "sources": [
                {"title": "Report", "url": "https://www.reuters.com/", "publisher": "Reuters"}
            ],
        },
        {"id": "e2", "title": "Swap talks", "start": "2023~", "category": "Energy"},
    ],
}


def run(
    *args: str, cwd: Path | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "timeline_app", *args],
        capture_output=True,
        cwd=cwd,
        env=env,
        input=stdin,
        timeout=120,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_version_and_help():
    assert run("--version").stdout.decode().strip() == f"timeline-app {__version__}"
    for command in ([], ["import"], ["export"], ["info"], ["init"]):
        result = run(*command, "--help")
        assert result.returncode == 0 and b"--db" in result.stdout


def test_import_info_export_round_trip(tmp_path):
    db = tmp_path / "t.sqlite"
    source = tmp_path / "x.json"
    source.write_text(json.dumps(MINIMAL), encoding="utf-8")
    result = run("import", str(source), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert b"added 2" in result.stdout
    info = run("--db", str(db), "info").stdout.decode()
    assert "events:     2" in info and "schema:     0004_search_location" in info
    assert "links:      0" in info and "notes:      0" in info
    assert str(db) in info
    out = tmp_path / "y.json"
    assert run("export", str(out), "--db", str(db)).returncode == 0
    again = tmp_path / "again.sqlite"
    assert run("import", str(out), "--db", str(again)).returncode == 0
    out2 = tmp_path / "z.json"
    run("export", str(out2), "--db", str(again))
    assert out.read_text() == out2.read_text()
    assert b"added 0, changed 0, unchanged 2" in run("import", str(out), "--db", str(again)).stdout
    csv_text = run("export", "-", "--format", "csv", "--db", str(db)).stdout.decode()
    assert csv_text.startswith("id,title,start,end,category,")
    assert "Gazprom; NIOC" in csv_text


def test_bad_input_is_one_line_exit_2_database_unchanged(tmp_path):
    db = tmp_path / "t.sqlite"
    good = tmp_path / "x.json"
    good.write_text(json.dumps(MINIMAL), encoding="utf-8")
    run("import", str(good), "--db", str(db))
    run("info", "--db", str(db))  # settle the write-ahead log before hashing
    before = digest(db)
    bad = dict(
        MINIMAL,
        events=[
            *MINIMAL["events"],
            {"id": "e3", "title": "x", "start": "2022-02-30", "category": "Energy"},
        ],
    )
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = run("import", str(path), "--db", str(db))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert lines == [
        f"timeline-app: error: {path}:3: start: '2022-02-30': day 30 does not exist in 2022-02"
    ]
    assert digest(db) == before
    for args, words in [
        (("import", str(tmp_path / "missing.json")), "does not exist"),
        (("import", str(good), "--format", "xml"), "invalid choice"),
        (("export", str(tmp_path / "out.txt")), "cannot tell the format"),
        (("frobnicate",), "invalid choice"),
        (("info", "--db", str(path)), "not an SQLite file"),
        (("export", str(tmp_path / "nope" / "x.json"), "--db", str(db)), "cannot write"),
    ]:
        result = run(*args)
        assert result.returncode == 2, args
        err = result.stderr.decode().strip().splitlines()
        assert len(err) == 1 and err[0].startswith("timeline-app: error:") and words in err[0], err
        assert b"Traceback" not in result.stderr


def test_window_without_a_display_says_so_in_one_line(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-m", "timeline_app", "--db", str(tmp_path / "t.sqlite")],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.decode().strip().splitlines() == [
        "timeline-app: no display available (DISPLAY is not set); run it on a desktop session"
    ]


@pytest.mark.parametrize("platform_display", [":99999"])
def test_unreachable_display_says_so_in_one_line(tmp_path, platform_display):
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["DISPLAY"] = platform_display
    result = subprocess.run(
        [sys.executable, "-m", "timeline_app", "--db", str(tmp_path / "t.sqlite")],
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert result.returncode != 0
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("timeline-app: ")
