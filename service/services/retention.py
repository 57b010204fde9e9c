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
    chosen = session.scalars(
        select(Event.id)
        .where(Event.created_at < before, ~_still_needed(before))
        .limit(limit)
        # Locked, a row can no longer gain a delivery (a redelivery's insert waits, then
        # fails); one another transaction is using now is left for a later batch.
        .with_for_update(skip_locked=True)
    ).all()
    events = 0
    if chosen:
        # Checked again in a statement of its own: a redelivery that committed after the
        # select above began is visible now, and keeps its event.
        result = session.execute(delete(Event).where(Event.id.in_(chosen), ~_still_needed(before)))
        events = int(result.rowcount or 0)  # type: ignore[attr-defined]
    old_attempts = (
        select(DeliveryAttempt.id)
        .join(Delivery, Delivery.id == DeliveryAttempt.delivery_id)
        .where(DeliveryAttempt.created_at < before, Delivery.state != DeliveryState.PENDING)
        .limit(limit)
    )
    attempt_ids = session.scalars(old_attempts).all()
    attempts = 0
    if attempt_ids:
        result = session.execute(delete(DeliveryAttempt).where(DeliveryAttempt.id.in_(attempt_ids)))
        attempts = int(result.rowcount or 0)  # type: ignore[attr-defined]
    return Purged(events, attempts, more=limit in (len(chosen), len(attempt_ids)))
