"""client_throttles for a database the first version of 0007 migrated

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

0007's first version changed login_throttles in place (a new primary key); it was redone
expand-only, with a table of its own. A database that ran the first version has no
client_throttles: this creates it there, and does nothing anywhere else.

Expand only: the previous release runs unchanged against the new schema.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("client_throttles"):
        return
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
    # Nothing to undo: where this created the table, 0007 (as it is now) owns it.
    pass
