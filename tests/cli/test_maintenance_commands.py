"""`backup`, `restore` and `check` as a user runs them, on real files.

Most cases call the command's `main` in this process (a process costs seconds on a busy
machine); a real process is used where its output streams or its exit code matter.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from timeline_app.cli import main
from timeline_app.services.catalog import Catalog
from timeline_app.services.dataset import load_dataset
from timeline_app.store.database import open_database


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run the command in this process; returns what a process would have."""

    def call(*args: str) -> subprocess.CompletedProcess:
        code = main(list(args))
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out, err)

    return call


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "timeline_app", *args],
        capture_output=True,
        env=env,
        timeout=120,
        text=True,
    )


def one_error(result: subprocess.CompletedProcess) -> str:
    """The single error line of a refused command (exit 2, nothing else on stderr)."""
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("timeline-app: error: "), result.stderr
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def events_in(path: Path) -> int:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        connection.close()


@pytest.fixture(scope="module")
def dataset_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the bundled dataset, made once; tests copy it."""
    path = tmp_path_factory.mktemp("dataset") / "timeline.sqlite"
    database = open_database(path)
    try:
        assert load_dataset(Catalog(database)).loaded
    finally:
        database.dispose()
    return path


@pytest.fixture
def dataset_db(dataset_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "timeline.sqlite"
    shutil.copyfile(dataset_file, path)
    return path


def test_check_finds_damage_and_repair_undoes_it(dataset_db, cli):
    connection = sqlite3.connect(dataset_db)
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute("DELETE FROM events_fts WHERE rowid = 1")
    connection.execute("UPDATE events SET start_lo = 0 WHERE rowid = 2")
    connection.execute("INSERT INTO event_actors VALUES ('no-such-event', 1, 0)")
    connection.execute("UPDATE categories SET parent_id = 4242 WHERE id = 1")
    connection.commit()
    connection.close()

    found = run("check", "--db", str(dataset_db))
    assert found.returncode == 1, found.stderr
    assert found.stdout.splitlines() == [
        "database file: ok",
        found.stdout.splitlines()[1],
        "links: event_actors rows pointing to a missing event or actor: 1 (e.g. no-such-event→1)",
        "categories: categories whose parent is missing (category ids): 1 (e.g. 1)",
        found.stdout.splitlines()[4],
        "history: ok",
    ]
    assert found.stdout.splitlines()[1].startswith(
        "full-text index: events missing from the full-text index: 1 (e.g. "
    )
    assert found.stdout.splitlines()[4].startswith(
        "date bounds: events whose date bounds differ from their dates: 1 (e.g. "
    )

    repaired = cli("check", "--repair", "--db", str(dataset_db))
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert repaired.stdout.splitlines()[0] == (
        "repaired: full-text index rebuilt (220 events), 1 date bounds, "
        "1 orphaned links deleted, 1 dangling parents cleared"
    )
    assert cli("check", "--db", str(dataset_db)).stdout.splitlines() == [
        "database file: ok",
        "full-text index: ok",
        "links: ok",
        "categories: ok",
        "date bounds: ok",
        "history: ok",
    ]


def test_check_of_an_overwritten_file_reports_the_damage_in_one_line(dataset_db, cli):
    pages = dataset_db.stat().st_size // 4096
    with dataset_db.open("r+b") as handle:
        handle.seek(pages // 2 * 4096)
        handle.write(b"\xa5" * 4096 * 4)
    result = cli("check", "--repair", "--db", str(dataset_db))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "not repaired: the database file is damaged; restore a backup"
    assert lines[1].startswith("database file: damage found by SQLite's integrity check")
    assert all(line.endswith("not checked (the database file is damaged)") for line in lines[2:])


def test_check_of_a_file_too_damaged_to_open_is_one_error(dataset_db, cli):
    with dataset_db.open("r+b") as handle:
        handle.seek(100)  # past the header: the table of tables on the first page
        handle.write(b"\xa5" * 3996)
    assert "is a damaged SQLite file" in one_error(cli("check", "--db", str(dataset_db)))


def test_check_of_a_missing_database_is_one_error(tmp_path, cli):
    assert "does not exist" in one_error(cli("check", "--db", str(tmp_path / "none.sqlite")))
    assert not (tmp_path / "none.sqlite").exists()


def test_backup_writes_a_copy_and_refuses_bad_destinations(dataset_db, tmp_path, cli):
    out = tmp_path / "copy.sqlite"
    result = cli("backup", "--db", str(dataset_db), str(out))
    assert result.returncode == 0, result.stderr
    assert events_in(out) == 220
    assert not list(tmp_path.glob(".*partial"))

    before = digest(out)
    assert "exists; give --force" in one_error(cli("backup", "--db", str(dataset_db), str(out)))
    assert digest(out) == before
    assert cli("backup", "--db", str(dataset_db), str(out), "--force").returncode == 0

    missing = tmp_path / "missing" / "copy.sqlite"
    assert "does not exist" in one_error(cli("backup", "--db", str(dataset_db), str(missing)))
    assert "is a folder" in one_error(cli("backup", "--db", str(dataset_db), str(tmp_path)))
    assert "the database itself" in one_error(
        cli("backup", "--db", str(dataset_db), str(dataset_db), "--force")
    )


def test_restore_puts_a_backup_back_and_keeps_the_replaced_database(dataset_db, tmp_path, cli):
    copy = tmp_path / "copy.sqlite"
    assert cli("backup", "--db", str(dataset_db), str(copy)).returncode == 0
    connection = sqlite3.connect(dataset_db)
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute("DELETE FROM events WHERE rowid <= 20")
    connection.commit()
    connection.close()

    refused = one_error(cli("restore", "--db", str(dataset_db), str(copy)))
    assert "holds 200 events; give --force" in refused
    result = cli("restore", "--db", str(dataset_db), str(copy), "--force")
    assert result.returncode == 0, result.stderr
    assert events_in(dataset_db) == 220
    kept = list((tmp_path / "backups").glob("timeline.sqlite.before-restore-*.sqlite"))
    assert len(kept) == 1 and events_in(kept[0]) == 200
    assert str(kept[0]) in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".", "timeline"))) == [
        "timeline.sqlite"
    ], "no staged copy and no -wal/-shm of the replaced file are left behind"
    assert cli("check", "--db", str(dataset_db)).returncode == 0


def test_restore_refuses_what_is_not_a_timeline_backup(dataset_db, tmp_path, cli):
    before = digest(dataset_db)
    notes = tmp_path / "notes.sqlite"
    notes.write_text("shopping list\n")
    assert "not an SQLite file" in one_error(
        cli("restore", "--db", str(dataset_db), str(notes), "--force")
    )
    newer = tmp_path / "newer.sqlite"
    shutil.copyfile(dataset_db, newer)
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE alembic_version SET version_num = '0099_future'")
    connection.commit()
    connection.close()
    assert "newer version of timeline-app" in one_error(
        cli("restore", "--db", str(dataset_db), str(newer), "--force")
    )
    assert "does not exist" in one_error(
        cli("restore", "--db", str(dataset_db), str(tmp_path / "gone.sqlite"))
    )
    damaged = tmp_path / "damaged.sqlite"
    shutil.copyfile(dataset_db, damaged)
    with damaged.open("r+b") as handle:
        handle.seek(damaged.stat().st_size // 2 // 4096 * 4096)
        handle.write(b"\xa5" * 4096 * 4)
    assert "damaged.sqlite is a damaged SQLite file" in one_error(
        cli("restore", "--db", str(dataset_db), str(damaged), "--force")
    )
    assert not list(tmp_path.glob(".timeline.sqlite.*"))
    assert digest(dataset_db) == before
    assert not (tmp_path / "backups").exists()


HOLD_WRITE_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE meta SET value = value")
print("holding", flush=True)
time.sleep(60)
"""
HOLD_OPEN_IDLE = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1])
connection.execute("PRAGMA journal_mode = WAL")
connection.execute("SELECT count(*) FROM events").fetchall()
print("holding", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize(
    "holder_script", [HOLD_WRITE_LOCK, HOLD_OPEN_IDLE], ids=["writing", "idle"]
)
def test_restore_refuses_a_database_another_process_has_open(
    dataset_db, tmp_path, cli, holder_script
):
    """A window keeps its database open between edits; replacing the file under it would
    leave it writing to a deleted file, so an idle open connection is refused as well."""
    copy = tmp_path / "copy.sqlite"
    assert cli("backup", "--db", str(dataset_db), str(copy)).returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", holder_script, str(dataset_db)], stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"holding\n"
        refused = one_error(cli("restore", "--db", str(dataset_db), str(copy), "--force"))
    finally:
        holder.kill()
        holder.wait()
    assert "in use by another program" in refused and "nothing was restored" in refused
    assert not list(tmp_path.glob(".timeline.sqlite.*"))


def test_restore_over_a_file_that_is_no_database_needs_force_and_keeps_it(
    dataset_db, tmp_path, cli
):
    target = tmp_path / "notes.sqlite"
    target.write_text("shopping list\n")
    refused = one_error(cli("restore", "--db", str(target), str(dataset_db)))
    assert "not an SQLite file" in refused and "give --force" in refused
    assert cli("restore", "--db", str(target), str(dataset_db), "--force").returncode == 0
    assert events_in(target) == 220
    (kept,) = (tmp_path / "backups").glob("notes.sqlite.before-restore-*.sqlite")
    assert kept.read_text() == "shopping list\n"


def test_failed_daily_backup_warns_once_and_the_command_goes_on(dataset_db, tmp_path):
    (tmp_path / "backups").write_text("a file where the folder should be\n")
    nothing_new = tmp_path / "nothing-new.json"
    nothing_new.write_text('{"format": "timeline-app", "version": 1}\n')
    result = run("import", "--db", str(dataset_db), str(nothing_new))
    assert result.returncode == 0
    assert "added 0" in result.stdout
    warnings = result.stderr.splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("timeline-app: warning: no daily backup")


def test_reading_commands_make_no_daily_copy(dataset_db, tmp_path):
    """A command that only reads writes nothing beside the database either."""
    for folder in tmp_path.glob("backups"):
        shutil.rmtree(folder)
    assert run("info", "--db", str(dataset_db)).returncode == 0
    assert run("export", "--db", str(dataset_db), str(tmp_path / "out.json")).returncode == 0
    assert not (tmp_path / "backups").exists()


def test_server_database_is_backed_up_as_json_and_restored_into_an_empty_one(
    dataset_db, tmp_path, pg_target, cli
):
    source = dataset_db
    assert cli("export", "--db", str(source), str(tmp_path / "dataset.json")).returncode == 0
    result = cli("restore", "--db", pg_target, str(tmp_path / "dataset.json"))
    assert result.returncode == 0, result.stderr
    assert "added 220" in result.stdout

    out = tmp_path / "server.json"
    assert cli("backup", "--db", pg_target, str(out)).returncode == 0
    assert len(json.loads(out.read_text())["events"]) == 220
    assert "as JSON" in one_error(cli("backup", "--db", pg_target, str(tmp_path / "x.sqlite")))
    assert "holds 220 events" in one_error(cli("restore", "--db", pg_target, str(out)))
    assert "is a SQLite copy" in one_error(cli("restore", "--db", pg_target, str(source)))
    checked = cli("check", "--db", pg_target)
    assert checked.returncode == 0 and "full-text index: n/a" in checked.stdout
