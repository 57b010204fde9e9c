"""account settings and next actions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_settings",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("preferred_hour", sa.Integer(), nullable=False),
        sa.Column("initial_delay_days", sa.Integer(), nullable=False),
        sa.Column("warm_touches", sa.Integer(), nullable=False),
        sa.Column("warm_days", sa.Integer(), nullable=False),
        sa.Column("warm_window_days", sa.Integer(), nullable=False),
        sa.Column("maintenance_days", sa.Integer(), nullable=False),
        sa.Column("maintenance_window_days", sa.Integer(), nullable=False),
        sa.Column("opening_days", sa.Integer(), nullable=False),
        sa.Column("min_gap_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_settings_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_settings")),
    )
    op.create_table(
        "next_actions",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("phase", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("hints", sa.JSON(), nullable=False),
        sa.Column("script", sa.JSON(), nullable=False),
        sa.Column("news_id", sa.Uuid(), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("plan_version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_next_actions_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_next_actions_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_next_actions_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_next_actions")),
    )
    with op.batch_alter_table("next_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_next_actions_account_id"), ["account_id", "due_at", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_next_actions_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index("ix_next_actions_state_due_at", ["state", "due_at"], unique=False)
        batch_op.create_index(
            "ix_next_actions_state_plan_version", ["state", "plan_version"], unique=False
        )
        batch_op.create_index(
            "uq_next_actions_open_per_organization",
            ["organization_id"],
            unique=True,
            postgresql_where=sa.text("state IN ('scheduled', 'due')"),
            sqlite_where=sa.text("state IN ('scheduled', 'due')"),
        )


def downgrade() -> None:
    with op.batch_alter_table("next_actions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_next_actions_open_per_organization",
            postgresql_where=sa.text("state IN ('scheduled', 'due')"),
            sqlite_where=sa.text("state IN ('scheduled', 'due')"),
        )
        batch_op.drop_index("ix_next_actions_state_plan_version")
        batch_op.drop_index("ix_next_actions_state_due_at")
        batch_op.drop_index(batch_op.f("ix_next_actions_contact_id"))
        batch_op.drop_index(batch_op.f("ix_next_actions_account_id"))

    op.drop_table("next_actions")
    op.drop_table("account_settings")
