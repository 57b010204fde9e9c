"""ORM models of the outside world: webhook endpoints, the event outbox, deliveries, feeds."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base, IdMixin, TimestampMixin, VersionMixin, utcnow
from service.db.models import account_fk
from service.db.types import StrEnumType, UTCDateTime


class DeliveryState(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class WebhookEndpoint(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "webhook_endpoints"
    __table_args__ = (Index(None, "account_id", "created_at", "id"),)

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk())
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(String(500))
    enabled: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(500))
    # The signing key must be usable to sign, so it is stored as issued (like any HMAC key).
    secret: Mapped[str] = mapped_column(String(100))
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Event(IdMixin, Base):
    __tablename__ = "events"
    # The retention purge reads old events by creation time alone.
    __table_args__ = (Index(None, "account_id", "created_at"), Index(None, "created_at"))

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk())
    type: Mapped[str] = mapped_column(String(64))
    # A unique key makes a second followup.due for the same action and schedule impossible.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Delivery(IdMixin, Base):
    """One event owed to one endpoint: retried until it succeeds or the schedule ends."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index(
            "ix_deliveries_pending",
            "next_attempt_at",
            postgresql_where=text("state = 'pending'"),
            sqlite_where=text("state = 'pending'"),
        ),
        Index(None, "endpoint_id"),
        # Foreign keys a cascade or a purge follows (deleting an account, old events).
        Index(None, "event_id"),
        Index(None, "account_id"),
    )

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk())
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("events.id", ondelete="CASCADE"))
    endpoint_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    state: Mapped[DeliveryState] = mapped_column(StrEnumType(DeliveryState))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DeliveryAttempt(IdMixin, Base):
    """The log of every request made to an endpoint."""

    __tablename__ = "delivery_attempts"
    __table_args__ = (
        Index(None, "endpoint_id", "created_at", "id"),
        # Foreign keys a cascade or a purge follows (deleting an account, old events).
        Index(None, "delivery_id"),
        Index(None, "event_id"),
        Index(None, "account_id"),
        Index(None, "created_at"),  # the retention purge
    )

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk())
    endpoint_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    delivery_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("deliveries.id", ondelete="CASCADE")
    )
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("events.id", ondelete="CASCADE"))
    event_type: Mapped[str] = mapped_column(String(64))
    attempt: Mapped[int]
    status_code: Mapped[int | None]
    duration_ms: Mapped[int]
    error: Mapped[str | None] = mapped_column(Text)
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CalendarFeed(Base):
    __tablename__ = "calendar_feeds"

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk(), primary_key=True)
    # A capability URL: shown again by GET /v1/calendar, so kept as issued; rotate to revoke.
    token: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
