"""Every fixture, damaged a few hundred times (seeded: a failure names the fixture and the
mutation's number, and is the same on every run): reading it ends in a Document or in one
line of TimelineError, never in a traceback from a library or from our own code."""

from __future__ import annotations

import random
import traceback
from pathlib import Path

import pytest

from timeline_app.domain.errors import TimelineError
from timeline_app.services.interchange import read_file_as

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "formats"
MUTATIONS_PER_FIXTURE = 400
TOKENS = (
    b"<",
    b'"',
    b",",
    b"\t",
    b"\x00",
    b"-0055",
    b"[1990..1994]",
    b"T25:61",
    b"\n",
    b"\r",
    b":",
    b";",
    b"{",
    b"}",
    b"]",
    b"\\",
    b"\xff",
    b"\xd0",
    b"99999999999999999999",
    b"-1",
    b"BEGIN:",
    b"END:",
    b"</",
    b"&#0;",
    b"null",
    b" ",
)
"""What the mutations insert: quotes, separators, NULs, dates the model may not accept yet,
impossible times, and pieces of the formats' own syntax."""


def _fixtures() -> list[Path]:
    return sorted(path for path in FIXTURES.rglob("*") if path.is_file())


def mutate(content: bytes, rng: random.Random) -> bytes:
    """One to four random edits: a flipped byte, a deleted run, an inserted token, a token
    put in place of a run, or a line repeated."""
    data = bytearray(content)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(data) + 1)
        kind = rng.randrange(5)
        if kind == 0 and data:
            at = min(at, len(data) - 1)
            data[at] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del data[at : at + rng.randint(1, 12)]
        elif kind == 2:
            data[at:at] = rng.choice(TOKENS)
        elif kind == 3:
            data[at : at + rng.randint(1, 6)] = rng.choice(TOKENS)
        else:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            data[end:end] = data[start:end]
    return bytes(data)


def test_fixtures_are_there():
    """The fuzzing below is only as wide as the fixtures it starts from."""
    suffixes = {path.parent.name for path in _fixtures()}
    assert {"acled", "gdelt", "ics", "thetimeline", "timelinejs", "vis_timeline"} <= suffixes


@pytest.mark.parametrize("fixture", _fixtures(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_damaged_fixture_ends_in_a_document_or_one_line(tmp_path, fixture):
    original = fixture.read_bytes()
    rng = random.Random(f"{fixture.parent.name}/{fixture.name}")
    crashes: list[str] = []
    for number in range(MUTATIONS_PER_FIXTURE):
        damaged = mutate(original, rng)
        path = tmp_path / fixture.name
        path.write_bytes(damaged)
        try:
            read_file_as(path)
        except TimelineError as error:
            message = str(error)
            if "\n" in message or not message.strip():
                crashes.append(f"#{number}: {type(error).__name__} not one line: {message!r}")
        except Exception as error:  # the crash this test exists to find
            where = traceback.extract_tb(error.__traceback__)[-1]
            crashes.append(
                f"#{number}: {type(error).__name__}: {error} "
                f"({Path(where.filename).name}:{where.lineno})"
            )
    assert not crashes, "\n".join(crashes[:8])
