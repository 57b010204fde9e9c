"""The reminder outbox: claim due reminders, fence the send, record what happened.

A reminder is sent at most once. Its Message-ID and bytes are fixed when it is written. A
sender leases it (`locked_until`), then, once the server has accepted the envelope and just
before the message itself (DATA), commits `sending_at` under that same lease: a sender
whose lease ran out meanwhile finds it taken and stops. A definite refusal (an SMTP reply,
a connection that failed before DATA) clears the mark and retries with backoff. When the
sender dies or loses the connection between that mark and the server's answer, whether the
message arrived cannot be known: it is settled `uncertain` and never sent again. That window
is one DATA exchange; a duplicate is impossible, a loss is confined to it and counted.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from service.db.cadence import AccountSettings
from service.db.mail import Reminder, ReminderState
from service.domain import backoff
from service.domain.reminder_mail import Reminders

LEASE = timedelta(seconds=90)


class SendOutcome(StrEnum):
    """What one attempt to send a reminder came to."""

    SENT = "sent"
    RETRYING = "retrying"
    FAILED = "failed"
    UNCERTAIN = "uncertain"
    CANCELLED = "cancelled"
    # The lease was lost before DATA: another sender has it; nothing was sent.
    LOST = "lost"


@dataclass(frozen=True)
class Attempted:
    """The result of a send: sent, refused (definitely not sent), or unknown after DATA."""

    outcome: SendOutcome
    error: str | None = None


@dataclass(frozen=True)
class Claimed:
    reminder_id: uuid.UUID
    recipient: str
    message: str
    message_id: str
    leased_until: datetime


def claim(
    session: Session, *, now: datetime, limit: int, lease: timedelta = LEASE
) -> tuple[list[Claimed], list[SendOutcome]]:
    """Lease up to `limit` due reminders (other senders skip the locked rows); settle those
    turned off since they were written, and those a stopped sender left mid-DATA."""
    rows = session.execute(
        select(Reminder, AccountSettings.reminders)
        .outerjoin(AccountSettings, AccountSettings.account_id == Reminder.account_id)
        .where(
            Reminder.state == ReminderState.PENDING,
            Reminder.next_attempt_at <= now,
            or_(Reminder.locked_until.is_(None), Reminder.locked_until < now),
        )
        .order_by(Reminder.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Reminder)
    ).all()
    claimed: list[Claimed] = []
    settled: list[SendOutcome] = []
    for reminder, setting in rows:
        if setting != Reminders.DAILY:
            _settle(reminder, ReminderState.CANCELLED, "reminders were turned off")
            settled.append(SendOutcome.CANCELLED)
        elif reminder.sending_at is not None:
            _settle(reminder, ReminderState.UNCERTAIN, "the sender stopped during DATA")
            settled.append(SendOutcome.UNCERTAIN)
        elif reminder.message and reminder.recipient and reminder.message_id:
            reminder.locked_until = now + lease
            claimed.append(
                Claimed(
                    reminder.id,
                    reminder.recipient,
                    reminder.message,
                    reminder.message_id,
                    reminder.locked_until,
                )
            )
    session.flush()
    return claimed, settled


def _settle(reminder: Reminder, state: ReminderState, error: str | None) -> None:
    reminder.state = state
    reminder.message = None  # it holds the unsubscribe token: not kept once settled
    reminder.locked_until = None
    reminder.error = error


def start_data(session: Session, claimed: Claimed, *, now: datetime) -> bool:
    """Mark the reminder as being sent, under this claim's lease; False if the lease is gone."""
    result = session.execute(
        update(Reminder)
        .where(
            Reminder.id == claimed.reminder_id,
            Reminder.state == ReminderState.PENDING,
            Reminder.locked_until == claimed.leased_until,
            Reminder.sending_at.is_(None),
        )
        .values(sending_at=now)
    )
    return int(result.rowcount or 0) == 1  # type: ignore[attr-defined]


def record(
    session: Session,
    results: Sequence[tuple[Claimed, Attempted]],
    *,
    now: datetime,
    rng: random.Random,
) -> list[SendOutcome]:
    """Settle each sent or uncertain reminder; schedule a refused one's retry, or give up."""
    outcomes = []
    for claimed, attempted in sorted(results, key=lambda pair: pair[0].reminder_id):
        if attempted.outcome == SendOutcome.LOST:
            outcomes.append(SendOutcome.LOST)
            continue
        reminder = session.get(Reminder, claimed.reminder_id, with_for_update=True)
        if reminder is None or reminder.state == ReminderState.SENT:
            continue
        reminder.attempts += 1
        if attempted.outcome == SendOutcome.SENT:
            _settle(reminder, ReminderState.SENT, None)
            reminder.sent_at = now
        elif attempted.outcome == SendOutcome.UNCERTAIN:
            _settle(reminder, ReminderState.UNCERTAIN, attempted.error)
        else:
            retry_at = backoff.next_attempt_at(
                attempt=reminder.attempts, failed_at=now, retry_after=None, jitter=rng.random()
            )
            reminder.sending_at = None
            if retry_at is None:
                _settle(reminder, ReminderState.FAILED, attempted.error)
                attempted = Attempted(SendOutcome.FAILED)
            else:
                reminder.locked_until = None
                reminder.error = attempted.error
                reminder.next_attempt_at = retry_at
                attempted = Attempted(SendOutcome.RETRYING)
        outcomes.append(attempted.outcome)
    session.flush()
    return outcomes
