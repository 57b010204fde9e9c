"""ORM models of mail: the reminder outbox, logging addresses, messages already logged."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, Index, String, Text, UniqueConstraint, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base, IdMixin, utcnow
from service.db.models import account_fk
from service.db.types import StrEnumType, UTCDateTime


class ReminderState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    # Nothing was due at the preferred hour: the day's reminder is settled, nothing is sent.
    NOTHING_DUE = "nothing_due"
    CANCELLED = "cancelled"
    FAILED = "failed"
    # The sender stopped while the server was receiving the message: it may have arrived,
    # so it is never sent again (a duplicate is worse than one missed reminder).
    UNCERTAIN = "uncertain"


class Reminder(IdMixin, Base):
    """One account's reminder for one local day: the unique key makes a second impossible."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("account_id", "local_on"),
        Index(
            "ix_reminders_pending",
            "next_attempt_at",
            postgresql_where=text("state = 'pending'"),
            sqlite_where=text("state = 'pending'"),
        ),
        Index(None, "created_at"),  # the retention purge
        Index(None, "account_id"),  # deleting an account cascades here
    )

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk())
    local_on: Mapped[date] = mapped_column(Date)
    state: Mapped[ReminderState] = mapped_column(StrEnumType(ReminderState))
    recipient: Mapped[str | None] = mapped_column(String(320))
    # Fixed when the reminder is written, before any attempt: every attempt sends these bytes.
    message_id: Mapped[str | None] = mapped_column(String(250))
    # The whole message (RFC 5322, ASCII), cleared once sent: it holds the unsubscribe token.
    message: Mapped[str | None] = mapped_column(Text)
    unsubscribe_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Committed just before the message's DATA: a lease that runs out after it is not resent.
    sending_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoggingAddress(Base):
    """An account's private address for touches by BCC: log-<token>@KEEPWARM_MAIL_DOMAIN."""

    __tablename__ = "logging_addresses"

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk(), primary_key=True)
    # Shown again by GET /v1/mail/logging-address, so kept as issued; rotate to revoke.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReceivedMessage(IdMixin, Base):
    """A message that logged touches, by a hash of its Message-ID: it never logs twice."""

    __tablename__ = "received_messages"
    # The unique key leads with account_id: deleting an account cascades through it.
    __table_args__ = (UniqueConstraint("account_id", "message_key"), Index(None, "created_at"))

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk())
    message_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
