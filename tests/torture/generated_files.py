"""Files of generated events, as large as a test needs."""

from __future__ import annotations

from pathlib import Path


def write_events_csv(path: Path, count: int, *, prefix: str) -> Path:
    """A CSV file of `count` new events with actors, tags and a source each."""
    lines = ["id,title,start,end,category,importance,certainty,actors,tags,sources,description"]
    # each file's titles carry numbers of their own: the same title on the same day in two
    # files would be a likely duplicate, which an import skips
    serial = sum(map(ord, prefix)) * 1_000_000
    for number in range(count):
        lines.append(
            f"{prefix}{number:06d},Generated event {serial + number},"
            f"{1990 + number % 35}-{1 + number % 12:02d}-{1 + number % 28:02d},,"
            f"Theme {number % 7},{1 + number % 5},reported,"
            f"Actor {number % 50}; Actor {(number + 1) % 50},tag{number % 20},"
            f"Wire: Story {number % 300} <https://example.org/story/{number % 300}>,"
            f"Event number {number} of a file made to be killed while it goes in."
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
