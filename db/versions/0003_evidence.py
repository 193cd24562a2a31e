"""The evidence model: graded shared sources, links between events, notes, actor aliases and
the history of every change.

Columns are added in place (no table is rebuilt: rebuilding `sources` on SQLite would
cascade its deletion into the citations); every new column has a default, so rows written
by the previous release read as ungraded (F6), which is what they are.

Revision ID: 0003_evidence
Revises: 0002_events_start_order
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_evidence"
down_revision = "0002_events_start_order"
branch_labels = None
depends_on = None

_CHECKED_COLUMNS = (
    (
        "sources",
        "reliability",
        "VARCHAR(1) NOT NULL DEFAULT 'F'",
        "ck_sources_reliability",
        "reliability IN ('A', 'B', 'C', 'D', 'E', 'F')",
    ),
    (
        "event_sources",
        "credibility",
        "INTEGER NOT NULL DEFAULT '6'",
        "ck_event_sources_credibility",
        "credibility BETWEEN 1 AND 6",
    ),
)


def upgrade() -> None:
    op.add_column(
        "sources", sa.Column("kind", sa.String(24), nullable=False, server_default="other")
    )
    op.add_column(
        "sources", sa.Column("language", sa.String(16), nullable=False, server_default="")
    )
    op.add_column(
        "event_sources", sa.Column("excerpt", sa.Text(), nullable=False, server_default="")
    )
    for table, column, definition, name, check in _CHECKED_COLUMNS:
        # SQLite cannot add a table constraint in place, but takes a column's own CHECK.
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} {definition} "
            f"CONSTRAINT {name} CHECK ({check})"
        )
    op.create_table(
        "actor_aliases",
        sa.Column(
            "actor_id",
            sa.Integer(),
            sa.ForeignKey("actors.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("alias", sa.String(120), primary_key=True),
    )
    op.create_index("ix_actor_aliases_alias", "actor_aliases", ["alias"])
    op.create_table(
        "event_links",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "from_id", sa.String(36), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "to_id", sa.String(36), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.CheckConstraint(
            "kind IN ('led_to', 'responded_to', 'part_of', 'contradicts', 'same_as')",
            name="ck_event_links_kind",
        ),
        sa.CheckConstraint("from_id <> to_id", name="ck_event_links_not_self"),
        sa.UniqueConstraint("from_id", "to_id", "kind", name="uq_event_links_ends_kind"),
    )
    op.create_index("ix_event_links_to_id", "event_links", ["to_id"])
    op.create_table(
        "event_notes",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "event_id",
            sa.String(36),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("author", sa.String(120), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_event_notes_event_id", "event_notes", ["event_id"])
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("author", sa.String(120), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=True),
    )
    op.create_index("ix_history_entity", "history", ["entity", "entity_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_history_entity", table_name="history")
    op.drop_table("history")
    op.drop_index("ix_event_notes_event_id", table_name="event_notes")
    op.drop_table("event_notes")
    op.drop_index("ix_event_links_to_id", table_name="event_links")
    op.drop_table("event_links")
    op.drop_index("ix_actor_aliases_alias", table_name="actor_aliases")
    op.drop_table("actor_aliases")
    with op.batch_alter_table("event_sources") as batch:
        batch.drop_column("credibility")
        batch.drop_column("excerpt")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("reliability")
        batch.drop_column("language")
        batch.drop_column("kind")
