"""The window opens only what exists: a mistyped --db is refused, never created."""

from __future__ import annotations

from timeline_app.app import run


def test_window_refuses_a_missing_db_and_creates_nothing(tmp_path, messages, capsys):
    target = tmp_path / "typo" / "timeline.sqlite"
    assert run(str(target)) == 2
    line = f"{target} does not exist; create it with 'timeline-app init --db {target}'"
    assert capsys.readouterr().err.strip().splitlines() == [f"timeline-app: error: {line}"]
    assert messages == [("critical", f"timeline_app: Cannot open the database.\n\n{line}")]
    assert list(tmp_path.iterdir()) == []
