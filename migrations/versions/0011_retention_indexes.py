"""indexes on the creation times the retention purge reads

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

Expand only: the previous release runs unchanged against the new schema. On PostgreSQL the
indexes are built CONCURRENTLY, outside a transaction: a plain build would block every insert
into these tables (every webhook event) for as long as it takes, with the previous release's
replicas still serving.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEXES = (("events", "created_at"), ("delivery_attempts", "created_at"))


def upgrade() -> None:
    with op.get_context().autocommit_block():
        for table, column in INDEXES:
            op.create_index(
                op.f(f"ix_{table}_{column}"),
                table,
                [column],
                unique=False,
                postgresql_concurrently=True,
            )


def downgrade() -> None:
    for table, column in reversed(INDEXES):
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
