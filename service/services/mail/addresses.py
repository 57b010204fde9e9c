"""Logging addresses: each account's private log-<token>@domain, rotated like the feed token."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from service.db.mail import LoggingAddress
from service.domain.tokens import new_mail_token
from service.services.accounts import private_tokens

PREFIX = "log-"


def address_of(token: str, domain: str) -> str:
    """The address that logs touches into the account holding `token`."""
    return f"{PREFIX}{token}@{domain}"


def token_of(address: str, domain: str) -> str | None:
    """The token an address names, when it is a logging address at `domain`."""
    local, _, at = address.strip().strip("<>").rpartition("@")
    local = local.lower()
    if at.lower() != domain or not local.startswith(PREFIX):
        return None
    return local.removeprefix(PREFIX) or None


def logging_token(session: Session, account_id: uuid.UUID, *, now: datetime) -> str:
    """The account's logging token, created on first use."""
    return private_tokens.current(session, LoggingAddress, account_id, new_mail_token, now=now)


def rotate(session: Session, account_id: uuid.UUID, *, now: datetime) -> str:
    """A new logging token: mail to the old address is refused from now on."""
    return private_tokens.rotate(session, LoggingAddress, account_id, new_mail_token, now=now)


_ACCOUNT_OF_TOKEN = select(LoggingAddress.account_id).where(
    LoggingAddress.token == bindparam("token")
)


def account_for(session: Session, token: str) -> uuid.UUID | None:
    """The account a logging token belongs to, if any."""
    found: uuid.UUID | None = session.scalar(_ACCOUNT_OF_TOKEN, {"token": token})
    return found
