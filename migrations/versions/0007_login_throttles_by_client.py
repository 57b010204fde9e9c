"""login throttles by email and client, with an expiry

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Counts of recent failures only: nothing worth carrying over to the new key.
    op.execute(sa.text("DELETE FROM login_throttles"))
    with op.batch_alter_table("login_throttles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client", sa.String(length=64), nullable=False))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False))
        batch_op.drop_constraint("pk_login_throttles", type_="primary")
        batch_op.create_primary_key("pk_login_throttles", ["email", "client"])
        batch_op.create_index(
            batch_op.f("ix_login_throttles_expires_at"), ["expires_at"], unique=False
        )


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM login_throttles"))
    with op.batch_alter_table("login_throttles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_throttles_expires_at"))
        batch_op.drop_constraint("pk_login_throttles", type_="primary")
        batch_op.create_primary_key("pk_login_throttles", ["email"])
        batch_op.drop_column("expires_at")
        batch_op.drop_column("client")
