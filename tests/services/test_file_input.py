"""Files that could hang an import, exhaust memory or slip bad text past the rules, and export
targets that must not be replaced: each is refused with one clear message, nothing written."""

from __future__ import annotations

import errno
import io
import json
import os
import socket
import sys
from pathlib import Path

import pytest

from timeline_app.domain.errors import ImportFileError, TimelineError
from timeline_app.services.interchange import (
    export_file,
    export_text,
    import_file,
    read_file,
    text_file,
)

EVENT = {"id": "e1", "title": "Gas memorandum", "start": "2022-07-19", "category": "Energy"}


def timeline_json(**changes: object) -> dict:
    return {
        "format": "timeline-app",
        "version": 1,
        "categories": [{"name": "Energy"}],
        "events": [dict(EVENT)],
        **changes,
    }


def write_json(path: Path, data: dict) -> Path:
    """JSON as another program may write it: `ensure_ascii` turns a lone surrogate or a NUL
    into the escapes `\\ud800` and `\\u0000`."""
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")
    return path


# --- what is read -------------------------------------------------------------------------


def test_a_folder_is_named_as_a_folder_even_with_a_json_name(tmp_path):
    folder = tmp_path / "events.json"
    folder.mkdir()
    with pytest.raises(ImportFileError, match=r"events\.json: file: is a folder"):
        read_file(folder)
    plain = tmp_path / "exports"
    plain.mkdir()
    with pytest.raises(ImportFileError, match="exports: file: is a folder"):
        read_file(plain)


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    """Opening a FIFO for reading blocks until a writer comes: the type is checked first.
    (The old code hung here; tests/cli/test_hostile_input.py guards it with a timeout.)"""
    pipe = tmp_path / "events.json"
    os.mkfifo(pipe)
    with pytest.raises(ImportFileError, match=r"is a named pipe \(FIFO\)"):
        read_file(pipe)


def test_a_socket_and_a_device_are_refused_by_type(tmp_path):
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "s.json"))
        with pytest.raises(ImportFileError, match="is a socket"):
            read_file(tmp_path / "s.json")
    with pytest.raises(ImportFileError, match="/dev/null: file: is a device"):
        read_file("/dev/null", "json")


def test_a_file_past_the_size_limit_is_refused_by_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr(text_file, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.csv"
    rows = b"".join(b"e%03d,2001,C\n" % number for number in range(200))
    path.write_bytes(b"title,start,category\n" + rows)
    with pytest.raises(ImportFileError) as caught:
        read_file(path)
    assert str(caught.value) == (
        f"{path}: file: is larger than 1000 bytes; split it into smaller files"
    )
    path.write_bytes(b"title,start,category\n" + rows[: 12 * 80])  # 981 bytes
    assert len(read_file(path).events) == 80


def test_a_file_growing_past_the_limit_while_read_is_stopped(tmp_path, monkeypatch):
    """The size from `stat` can be 0 (files in /proc) or grow during the read: the limit is
    enforced on what is actually read, chunk by chunk."""
    monkeypatch.setattr(text_file, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(text_file, "CHUNK_BYTES", 256)
    stream = io.BytesIO(b"x" * 5000)
    with pytest.raises(ImportFileError, match="is larger than 1000 bytes"):
        text_file._read_stream("grow.csv", stream)
    assert stream.tell() <= 1000 + 256, "reading stopped within a chunk of the limit"


def test_standard_input_is_read_within_the_size_limit(monkeypatch):
    monkeypatch.setattr(text_file, "MAX_FILE_BYTES", 1000)
    endless = io.BufferedReader(io.BytesIO(b"[" * 100_000))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(endless))
    with pytest.raises(ImportFileError, match=r"^-: file: is larger than 1000 bytes"):
        read_file("-")


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("utf32-le-bom", '{"format": "x"}'.encode("utf-32"), "is UTF-32"),
        ("utf32-be-bom", b"\x00\x00\xfe\xff\x00\x00\x00{", "is UTF-32"),
        ("utf32-le", '{"format": "timeline-app"}'.encode("utf-32-le"), "is UTF-32"),
        ("utf32-be", '{"format": "timeline-app"}'.encode("utf-32-be"), "is UTF-32"),
        ("utf16-le-bom", '{"format": "x"}'.encode("utf-16"), "is UTF-16"),
        ("utf16-le", '{"format": "timeline-app"}\n'.encode("utf-16-le"), "is UTF-16"),
        ("utf16-be", '{"format": "timeline-app"}\n'.encode("utf-16-be"), "is UTF-16"),
        ("zeros", b"\x00" * 64, "contains a NUL character"),
        ("binary", bytes(range(256)) * 4, "contains a NUL character"),
    ],
)
def test_encodings_are_named_for_what_they_are(tmp_path, name, content, words):
    path = tmp_path / f"{name}.json"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        read_file(path)
    assert words in str(caught.value)


