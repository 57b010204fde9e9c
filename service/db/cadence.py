"""ORM models of the cadence: account settings and next actions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base, IdMixin, TimestampMixin, VersionMixin, utcnow
from service.db.models import account_fk
from service.db.types import StrEnumType, UTCDateTime
from service.domain.model import ActionState, Channel, Phase
from service.domain.reminder_mail import Reminders

OPEN_STATES_SQL = text("state IN ('scheduled', 'due')")


class AccountSettings(VersionMixin, Base):
    __tablename__ = "account_settings"

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk(), primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64))
    preferred_hour: Mapped[int]
    initial_delay_days: Mapped[int]
    warm_touches: Mapped[int]
    warm_days: Mapped[int]
    warm_window_days: Mapped[int]
    maintenance_days: Mapped[int]
    maintenance_window_days: Mapped[int]
    opening_days: Mapped[int]
    min_gap_days: Mapped[int]
    news_fresh_days: Mapped[int] = mapped_column(server_default="120")
    referral_days: Mapped[int] = mapped_column(server_default="3")
    retry_days: Mapped[int] = mapped_column(server_default="2")
    reminders: Mapped[Reminders] = mapped_column(
        StrEnumType(Reminders), default=Reminders.OFF, server_default=Reminders.OFF.value
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Profile(VersionMixin, Base):
    """The job seeker's own name and sign-off, for the scripts (GET|PATCH /v1/profile)."""

    __tablename__ = "profiles"

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk(), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    signature: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class NextAction(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "next_actions"
    __table_args__ = (
        # R12: at most one open next action per organization, enforced by the database.
        Index(
            "uq_next_actions_open_per_organization",
            "organization_id",
            unique=True,
            postgresql_where=OPEN_STATES_SQL,
            sqlite_where=OPEN_STATES_SQL,
        ),
        Index(None, "account_id", "due_at", "id"),
        Index("ix_next_actions_state_due_at", "state", "due_at"),
        Index("ix_next_actions_state_plan_version", "state", "plan_version"),
        Index(None, "contact_id"),
        # An organization's history: its latest skip, and the cascade when it is deleted
        # (not by updated_at: that changes at every write, and so would the index).
        Index("ix_next_actions_organization_state", "organization_id", "state"),
    )

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, account_fk())
    organization_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE")
    )
    contact_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("contacts.id", ondelete="CASCADE")
    )
    state: Mapped[ActionState] = mapped_column(StrEnumType(ActionState))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    phase: Mapped[Phase] = mapped_column(StrEnumType(Phase))
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel))
    reason: Mapped[str] = mapped_column(Text)
    hints: Mapped[list[str]] = mapped_column(JSON)
    script: Mapped[dict[str, Any]] = mapped_column(JSON)
    news_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    sequence: Mapped[int] = mapped_column(default=0)
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Which version of the cadence rules computed it; the tick recomputes older ones.
    plan_version: Mapped[int] = mapped_column(default=1)
    # The public representation (JSON), rendered by every writer of the row
    # (service.services.planning.action_body.render) and served as it is by every reader.
    body: Mapped[str] = mapped_column(Text)
    # Set by every writer, never by the clock: the representation shows it.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
