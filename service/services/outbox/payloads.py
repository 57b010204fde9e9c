"""What events say: the payloads of webhook events, and a next action's calendar entry."""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from service.db.cadence import AccountSettings, NextAction
from service.db.models import Attempt, Contact, Organization
from service.domain.model import (
    OPEN_STATES,
    ActionState,
    ContactRole,
    ContactStatus,
    OrganizationStatus,
)
from service.domain.slots import as_utc, local_date, next_slot_ahead, resolve_zone
from service.domain.wording import sentences
from service.services.calendar.ics import EVENT_LENGTH, CalendarEntry, calendar_object, uid_for

_CALENDAR = sentences.CALENDAR


def iso(value: datetime | date) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _row(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in names:
        value = getattr(row, name)
        if isinstance(value, uuid.UUID):
            value = str(value)
        elif isinstance(value, datetime | date):
            value = iso(value)
        data[name] = value
    return data


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
    "notes",
    "created_at",
    "updated_at",
)
ORGANIZATION_FIELDS = (
    "id",
    "name",
    "website",
    "role_applied",
    "rejected_on",
    "status",
    "paused_reason",
    "talked_about",
    "notes",
    "created_at",
    "updated_at",
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
    "updated_at",
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
    def talked_about(self) -> str | None: ...
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


@dataclass(frozen=True)
class CalendarView:
    """When a calendar is looked at, and the account's time zone and preferred hour."""

    now: datetime
    timezone: str = "UTC"
    preferred_hour: int = 10


def calendar_entry(
    action: NextAction,
    contact: ContactRecord,
    organization: OrganizationRecord,
    view: CalendarView,
) -> CalendarEntry:
    """The calendar event of a next action, shared by webhooks and the ICS feed.

    An open action that is overdue moves to the next slot still ahead (today at the
    preferred hour in the contact's time zone, else the next working day), marked overdue,
    so it is not buried in the past; a done one stays at the time it was done.
    """
    verb = sentences.CALENDAR_VERBS.get(action.channel.value, _CALENDAR["meet"])
    script = action.script.get("text", "")
    summary = _CALENDAR["summary"].format(
        verb=verb, contact=contact.name, organization=organization.name
    )
    description = _CALENDAR["description"].format(reason=action.reason, script=script)
    start = as_utc(action.due_at)
    # Overdue once its slot is over (at the tick that makes it due, it is just due).
    if action.state in OPEN_STATES and start + EVENT_LENGTH <= as_utc(view.now):
        zone = resolve_zone(contact.timezone, view.timezone)
        due_on = local_date(start, zone).isoformat()
        start = next_slot_ahead(view.now, view.preferred_hour, zone)
        summary = _CALENDAR["overdue_summary"].format(summary=summary)
        description = _CALENDAR["overdue_description"].format(
            due_on=due_on, description=description
        )
    elif action.state == ActionState.DONE:
        start = as_utc(action.updated_at)
        summary = _CALENDAR["done_summary"].format(summary=summary)
    return CalendarEntry(
        uid=uid_for(str(action.id)),
        sequence=action.sequence,
        start=start,
        summary=summary,
        description=description,
        url=organization.website,
        last_modified=action.updated_at,
        cancelled=action.state in (ActionState.CANCELLED, ActionState.SKIPPED),
    )


def followup_data(
    session: Session,
    action: NextAction,
    contact: ContactRecord | None = None,
    organization: OrganizationRecord | None = None,
    *,
    now: datetime,
    view: CalendarView | None = None,
) -> dict[str, Any]:
    """The data of a followup.* event: the action, its contact, organization and calendar.

    The action is its stored representation (action_body), as GET shows it. `contact` and
    `organization` are ORM objects or rows with their columns; the ones not given are found
    in the session, or else read; so is the calendar `view`.
    """
    if contact is None:
        contact = _loaded_or_row(session, Contact, _CONTACT_BY_ID, action.contact_id)
    if organization is None:
        organization = _loaded_or_row(
            session, Organization, _ORGANIZATION_BY_ID, action.organization_id
        )
    return {
        "next_action": json.loads(action.body),
        "contact": _row(contact, CONTACT_FIELDS),
        "organization": _row(organization, ORGANIZATION_FIELDS),
        "calendar": calendar_object(
            calendar_entry(
                action,
                contact,
                organization,
                view or calendar_views(session, {action.account_id}, now)[action.account_id],
            )
        ),
    }


def calendar_views(
    session: Session, accounts: Collection[uuid.UUID], now: datetime
) -> dict[uuid.UUID, CalendarView]:
    """How each account's calendar looks at `now`, in one statement (an account that never
    changed its settings has no row, and the defaults)."""
    stored = session.execute(_CALENDAR_VIEWS, {"accounts": list(accounts)}).all()
    views = {row.account_id: CalendarView(now, row.timezone, row.preferred_hour) for row in stored}
    return {account: views.get(account, CalendarView(now)) for account in accounts}


_settings = AccountSettings.__table__.c
# Built once: composing the statement cost more than running it.
_CALENDAR_VIEWS = select(_settings.account_id, _settings.timezone, _settings.preferred_hour).where(
    _settings.account_id.in_(bindparam("accounts", expanding=True))
)


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
