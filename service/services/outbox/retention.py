"""Retention: forget delivered events and logged delivery attempts once they are old."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, exists, or_, select
from sqlalchemy.orm import Session

from service.db.outbox import Delivery, DeliveryAttempt, DeliveryState, Event

RETENTION = timedelta(days=90)


@dataclass(frozen=True)
class Purged:
    events: int
    attempts: int
    more: bool  # a batch was full: there may be more to purge


def _still_needed(before: datetime) -> ColumnElement[bool]:
    # An event is kept while one of its deliveries is pending, or was queued within the
    # retention (a redelivery keeps the event, and the log of what it did, for as long).
    return exists().where(
        Delivery.event_id == Event.id,
        or_(Delivery.state == DeliveryState.PENDING, Delivery.created_at >= before),
    )


def purge_outbox(session: Session, *, before: datetime, limit: int) -> Purged:
    """Delete up to `limit` finished events created before `before` (their deliveries and
    attempts go with them) and up to `limit` older attempts of finished deliveries."""
    chosen, events = purge_events(session, before=before, limit=limit)
    attempts_seen, attempts = purge_attempts(session, before=before, limit=limit)
    return Purged(events, attempts, more=limit in (chosen, attempts_seen))


def purge_events(session: Session, *, before: datetime, limit: int) -> tuple[int, int]:
    """Delete up to `limit` finished old events: (how many were chosen, how many deleted)."""
    chosen = session.scalars(
        select(Event.id)
        .where(Event.created_at < before, ~_still_needed(before))
        .limit(limit)
        # Locked, a row can no longer gain a delivery (a redelivery's insert waits, then
        # fails); one another transaction is using now is left for a later batch.
        .with_for_update(skip_locked=True)
    ).all()
    if not chosen:
        return 0, 0
    # Checked again in a statement of its own: a redelivery that committed after the select
    # above began is visible now, and keeps its event.
    result = session.execute(delete(Event).where(Event.id.in_(chosen), ~_still_needed(before)))
    return len(chosen), int(result.rowcount or 0)  # type: ignore[attr-defined]


def purge_attempts(session: Session, *, before: datetime, limit: int) -> tuple[int, int]:
    """Delete up to `limit` old attempts of finished deliveries: (chosen, deleted)."""
    attempt_ids = session.scalars(
        select(DeliveryAttempt.id)
        .join(Delivery, Delivery.id == DeliveryAttempt.delivery_id)
        .where(DeliveryAttempt.created_at < before, Delivery.state != DeliveryState.PENDING)
        .limit(limit)
        # Another replica's purge may have deleted some of these already (its events'
        # cascade), uncommitted: skipped, rather than waited for while it waits for ours.
        .with_for_update(skip_locked=True, of=DeliveryAttempt)
    ).all()
    if not attempt_ids:
        return 0, 0
    result = session.execute(delete(DeliveryAttempt).where(DeliveryAttempt.id.in_(attempt_ids)))
    return len(attempt_ids), int(result.rowcount or 0)  # type: ignore[attr-defined]
