"""Timeline tests run without a display; the builders live in timeline_builders.py."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from timeline_builders import sample

from timeline_app.domain.columns import EventColumns


@pytest.fixture
def sample_columns() -> EventColumns:
    return sample()
