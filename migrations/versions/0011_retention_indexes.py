"""indexes on the creation times the retention purge reads

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

Expand only: the previous release runs unchanged against the new schema.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEXES = (("events", "created_at"), ("delivery_attempts", "created_at"))


def upgrade() -> None:
    for table, column in INDEXES:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def downgrade() -> None:
    for table, column in reversed(INDEXES):
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
