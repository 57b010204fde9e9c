"""login throttles by email and client, with an expiry, in a table of their own

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

Expand only: the previous release's replicas keep writing login_throttles (by email alone)
while this one's take over, so that table stays as it is; a later release drops it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_throttles",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("email", "client", name=op.f("pk_client_throttles")),
    )
    op.create_index(
        op.f("ix_client_throttles_expires_at"), "client_throttles", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_client_throttles_expires_at"), table_name="client_throttles")
    op.drop_table("client_throttles")