def test_utf8_with_a_byte_order_mark_and_only_whitespace_is_empty(tmp_path):
    path = tmp_path / "blank.json"
    path.write_bytes(b"\xef\xbb\xbf  \n\t\n")
    with pytest.raises(ImportFileError, match=r"blank\.json: file: is empty"):
        read_file(path)


def test_a_json_number_of_thousands_of_digits_is_one_clear_error(tmp_path):
    """Guards a crash: Python's JSON parser raises a bare ValueError past 4,300 digits."""
    path = tmp_path / "digits.json"
    event = json.dumps(EVENT)[:-1] + ', "importance": ' + "9" * 5000 + "}"
    path.write_text(
        '{"format": "timeline-app", "version": 1, "events": [' + event + "]}", encoding="utf-8"
    )
    with pytest.raises(ImportFileError) as caught:
        read_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:1: json: a whole number of 5,000 digits is longer")
    assert "set_int_max_str_digits" not in message and len(message) < 200 + len(str(path))


# --- what the text holds --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"events": [dict(EVENT, title="Gas \ud800 memorandum")]}, ":1: title: contains '\\ud800'"),
        ({"events": [dict(EVENT, title="Gas\x00memorandum")]}, ":1: title: contains a NUL"),
        ({"events": [dict(EVENT, description="\udfff")]}, ":1: description: contains"),
        ({"events": [dict(EVENT, start="2022\ud800")]}, ":1: start: '2022\\ud800' is not a date"),
        ({"events": [dict(EVENT, start="2022-07\x00")]}, ":1: start: '2022-07\\x00' is not"),
        ({"events": [dict(EVENT, actors=["Iran", "Rus\ud83dsia"])]}, ":1: actors: contains"),
        ({"events": [dict(EVENT, tags=["gas\x00"])]}, ":1: tags: contains a NUL"),
        ({"events": [dict(EVENT, id="e\ud800")]}, ":1: id: 'e\\ud800' contains"),
        (
            {
                "events": [
                    dict(EVENT, sources=[{"title": "R\ud800", "url": "https://example.org/"}])
                ]
            },
            ":1: sources[0].title: contains",
        ),
        ({"categories": [{"name": "Energy"}, {"name": "Nu\x00clear"}]}, ":2: categories.name"),
        (
            {"categories": [{"name": "Energy", "description": "\ud800"}]},
            ":1: categories.description",
        ),
        (
            {"actors": [{"name": "Iran", "kind": "st\ud800ate"}]},
            ":1: actors.kind: contains '\\ud800'",
        ),
        ({"actors": ["Ir\x00an"]}, ":1: actors.name: contains a NUL"),
        ({"tags": ["ok", "\ud800"]}, ":2: tags: contains '\\ud800'"),
        ({"eras": [{"name": "Era\ud800", "start": "2001", "colour": "#112233"}]}, ":1: eras.name"),
        ({"eras": [{"name": "Era", "start": "2001", "colour": "#1\x0012233"}]}, ":1: eras.colour"),
        ({"title": "A \x00 title"}, ": title: contains a NUL"),
    ],
)
def test_nul_and_lone_surrogates_are_refused_before_any_sql(catalog, tmp_path, changes, where):
    """A surrogate used to reach the driver (UnicodeEncodeError: a traceback, or a `database:`
    line naming no field); a NUL was stored by SQLite and refused raw by PostgreSQL."""
    before = export_text(catalog, "json")
    path = write_json(tmp_path / "hostile.json", timeline_json(**changes))
    with pytest.raises(ImportFileError) as caught:
        import_file(catalog, path)
    message = str(caught.value)
    assert message.startswith(str(path)) and where in message, message
    assert "database" not in message and "codec" not in message
    assert export_text(catalog, "json") == before


