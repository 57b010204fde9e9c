"""An account's private capability tokens (the calendar feed's, the logging address's): made at
sign-up (or on first use, for accounts older than a token), shown again as issued, replaced by a
rotation that revokes the old one at once."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session

from service.db.mail import LoggingAddress
from service.db.outbox import CalendarFeed
from service.domain.tokens import new_feed_token, new_mail_token

Row = TypeVar("Row", CalendarFeed, LoggingAddress)


def current(
    session: Session,
    model: type[Row],
    account_id: uuid.UUID,
    new: Callable[[], str],
    *,
    now: datetime,
) -> str:
    """The account's token in `model`, created on first use."""
    row = session.get(model, account_id)
    if row is None:
        row = model(account_id=account_id, token=new(), created_at=now)
        session.add(row)
        session.flush()
    return row.token


def issue_all(session: Session, account_id: uuid.UUID, *, now: datetime) -> None:
    """Every private token of a new account, so that reading one never writes."""
    current(session, CalendarFeed, account_id, new_feed_token, now=now)
    current(session, LoggingAddress, account_id, new_mail_token, now=now)


def rotate(
    session: Session,
    model: type[Row],
    account_id: uuid.UUID,
    new: Callable[[], str],
    *,
    now: datetime,
) -> str:
    """A new token in `model`: the old one stops working at once."""
    row = session.get(model, account_id)
    if row is None:
        return current(session, model, account_id, new, now=now)
    row.token = new()
    row.created_at = now
    session.flush()
    return row.token
