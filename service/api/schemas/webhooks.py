"""Webhook endpoints, delivery log, calendar feed, and the outgoing event payloads."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from service.api.schemas.cadence import NextActionRead
from service.api.schemas.common import Input, Output, Patch, ShortText, Url
from service.api.schemas.records import AttemptRead, ContactRead, OrganizationRead
from service.domain.model import (
    EventType,
)


class WebhookCreate(Input):
    url: Url = Field(description="https only; private, loopback and link-local hosts refused.")
    events: list[EventType] | None = Field(
        default=None, min_length=1, description="Default (absent or null): every event."
    )
    description: ShortText | None = None
    enabled: bool = True


class WebhookUpdate(Patch):
    not_null = frozenset({"url", "enabled"})
    url: Url | None = None
    events: list[EventType] | None = Field(default=None, min_length=1)
    description: ShortText | None = None
    enabled: bool | None = None


class WebhookRead(Output):
    id: uuid.UUID
    url: str
    events: list[str]
    description: str | None
    enabled: bool
    disabled_reason: str | None = Field(description="Why keepwarm disabled it, if it did.")
    created_at: datetime
    updated_at: datetime


class WebhookWithSecret(WebhookRead):
    secret: str = Field(description="whsec_…: shown only now; verify signatures with it.")


class DeliveryAttemptRead(Output):
    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    attempt: int
    status_code: int | None
    duration_ms: int
    error: str | None
    response_body: str | None = Field(description="The first 4 KiB of the answer.")
    created_at: datetime


class Queued(BaseModel):
    event_id: uuid.UUID
    delivery_id: uuid.UUID | None = None
    status: Literal["queued"] = "queued"


class CalendarRead(BaseModel):
    feed_url: str = Field(description="A secret URL: anyone with it can read your follow-ups.")
    webcal_url: str


class CalendarObject(BaseModel):
    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    description: str
    ics: str = Field(description="The VEVENT as RFC 5545 text.")


class FollowupData(BaseModel):
    next_action: NextActionRead
    contact: ContactRead = Field(description="As GET /v1/contacts/{contact_id} shows it.")
    organization: OrganizationRead = Field(
        description="As GET /v1/organizations/{organization_id} shows it."
    )
    calendar: CalendarObject


class AttemptLoggedData(BaseModel):
    attempt: AttemptRead = Field(description="As GET /v1/attempts/{attempt_id} shows it.")


class OrganizationOpeningData(BaseModel):
    organization: OrganizationRead


class FollowupEvent(BaseModel):
    type: Literal[
        "followup.scheduled", "followup.rescheduled", "followup.due", "followup.cancelled"
    ]
    timestamp: datetime
    data: FollowupData


class AttemptLoggedEvent(BaseModel):
    type: Literal["attempt.logged"]
    timestamp: datetime
    data: AttemptLoggedData


class OrganizationOpeningEvent(BaseModel):
    type: Literal["organization.opening"]
    timestamp: datetime
    data: OrganizationOpeningData


class PingData(BaseModel):
    webhook_id: uuid.UUID
    message: str


class PingEvent(BaseModel):
    type: Literal["webhook.ping"]
    timestamp: datetime
    data: PingData
