"""Webhook endpoints: management, secrets, ping, delivery log, redelivery."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.db.models import Account
from service.db.outbox import Delivery, DeliveryAttempt, Event, WebhookEndpoint
from service.domain.tokens import new_secret
from service.services.errors import Conflict, NotFound
from service.services.outbox import events
from service.services.records.shared import (
    Page,
    apply_changes,
    check_version,
    get_owned,
    owned_select,
    paginate,
)

MAX_ENDPOINTS = 20  # each event fans out to every endpoint: the cap bounds one event's deliveries


def create_endpoint(
    session: Session, account_id: uuid.UUID, fields: Mapping[str, Any], *, now: datetime
) -> WebhookEndpoint:
    """Register a URL to receive signed events; the secret is returned this once."""
    # The account's row lock puts concurrent creations in line, so the cap holds.
    session.get_one(Account, account_id, with_for_update=True)
    count = (
        select(func.count())
        .select_from(WebhookEndpoint)
        .where(WebhookEndpoint.account_id == account_id)
    )
    if (session.scalar(count) or 0) >= MAX_ENDPOINTS:
        raise Conflict(
            f"An account has at most {MAX_ENDPOINTS} webhooks; delete one you no longer use."
        )
    values = dict(fields)
    values["events"] = _event_types(values.get("events"))
    endpoint = WebhookEndpoint(
        account_id=account_id, secret=new_secret(), created_at=now, updated_at=now, **values
    )
    session.add(endpoint)
    session.flush()
    return endpoint


def _event_types(chosen: list[str] | None) -> list[str]:
    # None (absent, or null in a patch) means every event; repeats are kept once.
    return list(dict.fromkeys(str(kind) for kind in chosen or events.EVENT_TYPES))


def get_endpoint(
    session: Session, account_id: uuid.UUID, endpoint_id: uuid.UUID
) -> WebhookEndpoint:
    """One endpoint of the account, or NotFound."""
    return get_owned(session, WebhookEndpoint, account_id, endpoint_id, "webhook")


def list_endpoints(
    session: Session, account_id: uuid.UUID, *, limit: int, cursor: str | None
) -> Page[WebhookEndpoint]:
    """The account's endpoints, oldest first."""
    stmt = owned_select(WebhookEndpoint, account_id)
    return paginate(
        session, stmt, WebhookEndpoint.created_at, WebhookEndpoint.id, limit=limit, cursor=cursor
    )


def update_endpoint(
    session: Session,
    account_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None,
    now: datetime,
) -> WebhookEndpoint:
    """Apply a merge patch; enabling again clears the reason it was disabled."""
    endpoint = get_endpoint(session, account_id, endpoint_id)
    check_version(endpoint, expected_version)
    values = dict(changes)
    if "events" in values:
        values["events"] = _event_types(values["events"])
    if values.get("enabled") is True and not endpoint.enabled:
        values |= {"disabled_reason": None, "failing_since": None}
    if apply_changes(endpoint, values):
        endpoint.updated_at = now
    session.flush()
    return endpoint


def delete_endpoint(
    session: Session, account_id: uuid.UUID, endpoint_id: uuid.UUID, *, expected_version: int | None
) -> None:
    """Stop sending to this URL and forget its delivery log."""
    endpoint = get_endpoint(session, account_id, endpoint_id)
    check_version(endpoint, expected_version)
    session.delete(endpoint)
    session.flush()


def rotate_secret(
    session: Session, account_id: uuid.UUID, endpoint_id: uuid.UUID, *, now: datetime
) -> WebhookEndpoint:
    """Replace the signing secret; the new one is returned this once."""
    endpoint = get_endpoint(session, account_id, endpoint_id)
    endpoint.secret = new_secret()
    endpoint.version += 1
    endpoint.updated_at = now
    session.flush()
    return endpoint


def ping(
    session: Session, account_id: uuid.UUID, endpoint_id: uuid.UUID, *, now: datetime
) -> Event:
    """Queue a webhook.ping to this endpoint only."""
    endpoint = get_endpoint(session, account_id, endpoint_id)
    if not endpoint.enabled:
        raise Conflict(f"This webhook is disabled ({endpoint.disabled_reason}); enable it first.")
    data = {"webhook_id": str(endpoint.id), "message": "Hello from keepwarm."}
    event = events.emit(session, account_id, "webhook.ping", data, now=now, endpoint_id=endpoint.id)
    if event is None:  # cannot happen: the endpoint is enabled and addressed directly
        raise Conflict("This webhook cannot receive events right now.")
    return event


def list_delivery_attempts(
    session: Session,
    account_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    *,
    limit: int,
    cursor: str | None,
) -> Page[DeliveryAttempt]:
    """Every request made to the endpoint, newest first."""
    get_endpoint(session, account_id, endpoint_id)
    stmt = owned_select(DeliveryAttempt, account_id).where(
        DeliveryAttempt.endpoint_id == endpoint_id
    )
    return paginate(
        session,
        stmt,
        DeliveryAttempt.created_at,
        DeliveryAttempt.id,
        limit=limit,
        cursor=cursor,
        descending=True,
    )


def redeliver(
    session: Session,
    account_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    attempt_id: uuid.UUID,
    *,
    now: datetime,
) -> Delivery:
    """Send a logged event again, with the same webhook-id."""
    endpoint = get_endpoint(session, account_id, endpoint_id)
    logged = session.get(DeliveryAttempt, attempt_id)
    if logged is None or logged.endpoint_id != endpoint.id:
        raise NotFound("delivery")
    if not endpoint.enabled:
        # The tick never sends to a disabled endpoint: "queued" would be a false promise.
        raise Conflict(f"This webhook is disabled ({endpoint.disabled_reason}); enable it first.")
    # The event may have been purged since the attempt was read (retention): hold it until the
    # new delivery is committed (the purge skips locked events), or answer 404.
    event = session.get(Event, logged.event_id, with_for_update={"key_share": True})
    if event is None:
        raise NotFound("delivery")
    delivery = events.queue_delivery(session, account_id, logged.event_id, endpoint.id, now=now)
    session.flush()
    return delivery
