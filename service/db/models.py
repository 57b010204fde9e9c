"""ORM models of accounts and the job seeker's records."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    and_,
    func,
    literal_column,
    not_,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base, IdMixin, TimestampMixin, VersionMixin, utcnow
from service.db.types import StrEnumType, UTCDateTime
from service.domain.model import (
    Channel,
    ContactRole,
    ContactStatus,
    Direction,
    NewsTone,
    OrganizationStatus,
    Outcome,
)


def account_fk() -> ForeignKey:
    """A cascading foreign key to the owning account."""
    return ForeignKey("accounts.id", ondelete="CASCADE")


class Account(IdMixin, Base):
    __tablename__ = "accounts"

    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiKey(IdMixin, Base):
    __tablename__ = "api_keys"

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk(), index=True)
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginThrottle(Base):
    """Failed log-ins for one email from one client; the row without an email counts sign-ups."""

    __tablename__ = "client_throttles"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    first_failed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class EmailThrottle(Base):
    """The previous release's throttle, by email alone: only its replicas write it during a
    rolling upgrade; this release purges it and deletes an account's rows, the next drops it."""

    __tablename__ = "login_throttles"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    first_failed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class IdempotencyRecord(IdMixin, Base):
    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("account_id", "key"),)

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk())
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(500))
    etag: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Organization(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "organizations"
    __table_args__ = (Index(None, "account_id", "created_at", "id"),)

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk())
    name: Mapped[str] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(2000))
    role_applied: Mapped[str | None] = mapped_column(String(200))
    rejected_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[OrganizationStatus] = mapped_column(
        StrEnumType(OrganizationStatus), default=OrganizationStatus.NURTURING
    )
    paused_reason: Mapped[str | None] = mapped_column(String(500))
    talked_about: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)


class NewsItem(IdMixin, TimestampMixin, Base):
    __tablename__ = "news_items"
    __table_args__ = (
        Index(None, "organization_id", "created_at", "id"),
        Index(None, "account_id"),  # deleting an account cascades here
    )

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk())
    organization_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE")
    )
    headline: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(2000))
    noticed_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(String(200))
    tone: Mapped[NewsTone] = mapped_column(
        StrEnumType(NewsTone), default=NewsTone.POSITIVE, server_default=NewsTone.POSITIVE.value
    )


class Contact(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "contacts"
    __table_args__ = (
        Index(None, "account_id", "created_at", "id"),
        Index(None, "organization_id"),
    )

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk())
    organization_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[ContactRole] = mapped_column(StrEnumType(ContactRole))
    title: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    profile_url: Mapped[str | None] = mapped_column(String(2000))
    timezone: Mapped[str | None] = mapped_column(String(64))
    greeting_name: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[ContactStatus] = mapped_column(
        StrEnumType(ContactStatus), default=ContactStatus.ACTIVE
    )
    notes: Mapped[str | None] = mapped_column(Text)


class Attempt(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "attempts"
    __table_args__ = (
        Index(None, "account_id", "occurred_at", "id"),
        Index(None, "organization_id", "occurred_at"),
        Index(None, "contact_id"),
    )

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk())
    organization_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE")
    )
    contact_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("contacts.id", ondelete="CASCADE")
    )
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel))
    direction: Mapped[Direction] = mapped_column(StrEnumType(Direction))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[Outcome | None] = mapped_column(StrEnumType(Outcome))
    referred_to_contact_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("contacts.id", ondelete="SET NULL")
    )
    next_action_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    news_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("news_items.id", ondelete="SET NULL")
    )
    script_variant: Mapped[str | None] = mapped_column(String(64))
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_channel: Mapped[Channel | None] = mapped_column(StrEnumType(Channel))
    notes: Mapped[str | None] = mapped_column(Text)


# What the planner reads of a history (services/planning/history.py) follows these indexes
# newest first, so a write costs the same whatever the length of the history. Their conditions
# are literal SQL, the same in the indexes and the queries: a partial index serves a query only
# when the query states its condition with the same literals (a bound value does not match it).
_attempts = Attempt.__table__.c


def _is(column: ColumnElement[Any], value: StrEnum) -> ColumnElement[bool]:
    return column == literal_column(f"'{value.value}'")


NO_ANSWER = _is(_attempts.outcome, Outcome.NO_ANSWER)
UNANSWERED = and_(_is(_attempts.channel, Channel.CALL), NO_ANSWER)
"""A call nobody answered: not a touch (R15)."""
TOUCH = not_(
    and_(
        _is(_attempts.channel, Channel.CALL),
        _is(func.coalesce(_attempts.outcome, literal_column("''")), Outcome.NO_ANSWER),
    )
)
"""Anything but a call nobody answered."""
OUTBOUND = _is(_attempts.direction, Direction.OUTBOUND)
STOP = _is(_attempts.outcome, Outcome.ASKED_TO_STOP)
REFERRED = and_(
    _is(_attempts.outcome, Outcome.REFERRED), _attempts.referred_to_contact_id.is_not(None)
)
WITH_NEWS = _attempts.news_id.is_not(None)
SCRIPTED = _attempts.script_variant.is_not(None)


def _newest_first(name: str, leading: str, where: ColumnElement[bool] | None = None) -> Index:
    partial: dict[str, Any] = {}
    if where is not None:
        partial = {"sqlite_where": where, "postgresql_where": where}
    return Index(name, _attempts[leading], _attempts.occurred_at, _attempts.id, **partial)


HISTORY_INDEXES = (
    # Each person's latest attempt, touch and count.
    _newest_first("ix_attempts_contact_history", "contact_id"),
    # Each person's latest unanswered call and request to stop.
    _newest_first("ix_attempts_contact_marks", "contact_id", or_(NO_ANSWER, STOP)),
    _newest_first("ix_attempts_scripted", "contact_id", SCRIPTED),
    _newest_first("ix_attempts_news", "news_id", WITH_NEWS),
    # The phase counts these (R2-R4).
    _newest_first("ix_attempts_outbound_touches", "organization_id", and_(OUTBOUND, TOUCH)),
    _newest_first("ix_attempts_referrals", "organization_id", REFERRED),
)
