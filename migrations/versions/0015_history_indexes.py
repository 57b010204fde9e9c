"""indexes the planner reads an organization's history along, newest first

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

The planner reads, per person, the latest attempt, touch, unanswered call, request to stop
and scripts, per news item its latest touch, and the latest referral and outbound touches
(services/planning/history.py): each along one of these indexes, so a write costs the same whatever
the length of the history. Five are partial, on the few rows a read looks for; their
conditions are the literal SQL of service/db/models.py, which the queries repeat.

Expand only: the previous release runs unchanged against the new schema. On PostgreSQL the
indexes are built CONCURRENTLY, outside a transaction: a plain build would block every
logged attempt for as long as it takes, with the previous release's replicas still serving.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_TOUCH = "NOT (channel = 'call' AND coalesce(outcome, '') = 'no_answer')"
# name, leading column, condition (None: every attempt)
INDEXES = (
    ("ix_attempts_contact_history", "contact_id", None),
    (
        "ix_attempts_contact_marks",
        "contact_id",
        "outcome = 'no_answer' OR outcome = 'asked_to_stop'",
    ),
    ("ix_attempts_scripted", "contact_id", "script_variant IS NOT NULL"),
    ("ix_attempts_news", "news_id", "news_id IS NOT NULL"),
    ("ix_attempts_outbound_touches", "organization_id", f"direction = 'outbound' AND {_TOUCH}"),
    (
        "ix_attempts_referrals",
        "organization_id",
        "outcome = 'referred' AND referred_to_contact_id IS NOT NULL",
    ),
)


def upgrade() -> None:
    # Built CONCURRENTLY outside a transaction on PostgreSQL: a deploy stopped halfway leaves
    # the indexes built so far (and an INVALID one), so each is made only if missing and a
    # broken one is built again: running the migration again finishes it.
    with op.get_context().autocommit_block():
        for name, leading, where in INDEXES:
            _drop_if_invalid(name)
            condition = (
                {}
                if where is None
                else {
                    "sqlite_where": sa.text(where),
                    "postgresql_where": sa.text(where),
                }
            )
            op.create_index(
                name,
                "attempts",
                [leading, "occurred_at", "id"],
                unique=False,
                if_not_exists=True,
                postgresql_concurrently=True,
                **condition,
            )


def _drop_if_invalid(name: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    invalid = bind.execute(
        sa.text(
            "SELECT 1 FROM pg_index JOIN pg_class ON pg_class.oid = pg_index.indexrelid "
            "WHERE pg_class.relname = :name AND NOT pg_index.indisvalid"
        ),
        {"name": name},
    ).first()
    if invalid is not None:
        op.drop_index(name, table_name="attempts", postgresql_concurrently=True)


def downgrade() -> None:
    for name, _, _ in reversed(INDEXES):
        op.drop_index(name, table_name="attempts")
