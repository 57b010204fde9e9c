"""what to say: the job seeker's profile, greeting names, news tone and freshness

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("profile_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("profile_signature", sa.Text(), nullable=True))
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("greeting_name", sa.String(length=100), nullable=True))
    with op.batch_alter_table("news_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "tone", sa.String(length=32), nullable=False, server_default="positive"
            )
        )
    with op.batch_alter_table("account_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("news_fresh_days", sa.Integer(), nullable=False, server_default="120")
        )


def downgrade() -> None:
    with op.batch_alter_table("account_settings", schema=None) as batch_op:
        batch_op.drop_column("news_fresh_days")
    with op.batch_alter_table("news_items", schema=None) as batch_op:
        batch_op.drop_column("tone")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("greeting_name")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("profile_signature")
        batch_op.drop_column("profile_name")
