"""next actions carry their rendered representation; an index of each organization's actions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing rows keep NULL: readers render those from their columns (service.services.reads).
    with op.batch_alter_table("next_actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body", sa.Text(), nullable=True))
        batch_op.create_index(
            "ix_next_actions_organization_state",
            ["organization_id", "state"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("next_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_next_actions_organization_state")
        batch_op.drop_column("body")
