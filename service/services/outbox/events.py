"""The transactional outbox: events written with the change that causes them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from service.db.outbox import Delivery, DeliveryState, Event, WebhookEndpoint
from service.domain.model import (
    EventType,
)
from service.services.outbox import payloads

EVENT_TYPES = tuple(kind.value for kind in EventType)
Data = dict[str, Any] | Callable[[], dict[str, Any]]


@dataclass(frozen=True)
class Pending:
    """An event to store: who it belongs to, what it says (or how to build it), its key."""

    account_id: uuid.UUID
    type: str
    data: Data
    dedupe_key: str | None = None


def emit(
    session: Session,
    account_id: uuid.UUID,
    event_type: str,
    data: Data,
    *,
    now: datetime,
    dedupe_key: str | None = None,
    endpoint_id: uuid.UUID | None = None,
) -> Event | None:
    """Store an event and a pending delivery for each endpoint that wants it.

    The returned event is not attached to the session (see emit_many).
    """
    pending = Pending(account_id, event_type, data, dedupe_key)
    stored = _store(session, [pending], now=now, endpoint_id=endpoint_id)
    return Event(**stored[0]) if stored else None


def emit_many(session: Session, pending: list[Pending], *, now: datetime) -> int:
    """Store events, with their deliveries, looking the endpoints up once; how many were stored.

    An event no endpoint wants is not stored (nobody could ever receive it), and its data,
    which for follow-ups includes rendering the calendar event, is never built. The rows are
    inserted in two statements on the session's connection, in its transaction.
    """
    return len(_store(session, pending, now=now, endpoint_id=None))


_endpoints = WebhookEndpoint.__table__.c
# Statements built once: composing a select costs about as much as running it on SQLite.
_ENDPOINTS = select(_endpoints.id, _endpoints.account_id, _endpoints.events).where(
    _endpoints.account_id.in_(bindparam("accounts", expanding=True)),
    _endpoints.enabled.is_(True),
)
_INSERT_EVENTS = insert(Event.metadata.tables[Event.__tablename__])
_INSERT_DELIVERIES = insert(Delivery.metadata.tables[Delivery.__tablename__])


def _store(
    session: Session, pending: list[Pending], *, now: datetime, endpoint_id: uuid.UUID | None
) -> list[dict[str, Any]]:
    if not pending:
        return []
    accounts = list({item.account_id for item in pending})
    endpoints: dict[uuid.UUID, list[tuple[uuid.UUID, list[str]]]] = {}
    for row in session.execute(_ENDPOINTS, {"accounts": accounts}):
        if endpoint_id is None or row.id == endpoint_id:
            endpoints.setdefault(row.account_id, []).append((row.id, row.events))
    stored: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    for item in pending:
        wanted = [
            endpoint
            for endpoint, types in endpoints.get(item.account_id, ())
            if endpoint_id is not None or item.type in types
        ]
        if not wanted:
            continue
        data = item.data() if callable(item.data) else item.data
        event_id = uuid.uuid4()
        stored.append(
            {
                "id": event_id,
                "account_id": item.account_id,
                "type": item.type,
                "dedupe_key": item.dedupe_key,
                "payload": {"type": item.type, "timestamp": payloads.iso(now), "data": data},
                "created_at": now,
            }
        )
        deliveries += (
            pending_delivery(item.account_id, event_id, endpoint, now) for endpoint in wanted
        )
    if stored:
        # First the events: the deliveries reference them.
        session.execute(_INSERT_EVENTS, stored)
        session.execute(_INSERT_DELIVERIES, deliveries)
    return stored


def pending_delivery(
    account_id: uuid.UUID, event_id: uuid.UUID, endpoint_id: uuid.UUID, now: datetime
) -> dict[str, Any]:
    """The row of a delivery of the event to the endpoint, due at once."""
    return {
        "id": uuid.uuid4(),
        "account_id": account_id,
        "event_id": event_id,
        "endpoint_id": endpoint_id,
        "state": DeliveryState.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "locked_until": None,
        "created_at": now,
    }


def queue_delivery(
    session: Session,
    account_id: uuid.UUID,
    event_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    *,
    now: datetime,
) -> Delivery:
    """A delivery of the event to the endpoint, due at once."""
    delivery = Delivery(**pending_delivery(account_id, event_id, endpoint_id, now))
    session.add(delivery)
    return delivery
