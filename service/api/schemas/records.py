"""Organizations, news items, contacts and attempts."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import EmailStr, Field, StringConstraints

from service.api.schemas.common import (
    Day,
    Input,
    Name,
    NoNul,
    Notes,
    Output,
    Patch,
    Phone,
    ShortText,
    Signature,
    Timestamp,
    TimeZoneName,
    Url,
)
from service.domain.model import (
    Channel,
    ContactRole,
    ContactStatus,
    Direction,
    NewsTone,
    OrganizationStatus,
    Outcome,
)

Variant = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), NoNul
]
GreetingName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), NoNul
]
Headline = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), NoNul
]
# One line of up to 500 characters, as a signature: the same bounds (and no NUL).
PausedReason = Signature


STATUS_DOC = (
    "nurturing: they said No, keep in touch (follow-ups planned); opening: an opening is "
    "discussed (a follow-up every opening_days); paused, hired, closed: no follow-ups; "
    "watching: you know people there and nobody has said no (no follow-ups, no agenda entry, "
    "no calendar event until you set rejected_on or nurturing)."
)


class OrganizationCreate(Input):
    name: Name = Field(examples=["Acme Robotics"])
    website: Url | None = None
    role_applied: ShortText | None = None
    rejected_on: Day | None = Field(
        default=None,
        description="The day they said No; not with status watching. Without it, the first "
        "touch counts from the day the organization is added.",
    )
    status: OrganizationStatus = Field(default=OrganizationStatus.NURTURING, description=STATUS_DOC)
    paused_reason: PausedReason | None = Field(
        default=None, description="Why it is paused; only with status paused."
    )
    talked_about: ShortText | None = Field(
        default=None,
        description="What you discussed in the interviews (at most 200 characters), which "
        "scripts refer to.",
        examples=["the data-platform migration"],
    )
    notes: Notes | None = None


class OrganizationUpdate(Patch):
    not_null = frozenset({"name", "status"})
    name: Name | None = None
    website: Url | None = None
    role_applied: ShortText | None = None
    rejected_on: Day | None = Field(
        default=None,
        description="The day they said No. Setting it on a watching organization moves it to "
        "nurturing: its follow-ups start (R1).",
    )
    status: OrganizationStatus | None = Field(
        default=None,
        description=f"{STATUS_DOC} Setting it away from paused clears paused_reason; "
        "watching needs rejected_on null.",
    )
    paused_reason: PausedReason | None = None
    talked_about: ShortText | None = Field(
        default=None,
        description="What you discussed in the interviews (at most 200 characters), which "
        "scripts refer to.",
        examples=["the data-platform migration"],
    )
    notes: Notes | None = None


class OrganizationRead(Output):
    id: uuid.UUID
    name: str
    website: str | None
    role_applied: str | None
    rejected_on: date | None
    status: OrganizationStatus
    paused_reason: str | None = Field(
        description="Why it is paused: yours, or what keepwarm wrote when the hiring manager "
        "asked you to stop."
    )
    talked_about: str | None = Field(description="What you discussed in the interviews.")
    notes: str | None
    created_at: datetime
    updated_at: datetime


class NewsCreate(Input):
    headline: Headline = Field(examples=["Acme opens a Berlin office"])
    url: Url | None = None
    noticed_on: Day | None = Field(default=None, description="Defaults to today (UTC).")
    tone: NewsTone = Field(
        default=NewsTone.POSITIVE,
        description="positive (a launch, a win), neutral, or difficult (layoffs, a loss): "
        "scripts never call difficult news exciting.",
    )
    summary: ShortText | None = Field(
        default=None,
        description='Your own words for it ("the restructuring"): what scripts say instead of '
        "a difficult headline.",
        examples=["the restructuring"],
    )


class NewsRead(Output):
    id: uuid.UUID
    organization_id: uuid.UUID
    headline: str
    url: str | None
    noticed_on: date
    tone: NewsTone
    summary: str | None
    created_at: datetime


class ContactCreate(Input):
    organization_id: uuid.UUID
    name: Name = Field(examples=["Grace Hopper"])
    role: ContactRole
    title: ShortText | None = None
    email: EmailStr | None = None
    phone: Phone | None = Field(default=None, examples=["+1 312 555 0100"])
    profile_url: Url | None = None
    timezone: TimeZoneName | None = Field(default=None, examples=["America/Chicago"])
    greeting_name: GreetingName | None = Field(
        default=None,
        description='How scripts greet them ("Dr. Lee", "Annie"); default: the first name.',
        examples=["Dr. Lee"],
    )
    status: ContactStatus = ContactStatus.ACTIVE
    notes: Notes | None = None


class ContactUpdate(Patch):
    not_null = frozenset({"name", "role", "status"})
    name: Name | None = None
    role: ContactRole | None = None
    title: ShortText | None = None
    email: EmailStr | None = None
    phone: Phone | None = None
    profile_url: Url | None = None
    timezone: TimeZoneName | None = None
    greeting_name: GreetingName | None = None
    status: ContactStatus | None = None
    notes: Notes | None = None


class ContactRead(Output):
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    role: ContactRole
    title: str | None
    email: str | None
    phone: str | None
    profile_url: str | None
    timezone: str | None
    greeting_name: str | None
    status: ContactStatus
    notes: str | None
    created_at: datetime
    updated_at: datetime


class AttemptCreate(Input):
    contact_id: uuid.UUID
    channel: Channel
    direction: Direction = Direction.OUTBOUND
    occurred_at: Timestamp | None = Field(default=None, description="Defaults to now.")
    outcome: Outcome | None = None
    referred_to_contact_id: uuid.UUID | None = None
    next_action_id: uuid.UUID | None = Field(
        default=None, description="The next action this attempt fulfils; it becomes done."
    )
    news_id: uuid.UUID | None = None
    script_variant: Variant | None = Field(
        default=None, description="The script variant you used (from the next action)."
    )
    follow_up_on: Day | None = Field(
        default=None,
        description="A date they asked you to call: not before the attempt's own date.",
    )
    follow_up_channel: Channel | None = Field(
        default=None, description="How they asked to be reached then; needs follow_up_on."
    )
    notes: Notes | None = None


class AttemptUpdate(Patch):
    not_null = frozenset({"channel", "direction", "occurred_at"})
    channel: Channel | None = None
    direction: Direction | None = None
    occurred_at: Timestamp | None = None
    outcome: Outcome | None = None
    referred_to_contact_id: uuid.UUID | None = None
    news_id: uuid.UUID | None = None
    script_variant: Variant | None = None
    follow_up_on: Day | None = None
    follow_up_channel: Channel | None = None
    notes: Notes | None = None


class AttemptRead(Output):
    id: uuid.UUID
    organization_id: uuid.UUID
    contact_id: uuid.UUID
    channel: Channel
    direction: Direction
    occurred_at: datetime
    outcome: Outcome | None
    referred_to_contact_id: uuid.UUID | None
    next_action_id: uuid.UUID | None
    news_id: uuid.UUID | None
    script_variant: str | None
    follow_up_on: date | None
    follow_up_channel: Channel | None
    notes: str | None
    created_at: datetime
    updated_at: datetime
