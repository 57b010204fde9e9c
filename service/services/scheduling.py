"""The scheduler's database work: stale plans recomputed, passed-due actions turned due."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.cadence import NextAction
from service.db.models import Organization
from service.domain.model import OPEN_STATES, ActionState
from service.services import events, idempotency, next_actions


def recompute_stale(session: Session, *, now: datetime, limit: int) -> int:
    """Recompute open actions planned by older cadence rules (after an upgrade)."""
    stale = session.scalars(
        select(NextAction)
        .where(
            NextAction.state.in_(OPEN_STATES),
            NextAction.plan_version < next_actions.PLAN_VERSION,
        )
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for action in stale:
        next_actions.refresh(session, session.get_one(Organization, action.organization_id), now)
    return len(stale)


def mark_due(session: Session, *, now: datetime, limit: int) -> int:
    """Turn passed-due scheduled actions into due ones, each with one followup.due event."""
    actions = session.scalars(
        select(NextAction)
        .where(NextAction.state == ActionState.SCHEDULED, NextAction.due_at <= now)
        .order_by(NextAction.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for action in actions:
        action.state = ActionState.DUE
        action.version += 1
        action.updated_at = now
        session.flush()
        events.emit(
            session,
            action.account_id,
            "followup.due",
            events.followup_data(session, action),
            now=now,
            # One followup.due per action and schedule, whatever the number of replicas.
            dedupe_key=f"followup.due:{action.id}:{action.sequence}",
        )
    return len(actions)


def purge(session: Session, *, now: datetime) -> int:
    """Housekeeping: forget expired idempotency records."""
    return idempotency.purge_expired(session, now=now)
