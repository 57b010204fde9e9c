"""next actions' stored representations are rendered again, now with their links

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The stored bodies lack `links`: readers render a NULL body from the row and its contact
    # (service.services.views), and the next write of the row stores it again.
    op.execute(sa.text("UPDATE next_actions SET body = NULL WHERE body IS NOT NULL"))


def downgrade() -> None:
    # Bodies rendered with links are not the previous release's shape: it renders its own.
    op.execute(sa.text("UPDATE next_actions SET body = NULL WHERE body IS NOT NULL"))
