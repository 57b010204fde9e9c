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
    op.create_table(
        "profiles",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("signature", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_profiles_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_profiles")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("greeting_name", sa.String(length=100), nullable=True))
    with op.batch_alter_table("news_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tone", sa.String(length=32), nullable=False, server_default="positive")
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
    op.drop_table("profiles")
