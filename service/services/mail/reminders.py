"""Daily reminders: which accounts are owed one now, what it says, and the one-click off."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email import policy
from email.utils import make_msgid, parseaddr
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.db.cadence import AccountSettings, NextAction
from service.db.mail import Reminder, ReminderState
from service.db.models import Account, Contact, Organization
from service.domain.model import OPEN_STATES
from service.domain.reminder_mail import Item, Letter, Reminders, build, end_of_day, reminder_day
from service.domain.slots import local_date, resolve_zone
from service.domain.tokens import new_unsubscribe_token
from service.services.errors import NotFound

# Headers folded at whitespace only: a long List-Unsubscribe URL must not become an RFC 2047
# encoded word, which mail clients do not decode in it.
WIRE = policy.default.clone(max_line_length=998)
# A one-click link keeps working this long after its email was written.
UNSUBSCRIBE_VALID_FOR = timedelta(days=60)


@dataclass(frozen=True)
class Sender:
    """Who reminders come from and where their links point."""

    address: str
    public_url: str

    @property
    def domain(self) -> str:
        return parseaddr(self.address)[1].rpartition("@")[2] or "keepwarm.invalid"


def unsubscribe_hash(token: str) -> str:
    """What is stored of an unsubscribe token: a database read cannot turn reminders off."""
    return hashlib.sha256(token.encode()).hexdigest()


def _owed(since: date) -> Select[Any]:
    # The latest reminder of each account, among the last few days' only (older ones cannot
    # be today's in any zone): the grouping reads a few rows per account, not its history.
    latest = (
        select(Reminder.account_id, func.max(Reminder.local_on).label("last_on"))
        .where(Reminder.local_on >= since)
        .group_by(Reminder.account_id)
        .subquery()
    )
    return (
        select(
            AccountSettings.account_id,
            AccountSettings.timezone,
            AccountSettings.preferred_hour,
            Account.email,
            latest.c.last_on,
        )
        .join(Account, Account.id == AccountSettings.account_id)
        .outerjoin(latest, latest.c.account_id == AccountSettings.account_id)
        .where(AccountSettings.reminders == Reminders.DAILY)
    )


def enqueue(session: Session, *, now: datetime, sender: Sender, limit: int) -> int:
    """Write the reminder of every account whose preferred hour has come today (local) and
    has none for today yet; an account with nothing due gets a settled row and no email.

    Two replicas may both decide: the unique (account, local date) key keeps one row.
    How many accounts were decided (at most `limit`).
    """
    owed = 0
    for row in session.execute(_owed(now.date() - timedelta(days=2))):
        zone = resolve_zone(row.timezone, "UTC")
        day = reminder_day(now, zone, row.preferred_hour)
        if day is None or (row.last_on is not None and row.last_on >= day):
            continue
        letter = _letter(session, row.account_id, row.email, day, zone, sender)
        _insert(session, row.account_id, day, letter, now=now)
        owed += 1
        if owed >= limit:
            break
    return owed


def _items(session: Session, account_id: uuid.UUID, day: date, zone: ZoneInfo) -> list[Item]:
    rows = session.execute(
        select(NextAction.body, NextAction.due_at, Organization.name, Contact.name, Contact.role)
        .join(Organization, Organization.id == NextAction.organization_id)
        .join(Contact, Contact.id == NextAction.contact_id)
        .where(
            NextAction.account_id == account_id,
            NextAction.state.in_(OPEN_STATES),
            NextAction.due_at < end_of_day(day, zone),
        )
        .order_by(NextAction.due_at, NextAction.id)
    ).all()
    items = []
    for stored, due_at, organization, person, role in rows:
        # The action's public body, the one every reader uses (GET, webhooks, the feed).
        body = json.loads(stored)
        script, links = body["script"], body["links"]
        items.append(
            Item(
                organization=organization,
                person=person,
                role=str(role),
                channel=body["channel"],
                reason=body["reason"],
                subject=script.get("subject"),
                text=script["text"],
                mailto=links.get("mailto"),
                tel=links.get("tel"),
                due_on=local_date(due_at, zone),
            )
        )
    return items


def _letter(
    session: Session,
    account_id: uuid.UUID,
    recipient: str,
    day: date,
    zone: ZoneInfo,
    sender: Sender,
) -> tuple[Letter, str] | None:
    items = _items(session, account_id, day, zone)
    if not items:
        return None
    token = new_unsubscribe_token()
    letter = Letter(
        sender=sender.address,
        recipient=recipient,
        message_id=make_msgid(idstring="reminder", domain=sender.domain),
        day=day,
        items=tuple(items),
        app_url=f"{sender.public_url}/app/",
        unsubscribe_url=f"{sender.public_url}/mail/unsubscribe/{token}",
    )
    return letter, token


def _insert(
    session: Session,
    account_id: uuid.UUID,
    day: date,
    written: tuple[Letter, str] | None,
    *,
    now: datetime,
) -> None:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "account_id": account_id,
        "local_on": day,
        "state": ReminderState.NOTHING_DUE,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    if written is not None:
        letter, token = written
        values |= {
            "state": ReminderState.PENDING,
            "recipient": letter.recipient,
            "message_id": letter.message_id,
            "message": build(letter, now=now).as_string(policy=WIRE),
            "unsubscribe_hash": unsubscribe_hash(token),
        }
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(Reminder)
        .values(values)
        .on_conflict_do_nothing(index_elements=["account_id", "local_on"])
    )


def _linked(session: Session, token: str, now: datetime) -> Reminder:
    reminder = session.scalar(
        select(Reminder).where(Reminder.unsubscribe_hash == unsubscribe_hash(token))
    )
    if reminder is None or now - reminder.created_at > UNSUBSCRIBE_VALID_FOR:
        raise NotFound("unsubscribe link")
    return reminder


def check_link(session: Session, token: str, *, now: datetime) -> None:
    """NotFound unless the one-click link is one a reminder carries, and still valid."""
    _linked(session, token, now)


def unsubscribe(session: Session, token: str, *, now: datetime) -> None:
    """Turn the reminders of the account a one-click link was sent to off, or NotFound."""
    reminder = _linked(session, token, now)
    row = session.get(AccountSettings, reminder.account_id, with_for_update=True)
    if row is not None and row.reminders != Reminders.OFF:
        row.reminders = Reminders.OFF
        row.version += 1
        row.updated_at = now
        session.flush()
