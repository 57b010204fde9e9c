"""the cadence's edges: referral and retry delays, paused reason, requested channel

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("account_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("referral_days", sa.Integer(), nullable=False, server_default="3")
        )
        batch_op.add_column(
            sa.Column("retry_days", sa.Integer(), nullable=False, server_default="2")
        )
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_reason", sa.String(length=500), nullable=True))
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("follow_up_channel", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_column("follow_up_channel")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("paused_reason")
    with op.batch_alter_table("account_settings", schema=None) as batch_op:
        batch_op.drop_column("retry_days")
        batch_op.drop_column("referral_days")
