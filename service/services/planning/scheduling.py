"""The scheduler's database work: stale plans recomputed, passed-due actions turned due."""

from __future__ import annotations

import functools
import uuid
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db.cadence import NextAction
from service.db.models import Contact, Organization
from service.domain.model import OPEN_STATES, ActionState
from service.services.accounts import access
from service.services.outbox import events, payloads
from service.services.planning import action_body, next_actions, plans
from service.services.records import idempotency

T = TypeVar("T")


def recompute_stale(session: Session, *, now: datetime, limit: int) -> int:
    """Recompute open actions planned by older cadence rules (after an upgrade)."""
    stale = session.scalars(
        select(NextAction)
        .where(
            NextAction.state.in_(OPEN_STATES),
            NextAction.plan_version < plans.PLAN_VERSION,
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
    if not actions:
        return 0
    contacts = _by_id(session, Contact, {a.contact_id for a in actions})
    organizations = _by_id(session, Organization, {a.organization_id for a in actions})
    views = payloads.calendar_views(session, {action.account_id for action in actions}, now)
    pending = []
    for action in actions:
        action.state = ActionState.DUE
        action.version += 1
        action.updated_at = now
        action.body = action_body.render(action, contacts[action.contact_id])
        data = functools.partial(
            payloads.followup_data,
            session,
            action,
            contacts[action.contact_id],
            organizations[action.organization_id],
            now=now,
            view=views[action.account_id],
        )
        # One followup.due per action and schedule, whatever the number of replicas.
        key = f"followup.due:{action.id}:{action.sequence}"
        pending.append(events.Pending(action.account_id, "followup.due", data, key))
    events.emit_many(session, pending, now=now)
    return len(actions)


def _by_id(session: Session, model: type[T], ids: set[uuid.UUID]) -> dict[uuid.UUID, T]:
    rows = session.scalars(select(model).where(model.id.in_(ids)))  # type: ignore[attr-defined]
    return {row.id: row for row in rows}  # type: ignore[attr-defined]


def purge(session: Session, *, now: datetime) -> int:
    """Housekeeping: forget expired idempotency records and run-out log-in throttles."""
    return idempotency.purge_expired(session, now=now) + access.purge_throttles(session, now=now)
