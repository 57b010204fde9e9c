"""Touches by BCC: a message received at a logging address becomes attempts with contacts."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.db.mail import ReceivedMessage
from service.db.models import Contact
from service.domain.model import ActionState, Channel, Direction, Outcome
from service.domain.slots import local_date
from service.domain.touches import Received, occurred_at
from service.services.accounts import settings
from service.services.planning import next_actions
from service.services.records import attempts
from service.services.records.shared import lock_organization


class Logged(StrEnum):
    """What a received message came to, for one account."""

    LOGGED = "logged"
    DUPLICATE = "duplicate"
    UNMATCHED = "unmatched"


def _contacts(session: Session, account_id: uuid.UUID, addresses: set[str]) -> dict[str, Contact]:
    if not addresses:
        return {}
    rows = session.scalars(
        select(Contact)
        .where(Contact.account_id == account_id, func.lower(Contact.email).in_(addresses))
        .order_by(Contact.created_at, Contact.id)
    )
    found: dict[str, Contact] = {}
    for contact in rows:
        found.setdefault((contact.email or "").lower(), contact)
    return found


def log_received(
    session: Session, account_id: uuid.UUID, received: Received, *, now: datetime
) -> Logged:
    """Log the touches a message shows: from a contact (sent straight or forwarded) an
    inbound reply; else one outbound email per contact in To or Cc, fulfilling that
    contact's open email action when it is due or within its window."""
    duplicate = session.scalar(
        select(ReceivedMessage.id).where(
            ReceivedMessage.account_id == account_id,
            ReceivedMessage.message_key == received.key,
        )
    )
    if duplicate is not None:
        return Logged.DUPLICATE
    wanted = {a for a in (received.sender, received.forwarded_from) if a}
    known = _contacts(session, account_id, wanted | set(received.recipients))
    inbound = known.get(received.sender or "") or known.get(received.forwarded_from or "")
    if inbound is not None:
        sent_at = received.sent_at
        if inbound is not known.get(received.sender or ""):
            sent_at = received.forwarded_at or received.sent_at
        targets = [(inbound, Direction.INBOUND)]
        at = occurred_at(sent_at, now)
    else:
        chosen = [known[a] for a in received.recipients if a in known]
        targets = [(c, Direction.OUTBOUND) for c in dict.fromkeys(chosen)]
        at = occurred_at(received.sent_at, now)
    if not targets:
        return Logged.UNMATCHED
    # The unique key: a copy of this message logged meanwhile fails the commit (and is then
    # answered 451, so the sender tries again and finds it logged).
    session.add(ReceivedMessage(account_id=account_id, message_key=received.key, created_at=now))
    session.flush()
    for organization_id in sorted({contact.organization_id for contact, _ in targets}):
        lock_organization(session, organization_id)
    zone = settings.account_zone(session, account_id)
    for contact, direction in targets:
        fields: dict[str, object] = {
            "contact_id": contact.id,
            "channel": Channel.EMAIL,
            "direction": direction,
            "outcome": Outcome.REPLIED if direction == Direction.INBOUND else Outcome.SENT,
            "occurred_at": at,
            "notes": received.subject,
        }
        if direction == Direction.OUTBOUND:
            action = next_actions.open_action(session, contact.organization_id)
            if (
                action is not None
                and action.contact_id == contact.id
                and action.channel == Channel.EMAIL
                and (
                    action.state == ActionState.DUE
                    or action.window_start <= local_date(at, zone) <= action.window_end
                )
            ):
                fields["next_action_id"] = action.id
        attempts.log_attempt(session, account_id, fields, now=now)
    return Logged.LOGGED
