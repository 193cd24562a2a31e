"""The layer rules of pyproject.toml's import-linter contracts hold, and they catch a break.

domain ← store ← services ← timeline ← ui ← app ← cli: SQL only in the store, no Qt below
the timeline, nothing above the services reaching into the store. Run through import-linter
in a child process, from the folder holding pyproject.toml, so the tree under test is the one
analysed whatever is installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = (
    "import sys\n"
    "from importlinter.cli import lint_imports\n"
    "sys.exit(lint_imports(no_cache=True, no_logo=True))\n"
)


def _lint(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", LINT],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_project(destination: Path) -> Path:
    """The package and its pyproject.toml, to break a rule in without touching the tree."""
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    shutil.copytree(
        ROOT / "timeline_app",
        destination / "timeline_app",
        ignore=shutil.ignore_patterns("__pycache__", "resources", "db"),
    )
    return destination


def test_the_package_keeps_every_layer_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("services/catalog.py", "import sqlalchemy", "Only the store speaks SQL"),
        ("ui/event_table.py", "import timeline_app.store.queries", "Only the services reach"),
        ("store/queries.py", "import PySide6", "Domain, store and services run without Qt"),
        ("timeline/axis.py", "import timeline_app.ui.theme", "Layers"),
    ],
)
def test_a_broken_rule_fails_the_lint(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    project = _copy_project(tmp_path)
    path = project / "timeline_app" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = _lint(project)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken
    assert module.removesuffix(".py").replace("/", ".") in broken
