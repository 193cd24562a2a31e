"""Where the shipped resources and migrations are, installed or in a checkout; where data lives.

A wheel carries `resources/` and `db/` inside the package; a checkout keeps them beside it.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "timeline-app"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the app's {name}/ folder is missing from this installation")


def resources_dir() -> Path:
    return _shipped("resources")


def migrations_dir() -> Path:
    return _shipped("db")


def dataset_path() -> Path:
    return resources_dir() / "data" / "russia_iran.json"


def icon_path() -> Path:
    return resources_dir() / "icons" / "timeline-app.svg"


def data_dir() -> Path:
    """The user's data folder; TIMELINE_APP_DATA_DIR overrides it (tests, portable installs)."""
    override = os.environ.get("TIMELINE_APP_DATA_DIR")
    return Path(override) if override else user_data_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    return data_dir() / "timeline.sqlite"
