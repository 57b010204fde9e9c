"""Next actions, settings and the script check."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from service.api.schemas.common import Input, Output, Patch, Timestamp, TimeZoneName
from service.domain.model import Channel, ScriptKind
from service.domain.reminder_mail import Reminders
from service.services.planning.action_body import NextActionRead, ScriptRead

__all__ = ["NextActionRead", "ScriptRead"]


class SnoozeCreate(Input):
    until: Timestamp = Field(description="The new due time (RFC 3339 with an offset).")


class SettingsRead(Output):
    timezone: str
    preferred_hour: int
    initial_delay_days: int
    warm_touches: int
    warm_days: int
    warm_window_days: int
    maintenance_days: int
    maintenance_window_days: int
    opening_days: int
    min_gap_days: int
    news_fresh_days: int = Field(description="News older than this is not quoted in scripts.")
    referral_days: int = Field(
        description="Working days from a referral to the touch with the person named (R13)."
    )
    retry_days: int = Field(
        description="Working days from a call nobody answered to trying again (R15)."
    )
    reminders: Reminders = Field(
        description="daily: one email a day at your preferred hour, listing what is due or "
        "overdue (when the server sends mail); off: none."
    )


class SettingsUpdate(Patch):
    not_null = frozenset(
        {
            "timezone",
            "preferred_hour",
            "initial_delay_days",
            "warm_touches",
            "warm_days",
            "warm_window_days",
            "maintenance_days",
            "maintenance_window_days",
            "opening_days",
            "min_gap_days",
            "news_fresh_days",
            "referral_days",
            "retry_days",
            "reminders",
        }
    )
    # strict: JSON true or "10" is refused rather than read as 1 or 10.
    timezone: TimeZoneName | None = None
    preferred_hour: int | None = Field(default=None, ge=0, le=23, strict=True)
    initial_delay_days: int | None = Field(default=None, ge=0, le=30, strict=True)
    warm_touches: int | None = Field(default=None, ge=0, le=20, strict=True)
    warm_days: int | None = Field(default=None, ge=7, le=90, strict=True)
    warm_window_days: int | None = Field(default=None, ge=0, le=60, strict=True)
    maintenance_days: int | None = Field(default=None, ge=14, le=365, strict=True)
    maintenance_window_days: int | None = Field(default=None, ge=0, le=180, strict=True)
    opening_days: int | None = Field(default=None, ge=1, le=30, strict=True)
    min_gap_days: int | None = Field(default=None, ge=0, le=60, strict=True)
    news_fresh_days: int | None = Field(default=None, ge=1, le=730, strict=True)
    referral_days: int | None = Field(default=None, ge=0, le=30, strict=True)
    retry_days: int | None = Field(default=None, ge=1, le=30, strict=True)
    reminders: Reminders | None = None


class ScriptCheckCreate(Input):
    channel: Channel
    text: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
    contact_id: uuid.UUID | None = Field(
        default=None, description="Also check against earlier scripts with this contact."
    )
    kind: ScriptKind = Field(
        default=ScriptKind.SCRIPT,
        description="script: a whole script. closing or reply: said inside a conversation, "
        "so it needs no question and no mention of the organization.",
    )


class ScriptWarningRead(BaseModel):
    code: str = Field(
        description="asks_about_openings, too_long, no_question, no_organization_reference, "
        "repeats_previous"
    )
    message: str


class ScriptCheckRead(BaseModel):
    ok: bool
    word_count: int
    warnings: list[ScriptWarningRead]
