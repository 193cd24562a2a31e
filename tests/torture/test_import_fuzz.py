"""Importing hostile variations of the app's own exports: refused in one line, or taken losslessly.

Each case mutates the JSON or CSV export of the bundled dataset (in process: its first 50
events) with flipped bytes, a cut, NULs, lone surrogates, 100,000-character texts, 5000-digit
numbers, NaN, deep nesting, wrong types, duplicated ids, a category that is its own parent,
formulas, Persian digits, impossible dates, other encodings…, and imports it into the database
that dataset came from. Whatever the file, the command ends with exit 0, or with exit 2, one
line `timeline-app: error: …` and the database exactly as it was. What an import accepts
survives a JSON round trip.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_process import ERROR_PREFIX, run_cli, run_in_process
from cli_process import error_kind as kind_of
from database_state import RowSnapshot, Seed, database_digest, wipe_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutations import mutate, mutation_plan

FUZZ_SETTINGS = {
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
    "print_blob": True,
}
SCALE = max(int(os.environ.get("TIMELINE_FUZZ_SCALE", "1")), 1)
"""Multiplies the cases below: the suite runs a few dozen, a soak run many more
(TIMELINE_FUZZ_SCALE=20 python -m pytest tests/torture -s)."""
SQLITE_EXAMPLES = 60 * SCALE
POSTGRESQL_EXAMPLES = 25 * SCALE
SUBPROCESS_EXAMPLES = 6 * SCALE
LINE_BEYOND_PATH = 400
"""An error line's length past the file name: a bad value is quoted cut to about 80
characters, so a 100,000-character cell never becomes the message."""

cases = st.sampled_from(["json", "csv"]).flatmap(
    lambda fmt: st.tuples(st.just(fmt), mutation_plan(fmt))
)


class Bench:
    """A database at the seed state and an empty one, each with a way back to its start."""

    def __init__(
        self,
        target: str,
        empty_target: str,
        restore: Callable[[], None],
        restore_empty: Callable[[], None],
    ) -> None:
        self.target = target
        self.empty_target = empty_target
        self.restore = restore
        self.restore_empty = restore_empty
        self.seed_digest = database_digest(target)
        self.dirty = False
        self.outcomes: Counter[str] = Counter()

    def summary(self, title: str) -> str:
        refused = sum(count for kind, count in self.outcomes.items() if kind != "ok")
        total = refused + self.outcomes["ok"]
        kinds = ", ".join(
            f"{kind} {count}" for kind, count in self.outcomes.most_common() if kind != "ok"
        )
        return f"\n{title}: {total} cases, {self.outcomes['ok']} ok, {refused} refused ({kinds})"


def _check_round_trip(bench: Bench, folder: Path) -> None:
    """What the import accepted survives export → import into an empty database → export,
    and importing that export again changes nothing."""
    exported = run_in_process(["--db", bench.target, "export", "-", "--format", "json"])
    exported.assert_ok()
    first = folder / "round-trip.json"
    first.write_text(exported.out, encoding="utf-8")

    before = database_digest(bench.target)
    run_in_process(["--db", bench.target, "import", str(first)]).assert_ok()
    assert database_digest(bench.target) == before, "re-importing its own export changed it"

    run_in_process(["--db", bench.empty_target, "import", str(first)]).assert_ok()
    again = run_in_process(["--db", bench.empty_target, "export", "-", "--format", "json"])
    again.assert_ok()
    assert again.out == exported.out, "export → import → export is not identical"


def _import_case(bench: Bench, seed: Seed, folder: Path, fmt: str, plan: list[tuple]) -> None:
    if bench.dirty:
        bench.restore()
        bench.restore_empty()
    bench.dirty = True
    path = folder / f"mutated.{fmt}"
    path.write_bytes(mutate(seed.text(fmt, sample=True), fmt, plan))
    outcome = run_in_process(["--db", bench.target, "import", str(path)])
    if outcome.code == 0:
        bench.outcomes["ok"] += 1
        _check_round_trip(bench, folder)
        return
    line = outcome.assert_refused()
    bench.outcomes[kind_of(line)] += 1
    assert len(line) <= len(str(path)) + LINE_BEYOND_PATH, f"{len(line)} characters: {line[:300]}"
    assert database_digest(bench.target) == bench.seed_digest, f"changed although refused: {line}"
    bench.dirty = False


def _fuzz(bench: Bench, seed: Seed, folder: Path, examples: int, title: str) -> None:
    @settings(max_examples=examples, **FUZZ_SETTINGS)
    @given(case=cases)
    def import_mutated_export(case: tuple[str, list[tuple]]) -> None:
        _import_case(bench, seed, folder, *case)

    try:
        import_mutated_export()
    finally:
        print(bench.summary(title))


def test_mutated_exports_import_or_are_refused_on_sqlite(seed: Seed, tmp_path: Path) -> None:
    target = tmp_path / "fuzz.sqlite"
    empty = tmp_path / "empty.sqlite"
    seed.copy_to(target)
    seed.copy_to(empty, empty=True)
    bench = Bench(
        str(target),
        str(empty),
        lambda: seed.copy_to(target),
        lambda: seed.copy_to(empty, empty=True),
    )
    _fuzz(bench, seed, tmp_path, SQLITE_EXAMPLES, "import fuzzing, SQLite")


def test_mutated_exports_import_or_are_refused_on_postgresql(
    seed: Seed, pg_schemas: Callable[[], str], tmp_path: Path
) -> None:
    from timeline_app.services.catalog import Catalog
    from timeline_app.services.dataset import load_dataset
    from timeline_app.store.database import open_database

    target, empty = pg_schemas(), pg_schemas()
    database = open_database(target)
    assert load_dataset(Catalog(database)).loaded
    database.dispose()
    open_database(empty).dispose()
    snapshot = RowSnapshot(target)
    bench = Bench(target, empty, snapshot.restore, lambda: wipe_rows(empty))
    _fuzz(bench, seed, tmp_path, POSTGRESQL_EXAMPLES, "import fuzzing, PostgreSQL")


def test_mutated_exports_in_a_real_process(seed: Seed, tmp_path: Path) -> None:
    """The same promise from a real `timeline-app import` process (a few cases: each starts
    Python): exit 0, or exit 2 with one line and the database file's rows unchanged."""
    target = tmp_path / "fuzz.sqlite"
    data_dir = tmp_path / "data"
    outcomes: Counter[str] = Counter()

    @settings(max_examples=SUBPROCESS_EXAMPLES, **FUZZ_SETTINGS)
    @given(case=cases)
    def import_in_a_process(case: tuple[str, list[tuple]]) -> None:
        fmt, plan = case
        seed.copy_to(target)
        path = tmp_path / f"mutated.{fmt}"
        path.write_bytes(mutate(seed.text(fmt), fmt, plan))
        outcome = run_cli(["--db", str(target), "import", str(path)], data_dir)
        assert "Traceback" not in outcome.err, outcome.err[-3000:]
        if outcome.code == 0:
            outcomes["ok"] += 1
            return
        line = outcome.assert_refused()
        outcomes[kind_of(line)] += 1
        assert len(line) <= len(str(path)) + LINE_BEYOND_PATH, f"{len(line)}: {line[:300]}"
        assert database_digest(str(target)) == seed_digest, f"changed although refused: {line}"

    seed_digest = database_digest(str(seed.database))
    try:
        import_in_a_process()
    finally:
        print(f"\nimport fuzzing, real processes: {dict(outcomes)}")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_unmutated_export_imports_unchanged(seed: Seed, tmp_path: Path, fmt: str) -> None:
    """The fuzzer's baseline: the seed export itself imports as 'nothing changed'."""
    target = seed.copy_to(tmp_path / "seed.sqlite")
    path = tmp_path / f"seed.{fmt}"
    path.write_text(seed.text(fmt), encoding="utf-8")
    before = database_digest(str(target))
    outcome = run_in_process(["--db", str(target), "import", str(path)])
    outcome.assert_ok()
    assert not outcome.err.startswith(ERROR_PREFIX)
    assert database_digest(str(target)) == before
