"""what to say, second pass: what was talked about, the callback number, a news item's summary

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

Expand only: nullable columns the previous release neither reads nor writes.
organizations.talked_about (what the interviews were about, for the scripts' substance),
profiles.phone and profiles.email (the callback number voicemails leave, the address email
scripts can carry), news_items.summary (the user's own words for a news item, said instead of
a difficult headline).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("talked_about", sa.String(length=200), nullable=True))
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))
    with op.batch_alter_table("news_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("news_items", schema=None) as batch_op:
        batch_op.drop_column("summary")
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.drop_column("email")
        batch_op.drop_column("phone")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("talked_about")
