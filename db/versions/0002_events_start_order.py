"""Events indexed in the order the views read them: by start bound, then id.

The window reads every event sorted by (start_lo, id); with the start bound alone indexed,
the database sorted each run of equal starts itself — a third of a second at a million.

Revision ID: 0002_events_start_order
Revises: 0001_initial
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0002_events_start_order"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_start_lo_id", "events", ["start_lo", "id"])
    op.drop_index("ix_events_start_lo", table_name="events")


def downgrade() -> None:
    op.create_index("ix_events_start_lo", "events", ["start_lo"])
    op.drop_index("ix_events_start_lo_id", table_name="events")
