"""The wheel carries what a plain, non-editable install needs: resources and migrations."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_dataset_and_migrations(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("timeline_app-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "timeline_app/resources/data/russia_iran.json",
        "timeline_app/db/env.py",
        "timeline_app/db/versions/0001_initial.py",
        "timeline_app/db/versions/0002_events_start_order.py",
        "timeline_app/db/versions/0003_evidence.py",
        "timeline_app/db/versions/0004_search_location.py",
        "timeline_app/cli.py",
    ):
        assert required in names, required
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert (
        "timeline-app = timeline_app.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    )
