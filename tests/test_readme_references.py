"""The README names the tests that hold its promises: each named file and test must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_test_the_readme_names_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = re.findall(r"`(tests/[\w/]+\.py)((?:::\w+)?)`", readme)
    assert len(named) >= 15
    following = re.findall(r"`::(\w+)`", readme)  # "`file::a`, `::b`" names b in the same file
    missing = []
    for path, test in named:
        source = ROOT / path
        if not source.exists():
            missing.append(path)
        elif test and f"def {test[2:]}(" not in source.read_text(encoding="utf-8"):
            missing.append(path + test)
    for test in following:
        if not any(
            f"def {test}(" in (ROOT / path).read_text(encoding="utf-8") for path, _ in named
        ):
            missing.append(test)
    assert missing == []
