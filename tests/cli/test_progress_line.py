"""`import` and `export` show how far they got on standard error, only on a terminal."""

from __future__ import annotations

import io
import sys

import pytest

from timeline_app.cli import main

ROWS = 2_500


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def write_csv(path):
    lines = ["id,title,start,category"] + [
        f"e{index},Event {index},{1990 + index % 30},Energy" for index in range(ROWS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_terminal_sees_a_progress_line_that_is_wiped_at_the_end(tmp_path, monkeypatch, capsys):
    database = str(tmp_path / "t.sqlite")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["--db", database, "import", str(write_csv(tmp_path / "events.csv"))]) == 0
    assert main(["--db", database, "export", str(tmp_path / "out.json")]) == 0
    shown = terminal.getvalue()
    assert "events.csv: reading" in shown and "events.csv: writing 100%" in shown
    assert "out.json: writing 100%" in shown
    assert shown.endswith("\r\x1b[K")  # wiped: the next output starts on a clean line
    printed = capsys.readouterr().out
    assert printed == (
        f"{tmp_path / 'events.csv'}: added {ROWS}, changed 0, unchanged 0 events\n"
        f"{tmp_path / 'out.json'}: wrote {ROWS} events\n"
    )


@pytest.mark.parametrize("command", ["import", "export"])
def test_no_progress_line_when_standard_error_is_not_a_terminal(tmp_path, capsys, command):
    database = str(tmp_path / "t.sqlite")
    path = write_csv(tmp_path / "events.csv")
    if command == "export":
        assert main(["--db", database, "import", str(path)]) == 0
        capsys.readouterr()
        path = tmp_path / "out.csv"
    assert main(["--db", database, command, str(path)]) == 0
    assert capsys.readouterr().err == ""
