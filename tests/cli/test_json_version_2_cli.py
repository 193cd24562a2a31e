"""The command line with format version 2: a file's links, notes, aliases and history go in
and come out again unchanged; a hostile one is one line, exit 2, nothing written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FILE = {
    "format": "timeline-app",
    "version": 2,
    "title": "Gas",
    "categories": [{"name": "Energy", "colour": "#332288"}],
    "actors": [{"name": "Iran", "kind": "state", "aliases": ["Иран", "ایران"]}],
    "sources": [
        {
            "id": "s1",
            "title": "Report",
            "publisher": "Reuters",
            "url": "https://www.reuters.com/",
            "kind": "wire",
            "language": "en",
            "reliability": "B",
        }
    ],
    "events": [
        {
            "id": "e1",
            "title": "Gas memorandum",
            "start": "2022-07-19",
            "category": "Energy",
            "actors": ["Iran"],
            "sources": [
                {
                    "id": "s1",
                    "title": "Report",
                    "publisher": "Reuters",
                    "url": "https://www.reuters.com/",
                    "kind": "wire",
                    "language": "en",
                    "reliability": "B",
                    "credibility": 2,
                    "excerpt": "signed",
                }
            ],
            "notes": [
                {
                    "id": "n1",
                    "author": "analyst",
                    "created_at": "2026-11-01T10:00:00+00:00",
                    "text": "Check the volume",
                }
            ],
        },
        {"id": "e2", "title": "Swap talks", "start": "2023~", "category": "Energy"},
    ],
    "links": [
        {
            "id": "l1",
            "from": "e1",
            "to": "e2",
            "kind": "led_to",
            "note": "talks",
            "created_at": "2026-11-01T10:00:00+00:00",
        }
    ],
}


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "timeline_app", *args], capture_output=True, env=env, timeout=120
    )


def test_version_2_goes_in_and_comes_out_unchanged(tmp_path: Path):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(FILE, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "t.sqlite"
    dry = run("import", str(source), "--db", str(db), "--dry-run")
    assert b"would add 2, change 0, leave 0 unchanged, add 1 link, add 1 note" in dry.stdout
    imported = run("import", str(source), "--db", str(db))
    assert imported.returncode == 0
    assert imported.stdout.decode().endswith(
        "added 2, changed 0, unchanged 0 events, added 1 link, added 1 note\n"
    ), imported.stdout
    out = tmp_path / "out.json"
    assert run("export", str(out), "--db", str(db)).returncode == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["version"] == 2 and written["links"][0]["note"] == "talks"
    assert written["actors"][0]["aliases"] == ["Иран", "ایران"]
    assert written["events"][0]["sources"][0]["credibility"] == 2
    assert [(entry["entity"], entry["entity_id"]) for entry in written["history"]] == [
        ("event", "e1"),
        ("event", "e2"),
        ("link", "l1"),
        ("note", "n1"),
    ]
    assert {entry["action"] for entry in written["history"]} == {"create"}
    again = tmp_path / "again.sqlite"
    assert run("import", str(out), "--db", str(again)).returncode == 0
    out2 = tmp_path / "out2.json"
    assert run("export", str(out2), "--db", str(again)).returncode == 0
    assert out2.read_bytes() == out.read_bytes()


def test_a_link_of_an_unknown_kind_is_one_line_exit_2_and_nothing_written(tmp_path: Path):
    hostile = {**FILE, "links": [{**FILE["links"][0], "kind": "caused"}]}
    source = tmp_path / "in.json"
    source.write_text(json.dumps(hostile), encoding="utf-8")
    db = tmp_path / "t.sqlite"
    result = run("import", str(source), "--db", str(db))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert lines == [
        f"timeline-app: error: {source}: links[0].kind: 'caused' is not one of led_to, "
        "responded_to, part_of, contradicts, same_as"
    ]
    assert not db.exists() or b"events:     0" in run("--db", str(db), "info").stdout
