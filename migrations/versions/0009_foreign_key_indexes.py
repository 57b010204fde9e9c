"""indexes on the foreign keys that deleting an account or purging events follows

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

Expand only: the previous release runs unchanged against the new schema.
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEXES = (
    ("deliveries", "event_id"),
    ("deliveries", "account_id"),
    ("delivery_attempts", "delivery_id"),
    ("delivery_attempts", "event_id"),
    ("delivery_attempts", "account_id"),
    ("news_items", "account_id"),
)


def upgrade() -> None:
    for table, column in INDEXES:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def downgrade() -> None:
    for table, column in reversed(INDEXES):
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
