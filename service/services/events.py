"""The transactional outbox: events written with the change that causes them."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from service.db.cadence import NextAction
from service.db.models import Attempt, Contact, Organization
from service.db.outbox import Delivery, DeliveryState, Event, WebhookEndpoint
from service.domain.model import (
    ActionState,
    ContactRole,
    ContactStatus,
    EventType,
    OrganizationStatus,
)
from service.services.ics import CalendarEntry, calendar_object, uid_for

EVENT_TYPES = tuple(kind.value for kind in EventType)
_VERBS = {"email": "Email", "call": "Call", "voicemail": "Call", "message": "Message"}


def _iso(value: datetime | date) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _row(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in names:
        value = getattr(row, name)
        if isinstance(value, uuid.UUID):
            value = str(value)
        elif isinstance(value, datetime | date):
            value = _iso(value)
        data[name] = value
    return data


ACTION_FIELDS = (
    "id",
    "organization_id",
    "contact_id",
    "due_at",
    "window_start",
    "window_end",
    "phase",
    "channel",
    "reason",
    "hints",
    "script",
    "news_id",
    "state",
    "sequence",
    "created_at",
    "updated_at",
)
CONTACT_FIELDS = (
    "id",
    "organization_id",
    "name",
    "role",
    "title",
    "email",
    "phone",
    "profile_url",
    "timezone",
    "greeting_name",
    "status",
)
ORGANIZATION_FIELDS = (
    "id",
    "name",
    "website",
    "role_applied",
    "rejected_on",
    "status",
    "paused_reason",
)
ATTEMPT_FIELDS = (
    "id",
    "organization_id",
    "contact_id",
    "channel",
    "direction",
    "occurred_at",
    "outcome",
    "referred_to_contact_id",
    "next_action_id",
    "news_id",
    "script_variant",
    "follow_up_on",
    "follow_up_channel",
    "notes",
    "created_at",
)


class OrganizationRecord(Protocol):
    """What events and plans read of an organization: an ORM object, or a row of its columns."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def account_id(self) -> uuid.UUID: ...
    @property
    def name(self) -> str: ...
    @property
    def website(self) -> str | None: ...
    @property
    def role_applied(self) -> str | None: ...
    @property
    def rejected_on(self) -> date | None: ...
    @property
    def status(self) -> OrganizationStatus: ...
    @property
    def paused_reason(self) -> str | None: ...
    @property
    def created_at(self) -> datetime: ...


class ContactRecord(Protocol):
    """What events read of a contact: an ORM object, or a row of its columns."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def organization_id(self) -> uuid.UUID: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> ContactRole: ...
    @property
    def title(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def profile_url(self) -> str | None: ...
    @property
    def timezone(self) -> str | None: ...
    @property
    def greeting_name(self) -> str | None: ...
    @property
    def status(self) -> ContactStatus: ...


def calendar_entry(
    action: NextAction, contact: ContactRecord, organization: OrganizationRecord
) -> CalendarEntry:
    """The calendar event of a next action, shared by webhooks and the ICS feed."""
    verb = _VERBS.get(action.channel.value, "Meet")
    script = action.script.get("text", "")
    return CalendarEntry(
        uid=uid_for(str(action.id)),
        sequence=action.sequence,
        start=action.due_at,
        summary=f"{verb} {contact.name} ({organization.name})",
        description=f"{action.reason}\n\nScript:\n{script}",
        url=organization.website,
        last_modified=action.updated_at,
        cancelled=action.state in (ActionState.CANCELLED, ActionState.SKIPPED),
    )


def followup_data(
    session: Session,
    action: NextAction,
    contact: ContactRecord | None = None,
    organization: OrganizationRecord | None = None,
) -> dict[str, Any]:
    """The data of a followup.* event: the action, its contact, organization and calendar.

    `contact` and `organization` are ORM objects or rows with their columns; the ones not
    given are found in the session, or else read.
    """
    if contact is None:
        contact = _loaded_or_row(session, Contact, _CONTACT_BY_ID, action.contact_id)
    if organization is None:
        organization = _loaded_or_row(
            session, Organization, _ORGANIZATION_BY_ID, action.organization_id
        )
    return {
        "next_action": _row(action, ACTION_FIELDS),
        "contact": _row(contact, CONTACT_FIELDS),
        "organization": _row(organization, ORGANIZATION_FIELDS),
        "calendar": calendar_object(calendar_entry(action, contact, organization)),
    }


def _loaded_or_row(session: Session, model: type[Any], statement: Any, id_: uuid.UUID) -> Any:
    # The session's copy when it has one (it may hold changes not flushed yet); otherwise
    # the row's columns the payload shows.
    loaded = session.identity_map.get(session.identity_key(model, id_))
    if loaded is not None:
        return loaded
    session.flush()
    return session.execute(statement, {"id": id_}).one()


_CONTACT_BY_ID = select(*(Contact.__table__.c[name] for name in CONTACT_FIELDS)).where(
    Contact.__table__.c.id == bindparam("id")
)
_ORGANIZATION_BY_ID = select(
    *(Organization.__table__.c[name] for name in ORGANIZATION_FIELDS)
).where(Organization.__table__.c.id == bindparam("id"))


def attempt_data(attempt: Attempt) -> dict[str, Any]:
    """The data of an attempt.logged event."""
    return {"attempt": _row(attempt, ATTEMPT_FIELDS)}


def organization_data(organization: Organization) -> dict[str, Any]:
    """The data of an organization.opening event."""
    return {"organization": _row(organization, ORGANIZATION_FIELDS)}


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
                "payload": {"type": item.type, "timestamp": _iso(now), "data": data},
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