def test_surrogate_pairs_written_as_escapes_are_ordinary_text(catalog, tmp_path):
    """Only a lone half is refused: a pair is one character (here an emoji)."""
    path = write_json(
        tmp_path / "emoji.json", timeline_json(events=[dict(EVENT, title="Gas deal \U0001f91d")])
    )
    import_file(catalog, path)
    assert catalog.events()[0].title == "Gas deal \U0001f91d"


def test_non_ascii_digits_are_not_a_date_in_a_file(catalog, tmp_path):
    path = write_json(
        tmp_path / "digits.json", timeline_json(events=[dict(EVENT, start="٢٠٢٢-٠٣")])
    )
    with pytest.raises(ImportFileError, match=r":1: start: '٢٠٢٢-٠٣' is not a date: '٢'"):
        import_file(catalog, path)
    assert catalog.count_events() == 0


def test_a_huge_bad_date_is_quoted_short(tmp_path):
    path = write_json(
        tmp_path / "long.json", timeline_json(events=[dict(EVENT, start="9" * 100_000)])
    )
    with pytest.raises(ImportFileError) as caught:
        read_file(path)
    assert len(str(caught.value)) < 200 + len(str(path))
    assert ":1: start: '99999" in str(caught.value)


# --- where an export goes ------------------------------------------------------------------


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    """A folder of its own for export targets (the SQLite database lives in tmp_path)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def test_export_replaces_a_regular_file_keeping_its_permissions(catalog, exports):
    target = exports / "out.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    assert export_file(catalog, target) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "timeline-app"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in exports.iterdir()] == ["out.json"], "no temporary file is left"


def test_export_never_replaces_a_link_a_pipe_a_device_or_a_folder(catalog, exports):
    real = exports / "real.json"
    real.write_text("keep me", encoding="utf-8")
    link = exports / "link.json"
    link.symlink_to(real)
    pipe = exports / "pipe.json"
    os.mkfifo(pipe)
    folder = exports / "folder.json"
    folder.mkdir()
    cases = [
        (link, "is a symbolic link; not replaced"),
        (pipe, r"is a named pipe \(FIFO\); not replaced"),
        (folder, "is a folder; not replaced"),
        (Path("/dev/null"), "is a device; not replaced"),
    ]
    for target, words in cases:
        with pytest.raises(TimelineError, match=f"^{target}: {words}$"):
            export_file(catalog, target, "json")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in exports.iterdir()) == sorted(
        ["real.json", "link.json", "pipe.json", "folder.json"]
    )


def test_export_to_a_full_disk_says_so_and_leaves_no_partial_file(catalog, exports, monkeypatch):
    real_write = os.write

    def disk_fills_up(descriptor: int, data: bytes) -> int:
        if len(data) > 10:
            real_write(descriptor, bytes(data[:10]))
            return 10
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", disk_fills_up)
    target = exports / "out.json"
    target.write_text("previous export", encoding="utf-8")
    with pytest.raises(TimelineError) as caught:
        export_file(catalog, target)
    assert str(caught.value) == f"{target}: cannot write: no space left on device"
    assert target.read_text(encoding="utf-8") == "previous export"
    assert [p.name for p in exports.iterdir()] == ["out.json"]
