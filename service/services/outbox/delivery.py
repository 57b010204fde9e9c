"""Delivery bookkeeping for the scheduler: claim due deliveries, record what happened."""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from service.db.outbox import Delivery, DeliveryAttempt, DeliveryState, Event, WebhookEndpoint
from service.domain import backoff
from service.domain.delivery import DeliveryResult

LEASE = timedelta(seconds=90)
KEPT_BODY = 4096


class Outcome(StrEnum):
    """What became of one delivery attempt."""

    DELIVERED = "delivered"
    RETRYING = "retrying"
    GAVE_UP = "gave_up"


@dataclass(frozen=True)
class Claimed:
    delivery_id: uuid.UUID
    endpoint_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    url: str
    secret: str
    msg_id: str
    body: bytes
    # The lease this claim holds: a release gives back only its own, never a later claim's.
    leased_until: datetime | None = None


@dataclass(frozen=True)
class Backlog:
    """The outbox still to send: pending deliveries, their events, the oldest one's dates."""

    deliveries: int
    events: int
    oldest_created_at: datetime | None
    oldest_due_at: datetime | None


def message_id(event_id: uuid.UUID) -> str:
    """The webhook-id of an event: the same for every retry and redelivery."""
    return f"msg_{event_id.hex}"


def encode(payload: dict[str, object]) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def claim(
    session: Session, *, now: datetime, limit: int, lease: timedelta = LEASE
) -> list[Claimed]:
    """Lease up to `limit` due deliveries; other workers skip the locked rows."""
    rows = session.execute(
        select(Delivery, WebhookEndpoint, Event)
        .join(WebhookEndpoint, WebhookEndpoint.id == Delivery.endpoint_id)
        .join(Event, Event.id == Delivery.event_id)
        .where(
            Delivery.state == DeliveryState.PENDING,
            Delivery.next_attempt_at <= now,
            or_(Delivery.locked_until.is_(None), Delivery.locked_until < now),
        )
        .order_by(Delivery.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Delivery)
    ).all()
    claimed = []
    for delivery, endpoint, event in rows:
        if not endpoint.enabled:
            delivery.state = DeliveryState.FAILED
            continue
        delivery.locked_until = now + lease
        claimed.append(
            Claimed(
                delivery_id=delivery.id,
                endpoint_id=endpoint.id,
                event_id=event.id,
                event_type=event.type,
                url=endpoint.url,
                secret=endpoint.secret,
                msg_id=message_id(event.id),
                body=encode(event.payload),
                leased_until=delivery.locked_until,
            )
        )
    session.flush()
    return claimed


def release(session: Session, claimed: Sequence[Claimed]) -> int:
    """Give back the leases of sends cut short, so the next tick of any replica sends them
    again (same webhook-id) instead of waiting for the lease to run out; how many."""
    by_lease: dict[datetime | None, list[uuid.UUID]] = {}
    for item in claimed:
        by_lease.setdefault(item.leased_until, []).append(item.delivery_id)
    released = 0
    for leased_until, ids in by_lease.items():
        result = session.execute(
            update(Delivery)
            .where(
                Delivery.id.in_(ids),
                Delivery.state == DeliveryState.PENDING,
                # Only this claim's lease: once it ran out, another replica may hold the row.
                Delivery.locked_until == leased_until,
            )
            .values(locked_until=None)
        )
        released += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return released


def backlog(session: Session) -> Backlog:
    """What the outbox still has to send, in one query."""
    row = session.execute(
        select(
            func.count(),
            func.count(Delivery.event_id.distinct()),
            func.min(Delivery.created_at),
            func.min(Delivery.next_attempt_at),
        ).where(Delivery.state == DeliveryState.PENDING)
    ).one()
    return Backlog(int(row[0]), int(row[1]), row[2], row[3])


def record(
    session: Session,
    results: Sequence[tuple[Claimed, DeliveryResult]],
    *,
    now: datetime,
    rng: random.Random,
) -> Counter[Outcome]:
    """Log each attempt; schedule the retry, or give up, or disable the endpoint."""
    # Rows are locked in one order in every replica, endpoints then deliveries, each sorted
    # by id (two replicas' batches sharing endpoints would otherwise lock them in opposite
    # orders: a deadlock, a lost record and a resend once the lease ends). One query each.
    endpoints = {
        row.id: row
        for row in session.scalars(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.id.in_({claimed.endpoint_id for claimed, _ in results}))
            .order_by(WebhookEndpoint.id)
            .with_for_update()
        )
    }
    deliveries = {
        row.id: row
        for row in session.scalars(
            select(Delivery)
            .where(Delivery.id.in_({claimed.delivery_id for claimed, _ in results}))
            .order_by(Delivery.id)
            .with_for_update()
        )
    }
    outcomes: Counter[Outcome] = Counter()
    for claimed, outcome in results:
        delivery = deliveries.get(claimed.delivery_id)
        endpoint = endpoints.get(claimed.endpoint_id)
        if delivery is None or endpoint is None:
            continue  # the endpoint was deleted meanwhile
        delivery.attempts += 1
        delivery.locked_until = None
        session.add(
            DeliveryAttempt(
                account_id=delivery.account_id,
                endpoint_id=endpoint.id,
                delivery_id=delivery.id,
                event_id=claimed.event_id,
                event_type=claimed.event_type,
                attempt=delivery.attempts,
                status_code=outcome.status_code,
                duration_ms=outcome.duration_ms,
                error=_storable(outcome.error),
                response_body=_storable(outcome.response_body[:KEPT_BODY]) or None,
                created_at=now,
            )
        )
        if outcome.succeeded:
            delivery.state = DeliveryState.SUCCEEDED
            endpoint.failing_since = None
            outcomes[Outcome.DELIVERED] += 1
            continue
        endpoint.failing_since = endpoint.failing_since or now
        if outcome.gone:
            _disable(endpoint, "the endpoint answered 410 Gone", now)
        elif now - endpoint.failing_since >= backoff.DISABLE_AFTER:
            _disable(endpoint, "every delivery failed for 5 days", now)
        retry_at = backoff.next_attempt_at(
            attempt=delivery.attempts,
            failed_at=now,
            retry_after=outcome.retry_after,
            jitter=rng.random(),
        )
        if retry_at is None or not endpoint.enabled:
            delivery.state = DeliveryState.FAILED
            outcomes[Outcome.GAVE_UP] += 1
        else:
            delivery.next_attempt_at = retry_at
            outcomes[Outcome.RETRYING] += 1
    session.flush()
    return outcomes


def _storable(text: str | None) -> str | None:
    # The receiver chooses these bytes; PostgreSQL text cannot hold NUL, and a failed insert
    # would lose the outcome of the whole batch (and send it all again after the lease).
    return None if text is None else text.replace("\x00", "\ufffd")


def _disable(endpoint: WebhookEndpoint, reason: str, now: datetime) -> None:
    if endpoint.enabled:
        endpoint.enabled = False
        endpoint.disabled_reason = f"Disabled on {now:%Y-%m-%d %H:%M} UTC: {reason}."
        endpoint.version += 1
        endpoint.updated_at = now
