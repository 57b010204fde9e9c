"""mail: the reminders setting, the reminder outbox, logging addresses, logged messages

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

One feature (SPEC section 10), one revision. Expand only: a column with a server default and
three new tables; the previous release runs unchanged against the new schema.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _account_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"],
        ["accounts.id"],
        name=op.f(f"fk_{table}_account_id_accounts"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    with op.batch_alter_table("account_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reminders", sa.String(length=32), server_default="off", nullable=False)
        )
    op.create_table(
        "reminders",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("local_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=True),
        sa.Column("message_id", sa.String(length=250), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("unsubscribe_hash", sa.String(length=64), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sending_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        _account_fk("reminders"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint(
            "account_id", "local_on", name=op.f("uq_reminders_account_id_local_on")
        ),
        sa.UniqueConstraint("unsubscribe_hash", name=op.f("uq_reminders_unsubscribe_hash")),
    )
    op.create_index(
        "ix_reminders_pending",
        "reminders",
        ["next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("state = 'pending'"),
        sqlite_where=sa.text("state = 'pending'"),
    )
    op.create_index(op.f("ix_reminders_created_at"), "reminders", ["created_at"], unique=False)
    op.create_index(op.f("ix_reminders_account_id"), "reminders", ["account_id"], unique=False)
    op.create_table(
        "logging_addresses",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _account_fk("logging_addresses"),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_logging_addresses")),
        sa.UniqueConstraint("token", name=op.f("uq_logging_addresses_token")),
    )
    op.create_table(
        "received_messages",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("message_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        _account_fk("received_messages"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_messages")),
        sa.UniqueConstraint(
            "account_id", "message_key", name=op.f("uq_received_messages_account_id_message_key")
        ),
    )
    op.create_index(
        op.f("ix_received_messages_created_at"), "received_messages", ["created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_received_messages_created_at"), table_name="received_messages")
    op.drop_table("received_messages")
    op.drop_table("logging_addresses")
    op.drop_index(op.f("ix_reminders_account_id"), table_name="reminders")
    op.drop_index(op.f("ix_reminders_created_at"), table_name="reminders")
    op.drop_index("ix_reminders_pending", table_name="reminders")
    op.drop_table("reminders")
    with op.batch_alter_table("account_settings", schema=None) as batch_op:
        batch_op.drop_column("reminders")
