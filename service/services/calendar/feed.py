"""The calendar feed: its secret token and the VEVENTs of the open next actions."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from service.db.cadence import NextAction
from service.db.models import Contact, Organization
from service.db.outbox import CalendarFeed
from service.domain.model import OPEN_STATES, ActionState
from service.domain.tokens import new_feed_token
from service.services.accounts import private_tokens
from service.services.calendar.ics import build_feed
from service.services.errors import NotFound
from service.services.outbox.payloads import calendar_entry, calendar_views


def feed_token(session: Session, account_id: uuid.UUID, *, now: datetime) -> str:
    """The account's feed token, created on first use."""
    return private_tokens.current(session, CalendarFeed, account_id, new_feed_token, now=now)


def rotate_token(session: Session, account_id: uuid.UUID, *, now: datetime) -> str:
    """A new feed token; the old URL stops working at once."""
    return private_tokens.rotate(session, CalendarFeed, account_id, new_feed_token, now=now)


def account_for_token(session: Session, token: str) -> uuid.UUID:
    """The account a feed token belongs to, or NotFound."""
    account_id = session.scalar(select(CalendarFeed.account_id).where(CalendarFeed.token == token))
    if account_id is None:
        raise NotFound("calendar feed")
    return account_id


# How long a done follow-up stays in the feed, at the time it was done.
DONE_SHOWN_FOR = timedelta(days=30)


def render_feed(session: Session, account_id: uuid.UUID, *, now: datetime) -> bytes:
    """The ICS document: one VEVENT per open next action (an overdue one at the next slot
    still ahead), and the ones done in the last 30 days."""
    shown = or_(
        NextAction.state.in_(OPEN_STATES),
        and_(NextAction.state == ActionState.DONE, NextAction.updated_at >= now - DONE_SHOWN_FOR),
    )
    rows = session.execute(
        select(NextAction, Contact, Organization)
        .join(Contact, Contact.id == NextAction.contact_id)
        .join(Organization, Organization.id == NextAction.organization_id)
        .where(NextAction.account_id == account_id, shown)
    ).all()
    view = calendar_views(session, {account_id}, now)[account_id]
    entries = [calendar_entry(action, contact, org, view) for action, contact, org in rows]
    return build_feed(entries, name="keepwarm follow-ups")
